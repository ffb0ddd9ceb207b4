//! `senco caseload [STAFF]`: staff caseloads and weekly intervention time.

use super::{emit, Ctx};
use crate::cli::CaseloadArgs;
use crate::error::Error;
use crate::model::text;
use crate::query::{caseload, resolve_staff};

pub fn run(ctx: &Ctx, args: &CaseloadArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    if !(args.max_hours.is_finite() && args.max_hours >= 0.0) {
        return Err(Error::usage(
            format!("`--max-hours {}` is not a number of hours", args.max_hours),
            Some("give a number such as `25` or `22.5`".into()),
        ));
    }
    let repo = ctx.load()?;
    let only = match &args.staff {
        Some(s) => Some(text(&resolve_staff(&repo, s)?.id).unwrap_or(s).to_string()),
        None => None,
    };
    let report = caseload::query(&repo, ctx.today, args.max_hours, only.as_deref());
    let doc = match (&only, report.staff.first()) {
        (Some(_), Some(s)) => caseload::detail(&report, s, repo.settings.school.jurisdiction),
        _ => caseload::document(&report),
    };
    emit::emit(ctx, &args.out, &doc, &report)
}
