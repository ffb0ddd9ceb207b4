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
    plain: None,
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
    plain: None,
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
    plain: None,
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
        let what = match (&r.evaluated, &r.eligible) {
            (None, Some(_)) => "eligibility determined (the evaluation's own date is not recorded)",
            _ => "initial evaluation completed",
        };
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
    plain: None,
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
    plain: None,
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
    plain: None,
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
    plain: None,
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
    plain: None,
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
    plain: None,
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
            Status::NotMet,
            Some(cal.year_end),
            format!("the procedural safeguards notice was last given on {}, not {why}", n.value),
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
    plain: None,
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
    if cx.rec.is_broken("log.yaml") {
        let detail = "log.yaml could not be read (`senco check` says why)".to_string();
        cx.push("US-PROGRESS", Status::NotRecorded, None, detail, cx.rec.file("log.yaml"), None);
        return;
    }
    let Some(period) = Period::parse(&every.value) else {
        cx.push(
            "US-PROGRESS",
            Status::NotRecorded,
            None,
            format!("`plan.progress_reporting: {}` does not say how often in a way senco can count: write `quarterly`, `termly`, `monthly`, or `N weeks`", every.value.trim()),
            file,
            Some(every.span),
        );
        return;
    };
    // Counted from the later of the start of this school year and the IEP's date.
    let plan = cx.pupil.plan();
    let iep = plan.and_then(|p| p.issued.as_ref().or(p.initial_issued.as_ref())).map(|d| d.value);
    let year_start = cx.settings.calendar.as_ref().map(|c| c.year_start).filter(|y| *y <= cx.today);
    let Some(start) = iep.into_iter().chain(year_start).max() else {
        cx.push(
            "US-PROGRESS",
            Status::NotRecorded,
            None,
            "neither the IEP's date nor the school year's start (`[calendar] year_start`) is recorded to count reports from".into(),
            file,
            Some(every.span),
        );
        return;
    };
    let reports: Vec<&crate::model::LogEntry> = cx
        .rec
        .log
        .iter()
        .filter(|e| val(&e.kind) == Some(crate::model::LogKind::ProgressReport))
        .filter(|e| val(&e.date).is_some_and(|d| d >= start && d <= cx.today))
        .collect();
    let last = reports.iter().filter_map(|e| e.date.as_ref()).max_by_key(|d| d.value);
    let from = last.map_or(start, |d| d.value);
    let terms = cx.settings.calendar.as_ref().map(|c| c.terms.as_slice()).unwrap_or(&[]);
    let Some(due) = period.next(from, last.is_some(), terms) else {
        cx.push(
            "US-PROGRESS",
            Status::NotRecorded,
            None,
            "`termly` progress reports need the terms of `[calendar]` in senco.toml".into(),
            file,
            Some(every.span),
        );
        return;
    };
    let basis = match last {
        Some(d) => format!("{} reports; the last logged on {}", every.value.trim(), d.value),
        None => format!(
            "{} reports from {start}; none logged yet (log entries of kind `progress-report`)",
            every.value.trim()
        ),
    };
    let status = cx.pending(due);
    let (file, span) = match last {
        Some(d) => (cx.rec.file("log.yaml"), Some(d.span)),
        None => (file, Some(every.span)),
    };
    cx.push("US-PROGRESS", status, Some(due), format!("next progress report due {due} ({basis})"), file, span);
}

/// How often the IEP says progress is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Period {
    Months(u32),
    Weeks(u32),
    Termly,
}

impl Period {
    fn parse(text: &str) -> Option<Period> {
        let t = text.trim().to_ascii_lowercase();
        match t.as_str() {
            "monthly" => return Some(Period::Months(1)),
            "quarterly" => return Some(Period::Months(3)),
            "termly" | "each term" | "every term" => return Some(Period::Termly),
            _ => {}
        }
        let t = t.strip_prefix("every ").unwrap_or(&t);
        let (n, unit) = t.split_once(' ')?;
        let n: u32 = n.parse().ok().filter(|n| *n > 0)?;
        match unit.trim() {
            "week" | "weeks" => Some(Period::Weeks(n)),
            "month" | "months" => Some(Period::Months(n)),
            _ => None,
        }
    }

    /// The date by which the next report is due, counting from `from` (the
    /// last report, or the start when `reported` is false). Termly: by the end
    /// of the term after the last report's, or of the current term when none.
    fn next(self, from: NaiveDate, reported: bool, terms: &[crate::model::settings::Term]) -> Option<NaiveDate> {
        match self {
            Period::Months(n) => Some(super::dates::add_months(from, n)),
            Period::Weeks(n) => Some(super::dates::add_weeks(from, n)),
            Period::Termly => {
                let mut ends: Vec<(NaiveDate, NaiveDate)> = terms.iter().map(|t| (t.start, t.end)).collect();
                ends.sort();
                // The term `from` falls in (or the next one when in a holiday).
                let i = ends.iter().position(|(_, e)| *e >= from)?;
                let j = if reported { i + 1 } else { i };
                ends.get(j).map(|(_, e)| *e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Each rule: met, due soon, breached, not recorded and not applicable,
    //! with the provision's words and the dates worked by hand. (A rule that
    //! raises no duty gives no outcome here; `senco compliance` lists it as
    //! not applicable, tested in tests/cli/compliance.rs.)
    use super::super::eval::Status::{self, *};
    use super::super::testkit::{d, outcomes, pupil, settings, statuses};
    use crate::model::Settings;

    /// Fall term 24 Aug - 18 Dec 2026 with Labor Day and Thanksgiving
    /// closed; spring 4 Jan - 11 Jun 2027. `warn_days` 28 (the default).
    const US: &str = "[school]\nname = \"T\"\nsenco = \"S\"\njurisdiction = \"us-idea\"\n[calendar]\nyear_start = 2026-08-24\nyear_end = 2027-06-11\nterms = [\n { name = \"Fall\", start = 2026-08-24, end = 2026-12-18 },\n { name = \"Spring\", start = 2027-01-04, end = 2027-06-11 },\n]\nclosures = [2026-09-07, { start = 2026-11-26, end = 2026-11-27 }]\n";

    fn us() -> Settings {
        settings(US)
    }

    fn with(extra: &str) -> Settings {
        settings(&format!("{US}[jurisdiction]\n{extra}\n"))
    }

    fn one(level: &str, support: &str) -> String {
        pupil(level, "2014-05-01", support)
    }

    fn st(files: &[(&str, &str)], today: &str, code: &str) -> Vec<Status> {
        statuses(&us(), files, today, code)
    }

    // 300.301(c)(1): "The initial evaluation must be conducted within 60 days
    // of receiving parental consent for evaluation". Consent 1 Sep 2026:
    // day 1 is 2 Sep, day 60 is 31 Oct 2026.
    #[test]
    fn eval_60_runs_from_consent_at_any_level_and_stops_at_the_outcome() {
        let req = |extra: &str| one("monitoring", &format!("  request:\n    consent: 2026-09-01\n{extra}"));
        let waiting = req("");
        let files = [("pupil.yaml", waiting.as_str())];
        let o = outcomes(&us(), &files, "2026-10-15", "US-EVAL-60");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2026-10-31"))));
        assert_eq!(st(&files, "2026-09-10", "US-EVAL-60"), [Met]); // 51 days ahead
        assert_eq!(st(&files, "2026-10-31", "US-EVAL-60"), [Due]); // the day itself
        assert_eq!(st(&files, "2026-11-01", "US-EVAL-60"), [Overdue]);
        let on_time = req("    evaluated: 2026-10-31\n");
        assert_eq!(st(&[("pupil.yaml", &on_time)], "2026-11-24", "US-EVAL-60"), [Met]);
        let late = req("    evaluated: 2026-11-01\n");
        assert_eq!(st(&[("pupil.yaml", &late)], "2026-11-24", "US-EVAL-60"), [NotMet]);
        // Withdrawn before the deadline: the clock stopped; after it: the breach stands.
        let withdrawn = req("    outcome: withdrawn\n    outcome_date: 2026-09-20\n");
        assert_eq!(st(&[("pupil.yaml", &withdrawn)], "2026-11-24", "US-EVAL-60"), [NotApplicable]);
        let withdrawn_late = req("    outcome: withdrawn\n    outcome_date: 2026-11-05\n");
        assert_eq!(st(&[("pupil.yaml", &withdrawn_late)], "2026-11-24", "US-EVAL-60"), [NotMet]);
        // A state timeframe of 45 days: 1 Sep + 45 = 16 Oct.
        let o = outcomes(&with("evaluation_days = 45"), &files, "2026-10-17", "US-EVAL-60");
        assert_eq!((o[0].0, o[0].1), (Overdue, Some(d("2026-10-16"))));
    }

    // 300.301(d): the timeframe "does not apply ... if (1) the parent of a
    // child repeatedly fails or refuses to produce the child for the
    // evaluation; or (2) the child enrolls in a school of another public
    // agency ... and the parent and subsequent public agency agree to a
    // specific time when the evaluation will be completed". Only when recorded.
    #[test]
    fn eval_60_exceptions_apply_only_when_recorded() {
        let base = "  request:\n    consent: 2026-09-01\n";
        let refused = one(
            "monitoring",
            &format!("{base}    exception: {{ reason: the parent did not bring the child to three appointments }}\n"),
        );
        let o = outcomes(&us(), &[("pupil.yaml", &refused)], "2026-11-24", "US-EVAL-60");
        assert_eq!(o[0].0, NotApplicable);
        assert!(o[0].2.contains("did not bring the child"), "{}", o[0].2);
        let agreed = one("monitoring", &format!("{base}    exception: {{ reason: moved district, to: 2026-12-15 }}\n"));
        let o = outcomes(&us(), &[("pupil.yaml", &agreed)], "2026-11-24", "US-EVAL-60");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2026-12-15"))));
        assert!(o[0].2.contains("moved district"));
    }

    // A Section 504 evaluation has no federal timeline (104.35 sets none):
    // a 504 student with consent recorded has no US-EVAL-60 clock.
    #[test]
    fn no_eval_60_clock_for_a_504_evaluation() {
        let p = one("section-504", "  request:\n    consent: 2026-09-01\n");
        assert_eq!(st(&[("pupil.yaml", &p)], "2026-11-24", "US-EVAL-60"), [NotApplicable]);
        let marked = one("monitoring", "  request:\n    for: section-504\n    consent: 2026-09-01\n");
        assert_eq!(st(&[("pupil.yaml", &marked)], "2026-11-24", "US-EVAL-60"), [NotApplicable]);
        // The same 504 student referred for an IDEA evaluation: the clock runs.
        let idea = one("section-504", "  request:\n    for: iep\n    consent: 2026-09-01\n");
        assert_eq!(st(&[("pupil.yaml", &idea)], "2026-11-24", "US-EVAL-60"), [Overdue]);
    }

    // `evaluation_days_are = "school"`: consent Fri 28 Aug 2026, 10 school
    // days: 31 Aug - 4 Sep = 5, Mon 7 Sep closed (Labor Day), 8-11 Sep = 9,
    // Mon 14 Sep = 10. Without a calendar: not recorded.
    #[test]
    fn eval_days_in_school_days_skip_closures() {
        let p = one("monitoring", "  request:\n    consent: 2026-08-28\n");
        let s = with("evaluation_days = 10\nevaluation_days_are = \"school\"");
        let o = outcomes(&s, &[("pupil.yaml", &p)], "2026-09-01", "US-EVAL-60");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2026-09-14"))));
        let bare = settings(
            "[school]\nname = \"T\"\njurisdiction = \"us-idea\"\n[jurisdiction]\nevaluation_days_are = \"school\"\n",
        );
        assert_eq!(statuses(&bare, &[("pupil.yaml", &p)], "2026-09-01", "US-EVAL-60"), [NotRecorded]);
    }

    // 300.323(c)(1): "A meeting to develop an IEP for the child is conducted
    // within 30 days of a determination that the child needs special
    // education and related services". Eligible 1 Sep 2026 + 30 = 1 Oct.
    #[test]
    fn iep_30_counts_from_eligibility_to_the_initial_iep() {
        let req = "  request:\n    consent: 2026-07-01\n    evaluated: 2026-08-25\n    eligible: 2026-09-01\n";
        let waiting = one("monitoring", req);
        assert_eq!(st(&[("pupil.yaml", &waiting)], "2026-09-20", "US-IEP-30"), [Due]);
        assert_eq!(st(&[("pupil.yaml", &waiting)], "2026-10-01", "US-IEP-30"), [Due]);
        assert_eq!(st(&[("pupil.yaml", &waiting)], "2026-10-02", "US-IEP-30"), [Overdue]);
        let made =
            |date: &str| one("iep", &format!("{req}  plan:\n    initial_issued: {date}\n    issued: 2026-11-20\n"));
        assert_eq!(st(&[("pupil.yaml", &made("2026-10-01"))], "2026-11-24", "US-IEP-30"), [Met]);
        assert_eq!(st(&[("pupil.yaml", &made("2026-10-02"))], "2026-11-24", "US-IEP-30"), [NotMet]);
        // An IEP re-issued after an annual review, the first IEP's date not recorded.
        let reissued = one("iep", &format!("{req}  plan:\n    issued: 2026-11-20\n"));
        let review = "date: 2026-11-20\nkind: annual\n";
        let files = [("pupil.yaml", reissued.as_str()), ("reviews/2026-11-20-annual.yaml", review)];
        assert_eq!(st(&files, "2026-11-24", "US-IEP-30"), [NotRecorded]);
        // A redetermination at a reevaluation: the initial IEP came long before.
        let old = one("iep", &format!("{req}  plan:\n    initial_issued: 2021-05-01\n    issued: 2026-09-10\n"));
        assert_eq!(st(&[("pupil.yaml", &old)], "2026-11-24", "US-IEP-30"), [NotApplicable]);
        let not_eligible = one("monitoring", "  request:\n    eligible: 2026-09-01\n    outcome: not-eligible\n");
        assert_eq!(st(&[("pupil.yaml", &not_eligible)], "2026-11-24", "US-IEP-30"), [NotApplicable]);
    }

    // 300.324(b)(1)(i): the IEP Team "reviews the child's IEP periodically,
    // but not less than annually". IEP 1 Dec 2025: within 12 months ends 30
    // Nov 2026.
    #[test]
    fn iep_annual() {
        let p = one("iep", "  plan:\n    issued: 2025-12-01\n");
        let files = [("pupil.yaml", p.as_str())];
        let o = outcomes(&us(), &files, "2026-06-01", "US-IEP-ANNUAL");
        assert_eq!((o[0].0, o[0].1), (Met, Some(d("2026-11-30"))));
        assert_eq!(st(&files, "2026-11-10", "US-IEP-ANNUAL"), [Due]);
        assert_eq!(st(&files, "2026-11-30", "US-IEP-ANNUAL"), [Due]);
        assert_eq!(st(&files, "2026-12-01", "US-IEP-ANNUAL"), [Overdue]);
        // A review held on 20 Nov 2026 restarts it: due 19 Nov 2027.
        let review = "date: 2026-11-20\nkind: annual\n";
        let held = [("pupil.yaml", p.as_str()), ("reviews/2026-11-20-annual.yaml", review)];
        let o = outcomes(&us(), &held, "2026-12-01", "US-IEP-ANNUAL");
        assert_eq!((o[0].0, o[0].1), (Met, Some(d("2027-11-19"))));
        let bare = one("iep", "");
        assert_eq!(st(&[("pupil.yaml", &bare)], "2026-06-01", "US-IEP-ANNUAL"), [NotRecorded]);
        assert!(st(&[("pupil.yaml", &one("section-504", ""))], "2026-06-01", "US-IEP-ANNUAL").is_empty());
    }

    fn assessments(list: &[(&str, &str, &str)]) -> String {
        list.iter()
            .map(|(id, date, extra)| format!("- id: {id}\n  date: {date}\n  kind: reevaluation\n{extra}"))
            .collect()
    }

    // 300.303(b)(2): a reevaluation "must occur at least once every 3 years",
    // counted from the last evaluation: the same date 3 years on.
    #[test]
    fn reeval_counts_from_the_last_evaluation_never_from_the_iep() {
        // An IEP re-issued every year (last 10 Mar 2026) with an evaluation
        // of 1 Mar 2023: due 1 Mar 2026, overdue, though the IEP is new.
        let p = one("iep", "  plan:\n    issued: 2026-03-10\n");
        let a = assessments(&[("eval-2023", "2023-03-01", "")]);
        let files = [("pupil.yaml", p.as_str()), ("assessments.yaml", a.as_str())];
        let o = outcomes(&us(), &files, "2026-11-24", "US-REEVAL");
        assert_eq!((o[0].0, o[0].1), (Overdue, Some(d("2026-03-01"))));
        // Met: evaluated 15 Jan 2025, due 15 Jan 2028.
        let a = assessments(&[("eval", "2025-01-15", "")]);
        assert_eq!(st(&[("pupil.yaml", &p), ("assessments.yaml", &a)], "2026-11-24", "US-REEVAL"), [Met]);
        // Due soon: 10 Dec 2023 + 3 years = 10 Dec 2026, 16 days ahead.
        let a = assessments(&[("eval", "2023-12-10", "")]);
        assert_eq!(st(&[("pupil.yaml", &p), ("assessments.yaml", &a)], "2026-11-24", "US-REEVAL"), [Due]);
        // A leap day: 29 Feb 2024 + 3 years = 28 Feb 2027.
        let leap = one("iep", "  plan:\n    issued: 2026-03-10\n    last_evaluation: 2024-02-29\n");
        let o = outcomes(&us(), &[("pupil.yaml", &leap)], "2026-11-24", "US-REEVAL");
        assert_eq!((o[0].0, o[0].1), (Met, Some(d("2027-02-28"))));
        // An earlier `next_reevaluation` wins; a later one does not.
        let planned = one(
            "iep",
            "  plan:\n    issued: 2026-03-10\n    last_evaluation: 2025-01-15\n    next_reevaluation: 2026-12-01\n",
        );
        let o = outcomes(&us(), &[("pupil.yaml", &planned)], "2026-11-24", "US-REEVAL");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2026-12-01"))));
        // `request.evaluated` counts as an evaluation.
        let evaluated = one("iep", "  request:\n    evaluated: 2023-11-01\n  plan:\n    issued: 2026-03-10\n");
        let o = outcomes(&us(), &[("pupil.yaml", &evaluated)], "2026-11-24", "US-REEVAL");
        // 1 Nov 2023 + 3 years = 1 Nov 2026, past on 24 Nov.
        assert_eq!((o[0].0, o[0].1), (Overdue, Some(d("2026-11-01"))));
    }

    #[test]
    fn reeval_not_recorded_waived_and_not_more_than_once_a_year() {
        // Only `next_reevaluation`: no evaluation to count from.
        let p = one("iep", "  plan:\n    issued: 2026-03-10\n    next_reevaluation: 2027-06-01\n");
        let o = outcomes(&us(), &[("pupil.yaml", &p)], "2026-11-24", "US-REEVAL");
        assert_eq!(o[0].0, NotRecorded);
        assert!(o[0].2.contains("2027-06-01"), "{}", o[0].2);
        // 300.303(b)(2): "unless the parent and the public agency agree that a
        // reevaluation is unnecessary".
        let waived = one("iep", "  plan:\n    last_evaluation: 2023-03-01\n    reevaluation_waived: 2026-02-10\n");
        assert_eq!(st(&[("pupil.yaml", &waived)], "2026-11-24", "US-REEVAL"), [Met]);
        // 300.303(b)(1): "not more than once a year, unless the parent and the
        // public agency agree otherwise": 1 Mar and 1 Oct 2025, not agreed.
        let p = one("iep", "  plan:\n    issued: 2026-03-10\n");
        let twice = assessments(&[("a", "2025-03-01", ""), ("b", "2025-10-01", "")]);
        let files = [("pupil.yaml", p.as_str()), ("assessments.yaml", twice.as_str())];
        assert_eq!(st(&files, "2026-11-24", "US-REEVAL"), [NotMet, Met]);
        let agreed = assessments(&[("a", "2025-03-01", ""), ("b", "2025-10-01", "  agreed: true\n")]);
        assert_eq!(st(&[("pupil.yaml", &p), ("assessments.yaml", &agreed)], "2026-11-24", "US-REEVAL"), [Met]);
        // A screening is not an evaluation.
        let screen = "- id: s\n  date: 2025-10-01\n  kind: screening\n";
        assert_eq!(st(&[("pupil.yaml", &p), ("assessments.yaml", screen)], "2026-11-24", "US-REEVAL"), [NotRecorded]);
    }

    // 300.320(b): "Beginning not later than the first IEP to be in effect
    // when the child turns 16 ... appropriate measurable postsecondary goals
    // ... and the transition services". IEP 1 Mar 2026: in effect to 28 Feb 2027.
    #[test]
    fn transition_goals_from_the_iep_in_effect_at_16() {
        let p = pupil("iep", "2010-12-15", "  plan:\n    issued: 2026-03-01\n");
        let files = [("pupil.yaml", p.as_str())];
        // Turns 16 on 15 Dec 2026, within the IEP in effect: needed now.
        assert_eq!(st(&files, "2026-11-24", "US-TRANSITION-16"), [NotMet]);
        let goal = "- id: g\n  need: n\n  outcome: Work in a garage.\n  transition: true\n";
        let needs = "- id: n\n  area: cognition-and-learning\n";
        let service = "- id: s\n  name: Job shadowing\n  targets: [g]\n  start: 2026-09-01\n";
        let full = [
            ("pupil.yaml", p.as_str()),
            ("targets.yaml", goal),
            ("needs.yaml", needs),
            ("interventions.yaml", service),
        ];
        assert_eq!(st(&full, "2026-11-24", "US-TRANSITION-16"), [Met]);
        let goal_only = [("pupil.yaml", p.as_str()), ("targets.yaml", goal), ("needs.yaml", needs)];
        assert_eq!(st(&goal_only, "2026-11-24", "US-TRANSITION-16"), [NotMet]);
        // Turns 16 on 1 Jun 2027, after the IEP in effect ends: not yet.
        let young = pupil("iep", "2011-06-01", "  plan:\n    issued: 2026-03-01\n");
        assert_eq!(st(&[("pupil.yaml", &young)], "2026-11-24", "US-TRANSITION-16"), [NotApplicable]);
        // Where the state says 14: needed now.
        let s = with("transition_age = 14");
        assert_eq!(statuses(&s, &[("pupil.yaml", &young)], "2026-11-24", "US-TRANSITION-16"), [NotMet]);
    }

    // 300.320(c): "Beginning not later than one year before the child reaches
    // the age of majority under State law, the IEP must include a statement
    // that the child has been informed". Majority 18: from the 17th birthday.
    #[test]
    fn majority_statement_from_a_year_before() {
        let p = pupil("iep", "2009-01-15", "  plan:\n    issued: 2026-03-01\n");
        let o = outcomes(&us(), &[("pupil.yaml", &p)], "2026-06-01", "US-MAJORITY");
        assert_eq!((o[0].0, o[0].1), (NotMet, Some(d("2026-01-15"))));
        let told =
            pupil("iep", "2009-01-15", "  plan:\n    issued: 2026-03-01\n    rights_transfer_informed: 2026-03-01\n");
        assert_eq!(st(&[("pupil.yaml", &told)], "2026-06-01", "US-MAJORITY"), [Met]);
        let younger = pupil("iep", "2010-01-10", "  plan:\n    issued: 2026-03-01\n");
        assert_eq!(st(&[("pupil.yaml", &younger)], "2026-12-20", "US-MAJORITY"), [Due]);
        assert_eq!(st(&[("pupil.yaml", &younger)], "2026-06-01", "US-MAJORITY"), [NotApplicable]);
        assert_eq!(st(&[("pupil.yaml", &younger)], "2027-01-10", "US-MAJORITY"), [NotMet]);
    }

    // 300.504(a): the notice is given "only one time a school year, except
    // that a copy also must be given ... upon initial referral or parent
    // request for evaluation". School year from 24 Aug 2026.
    #[test]
    fn safeguards_once_a_school_year_and_at_referral() {
        let notice =
            |date: &str| one("iep", &format!("  plan:\n    issued: 2026-03-01\n    safeguards_notice: {date}\n"));
        assert_eq!(st(&[("pupil.yaml", &notice("2026-09-05"))], "2026-11-24", "US-SAFEGUARDS"), [Met]);
        assert_eq!(st(&[("pupil.yaml", &notice("2025-09-01"))], "2026-11-24", "US-SAFEGUARDS"), [NotMet]);
        let none = one("iep", "  plan:\n    issued: 2026-03-01\n");
        assert_eq!(st(&[("pupil.yaml", &none)], "2026-11-24", "US-SAFEGUARDS"), [NotRecorded]);
        // A referral on 1 Oct 2026 of a student on the watch list.
        let referred = |date: &str| {
            one(
                "monitoring",
                &format!("  request:\n    requested: 2026-10-01\n  plan:\n    safeguards_notice: {date}\n"),
            )
        };
        assert_eq!(st(&[("pupil.yaml", &referred("2026-09-05"))], "2026-11-24", "US-SAFEGUARDS"), [NotMet]);
        assert_eq!(st(&[("pupil.yaml", &referred("2026-10-01"))], "2026-11-24", "US-SAFEGUARDS"), [Met]);
        assert!(st(&[("pupil.yaml", &one("section-504", ""))], "2026-11-24", "US-SAFEGUARDS").is_empty());
    }

    // 300.320(a)(3)(ii): the IEP says "when periodic reports on the progress
    // the child is making toward meeting the annual goals (such as through
    // the use of quarterly or other periodic reports ...) will be provided".
    #[test]
    fn progress_reports_at_the_iep_frequency() {
        let p = one("iep", "  plan:\n    issued: 2026-03-01\n    progress_reporting: quarterly\n");
        // Counted from 24 Aug 2026 (the school year): the first due 24 Nov 2026.
        let o = outcomes(&us(), &[("pupil.yaml", &p)], "2026-11-24", "US-PROGRESS");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2026-11-24"))));
        assert_eq!(st(&[("pupil.yaml", &p)], "2026-11-25", "US-PROGRESS"), [Overdue]);
        assert_eq!(st(&[("pupil.yaml", &p)], "2026-09-15", "US-PROGRESS"), [Met]);
        // Reported 30 Oct 2026: the next by 30 Jan 2027.
        let log = "- date: 2026-10-30\n  kind: progress-report\n  summary: Report sent home with the report card.\n";
        let o = outcomes(&us(), &[("pupil.yaml", &p), ("log.yaml", log)], "2026-11-25", "US-PROGRESS");
        assert_eq!((o[0].0, o[0].1), (Met, Some(d("2027-01-30"))));
        let vague = one("iep", "  plan:\n    issued: 2026-03-01\n    progress_reporting: with report cards\n");
        assert_eq!(st(&[("pupil.yaml", &vague)], "2026-11-24", "US-PROGRESS"), [NotRecorded]);
        let none = one("iep", "  plan:\n    issued: 2026-03-01\n");
        assert_eq!(st(&[("pupil.yaml", &none)], "2026-11-24", "US-PROGRESS"), [NotRecorded]);
        // Termly: by the end of the fall term (18 Dec 2026) when none yet.
        let termly = one("iep", "  plan:\n    issued: 2026-03-01\n    progress_reporting: termly\n");
        let o = outcomes(&us(), &[("pupil.yaml", &termly)], "2026-11-24", "US-PROGRESS");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2026-12-18"))));
    }

    // 104.35(d): "periodic reevaluation"; the district's period, 12 months by default.
    #[test]
    fn section_504_review() {
        let p = one("section-504", "");
        let review = "date: 2025-11-01\nkind: annual\n";
        let files = [("pupil.yaml", p.as_str()), ("reviews/2025-11-01.yaml", review)];
        let o = outcomes(&us(), &files, "2026-11-24", "US-504-REVIEW");
        assert_eq!((o[0].0, o[0].1), (Overdue, Some(d("2026-11-01"))));
        assert_eq!(st(&files, "2026-10-10", "US-504-REVIEW"), [Due]);
        assert_eq!(st(&files, "2026-06-01", "US-504-REVIEW"), [Met]);
        let s = with("section504_review_months = 6");
        let o = outcomes(&s, &files, "2026-04-01", "US-504-REVIEW");
        assert_eq!((o[0].0, o[0].1), (Met, Some(d("2026-05-01"))));
        let bare = "id: kit-lane\nname: { first: Kit, last: Lane }\ndate_of_birth: 2014-05-01\nyear_group: 8\nsupport:\n  level: section-504\n";
        assert_eq!(st(&[("pupil.yaml", bare)], "2026-06-01", "US-504-REVIEW"), [NotRecorded]);
    }
}
