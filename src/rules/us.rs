//! The United States rule pack: IDEA (34 CFR Part 300) and Section 504
//! (34 CFR Part 104). Each rule's registry entry sits beside the function that
//! evaluates it.

use super::dates::{add_days, add_years, age_on};
use super::eval::{Cx, Status};
use super::{DueItem, Rule, Scope};
use crate::diag::Severity::{Info, Warning};
use crate::model::settings::{DayCount, Jurisdiction::UsIdea as US};
use crate::model::span::{Span, Spanned};
use crate::model::{text, val, AssessmentKind, Level, Request, RequestFor, RequestOutcome, ReviewKind};
use crate::repo::PupilRecord;
use chrono::NaiveDate;

/// The US pack, in the order `senco rules` lists it.
pub static RULES: &[&Rule] = &[
    &US_IEP_ANNUAL,
    &US_REEVAL,
    &US_EVAL_60,
    &US_IEP_30,
    &US_TRANSITION_16,
    &US_MAJORITY,
    &US_COMPONENTS,
    &US_SAFEGUARDS,
    &US_PROGRESS,
    &US_504_REVIEW,
];

pub static US_IEP_ANNUAL: Rule = Rule {
    code: "US-IEP-ANNUAL",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The IEP is reviewed periodically, but not less than annually.",
    provision: "Each public agency must ensure that the IEP Team reviews the child's IEP periodically, but not less than annually, to determine whether the annual goals for the child are being achieved (300.324(b)(1)(i)).",
    source: "34 CFR 300.324(b)(1)(i)",
    check: us_iep_annual,
};

fn us_iep_annual(cx: &mut Cx) {
    if cx.level == Level::Iep {
        cx.due_rule("US-IEP-ANNUAL");
    }
}

pub static US_REEVAL: Rule = Rule {
    code: "US-REEVAL",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "A reevaluation at least once every 3 years unless parent and district agree it is unnecessary; not more than once a year unless they agree.",
    provision: "A reevaluation may occur not more than once a year, unless the parent and the public agency agree otherwise; and must occur at least once every 3 years, unless the parent and the public agency agree that a reevaluation is unnecessary (300.303(b)).",
    source: "34 CFR 300.303(a)-(b)",
    check: us_reeval,
};

fn us_reeval(cx: &mut Cx) {
    if cx.level != Level::Iep {
        return;
    }
    let file = cx.pupil_file();
    let plan = cx.pupil.plan();
    let next = plan.and_then(|p| p.next_reevaluation.as_ref());
    let evals = evaluations(cx.rec, cx.today);
    // 300.303(b)(1): "not more than once a year, unless the parent and the
    // public agency agree otherwise".
    for pair in evals.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.date < add_years(a.date, 1) && !b.agreed {
            cx.push(
                "US-REEVAL",
                Status::NotMet,
                None,
                format!(
                    "evaluations on {} and {} are less than a year apart, and the later one does not record that the parent and the district agreed (`agreed: true`)",
                    a.date, b.date
                ),
                b.file.clone(),
                b.span,
            );
        }
    }
    match reevaluation(cx.rec, cx.today) {
        Reeval::Due(_) => cx.due_rule("US-REEVAL"),
        Reeval::Waived(w, last) => {
            let since = last.map(|l| format!(" (last evaluation {l})")).unwrap_or_default();
            cx.push(
                "US-REEVAL",
                Status::Met,
                None,
                format!("the parent and the district agreed on {} that a reevaluation is unnecessary{since}", w.value),
                file,
                Some(w.span),
            )
        }
        Reeval::NoEvaluation => {
            let shown = match next {
                Some(n) => format!("; `plan.next_reevaluation` says {}", n.value),
                None => String::new(),
            };
            cx.push(
                "US-REEVAL",
                Status::NotRecorded,
                None,
                format!(
                    "no evaluation date is recorded to count 3 years from (an assessment with `kind: evaluation` or `reevaluation`, `request.evaluated` or `plan.last_evaluation`){shown}"
                ),
                file,
                next.map(|n| n.span).or_else(|| cx.pupil.support.as_ref().and_then(|s| s.level.as_ref()).map(|l| l.span)),
            )
        }
    }
}

/// One recorded (re)evaluation.
pub struct Evaluation {
    pub date: NaiveDate,
    pub agreed: bool,
    pub basis: String,
    pub file: String,
    pub span: Option<Span>,
}

/// Every evaluation held by `today`, oldest first: assessments with `kind:
/// evaluation` or `reevaluation` (or an id, tool or measure naming a
/// reevaluation), the IDEA requests' `evaluated` dates, and
/// `plan.last_evaluation`. Never the IEP's date: an IEP re-issued each year
/// is not an evaluation (300.303 counts from the evaluation).
pub fn evaluations(rec: &PupilRecord, today: NaiveDate) -> Vec<Evaluation> {
    let mut out = Vec::new();
    for a in &rec.assessments {
        let kind = val(&a.kind);
        let named = matches!(kind, Some(AssessmentKind::Evaluation | AssessmentKind::Reevaluation))
            || (kind.is_none() && super::is_reevaluation(a));
        if let (true, Some(d)) = (named, a.date.as_ref()) {
            if d.value <= today {
                let what = if kind == Some(AssessmentKind::Evaluation) { "evaluation" } else { "reevaluation" };
                out.push(Evaluation {
                    date: d.value,
                    agreed: val(&a.agreed) == Some(true),
                    basis: format!("the {what} `{}` on {}", text(&a.id).unwrap_or("?"), d.value),
                    file: rec.file("assessments.yaml"),
                    span: Some(d.span),
                });
            }
        }
    }
    if let Some(support) = rec.pupil.as_ref().and_then(|p| p.support.as_ref()) {
        for r in support.all_requests().filter(|r| val(&r.r#for) != Some(RequestFor::Section504)) {
            if let Some(d) = r.evaluated.as_ref().filter(|d| d.value <= today) {
                out.push(Evaluation {
                    date: d.value,
                    agreed: true,
                    basis: format!("the evaluation completed on {}", d.value),
                    file: rec.file("pupil.yaml"),
                    span: Some(d.span),
                });
            }
        }
        if let Some(d) = support.plan.as_ref().and_then(|p| p.last_evaluation.as_ref()).filter(|d| d.value <= today) {
            out.push(Evaluation {
                date: d.value,
                agreed: true,
                basis: format!("the last evaluation on {} (`plan.last_evaluation`)", d.value),
                file: rec.file("pupil.yaml"),
                span: Some(d.span),
            });
        }
    }
    out.sort_by_key(|e| e.date);
    // The same evaluation recorded twice (an assessment and `last_evaluation`) is one.
    out.dedup_by_key(|e| e.date);
    out
}

/// Where US-REEVAL stands for a pupil with an IEP.
pub enum Reeval<'a> {
    /// The next reevaluation is due on this date.
    Due(DueItem),
    /// `plan.reevaluation_waived` after the last evaluation.
    Waived(&'a Spanned<NaiveDate>, Option<NaiveDate>),
    /// No evaluation date recorded.
    NoEvaluation,
}

/// The reevaluation due date of 300.303(b)(2): "at least once every 3
/// years" from the last evaluation, the same date 3 years on; or
/// `plan.next_reevaluation` when the team set an earlier one.
pub fn reevaluation(rec: &PupilRecord, today: NaiveDate) -> Reeval<'_> {
    let plan = rec.pupil.as_ref().and_then(|p| p.plan());
    let last = evaluations(rec, today).pop();
    if let Some(w) = plan.and_then(|p| p.reevaluation_waived.as_ref()) {
        if last.as_ref().is_none_or(|l| w.value >= l.date) {
            return Reeval::Waived(w, last.map(|l| l.date));
        }
    }
    let Some(last) = last else { return Reeval::NoEvaluation };
    let three = add_years(last.date, 3);
    let item = match plan.and_then(|p| p.next_reevaluation.as_ref()).filter(|n| n.value < three) {
        Some(n) => DueItem {
            rule: "US-REEVAL",
            kind: "reevaluation",
            due: n.value,
            basis: format!("planned for {} (`plan.next_reevaluation`), before 3 years after {}", n.value, last.basis),
            file: rec.file("pupil.yaml"),
            span: Some(n.span),
        },
        None => DueItem {
            rule: "US-REEVAL",
            kind: "reevaluation",
            due: three,
            basis: format!("3 years after {}", last.basis),
            file: last.file,
            span: last.span,
        },
    };
    Reeval::Due(item)
}

pub static US_EVAL_60: Rule = Rule {
    code: "US-EVAL-60",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The initial evaluation is completed within 60 days of receiving parental consent, or within the state's timeframe.",
    provision: "The initial evaluation must be conducted within 60 days of receiving parental consent for evaluation; or, if the State establishes a timeframe within which the evaluation must be conducted, within that timeframe (300.301(c)(1)), except as 300.301(d) provides.",
    source: "34 CFR 300.301(c)-(d)",
    check: us_eval_60,
};

/// Whether a request is for an IDEA evaluation: `for: iep`, or no `for` on
/// the record of a pupil who is not at level `section-504` (on a Section 504
/// student's record, a request without `for` is taken as the 504 evaluation,
/// and the outcome says how to mark it otherwise).
fn is_idea(r: &Request, level: Level) -> bool {
    match val(&r.r#for) {
        Some(RequestFor::Iep) => true,
        Some(RequestFor::Section504) => false,
        None => level != Level::Section504,
    }
}

/// An outcome other than `assessing` stops a request's clock.
fn stopped(r: &Request) -> Option<RequestOutcome> {
    val(&r.outcome).filter(|o| *o != RequestOutcome::Assessing)
}

fn us_eval_60(cx: &mut Cx) {
    let Some(support) = cx.pupil.support.as_ref() else { return };
    let file = cx.pupil_file();
    for r in support.all_requests() {
        let Some(consent) = &r.consent else { continue };
        if !is_idea(r, cx.level) {
            let why = if r.r#for.is_some() {
                "a Section 504 evaluation (`for: section-504`) has no federal timeline".to_string()
            } else {
                "taken as a Section 504 evaluation (the student's level is `section-504`), which has no federal timeline; write `for: iep` on the request if it is a referral for an IDEA evaluation".to_string()
            };
            cx.push("US-EVAL-60", Status::NotApplicable, None, why, file.clone(), Some(consent.span));
            continue;
        }
        let days = cx.settings.jurisdiction.evaluation_days;
        let (deadline, unit, estimated) = match cx.settings.jurisdiction.evaluation_days_are {
            DayCount::Calendar => (add_days(consent.value, days as u64), "days", false),
            DayCount::School => {
                match super::dates::SchoolCalendar::from_settings(cx.settings)
                    .and_then(|c| c.add_school_days(consent.value, days))
                {
                    Some(d) => (d.date, "school days", d.estimated),
                    None => {
                        cx.push(
                            "US-EVAL-60",
                            Status::NotRecorded,
                            None,
                            format!("`evaluation_days_are = \"school\"` needs the term dates in senco.toml's [calendar] to count {days} school days from consent on {}", consent.value),
                            file.clone(),
                            Some(consent.span),
                        );
                        continue;
                    }
                }
            }
        };
        let mut basis = format!("{days} {unit} from parental consent on {}", consent.value);
        if estimated {
            basis.push_str(", estimated from this year's calendar");
        }
        // 300.301(d): the timeframe does not apply where the parent repeatedly
        // fails to produce the child, or the child moved district and a time
        // was agreed (`exception.to`).
        let mut deadline = deadline;
        if let Some(e) = &r.exception {
            let reason = text(&e.reason).unwrap_or("an exception").trim();
            match &e.to {
                Some(to) if to.value > deadline => {
                    deadline = to.value;
                    basis = format!("extended to {} by agreement under 300.301(d): {reason}", to.value);
                }
                Some(_) => {}
                None => {
                    cx.push(
                        "US-EVAL-60",
                        Status::NotApplicable,
                        None,
                        format!("the timeframe does not apply (300.301(d)): {reason}"),
                        file.clone(),
                        Some(e.span),
                    );
                    continue;
                }
            }
        }
        // Done: the evaluation's date, else the eligibility determination it led to.
        let done = r.evaluated.as_ref().or(r.eligible.as_ref());
        let what = if r.evaluated.is_some() { "initial evaluation completed" } else { "eligibility determined" };
        if done.is_none() {
            if let Some(o) = stopped(r) {
                let on = r.outcome_date.as_ref();
                match on {
                    Some(d) if d.value > deadline => {
                        let late = (d.value - deadline).num_days();
                        cx.push(
                            "US-EVAL-60",
                            Status::NotMet,
                            Some(deadline),
                            format!("no evaluation by {deadline} ({basis}); the request ended `{}` on {}, {late} days later", o.as_str(), d.value),
                            file.clone(),
                            Some(d.span),
                        );
                    }
                    _ => cx.push(
                        "US-EVAL-60",
                        Status::NotApplicable,
                        Some(deadline),
                        format!(
                            "the clock stopped: the request ended `{}`{}",
                            o.as_str(),
                            on.map(|d| format!(" on {}", d.value)).unwrap_or_default()
                        ),
                        file.clone(),
                        r.outcome.as_ref().map(|o| o.span),
                    ),
                }
                continue;
            }
        }
        cx.deadline("US-EVAL-60", done, deadline, what, &basis, false, &file, Some(consent.span));
    }
}

pub static US_IEP_30: Rule = Rule {
    code: "US-IEP-30",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "A meeting to develop the initial IEP is held within 30 days of the determination of eligibility.",
    provision: "A meeting to develop an IEP for the child is conducted within 30 days of a determination that the child needs special education and related services (300.323(c)(1)).",
    source: "34 CFR 300.323(c)(1)",
    check: us_iep_30,
};

fn us_iep_30(cx: &mut Cx) {
    let Some(support) = cx.pupil.support.as_ref() else { return };
    let file = cx.pupil_file();
    let plan = support.plan.as_ref();
    // The initial IEP: `plan.initial_issued`; `plan.issued` only while no
    // annual review has been held (after one, `issued` is a later IEP).
    let annual_held =
        cx.rec.reviews.iter().any(|r| {
            val(&r.review.kind) == Some(ReviewKind::Annual) && val(&r.review.date).is_some_and(|d| d <= cx.today)
        });
    let initial = plan.and_then(|p| p.initial_issued.as_ref()).or_else(|| {
        if annual_held {
            None
        } else {
            plan.and_then(|p| p.issued.as_ref())
        }
    });
    let level = cx.level;
    for r in support.all_requests().filter(|r| is_idea(r, level)) {
        let Some(eligible) = &r.eligible else { continue };
        if stopped(r) == Some(RequestOutcome::NotEligible) {
            cx.push(
                "US-IEP-30",
                Status::NotApplicable,
                None,
                "the request ended `not-eligible`: no IEP is due".into(),
                file.clone(),
                r.outcome.as_ref().map(|o| o.span),
            );
            continue;
        }
        let deadline = add_days(eligible.value, 30);
        let basis = format!("30 days from the determination of eligibility on {}", eligible.value);
        match initial {
            // An initial IEP made before this determination: it is a
            // redetermination at a reevaluation, not the initial one.
            Some(i) if plan.and_then(|p| p.initial_issued.as_ref()).is_some() && i.value < eligible.value => cx.push(
                "US-IEP-30",
                Status::NotApplicable,
                None,
                format!("the initial IEP was made on {}, before this determination on {}", i.value, eligible.value),
                file.clone(),
                Some(i.span),
            ),
            Some(i) if i.value >= eligible.value => {
                cx.deadline("US-IEP-30", Some(i), deadline, "initial IEP meeting held", &basis, false, &file, None)
            }
            _ if annual_held && plan.and_then(|p| p.initial_issued.as_ref()).is_none() => cx.push(
                "US-IEP-30",
                Status::NotRecorded,
                Some(deadline),
                format!("the date of the initial IEP is not recorded (`plan.initial_issued`); it was due by {deadline} ({basis})"),
                file.clone(),
                Some(eligible.span),
            ),
            _ => cx.deadline("US-IEP-30", None, deadline, "initial IEP meeting", &basis, false, &file, Some(eligible.span)),
        }
    }
}

pub static US_TRANSITION_16: Rule = Rule {
    code: "US-TRANSITION-16",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "From the first IEP in effect when the student turns 16, the IEP holds measurable postsecondary goals and transition services.",
    provision: "Beginning not later than the first IEP to be in effect when the child turns 16, or younger if determined appropriate by the IEP Team, and updated annually, the IEP must include appropriate measurable postsecondary goals and the transition services needed to assist the child in reaching those goals (300.320(b)).",
    source: "34 CFR 300.320(b)",
    check: us_transition_16,
};

/// "The first IEP to be in effect when the child turns 16": the IEP in
/// effect now runs until the next annual review is due, so the goals are
/// needed once the student is `transition_age` by then.
fn us_transition_16(cx: &mut Cx) {
    if cx.level != Level::Iep {
        return;
    }
    let Some(dob) = val(&cx.pupil.date_of_birth) else { return };
    let age = cx.settings.jurisdiction.transition_age;
    let turns = add_years(dob, age);
    let until = cx.next_annual.unwrap_or(cx.today).max(cx.today);
    let file = cx.rec.file("targets.yaml");
    if age_on(dob, until) < age as i32 {
        let detail = match cx.next_annual {
            Some(n) => format!("turns {age} on {turns}, after the IEP now in effect (next review due {n})"),
            None => format!("turns {age} on {turns}"),
        };
        cx.push("US-TRANSITION-16", Status::NotApplicable, Some(turns), detail, file, None);
        return;
    }
    if cx.rec.is_broken("targets.yaml") || cx.rec.is_broken("interventions.yaml") {
        let detail = "targets.yaml or interventions.yaml could not be read (`senco check` says why)".to_string();
        cx.push("US-TRANSITION-16", Status::NotRecorded, Some(turns), detail, file, None);
        return;
    }
    let goals: Vec<&str> = cx
        .rec
        .targets
        .iter()
        .filter(|t| t.is_open() && val(&t.transition) == Some(true))
        .filter_map(|t| text(&t.id))
        .collect();
    // A transition service: an intervention marked `transition: true`, or one
    // that serves an open postsecondary goal.
    let service = cx.rec.interventions.iter().find(|i| {
        i.end.as_ref().is_none_or(|e| e.value >= cx.today)
            && (val(&i.transition) == Some(true)
                || i.targets.iter().flatten().any(|t| goals.contains(&t.value.as_str())))
    });
    let mut missing = Vec::new();
    if goals.is_empty() {
        missing.push("measurable postsecondary goals (an open target with `transition: true`)");
    }
    if service.is_none() {
        missing
            .push("transition services (an intervention with `transition: true`, or one serving a postsecondary goal)");
    }
    let when = format!("{age} on {turns}, within the IEP now in effect");
    if missing.is_empty() {
        let detail = format!("{when}: postsecondary goals and transition services are recorded");
        cx.push("US-TRANSITION-16", Status::Met, Some(turns), detail, file, None);
    } else {
        let detail = format!("{when}: no {}", missing.join("; no "));
        cx.push("US-TRANSITION-16", Status::NotMet, Some(turns), detail, file, None);
    }
}

pub static US_MAJORITY: Rule = Rule {
    code: "US-MAJORITY",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "Beginning at least one year before the student reaches the age of majority under state law, the IEP states that the student was told of the rights that transfer.",
    provision: "Beginning not later than one year before the child reaches the age of majority under State law, the IEP must include a statement that the child has been informed of the child's rights under Part B of the Act, if any, that will transfer to the child on reaching the age of majority (300.320(c); 300.520).",
    source: "34 CFR 300.320(c); 300.520",
    check: us_majority,
};

/// From the birthday one year before the age of majority, a missing
/// statement is non-compliance (not met), not a note.
fn us_majority(cx: &mut Cx) {
    if cx.level != Level::Iep {
        return;
    }
    let Some(dob) = val(&cx.pupil.date_of_birth) else { return };
    let majority = cx.settings.jurisdiction.age_of_majority;
    let from = add_years(dob, majority.saturating_sub(1));
    let file = cx.pupil_file();
    let told = cx.pupil.plan().and_then(|p| p.rights_transfer_informed.as_ref());
    let what = format!("one year before the age of majority ({majority}), on {from}");
    match told {
        Some(d) => cx.push(
            "US-MAJORITY",
            Status::Met,
            Some(from),
            format!("told of the rights that transfer on {} ({what})", d.value),
            file,
            Some(d.span),
        ),
        None if cx.today >= from => cx.push(
            "US-MAJORITY",
            Status::NotMet,
            Some(from),
            format!("from {what} the IEP must state that the student was told of the rights that transfer; `plan.rights_transfer_informed` is not recorded"),
            file,
            None,
        ),
        None => {
            let status = match cx.pending(from) {
                Status::Met => Status::NotApplicable,
                s => s,
            };
            cx.push(
                "US-MAJORITY",
                status,
                Some(from),
                format!("the IEP must state it from {what}"),
                file,
                None,
            )
        }
    }
}

pub static US_COMPONENTS: Rule = Rule {
    code: "US-COMPONENTS",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The IEP holds present levels, measurable annual goals, how and when progress is reported, services with frequency, location and duration, participation with non-disabled peers, and test accommodations.",
    provision: "The IEP must include a statement of the child's present levels of academic achievement and functional performance; measurable annual goals; how progress will be measured and when periodic reports will be provided; the special education and related services, with the projected date for their beginning and their anticipated frequency, location and duration; the extent of non-participation with nondisabled children; and any individual accommodations for assessments (300.320(a)).",
    source: "34 CFR 300.320(a)",
    check: us_components,
};

fn us_components(cx: &mut Cx) {
    if cx.level != Level::Iep {
        return;
    }
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

pub static US_504_REVIEW: Rule = Rule {
    code: "US-504-REVIEW",
    jurisdiction: US,
    severity: Info,
    confidence: 'G',
    scope: Scope::Pupil,
    statement: "A Section 504 plan is reevaluated periodically and before a significant change of placement; many districts review it yearly.",
    provision: "A recipient shall establish procedures for periodic reevaluation of students who have been provided special education or related services, and shall conduct an evaluation before any subsequent significant change in placement (104.35(a), (d)).",
    source: "34 CFR 104.35(a), (d)",
    check: us_504_review,
};

fn us_504_review(cx: &mut Cx) {
    if cx.level == Level::Section504 {
        cx.due_rule("US-504-REVIEW");
    }
}

pub static US_SAFEGUARDS: Rule = Rule {
    code: "US-SAFEGUARDS",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The procedural safeguards notice is given to the parents once a school year, and at the initial referral or request for evaluation.",
    provision: "A copy of the procedural safeguards available to the parents of a child with a disability must be given to the parents only one time a school year, except that a copy also must be given to the parents upon initial referral or parent request for evaluation; upon receipt of the first State complaint or due process complaint in a school year; in accordance with the discipline procedures; and upon request by a parent (300.504(a)).",
    source: "34 CFR 300.504(a)",
    check: us_safeguards,
};

fn us_safeguards(cx: &mut Cx) {
    let Some(support) = cx.pupil.support.as_ref() else { return };
    let level = cx.level;
    // A pending IDEA request (no outcome yet): the notice is due at referral.
    let referral = support
        .all_requests()
        .filter(|r| is_idea(r, level) && stopped(r).is_none())
        .filter_map(|r| r.requested.as_ref().or(r.consent.as_ref()))
        .map(|d| d.value)
        .max();
    if level != Level::Iep && referral.is_none() {
        return;
    }
    let file = cx.pupil_file();
    let notice = support.plan.as_ref().and_then(|p| p.safeguards_notice.as_ref());
    let Some(cal) = cx.settings.calendar.as_ref() else {
        cx.push(
            "US-SAFEGUARDS",
            Status::NotRecorded,
            None,
            "senco.toml has no [calendar] to say when this school year began".into(),
            file,
            notice.map(|n| n.span),
        );
        return;
    };
    let (from, why) = match referral {
        Some(r) if r > cal.year_start => (r, format!("at the referral on {r}")),
        _ => (cal.year_start, format!("in the school year from {}", cal.year_start)),
    };
    match notice {
        Some(n) if n.value >= from => cx.push(
            "US-SAFEGUARDS",
            Status::Met,
            Some(cal.year_end),
            format!("procedural safeguards notice given on {} ({why})", n.value),
            file,
            Some(n.span),
        ),
        Some(n) => cx.push(
            "US-SAFEGUARDS",
            Status::Due,
            Some(cal.year_end),
            format!("the procedural safeguards notice was last given on {}; it is due {why}", n.value),
            file,
            Some(n.span),
        ),
        None => cx.push(
            "US-SAFEGUARDS",
            Status::NotRecorded,
            Some(cal.year_end),
            format!("no date is recorded for the procedural safeguards notice (`plan.safeguards_notice`), due {why}"),
            file,
            None,
        ),
    }
}

pub static US_PROGRESS: Rule = Rule {
    code: "US-PROGRESS",
    jurisdiction: US,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "Parents receive reports of the student's progress toward the annual goals as often as the IEP says.",
    provision: "The IEP must include a description of when periodic reports on the progress the child is making toward meeting the annual goals (such as through the use of quarterly or other periodic reports, concurrent with the issuance of report cards) will be provided (300.320(a)(3)(ii)).",
    source: "34 CFR 300.320(a)(3)(ii)",
    check: us_progress,
};

fn us_progress(cx: &mut Cx) {
    if cx.level != Level::Iep {
        return;
    }
    let file = cx.pupil_file();
    let Some(every) = cx.pupil.plan().and_then(|p| p.progress_reporting.as_ref()) else {
        cx.push(
            "US-PROGRESS",
            Status::NotRecorded,
            None,
            "the IEP does not record how often progress is reported (`plan.progress_reporting`)".into(),
            file,
            None,
        );
        return;
    };
    // LOG: the pupil log (issue 16, "records for the duties") holds the
    // reports as entries of kind `progress-report`; count them here, per
    // period of `every` in the current year, once the log is read.
    cx.push(
        "US-PROGRESS",
        Status::NotRecorded,
        None,
        format!(
            "progress reports ({}) are read from the pupil log (entries of kind `progress-report`), which this version does not read yet",
            every.value.trim()
        ),
        file,
        Some(every.span),
    );
}
