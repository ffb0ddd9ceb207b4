//! `senco review-due`: everything with a date that needs action, one row per
//! item, soonest (most overdue) first.
//!
//! Review dates come from `rules::due_items`, the same function `senco check`
//! uses, so the two always agree. Targets, review actions and referrals use
//! the same dates as `check`'s `target-overdue`, `action-overdue` and
//! `referral-waiting` findings: open targets and review actions are listed
//! once past their due date; reviews and referrals also when due soon.

use super::{PupilFilter, VERSION};
use crate::model::settings::Jurisdiction;
use crate::model::{text, val, AccessArrangement, ReferralStatus, Training};
use crate::output::{Column, Document, Table};
use crate::repo::{PupilRecord, Repo};
use crate::rules::eval::Status;
use crate::rules::{self, dates};
use chrono::NaiveDate;
use serde::Serialize;

/// The stable item kinds, in the order `--kind` lists them.
pub const KINDS: &[&str] = &[
    "support-review",
    "annual-review",
    "reevaluation",
    "deadline",
    "target",
    "action",
    "referral",
    "follow-up",
    "access",
    "training",
];

/// The rules whose dates are the review items (`rules::due_items`); every
/// other rule outcome that is due or overdue is a `deadline` item.
const REVIEW_RULES: &[&str] =
    &["ENG-SUP-REVIEW", "ENG-AR-DUE", "US-IEP-ANNUAL", "US-REEVAL", "US-504-REVIEW", "WAL-IDP-REVIEW", "ENG-ACCESS"];

/// The last day an exam access arrangement holds (ENG-ACCESS): within 26
/// months of the approval, else of the assessment, as the rule counts it.
pub fn access_expiry(a: &AccessArrangement) -> Option<NaiveDate> {
    let from = val(&a.approved).or(val(&a.assessed))?;
    Some(dates::within_months(from, 26))
}

/// The day a course of training lapses: `expires` as written, else the same
/// day `valid_months` after its date; `None` when it never lapses.
pub fn training_expiry(t: &Training) -> Option<NaiveDate> {
    if let Some(e) = val(&t.expires) {
        return Some(e);
    }
    let months = u32::try_from(val(&t.valid_months)?).ok()?;
    Some(dates::add_months(val(&t.date)?, months))
}

/// What `review-due` is asked for.
#[derive(Clone, Debug)]
pub struct Options {
    /// Items due within this many days of today are `due-soon`; overdue items always show.
    pub within: i64,
    pub filter: PupilFilter,
    /// Empty: every kind.
    pub kinds: Vec<String>,
}

/// One row: the JSON contract (docs/queries.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    pub pupil: String,
    pub name: String,
    pub year_group: Option<i64>,
    pub level: Option<String>,
    pub kind: &'static str,
    /// The rule a review or deadline item comes from (`senco explain` says
    /// more); `null` for targets, actions, referrals and follow-ups.
    pub rule: Option<&'static str>,
    pub due: String,
    /// Days from today to the due date; negative when overdue.
    pub days: i64,
    /// `overdue` or `due-soon`.
    pub status: &'static str,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    pub items: Vec<Item>,
}

/// Every dated item of one pupil on roll, whatever its date.
pub fn pupil_items(repo: &Repo, rec: &PupilRecord, today: NaiveDate) -> Vec<(&'static str, NaiveDate, String)> {
    let mut out = Vec::new();
    let Some(pupil) = &rec.pupil else { return out };
    for d in rules::due_items(&repo.settings, rec, today) {
        out.push((d.kind, d.due, d.basis));
    }
    for t in &rec.targets {
        if let (true, Some(due)) = (t.is_open(), val(&t.due)) {
            let id = text(&t.id).unwrap_or("?");
            let detail = match text(&t.outcome) {
                Some(o) => format!("{id}: {}", o.trim()),
                None => id.to_string(),
            };
            out.push(("target", due, detail));
        }
    }
    for r in &rec.reviews {
        for a in r.review.actions.iter().flatten() {
            if let (Some(due), None) = (val(&a.due), &a.done) {
                let mut detail = text(&a.action).unwrap_or("?").trim().to_string();
                if let Some(owner) = text(&a.owner) {
                    detail.push_str(&format!(" (owner: {owner})"));
                }
                detail.push_str(&format!(" [review {}]", r.stem));
                out.push(("action", due, detail));
            }
        }
    }
    for e in &rec.log {
        if let (Some(due), None) = (val(&e.follow_up), &e.followed_up) {
            let kind = e.kind.as_ref().map_or("log", |k| k.value.as_str());
            let summary = text(&e.summary).unwrap_or("?").trim();
            let from = val(&e.date).map(|d| format!(" of {d}")).unwrap_or_default();
            out.push(("follow-up", due, format!("{summary} [{kind}{from}]")));
        }
    }
    // Exam access arrangements lapse 26 months after approval (England).
    if repo.settings.school.jurisdiction == Jurisdiction::England
        && rules::configured(&repo.settings, "ENG-ACCESS", crate::diag::Severity::Warning).is_some()
    {
        for a in pupil.access_arrangements.iter().flatten() {
            if let Some(expires) = access_expiry(a) {
                let name = text(&a.arrangement).unwrap_or("access arrangement").trim();
                let from = if a.approved.is_some() { "approval" } else { "assessment; no approval recorded" };
                out.push(("access", expires, format!("{name}: valid until {expires} (26 months from the {from})")));
            }
        }
    }
    // As in `check`, referrals are followed up for pupils on the register.
    if pupil.level().is_some_and(|l| l.on_register()) {
        let weeks = repo.settings.reviews.referral_wait_weeks;
        for p in pupil.professionals.iter().flatten() {
            if let (Some(ReferralStatus::Waiting), Some(referred)) = (val(&p.status), val(&p.referred)) {
                let service = text(&p.service).unwrap_or("?");
                out.push((
                    "referral",
                    dates::add_weeks(referred, weeks),
                    format!("{service}: waiting since {referred} (limit {weeks} weeks)"),
                ));
            }
        }
    }
    out
}

/// The items due within the window (and all overdue ones), sorted by due
/// date, then pupil, kind and detail.
pub fn query(repo: &Repo, today: NaiveDate, opts: &Options) -> Vec<Item> {
    use rayon::prelude::*;
    let wants = |kind: &str| opts.kinds.is_empty() || opts.kinds.iter().any(|k| k == kind);
    // Pupil by pupil on every core; the order is restored by the sort below.
    let mut items: Vec<Item> = repo
        .pupils
        .par_iter()
        .chain(repo.archived.par_iter())
        .flat_map_iter(|rec| pupil_rows(repo, rec, today, opts, &wants))
        .collect();
    // Staff training that lapses: a school item, with no pupil; shown only
    // when no pupil filter narrows the list.
    if wants("training") && opts.filter.is_empty() {
        for member in &repo.staff {
            for t in member.training.iter().flatten() {
                let Some(expires) = training_expiry(t) else { continue };
                let days = (expires - today).num_days();
                if days > opts.within {
                    continue;
                }
                let who = text(&member.name).unwrap_or("?").trim().to_string();
                let course = text(&t.course).unwrap_or("?").trim();
                let id = text(&member.id).unwrap_or("?");
                let verb = if days < 0 { "expired on" } else { "expires on" };
                items.push(Item {
                    pupil: String::new(),
                    name: who,
                    year_group: None,
                    level: None,
                    kind: "training",
                    rule: None,
                    due: expires.to_string(),
                    days,
                    status: if days < 0 { "overdue" } else { "due-soon" },
                    detail: format!("{course}: {verb} {expires} [staff {id}]"),
                });
            }
        }
    }
    items.sort_by(|a, b| (&a.due, &a.pupil, a.kind, &a.detail).cmp(&(&b.due, &b.pupil, b.kind, &b.detail)));
    items
}

/// One pupil's rows of `query`, unsorted.
fn pupil_rows(
    repo: &Repo,
    rec: &PupilRecord,
    today: NaiveDate,
    opts: &Options,
    wants: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<Item> {
    let mut items = Vec::new();
    let Some(pupil) = &rec.pupil else { return items };
    let row = |kind, rule, due: NaiveDate, days, overdue: bool, detail| Item {
        pupil: rec.dir.clone(),
        name: pupil.display_name(),
        year_group: val(&pupil.year_group),
        level: pupil.level().map(|l| l.as_str().to_string()),
        kind,
        rule,
        due: due.to_string(),
        days,
        status: if overdue { "overdue" } else { "due-soon" },
        detail,
    };
    if !opts.filter.matches(pupil) {
        return items;
    }
    // Every other statutory deadline of the rule pack, as `check` and
    // `senco compliance` give it: due soon or overdue, with its rule.
    if wants("deadline") {
        for o in rules::eval::evaluate(&repo.settings, rec, today) {
            let (Some(due), true) = (o.due, matches!(o.status, Status::Due | Status::Overdue)) else { continue };
            if REVIEW_RULES.contains(&o.rule.code)
                || rules::configured(&repo.settings, o.rule.code, o.rule.severity).is_none()
            {
                continue;
            }
            let days = (due - today).num_days();
            if days > opts.within && o.status != Status::Overdue {
                continue;
            }
            let overdue = days < 0 || o.status == Status::Overdue;
            items.push(row("deadline", Some(o.rule.code), due, days, overdue, o.detail));
        }
    }
    if rec.archived {
        return items;
    }
    let review_rules: Vec<(&'static str, NaiveDate)> =
        rules::due_items(&repo.settings, rec, today).into_iter().map(|d| (d.rule, d.due)).collect();
    for (kind, due, detail) in pupil_items(repo, rec, today) {
        let days = (due - today).num_days();
        if days > opts.within || !wants(kind) {
            continue;
        }
        // Targets and review actions are listed once they are past due, as
        // `check` reports them; reviews, referrals and follow-ups also when due soon.
        if matches!(kind, "target" | "action") && days >= 0 {
            continue;
        }
        let rule = match kind {
            "support-review" | "annual-review" | "reevaluation" => {
                review_rules.iter().find(|(_, d)| *d == due).map(|(r, _)| *r)
            }
            "access" => Some("ENG-ACCESS"),
            _ => None,
        };
        items.push(row(kind, rule, due, days, days < 0, detail));
    }
    items
}

pub fn report(today: NaiveDate, items: Vec<Item>) -> Report {
    Report { version: VERSION, today: today.to_string(), items }
}

pub fn document(items: &[Item], within: i64, j: crate::model::settings::Jurisdiction) -> Document {
    let mut t = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("name"),
            Column::right("year"),
            Column::left("level"),
            Column::left("kind"),
            Column::left("rule"),
            Column::left("due"),
            Column::right("days"),
            Column::left("status"),
            Column::left("detail"),
        ],
        &format!("Nothing overdue or due within {within} days."),
    );
    for i in items {
        t.push(vec![
            i.pupil.clone(),
            i.name.clone(),
            super::year_cell(j, i.year_group),
            i.level.clone().unwrap_or_default(),
            i.kind.to_string(),
            i.rule.unwrap_or("").to_string(),
            i.due.clone(),
            i.days.to_string(),
            i.status.to_string(),
            i.detail.clone(),
        ]);
    }
    Document::table(t)
}
