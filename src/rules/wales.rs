//! The Wales rule pack: Additional Learning Needs and Education Tribunal
//! (Wales) Act 2018 (ALNET) and the ALN Code for Wales 2021. Each rule's
//! registry entry sits beside the function that evaluates it.

use super::dates::{add_weeks, Deadline, SchoolCalendar};
use super::eval::{Cx, Status};
use super::{Rule, Scope};
use crate::diag::Severity::Warning;
use crate::model::settings::Jurisdiction::Wales as WAL;
use crate::model::{val, Level, RequestOutcome};

/// The Wales pack, in the order `senco rules` lists it.
pub static RULES: &[&Rule] = &[&WAL_IDP_DECIDE, &WAL_IDP_REVIEW, &WAL_ALNCO];

pub static WAL_IDP_DECIDE: Rule = Rule {
    code: "WAL-IDP-DECIDE",
    jurisdiction: WAL,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "Where it is brought to a school's attention that a learner who has no IDP may have ALN, the school decides whether the learner has ALN and, if so, prepares and gives an IDP, within 35 school days.",
    provision: "Where it is brought to the attention of the governing body of a maintained school that a pupil may have additional learning needs, it must decide whether the pupil has ALN (s.11(1)) and, if so, prepare and give an IDP (s.12); the decision and the IDP are given within 35 school days of the matter being brought to its attention (ALN Code 12.12, 12.21).",
    source: "ALN and Education Tribunal (Wales) Act 2018, s.11; ALN Code for Wales 2021, 12.12, 12.21",
    check: wal_idp_decide,
};

/// For each time a possible ALN was brought to the school's attention
/// (`request.requested`) for a learner with no IDP given before it: the
/// decision, and the IDP if the learner has ALN, within 35 school days
/// (closures excluded; day 1 is the first school day after the date).
fn wal_idp_decide(cx: &mut Cx) {
    let Some(support) = cx.pupil.support.as_ref() else { return };
    let file = cx.pupil_file();
    let issued = support.plan.as_ref().and_then(|p| p.issued.as_ref());
    let calendar = SchoolCalendar::from_settings(cx.settings);
    for r in support.all_requests() {
        let Some(requested) = &r.requested else { continue };
        if let Some(i) = issued.filter(|i| i.value < requested.value) {
            cx.push(
                "WAL-IDP-DECIDE",
                Status::NotApplicable,
                None,
                format!(
                    "the learner already had an IDP, given on {}, when this was raised on {}",
                    i.value, requested.value
                ),
                file.clone(),
                Some(requested.span),
            );
            continue;
        }
        let Some(deadline) = calendar.as_ref().and_then(|c| c.add_school_days(requested.value, 35)) else {
            cx.push(
                "WAL-IDP-DECIDE",
                Status::NotRecorded,
                None,
                format!(
                    "the term dates in senco.toml's [calendar] do not reach 35 school days after {}",
                    requested.value
                ),
                file.clone(),
                Some(requested.span),
            );
            continue;
        };
        let Deadline { date: due, estimated } = deadline;
        let mut basis = format!("35 school days from {}", requested.value);
        if estimated {
            basis.push_str(", estimated from this year's calendar");
        }
        let outcome = val(&r.outcome);
        match outcome {
            // The decision that the learner has no ALN, and its notice.
            Some(RequestOutcome::NoAln) => match &r.outcome_date {
                Some(d) => {
                    cx.deadline("WAL-IDP-DECIDE", Some(d), due, "decided: no ALN (notice given)", &basis, false, &file, None)
                }
                None => cx.push(
                    "WAL-IDP-DECIDE",
                    Status::NotRecorded,
                    Some(due),
                    format!("the request ended `no-aln`, but the date of the decision's notice is not recorded (`outcome_date`); it was due by {due} ({basis})"),
                    file.clone(),
                    r.outcome.as_ref().map(|o| o.span),
                ),
            },
            // Referred to the local authority (s.12): the school's part ends at
            // the referral; the authority decides within 12 weeks (Code 11.17).
            Some(RequestOutcome::ReferredToLa) => {
                let Some(d) = &r.outcome_date else {
                    cx.push(
                        "WAL-IDP-DECIDE",
                        Status::NotRecorded,
                        Some(due),
                        format!("referred to the local authority, but the date of the referral is not recorded (`outcome_date`); the school's decision was due by {due} ({basis})"),
                        file.clone(),
                        r.outcome.as_ref().map(|o| o.span),
                    );
                    continue;
                };
                cx.deadline("WAL-IDP-DECIDE", Some(d), due, "referred to the local authority", &basis, false, &file, None);
                let la_due = add_weeks(d.value, 12);
                let la_done = r.decision.as_ref().or(issued).filter(|x| x.value >= d.value);
                let la_basis = format!("12 weeks from the referral on {} (LA duty; ALN Code 11.17)", d.value);
                cx.deadline(
                    "WAL-IDP-DECIDE",
                    la_done,
                    la_due,
                    "the local authority's decision (LA duty)",
                    &la_basis,
                    false,
                    &file,
                    Some(d.span),
                );
            }
            // Withdrawn (or any other outcome without an IDP): the clock stopped.
            Some(o) if o != RequestOutcome::Assessing && issued.is_none() => cx.push(
                "WAL-IDP-DECIDE",
                Status::NotApplicable,
                Some(due),
                format!(
                    "the clock stopped: the request ended `{}`{}",
                    o.as_str(),
                    r.outcome_date.as_ref().map(|d| format!(" on {}", d.value)).unwrap_or_default()
                ),
                file.clone(),
                r.outcome.as_ref().map(|o| o.span),
            ),
            _ => cx.deadline("WAL-IDP-DECIDE", issued, due, "IDP given", &basis, false, &file, Some(requested.span)),
        }
    }
}

pub static WAL_IDP_REVIEW: Rule = Rule {
    code: "WAL-IDP-REVIEW",
    jurisdiction: WAL,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "An IDP is reviewed at least once in each 12-month period starting with the date the IDP, a revised IDP, or a notice that it is not revised, was given.",
    provision: "A governing body must review an IDP it maintains at least once during each review period (s.23(2)); the review period is 12 months beginning with the day on which the plan was given, or on which a revised plan or a notice that the plan is not to be revised was given (s.23(4)).",
    source: "ALN and Education Tribunal (Wales) Act 2018, s.23(2)-(4)",
    check: wal_idp_review,
};

fn wal_idp_review(cx: &mut Cx) {
    if matches!(cx.level, Level::SchoolIdp | Level::LaIdp) {
        cx.due_rule("WAL-IDP-REVIEW");
    }
}

pub static WAL_ALNCO: Rule = Rule {
    code: "WAL-ALNCO",
    jurisdiction: WAL,
    severity: Warning,
    confidence: 'P',
    scope: Scope::School,
    statement: "A maintained school designates an ALNCo (not special schools).",
    provision: "The governing body of a maintained school in Wales, other than a maintained special school, must designate a person, or more than one person, to have responsibility for co-ordinating additional learning provision for pupils with ALN (s.60(1)).",
    source: "ALN and Education Tribunal (Wales) Act 2018, s.60",
    check: super::school_rule,
};
