//! The United States rule pack: IDEA (34 CFR Part 300) and Section 504
//! (34 CFR Part 104). Each rule's registry entry sits beside the function that
//! evaluates it.

use super::dates::{add_days, add_years, age_on};
use super::eval::{Cx, Status};
use super::{Rule, Scope};
use crate::diag::Severity::{Info, Warning};
use crate::model::settings::Jurisdiction::UsIdea as US;
use crate::model::{val, Level};
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
    if cx.level == Level::Iep {
        cx.due_rule("US-REEVAL");
    }
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
    if cx.level != Level::Iep {
        return;
    }
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

/// Age is taken at the next annual review date, from the due items
/// `evaluate` already computed.
fn us_transition_16(cx: &mut Cx) {
    if cx.level != Level::Iep {
        return;
    }
    let next_annual: Option<NaiveDate> = cx.next_annual;
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

fn us_majority(cx: &mut Cx) {
    if cx.level != Level::Iep {
        return;
    }
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
