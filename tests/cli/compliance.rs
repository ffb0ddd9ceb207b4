//! The rule packs seen through `check` and `render checklist`, across
//! jurisdictions, with the date pinned.

use crate::*;

/// The statuses of `rule` for `pupil` (a name) in the whole-school Markdown
/// checklist's per-pupil table: | Pupil | Level | Rule code | Citation | Due | Status | Detail |
/// (the checklist of one pupil is for parents and shows no codes).
fn statuses(repo: &std::path::Path, pupil: &str, rule: &str) -> Vec<String> {
    let run = senco(repo, &["render", "checklist"]);
    assert_eq!(run.code, 0, "{}", run.all());
    run.stdout
        .lines()
        .filter(|l| {
            l.split('|').nth(1).map(str::trim) == Some(pupil) && l.split('|').nth(3).map(str::trim) == Some(rule)
        })
        .map(|l| match l.split('|').nth(6).unwrap_or("").trim() {
            "Met" => "met".to_string(),
            "Due soon" => "due".to_string(),
            "Overdue" => "overdue".to_string(),
            "Not met" => "not-met".to_string(),
            "Not recorded" => "not-recorded".to_string(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn checklist_shows_met_due_and_overdue_with_citations() {
    let oak = oakfield();
    assert_eq!(statuses(&oak, "Leo Nowak", "ENG-AR-DUE"), ["met"]);
    assert_eq!(statuses(&oak, "Leo Nowak", "ENG-PHASE"), ["met"]);
    assert_eq!(statuses(&oak, "Amara Osei", "ENG-AR-DUE"), ["due"]);
    assert_eq!(statuses(&oak, "Theo Clarke", "ENG-AR-DUE"), ["overdue"]);
    let theo = senco(&oak, &["render", "checklist", "theo"]);
    assert!(theo.stdout.contains("Children and Families Act 2014, s.44(1)"));
    assert!(theo.stdout.contains("| Overdue |"), "{}", theo.stdout);
    assert!(!theo.stdout.contains("ENG-AR-DUE"), "no rule codes in the checklist for parents");
}

#[test]
fn checklist_says_not_recorded_rather_than_met() {
    assert_eq!(statuses(&fixture("bad-plan-not-issued"), "Ava Brown", "ENG-AR-DUE"), ["not-recorded"]);
    let us = fixture("query-us");
    assert_eq!(statuses(&us, "Alex Rivera", "US-COMPONENTS"), ["not-recorded"]);
    assert_eq!(statuses(&us, "Alex Rivera", "US-IEP-ANNUAL"), ["due"]);
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

/// `senco compliance --format json`, as (pupil, rule) -> the row.
fn compliance_rows(repo: &std::path::Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["compliance", "--format", "json"];
    all.extend_from_slice(args);
    let run = senco(repo, &all);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["today"], TODAY);
    v["outcomes"].as_array().unwrap().clone()
}

/// (status, due, days, file:line) of one pupil's outcomes of one rule.
fn cell(rows: &[serde_json::Value], pupil: &str, rule: &str) -> Vec<(String, String, String, String)> {
    rows.iter()
        .filter(|r| r["pupil"] == pupil && r["rule"] == rule)
        .map(|r| {
            let s = |k: &str| match &r[k] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let at = if r["line"].is_null() { s("file") } else { format!("{}:{}", s("file"), s("line")) };
            (s("status"), s("due"), s("days"), at)
        })
        .collect()
}

fn c(status: &str, due: &str, days: &str, at: &str) -> (String, String, String, String) {
    (status.into(), due.into(), days.into(), at.into())
}

/// The US probe school on 2026-11-24, every date worked by hand from the
/// provisions (tests/fixtures/compliance-us/senco.toml).
#[test]
fn compliance_json_gives_the_us_dates_and_statuses() {
    let rows = compliance_rows(&fixture("compliance-us"), &[]);
    // Every rule of the pack for every pupil: 4 pupils x 10 rules.
    assert_eq!(rows.len(), 40);
    // 300.303(b)(2): an IEP re-issued on 2026-03-10 with a reevaluation of
    // 2023-03-01: due 2026-03-01, 268 days ago; never from the IEP's date.
    assert_eq!(
        cell(&rows, "ana-reyes", "US-REEVAL"),
        [c("overdue", "2026-03-01", "-268", "pupils/ana-reyes/assessments.yaml:2")]
    );
    // 300.324(b)(1)(i): the annual review of 2026-03-10: within 12 months ends 2027-03-09.
    assert_eq!(
        cell(&rows, "ana-reyes", "US-IEP-ANNUAL"),
        [c("met", "2027-03-09", "105", "pupils/ana-reyes/reviews/2026-03-10-annual.yaml:1")]
    );
    // 300.320(a)(3)(ii): quarterly, last logged 2026-10-30: next by 2027-01-30.
    assert_eq!(cell(&rows, "ana-reyes", "US-PROGRESS"), [c("met", "2027-01-30", "67", "pupils/ana-reyes/log.yaml:1")]);
    // 300.301(c): consent 2026-09-01 + 60 days = 2026-10-31, for a student on
    // the watch list.
    assert_eq!(
        cell(&rows, "cam-diaz", "US-EVAL-60"),
        [c("overdue", "2026-10-31", "-24", "pupils/cam-diaz/pupil.yaml:11")]
    );
    // A 504 student with consent recorded: no US-EVAL-60 clock.
    assert_eq!(cell(&rows, "ben-cole", "US-EVAL-60"), [c("not-applicable", "", "", "pupils/ben-cole/pupil.yaml:9")]);
    // 104.35(d), the district's 12 months from the plan of 2026-01-20.
    assert_eq!(
        cell(&rows, "ben-cole", "US-504-REVIEW"),
        [c("met", "2027-01-20", "57", "pupils/ben-cole/pupil.yaml:7")]
    );
    // 300.320(b): 16 on 2026-12-15, inside the IEP in effect to 2027-02-28.
    assert_eq!(
        cell(&rows, "dee-ford", "US-TRANSITION-16"),
        [c("not-met", "2026-12-15", "21", "pupils/dee-ford/targets.yaml")]
    );
    // 300.504(a): last given 2026-03-01, before this school year began.
    assert_eq!(cell(&rows, "dee-ford", "US-SAFEGUARDS")[0].0, "due");
    assert_eq!(cell(&rows, "dee-ford", "US-REEVAL"), [c("met", "2028-01-15", "417", "pupils/dee-ford/pupil.yaml:11")]);
    // Rules that raise no duty are listed, never left out.
    assert_eq!(cell(&rows, "cam-diaz", "US-IEP-ANNUAL"), [c("not-applicable", "", "", "pupils/cam-diaz/pupil.yaml")]);
    let row = rows.iter().find(|r| r["pupil"] == "ana-reyes" && r["rule"] == "US-REEVAL").unwrap();
    assert_eq!(row["citation"], "34 CFR 300.303(a)-(b)");
    assert_eq!(row["severity"], "warning");
    assert_eq!(row["name"], "Ana Reyes");
}

/// The Welsh probe school: 35 school days across the autumn half term, and
/// termly reviews that do not restart the 12-month period.
#[test]
fn compliance_json_gives_the_wales_dates_and_statuses() {
    let rows = compliance_rows(&fixture("compliance-wales"), &[]);
    // ALNET s.11, Code 12.12: raised Mon 2026-10-19; day 1 Tue 20 Oct: 20-23 Oct
    // = 4, half term 26-30 Oct closed, 2 Nov - 11 Dec = 34, Mon 14 Dec = 35.
    assert_eq!(
        cell(&rows, "eli-hughes", "WAL-IDP-DECIDE"),
        [c("due", "2026-12-14", "20", "pupils/eli-hughes/pupil.yaml:9")]
    );
    // s.23(4): IDP given 2025-12-01; the termly review of 2026-03-10 does not
    // restart it: the period ends 2026-11-30.
    assert_eq!(
        cell(&rows, "fay-lloyd", "WAL-IDP-REVIEW"),
        [c("due", "2026-11-30", "6", "pupils/fay-lloyd/pupil.yaml:9")]
    );
    // The revised IDP given 2026-06-01 after the review of 2026-05-20: ends
    // 2027-05-31; the termly review of 2026-10-10 changes nothing.
    assert_eq!(
        cell(&rows, "gwil-owen", "WAL-IDP-REVIEW"),
        [c("met", "2027-05-31", "188", "pupils/gwil-owen/reviews/2026-05-20-annual.yaml:3")]
    );
    assert_eq!(cell(&rows, "gwil-owen", "WAL-IDP-DECIDE")[0].0, "not-applicable");
    // review-due gives the same dates.
    let due = senco(&fixture("compliance-wales"), &["review-due", "--format", "json", "--within", "400"]);
    let v: serde_json::Value = serde_json::from_str(&due.stdout).unwrap();
    let got: Vec<(&str, &str, &str)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["pupil"].as_str().unwrap(), i["kind"].as_str().unwrap(), i["due"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("fay-lloyd", "annual-review", "2026-11-30"), ("gwil-owen", "annual-review", "2027-05-31")]);
}

#[test]
fn compliance_filters_by_pupil_rule_and_status() {
    let us = fixture("compliance-us");
    let rows = compliance_rows(&us, &["--status", "overdue,not-met"]);
    let got: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["pupil"].as_str().unwrap(), r["rule"].as_str().unwrap())).collect();
    assert_eq!(got, [("ana-reyes", "US-REEVAL"), ("cam-diaz", "US-EVAL-60"), ("dee-ford", "US-TRANSITION-16")]);
    let rows = compliance_rows(&us, &["dee", "--rule", "us-reeval,US-IEP-ANNUAL"]);
    let got: Vec<&str> = rows.iter().map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(got, ["US-IEP-ANNUAL", "US-REEVAL"]);
    assert!(rows.iter().all(|r| r["pupil"] == "dee-ford"));
    // A rule of another pack, and a misspelt one: usage errors with a way out.
    let other = senco(&us, &["compliance", "--rule", "ENG-AR-DUE"]);
    assert_eq!(other.code, 2);
    assert!(other.stderr.contains("`ENG-AR-DUE` is not a rule of the us-idea pack"), "{}", other.stderr);
    assert!(other.stderr.contains("belongs to the england pack"), "{}", other.stderr);
    let typo = senco(&us, &["compliance", "--rule", "US-REVAL"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("did you mean `US-REEVAL`?"), "{}", typo.stderr);
    let nobody = senco(&us, &["compliance", "zed"]);
    assert_eq!(nobody.code, 2, "{}", nobody.all());
    // CSV: the same rows, a header first.
    let csv = senco(&us, &["compliance", "--status", "overdue", "--format", "csv"]);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines[0], "pupil,rule,status,due,days,detail,source,citation");
    assert_eq!(lines.len(), 3, "{}", csv.stdout);
    assert!(lines[1].starts_with("ana-reyes,US-REEVAL,overdue,2026-03-01,-268,"));
}

#[test]
fn compliance_table_snapshot() {
    let run = senco(&fixture("compliance-wales"), &["compliance"]);
    insta::assert_snapshot!("compliance-wales-table", run.all());
}
