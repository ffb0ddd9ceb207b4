//! Documents from templates: plans, one-page profiles, provision maps, class
//! strategy sheets, review packs and compliance checklists, in Markdown and
//! HTML (`docs/templates.md`).
//!
//! The built-in templates (`templates/` in the source tree) are embedded in
//! the binary. A school overrides any of them by putting a file of the same
//! name in its records repository's `templates/` folder; it may also add
//! files of its own there for its templates to include. Templates receive the
//! serialisable views of [`views`], never the model structs, with undefined
//! variables as errors, so a misspelt name fails loudly with the template's
//! name and line.

pub mod docx;
pub mod sandbox;
pub mod views;

use crate::error::Error;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder of a records repository that holds the school's templates.
pub const TEMPLATE_DIR: &str = "templates";

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        /// Every built-in template: its name and its text.
        pub const BUILTIN: &[(&str, &str)] = &[$(($name, include_str!(concat!("../../templates/", $name)))),*];
    };
}

builtin! {
    "layout.html.j2",
    "charts.html.j2",
    "plan.md.j2",
    "request.md.j2",
    "request.html.j2",
    "plan.html.j2",
    "profile.md.j2",
    "profile.html.j2",
    "provision-map.md.j2",
    "provision-map.html.j2",
    "class.md.j2",
    "class.html.j2",
    "review.md.j2",
    "review.html.j2",
    "checklist.md.j2",
    "checklist.html.j2",
    "impact.html.j2",
    "progress.html.j2",
    "reviews.html.j2",
    "chronology.md.j2",
    "chronology.html.j2",
}

/// Output format of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    /// Word: the HTML template's page converted by [`docx::html_to_docx`].
    Docx,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// Where a template comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    /// A school's file replacing a built-in one.
    Overridden(PathBuf),
    /// A school's own file with no built-in counterpart (e.g. a partial it includes).
    School(PathBuf),
}

/// One template as `senco templates list` shows it.
#[derive(Clone, Debug)]
pub struct TemplateInfo {
    pub name: String,
    pub origin: Origin,
}

/// The template environment of one repository: built-ins plus the school's files.
pub struct Templates {
    env: Environment<'static>,
    /// Template name -> the school's file, for locating errors.
    school: BTreeMap<String, String>,
    /// The school's own files (name, text): when there are any, documents
    /// render in a child process with a memory limit ([`sandbox`]).
    bundle: sandbox::Bundle,
    pub list: Vec<TemplateInfo>,
}

impl Templates {
    /// Built-ins, then the school's `templates/*.j2` over them. A school file
    /// that does not parse is an error naming the file and line.
    pub fn load(root: &Path) -> Result<Templates, Error> {
        Templates::load_with_fuel(root, TEMPLATE_FUEL)
    }

    /// Like `load`, with another work limit per document.
    pub fn load_with_fuel(root: &Path, fuel: u64) -> Result<Templates, Error> {
        let mut texts = Vec::new();
        let dir = root.join(TEMPLATE_DIR);
        if dir.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| Error::io(&dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                // Every `.j2` file: one that is not a regular file (a FIFO, a
                // link leading outside) is an error below, never skipped.
                .filter(|p| !p.is_dir() && p.extension().is_some_and(|x| x == "j2"))
                .collect();
            files.sort();
            for path in files {
                let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
                let text = crate::repo::read::read_school_text(root, &format!("{TEMPLATE_DIR}/{name}"))?;
                texts.push((name, text));
            }
        }
        if !texts.is_empty() && sandbox::available() {
            // Parsed in the worker only: a template nested thousands deep
            // overflows the parser's stack (`sandbox`).
            let t = Templates::from_texts(texts, fuel, false)?;
            if let Some(Err(e)) = sandbox::check(&t.bundle) {
                return Err(e);
            }
            return Ok(t);
        }
        Templates::from_texts(texts, fuel, true)
    }

    /// The built-ins with the school's files (name, text) over them: what
    /// `load` reads, and what the sandboxed renderer is sent. `compile`:
    /// whether the school's files are parsed here (not when the worker
    /// will run them).
    pub fn from_texts(school_texts: Vec<(String, String)>, fuel: u64, compile: bool) -> Result<Templates, Error> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // A work limit per document: a school's template that loops for ever
        // (or nearly) stops with a clean error instead of hanging.
        env.set_fuel(Some(fuel));
        // Block tags on lines of their own leave no blank lines behind, as in Jinja with
        // trim_blocks and lstrip_blocks; the file's last newline is kept.
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| template_error(&e, &BTreeMap::new()))?;
        env.set_syntax(syntax);
        env.set_auto_escape_callback(auto_escape);
        env.set_formatter(formatter);
        bound_filters(&mut env);
        env.add_filter("money", money);
        env.add_filter("amount", amount);
        env.add_filter("longdate", longdate);
        env.add_filter("num", num);
        env.add_filter("css_string", css_string);
        env.add_filter("monthyear", monthyear);
        let mut school = BTreeMap::new();
        let mut list: Vec<TemplateInfo> =
            BUILTIN.iter().map(|(n, _)| TemplateInfo { name: (*n).to_string(), origin: Origin::BuiltIn }).collect();
        for (name, text) in BUILTIN {
            env.add_template(name, text).map_err(|e| template_error(&e, &school))?;
        }
        let bundle = sandbox::Bundle::new(sandbox::Set::Documents, school_texts, fuel);
        for (name, text) in bundle.texts() {
            let rel = PathBuf::from(TEMPLATE_DIR).join(name);
            school.insert(name.clone(), format!("{TEMPLATE_DIR}/{name}"));
            match list.iter_mut().find(|t| &t.name == name) {
                Some(t) => t.origin = Origin::Overridden(rel),
                None => list.push(TemplateInfo { name: name.clone(), origin: Origin::School(rel) }),
            }
            if compile {
                env.add_template_owned(name.clone(), text.clone()).map_err(|e| template_error(&e, &school))?;
            }
        }
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Templates { env, school, bundle, list })
    }

    /// Renders the template `name` with `view` as its context. With the
    /// school's own templates in play, in the sandbox: their memory is
    /// limited, so no template can take the machine's (`sandbox`).
    pub fn render<V: serde::Serialize>(&self, name: &str, view: &V) -> Result<String, Error> {
        if !self.bundle.is_empty() {
            if let Some(result) = sandbox::render(&self.bundle, name, view) {
                return result;
            }
        }
        self.render_here(name, view)
    }

    /// The bytes of a rendered document (`finish`): a Word document made
    /// from the school's templates is converted in the worker, whose memory
    /// is limited (the conversion's grows with the HTML they made).
    pub fn finish(&self, text: String, format: Format) -> Result<Vec<u8>, Error> {
        if format == Format::Docx && !self.bundle.is_empty() {
            if let Some(result) = sandbox::docx(&self.bundle, &text) {
                return result;
            }
        }
        finish(text, format)
    }

    /// Renders in this process.
    pub fn render_here<V: serde::Serialize>(&self, name: &str, view: &V) -> Result<String, Error> {
        let tmpl = self.env.get_template(name).map_err(|e| template_error(&e, &self.school))?;
        tmpl.render(Value::from(Serde(view))).map_err(|e| template_error(&e, &self.school))
    }
}

/// The template of a document kind in a format, e.g. `plan.html.j2`; Word
/// documents are made from the HTML template.
pub fn template_name(kind: &str, format: Format) -> String {
    let ext = if format == Format::Docx { "html" } else { format.ext() };
    format!("{kind}.{ext}.j2")
}

/// The document as `senco render` writes it (and `senco serve` serves it):
/// a plain-words note at the top when pupils it would include could not be
/// read (`one_pupil`: a document about one pupil, whose own files those
/// are), and in Markdown control characters escaped (it is often read on a
/// terminal).
pub fn noted(text: &str, format: Format, unreadable: &[crate::repo::Unreadable], one_pupil: bool) -> String {
    // A Word document is made from the HTML.
    let html = matches!(format, Format::Html | Format::Docx);
    let text = match crate::output::unreadable_document_note(unreadable, one_pupil) {
        Some(note) => crate::output::prepend_document_note(text, &note, html),
        None => text.to_string(),
    };
    if html {
        text
    } else {
        crate::diag::render::escape_controls_keep_lines(&text).into_owned()
    }
}

/// The bytes of a rendered document: the text, or for Word the text (an
/// HTML page) converted. The page's footer name and orientation are read
/// from the page itself, so the template stays their source.
pub fn finish(text: String, format: Format) -> Result<Vec<u8>, Error> {
    if format != Format::Docx {
        return Ok(text.into_bytes());
    }
    let footer = css_footer(&text).unwrap_or_default();
    let landscape = text.contains("size: A4 landscape");
    docx::html_to_docx(&text, &footer, landscape)
}

/// The text of the page's `@bottom-left { content: "..." }`, unescaped.
fn css_footer(html: &str) -> Option<String> {
    let key = "@bottom-left { content: \"";
    let start = html.find(key)? + key.len();
    let mut out = String::new();
    let mut chars = html[start..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => {
                let mut hex = String::new();
                while let Some(h) = chars.peek().filter(|h| h.is_ascii_hexdigit() && hex.len() < 6) {
                    hex.push(*h);
                    chars.next();
                }
                if hex.is_empty() {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else {
                    if chars.peek() == Some(&' ') {
                        chars.next();
                    }
                    out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                }
            }
            _ => out.push(c),
        }
    }
    None
}

/// The work one document may take, in minijinja's instructions: the
/// provision map of a 10,000-pupil school takes a small fraction of it.
pub const TEMPLATE_FUEL: u64 = 200_000_000;

/// A template error as a usage error that names the file and line.
fn template_error(e: &minijinja::Error, school: &BTreeMap<String, String>) -> Error {
    // The innermost error says where it happened (an include's own name and line).
    let mut inner: &minijinja::Error = e;
    while let Some(next) = std::error::Error::source(inner).and_then(|s| s.downcast_ref::<minijinja::Error>()) {
        if next.name().is_none() {
            break;
        }
        inner = next;
    }
    let name = inner.name().unwrap_or("<template>");
    let (file, hint) = match school.get(name) {
        Some(path) => (
            path.clone(),
            "fix the school's template, or remove it to use the built-in one; `senco templates export DIR` \
             writes the built-in templates, and docs/templates.md lists every variable"
                .to_string(),
        ),
        None => (
            format!("{name} (built in)"),
            "a built-in template failed: please report this as a bug in senco".to_string(),
        ),
    };
    let hint = if e.kind() == minijinja::ErrorKind::OutOfFuel || inner.kind() == minijinja::ErrorKind::OutOfFuel {
        "the template did more steps of work for one document than any document needs, so it was stopped; \
             look for a loop that runs far more often than the records need (e.g. a `range` inside a `range`)"
            .to_string()
    } else {
        hint
    };
    let at = inner.line().map_or(String::new(), |l| format!(" line {l}"));
    let what = match inner.detail() {
        Some(d) => format!("{}: {d}", inner.kind()),
        None => inner.kind().to_string(),
    };
    Error::usage(format!("template `{file}`{at}: {what}"), Some(hint))
}

/// HTML escaping for `.html.j2`, Markdown escaping for `.md.j2`.
fn auto_escape(name: &str) -> AutoEscape {
    let name = name.strip_suffix(".j2").unwrap_or(name);
    if name.ends_with(".html") || name.ends_with(".htm") {
        AutoEscape::Html
    } else if name.ends_with(".md") {
        AutoEscape::Custom("markdown".into())
    } else {
        AutoEscape::None
    }
}

/// Prints values: nothing for none, whole numbers without `.0`, other
/// numbers to 2 decimals at most, words shaped like a UPN as `(UPN hidden)`
/// (no document shows a UPN, whatever text it was typed into); then escapes
/// for the template's format.
fn formatter(out: &mut minijinja::Output, state: &mut minijinja::State, value: &Value) -> Result<(), minijinja::Error> {
    if value.is_none() {
        return Ok(());
    }
    let shown: Value = match f64::try_from(value.clone()) {
        Ok(f) if value.is_number() => Value::from(fmt_num(f)),
        _ => value.clone(),
    };
    let shown = without_upns(shown);
    match state.auto_escape() {
        AutoEscape::Custom(ref n) if n == "markdown" => {
            let text = shown.to_string();
            let escaped = if shown.is_safe() { text } else { escape_markdown(&text) };
            out.write_str(&escaped)
                .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
        }
        _ => minijinja::escape_formatter(out, state, &shown),
    }
}

/// A value as a document may print it: any word shaped like a UPN hidden
/// (`diag::render::hide_upn_words`), safe strings staying safe.
pub(crate) fn without_upns(v: Value) -> Value {
    let hide = |s: &str| match crate::diag::render::hide_upn_words(s) {
        std::borrow::Cow::Owned(h) => Some(h),
        std::borrow::Cow::Borrowed(_) => None,
    };
    let hidden = match v.as_str() {
        Some(s) => hide(s),
        None if v.is_number() || v.is_undefined() || v.is_none() => None,
        // A list or map printed whole shows its items' text too.
        None => hide(&v.to_string()),
    };
    match hidden {
        None => v,
        Some(h) if v.is_safe() => Value::from_safe_string(h),
        Some(h) => Value::from(h),
    }
}

/// Escapes text for Markdown (CommonMark, GitHub, pandoc) so that a record's
/// value is shown as written: no emphasis, links, raw HTML or table breaks;
/// line breaks become spaces so a value never ends a table row.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A number as people write it: `10`, `2.5`, `0.33`.
pub fn fmt_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{f:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Money to 2 decimals with thousands separators: `6,123.40`. Rounded only here.
pub fn fmt_money(f: f64) -> String {
    let s = format!("{:.2}", f.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if f < 0.0 && format!("{:.2}", f.abs()) != "0.00" { "-" } else { "" };
    format!("{sign}{grouped}.{frac}")
}

/// Text for a CSS string literal (`content: "..."` in the page footer):
/// quotes, backslashes, line breaks and `<` escaped, so a name can neither end
/// the string nor the style element.
fn css_string(v: Value) -> Value {
    let s = v.as_str().map(str::to_string).unwrap_or_else(|| if v.is_none() { String::new() } else { v.to_string() });
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\3C "),
            '>' => out.push_str("\\3E "),
            '&' => out.push_str("\\26 "),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    Value::from_safe_string(out)
}

fn money(v: f64) -> String {
    fmt_money(v)
}

/// `{{ x | amount(school.currency) }}`: an amount for a parent or the local
/// authority, with the currency's sign (`£1,234.50`, `€104.10`), the one
/// formatter the checklist's words use too (`model::cost::money_in_words`).
fn amount(v: f64, currency: String) -> String {
    crate::model::cost::money_in_words(v, &currency)
}

fn num(v: f64) -> String {
    fmt_num(v)
}

/// `2026-10-14` as `14 October 2026`; anything else unchanged.
fn longdate(v: Value) -> String {
    let s = v.as_str().map(str::to_string).unwrap_or_else(|| if v.is_none() { String::new() } else { v.to_string() });
    match chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        Ok(d) => d.format("%-d %B %Y").to_string(),
        Err(_) => s,
    }
}

/// `2026-10-14` as `Oct 2026`, for chart axes; anything else unchanged.
fn monthyear(v: Value) -> String {
    let s = v.as_str().map(str::to_string).unwrap_or_else(|| if v.is_none() { String::new() } else { v.to_string() });
    match chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        Ok(d) => d.format("%b %Y").to_string(),
        Err(_) => s,
    }
}

/// Filters whose one call could ask for any amount of memory, which the work
/// limit (fuel) cannot stop: `indent` takes a width of at most 64, and
/// `format` (printf-style widths) is not offered. Every template
/// environment (documents and `serve`'s pages) gets these.
pub fn bound_filters(env: &mut Environment<'_>) {
    env.remove_filter("format");
    env.add_filter(
        "indent",
        |s: String,
         width: Option<usize>,
         first: Option<bool>,
         blank: Option<bool>|
         -> Result<String, minijinja::Error> {
            let width = width.unwrap_or(4);
            if width > 64 {
                return Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("indent({width}) is wider than senco allows (64)"),
                ));
            }
            let pad = " ".repeat(width);
            let mut out = String::with_capacity(s.len());
            for (i, line) in s.split_inclusive('\n').enumerate() {
                if (i > 0 || first.unwrap_or(false)) && (blank.unwrap_or(false) || !line.trim().is_empty()) {
                    out.push_str(&pad);
                }
                out.push_str(line);
            }
            Ok(out)
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_value_a_template_prints_shows_a_upn() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(TEMPLATE_DIR)).unwrap();
        for ext in ["md", "html"] {
            std::fs::write(
                dir.path().join(TEMPLATE_DIR).join(format!("t.{ext}.j2")),
                "{{ a }} | {{ b|safe }} | {{ c }} | {{ n }}\n",
            )
            .unwrap();
        }
        let t = Templates::load(dir.path()).unwrap();
        let view = serde_json::json!({
            "a": "ref A123456789012", "b": "<b>A123456789012</b>", "c": ["B12345678901C"], "n": 12345678901_i64
        });
        for name in ["t.md.j2", "t.html.j2"] {
            let out = t.render(name, &view).unwrap();
            assert!(!out.contains("A123456789012") && !out.contains("B12345678901C"), "{out}");
            assert!(out.contains("ref (UPN hidden)") && out.contains("12345678901"), "{out}");
        }
        assert!(t.render("t.html.j2", &view).unwrap().contains("<b>(UPN hidden)</b>"));
    }

    #[test]
    fn money_rounds_only_when_shown() {
        assert_eq!(fmt_money(17.733333), "17.73");
        assert_eq!(fmt_money(6123.4), "6,123.40");
        assert_eq!(fmt_money(1234567.006), "1,234,567.01");
        assert_eq!(fmt_money(0.0), "0.00");
        assert_eq!(fmt_money(-0.001), "0.00");
        assert_eq!(fmt_money(-12.5), "-12.50");
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(fmt_num(10.0), "10");
        assert_eq!(fmt_num(2.5), "2.5");
        assert_eq!(fmt_num(1.0 / 3.0), "0.33");
    }

    #[test]
    fn markdown_escapes_tables_and_html() {
        assert_eq!(escape_markdown("a|b <script> *x*\nnext"), "a\\|b \\<script\\> \\*x\\* next");
    }

    #[test]
    fn escape_modes_follow_the_file_name() {
        assert_eq!(auto_escape("plan.html.j2"), AutoEscape::Html);
        assert_eq!(auto_escape("plan.md.j2"), AutoEscape::Custom("markdown".into()));
        assert_eq!(auto_escape("notes.txt.j2"), AutoEscape::None);
    }

    #[test]
    fn the_footer_name_round_trips_through_css() {
        let name = "O'Neil \"x\" <b> & \\ done";
        let css = css_string(Value::from(name));
        let page = format!("@bottom-left {{ content: \"{}\"; font: 8pt }}", css.as_str().unwrap());
        assert_eq!(css_footer(&page).as_deref(), Some(name));
    }

    #[test]
    fn css_strings_cannot_escape() {
        let v = css_string(Value::from("O'Neil \"x\" </style> & \\"));
        assert_eq!(v.as_str(), Some("O'Neil \\\"x\\\" \\3C /style\\3E  \\26  \\\\"));
    }

    #[test]
    fn every_builtin_template_parses() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::load(dir.path()).unwrap();
        assert_eq!(t.list.len(), BUILTIN.len());
        assert!(t.list.iter().all(|i| i.origin == Origin::BuiltIn));
    }
}

#[cfg(test)]
mod fuel_tests {
    use super::*;

    #[test]
    fn a_template_that_loops_almost_for_ever_stops_with_a_clean_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(TEMPLATE_DIR)).unwrap();
        std::fs::write(
            dir.path().join(TEMPLATE_DIR).join("spin.md.j2"),
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}\n",
        )
        .unwrap();
        // The built-in limit takes seconds to use up in a debug build; a
        // smaller one shows the same error.
        let t = Templates::load_with_fuel(dir.path(), 2_000_000).unwrap();
        let t0 = std::time::Instant::now();
        let e = t.render("spin.md.j2", &serde_json::json!({})).unwrap_err();
        assert!(t0.elapsed().as_secs() < 60, "{:?}", t0.elapsed());
        let text = format!("{e} {}", e.hint().unwrap_or_default());
        assert!(
            text.contains("templates/spin.md.j2") && text.contains("steps of work") && text.contains("fuel"),
            "{text}"
        );
    }

    #[test]
    fn a_filter_asked_for_gigabytes_stops_with_a_clean_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(TEMPLATE_DIR)).unwrap();
        for (name, text) in [
            ("wide.md.j2", "{{ \"x\\ny\"|indent(2000000000) }}\n"),
            ("printf.md.j2", "{{ \"%2000000000s\"|format(\"a\") }}\n"),
        ] {
            std::fs::write(dir.path().join(TEMPLATE_DIR).join(name), text).unwrap();
        }
        let t = Templates::load(dir.path()).unwrap();
        let e = t.render("wide.md.j2", &serde_json::json!({})).unwrap_err();
        assert!(e.to_string().contains("indent(2000000000)"), "{e}");
        assert!(t.render("printf.md.j2", &serde_json::json!({})).is_err());
        // A reasonable indent still works.
        std::fs::write(dir.path().join(TEMPLATE_DIR).join("ok.md.j2"), "{{ \"a\\nb\"|indent(2) }}\n").unwrap();
        let t = Templates::load(dir.path()).unwrap();
        assert!(t.render("ok.md.j2", &serde_json::json!({})).unwrap().contains('b'));
    }
}
