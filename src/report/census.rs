//! England's school census SEN figures (ENG-CENSUS): per pupil the SEN
//! provision code (E for an EHC plan, K for SEN support, N otherwise) and the
//! primary and secondary SEN types by rank, on a census reference date.
//!
//! Nothing is guessed: a pupil at E or K without a typed primary need, or
//! with a type that is not a census code, is an error row, and is left out of
//! the type totals.

use crate::check::ENGLAND_TYPES;
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
    pub year_group: Option<i64>,
    /// In the archive (left on or after the census date).
    pub archived: bool,
    /// `E`, `K` or `N`; null when pupil.yaml could not be read.
    pub provision: Option<&'static str>,
    /// The primary need's type: SEN type rank 1 (E and K only).
    pub primary_type: Option<String>,
    /// The first other need with a type different from the primary's, in
    /// needs.yaml order: rank 2 (E and K only).
    pub secondary_type: Option<String>,
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
    pub school: String,
    pub pupils: Vec<CensusRow>,
    /// Pupils per provision code, E, K, N (every code, zero included).
    pub by_provision: Vec<CodeCount>,
    /// Coded E and K pupils per SEN type, by rank; types sorted by code.
    pub by_type: Vec<TypeCount>,
    /// Pupils who cannot be coded.
    pub errors: usize,
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

fn code_error(t: &str) -> Option<String> {
    (!ENGLAND_TYPES.contains(&t))
        .then(|| format!("`{t}` is not a census SEN type code (use one of {})", ENGLAND_TYPES.join(" ")))
}

fn row(rec: &PupilRecord, show_upn: bool) -> CensusRow {
    let Some(p) = &rec.pupil else {
        return CensusRow {
            pupil: rec.dir.clone(),
            name: String::new(),
            upn: None,
            year_group: None,
            archived: rec.archived,
            provision: None,
            primary_type: None,
            secondary_type: None,
            error: Some("pupil.yaml could not be read (run `senco check`)".into()),
        };
    };
    let provision = match p.level() {
        Some(Level::Ehcp) => "E",
        Some(Level::SenSupport) => "K",
        _ => "N",
    };
    let mut r = CensusRow {
        pupil: rec.dir.clone(),
        name: p.display_name(),
        upn: if show_upn { text(&p.upn).map(str::to_string) } else { None },
        year_group: val(&p.year_group),
        archived: rec.archived,
        provision: Some(provision),
        primary_type: None,
        secondary_type: None,
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
        Some(t) => code_error(t).or_else(|| {
            (t == "NSA" && provision == "E").then(|| "`NSA` is only used with SEN support (K)".to_string())
        }),
    }
    .or_else(|| {
        let t = secondary_type.as_deref()?;
        code_error(t)
            .map(|e| format!("secondary need: {e}"))
            .or_else(|| (t == "NSA").then(|| "`NSA` is only a primary type (no specialist assessment)".to_string()))
    });
    r.primary_type = primary_type;
    r.secondary_type = secondary_type;
    r
}

/// The census figures on `date` of the pupils on roll and of the leavers
/// who were still on roll then.
pub fn census(repo: &Repo, date: NaiveDate, today: NaiveDate, show_upn: bool) -> Census {
    let mut all: Vec<&PupilRecord> = repo.pupils.iter().chain(&repo.archived).filter(|r| on_roll(r, date)).collect();
    all.sort_by(|a, b| a.dir.cmp(&b.dir).then(a.archived.cmp(&b.archived)));
    let pupils: Vec<CensusRow> = all.into_iter().map(|r| row(r, show_upn)).collect();
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
        school: repo.settings.school.name.clone(),
        errors: pupils.iter().filter(|r| r.error.is_some()).count(),
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
pub fn document(c: &Census, show_upn: bool, for_csv: bool) -> Document {
    let mut cols = vec![Column::left("pupil"), Column::left("name")];
    if show_upn {
        cols.push(Column::left("upn"));
    }
    cols.extend([
        Column::right("year"),
        Column::left("provision"),
        Column::left("primary_type"),
        Column::left("secondary_type"),
        Column::left("error"),
    ]);
    let mut t = Table::new(cols, "No pupils on roll on the census date.");
    for r in &c.pupils {
        let mut row = vec![r.pupil.clone(), r.name.clone()];
        if show_upn {
            row.push(cell(r.upn.as_deref()));
        }
        row.extend([
            year_cell(r.year_group),
            cell(r.provision),
            cell(r.primary_type.as_deref()),
            cell(r.secondary_type.as_deref()),
            cell(r.error.as_deref()),
        ]);
        t.push(row);
    }
    if for_csv {
        return Document::table(t);
    }
    let mut d =
        Document { title: Some(format!("{}: school census SEN return on {}", c.school, c.date)), ..Default::default() };
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
    d
}
