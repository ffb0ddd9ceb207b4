//! The England rule pack: Children and Families Act 2014 (CFA), the SEND
//! Regulations 2014, the SEND Code of Practice 0-25 (2015) and the school
//! duties around them. Each rule's registry entry (its statement, the words of
//! the provision it rests on, source, confidence and default severity) sits
//! beside the function that evaluates it.
//!
//! Every rule answers for every pupil it is evaluated over: met, due,
//! overdue, not met, not recorded (the records lack the fact it needs), or
//! not applicable (with the reason), never a default "met"
//! (domain-rules.md version 2, Principles).

use super::dates::{
    add_days, add_months, add_weeks, add_years, age_on, within_12_months, within_months, SchoolCalendar,
};
use super::eval::{latest, Cx, Outcome, Status};
use super::{Rule, Scope};
use crate::diag::Severity::{Info, Warning};
use crate::model::settings::Jurisdiction::England as ENG;
use crate::model::span::{Span, Spanned};
use crate::model::{
    text, val, DecisionOutcome, Level, LogKind, Phase, Request, RequestOutcome, ReviewKind, Role, SencoAward, Settings,
    Staff, StaffRole,
};
use crate::repo::ReviewFile;
use chrono::{Datelike, Months, NaiveDate, Weekday};

/// A rule that does not apply to this pupil, with the reason.
fn not_applicable(cx: &mut Cx, code: &'static str, why: String) {
    let file = cx.pupil_file();
    cx.push(code, Status::NotApplicable, None, why, file, None);
}

/// The level words of the message "for pupils with X; this pupil is at Y".
fn level_words(level: Level) -> &'static str {
    match level {
        Level::Monitoring => "on the watch list (not on the SEN register)",
        Level::SenSupport => "on SEN support",
        Level::Ehcp => "with an EHC plan",
        _ => "at a level of another jurisdiction",
    }
}

/// "for pupils with an EHC plan; this pupil is on SEN support".
fn wrong_level(cx: &mut Cx, code: &'static str, wanted: Level) {
    let is = match cx.level {
        Level::Monitoring => "is on the watch list",
        Level::SenSupport => "is on SEN support",
        Level::Ehcp => "has an EHC plan",
        _ => "is at a level of another jurisdiction",
    };
    let why = format!("for pupils {}; this pupil {is}", level_words(wanted));
    not_applicable(cx, code, why);
}

/// The academic year (1 September to 31 August) a date falls in, by the
/// calendar year it starts in.
fn academic_year(d: NaiveDate) -> i32 {
    if d.month() >= 9 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// The pupil's year group on `on`, worked back from the recorded year group:
/// that is the year group of the academic year of `[calendar]` (of today
/// when there is no calendar), one less for each academic year before it.
fn year_group_on(cx: &Cx, on: NaiveDate) -> Option<i64> {
    let now = val(&cx.pupil.year_group)?;
    let current = cx.settings.calendar.as_ref().map_or(academic_year(cx.today), |c| academic_year(c.year_start));
    Some(now - i64::from(current - academic_year(on)))
}

/// The last Friday of June of a calendar year.
fn last_friday_of_june(year: i32) -> NaiveDate {
    let mut d = NaiveDate::from_ymd_opt(year, 6, 30).unwrap_or(NaiveDate::MIN);
    while d.weekday() != Weekday::Fri {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

/// The school leaving date (Education Act 1996 s.8; the Education (School
/// Leaving Date) Order 1997): the last Friday of June of the school year in
/// which the pupil turns 16. The day after it the pupil is over compulsory
/// school age: a young person (CFA s.83(2)).
pub fn school_leaving_date(dob: NaiveDate) -> NaiveDate {
    last_friday_of_june(academic_year(add_years(dob, 16)) + 1)
}

/// The held annual reviews (dated on or before today), oldest first.
fn held_annuals<'a>(cx: &Cx<'a>) -> Vec<&'a ReviewFile> {
    let today = cx.today;
    cx.rec
        .reviews
        .iter()
        .filter(|r| val(&r.review.kind) == Some(ReviewKind::Annual))
        .filter(|r| val(&r.review.date).is_some_and(|d| d <= today))
        .collect()
}

/// The latest held annual review of a pupil with an EHC plan; pushes "not
/// applicable" (with the reason) and gives `None` when there is none.
fn held_annual<'a>(cx: &mut Cx<'a>, code: &'static str) -> Option<(&'a ReviewFile, Spanned<NaiveDate>)> {
    if cx.level != Level::Ehcp {
        wrong_level(cx, code, Level::Ehcp);
        return None;
    }
    let found = held_annuals(cx).last().copied().and_then(|r| r.review.date.clone().map(|d| (r, d)));
    if found.is_none() {
        not_applicable(cx, code, "no annual review has been held yet".into());
    }
    found
}

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
    &ENG_AR_AMEND,
    &ENG_AR_PFA,
    &ENG_PHASE,
    &ENG_EHC_TIMELINE,
    &ENG_ADVICE,
    &ENG_COST,
    &ENG_CENSUS,
    &ENG_FILE_TRANSFER,
    &ENG_RETAIN,
    &ENG_SENCO,
    &ENG_ACCESS,
];

pub static ENG_SUP_REVIEW: Rule = Rule {
    code: "ENG-SUP-REVIEW",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'G',
    scope: Scope::Pupil,
    statement: "School-based SEN support runs in assess-plan-do-review cycles, each plan with an agreed review date.",
    plain: None,
    provision: "SEN support should take the form of a four-part cycle (assess, plan, do, review) through which earlier decisions and actions are revisited, refined and revised; the school should agree with parents and the pupil the date for review (6.44, 6.48).",
    source: "SEND Code of Practice 0-25 (2015), 6.44-6.56",
    check: eng_sup_review,
};

fn eng_sup_review(cx: &mut Cx) {
    if cx.level == Level::SenSupport {
        cx.due_rule("ENG-SUP-REVIEW");
    } else {
        wrong_level(cx, "ENG-SUP-REVIEW", Level::SenSupport);
    }
}

pub static ENG_SUP_PARENTS: Rule = Rule {
    code: "ENG-SUP-PARENTS",
    jurisdiction: ENG,
    severity: Info,
    confidence: 'G',
    scope: Scope::Pupil,
    statement: "Schools should meet parents of pupils on SEN support at least three times each year.",
    plain: None,
    provision: "Schools should meet parents at least three times each year (6.65).",
    source: "SEND Code of Practice 0-25 (2015), 6.65",
    check: eng_sup_parents,
};

/// Meetings with a parent or carer attending (invited is not attended; a
/// phone call or an e-mail is contact, not a meeting), counted in the
/// academic year from the later of `year_start` and `support.since`; by
/// today the school should have held floor(3 x elapsed days / days in the
/// year) of them. Term lists do not enter the count.
fn eng_sup_parents(cx: &mut Cx) {
    const CODE: &str = "ENG-SUP-PARENTS";
    if cx.level != Level::SenSupport {
        return wrong_level(cx, CODE, Level::SenSupport);
    }
    let Some(cal) = &cx.settings.calendar else {
        let file = cx.pupil_file();
        let why = "no [calendar] in senco.toml to know the academic year".to_string();
        return cx.push(CODE, Status::NotRecorded, None, why, file, None);
    };
    let since = cx.pupil.support.as_ref().and_then(|s| val(&s.since));
    let start = since.map_or(cal.year_start, |s| s.max(cal.year_start));
    let year_days = (cal.year_end - cal.year_start).num_days() + 1;
    let until = cx.today.min(cal.year_end);
    let elapsed = if until < start { 0 } else { (until - start).num_days() + 1 };
    let expected = (3 * elapsed / year_days).min(3);
    let today = cx.today;
    let in_year = |d: NaiveDate| start <= d && d <= until && d <= today;
    let mut met: Vec<(NaiveDate, String, Span)> = cx
        .rec
        .reviews
        .iter()
        .filter_map(|r| r.review.date.as_ref().map(|d| (r, d)))
        .filter(|(_, d)| in_year(d.value))
        .filter(|(r, _)| {
            r.review.attendees.iter().flatten().any(|a| matches!(val(&a.role), Some(Role::Parent | Role::Carer)))
        })
        .map(|(r, d)| (d.value, r.path.clone(), d.span))
        .collect();
    // The pupil log's meetings with a parent or carer (a phone call or an
    // e-mail is contact, not a meeting).
    let log_file = cx.rec.file("log.yaml");
    met.extend(
        cx.rec
            .log
            .iter()
            .filter(|e| val(&e.kind) == Some(LogKind::Meeting) && e.with_parent())
            .filter_map(|e| e.date.as_ref())
            .filter(|d| in_year(d.value))
            .map(|d| (d.value, log_file.clone(), d.span)),
    );
    met.sort_by_key(|m| m.0);
    // Two records of the same day are one meeting.
    met.dedup_by_key(|m| m.0);
    let count = met.len() as i64;
    let (file, span) = match met.last() {
        Some((_, f, sp)) => (f.clone(), Some(*sp)),
        None => (cx.pupil_file(), cx.pupil.support.as_ref().and_then(|s| s.since.as_ref()).map(|s| s.span)),
    };
    // The day the n-th meeting is expected by: the first day on which
    // floor(3 x elapsed / days in the year) reaches n.
    let expected_by = |n: i64| add_days(start, ((n * year_days + 2) / 3 - 1).max(0) as u64);
    let from = if start == cal.year_start {
        format!("the year began on {start}")
    } else {
        format!("SEN support began on {start}")
    };
    let detail = format!(
        "{count} meeting(s) with a parent or carer attending since {start}; {expected} expected by now ({from}; three a year)"
    );
    if count < expected {
        let due = expected_by(count + 1);
        cx.push(CODE, Status::NotMet, Some(due), detail, file, span);
    } else if count < 3 && expected_by(count + 1) <= cal.year_end {
        let due = expected_by(count + 1);
        let status = cx.pending(due);
        cx.push(CODE, status, Some(due), format!("{detail}; the next by {due}"), file, span);
    } else {
        cx.push(CODE, Status::Met, None, detail, file, span);
    }
}

pub static ENG_SUP_NOTIFY: Rule = Rule {
    code: "ENG-SUP-NOTIFY",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "Where a pupil has no EHC plan and the school makes special educational provision, the school must inform the parent.",
    plain: None,
    provision: "Where special educational provision is made for a pupil for whom no EHC plan is maintained, the appropriate authority must inform the child's parent that special educational provision is being made (s.68(1)(b), (2)).",
    source: "Children and Families Act 2014, s.68",
    check: eng_sup_notify,
};

fn eng_sup_notify(cx: &mut Cx) {
    const CODE: &str = "ENG-SUP-NOTIFY";
    match cx.level {
        Level::SenSupport => {}
        Level::Ehcp => {
            let why = "s.68 is for pupils without an EHC plan; this pupil has one".to_string();
            return not_applicable(cx, CODE, why);
        }
        _ => return wrong_level(cx, CODE, Level::SenSupport),
    }
    let file = cx.pupil_file();
    let logged = cx
        .rec
        .log
        .iter()
        .filter(|e| val(&e.kind) == Some(LogKind::ParentsInformed))
        .filter_map(|e| e.date.as_ref())
        .min_by_key(|d| d.value);
    if let (None, Some(d)) = (cx.pupil.support.as_ref().and_then(|s| s.parents_informed.as_ref()), logged) {
        let detail = format!("parents informed on {} that special educational provision is made (log)", d.value);
        let file = cx.rec.file("log.yaml");
        return cx.push(CODE, Status::Met, None, detail, file, Some(d.span));
    }
    match cx.pupil.support.as_ref().and_then(|s| s.parents_informed.as_ref()) {
        Some(d) => {
            let detail = format!("parents informed on {} that special educational provision is made", d.value);
            cx.push(CODE, Status::Met, None, detail, file, Some(d.span));
        }
        None => {
            let span = cx.pupil.support.as_ref().and_then(|s| s.level.as_ref()).map(|l| l.span);
            let detail = "when the parents were told that the school makes special educational provision (`support.parents_informed`, or a log entry of kind `parents-informed`)".to_string();
            cx.push(CODE, Status::NotRecorded, None, detail, file, span);
        }
    }
}

pub static ENG_AR_DUE: Rule = Rule {
    code: "ENG-AR-DUE",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "An EHC plan is reviewed within 12 months of being made, then within 12 months of each review.",
    plain: None,
    provision: "A local authority must review an EHC plan that it maintains in the period of 12 months starting with the date on which the plan was first made, and in each subsequent period of 12 months starting with the date on which the plan was last reviewed (s.44(1)).",
    source: "Children and Families Act 2014, s.44(1); SEND Regulations 2014, reg. 20(10); SEND Code of Practice 0-25 (2015), 9.176",
    check: eng_ar_due,
};

fn eng_ar_due(cx: &mut Cx) {
    const CODE: &str = "ENG-AR-DUE";
    if cx.level != Level::Ehcp {
        return wrong_level(cx, CODE, Level::Ehcp);
    }
    cx.due_rule(CODE);
    // The review is complete only when the LA has notified its decision, up
    // to 4 weeks after the meeting: so the review is due soon once the
    // latest meeting date (the period's end - 28 days) is within
    // `warn_days`, although the date given stays the period's end.
    let warn = i64::from(cx.settings.reviews.warn_days);
    let today = cx.today;
    for o in cx.out.iter_mut().filter(|o| o.rule.code == CODE && o.status == Status::Met) {
        if let Some(end) = o.due {
            if (end - today).num_days() - 28 <= warn {
                o.status = Status::Due;
            }
        }
    }
}

pub static ENG_AR_UNDER5: Rule = Rule {
    code: "ENG-AR-UNDER5",
    jurisdiction: ENG,
    severity: Info,
    confidence: 'G',
    scope: Scope::Pupil,
    statement: "For children under 5 the local authority should consider reviewing the EHC plan every 3 to 6 months.",
    plain: None,
    provision: "Local authorities should consider reviewing an EHC plan for a child under 5 at least every 3 to 6 months (9.178).",
    source: "SEND Code of Practice 0-25 (2015), 9.178",
    check: eng_ar_under5,
};

fn eng_ar_under5(cx: &mut Cx) {
    const CODE: &str = "ENG-AR-UNDER5";
    if cx.level != Level::Ehcp {
        return wrong_level(cx, CODE, Level::Ehcp);
    }
    let Some(dob) = val(&cx.pupil.date_of_birth) else {
        let file = cx.pupil_file();
        return cx.push(CODE, Status::NotRecorded, None, "no date of birth".into(), file, None);
    };
    if age_on(dob, cx.today) >= 5 {
        return not_applicable(cx, CODE, format!("the child is 5 or over (born {dob})"));
    }
    let today = cx.today;
    let last = cx
        .rec
        .reviews
        .iter()
        .rev()
        .filter(|r| val(&r.review.date).is_some_and(|d| d <= today))
        .find_map(|r| r.review.date.as_ref().map(|d| (r.path.clone(), d.clone())));
    let issued = cx.pupil.plan().and_then(|p| p.issued.clone());
    let (file, from) = match (last, issued) {
        (Some((f, d)), _) => (f, d),
        (None, Some(i)) => (cx.pupil_file(), i),
        (None, None) => {
            let file = cx.pupil_file();
            let detail = "under 5: no review and no plan date recorded to count 6 months from".to_string();
            cx.push(CODE, Status::NotRecorded, None, detail, file, None);
            return;
        }
    };
    // A period of 6 months starting with the last review: the corresponding-date rule.
    let due = within_months(from.value, 6);
    let status = cx.pending(due);
    let detail = format!("under 5: consider a review within 6 months of {} (by {due})", from.value);
    cx.push(CODE, status, Some(due), detail, file, Some(from.span));
}

pub static ENG_AR_NOTICE: Rule = Rule {
    code: "ENG-AR-NOTICE",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "At least 2 weeks' notice of the review meeting; advice circulated at least 2 weeks before it.",
    plain: None,
    provision: "The school must give at least two weeks' notice of the date of the meeting (reg. 20(3)); the advice and information obtained must be circulated to all those invited at least two weeks in advance of the review meeting (reg. 20(4)).",
    source: "SEND Regulations 2014, reg. 20(3)-(4)",
    check: eng_ar_notice,
};

/// The latest annual review (held or being prepared) of a pupil with an EHC
/// plan; pushes "not applicable" when there is none.
fn any_annual<'a>(cx: &mut Cx<'a>, code: &'static str) -> Option<(&'a ReviewFile, Spanned<NaiveDate>)> {
    if cx.level != Level::Ehcp {
        wrong_level(cx, code, Level::Ehcp);
        return None;
    }
    let found = latest(cx.rec, ReviewKind::Annual).and_then(|r| r.review.date.clone().map(|d| (r, d)));
    if found.is_none() {
        not_applicable(cx, code, "no annual review is recorded".into());
    }
    found
}

fn eng_ar_notice(cx: &mut Cx) {
    const CODE: &str = "ENG-AR-NOTICE";
    let Some((r, date)) = any_annual(cx, CODE) else { return };
    let d = date.value;
    let notice = d.checked_sub_days(chrono::Days::new(14)).unwrap_or(d);
    // A held meeting without the dates: not recorded; a meeting ahead whose
    // notice date has passed without them: overdue.
    let held = d <= cx.today;
    for (done, what) in [
        (&r.review.invitations_sent, "invitations sent"),
        (&r.review.papers_circulated, "advice and information circulated"),
    ] {
        cx.deadline(
            CODE,
            done.as_ref(),
            notice,
            what,
            &format!("2 weeks before the meeting on {d}"),
            held,
            &r.path,
            Some(date.span),
        );
    }
}

pub static ENG_AR_INVITEES: Rule = Rule {
    code: "ENG-AR-INVITEES",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The review meeting invites the child's parent (or the young person), a representative of the school, an LA SEN officer, health care and social care.",
    plain: None,
    provision: "The following persons must be invited to attend the review meeting: the child's parent or the young person; the provider of the relevant education (the head teacher or a delegate); a representative of the local authority's SEN service; a health care professional; an officer of the authority who exercises social services functions (reg. 20(2)).",
    source: "SEND Regulations 2014, reg. 20(2)",
    check: eng_ar_invitees,
};

fn eng_ar_invitees(cx: &mut Cx) {
    const CODE: &str = "ENG-AR-INVITEES";
    let Some((r, date)) = held_annual(cx, CODE) else { return };
    let have: Vec<Role> =
        r.review.attendees.iter().chain(r.review.invited.iter()).flatten().filter_map(|a| val(&a.role)).collect();
    // The young person stands in for the parent only once over compulsory
    // school age (CFA s.83(2)): after the school leaving date.
    let young = val(&cx.pupil.date_of_birth).is_some_and(|dob| date.value > school_leaving_date(dob));
    let parent: &[Role] = if young { &[Role::Parent, Role::Carer, Role::Pupil] } else { &[Role::Parent, Role::Carer] };
    if have.is_empty() {
        let detail =
            format!("who was invited to the annual review of {} (`invited` or `attendees` with roles)", date.value);
        return cx.push(CODE, Status::NotRecorded, None, detail, r.path.clone(), Some(date.span));
    }
    let groups: [(&str, &[Role]); 5] = [
        (if young { "parent or young person" } else { "parent" }, parent),
        ("school", &[Role::Senco, Role::Teacher, Role::SchoolLeader, Role::TeachingAssistant]),
        ("local authority", &[Role::LocalAuthority]),
        ("health", &[Role::Health, Role::Therapist]),
        ("social care", &[Role::SocialCare]),
    ];
    let missing: Vec<&str> =
        groups.iter().filter(|(_, rs)| !rs.iter().any(|r| have.contains(r))).map(|(n, _)| *n).collect();
    let (status, detail) = if missing.is_empty() {
        (
            Status::Met,
            format!(
                "the annual review of {} invited parent, school, local authority, health and social care",
                date.value
            ),
        )
    } else {
        (
            Status::NotMet,
            format!("the annual review of {} records no invitee or attendee for: {}", date.value, missing.join(", ")),
        )
    };
    cx.push(CODE, status, None, detail, r.path.clone(), Some(date.span));
}

pub static ENG_AR_REPORT: Rule = Rule {
    code: "ENG-AR-REPORT",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The school prepares and sends the review report within 2 weeks of the meeting.",
    plain: None,
    provision: "The school must prepare a report of the meeting and send it to everyone invited within two weeks of the review meeting (reg. 20(7)-(8)).",
    source: "SEND Regulations 2014, reg. 20(7)",
    check: eng_ar_report,
};

fn eng_ar_report(cx: &mut Cx) {
    const CODE: &str = "ENG-AR-REPORT";
    let Some((r, date)) = held_annual(cx, CODE) else { return };
    cx.deadline(
        CODE,
        r.review.report_sent.as_ref(),
        add_days(date.value, 14),
        "review report sent",
        &format!("2 weeks after the meeting on {}", date.value),
        false,
        &r.path,
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
    plain: None,
    provision: "Within four weeks of the review meeting, the local authority must decide whether it proposes to continue to maintain the EHC plan in its current form, to amend it, or to cease to maintain it, and notify the child's parent or the young person (reg. 20(10)); the review is completed within 12 months of the plan or the last review (9.176).",
    source: "SEND Regulations 2014, reg. 20(10); SEND Code of Practice 0-25 (2015), 9.176",
    check: eng_ar_decision,
};

/// The end of the 12-month review period a review held on `date` falls in:
/// from the annual review before it, else from the plan.
fn period_end(cx: &Cx, date: NaiveDate) -> Option<(NaiveDate, String)> {
    let before = held_annuals(cx).into_iter().filter_map(|r| val(&r.review.date)).filter(|d| *d < date).max();
    match before {
        Some(b) => Some((within_12_months(b), format!("the 12 months from the review of {b}"))),
        None => cx
            .pupil
            .plan()
            .and_then(|p| val(&p.issued))
            .filter(|i| *i <= date)
            .map(|i| (within_12_months(i), format!("the 12 months from the plan issued on {i}"))),
    }
}

fn eng_ar_decision(cx: &mut Cx) {
    const CODE: &str = "ENG-AR-DECISION";
    let Some((r, date)) = held_annual(cx, CODE) else { return };
    let four_weeks = add_days(date.value, 28);
    let (deadline, basis) = match period_end(cx, date.value) {
        Some((end, period)) if end < four_weeks && end >= date.value => {
            (end, format!("4 weeks after the meeting on {}, and within {period}, ending {end}", date.value))
        }
        _ => (four_weeks, format!("4 weeks after the meeting on {}", date.value)),
    };
    cx.deadline(
        CODE,
        r.review.la_decision.as_ref().and_then(|d| d.date.as_ref()),
        deadline,
        "local authority decision to keep, amend or cease the plan (LA duty)",
        &basis,
        false,
        &r.path,
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
    plain: None,
    provision: "Where the child is in year 9 or above, the review must include consideration of what provision is required to assist the child in preparation for adulthood and independent living (reg. 20(6); reg. 21(6) for young people).",
    source: "SEND Regulations 2014, reg. 20(6) and 21(6)",
    check: eng_ar_pfa,
};

fn eng_ar_pfa(cx: &mut Cx) {
    const CODE: &str = "ENG-AR-PFA";
    let Some((r, date)) = held_annual(cx, CODE) else { return };
    let Some(year) = year_group_on(cx, date.value) else {
        let file = cx.pupil_file();
        return cx.push(
            CODE,
            Status::NotRecorded,
            None,
            "no year group to know the year at the review".into(),
            file,
            None,
        );
    };
    if year < 9 {
        return not_applicable(
            cx,
            CODE,
            format!("the pupil was in Year {year} at the annual review of {}", date.value),
        );
    }
    let (status, detail, span) = match &r.review.preparing_for_adulthood {
        Some(t) if !t.value.trim().is_empty() => (
            Status::Met,
            format!("the annual review of {} (Year {year}) records preparing for adulthood", date.value),
            t.span,
        ),
        _ => (
            Status::NotMet,
            format!("the annual review of {} (Year {year}) records no `preparing_for_adulthood`", date.value),
            date.span,
        ),
    };
    cx.push(CODE, status, None, detail, r.path.clone(), Some(span));
}

pub static ENG_PHASE: Rule = Rule {
    code: "ENG-PHASE",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "Before a transfer between phases the plan is reviewed and amended to name the new setting: before 15 February of the calendar year of transfer; before 31 March for secondary to post-16; at least 5 months before a move between post-16 institutions.",
    plain: None,
    provision: "Where a child or young person is to transfer between phases of education, the local authority must review and amend the EHC plan, so that it names the new school or institution, before 15th February in the calendar year of the transfer, or before 31st March for a transfer from secondary school to a post-16 institution (reg. 18(1)); for a young person moving between post-16 institutions, at least 5 months before the transfer takes place (reg. 18(2)).",
    source: "SEND Regulations 2014, reg. 18(1)-(2); reg. 2(1) \"transfer between phases\"",
    check: eng_phase,
};

fn eng_phase(cx: &mut Cx) {
    const CODE: &str = "ENG-PHASE";
    if cx.level != Level::Ehcp {
        return wrong_level(cx, CODE, Level::Ehcp);
    }
    let pupil = cx.pupil;
    let Some(t) = &pupil.transition else {
        return not_applicable(cx, CODE, "no transfer between phases is recorded (`transition`)".into());
    };
    let (Some(date), Some(phase)) = (&t.date, &t.phase) else {
        let file = cx.pupil_file();
        let why = "a transition is recorded without its `date` and `phase`".to_string();
        return cx.push(CODE, Status::NotRecorded, None, why, file, None);
    };
    if date.value < cx.today {
        return not_applicable(cx, CODE, format!("the transfer on {} has passed", date.value));
    }
    if date.value > add_months(cx.today, 12) {
        return not_applicable(cx, CODE, format!("the transfer on {} is more than 12 months away", date.value));
    }
    let year = date.value.year();
    // "Before 15 February" is on or before 14 February (Principles: Dates).
    let (deadline, basis) = match phase.value {
        Phase::SecondaryPost16 => {
            (NaiveDate::from_ymd_opt(year, 3, 30), format!("before 31 March {year}, secondary to post-16"))
        }
        Phase::Post16Post16 => (
            date.value.checked_sub_months(Months::new(5)),
            format!("at least 5 months before the move between post-16 institutions on {}", date.value),
        ),
        _ => (
            NaiveDate::from_ymd_opt(year, 2, 14),
            format!("before 15 February {year}, the calendar year of the transfer"),
        ),
    };
    let Some(deadline) = deadline else { return };
    let plan = pupil.plan();
    let named = plan.and_then(|p| text(&p.named_setting)).is_some_and(|s| !s.trim().is_empty());
    // An amendment counts when it names the new setting and was made for this
    // transfer (in the 12 months before it), not an older one.
    let window = date.value.checked_sub_months(Months::new(12)).unwrap_or(NaiveDate::MIN);
    let amended = plan.and_then(|p| p.amended.as_ref()).filter(|a| named && a.value >= window);
    let file = cx.pupil_file();
    cx.deadline(
        CODE,
        amended,
        deadline,
        "plan amended to name the new setting (`plan.amended` with `plan.named_setting`)",
        &basis,
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
    plain: None,
    provision: "The local authority must notify the child's parent of its decision whether to secure an EHC needs assessment within 6 weeks of receiving a request (reg. 5(1)); of a decision not to secure a plan within 16 weeks of the request (reg. 10(1)); and must issue the finalised EHC plan within 20 weeks of the request (reg. 13(2)), subject to the exceptions of regs. 5(4), 10(4) and 13(3).",
    source: "SEND Regulations 2014, reg. 5(1), 10(1), 13(2); 5(4), 10(4), 13(3)",
    check: eng_ehc_timeline,
};

fn eng_ehc_timeline(cx: &mut Cx) {
    const CODE: &str = "ENG-EHC-TIMELINE";
    let pupil = cx.pupil;
    let requests: Vec<&Request> =
        pupil.support.iter().flat_map(|s| s.all_requests()).filter(|r| r.requested.is_some()).collect();
    if requests.is_empty() {
        return not_applicable(cx, CODE, "no request for an EHC needs assessment is recorded".into());
    }
    let several = requests.len() > 1;
    for req in requests {
        ehc_request(cx, req, several);
    }
}

/// A deadline moved by a recorded exception (regs. 5(4), 10(4), 13(3)): by
/// the days of the exception when it has `from` and `to` and starts by the
/// deadline; `None` when its dates are not recorded.
fn extended(req: &Request, deadline: NaiveDate) -> Option<(NaiveDate, String)> {
    let Some(e) = &req.exception else { return Some((deadline, String::new())) };
    let reason = text(&e.reason).unwrap_or("exception").trim();
    match (val(&e.from), val(&e.to)) {
        (Some(from), Some(to)) if from > deadline || to < from => Some((deadline, String::new())),
        (Some(from), Some(to)) => {
            let days = (to - from).num_days() + 1;
            let d = add_days(deadline, days as u64);
            Some((d, format!("; extended by {days} days from {deadline}: {reason}")))
        }
        _ => None,
    }
}

fn ehc_request(cx: &mut Cx, req: &Request, several: bool) {
    const CODE: &str = "ENG-EHC-TIMELINE";
    let Some(requested) = &req.requested else { return };
    let r = requested.value;
    let file = cx.pupil_file();
    let anchor = Some(requested.span);
    let of = if several { format!(" (request of {r})") } else { String::new() };
    let outcome = val(&req.outcome);
    let milestone = |cx: &mut Cx, done: Option<&Spanned<NaiveDate>>, weeks: u32, what: &str, unknown: bool| {
        let limit = add_weeks(r, weeks);
        let what = format!("{what}{of} (LA duty)");
        // Done within the time limit itself: no exception is needed.
        let in_time = done.is_some_and(|x| x.value <= limit);
        match if in_time { Some((limit, String::new())) } else { extended(req, limit) } {
            Some((deadline, ext)) => {
                let basis = format!("{weeks} weeks from the request of {r}{ext}");
                cx.deadline(CODE, done, deadline, &what, &basis, unknown, &file, anchor);
            }
            None => {
                let reason = req.exception.as_ref().and_then(|e| text(&e.reason)).unwrap_or("exception");
                let detail = format!(
                    "{what}: extended ({reason}), but the exception's `from` and `to` are not recorded to date it"
                );
                cx.push(CODE, Status::NotRecorded, None, detail, file.clone(), anchor);
            }
        }
    };
    // 1. The decision whether to assess, 6 weeks (reg. 5(1)). A refusal is
    // that decision; an assessment that ended in a plan or a no-plan notice
    // was decided even when its date is missing.
    let decision =
        req.decision.as_ref().or(req.outcome_date.as_ref().filter(|_| outcome == Some(RequestOutcome::Refused)));
    let decided = matches!(outcome, Some(RequestOutcome::NoPlan | RequestOutcome::PlanIssued));
    if outcome == Some(RequestOutcome::Withdrawn) && decision.is_none() {
        let when = req.outcome_date.as_ref().map_or(String::new(), |d| format!(" on {}", d.value));
        let detail = format!("the request of {r} was withdrawn{when}: the clock stopped");
        cx.push(CODE, Status::NotApplicable, None, detail, file.clone(), anchor);
        return;
    }
    milestone(cx, decision, 6, "decision whether to assess", decided);
    // 2. Then by outcome.
    let stop = |cx: &mut Cx, why: String| cx.push(CODE, Status::NotApplicable, None, why, file.clone(), anchor);
    match outcome {
        Some(RequestOutcome::Refused) => {
            stop(cx, format!("the request of {r} was refused: no assessment, so no plan is due"));
        }
        Some(RequestOutcome::Withdrawn) => {
            let when = req.outcome_date.as_ref().map_or(String::new(), |d| format!(" on {}", d.value));
            stop(cx, format!("the request of {r} was withdrawn{when}: the clock stopped"));
        }
        Some(RequestOutcome::NoPlan) => {
            milestone(cx, req.outcome_date.as_ref(), 16, "notice that no EHC plan will be issued", true);
        }
        Some(RequestOutcome::NotEligible | RequestOutcome::NoAln | RequestOutcome::ReferredToLa) => {
            let o = outcome.map_or("", |o| o.as_str());
            stop(cx, format!("the request of {r} ended with `{o}`: the clock stopped"));
        }
        Some(RequestOutcome::PlanIssued | RequestOutcome::Assessing) | None => {
            let plan_issued = cx.pupil.plan().and_then(|p| p.issued.as_ref()).filter(|i| i.value >= r);
            let issued = req
                .issued
                .as_ref()
                .or(req.outcome_date.as_ref().filter(|_| outcome == Some(RequestOutcome::PlanIssued)))
                .or(plan_issued);
            let what = if issued.is_some() || outcome == Some(RequestOutcome::PlanIssued) {
                "final EHC plan issued"
            } else {
                "final EHC plan issued, or notice by 16 weeks that none will be"
            };
            milestone(cx, issued, 20, what, outcome == Some(RequestOutcome::PlanIssued));
        }
    }
}

pub static ENG_COST: Rule = Rule {
    code: "ENG-COST",
    jurisdiction: ENG,
    severity: Info,
    confidence: 'S',
    scope: Scope::Pupil,
    statement: "Advisory: the pupil's additional provision costs more than the school's notional threshold; top-up funding may be sought from the local authority.",
    plain: None,
    provision: "Mainstream schools are expected to meet the costs of additional support up to the notional threshold (element 2, commonly 6,000 a year) from their notional SEN budget; the local authority may provide top-up funding above it. The threshold is funding guidance, not a legal test for an EHC needs assessment.",
    source: "DfE high needs funding operational guide (element 2)",
    check: eng_cost,
};

fn eng_cost(cx: &mut Cx) {
    if !cx.level.on_register() {
        return not_applicable(cx, "ENG-COST", "the pupil is not on the SEN register".into());
    }
    if let Some(cost) = cx.yearly_cost {
        eng_cost_of(cx, cost);
    }
}

fn eng_cost_of(cx: &mut Cx, cost: f64) {
    let c = &cx.settings.costs;
    // The figure is the pupil's whole additional provision this academic
    // year (model::cost::pupil_yearly), as show and the provision map give it.
    let year = cx
        .settings
        .calendar
        .as_ref()
        .map_or("a year".to_string(), |cal| format!("this academic year ({} to {})", cal.year_start, cal.year_end));
    let cost = cost + 0.0; // an empty sum is -0.0: never "-0.00"
    let (status, detail) = if cost > c.notional_threshold {
        (
            Status::NotMet,
            format!(
                "additional provision costs {cost:.2} {} {year}, above the notional threshold of {:.2}",
                c.currency, c.notional_threshold
            ),
        )
    } else {
        (
            Status::Met,
            format!("additional provision costs {cost:.2} {} {year}, within {:.2}", c.currency, c.notional_threshold),
        )
    };
    let money = |x: f64| crate::model::cost::money_in_words(x, &c.currency);
    let words = format!(
        "additional provision costs {} {year}, {} the school's notional threshold of {}",
        money(cost),
        if status == Status::NotMet { "above" } else { "within" },
        money(c.notional_threshold)
    );
    let file = cx.rec.file("interventions.yaml");
    cx.push("ENG-COST", status, None, detail, file, None);
    cx.words(words);
}

pub static ENG_CENSUS: Rule = Rule {
    code: "ENG-CENSUS",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'S',
    scope: Scope::Pupil,
    statement: "The census codes SEN provision E (EHC plan), K (SEN support), N (no SEN) as on census day; E and K need a rank-1 SEN type; NSA only with K.",
    plain: Some(
        "The school census returns the pupil's special educational needs support as on census day (an EHC plan, SEN support, or none) and, with an EHC plan or SEN support, the pupil's main type of need; \"no specialist assessment of the type of need\" is only for a pupil on SEN support.",
    ),
    provision: "Pupils with SEN provision E (EHC plan) or K (SEN support) are returned with their primary SEN type (rank 1) and, where there is one, a secondary type (rank 2); NSA (SEN support but no specialist assessment of type of need) is valid only with K.",
    source: "DfE school census guide; Common Basic Data Set (CBDS)",
    check: eng_census,
};

fn eng_census(cx: &mut Cx) {
    const CODE: &str = "ENG-CENSUS";
    if !cx.level.on_register() {
        return not_applicable(cx, CODE, "census code N: the pupil is not on the SEN register".into());
    }
    if cx.rec.is_broken("needs.yaml") {
        return; // already an error; guessing here would only add noise
    }
    let file = cx.rec.file("needs.yaml");
    let primary = cx.rec.needs.iter().find(|n| val(&n.primary) == Some(true));
    let code = if cx.level == Level::Ehcp { "E" } else { "K" };
    // Rank 2: the first other need whose type differs from rank 1, as the
    // census return reads it (report::census).
    let first = primary.and_then(|n| text(&n.r#type));
    let second = cx
        .rec
        .needs
        .iter()
        .filter(|n| val(&n.primary) != Some(true))
        .filter_map(|n| n.r#type.as_ref())
        .find(|t| Some(t.value.as_str()) != first);
    match primary.and_then(|n| n.r#type.as_ref()) {
        // No needs at all is `no-needs` already; the census code cannot be
        // known until they are recorded.
        None if cx.rec.needs.is_empty() => cx.push(
            CODE,
            Status::NotRecorded,
            None,
            format!("census code {code} needs a primary need with a `type`; no needs are recorded yet"),
            file,
            None,
        ),
        None => {
            let span = primary.map(|n| n.span);
            cx.push(
                CODE,
                Status::NotMet,
                None,
                format!("census code {code} needs a primary need with a `type`"),
                file,
                span,
            )
        }
        Some(t) if t.value == "NSA" && cx.level == Level::Ehcp => cx.push(
            CODE,
            Status::NotMet,
            None,
            "type NSA is only used with SEN support (K), not with an EHC plan".into(),
            file,
            Some(t.span),
        ),
        Some(_) if second.is_some_and(|s| s.value == "NSA") => {
            let span = second.map(|s| s.span);
            cx.push(CODE, Status::NotMet, None, "type NSA is only used as the rank-1 (primary) type".into(), file, span)
        }
        Some(t) => {
            let detail = match second {
                Some(s) => format!("census code {code}, types {} and {}", t.value, s.value),
                None => format!("census code {code}, primary type {}", t.value),
            };
            let level = if cx.level == Level::Ehcp { "an EHC plan" } else { "SEN support" };
            let words = match second {
                Some(s) => format!(
                    "returned in the school census with {level}, main need {} and second need {}",
                    t.value, s.value
                ),
                None => format!("returned in the school census with {level}, main need {}", t.value),
            };
            cx.push(CODE, Status::Met, None, detail, file, Some(t.span));
            cx.words(words);
        }
    }
}

pub static ENG_RETAIN: Rule = Rule {
    code: "ENG-RETAIN",
    jurisdiction: ENG,
    severity: Info,
    confidence: 'G',
    scope: Scope::Archived,
    statement: "The last school to hold a pupil's SEN file keeps it until the date of birth + 31 years, then reviews it for destruction.",
    plain: None,
    provision: "SEN files, reviews and individual education plans: retain until the date of birth of the pupil + 31 years, then review for secure disposal.",
    source: "IRMS Information Management Toolkit for Schools",
    check: eng_retain,
};

/// Whether an archived pupil moved to another school: a `destination`, and
/// not marked `last_school: true`.
fn moved_school(cx: &Cx) -> Option<String> {
    if val(&cx.pupil.last_school) == Some(true) {
        return None;
    }
    text(&cx.pupil.destination).map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

fn eng_retain(cx: &mut Cx) {
    const CODE: &str = "ENG-RETAIN";
    if let Some(dest) = moved_school(cx) {
        let why = format!("the pupil moved to {dest}: the file is transferred there (ENG-FILE-TRANSFER), not kept");
        return not_applicable(cx, CODE, why);
    }
    let Some(dob) = &cx.pupil.date_of_birth else {
        let file = cx.pupil_file();
        return cx.push(
            CODE,
            Status::NotRecorded,
            None,
            "no date of birth to count the retention from".into(),
            file,
            None,
        );
    };
    let years = cx.settings.jurisdiction.retention_years;
    let until = add_years(dob.value, years);
    let status = cx.pending(until);
    let file = cx.pupil_file();
    cx.push(
        CODE,
        status,
        Some(until),
        format!("keep until {until} (date of birth + {years} years), then review for disposal"),
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
    statement: "A mainstream school designates a SENCO who is a qualified teacher working at the school (or the head teacher); one who became SENCO after 1 September 2009 holds the SENCO qualification (NASENCO completed before 1 September 2027, otherwise the NPQ for SENCOs) by the third anniversary of the appointment.",
    plain: None,
    provision: "The appropriate authority of a mainstream school must designate a member of staff as having responsibility for co-ordinating the provision for pupils with SEN (s.67(2)); the SENCO must be a qualified teacher working as a teacher at the school, or the head teacher (reg. 49(1)-(2)); a person who became SENCO after 1 September 2009, and had not been a SENCO for more than 12 months before, must hold the mandatory qualification from the third anniversary of the appointment: the National Award for SEN Co-ordination for a course begun before 1 September 2024 and completed before 1 September 2027, otherwise the NPQ for SENCOs (reg. 49(4)-(7), as amended from 1 September 2024).",
    source: "Children and Families Act 2014, s.67; SEND Regulations 2014, reg. 49(1)-(4), (7)",
    check: super::school_rule,
};

pub static ENG_AR_AMEND: Rule = Rule {
    code: "ENG-AR-AMEND",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "After a decision to amend the EHC plan, the local authority sends the proposed amendments and issues the final amended plan within 8 weeks of the amendment notice. (LA duty)",
    plain: None,
    provision: "Where the local authority proposes to amend an EHC plan it must send the child's parent or the young person a copy of the existing plan and an amendment notice (reg. 22(2)); where it decides to continue to make the amendments, it must issue the amended plan as soon as practicable and in any event within 8 weeks of the date on which it sent the amendment notice (reg. 22(3)).",
    source: "SEND Regulations 2014, reg. 22(2)-(3)",
    check: eng_ar_amend,
};

fn eng_ar_amend(cx: &mut Cx) {
    const CODE: &str = "ENG-AR-AMEND";
    let Some((r, date)) = held_annual(cx, CODE) else { return };
    let decision = r.review.la_decision.as_ref();
    if decision.and_then(|d| val(&d.outcome)) != Some(DecisionOutcome::Amend) {
        let why = match decision.and_then(|d| val(&d.outcome)) {
            Some(o) => format!("the local authority decided to {o} the plan after the review of {}", date.value),
            None => format!("no decision to amend is recorded for the review of {}", date.value),
        };
        return not_applicable(cx, CODE, why);
    }
    let Some(notice) = &r.review.amendment_notice else {
        let detail = format!(
            "the decision after the review of {} is to amend, but the date of the amendment notice (`amendment_notice`) is not recorded (LA duty)",
            date.value
        );
        return cx.push(CODE, Status::NotRecorded, None, detail, r.path.clone(), decision.map(|d| d.span));
    };
    // Only an amendment made after the notice issues this amended plan.
    let pupil = cx.pupil;
    let amended = pupil.plan().and_then(|p| p.amended.as_ref()).filter(|a| a.value >= notice.value);
    let file = if amended.is_some() { cx.pupil_file() } else { r.path.clone() };
    cx.deadline(
        CODE,
        amended,
        add_weeks(notice.value, 8),
        "final amended plan issued (LA duty)",
        &format!("8 weeks from the amendment notice of {}", notice.value),
        false,
        &file,
        Some(notice.span),
    );
}

pub static ENG_ADVICE: Rule = Rule {
    code: "ENG-ADVICE",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'P',
    scope: Scope::Pupil,
    statement: "The school gives the advice and information the local authority asks for during an EHC needs assessment within 6 weeks of the request.",
    plain: None,
    provision: "When the local authority requests advice or information for an EHC needs assessment, the person asked must provide it within 6 weeks of the date of the request (reg. 8(1); reg. 26 for a reassessment), subject to the exceptions of reg. 8(2).",
    source: "SEND Regulations 2014, reg. 8(1) (and 26 for reassessment)",
    check: eng_advice,
};

fn eng_advice(cx: &mut Cx) {
    const CODE: &str = "ENG-ADVICE";
    let pupil = cx.pupil;
    let asked: Vec<&Request> =
        pupil.support.iter().flat_map(|s| s.all_requests()).filter(|r| r.advice_requested.is_some()).collect();
    if asked.is_empty() {
        return not_applicable(
            cx,
            CODE,
            "the local authority has not asked the school for advice (no `advice_requested`)".into(),
        );
    }
    let file = cx.pupil_file();
    for req in asked {
        let Some(at) = &req.advice_requested else { continue };
        cx.deadline(
            CODE,
            req.advice_sent.as_ref(),
            add_weeks(at.value, 6),
            "the school's advice sent to the local authority",
            &format!("6 weeks from the request for advice of {}", at.value),
            false,
            &file,
            Some(at.span),
        );
    }
}

pub static ENG_FILE_TRANSFER: Rule = Rule {
    code: "ENG-FILE-TRANSFER",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'S',
    scope: Scope::Archived,
    statement: "When a pupil moves to another school, the pupil's educational record (with the SEN file) is transferred within 15 school days of the pupil ceasing to be registered.",
    plain: None,
    provision: "Where a pupil ceases to be registered at a school and becomes registered at another school, the head teacher of the old school must transfer the pupil's common transfer file and educational record to the new school within 15 school days of the pupil ceasing to be registered (reg. 9(3)).",
    source: "Education (Pupil Information) (England) Regulations 2005, reg. 9",
    check: eng_file_transfer,
};

fn eng_file_transfer(cx: &mut Cx) {
    const CODE: &str = "ENG-FILE-TRANSFER";
    let Some(dest) = moved_school(cx) else {
        let why = "no destination school is recorded (or this was the last school): the file is kept (ENG-RETAIN)";
        return not_applicable(cx, CODE, why.into());
    };
    let file = cx.pupil_file();
    let Some(left) = &cx.pupil.left else {
        let detail = format!("the date the pupil left for {dest} (`left`) is not recorded");
        return cx.push(CODE, Status::NotRecorded, None, detail, file, None);
    };
    let Some(deadline) = SchoolCalendar::from_settings(cx.settings).and_then(|c| c.add_school_days(left.value, 15))
    else {
        let detail = format!("no [calendar] term dates in senco.toml to count 15 school days from {}", left.value);
        return cx.push(CODE, Status::NotRecorded, None, detail, file, Some(left.span));
    };
    let estimated = if deadline.estimated { ", estimated from this year's calendar" } else { "" };
    let pupil = cx.pupil;
    cx.deadline(
        CODE,
        pupil.file_transferred.as_ref(),
        deadline.date,
        &format!("educational record and SEN file transferred to {dest}"),
        &format!("15 school days after leaving on {}{estimated}", left.value),
        false,
        &file,
        Some(left.span),
    );
}

pub static ENG_ACCESS: Rule = Rule {
    code: "ENG-ACCESS",
    jurisdiction: ENG,
    severity: Warning,
    confidence: 'S',
    scope: Scope::Pupil,
    statement: "Exam access arrangements rest on an assessment no earlier than the start of Year 9; an approval through Access Arrangements Online lasts 26 months.",
    plain: None,
    provision: "The assessment of a candidate's needs must be carried out no earlier than the start of Year 9; an approval granted through Access Arrangements Online is valid for 26 months (JCQ Access Arrangements and Reasonable Adjustments, chapter 7).",
    source: "JCQ Access Arrangements and Reasonable Adjustments",
    check: eng_access,
};

fn eng_access(cx: &mut Cx) {
    const CODE: &str = "ENG-ACCESS";
    let pupil = cx.pupil;
    let entries: Vec<_> = pupil.access_arrangements.iter().flatten().collect();
    if entries.is_empty() {
        return not_applicable(cx, CODE, "no exam access arrangements are recorded".into());
    }
    let file = cx.pupil_file();
    for a in entries {
        let name = text(&a.arrangement).unwrap_or("access arrangement").trim().to_string();
        if let Some(assessed) = &a.assessed {
            match year_group_on(cx, assessed.value) {
                Some(y) if y < 9 => {
                    let detail = format!(
                        "{name}: assessed on {} in Year {y}, before Year 9: JCQ needs an assessment no earlier than the start of Year 9",
                        assessed.value
                    );
                    cx.push(CODE, Status::NotMet, None, detail, file.clone(), Some(assessed.span));
                }
                _ => {}
            }
        }
        // A period of 26 months starting with the approval (the
        // corresponding-date rule), else with the assessment.
        let (from, note) = match (&a.approved, &a.assessed) {
            (Some(ap), _) => (ap, format!("approved on {}", ap.value)),
            (None, Some(asd)) => {
                (asd, format!("no approval date recorded, counted from the assessment on {}", asd.value))
            }
            (None, None) => {
                let detail = format!("{name}: neither the approval nor the assessment date is recorded");
                cx.push(CODE, Status::NotRecorded, None, detail, file.clone(), a.arrangement.as_ref().map(|t| t.span));
                continue;
            }
        };
        let expires = within_months(from.value, 26);
        let status = cx.pending(expires);
        let detail = if status == Status::Overdue {
            format!("{name}: expired after {expires} (26 months; {note})")
        } else {
            format!("{name}: valid until {expires} (26 months; {note})")
        };
        cx.push(CODE, status, Some(expires), detail, file.clone(), Some(from.span));
    }
}

/// ENG-SENCO beyond the designation (which `check` and the checklist read
/// from `[school] senco`): the staff.yaml member with `role: senco` is a
/// qualified teacher, and one who became SENCO after 1 September 2009 holds
/// the SENCO qualification by the third anniversary of the appointment
/// (reg. 49(4)-(7)): the NASENCO award for a course completed before 1
/// September 2027, otherwise the NPQ for SENCOs.
pub fn senco_outcomes(settings: &Settings, staff: &[Staff], today: NaiveDate) -> Vec<Outcome> {
    const FILE: &str = "staff.yaml";
    let mut out = Vec::new();
    let mut push = |status: Status, due: Option<NaiveDate>, detail: String, file: &str, span: Option<Span>| {
        out.push(Outcome { rule: &ENG_SENCO, status, due, detail, words: None, file: file.into(), span })
    };
    let Some(m) = staff.iter().find(|s| val(&s.role) == Some(StaffRole::Senco)) else {
        if settings.school.senco.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            let detail = "no staff.yaml member has `role: senco`, so the SENCO's qualified teacher status, appointment and qualification are not recorded".to_string();
            push(Status::NotRecorded, None, detail, FILE, None);
        }
        return out;
    };
    let who = text(&m.name).unwrap_or("the SENCO").to_string();
    match &m.qualified_teacher {
        Some(q) if q.value => push(Status::Met, None, format!("{who} is a qualified teacher"), FILE, Some(q.span)),
        Some(q) => push(
            Status::NotMet,
            None,
            format!("{who} is not a qualified teacher: the SENCO must be a qualified teacher (or the head teacher)"),
            FILE,
            Some(q.span),
        ),
        None => push(
            Status::NotRecorded,
            None,
            format!("whether {who} is a qualified teacher (`qualified_teacher`)"),
            FILE,
            m.id.as_ref().map(|i| i.span),
        ),
    }
    let Some(appointed) = &m.appointed else {
        let detail = format!("when {who} became SENCO (`appointed`), to know when the SENCO qualification is due");
        push(Status::NotRecorded, None, detail, FILE, m.id.as_ref().map(|i| i.span));
        return out;
    };
    let cutoff = NaiveDate::from_ymd_opt(2009, 9, 1).unwrap_or(NaiveDate::MIN);
    if appointed.value <= cutoff {
        let detail = format!(
            "{who} became SENCO on {}, before 1 September 2009: the qualification is not required",
            appointed.value
        );
        push(Status::NotApplicable, None, detail, FILE, Some(appointed.span));
        return out;
    }
    let deadline = add_years(appointed.value, 3);
    let nasenco_end = NaiveDate::from_ymd_opt(2027, 9, 1).unwrap_or(NaiveDate::MAX);
    let q = m.senco_qualification.as_ref();
    match (q.and_then(|q| val(&q.award)), q.and_then(|q| q.date.as_ref())) {
        (Some(award), Some(date)) if award == SencoAward::Nasenco && date.value >= nasenco_end => push(
            Status::NotMet,
            Some(deadline),
            format!("the NASENCO award completed on {} (on or after 1 September 2027) no longer counts: the NPQ for SENCOs is needed", date.value),
            FILE,
            Some(date.span),
        ),
        (Some(award), Some(date)) => {
            let name = if award == SencoAward::Nasenco { "NASENCO award" } else { "NPQ for SENCOs" };
            let (status, detail) = if date.value <= deadline {
                (Status::Met, format!("{who} gained the {name} on {}, by {deadline} (3 years after becoming SENCO on {})", date.value, appointed.value))
            } else {
                (Status::NotMet, format!("{who} gained the {name} on {}, after {deadline} (3 years after becoming SENCO on {})", date.value, appointed.value))
            };
            push(status, Some(deadline), detail, FILE, Some(date.span));
        }
        (_, None) if q.is_some() => {
            push(Status::NotRecorded, Some(deadline), format!("the date of {who}'s SENCO qualification"), FILE, q.map(|q| q.span));
        }
        _ => {
            let days = (deadline - today).num_days();
            let status = if days < 0 {
                Status::Overdue
            } else if days <= i64::from(settings.reviews.warn_days) {
                Status::Due
            } else {
                Status::Met
            };
            let detail = format!(
                "SENCO qualification (NPQ for SENCOs, or NASENCO completed before 1 September 2027): due by {deadline}, 3 years after {who} became SENCO on {}",
                appointed.value
            );
            push(status, Some(deadline), detail, FILE, Some(appointed.span));
        }
    }
    out
}

/// Every England rule in each of its cells: met, due soon, breached (overdue
/// or not met), not recorded and not applicable, with the provision quoted
/// and the dates worked by hand. Where a rule has no deadline (so no "due
/// soon") or cannot lack its fact, the test says so. The school year of the
/// tests runs from Wed 2 September 2026 to Wed 21 July 2027 (323 days
/// counted inclusively); `warn_days` is 28.
#[cfg(test)]
mod tests {
    use super::super::eval::{evaluate, evaluate_with_cost};
    use super::*;
    use crate::repo::PupilRecord;
    use Status::{Due, Met, NotApplicable as NA, NotMet, NotRecorded, Overdue};

    const SCHOOL: &str = "[school]\nname = \"T\"\nsenco = \"S\"\njurisdiction = \"england\"\n[calendar]\nyear_start = 2026-09-02\nyear_end = 2027-07-21\nterms = [\n { name = \"Autumn\", start = 2026-09-02, end = 2026-12-18 },\n { name = \"Spring\", start = 2027-01-04, end = 2027-03-26 },\n { name = \"Summer\", start = 2027-04-12, end = 2027-07-21 },\n]\n";

    fn settings() -> Settings {
        Settings::parse(SCHOOL).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        crate::repo::decode::parse_date(s).unwrap()
    }

    /// A pupil folder from YAML texts: `files` are (path in the folder, text).
    fn rec(files: &[(&str, &str)], archived: bool) -> PupilRecord {
        let dir = tempfile::tempdir().unwrap();
        let folder = if archived { "archive" } else { "pupils" };
        let base = dir.path().join(folder).join("kit-lane");
        std::fs::create_dir_all(base.join("reviews")).unwrap();
        for (name, text) in files {
            std::fs::write(base.join(name), text).unwrap();
        }
        let rec = crate::repo::load_pupil(dir.path(), folder, "kit-lane".into(), archived);
        assert!(rec.findings.is_empty(), "{:?}", rec.findings);
        rec
    }

    /// pupil.yaml: `support` lines go under `support:`, `extra` at the top level.
    fn pupil(level: &str, dob: &str, year: i64, support: &str, extra: &str) -> String {
        format!("id: kit-lane\nname: {{ first: Kit, last: Lane }}\ndate_of_birth: {dob}\nyear_group: {year}\nsupport:\n  level: {level}\n  since: 2024-01-10\n{support}{extra}")
    }

    fn outcomes(files: &[(&str, &str)], today: &str, code: &str) -> Vec<Outcome> {
        outcomes_of(&rec(files, false), today, code)
    }

    fn outcomes_of(r: &PupilRecord, today: &str, code: &str) -> Vec<Outcome> {
        evaluate(&settings(), r, d(today)).into_iter().filter(|o| o.rule.code == code).collect()
    }

    fn status(files: &[(&str, &str)], today: &str, code: &str) -> Vec<Status> {
        outcomes(files, today, code).iter().map(|o| o.status).collect()
    }

    fn one(p: &str, today: &str, code: &str) -> Vec<Status> {
        status(&[("pupil.yaml", p)], today, code)
    }

    fn due_of(files: &[(&str, &str)], today: &str, code: &str) -> Vec<Option<NaiveDate>> {
        outcomes(files, today, code).iter().map(|o| o.due).collect()
    }

    const PLAN: &str = "  plan:\n    issued: 2025-12-01\n";

    fn ehcp(year: i64, dob: &str) -> String {
        pupil("ehcp", dob, year, PLAN, "")
    }

    /// An annual review on 2026-10-20 (a Tuesday) with every invitee.
    fn annual(extra: &str) -> String {
        format!("date: 2026-10-20\nkind: annual\nattendees:\n  - {{ name: P, role: parent }}\n  - {{ name: S, role: senco }}\ninvited:\n  - {{ name: L, role: local-authority }}\n  - {{ name: H, role: health }}\n  - {{ name: C, role: social-care }}\n{extra}")
    }

    const REVIEW: &str = "reviews/2026-10-20-annual.yaml";

    #[test]
    fn every_rule_of_the_pack_answers_for_a_pupil_it_does_not_concern() {
        // A wrong "met" is the worst answer: a rule that does not apply says so.
        let p = pupil("monitoring", "2016-04-01", 5, "", "");
        let r = rec(&[("pupil.yaml", &p)], false);
        let out = evaluate_with_cost(&settings(), &r, d("2026-11-24"), Some(0.0));
        let pupil_rules = RULES.iter().filter(|r| r.scope == Scope::Pupil);
        for rule in pupil_rules {
            let got: Vec<Status> = out.iter().filter(|o| o.rule.code == rule.code).map(|o| o.status).collect();
            assert_eq!(got, [NA], "{}", rule.code);
        }
        assert!(out.iter().all(|o| !o.detail.is_empty()));
    }

    /// CoP 6.48: "the school should agree with parents and the pupil ... the
    /// date for review"; the school's own limit is `support_review_weeks` (12).
    #[test]
    fn eng_sup_review() {
        let p = pupil("sen-support", "2016-04-01", 5, "", "");
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-10-01.yaml", "date: 2026-10-01\nkind: termly\n")];
        // 2026-10-01 + 12 weeks (84 days) = 2026-12-24.
        assert_eq!(status(&files, "2026-11-01", "ENG-SUP-REVIEW"), [Met]);
        assert_eq!(status(&files, "2026-12-01", "ENG-SUP-REVIEW"), [Due]); // 23 days
        assert_eq!(status(&files, "2026-12-24", "ENG-SUP-REVIEW"), [Due]); // the day itself
        assert_eq!(status(&files, "2026-12-25", "ENG-SUP-REVIEW"), [Overdue]);
        assert_eq!(due_of(&files, "2026-12-25", "ENG-SUP-REVIEW"), [Some(d("2026-12-24"))]);
        let no_since = "id: kit-lane\nname: { first: Kit, last: Lane }\ndate_of_birth: 2016-04-01\nyear_group: 5\nsupport:\n  level: sen-support\n";
        assert_eq!(one(no_since, "2026-12-25", "ENG-SUP-REVIEW"), [NotRecorded]);
        assert_eq!(one(&ehcp(5, "2016-04-01"), "2026-12-25", "ENG-SUP-REVIEW"), [NA]);
    }

    /// CoP 6.65: "Schools should meet parents at least three times each year."
    /// Expected by today: floor(3 x elapsed / 323), elapsed counted from the
    /// later of year_start and support.since, both days included.
    #[test]
    fn eng_sup_parents() {
        let p = pupil("sen-support", "2016-04-01", 5, "", "");
        let files = [("pupil.yaml", p.as_str())];
        // The first meeting is expected by the 108th day (3 x 108 = 324 >= 323):
        // 2026-09-02 + 107 days = 2026-12-18.
        assert_eq!(one(&p, "2026-11-01", "ENG-SUP-PARENTS"), [Met]); // 0 expected, next in 47 days
        assert_eq!(one(&p, "2026-12-01", "ENG-SUP-PARENTS"), [Due]); // next in 17 days
        assert_eq!(due_of(&files, "2026-12-01", "ENG-SUP-PARENTS"), [Some(d("2026-12-18"))]);
        assert_eq!(one(&p, "2026-12-17", "ENG-SUP-PARENTS"), [Due]); // day 107: 321/323 = 0
        assert_eq!(one(&p, "2026-12-18", "ENG-SUP-PARENTS"), [NotMet]); // day 108: 1 expected
                                                                        // A parent who attended counts; the second is expected by day 216
                                                                        // (648/323 = 2): 2026-09-02 + 215 days = 2027-04-05.
        let met = "date: 2026-10-01\nkind: termly\nattendees:\n  - { name: P, role: Parent }\n";
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-10-01.yaml", met)];
        assert_eq!(status(&files, "2026-12-18", "ENG-SUP-PARENTS"), [Met]);
        assert_eq!(due_of(&files, "2026-12-18", "ENG-SUP-PARENTS"), [Some(d("2027-04-05"))]);
        // Invited is not attended.
        let invited = "date: 2026-10-01\nkind: termly\ninvited:\n  - { name: P, role: parent }\n";
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-10-01.yaml", invited)];
        assert_eq!(status(&files, "2026-12-18", "ENG-SUP-PARENTS"), [NotMet]);
        // A log meeting with a parent counts; a phone call does not.
        let log = "- date: 2026-10-05\n  kind: phone\n  with: [parent]\n  summary: Call.\n";
        let files = [("pupil.yaml", p.as_str()), ("log.yaml", log)];
        assert_eq!(status(&files, "2026-12-18", "ENG-SUP-PARENTS"), [NotMet]);
        let log = "- date: 2026-10-05\n  kind: meeting\n  with: [parent]\n  summary: Met mum.\n";
        let files = [("pupil.yaml", p.as_str()), ("log.yaml", log)];
        assert_eq!(status(&files, "2026-12-18", "ENG-SUP-PARENTS"), [Met]);
        // SEN support from Mon 4 January 2027: counted from then. Day 108 is
        // 2027-01-04 + 107 days = 2027-04-21.
        let late = pupil("sen-support", "2016-04-01", 5, "", "").replace("since: 2024-01-10", "since: 2027-01-04");
        assert_eq!(one(&late, "2027-04-01", "ENG-SUP-PARENTS"), [Due]);
        assert_eq!(one(&late, "2027-04-20", "ENG-SUP-PARENTS"), [Due]);
        assert_eq!(one(&late, "2027-04-21", "ENG-SUP-PARENTS"), [NotMet]);
        // No [calendar]: not recorded. EHC plan: not applicable.
        let bare = Settings::parse("[school]\nname = \"T\"\njurisdiction = \"england\"\n").unwrap();
        let out = evaluate(&bare, &rec(&[("pupil.yaml", &p)], false), d("2026-12-18"));
        let got: Vec<Status> = out.iter().filter(|o| o.rule.code == "ENG-SUP-PARENTS").map(|o| o.status).collect();
        assert_eq!(got, [NotRecorded]);
        assert_eq!(one(&ehcp(5, "2016-04-01"), "2026-12-18", "ENG-SUP-PARENTS"), [NA]);
    }

    /// CFA s.68(1)(b), (2): where provision is made for a pupil "for whom no
    /// EHC plan is maintained", the school "must inform the child's parent".
    /// No time limit: no "due" cell.
    #[test]
    fn eng_sup_notify() {
        let told = pupil("sen-support", "2016-04-01", 5, "  parents_informed: 2024-01-12\n", "");
        assert_eq!(one(&told, "2026-11-24", "ENG-SUP-NOTIFY"), [Met]);
        let bare = pupil("sen-support", "2016-04-01", 5, "", "");
        assert_eq!(one(&bare, "2026-11-24", "ENG-SUP-NOTIFY"), [NotRecorded]);
        let log = "- date: 2024-01-12\n  kind: parents-informed\n  with: [parent]\n  summary: Letter home.\n";
        assert_eq!(status(&[("pupil.yaml", &bare), ("log.yaml", log)], "2026-11-24", "ENG-SUP-NOTIFY"), [Met]);
        // With an EHC plan, or on the watch list: not applicable.
        assert_eq!(one(&ehcp(5, "2016-04-01"), "2026-11-24", "ENG-SUP-NOTIFY"), [NA]);
        assert_eq!(one(&pupil("monitoring", "2016-04-01", 5, "", ""), "2026-11-24", "ENG-SUP-NOTIFY"), [NA]);
    }

    /// CFA s.44(1): review "in the period of 12 months starting with the date
    /// on which the plan was first made", then of each review; reg. 20(10)
    /// gives the LA 4 weeks after the meeting, so the meeting is by end - 28.
    #[test]
    fn eng_ar_due() {
        // Issued 2025-12-01: the period ends 2026-11-30; the meeting by 2026-11-02.
        let p = ehcp(6, "2015-04-01");
        let files = [("pupil.yaml", p.as_str())];
        assert_eq!(one(&p, "2026-06-01", "ENG-AR-DUE"), [Met]);
        // Due soon from warn_days (28) before the latest meeting date: 2026-10-05.
        assert_eq!(one(&p, "2026-10-04", "ENG-AR-DUE"), [Met]);
        assert_eq!(one(&p, "2026-10-05", "ENG-AR-DUE"), [Due]);
        assert_eq!(one(&p, "2026-11-10", "ENG-AR-DUE"), [Due]);
        assert_eq!(one(&p, "2026-11-30", "ENG-AR-DUE"), [Due]);
        assert_eq!(one(&p, "2026-12-01", "ENG-AR-DUE"), [Overdue]);
        let o = &outcomes(&files, "2026-11-10", "ENG-AR-DUE")[0];
        assert_eq!(o.due, Some(d("2026-11-30")));
        assert!(o.detail.contains("the meeting by 2026-11-02"), "{}", o.detail);
        // Leap day: issued 2024-02-29, the period ends 2025-02-28.
        let leap = pupil("ehcp", "2015-04-01", 6, "  plan:\n    issued: 2024-02-29\n", "");
        assert_eq!(due_of(&[("pupil.yaml", &leap)], "2025-02-28", "ENG-AR-DUE"), [Some(d("2025-02-28"))]);
        assert_eq!(one(&leap, "2025-02-28", "ENG-AR-DUE"), [Due]);
        assert_eq!(one(&leap, "2025-03-01", "ENG-AR-DUE"), [Overdue]);
        // Month end: issued 2026-01-31, the period ends 2027-01-30.
        let end = pupil("ehcp", "2015-04-01", 6, "  plan:\n    issued: 2026-01-31\n", "");
        assert_eq!(due_of(&[("pupil.yaml", &end)], "2026-06-01", "ENG-AR-DUE"), [Some(d("2027-01-30"))]);
        // An agreed earlier `next_review` does not move the statutory date.
        let interim = "date: 2026-03-01\nkind: interim\nnext_review: 2026-06-01\n";
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-03-01.yaml", interim)];
        assert_eq!(due_of(&files, "2026-07-01", "ENG-AR-DUE"), [Some(d("2026-11-30"))]);
        // A held annual review restarts the period: 2026-10-20 -> 2027-10-19.
        let files = [("pupil.yaml", p.as_str()), (REVIEW, &annual(""))];
        assert_eq!(due_of(&files, "2026-12-01", "ENG-AR-DUE"), [Some(d("2027-10-19"))]);
        let bare = pupil("ehcp", "2015-04-01", 6, "", "");
        assert_eq!(one(&bare, "2026-06-01", "ENG-AR-DUE"), [NotRecorded]);
        assert_eq!(one(&pupil("sen-support", "2015-04-01", 6, "", ""), "2026-06-01", "ENG-AR-DUE"), [NA]);
    }

    /// CoP 9.178: for children under 5 the LA "should consider reviewing an
    /// EHC plan ... at least every 3 to 6 months" (advisory: info).
    #[test]
    fn eng_ar_under5() {
        // Issued 2025-12-01: the 6-month period ends 2026-05-31.
        let young = pupil("ehcp", "2022-06-01", -1, PLAN, "");
        assert_eq!(one(&young, "2026-03-01", "ENG-AR-UNDER5"), [Met]);
        assert_eq!(one(&young, "2026-05-10", "ENG-AR-UNDER5"), [Due]);
        assert_eq!(one(&young, "2026-06-01", "ENG-AR-UNDER5"), [Overdue]);
        assert_eq!(ENG_AR_UNDER5.severity, crate::diag::Severity::Info);
        let no_dates = pupil("ehcp", "2022-06-01", -1, "", "");
        assert_eq!(one(&no_dates, "2026-03-01", "ENG-AR-UNDER5"), [NotRecorded]);
        // Five on 2027-06-01: from then not applicable.
        assert_eq!(one(&young, "2027-06-01", "ENG-AR-UNDER5"), [NA]);
    }

    /// Reg. 20(3): "at least two weeks' notice of the date of the meeting";
    /// 20(4): advice circulated "at least two weeks before" it. Meeting
    /// 2026-10-20: both by 2026-10-06.
    #[test]
    fn eng_ar_notice() {
        let p = ehcp(6, "2015-04-01");
        let run =
            |extra: &str, today: &str| status(&[("pupil.yaml", &p), (REVIEW, &annual(extra))], today, "ENG-AR-NOTICE");
        let on_time = "invitations_sent: 2026-10-01\npapers_circulated: 2026-10-06\n";
        assert_eq!(run(on_time, "2026-11-01"), [Met, Met]);
        let late = "invitations_sent: 2026-10-01\npapers_circulated: 2026-10-07\n";
        assert_eq!(run(late, "2026-11-01"), [Met, NotMet]);
        // Held without the dates: not recorded.
        assert_eq!(run("", "2026-11-01"), [NotRecorded, NotRecorded]);
        // A meeting ahead: due before the notice date, overdue after it.
        assert_eq!(run("", "2026-10-01"), [Due, Due]);
        assert_eq!(run("", "2026-10-07"), [Overdue, Overdue]);
        assert_eq!(one(&p, "2026-11-01", "ENG-AR-NOTICE"), [NA]);
    }

    /// Reg. 20(2): invite "the child's parent or the young person", the head
    /// teacher (or a delegate), the LA's SEN officer, health and social care.
    /// A young person: over compulsory school age, after the last Friday of
    /// June of the school year in which they turn 16 (CFA s.83(2); EA 1996 s.8).
    #[test]
    fn eng_ar_invitees() {
        let p = ehcp(6, "2015-04-01");
        let run =
            |p: &str, review: &str| status(&[("pupil.yaml", p), (REVIEW, review)], "2026-11-01", "ENG-AR-INVITEES");
        assert_eq!(run(&p, &annual("")), [Met]);
        let no_la = annual("").replace("  - { name: L, role: local-authority }\n", "");
        assert_eq!(run(&p, &no_la), [NotMet]);
        // The pupil alone stands in for a parent only as a young person.
        let pupil_only = annual("").replace("role: parent", "role: pupil");
        // Born 2010-10-01: 16 on 2026-10-01, in the school year 2026-27; leaving
        // date Fri 2027-06-25; at the review of 2026-10-20 still a child.
        assert_eq!(run(&ehcp(11, "2010-10-01"), &pupil_only), [NotMet]);
        // Born 2009-10-01: 16 in 2025-26; leaving date Fri 2026-06-26: a young person.
        assert_eq!(run(&ehcp(12, "2009-10-01"), &pupil_only), [Met]);
        assert_eq!(school_leaving_date(d("2010-10-01")), d("2027-06-25"));
        assert_eq!(school_leaving_date(d("2009-10-01")), d("2026-06-26"));
        // Born 2010-08-31: 16 on 2026-08-31, in the school year 2025-26.
        assert_eq!(school_leaving_date(d("2010-08-31")), d("2026-06-26"));
        let nobody = "date: 2026-10-20\nkind: annual\n";
        assert_eq!(run(&p, nobody), [NotRecorded]);
        // A review not yet held: not applicable (no due date: the invitations
        // themselves are ENG-AR-NOTICE's).
        assert_eq!(status(&[("pupil.yaml", &p), (REVIEW, &annual(""))], "2026-10-01", "ENG-AR-INVITEES"), [NA]);
    }

    /// Reg. 20(7)-(8): the report is prepared and sent "within two weeks of
    /// the review meeting": by 2026-11-03. Absent after that is overdue (no
    /// "not recorded" cell: the report's absence is the breach).
    #[test]
    fn eng_ar_report() {
        let p = ehcp(6, "2015-04-01");
        let run =
            |extra: &str, today: &str| status(&[("pupil.yaml", &p), (REVIEW, &annual(extra))], today, "ENG-AR-REPORT");
        assert_eq!(run("report_sent: 2026-11-03\n", "2026-11-10"), [Met]);
        assert_eq!(run("report_sent: 2026-11-04\n", "2026-11-10"), [NotMet]);
        assert_eq!(run("", "2026-10-25"), [Due]);
        assert_eq!(run("", "2026-11-03"), [Due]);
        assert_eq!(run("", "2026-11-04"), [Overdue]);
        assert_eq!(run("", "2026-10-19"), [NA]);
    }

    /// Reg. 20(10): the LA notifies its decision "within four weeks of the
    /// review meeting"; CoP 9.176: within the 12-month period.
    #[test]
    fn eng_ar_decision() {
        // Plan 2025-12-01: the period ends 2026-11-30; meeting 2026-10-20 + 28 = 2026-11-17.
        let p = ehcp(6, "2015-04-01");
        let run = |review: &str, today: &str| status(&[("pupil.yaml", &p), (REVIEW, review)], today, "ENG-AR-DECISION");
        assert_eq!(run(&annual("la_decision: 2026-11-17\n"), "2026-12-01"), [Met]);
        assert_eq!(run(&annual("la_decision: { date: 2026-11-18, outcome: keep }\n"), "2026-12-01"), [NotMet]);
        assert_eq!(run(&annual(""), "2026-11-01"), [Due]);
        assert_eq!(run(&annual(""), "2026-11-18"), [Overdue]);
        let o = &outcomes(&[("pupil.yaml", &p), (REVIEW, &annual(""))], "2026-11-18", "ENG-AR-DECISION")[0];
        assert!(o.detail.contains("(LA duty)"), "{}", o.detail);
        // A meeting on 2026-11-10: + 28 = 2026-12-08, past the period's end, so 2026-11-30.
        let late = annual("la_decision: 2026-12-01\n").replace("2026-10-20", "2026-11-10");
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-11-10-annual.yaml", late.as_str())];
        assert_eq!(status(&files, "2026-12-10", "ENG-AR-DECISION"), [NotMet]);
        assert_eq!(due_of(&files, "2026-12-10", "ENG-AR-DECISION"), [Some(d("2026-11-30"))]);
        // Not recorded: no cell (the decision's absence after 4 weeks is overdue).
        assert_eq!(one(&p, "2026-11-18", "ENG-AR-DECISION"), [NA]);
    }

    /// Reg. 22(3): the amended plan is issued "within 8 weeks of the date on
    /// which [the amendment notice] was sent": notice 2026-11-10 -> 2027-01-05.
    #[test]
    fn eng_ar_amend() {
        let amend = "la_decision: { date: 2026-11-10, outcome: amend }\namendment_notice: 2026-11-10\n";
        let review = annual(amend);
        let plan = |amended: &str| pupil("ehcp", "2015-04-01", 6, &format!("{PLAN}    amended: {amended}\n"), "");
        let run =
            |p: &str, review: &str, today: &str| status(&[("pupil.yaml", p), (REVIEW, review)], today, "ENG-AR-AMEND");
        assert_eq!(run(&plan("2027-01-05"), &review, "2027-02-01"), [Met]);
        assert_eq!(run(&plan("2027-01-06"), &review, "2027-02-01"), [NotMet]);
        // An amendment before the notice is not this one.
        let p = ehcp(6, "2015-04-01");
        assert_eq!(run(&plan("2026-06-01"), &review, "2026-12-20"), [Due]);
        assert_eq!(run(&p, &review, "2027-01-06"), [Overdue]);
        let no_notice = annual("la_decision: { date: 2026-11-10, outcome: amend }\n");
        assert_eq!(run(&p, &no_notice, "2026-12-20"), [NotRecorded]);
        assert_eq!(run(&p, &annual("la_decision: { date: 2026-11-10, outcome: keep }\n"), "2026-12-20"), [NA]);
    }

    /// Reg. 20(6): "where the child is in year 9 or above", the review
    /// considers preparation for adulthood; the year at the review's date.
    /// The year group is a required field: no "not recorded" cell; no deadline.
    #[test]
    fn eng_ar_pfa() {
        let p = ehcp(9, "2012-01-10");
        let run = |p: &str, path: &str, review: &str| {
            status(&[("pupil.yaml", p), (path, review)], "2026-11-24", "ENG-AR-PFA")
        };
        assert_eq!(run(&p, REVIEW, &annual("preparing_for_adulthood: Work experience.\n")), [Met]);
        assert_eq!(run(&p, REVIEW, &annual("")), [NotMet]);
        // Held on 2026-06-10, in 2025-26, when today's Year 9 pupil was in Year 8.
        let june = annual("").replace("2026-10-20", "2026-06-10");
        assert_eq!(run(&p, "reviews/2026-06-10-annual.yaml", &june), [NA]);
        assert_eq!(run(&ehcp(8, "2013-01-10"), REVIEW, &annual("")), [NA]);
    }

    /// Reg. 18(1): the plan is amended to name the new setting "before 15th
    /// February in the calendar year of the transfer", "before 31st March"
    /// for secondary to post-16; reg. 18(2): "at least 5 months before" a move
    /// between post-16 institutions. "Before" excludes the day itself.
    #[test]
    fn eng_phase() {
        let t = |phase: &str| {
            format!("transition:\n  next_setting: Northfield High\n  date: 2027-09-01\n  phase: {phase}\n")
        };
        let with = |phase: &str, amended: &str| {
            pupil(
                "ehcp",
                "2016-01-10",
                6,
                &format!("{PLAN}    amended: {amended}\n    named_setting: Northfield High\n"),
                &t(phase),
            )
        };
        let bare = ehcp(6, "2016-01-10") + &t("primary-secondary");
        assert_eq!(one(&bare, "2026-11-24", "ENG-PHASE"), [Met]);
        assert_eq!(one(&bare, "2027-01-20", "ENG-PHASE"), [Due]);
        assert_eq!(one(&bare, "2027-02-14", "ENG-PHASE"), [Due]);
        assert_eq!(one(&bare, "2027-02-15", "ENG-PHASE"), [Overdue]);
        // The day before 15 February meets it; 15 February itself does not.
        assert_eq!(one(&with("primary-secondary", "2027-02-14"), "2027-03-01", "ENG-PHASE"), [Met]);
        assert_eq!(one(&with("primary-secondary", "2027-02-15"), "2027-03-01", "ENG-PHASE"), [NotMet]);
        assert_eq!(one(&with("secondary-post16", "2027-03-30"), "2027-04-01", "ENG-PHASE"), [Met]);
        assert_eq!(one(&with("secondary-post16", "2027-03-31"), "2027-04-01", "ENG-PHASE"), [NotMet]);
        // Post-16 to post-16 on 2027-09-01: by 2027-04-01.
        assert_eq!(one(&with("post16-post16", "2027-04-01"), "2027-05-01", "ENG-PHASE"), [Met]);
        assert_eq!(one(&with("post16-post16", "2027-04-02"), "2027-05-01", "ENG-PHASE"), [NotMet]);
        let p16 = ehcp(13, "2009-01-10") + &t("post16-post16");
        assert_eq!(due_of(&[("pupil.yaml", &p16)], "2027-03-20", "ENG-PHASE"), [Some(d("2027-04-01"))]);
        // Not recorded: a transition without its phase.
        let no_phase = ehcp(6, "2016-01-10") + "transition:\n  date: 2027-09-01\n";
        assert_eq!(one(&no_phase, "2026-11-24", "ENG-PHASE"), [NotRecorded]);
        // More than 12 months ahead, past, or none: not applicable.
        assert_eq!(one(&bare, "2026-08-31", "ENG-PHASE"), [NA]);
        assert_eq!(one(&bare, "2027-09-02", "ENG-PHASE"), [NA]);
        assert_eq!(one(&ehcp(6, "2016-01-10"), "2026-11-24", "ENG-PHASE"), [NA]);
    }

    /// Regs. 5(1), 10(1), 13(2): the decision whether to assess "within 6
    /// weeks" of the request, a no-plan notice "within 16 weeks", the final
    /// plan "within 20 weeks"; 5(4), 10(4), 13(3): exceptions. Requested
    /// 2026-09-15: decision by 2026-10-27, no-plan by 2027-01-05, plan by 2027-02-02.
    #[test]
    fn eng_ehc_timeline() {
        let req = |more: &str| {
            pupil("monitoring", "2016-04-01", 5, &format!("  request:\n    requested: 2026-09-15\n{more}"), "")
        };
        let run = |more: &str, today: &str| one(&req(more), today, "ENG-EHC-TIMELINE");
        // A watch-list pupil's request starts the clock.
        assert_eq!(run("", "2026-10-10"), [Due, Met]);
        assert_eq!(run("", "2026-10-27"), [Due, Met]);
        assert_eq!(run("", "2026-10-28"), [Overdue, Met]);
        assert_eq!(run("    decision: 2026-10-27\n", "2027-01-20"), [Met, Due]);
        assert_eq!(run("    decision: 2026-10-27\n", "2027-02-03"), [Met, Overdue]);
        // A refusal stops the clock at the decision: no plan is asked for.
        assert_eq!(run("    decision: 2026-10-20\n    outcome: refused\n", "2027-06-01"), [Met, NA]);
        assert_eq!(run("    outcome: refused\n    outcome_date: 2026-10-28\n", "2027-06-01"), [NotMet, NA]);
        // No plan: the notice by 16 weeks.
        let no_plan = "    decision: 2026-10-20\n    outcome: no-plan\n    outcome_date: ";
        assert_eq!(run(&format!("{no_plan}2027-01-05\n"), "2027-06-01"), [Met, Met]);
        assert_eq!(run(&format!("{no_plan}2027-01-06\n"), "2027-06-01"), [Met, NotMet]);
        // Plan issued by 20 weeks.
        let issued = "    decision: 2026-10-20\n    outcome: plan-issued\n    issued: ";
        assert_eq!(run(&format!("{issued}2027-02-02\n"), "2027-06-01"), [Met, Met]);
        assert_eq!(run(&format!("{issued}2027-02-03\n"), "2027-06-01"), [Met, NotMet]);
        // A plan issued without the decision's date: the decision is not recorded.
        assert_eq!(run("    outcome: plan-issued\n    issued: 2027-01-20\n", "2027-06-01"), [NotRecorded, Met]);
        // Withdrawn before a decision: stopped.
        assert_eq!(run("    outcome: withdrawn\n    outcome_date: 2026-10-01\n", "2027-06-01"), [NA]);
        // A recorded exception (school closed 2026-12-21..2027-01-01, 12 days)
        // extends the 20-week milestone to 2027-02-14; the decision is untouched.
        let exc = "    decision: 2026-10-20\n    exception: { reason: school closed for the holidays, from: 2026-12-21, to: 2027-01-01 }\n";
        assert_eq!(run(exc, "2027-02-10"), [Met, Due]);
        let o = &outcomes(&[("pupil.yaml", &req(exc))], "2027-02-10", "ENG-EHC-TIMELINE")[1];
        assert_eq!(o.due, Some(d("2027-02-14")));
        assert!(o.detail.contains("extended") && o.detail.contains("school closed"), "{}", o.detail);
        assert!(o.detail.contains("(LA duty)"));
        let undated = "    decision: 2026-10-20\n    exception: { reason: family away }\n";
        assert_eq!(run(undated, "2027-02-10"), [Met, NotRecorded]);
        // Two requests, each with its own clock.
        let two = pupil(
            "sen-support",
            "2016-04-01",
            5,
            "  requests:\n    - { requested: 2025-01-06, decision: 2025-02-10, outcome: refused }\n    - { requested: 2026-09-15 }\n",
            "",
        );
        assert_eq!(one(&two, "2026-10-10", "ENG-EHC-TIMELINE"), [Met, NA, Due, Met]);
        assert_eq!(one(&pupil("sen-support", "2016-04-01", 5, "", ""), "2026-10-10", "ENG-EHC-TIMELINE"), [NA]);
    }

    /// Reg. 8(1): advice requested by the LA "must be provided within 6 weeks
    /// of the date on which the request was made": 2026-10-01 -> 2026-11-12.
    /// Absent after that is overdue: no "not recorded" cell.
    #[test]
    fn eng_advice() {
        let p = |more: &str| {
            pupil(
                "sen-support",
                "2016-04-01",
                5,
                &format!("  request:\n    requested: 2026-09-15\n    advice_requested: 2026-10-01\n{more}"),
                "",
            )
        };
        assert_eq!(one(&p("    advice_sent: 2026-11-12\n"), "2026-12-01", "ENG-ADVICE"), [Met]);
        assert_eq!(one(&p("    advice_sent: 2026-11-13\n"), "2026-12-01", "ENG-ADVICE"), [NotMet]);
        assert_eq!(one(&p(""), "2026-11-01", "ENG-ADVICE"), [Due]);
        assert_eq!(one(&p(""), "2026-11-13", "ENG-ADVICE"), [Overdue]);
        assert_eq!(one(&pupil("sen-support", "2016-04-01", 5, "", ""), "2026-11-13", "ENG-ADVICE"), [NA]);
    }

    /// High needs funding guide: element 2, the notional threshold (6,000).
    /// Advisory only; no deadline, and the cost is computed, not recorded.
    #[test]
    fn eng_cost() {
        let p = pupil("sen-support", "2016-04-01", 5, "", "");
        let r = rec(&[("pupil.yaml", &p)], false);
        let cost = |c: f64| -> Vec<Status> {
            evaluate_with_cost(&settings(), &r, d("2026-11-24"), Some(c))
                .into_iter()
                .filter(|o| o.rule.code == "ENG-COST")
                .map(|o| o.status)
                .collect()
        };
        assert_eq!(cost(5000.0), [Met]);
        assert_eq!(cost(7000.0), [NotMet]);
        assert_eq!(ENG_COST.severity, crate::diag::Severity::Info);
        assert!(!ENG_COST.statement.contains("assessment"));
        let watch = rec(&[("pupil.yaml", &pupil("monitoring", "2016-04-01", 5, "", ""))], false);
        let out = evaluate_with_cost(&settings(), &watch, d("2026-11-24"), Some(7000.0));
        assert_eq!(out.iter().find(|o| o.rule.code == "ENG-COST").map(|o| o.status), Some(NA));
    }

    /// CBDS: E and K carry a rank-1 SEN type; NSA only with K, at rank 1.
    /// No deadline in the rule itself (the census command has the dates).
    #[test]
    fn eng_census() {
        let k = pupil("sen-support", "2016-04-01", 5, "", "");
        let e = ehcp(5, "2016-04-01");
        let needs = |t1: &str, t2: &str| {
            format!("- id: a\n  area: cognition-and-learning\n  type: {t1}\n  primary: true\n- id: b\n  area: sensory-and-physical\n  type: {t2}\n")
        };
        let run = |p: &str, n: &str| status(&[("pupil.yaml", p), ("needs.yaml", n)], "2026-11-24", "ENG-CENSUS");
        assert_eq!(run(&k, &needs("SPLD", "PD")), [Met]);
        assert_eq!(run(&e, &needs("DS", "HI")), [Met]);
        assert_eq!(run(&k, &needs("NSA", "PD")), [Met]);
        assert_eq!(run(&e, &needs("NSA", "PD")), [NotMet]);
        assert_eq!(run(&k, &needs("SPLD", "NSA")), [NotMet]);
        // Two needs of one type: rank 2 is the next different type, or none.
        assert_eq!(run(&k, &needs("SPLD", "SPLD")), [Met]);
        let untyped = "- id: a\n  area: cognition-and-learning\n  primary: true\n";
        assert_eq!(run(&k, untyped), [NotMet]);
        assert_eq!(one(&k, "2026-11-24", "ENG-CENSUS"), [NotRecorded]);
        assert_eq!(one(&pupil("monitoring", "2016-04-01", 5, "", ""), "2026-11-24", "ENG-CENSUS"), [NA]);
    }

    /// Education (Pupil Information) (England) Regs 2005, reg. 9(3): the
    /// record is transferred "within fifteen school days" of the pupil
    /// ceasing to be registered. Left Fri 2026-10-16: school days Mon 19 ..
    /// Fri 23 (5), 26 .. 30 (10), 2 .. 6 November (15): by 2026-11-06.
    #[test]
    fn eng_file_transfer() {
        let left = |more: &str| {
            pupil(
                "sen-support",
                "2016-04-01",
                5,
                "",
                &format!("left: 2026-10-16\ndestination: Northfield Academy\n{more}"),
            )
        };
        let run = |p: &str, today: &str| outcomes_of(&rec(&[("pupil.yaml", p)], true), today, "ENG-FILE-TRANSFER");
        let st = |p: &str, today: &str| run(p, today).iter().map(|o| o.status).collect::<Vec<_>>();
        assert_eq!(st(&left("file_transferred: 2026-11-06\n"), "2026-12-01"), [Met]);
        assert_eq!(st(&left("file_transferred: 2026-11-09\n"), "2026-12-01"), [NotMet]);
        assert_eq!(st(&left(""), "2026-11-01"), [Due]);
        assert_eq!(st(&left(""), "2026-11-07"), [Overdue]);
        assert_eq!(run(&left(""), "2026-11-07")[0].due, Some(d("2026-11-06")));
        let no_left = pupil("sen-support", "2016-04-01", 5, "", "destination: Northfield Academy\n");
        assert_eq!(st(&no_left, "2026-11-07"), [NotRecorded]);
        // A July leaver: the count runs past this year's terms, into this
        // year's calendar shifted by 52 weeks (2026-09-02 + 364 = Wed
        // 2027-09-01): 1-3 September (3), 6-10 (8), 13-17 (13), 20-21 (15).
        let july = pupil("sen-support", "2016-04-01", 6, "", "left: 2027-07-21\ndestination: Northfield High\n");
        let o = &run(&july, "2027-08-01")[0];
        assert_eq!((o.status, o.due), (Met, Some(d("2027-09-21"))));
        assert!(o.detail.contains("estimated from this year's calendar"), "{}", o.detail);
        // No destination, or the last school: the file is kept (ENG-RETAIN).
        assert_eq!(st(&pupil("sen-support", "2016-04-01", 5, "", "left: 2026-10-16\n"), "2026-11-07"), [NA]);
        assert_eq!(st(&left("last_school: true\n"), "2026-11-07"), [NA]);
    }

    /// IRMS toolkit: the last school keeps the SEN file until the date of
    /// birth + 31 years: born 1990-05-01, until 2021-05-01. Date of birth is
    /// required: no "not recorded" cell with valid records.
    #[test]
    fn eng_retain() {
        let kept = pupil("sen-support", "1990-05-01", 6, "", "left: 2002-07-20\n");
        let run = |p: &str, today: &str| -> Vec<Status> {
            outcomes_of(&rec(&[("pupil.yaml", p)], true), today, "ENG-RETAIN").iter().map(|o| o.status).collect()
        };
        assert_eq!(run(&kept, "2021-01-01"), [Met]);
        assert_eq!(run(&kept, "2021-04-20"), [Due]);
        assert_eq!(run(&kept, "2021-05-01"), [Due]);
        assert_eq!(run(&kept, "2021-05-02"), [Overdue]);
        let moved = pupil("sen-support", "1990-05-01", 6, "", "left: 2002-07-20\ndestination: Northfield High\n");
        assert_eq!(run(&moved, "2021-05-02"), [NA]);
        let last = format!("{moved}last_school: true\n");
        assert_eq!(run(&last, "2021-05-02"), [Overdue]);
        // Pupils on roll: archived-scope rules are not evaluated at all.
        assert!(one(&kept, "2021-05-02", "ENG-RETAIN").is_empty());
    }

    /// Regs. 49(1)-(4), (7): a qualified teacher; appointed after 1 September
    /// 2009: the qualification by the third anniversary (appointed
    /// 2024-01-08: by 2027-01-08); NASENCO only if completed before 1
    /// September 2027, otherwise the NPQ for SENCOs.
    #[test]
    fn eng_senco() {
        let staff = |yaml: &str| -> Vec<Staff> {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("senco.toml"), SCHOOL).unwrap();
            std::fs::write(dir.path().join("staff.yaml"), yaml).unwrap();
            std::fs::create_dir_all(dir.path().join("pupils")).unwrap();
            crate::repo::load(dir.path()).unwrap().staff
        };
        let run = |yaml: &str, today: &str| -> Vec<Status> {
            senco_outcomes(&settings(), &staff(yaml), d(today)).iter().map(|o| o.status).collect()
        };
        let m = "- id: s\n  name: Ms S\n  role: senco\n  qualified_teacher: true\n  appointed: 2024-01-08\n";
        let npq = |date: &str| format!("{m}  senco_qualification: {{ award: npq-senco, date: {date} }}\n");
        assert_eq!(run(&npq("2026-07-01"), "2027-06-01"), [Met, Met]);
        assert_eq!(run(&npq("2027-01-08"), "2027-06-01"), [Met, Met]);
        assert_eq!(run(&npq("2027-01-09"), "2027-06-01"), [Met, NotMet]);
        assert_eq!(run(m, "2026-12-20"), [Met, Due]);
        assert_eq!(run(m, "2027-01-09"), [Met, Overdue]);
        let nasenco = format!("{m}  senco_qualification: {{ award: nasenco, date: 2027-09-01 }}\n");
        assert_eq!(run(&nasenco, "2027-10-01"), [Met, NotMet]);
        assert_eq!(run(&m.replace("qualified_teacher: true", "qualified_teacher: false"), "2026-06-01"), [NotMet, Met]);
        assert_eq!(run("- id: s\n  name: Ms S\n  role: senco\n", "2026-06-01"), [NotRecorded, NotRecorded]);
        assert_eq!(run(&m.replace("2024-01-08", "2008-09-01"), "2026-06-01"), [Met, NA]);
        assert_eq!(run("- id: t\n  name: Mr T\n  role: teacher\n", "2026-06-01"), [NotRecorded]);
    }

    /// JCQ AARA: the assessment "no earlier than the start of Year 9"; an
    /// approval lasts 26 months: approved 2025-03-10, the period ends 2027-05-09.
    #[test]
    fn eng_access() {
        let aa =
            |entry: &str| pupil("sen-support", "2010-01-10", 11, "", &format!("access_arrangements:\n  - {entry}\n"));
        let approved = aa("{ arrangement: 25% extra time, percent: 25, assessed: 2025-01-20, approved: 2025-03-10 }");
        assert_eq!(one(&approved, "2026-11-24", "ENG-ACCESS"), [Met]);
        assert_eq!(one(&approved, "2027-04-20", "ENG-ACCESS"), [Due]);
        assert_eq!(due_of(&[("pupil.yaml", &approved)], "2027-04-20", "ENG-ACCESS"), [Some(d("2027-05-09"))]);
        assert_eq!(one(&approved, "2027-05-10", "ENG-ACCESS"), [Overdue]);
        // Assessed 2024-06-01, in 2023-24: Year 8 then (Year 11 in 2026-27).
        let early = aa("{ arrangement: reader, assessed: 2024-06-01, approved: 2025-03-10 }");
        assert_eq!(one(&early, "2026-11-24", "ENG-ACCESS"), [NotMet, Met]);
        // No approval: counted from the assessment (2025-09-15 -> 2027-11-14) with a note.
        let assessed = aa("{ arrangement: scribe, assessed: 2025-09-15 }");
        let o = &outcomes(&[("pupil.yaml", &assessed)], "2026-11-24", "ENG-ACCESS")[0];
        assert_eq!((o.status, o.due), (Met, Some(d("2027-11-14"))));
        assert!(o.detail.contains("no approval date"), "{}", o.detail);
        assert_eq!(one(&aa("{ arrangement: rest breaks }"), "2026-11-24", "ENG-ACCESS"), [NotRecorded]);
        assert_eq!(one(&pupil("sen-support", "2010-01-10", 11, "", ""), "2026-11-24", "ENG-ACCESS"), [NA]);
    }
}
