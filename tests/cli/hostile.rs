//! Nothing lost, nothing leaked, nobody missed: a pupil who cannot be read is
//! said in every query and document; hostile files (FIFOs, links outside,
//! huge files, many keys, control characters) cost bounded time and give a
//! clear finding; no command shows a UPN without `--show-upn`.

use crate::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A copy of the example school to break.
fn school() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    copy_dir(&oakfield(), &repo);
    (dir, repo)
}

/// The example school with Theo's pupil.yaml broken: his annual review is
/// overdue, so a query that drops him silently hides it.
fn school_with_theo_unreadable() -> (tempfile::TempDir, PathBuf) {
    let (dir, repo) = school();
    let p = repo.join("pupils/theo-clarke/pupil.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("name:", "name: [unclosed\nname:", 1)).unwrap();
    (dir, repo)
}

const THEO: &str = "pupils/theo-clarke/pupil.yaml";

fn says_theo_on_stderr(r: &Run, what: &str) {
    assert!(
        r.stderr.contains("warning: pupil `theo-clarke` could not be read") && r.stderr.contains(THEO),
        "{what}: {}",
        r.all()
    );
}

#[test]
fn review_due_names_the_unreadable_pupil_and_fails_unless_partial() {
    let (_d, repo) = school_with_theo_unreadable();
    let r = senco(&repo, &["review-due"]);
    assert_eq!(r.code, 1, "{}", r.all());
    says_theo_on_stderr(&r, "review-due");
    assert!(r.stdout.contains("1 pupil could not be read (theo-clarke)"), "{}", r.all());
    assert!(r.stderr.contains("--partial"), "{}", r.all());
    let p = senco(&repo, &["review-due", "--partial"]);
    assert_eq!(p.code, 0, "{}", p.all());
    says_theo_on_stderr(&p, "review-due --partial");
    assert_eq!(p.stdout, r.stdout);
    // The whole school read: no note, exit 0.
    let ok = senco(&oakfield(), &["review-due"]);
    assert_eq!(ok.code, 0, "{}", ok.all());
    assert!(!ok.stdout.contains("could not be read") && ok.stderr.is_empty(), "{}", ok.all());
}

#[test]
fn every_query_and_format_says_who_could_not_be_read() {
    let (_d, repo) = school_with_theo_unreadable();
    let queries: &[&[&str]] = &[
        &["review-due", "--partial"],
        &["list"],
        &["list", "--all-levels"],
        &["stats"],
        &["caseload"],
        &["impact"],
        &["census"],
    ];
    for q in queries {
        for format in ["table", "json", "csv", "markdown"] {
            let mut args = q.to_vec();
            args.extend(["--format", format]);
            let r = senco(&repo, &args);
            let what = args.join(" ");
            assert!(r.code == 0 || (q[0] == "census" && r.code == 1), "{what}: {}", r.all());
            says_theo_on_stderr(&r, &what);
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
                let u = &v["unreadable"];
                assert_eq!(u[0]["pupil"], "theo-clarke", "{what}: {}", r.stdout);
                assert_eq!(u[0]["files"][0], THEO, "{what}: {}", r.stdout);
                assert_eq!(u[0]["archived"], false, "{what}");
            } else {
                assert!(r.stdout.contains("1 pupil could not be read (theo-clarke)"), "{what}: {}", r.all());
            }
        }
    }
    // HTML pages say it too.
    let r = senco(&repo, &["impact", "--format", "html"]);
    assert!(r.stdout.contains("class=\"senco-unreadable\""), "{}", r.all());
    says_theo_on_stderr(&r, "impact html");
}

#[test]
fn a_query_about_one_readable_pupil_is_not_marked_incomplete() {
    let (_d, repo) = school_with_theo_unreadable();
    let r = senco(&repo, &["show", "ava-brown", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.is_empty(), "{}", r.all());
    assert!(!r.stdout.contains("unreadable"), "{}", r.all());
    // The unreadable pupil themselves: a clear error naming the file.
    let r = senco(&repo, &["show", "theo-clarke"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains(THEO), "{}", r.all());
    for args in
        [&["render", "plan", "theo-clarke"][..], &["progress", "theo-clarke"], &["render", "checklist", "theo-clarke"]]
    {
        let r = senco(&repo, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(&format!("`{THEO}` could not be read")) && r.stdout.is_empty(), "{}", r.all());
    }
    // One file of a pupil broken: their own page says so.
    let (_d2, repo2) = school();
    std::fs::write(repo2.join("pupils/ava-brown/needs.yaml"), "- id: [\n").unwrap();
    let r = senco(&repo2, &["show", "ava-brown"]);
    assert!(r.stdout.contains("1 pupil could not be read (ava-brown)"), "{}", r.all());
    assert!(r.stderr.contains("pupils/ava-brown/needs.yaml"), "{}", r.all());
    let r = senco(&repo2, &["render", "plan", "ava-brown"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("Part of this pupil's records could not be read"), "{}", r.all());
    assert!(!r.stdout.contains("needs.yaml"), "documents name no files: {}", r.stdout);
}

#[test]
fn documents_about_the_whole_school_say_so_in_plain_words() {
    let (_d, repo) = school_with_theo_unreadable();
    for args in [
        &["render", "provision-map"][..],
        &["render", "provision-map", "--format", "html"],
        &["render", "checklist"],
        &["render", "class", "4B"],
    ] {
        let r = senco(&repo, args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.all());
        says_theo_on_stderr(&r, &args.join(" "));
        assert!(r.stdout.contains("The records of 1 pupil could not be read"), "{args:?}: {}", r.stdout);
        assert!(!r.stdout.contains("theo-clarke") && !r.stdout.contains("pupil.yaml"), "{args:?}");
    }
}

#[test]
fn a_class_of_only_unreadable_pupils_names_them() {
    // leah-ford, alone in 7S, has a broken pupil.yaml: "nobody is in 7S"
    // would hide her.
    let r = senco(&fixture("unreadable-pupil"), &["render", "class", "7S"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("warning: pupil `leah-ford` could not be read (`pupils/leah-ford/pupil.yaml`)"),
        "{}",
        r.all()
    );
    assert!(
        r.stderr.contains(
            "error: no pupil on the register is in class `7S`, but 1 pupil could not be read (leah-ford) and may be in it"
        ),
        "{}",
        r.all()
    );
}

#[test]
fn render_all_notes_what_each_single_render_notes() {
    // A pupil with one broken file: their file from `--all` is the single
    // render's, note and all.
    let out = tempfile::tempdir().unwrap();
    let repo = fixture("bad-yaml-syntax");
    let all = senco(&repo, &["render", "plan", "--all", "--out-dir", out.path().to_str().unwrap()]);
    assert_eq!(all.code, 0, "{}", all.all());
    assert!(all.stderr.contains("warning: pupil `ava-brown` could not be read"), "{}", all.all());
    let one = senco(&repo, &["render", "plan", "ava-brown"]);
    let written = std::fs::read_to_string(out.path().join("ava-brown-plan.md")).unwrap();
    assert!(written.contains("Part of this pupil's records could not be read"), "{written}");
    assert_eq!(written, one.stdout);
    // A pupil with no readable pupil.yaml has no file: said with the count.
    let out = tempfile::tempdir().unwrap();
    let all =
        senco(&fixture("unreadable-pupil"), &["render", "plan", "--all", "--out-dir", out.path().to_str().unwrap()]);
    assert_eq!(all.code, 0, "{}", all.all());
    assert!(all.stderr.contains("warning: pupil `leah-ford` could not be read"), "{}", all.all());
    assert!(all.stderr.contains("; none for 1 pupil(s) who could not be read (named above)"), "{}", all.all());
    assert!(!out.path().join("leah-ford-plan.md").exists());
}

#[test]
fn a_broken_review_file_counts_as_unreadable() {
    let (_d, repo) = school();
    let dir = repo.join("pupils/theo-clarke/reviews");
    let name = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().file_name();
    std::fs::write(dir.join(&name), "date: [\n").unwrap();
    let r = senco(&repo, &["review-due"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains(&format!("pupils/theo-clarke/reviews/{}", name.to_string_lossy())), "{}", r.all());
}

// ------------------------------------------------------------ hostile files

/// Runs senco with a time limit: a hang is a failure, not a stuck test.
fn senco_timed(repo: &Path, args: &[&str], limit: Duration) -> (Run, Duration) {
    let t0 = Instant::now();
    let mut all = vec!["-C", repo.to_str().unwrap(), "--today", TODAY];
    all.extend_from_slice(args);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(&all)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes on threads so a large output never blocks the child.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut so, &mut v).ok();
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut se, &mut v).ok();
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed() > limit {
            child.kill().ok();
            panic!("senco {args:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
        code: status.code().unwrap_or(-1),
    };
    (run, t0.elapsed())
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_a_record_is_refused_without_hanging() {
    let (_d, repo) = school();
    let p = repo.join("pupils/ava-brown/needs.yaml");
    std::fs::remove_file(&p).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&p).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let review = repo.join("pupils/ava-brown/reviews/2027-01-01.yaml");
    std::process::Command::new("mkfifo").arg(&review).status().unwrap();
    let (r, _) = senco_timed(&repo, &["check"], Duration::from_secs(30));
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("pupils/ava-brown/needs.yaml: error[unreadable-file]: `pupils/ava-brown/needs.yaml` is a named pipe (FIFO), not a regular file"), "{}", r.all());
    assert!(r.stdout.contains("reviews/2027-01-01.yaml` is a named pipe"), "{}", r.all());
    let (r, _) = senco_timed(&repo, &["list"], Duration::from_secs(30));
    assert!(r.stderr.contains("pupil `ava-brown` could not be read"), "{}", r.all());
}

#[cfg(unix)]
#[test]
fn a_fifo_never_blocks_a_writer_or_a_template() {
    // Each writer reads the files it changes through the loader's bounded
    // reader: a FIFO in place of pupil.yaml, catalogue.yaml, a log or a
    // template is refused by name, never opened (it would block for ever).
    let fifo = |p: &std::path::Path| {
        let _ = std::fs::remove_file(p);
        std::process::Command::new("mkfifo").arg(p).status().is_ok_and(|s| s.success())
    };
    let cases: &[(&str, &[&str])] = &[
        ("pupils/ava-brown/pupil.yaml", &["archive", "ava-brown", "--left", "2026-11-01"]),
        ("pupils/ava-brown/pupil.yaml", &["rollover", "--dry-run", "--force"]),
        ("pupils/ava-brown/log.yaml", &["log", "ava-brown", "--kind", "meeting", "Met"]),
        ("catalogue.yaml", &["transfer", "out", "zain-ahmed", "-o", "pack-out"]),
        ("templates/plan.md.j2", &["render", "plan", "zain-ahmed"]),
    ];
    for (file, args) in cases {
        let (_d, repo) = school();
        if let Some(dir) = repo.join(file).parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        if !fifo(&repo.join(file)) {
            return;
        }
        let (r, _) = senco_timed(&repo, args, Duration::from_secs(30));
        assert_ne!(r.code, 0, "{args:?}: {}", r.all());
        let name = file.rsplit('/').next().unwrap();
        assert!(r.stderr.contains(name), "{args:?}: {}", r.all());
        assert!(r.stderr.contains("named pipe") || r.stderr.contains("could not be read"), "{args:?}: {}", r.all());
    }
}

#[cfg(unix)]
#[test]
fn archive_refuses_a_folder_whose_link_would_break_and_keeps_a_relative_one() {
    let (_d, repo) = school();
    let dir = repo.join("pupils/ava-brown");
    std::fs::rename(dir.join("pupil.yaml"), dir.join(".pupil-real.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.join(".pupil-real.yaml"), dir.join("pupil.yaml")).unwrap();
    assert_eq!(senco_timed(&repo, &["check"], Duration::from_secs(30)).0.code, 0);
    let before = tree(&repo);
    let (r, _) = senco_timed(&repo, &["archive", "ava-brown", "--left", "2026-11-01"], Duration::from_secs(30));
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("`pupils/ava-brown/pupil.yaml` is a link")
            && r.stderr.contains("`ln -sfnr pupils/ava-brown/.pupil-real.yaml pupils/ava-brown/pupil.yaml`"),
        "{}",
        r.all()
    );
    assert_eq!(tree(&repo), before);
    // A relative link that leaves the folder and comes back in by its name: the same.
    std::fs::remove_file(dir.join("pupil.yaml")).unwrap();
    std::os::unix::fs::symlink("../../pupils/ava-brown/.pupil-real.yaml", dir.join("pupil.yaml")).unwrap();
    let before = tree(&repo);
    let (r, _) = senco_timed(&repo, &["archive", "ava-brown", "--left", "2026-11-01"], Duration::from_secs(30));
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("would point at nothing"), "{}", r.all());
    assert_eq!(tree(&repo), before);
    // A relative link moves with its folder and still reads.
    std::fs::remove_file(dir.join("pupil.yaml")).unwrap();
    std::os::unix::fs::symlink(".pupil-real.yaml", dir.join("pupil.yaml")).unwrap();
    let (r, _) = senco_timed(&repo, &["archive", "ava-brown", "--left", "2026-11-01"], Duration::from_secs(30));
    assert_eq!(r.code, 0, "{}", r.all());
    let (r, _) = senco_timed(&repo, &["check"], Duration::from_secs(30));
    assert!(!r.stdout.contains("unreadable"), "{}", r.all());
}

#[cfg(unix)]
#[test]
fn a_fifo_journal_or_lock_stops_no_command_for_ever() {
    for rel in [".senco/journal.json", ".senco/lock"] {
        let (_d, repo) = school();
        std::fs::create_dir_all(repo.join(".senco")).unwrap();
        let made = std::process::Command::new("mkfifo").arg(repo.join(rel)).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        for args in [&["list"][..], &["archive", "ava-brown", "--left", "2026-11-01"], &["recover"]] {
            // Each ends (senco_timed fails on a hang); a reader needs no lock.
            let (r, _) = senco_timed(&repo, args, Duration::from_secs(30));
            if args[0] == "list" && rel.ends_with("lock") {
                assert_eq!(r.code, 0, "{rel} {args:?}: {}", r.all());
                continue;
            }
            assert_eq!(r.code, 2, "{rel} {args:?}: {}", r.all());
            assert!(r.stderr.contains(rel), "{rel} {args:?}: {}", r.all());
        }
    }
}

#[cfg(unix)]
#[test]
fn a_folder_linked_outside_is_refused_like_a_file() {
    // delivery/ and templates/ as links to folders outside the repository.
    let (d, repo) = school();
    let outside = d.path().join("elsewhere");
    copy_dir(&repo.join("delivery"), &outside.join("delivery"));
    std::fs::remove_dir_all(repo.join("delivery")).unwrap();
    std::os::unix::fs::symlink(outside.join("delivery"), repo.join("delivery")).unwrap();
    std::fs::create_dir_all(outside.join("templates")).unwrap();
    std::fs::write(outside.join("templates/plan.md.j2"), "OUTSIDE TEMPLATE\n").unwrap();
    std::os::unix::fs::symlink(outside.join("templates"), repo.join("templates")).unwrap();
    let (r, _) = senco_timed(&repo, &["check"], Duration::from_secs(30));
    assert!(r.stdout.contains("outside the repository"), "{}", r.all());
    let (r, _) = senco_timed(&repo, &["render", "plan", "ava-brown"], Duration::from_secs(30));
    assert!(!r.stdout.contains("OUTSIDE TEMPLATE"), "{}", r.all());
    assert_ne!(r.code, 0, "{}", r.all());
}

#[cfg(unix)]
#[test]
fn links_leading_outside_the_repository_are_refused() {
    let (d, repo) = school();
    let secret = d.path().join("secret.yaml");
    std::fs::write(&secret, "- id: stolen\n  area: cognition-and-learning\n").unwrap();
    let needs = repo.join("pupils/ava-brown/needs.yaml");
    std::fs::remove_file(&needs).unwrap();
    std::os::unix::fs::symlink(&secret, &needs).unwrap();
    // A whole pupil folder linked from elsewhere.
    let elsewhere = d.path().join("other-school-pupil");
    copy_dir(&repo.join("pupils/zain-ahmed"), &elsewhere);
    std::fs::remove_dir_all(repo.join("pupils/zain-ahmed")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, repo.join("pupils/zain-ahmed")).unwrap();
    // A link inside the repository is still read.
    std::fs::rename(repo.join("staff.yaml"), repo.join("staff-real.yaml")).unwrap();
    std::os::unix::fs::symlink(repo.join("staff-real.yaml"), repo.join("staff.yaml")).unwrap();

    let r = senco(&repo, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let msgs: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "unreadable-file")
        .map(|f| format!("{}: {}", f["file"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].starts_with("pupils/ava-brown/needs.yaml: `pupils/ava-brown/needs.yaml` is a link to"), "{msgs:?}");
    assert!(msgs[1].starts_with("pupils/zain-ahmed: `pupils/zain-ahmed` is a link to"), "{msgs:?}");
    assert!(msgs.iter().all(|m| m.contains("outside the repository")), "{msgs:?}");
    assert!(!r.stdout.contains("stolen"), "{}", r.stdout);
    let l = senco(&repo, &["list", "--all-levels"]);
    assert!(l.stderr.contains("pupil `zain-ahmed` could not be read"), "{}", l.all());
    assert!(l.stdout.contains("Mrs K. Jones") || l.stdout.contains("ava-brown"), "{}", l.all());
}

#[test]
fn a_huge_record_file_is_refused_and_the_limit_is_configurable() {
    let (_d, repo) = school();
    let p = repo.join("pupils/ava-brown/targets.yaml");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str(&format!("# {}\n", "x".repeat(2 * 1024 * 1024)));
    std::fs::write(&p, &text).unwrap();
    let (r, _) = senco_timed(&repo, &["check"], Duration::from_secs(30));
    assert!(
        r.stdout.contains("pupils/ava-brown/targets.yaml: error[unreadable-file]: the file is 2050 KB, larger than the limit of 1024 KB"),
        "{}",
        r.all()
    );
    assert!(r.stdout.contains("raise `max_file_kb` under `[limits]`"), "{}", r.all());
    let toml = repo.join("senco.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{settings}\n[limits]\nmax_file_kb = 4096\n")).unwrap();
    let (r, _) = senco_timed(&repo, &["check"], Duration::from_secs(30));
    assert!(!r.stdout.contains("larger than the limit"), "{}", r.all());
}

#[test]
fn many_keys_long_lines_and_deep_nesting_cost_bounded_time_and_output() {
    let (_d, repo) = school();
    let settings = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    std::fs::write(repo.join("senco.toml"), format!("{settings}\n[limits]\nmax_file_kb = 8192\n")).unwrap();
    // 100,000 keys, some repeated.
    let p = repo.join("pupils/ava-brown/pupil.yaml");
    let mut text = std::fs::read_to_string(&p).unwrap();
    for i in 0..100_000 {
        text.push_str(&format!("k{}: v\n", i % 90_000));
    }
    std::fs::write(&p, text).unwrap();
    // One 20 KB line with a finding every few characters.
    let line: Vec<String> = (0..2_500).map(|i| format!("k{i}: v")).collect();
    std::fs::write(repo.join("pupils/zain-ahmed/needs.yaml"), format!("- {{{}}}\n", line.join(", "))).unwrap();
    // Nesting far deeper than any record.
    std::fs::write(
        repo.join("pupils/leo-nowak/targets.yaml"),
        format!("- {}1{}\n", "[".repeat(200_000), "]".repeat(200_000)),
    )
    .unwrap();
    let (r, took) = senco_timed(&repo, &["check"], Duration::from_secs(120));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("appears twice"), "duplicates found");
    assert!(
        r.stdout.contains(
            "pupils/leo-nowak/targets.yaml:1:258: error[yaml-syntax]: invalid YAML: recursion limit exceeded"
        ),
        "deep nesting reported"
    );
    assert!(r.stdout.contains("never nested this deep"), "with a hint");
    // Output stays linear in the input: a quoted line is a bounded window.
    let biggest_line = r.stdout.lines().map(str::len).max().unwrap();
    assert!(biggest_line < 1_000, "a {biggest_line}-byte line of output");
    assert!(r.stdout.len() < 80_000_000, "{} bytes of output", r.stdout.len());
    eprintln!("hostile check: {took:?}, {} bytes of output", r.stdout.len());
}

#[test]
fn control_characters_in_folder_names_and_values_are_escaped() {
    let (_d, repo) = school();
    let bad = "evil\u{1b}]0;pwned\u{7}";
    std::fs::rename(repo.join("pupils/zain-ahmed"), repo.join(format!("pupils/{bad}"))).unwrap();
    let p = repo.join("pupils/ava-brown/pupil.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("class:", "x-\u{1b}[2J: 1\nclass:", 1)).unwrap();
    let q = repo.join("pupils/ava-brown/needs.yaml");
    let text = std::fs::read_to_string(&q).unwrap();
    std::fs::write(&q, format!("{text}- id: \"zz\\e[31m\"\n  area: \"bad\\e[2Jarea\"\n")).unwrap();
    for args in [
        &["check"][..],
        &["check", "--format", "github"],
        &["list", "--all-levels"],
        &["list", "--all-levels", "--format", "csv"],
        &["list", "--all-levels", "--format", "markdown"],
        &["review-due", "--partial"],
        &["show", "ava-brown"],
        &["render", "profile", "ava-brown"],
    ] {
        let r = senco(&repo, args);
        for (name, out) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{args:?} {name}: {out:?}");
        }
    }
    let r = senco(&repo, &["check"]);
    assert!(r.stdout.contains("pupils/evil\\u{1b}]0;pwned\\u{7}"), "{}", r.stdout);
}

#[test]
fn a_folder_name_with_control_characters_never_reaches_the_terminal_raw() {
    // Made here: a checkout on some systems cannot hold such names. Each
    // command that names the folder (its messages on stderr, its diffs and
    // titles on stdout) shows it escaped, on one line.
    for (bad, escaped) in [("esc\u{1b}[31mred", "esc\\u{1b}[31mred"), ("nl\nname", "nl\\nname")] {
        let out = tempfile::tempdir().unwrap();
        let pack = out.path().join("pack");
        let runs: Vec<Vec<&str>> = vec![
            vec!["new-review", bad, "--date", "2027-01-20"],
            vec!["log", "--kind", "phone", bad, "Phoned home"],
            vec!["archive", bad, "--left", "2026-11-01"],
            vec!["transfer", "out", bad, "-o", pack.to_str().unwrap()],
            vec!["rollover", "--dry-run", "--force"],
            vec!["rollover", "--force"],
            vec!["show", bad],
        ];
        let check = |args: &[&str], r: &Run| {
            let what = format!("{:?}", args.iter().map(|a| a.replace(bad, "BAD")).collect::<Vec<_>>());
            assert_eq!(r.code, 0, "{what}: {}", r.all());
            for (name, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
                assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{what} {name}: {text:?}");
                assert!(!text.lines().any(|l| l.starts_with("name")), "{what} {name} breaks a line: {text}");
            }
            assert!(r.stdout.contains(escaped) || r.stderr.contains(escaped), "{what}: {}", r.all());
        };
        for args in &runs {
            let (_d, repo) = school();
            std::fs::rename(repo.join("pupils/freya-hall"), repo.join("pupils").join(bad)).unwrap();
            check(args, &senco(&repo, args));
        }
        // The import's diff and its written lines: a pupil whose record it changes.
        for extra in ["--diff", "--apply"] {
            let dir = tempfile::tempdir().unwrap();
            let repo = dir.path().join("school");
            copy_dir(&fixture("roster-school"), &repo);
            std::fs::rename(repo.join("pupils/ava-brown"), repo.join("pupils").join(bad)).unwrap();
            let roster = fixture("roster-csv").join("sims.csv");
            let args = ["import", "roster", roster.to_str().unwrap(), extra];
            check(&args, &senco(&repo, &args));
        }
    }
}

#[test]
fn a_document_on_a_terminal_has_its_control_characters_escaped_and_a_file_keeps_them() {
    // A preferred name that would set the terminal's title and ring its bell.
    let (_d, repo) = school();
    let p = repo.join("pupils/ava-brown/pupil.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("preferred: Ava }", "preferred: \"F\\e]0;t\\a\" }", 1)).unwrap();
    let args = ["render", "plan", "ava-brown", "--format", "html"];
    // Piped (or written to a file) the document keeps its bytes.
    let piped = senco(&repo, &args);
    assert_eq!(piped.code, 0, "{}", piped.all());
    assert!(piped.stdout.contains("F\u{1b}]0;t\u{7}"), "{}", piped.stdout);
    // On a terminal (util-linux `script` gives the command one) it drives nothing.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("`script` is not installed: the terminal half of this test is skipped");
        return;
    }
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    for args in [&args[..], &["impact", "--format", "html"], &["progress", "ava-brown", "--format", "html"]] {
        let mut line = vec![quote(env!("CARGO_BIN_EXE_senco")), "-C".into(), quote(repo.to_str().unwrap())];
        line.extend(["--today".into(), TODAY.into()]);
        line.extend(args.iter().map(|a| quote(a)));
        let out = Command::new("script")
            .args(["-qec", &line.join(" "), "/dev/null"])
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}: {shown}");
        assert!(shown.contains("<html") || shown.contains("<!DOCTYPE"), "{args:?}: {shown}");
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'), "{args:?}: {shown:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_elsewhere_into_a_folder_that_moves_refuses_the_batch() {
    let (_d, repo) = school();
    let run = |args: &[&str]| senco_timed(&repo, args, Duration::from_secs(60)).0;
    // Theo's folder holds a link to a file of Ava's; Ava is archived.
    let link = repo.join("pupils/theo-clarke/ava-plan.yaml");
    std::os::unix::fs::symlink("../ava-brown/pupil.yaml", &link).unwrap();
    let before = tree(&repo);
    let r = run(&["archive", "ava-brown", "--left", "2026-11-01"]);
    assert_eq!(r.code, 2, "{}", r.all());
    for said in [
        "`pupils/theo-clarke/ava-plan.yaml` is a link to `../ava-brown/pupil.yaml`",
        "inside `pupils/ava-brown/`, which is moving to `archive/ava-brown/`",
        "cp -RL",
        "or remove it",
        "nothing was changed",
    ] {
        assert!(r.stderr.contains(said), "{said}: {}", r.all());
    }
    assert_eq!(tree(&repo), before);
    // The rollover's leavers: the same.
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("../leo-nowak/needs.yaml", &link).unwrap();
    let before = tree(&repo);
    let r = run(&["rollover", "--archive-leavers", "--force"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let said = "`pupils/theo-clarke/ava-plan.yaml` is a link to `../leo-nowak/needs.yaml`, inside `pupils/leo-nowak/`";
    assert!(r.stderr.contains(said), "{}", r.all());
    assert_eq!(tree(&repo), before);
    std::fs::remove_file(&link).unwrap();
    // Restoring: a link on roll into the archived folder, by its full path.
    let archived = repo.join("archive/maya-fox/pupil.yaml");
    std::os::unix::fs::symlink(&archived, repo.join("pupils/ava-brown/maya.yaml")).unwrap();
    let before = tree(&repo);
    let r = run(&["restore", "maya-fox"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("`pupils/ava-brown/maya.yaml` is a link to"), "{}", r.all());
    assert!(r.stderr.contains("inside `archive/maya-fox/`, which is moving to `pupils/maya-fox/`"), "{}", r.all());
    assert_eq!(tree(&repo), before);
    // Without the link, the same command moves the folder.
    std::fs::remove_file(repo.join("pupils/ava-brown/maya.yaml")).unwrap();
    let r = run(&["restore", "maya-fox"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(repo.join("pupils/maya-fox/pupil.yaml").is_file());
    // A link anywhere in the repository: at its top, in templates/, in a
    // folder of the school's own, to a file or to the folder itself.
    for (at, to) in [
        ("latest-ava", "pupils/ava-brown"),
        ("templates/ava.txt", "../pupils/ava-brown/pupil.yaml"),
        ("documents/ava", "../pupils/ava-brown"),
    ] {
        let link = repo.join(at);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        let before = tree(&repo);
        std::os::unix::fs::symlink(to, &link).unwrap();
        let r = run(&["archive", "ava-brown", "--left", "2026-11-01"]);
        assert_eq!(r.code, 2, "{at}: {}", r.all());
        let said =
            format!("`{at}` is a link to `{to}`, inside `pupils/ava-brown/`, which is moving to `archive/ava-brown/`");
        assert!(r.stderr.contains(&said) && r.stderr.contains("cp -RL"), "{at}: {}", r.all());
        std::fs::remove_file(&link).unwrap();
        assert_eq!(tree(&repo), before, "{at}");
    }
    // Between two leavers (Leo and Oliver). By its full path: refused, with
    // the relative link that would still lead there.
    let link = repo.join("pupils/oliver-green/leo-needs.yaml");
    std::os::unix::fs::symlink(repo.join("pupils/leo-nowak/needs.yaml"), &link).unwrap();
    let before = tree(&repo);
    let r = run(&["rollover", "--archive-leavers", "--force"]);
    assert_eq!(r.code, 2, "{}", r.all());
    for said in [
        "`pupils/oliver-green/leo-needs.yaml` is a link to `",
        "which would point at nothing once `pupils/oliver-green/` moves to `archive/oliver-green/`",
        "`ln -sfnr pupils/leo-nowak/needs.yaml pupils/oliver-green/leo-needs.yaml`",
    ] {
        assert!(r.stderr.contains(said), "{said}: {}", r.all());
    }
    assert_eq!(tree(&repo), before);
    std::fs::remove_file(&link).unwrap();
    // A leaver's relative link to a pupil who stays: a copy, never "make it relative".
    std::os::unix::fs::symlink("../theo-clarke/needs.yaml", &link).unwrap();
    let before = tree(&repo);
    let r = run(&["rollover", "--archive-leavers", "--force"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let said =
        "`pupils/oliver-green/leo-needs.yaml` is a link to `../theo-clarke/needs.yaml`, which would point at nothing";
    assert!(r.stderr.contains(said) && r.stderr.contains("cp -RL"), "{}", r.all());
    assert!(!r.stderr.contains("ln -s"), "{}", r.all());
    assert_eq!(tree(&repo), before);
    std::fs::remove_file(&link).unwrap();
    // Relative, to a leaver moving beside it: it still leads there, so both move.
    std::os::unix::fs::symlink("../leo-nowak/needs.yaml", &link).unwrap();
    let r = run(&["rollover", "--archive-leavers", "--force"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let moved = repo.join("archive/oliver-green/leo-needs.yaml");
    assert_eq!(
        std::fs::read_to_string(&moved).unwrap(),
        std::fs::read_to_string(repo.join("archive/leo-nowak/needs.yaml")).unwrap()
    );
}

// ---------------------------------------------------------- nothing leaked

/// A fictional UPN with a valid check letter (the DfE's: characters 2 to
/// 13 weighted 2 to 13, a letter last counted by its place among the
/// letters, the sum's remainder by 23 as a letter without I, O and S):
/// local authority 999, establishment 0000, year 26, then `n`.
pub(crate) fn fictional_upn(n: usize) -> String {
    check_lettered(&format!("999000026{:03}", n % 1000))
}

fn check_lettered(body: &str) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
    let value = |b: u8| match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        _ => LETTERS.iter().position(|l| *l == b).unwrap() as u32,
    };
    let sum: u32 = body.bytes().enumerate().map(|(i, b)| value(b) * (i as u32 + 2)).sum();
    format!("{}{body}", LETTERS[(sum % 23) as usize] as char)
}

/// The example school with a UPN for every pupil, on roll and archived, in
/// `upn:` and typed into the free texts of their records (notes, targets,
/// outcomes, log entries, reviews' views): written on disk as typed.
pub(crate) fn school_with_upns() -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let (d, repo) = school();
    let mut upns = Vec::new();
    let free = [
        "outcome",
        "note",
        "notes",
        "baseline",
        "success_criteria",
        "description",
        "summary",
        "pupil_voice",
        "parent_voice",
        "about_me",
    ];
    for folder in ["pupils", "archive"] {
        let mut dirs: Vec<_> = std::fs::read_dir(repo.join(folder)).unwrap().map(|e| e.unwrap().path()).collect();
        dirs.sort();
        for dir in dirs {
            let p = dir.join("pupil.yaml");
            let text = std::fs::read_to_string(&p).unwrap();
            let upn = fictional_upn(upns.len());
            let text = if text.contains("\nupn:") {
                text.lines()
                    .map(|l| if l.starts_with("upn:") { format!("upn: {upn}") } else { l.to_string() })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n"
            } else {
                text.replacen("\nyear_group:", &format!("\nupn: {upn}\nyear_group:"), 1)
            };
            assert!(text.contains(&upn), "{}", p.display());
            std::fs::write(&p, text).unwrap();
            // The same UPN typed into every free text written on one line.
            let mut typed = 0;
            for e in walk_files(&dir) {
                let text = std::fs::read_to_string(&e).unwrap();
                let mut out = String::new();
                for line in text.split_inclusive('\n') {
                    let body = line.trim_end_matches('\n');
                    let item = body.trim_start().trim_start_matches("- ");
                    let plain = item.split_once(": ").is_some_and(|(k, v)| {
                        free.contains(&k)
                            && v.starts_with(|c: char| c.is_ascii_uppercase())
                            && !v.contains([':', '#', '{', '[', '"', '\''])
                    });
                    if plain {
                        out.push_str(&format!("{body}, ref {upn}\n"));
                        typed += 1;
                    } else {
                        out.push_str(line);
                    }
                }
                std::fs::write(&e, out).unwrap();
            }
            // And a log entry for everyone.
            let log = dir.join("log.yaml");
            let mut text = std::fs::read_to_string(&log).unwrap_or_default();
            assert!(text.is_empty() || text.ends_with('\n'), "{}", log.display());
            text.push_str(&format!(
                "- date: 2026-11-02\n  kind: phone\n  summary: Checked the UPN {upn} with the office\n"
            ));
            std::fs::write(&log, text).unwrap();
            assert!(
                typed > 0 || folder == "archive" || dir.ends_with("harry-patterson"),
                "no free text in {}",
                dir.display()
            );
            upns.push(upn);
        }
    }
    // A temporary UPN (a letter last) on a line of its own in a block of text.
    let review = repo.join("pupils/ava-brown/reviews/2026-10-14.yaml");
    let text = std::fs::read_to_string(&review).unwrap();
    let temp = check_lettered("99900002601T");
    let text = text.replacen("pupil_voice: >-\n", &format!("pupil_voice: |-\n  {temp}\n"), 1);
    assert!(text.contains(&temp));
    std::fs::write(&review, text).unwrap();
    upns.push(temp);
    (d, repo, upns)
}

/// Every file below `dir`, sorted.
fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn no_command_or_format_shows_a_upn_unless_asked() {
    let (d, repo, upns) = school_with_upns();
    let pupils: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(repo.join("pupils"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let mut runs: Vec<Vec<String>> = Vec::new();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    for f in ["human", "json", "github", "sarif"] {
        runs.push(s(&["check", "--format", f]));
    }
    for q in [
        &["review-due"][..],
        &["list", "--all-levels"],
        &["list", "--archived"],
        &["stats"],
        &["caseload"],
        &["impact"],
        &["census"],
    ] {
        for f in ["table", "json", "csv", "markdown"] {
            let mut a = s(q);
            a.extend(s(&["--format", f]));
            runs.push(a);
        }
    }
    runs.push(s(&["impact", "--format", "html"]));
    runs.push(s(&["show", "maya-fox", "--archived", "--format", "json"]));
    for f in ["md", "html"] {
        runs.push(s(&["render", "provision-map", "--format", f]));
        runs.push(s(&["render", "checklist", "--format", f]));
        runs.push(s(&["render", "class", "4B", "--format", f]));
    }
    runs.push(s(&["archive", "--due-for-deletion"]));
    runs.push(s(&["rollover", "--dry-run"]));
    // Every per-pupil command on pupils of each kind (the UPN test of every
    // pupil is the same code path; three keep the test quick).
    for p in pupils.iter().filter(|p| ["ava-brown", "theo-clarke", "zain-ahmed"].contains(&p.as_str())) {
        for f in ["table", "json", "csv", "markdown"] {
            runs.push(s(&["show", p, "--format", f]));
            runs.push(s(&["progress", p, "--format", f]));
        }
        runs.push(s(&["progress", p, "--format", "html"]));
        for k in ["plan", "profile", "review", "checklist"] {
            runs.push(s(&["render", k, p]));
            runs.push(s(&["render", k, p, "--format", "html"]));
        }
    }
    for q in [&["compliance"][..], &["delivery"], &["training"], &["access"]] {
        for f in ["table", "json", "csv", "markdown"] {
            let mut a = s(q);
            a.extend(s(&["--format", f]));
            runs.push(a);
        }
    }
    for p in ["ava-brown", "theo-clarke"] {
        for k in ["request", "chronology"] {
            runs.push(s(&["render", k, p]));
            runs.push(s(&["render", k, p, "--format", "html"]));
        }
    }
    // An MIS roster holding every UPN (matched ones renamed, so the
    // reconciliation has something to say about each) and one new pupil.
    let mut upns = upns;
    let roster = d.path().join("roster.csv");
    let mut csv = String::from("UPN,Legal Forename,Preferred Forename,Legal Surname,DOB,Year,Reg Group,SEN Status\n");
    for (i, upn) in upns.iter().enumerate() {
        csv.push_str(&format!("{upn},Renamed,,Pupil{i},01/01/2017,Year 3,3X,K\n"));
    }
    upns.push("Z999999999999".into());
    csv.push_str("Z999999999999,New,,Starter,02/02/2018,Year 2,2X,K\n");
    std::fs::write(&roster, csv).unwrap();
    let r = roster.to_str().unwrap();
    runs.push(s(&["import", "roster", r, "--preset", "sims", "--diff"]));
    runs.push(s(&["import", "roster", r, "--preset", "sims", "--format", "json"]));
    runs.push(s(&["transfer", "out", "ava-brown", "-o", d.path().join("pack").to_str().unwrap()]));
    let out = d.path().join("export");
    runs.push(vec!["export".into(), "--format".into(), "csv".into(), out.display().to_string()]);
    let json = d.path().join("export.json");
    runs.push(vec!["export".into(), json.display().to_string()]);
    let sqlite = d.path().join("export.sqlite");
    runs.push(vec!["export".into(), sqlite.display().to_string()]);
    // Word documents, read back from their zip below.
    let mut docx = Vec::new();
    for (i, k) in ["plan", "profile", "review", "checklist", "request", "chronology"].iter().enumerate() {
        let file = d.path().join(format!("{i}.docx"));
        runs.push(s(&["render", k, "ava-brown", "--format", "docx", "-o", file.to_str().unwrap()]));
        docx.push(file);
    }
    let file = d.path().join("map.docx");
    runs.push(s(&["render", "provision-map", "--format", "docx", "-o", file.to_str().unwrap()]));
    docx.push(file);
    // The writers: what they say never holds the UPN they write.
    let typed = format!("Mum read out the UPN {} from the letter", upns[1]);
    runs.push(s(&["log", "ava-brown", "--kind", "phone", &typed]));
    runs.push(s(&["new-review", "ava-brown", "--date", "2026-12-01"]));
    runs.push(s(&["archive", "zain-ahmed", "--left", "2026-11-20"]));
    runs.push(s(&["restore", "zain-ahmed"]));
    for args in &runs {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = senco(&repo, &a);
        assert!(r.code != 2 || r.stderr.contains("could not"), "{a:?}: {}", r.all());
        for upn in &upns {
            assert!(!r.stdout.contains(upn.as_str()) && !r.stderr.contains(upn.as_str()), "{a:?} shows {upn}");
        }
    }
    let mut written: Vec<(String, Vec<u8>)> = tree(&out).into_iter().collect();
    written.push(("export.json".into(), std::fs::read(&json).unwrap()));
    written.push(("export.sqlite".into(), std::fs::read(&sqlite).unwrap()));
    for file in &docx {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
            written.push((format!("{} {}", file.display(), part.name()), bytes));
        }
    }
    assert!(written.iter().any(|(n, b)| n.ends_with("document.xml") && b.len() > 1000));
    for (name, bytes) in written {
        let text = String::from_utf8_lossy(&bytes);
        for upn in &upns {
            assert!(!text.contains(upn.as_str()), "export {name} holds {upn}");
        }
    }
    // Written as typed: a writer never hides what it writes.
    let log = std::fs::read_to_string(repo.join("pupils/ava-brown/log.yaml")).unwrap();
    assert!(log.contains(&typed), "{log}");
    let review = std::fs::read_to_string(repo.join("pupils/ava-brown/reviews/2026-10-14.yaml")).unwrap();
    assert!(review.contains(&format!("ref {}", upns[1])), "{review}");
    // Asked for, it is shown: the test can see a UPN when there is one, in
    // `upn:` and in free text alike.
    let r = senco(&repo, &["list", "--all-levels", "--show-upn", "--columns", "id,upn"]);
    assert!(r.stdout.contains(&upns[0]), "{}", r.all());
    for f in ["table", "json"] {
        let r = senco(&repo, &["show", "ava-brown", "--show-upn", "--format", f]);
        assert!(r.stdout.contains(&format!("ref {}", upns[1])), "{}", r.all());
    }
}

#[test]
fn rollover_dry_run_hides_upns_in_its_diff_context() {
    let (_d, repo, upns) = school_with_upns();
    let r = senco(&repo, &["rollover", "--dry-run"]);
    assert!(r.stdout.contains("upn: (UPN hidden)"), "{}", r.all());
    for upn in &upns {
        assert!(!r.stdout.contains(upn.as_str()), "{upn}");
    }
}

#[test]
fn an_argument_error_never_echoes_control_characters_raw() {
    let (_d, repo) = school();
    for args in [&["list", "--year", "\u{1b}]0;title\u{7}"][..], &["list", "--format", "\u{1b}[31mred"]] {
        let (r, _) = senco_timed(&repo, args, Duration::from_secs(30));
        assert_eq!(r.code, 2, "{}", r.all());
        assert!(!r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'), "{:?}", r.stderr);
    }
}

#[test]
fn no_writer_makes_a_record_larger_than_senco_reads() {
    let (_d, repo) = school();
    let toml = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    std::fs::write(repo.join("senco.toml"), format!("{toml}\n[limits]\nmax_file_kb = 4\n")).unwrap();
    let log = repo.join("pupils/ava-brown/log.yaml");
    let mut text = std::fs::read_to_string(&log).unwrap_or_default();
    while text.len() < 4000 {
        text.push_str("- date: 2026-09-10\n  kind: meeting\n  summary: Met to plan the term.\n");
    }
    std::fs::write(&log, &text).unwrap();
    assert!(text.len() <= 4096);
    let before = tree(&repo);
    let (r, _) = senco_timed(
        &repo,
        &["log", "ava-brown", "--kind", "meeting", "A long note about the meeting, long enough to pass the limit."],
        Duration::from_secs(30),
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("more than senco reads") && r.stderr.contains("log.yaml"), "{}", r.all());
    assert_eq!(tree(&repo), before, "nothing written");
}

#[test]
fn an_unreadable_staff_file_is_said_never_read_as_no_staff() {
    let (_d, repo) = school();
    std::fs::write(repo.join("staff.yaml"), "- id: [broken\n").unwrap();
    for args in [&["caseload"][..], &["list"]] {
        let (r, _) = senco_timed(&repo, args, Duration::from_secs(30));
        assert!(r.stderr.contains("`staff.yaml` could not be read"), "{args:?}: {}", r.all());
    }
}
