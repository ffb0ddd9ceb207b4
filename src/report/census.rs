//! England's school census SEN figures (ENG-CENSUS): per pupil the SEN
//! provision code (E for an EHC plan, K for SEN support, N otherwise) and the
//! primary and secondary SEN types by rank, on a census reference date.
//!
//! Nothing is guessed: a pupil at E or K without a typed primary need, or
//! with a type that is not a census code, is an error row, and is left out of
//! the type totals. The level is the one in force on the census date
//! (`model::census::level_on`), not today's.

use crate::model::census::{ds_from, level_on, ENGLAND_TYPES};
use crate::model::{text, val, Level};
use crate::output::{Block, Column, Document, Table};
use crate::query::{cell, year_cell, VERSION};
use crate::repo::{PupilRecord, Repo};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The provision codes, in the order the census lists them.
pub const CODES: [&str; 3] = ["E", "K", "N"];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CensusRow {
    pub pupil: String,
    pub name: String,
    /// Only with `--show-upn`; otherwise absent from the JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    /// The year group on the census date (the recorded one moved back or on
    /// by the academic years between them).
    pub year_group: Option<i64>,
    /// In the archive (left on or after the census date).
    pub archived: bool,
    /// The support level in force on the census date; null when none is
    /// known (then `note` says why) or pupil.yaml could not be read.
    pub level: Option<Level>,
    /// `E`, `K` or `N`; null when pupil.yaml could not be read.
    pub provision: Option<&'static str>,
    /// The primary need's type: SEN type rank 1 (E and K only).
    pub primary_type: Option<String>,
    /// The first other need with a type different from the primary's, in
    /// needs.yaml order: rank 2 (E and K only).
    pub secondary_type: Option<String>,
    /// `support.sen_unit`: a member of an SEN unit the LA recognises.
    pub sen_unit: bool,
    /// `support.resourced_provision`: a member of resourced provision the LA
    /// recognises.
    pub resourced_provision: bool,
    /// What the code rests on when the records say less than they should
    /// ("level before DATE not recorded").
    pub note: Option<String>,
    /// Why the pupil cannot be coded, if they cannot.
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeCount {
    pub code: &'static str,
    pub pupils: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TypeCount {
    pub r#type: String,
    /// Pupils with this type at rank 1.
    pub primary: usize,
    /// Pupils with this type at rank 2.
    pub secondary: usize,
}

/// The census return: the `senco census --format json` contract (docs/evidence.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Census {
    pub version: u32,
    pub today: String,
    /// The census reference date.
    pub date: String,
    /// The census named with `--term` (`autumn`, `spring`, `summer`), else null.
    pub term: Option<&'static str>,
    pub school: String,
    pub pupils: Vec<CensusRow>,
    /// Pupils per provision code, E, K, N (every code, zero included).
    pub by_provision: Vec<CodeCount>,
    /// Coded E and K pupils per SEN type, by rank; types sorted by code.
    pub by_type: Vec<TypeCount>,
    /// Pupils who cannot be coded.
    pub errors: usize,
    /// Pupils whose code rests on a note (counted, but worth a look).
    pub notes: usize,
}

/// The three censuses of a school year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    Autumn,
    Spring,
    Summer,
}

impl Term {
    pub fn as_str(self) -> &'static str {
        match self {
            Term::Autumn => "autumn",
            Term::Spring => "spring",
            Term::Summer => "summer",
        }
    }
}

/// The census day of `term` in the academic year that starts in September
/// of `year`: autumn, the first Thursday in October; spring, the third
/// Thursday in January; summer, the third Thursday in May.
pub fn census_day(term: Term, year: i32) -> NaiveDate {
    use chrono::Weekday::Thu;
    let (y, month, nth) = match term {
        Term::Autumn => (year, 10, 1),
        Term::Spring => (year + 1, 1, 3),
        Term::Summer => (year + 1, 5, 3),
    };
    NaiveDate::from_weekday_of_month_opt(y, month, Thu, nth).unwrap_or(NaiveDate::MIN)
}

/// The academic year (by the September it starts in) that `d` falls in.
pub fn academic_year(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    if d.month() >= 9 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// On roll on `date`: joined on or before it (or no `joined`), and not left
/// before it. Archived pupils count only with a `left` date on or after it.
pub fn on_roll(rec: &PupilRecord, date: NaiveDate) -> bool {
    let p = rec.pupil.as_ref();
    let joined = p.and_then(|p| val(&p.joined));
    let left = p.and_then(|p| val(&p.left));
    if joined.is_some_and(|j| j > date) {
        return false;
    }
    match left {
        Some(l) => l >= date,
        None => !rec.archived,
    }
}

/// `DS` before the census could take it.
fn ds_error(t: &str, date: NaiveDate) -> Option<String> {
    (t == "DS" && date < ds_from()).then(|| {
        format!(
            "`DS` (Down syndrome) is a census type from the January 2025 census ({}); a census before it used the type recorded then",
            ds_from()
        )
    })
}

fn code_error(t: &str) -> Option<String> {
    (!ENGLAND_TYPES.contains(&t))
        .then(|| format!("`{t}` is not a census SEN type code (use one of {})", ENGLAND_TYPES.join(" ")))
}

/// What the census of `date` needs to know besides the records.
struct At {
    date: NaiveDate,
    /// The academic year the recorded year groups of pupils on roll belong to.
    records_year: i32,
}

fn row(rec: &PupilRecord, show_upn: bool, at: &At) -> CensusRow {
    let Some(p) = &rec.pupil else {
        return CensusRow {
            pupil: rec.dir.clone(),
            name: String::new(),
            upn: None,
            year_group: None,
            archived: rec.archived,
            level: None,
            provision: None,
            primary_type: None,
            secondary_type: None,
            sen_unit: false,
            resourced_provision: false,
            note: None,
            error: Some("pupil.yaml could not be read (run `senco check`)".into()),
        };
    };
    let in_force = level_on(p, at.date);
    let provision = match in_force.level {
        Some(Level::Ehcp) => "E",
        Some(Level::SenSupport) => "K",
        _ => "N",
    };
    // A leaver's year group stopped moving in the year they left.
    let recorded_in = match (rec.archived, val(&p.left)) {
        (true, Some(left)) => academic_year(left),
        _ => at.records_year,
    };
    let support = p.support.as_ref();
    let mut r = CensusRow {
        pupil: rec.dir.clone(),
        name: p.display_name(),
        upn: if show_upn { text(&p.upn).map(str::to_string) } else { None },
        year_group: val(&p.year_group).map(|y| y - i64::from(recorded_in - academic_year(at.date))),
        archived: rec.archived,
        level: in_force.level,
        provision: Some(provision),
        primary_type: None,
        secondary_type: None,
        sen_unit: support.and_then(|s| val(&s.sen_unit)) == Some(true),
        resourced_provision: support.and_then(|s| val(&s.resourced_provision)) == Some(true),
        note: in_force.note,
        error: None,
    };
    if provision == "N" {
        return r;
    }
    let primary = rec.needs.iter().find(|n| val(&n.primary) == Some(true));
    let primary_type = primary.and_then(|n| text(&n.r#type)).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    // Rank 2: the first other need whose type differs from rank 1.
    let secondary_type = rec
        .needs
        .iter()
        .filter(|n| val(&n.primary) != Some(true))
        .filter_map(|n| text(&n.r#type).map(str::trim))
        .find(|t| !t.is_empty() && Some(*t) != primary_type.as_deref())
        .map(str::to_string);
    r.error = match &primary_type {
        None if primary.is_none() => Some("no need is marked `primary: true`".to_string()),
        None => Some("the primary need has no `type`".to_string()),
        Some(t) => code_error(t)
            .or_else(|| (t == "NSA" && provision == "E").then(|| "`NSA` is only used with SEN support (K)".to_string()))
            .or_else(|| ds_error(t, at.date)),
    }
    .or_else(|| {
        let t = secondary_type.as_deref()?;
        code_error(t)
            .or_else(|| ds_error(t, at.date))
            .map(|e| format!("secondary need: {e}"))
            .or_else(|| (t == "NSA").then(|| "`NSA` is only a primary type (no specialist assessment)".to_string()))
    });
    r.primary_type = primary_type;
    r.secondary_type = secondary_type;
    r
}

/// The census figures on `date` of the pupils on roll and of the leavers
/// who were still on roll then.
///
/// The year groups in the records belong to the academic year of
/// `[calendar] year_start` (rollover moves both), else to today's.
pub fn census(repo: &Repo, date: NaiveDate, term: Option<Term>, today: NaiveDate, show_upn: bool) -> Census {
    let mut all: Vec<&PupilRecord> = repo.pupils.iter().chain(&repo.archived).filter(|r| on_roll(r, date)).collect();
    all.sort_by(|a, b| a.dir.cmp(&b.dir).then(a.archived.cmp(&b.archived)));
    let records_year = academic_year(repo.settings.calendar.as_ref().map_or(today, |c| c.year_start));
    let at = At { date, records_year };
    let pupils: Vec<CensusRow> = all.into_iter().map(|r| row(r, show_upn, &at)).collect();
    let by_provision =
        CODES.iter().map(|c| CodeCount { code: c, pupils: pupils.iter().filter(|r| r.provision == Some(c)).count() });
    let mut types: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in pupils.iter().filter(|r| r.error.is_none()) {
        if let Some(t) = &r.primary_type {
            types.entry(t.clone()).or_default().0 += 1;
        }
        if let Some(t) = &r.secondary_type {
            types.entry(t.clone()).or_default().1 += 1;
        }
    }
    Census {
        version: VERSION,
        today: today.to_string(),
        date: date.to_string(),
        term: term.map(Term::as_str),
        school: repo.settings.school.name.clone(),
        errors: pupils.iter().filter(|r| r.error.is_some()).count(),
        notes: pupils.iter().filter(|r| r.note.is_some()).count(),
        by_provision: by_provision.collect(),
        by_type: types
            .into_iter()
            .map(|(t, (primary, secondary))| TypeCount { r#type: t, primary, secondary })
            .collect(),
        pupils,
    }
}

/// The census as one table per pupil (the CSV for upload checks), then the
/// totals and errors in the `table` and `markdown` formats.
pub fn document(c: &Census, show_upn: bool, for_csv: bool, j: crate::model::settings::Jurisdiction) -> Document {
    let mut cols = vec![Column::left("pupil"), Column::left("name")];
    if show_upn {
        cols.push(Column::left("upn"));
    }
    cols.extend([
        Column::right("year"),
        Column::left("provision"),
        Column::left("primary_type"),
        Column::left("secondary_type"),
        Column::left("sen_unit"),
        Column::left("resourced_provision"),
        Column::left("note"),
        Column::left("error"),
    ]);
    let mut t = Table::new(cols, "No pupils on roll on the census date.");
    for r in &c.pupils {
        let mut row = vec![r.pupil.clone(), r.name.clone()];
        if show_upn {
            row.push(cell(r.upn.as_deref()));
        }
        row.extend([
            year_cell(j, r.year_group),
            cell(r.provision),
            cell(r.primary_type.as_deref()),
            cell(r.secondary_type.as_deref()),
            flag(r.sen_unit, for_csv),
            flag(r.resourced_provision, for_csv),
            cell(r.note.as_deref()),
            cell(r.error.as_deref()),
        ]);
        t.push(row);
    }
    if for_csv {
        return Document { show_upn, ..Document::table(t) };
    }
    let title = match c.term {
        Some(term) => format!("{}: school census SEN return, {term} census on {}", c.school, c.date),
        None => format!("{}: school census SEN return on {}", c.school, c.date),
    };
    let mut d = Document { title: Some(title), show_upn, ..Default::default() };
    d.section("Pupils", Block::Table(t));
    let mut codes = Table::new(vec![Column::left("provision"), Column::right("pupils")], "None.");
    for cc in &c.by_provision {
        codes.push(vec![cc.code.to_string(), cc.pupils.to_string()]);
    }
    d.section("Pupils per provision code", Block::Table(codes));
    let mut types =
        Table::new(vec![Column::left("type"), Column::right("primary"), Column::right("secondary")], "None.");
    for tc in &c.by_type {
        types.push(vec![tc.r#type.clone(), tc.primary.to_string(), tc.secondary.to_string()]);
    }
    d.section("Pupils per SEN type (E and K, coded)", Block::Table(types));
    d.notes.push(format!(
        "E: EHC plan; K: SEN support; N: no SEN provision (the watch list). {} pupil(s) cannot be coded.",
        c.errors
    ));
    if c.notes > 0 {
        d.notes.push(format!(
            "{} pupil(s) coded on less than the records should say (see the `note` column): a level before the earliest \
             recorded date counts as N; add `support.since` and `support.history` to code them as they were.",
            c.notes
        ));
    }
    d
}

/// A census indicator: `true`/`false` in the CSV (as the CBDS writes
/// booleans), `yes` or blank for reading.
fn flag(b: bool, for_csv: bool) -> String {
    match (b, for_csv) {
        (true, true) => "true",
        (false, true) => "false",
        (true, false) => "yes",
        (false, false) => "",
    }
    .to_string()
}
