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

/// The colour codes `Paint` writes (between `ESC [` and `m`): the only
/// escape sequences `terminal_safe` lets through, and only with colour on.
const PAINT_CODES: [&str; 6] = ["0", "1", "1;31", "1;33", "1;36", "1;34"];

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        debug_assert!(PAINT_CODES.contains(&code));
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

/// Characters of a source line quoted under a finding, at most: a long line
/// is cut to a window around the column, so the output stays linear in the
/// input however long the lines and however many the findings.
pub const QUOTE_MAX_CHARS: usize = 160;

/// Longest message or hint text shown, in characters (values quoted in
/// messages are already shortened; this bounds what is left).
const TEXT_MAX_CHARS: usize = 2_000;

/// Control characters (ESC, newline, ...), DEL, C1 controls and the Unicode
/// bidirectional overrides written as visible escapes (`\u{1b}`), so record
/// text or a folder name can never drive the terminal or reorder a line.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    fn bad(c: char) -> bool {
        c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if bad(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Like `escape_controls`, keeping line breaks and tabs: for multi-line text
/// (a document, a report) going to a terminal.
pub fn escape_controls_keep_lines(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| !matches!(c, '\n' | '\t') && escape_controls(c.encode_utf8(&mut [0; 4])).len() > 1) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for part in line.split('\t').enumerate() {
            if part.0 > 0 {
                out.push('\t');
            }
            out.push_str(&escape_controls(part.1.strip_suffix('\r').unwrap_or(part.1)));
            if part.1.ends_with('\r') {
                out.push('\r');
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text bound for a terminal or a log (everything senco writes to stderr,
/// and to stdout when it is a terminal): every control character escaped as
/// `escape_controls_keep_lines` does, so no folder name or record value can
/// drive the terminal (set its title, clear the screen, hide a line); with
/// `colours`, senco's own colour codes (`Paint`'s, a fixed list) pass.
pub fn terminal_safe(s: &str, colours: bool) -> std::borrow::Cow<'_, str> {
    if !colours || !s.contains('\x1b') {
        return escape_controls_keep_lines(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&escape_controls_keep_lines(&rest[..i]));
        let after = &rest[i + 1..];
        let ours = PAINT_CODES.iter().find_map(|c| {
            let tail = after.strip_prefix('[')?.strip_prefix(c)?.strip_prefix('m')?;
            Some(after.len() - tail.len())
        });
        match ours {
            Some(n) => {
                out.push('\x1b');
                out.push_str(&after[..n]);
                rest = &after[n..];
            }
            None => {
                out.push_str("\\u{1b}");
                rest = after;
            }
        }
    }
    out.push_str(&escape_controls_keep_lines(rest));
    std::borrow::Cow::Owned(out)
}

/// What a UPN is shown as where senco quotes record text (a finding's
/// source line, a diff): the UPN is shown only when asked for with `--show-upn`.
pub const UPN_HIDDEN: &str = "(UPN hidden)";

/// A line of record text with the value of a `upn:` key hidden. `prefix`
/// characters (a diff's ` `, `+` or `-`) are kept as they are.
fn hide_upn_in_line(line: &str, prefix: usize) -> Option<String> {
    let head = line.get(..prefix)?;
    let rest = line.get(prefix..)?;
    let body = rest.trim_start();
    let key =
        body.strip_prefix("\"upn\"").or_else(|| body.strip_prefix("'upn'")).or_else(|| body.strip_prefix("upn"))?;
    let value = key.trim_start().strip_prefix(':')?;
    if value.trim().is_empty() {
        return None;
    }
    let indent = &rest[..rest.len() - body.len()];
    let keytext = &body[..body.len() - value.len()];
    Some(format!("{head}{indent}{keytext} {UPN_HIDDEN}"))
}

/// Whether `w` has the shape of a UPN: a capital letter, eleven digits, and
/// a digit or a capital letter (England's and Wales's unique pupil numbers,
/// temporary ones included). The check letter is not checked: a UPN typed
/// with a slip is still the pupil's number, and nothing else is written this
/// way (a reference with fewer or more characters, or in lower case, is not
/// hidden).
pub fn upn_shaped(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 13
        && b[0].is_ascii_uppercase()
        && b[1..12].iter().all(u8::is_ascii_digit)
        && (b[12].is_ascii_digit() || b[12].is_ascii_uppercase())
}

/// `text` with every word shaped like a UPN ([`upn_shaped`]) shown as
/// [`UPN_HIDDEN`], wherever it stands: a UPN typed into a note, a target, a
/// log entry, a misspelt `unp:` key. A word is a run of ASCII letters and
/// digits; one glued to an escape written before it (`\n` or `\t` in a
/// terminal or CSV cell, `\u001b` in JSON) is found too, so the function is
/// safe on plain text, terminal text, CSV, JSON, HTML and Markdown alike.
/// Borrowed, at the cost of one scan, when there is none.
pub fn hide_upn_words(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let word = &text[start..i];
        // How much of the word an escape before it holds: `\n` one letter,
        // `\u001b` five characters.
        let skip = if upn_shaped(word) {
            Some(0)
        } else if start > 0 && b[start - 1] == b'\\' && word.len() >= 14 {
            let hex = word.len() == 18
                && word.starts_with('u')
                && word.as_bytes()[1..5].iter().all(u8::is_ascii_hexdigit)
                && upn_shaped(&word[5..]);
            if hex {
                Some(5)
            } else if word.len() == 14 && upn_shaped(&word[1..]) {
                Some(1)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(skip) = skip {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..start + skip]);
            o.push_str(UPN_HIDDEN);
            copied = i;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            std::borrow::Cow::Owned(o)
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// A unified diff (or any record text) with every `upn:` value hidden: on
/// the key's line, on the lines below it when the value is written there
/// (`upn:` then the number on the next line, or a block `upn: >-`), and
/// wherever a word has the shape of a UPN.
pub fn hide_upns(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The indent of a `upn:` key whose value is on the lines below.
    let mut below: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let header = body.starts_with("+++") || body.starts_with("---") || body.starts_with("@@");
        let prefix = usize::from(body.starts_with([' ', '+', '-']) && !header);
        let rest = &body[prefix..];
        let indent = rest.len() - rest.trim_start_matches(' ').len();
        if header {
            below = None;
        } else if let Some(key_indent) = below {
            if rest.trim().is_empty() || indent > key_indent {
                out.push_str(&body[..prefix]);
                out.push_str(&rest[..indent]);
                out.push_str(if rest.trim().is_empty() { "" } else { UPN_HIDDEN });
                out.push_str(end);
                continue;
            }
            below = None;
        }
        let t = rest.trim();
        let bare = ["upn:", "\"upn\":", "'upn':"].iter().any(|k| {
            t.strip_prefix(k).is_some_and(|v| {
                let v = v.split(" #").next().unwrap_or("").trim();
                v.is_empty() || v.starts_with(['|', '>'])
            })
        });
        if bare && !header {
            below = Some(indent);
        }
        let hidden = hide_upn_in_line(body, prefix).or_else(|| hide_upn_in_line(body, 0));
        out.push_str(&hide_upn_words(hidden.as_deref().unwrap_or(body)));
        out.push_str(end);
    }
    out
}

/// A message for one line of terminal output: controls escaped, length capped.
fn one_line(s: &str) -> String {
    let s = escape_controls(s);
    if s.chars().count() <= TEXT_MAX_CHARS {
        return s.into_owned();
    }
    let cut: String = s.chars().take(TEXT_MAX_CHARS).collect();
    format!("{cut}...")
}

/// Where each line of a text starts, for quoting lines by number in
/// constant time (a file with 100,000 findings must not be rescanned for each).
struct LineIndex {
    /// Address and length of the text indexed, to tell texts apart.
    key: (usize, usize),
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// Byte offset of every `MARK`th character (empty for ASCII text, where
    /// character and byte offsets agree).
    marks: Vec<usize>,
    ascii: bool,
}

const MARK: usize = 64;

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        let ascii = text.is_ascii();
        let marks = if ascii { Vec::new() } else { text.char_indices().step_by(MARK).map(|(b, _)| b).collect() };
        LineIndex { key: (text.as_ptr() as usize, text.len()), starts, marks, ascii }
    }

    /// Line `n` (1-based) without its line break: (byte start, text).
    fn line<'t>(&self, text: &'t str, n: u32) -> Option<(usize, &'t str)> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(text.len(), |e| e - 1);
        let line = text.get(start..end)?;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }

    /// The byte offset of character offset `c`, in bounded time.
    fn byte_of(&self, text: &str, c: usize) -> Option<usize> {
        if self.ascii {
            return (c <= text.len()).then_some(c);
        }
        let from = *self.marks.get(c / MARK)?;
        let rest = c % MARK;
        match text.get(from..)?.char_indices().nth(rest) {
            Some((b, _)) => Some(from + b),
            None => Some(text.len()),
        }
    }
}

thread_local! {
    /// The index of the last text quoted: findings come sorted by file, so
    /// one file's findings reuse one index.
    static LINES: std::cell::RefCell<Option<LineIndex>> = const { std::cell::RefCell::new(None) };
}

/// The quoted excerpt of the line a span starts on, and the caret's column
/// in it, found through the cached index in time bounded by the excerpt.
fn source_excerpt(text: &str, span: crate::repo::yaml::Span) -> Option<(String, usize)> {
    LINES.with(|cell| {
        let mut cell = cell.borrow_mut();
        let key = (text.as_ptr() as usize, text.len());
        if cell.as_ref().is_none_or(|ix| ix.key != key) {
            *cell = Some(LineIndex::new(text));
        }
        let ix = cell.as_ref()?;
        let (start, line) = ix.line(text, span.start.line)?;
        // A finding on the UPN's line quotes the line without the UPN (and
        // a line holding anything shaped like one, under any key).
        if let Some(hidden) = hide_upn_in_line(line, 0).or_else(|| match hide_upn_words(line) {
            std::borrow::Cow::Owned(h) => Some(h),
            std::borrow::Cow::Borrowed(_) => None,
        }) {
            let col = span.start.column.saturating_sub(1) as usize;
            let at = hidden.char_indices().nth(col.min(hidden.chars().count())).map_or(hidden.len(), |(b, _)| b);
            return Some(quote(&hidden, at));
        }
        let col = span.start.column.saturating_sub(1) as usize;
        // The caret's byte in the line, from the span's character offset;
        // if that disagrees with the line, count the column instead.
        let at = ix
            .byte_of(text, span.start.offset as usize)
            .and_then(|b| b.checked_sub(start))
            .filter(|b| *b <= line.len() && line.is_char_boundary(*b))
            // Where counting is cheap, the column has the last word.
            .filter(|b| col > 4 * QUOTE_MAX_CHARS || line[..*b].chars().count() == col);
        Some(match at {
            Some(b) => quote(line, b),
            None => quote(line, line.char_indices().nth(col).map_or(line.len(), |(b, _)| b)),
        })
    })
}

/// The part of `line` to quote: at most `QUOTE_MAX_CHARS` characters around
/// the byte `at`, `...` where cut, tabs shown as one space and control
/// characters as one `?` (so the caret lines up). Returns the text and the
/// caret's column in it.
fn quote(line: &str, at: usize) -> (String, usize) {
    let before = &line[..at];
    // A caret near the start shows the line from its start; further on, the
    // window is centred on the caret.
    let near_start = before.chars().take(QUOTE_MAX_CHARS - 20).count() < QUOTE_MAX_CHARS - 20;
    let from = if near_start {
        0
    } else {
        before.char_indices().rev().take(QUOTE_MAX_CHARS / 2).last().map_or(at, |(b, _)| b)
    };
    let mut caret = before[from..].chars().count();
    let mut chars = line[from..].chars();
    let mut shown = String::new();
    if from > 0 {
        shown.push_str("...");
        caret += 3;
    }
    for _ in 0..QUOTE_MAX_CHARS {
        match chars.next() {
            Some('\t') => shown.push(' '),
            Some(c) if escape_controls(c.encode_utf8(&mut [0; 4])).len() > c.len_utf8() => shown.push('?'),
            Some(c) => shown.push(c),
            None => return (shown, caret),
        }
    }
    if chars.next().is_some() {
        shown.push_str("...");
    }
    (shown, caret)
}

/// `path:line:col: severity[code]: message`, the source line with a caret
/// under the column, and the hint. File names, messages and the quoted line
/// are shown with control characters escaped and their length bounded.
pub fn human(out: &mut String, f: &Finding, source: Option<&str>, paint: Paint) {
    let file = escape_controls(&f.file);
    let loc = match f.span {
        Some(s) => format!("{file}:{}:{}", s.start.line, s.start.column),
        None => file.into_owned(),
    };
    let head = paint.severity(f.severity, &format!("{}[{}]", f.severity.as_str(), f.code));
    let _ = writeln!(out, "{}: {head}: {}", paint.bold(&loc), one_line(&hide_upn_words(&f.message)));
    if let (Some(span), Some(text)) = (f.span, source) {
        if let Some((shown, col)) = source_excerpt(text, span) {
            let num = span.start.line.to_string();
            let pad = " ".repeat(num.len());
            let width = if span.end.line == span.start.line && span.end.column > span.start.column {
                (span.end.column - span.start.column) as usize
            } else {
                1
            };
            let width = width.min(shown.chars().count().saturating_sub(col).max(1));
            let _ = writeln!(out, "{pad} {}", paint.blue("|"));
            let _ = writeln!(out, "{} {} {shown}", paint.blue(&num), paint.blue("|"));
            let caret = paint.severity(f.severity, &"^".repeat(width));
            let _ = writeln!(out, "{pad} {} {}{caret}", paint.blue("|"), " ".repeat(col));
        }
    }
    if let Some(h) = &f.hint {
        let pad = " ".repeat(f.span.map_or(1, |s| s.start.line.to_string().len()));
        let _ = writeln!(out, "{pad} {} hint: {}", paint.blue("="), one_line(&hide_upn_words(h)));
    }
}

/// The closing line of the human report.
pub fn summary(t: Tally, pupils: usize, files: usize) -> String {
    let plural = |n: usize, w: &str| if n == 1 { format!("1 {w}") } else { format!("{n} {w}s") };
    // Notes: facts a rule needs that are not recorded, and guidance (info).
    let notes = if t.infos > 0 { format!(", {}", plural(t.infos, "note")) } else { String::new() };
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
    message: std::borrow::Cow<'a, str>,
    hint: Option<std::borrow::Cow<'a, str>>,
    pupil: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    /// Notes (info findings: facts a rule needs but the records lack), as
    /// the human summary counts them.
    notes: usize,
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
                message: hide_upn_words(&f.message),
                hint: f.hint.as_deref().map(hide_upn_words),
                pupil: f.pupil.as_deref(),
            })
            .collect(),
        summary: JsonSummary { errors: t.errors, warnings: t.warnings, notes: t.infos, pupils, files },
    };
    serde_json::to_writer_pretty(&mut *w, &report)?;
    w.write_all(b"\n")
}

/// A path as a SARIF URI reference: `/`-separated, every byte outside the
/// unreserved set and `/` percent-encoded (RFC 3986), so names with spaces
/// or accents are valid URIs (SARIF1002).
pub fn uri_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `prefix/file`, or `file` alone.
fn prefixed(prefix: Option<&str>, file: &str) -> String {
    match prefix {
        Some(p) if !file.is_empty() => format!("{p}/{file}"),
        Some(p) => p.to_string(),
        None => file.to_string(),
    }
}

/// A short stable hash (FNV-1a, 64 bits) in hex: the same input gives the
/// same fingerprint on every run and platform.
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The SARIF descriptor of a finding code: short and full descriptions and
/// help from the text `senco explain` shows.
fn sarif_rule(code: &str) -> serde_json::Value {
    let (short, full) = if let Some(k) = crate::check::codes::code(code) {
        (k.summary.to_string(), format!("{} {}", k.summary, k.explanation))
    } else if let Some(r) = crate::rules::rule(code) {
        (r.statement.to_string(), format!("{} The law: {} Source: {}.", r.statement, r.provision, r.source))
    } else {
        (code.to_string(), code.to_string())
    };
    let full = full.replace(['\n', '\r'], " ");
    let help = format!("{full} Run `senco explain {code}` for the full text.");
    serde_json::json!({
        "id": code,
        "name": code,
        "shortDescription": {"text": short.replace(['\n', '\r'], " ")},
        "fullDescription": {"text": full},
        "help": {"text": help, "markdown": help},
    })
}

/// The report as SARIF 2.1.0, for code-scanning tools (docs/json.md).
/// `prefix` is the records' folder relative to the repository root: URIs
/// are relative to `%SRCROOT%`, the repository root.
pub fn sarif(findings: &[Finding], prefix: Option<&str>) -> String {
    let mut codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<serde_json::Value> = codes.iter().map(|c| sarif_rule(c)).collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            let message = hide_upn_words(&f.message);
            let mut text = message.to_string();
            if let Some(h) = &f.hint {
                text.push_str(" (hint: ");
                text.push_str(&hide_upn_words(h));
                text.push(')');
            }
            let file = prefixed(prefix, &f.file);
            let (line, col) = (f.line().max(1), f.column().max(1));
            // Two findings on one line differ in code, column or message, and
            // so in their fingerprint: each is its own alert.
            let print = fingerprint(&[f.code, &file, &line.to_string(), &col.to_string(), &message]);
            serde_json::json!({
                "ruleId": f.code,
                "ruleIndex": codes.binary_search(&f.code).unwrap_or(0),
                "level": level,
                "message": {"text": text.replace(['\n', '\r'], " ")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri_encode(&file), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": line, "startColumn": col}
                }}],
                "partialFingerprints": {"senco/v1": print},
            })
        })
        .collect();
    let mut driver = serde_json::json!({
        "name": "senco",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(uri) = option_env!("CARGO_PKG_HOMEPAGE").filter(|u| !u.is_empty()) {
        driver["informationUri"] = serde_json::json!(uri);
    }
    let doc = serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {"%SRCROOT%": {
                "description": {"text": "The root of the repository holding the records."}
            }},
            "results": results
        }]
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Escapes data for a GitHub workflow command (message part); other control
/// characters are written as visible escapes, so a log shows them, not runs them.
fn gh_data(s: &str) -> String {
    let s = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    escape_controls(&s).into_owned()
}

/// Escapes a property value of a GitHub workflow command.
fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=PATH,line=N,col=N,title=CODE::message`; `prefix` is the
/// records' folder relative to the repository root.
pub fn github(out: &mut String, f: &Finding, prefix: Option<&str>) {
    let kind = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut msg = hide_upn_words(&f.message).into_owned();
    if let Some(h) = &f.hint {
        msg.push_str("\nhint: ");
        msg.push_str(&hide_upn_words(h));
    }
    let _ = writeln!(
        out,
        "::{kind} file={},line={},col={},title={}::{}",
        gh_prop(&prefixed(prefix, &f.file)),
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

    #[test]
    fn upn_words_are_hidden_in_any_text_and_nothing_else_is() {
        let h = |s: &str| hide_upn_words(s).into_owned();
        assert_eq!(h("Mum gave A123456789012 today"), "Mum gave (UPN hidden) today");
        assert_eq!(h("temporary one: B12345678901C."), "temporary one: (UPN hidden).");
        assert_eq!(h("A123456789012"), UPN_HIDDEN);
        // Glued to an escape written before it: `\n` in a terminal or CSV
        // cell, `\u001b` in JSON.
        assert_eq!(h(r"line\nA123456789012"), r"line\n(UPN hidden)");
        assert_eq!(h(r#""x\u001bA123456789012""#), r#""x\u001b(UPN hidden)""#);
        // Not a UPN: too short, too long, lower case, two letters, a letter
        // last only, a reference number, a word that only ends like one.
        for keep in [
            "A12345678901",
            "A1234567890123",
            "a123456789012",
            "AB12345678901",
            "123456789012A",
            "ref 2026-000123",
            "nA123456789012",
            "EHC-2026-123456789",
        ] {
            assert!(matches!(hide_upn_words(keep), std::borrow::Cow::Borrowed(_)), "{keep}");
        }
    }

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
    fn terminal_text_escapes_every_control_but_our_colours() {
        let value = "F\x1b]0;title\x07 \x1b[31mred\x1b[0m\r\nnext\tcell";
        let plain = terminal_safe(value, false);
        assert_eq!(plain, "F\\u{1b}]0;title\\u{7} \\u{1b}[31mred\\u{1b}[0m\r\nnext\tcell");
        // With colour on, senco's own codes pass and nothing else does.
        let painted = format!("{} {value}", Paint { on: true }.severity(Severity::Error, "error"));
        let shown = terminal_safe(&painted, true);
        assert!(shown.starts_with("\x1b[1;31merror\x1b[0m "), "{shown:?}");
        // (A value's own reset code is one of ours: it can only end a colour.)
        assert_eq!(shown.matches('\x1b').count(), 3, "{shown:?}");
        assert!(shown.ends_with("\\u{1b}[31mred\x1b[0m\r\nnext\tcell"), "{shown:?}");
        assert!(matches!(terminal_safe("plain\n", true), std::borrow::Cow::Borrowed(_)));
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
    fn a_long_line_is_quoted_as_a_window_around_the_column() {
        let line = format!("a: [{}]", "x, ".repeat(10_000));
        let at = 20_000;
        let start = Pos { offset: at, line: 1, column: at + 1 };
        let f = Finding::new(Severity::Error, "bad-value", "f.yaml", Some(Span::point(start)), "bad");
        let mut out = String::new();
        human(&mut out, &f, Some(&line), Paint { on: false });
        assert!(out.len() < 600, "{} bytes: {out}", out.len());
        let quoted = out.lines().nth(2).unwrap();
        let caret = out.lines().nth(3).unwrap();
        assert!(quoted.starts_with("1 | ...") && quoted.ends_with("..."), "{quoted}");
        // The caret sits under the character at the offset.
        let col = caret.find('^').unwrap();
        assert_eq!(&line[at as usize..at as usize + 1], &quoted[col..col + 1]);
    }

    #[test]
    fn many_findings_on_one_file_cost_linear_time() {
        let text: String = (0..50_000).map(|i| format!("k{i}: v\n")).collect();
        let mut out = String::new();
        let t0 = std::time::Instant::now();
        let mut offset = 0;
        for i in 0..50_000u32 {
            let pos = Pos { offset, line: i + 1, column: 1 };
            offset += format!("k{i}: v\n").len() as u32;
            let f = Finding::new(Severity::Error, "unknown-key", "f.yaml", Some(Span::point(pos)), "unknown key");
            human(&mut out, &f, Some(&text), Paint { on: false });
        }
        assert!(out.contains("50000 | k49999: v"));
        // Rescanning the file for each finding took minutes.
        assert!(t0.elapsed().as_secs() < 20, "{:?}", t0.elapsed());
    }

    #[test]
    fn upns_are_hidden_in_quoted_lines_and_diffs() {
        let start = Pos { offset: 13, line: 2, column: 1 };
        let f = Finding::new(Severity::Error, "duplicate-key", "p.yaml", Some(Span::point(start)), "twice");
        let mut out = String::new();
        human(&mut out, &f, Some("id: ava-brown\nupn: A123456789012\n"), Paint { on: false });
        assert!(!out.contains("A123456789012"), "{out}");
        assert!(out.contains("2 | upn: (UPN hidden)"), "{out}");
        let diff = "--- a/p.yaml\n+++ b/p.yaml\n@@ -1,3 +1,3 @@\n id: ava\n upn: A123456789012\n-year_group: 3\n+year_group: 4\n  \"upn\": 'B1'\n";
        let hidden = hide_upns(diff);
        assert!(!hidden.contains("A123456789012") && !hidden.contains("B1"), "{hidden}");
        assert!(hidden.contains(" upn: (UPN hidden)\n-year_group: 3\n"), "{hidden}");
        assert_eq!(hide_upns("upnote: x\n"), "upnote: x\n");
        // The value on the lines below its key, or as a block.
        let below = " id: ava\n upn:\n   W742381058662\n-year_group: 3\n upn: >-\n   X\n   Y\n name: Ava\n";
        let hidden = hide_upns(below);
        assert!(!hidden.contains("W742") && !hidden.contains(" X\n") && !hidden.contains(" Y\n"), "{hidden}");
        assert!(hidden.contains("-year_group: 3\n") && hidden.contains(" name: Ava\n"), "{hidden}");
        // Anything shaped like a UPN, under any key.
        assert_eq!(hide_upns("+unp: W742381058662 # typo\n"), "+unp: (UPN hidden) # typo\n");
        let f = Finding::new(Severity::Error, "unknown-key", "p.yaml", Some(Span::point(start)), "unknown");
        let mut out = String::new();
        human(&mut out, &f, Some("id: ava-brown\nunp: W742381058662\n"), Paint { on: false });
        assert!(!out.contains("W742381058662"), "{out}");
        // Not a UPN: too short, too long, lower case.
        for keep in ["A12345678901\n", "A1234567890123\n", "a123456789012\n", "ABC123456789012\n"] {
            assert_eq!(hide_upns(keep), keep);
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut f = finding();
        f.file = "pupils/\x1b[31mred/pupil.yaml".into();
        f.message = "unknown key `a\x1b]0;x\x07` in pupil\nforged line".into();
        let mut out = String::new();
        human(&mut out, &f, Some("id: abc\nyear_group: \x1b[2Jfour\n"), Paint { on: false });
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
        assert!(out.starts_with("pupils/\\u{1b}[31mred/pupil.yaml:2:13"), "{out}");
        assert!(out.contains("in pupil\\nforged line"), "{out}");
        assert!(out.contains("2 | year_group: ?[2Jfour"), "{out}");
        assert_eq!(escape_controls("\u{202E}abc"), "\\u{202e}abc");
        assert_eq!(escape_controls_keep_lines("a\tb\nc\x1bd\r\n"), "a\tb\nc\\u{1b}d\r\n");
        let mut gh = String::new();
        github(&mut gh, &f, None);
        assert!(!gh.contains('\x1b'), "{gh:?}");
    }

    #[test]
    fn github_escapes_properties_and_newlines() {
        let mut f = finding();
        f.file = "a,b:c.yaml".into();
        let mut out = String::new();
        github(&mut out, &f, None);
        assert_eq!(out, "::error file=a%2Cb%3Ac.yaml,line=2,col=13,title=wrong-type::expected a whole number, found `four`%0Ahint: write a number\n");
    }

    #[test]
    fn sarif_uris_are_percent_encoded_and_findings_on_one_line_differ() {
        assert_eq!(uri_encode("rec ords/pupils/zoë-ann/pupil.yaml"), "rec%20ords/pupils/zo%C3%AB-ann/pupil.yaml");
        let a = finding();
        let mut b = finding();
        b.code = "bad-value";
        let out: serde_json::Value = serde_json::from_str(&sarif(&[a, b], Some("my school"))).unwrap();
        let results = out["runs"][0]["results"].as_array().unwrap();
        let prints: Vec<&serde_json::Value> = results.iter().map(|r| &r["partialFingerprints"]["senco/v1"]).collect();
        assert_ne!(prints[0], prints[1]);
        let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(uri, "my%20school/pupils/a/pupil.yaml");
        assert!(!results[0]["message"]["text"].as_str().unwrap().contains('\n'));
        // The same finding gives the same fingerprint on every run.
        let again: serde_json::Value = serde_json::from_str(&sarif(&[finding()], Some("my school"))).unwrap();
        assert_eq!(&again["runs"][0]["results"][0]["partialFingerprints"]["senco/v1"], prints[0]);
    }
}
