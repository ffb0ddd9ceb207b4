//! The output layer shared by every query (`list`, `review-due`, `stats`,
//! `show`, `caseload`): one [`Document`] of titled sections, rendered as a
//! terminal table, CSV or Markdown; JSON comes from each query's own
//! serialisable report (the documented contract in docs/queries.md).
//!
//! Rendering is pure: it returns text. `cmd` decides whether it goes to
//! stdout or, atomically, to a file (`edit::write_file`).

use crate::error::Error;
use crate::repo::Unreadable;
use comfy_table::{CellAlignment, ContentArrangement, LineStyle, TableStyle};
use serde::Serialize;
use std::path::Path;

/// The output formats of every query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

/// `--format A` with `-o FILE` whose extension says B: which one was meant
/// cannot be guessed, and writing either would leave a misnamed file.
pub fn contradiction(asked: &str, named: &str, path: &Path) -> Error {
    let ext = match asked {
        "table" => "txt",
        "markdown" => "md",
        other => other,
    };
    Error::usage(
        format!("`--format {asked}` contradicts the file name `{}`, which asks for {named}", path.display()),
        Some(format!("drop `--format` to write {named}, or name the file `.{ext}` to write {asked}")),
    )
}

impl Format {
    /// The name `--format` knows it by.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }

    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

/// How to lay out a terminal table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Wrap cells to this many columns; `None` never wraps (stable output
    /// for pipes and files).
    pub width: Option<u16>,
}

/// Left for text, right for numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One column of a table: its header and alignment.
#[derive(Clone, Debug)]
pub struct Column {
    pub header: String,
    pub align: Align,
}

impl Column {
    pub fn left(header: &str) -> Column {
        Column { header: header.to_string(), align: Align::Left }
    }
    pub fn right(header: &str) -> Column {
        Column { header: header.to_string(), align: Align::Right }
    }
}

/// A table of text cells; every row has one cell per column.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Shown instead of an empty table in the `table` format.
    pub empty: String,
}

impl Table {
    pub fn new(columns: Vec<Column>, empty: &str) -> Table {
        Table { columns, rows: Vec::new(), empty: empty.to_string() }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// The content of one section.
#[derive(Clone, Debug)]
pub enum Block {
    /// `label: value` lines.
    Fields(Vec<(String, String)>),
    /// A bulleted list.
    List(Vec<String>),
    Table(Table),
}

#[derive(Clone, Debug)]
pub struct Section {
    /// Empty for an untitled section (a query that is one table).
    pub title: String,
    pub block: Block,
}

/// What a query shows: sections in order.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Printed first in `table` and `markdown` (e.g. the pupil's name); not in CSV.
    pub title: Option<String>,
    pub sections: Vec<Section>,
    /// Printed last in `table` and `markdown` (e.g. how over-allocation is defined).
    pub notes: Vec<String>,
    /// The user asked for UPNs (`--show-upn`): otherwise every word shaped
    /// like one, in any cell, field, note or JSON value, is shown as
    /// `(UPN hidden)` (`diag::render::hide_upn_words`).
    pub show_upn: bool,
}

impl Document {
    /// A document that is just one table.
    pub fn table(table: Table) -> Document {
        Document {
            title: None,
            sections: vec![Section { title: String::new(), block: Block::Table(table) }],
            notes: vec![],
            show_upn: false,
        }
    }

    pub fn section(&mut self, title: &str, block: Block) {
        self.sections.push(Section { title: title.to_string(), block });
    }

    /// The document with every word shaped like a UPN hidden, in every
    /// text it holds: cells are hidden before a table is laid out, so its
    /// columns stay aligned.
    pub fn without_upns(&self) -> Document {
        let hide = |s: &String| crate::diag::render::hide_upn_words(s).into_owned();
        let sections = self
            .sections
            .iter()
            .map(|s| Section {
                title: hide(&s.title),
                block: match &s.block {
                    Block::Fields(f) => Block::Fields(f.iter().map(|(k, v)| (hide(k), hide(v))).collect()),
                    Block::List(items) => Block::List(items.iter().map(hide).collect()),
                    Block::Table(t) => Block::Table(Table {
                        columns: t.columns.clone(),
                        rows: t.rows.iter().map(|r| r.iter().map(hide).collect()).collect(),
                        empty: t.empty.clone(),
                    }),
                },
            })
            .collect();
        Document {
            title: self.title.as_ref().map(hide),
            sections,
            notes: self.notes.iter().map(hide).collect(),
            show_upn: false,
        }
    }
}

// ------------------------------------------------------ unreadable pupils

/// How many names the note lists before "and N more".
const NOTE_NAMES: usize = 10;

/// The note for a query whose pupils could not all be read, e.g. "1 pupil
/// could not be read (ava-brown): see `senco check`"; `None` when all were.
pub fn unreadable_note(list: &[Unreadable]) -> Option<String> {
    unreadable_count(list).map(|n| format!("{n} and may be missing here: see `senco check`"))
}

/// For `render class C` finding nobody in the class: "1 pupil could not be
/// read (leah-ford) and may be in it: see `senco check`".
pub fn unreadable_class_note(list: &[Unreadable]) -> Option<String> {
    unreadable_count(list).map(|n| format!("{n} and may be in it: see `senco check`"))
}

/// "1 pupil could not be read (ava-brown)", at most ten ids then "and N more".
fn unreadable_count(list: &[Unreadable]) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    let mut names: Vec<String> =
        list.iter().take(NOTE_NAMES).map(|u| crate::diag::render::escape_controls(&u.pupil).into_owned()).collect();
    if list.len() > NOTE_NAMES {
        names.push(format!("and {} more", list.len() - NOTE_NAMES));
    }
    let n = if list.len() == 1 { "1 pupil".to_string() } else { format!("{} pupils", list.len()) };
    Some(format!("{n} could not be read ({})", names.join(", ")))
}

/// The same, in plain words for documents given to parents and local
/// authorities: no ids, file names or commands.
pub fn unreadable_document_note(list: &[Unreadable], one_pupil: bool) -> Option<String> {
    match list.len() {
        0 => None,
        _ if one_pupil => {
            Some("Part of this pupil's records could not be read, so this document may be incomplete.".into())
        }
        1 => Some("The records of 1 pupil could not be read, so this document may be incomplete.".into()),
        n => Some(format!("The records of {n} pupils could not be read, so this document may be incomplete.")),
    }
}

/// One line on stderr per unreadable pupil, naming the pupil and the files.
pub fn unreadable_lines(list: &[Unreadable]) -> String {
    let mut out = String::new();
    for u in list {
        let files: Vec<String> =
            u.files.iter().map(|f| format!("`{}`", crate::diag::render::escape_controls(f))).collect();
        out.push_str(&format!(
            "warning: pupil `{}` could not be read ({}), so they are missing from this output; see `senco check`\n",
            crate::diag::render::escape_controls(&u.pupil),
            files.join(", ")
        ));
    }
    out
}

/// A query's JSON report with the `unreadable` list added at the end (only
/// when some pupils could not be read; docs/json.md).
#[derive(Serialize)]
struct WithUnreadable<'a, T: Serialize> {
    #[serde(flatten)]
    report: &'a T,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    unreadable: &'a [Unreadable],
}

/// Like `render`, saying in every format which pupils could not be read: a
/// note after a table or Markdown document, a last row in CSV, an
/// `unreadable` field in JSON. Words shaped like a UPN are hidden unless the
/// document says the user asked for them (`Document::show_upn`).
pub fn render_with_unreadable<T: Serialize>(
    format: Format,
    doc: &Document,
    json: &T,
    layout: Layout,
    bom: bool,
    unreadable: &[Unreadable],
) -> String {
    if doc.show_upn {
        return render_noted(format, doc, json, layout, bom, unreadable);
    }
    // Cells first (so a table's columns stay aligned), then the whole text:
    // the JSON, which comes from the query's own report, and the note.
    let text = render_noted(format, &doc.without_upns(), json, layout, bom, unreadable);
    match crate::diag::render::hide_upn_words(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(hidden) => hidden,
    }
}

fn render_noted<T: Serialize>(
    format: Format,
    doc: &Document,
    json: &T,
    layout: Layout,
    bom: bool,
    unreadable: &[Unreadable],
) -> String {
    let Some(note) = unreadable_note(unreadable) else { return render(format, doc, json, layout, bom) };
    match format {
        Format::Json => to_json(&WithUnreadable { report: json, unreadable }),
        Format::Csv => {
            let mut out = render(format, doc, json, layout, bom);
            match doc.sections.as_slice() {
                [Section { title, block: Block::Table(t) }] if title.is_empty() => {
                    let mut row = vec![note.as_str()];
                    row.resize(t.columns.len().max(1), "");
                    csv_row(&mut out, &row);
                }
                _ => csv_row(&mut out, &["notes", "", "", &note]),
            }
            out
        }
        _ => {
            let mut doc = doc.clone();
            doc.notes.push(note);
            render(format, &doc, json, layout, bom)
        }
    }
}

/// A query's CSV as `--format csv` writes it (no byte-order mark), with the
/// last row naming the pupils who could not be read: what `senco serve`'s
/// downloads answer, byte for byte the command's.
pub fn csv_with_unreadable(doc: &Document, unreadable: &[Unreadable]) -> String {
    render_with_unreadable(Format::Csv, doc, &(), Layout { width: None }, false, unreadable)
}

/// Puts a note at the top of a rendered document (HTML: after `<body>`; Markdown: a first paragraph).
pub fn prepend_document_note(text: &str, note: &str, html: bool) -> String {
    if !html {
        return format!("> **Note:** {}\n\n{text}", md_cell(note));
    }
    let para = format!("<p class=\"senco-unreadable\" role=\"note\"><strong>Note:</strong> {}</p>\n", html_text(note));
    match text.find("<body").and_then(|i| text[i..].find('>').map(|j| i + j + 1)) {
        Some(at) => format!("{}\n{para}{}", &text[..at], &text[at..]),
        None => format!("{para}{text}"),
    }
}

fn html_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Renders a query: `json` for JSON, else the document in the chosen format.
pub fn render<T: Serialize>(format: Format, doc: &Document, json: &T, layout: Layout, bom: bool) -> String {
    match format {
        Format::Json => to_json(json),
        Format::Table => table_text(doc, layout),
        Format::Markdown => markdown(doc),
        Format::Csv => {
            let body = csv(doc);
            if bom {
                format!("\u{FEFF}{body}")
            } else {
                body
            }
        }
    }
}

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Our reports are plain structs of strings and numbers; this cannot fail.
        Err(e) => format!("{{\"error\": \"{e}\"}}\n"),
    }
}

// ------------------------------------------------------------------ table

/// Header underlined, columns separated by spaces: readable and diff-stable.
const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' '));

fn comfy(t: &Table, layout: Layout) -> String {
    let mut ct = comfy_table::Table::new();
    ct.load_style(STYLE);
    match layout.width {
        Some(w) => {
            ct.set_content_arrangement(ContentArrangement::Dynamic);
            ct.set_width(w);
        }
        None => {
            ct.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    ct.set_header(t.columns.iter().map(|c| c.header.as_str()));
    for row in &t.rows {
        // One line per row: a line break in a value (a folder name) is shown
        // as `\n`, so a cell never passes for the start of another row.
        ct.add_row(row.iter().map(|c| crate::diag::render::escape_controls(c).into_owned()));
    }
    for (i, c) in t.columns.iter().enumerate() {
        if let Some(col) = ct.column_mut(i) {
            col.set_padding((0, 1));
            if c.align == Align::Right {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    // comfy pads every line to the table's width; trailing spaces make noisy diffs.
    let mut out = String::new();
    for line in ct.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The human-readable format: sections with underlined titles.
pub fn table_text(doc: &Document, layout: Layout) -> String {
    let mut out = String::new();
    if let Some(title) = &doc.title {
        let title = terminal(title);
        out.push_str(&title);
        out.push('\n');
        out.push_str(&"=".repeat(title.chars().count()));
        out.push_str("\n\n");
    }
    for (i, s) in doc.sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !s.title.is_empty() {
            out.push_str(&s.title);
            out.push('\n');
        }
        match &s.block {
            Block::Fields(fields) => {
                let w = fields.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
                for (k, v) in fields {
                    let v = terminal(v);
                    out.push_str(format!("  {k:<w$}  {v}").trim_end());
                    out.push('\n');
                }
            }
            Block::List(items) => {
                if items.is_empty() {
                    out.push_str("  (none)\n");
                }
                for item in items {
                    out.push_str(&format!("  - {}\n", terminal(item)));
                }
            }
            Block::Table(t) if t.rows.is_empty() => {
                out.push_str(if s.title.is_empty() { "" } else { "  " });
                out.push_str(&t.empty);
                out.push('\n');
            }
            Block::Table(t) => out.push_str(&comfy(t, layout)),
        }
    }
    if !doc.notes.is_empty() {
        out.push('\n');
        for n in &doc.notes {
            out.push_str(&terminal(n));
            out.push('\n');
        }
    }
    out
}

/// Record text for a terminal: control characters (ESC, ...) shown as
/// escapes, line breaks kept.
fn terminal(s: &str) -> String {
    crate::diag::render::escape_controls_keep_lines(s).into_owned()
}

// --------------------------------------------------------------- markdown

fn md_cell(s: &str) -> String {
    terminal(s).replace('\\', "\\\\").replace('|', "\\|").replace("\r\n", "<br>").replace('\n', "<br>")
}

fn md_table(out: &mut String, t: &Table) {
    if t.rows.is_empty() {
        out.push_str(&format!("_{}_\n", t.empty));
        return;
    }
    let head: Vec<String> = t.columns.iter().map(|c| md_cell(&c.header)).collect();
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    let rule: Vec<&str> = t.columns.iter().map(|c| if c.align == Align::Right { "---:" } else { "---" }).collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
}

/// GitHub-flavoured Markdown: `#` title, `##` sections, pipe tables.
pub fn markdown(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(title) = &doc.title {
        out.push_str(&format!("# {}\n\n", md_cell(title)));
    }
    for (i, s) in doc.sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !s.title.is_empty() {
            out.push_str(&format!("## {}\n\n", md_cell(&s.title)));
        }
        match &s.block {
            Block::Fields(fields) => {
                for (k, v) in fields {
                    out.push_str(&format!("- **{}:** {}\n", md_cell(k), md_cell(v)));
                }
            }
            Block::List(items) => {
                if items.is_empty() {
                    out.push_str("_None._\n");
                }
                for item in items {
                    out.push_str(&format!("- {}\n", md_cell(item)));
                }
            }
            Block::Table(t) => md_table(&mut out, t),
        }
    }
    if !doc.notes.is_empty() {
        out.push('\n');
        for n in &doc.notes {
            out.push_str(&format!("{}\n", md_cell(n)));
        }
    }
    out
}

// -------------------------------------------------------------------- CSV

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a
/// leading tab or carriage return) gets a leading apostrophe, so opening an
/// export never executes record text. Plain numbers such as `-3` are left
/// alone: they are data, not formulas.
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// One CSV field, quoted per RFC 4180 when it holds a comma, quote or line break.
pub fn csv_field(cell: &str) -> String {
    let cell = neutralise(&terminal(cell));
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

fn csv_row(out: &mut String, cells: &[&str]) {
    let fields: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// RFC 4180 CSV (CRLF line ends). A document that is one untitled table is
/// that table; anything else is flattened to `section,item,field,value` rows,
/// where `item` numbers a table's rows or a list's items (empty for fields).
pub fn csv(doc: &Document) -> String {
    let mut out = String::new();
    if let [Section { title, block: Block::Table(t) }] = doc.sections.as_slice() {
        if title.is_empty() {
            let head: Vec<&str> = t.columns.iter().map(|c| c.header.as_str()).collect();
            csv_row(&mut out, &head);
            for row in &t.rows {
                let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                csv_row(&mut out, &cells);
            }
            return out;
        }
    }
    csv_row(&mut out, &["section", "item", "field", "value"]);
    for s in &doc.sections {
        match &s.block {
            Block::Fields(fields) => {
                for (k, v) in fields {
                    csv_row(&mut out, &[&s.title, "", k, v]);
                }
            }
            Block::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    csv_row(&mut out, &[&s.title, &(i + 1).to_string(), "", item]);
                }
            }
            Block::Table(t) => {
                for (i, row) in t.rows.iter().enumerate() {
                    let item = (i + 1).to_string();
                    for (c, cell) in t.columns.iter().zip(row) {
                        csv_row(&mut out, &[&s.title, &item, &c.header, cell]);
                    }
                }
            }
        }
    }
    out
}

/// Resolves `--format` and `-o FILE` into the format to write: an explicit
/// `--format` (refused when the file's extension names another format);
/// else the file's extension; else `table`.
pub fn choose(format: Option<Format>, file: Option<&Path>) -> Result<Format, Error> {
    if let Some(f) = format {
        if let Some(path) = file {
            let named = Format::from_path(path).map(Format::name).or_else(|| {
                let ext = path.extension()?.to_str()?.to_ascii_lowercase();
                matches!(ext.as_str(), "html" | "htm").then_some("html")
            });
            if let Some(named) = named.filter(|n| *n != f.name()) {
                return Err(contradiction(f.name(), named, path));
            }
        }
        return Ok(f);
    }
    let Some(path) = file else { return Ok(Format::Table) };
    Format::from_path(path).ok_or_else(|| {
        Error::usage(
            format!("cannot tell the output format from the file name `{}`", path.display()),
            Some("name the file `.json`, `.csv`, `.md` or `.txt`, or add `--format json|csv|markdown|table`".into()),
        )
    })
}

/// Rounds money for display: two decimals.
pub fn money(x: f64) -> String {
    format!("{x:.2}")
}

/// A number without a needless `.0`: `5`, `2.5`.
pub fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A share as a percentage with one decimal: `41.2`.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upns_in_any_cell_or_json_value_are_hidden_unless_asked_and_columns_stay_aligned() {
        let mut t = Table::new(vec![Column::left("pupil"), Column::left("note"), Column::left("due")], "None.");
        t.push(vec!["ava".into(), "UPN A123456789012 from the letter".into(), "2026".into()]);
        t.push(vec!["ben".into(), "x".into(), "2027".into()]);
        let mut doc = Document::table(t);
        doc.notes.push("B12345678901C".into());
        let json = serde_json::json!({"note": "one\nA123456789012"});
        let layout = Layout { width: None };
        for f in [Format::Table, Format::Json, Format::Csv, Format::Markdown] {
            let out = render_with_unreadable(f, &doc, &json, layout, false, &[]);
            assert!(!out.contains("A123456789012") && !out.contains("B12345678901C"), "{f:?}: {out}");
            assert!(out.contains(crate::diag::render::UPN_HIDDEN), "{f:?}: {out}");
        }
        let table = render_with_unreadable(Format::Table, &doc, &json, layout, false, &[]);
        let header = table.lines().next().unwrap();
        let due = header.find("due");
        assert!(due.is_some() && table.lines().nth(2).unwrap().find("2026") == due, "{table}");
        assert_eq!(table.lines().nth(3).unwrap().find("2027"), due, "{table}");
        doc.show_upn = true;
        for f in [Format::Table, Format::Json, Format::Csv, Format::Markdown] {
            let out = render_with_unreadable(f, &doc, &json, layout, false, &[]);
            assert!(out.contains("A123456789012"), "{f:?}: {out}");
        }
    }

    fn sample() -> Table {
        let mut t = Table::new(vec![Column::left("name"), Column::right("days")], "nothing");
        t.push(vec!["=SUM(A1)".into(), "-3".into()]);
        t.push(vec!["Smith, \"Jo\"\nline".into(), "4".into()]);
        t
    }

    #[test]
    fn csv_quotes_and_neutralises() {
        let out = csv(&Document::table(sample()));
        assert_eq!(out, "name,days\r\n'=SUM(A1),-3\r\n\"Smith, \"\"Jo\"\"\nline\",4\r\n");
    }

    #[test]
    fn neutralise_keeps_numbers() {
        assert_eq!(neutralise("-12"), "-12");
        assert_eq!(neutralise("+44 7700"), "'+44 7700");
        assert_eq!(neutralise("@me"), "'@me");
        assert_eq!(neutralise("-"), "'-");
        assert_eq!(neutralise("plain"), "plain");
    }

    #[test]
    fn markdown_escapes_pipes_and_aligns_numbers() {
        let mut t = sample();
        t.rows[0][0] = "a|b".into();
        let out = markdown(&Document::table(t));
        assert!(out.contains("| name | days |\n| --- | ---: |\n| a\\|b | -3 |\n"), "{out}");
        assert!(out.contains("Smith, \"Jo\"<br>line"), "{out}");
    }

    #[test]
    fn table_is_plain_without_width() {
        let out = table_text(&Document::table(sample()), Layout { width: None });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "name               days");
        assert!(lines[1].starts_with("-----"), "{out}");
        assert!(!out.lines().any(|l| l.ends_with(' ')));
        // A line break in a cell is shown, not followed: one line per row.
        assert_eq!(lines[3], "Smith, \"Jo\"\\nline     4", "{out}");
        assert_eq!(lines.len(), 4, "{out}");
    }

    #[test]
    fn terminal_tables_wrap_to_the_width() {
        let mut t = Table::new(vec![Column::left("id"), Column::left("detail")], "none");
        t.push(vec!["a".into(), "word ".repeat(40)]);
        let out = table_text(&Document::table(t), Layout { width: Some(40) });
        assert!(out.lines().count() > 3, "{out}");
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
    }

    #[test]
    fn multi_section_csv_is_long_form() {
        let mut d = Document::default();
        d.section("Profile", Block::Fields(vec![("Name".into(), "Ava".into())]));
        d.section("Targets", Block::Table(sample()));
        let out = csv(&d);
        assert!(
            out.starts_with(
                "section,item,field,value\r\nProfile,,Name,Ava\r\nTargets,1,name,'=SUM(A1)\r\nTargets,1,days,-3\r\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(choose(None, Some(Path::new("a.CSV"))).unwrap(), Format::Csv);
        assert_eq!(choose(None, Some(Path::new("a.md"))).unwrap(), Format::Markdown);
        let e = choose(Some(Format::Json), Some(Path::new("a.md"))).unwrap_err().to_string();
        assert!(e.contains("`--format json` contradicts the file name `a.md`"), "{e}");
        assert!(choose(Some(Format::Csv), Some(Path::new("a.html"))).is_err());
        assert_eq!(choose(Some(Format::Markdown), Some(Path::new("a.MD"))).unwrap(), Format::Markdown);
        // An extension that names no format leaves `--format` to decide.
        assert_eq!(choose(Some(Format::Csv), Some(Path::new("a.tsv"))).unwrap(), Format::Csv);
        assert!(choose(None, Some(Path::new("a.xlsx"))).is_err());
        assert_eq!(choose(None, None).unwrap(), Format::Table);
    }

    #[test]
    fn numbers_render_plainly() {
        assert_eq!(num(5.0), "5");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(money(3.456), "3.46");
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(1, 0), 0.0);
    }
}
