//! `senco delivery`: provision planned against provision delivered.

use super::{emit, Ctx};
use crate::cli::DeliveryArgs;
use crate::error::Error;
use crate::query::delivery::{self, Options};

pub fn run(ctx: &Ctx, args: &DeliveryArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    let repo = ctx.load()?;
    let pupil = match &args.pupil {
        Some(p) => Some(repo.resolve_pupil(p)?.dir.clone()),
        None => None,
    };
    let opts = Options { term: args.term.clone(), pupil, provision: args.provision.clone() };
    let report = delivery::query(&repo, ctx.today, &opts).map_err(|why| {
        Error::usage(why, Some("see `[calendar]` in docs/format.md: terms are what delivery is counted over".into()))
    })?;
    if let Some(note) = delivery::unread_note(&report.unread_files) {
        super::eprint(&format!("warning: {note}\n"));
    }
    emit::emit(ctx, &args.out, &delivery::document(&report), &report)
}
