//! Expiring staff training and exam access arrangements reach `review-due`
//! on the right day.

use crate::{copy_dir, oakfield, senco};
use std::io::Write;

fn scratch() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("oakfield");
    copy_dir(&oakfield(), &repo);
    (dir, repo)
}

fn append(path: &std::path::Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// (kind, pupil, name, due, days, status, detail) of every item.
fn items(repo: &std::path::Path, args: &[&str]) -> Vec<(String, String, String, String, i64, String, String)> {
    let mut all = vec!["review-due", "--format", "json"];
    all.extend_from_slice(args);
    let run = senco(repo, &all);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            (s("kind"), s("pupil"), s("name"), s("due"), i["days"].as_i64().unwrap(), s("status"), s("detail"))
        })
        .collect()
}

#[test]
fn training_expiry_shows_from_the_window_and_stays_once_lapsed() {
    let (_dir, repo) = scratch();
    // Today is 2026-11-24 (tests pin it). Valid 24 months from 2024-12-10:
    // lapses on 2026-12-10, 16 days away; a written expiry already past.
    append(
        &repo.join("staff.yaml"),
        "  training:\n    - course: Team Teach positive handling\n      provider: Team Teach\n      date: 2024-12-10\n      valid_months: 24\n      certificate: TT-0001\n    - course: Epilepsy awareness\n      date: 2025-11-01\n      expires: 2026-11-01\n",
    );
    let got = items(&repo, &["--kind", "training", "--within", "16"]);
    let expect = [
        ("Epilepsy awareness: expired on 2026-11-01 [staff salt-morgan]", "2026-11-01", -23, "overdue"),
        ("Team Teach positive handling: expires on 2026-12-10 [staff salt-morgan]", "2026-12-10", 16, "due-soon"),
    ];
    assert_eq!(got.len(), 2, "{got:?}");
    for (g, (detail, due, days, status)) in got.iter().zip(expect) {
        assert_eq!((g.0.as_str(), g.1.as_str(), g.2.as_str()), ("training", "", "Ms F. Morgan"));
        assert_eq!((g.3.as_str(), g.4, g.5.as_str(), g.6.as_str()), (due, days, status, detail));
    }
    // One day short of the window: only the lapsed course.
    assert_eq!(items(&repo, &["--kind", "training", "--within", "15"]).len(), 1);
    // A pupil filter narrows to pupils: no staff rows.
    assert!(items(&repo, &["--kind", "training", "--within", "16", "--year", "6"]).is_empty());
    // Every kind: the training rows are among them.
    assert_eq!(items(&repo, &["--within", "16"]).iter().filter(|i| i.0 == "training").count(), 2);
}

#[test]
fn access_arrangements_lapse_26_months_after_approval_else_assessment() {
    let (_dir, repo) = scratch();
    append(
        &repo.join("pupils/leo-nowak/pupil.yaml"),
        "access_arrangements:\n  - arrangement: 25% extra time\n    percent: 25\n    assessed: 2024-09-20\n    approved: 2024-10-05\n  - arrangement: Reader\n    assessed: 2024-10-25\n  - arrangement: Rest breaks\n",
    );
    // 26 months from 2024-10-05 ends 2026-12-04 (10 days); from the
    // assessment on 2024-10-25, 2026-12-24 (30 days); no dates: no item.
    let got = items(&repo, &["--kind", "access", "--within", "30"]);
    let rows: Vec<_> = got.iter().map(|g| (g.1.as_str(), g.3.as_str(), g.4, g.5.as_str(), g.6.as_str())).collect();
    assert_eq!(
        rows,
        [
            (
                "leo-nowak",
                "2026-12-04",
                10,
                "due-soon",
                "25% extra time: valid until 2026-12-04 (26 months from the approval)"
            ),
            (
                "leo-nowak",
                "2026-12-24",
                30,
                "due-soon",
                "Reader: valid until 2026-12-24 (26 months from the assessment; no approval recorded)"
            ),
        ]
    );
    assert_eq!(items(&repo, &["--kind", "access", "--within", "29"]).len(), 1);
    // Not also listed as an ENG-ACCESS deadline.
    let all = items(&repo, &["--within", "30"]);
    assert_eq!(all.iter().filter(|i| i.6.contains("valid until 2026-12-04")).count(), 1, "{all:?}");
}

#[test]
fn training_lists_who_holds_what_and_what_lapses() {
    let (_dir, repo) = scratch();
    append(
        &repo.join("staff.yaml"),
        "  training:\n    - course: Team Teach positive handling\n      provider: Team Teach\n      date: 2024-12-10\n      valid_months: 24\n      certificate: TT-0001\n",
    );
    let run = senco(&repo, &["training", "--expiring", "16", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!(
        (&r["staff"], &r["provider"], &r["expires"], &r["days"], &r["certificate"], &r["status"]),
        (
            &serde_json::json!("salt-morgan"),
            &serde_json::json!("Team Teach"),
            &serde_json::json!("2026-12-10"),
            &serde_json::json!(16),
            &serde_json::json!("TT-0001"),
            &serde_json::json!("expiring")
        )
    );
    assert!(senco(&repo, &["training", "--expiring", "15", "--format", "json"]).stdout.contains("\"rows\": []"));
    // Without --expiring: every course, the rest `valid` or `no-expiry`.
    let all = senco(&repo, &["training", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&all.stdout).unwrap();
    let statuses: Vec<&str> = v["rows"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert!(statuses.len() > 10 && statuses.contains(&"no-expiry") && statuses.contains(&"valid"), "{statuses:?}");
}

/// A pupil whose records hold one event of each kind, two of them on one day.
fn chronology_pupil(repo: &std::path::Path) -> std::path::PathBuf {
    let dir = repo.join("pupils/kit-marlow");
    std::fs::create_dir_all(dir.join("reviews")).unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    w(
        "pupil.yaml",
        "id: kit-marlow\nname: { first: Kit, last: Marlow }\ndate_of_birth: 2016-05-01\nyear_group: 5\nclass: 5A\n\
         joined: 2021-09-06\nsupport:\n  level: ehcp\n  since: 2026-03-02\n  history:\n    - { level: sen-support, from: 2024-01-08 }\n\
         \x20 request: { requested: 2025-09-15, decision: 2025-10-20, outcome: plan-issued, outcome_date: 2026-03-02, issued: 2026-03-02 }\n\
         \x20 plan: { issued: 2026-03-02, authority: Northshire County Council }\n\
         professionals:\n  - { service: Speech and language therapy, referred: 2025-06-10, status: active }\n\
         access_arrangements:\n  - { arrangement: 25% extra time, percent: 25, assessed: 2024-01-08, assessor: Ms R. Patel }\n",
    );
    w("needs.yaml", "- { id: reading, area: cognition-and-learning, primary: true, identified: 2023-11-20 }\n");
    w(
        "assessments.yaml",
        "- { id: yarc, date: 2024-01-08, tool: YARC, measure: reading accuracy, score: 79, scale: standard-score }\n",
    );
    w(
        "log.yaml",
        "- { date: 2024-01-08, kind: meeting, with: [parent, ta-jones], summary: Agreed the reading plan. }\n\
         - { date: 2025-09-15, kind: phone, with: [parent], summary: Told mum about the request., follow_up: 2025-10-01 }\n\
         - { date: 2027-01-10, kind: email, with: [parent], summary: Not yet happened. }\n",
    );
    w(
        "reviews/2026-06-10.yaml",
        "date: 2026-06-10\nkind: annual\nattendees: [ { name: Mrs A. Marlow, role: parent } ]\nreport_sent: 2026-06-20\n",
    );
    dir
}

#[test]
fn chronology_lists_every_dated_event_in_order() {
    let (_dir, repo) = scratch();
    chronology_pupil(&repo);
    let run = senco(&repo, &["render", "chronology", "kit-marlow"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let rows: Vec<(String, String)> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Date"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            (cells[0].trim_start_matches("| ").to_string(), cells[1].to_string())
        })
        .collect();
    let expected = [
        ("6 September 2021", "Joined the school"),
        ("20 November 2023", "Need identified: Cognition and learning"),
        // Same day: support, assessment, access, log.
        ("8 January 2024", "Support level: SEN support"),
        ("8 January 2024", "Assessment: YARC"),
        ("8 January 2024", "Assessed for exam access arrangements: 25% extra time"),
        ("8 January 2024", "Meeting"),
        ("10 June 2025", "Referred to Speech and language therapy"),
        ("15 September 2025", "Request for an EHC needs assessment"),
        ("15 September 2025", "Phone call"),
        ("20 October 2025", "The local authority decided to carry out an EHC needs assessment"),
        // 26 months from the assessment: the last valid day is 7 March 2026.
        ("2 March 2026", "Support level: EHC plan"),
        ("2 March 2026", "EHC plan issued"),
        ("8 March 2026", "Exam access arrangement lapsed: 25% extra time"),
        ("10 June 2026", "Annual review meeting"),
        ("20 June 2026", "Report of the annual review sent"),
    ];
    let got: Vec<(&str, &str)> = rows.iter().map(|(d, w)| (d.as_str(), w.as_str())).collect();
    assert_eq!(got, expected, "{}", run.stdout);
    assert!(run.stdout.contains("Mrs K. Jones") && run.stdout.contains("To follow up by 1 October 2025."));
    assert!(!run.stdout.contains("Not yet happened"), "a future entry is not history");
    assert!(run.stdout.contains("Confidential"));
    // The same events in HTML and Word, named in the page's footer.
    let html = senco(&repo, &["render", "chronology", "kit-marlow", "--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.all());
    assert!(html
        .stdout
        .contains("<td class=\"date\">8 March 2026</td><td>Exam access arrangement lapsed: 25% extra time</td>"));
    assert!(html.stdout.contains("@bottom-left { content: \"Kit Marlow\""));
    let out = repo.join("kit.docx");
    let docx = senco(&repo, &["render", "chronology", "kit-marlow", "-o", out.to_str().unwrap()]);
    assert_eq!(docx.code, 0, "{}", docx.all());
    let text = crate::plain::docx_text(&std::fs::read(&out).unwrap());
    assert!(text.contains("Exam access arrangement lapsed: 25% extra time") && text.contains("Confidential"), "{text}");
}

#[test]
fn access_register_lists_every_arrangement_with_its_status() {
    let (_dir, repo) = scratch();
    chronology_pupil(&repo);
    // Another pupil with three arrangements: current, expiring within 60 days, and no dates.
    let p = repo.join("pupils/ava-brown/pupil.yaml");
    append(
        &p,
        "access_arrangements:\n  - { arrangement: Extra time, percent: 25, assessed: 2026-09-20, approved: 2026-10-05, assessor: Ms R. Patel }\n\
         \x20 - { arrangement: Reader, assessed: 2024-09-01, approved: 2024-10-05 }\n  - { arrangement: Rest breaks }\n",
    );
    let run = senco(&repo, &["access", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows: Vec<(String, String, String, String)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("null").to_string();
            (s("pupil"), s("arrangement"), s("expires"), s("status"))
        })
        .collect();
    let want = |p: &str, a: &str, e: &str, s: &str| (p.to_string(), a.to_string(), e.to_string(), s.to_string());
    assert_eq!(
        rows,
        vec![
            // Year 5 before Year 4; within a pupil, by arrangement.
            want("kit-marlow", "25% extra time", "2026-03-07", "expired"),
            want("ava-brown", "Extra time", "2028-12-04", "current"),
            want("ava-brown", "Reader", "2026-12-04", "expires-soon"),
            want("ava-brown", "Rest breaks", "null", "not-recorded"),
        ]
    );
    assert_eq!(v["rows"][1]["percent"], 25.0);
    assert_eq!(v["rows"][0]["counted_from"], "assessment");
    // --expiring keeps what needs the exams officer; the table shows the percent.
    let run = senco(&repo, &["access", "--expiring", "5"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("25% extra time") && run.stdout.contains("Rest breaks"), "{}", run.stdout);
    assert!(!run.stdout.contains("Reader") && !run.stdout.contains("Extra time (25%)"), "{}", run.stdout);
    let all = senco(&repo, &["access"]);
    assert!(all.stdout.contains("Extra time (25%)"), "{}", all.stdout);
    let csv = senco(&repo, &["access", "--format", "csv"]);
    assert!(csv.stdout.starts_with("pupil,name,year,arrangement,"), "{}", csv.stdout);
    // The register's column.
    let list = senco(&repo, &["list", "--columns", "id,access", "--format", "csv"]);
    assert!(
        list.stdout.contains("ava-brown,Extra time (25%) (until 2028-12-04); Reader (expires soon: until 2026-12-04); Rest breaks (dates not recorded)"),
        "{}",
        list.stdout
    );
    // A pupil who cannot be read is named.
    std::fs::write(repo.join("pupils/kit-marlow/pupil.yaml"), "id: [\n").unwrap();
    let run = senco(&repo, &["access"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("kit-marlow"), "{}", run.all());
}

#[test]
fn stats_state_the_training_held() {
    let (_dir, repo) = scratch();
    append(
        &repo.join("staff.yaml"),
        "  training:\n    - course: Team Teach positive handling\n      date: 2024-12-10\n      valid_months: 24\n\
         \x20   - course: paediatric first aid\n      date: 2022-06-18\n      expires: 2025-06-18\n",
    );
    let run = senco(&repo, &["stats", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let course = |name: &str| {
        let c =
            v["training"].as_array().unwrap().iter().find(|c| c["course"] == name).unwrap_or_else(|| panic!("{name}"));
        (c["staff"].as_u64().unwrap(), c["expiring"].as_u64().unwrap(), c["lapsed"].as_u64().unwrap())
    };
    // Mr Khan's first aid holds to 2027; the therapist's (spelt in lower case) lapsed in 2025.
    assert_eq!(course("Paediatric first aid"), (1, 0, 1));
    // Lapses on 10 December 2026, 16 days on.
    assert_eq!(course("Team Teach positive handling"), (1, 1, 0));
    assert_eq!(course("Precision teaching"), (1, 0, 0));
    let table = senco(&repo, &["stats"]);
    assert!(
        table.stdout.contains("Staff training") && table.stdout.contains("Team Teach positive handling"),
        "{}",
        table.stdout
    );
}

#[test]
fn the_secondary_example_is_clean_and_has_its_arrangements() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ashdown");
    let check = senco(&repo, &["check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(check.stdout.contains("0 errors, 1 warning"), "{}", check.stdout);
    assert!(check.stdout.contains("warning[ENG-ACCESS]: overdue by 15 days: Reader"), "{}", check.stdout);
    let run = senco(&repo, &["access", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let statuses: Vec<(&str, &str)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["pupil"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("maya-okonkwo", "current"),
            ("maya-okonkwo", "current"),
            ("dylan-reeves", "expires-soon"),
            ("dylan-reeves", "expired"),
            ("priya-shah", "current"),
            ("priya-shah", "current"),
        ]
    );
    let due = items(&repo, &["--kind", "access"]);
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!((due[0].1.as_str(), due[0].3.as_str(), due[0].5.as_str()), ("dylan-reeves", "2026-11-09", "overdue"));
}

/// One fixture per new record kind, each with one defect: a located error
/// with a "did you mean" (tests/fixtures/make.py, `DUTIES`).
#[test]
fn bad_duty_records_are_located_errors_with_a_suggestion() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (name, code, at, suggestion) in [
        ("duty-bad-log", "unknown-key", "pupils/ava-brown/log.yaml:5:3", "did you mean `follow_up`?"),
        ("duty-bad-log-kind", "bad-value", "pupils/ava-brown/log.yaml:2:9", "did you mean `phone`?"),
        ("duty-bad-training", "unknown-key", "staff.yaml:14:7", "did you mean `expires`?"),
        ("duty-bad-access", "unknown-key", "pupils/ava-brown/pupil.yaml:25:5", "did you mean `approved`?"),
        ("duty-bad-delivery", "bad-value", "delivery/precision-teaching/2026-11.yaml:4:35", "did you mean `attended`?"),
    ] {
        let run = senco(&fixtures.join(name), &["check"]);
        assert_eq!(run.code, 1, "{name}: {}", run.all());
        assert!(run.stdout.contains(&format!("{at}: error[{code}]")), "{name}: {}", run.stdout);
        assert!(run.stdout.contains(suggestion), "{name}: {}", run.stdout);
        assert!(run.stdout.contains("1 error,") || run.stdout.contains("1 error "), "{name}: {}", run.stdout);
    }
}
