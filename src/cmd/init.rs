//! `senco init [DIR]`: create a new records repository.

use super::{eprint, Ctx};
use crate::cli::{InitArgs, JurisdictionArg};
use crate::edit::{self, scaffold};
use crate::error::Error;
use crate::model::settings::Jurisdiction;
use std::path::PathBuf;

pub fn run(ctx: &Ctx, args: &InitArgs) -> Result<u8, Error> {
    let dir = args.dir.clone().or_else(|| ctx.repo_arg.clone()).unwrap_or_else(|| PathBuf::from("."));
    let jurisdiction = match args.jurisdiction {
        JurisdictionArg::England => Jurisdiction::England,
        JurisdictionArg::Wales => Jurisdiction::Wales,
        JurisdictionArg::UsIdea => Jurisdiction::UsIdea,
    };
    if let Ok(root) = crate::repo::find_root(&dir) {
        return Err(Error::usage(
            format!(
                "`{}` is already inside a records repository (`{}`)",
                dir.display(),
                root.join("senco.toml").display()
            ),
            Some("senco init never overwrites a repository; choose another folder".into()),
        ));
    }
    // Record files start with the line that points editors at their schema,
    // and the schemas are committed with the records (docs/schema.md).
    let modeline = crate::repo::schema::with_modeline;
    let mut files: Vec<(String, String)> = vec![
        ("senco.toml".into(), modeline("senco.toml", &scaffold::settings(&args.name, jurisdiction, ctx.today))),
        ("staff.yaml".into(), modeline("staff.yaml", scaffold::STAFF)),
        ("catalogue.yaml".into(), modeline("catalogue.yaml", scaffold::CATALOGUE)),
        ("pupils/.gitkeep".into(), String::new()),
        (".gitignore".into(), scaffold::GITIGNORE.into()),
        (".github/workflows/senco.yml".into(), scaffold::WORKFLOW.into()),
    ];
    for (name, text) in crate::repo::schema::files() {
        files.push((format!("{}/{name}", crate::model::schema::FOLDER), text));
    }
    let existing: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).filter(|p| dir.join(p).exists()).collect();
    if !existing.is_empty() {
        return Err(Error::usage(
            format!("`{}` already has {}", dir.display(), crate::repo::decode::list(&existing)),
            Some("senco init never overwrites files; move them away or choose another folder".into()),
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    // senco.toml goes last: until it exists, the folder is not a repository.
    for (rel, content) in files.iter().rev() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        edit::write_file(&path, content.as_bytes(), false)?;
    }
    let mut msg = format!("created a records repository in `{}`:\n", dir.display());
    for (rel, _) in files.iter().filter(|(rel, _)| !rel.starts_with("schemas/")) {
        msg.push_str(&format!("  created {rel}\n"));
    }
    msg.push_str(&format!(
        "  created {}/ (JSON Schemas: editors complete keys and flag mistakes as you type; see senco's docs/schema.md)\n",
        crate::model::schema::FOLDER
    ));
    msg.push_str(
        "next: name your SENCO in senco.toml, add staff.yaml and catalogue.yaml entries, then `senco new-pupil`\n\
         privacy: these records are personal data about children. Keep the repository private, on a service the \
         school controls (the school's own GitHub or GitLab organisation, or a server in its IT estate), and give \
         access only to staff who need it; anyone who can clone it has every record. Write outputs into `out/` \
         (ignored by git). Set SENCO_GIT and SENCO_TAG in .github/workflows/senco.yml to where your school gets \
         senco.\n",
    );
    eprint(&msg);
    Ok(0)
}
