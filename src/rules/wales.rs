//! The Wales rule pack: Additional Learning Needs and Education Tribunal
//! (Wales) Act 2018 (ALNET) and the ALN Code for Wales 2021. Each rule's
//! registry entry sits beside the function that evaluates it.

use super::eval::{Cx, Status};
use super::{Rule, Scope};
use crate::diag::Severity::Warning;
use crate::model::settings::Jurisdiction::Wales as WAL;
use crate::model::Level;

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

fn wal_idp_decide(cx: &mut Cx) {
    let Some(requested) = cx.pupil.support.as_ref().and_then(|s| s.request.as_ref()).and_then(|r| r.requested.clone())
    else {
        return;
    };
    let file = cx.pupil_file();
    let deadline =
        super::dates::SchoolCalendar::from_settings(cx.settings).and_then(|c| c.add_school_days(requested.value, 35));
    let Some(super::dates::Deadline { date: deadline, .. }) = deadline else {
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
