//! `senco rollover`: move the records to the next academic year. Every pupil
//! on roll goes up a year group, `[calendar]` moves to the new year, leavers
//! are listed (and with `--archive-leavers` archived), all or nothing.

use super::upkeep::{done_message, guard_git};
use super::{eprint, print, shown, Ctx};
use crate::cli::RolloverArgs;
use crate::edit::upkeep::{plan_rollover_with_classes, NewCalendar, NewDate, Rollover};
use crate::error::Error;
use crate::model::settings::Term;
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// How close to the end of the year a rollover may run without `--force`.
const EARLY_DAYS: u64 = 42;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TermsFile {
    terms: Vec<Term>,
    /// The new year's closures, shaped as in senco.toml (optional).
    #[serde(default)]
    closures: Option<Vec<crate::model::settings::Closure>>,
}

fn read_terms(path: &Path) -> Result<TermsFile, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let file: TermsFile = toml::from_str(&text).map_err(|e| {
        Error::usage(
            format!("`{}` is not a terms file: {}", path.display(), e.message().trim().replace('\n', " ")),
            Some("write `terms = [ { name = \"Autumn\", start = 2027-09-01, end = 2027-12-17 }, ... ]`, as in senco.toml".into()),
        )
    })?;
    for t in &file.terms {
        if t.end < t.start {
            return Err(Error::usage(
                format!("in `{}`, term `{}` ends on {} before it starts on {}", path.display(), t.name, t.end, t.start),
                Some("one of the two dates is mistyped".into()),
            ));
        }
    }
    Ok(file)
}

/// `--classes FILE`: `OLD = "NEW"` lines (a TOML table of strings).
fn read_classes(path: &Path) -> Result<std::collections::BTreeMap<String, String>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let map: std::collections::BTreeMap<String, String> = toml::from_str(&text).map_err(|e| {
        Error::usage(
            format!("`{}` is not a classes file: {}", path.display(), e.message().trim().replace('\n', " ")),
            Some("write one line per class, old name = \"new name\", e.g. `3S = \"4S\"`".into()),
        )
    })?;
    // Names pasted from elsewhere lose what cannot be seen at their ends (a
    // byte-order mark, a zero-width space, a trailing space), as new-pupil's do.
    let clean = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || c.is_control() || crate::edit::scaffold::invisible(c)).to_string()
    };
    let map: std::collections::BTreeMap<String, String> = map.iter().map(|(k, v)| (clean(k), clean(v))).collect();
    if let Some((k, _)) = map.iter().find(|(k, v)| k.is_empty() || v.is_empty()) {
        return Err(Error::usage(
            format!("`{}` maps the class `{k}` to an empty name", path.display()),
            Some("give every class its new name, e.g. `3S = \"4S\"`".into()),
        ));
    }
    Ok(map)
}

fn date_line(what: &str, d: NewDate) -> String {
    let flag = if d.guessed { "   <- the old date + 52 weeks: confirm it" } else { "" };
    format!("  {what:<11}{}{flag}\n", d.date)
}

fn summary(plan: &Rollover, old_start: NaiveDate, old_end: NaiveDate, last: Option<i64>) -> String {
    let c = &plan.calendar;
    let mut s = format!(
        "rollover: from the year {old_start} to {old_end}, to the year {} to {}\n",
        c.year_start.date, c.year_end.date
    );
    s.push_str("calendar in senco.toml:\n");
    s.push_str(&date_line("year_start", c.year_start));
    s.push_str(&date_line("year_end", c.year_end));
    for t in &c.terms {
        let flag = if c.terms_guessed { "   <- the old dates + 52 weeks: confirm them" } else { "" };
        s.push_str(&format!("  {:<11}{} to {}{flag}\n", t.name, t.start, t.end));
    }
    if !c.closures.is_empty() || c.closures_dropped > 0 {
        let flag = if c.closures_guessed {
            "   <- the old dates + 52 weeks: confirm them (bank holidays at Easter move more)"
        } else {
            ""
        };
        s.push_str(&format!("  {:<11}{} closure(s){flag}\n", "closures", c.closures.len()));
        if c.closures_dropped > 0 {
            s.push_str(&format!(
                "  ({} closure(s) fall outside the new year once moved, and were not carried over)\n",
                c.closures_dropped
            ));
        }
    }
    s.push_str(&format!("  the year {} to {} is kept as [[calendar.past]] in senco.toml\n", old_start, old_end));
    if plan.terms_rewritten {
        s.push_str("  (the number of terms changed, so the `terms` list was written afresh: comments inside it were not kept)\n");
    }
    s.push_str(&format!("{} pupil(s) move up a year group:\n", plan.promoted.len()));
    for p in &plan.promoted {
        s.push_str(&format!("  {:<24} {} -> {}\n", shown(&p.id), p.from, p.to));
    }
    if !plan.renamed_classes.is_empty() {
        s.push_str("classes renamed (--classes):\n");
        for (from, to, n) in &plan.renamed_classes {
            s.push_str(&format!("  {} -> {} ({n} pupil(s))\n", shown(from), shown(to)));
        }
    }
    if !plan.stale_classes.is_empty() {
        s.push_str("classes named after the old year group, NOT renamed (their pupils have moved up):\n");
        for (class, year, n) in &plan.stale_classes {
            s.push_str(&format!("  {} ({n} pupil(s), was year {year})\n", shown(class)));
        }
        s.push_str(
            "  rename them in the same change with `--classes FILE`, one line per class, e.g. `3S = \"4S\"`; \
             or edit `class:` in each pupil.yaml afterwards\n",
        );
    }
    match (&plan.leavers, last) {
        (Some(leavers), Some(last)) => {
            let what = if plan.archived {
                format!("archived to archive/ with `left: {old_end}`")
            } else {
                "stay on roll; archive each with `senco archive ID --left DATE`, or run rollover with --archive-leavers".into()
            };
            s.push_str(&format!("{} leaver(s) in year {last} (school.last_year_group): {what}\n", leavers.len()));
            for (id, _) in leavers {
                s.push_str(&format!("  {}\n", shown(id)));
            }
        }
        _ => s.push_str(
            "no leavers: school.last_year_group is not set in senco.toml, so nobody is treated as leaving; every pupil moves up\n",
        ),
    }
    if c.year_start.guessed
        || c.year_end.guessed
        || (c.terms_guessed && !c.terms.is_empty())
        || (c.closures_guessed && !c.closures.is_empty())
    {
        s.push_str("check the dates marked `confirm` against the school's published term dates, and correct them in senco.toml\n");
    }
    s
}

pub fn run(ctx: &Ctx, args: &RolloverArgs) -> Result<u8, Error> {
    let repo = ctx.load()?;
    let Some(old) = repo.settings.calendar.clone() else {
        return Err(Error::usage(
            "senco.toml has no [calendar], so there is no academic year to move on from",
            Some("add [calendar] with year_start, year_end and terms for the current year (docs/format.md)".into()),
        ));
    };
    if ctx.today < old.year_start {
        return Err(Error::usage(
            format!(
                "the calendar in senco.toml is already for the year starting {}, which has not begun (today is {}): the records have been rolled over to it",
                old.year_start, ctx.today
            ),
            Some("rollover runs once a year, at the end of the year; `git log -- senco.toml` shows when it last ran".into()),
        ));
    }
    let file = args.terms.as_deref().map(read_terms).transpose()?;
    let (terms, closures) = file.map_or((None, None), |f| (Some(f.terms), f.closures));
    let mut new = NewCalendar::from(&old, args.year_start, args.year_end, terms);
    if let Some(closures) = closures {
        new = new.with_closures(closures);
    }
    if new.year_start.date <= old.year_end {
        return Err(Error::usage(
            format!(
                "the new year must start after the current one ends ({}), but --year-start is {}",
                old.year_end, new.year_start.date
            ),
            Some(
                "if this is the year already in senco.toml, the rollover has been done; otherwise check --year-start"
                    .into(),
            ),
        ));
    }
    if new.year_end.date <= new.year_start.date {
        return Err(Error::usage(
            format!("the new year ends on {} but starts on {}", new.year_end.date, new.year_start.date),
            Some("check --year-start and --year-end".into()),
        ));
    }
    let last_date = new.terms.iter().map(|t| t.end.max(t.start)).chain([new.year_end.date]).max();
    if let Some(d) = last_date.filter(|d| d.year() > 9999) {
        return Err(Error::usage(
            format!("the new academic year would run to {d}, past 9999-12-31, the last date senco.toml can hold"),
            Some("give the new year's dates with --year-start, --year-end and --terms".into()),
        ));
    }
    let earliest = old.year_end.checked_sub_days(chrono::Days::new(EARLY_DAYS)).unwrap_or(old.year_end);
    let early = ctx.today < earliest;
    if early && !args.force && !args.dry_run {
        return Err(Error::usage(
            format!(
                "the current academic year runs until {}; rollover is for its end (from {earliest}), and today is {}",
                old.year_end, ctx.today
            ),
            Some("preview it with --dry-run; if you really mean to roll over now, add --force".into()),
        ));
    }
    let last = repo.settings.school.last_year_group;
    let classes = args.classes.as_deref().map(read_classes).transpose()?.unwrap_or_default();
    let plan = plan_rollover_with_classes(&repo, new, args.archive_leavers, &classes)?;
    let summary = summary(&plan, old.year_start, old.year_end, last);
    if args.dry_run {
        print(&plan.batch.diff())?;
        let mut note = summary;
        if early && !args.force {
            note.push_str(&format!("note: a real run before {earliest} is refused without --force\n"));
        }
        note.push_str("dry run: nothing was written\n");
        eprint(&note);
        return Ok(0);
    }
    guard_git(&repo.root, &plan.batch, &args.safety)?;
    let done = plan.batch.apply()?;
    eprint(&format!("{}{summary}", done_message(&done)));
    Ok(0)
}
