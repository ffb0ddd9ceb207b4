//! `senco compliance`: every rule outcome per pupil, as data.

use super::{emit, Ctx};
use crate::cli::{ComplianceArgs, ComplianceStatus};
use crate::error::Error;
use crate::query::compliance::{self, Options};
use crate::query::PupilFilter;
use crate::rules::eval::Status;

pub fn run(ctx: &Ctx, args: &ComplianceArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    let repo = ctx.load()?;
    let juris = repo.settings.school.jurisdiction;
    let codes: Vec<&str> = crate::rules::pack(juris).iter().map(|r| r.code).collect();
    let mut rules = Vec::new();
    for code in &args.rule {
        let want = code.trim().to_ascii_uppercase();
        if codes.contains(&want.as_str()) {
            rules.push(want);
            continue;
        }
        let hint = match crate::rules::rule(&want) {
            Some(r) => format!(
                "`{}` belongs to the {} pack; this school's rules are listed by `senco rules`",
                r.code,
                r.jurisdiction.as_str()
            ),
            None => match crate::repo::decode::suggest(&want, codes.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? `senco rules` lists this school's rules"),
                None => "`senco rules` lists this school's rules".to_string(),
            },
        };
        return Err(Error::usage(format!("`{code}` is not a rule of the {} pack", juris.as_str()), Some(hint)));
    }
    let pupil = match &args.id {
        None => None,
        Some(id) => {
            let rec = match repo.resolve_pupil(id) {
                Ok(rec) => rec,
                Err(e) => repo.resolve_archived(id).map_err(|_| e)?,
            };
            ctx.only_pupil(rec);
            ctx.need_readable(rec)?;
            Some(rec.dir.clone())
        }
    };
    let statuses = args.status.iter().map(|s| status(*s)).collect();
    let filter = PupilFilter::new(&repo.settings, &args.level, &args.groups.year, &args.groups.class)?;
    let rows = compliance::query(&repo, ctx.today, &Options { pupil, rules, statuses, filter });
    let doc = compliance::document(&rows);
    emit::emit(ctx, &args.out, &doc, &compliance::report(&repo, ctx.today, rows))
}

fn status(s: ComplianceStatus) -> Status {
    match s {
        ComplianceStatus::Met => Status::Met,
        ComplianceStatus::Due => Status::Due,
        ComplianceStatus::Overdue => Status::Overdue,
        ComplianceStatus::NotMet => Status::NotMet,
        ComplianceStatus::NotRecorded => Status::NotRecorded,
        ComplianceStatus::NotApplicable => Status::NotApplicable,
    }
}
