//! `senco archive` and `senco restore`, and what every records-upkeep
//! command shares: the git check before writing and the message after.

use super::{eprint, print, shown, Ctx};
use crate::cli::{ArchiveArgs, RestoreArgs, SafetyArgs};
use crate::edit::batch::{Batch, Done};
use crate::edit::{git, upkeep};
use crate::error::Error;
use crate::repo::Repo;
use std::path::Path;

/// Warns about (or with `--require-clean` refuses) files to be changed that
/// have uncommitted changes in git.
pub fn guard_git(root: &Path, batch: &Batch, safety: &SafetyArgs) -> Result<(), Error> {
    let dirty = git::uncommitted(root, &batch.paths());
    if dirty.is_empty() {
        return Ok(());
    }
    let list = dirty.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n");
    if safety.require_clean {
        return Err(Error::usage(
            format!("these files have uncommitted changes, and --require-clean was given; nothing was changed:\n{list}"),
            Some("commit them first (`git add` and `git commit`), so this command's changes can be reviewed with `git diff` and undone".into()),
        ));
    }
    eprint(&format!(
        "warning: these files have uncommitted changes; after this command `git diff` shows them mixed with its own:\n{list}\n"
    ));
    Ok(())
}

/// "created / changed / moved" lines, one per path.
pub fn done_message(done: &Done) -> String {
    let mut out = String::new();
    for p in &done.created {
        out.push_str(&format!("created {}\n", shown(p)));
    }
    for p in &done.changed {
        out.push_str(&format!("changed {}\n", shown(p)));
    }
    for (from, to) in &done.moved {
        out.push_str(&format!("moved   {}/ -> {}/\n", shown(from), shown(to)));
    }
    for w in &done.warnings {
        out.push_str(w);
        out.push('\n');
    }
    out
}

pub fn archive(ctx: &Ctx, args: &ArchiveArgs) -> Result<u8, Error> {
    let repo = ctx.load()?;
    if args.due_for_deletion {
        print(&due_for_deletion(&repo, ctx))?;
        return Ok(0);
    }
    if let Some(left) = args.left.filter(|l| *l > ctx.today && !args.force) {
        return Err(Error::usage(
            format!("`--left {left}` is after today ({}): the pupil is still on roll until then", ctx.today),
            Some(format!("archive on or after {left}, or add `--force` to archive now with the leaving date {left}")),
        ));
    }
    let (Some(id), Some(left)) = (&args.id, args.left) else {
        return Err(Error::usage(
            "archive needs a pupil id and --left DATE",
            Some("e.g. `senco archive ava-brown --left 2027-07-21`".into()),
        ));
    };
    let rec = repo.resolve_pupil(id)?;
    let mut batch = Batch::new(&repo.root);
    batch.set_command("archive");
    upkeep::plan_archive(&mut batch, &repo.root, rec, left, args.destination.as_deref(), repo.settings.limits)?;
    guard_git(&repo.root, &batch, &args.safety)?;
    let done = batch.apply()?;
    eprint(&format!(
        "{}archived {} (left {left}); `senco restore {}` undoes this\n",
        done_message(&done),
        shown(&rec.dir),
        shown(&rec.dir)
    ));
    Ok(0)
}

pub fn restore(ctx: &Ctx, args: &RestoreArgs) -> Result<u8, Error> {
    let repo = ctx.load()?;
    let rec = repo.resolve_archived(&args.id)?;
    let mut batch = Batch::new(&repo.root);
    batch.set_command("restore");
    upkeep::plan_restore(&mut batch, &repo.root, rec, repo.settings.limits)?;
    guard_git(&repo.root, &batch, &args.safety)?;
    let done = batch.apply()?;
    eprint(&format!("{}restored {} to the roll\n", done_message(&done), shown(&rec.dir)));
    Ok(0)
}

/// Archived records past date of birth + `jurisdiction.retention_years`.
fn due_for_deletion(repo: &Repo, ctx: &Ctx) -> String {
    let years = repo.settings.jurisdiction.retention_years;
    let mut due = Vec::new();
    let mut unknown = Vec::new();
    for rec in &repo.archived {
        let pupil = rec.pupil.as_ref();
        match pupil.and_then(|p| p.date_of_birth.as_ref()) {
            Some(dob) => {
                let until = crate::rules::dates::add_years(dob.value, years);
                if until < ctx.today {
                    let left =
                        pupil.and_then(|p| p.left.as_ref()).map_or("not recorded".to_string(), |l| l.value.to_string());
                    due.push(format!("{:<24} born {}  left {:<12}  keep until {until}\n", rec.dir, dob.value, left));
                }
            }
            None => unknown.push(rec.dir.clone()),
        }
    }
    let mut out = format!(
        "{} archived record(s) past their retention date (date of birth + {years} years, jurisdiction.retention_years; ENG-RETAIN):\n",
        due.len()
    );
    for line in &due {
        out.push_str("  ");
        out.push_str(line);
    }
    if !unknown.is_empty() {
        out.push_str(&format!(
            "{} archived record(s) with no readable date_of_birth, so their retention date is unknown: {}\n",
            unknown.len(),
            unknown.join(", ")
        ));
    }
    if !due.is_empty() {
        out.push_str("senco never deletes records: destroy them securely by your school's policy, then `git rm -r archive/ID`.\n");
    }
    out
}
