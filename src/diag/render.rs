//! Renderers for findings: `human` (for people, with the source line and a
//! caret), `json` (a documented, versioned contract; docs/json.md) and
//! `github` (workflow commands that annotate a pull request).

use super::{Finding, Severity, Tally};
use serde::Serialize;
use std::fmt::Write;

/// ANSI styles, or nothing when colour is off.
#[derive(Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    pub fn severity(self, sev: Severity, s: &str) -> String {
        match sev {
            Severity::Error => self.wrap("1;31", s),
            Severity::Warning => self.wrap("1;33", s),
            Severity::Info => self.wrap("1;36", s),
        }
    }
    pub fn blue(self, s: &str) -> String {
        self.wrap("1;34", s)
    }
}

/// `path:line:col: severity[code]: message`, the source line with a caret
/// under the column, and the hint.
pub fn human(out: &mut String, f: &Finding, source: Option<&str>, paint: Paint) {
    let loc = match f.span {
        Some(s) => format!("{}:{}:{}", f.file, s.start.line, s.start.column),
        None => f.file.clone(),
    };
    let head = paint.severity(f.severity, &format!("{}[{}]", f.severity.as_str(), f.code));
    let _ = writeln!(out, "{}: {head}: {}", paint.bold(&loc), f.message);
    if let (Some(span), Some(text)) = (f.span, source) {
        if let Some(line) = text.lines().nth(span.start.line.saturating_sub(1) as usize) {
            let line = line.trim_end_matches('\r');
            let num = span.start.line.to_string();
            let pad = " ".repeat(num.len());
            let col = span.start.column.saturating_sub(1) as usize;
            let width = if span.end.line == span.start.line && span.end.column > span.start.column {
                (span.end.column - span.start.column) as usize
            } else {
                1
            };
            // Tabs are shown as one space so the caret lines up.
            let shown: String = line.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
            let width = width.min(shown.chars().count().saturating_sub(col).max(1));
            let _ = writeln!(out, "{pad} {}", paint.blue("|"));
            let _ = writeln!(out, "{} {} {shown}", paint.blue(&num), paint.blue("|"));
            let caret = paint.severity(f.severity, &"^".repeat(width));
            let _ = writeln!(out, "{pad} {} {}{caret}", paint.blue("|"), " ".repeat(col));
        }
    }
    if let Some(h) = &f.hint {
        let pad = " ".repeat(f.span.map_or(1, |s| s.start.line.to_string().len()));
        let _ = writeln!(out, "{pad} {} hint: {h}", paint.blue("="));
    }
}

/// The closing line of the human report.
pub fn summary(t: Tally, pupils: usize, files: usize) -> String {
    let plural = |n: usize, w: &str| if n == 1 { format!("1 {w}") } else { format!("{n} {w}s") };
    // Facts a rule needs but the records do not hold are worth a mention.
    let notes = if t.infos > 0 { format!(", {} (not recorded)", plural(t.infos, "note")) } else { String::new() };
    if t.errors == 0 && t.warnings == 0 {
        format!("checked {} ({}): no problems found{notes}", plural(pupils, "pupil"), plural(files, "file"))
    } else {
        format!(
            "{}, {}{notes} in {} ({})",
            plural(t.errors, "error"),
            plural(t.warnings, "warning"),
            plural(pupils, "pupil"),
            plural(files, "file")
        )
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    code: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
    hint: Option<&'a str>,
    pupil: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    pupils: usize,
    files: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
}

/// The JSON report, version 1 (docs/json.md).
pub fn json(findings: &[Finding], pupils: usize, files: usize) -> String {
    let mut out = Vec::new();
    let _ = json_to(&mut out, findings, pupils, files);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the JSON report to `w` as it is serialised, without holding it in memory.
pub fn json_to(w: &mut impl std::io::Write, findings: &[Finding], pupils: usize, files: usize) -> std::io::Result<()> {
    let t = Tally::of(findings);
    let report = JsonReport {
        version: 1,
        findings: findings
            .iter()
            .map(|f| JsonFinding {
                severity: f.severity,
                code: f.code,
                file: &f.file,
                line: f.line(),
                column: f.column(),
                message: &f.message,
                hint: f.hint.as_deref(),
                pupil: f.pupil.as_deref(),
            })
            .collect(),
        summary: JsonSummary { errors: t.errors, warnings: t.warnings, pupils, files },
    };
    serde_json::to_writer_pretty(&mut *w, &report)?;
    w.write_all(b"\n")
}

/// The report as SARIF 2.1.0, for code-scanning tools (docs/json.md).
pub fn sarif(findings: &[Finding]) -> String {
    let mut codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<serde_json::Value> = codes
        .iter()
        .map(|c| {
            let summary = crate::check::codes::code(c)
                .map(|k| k.summary)
                .or_else(|| crate::rules::rule(c).map(|r| r.statement))
                .unwrap_or("");
            serde_json::json!({"id": c, "shortDescription": {"text": summary}})
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            let mut text = f.message.clone();
            if let Some(h) = &f.hint {
                text.push_str("\nhint: ");
                text.push_str(h);
            }
            serde_json::json!({
                "ruleId": f.code,
                "level": level,
                "message": {"text": text},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.file},
                    "region": {"startLine": f.line(), "startColumn": f.column()}
                }}]
            })
        })
        .collect();
    let doc = serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "senco", "version": env!("CARGO_PKG_VERSION"), "rules": rules}}, "results": results}]
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Escapes data for a GitHub workflow command (message part).
fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a GitHub workflow command.
fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=PATH,line=N,col=N,title=CODE::message`
pub fn github(out: &mut String, f: &Finding) {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut msg = f.message.clone();
    if let Some(h) = &f.hint {
        msg.push_str("\nhint: ");
        msg.push_str(h);
    }
    let _ = writeln!(
        out,
        "::{kind} file={},line={},col={},title={}::{}",
        gh_prop(&f.file),
        f.line(),
        f.column(),
        gh_prop(f.code),
        gh_data(&msg)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{Pos, Span};

    fn finding() -> Finding {
        let start = Pos { offset: 15, line: 2, column: 13 };
        let end = Pos { offset: 19, line: 2, column: 17 };
        Finding::new(
            Severity::Error,
            "wrong-type",
            "pupils/a/pupil.yaml",
            Some(Span { start, end }),
            "expected a whole number, found `four`",
        )
        .with_hint("write a number")
    }

    #[test]
    fn human_shows_caret_under_the_value() {
        let mut out = String::new();
        human(&mut out, &finding(), Some("id: abc\nyear_group: four\n"), Paint { on: false });
        assert_eq!(
            out,
            "pupils/a/pupil.yaml:2:13: error[wrong-type]: expected a whole number, found `four`\n  |\n2 | year_group: four\n  |             ^^^^\n  = hint: write a number\n"
        );
    }

    #[test]
    fn github_escapes_properties_and_newlines() {
        let mut f = finding();
        f.file = "a,b:c.yaml".into();
        let mut out = String::new();
        github(&mut out, &f);
        assert_eq!(out, "::error file=a%2Cb%3Ac.yaml,line=2,col=13,title=wrong-type::expected a whole number, found `four`%0Ahint: write a number\n");
    }
}
