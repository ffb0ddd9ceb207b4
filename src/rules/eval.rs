//! Evaluating the rule packs: each rule is a plain function from one pupil
//! (plus settings and today) to outcomes. `senco check` turns the outcomes
//! into findings, `senco render checklist` shows them all, met or not.
//!
//! Where a rule needs a fact the records do not hold, the outcome is
//! `NotRecorded`, never silently compliant.

use super::dates::{add_days, add_months, add_school_days, add_weeks, add_years, age_on};
use super::{due_items, rule, Rule};
use crate::model::settings::Jurisdiction;
use crate::model::{text, val, Level, Pupil, Review, ReviewKind, Role, Settings};
use crate::repo::decode::Spanned;
use crate::repo::yaml::Span;
use crate::repo::{PupilRecord, ReviewFile};
use chrono::{Datelike, NaiveDate};
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
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::NotMet => "not met",
            Status::NotRecorded => "not recorded",
        }
    }
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

/// What every rule function gets.
struct Cx<'a> {
    settings: &'a Settings,
    rec: &'a PupilRecord,
    pupil: &'a Pupil,
    level: Level,
    today: NaiveDate,
    out: Vec<Outcome>,
}

impl<'a> Cx<'a> {
    fn push(
        &mut self,
        code: &'static str,
        status: Status,
        due: Option<NaiveDate>,
        detail: String,
        file: String,
        span: Option<Span>,
    ) {
        if let Some(rule) = rule(code) {
            self.out.push(Outcome { rule, status, due, detail, file, span });
        }
    }

    fn pupil_file(&self) -> String {
        self.rec.file("pupil.yaml")
    }

    /// Met, due or overdue for a deadline that has not been acted on yet.
    fn pending(&self, due: NaiveDate) -> Status {
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
    fn deadline(
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
    if rec.archived {
        let mut cx = Cx { settings, rec, pupil, level: Level::Monitoring, today, out: Vec::new() };
        if juris == Jurisdiction::England {
            eng_retain(&mut cx);
        }
        return cx.out;
    }
    let Some(level) = pupil.level().filter(|l| juris.levels().contains(l) && l.on_register()) else {
        return Vec::new();
    };
    let mut cx = Cx { settings, rec, pupil, level, today, out: Vec::new() };
    let items = due_items(settings, rec, today);
    let next_annual = items.iter().filter(|i| i.kind == "annual-review").map(|i| i.due).min();
    let expected: &[&str] = match (juris, level) {
        (Jurisdiction::England, Level::SenSupport) => &["ENG-SUP-REVIEW"],
        (Jurisdiction::England, Level::Ehcp) => &["ENG-AR-DUE"],
        (Jurisdiction::UsIdea, Level::Iep) => &["US-IEP-ANNUAL", "US-REEVAL"],
        (Jurisdiction::UsIdea, Level::Section504) => &["US-504-REVIEW"],
        (Jurisdiction::Wales, _) => &["WAL-IDP-REVIEW"],
        _ => &[],
    };
    for code in expected.iter().filter(|c| !items.iter().any(|i| i.rule == **c)) {
        let span = pupil.support.as_ref().and_then(|s| s.level.as_ref()).map(|l| l.span);
        let file = cx.pupil_file();
        cx.push(
            code,
            Status::NotRecorded,
            None,
            "no review, plan or start date is recorded to count the deadline from".into(),
            file,
            span,
        );
    }
    for item in items {
        let status = cx.pending(item.due);
        let what = match item.kind {
            "support-review" => "SEN support review",
            "annual-review" => "annual review",
            _ => "reevaluation",
        };
        cx.push(
            item.rule,
            status,
            Some(item.due),
            format!("{what} due {} ({})", item.due, item.basis),
            item.file,
            item.span,
        );
    }
    match juris {
        Jurisdiction::England => {
            eng_sup_parents(&mut cx);
            eng_sup_notify(&mut cx);
            if level == Level::Ehcp {
                eng_ar_under5(&mut cx);
                if let Some(r) = latest(rec, ReviewKind::Annual) {
                    eng_annual_review(&mut cx, r);
                }
                eng_phase(&mut cx);
            }
            eng_ehc_timeline(&mut cx);
            if let Some(cost) = yearly_cost {
                eng_cost(&mut cx, cost);
            }
            eng_census(&mut cx);
        }
        Jurisdiction::UsIdea => {
            us_eval_60(&mut cx);
            if level == Level::Iep {
                us_iep_30(&mut cx);
                us_transition_16(&mut cx, next_annual);
                us_majority(&mut cx);
                us_components(&mut cx);
            }
        }
        Jurisdiction::Wales => wal_idp_decide(&mut cx),
    }
    cx.out.sort_by_key(|o| RULE_ORDER.get(o.rule.code).copied().unwrap_or(usize::MAX));
    cx.out
}

static RULE_ORDER: std::sync::LazyLock<HashMap<&'static str, usize>> =
    std::sync::LazyLock::new(|| super::RULES.iter().enumerate().map(|(i, r)| (r.code, i)).collect());

fn latest(rec: &PupilRecord, kind: ReviewKind) -> Option<&ReviewFile> {
    rec.reviews.iter().rev().find(|r| val(&r.review.kind) == Some(kind) && r.review.date.is_some())
}

fn roles(review: &Review) -> Vec<Role> {
    review.attendees.iter().chain(review.invited.iter()).flatten().filter_map(|a| val(&a.role)).collect()
}

fn eng_sup_parents(cx: &mut Cx) {
    if cx.level != Level::SenSupport {
        return;
    }
    let Some(cal) = &cx.settings.calendar else {
        let file = cx.pupil_file();
        cx.push(
            "ENG-SUP-PARENTS",
            Status::NotRecorded,
            None,
            "no [calendar] in senco.toml to count terms".into(),
            file,
            None,
        );
        return;
    };
    let finished = cal.terms.iter().filter(|t| t.end < cx.today).count().min(3);
    let met: Vec<&ReviewFile> = cx
        .rec
        .reviews
        .iter()
        .filter(|r| val(&r.review.date).is_some_and(|d| cal.year_start <= d && d <= cal.year_end && d <= cx.today))
        .filter(|r| roles(&r.review).iter().any(|x| matches!(x, Role::Parent | Role::Carer)))
        .collect();
    let anchor = met.last().and_then(|r| r.review.date.as_ref().map(|d| (r.path.clone(), d.span)));
    let (file, span) = anchor.map_or((cx.pupil_file(), None), |(f, s)| (f, Some(s)));
    let detail = format!("{} meeting(s) with parents this year; {finished} term(s) finished", met.len());
    let status = if met.len() >= finished { Status::Met } else { Status::NotMet };
    cx.push("ENG-SUP-PARENTS", status, None, detail, file, span);
}

fn eng_sup_notify(cx: &mut Cx) {
    let has_parent = cx.pupil.contacts.iter().flatten().any(|c| val(&c.parental_responsibility) == Some(true));
    let has_record =
        !cx.rec.reviews.is_empty() || cx.pupil.consent.as_ref().and_then(|c| c.information_sharing.as_ref()).is_some();
    let file = cx.pupil_file();
    let span = cx.pupil.support.as_ref().and_then(|s| s.level.as_ref()).map(|l| l.span);
    if has_parent && has_record {
        cx.push(
            "ENG-SUP-NOTIFY",
            Status::Met,
            None,
            "a parent contact and a review or consent are on record".into(),
            file,
            span,
        );
    } else {
        let missing =
            if has_parent { "no review or consent on record" } else { "no contact with parental responsibility" };
        cx.push(
            "ENG-SUP-NOTIFY",
            Status::NotRecorded,
            None,
            format!("whether parents were told: {missing}"),
            file,
            span,
        );
    }
}

fn eng_ar_under5(cx: &mut Cx) {
    let Some(dob) = val(&cx.pupil.date_of_birth) else { return };
    if age_on(dob, cx.today) >= 5 {
        return;
    }
    let last = cx
        .rec
        .reviews
        .iter()
        .rev()
        .filter(|r| val(&r.review.date).is_some_and(|d| d <= cx.today))
        .find_map(|r| r.review.date.as_ref().map(|d| (r.path.clone(), d.clone())));
    let issued = cx.pupil.plan().and_then(|p| p.issued.clone());
    let (file, from) = match (last, issued) {
        (Some((f, d)), _) => (f, d),
        (None, Some(i)) => (cx.pupil_file(), i),
        (None, None) => {
            let file = cx.pupil_file();
            let detail = "under 5: no review and no plan date recorded to count 6 months from".to_string();
            cx.push("ENG-AR-UNDER5", Status::NotRecorded, None, detail, file, None);
            return;
        }
    };
    let due = add_months(from.value, 6);
    let status = cx.pending(due);
    cx.push(
        "ENG-AR-UNDER5",
        status,
        Some(due),
        format!("under 5: review within 6 months of {} (by {due})", from.value),
        file,
        Some(from.span),
    );
}

fn eng_annual_review(cx: &mut Cx, r: &ReviewFile) {
    let Some(date) = r.review.date.clone() else { return };
    let d = date.value;
    let file = r.path.clone();
    let notice = d.checked_sub_days(chrono::Days::new(14)).unwrap_or(d);
    let rv = &r.review;
    cx.deadline(
        "ENG-AR-NOTICE",
        rv.invitations_sent.as_ref(),
        notice,
        "invitations sent",
        "2 weeks before the meeting",
        true,
        &file,
        Some(date.span),
    );
    cx.deadline(
        "ENG-AR-NOTICE",
        rv.papers_circulated.as_ref(),
        notice,
        "advice circulated",
        "2 weeks before the meeting",
        true,
        &file,
        Some(date.span),
    );
    // Invitees: parent, school, local authority, health, social care.
    let have = roles(rv);
    let groups: [(&str, &[Role]); 5] = [
        ("parent", &[Role::Parent, Role::Carer, Role::Pupil]),
        ("school", &[Role::Senco, Role::Teacher, Role::SchoolLeader, Role::TeachingAssistant]),
        ("local-authority", &[Role::LocalAuthority]),
        ("health", &[Role::Health, Role::Therapist]),
        ("social-care", &[Role::SocialCare]),
    ];
    let missing: Vec<&str> =
        groups.iter().filter(|(_, rs)| !rs.iter().any(|r| have.contains(r))).map(|(n, _)| *n).collect();
    if missing.is_empty() {
        cx.push(
            "ENG-AR-INVITEES",
            Status::Met,
            None,
            "parent, school, local authority, health and social care invited".into(),
            file.clone(),
            Some(date.span),
        );
    } else {
        cx.push(
            "ENG-AR-INVITEES",
            Status::NotMet,
            None,
            format!("no invitee or attendee recorded for: {}", missing.join(", ")),
            file.clone(),
            Some(date.span),
        );
    }
    if d <= cx.today {
        cx.deadline(
            "ENG-AR-REPORT",
            rv.report_sent.as_ref(),
            add_days(d, 14),
            "review report sent",
            "2 weeks after the meeting",
            false,
            &file,
            Some(date.span),
        );
        cx.deadline(
            "ENG-AR-DECISION",
            rv.la_decision.as_ref(),
            add_days(d, 28),
            "local authority decision",
            "4 weeks after the meeting",
            false,
            &file,
            Some(date.span),
        );
    }
    if val(&cx.pupil.year_group).is_some_and(|y| y >= 9) {
        let has = rv.preparing_for_adulthood.as_ref().is_some_and(|t| !t.value.trim().is_empty());
        let (status, detail) = if has {
            (Status::Met, "preparing for adulthood recorded".to_string())
        } else {
            (Status::NotMet, "Year 9 or above: the annual review records no `preparing_for_adulthood`".to_string())
        };
        cx.push("ENG-AR-PFA", status, None, detail, file, Some(date.span));
    }
}

fn eng_phase(cx: &mut Cx) {
    let Some(t) = &cx.pupil.transition else { return };
    let (Some(date), Some(phase)) = (&t.date, &t.phase) else { return };
    if date.value < cx.today {
        return;
    }
    let year = date.value.year();
    let deadline = match phase.value {
        crate::model::Phase::SecondaryPost16 => NaiveDate::from_ymd_opt(year, 3, 31),
        _ => NaiveDate::from_ymd_opt(year, 2, 15),
    };
    let Some(deadline) = deadline else { return };
    let plan = cx.pupil.plan();
    let named = plan.and_then(|p| text(&p.named_setting)).is_some();
    let amended = plan.and_then(|p| p.amended.as_ref()).filter(|_| named);
    let file = cx.pupil_file();
    cx.deadline(
        "ENG-PHASE",
        amended,
        deadline,
        "plan amended to name the new setting",
        "phase transfer",
        false,
        &file,
        Some(date.span),
    );
}

fn eng_ehc_timeline(cx: &mut Cx) {
    let Some(req) = cx.pupil.support.as_ref().and_then(|s| s.request.as_ref()) else { return };
    let Some(requested) = &req.requested else { return };
    let file = cx.pupil_file();
    let r = requested.value;
    cx.deadline(
        "ENG-EHC-TIMELINE",
        req.decision.as_ref(),
        add_weeks(r, 6),
        "decision to assess",
        "6 weeks from the request",
        false,
        &file,
        Some(requested.span),
    );
    let issued = req.issued.as_ref().or(cx.pupil.plan().and_then(|p| p.issued.as_ref()).filter(|i| i.value >= r));
    cx.deadline(
        "ENG-EHC-TIMELINE",
        issued,
        add_weeks(r, 20),
        "final EHC plan issued",
        "20 weeks from the request",
        false,
        &file,
        Some(requested.span),
    );
}

fn eng_cost(cx: &mut Cx, cost: f64) {
    let c = &cx.settings.costs;
    let (status, detail) = if cost > c.notional_threshold {
        (
            Status::NotMet,
            format!(
                "additional provision costs {cost:.2} {} a year, above the notional threshold of {:.2}",
                c.currency, c.notional_threshold
            ),
        )
    } else {
        (
            Status::Met,
            format!("additional provision costs {cost:.2} {} a year, within {:.2}", c.currency, c.notional_threshold),
        )
    };
    let file = cx.rec.file("interventions.yaml");
    cx.push("ENG-COST", status, None, detail, file, None);
}

fn eng_census(cx: &mut Cx) {
    if cx.rec.is_broken("needs.yaml") {
        return; // already an error; guessing here would only add noise
    }
    let file = cx.rec.file("needs.yaml");
    let primary = cx.rec.needs.iter().find(|n| val(&n.primary) == Some(true));
    let code = if cx.level == Level::Ehcp { "E" } else { "K" };
    match primary.and_then(|n| n.r#type.as_ref()) {
        // No needs at all is `no-needs` already; the census code cannot be
        // known until they are recorded.
        None if cx.rec.needs.is_empty() => cx.push(
            "ENG-CENSUS",
            Status::NotRecorded,
            None,
            format!("census code {code} needs a primary need with a `type`; no needs are recorded yet"),
            file,
            None,
        ),
        None => {
            let span = primary.map(|n| n.span);
            cx.push(
                "ENG-CENSUS",
                Status::NotMet,
                None,
                format!("census code {code} needs a primary need with a `type`"),
                file,
                span,
            )
        }
        Some(t) if t.value == "NSA" && cx.level == Level::Ehcp => cx.push(
            "ENG-CENSUS",
            Status::NotMet,
            None,
            "type NSA is only used with SEN support (K), not with an EHC plan".into(),
            file,
            Some(t.span),
        ),
        Some(t) => cx.push(
            "ENG-CENSUS",
            Status::Met,
            None,
            format!("census code {code}, primary type {}", t.value),
            file,
            Some(t.span),
        ),
    }
}

fn eng_retain(cx: &mut Cx) {
    let Some(dob) = &cx.pupil.date_of_birth else { return };
    let years = cx.settings.jurisdiction.retention_years;
    let until = add_years(dob.value, years);
    let status = if until < cx.today { Status::Overdue } else { Status::Met };
    let file = cx.pupil_file();
    cx.push(
        "ENG-RETAIN",
        status,
        Some(until),
        format!("keep until {until} (date of birth + {years} years)"),
        file,
        Some(dob.span),
    );
}

fn us_eval_60(cx: &mut Cx) {
    let Some(req) = cx.pupil.support.as_ref().and_then(|s| s.request.as_ref()) else { return };
    let Some(consent) = &req.consent else { return };
    let days = cx.settings.jurisdiction.evaluation_days;
    let file = cx.pupil_file();
    cx.deadline(
        "US-EVAL-60",
        req.evaluated.as_ref(),
        add_days(consent.value, days as u64),
        "initial evaluation completed",
        &format!("{days} days from consent"),
        false,
        &file,
        Some(consent.span),
    );
}

fn us_iep_30(cx: &mut Cx) {
    let Some(eligible) = cx.pupil.support.as_ref().and_then(|s| s.request.as_ref()).and_then(|r| r.eligible.clone())
    else {
        return;
    };
    let issued = cx.pupil.plan().and_then(|p| p.issued.clone()).filter(|i| i.value >= eligible.value);
    let file = cx.pupil_file();
    cx.deadline(
        "US-IEP-30",
        issued.as_ref(),
        add_days(eligible.value, 30),
        "IEP meeting held",
        "30 days from eligibility",
        false,
        &file,
        Some(eligible.span),
    );
}

/// `next_annual`: the next annual review date, from the due items `evaluate`
/// already computed.
fn us_transition_16(cx: &mut Cx, next_annual: Option<NaiveDate>) {
    let Some(dob) = val(&cx.pupil.date_of_birth) else { return };
    let next = next_annual.unwrap_or(cx.today);
    if age_on(dob, next.max(cx.today)) < 16 {
        return;
    }
    if cx.rec.is_broken("targets.yaml") {
        return;
    }
    let has = cx.rec.targets.iter().any(|t| t.is_open() && val(&t.transition) == Some(true));
    let file = cx.rec.file("targets.yaml");
    let (status, detail) = if has {
        (Status::Met, "an open postsecondary (transition) goal is recorded".to_string())
    } else {
        (Status::NotMet, "16 or older by the next IEP: no open target with `transition: true`".to_string())
    };
    cx.push("US-TRANSITION-16", status, None, detail, file, None);
}

fn us_majority(cx: &mut Cx) {
    let Some(dob) = val(&cx.pupil.date_of_birth) else { return };
    let majority = cx.settings.jurisdiction.age_of_majority;
    let from = add_years(dob, majority.saturating_sub(1));
    if cx.today < from {
        return;
    }
    let file = cx.pupil_file();
    match cx.pupil.plan().and_then(|p| p.rights_transfer_informed.as_ref()) {
        Some(d) => cx.push(
            "US-MAJORITY",
            Status::Met,
            Some(from),
            format!("told of the transfer of rights on {}", d.value),
            file,
            Some(d.span),
        ),
        None => cx.push(
            "US-MAJORITY",
            Status::NotRecorded,
            Some(from),
            format!("{} from {from}: `plan.rights_transfer_informed` is not recorded", majority.saturating_sub(1)),
            file,
            None,
        ),
    }
}

fn us_components(cx: &mut Cx) {
    if ["needs.yaml", "targets.yaml", "interventions.yaml"].iter().any(|f| cx.rec.is_broken(f)) {
        return;
    }
    let plan = cx.pupil.plan();
    let mut missing = Vec::new();
    if cx.rec.needs.is_empty() || cx.rec.needs.iter().any(|n| n.description.is_none()) {
        missing.push("present levels (needs with a description)");
    }
    if cx.rec.targets.is_empty() || cx.rec.targets.iter().any(|t| t.is_open() && t.success_criteria.is_none()) {
        missing.push("measurable goals (targets with success criteria)");
    }
    if plan.and_then(|p| p.progress_reporting.as_ref()).is_none() {
        missing.push("progress reporting (`plan.progress_reporting`)");
    }
    if cx.rec.interventions.is_empty()
        || cx.rec.interventions.iter().any(|i| i.sessions_per_week.is_none() || i.minutes.is_none())
    {
        missing.push("services with frequency and duration");
    }
    if plan.and_then(|p| p.participation.as_ref()).is_none() {
        missing.push("participation with non-disabled peers (`plan.participation`)");
    }
    if plan.and_then(|p| p.accommodations.as_ref()).is_none() {
        missing.push("accommodations (`plan.accommodations`)");
    }
    let file = cx.pupil_file();
    if missing.is_empty() {
        cx.push("US-COMPONENTS", Status::Met, None, "every required IEP component is recorded".into(), file, None);
    } else {
        cx.push("US-COMPONENTS", Status::NotRecorded, None, missing.join("; "), file, None);
    }
}

fn wal_idp_decide(cx: &mut Cx) {
    let Some(requested) = cx.pupil.support.as_ref().and_then(|s| s.request.as_ref()).and_then(|r| r.requested.clone())
    else {
        return;
    };
    let file = cx.pupil_file();
    let terms: Vec<(NaiveDate, NaiveDate)> =
        cx.settings.calendar.iter().flat_map(|c| c.terms.iter().map(|t| (t.start, t.end))).collect();
    let Some(deadline) = add_school_days(requested.value, 35, &terms) else {
        cx.push(
            "WAL-IDP-DECIDE",
            Status::NotRecorded,
            None,
            "the term dates in senco.toml do not reach 35 school days after the concern".into(),
            file,
            Some(requested.span),
        );
        return;
    };
    let issued = cx.pupil.plan().and_then(|p| p.issued.clone()).filter(|i| i.value >= requested.value);
    cx.deadline(
        "WAL-IDP-DECIDE",
        issued.as_ref(),
        deadline,
        "IDP given",
        "35 school days from the concern",
        false,
        &file,
        Some(requested.span),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGLAND: &str = "[school]\nname = \"T\"\nsenco = \"S\"\njurisdiction = \"england\"\n[calendar]\nyear_start = 2026-09-02\nyear_end = 2027-07-21\nterms = [\n { name = \"Autumn\", start = 2026-09-02, end = 2026-12-18 },\n { name = \"Spring\", start = 2027-01-04, end = 2027-03-26 },\n { name = \"Summer\", start = 2027-04-12, end = 2027-07-21 },\n]\n";

    fn settings(juris: &str) -> Settings {
        Settings::parse(&ENGLAND.replace("england", juris)).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        crate::repo::decode::parse_date(s).unwrap()
    }

    /// A pupil folder from YAML texts: `files` are (path in the folder, text).
    fn rec(files: &[(&str, &str)]) -> PupilRecord {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("pupils/kit-lane");
        std::fs::create_dir_all(base.join("reviews")).unwrap();
        for (name, text) in files {
            std::fs::write(base.join(name), text).unwrap();
        }
        let rec = crate::repo::load_pupil(dir.path(), "pupils", "kit-lane".into(), false);
        assert!(rec.findings.is_empty(), "{:?}", rec.findings);
        rec
    }

    fn pupil(level: &str, dob: &str, year: i64, support_extra: &str, extra: &str) -> String {
        format!("id: kit-lane\nname: {{ first: Kit, last: Lane }}\ndate_of_birth: {dob}\nyear_group: {year}\nsupport:\n  level: {level}\n  since: 2024-01-10\n{support_extra}{extra}")
    }

    fn status(juris: &str, files: &[(&str, &str)], today: &str, code: &str) -> Vec<Status> {
        let r = rec(files);
        evaluate(&settings(juris), &r, d(today)).into_iter().filter(|o| o.rule.code == code).map(|o| o.status).collect()
    }

    const PLAN: &str = "  plan:\n    issued: 2025-12-01\n";

    #[test]
    fn eng_ar_due_met_due_overdue_and_not_recorded() {
        let p = pupil("ehcp", "2015-04-01", 6, PLAN, "");
        let files = [("pupil.yaml", p.as_str())];
        assert_eq!(status("england", &files, "2026-06-01", "ENG-AR-DUE"), [Status::Met]);
        assert_eq!(status("england", &files, "2026-11-10", "ENG-AR-DUE"), [Status::Due]);
        assert_eq!(status("england", &files, "2026-12-01", "ENG-AR-DUE"), [Status::Overdue]);
        let bare = pupil("ehcp", "2015-04-01", 6, "", "");
        assert_eq!(status("england", &[("pupil.yaml", &bare)], "2026-06-01", "ENG-AR-DUE"), [Status::NotRecorded]);
    }

    #[test]
    fn eng_sup_review_counts_weeks_from_the_last_review() {
        let p = pupil("sen-support", "2016-04-01", 4, "", "");
        let review = "date: 2026-10-01\nkind: termly\n";
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-10-01.yaml", review)];
        // 2026-10-01 + 12 weeks = 2026-12-24.
        assert_eq!(status("england", &files, "2026-11-01", "ENG-SUP-REVIEW"), [Status::Met]);
        assert_eq!(status("england", &files, "2026-12-01", "ENG-SUP-REVIEW"), [Status::Due]);
        assert_eq!(status("england", &files, "2026-12-25", "ENG-SUP-REVIEW"), [Status::Overdue]);
        let nosince = "id: kit-lane\nname: { first: Kit, last: Lane }\ndate_of_birth: 2016-04-01\nyear_group: 4\nsupport:\n  level: sen-support\n";
        assert_eq!(
            status("england", &[("pupil.yaml", nosince)], "2026-12-25", "ENG-SUP-REVIEW"),
            [Status::NotRecorded]
        );
    }

    fn annual(extra: &str) -> String {
        format!("date: 2026-10-20\nkind: annual\nattendees:\n  - {{ name: P, role: parent }}\n  - {{ name: S, role: SENCO }}\ninvited:\n  - {{ name: L, role: local-authority }}\n  - {{ name: H, role: health }}\n  - {{ name: C, role: social-care }}\n{extra}")
    }

    #[test]
    fn eng_annual_review_deadlines() {
        let p = pupil("ehcp", "2010-04-01", 10, PLAN, "");
        let run = |review: &str, today: &str, code: &str| {
            status("england", &[("pupil.yaml", &p), ("reviews/2026-10-20-annual.yaml", review)], today, code)
        };
        let good = annual("invitations_sent: 2026-10-01\npapers_circulated: 2026-10-06\nreport_sent: 2026-11-02\nla_decision: 2026-11-10\npreparing_for_adulthood: College options.\n");
        assert_eq!(run(&good, "2026-12-01", "ENG-AR-NOTICE"), [Status::Met, Status::Met]);
        assert_eq!(run(&good, "2026-12-01", "ENG-AR-INVITEES"), [Status::Met]);
        assert_eq!(run(&good, "2026-12-01", "ENG-AR-REPORT"), [Status::Met]);
        assert_eq!(run(&good, "2026-12-01", "ENG-AR-DECISION"), [Status::Met]);
        assert_eq!(run(&good, "2026-12-01", "ENG-AR-PFA"), [Status::Met]);
        // Late papers; report not yet sent (due within 2 weeks), then overdue.
        let late = annual("invitations_sent: 2026-10-01\npapers_circulated: 2026-10-15\n");
        assert_eq!(run(&late, "2026-10-25", "ENG-AR-NOTICE"), [Status::Met, Status::NotMet]);
        assert_eq!(run(&late, "2026-10-25", "ENG-AR-REPORT"), [Status::Due]);
        assert_eq!(run(&late, "2026-11-05", "ENG-AR-REPORT"), [Status::Overdue]);
        assert_eq!(run(&late, "2026-11-05", "ENG-AR-PFA"), [Status::NotMet]);
        // Nothing recorded about notice: not recorded, never silently met.
        let bare = annual("");
        assert_eq!(run(&bare, "2026-11-05", "ENG-AR-NOTICE"), [Status::NotRecorded, Status::NotRecorded]);
        let few = "date: 2026-10-20\nkind: annual\nattendees:\n  - { name: P, role: parent }\n";
        assert_eq!(run(few, "2026-11-05", "ENG-AR-INVITEES"), [Status::NotMet]);
    }

    #[test]
    fn eng_under5_pfa_only_where_they_apply() {
        let young = pupil("ehcp", "2022-06-01", -1, PLAN, "");
        assert_eq!(status("england", &[("pupil.yaml", &young)], "2026-03-01", "ENG-AR-UNDER5"), [Status::Met]);
        assert_eq!(status("england", &[("pupil.yaml", &young)], "2026-05-20", "ENG-AR-UNDER5"), [Status::Due]);
        assert_eq!(status("england", &[("pupil.yaml", &young)], "2026-06-02", "ENG-AR-UNDER5"), [Status::Overdue]);
        let older = pupil("ehcp", "2015-04-01", 6, PLAN, "");
        assert!(status("england", &[("pupil.yaml", &older)], "2026-06-02", "ENG-AR-UNDER5").is_empty());
    }

    #[test]
    fn eng_phase_transfer_deadlines() {
        let t = "transition:\n  next_setting: Northfield High\n  date: 2027-09-01\n  phase: primary-secondary\n";
        let unamended = pupil("ehcp", "2015-04-01", 6, PLAN, t);
        let files = [("pupil.yaml", unamended.as_str())];
        assert_eq!(status("england", &files, "2026-11-24", "ENG-PHASE"), [Status::Met]);
        assert_eq!(status("england", &files, "2027-02-01", "ENG-PHASE"), [Status::Due]);
        assert_eq!(status("england", &files, "2027-02-16", "ENG-PHASE"), [Status::Overdue]);
        let amended = pupil(
            "ehcp",
            "2015-04-01",
            6,
            "  plan:\n    issued: 2025-12-01\n    amended: 2027-01-20\n    named_setting: Northfield High\n",
            t,
        );
        assert_eq!(status("england", &[("pupil.yaml", &amended)], "2027-02-16", "ENG-PHASE"), [Status::Met]);
        let post16 = pupil("ehcp", "2010-04-01", 11, PLAN, &t.replace("primary-secondary", "secondary-post16"));
        assert_eq!(status("england", &[("pupil.yaml", &post16)], "2027-03-20", "ENG-PHASE"), [Status::Due]);
        assert_eq!(status("england", &[("pupil.yaml", &post16)], "2027-04-01", "ENG-PHASE"), [Status::Overdue]);
    }

    #[test]
    fn eng_ehc_timeline() {
        let req = "  request:\n    requested: 2026-09-15\n";
        let p = pupil("sen-support", "2016-04-01", 4, req, "");
        // Decision due 6 weeks after the request: 2026-10-27.
        assert_eq!(status("england", &[("pupil.yaml", &p)], "2026-10-10", "ENG-EHC-TIMELINE")[0], Status::Due);
        assert_eq!(status("england", &[("pupil.yaml", &p)], "2026-10-28", "ENG-EHC-TIMELINE")[0], Status::Overdue);
        let decided = pupil("sen-support", "2016-04-01", 4, &format!("{req}    decision: 2026-10-20\n"), "");
        assert_eq!(status("england", &[("pupil.yaml", &decided)], "2026-10-28", "ENG-EHC-TIMELINE")[0], Status::Met);
    }

    #[test]
    fn eng_census_needs_a_typed_primary_need() {
        let p = pupil("sen-support", "2016-04-01", 4, "", "");
        let typed = "- id: r\n  area: cognition-and-learning\n  type: SPLD\n  primary: true\n";
        assert_eq!(
            status("england", &[("pupil.yaml", &p), ("needs.yaml", typed)], "2026-11-24", "ENG-CENSUS"),
            [Status::Met]
        );
        let untyped = "- id: r\n  area: cognition-and-learning\n  primary: true\n";
        assert_eq!(
            status("england", &[("pupil.yaml", &p), ("needs.yaml", untyped)], "2026-11-24", "ENG-CENSUS"),
            [Status::NotMet]
        );
        let e = pupil("ehcp", "2016-04-01", 4, PLAN, "");
        let nsa = "- id: r\n  area: cognition-and-learning\n  type: NSA\n  primary: true\n";
        assert_eq!(
            status("england", &[("pupil.yaml", &e), ("needs.yaml", nsa)], "2026-11-24", "ENG-CENSUS"),
            [Status::NotMet]
        );
    }

    #[test]
    fn us_rules() {
        let plan = "  plan:\n    issued: 2025-12-01\n    next_reevaluation: 2027-01-10\n";
        let p = pupil("iep", "2010-01-15", 10, plan, "");
        let files = [("pupil.yaml", p.as_str())];
        assert_eq!(status("us-idea", &files, "2026-06-01", "US-IEP-ANNUAL"), [Status::Met]);
        assert_eq!(status("us-idea", &files, "2026-12-20", "US-REEVAL"), [Status::Due]);
        assert_eq!(status("us-idea", &files, "2027-01-11", "US-REEVAL"), [Status::Overdue]);
        // 16 by the next IEP review (2026-11-30): needs a transition goal.
        assert_eq!(status("us-idea", &files, "2026-06-01", "US-TRANSITION-16"), [Status::NotMet]);
        let goal = "- id: g\n  need: n\n  outcome: Work experience.\n  transition: true\n";
        let needs = "- id: n\n  area: cognition-and-learning\n  primary: true\n";
        assert_eq!(
            status(
                "us-idea",
                &[("pupil.yaml", &p), ("targets.yaml", goal), ("needs.yaml", needs)],
                "2026-06-01",
                "US-TRANSITION-16"
            ),
            [Status::Met]
        );
        // 17 from 2027-01-15: rights transfer must be recorded.
        assert!(status("us-idea", &files, "2026-06-01", "US-MAJORITY").is_empty());
        assert_eq!(status("us-idea", &files, "2027-02-01", "US-MAJORITY"), [Status::NotRecorded]);
        assert_eq!(status("us-idea", &files, "2026-06-01", "US-COMPONENTS"), [Status::NotRecorded]);
        let eval = pupil("section-504", "2016-01-15", 4, "  request:\n    consent: 2026-09-01\n", "");
        assert_eq!(status("us-idea", &[("pupil.yaml", &eval)], "2026-10-15", "US-EVAL-60"), [Status::Due]);
        assert_eq!(status("us-idea", &[("pupil.yaml", &eval)], "2026-11-01", "US-EVAL-60"), [Status::Overdue]);
        // A 504 plan since 2024-01-10 with no review since: overdue.
        assert_eq!(status("us-idea", &[("pupil.yaml", &eval)], "2026-11-01", "US-504-REVIEW"), [Status::Overdue]);
    }

    #[test]
    fn wales_rules_count_school_days() {
        let p = pupil("school-idp", "2016-01-15", 4, "  request:\n    requested: 2026-09-02\n", "");
        // 35 school days from Wed 2 Sep 2026 with no half term in these terms: Wed 21 Oct.
        let files = [("pupil.yaml", p.as_str())];
        assert_eq!(status("wales", &files, "2026-10-01", "WAL-IDP-DECIDE"), [Status::Due]);
        assert_eq!(status("wales", &files, "2026-10-22", "WAL-IDP-DECIDE"), [Status::Overdue]);
        let given = pupil(
            "school-idp",
            "2016-01-15",
            4,
            "  request:\n    requested: 2026-09-02\n  plan:\n    issued: 2026-10-21\n",
            "",
        );
        assert_eq!(status("wales", &[("pupil.yaml", &given)], "2026-10-22", "WAL-IDP-DECIDE"), [Status::Met]);
        assert_eq!(status("wales", &[("pupil.yaml", &given)], "2027-10-21", "WAL-IDP-REVIEW"), [Status::Overdue]);
    }

    #[test]
    fn eng_sup_parents_counts_meetings_against_finished_terms() {
        let p = pupil("sen-support", "2016-04-01", 4, "", "");
        let with_parent = |d: &str| format!("date: {d}\nkind: termly\nattendees:\n  - {{ name: P, role: Parent }}\n");
        let autumn = with_parent("2026-10-01");
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-10-01.yaml", autumn.as_str())];
        // No term finished yet: met. Autumn finished, one meeting: met. Spring finished too: not met.
        assert_eq!(status("england", &files, "2026-11-24", "ENG-SUP-PARENTS"), [Status::Met]);
        assert_eq!(status("england", &files, "2027-01-10", "ENG-SUP-PARENTS"), [Status::Met]);
        assert_eq!(status("england", &files, "2027-04-01", "ENG-SUP-PARENTS"), [Status::NotMet]);
        let no_parent = "date: 2026-10-01\nkind: termly\nattendees:\n  - { name: T, role: teacher }\n";
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-10-01.yaml", no_parent)];
        assert_eq!(status("england", &files, "2027-01-10", "ENG-SUP-PARENTS"), [Status::NotMet]);
    }

    #[test]
    fn eng_sup_notify_is_not_recorded_without_a_parent_contact() {
        let bare = pupil("sen-support", "2016-04-01", 4, "", "");
        assert_eq!(status("england", &[("pupil.yaml", &bare)], "2026-11-24", "ENG-SUP-NOTIFY"), [Status::NotRecorded]);
        let told = pupil(
            "sen-support",
            "2016-04-01",
            4,
            "",
            "contacts:\n  - name: M\n    parental_responsibility: true\nconsent:\n  information_sharing: 2024-01-10\n",
        );
        assert_eq!(status("england", &[("pupil.yaml", &told)], "2026-11-24", "ENG-SUP-NOTIFY"), [Status::Met]);
        // Watch-list pupils are not on the register: no register rules at all.
        let watch = pupil("monitoring", "2016-04-01", 4, "", "");
        assert!(evaluate(&settings("england"), &rec(&[("pupil.yaml", &watch)]), d("2026-11-24")).is_empty());
    }

    #[test]
    fn us_iep_30_counts_from_eligibility() {
        let plan = |issued: &str| format!("  request:\n    eligible: 2026-09-01\n  plan:\n    issued: {issued}\n");
        let late = pupil("iep", "2016-01-15", 4, &plan("2026-10-15"), "");
        assert_eq!(status("us-idea", &[("pupil.yaml", &late)], "2026-11-01", "US-IEP-30"), [Status::NotMet]);
        let on_time = pupil("iep", "2016-01-15", 4, &plan("2026-09-25"), "");
        assert_eq!(status("us-idea", &[("pupil.yaml", &on_time)], "2026-11-01", "US-IEP-30"), [Status::Met]);
        let waiting = pupil(
            "iep",
            "2016-01-15",
            4,
            "  request:\n    eligible: 2026-09-01\n  plan:\n    issued: 2024-05-01\n",
            "",
        );
        assert_eq!(status("us-idea", &[("pupil.yaml", &waiting)], "2026-09-20", "US-IEP-30"), [Status::Due]);
        assert_eq!(status("us-idea", &[("pupil.yaml", &waiting)], "2026-10-02", "US-IEP-30"), [Status::Overdue]);
    }

    #[test]
    fn eng_retain_applies_to_archived_pupils_only() {
        let p = pupil("sen-support", "1990-05-01", 6, "", "left: 2002-07-20\n");
        let mut r = rec(&[("pupil.yaml", &p)]);
        r.archived = true;
        let s = settings("england");
        let out = evaluate(&s, &r, d("2021-05-01"));
        assert_eq!((out.len(), out[0].rule.code, out[0].status), (1, "ENG-RETAIN", Status::Met));
        assert_eq!(out[0].due, Some(d("2021-05-01")));
        assert_eq!(evaluate(&s, &r, d("2021-05-02"))[0].status, Status::Overdue);
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
            "section-504",
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
        // WAL-IDP-DECIDE, not recorded: terms end before 35 school days.
        let concern = pupil("school-idp", "2016-01-15", 4, "  request:\n    requested: 2027-07-01\n", "");
        assert_eq!(status("wales", &[("pupil.yaml", &concern)], "2027-07-05", "WAL-IDP-DECIDE"), [Status::NotRecorded]);
    }
}
