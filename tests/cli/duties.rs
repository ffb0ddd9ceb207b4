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
