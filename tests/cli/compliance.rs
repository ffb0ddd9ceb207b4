//! The rule packs seen through `check` and `render checklist`, across
//! jurisdictions, with the date pinned.

use crate::*;

fn statuses(run: &Run, rule: &str) -> Vec<String> {
    // The Markdown checklist's per-pupil table: | Pupil | Level | Rule | Citation | Due | Status | Detail |
    run.stdout
        .lines()
        .filter(|l| l.split('|').nth(3).map(str::trim) == Some(rule))
        .map(|l| l.split('|').nth(6).unwrap_or("").trim().to_string())
        .collect()
}

#[test]
fn checklist_shows_met_due_and_overdue_with_citations() {
    let oak = oakfield();
    let leo = senco(&oak, &["render", "checklist", "leo-nowak"]);
    assert_eq!(statuses(&leo, "ENG-AR-DUE"), ["met"], "{}", leo.stdout);
    assert_eq!(statuses(&leo, "ENG-PHASE"), ["met"]);
    let amara = senco(&oak, &["render", "checklist", "amara"]);
    assert_eq!(statuses(&amara, "ENG-AR-DUE"), ["due"]);
    let theo = senco(&oak, &["render", "checklist", "theo"]);
    assert_eq!(statuses(&theo, "ENG-AR-DUE"), ["overdue"]);
    assert!(theo.stdout.contains("Children and Families Act 2014, s.44(1)"));
}

#[test]
fn checklist_says_not_recorded_rather_than_met() {
    let run = senco(&fixture("bad-plan-not-issued"), &["render", "checklist", "ava-brown"]);
    assert_eq!(statuses(&run, "ENG-AR-DUE"), ["not-recorded"], "{}", run.stdout);
    let us = senco(&fixture("query-us"), &["render", "checklist", "alex-rivera"]);
    assert_eq!(statuses(&us, "US-COMPONENTS"), ["not-recorded"], "{}", us.stdout);
    assert_eq!(statuses(&us, "US-IEP-ANNUAL"), ["due"]);
}

#[test]
fn check_and_review_due_agree_on_every_statutory_date() {
    for repo in [oakfield(), fixture("query-us"), fixture("query-wales")] {
        let check = senco(&repo, &["check", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
        let mut from_check: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                let code = f["code"].as_str().unwrap();
                ["-REVIEW", "-AR-DUE", "-ANNUAL", "-REEVAL"].iter().any(|s| code.ends_with(s))
                    // US-504-REVIEW is guidance (info); "not recorded" notes are not due dates.
                    && (f["severity"] == "warning"
                        || (f["severity"] == "info" && !f["message"].as_str().unwrap().starts_with("not recorded")))
            })
            .map(|f| f["pupil"].as_str().unwrap().to_string())
            .collect();
        let due = senco(&repo, &["review-due", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&due.stdout).unwrap();
        let mut from_due: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| ["support-review", "annual-review", "reevaluation"].contains(&i["kind"].as_str().unwrap()))
            .map(|i| i["pupil"].as_str().unwrap().to_string())
            .collect();
        from_check.sort();
        from_due.sort();
        assert_eq!(from_check, from_due, "{repo:?}");
    }
}

#[test]
fn other_jurisdictions_report_their_own_rules() {
    let us = senco(&fixture("query-us"), &["check"]);
    insta::assert_snapshot!("check-us", us.all());
    let wales = senco(&fixture("query-wales"), &["check"]);
    assert!(wales.stdout.contains("warning[WAL-IDP-REVIEW]"), "{}", wales.stdout);
    insta::assert_snapshot!("check-wales", wales.all());
}

#[test]
fn a_review_being_prepared_does_not_hide_an_overdue_one() {
    // Theo's annual review is overdue; preparing the record of the meeting
    // on 3 December must not make it look done before the meeting is held.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&oakfield(), dir.path());
    let made = senco(dir.path(), &["new-review", "theo-clarke", "--date", "2026-12-03"]);
    assert_eq!(made.code, 0, "{}", made.all());
    let check = senco(dir.path(), &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let theo: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["pupil"] == "theo-clarke" && f["severity"] != "info")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(theo.contains(&"ENG-AR-DUE"), "{theo:?}");
    assert!(!theo.contains(&"no-voice"), "the prepared review is not the last one held: {theo:?}");
    let due = senco(dir.path(), &["review-due", "--kind", "annual-review", "--format", "json"]);
    assert!(due.stdout.contains("\"theo-clarke\"") && due.stdout.contains("\"overdue\""), "{}", due.stdout);
    // Once the meeting date has passed, it counts.
    let after =
        senco_in(dir.path(), &["--today", "2026-12-04", "review-due", "--kind", "annual-review", "--format", "json"]);
    assert!(!after.stdout.contains("\"theo-clarke\""), "{}", after.stdout);
}
