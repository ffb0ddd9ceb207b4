//! `senco log`: appending to a pupil's dated log keeps every existing byte,
//! and follow-ups reach `check` and `review-due`.

use crate::{copy_dir, oakfield, senco};

fn scratch() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("oakfield");
    copy_dir(&oakfield(), &repo);
    (dir, repo)
}

#[test]
fn log_appends_without_touching_a_byte_and_reads_back() {
    let (_dir, repo) = scratch();
    let path = repo.join("pupils/ava-brown/log.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let run = senco(
        &repo,
        &[
            "log",
            "ava",
            "--kind",
            "meeting",
            "--with",
            "parent,senco-patel",
            "--follow-up",
            "2026-12-10",
            "Home reading: going well",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.starts_with(&before), "existing bytes changed");
    assert_eq!(
        &after[before.len()..],
        "- date: 2026-11-24\n  kind: meeting\n  with: [parent, senco-patel]\n  summary: \"Home reading: going well\"\n  follow_up: 2026-12-10\n"
    );
    let check = senco(&repo, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 0, "{}", check.stdout);
    let due = senco(&repo, &["review-due", "--kind", "follow-up", "--within", "30", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&due.stdout).unwrap();
    let dues: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["due"].as_str().unwrap()).collect();
    assert_eq!(dues, ["2026-12-04", "2026-12-10"]);
}

#[test]
fn log_creates_the_file_and_refuses_what_it_cannot_do_safely() {
    let (_dir, repo) = scratch();
    let run = senco(&repo, &["log", "mia", "--kind", "phone", "--with", "parent", "Spoke to dad"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let text = std::fs::read_to_string(repo.join("pupils/mia-thompson/log.yaml")).unwrap();
    assert!(text
        .starts_with("# yaml-language-server: $schema=../../schemas/log.schema.json\n# The dated log of Mia Thompson"));
    assert!(text.ends_with("- date: 2026-11-24\n  kind: phone\n  with: [parent]\n  summary: Spoke to dad\n"));
    // A follow-up before the entry, an empty summary, a flow list: refused, nothing written.
    let bad = senco(&repo, &["log", "mia", "--kind", "phone", "--follow-up", "2026-11-01", "x"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("before the entry's date"), "{}", bad.stderr);
    let flow = repo.join("pupils/zain-ahmed/log.yaml");
    std::fs::write(&flow, "[{ date: 2026-10-01, kind: phone, summary: x }]\n").unwrap();
    let bad = senco(&repo, &["log", "zain", "--kind", "phone", "y"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("flow list"), "{}", bad.stderr);
    assert_eq!(std::fs::read_to_string(&flow).unwrap(), "[{ date: 2026-10-01, kind: phone, summary: x }]\n");
}

#[test]
fn an_overdue_follow_up_is_a_located_warning() {
    let (_dir, repo) = scratch();
    let run = crate::senco_in(&repo, &["--today", "2026-12-05", "check"]);
    assert!(run.stdout.contains("pupils/ava-brown/log.yaml:17:14: warning[follow-up-overdue]"), "{}", run.stdout);
}
