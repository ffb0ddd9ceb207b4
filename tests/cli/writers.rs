//! What the writers keep and refuse (issue 13, points 3 and 7): modes,
//! owners and groups kept; linked records edited at their target or
//! refused; hard links refused; nothing written that senco cannot read
//! back; archive and restore byte for byte on unusual files.

use crate::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

const JULY: &str = "2026-07-20";

fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("records");
    copy_dir(&fixture("upkeep"), &repo);
    (dir, repo)
}

fn at(repo: &Path, today: &str, args: &[&str]) -> Run {
    let mut all = vec!["-C", repo.to_str().unwrap(), "--today", today];
    all.extend_from_slice(args);
    senco_in(repo, &all)
}

#[test]
fn mode_owner_and_group_are_kept() {
    let (_d, repo) = scratch();
    let rel = repo.join("pupils/ava-brown/pupil.yaml");
    std::fs::set_permissions(&rel, std::fs::Permissions::from_mode(0o640)).unwrap();
    let toml = repo.join("senco.toml");
    std::fs::set_permissions(&toml, std::fs::Permissions::from_mode(0o600)).unwrap();
    // Root may give a file to anyone: then the owner must come back too.
    let root = std::fs::metadata(&rel).unwrap().uid() == 0 && nix_is_root();
    if root {
        std::os::unix::fs::chown(&rel, Some(4321), Some(4322)).unwrap();
    }
    let r = at(&repo, JULY, &["rollover"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(std::fs::read_to_string(&rel).unwrap().contains("year_group: 4 "));
    let m = std::fs::metadata(&rel).unwrap();
    assert_eq!(m.mode() & 0o7777, 0o640, "pupil.yaml kept 0640");
    assert_eq!(std::fs::metadata(&toml).unwrap().mode() & 0o7777, 0o600, "senco.toml kept 0600");
    if root {
        assert_eq!((m.uid(), m.gid()), (4321, 4322), "owner and group kept");
        assert!(!r.stderr.contains("now belongs to you"), "{}", r.stderr);
    }
    // A new review takes the mode, owner and group of its pupil's records.
    let r = at(&repo, TODAY, &["new-review", "ava-brown", "--date", "2026-11-20"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let m = std::fs::metadata(repo.join("pupils/ava-brown/reviews/2026-11-20.yaml")).unwrap();
    assert_eq!(m.mode() & 0o7777, 0o640, "the new review is as private as pupil.yaml");
    if root {
        assert_eq!((m.uid(), m.gid()), (4321, 4322));
    }
}

/// A user who may not give a file back to its owner gets the file and a
/// warning that says how to restore it (run as `nobody` through setpriv,
/// which needs root; skipped where that is not possible).
#[test]
fn an_owner_that_cannot_be_kept_is_named_in_a_warning() {
    if !nix_is_root() {
        eprintln!("skipped: needs root to act as another user");
        return;
    }
    let nobody = |args: &[&str]| {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_senco")])
            .args(args)
            .env("NO_COLOR", "1")
            .output()
    };
    match nobody(&["--version"]) {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!("skipped: setpriv missing or the binary is not reachable by user nobody");
            return;
        }
    }
    let (d, repo) = scratch();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    for e in walkdir(&repo) {
        std::os::unix::fs::lchown(&e, Some(65534), Some(65534)).unwrap();
    }
    // A colleague's file, writable by all, owned by someone else.
    let rel = repo.join("pupils/ava-brown/pupil.yaml");
    std::os::unix::fs::chown(&rel, Some(4321), Some(4322)).unwrap();
    std::fs::set_permissions(&rel, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = nobody(&["-C", repo.to_str().unwrap(), "--today", JULY, "rollover"]).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let m = std::fs::metadata(&rel).unwrap();
    assert!(std::fs::read_to_string(&rel).unwrap().contains("year_group: 4 "));
    assert_eq!(m.mode() & 0o7777, 0o666, "the mode is still kept");
    assert_eq!(m.uid(), 65534, "the file now belongs to the user who ran senco");
    assert!(stderr.contains("pupils/ava-brown/pupil.yaml` now belongs to you"), "{stderr}");
    assert!(stderr.contains("chown 4321:4322"), "{stderr}");
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() && !p.is_symlink() {
            all.extend(walkdir(&p));
        } else {
            all.push(p);
        }
    }
    all
}

/// Whether this process runs as root (the test container does).
fn nix_is_root() -> bool {
    let probe = tempfile::NamedTempFile::new().unwrap();
    std::fs::metadata(probe.path()).unwrap().uid() == 0
}

#[test]
fn a_linked_record_is_edited_at_its_target_inside_the_repository() {
    let (_d, repo) = scratch();
    let kept = repo.join("kept");
    std::fs::create_dir(&kept).unwrap();
    let link = repo.join("pupils/ava-brown/pupil.yaml");
    std::fs::rename(&link, kept.join("ava.yaml")).unwrap();
    std::os::unix::fs::symlink("../../kept/ava.yaml", &link).unwrap();
    let r = at(&repo, JULY, &["rollover"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
    assert!(std::fs::read_to_string(kept.join("ava.yaml")).unwrap().contains("year_group: 4 "));
}

#[test]
fn a_record_linked_outside_the_repository_is_refused() {
    let (d, repo) = scratch();
    let outside = d.path().join("outside.yaml");
    let link = repo.join("pupils/ava-brown/pupil.yaml");
    std::fs::rename(&link, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    let before = tree(&repo);
    let text = std::fs::read(&outside).unwrap();
    let r = at(&repo, JULY, &["rollover"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("outside"), "{}", r.stderr);
    assert_eq!(std::fs::read(&outside).unwrap(), text);
    assert_eq!(tree(&repo), before);
}

#[test]
fn a_record_with_hard_links_is_refused() {
    let (_d, repo) = scratch();
    std::fs::hard_link(repo.join("pupils/ava-brown/pupil.yaml"), repo.join("ava-backup.yaml")).unwrap();
    let before = tree(&repo);
    let r = at(&repo, JULY, &["rollover"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("`pupils/ava-brown/pupil.yaml` has 2 hard links"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
    assert_eq!(tree(&repo), before);
}

#[test]
fn new_pupil_writes_pasted_names_it_can_read_back() {
    let (_d, repo) = scratch();
    for (id, first, last) in
        [("zoe-bom", "\u{feff}Zoe", "Ng "), ("jo-dash", "Jo -", "Day\u{200b}"), ("al-q", "Al?", "O'Neil")]
    {
        let args = ["new-pupil", "--id", id, "--first", first, "--last", last, "--dob", "2019-01-01"];
        let r = at(&repo, TODAY, &[&args[..], &["--year", "2", "--level", "monitoring"]].concat());
        assert_eq!(r.code, 0, "{id}: {}", r.all());
    }
    let zoe = std::fs::read_to_string(repo.join("pupils/zoe-bom/pupil.yaml")).unwrap();
    assert!(zoe.contains("name: { first: Zoe, last: Ng }"), "{zoe}");
    let jo = std::fs::read_to_string(repo.join("pupils/jo-dash/pupil.yaml")).unwrap();
    assert!(jo.contains("name: { first: \"Jo -\", last: Day }"), "{jo}");
    let r = at(&repo, TODAY, &["check", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let shown = at(&repo, TODAY, &["show", "jo-dash"]);
    assert!(shown.stdout.contains("Jo -"), "{}", shown.all());
}

#[test]
fn archive_and_restore_round_trip_cr_only_files_and_directives() {
    let (_d, repo) = scratch();
    let cara = "# Cara: CR line endings\rid: cara-diaz\rname: { first: Cara, last: Diaz }\rdate_of_birth: 2014-11-30\ryear_group: 6\rsupport:\r  level: monitoring  # since Year 5";
    std::fs::write(repo.join("pupils/cara-diaz/pupil.yaml"), cara).unwrap();
    let ava = std::fs::read_to_string(repo.join("pupils/ava-brown/pupil.yaml")).unwrap();
    let ava = format!("%YAML 1.2\n---\n{}...\n", ava.replace("\r\n", "\n"));
    std::fs::write(repo.join("pupils/ava-brown/pupil.yaml"), &ava).unwrap();
    let before = tree(&repo);
    for id in ["cara-diaz", "ava-brown"] {
        let r = at(&repo, TODAY, &["archive", id, "--left", "2026-07-22", "--destination", "Elm High"]);
        assert_eq!(r.code, 0, "{}", r.all());
    }
    let archived = std::fs::read_to_string(repo.join("archive/cara-diaz/pupil.yaml")).unwrap();
    assert!(archived.ends_with("\rleft: 2026-07-22\rdestination: Elm High"), "{archived:?}");
    assert!(!archived.contains('\n'), "still CR only: {archived:?}");
    let archived = std::fs::read_to_string(repo.join("archive/ava-brown/pupil.yaml")).unwrap();
    assert!(archived.ends_with("left: 2026-07-22\ndestination: Elm High\n...\n"), "{archived:?}");
    let r = at(&repo, TODAY, &["check", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.all());
    for id in ["cara-diaz", "ava-brown"] {
        let r = at(&repo, TODAY, &["restore", id]);
        assert_eq!(r.code, 0, "{}", r.all());
    }
    assert_eq!(tree(&repo), before, "byte for byte");
}

#[test]
fn init_ignores_the_lock_and_journal_folder() {
    let dir = tempfile::tempdir().unwrap();
    let r = senco_in(dir.path(), &["--today", TODAY, "init", "school", "--name", "Elm Tree Primary"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let ignore = std::fs::read_to_string(dir.path().join("school/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/.senco/"), "{ignore}");
}
