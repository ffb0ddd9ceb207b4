//! Writing a query's result: to stdout, or atomically to `-o FILE`, in the
//! format asked for (src/output.rs does the rendering).

use super::{eprint, print, Ctx};
use crate::cli::{OutputArgs, QueryFormat};
use crate::error::Error;
use crate::output::{self, Document, Format, Layout};
use serde::Serialize;
use std::io::IsTerminal;

impl From<QueryFormat> for Format {
    fn from(f: QueryFormat) -> Format {
        match f {
            QueryFormat::Table => Format::Table,
            QueryFormat::Json => Format::Json,
            QueryFormat::Csv => Format::Csv,
            QueryFormat::Markdown => Format::Markdown,
            // Never reached: `format` refuses HTML, and the commands with an
            // HTML page ask `wants_html` first.
            QueryFormat::Html => Format::Table,
        }
    }
}

/// Whether a file name asks for an HTML page.
fn html_file(path: Option<&std::path::Path>) -> bool {
    path.and_then(|p| p.extension()).is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Whether the output asked for is an HTML page: `--format html`, or `-o`
/// with a `.html` file and no `--format`.
pub fn wants_html(out: &OutputArgs) -> bool {
    match out.format {
        Some(f) => f == QueryFormat::Html,
        None => html_file(out.output.as_deref()),
    }
}

/// Checks the output options of a command with an HTML page, before any work.
pub fn check_html(out: &OutputArgs) -> Result<(), Error> {
    if let Some(path) = out.output.as_deref() {
        if let Some(named) = Format::from_path(path) {
            return Err(output::contradiction("html", named.name(), path));
        }
    }
    if out.bom {
        return Err(Error::usage("`--bom` applies to CSV output only", Some("drop `--bom`".into())));
    }
    if let Some(path) = out.output.as_ref().filter(|p| p.exists() && !out.force) {
        return Err(Error::usage(
            format!("`{}` already exists; not overwriting it", path.display()),
            Some("add `--force` to replace it, or choose another file name".into()),
        ));
    }
    Ok(())
}

/// Writes an HTML page to stdout or, atomically, to `-o FILE`; a note at the
/// top names the pupils who could not be read.
pub fn emit_html(ctx: &Ctx, out: &OutputArgs, html: &str) -> Result<u8, Error> {
    ctx.warn_unreadable();
    let noted;
    let html = match output::unreadable_note(&ctx.unreadable.borrow()) {
        Some(note) => {
            noted = output::prepend_document_note(html, &note, true);
            noted.as_str()
        }
        None => html,
    };
    match &out.output {
        Some(path) => {
            crate::edit::write_file(path, html.as_bytes(), out.force)?;
            eprint(&format!("wrote `{}`\n", path.display()));
        }
        None => print(html)?,
    }
    Ok(0)
}

/// Checks the output options before any work is done.
pub fn format(out: &OutputArgs) -> Result<Format, Error> {
    if let (Some(f), true) = (out.format.filter(|f| *f != QueryFormat::Html), html_file(out.output.as_deref())) {
        let path = out.output.as_deref().unwrap_or(std::path::Path::new(""));
        return Err(output::contradiction(Format::from(f).name(), "html", path));
    }
    if wants_html(out) {
        return Err(Error::usage(
            "this command has no HTML output",
            Some("`senco impact` and `senco progress` have `--format html`; documents come from `senco render`".into()),
        ));
    }
    let format = output::choose(out.format.map(Format::from), out.output.as_deref())?;
    if out.bom && format != Format::Csv {
        return Err(Error::usage(
            "`--bom` applies to CSV output only",
            Some("add `--format csv`, or drop `--bom`".into()),
        ));
    }
    if let Some(path) = &out.output {
        if path.exists() && !out.force {
            return Err(Error::usage(
                format!("`{}` already exists; not overwriting it", path.display()),
                Some("add `--force` to replace it, or choose another file name".into()),
            ));
        }
    }
    Ok(format)
}

/// Terminal tables wrap to the terminal's width; anything else (pipes,
/// files) gets unwrapped tables, so output is stable.
fn layout(out: &OutputArgs) -> Layout {
    layout_for(out.output.is_some())
}

/// The layout of output written to a file (`to_file`), else to stdout:
/// the terminal's width on a terminal, unwrapped otherwise.
pub fn layout_for(to_file: bool) -> Layout {
    if to_file || !std::io::stdout().is_terminal() {
        return Layout { width: None };
    }
    let width = terminal_size::terminal_size()
        .map(|(w, _)| w.0)
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .unwrap_or(100);
    Layout { width: Some(width) }
}

/// Renders and writes to stdout or, atomically, to `-o FILE`. Pupils who
/// could not be read are named on stderr and noted in the output, in every
/// format (`output::render_with_unreadable`).
pub fn emit<T: Serialize>(ctx: &Ctx, out: &OutputArgs, doc: &Document, json: &T) -> Result<u8, Error> {
    let format = format(out)?;
    ctx.warn_unreadable();
    let text = output::render_with_unreadable(format, doc, json, layout(out), out.bom, &ctx.unreadable.borrow());
    match &out.output {
        Some(path) => {
            crate::edit::write_file(path, text.as_bytes(), out.force)?;
            eprint(&format!("wrote `{}`\n", path.display()));
        }
        None => print(&text)?,
    }
    Ok(0)
}
