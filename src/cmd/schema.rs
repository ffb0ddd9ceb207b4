//! `senco schema [KIND] [--out DIR] [--modelines] [--list]`: the JSON Schemas
//! of the record files and senco.toml, for editors (docs/schema.md).

use super::{eprint, print, Ctx};
use crate::cli::SchemaArgs;
use crate::edit::{self, batch::Batch};
use crate::error::Error;
use crate::model::schema::{Kind, FOLDER};
use crate::repo::schema as files;
use std::path::{Path, PathBuf};

pub fn run(ctx: &Ctx, args: &SchemaArgs) -> Result<u8, Error> {
    if args.list {
        let width = Kind::ALL.iter().map(|k| k.name().len()).max().unwrap_or(0);
        let fw = Kind::ALL.iter().map(|k| k.file_name().len()).max().unwrap_or(0);
        let mut out = String::new();
        for k in Kind::ALL {
            out.push_str(&format!("{:width$}  {FOLDER}/{:fw$}  {}\n", k.name(), k.file_name(), k.files()));
        }
        print(&out)?;
        return Ok(0);
    }
    if let Some(name) = &args.kind {
        let kind = Kind::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            let hint = match crate::repo::decode::suggest(name, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? the kinds are {}", crate::repo::decode::list(&names)),
                None => format!("the kinds are {}", crate::repo::decode::list(&names)),
            };
            Error::usage(format!("`{name}` is not a kind of record file"), Some(hint))
        })?;
        let text = files::files().into_iter().find(|(f, _)| *f == kind.file_name()).map(|(_, t)| t);
        print(&text.unwrap_or_default())?;
        return Ok(0);
    }
    // With `--out`, a folder outside any repository is fine; inside one, the
    // files go through the repository's writer.
    let root = match &args.out {
        Some(_) if !args.modelines => ctx.root().ok(),
        _ => Some(ctx.root()?),
    };
    let dir: PathBuf = match (&args.out, &root) {
        (Some(d), _) => d.clone(),
        (None, Some(r)) => r.join(FOLDER),
        (None, None) => PathBuf::from(FOLDER),
    };
    let (written, unchanged) = write_schemas(root.as_deref(), &dir)?;
    let mut msg = match written.len() {
        0 => format!("the {} schemas in `{}` are up to date\n", unchanged, dir.display()),
        n => format!("wrote {n} schema(s) to `{}` ({unchanged} already up to date):\n", dir.display()),
    };
    for name in &written {
        msg.push_str(&format!("  {name}\n"));
    }
    if let Some(root) = &root {
        if args.modelines {
            msg.push_str(&modelines(ctx, root)?);
        }
    }
    if !args.modelines {
        msg.push_str(
            "editors find a record's schema from its first line (`senco schema --modelines` adds it to every file); \
             see docs/schema.md\n",
        );
    }
    eprint(&msg);
    Ok(0)
}

/// Writes the schema files into `dir`; returns (written, unchanged). Inside
/// the repository they go through the journaled writer, like every change
/// to it; elsewhere each file is written atomically.
fn write_schemas(root: Option<&Path>, dir: &Path) -> Result<(Vec<&'static str>, usize), Error> {
    let mut changed = Vec::new();
    let mut unchanged = 0;
    for (name, text) in files::files() {
        match std::fs::read(dir.join(name)) {
            Ok(old) if old == text.as_bytes() => unchanged += 1,
            Ok(old) => changed.push((name, Some(old), text)),
            Err(_) => changed.push((name, None, text)),
        }
    }
    if changed.is_empty() {
        return Ok((Vec::new(), unchanged));
    }
    let inside = root.and_then(|r| {
        let r = std::fs::canonicalize(r).ok()?;
        edit::create_dirs(dir).ok()?;
        let d = std::fs::canonicalize(dir).ok()?;
        let rel = d.strip_prefix(&r).ok()?.to_string_lossy().replace('\\', "/");
        Some((r, rel))
    });
    match inside {
        Some((root, rel)) => {
            let mut batch = Batch::new(&root);
            batch.set_command("schema");
            for (name, old, text) in &changed {
                let path = if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") };
                match old {
                    Some(old) => batch.change(path, old.clone(), text.as_bytes()),
                    None => batch.create(path, text.as_bytes()),
                }
            }
            batch.apply()?;
        }
        None => {
            edit::create_dirs(dir)?;
            for (name, _, text) in &changed {
                edit::write_file(&dir.join(name), text.as_bytes(), true)?;
            }
        }
    }
    Ok((changed.into_iter().map(|(n, _, _)| n).collect(), unchanged))
}

/// Puts the schema line first in every record file (and `#:schema` in
/// senco.toml) that lacks it, all or nothing. Files with errors are left
/// alone: the writer refuses a change it cannot read back as before.
fn modelines(ctx: &Ctx, root: &Path) -> Result<String, Error> {
    let repo = ctx.load()?;
    let mut paths: Vec<&str> = repo.files.iter().map(|f| f.path.as_str()).collect();
    if !paths.contains(&crate::repo::SETTINGS_FILE) {
        paths.push(crate::repo::SETTINGS_FILE);
    }
    for rec in repo.pupils.iter().chain(&repo.archived) {
        paths.extend(rec.files.iter().map(|f| f.path.as_str()));
    }
    paths.sort_unstable();
    paths.dedup();
    let mut batch = Batch::new(root);
    batch.set_command("schema --modelines");
    let mut skipped = Vec::new();
    let limits = repo.settings.limits;
    for rel in paths {
        if Kind::of_path(rel).is_none() {
            continue;
        }
        let Ok(Some(bytes)) = crate::repo::read::read_record(root, rel, limits) else { continue };
        let Ok(text) = String::from_utf8(bytes.clone()) else { continue };
        let new = files::with_modeline(rel, &text);
        if new == text {
            continue;
        }
        let has_errors =
            crate::repo::decode_text(rel, &text).iter().any(|f| f.severity == crate::diag::Severity::Error);
        if has_errors {
            skipped.push(rel.to_string());
            continue;
        }
        batch.change(rel, bytes, new.into_bytes());
    }
    let mut msg = String::new();
    if batch.ops.is_empty() {
        msg.push_str("every record file already starts with its schema line\n");
    } else {
        let done = batch.apply()?;
        msg.push_str(&format!("added the schema line to {} file(s)\n", done.changed.len()));
        for w in done.warnings {
            msg.push_str(&format!("warning: {w}\n"));
        }
    }
    if !skipped.is_empty() {
        msg.push_str(&format!(
            "left {} file(s) with errors as they are (fix them, then run this again): {}\n",
            skipped.len(),
            skipped.join(", ")
        ));
    }
    Ok(msg)
}
