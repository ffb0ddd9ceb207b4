//! `senco access`: the register of exam access arrangements.

use super::{emit, Ctx};
use crate::cli::AccessArgs;
use crate::error::Error;
use crate::query::access;

pub fn run(ctx: &Ctx, args: &AccessArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    if args.expiring.is_some_and(|d| d < 0) {
        return Err(Error::usage(
            "`--expiring` takes a number of days, 0 or more",
            Some("e.g. `senco access --expiring 60`".into()),
        ));
    }
    let repo = ctx.load()?;
    let window = args.expiring.unwrap_or(access::DEFAULT_WINDOW);
    let report = access::query(&repo, ctx.today, window, args.expiring.is_some());
    emit::emit(ctx, &args.out, &access::document(&report, repo.settings.school.jurisdiction), &report)
}
