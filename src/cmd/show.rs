//! `senco show ID`: one pupil on one screen.

use super::{emit, Ctx};
use crate::cli::ShowArgs;
use crate::error::Error;
use crate::query::show;

pub fn run(ctx: &Ctx, args: &ShowArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    let repo = ctx.load()?;
    let rec = if args.archived { repo.resolve_archived(&args.id)? } else { repo.resolve_pupil(&args.id)? };
    ctx.only_pupil(rec);
    let Some(report) = show::query(&repo, rec, ctx.today, args.show_upn) else {
        return Err(Error::usage(
            format!("`{}/pupil.yaml` could not be read", rec.rel),
            Some("run `senco check` to see what is wrong with it".into()),
        ));
    };
    let mut doc = show::document(&report, repo.settings.school.jurisdiction);
    doc.show_upn = args.show_upn;
    emit::emit(ctx, &args.out, &doc, &report)
}
