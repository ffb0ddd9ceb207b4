//! Writing a query's result: to stdout, or atomically to `-o FILE`, in the
//! format asked for (src/output.rs does the rendering).

use super::{eprint, print};
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
        }
    }
}

/// Checks the output options before any work is done.
pub fn format(out: &OutputArgs) -> Result<Format, Error> {
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
    if out.output.is_some() || !std::io::stdout().is_terminal() {
        return Layout { width: None };
    }
    let width = terminal_size::terminal_size()
        .map(|(w, _)| w.0)
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .unwrap_or(100);
    Layout { width: Some(width) }
}

/// Renders and writes to stdout or, atomically, to `-o FILE`.
pub fn emit<T: Serialize>(out: &OutputArgs, doc: &Document, json: &T) -> Result<u8, Error> {
    let format = format(out)?;
    let text = output::render(format, doc, json, layout(out), out.bom);
    match &out.output {
        Some(path) => {
            crate::edit::write_file(path, text.as_bytes(), out.force)?;
            eprint(&format!("wrote `{}`\n", path.display()));
        }
        None => print(&text)?,
    }
    Ok(0)
}
