//! `senco export`: the whole repository as flat tables, for a trust's or
//! local authority's database or BI tool (docs/export.md).

use super::{eprint, Ctx};
use crate::cli::{ExportArgs, ExportFormat};
use crate::diag::render::escape_controls;
use crate::error::Error;
use crate::report::export;
use std::path::Path;

fn format(args: &ExportArgs) -> Result<ExportFormat, Error> {
    let ext = args.out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let named = match ext.as_deref() {
        Some("json") => Some(ExportFormat::Json),
        Some("sqlite" | "sqlite3" | "db") => Some(ExportFormat::Sqlite),
        Some("csv") => Some(ExportFormat::Csv),
        _ => None,
    };
    let word = |f: ExportFormat| match f {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
        ExportFormat::Sqlite => "sqlite",
    };
    match (args.format, named) {
        (Some(f), Some(n)) if f != n => Err(crate::output::contradiction(word(f), word(n), &args.out)),
        (Some(f), _) => Ok(f),
        (None, Some(ExportFormat::Csv)) => Err(Error::usage(
            format!("a CSV export is a folder of one file per table, not `{}`", args.out.display()),
            Some("add `--format csv` and name a folder, e.g. `senco export --format csv export`".into()),
        )),
        (None, Some(n)) => Ok(n),
        _ => Err(Error::usage(
            format!("cannot tell the export format from `{}`", args.out.display()),
            Some("add `--format csv` (OUT is a folder), `--format json` or `--format sqlite`".into()),
        )),
    }
}

/// Checks OUT before any work is done.
fn check_target(out: &Path, format: ExportFormat, force: bool) -> Result<(), Error> {
    let meta = match std::fs::metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, e)),
    };
    match format {
        ExportFormat::Csv if !meta.is_dir() => Err(Error::usage(
            format!("`{}` is a file; a CSV export is a folder of one file per table", out.display()),
            Some("name a new or empty folder".into()),
        )),
        ExportFormat::Csv => {
            let empty = std::fs::read_dir(out).map_err(|e| Error::io(out, e))?.next().is_none();
            if empty || force {
                Ok(())
            } else {
                Err(Error::usage(
                    format!("the folder `{}` is not empty; not writing into it", out.display()),
                    Some("add `--force` to replace its table files, or name a new or empty folder".into()),
                ))
            }
        }
        _ if meta.is_dir() => Err(Error::usage(
            format!("`{}` is a folder; a JSON or SQLite export is one file", out.display()),
            Some("name a file, e.g. `export.json` or `export.sqlite`".into()),
        )),
        _ if !force => Err(Error::usage(
            format!("`{}` already exists; not overwriting it", out.display()),
            Some("add `--force` to replace it, or choose another file name".into()),
        )),
        _ => Ok(()),
    }
}

pub fn run(ctx: &Ctx, args: &ExportArgs) -> Result<u8, Error> {
    let format = format(args)?;
    for (set, flag) in [(args.bom, "--bom"), (args.for_spreadsheet, "--for-spreadsheet")] {
        if set && format != ExportFormat::Csv {
            return Err(Error::usage(
                format!("`{flag}` applies to CSV exports only"),
                Some(format!("add `--format csv`, or drop `{flag}`")),
            ));
        }
    }
    check_target(&args.out, format, args.force)?;
    let repo = ctx.load()?;
    ctx.include_archive(&repo, false);
    ctx.warn_unreadable();
    let tables = export::tables(&repo, ctx.today);
    // A key used twice (or missing) would make the tables impossible to join
    // in a trust's database: refuse, naming every place, rather than write it.
    let problems = export::key_problems(&tables);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  {}", escape_controls(p))).collect();
        return Err(Error::usage(
            format!(
                "not exporting: {} row{} without a unique key:\n{}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                list.join("\n")
            ),
            Some("run `senco check` and fix the ids it reports (duplicate-id, missing-key), then export again".into()),
        ));
    }
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    match format {
        ExportFormat::Json => crate::edit::write_file(
            &args.out,
            export::to_json(&tables, repo.settings.school.key()).as_bytes(),
            args.force,
        )?,
        ExportFormat::Sqlite => {
            crate::edit::write_via_temp(&args.out, args.force, |tmp| export::to_sqlite(&tables, tmp))?
        }
        ExportFormat::Csv => {
            let files: Vec<(String, String)> = tables
                .iter()
                .map(|t| (format!("{}.csv", t.name), export::to_csv(t, args.bom, args.for_spreadsheet)))
                .collect();
            if args.out.exists() {
                for (name, text) in &files {
                    crate::edit::write_file(&args.out.join(name), text.as_bytes(), args.force)?;
                }
            } else {
                let refs: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
                crate::edit::create_dir_with(&args.out, &refs)?;
            }
        }
    }
    eprint(&format!("wrote `{}`: {} tables, {rows} rows\n", args.out.display(), tables.len()));
    if let Some(n) = std::num::NonZeroUsize::new(ctx.unreadable.borrow().len()) {
        eprint(&format!(
            "{n} pupil{} could not be read: the `unreadable` table names the files; see `senco check`\n",
            if n.get() == 1 { "" } else { "s" }
        ));
    }
    Ok(0)
}
