//! Crashes, kills and concurrent edits during upkeep (issue 13, points 1-3):
//! a generated school is rolled over and the process killed (SIGKILL) after
//! every file-system step; after `senco recover` (or `--undo`) the records
//! are byte for byte those before or those after, never in between, and
//! `check` and `rollover` agree with that state.

use crate::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const JULY: &str = "2026-07-20";

/// A fictional school of `n` pupils in years 0 to 6 (year 6 leave), with
/// comments, CRLF files and a review each, on the upkeep fixture's settings.
pub fn generated_school(n: usize) -> (tempfile::TempDir, PathBuf) {
    // In memory where there is a tmpfs: a kill does not lose what is in the
    // page cache, so the proof is the same, without a disk flush per file.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.unwrap();
    let repo = dir.path().join("records");
    std::fs::create_dir_all(&repo).unwrap();
    for f in ["senco.toml", "staff.yaml", "catalogue.yaml"] {
        std::fs::copy(fixture("upkeep").join(f), repo.join(f)).unwrap();
    }
    let first = ["Ada", "Ben", "Cai", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon", "Kit", "Lou", "Max"];
    let last = ["Ames", "Bell", "Cole", "Dunn", "Eyre", "Ford", "Gray", "Hale", "Ives", "Judd", "Kerr"];
    for i in 0..n {
        let (f, l) = (first[i % first.len()], last[(i / first.len() + i) % last.len()]);
        let id = format!("{}-{}-{i:03}", f.to_lowercase(), l.to_lowercase());
        let year = i % 7;
        let nl = if i % 3 == 0 { "\r\n" } else { "\n" };
        let text = format!(
            "# {f} {l}: generated for the crash tests.{nl}id: {id}{nl}name: {{ first: {f}, last: {l} }}{nl}date_of_birth: {}-0{}-1{}{nl}year_group: {year}   # set in September{nl}support:{nl}  level: monitoring{nl}",
            2019 - year,
            1 + i % 9,
            i % 10
        );
        let p = repo.join("pupils").join(&id);
        std::fs::create_dir_all(p.join("reviews")).unwrap();
        std::fs::write(p.join("pupil.yaml"), text).unwrap();
        std::fs::write(p.join("reviews/2026-03-02.yaml"), "date: 2026-03-02\nkind: termly\n").unwrap();
    }
    (dir, repo)
}

fn cmd(repo: &Path, today: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_senco"));
    c.args(["-C", repo.to_str().unwrap(), "--today", today])
        .args(args)
        .env_remove("SENCO_TODAY")
        .env_remove("SENCO_FAIL_AFTER_WRITES")
        .env_remove("SENCO_PAUSE_AFTER_STEP")
        .env_remove("SENCO_STEP_DELAY_MS")
        .env("NO_COLOR", "1");
    c
}

fn go(repo: &Path, today: &str, args: &[&str]) -> Run {
    let out = cmd(repo, today, args).stdin(Stdio::null()).output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Runs `args` paused after `step` file-system steps and kills it there
/// with SIGKILL. Returns false when the command finished before that step.
fn kill_after(repo: &Path, args: &[&str], step: usize) -> bool {
    let mut child = cmd(repo, JULY, args)
        .env("SENCO_PAUSE_AFTER_STEP", step.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let paused =
        BufReader::new(stderr).lines().map_while(Result::ok).any(|l| l.starts_with("senco: paused after step"));
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    paused
}

fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

fn journal_state(repo: &Path) -> Option<String> {
    let text = std::fs::read_to_string(repo.join(".senco/journal.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    Some(v["state"].as_str().unwrap().to_string())
}

/// The whole proof for one school: kills after every step, recovers both
/// ways, compares, and checks that `check` and `rollover` agree.
fn kill_at_every_step(n: usize) -> (usize, std::time::Duration) {
    let args = ["rollover", "--archive-leavers"];
    let (_d0, base) = generated_school(n);
    let before = tree(&base);
    let check_before = go(&base, JULY, &["check", "--quiet"]).code;
    let (_d1, done) = generated_school(n);
    let r = go(&done, JULY, &args);
    assert_eq!(r.code, 0, "{}", r.all());
    let after = tree(&done);
    assert_ne!(before, after);
    let check_after = go(&done, JULY, &["check", "--quiet"]).code;
    let started = std::time::Instant::now();
    let mut step = 1;
    loop {
        let mut stopped = false;
        for undo in [false, true] {
            let (_d, repo) = generated_school(n);
            if !kill_after(&repo, &args, step) {
                assert!(!undo);
                stopped = true;
                break;
            }
            let state = journal_state(&repo);
            // Every command stops on an unfinished batch (all of them tried
            // on every fifth step, to keep the test quick).
            let some: &[&[&str]] = if step % 5 == 0 { &[&["check"], &["list"], &args] } else { &[&["check"]] };
            if state.is_some() {
                for c in some {
                    let r = go(&repo, JULY, c);
                    assert_eq!(r.code, 2, "step {step}, {c:?}: {}", r.all());
                    assert!(r.stderr.contains("was interrupted") && r.stderr.contains("senco recover"), "{}", r.stderr);
                }
            }
            let r = go(&repo, JULY, if undo { &["recover", "--undo"] } else { &["recover"] });
            assert_eq!(r.code, 0, "step {step}: {}", r.all());
            let now = tree(&repo);
            let expect_after = match state.as_deref() {
                None => true,
                Some("staging") => false,
                Some(_) => !undo,
            };
            let (want, what) = if expect_after { (&after, "after") } else { (&before, "before") };
            let diff = differing(&now, want);
            assert!(
                diff.is_empty(),
                "killed after step {step} (journal {state:?}, undo {undo}): not the state {what}: {diff:?}\n{}",
                r.all()
            );
            // check agrees, and rollover either is refused (done) or does it.
            let c = go(&repo, JULY, &["check", "--quiet"]).code;
            assert_eq!(c, if expect_after { check_after } else { check_before }, "step {step}");
            if step % 5 != 0 {
                continue;
            }
            let again = go(&repo, JULY, &args);
            if expect_after {
                assert_eq!(again.code, 2, "step {step}: {}", again.all());
                assert!(again.stderr.contains("already for the year"), "{}", again.stderr);
            } else {
                assert_eq!(again.code, 0, "step {step}: {}", again.all());
                assert!(differing(&tree(&repo), &after).is_empty(), "step {step}: rollover after undo");
            }
        }
        if stopped {
            break;
        }
        if step % 100 == 0 && n > 25 {
            eprintln!("{n} pupils: {step} steps killed and recovered, {:?}", started.elapsed());
        }
        step += 1;
    }
    (step - 1, started.elapsed())
}

#[test]
fn a_rollover_killed_at_any_step_is_recovered_whole() {
    let (steps, took) = kill_at_every_step(25);
    eprintln!("25 pupils: killed after each of {steps} steps, recovered both ways, in {took:?}");
    // 25 pupils: at least the journal, 25 temporaries and 25 renames.
    assert!(steps > 50, "only {steps} steps");
}

/// The large run for the notes: `cargo test --release -- --ignored large`.
#[test]
#[ignore]
fn large_rollover_killed_at_any_step() {
    let n: usize = std::env::var("SENCO_CRASH_PUPILS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let (steps, took) = kill_at_every_step(n);
    eprintln!("{n} pupils: killed after each of {steps} steps, recovered both ways, in {took:?}");
}

#[test]
fn an_interrupted_recovery_can_be_run_again() {
    let args = ["rollover", "--archive-leavers"];
    let (_d1, done) = generated_school(8);
    assert_eq!(go(&done, JULY, &args).code, 0);
    let after = tree(&done);
    let (_d0, base) = generated_school(8);
    let before = tree(&base);
    // Kill the rollover in the middle of its renames, then kill each
    // recovery after its first steps.
    for (undo, want) in [(false, &after), (true, &before)] {
        for recover_step in 1..4 {
            let (_d, repo) = generated_school(8);
            assert!(kill_after(&repo, &args, 30));
            assert_eq!(journal_state(&repo).as_deref(), Some("committing"));
            let rec: &[&str] = if undo { &["recover", "--undo"] } else { &["recover"] };
            assert!(kill_after(&repo, rec, recover_step));
            let r = go(&repo, JULY, rec);
            assert_eq!(r.code, 0, "{}", r.all());
            assert!(differing(&tree(&repo), want).is_empty(), "undo {undo}, recovery killed after {recover_step}");
        }
    }
}

#[test]
fn recover_with_nothing_to_do_says_so() {
    let (_d, repo) = generated_school(2);
    let before = tree(&repo);
    let r = go(&repo, JULY, &["recover"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, "nothing to recover: no records change was interrupted\n"));
    assert_eq!(tree(&repo), before);
}

#[test]
fn an_edit_during_a_slow_rollover_is_kept_and_the_batch_refused() {
    let (_d, repo) = generated_school(6);
    let before = tree(&repo);
    let victim = before.keys().rfind(|k| k.ends_with("pupil.yaml")).unwrap().clone();
    let child = cmd(&repo, JULY, &["rollover"])
        .env("SENCO_STEP_DELAY_MS", "150")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the renames have begun, then save an edit as an editor
    // would (a new file renamed over the old).
    let t0 = std::time::Instant::now();
    while journal_state(&repo).as_deref() != Some("committing") {
        assert!(t0.elapsed().as_secs() < 30, "the rollover never reached its renames");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let edited = format!("{}# a note saved by a colleague\n", String::from_utf8_lossy(&before[&victim]));
    std::fs::write(repo.join("edit.tmp"), &edited).unwrap();
    std::fs::rename(repo.join("edit.tmp"), repo.join(&victim)).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("`{victim}` was changed by someone else")), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    let mut want = before.clone();
    want.insert(victim.clone(), edited.into_bytes());
    assert!(differing(&tree(&repo), &want).is_empty(), "the edit is kept, everything else as before");
}

#[test]
fn an_edit_to_a_file_senco_already_replaced_is_never_undone_over() {
    // A colleague saves a file senco has just rewritten, and another one it
    // has not reached yet: the batch stops at the second, and undoing the
    // first would put the old file back over their save. Nothing is undone;
    // the journal says where things stand; after the person puts the old
    // version back, `recover --undo` brings back the state before.
    let (_d, repo) = generated_school(6);
    let before = tree(&repo);
    let pupils: Vec<String> = before.keys().filter(|k| k.ends_with("pupil.yaml")).cloned().collect();
    let (first, last) = (pupils[0].clone(), pupils[pupils.len() - 1].clone());
    let child = cmd(&repo, JULY, &["rollover"])
        .env("SENCO_STEP_DELAY_MS", "150")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = std::time::Instant::now();
    while std::fs::read(repo.join(&first)).ok().as_ref() == Some(&before[&first]) {
        assert!(t0.elapsed().as_secs() < 30, "the rollover never replaced {first}");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let rolled = std::fs::read(repo.join(&first)).unwrap();
    let save = |rel: &str, text: Vec<u8>| {
        std::fs::write(repo.join("edit.tmp"), text).unwrap();
        std::fs::rename(repo.join("edit.tmp"), repo.join(rel)).unwrap();
    };
    let mut mine = rolled.clone();
    mine.extend_from_slice(b"# a colleague's note\n");
    save(&first, mine.clone());
    let mut theirs = before[&last].clone();
    theirs.extend_from_slice(b"# another note\n");
    save(&last, theirs.clone());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("senco undid nothing") && stderr.contains(&format!("`{first}` was changed")), "{stderr}");
    assert_eq!(std::fs::read(repo.join(&first)).unwrap(), mine, "the colleague's save is there");
    assert_eq!(std::fs::read(repo.join(&last)).unwrap(), theirs);
    // Every command stops while the change is part-way.
    assert_eq!(go(&repo, JULY, &["list"]).code, 2);
    // Finishing is never offered (the steps not taken would stay untaken),
    // and nothing is undone over the colleague's save.
    let r = go(&repo, JULY, &["recover"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert_eq!(std::fs::read(repo.join(&first)).unwrap(), mine);
    // As the message says: the version before senco's back in place, then undo.
    let undo = stderr.split("the version before senco's is `").nth(1).unwrap().split('`').next().unwrap();
    std::fs::copy(repo.join(undo), repo.join(&first)).unwrap();
    let r = go(&repo, JULY, &["recover"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let mut want = before.clone();
    want.insert(last.clone(), theirs);
    assert!(differing(&tree(&repo), &want).is_empty(), "{:?}", differing(&tree(&repo), &want));
}

#[test]
fn a_second_writer_is_refused_while_the_first_runs() {
    let (_d, repo) = generated_school(3);
    let mut child = cmd(&repo, JULY, &["rollover"])
        .env("SENCO_PAUSE_AFTER_STEP", "3")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    assert!(BufReader::new(stderr).lines().map_while(Result::ok).any(|l| l.starts_with("senco: paused")));
    for c in [&["archive", "ada", "--left", "2026-07-20"][..], &["recover"], &["list"]] {
        let r = go(&repo, JULY, c);
        assert_eq!(r.code, 2, "{c:?}: {}", r.all());
        assert!(r.stderr.contains("another senco command is changing these records right now"), "{}", r.stderr);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(go(&repo, JULY, &["recover"]).code, 0);
}

#[test]
fn an_archive_or_a_new_pupil_killed_at_any_step_is_recovered_whole() {
    let archive = ["archive", "ada", "--left", "2026-07-20", "--destination", "Elm High"];
    let new_pupil = [
        "new-pupil",
        "--id",
        "zed-new",
        "--first",
        "Zed",
        "--last",
        "New",
        "--dob",
        "2019-02-03",
        "--year",
        "1",
        "--level",
        "monitoring",
    ];
    for args in [&archive[..], &new_pupil[..]] {
        let (_d0, base) = generated_school(3);
        let before = tree(&base);
        assert_eq!(go(&base, JULY, args).code, 0);
        let after = tree(&base);
        let mut step = 1;
        loop {
            let mut finished = false;
            for undo in [false, true] {
                let (_d, repo) = generated_school(3);
                if !kill_after(&repo, args, step) {
                    finished = true;
                    break;
                }
                let state = journal_state(&repo);
                let r = go(&repo, JULY, if undo { &["recover", "--undo"] } else { &["recover"] });
                assert_eq!(r.code, 0, "{args:?} step {step}: {}", r.all());
                let want = match state.as_deref() {
                    None => &after,
                    Some("staging") => &before,
                    Some(_) if undo => &before,
                    Some(_) => &after,
                };
                let diff = differing(&tree(&repo), want);
                assert!(diff.is_empty(), "{args:?} killed after step {step} ({state:?}, undo {undo}): {diff:?}");
            }
            if finished {
                break;
            }
            step += 1;
        }
        assert!(step > 4, "{args:?}: {step}");
    }
}

#[test]
fn a_rollover_killed_at_random_moments_is_recovered_whole() {
    // Not only between steps: anywhere, as the OOM killer or a power cut
    // would. The kill times spread over the whole run.
    let args = ["rollover", "--archive-leavers"];
    let (_d0, base) = generated_school(25);
    let before = tree(&base);
    assert_eq!(go(&base, JULY, &args).code, 0);
    let after = tree(&base);
    let mut seen = [0usize; 2];
    for i in 0..40u64 {
        let (_d, repo) = generated_school(25);
        let mut child =
            cmd(&repo, JULY, &args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_micros(i * 2500));
        let _ = child.kill();
        child.wait().unwrap();
        let undo = i % 2 == 1;
        let r = go(&repo, JULY, if undo { &["recover", "--undo"] } else { &["recover"] });
        assert_eq!(r.code, 0, "killed after {} ms: {}", i * 5 / 2, r.all());
        let now = tree(&repo);
        if differing(&now, &before).is_empty() {
            seen[0] += 1;
        } else {
            assert!(differing(&now, &after).is_empty(), "killed after {} ms: neither before nor after", i * 5 / 2);
            seen[1] += 1;
        }
    }
    eprintln!("random kills: {} ended as before, {} as after", seen[0], seen[1]);
}
