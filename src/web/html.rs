//! The page templates and the views they receive.
//!
//! The built-in pages (`templates/web/` in the source tree) are embedded; a
//! school overrides one by putting a file of the same name in its records
//! repository's `templates/web/` folder (read at every render, so an
//! override shows without a restart). Templates get serialisable views, with
//! undefined variables as errors and every value HTML-escaped.
//!
//! Most pages show a query's [`Document`], the very value the command prints
//! as a table or CSV, converted here into a [`DocView`]: so a page and its
//! command never disagree.

use crate::error::Error;
use crate::output::{Align, Block, Document};
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;
use std::path::Path;

/// The folder of a records repository with the school's page templates.
pub const WEB_TEMPLATE_DIR: &str = "templates/web";

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        /// Every built-in page template: its name and text.
        pub const BUILTIN: &[(&str, &str)] = &[$(($name, include_str!(concat!("../../templates/web/", $name)))),*];
    };
}

builtin! {
    "layout.html.j2",
    "macros.html.j2",
    "page.html.j2",
    "dashboard.html.j2",
    "register.html.j2",
    "pupil.html.j2",
    "findings.html.j2",
    "compliance.html.j2",
    "document.html.j2",
    "new-review.html.j2",
    "sessions.html.j2",
    "session.html.j2",
    "outcome.html.j2",
    "new-pupil.html.j2",
    "message.html.j2",
    "delivery.html.j2",
    "training.html.j2",
    "access.html.j2",
    "census.html.j2",
}

/// The one stylesheet.
pub const STYLE: &str = include_str!("../../templates/web/style.css");

/// HTML-escapes text (for the few strings built outside templates).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path segment or query value.
pub fn url_part(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The school's page templates (`templates/web/*.j2`): name and text.
pub fn school_pages(root: &Path) -> Result<Vec<(String, String)>, Error> {
    let mut texts = Vec::new();
    let dir = root.join(WEB_TEMPLATE_DIR);
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut files: Vec<_> =
            rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "j2")).collect();
        files.sort();
        for path in files {
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
            let text = crate::repo::read::read_school_text(root, &format!("{WEB_TEMPLATE_DIR}/{name}"))?;
            texts.push((name, text));
        }
    }
    Ok(texts)
}

/// The page environment: built-ins, then the school's `templates/web/*.j2`.
pub fn environment(root: &Path) -> Result<Environment<'static>, Error> {
    environment_from(&school_pages(root)?)
}

/// The page environment with the school's pages (name, text) over the
/// built-ins: what `environment` reads, and what the sandbox is sent.
pub fn environment_from(school: &[(String, String)]) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // The documents' work limit: a school's page that loops for ever stops
    // with a clean error instead of holding the server.
    env.set_fuel(Some(crate::render::TEMPLATE_FUEL));
    crate::render::bound_filters(&mut env);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .map_err(|e| template_error(&e))?;
    env.set_syntax(syntax);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_formatter(formatter);
    env.add_filter("urlpart", |s: String| url_part(&s));
    for (name, text) in BUILTIN {
        env.add_template(name, text).map_err(|e| template_error(&e))?;
    }
    for (name, text) in school {
        env.add_template_owned(name.clone(), text.clone()).map_err(|e| template_error(&e))?;
    }
    Ok(env)
}

/// Prints a value as the default formatter does (HTML-escaped unless it is
/// marked safe), with every word shaped like a UPN hidden
/// (`diag::render::hide_upn_words`): no page shows one, whatever text it was
/// typed into and whatever the records in memory hold (a member of staff's
/// name, a provision's, a school's own page printing any value).
fn formatter(out: &mut minijinja::Output, state: &mut minijinja::State, value: &Value) -> Result<(), minijinja::Error> {
    minijinja::escape_formatter(out, state, &crate::render::without_upns(value.clone()))
}

fn template_error(e: &minijinja::Error) -> Error {
    let name = e.name().unwrap_or("a page template");
    let line = e.line().map(|l| format!(", line {l}")).unwrap_or_default();
    Error::usage(
        format!("`{WEB_TEMPLATE_DIR}/{name}`{line}: {}", e.detail().unwrap_or(&e.kind().to_string())),
        Some("fix the school's page template, or remove it to use the built-in one".into()),
    )
}

/// Renders a page template with its view.
/// With the school's own pages in play, in the sandbox, whose memory is
/// limited (`render::sandbox`).
pub fn render<V: Serialize>(root: &Path, name: &str, view: &V) -> Result<String, Error> {
    use crate::render::sandbox;
    let school = school_pages(root)?;
    if !school.is_empty() && sandbox::available() {
        let bundle = sandbox::Bundle::new(sandbox::Set::Pages, school, crate::render::TEMPLATE_FUEL);
        if let Some(result) = sandbox::render(&bundle, name, view) {
            return result;
        }
        return render_with(&environment_from(bundle.texts())?, name, view);
    }
    render_with(&environment_from(&school)?, name, view)
}

/// Whether the school's page templates all parse: in the worker when there
/// is one (a page nested thousands deep is an error there, not a crash).
pub fn check_pages(school: Vec<(String, String)>) -> Result<(), Error> {
    use crate::render::sandbox;
    if school.is_empty() {
        return Ok(());
    }
    let bundle = sandbox::Bundle::new(sandbox::Set::Pages, school, crate::render::TEMPLATE_FUEL);
    match sandbox::check(&bundle) {
        Some(result) => result,
        None => environment_from(bundle.texts()).map(|_| ()),
    }
}

/// Renders a page in this process.
pub fn render_with<V: Serialize>(env: &Environment<'static>, name: &str, view: &V) -> Result<String, Error> {
    let tmpl = env.get_template(name).map_err(|e| template_error(&e))?;
    tmpl.render(Value::from(Serde(view))).map_err(|e| template_error(&e))
}

// ------------------------------------------------------------------ views

/// What the layout needs on every page.
#[derive(Serialize, Clone, Debug)]
pub struct Frame {
    pub title: String,
    pub school: String,
    /// The navigation entry of this page (`dashboard`, `register`, ...).
    pub nav: &'static str,
    pub today: String,
    pub readonly: bool,
    pub anonymise: bool,
    pub csrf: String,
    /// `senco.toml` no longer reads: its error, shown on every page.
    pub banner: Option<String>,
    /// Pupils whose folder could not be read at all.
    pub unreadable: Vec<String>,
}

/// A table cell: its text, and a link when it names something with a page.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub struct ColumnView {
    pub header: String,
    pub numeric: bool,
    /// The address that sorts by this column (sortable tables only).
    pub sort_href: Option<String>,
    /// `ascending` or `descending` when the table is sorted by it.
    pub sorted: Option<&'static str>,
}

#[derive(Serialize, Clone, Debug)]
pub struct SectionView {
    pub title: String,
    /// `fields`, `list` or `table`.
    pub kind: &'static str,
    pub fields: Vec<(String, String)>,
    pub items: Vec<String>,
    pub columns: Vec<ColumnView>,
    pub rows: Vec<Vec<Cell>>,
    pub empty: String,
}

#[derive(Serialize, Clone, Debug, Default)]
pub struct DocView {
    pub title: Option<String>,
    pub sections: Vec<SectionView>,
    pub notes: Vec<String>,
}

/// A query's document as a view. `link` gives a cell its link from the
/// section, column header and cell text.
pub fn doc_view(doc: &Document, link: &dyn Fn(&str, &str, &str) -> Option<String>) -> DocView {
    let sections = doc
        .sections
        .iter()
        .map(|s| {
            let mut v = SectionView {
                title: s.title.clone(),
                kind: "fields",
                fields: vec![],
                items: vec![],
                columns: vec![],
                rows: vec![],
                empty: String::new(),
            };
            match &s.block {
                Block::Fields(f) => v.fields = f.clone(),
                Block::List(items) => {
                    v.kind = "list";
                    v.items = items.clone();
                }
                Block::Table(t) => {
                    v.kind = "table";
                    v.empty = t.empty.clone();
                    v.columns = t
                        .columns
                        .iter()
                        .map(|c| ColumnView {
                            header: c.header.clone(),
                            numeric: c.align == Align::Right,
                            sort_href: None,
                            sorted: None,
                        })
                        .collect();
                    v.rows = t
                        .rows
                        .iter()
                        .map(|row| {
                            row.iter()
                                .zip(&t.columns)
                                .map(|(cell, col)| Cell { text: cell.clone(), href: link(&s.title, &col.header, cell) })
                                .collect()
                        })
                        .collect();
                }
            }
            v
        })
        .collect();
    DocView { title: doc.title.clone(), sections, notes: doc.notes.clone() }
}

/// Sorts a table's rows by one column: numbers as numbers, dates and text as
/// text, empty cells last; stable, so equal cells keep the query's order.
pub fn sort_rows(rows: &mut [Vec<Cell>], col: usize, descending: bool) {
    fn key(c: &Cell) -> (bool, Option<f64>, String) {
        let t = c.text.trim();
        let num = t.trim_end_matches('%').replace(',', "").parse::<f64>().ok();
        (t.is_empty() || t == "-", num, t.to_lowercase())
    }
    rows.sort_by(|a, b| {
        let (ka, kb) = (a.get(col).map(key), b.get(col).map(key));
        match (ka, kb) {
            (Some((ea, na, ta)), Some((eb, nb, tb))) => {
                if ea != eb {
                    return ea.cmp(&eb);
                }
                let ord = match (na, nb) {
                    (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
                    _ => ta.cmp(&tb),
                };
                if descending {
                    ord.reverse()
                } else {
                    ord
                }
            }
            _ => std::cmp::Ordering::Equal,
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(url_part("4B/x y"), "4B%2Fx%20y");
    }

    #[test]
    fn sorts_numbers_as_numbers_and_empty_last() {
        let cell = |t: &str| vec![Cell { text: t.into(), href: None }];
        let mut rows = vec![cell("10"), cell(""), cell("9"), cell("100")];
        sort_rows(&mut rows, 0, false);
        let order: Vec<&str> = rows.iter().map(|r| r[0].text.as_str()).collect();
        assert_eq!(order, ["9", "10", "100", ""]);
        sort_rows(&mut rows, 0, true);
        let order: Vec<&str> = rows.iter().map(|r| r[0].text.as_str()).collect();
        assert_eq!(order, ["100", "10", "9", ""]);
    }

    /// Every value a page prints has its UPN-shaped words hidden, escaped
    /// as before, safe values staying safe; numbers print as they did.
    #[test]
    fn pages_hide_a_upn_in_every_value_they_print() {
        let school = [(
            "t.html.j2".to_string(),
            "{{ a }}|{{ b|safe }}|{{ c }}|{{ n }}|{{ a ~ '' }}|{{ none }}|{{ 'Z999888777666' }}".to_string(),
        )];
        let env = environment_from(&school).unwrap();
        let view = serde_json::json!({
            "a": "<Ms A. Hall> A999888777666",
            "b": "<b>B999888777666</b>",
            "c": ["C999888777666"],
            "n": 2.5,
        });
        let out = render_with(&env, "t.html.j2", &view).unwrap();
        assert_eq!(
            out,
            "&lt;Ms A. Hall&gt; (UPN hidden)|<b>(UPN hidden)</b>|[&#x27;(UPN hidden)&#x27;]|2.5|\
             &lt;Ms A. Hall&gt; (UPN hidden)|None|(UPN hidden)"
        );
    }

    #[test]
    fn every_builtin_page_template_parses() {
        let dir = tempfile::tempdir().unwrap();
        let env = environment(dir.path()).unwrap();
        for (name, _) in BUILTIN {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }
}
