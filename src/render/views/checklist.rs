//! The compliance checklist view: every applicable rule of the school's rule
//! pack, per pupil, as met, due, overdue, not met or not recorded, with its
//! citation; and the whole-school counts per rule with the pupils behind
//! each problem.

use super::{pupil_view, Ctx, PupilView, SchoolView};
use crate::repo::PupilRecord;
use crate::rules::configured;
use crate::rules::eval::{evaluate_with_cost, Outcome, Status};
use serde::Serialize;
use std::collections::BTreeMap;

/// `checklist.*.j2`.
#[derive(Serialize)]
pub struct Checklist {
    pub school: SchoolView,
    /// The checklist of one pupil asked for by name (`render checklist ID`):
    /// a summary for parents, without rule codes.
    pub pupil_summary: bool,
    /// `reviews.warn_days`: "due" means within this many days.
    pub warn_days: u32,
    /// One entry per pupil on the register (or the one asked for), by id.
    pub pupils: Vec<PupilChecklist>,
    /// One row per rule that applies to at least one pupil, by code.
    pub rules: Vec<RuleSummary>,
    /// Items not recorded, met, due, overdue, over all pupils.
    pub counts: Counts,
    /// Rules about the school rather than a pupil (a designated SENCO or
    /// ALNCo), in registry order; empty when every one is turned off.
    pub school_rules: Vec<ChecklistItem>,
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
    /// The rule for a parent: its `plain` statement where it has one (the
    /// census rule), else its statement, with dates and need codes in words.
    pub statement_words: String,
    /// The rule's legal source (`rules::rule(code).source`).
    pub citation: &'static str,
    /// The deadline, `YYYY-MM-DD`, for rules that have one.
    pub due: Option<String>,
    /// What the outcome rests on, in words.
    pub basis: Option<String>,
    /// `met`, `due`, `overdue`, `not-met` or `not-recorded`.
    pub status: &'static str,
    /// `Met`, `Due soon`, `Overdue`, `Not met`, `Not recorded`.
    pub status_label: &'static str,
    /// `basis` in plain words for parents: dates in words, need codes named,
    /// field names as words.
    pub detail: Option<String>,
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
    pub not_met: usize,
    pub not_recorded: usize,
    /// Names of the pupils with a due, overdue or not-recorded item.
    pub problems: Vec<ProblemPupil>,
}

#[derive(Serialize)]
pub struct ProblemPupil {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub due: Option<String>,
}

#[derive(Default, Serialize)]
pub struct Counts {
    pub met: usize,
    pub due: usize,
    pub overdue: usize,
    pub not_met: usize,
    pub not_recorded: usize,
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Due => "due",
        Status::Overdue => "overdue",
        Status::NotMet => "not-met",
        Status::NotRecorded => "not-recorded",
        Status::NotApplicable => "not-applicable",
    }
}

/// The status in words.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "met" => "Met",
        "due" => "Due soon",
        "overdue" => "Overdue",
        "not-met" => "Not met",
        "not-applicable" => "Not applicable",
        _ => "Not recorded",
    }
}

/// A rule's detail in words a parent reads: dates in words, census codes
/// named, `field_names` as plain words.
pub fn plain(j: crate::model::settings::Jurisdiction, s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut parts = s.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        if i % 2 == 0 {
            out.push_str(&part.replace(['_', '-', '.'], " "));
        } else {
            out.push_str(part);
        }
    }
    super::words::codes_in_words(j, &super::words::dates_in_words(&out))
}

fn item(o: &Outcome, today: chrono::NaiveDate, j: crate::model::settings::Jurisdiction) -> ChecklistItem {
    ChecklistItem {
        status_label: status_label(status_word(o.status)),
        statement_words: plain(j, o.rule.plain.unwrap_or(o.rule.statement)),
        detail: Some(plain(j, o.words.as_deref().unwrap_or(&o.detail))),
        rule: o.rule.code,
        statement: o.rule.statement,
        citation: o.rule.source,
        due: o.due.map(|d| d.to_string()),
        basis: Some(o.detail.clone()),
        status: status_word(o.status),
        days: o.days(today),
    }
}

/// Every applicable rule of the school's pack for each pupil, as the rule
/// engine (`rules::eval`) evaluates it; rules the school turned off in
/// `[rules]` are left out.
pub fn checklist(cx: &Ctx, recs: &[&PupilRecord]) -> Checklist {
    let mut pupils = Vec::new();
    let mut rules: BTreeMap<&'static str, RuleSummary> = BTreeMap::new();
    let mut counts = Counts::default();
    for rec in recs {
        let cost = crate::model::cost::pupil_yearly(
            cx.settings,
            &rec.interventions,
            |iv| crate::model::text(&iv.staff).and_then(|id| cx.staff.get(id).copied()),
            |iv| crate::model::text(&iv.provision).and_then(|id| cx.catalogue.get(id).copied()),
        );
        let items: Vec<ChecklistItem> = evaluate_with_cost(cx.settings, rec, cx.today, Some(cost))
            .iter()
            .filter(|o| configured(cx.settings, o.rule.code, o.rule.severity).is_some())
            .filter(|o| o.status != Status::NotApplicable)
            .map(|o| item(o, cx.today, cx.settings.school.jurisdiction))
            .collect();
        let pupil = pupil_view(cx, rec);
        for it in &items {
            let s = rules.entry(it.rule).or_insert_with(|| RuleSummary {
                rule: it.rule,
                statement: it.statement,
                citation: it.citation,
                met: 0,
                due: 0,
                overdue: 0,
                not_met: 0,
                not_recorded: 0,
                problems: Vec::new(),
            });
            let (per_rule, all) = match it.status {
                "met" => (&mut s.met, &mut counts.met),
                "due" => (&mut s.due, &mut counts.due),
                "overdue" => (&mut s.overdue, &mut counts.overdue),
                "not-met" => (&mut s.not_met, &mut counts.not_met),
                _ => (&mut s.not_recorded, &mut counts.not_recorded),
            };
            *per_rule += 1;
            *all += 1;
            if it.status != "met" {
                s.problems.push(ProblemPupil {
                    id: pupil.id.clone(),
                    name: pupil.name.clone(),
                    status: it.status,
                    status_label: it.status_label,
                    due: it.due.clone(),
                });
            }
        }
        pupils.push(PupilChecklist { pupil, items });
    }
    let order = |code: &str| crate::rules::RULES.iter().position(|r| r.code == code).unwrap_or(usize::MAX);
    let mut rules: Vec<RuleSummary> = rules.into_values().collect();
    rules.sort_by_key(|r| order(r.rule));
    let school_rules = crate::rules::RULES
        .iter()
        .filter(|r| matches!(r.code, "ENG-SENCO" | "WAL-ALNCO") && r.jurisdiction == cx.settings.school.jurisdiction)
        .filter(|r| configured(cx.settings, r.code, r.severity).is_some())
        .map(|r| {
            let named = cx.settings.school.senco.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let basis = match named {
                Some(n) => format!("senco.toml names {n}"),
                None => "no one is named as `school.senco` in senco.toml".to_string(),
            };
            ChecklistItem {
                statement_words: plain(cx.settings.school.jurisdiction, r.plain.unwrap_or(r.statement)),
                status_label: status_label(if named.is_some() { "met" } else { "not-met" }),
                detail: Some(match named {
                    Some(n) => format!("{n} is the named coordinator"),
                    None => "No coordinator is named".to_string(),
                }),
                rule: r.code,
                statement: r.statement,
                citation: r.source,
                due: None,
                basis: Some(basis),
                status: if named.is_some() { "met" } else { "not-met" },
                days: None,
            }
        })
        .collect::<Vec<_>>();
    let mut school_rules = school_rules;
    if cx.settings.school.jurisdiction == crate::model::settings::Jurisdiction::England
        && configured(cx.settings, "ENG-SENCO", crate::diag::Severity::Warning).is_some()
    {
        let staff = crate::rules::england::senco_outcomes(cx.settings, &cx.repo.staff, cx.today);
        school_rules.extend(
            staff
                .iter()
                .filter(|o| o.status != Status::NotApplicable)
                .map(|o| item(o, cx.today, cx.settings.school.jurisdiction)),
        );
    }
    Checklist {
        school: cx.school(),
        pupil_summary: false,
        warn_days: cx.settings.reviews.warn_days,
        pupils,
        rules,
        counts,
        school_rules,
    }
}

/// The checklist of one pupil, for parents (`pupil_summary`).
pub fn pupil_checklist(cx: &Ctx, rec: &PupilRecord) -> Checklist {
    Checklist { pupil_summary: true, ..checklist(cx, &[rec]) }
}

/// Pupils a whole-school checklist covers: those on the register.
pub fn register<'a>(cx: &Ctx<'a>) -> Vec<&'a PupilRecord> {
    cx.repo
        .pupils
        .iter()
        .filter(|r| r.pupil.as_ref().and_then(|p| p.level()).is_some_and(|l| l.on_register()))
        .collect()
}
