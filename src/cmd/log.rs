//! `senco log`: append a dated entry to a pupil's log without touching a byte
//! of what is already there.

use super::upkeep::{done_message, guard_git};
use super::{eprint, Ctx};
use crate::cli::LogArgs;
use crate::edit::batch::Batch;
use crate::edit::log::{self, AppendError, NewEntry};
use crate::error::Error;
use crate::model::LogKind;

pub fn run(ctx: &Ctx, args: &LogArgs) -> Result<u8, Error> {
    let repo = ctx.load()?;
    let rec = repo.resolve_pupil(&args.id)?;
    // The entry goes in (the log is a file of its own), but the pupil is
    // missing from every list until their pupil.yaml reads: say so.
    if rec.pupil.is_none() {
        eprint(&format!(
            "warning: `{}` could not be read, so {} is missing from the lists until it is fixed (`senco check` shows why)\n",
            rec.file("pupil.yaml"),
            rec.dir
        ));
    }
    if rec.is_broken("log.yaml") {
        return Err(Error::usage(
            format!("`{}` could not be read, so nothing was added to it", rec.file("log.yaml")),
            Some("`senco check` shows what is wrong with it; fix it, then run `senco log` again".into()),
        ));
    }
    let kind =
        LogKind::parse(&args.kind).ok_or_else(|| Error::usage(format!("`{}` is not a log kind", args.kind), None))?;
    if args.summary.trim().is_empty() {
        return Err(Error::usage("the summary is empty", Some("say in a sentence what happened".into())));
    }
    let date = args.date.unwrap_or(ctx.today);
    if let Some(f) = args.follow_up.filter(|f| *f < date) {
        return Err(Error::usage(
            format!("the follow-up date {f} is before the entry's date {date}"),
            Some("give a follow-up date on or after the entry's date".into()),
        ));
    }
    let rel = rec.file("log.yaml");
    // The bounded reader: a FIFO, a huge file or a link outside is refused.
    let old =
        match crate::repo::read::read_record(&repo.root, &rel, repo.settings.limits) {
            Ok(Some(bytes)) => Some(String::from_utf8(bytes).map_err(|_| {
                Error::usage(format!("`{rel}` is not UTF-8 text"), Some("`senco check` says more".into()))
            })?),
            Ok(None) => None,
            Err(f) => {
                return Err(Error::usage(
                    format!("`{rel}`: {}, so nothing was added to it", f.message),
                    Some("`senco check` says more".into()),
                ))
            }
        };
    let name = rec.pupil.as_ref().map(|p| p.display_name()).unwrap_or_else(|| rec.dir.clone());
    let base = old.clone().unwrap_or_else(|| log::new_file_header(&name));
    let entry = NewEntry { date, kind, with: &args.with, summary: &args.summary, follow_up: args.follow_up };
    let new = log::append(&base, &entry).map_err(|e| match e {
        AppendError::Shape => Error::usage(
            format!("`{rel}` is written as a flow list (`[...]`), so senco cannot append to it safely"),
            Some("write its entries as a block list, each starting with `- date:` on its own line".into()),
        ),
        AppendError::ReadBack(why) => Error::usage(
            format!("the entry would not read back from `{rel}` ({why}); nothing was written"),
            Some("this is a bug in senco: please report it with the command you ran (names removed)".into()),
        ),
    })?;
    let mut batch = Batch::new(&repo.root);
    match old {
        Some(old) => batch.change(rel.clone(), old, new),
        None => batch.create(rel.clone(), new),
    }
    guard_git(&repo.root, &batch, &args.safety)?;
    let done = batch.apply()?;
    let follow = args.follow_up.map(|f| format!("; follow up by {f}")).unwrap_or_default();
    eprint(&format!(
        "{}{} logged for {} on {date}{follow}\n",
        done_message(&done),
        kind.as_str(),
        super::shown(&rec.dir)
    ));
    Ok(0)
}
