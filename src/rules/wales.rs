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
    plain: None,
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
                "senco.toml records no term dates (`[calendar] terms`), so school days cannot be counted".into(),
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
        // An exception to the period (circumstances beyond the school's
        // control, ALN Code 12.21-12.22) only when recorded, with its reason:
        // `to` is the date it now runs to; without it the period does not apply.
        let mut due = due;
        if let Some(e) = &r.exception {
            let reason = crate::model::text(&e.reason).unwrap_or("an exception").trim().to_string();
            match &e.to {
                Some(to) if to.value > due => {
                    due = to.value;
                    basis = format!("extended to {} by a recorded exception: {reason}", to.value);
                }
                Some(_) => {}
                None if issued.is_none() => {
                    cx.push(
                        "WAL-IDP-DECIDE",
                        Status::NotApplicable,
                        Some(due),
                        format!("the 35 school days do not apply: {reason}"),
                        file.clone(),
                        Some(e.span),
                    );
                    continue;
                }
                None => {}
            }
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
            _ => {
                let what = match issued {
                    Some(_) => "IDP given",
                    None => "the decision whether the learner has ALN (and the IDP if so)",
                };
                cx.deadline("WAL-IDP-DECIDE", issued, due, what, &basis, false, &file, Some(requested.span))
            }
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
    plain: None,
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
    plain: None,
    provision: "The governing body of a maintained school in Wales, other than a maintained special school, must designate a person, or more than one person, to have responsibility for co-ordinating additional learning provision for pupils with ALN (s.60(1)).",
    source: "ALN and Education Tribunal (Wales) Act 2018, s.60",
    check: super::school_rule,
};

#[cfg(test)]
mod tests {
    //! Each rule: met, due soon, breached, not recorded and not applicable,
    //! with the provision's words and the dates worked by hand.
    use super::super::eval::Status::{self, *};
    use super::super::testkit::{d, outcomes, pupil, settings, statuses};
    use crate::model::Settings;

    /// Three terms with the half terms and bank holidays as closures:
    /// autumn half term 26-30 Oct 2026; spring half term 15-19 Feb 2027;
    /// May Day Mon 3 May 2027; summer half term 31 May - 4 Jun 2027.
    const WALES: &str = "[school]\nname = \"T\"\nsenco = \"S\"\njurisdiction = \"wales\"\n[calendar]\nyear_start = 2026-09-01\nyear_end = 2027-07-20\nterms = [\n { name = \"Autumn\", start = 2026-09-01, end = 2026-12-18 },\n { name = \"Spring\", start = 2027-01-04, end = 2027-03-26 },\n { name = \"Summer\", start = 2027-04-12, end = 2027-07-20 },\n]\nclosures = [\n { start = 2026-10-26, end = 2026-10-30 },\n { start = 2027-02-15, end = 2027-02-19 },\n 2027-05-03,\n { start = 2027-05-31, end = 2027-06-04 },\n]\n";

    fn wales() -> Settings {
        settings(WALES)
    }

    fn st(files: &[(&str, &str)], today: &str, code: &str) -> Vec<Status> {
        statuses(&wales(), files, today, code)
    }

    fn learner(level: &str, support: &str) -> String {
        pupil(level, "2016-01-15", support)
    }

    // ALNET s.11(1) and ALN Code 12.12: where it is brought to the school's
    // attention that a learner may have ALN, it decides, and gives an IDP,
    // "within 35 school days". Raised Tue 20 Apr 2027; day 1 is Wed 21 Apr:
    // 21-23 Apr = 3; 26-30 Apr = 8; 4-7 May = 12 (Mon 3 May, May Day, closed);
    // 10-14 = 17; 17-21 = 22; 24-28 = 27; 31 May - 4 Jun half term; 7-11 Jun
    // = 32; 14, 15, 16 Jun = 35: Wed 16 Jun 2027 (8 Jun without the closures).
    #[test]
    fn idp_decide_counts_35_school_days_past_a_half_term_and_a_bank_holiday() {
        let raised = learner("monitoring", "  request:\n    requested: 2027-04-20\n");
        let files = [("pupil.yaml", raised.as_str())];
        let o = outcomes(&wales(), &files, "2027-06-01", "WAL-IDP-DECIDE");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2027-06-16"))));
        assert_eq!(st(&files, "2027-05-01", "WAL-IDP-DECIDE"), [Met]); // 46 days ahead
        assert_eq!(st(&files, "2027-06-16", "WAL-IDP-DECIDE"), [Due]);
        assert_eq!(st(&files, "2027-06-17", "WAL-IDP-DECIDE"), [Overdue]);
        let given = |date: &str| {
            learner("school-idp", &format!("  request:\n    requested: 2027-04-20\n  plan:\n    issued: {date}\n"))
        };
        assert_eq!(st(&[("pupil.yaml", &given("2027-06-16"))], "2027-06-20", "WAL-IDP-DECIDE"), [Met]);
        assert_eq!(st(&[("pupil.yaml", &given("2027-06-17"))], "2027-06-20", "WAL-IDP-DECIDE"), [NotMet]);
    }

    // The clock stops at the recorded outcome: a decision of no ALN (with
    // its notice), a withdrawal; a learner who already had an IDP is outside s.11.
    #[test]
    fn idp_decide_stops_at_the_outcome() {
        let out = |extra: &str| learner("monitoring", &format!("  request:\n    requested: 2027-04-20\n{extra}"));
        let no_aln = out("    outcome: no-aln\n    outcome_date: 2027-05-20\n");
        assert_eq!(st(&[("pupil.yaml", &no_aln)], "2027-06-20", "WAL-IDP-DECIDE"), [Met]);
        let no_date = out("    outcome: no-aln\n");
        assert_eq!(st(&[("pupil.yaml", &no_date)], "2027-06-20", "WAL-IDP-DECIDE"), [NotRecorded]);
        let withdrawn = out("    outcome: withdrawn\n    outcome_date: 2027-05-01\n");
        assert_eq!(st(&[("pupil.yaml", &withdrawn)], "2027-06-20", "WAL-IDP-DECIDE"), [NotApplicable]);
        let had = learner("school-idp", "  request:\n    requested: 2027-04-20\n  plan:\n    issued: 2026-10-01\n");
        assert_eq!(st(&[("pupil.yaml", &had)], "2027-06-20", "WAL-IDP-DECIDE"), [NotApplicable]);
        // Referred to the local authority on 10 May 2027: the school's part is
        // met; the authority's decision is due within 12 weeks (ALN Code
        // 11.17): 2 Aug 2027.
        let referred = out("    outcome: referred-to-la\n    outcome_date: 2027-05-10\n");
        let o = outcomes(&wales(), &[("pupil.yaml", &referred)], "2027-07-10", "WAL-IDP-DECIDE");
        assert_eq!((o[0].0, o[1].0, o[1].1), (Met, Due, Some(d("2027-08-02"))));
        assert!(o[1].2.contains("LA duty"), "{}", o[1].2);
        // A recorded exception with the date it runs to: the deadline moves,
        // and the reason is shown.
        let extended = out("    exception: { reason: the school closed for flooding, to: 2027-06-30 }\n");
        let o = outcomes(&wales(), &[("pupil.yaml", &extended)], "2027-06-20", "WAL-IDP-DECIDE");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2027-06-30"))));
        assert!(o[0].2.contains("flooding"), "{}", o[0].2);
    }

    // ALNET s.23(2)-(4): the IDP is reviewed at least once in each 12-month
    // period "beginning with the day on which the plan was given" or a revised
    // plan or a notice that it is not to be revised was given.
    #[test]
    fn idp_review_restarts_only_at_a_given_plan_or_notice() {
        let p = learner("school-idp", "  plan:\n    issued: 2025-10-06\n");
        // IDP given 6 Oct 2025: the period ends 5 Oct 2026. A termly check-in
        // on 10 Feb 2026 does not restart it.
        let termly = "date: 2026-02-10\nkind: termly\n";
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-02-10.yaml", termly)];
        let o = outcomes(&wales(), &files, "2026-09-20", "WAL-IDP-REVIEW");
        assert_eq!((o[0].0, o[0].1), (Due, Some(d("2026-10-05"))));
        assert_eq!(st(&files, "2026-06-01", "WAL-IDP-REVIEW"), [Met]);
        assert_eq!(st(&files, "2026-10-06", "WAL-IDP-REVIEW"), [Overdue]);
        // The statutory review met on 28 Sep 2026 and the revised IDP was
        // given on 5 Oct 2026: the next period ends 4 Oct 2027; a termly
        // check-in between (20 Jan 2027) changes nothing.
        let annual = "date: 2026-09-28\nkind: annual\ngiven: 2026-10-05\n";
        let later = "date: 2027-01-20\nkind: termly\n";
        let files = [
            ("pupil.yaml", p.as_str()),
            ("reviews/2026-02-10.yaml", termly),
            ("reviews/2026-09-28-annual.yaml", annual),
            ("reviews/2027-01-20.yaml", later),
        ];
        let o = outcomes(&wales(), &files, "2027-02-01", "WAL-IDP-REVIEW");
        assert_eq!((o[0].0, o[0].1), (Met, Some(d("2027-10-04"))));
        // Without `given`, the meeting date stands in, with a note: 27 Sep 2027.
        let no_given = "date: 2026-09-28\nkind: annual\n";
        let files = [("pupil.yaml", p.as_str()), ("reviews/2026-09-28-annual.yaml", no_given)];
        let o = outcomes(&wales(), &files, "2027-02-01", "WAL-IDP-REVIEW");
        assert_eq!(o[0].1, Some(d("2027-09-27")));
        assert!(o[0].2.contains("`given` not recorded"), "{}", o[0].2);
        // Nothing to count from: not recorded; the watch list: no such duty.
        let bare = "id: kit-lane\nname: { first: Kit, last: Lane }\ndate_of_birth: 2016-01-15\nyear_group: 5\nsupport:\n  level: la-idp\n";
        assert_eq!(st(&[("pupil.yaml", bare)], "2027-02-01", "WAL-IDP-REVIEW"), [NotRecorded]);
        assert!(st(&[("pupil.yaml", &learner("monitoring", ""))], "2027-02-01", "WAL-IDP-REVIEW").is_empty());
    }
}
