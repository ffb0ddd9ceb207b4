//! `senco training`: staff training held and what lapses.

use super::{emit, Ctx};
use crate::cli::TrainingArgs;
use crate::error::Error;
use crate::query::training;

pub fn run(ctx: &Ctx, args: &TrainingArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    let repo = ctx.load()?;
    let report = training::query(&repo, ctx.today, args.expiring.unwrap_or(60), args.expiring.is_some());
    emit::emit(ctx, &args.out, &training::document(&report), &report)
}
