//! `senco new-review`, `rollover`, `archive` and `restore` on scratch copies
//! of `tests/fixtures/upkeep`, a repository of hand-commented records (CRLF
//! line endings, quotes, flow maps, `x-` keys, a file with no final newline).
//! The safety promises are checked byte for byte.

use crate::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch copy of the upkeep fixture.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("records");
    copy_dir(&fixture("upkeep"), &repo);
    (dir, repo)
}

fn run_env(repo: &Path, today: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_senco"));
    cmd.args(["-C", repo.to_str().unwrap(), "--today", today])
        .args(args)
        .current_dir(repo)
        .env_remove("SENCO_TODAY")
        .env_remove("SENCO_FAIL_AFTER_WRITES")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run senco");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// The last day of the fixture's year is 2026-07-22: roll over just before.
const JULY: &str = "2026-07-20";

fn run(repo: &Path, today: &str, args: &[&str]) -> Run {
    run_env(repo, today, args, &[])
}

/// Snapshots show carriage returns, so CRLF files are visibly kept.
fn visible(s: &str) -> String {
    s.replace('\r', "\\r")
}

fn read(repo: &Path, rel: &str) -> String {
    String::from_utf8(std::fs::read(repo.join(rel)).unwrap()).unwrap()
}

fn original(rel: &str) -> String {
    read(&fixture("upkeep"), rel)
}

/// Asserts two trees are byte-identical, naming the files that differ.
#[track_caller]
fn same_tree(repo: &Path, before: &std::collections::BTreeMap<String, Vec<u8>>, what: &str) {
    let after = tree(repo);
    let differ: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| {
            let show = |t: Option<&Vec<u8>>| t.map_or("<absent>".to_string(), |b| visible(&String::from_utf8_lossy(b)));
            format!("{k}:\n--- before\n{}\n--- after\n{}", show(before.get(k)), show(after.get(k)))
        })
        .collect();
    assert!(differ.is_empty(), "{what}: files differ:\n{}", differ.join("\n"));
}

fn no_errors(repo: &Path) {
    let r = run(repo, TODAY, &["check", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.all());
}

// ---------------------------------------------------------------- new-review

#[test]
fn new_review_of_an_ehc_plan_is_prefilled_and_passes_check() {
    let (_d, repo) = scratch();
    let r = run(&repo, TODAY, &["new-review", "ben", "--date", "2026-12-09", "--slug", "annual"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let rel = "pupils/ben-carter/reviews/2026-12-09-annual.yaml";
    let text = read(&repo, rel);
    insta::assert_snapshot!("new-review-ehcp-output", r.all());
    insta::assert_snapshot!("new-review-ehcp-file", text);
    // Every open target, the statutory dates, Year 9 preparing for adulthood.
    assert!(text.contains("  - target: ask-for-help"));
    assert!(text.contains("next_review: 2027-12-08 "), "within 12 months");
    assert!(text.contains("invitations_sent:                    # by 2026-11-25"));
    assert!(text.contains("report_sent:                         # by 2026-12-23"));
    assert!(text.contains("la_decision:                         # by 2027-01-06"));
    assert!(text.contains("preparing_for_adulthood:"));
    assert!(text.contains("  - { name: Mr T. Hale, role: carer }"));
    no_errors(&repo);
}

#[test]
fn new_review_of_sen_support_lists_only_open_targets() {
    let (_d, repo) = scratch();
    let r = run(&repo, TODAY, &["new-review", "ava-brown"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let text = read(&repo, "pupils/ava-brown/reviews/2026-11-24.yaml");
    insta::assert_snapshot!("new-review-support-file", text);
    assert!(text.contains("kind: termly"));
    assert!(text.contains("  - target: hfw-40") && text.contains("  - target: blending"));
    assert!(!text.contains("letter-sounds"), "achieved targets are not listed");
    assert!(text.contains("next_review: 2027-02-16 "), "12 weeks later");
    assert!(!text.contains("invited:"), "no statutory block for a termly review");
    assert!(text.contains("{ name: Mr J. Brown, role: parent }"));
    assert!(!text.contains("Mrs P. Brown"), "no parental responsibility, not pre-filled");
    no_errors(&repo);
    // The new review is now the pupil's latest, so check reads it: it has no
    // voices yet, which is a warning, never an error.
    let c = run(&repo, TODAY, &["check"]);
    assert!(c.stdout.contains("no-voice"), "{}", c.stdout);
}

#[test]
fn new_review_refuses_an_existing_file_and_bad_input() {
    let (_d, repo) = scratch();
    let before = tree(&repo);
    let r = run(&repo, TODAY, &["new-review", "ava-brown", "--date", "2026-10-14"]);
    assert_eq!(r.code, 2);
    same_tree(&repo, &before, "unchanged");
    let r2 = run(&repo, TODAY, &["new-review", "ava-brown", "--slug", "Bad Slug"]);
    assert_eq!(r2.code, 2);
    let r3 = run(&repo, TODAY, &["new-review", "nobody"]);
    assert_eq!(r3.code, 2);
    same_tree(&repo, &before, "unchanged");
    insta::assert_snapshot!("new-review-refusals", format!("{}\n{}\n{}", r.all(), r2.all(), r3.all()));
}

#[test]
fn commands_refuse_outside_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["new-review", "ava"][..], &["rollover"], &["archive", "--due-for-deletion"], &["restore", "x"]] {
        let r = run(dir.path(), TODAY, args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains("not a senco records repository"), "{}", r.stderr);
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

// ------------------------------------------------------------------ rollover

#[test]
fn rollover_dry_run_shows_diffs_and_writes_nothing() {
    let (_d, repo) = scratch();
    let before = tree(&repo);
    let r = run(&repo, JULY, &["rollover", "--dry-run", "--archive-leavers"]);
    assert_eq!(r.code, 0, "{}", r.all());
    same_tree(&repo, &before, "a dry run writes nothing");
    insta::assert_snapshot!("rollover-dry-run", visible(&r.all()));
}

#[test]
fn rollover_changes_only_the_values_it_must() {
    let (_d, repo) = scratch();
    let r = run(&repo, JULY, &["rollover"]);
    assert_eq!(r.code, 0, "{}", r.all());
    insta::assert_snapshot!("rollover", r.all());
    // Byte for byte: only the year group moves, in a CRLF file full of
    // comments, quotes, flow maps and x- keys.
    let ava = "pupils/ava-brown/pupil.yaml";
    assert_eq!(read(&repo, ava), original(ava).replace("year_group: 3 ", "year_group: 4 "));
    assert!(read(&repo, ava).contains("\r\nx-notes: { lunch: \"early sitting\", seat: front }\r\n"));
    let ben = "pupils/ben-carter/pupil.yaml";
    assert_eq!(read(&repo, ben), original(ben).replace("year_group: 9   #", "year_group: 10   #"));
    // The leaver stays as she was (no --archive-leavers).
    let cara = "pupils/cara-diaz/pupil.yaml";
    assert_eq!(read(&repo, cara), original(cara));
    let toml = original("senco.toml");
    let expected = toml
        .replace("year_start = 2025-09-03", "year_start = 2026-09-02")
        .replace("year_end = 2026-07-22", "year_end = 2027-07-21")
        .replace("start = 2025-09-03, end = 2025-12-19", "start = 2026-09-02, end = 2026-12-18")
        .replace("start = 2026-01-05, end = 2026-03-27", "start = 2027-01-04, end = 2027-03-26")
        .replace("start = 2026-04-13, end = 2026-07-22", "start = 2027-04-12, end = 2027-07-21")
        // The ending year is kept for school days counted back into it.
        + "\n[[calendar.past]]                   # kept by rollover: school days counted back into this year\n\
           year_start = 2025-09-03\nyear_end = 2026-07-22\nterms = [\n\
           \x20 { name = \"Autumn\", start = 2025-09-03, end = 2025-12-19 },\n\
           \x20 { name = \"Spring\", start = 2026-01-05, end = 2026-03-27 },\n\
           \x20 { name = \"Summer\", start = 2026-04-13, end = 2026-07-22 },\n]\n";
    assert_eq!(read(&repo, "senco.toml"), expected);
    // Nothing else changed, nothing was left behind.
    let after = tree(&repo);
    let before = tree(&fixture("upkeep"));
    let changed: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert_eq!(changed, ["pupils/ava-brown/pupil.yaml", "pupils/ben-carter/pupil.yaml", "senco.toml"]);
    assert_eq!(after.len(), before.len());
    no_errors(&repo);
}

#[test]
fn rollover_twice_is_refused() {
    let (_d, repo) = scratch();
    assert_eq!(run(&repo, JULY, &["rollover"]).code, 0);
    let once = tree(&repo);
    let again = run(&repo, JULY, &["rollover"]);
    let same_year = run(&repo, "2026-09-10", &["rollover", "--year-start", "2026-09-02", "--force"]);
    assert_eq!((again.code, same_year.code), (2, 2));
    same_tree(&repo, &once, "unchanged");
    // Later in the new year, without --force: too early.
    let early = run(&repo, "2026-11-24", &["rollover"]);
    assert_eq!(early.code, 2);
    same_tree(&repo, &once, "unchanged");
    insta::assert_snapshot!("rollover-refused", format!("{}\n{}\n{}", again.all(), same_year.all(), early.all()));
}

#[test]
fn rollover_with_given_dates_and_terms_flags_nothing() {
    let (d, repo) = scratch();
    let terms = d.path().join("terms-2026.toml");
    std::fs::write(
        &terms,
        "# from the county's term dates\nterms = [\n  { name = \"Autumn\", start = 2026-09-03, end = 2026-10-23 },\n  { name = \"Autumn 2\", start = 2026-11-02, end = 2026-12-18 },\n  { name = \"Spring\", start = 2027-01-05, end = 2027-03-26 },\n  { name = \"Summer\", start = 2027-04-12, end = 2027-07-20 },\n]\n",
    )
    .unwrap();
    let r = run(
        &repo,
        JULY,
        &["rollover", "--year-start", "2026-09-03", "--year-end", "2027-07-20", "--terms", terms.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stderr.contains("confirm"), "{}", r.stderr);
    assert!(r.stderr.contains("the `terms` list was written afresh"), "{}", r.stderr);
    insta::assert_snapshot!("rollover-given-calendar", read(&repo, "senco.toml"));
    no_errors(&repo);
}

#[test]
fn rollover_archives_leavers_and_without_last_year_group_nobody_leaves() {
    let (_d, repo) = scratch();
    let r = run(&repo, JULY, &["rollover", "--archive-leavers"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!repo.join("pupils/cara-diaz").exists());
    let cara = read(&repo, "archive/cara-diaz/pupil.yaml");
    assert_eq!(cara, format!("{}\nleft: 2026-07-22", original("pupils/cara-diaz/pupil.yaml")));
    no_errors(&repo);

    let (_d2, repo2) = scratch();
    let toml = read(&repo2, "senco.toml").replace("last_year_group = 6               # Year 6 leave at rollover\n", "");
    std::fs::write(repo2.join("senco.toml"), toml).unwrap();
    let r2 = run(&repo2, JULY, &["rollover", "--archive-leavers"]);
    assert_eq!(r2.code, 0, "{}", r2.all());
    assert!(r2.stderr.contains("no leavers: school.last_year_group is not set"), "{}", r2.stderr);
    assert!(read(&repo2, "pupils/cara-diaz/pupil.yaml").contains("year_group: 7\n"));
}

#[test]
fn rollover_failing_part_way_leaves_the_repository_exactly_as_it_was() {
    // 4 files staged, 4 renamed, 1 folder moved: 9 steps; fail after each.
    for n in 0..9 {
        let (_d, repo) = scratch();
        let before = tree(&repo);
        let n = n.to_string();
        let r = run_env(&repo, JULY, &["rollover", "--archive-leavers"], &[("SENCO_FAIL_AFTER_WRITES", &n)]);
        assert_eq!(r.code, 2, "{}", r.all());
        assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
        same_tree(&repo, &before, "failing after {n} steps");
        if n == "5" {
            insta::assert_snapshot!("rollover-injected-failure", r.all());
        }
    }
    // And with enough steps allowed, the same run succeeds.
    let (_d, repo) = scratch();
    let r = run_env(&repo, JULY, &["rollover", "--archive-leavers"], &[("SENCO_FAIL_AFTER_WRITES", "9")]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn a_failure_after_a_leavers_folder_moved_still_undoes_everything() {
    // Two leavers: a failure at the second folder move must follow the
    // first (its pupil.yaml rewritten, then moved) back, never blame
    // "someone else" for the moved file.
    let mut n = 0;
    loop {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("oak");
        copy_dir(&crate::oakfield(), &repo);
        let before = tree(&repo);
        let r = run_env(
            &repo,
            "2027-07-20",
            &["rollover", "--archive-leavers"],
            &[("SENCO_FAIL_AFTER_WRITES", &n.to_string())],
        );
        if r.code == 0 {
            assert!(n > 30, "the whole rollover took only {n} writes");
            break;
        }
        assert_eq!(r.code, 2, "after {n} writes: {}", r.all());
        assert!(r.stderr.contains("nothing was changed"), "after {n} writes: {}", r.stderr);
        same_tree(&repo, &before, &format!("failing after {n} writes"));
        n += 1;
        assert!(n < 200, "never finished");
    }
}

#[test]
fn rollover_refuses_a_record_with_a_broken_year_group() {
    let (_d, repo) = scratch();
    let rel = "pupils/ben-carter/pupil.yaml";
    std::fs::write(repo.join(rel), read(&repo, rel).replace("year_group: 9 ", "year_group: \"9\" ")).unwrap();
    let before = tree(&repo);
    let r = run(&repo, JULY, &["rollover"]);
    assert_eq!(r.code, 2);
    same_tree(&repo, &before, "unchanged");
    insta::assert_snapshot!("rollover-bad-record", r.all());
}

// ------------------------------------------------------- archive and restore

#[test]
fn archive_then_restore_gives_back_the_identical_tree() {
    let (_d, repo) = scratch();
    let before = tree(&repo);
    let mut outputs = String::new();
    for (id, extra) in [
        ("cara-diaz", &["--destination", "Northfield High School, Year 7"][..]),
        ("ava-brown", &[][..]),
        ("ben-carter", &["--destination", "Elm Tree Secondary"][..]),
    ] {
        let mut args = vec!["archive", id, "--left", "2026-07-22"];
        args.extend_from_slice(extra);
        let r = run(&repo, TODAY, &args);
        assert_eq!(r.code, 0, "{}", r.all());
        outputs.push_str(&r.all());
        assert!(!repo.join("pupils").join(id).exists());
        let text = read(&repo, &format!("archive/{id}/pupil.yaml"));
        outputs.push_str(&format!("--- archive/{id}/pupil.yaml\n{}\n", visible(&text)));
    }
    insta::assert_snapshot!("archive", outputs);
    // Ava's CRLF file gained a CRLF line; Cara's file had no final newline.
    assert!(read(&repo, "archive/ava-brown/pupil.yaml").ends_with("\r\nleft: 2026-07-22\r\n"));
    assert!(read(&repo, "archive/cara-diaz/pupil.yaml")
        .ends_with("chess club\nleft: 2026-07-22\ndestination: Northfield High School, Year 7"));
    no_errors(&repo);
    let list = run(&repo, TODAY, &["check"]);
    assert!(!list.stdout.contains("pupils/ava-brown"), "archived pupils are not on roll");

    for id in ["cara", "ava", "ben"] {
        let r = run(&repo, TODAY, &["restore", id]);
        assert_eq!(r.code, 0, "{}", r.all());
    }
    same_tree(&repo, &before, "archive then restore is the identity");
}

#[test]
fn archive_refusals_change_nothing() {
    let (_d, repo) = scratch();
    // A pupil already marked as left, and an id already in the archive.
    let rel = "pupils/ava-brown/pupil.yaml";
    std::fs::write(repo.join(rel), format!("{}left: 2026-07-01\r\n", read(&repo, rel))).unwrap();
    copy_dir(&repo.join("pupils/ben-carter"), &repo.join("archive/ben-carter"));
    std::fs::write(
        repo.join("archive/ben-carter/pupil.yaml"),
        read(&repo, "archive/ben-carter/pupil.yaml").replace("id: ben-carter", "id: ben-carter\nleft: 2026-01-01"),
    )
    .unwrap();
    let before = tree(&repo);
    let a = run(&repo, TODAY, &["archive", "ava", "--left", "2026-07-22"]);
    let b = run(&repo, TODAY, &["archive", "ben-carter", "--left", "2026-07-22"]);
    let c = run(&repo, TODAY, &["restore", "ben-carter"]);
    let d = run(&repo, TODAY, &["archive", "ava"]);
    assert_eq!((a.code, b.code, c.code, d.code), (2, 2, 2, 2));
    same_tree(&repo, &before, "unchanged");
    insta::assert_snapshot!("archive-refusals", format!("{}\n{}\n{}\n{}", a.all(), b.all(), c.all(), d.all()));
}

#[test]
fn archive_due_for_deletion_lists_records_past_retention() {
    let r = run(&fixture("upkeep"), TODAY, &["archive", "--due-for-deletion"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("old-pupil") && !r.stdout.contains("recent-pupil"), "{}", r.stdout);
    insta::assert_snapshot!("archive-due-for-deletion", r.all());
}

// ----------------------------------------------------------------------- git

fn git(repo: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn uncommitted_changes_warn_or_refuse_with_require_clean() {
    let (_d, repo) = scratch();
    if !git(&repo, &["init", "-q"]) || !git(&repo, &["add", "-A"]) || !git(&repo, &["commit", "-qm", "records"]) {
        eprintln!("git is not available; skipping");
        return;
    }
    let rel = "pupils/ben-carter/pupil.yaml";
    std::fs::write(repo.join(rel), format!("{}# an uncommitted note\n", read(&repo, rel))).unwrap();
    let before = tree(&repo);
    let refused = run(&repo, JULY, &["rollover", "--require-clean"]);
    assert_eq!(refused.code, 2, "{}", refused.all());
    same_tree(&repo, &before, "unchanged");
    let warned = run(&repo, JULY, &["rollover"]);
    assert_eq!(warned.code, 0, "{}", warned.all());
    assert!(warned.stderr.starts_with("warning: these files have uncommitted changes"), "{}", warned.stderr);
    assert!(warned.stderr.contains("\n  pupils/ben-carter/pupil.yaml\n"), "{}", warned.stderr);
    // A clean file elsewhere is not mentioned.
    assert!(!warned.stderr.contains("  pupils/ava-brown/pupil.yaml\n"), "{}", warned.stderr);
    insta::assert_snapshot!("git-require-clean", refused.all());
}
