//! `senco census`: England's school census SEN return. Exit 1 when a pupil
//! cannot be coded, so a data manager never uploads a guess.

use super::{emit, Ctx};
use crate::cli::{CensusArgs, CensusTerm};
use crate::error::Error;
use crate::model::settings::Jurisdiction;
use crate::output::Format;
use crate::report::census;

pub fn run(ctx: &Ctx, args: &CensusArgs) -> Result<u8, Error> {
    let format = emit::format(&args.out)?;
    let repo = ctx.load()?;
    let juris = repo.settings.school.jurisdiction;
    if juris != Jurisdiction::England {
        return Err(Error::usage(
            format!(
                "`senco census` makes England's school census SEN return; this repository's jurisdiction is `{}`",
                juris.as_str()
            ),
            Some("use `senco stats` for counts by level and need, or `senco export` for every record".into()),
        ));
    }
    let term = args.term.map(|t| match t {
        CensusTerm::Autumn => census::Term::Autumn,
        CensusTerm::Spring => census::Term::Spring,
        CensusTerm::Summer => census::Term::Summer,
    });
    // The census days of the current academic year unless --year names another.
    let year = args.year.unwrap_or_else(|| census::academic_year(ctx.today));
    let date = match term {
        Some(t) => census::census_day(t, year),
        None => args.date.unwrap_or(ctx.today),
    };
    let report = census::census(&repo, date, term, ctx.today, args.show_upn);
    let doc = census::document(&report, args.show_upn, format == Format::Csv, repo.settings.school.jurisdiction);
    emit::emit(ctx, &args.out, &doc, &report)?;
    if report.errors > 0 {
        super::eprint(&format!(
            "error: {} pupil(s) cannot be coded for the census (see the `error` column); \
             fix their needs.yaml as that column says\n",
            report.errors
        ));
    }
    Ok(u8::from(report.errors > 0))
}
