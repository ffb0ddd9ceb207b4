//! The England rule pack through `check`, `review-due` and `compliance` on a
//! probe school (tests/fixtures/england-rules), today pinned to 2026-11-24.
//! Each pupil is one edge case of domain-rules.md version 2; the dates were
//! worked by hand and are repeated in the fixture's comments.

use crate::*;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let run = senco(&fixture("england-rules"), args);
    assert!(run.code == 0 || run.code == 1, "{}", run.all());
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// (status, due) of every compliance outcome of one pupil and rule.
fn compliance(pupil: &str, rule: &str) -> Vec<(String, Option<String>)> {
    let all = json(&["compliance", pupil, "--format", "json"]);
    all["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["rule"] == rule)
        .map(|o| (o["status"].as_str().unwrap().to_string(), o["due"].as_str().map(String::from)))
        .collect()
}

fn s(status: &str, due: Option<&str>) -> (String, Option<String>) {
    (status.to_string(), due.map(String::from))
}

/// (pupil, code) of every finding `check --format json` gives for a rule code.
fn findings(code: &str) -> Vec<(String, String)> {
    let all = json(&["check", "--format", "json"]);
    all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| (f["pupil"].as_str().unwrap_or("").to_string(), f["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn review_due_gives_the_statutory_dates() {
    let all = json(&["review-due", "--within", "60", "--format", "json"]);
    let rows: Vec<(&str, &str, &str, &str)> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["pupil"].as_str().unwrap(),
                i["kind"].as_str().unwrap(),
                i["due"].as_str().unwrap(),
                i["status"].as_str().unwrap(),
            )
        })
        .collect();
    // s.44(1): a plan issued on 29 February 2024 is reviewed within the 12
    // months ending 28 February 2025 (the corresponding-date rule).
    assert!(rows.contains(&("lily-leap", "annual-review", "2025-02-28", "overdue")), "{rows:?}");
    // Reviewed 31 December 2025: the period ends 30 December 2026.
    assert!(rows.contains(&("max-monthend", "annual-review", "2026-12-30", "due-soon")), "{rows:?}");
    let max = all["items"].as_array().unwrap().iter().find(|i| i["pupil"] == "max-monthend").unwrap();
    // The meeting by the period's end - 28 days, for the LA's decision (reg. 20(10)).
    assert!(max["detail"].as_str().unwrap().contains("the meeting by 2026-12-02"), "{max}");
}

#[test]
fn check_reports_clocks_for_the_watch_list_and_leavers() {
    // reg. 5(1): the decision whether to assess within 6 weeks of the request
    // of 2026-10-01, by 2026-11-12, for a pupil on the watch list too.
    let wes = findings("ENG-EHC-TIMELINE");
    assert_eq!(wes.len(), 1, "{wes:?}");
    assert_eq!(wes[0].0, "wes-watch");
    assert!(wes[0].1.contains("overdue by 12 days") && wes[0].1.contains("(LA duty)"), "{}", wes[0].1);
    // Pupil Information Regs 2005 reg. 9: 15 school days, closures excluded.
    let ola = findings("ENG-FILE-TRANSFER");
    assert_eq!(ola.len(), 1, "{ola:?}");
    assert!(ola[0].1.contains("due by 2026-11-16"), "{}", ola[0].1);
    // A refused request asks for nothing more; Year 8 at the review needs no
    // preparing-for-adulthood section; the post-16 move is not due yet.
    for code in ["ENG-AR-PFA", "ENG-PHASE", "ENG-SENCO"] {
        assert!(findings(code).is_empty(), "{code}: {:?}", findings(code));
    }
}

#[test]
fn compliance_gives_every_england_status() {
    // Refused: the decision was in time (2026-07-06 <= 2026-07-13), then the clock stops.
    assert_eq!(
        compliance("rhea-refused", "ENG-EHC-TIMELINE"),
        [s("met", Some("2026-07-13")), s("not-applicable", None)]
    );
    // Watch list: decision overdue; the final plan's 20 weeks run to 2027-02-18.
    assert_eq!(
        compliance("wes-watch", "ENG-EHC-TIMELINE"),
        [s("overdue", Some("2026-11-12")), s("met", Some("2027-02-18"))]
    );
    assert_eq!(compliance("wes-watch", "ENG-AR-DUE"), [s("not-applicable", None)]);
    // Year 8 at the review of 2026-06-10, though in Year 9 now.
    assert_eq!(compliance("yara-year9", "ENG-AR-PFA"), [s("not-applicable", None)]);
    // Plan 2025-07-01: the period ends 2026-06-30, before the meeting + 28 days.
    assert_eq!(compliance("yara-year9", "ENG-AR-DECISION"), [s("met", Some("2026-06-30"))]);
    // Post-16 to post-16 on 2027-09-01: amended by 2027-04-01 (5 months before).
    assert_eq!(compliance("pat-post16", "ENG-PHASE"), [s("met", Some("2027-04-01"))]);
    // Primary to secondary in 2027: before 15 February, so by 14 February.
    assert_eq!(compliance("fay-phase", "ENG-PHASE"), [s("met", Some("2027-02-14"))]);
    assert_eq!(compliance("lily-leap", "ENG-AR-DUE"), [s("overdue", Some("2025-02-28"))]);
    assert_eq!(compliance("max-monthend", "ENG-AR-DUE"), [s("due", Some("2026-12-30"))]);
    assert_eq!(compliance("ola-moved", "ENG-FILE-TRANSFER"), [s("overdue", Some("2026-11-16"))]);
    assert_eq!(compliance("ola-moved", "ENG-RETAIN"), [s("not-applicable", None)]);
}
