//! Queries: records in, rows out. Each query returns a serialisable report
//! (its JSON contract, docs/queries.md) and a [`Document`](crate::output::Document)
//! for the table, CSV and Markdown formats. Nothing here prints.

pub mod access;
pub mod caseload;
pub mod compliance;
pub mod delivery;
pub mod register;
pub mod review_due;
pub mod roster;
pub mod show;
pub mod stats;
pub mod training;

use crate::error::Error;
use crate::model::settings::Jurisdiction;
use crate::model::{text, val, Area, Intervention, Level, Need, Pupil, Settings, Staff};
use crate::repo::decode::{list, suggest};
use crate::repo::{PupilRecord, Repo};
use chrono::NaiveDate;

/// JSON format version of every query report.
pub const VERSION: u32 = 1;

/// Filters shared by `list` and `review-due`: a pupil passes when every given
/// filter matches (AND); repeating a filter, or giving a comma-separated
/// list, accepts any of its values (OR).
#[derive(Clone, Debug, Default)]
pub struct PupilFilter {
    pub levels: Vec<Level>,
    pub years: Vec<i64>,
    /// Lowercase.
    pub classes: Vec<String>,
}

impl PupilFilter {
    /// No level, year or class narrows the list.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty() && self.years.is_empty() && self.classes.is_empty()
    }

    pub fn new(
        settings: &Settings,
        levels: &[String],
        years: &[i64],
        classes: &[String],
    ) -> Result<PupilFilter, Error> {
        Ok(PupilFilter {
            levels: parse_levels(settings, levels)?,
            years: years.to_vec(),
            classes: classes.iter().map(|c| c.trim().to_lowercase()).collect(),
        })
    }

    /// The filters given, in words, for a "matches nobody" note; `None` when none.
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.levels.is_empty() {
            parts.push(format!("--level {}", self.levels.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(",")));
        }
        if !self.years.is_empty() {
            parts.push(format!("--year {}", self.years.iter().map(i64::to_string).collect::<Vec<_>>().join(",")));
        }
        if !self.classes.is_empty() {
            parts.push(format!("--class {}", self.classes.join(",")));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// A note for stderr when filters are given and no pupil on roll passes
    /// them: an empty answer then says nothing about the school.
    pub fn nobody_note(&self, repo: &crate::repo::Repo) -> Option<String> {
        let what = self.describe()?;
        let any = repo.pupils.iter().filter_map(|r| r.pupil.as_ref()).any(|p| self.matches(p));
        (!any).then(|| format!("note: no pupil on roll matches {what}\n"))
    }

    pub fn matches(&self, pupil: &Pupil) -> bool {
        (self.levels.is_empty() || pupil.level().is_some_and(|l| self.levels.contains(&l)))
            && (self.years.is_empty() || val(&pupil.year_group).is_some_and(|y| self.years.contains(&y)))
            && (self.classes.is_empty()
                || text(&pupil.class).is_some_and(|c| self.classes.contains(&c.trim().to_lowercase())))
    }
}

/// Parses `--level` values: each must be a level of the school's jurisdiction.
pub fn parse_levels(settings: &Settings, words: &[String]) -> Result<Vec<Level>, Error> {
    let allowed = settings.school.jurisdiction.levels();
    let names: Vec<&str> = allowed.iter().map(|l| l.as_str()).collect();
    let mut out = Vec::new();
    for w in words {
        match Level::parse(w.trim()).filter(|l| allowed.contains(l)) {
            Some(l) => out.push(l),
            None => {
                return Err(Error::usage(
                    format!("`{w}` is not a support level in {}", settings.school.jurisdiction.as_str()),
                    Some(match suggest(w, names.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? levels are {}", list(&names)),
                        None => format!("levels are {}", list(&names)),
                    }),
                ))
            }
        }
    }
    Ok(out)
}

/// Parses `--area` values.
pub fn parse_areas(words: &[String]) -> Result<Vec<Area>, Error> {
    words
        .iter()
        .map(|w| {
            Area::parse(w.trim()).ok_or_else(|| {
                Error::usage(
                    format!("`{w}` is not an area of need"),
                    Some(match suggest(w, Area::WORDS.iter().copied()).or_else(|| unique_prefix(w, Area::WORDS)) {
                        Some(s) => format!("did you mean `{s}`? areas are {}", list(Area::WORDS)),
                        None => format!("areas are {}", list(Area::WORDS)),
                    }),
                )
            })
        })
        .collect()
}

/// The one word that starts with `w`, if exactly one does.
fn unique_prefix<'a>(w: &str, words: &[&'a str]) -> Option<&'a str> {
    let w = w.trim().to_ascii_lowercase();
    match words.iter().filter(|c| !w.is_empty() && c.starts_with(&w)).collect::<Vec<_>>().as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Finds a staff member by id or unique prefix of an id; unknown or
/// ambiguous ids are usage errors with a suggestion.
pub fn resolve_staff<'r>(repo: &'r Repo, word: &str) -> Result<&'r Staff, Error> {
    if let Some(s) = repo.staff.iter().find(|s| text(&s.id) == Some(word)) {
        return Ok(s);
    }
    let matches: Vec<&Staff> = repo.staff.iter().filter(|s| text(&s.id).is_some_and(|i| i.starts_with(word))).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => {
            let ids: Vec<&str> = repo.staff.iter().filter_map(|s| text(&s.id)).collect();
            let hint = match suggest(word, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if ids.is_empty() => "staff.yaml lists no staff".to_string(),
                None => format!("staff ids are {}", list(&ids)),
            };
            Err(Error::usage(format!("no staff member with id `{word}` in staff.yaml"), Some(hint)))
        }
        many => {
            let ids: Vec<&str> = many.iter().filter_map(|s| text(&s.id)).collect();
            Err(Error::usage(
                format!("`{word}` matches {} staff members: {}", ids.len(), list(&ids)),
                Some("type more of the id".to_string()),
            ))
        }
    }
}

/// A staff member's name by id, or the id itself when staff.yaml does not list it.
pub fn staff_name(repo: &Repo, id: &str) -> String {
    repo.staff.iter().find(|s| text(&s.id) == Some(id)).and_then(|s| text(&s.name)).unwrap_or(id).to_string()
}

/// The primary need: the one marked `primary: true`, else the first.
pub fn primary_need(rec: &PupilRecord) -> Option<&Need> {
    rec.needs.iter().find(|n| val(&n.primary) == Some(true)).or_else(|| rec.needs.first())
}

/// Running on `today`: started, and not ended before today.
pub fn is_current(iv: &Intervention, today: NaiveDate) -> bool {
    val(&iv.start).is_some_and(|s| s <= today) && val(&iv.end).is_none_or(|e| e >= today)
}

/// A date as `YYYY-MM-DD`.
pub fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// An optional text for a table cell.
pub fn cell(s: Option<&str>) -> String {
    s.unwrap_or("").to_string()
}

/// Year group as the school calls it (`R` for Reception, `N2` and `N1` for
/// nursery; `K` and `PK` in the US; [`crate::model::year::short`]); empty
/// when missing. For tables, CSV, Markdown and pages: JSON keeps the number.
pub fn year_cell(j: Jurisdiction, y: Option<i64>) -> String {
    y.map_or(String::new(), |y| crate::model::year::short(j, y))
}
