//! `senco new-pupil`: create a pupil's folder, all files at once or none.

use super::{eprint, Ctx};
use crate::check::valid_id;
use crate::cli::NewPupilArgs;
use crate::edit::{self, scaffold};
use crate::error::Error;
use crate::model::Level;
use crate::repo::decode::list;

pub fn run(ctx: &Ctx, args: &NewPupilArgs) -> Result<u8, Error> {
    let root = ctx.root()?;
    let settings_text = std::fs::read_to_string(root.join("senco.toml")).map_err(|e| Error::io(&root, e))?;
    let settings = crate::model::Settings::parse(&settings_text).map_err(|e| Error::settings(&settings_text, &e))?;
    if !valid_id(&args.id) {
        return Err(Error::usage(
            format!("`{}` is not a valid pupil id", args.id),
            Some(
                "ids are 3-64 lowercase letters, digits and `-`, starting with a letter, e.g. `ava-brown`; never a UPN"
                    .into(),
            ),
        ));
    }
    let juris = settings.school.jurisdiction;
    let allowed: Vec<&str> = juris.levels().iter().map(|l| l.as_str()).collect();
    let level = Level::parse(&args.level).filter(|l| juris.levels().contains(l)).ok_or_else(|| {
        Error::usage(
            format!("`{}` is not a support level of {}", args.level, juris.as_str()),
            Some(format!("use one of {}", list(&allowed))),
        )
    })?;
    if level.statutory() && args.plan_issued.is_none() {
        return Err(Error::usage(
            format!("level `{level}` is a statutory plan and needs the date it was issued"),
            Some("add `--plan-issued YYYY-MM-DD`".into()),
        ));
    }
    for folder in ["pupils", "archive"] {
        if root.join(folder).join(&args.id).exists() {
            return Err(Error::usage(
                format!("a pupil with id `{}` already exists in {folder}/", args.id),
                Some("choose another id, e.g. add a number: `ava-brown-2`".into()),
            ));
        }
    }
    let files = scaffold::pupil_files(&scaffold::NewPupil {
        id: &args.id,
        first: &args.first,
        last: &args.last,
        dob: args.dob,
        year: args.year,
        level,
        class: args.class.as_deref(),
        plan_issued: args.plan_issued,
        today: ctx.today,
    });
    let target = root.join("pupils").join(&args.id);
    edit::create_dir_with(&target, &files)?;
    let mut msg = format!("created pupils/{}/:\n", args.id);
    for (rel, _) in &files {
        msg.push_str(&format!("  created pupils/{}/{rel}\n", args.id));
    }
    eprint(&msg);
    Ok(0)
}
