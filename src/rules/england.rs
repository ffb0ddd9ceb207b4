//! The England rule pack: Children and Families Act 2014 (CFA), the SEND
//! Regulations 2014, the SEND Code of Practice 0-25 (2015) and the school
//! duties around them. Each rule's registry entry (its statement, the words of
//! the provision it rests on, source, confidence and default severity) sits
//! beside the function that evaluates it.

use super::dates::{add_days, add_months, add_weeks, add_years, age_on};
use super::eval::{latest, roles, Cx, Status};
use super::{Rule, Scope};
use crate::diag::Severity::{Info, Warning};
use crate::model::settings::Jurisdiction::England as ENG;
use crate::model::{text, val, Level, ReviewKind, Role};
use crate::repo::ReviewFile;
use chrono::{Datelike, NaiveDate};

/// The England pack, in the order `senco rules` lists it.
pub static RULES: &[&Rule] = &[
    &ENG_SUP_REVIEW,
    &ENG_SUP_PARENTS,
    &ENG_SUP_NOTIFY,
    &ENG_AR_DUE,
    &ENG_AR_UNDER5,
    &ENG_AR_NOTICE,
    &ENG_AR_INVITEES,
    &ENG_AR_REPORT,
    &ENG_AR_DECISION,
    &ENG_AR_PFA,
    &ENG_PHASE,
    &ENG_EHC_TIMELINE,
    &ENG_COST,
    &ENG_CENSUS,
    &ENG_RETAIN,
    &ENG_SENCO,
];

pub static ENG_SUP_REVIEW: Rule = Rule {
    code: "ENG-SUP-REVIEW",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'G',
    scope: Scope::Pupil,
    statement: "School-based SEN support runs in assess-plan-do-review cycles, each plan with an agreed review date.",
    provision: "SEN support should take the form of a four-part cycle (assess, plan, do, review) through which earlier decisions and actions are revisited, refined and revised; the school should agree with parents and the pupil the date for review (6.44, 6.48).",
    source: "SEND Code of Practice 0-25 (2015), 6.44-6.56",
    check: eng_sup_review,
};

fn eng_sup_review(cx: &mut Cx) {
    if cx.level == Level::SenSupport {
        cx.due_rule("ENG-SUP-REVIEW");
    }
}

pub static ENG_SUP_PARENTS: Rule = Rule {
    code: "ENG-SUP-PARENTS",
    jurisdiction: ENG,
    severity: Info,
    confidence: 'G',
    scope: Scope::Pupil,
    statement: "Schools should meet parents of pupils on SEN support at least three times each year.",
    provision: "Schools should meet parents at least three times each year (6.65).",
    source: "SEND Code of Practice 0-25 (2015), 6.65",
    check: eng_sup_parents,
};

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

pub static ENG_SUP_NOTIFY: Rule = Rule {
    code: "ENG-SUP-NOTIFY",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "Where a pupil has no EHC plan and the school makes special educational provision, the school must inform the parent.",
    provision: "Where special educational provision is made for a pupil for whom no EHC plan is maintained, the appropriate authority must inform the child's parent that special educational provision is being made (s.68(1)(b), (2)).",
    source: "Children and Families Act 2014, s.68",
    check: eng_sup_notify,
};

fn eng_sup_notify(cx: &mut Cx) {
    if cx.level != Level::SenSupport {
        return;
    }
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

pub static ENG_AR_DUE: Rule = Rule {
    code: "ENG-AR-DUE",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "An EHC plan is reviewed within 12 months of being made, then within 12 months of each review.",
    provision: "A local authority must review an EHC plan that it maintains in the period of 12 months starting with the date on which the plan was first made, and in each subsequent period of 12 months starting with the date on which the plan was last reviewed (s.44(1)).",
    source: "Children and Families Act 2014, s.44(1); SEND Regulations 2014, reg. 20(10); SEND Code of Practice 0-25 (2015), 9.176",
    check: eng_ar_due,
};

fn eng_ar_due(cx: &mut Cx) {
    if cx.level == Level::Ehcp {
        cx.due_rule("ENG-AR-DUE");
    }
}

pub static ENG_AR_UNDER5: Rule = Rule {
    code: "ENG-AR-UNDER5",
    jurisdiction: ENG,
    severity: Info,
    confidence: 'G',
    scope: Scope::Pupil,
    statement: "For children under 5 the local authority should consider reviewing the EHC plan every 3 to 6 months.",
    provision: "Local authorities should consider reviewing an EHC plan for a child under 5 at least every 3 to 6 months (9.178).",
    source: "SEND Code of Practice 0-25 (2015), 9.178",
    check: eng_ar_under5,
};

fn eng_ar_under5(cx: &mut Cx) {
    if cx.level != Level::Ehcp {
        return;
    }
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

pub static ENG_AR_NOTICE: Rule = Rule {
    code: "ENG-AR-NOTICE",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "At least 2 weeks' notice of the review meeting; advice circulated at least 2 weeks before it.",
    provision: "The school must give at least two weeks' notice of the date of the meeting (reg. 20(3)); the advice and information obtained must be circulated to all those invited at least two weeks in advance of the review meeting (reg. 20(4)).",
    source: "SEND Regulations 2014, reg. 20(3)-(4)",
    check: eng_ar_notice,
};

/// The latest annual review of a pupil with an EHC plan, with its date.
fn annual(cx: &Cx) -> Option<(String, crate::model::span::Spanned<NaiveDate>)> {
    if cx.level != Level::Ehcp {
        return None;
    }
    let r = latest(cx.rec, ReviewKind::Annual)?;
    Some((r.path.clone(), r.review.date.clone()?))
}

fn eng_ar_notice(cx: &mut Cx) {
    let Some((file, date)) = annual(cx) else { return };
    let rv = &latest(cx.rec, ReviewKind::Annual).expect("annual() found it").review;
    let d = date.value;
    let notice = d.checked_sub_days(chrono::Days::new(14)).unwrap_or(d);
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
}

pub static ENG_AR_INVITEES: Rule = Rule {
    code: "ENG-AR-INVITEES",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The review meeting invites the child's parent (or the young person), a representative of the school, an LA SEN officer, health care and social care.",
    provision: "The following persons must be invited to attend the review meeting: the child's parent or the young person; the provider of the relevant education (the head teacher or a delegate); a representative of the local authority's SEN service; a health care professional; an officer of the authority who exercises social services functions (reg. 20(2)).",
    source: "SEND Regulations 2014, reg. 20(2)",
    check: eng_ar_invitees,
};

fn eng_ar_invitees(cx: &mut Cx) {
    let Some((file, date)) = annual(cx) else { return };
    let rv = &latest(cx.rec, ReviewKind::Annual).expect("annual() found it").review;
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
            file,
            Some(date.span),
        );
    } else {
        cx.push(
            "ENG-AR-INVITEES",
            Status::NotMet,
            None,
            format!("no invitee or attendee recorded for: {}", missing.join(", ")),
            file,
            Some(date.span),
        );
    }
}

pub static ENG_AR_REPORT: Rule = Rule {
    code: "ENG-AR-REPORT",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The school prepares and sends the review report within 2 weeks of the meeting.",
    provision: "The school must prepare a report of the meeting and send it to everyone invited within two weeks of the review meeting (reg. 20(7)-(8)).",
    source: "SEND Regulations 2014, reg. 20(7)",
    check: eng_ar_report,
};

fn eng_ar_report(cx: &mut Cx) {
    let Some((file, date)) = annual(cx) else { return };
    if date.value > cx.today {
        return;
    }
    let rv = &latest(cx.rec, ReviewKind::Annual).expect("annual() found it").review;
    cx.deadline(
        "ENG-AR-REPORT",
        rv.report_sent.as_ref(),
        add_days(date.value, 14),
        "review report sent",
        "2 weeks after the meeting",
        false,
        &file,
        Some(date.span),
    );
}

pub static ENG_AR_DECISION: Rule = Rule {
    code: "ENG-AR-DECISION",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The local authority notifies its decision to keep, amend or cease the plan within 4 weeks of the meeting, and within the 12-month period. (LA duty)",
    provision: "Within four weeks of the review meeting, the local authority must decide whether it proposes to continue to maintain the EHC plan in its current form, to amend it, or to cease to maintain it, and notify the child's parent or the young person (reg. 20(10)); the review is completed within 12 months of the plan or the last review (9.176).",
    source: "SEND Regulations 2014, reg. 20(10); SEND Code of Practice 0-25 (2015), 9.176",
    check: eng_ar_decision,
};

fn eng_ar_decision(cx: &mut Cx) {
    let Some((file, date)) = annual(cx) else { return };
    if date.value > cx.today {
        return;
    }
    let rv = &latest(cx.rec, ReviewKind::Annual).expect("annual() found it").review;
    cx.deadline(
        "ENG-AR-DECISION",
        rv.la_decision.as_ref().and_then(|d| d.date.as_ref()),
        add_days(date.value, 28),
        "local authority decision",
        "4 weeks after the meeting",
        false,
        &file,
        Some(date.span),
    );
}

pub static ENG_AR_PFA: Rule = Rule {
    code: "ENG-AR-PFA",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "Reviews from Year 9 focus on preparing for adulthood.",
    provision: "Where the child is in year 9 or above, the review must include consideration of what provision is required to assist the child in preparation for adulthood and independent living (reg. 20(6); reg. 21(6) for young people).",
    source: "SEND Regulations 2014, reg. 20(6) and 21(6)",
    check: eng_ar_pfa,
};

fn eng_ar_pfa(cx: &mut Cx) {
    let Some((file, date)) = annual(cx) else { return };
    if val(&cx.pupil.year_group).is_none_or(|y| y < 9) {
        return;
    }
    let rv = &latest(cx.rec, ReviewKind::Annual).expect("annual() found it").review;
    let has = rv.preparing_for_adulthood.as_ref().is_some_and(|t| !t.value.trim().is_empty());
    let (status, detail) = if has {
        (Status::Met, "preparing for adulthood recorded".to_string())
    } else {
        (Status::NotMet, "Year 9 or above: the annual review records no `preparing_for_adulthood`".to_string())
    };
    cx.push("ENG-AR-PFA", status, None, detail, file, Some(date.span));
}

pub static ENG_PHASE: Rule = Rule {
    code: "ENG-PHASE",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "Before a transfer between phases the plan is reviewed and amended to name the new setting: before 15 February of the calendar year of transfer; before 31 March for secondary to post-16; at least 5 months before a move between post-16 institutions.",
    provision: "Where a child or young person is to transfer between phases of education, the local authority must review and amend the EHC plan, so that it names the new school or institution, before 15th February in the calendar year of the transfer, or before 31st March for a transfer from secondary school to a post-16 institution (reg. 18(1)); for a young person moving between post-16 institutions, at least 5 months before the transfer takes place (reg. 18(2)).",
    source: "SEND Regulations 2014, reg. 18(1)-(2); reg. 2(1) \"transfer between phases\"",
    check: eng_phase,
};

fn eng_phase(cx: &mut Cx) {
    if cx.level != Level::Ehcp {
        return;
    }
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

pub static ENG_EHC_TIMELINE: Rule = Rule {
    code: "ENG-EHC-TIMELINE",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "EHC needs assessment: a decision whether to assess within 6 weeks of the request; if assessed, a no-plan notice within 16 weeks or the final plan within 20 weeks of the request. (LA duty)",
    provision: "The local authority must notify the child's parent of its decision whether to secure an EHC needs assessment within 6 weeks of receiving a request (reg. 5(1)); of a decision not to secure a plan within 16 weeks of the request (reg. 10(1)); and must issue the finalised EHC plan within 20 weeks of the request (reg. 13(2)), subject to the exceptions of regs. 5(4), 10(4) and 13(3).",
    source: "SEND Regulations 2014, reg. 5(1), 10(1), 13(2); 5(4), 10(4), 13(3)",
    check: eng_ehc_timeline,
};

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

pub static ENG_COST: Rule = Rule {
    code: "ENG-COST",
    jurisdiction: ENG,
    severity: Info,
    confidence: 'S',
    scope: Scope::Pupil,
    statement: "Advisory: the pupil's additional provision costs more than the school's notional threshold; top-up funding may be sought from the local authority.",
    provision: "Mainstream schools are expected to meet the costs of additional support up to the notional threshold (element 2, commonly 6,000 a year) from their notional SEN budget; the local authority may provide top-up funding above it. The threshold is funding guidance, not a legal test for an EHC needs assessment.",
    source: "DfE high needs funding operational guide (element 2)",
    check: eng_cost,
};

fn eng_cost(cx: &mut Cx) {
    if !cx.level.on_register() {
        return;
    }
    if let Some(cost) = cx.yearly_cost {
        eng_cost_of(cx, cost);
    }
}

fn eng_cost_of(cx: &mut Cx, cost: f64) {
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

pub static ENG_CENSUS: Rule = Rule {
    code: "ENG-CENSUS",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'S',
    scope: Scope::Pupil,
    statement: "The census codes SEN provision E (EHC plan), K (SEN support), N (no SEN) as on census day; E and K need a rank-1 SEN type; NSA only with K.",
    provision: "Pupils with SEN provision E (EHC plan) or K (SEN support) are returned with their primary SEN type (rank 1) and, where there is one, a secondary type (rank 2); NSA (SEN support but no specialist assessment of type of need) is valid only with K.",
    source: "DfE school census guide; Common Basic Data Set (CBDS)",
    check: eng_census,
};

fn eng_census(cx: &mut Cx) {
    if !cx.level.on_register() {
        return;
    }
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

pub static ENG_RETAIN: Rule = Rule {
    code: "ENG-RETAIN",
    jurisdiction: ENG,
    severity: Info,
    confidence: 'G',
    scope: Scope::Archived,
    statement: "The last school to hold a pupil's SEN file keeps it until the date of birth + 31 years, then reviews it for destruction.",
    provision: "SEN files, reviews and individual education plans: retain until the date of birth of the pupil + 31 years, then review for secure disposal.",
    source: "IRMS Information Management Toolkit for Schools",
    check: eng_retain,
};

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

pub static ENG_SENCO: Rule = Rule {
    code: "ENG-SENCO",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::School,
    statement: "A mainstream school designates a SENCO who is a qualified teacher working at the school (or the head teacher), holding the mandatory SENCO qualification within 3 years of appointment.",
    provision: "The appropriate authority of a mainstream school must designate a member of staff as having responsibility for co-ordinating the provision for pupils with SEN (s.67(2)); the SENCO must be a qualified teacher working as a teacher at the school, or the head teacher (reg. 49(1)-(2)); a person newly appointed must hold the NASENCO award or the NPQ for SENCOs within 3 years of appointment (reg. 49(4)-(7), as amended from 1 September 2024).",
    source: "Children and Families Act 2014, s.67; SEND Regulations 2014, reg. 49",
    check: super::school_rule,
};
