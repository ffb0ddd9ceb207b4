//! `senco list` (alias `register`): the SEN register, the watch list, or the
//! archive, filtered, with the columns a school asks for.

use super::{cell, date, is_current, primary_need, year_cell, PupilFilter, VERSION};
use crate::error::Error;
use crate::model::settings::Jurisdiction;
use crate::model::{text, val, Area, Level};
use crate::output::{Column, Document, Table};
use crate::repo::decode::{list, suggest};
use crate::repo::{PupilRecord, Repo};
use crate::rules;
use chrono::NaiveDate;
use serde::Serialize;

/// Every column `--columns` accepts, in a sensible reading order.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "first",
    "last",
    "dob",
    "year",
    "class",
    "gender",
    "first-language",
    "joined",
    "level",
    "since",
    "plan-issued",
    "primary-need",
    "primary-area",
    "needs",
    "areas",
    "key-worker",
    "key-worker-name",
    "open-targets",
    "interventions",
    "last-review",
    "next-review",
    "next-review-kind",
    "access",
    "left",
    "destination",
    "upn",
];

/// The columns shown when `--columns` is not given.
pub const DEFAULT_COLUMNS: &[&str] =
    &["id", "name", "year", "class", "level", "primary-need", "primary-area", "key-worker", "since"];

/// Which pupils to list.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub filter: PupilFilter,
    /// Show every level (register and watch list).
    pub all_levels: bool,
    pub areas: Vec<Area>,
    /// Need type codes, matched case-insensitively.
    pub needs: Vec<String>,
    /// Staff ids: key worker, or staff of a current intervention.
    pub staff: Vec<String>,
    /// Statutory plans only (EHC plan, LA IDP, IEP).
    pub with_plan: bool,
    /// List the archive instead of the pupils on roll.
    pub archived: bool,
    pub show_upn: bool,
}

/// One pupil: the JSON contract (docs/queries.md).
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub year_group: Option<i64>,
    pub class: Option<String>,
    pub gender: Option<String>,
    pub first_language: Option<String>,
    pub joined: Option<String>,
    pub level: Option<String>,
    pub since: Option<String>,
    pub plan_issued: Option<String>,
    pub primary_need: Option<String>,
    pub primary_area: Option<String>,
    pub needs: Vec<String>,
    pub areas: Vec<String>,
    pub key_worker: Option<String>,
    pub key_worker_name: Option<String>,
    pub open_targets: usize,
    pub current_interventions: usize,
    pub last_review: Option<String>,
    pub next_review: Option<String>,
    pub next_review_kind: Option<String>,
    /// Exam access arrangements, in file order (`senco access` has the whole register).
    pub access: Vec<AccessCell>,
    pub left: Option<String>,
    pub destination: Option<String>,
    /// Always null unless `--show-upn`.
    pub upn: Option<String>,
}

/// One exam access arrangement in a register row.
#[derive(Clone, Debug, Serialize)]
pub struct AccessCell {
    pub arrangement: String,
    pub percent: Option<f64>,
    /// The last day it holds; null when neither approval nor assessment is recorded.
    pub expires: Option<String>,
    /// `current`, `expires-soon`, `expired` or `not-recorded` (as `senco access`).
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    pub pupils: Vec<Row>,
}

/// Parses `--columns`: known names, comma-separated; unknown names are usage
/// errors with a suggestion.
pub fn parse_columns(spec: Option<&str>, show_upn: bool) -> Result<Vec<&'static str>, Error> {
    let Some(spec) = spec else { return Ok(DEFAULT_COLUMNS.to_vec()) };
    let mut out = Vec::new();
    for word in spec.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let Some(c) = COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(word)) else {
            let hint = match suggest(word, COLUMNS.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? columns are {}", list(COLUMNS)),
                None => format!("columns are {}", list(COLUMNS)),
            };
            return Err(Error::usage(format!("unknown column `{word}`"), Some(hint)));
        };
        if *c == "upn" && !show_upn {
            return Err(Error::usage(
                "the `upn` column needs `--show-upn`",
                Some("UPNs are shown only when asked for explicitly; add `--show-upn`".into()),
            ));
        }
        out.push(*c);
    }
    if out.is_empty() {
        return Err(Error::usage("`--columns` names no column", Some(format!("columns are {}", list(COLUMNS)))));
    }
    Ok(out)
}

/// Checks `--need` codes: a code that no record uses and that looks like a
/// typo of one that is used is a usage error.
pub fn check_need_codes(repo: &Repo, codes: &[String]) -> Result<(), Error> {
    let mut used: Vec<&str> =
        repo.pupils.iter().chain(&repo.archived).flat_map(|p| p.needs.iter().filter_map(|n| text(&n.r#type))).collect();
    used.sort();
    used.dedup();
    for c in codes {
        if used.iter().any(|u| u.eq_ignore_ascii_case(c.trim())) {
            continue;
        }
        if let Some(s) = suggest(c, used.iter().copied()) {
            return Err(Error::usage(
                format!("no pupil has a need of type `{c}`"),
                Some(format!("did you mean `{s}`? types in the records: {}", list(&used))),
            ));
        }
    }
    Ok(())
}

fn passes(rec: &PupilRecord, opts: &Options, today: NaiveDate) -> bool {
    let Some(pupil) = &rec.pupil else { return false };
    let level = pupil.level();
    let level_ok = if !opts.filter.levels.is_empty() || opts.all_levels || opts.archived {
        true
    } else {
        level.is_some_and(Level::on_register)
    };
    level_ok
        && opts.filter.matches(pupil)
        && (!opts.with_plan || level.is_some_and(Level::statutory))
        && (opts.areas.is_empty() || rec.needs.iter().any(|n| val(&n.area).is_some_and(|a| opts.areas.contains(&a))))
        && (opts.needs.is_empty()
            || rec.needs.iter().filter_map(|n| text(&n.r#type)).any(|t| {
                let t = t.trim();
                opts.needs.iter().any(|c| c.trim().eq_ignore_ascii_case(t))
            }))
        && (opts.staff.is_empty()
            || opts.staff.iter().any(|s| {
                text(&pupil.key_worker) == Some(s.as_str())
                    || rec.interventions.iter().any(|iv| is_current(iv, today) && text(&iv.staff) == Some(s.as_str()))
            }))
}

fn row(repo: &Repo, rec: &PupilRecord, opts: &Options, today: NaiveDate) -> Option<Row> {
    let p = rec.pupil.as_ref()?;
    let support = p.support.as_ref();
    let primary = primary_need(rec);
    let mut needs: Vec<String> = rec.needs.iter().filter_map(|n| text(&n.r#type)).map(str::to_string).collect();
    needs.dedup();
    let mut areas: Vec<String> =
        rec.needs.iter().filter_map(|n| val(&n.area)).map(|a| a.as_str().to_string()).collect();
    areas.sort();
    areas.dedup();
    let next = if rec.archived {
        None
    } else {
        rules::due_items(&repo.settings, rec, today).into_iter().min_by_key(|d| d.due)
    };
    let key_worker = text(&p.key_worker).map(str::to_string);
    Some(Row {
        id: rec.dir.clone(),
        name: p.display_name(),
        first_name: p.name.as_ref().and_then(|n| text(&n.first)).map(str::to_string),
        last_name: p.name.as_ref().and_then(|n| text(&n.last)).map(str::to_string),
        date_of_birth: date(val(&p.date_of_birth)),
        year_group: val(&p.year_group),
        class: text(&p.class).map(str::to_string),
        gender: text(&p.gender).map(str::to_string),
        first_language: text(&p.first_language).map(str::to_string),
        joined: date(val(&p.joined)),
        level: p.level().map(|l| l.as_str().to_string()),
        since: date(support.and_then(|s| val(&s.since))),
        plan_issued: date(p.plan().and_then(|pl| val(&pl.issued))),
        primary_need: primary.and_then(|n| text(&n.r#type)).map(str::to_string),
        primary_area: primary.and_then(|n| val(&n.area)).map(|a| a.as_str().to_string()),
        needs,
        areas,
        key_worker_name: key_worker.as_deref().map(|k| super::staff_name(repo, k)),
        key_worker,
        open_targets: rec.targets.iter().filter(|t| t.is_open()).count(),
        current_interventions: rec.interventions.iter().filter(|iv| is_current(iv, today)).count(),
        last_review: rec.reviews.iter().rev().find_map(|r| val(&r.review.date)).map(|d| d.to_string()),
        next_review: next.as_ref().map(|d| d.due.to_string()),
        next_review_kind: next.map(|d| d.kind.to_string()),
        access: super::access::pupil_rows(rec, today, super::access::DEFAULT_WINDOW)
            .into_iter()
            .map(|a| AccessCell {
                arrangement: super::access::arrangement_cell(&a),
                percent: a.percent,
                expires: a.expires,
                status: a.status,
            })
            .collect(),
        left: date(val(&p.left)),
        destination: text(&p.destination).map(str::to_string),
        upn: if opts.show_upn { text(&p.upn).map(str::to_string) } else { None },
    })
}

/// The pupils that pass every filter, sorted by year group, last name,
/// first name and id.
pub fn query(repo: &Repo, today: NaiveDate, opts: &Options) -> Vec<Row> {
    let source = if opts.archived { &repo.archived } else { &repo.pupils };
    let mut rows: Vec<Row> =
        source.iter().filter(|r| passes(r, opts, today)).filter_map(|r| row(repo, r, opts, today)).collect();
    rows.sort_by(|a, b| {
        (a.year_group, &a.last_name, &a.first_name, &a.id).cmp(&(b.year_group, &b.last_name, &b.first_name, &b.id))
    });
    rows
}

pub fn report(today: NaiveDate, pupils: Vec<Row>) -> Report {
    Report { version: VERSION, today: today.to_string(), pupils }
}

fn value(r: &Row, column: &str, j: Jurisdiction) -> String {
    let o = |s: &Option<String>| cell(s.as_deref());
    match column {
        "id" => r.id.clone(),
        "name" => r.name.clone(),
        "first" => o(&r.first_name),
        "last" => o(&r.last_name),
        "dob" => o(&r.date_of_birth),
        "year" => year_cell(j, r.year_group),
        "class" => o(&r.class),
        "gender" => o(&r.gender),
        "first-language" => o(&r.first_language),
        "joined" => o(&r.joined),
        "level" => o(&r.level),
        "since" => o(&r.since),
        "plan-issued" => o(&r.plan_issued),
        "primary-need" => o(&r.primary_need),
        "primary-area" => o(&r.primary_area),
        "needs" => r.needs.join(" "),
        "areas" => r.areas.join(" "),
        "key-worker" => o(&r.key_worker),
        "key-worker-name" => o(&r.key_worker_name),
        "open-targets" => r.open_targets.to_string(),
        "interventions" => r.current_interventions.to_string(),
        "last-review" => o(&r.last_review),
        "next-review" => o(&r.next_review),
        "next-review-kind" => o(&r.next_review_kind),
        "access" => r.access.iter().map(access_words).collect::<Vec<_>>().join("; "),
        "left" => o(&r.left),
        "destination" => o(&r.destination),
        "upn" => o(&r.upn),
        _ => String::new(),
    }
}

/// `25% extra time (until 2028-12-05)`, `reader (expired 2026-01-01)`,
/// `scribe (dates not recorded)`.
fn access_words(a: &AccessCell) -> String {
    match (a.status, &a.expires) {
        ("expired", Some(e)) => format!("{} (expired after {e})", a.arrangement),
        ("expires-soon", Some(e)) => format!("{} (expires soon: until {e})", a.arrangement),
        (_, Some(e)) => format!("{} (until {e})", a.arrangement),
        (_, None) => format!("{} (dates not recorded)", a.arrangement),
    }
}

/// The table of `rows`; `j` says how year groups are written (`R` for Reception).
pub fn document(rows: &[Row], columns: &[&str], j: Jurisdiction) -> Document {
    let cols =
        columns
            .iter()
            .map(|c| {
                if matches!(*c, "year" | "open-targets" | "interventions") {
                    Column::right(c)
                } else {
                    Column::left(c)
                }
            })
            .collect();
    let mut t = Table::new(cols, "No pupils match.");
    for r in rows {
        t.push(columns.iter().map(|c| value(r, c, j)).collect());
    }
    Document::table(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_value_arm() {
        // A column added to COLUMNS without a `value` arm would print empty cells.
        let r = Row {
            id: "i".into(),
            name: "n".into(),
            first_name: Some("x".into()),
            last_name: Some("x".into()),
            date_of_birth: Some("x".into()),
            year_group: Some(1),
            class: Some("x".into()),
            gender: Some("x".into()),
            first_language: Some("x".into()),
            joined: Some("x".into()),
            level: Some("x".into()),
            since: Some("x".into()),
            plan_issued: Some("x".into()),
            primary_need: Some("x".into()),
            primary_area: Some("x".into()),
            needs: vec!["x".into()],
            areas: vec!["x".into()],
            key_worker: Some("x".into()),
            key_worker_name: Some("x".into()),
            open_targets: 1,
            current_interventions: 1,
            last_review: Some("x".into()),
            next_review: Some("x".into()),
            next_review_kind: Some("x".into()),
            access: vec![AccessCell { arrangement: "x".into(), percent: None, expires: None, status: "current" }],
            left: Some("x".into()),
            destination: Some("x".into()),
            upn: Some("x".into()),
        };
        for c in COLUMNS {
            assert!(!value(&r, c, Jurisdiction::England).is_empty(), "column {c}");
        }
    }

    #[test]
    fn columns_parse_with_suggestions() {
        assert_eq!(parse_columns(Some("id, Name"), false).unwrap(), vec!["id", "name"]);
        let e = parse_columns(Some("id,primary-ned"), false).unwrap_err();
        assert_eq!(e.to_string(), "unknown column `primary-ned`");
        assert!(e.hint().unwrap().starts_with("did you mean `primary-need`?"));
        assert!(parse_columns(Some("upn"), false).is_err());
        assert!(parse_columns(Some("upn"), true).is_ok());
        assert!(parse_columns(Some(","), false).is_err());
    }
}
