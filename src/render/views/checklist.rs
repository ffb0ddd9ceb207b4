//! The compliance checklist view. For now it shows the statutory review dates
//! of `rules::due_items` with their status; the full compliance rule engine
//! will replace [`checklist`] (and may add fields) without touching the
//! templates' existing variables.

use super::{due, pupil_view, Ctx, DueView, PupilView, SchoolView};
use crate::model::settings::Jurisdiction;
use crate::model::Level;
use crate::repo::PupilRecord;
use serde::Serialize;
use std::collections::BTreeMap;

/// `checklist.*.j2`.
#[derive(Serialize)]
pub struct Checklist {
    pub school: SchoolView,
    /// `reviews.warn_days`: "due" means within this many days.
    pub warn_days: u32,
    /// One entry per pupil on the register (or the one asked for), by id.
    pub pupils: Vec<PupilChecklist>,
    /// One row per rule that applies to at least one pupil, by code.
    pub rules: Vec<RuleSummary>,
    /// Items not recorded, met, due, overdue, over all pupils.
    pub counts: Counts,
}

#[derive(Serialize)]
pub struct PupilChecklist {
    pub pupil: PupilView,
    pub items: Vec<ChecklistItem>,
}

#[derive(Serialize)]
pub struct ChecklistItem {
    pub rule: &'static str,
    pub statement: &'static str,
    /// The rule's legal source (`rules::rule(code).source`).
    pub citation: &'static str,
    /// `YYYY-MM-DD`; absent when not recorded.
    pub due: Option<String>,
    pub basis: Option<String>,
    /// `met`, `due`, `overdue` or `not-recorded`.
    pub status: &'static str,
    /// Days from today to the due date (negative when overdue).
    pub days: Option<i64>,
}

#[derive(Serialize)]
pub struct RuleSummary {
    pub rule: &'static str,
    pub statement: &'static str,
    pub citation: &'static str,
    pub met: usize,
    pub due: usize,
    pub overdue: usize,
    pub not_recorded: usize,
    /// Names of the pupils with a due, overdue or not-recorded item.
    pub problems: Vec<ProblemPupil>,
}

#[derive(Serialize)]
pub struct ProblemPupil {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub due: Option<String>,
}

#[derive(Default, Serialize)]
pub struct Counts {
    pub met: usize,
    pub due: usize,
    pub overdue: usize,
    pub not_recorded: usize,
}

/// The review rule that applies to a level, for "not recorded" items.
fn review_rule(j: Jurisdiction, level: Level) -> Option<&'static str> {
    match (j, level) {
        (Jurisdiction::England, Level::SenSupport) => Some("ENG-SUP-REVIEW"),
        (Jurisdiction::England, Level::Ehcp) => Some("ENG-AR-DUE"),
        (Jurisdiction::UsIdea, Level::Iep) => Some("US-IEP-ANNUAL"),
        (Jurisdiction::UsIdea, Level::Section504) => Some("US-504-REVIEW"),
        (Jurisdiction::Wales, Level::SchoolIdp | Level::LaIdp) => Some("WAL-IDP-REVIEW"),
        _ => None,
    }
}

fn item(d: DueView) -> ChecklistItem {
    ChecklistItem {
        rule: d.rule,
        statement: d.statement,
        citation: d.source,
        due: Some(d.due),
        basis: Some(d.basis),
        status: d.status,
        days: Some(d.days),
    }
}

pub fn checklist(cx: &Ctx, recs: &[&PupilRecord]) -> Checklist {
    let j = cx.settings.school.jurisdiction;
    let mut pupils = Vec::new();
    let mut rules: BTreeMap<&'static str, RuleSummary> = BTreeMap::new();
    let mut counts = Counts::default();
    for rec in recs {
        let mut items: Vec<ChecklistItem> = due(cx, rec).into_iter().map(item).collect();
        if items.is_empty() {
            if let Some(code) = rec.pupil.as_ref().and_then(|p| p.level()).and_then(|l| review_rule(j, l)) {
                let rule = crate::rules::rule(code);
                items.push(ChecklistItem {
                    rule: code,
                    statement: rule.map_or("", |r| r.statement),
                    citation: rule.map_or("", |r| r.source),
                    due: None,
                    basis: None,
                    status: "not-recorded",
                    days: None,
                });
            }
        }
        let pupil = pupil_view(cx, rec);
        for it in &items {
            let s = rules.entry(it.rule).or_insert_with(|| RuleSummary {
                rule: it.rule,
                statement: it.statement,
                citation: it.citation,
                met: 0,
                due: 0,
                overdue: 0,
                not_recorded: 0,
                problems: Vec::new(),
            });
            let (per_rule, all) = match it.status {
                "met" => (&mut s.met, &mut counts.met),
                "due" => (&mut s.due, &mut counts.due),
                "overdue" => (&mut s.overdue, &mut counts.overdue),
                _ => (&mut s.not_recorded, &mut counts.not_recorded),
            };
            *per_rule += 1;
            *all += 1;
            if it.status != "met" {
                s.problems.push(ProblemPupil {
                    id: pupil.id.clone(),
                    name: pupil.name.clone(),
                    status: it.status,
                    due: it.due.clone(),
                });
            }
        }
        pupils.push(PupilChecklist { pupil, items });
    }
    Checklist {
        school: cx.school(),
        warn_days: cx.settings.reviews.warn_days,
        pupils,
        rules: rules.into_values().collect(),
        counts,
    }
}

/// Pupils a whole-school checklist covers: those on the register.
pub fn register<'a>(cx: &Ctx<'a>) -> Vec<&'a PupilRecord> {
    cx.repo
        .pupils
        .iter()
        .filter(|r| r.pupil.as_ref().and_then(|p| p.level()).is_some_and(|l| l.on_register()))
        .collect()
}
