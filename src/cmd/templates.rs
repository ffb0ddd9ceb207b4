//! `senco templates list|export`: which templates a repository uses, and a
//! copy of the built-in ones for a school to customise.

use super::{eprint, print, Ctx};
use crate::cli::TemplatesCommand;
use crate::edit;
use crate::error::Error;
use crate::render::{Origin, Templates, BUILTIN, TEMPLATE_DIR};

pub fn run(ctx: &Ctx, cmd: &TemplatesCommand) -> Result<u8, Error> {
    match cmd {
        TemplatesCommand::List => {
            let root = ctx.root()?;
            let t = Templates::load(&root)?;
            let width = t.list.iter().map(|i| i.name.len()).max().unwrap_or(0);
            let mut out = String::new();
            for info in &t.list {
                let origin = match &info.origin {
                    Origin::BuiltIn => "built in".to_string(),
                    Origin::Overridden(p) => format!("overridden by {}", p.display()),
                    Origin::School(p) => format!("school's own, {}", p.display()),
                };
                out.push_str(&format!("{:width$}  {origin}\n", info.name));
            }
            // `senco serve`'s pages: the built-ins, and the school's files over them.
            let pages = crate::web::html::school_pages(&root)?;
            let mut rows: Vec<(String, String)> = crate::web::html::BUILTIN
                .iter()
                .map(|(n, _)| {
                    let origin = if pages.iter().any(|(p, _)| p == n) {
                        format!("overridden by {}/{n}", crate::web::html::WEB_TEMPLATE_DIR)
                    } else {
                        "built in".to_string()
                    };
                    ((*n).to_string(), origin)
                })
                .collect();
            for (n, _) in &pages {
                if !rows.iter().any(|(r, _)| r == n) {
                    rows.push((n.clone(), format!("school's own, {}/{n}", crate::web::html::WEB_TEMPLATE_DIR)));
                }
            }
            rows.sort();
            let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
            out.push_str(&format!("\nthe pages of `senco serve` ({}/):\n", crate::web::html::WEB_TEMPLATE_DIR));
            for (n, origin) in &rows {
                out.push_str(&format!("{n:width$}  {origin}\n"));
            }
            crate::web::html::check_pages(pages)?;
            print(&out)?;
            Ok(0)
        }
        TemplatesCommand::Export { dir } => {
            let existing: Vec<String> = BUILTIN
                .iter()
                .map(|(n, _)| dir.join(n))
                .filter(|p| p.exists())
                .map(|p| p.display().to_string())
                .collect();
            if let Some(first) = existing.first() {
                return Err(Error::usage(
                    format!("{} template file(s) already exist, e.g. `{first}`; not overwriting them", existing.len()),
                    Some("export into an empty folder and copy over only the templates you mean to change".into()),
                ));
            }
            edit::create_dirs(dir)?;
            for (name, text) in BUILTIN {
                edit::write_file(&dir.join(name), text.as_bytes(), false)?;
            }
            eprint(&format!(
                "wrote {} templates to {}\nto override one, put your edited copy in the records repository's {TEMPLATE_DIR}/ folder under the same name\n",
                BUILTIN.len(),
                dir.display()
            ));
            Ok(0)
        }
    }
}
