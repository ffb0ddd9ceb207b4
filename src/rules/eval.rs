//! Evaluating the rule packs: each rule is a plain function from one pupil
//! (plus settings and today) to outcomes. `senco check` turns the outcomes
//! into findings, `senco render checklist` shows them all, met or not.
//!
//! Where a rule needs a fact the records do not hold, the outcome is
//! `NotRecorded`, never silently compliant.

use super::{due_items, rule, DueItem, Rule, Scope};
use crate::model::span::{Span, Spanned};
use crate::model::{val, Level, Pupil, Review, ReviewKind, Role, Settings};
use crate::repo::{PupilRecord, ReviewFile};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Nothing outstanding (a next due date may still be given).
    Met,
    /// Due within the school's `warn_days`.
    Due,
    /// Past its deadline and not done.
    Overdue,
    /// Done late, or a requirement the records show is not met.
    NotMet,
    /// The records do not hold the fact the rule needs.
    NotRecorded,
    /// The rule does not apply to this pupil (their level, age or records
    /// raise no such duty), or a recorded exception lifts it.
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::NotMet => "not met",
            Status::NotRecorded => "not recorded",
            Status::NotApplicable => "not applicable",
        }
    }

    /// The stable word of the JSON and CSV outputs and `--status`:
    /// `met`, `due`, `overdue`, `not-met`, `not-recorded`, `not-applicable`.
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::NotMet => "not-met",
            Status::NotRecorded => "not-recorded",
            Status::NotApplicable => "not-applicable",
        }
    }

    /// Every status, in the order of the words above.
    pub const ALL: [Status; 6] =
        [Status::Met, Status::Due, Status::Overdue, Status::NotMet, Status::NotRecorded, Status::NotApplicable];
}

/// The result of one rule for one pupil.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub rule: &'static Rule,
    pub status: Status,
    /// The deadline, when the rule has one.
    pub due: Option<NaiveDate>,
    /// What the outcome rests on, in words.
    pub detail: String,
    /// `detail` for a parent, when it quotes values a parent should not
    /// read (census codes, a currency code): the pupil's checklist shows it
    /// instead. Dates and need types in it are put into words there too.
    pub words: Option<String>,
    /// The file and span of the fact it rests on.
    pub file: String,
    pub span: Option<Span>,
}

impl Outcome {
    /// Days from today to the deadline (negative: overdue).
    pub fn days(&self, today: NaiveDate) -> Option<i64> {
        self.due.map(|d| (d - today).num_days())
    }
}

/// What every rule function gets: one pupil, the school's settings, today,
/// and what has been worked out once for all rules.
pub struct Cx<'a> {
    pub settings: &'a Settings,
    pub rec: &'a PupilRecord,
    pub pupil: &'a Pupil,
    /// The pupil's level (the watch list for an archived pupil).
    pub level: Level,
    pub today: NaiveDate,
    /// The review dates of `rules::due_items`, shared with `review-due`.
    pub items: Vec<DueItem>,
    /// The next annual review date, from `items`.
    pub next_annual: Option<NaiveDate>,
    /// The pupil's yearly provision cost (`model::cost`), when the caller has it.
    pub yearly_cost: Option<f64>,
    pub out: Vec<Outcome>,
}

impl<'a> Cx<'a> {
    pub fn push(
        &mut self,
        code: &'static str,
        status: Status,
        due: Option<NaiveDate>,
        detail: String,
        file: String,
        span: Option<Span>,
    ) {
        if let Some(rule) = rule(code) {
            self.out.push(Outcome { rule, status, due, detail, words: None, file, span });
        }
    }

    /// Says the outcome just pushed in a parent's words (`Outcome::words`).
    pub fn words(&mut self, words: String) {
        if let Some(o) = self.out.last_mut() {
            o.words = Some(words);
        }
    }

    pub fn pupil_file(&self) -> String {
        self.rec.file("pupil.yaml")
    }

    /// Met, due or overdue for a deadline that has not been acted on yet.
    pub fn pending(&self, due: NaiveDate) -> Status {
        let days = (due - self.today).num_days();
        if days < 0 {
            Status::Overdue
        } else if days <= self.settings.reviews.warn_days as i64 {
            Status::Due
        } else {
            Status::Met
        }
    }

    /// A thing that must be done by `deadline`: done in time, done late, not
    /// done yet (due or overdue), or — when `absent_is_unknown` and the
    /// deadline has passed — not recorded.
    #[allow(clippy::too_many_arguments)]
    pub fn deadline(
        &mut self,
        code: &'static str,
        done: Option<&Spanned<NaiveDate>>,
        deadline: NaiveDate,
        what: &str,
        basis: &str,
        absent_is_unknown: bool,
        file: &str,
        anchor: Option<Span>,
    ) {
        match done {
            Some(d) if d.value <= deadline => self.push(
                code,
                Status::Met,
                Some(deadline),
                format!("{what} on {}, by {deadline} ({basis})", d.value),
                file.into(),
                Some(d.span),
            ),
            Some(d) => {
                let late = (d.value - deadline).num_days();
                self.push(
                    code,
                    Status::NotMet,
                    Some(deadline),
                    format!("{what} on {}, {late} days after {deadline} ({basis})", d.value),
                    file.into(),
                    Some(d.span),
                )
            }
            None if absent_is_unknown && deadline < self.today => self.push(
                code,
                Status::NotRecorded,
                Some(deadline),
                format!("no date recorded for: {what} (due by {deadline}, {basis})"),
                file.into(),
                anchor,
            ),
            None => {
                let status = self.pending(deadline);
                self.push(
                    code,
                    status,
                    Some(deadline),
                    format!("{what}: due by {deadline} ({basis})"),
                    file.into(),
                    anchor,
                )
            }
        }
    }
}

/// Every applicable rule's outcome for one pupil, in registry order.
pub fn evaluate(settings: &Settings, rec: &PupilRecord, today: NaiveDate) -> Vec<Outcome> {
    evaluate_with_cost(settings, rec, today, None)
}

/// `evaluate`, with the pupil's yearly provision cost (`model::cost`, which
/// needs the school's staff and catalogue) for ENG-COST.
pub fn evaluate_with_cost(
    settings: &Settings,
    rec: &PupilRecord,
    today: NaiveDate,
    yearly_cost: Option<f64>,
) -> Vec<Outcome> {
    let Some(pupil) = &rec.pupil else { return Vec::new() };
    let juris = settings.school.jurisdiction;
    let (scope, level) = if rec.archived {
        (Scope::Archived, Level::Monitoring)
    } else {
        // Every pupil on roll, the watch list included: a request for
        // assessment starts its clock whatever the level (each rule guards
        // the levels it applies to).
        match pupil.level().filter(|l| juris.levels().contains(l)) {
            Some(level) => (Scope::Pupil, level),
            None => return Vec::new(),
        }
    };
    let items = if rec.archived { Vec::new() } else { due_items(settings, rec, today) };
    let next_annual = items.iter().filter(|i| i.kind == "annual-review").map(|i| i.due).min();
    let mut cx = Cx { settings, rec, pupil, level, today, items, next_annual, yearly_cost, out: Vec::new() };
    for r in super::pack(juris).iter().filter(|r| r.scope == scope) {
        (r.check)(&mut cx);
    }
    cx.out.sort_by_key(|o| RULE_ORDER.get(o.rule.code).copied().unwrap_or(usize::MAX));
    cx.out
}

impl Cx<'_> {
    /// The outcome of a review-date rule from `items`; not recorded when the
    /// pupil's level calls for the review but nothing gives a date to count from.
    pub fn due_rule(&mut self, code: &'static str) {
        let items: Vec<DueItem> = self.items.iter().filter(|i| i.rule == code).cloned().collect();
        if items.is_empty() {
            let span = self.pupil.support.as_ref().and_then(|s| s.level.as_ref()).map(|l| l.span);
            let file = self.pupil_file();
            self.push(
                code,
                Status::NotRecorded,
                None,
                "no review, plan or start date is recorded to count the deadline from".into(),
                file,
                span,
            );
        }
        for item in items {
            let status = self.pending(item.due);
            let what = match item.kind {
                "support-review" => "SEN support review",
                "annual-review" => "annual review",
                _ => "reevaluation",
            };
            self.push(
                item.rule,
                status,
                Some(item.due),
                format!("{what} due {} ({})", item.due, item.basis),
                item.file,
                item.span,
            );
        }
    }
}

static RULE_ORDER: std::sync::LazyLock<HashMap<&'static str, usize>> =
    std::sync::LazyLock::new(|| super::RULES.iter().enumerate().map(|(i, r)| (r.code, i)).collect());

/// The latest review of a kind that has a date.
pub fn latest(rec: &PupilRecord, kind: ReviewKind) -> Option<&ReviewFile> {
    rec.reviews.iter().rev().find(|r| val(&r.review.kind) == Some(kind) && r.review.date.is_some())
}

/// The roles of everyone invited to or attending a review.
pub fn roles(review: &Review) -> Vec<Role> {
    review.attendees.iter().chain(review.invited.iter()).flatten().filter_map(|a| val(&a.role)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{d, rec};
    use super::*;

    const ENGLAND: &str = "[school]\nname = \"T\"\nsenco = \"S\"\njurisdiction = \"england\"\n[calendar]\nyear_start = 2026-09-02\nyear_end = 2027-07-21\nterms = [\n { name = \"Autumn\", start = 2026-09-02, end = 2026-12-18 },\n { name = \"Spring\", start = 2027-01-04, end = 2027-03-26 },\n { name = \"Summer\", start = 2027-04-12, end = 2027-07-21 },\n]\n";

    fn settings(juris: &str) -> Settings {
        Settings::parse(&ENGLAND.replace("england", juris)).unwrap()
    }

    fn pupil(level: &str, dob: &str, year: i64, support_extra: &str, extra: &str) -> String {
        format!("id: kit-lane\nname: {{ first: Kit, last: Lane }}\ndate_of_birth: {dob}\nyear_group: {year}\nsupport:\n  level: {level}\n  since: 2024-01-10\n{support_extra}{extra}")
    }

    fn status(juris: &str, files: &[(&str, &str)], today: &str, code: &str) -> Vec<Status> {
        let r = rec(files);
        evaluate(&settings(juris), &r, d(today)).into_iter().filter(|o| o.rule.code == code).map(|o| o.status).collect()
    }

    const PLAN: &str = "  plan:\n    issued: 2025-12-01\n";

    fn annual(extra: &str) -> String {
        format!("date: 2026-10-20\nkind: annual\nattendees:\n  - {{ name: P, role: parent }}\n  - {{ name: S, role: SENCO }}\ninvited:\n  - {{ name: L, role: local-authority }}\n  - {{ name: H, role: health }}\n  - {{ name: C, role: social-care }}\n{extra}")
    }

    /// The remaining cells of the rule matrix: every rule with a deadline has a
    /// case where it is met, due soon, breached and not recorded, across the
    /// tests of this module; these are the cases the other tests leave out.
    #[test]
    fn rule_matrix_remaining_cells() {
        let eng = |today: &str, code: &str, files: &[(&str, &str)]| status("england", files, today, code);
        let us = |today: &str, code: &str, files: &[(&str, &str)]| status("us-idea", files, today, code);
        // ENG-AR-UNDER5, not recorded: no review and no plan date.
        let young = pupil("ehcp", "2022-06-01", -1, "", "");
        assert_eq!(eng("2026-03-01", "ENG-AR-UNDER5", &[("pupil.yaml", &young)]), [Status::NotRecorded]);
        // ENG-SUP-PARENTS, not recorded: no [calendar] to count terms.
        let p = pupil("sen-support", "2016-04-01", 4, "", "");
        let no_cal = Settings::parse("[school]\nname = \"T\"\njurisdiction = \"england\"\n").unwrap();
        let out = evaluate(&no_cal, &rec(&[("pupil.yaml", &p)]), d("2026-11-24"));
        let parents: Vec<Status> = out.iter().filter(|o| o.rule.code == "ENG-SUP-PARENTS").map(|o| o.status).collect();
        assert_eq!(parents, [Status::NotRecorded]);
        // ENG-EHC-TIMELINE, breached: the decision came after 6 weeks; met: plan within 20 weeks.
        let late = pupil(
            "sen-support",
            "2016-04-01",
            4,
            "  request:\n    requested: 2026-01-05\n    decision: 2026-03-01\n    issued: 2026-05-01\n",
            "",
        );
        assert_eq!(eng("2026-06-01", "ENG-EHC-TIMELINE", &[("pupil.yaml", &late)]), [Status::NotMet, Status::Met]);
        // ENG-AR-REPORT and ENG-AR-DECISION, breached: done late.
        let ehcp = pupil("ehcp", "2010-04-01", 10, PLAN, "");
        let review = annual("report_sent: 2026-11-10\nla_decision: 2026-11-30\n");
        let files = [("pupil.yaml", ehcp.as_str()), ("reviews/2026-10-20-annual.yaml", review.as_str())];
        assert_eq!(eng("2026-12-05", "ENG-AR-REPORT", &files), [Status::NotMet]);
        assert_eq!(eng("2026-12-05", "ENG-AR-DECISION", &files), [Status::NotMet]);
        // ENG-AR-NOTICE, due: a meeting ahead whose invitations are not out yet.
        let ahead = annual("");
        let files = [("pupil.yaml", ehcp.as_str()), ("reviews/2026-10-20-annual.yaml", ahead.as_str())];
        assert_eq!(eng("2026-10-01", "ENG-AR-NOTICE", &files), [Status::Due, Status::Due]);
        // US-EVAL-60, met: evaluated in time. US-MAJORITY, met: told of the rights.
        let eval = pupil(
            "monitoring",
            "2016-01-15",
            4,
            "  request:\n    consent: 2026-09-01\n    evaluated: 2026-10-15\n",
            "",
        );
        assert_eq!(us("2026-11-01", "US-EVAL-60", &[("pupil.yaml", &eval)]), [Status::Met]);
        let told = pupil(
            "iep",
            "2008-01-15",
            12,
            "  plan:\n    issued: 2025-12-01\n    rights_transfer_informed: 2025-12-01\n",
            "",
        );
        assert_eq!(us("2026-06-01", "US-MAJORITY", &[("pupil.yaml", &told)]), [Status::Met]);
        // US-COMPONENTS, met: every component recorded.
        let full = pupil(
            "iep",
            "2016-01-15",
            4,
            "  plan:\n    issued: 2025-12-01\n    progress_reporting: termly\n    accommodations: [extra time]\n    participation: 80% in general education\n",
            "",
        );
        let needs =
            "- id: n\n  area: cognition-and-learning\n  primary: true\n  description: Reads two years below grade.\n";
        let goals = "- id: g\n  need: n\n  outcome: Read 90 wpm.\n  success_criteria: 90 wpm on 3 probes.\n";
        let services =
            "- id: s\n  name: Reading\n  targets: [g]\n  start: 2026-01-05\n  sessions_per_week: 3\n  minutes: 30\n";
        let files = [
            ("pupil.yaml", full.as_str()),
            ("needs.yaml", needs),
            ("targets.yaml", goals),
            ("interventions.yaml", services),
        ];
        assert_eq!(us("2026-06-01", "US-COMPONENTS", &files), [Status::Met]);
        // US-IEP-ANNUAL and US-REEVAL, not recorded: an IEP with no dates.
        let bare = pupil("iep", "2016-01-15", 4, "", "");
        assert_eq!(us("2026-06-01", "US-IEP-ANNUAL", &[("pupil.yaml", &bare)]), [Status::NotRecorded]);
        assert_eq!(us("2026-06-01", "US-REEVAL", &[("pupil.yaml", &bare)]), [Status::NotRecorded]);
        // WAL-IDP-REVIEW: met, due, not recorded.
        let idp = pupil("school-idp", "2016-01-15", 4, "  plan:\n    issued: 2026-01-10\n", "");
        let wal = |today: &str, p: &str| status("wales", &[("pupil.yaml", p)], today, "WAL-IDP-REVIEW");
        assert_eq!(wal("2026-06-01", &idp), [Status::Met]);
        assert_eq!(wal("2026-12-20", &idp), [Status::Due]);
        let nothing = "id: kit-lane\nname: { first: Kit, last: Lane }\ndate_of_birth: 2016-01-15\nyear_group: 4\nsupport:\n  level: school-idp\n";
        assert_eq!(wal("2026-06-01", nothing), [Status::NotRecorded]);
        // WAL-IDP-DECIDE: terms that end before 35 school days no longer
        // make it "not recorded" (domain-rules v2): the count runs on into
        // this year's calendar + 52 weeks, as an estimate.
        let concern = pupil("school-idp", "2016-01-15", 4, "  request:\n    requested: 2027-07-01\n", "");
        assert_ne!(status("wales", &[("pupil.yaml", &concern)], "2027-07-05", "WAL-IDP-DECIDE"), [Status::NotRecorded]);
    }
}
