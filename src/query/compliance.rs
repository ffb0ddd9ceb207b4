//! `senco compliance`: every rule outcome of the school's rule pack, per
//! pupil, as data: met, due, overdue, not met, not recorded or not
//! applicable, with the deadline, the days to it, the file and line of the
//! fact it rests on, and the citation.
//!
//! The outcomes are the rule engine's (`rules::eval`), the same that `check`
//! turns into findings and `render checklist` shows; this query only adds a
//! row for each rule of the pack that does not apply to a pupil, so the table
//! is complete: no rule is silently left out.

use super::{PupilFilter, VERSION};
use crate::model::{text, val};
use crate::output::{Column, Document, Table};
use crate::repo::{PupilRecord, Repo};
use crate::rules::eval::{evaluate_with_cost, Outcome, Status};
use crate::rules::{configured, pack, Scope};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// What `compliance` is asked for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only this pupil (a folder name, on roll or archived).
    pub pupil: Option<String>,
    /// Only these rule codes (empty: every rule of the pack).
    pub rules: Vec<String>,
    /// Only these statuses (empty: every status).
    pub statuses: Vec<Status>,
    pub filter: PupilFilter,
}

/// One rule outcome for one pupil: the JSON contract (docs/json.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The pupil's id (folder name).
    pub pupil: String,
    pub name: String,
    /// True for a pupil in `archive/`.
    pub archived: bool,
    pub year_group: Option<i64>,
    pub level: Option<String>,
    pub rule: &'static str,
    /// `met`, `due`, `overdue`, `not-met`, `not-recorded`, `not-applicable`.
    pub status: &'static str,
    /// The deadline (`YYYY-MM-DD`), when the rule has one.
    pub due: Option<String>,
    /// Days from today to `due`; negative when it has passed.
    pub days: Option<i64>,
    /// What the outcome rests on, in words.
    pub detail: String,
    /// The file of the fact the outcome rests on, relative to the repository.
    pub file: String,
    /// 1-based line and column of that fact, when there is one.
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// The severity the school configured for the rule (`warning`, `error`, `info`).
    pub severity: &'static str,
    /// The rule's legal source.
    pub citation: &'static str,
}

/// Counts of the rows shown, per status.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub met: usize,
    pub due: usize,
    pub overdue: usize,
    pub not_met: usize,
    pub not_recorded: usize,
    pub not_applicable: usize,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    pub jurisdiction: &'static str,
    pub counts: Counts,
    pub outcomes: Vec<Row>,
}

/// The pupil's yearly provision cost, for ENG-COST (as `check` and the
/// checklist compute it).
fn yearly_cost(repo: &Repo, rec: &PupilRecord) -> f64 {
    crate::model::cost::pupil_yearly(
        &repo.settings,
        &rec.interventions,
        |iv| text(&iv.staff).and_then(|s| repo.staff.iter().find(|m| text(&m.id) == Some(s))),
        |iv| text(&iv.provision).and_then(|p| repo.catalogue.iter().find(|c| text(&c.id) == Some(p))),
    )
}

/// Every rule outcome for one pupil, completed with `NotApplicable` for each
/// rule of the pack (in the pupil's scope) that gave none; rules the school
/// turned off in `[rules]` are left out. In registry order.
pub fn outcomes(repo: &Repo, rec: &PupilRecord, today: NaiveDate) -> Vec<Outcome> {
    let settings = &repo.settings;
    let Some(pupil) = &rec.pupil else { return Vec::new() };
    let juris = settings.school.jurisdiction;
    let england = juris == crate::model::settings::Jurisdiction::England;
    let cost = england.then(|| yearly_cost(repo, rec));
    let got = evaluate_with_cost(settings, rec, today, cost);
    let scope = if rec.archived { Scope::Archived } else { Scope::Pupil };
    let level = pupil.level().filter(|l| juris.levels().contains(l));
    let mut by_rule: HashMap<&str, Vec<Outcome>> = HashMap::new();
    for o in got {
        by_rule.entry(o.rule.code).or_default().push(o);
    }
    let mut out = Vec::new();
    for r in pack(juris).iter().filter(|r| r.scope == scope) {
        if configured(settings, r.code, r.severity).is_none() {
            continue;
        }
        match by_rule.remove(r.code) {
            Some(list) => out.extend(list),
            None => {
                let why = match (rec.archived, level) {
                    (true, _) => "nothing in this former pupil's records raises this duty".to_string(),
                    (false, Some(l)) => {
                        format!("nothing in the records of a pupil at level `{}` raises this duty", l.as_str())
                    }
                    (false, None) => "the pupil's support level is not one of this jurisdiction's".to_string(),
                };
                out.push(Outcome {
                    rule: r,
                    status: Status::NotApplicable,
                    due: None,
                    detail: format!("does not apply: {why}"),
                    words: None,
                    file: rec.file("pupil.yaml"),
                    span: None,
                });
            }
        }
    }
    out
}

fn severity_word(s: crate::diag::Severity) -> &'static str {
    match s {
        crate::diag::Severity::Error => "error",
        crate::diag::Severity::Warning => "warning",
        crate::diag::Severity::Info => "info",
    }
}

/// Whom a row is about: a pupil, or (no pupil id) the school itself.
#[derive(Default)]
struct Who {
    pupil: String,
    name: String,
    archived: bool,
    year_group: Option<i64>,
    level: Option<String>,
}

fn row(repo: &Repo, today: NaiveDate, who: Who, o: &Outcome) -> Row {
    let severity = configured(&repo.settings, o.rule.code, o.rule.severity).unwrap_or(o.rule.severity);
    Row {
        pupil: who.pupil,
        name: who.name,
        archived: who.archived,
        year_group: who.year_group,
        level: who.level,
        rule: o.rule.code,
        status: o.status.code(),
        due: o.due.map(|d| d.to_string()),
        days: o.days(today),
        detail: o.detail.clone(),
        file: o.file.clone(),
        line: o.span.map(|s| s.start.line),
        column: o.span.map(|s| s.start.column),
        severity: severity_word(severity),
        citation: o.rule.source,
    }
}

/// The rows asked for: pupils on roll, then archived pupils, each by id, each
/// pupil's rules in registry order.
pub fn query(repo: &Repo, today: NaiveDate, opts: &Options) -> Vec<Row> {
    let mut rows = Vec::new();
    let wanted = |o: &Outcome| {
        (opts.rules.is_empty() || opts.rules.iter().any(|c| c == o.rule.code))
            && (opts.statuses.is_empty() || opts.statuses.contains(&o.status))
    };
    // The school's own duties first, as a row with no pupil, unless the rows
    // are for one pupil or a filtered group of pupils.
    let unfiltered = opts.filter.levels.is_empty() && opts.filter.years.is_empty() && opts.filter.classes.is_empty();
    if opts.pupil.is_none() && unfiltered {
        for o in crate::rules::school_outcomes(&repo.settings, &repo.staff, today).into_iter().filter(|o| wanted(o)) {
            let who = Who { pupil: String::new(), name: repo.settings.school.name.clone(), ..Who::default() };
            rows.push(row(repo, today, who, &o));
        }
    }
    for rec in repo.pupils.iter().chain(repo.archived.iter()) {
        let Some(pupil) = &rec.pupil else { continue };
        if opts.pupil.as_ref().is_some_and(|id| *id != rec.dir) || !opts.filter.matches(pupil) {
            continue;
        }
        for o in outcomes(repo, rec, today) {
            if !(opts.rules.is_empty() || opts.rules.iter().any(|c| c == o.rule.code)) {
                continue;
            }
            if !(opts.statuses.is_empty() || opts.statuses.contains(&o.status)) {
                continue;
            }
            let who = Who {
                pupil: rec.dir.clone(),
                name: pupil.display_name(),
                archived: rec.archived,
                year_group: val(&pupil.year_group),
                level: pupil.level().map(|l| l.as_str().to_string()),
            };
            rows.push(row(repo, today, who, &o));
        }
    }
    rows
}

pub fn report(repo: &Repo, today: NaiveDate, rows: Vec<Row>) -> Report {
    let mut counts = Counts::default();
    for r in &rows {
        *match r.status {
            "met" => &mut counts.met,
            "due" => &mut counts.due,
            "overdue" => &mut counts.overdue,
            "not-met" => &mut counts.not_met,
            "not-recorded" => &mut counts.not_recorded,
            _ => &mut counts.not_applicable,
        } += 1;
    }
    Report {
        version: VERSION,
        today: today.to_string(),
        jurisdiction: repo.settings.school.jurisdiction.as_str(),
        counts,
        outcomes: rows,
    }
}

pub fn document(rows: &[Row]) -> Document {
    let mut t = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("rule"),
            Column::left("status"),
            Column::left("due"),
            Column::right("days"),
            Column::left("detail"),
            Column::left("source"),
            Column::left("citation"),
        ],
        "No rule outcomes match.",
    );
    for r in rows {
        let source = match r.line {
            Some(l) => format!("{}:{l}", r.file),
            None => r.file.clone(),
        };
        t.push(vec![
            r.pupil.clone(),
            r.rule.to_string(),
            r.status.to_string(),
            r.due.clone().unwrap_or_default(),
            r.days.map(|d| d.to_string()).unwrap_or_default(),
            r.detail.clone(),
            source,
            r.citation.to_string(),
        ]);
    }
    Document::table(t)
}
