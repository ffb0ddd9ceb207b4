//! Hostile inputs found in an audit: settings at their limits, hostile ids,
//! slugs and file names. Each test failed (a panic, a wrong result or an
//! unsafe write) before its fix.

use crate::*;
use std::path::PathBuf;

/// A scratch copy of a fixture, with `edit` applied to its senco.toml.
fn scratch_with(name: &str, edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("records");
    copy_dir(&fixture(name), &repo);
    let toml = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    std::fs::write(repo.join("senco.toml"), edit(toml)).unwrap();
    (dir, repo)
}

/// No panic: exit code 0, 1 or 2 and no Rust panic message.
#[track_caller]
fn no_panic(r: &Run) {
    assert!(matches!(r.code, 0..=2), "exit {}\n{}", r.code, r.all());
    assert!(!r.stderr.contains("panicked"), "{}", r.all());
}

#[test]
fn huge_retention_years_does_not_overflow() {
    let (_d, repo) = scratch_with("upkeep", |t| t.replace("retention_years = 31", "retention_years = 4000000000"));
    let r = senco(&repo, &["archive", "--due-for-deletion"]);
    no_panic(&r);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("0 archived record(s) past their retention date (date of birth + 4000000000 years"));
}

#[test]
fn age_of_majority_zero_or_huge_does_not_overflow() {
    for n in ["0", "4000000000"] {
        let (_d, repo) = scratch_with("query-us", |t| format!("{t}\n[jurisdiction]\nage_of_majority = {n}\n"));
        for args in [&["check"][..], &["render", "checklist"]] {
            let r = senco(&repo, args);
            no_panic(&r);
            assert!(r.stdout.contains("US-IEP-ANNUAL"), "age_of_majority = {n}, {args:?}:\n{}", r.all());
        }
    }
}

#[test]
fn rollover_refuses_a_year_group_it_cannot_add_one_to() {
    let (_d, repo) = scratch_with("upkeep", |t| t);
    let pupil = repo.join("pupils/ben-carter/pupil.yaml");
    let text = std::fs::read_to_string(&pupil).unwrap().replace("year_group: 9", "year_group: 9223372036854775807");
    std::fs::write(&pupil, text).unwrap();
    let before = tree(&repo);
    let r = senco_in(&repo, &["-C", repo.to_str().unwrap(), "--today", "2026-07-20", "rollover"]);
    no_panic(&r);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("`year_group: 9223372036854775807` is too large to move up a year"), "{}", r.all());
    assert!(tree(&repo) == before, "nothing written");
}

#[test]
fn init_with_a_quote_in_the_school_name_makes_a_repository_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("new");
    let name = "St Mary's \"Star\" School";
    let r = senco_in(dir.path(), &["--today", TODAY, "init", repo.to_str().unwrap(), "--name", name]);
    assert_eq!(r.code, 0, "{}", r.all());
    let toml = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    assert!(toml.contains(r#"name = "St Mary's \"Star\" School""#), "{toml}");
    let r = senco(&repo, &["check"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stdout.contains("bad-settings"), "{}", r.all());
}

#[test]
fn new_review_near_the_last_writable_date_leaves_next_review_blank() {
    let (_d, repo) = scratch_with("upkeep", |t| t);
    let r = senco(&repo, &["new-review", "ava-brown", "--date", "9999-12-31"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let text = std::fs::read_to_string(repo.join("pupils/ava-brown/reviews/9999-12-31.yaml")).unwrap();
    assert!(text.contains("\nnext_review: "), "{text}");
    assert!(!text.contains("+10000"), "{text}");
}

#[test]
fn rollover_refuses_a_new_year_past_9999_instead_of_writing_an_unreadable_senco_toml() {
    let (_d, repo) = scratch_with("upkeep", |t| {
        t.replace("year_start = 2025-09-03", "year_start = 9999-01-04")
            .replace("year_end = 2026-07-22", "year_end = 9999-07-22")
            .replace("terms = [", "terms_old = [")
            .replace("[reviews]", "terms = []\n\n[reviews]")
    });
    // Drop the old terms so only the year dates matter.
    let toml = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    let start = toml.find("terms_old = [").unwrap();
    let end = start + toml[start..].find("]\n").unwrap() + 2;
    std::fs::write(repo.join("senco.toml"), format!("{}{}", &toml[..start], &toml[end..])).unwrap();
    assert_eq!(senco_in(&repo, &["-C", repo.to_str().unwrap(), "--today", "9999-07-20", "check"]).code, 0);
    let before = tree(&repo);
    let r = senco_in(&repo, &["-C", repo.to_str().unwrap(), "--today", "9999-07-20", "rollover"]);
    no_panic(&r);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("past 9999-12-31, the last date senco.toml can hold"), "{}", r.all());
    assert!(tree(&repo) == before, "nothing written");
    let r = senco_in(&repo, &["-C", repo.to_str().unwrap(), "--today", "9999-07-20", "check"]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn new_pupil_keeps_a_comma_or_newline_in_a_name() {
    let (_d, repo) = scratch_with("upkeep", |t| t);
    for (id, first) in [("zz-comma", "Smith, Jr"), ("zz-newline", "Ann\nsupport: x")] {
        let args = ["new-pupil", "--id", id, "--first", first, "--last", "Lee", "--dob", "2018-01-01", "--year", "3"];
        let r = senco(&repo, &[&args[..], &["--level", "sen-support", "--class", "3{B}"]].concat());
        assert_eq!(r.code, 0, "{}", r.all());
        let r = senco(&repo, &["show", id, "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.all());
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert!(r.stdout.contains(&serde_json::to_string(first).unwrap()), "{first:?} in {v}");
        assert!(r.stdout.contains("\"3{B}\""), "{v}");
    }
    let r = senco(&repo, &["check"]);
    let bad: Vec<&str> = r.stdout.lines().filter(|l| l.contains("pupils/zz-") && l.contains("error[")).collect();
    assert!(bad.is_empty(), "{}", r.all());
}

#[test]
fn a_calendar_that_ends_before_it_starts_is_a_settings_error_not_silently_zero_costs() {
    let (_d, repo) = scratch_with("upkeep", |t| t.replace("year_end = 2026-07-22", "year_end = 2025-01-01"));
    let r = senco(&repo, &["check"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains(
            "senco.toml:12:12: error[bad-settings]: [calendar] year_end 2025-01-01 is before year_start 2025-09-03"
        ),
        "{}",
        r.all()
    );
    let (_d, repo) = scratch_with("upkeep", |t| {
        t.replace("start = 2026-01-05, end = 2026-03-27", "start = 2026-03-27, end = 2026-01-05")
    });
    let r = senco(&repo, &["list"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("term `Spring` ends on 2026-01-05 before it starts on 2026-03-27"), "{}", r.all());
}
