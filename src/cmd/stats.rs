//! `senco stats`: the register in numbers.

use super::{emit, Ctx};
use crate::cli::StatsArgs;
use crate::error::Error;
use crate::query::stats;

pub fn run(ctx: &Ctx, args: &StatsArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    let repo = ctx.load()?;
    let report = stats::query(&repo, ctx.today);
    emit::emit(ctx, &args.out, &stats::document(&report, repo.settings.school.jurisdiction), &report)
}
