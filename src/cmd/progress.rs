//! `senco progress ID`: one pupil's results and target ratings over time.

use super::{emit, Ctx};
use crate::cli::ProgressArgs;
use crate::error::Error;
use crate::report::progress;

pub fn run(ctx: &Ctx, args: &ProgressArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    let repo = ctx.load()?;
    let rec = repo.resolve_pupil(&args.id)?;
    let report = progress::progress(rec, ctx.today);
    emit::emit(&args.out, &progress::document(&report), &report)
}
