//! `senco review-due`: what needs action, by date.

use super::{emit, Ctx};
use crate::cli::{DueKind, ReviewDueArgs};
use crate::error::Error;
use crate::query::review_due::{self, Options};
use crate::query::PupilFilter;
use clap::ValueEnum;

pub fn run(ctx: &Ctx, args: &ReviewDueArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    let repo = ctx.load()?;
    let within = i64::from(args.within.unwrap_or(repo.settings.reviews.warn_days));
    let kinds = args.kind.iter().filter_map(|k| kind_name(*k)).collect();
    let filter = PupilFilter::new(&repo.settings, &args.level, &args.groups.year, &args.groups.class)?;
    if let Some(note) = filter.nobody_note(&repo) {
        super::eprint(&note);
    }
    let items = review_due::query(&repo, ctx.today, &Options { within, filter, kinds });
    let doc = review_due::document(&items, within, repo.settings.school.jurisdiction);
    let code = emit::emit(ctx, &args.out, &doc, &review_due::report(ctx.today, items))?;
    // A list of what is due that silently misses a pupil is worse than none.
    if ctx.incomplete() && !args.partial {
        super::eprint(
            "error: review-due is incomplete because some pupils could not be read (exit 1)\n  = hint: fix the files `senco check` reports, or add `--partial` to accept an incomplete list\n",
        );
        return Ok(1);
    }
    Ok(code)
}

fn kind_name(k: DueKind) -> Option<String> {
    k.to_possible_value().map(|v| v.get_name().to_string())
}
