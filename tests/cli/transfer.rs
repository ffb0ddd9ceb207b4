//! `senco transfer out|in` (issue 17 point 2): a pupil's pack written at one
//! generated school and read at another, `check` clean with the same
//! history; clashing ids; tampered, foreign and hostile packs refused with
//! nothing changed; the UPN carried in the records and shown nowhere.

use crate::*;
use std::io::Write;
use std::path::{Path, PathBuf};

fn clean(repo: &Path) {
    let r = senco(repo, &["check", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.all());
}

/// The first pupil with a UPN, reviews and a log: (id, UPN).
fn pupil_with_history(repo: &Path) -> (String, String) {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo.join("pupils")).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for d in dirs {
        let text = std::fs::read_to_string(d.join("pupil.yaml")).unwrap();
        let upn = text
            .lines()
            .find_map(|l| l.strip_prefix("upn: "))
            .map(|u| u.split_whitespace().next().unwrap().to_string());
        let reviews = d.join("reviews").read_dir().map(|r| r.count()).unwrap_or(0);
        if let (Some(upn), true) = (upn, reviews > 0) {
            return (d.file_name().unwrap().to_string_lossy().into_owned(), upn);
        }
    }
    panic!("no pupil with a UPN and reviews in {}", repo.display());
}

/// The text of every Word document's body in a pack folder.
fn docx_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().ends_with(".xml") {
            std::io::Read::read_to_string(&mut f, &mut out).unwrap();
        }
    }
    out
}

/// "added `X` as `Y`" lines of the summary.
fn renames(stderr: &str) -> Vec<(String, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.split("added `").nth(1)?;
            let (from, rest) = rest.split_once("` as `")?;
            let (to, _) = rest.split_once('`')?;
            Some((from.to_string(), to.to_string()))
        })
        .collect()
}

#[test]
fn out_then_in_keeps_the_history_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let a = generated(dir.path(), "a", 12, 7);
    let b = generated(dir.path(), "b", 12, 8);
    clean(&b);
    let (id, upn) = pupil_with_history(&a);
    let zip = dir.path().join("pack.zip");
    let out = senco(&a, &["transfer", "out", &id, "-o", zip.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stderr.contains("wrote the transfer pack"), "{}", out.all());

    let dry = senco(&b, &["transfer", "in", zip.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(dry.stderr.contains("dry run: nothing was written"), "{}", dry.all());
    assert!(!b.join("pupils").join(&id).exists(), "a dry run writes nothing");

    let run = senco(&b, &["transfer", "in", zip.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("finds no errors"), "{}", run.all());
    clean(&b);

    // The same history: every record file, line for line, the sending
    // school's, but for the references to renamed staff and provision.
    let renamed = renames(&run.stderr);
    let sent = tree(&a.join("pupils").join(&id));
    let placed = tree(&b.join("pupils").join(&id));
    assert_eq!(sent.keys().collect::<Vec<_>>(), placed.keys().collect::<Vec<_>>());
    assert!(sent.keys().any(|k| k.starts_with("reviews/")));
    for (name, bytes) in &sent {
        let (s, p) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(&placed[name]));
        assert_eq!(s.lines().count(), p.lines().count(), "{name}");
        for (ls, lp) in s.lines().zip(p.lines()) {
            let ok = ls == lp || renamed.iter().any(|(f, t)| ls.replace(f.as_str(), t) == lp);
            assert!(ok, "{name}: `{ls}` became `{lp}`");
        }
    }
    // The UPN travels in the records, and is shown nowhere.
    assert!(String::from_utf8_lossy(&placed["pupil.yaml"]).contains(&upn));
    for r in [&out, &dry, &run] {
        assert!(!r.stdout.contains(&upn) && !r.stderr.contains(&upn), "{}", r.all());
    }
    // Read back at the sending school: a second record of the same child.
    let back = senco(&a, &["transfer", "in", zip.to_str().unwrap()]);
    assert_eq!(back.code, 0, "{}", back.all());
    assert!(back.stderr.contains(&format!("placed as {id}-2")), "{}", back.all());
    assert!(back.stderr.contains(&format!("`{id}` (on roll) has the same UPN")), "{}", back.all());
    assert!(!back.stdout.contains(&upn) && !back.stderr.contains(&upn), "{}", back.all());
    let folder = dir.path().join("pack");
    assert_eq!(senco(&a, &["transfer", "out", &id, "-o", folder.to_str().unwrap()]).code, 0);
    for doc in ["plan", "profile", "review-history", "chronology"] {
        let html = std::fs::read_to_string(folder.join(format!("documents/{doc}.html"))).unwrap();
        assert!(html.contains("<h1>"), "{doc}");
        assert!(!html.contains(&upn), "{doc}.html shows the UPN");
        let word = docx_text(&folder.join(format!("documents/{doc}.docx")));
        assert!(!word.is_empty() && !word.contains(&upn), "{doc}.docx shows the UPN");
    }
    assert!(std::fs::read_to_string(folder.join("records/pupil.yaml")).unwrap().contains(&upn));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["school"]["jurisdiction"], "england");
    assert_eq!(manifest["pupil"]["id"], id.as_str());
    // A folder and a zip of the same records hold the same files.
    assert_eq!(manifest["files"].as_array().unwrap().len() + 1, tree(&folder).len());
}

/// Oakfield's Ava to a generated school where `ta-jones` and
/// `phonics-catch-up` are other entries.
#[test]
fn clashing_ids_are_placed_under_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let b = generated(dir.path(), "b", 6, 8);
    let mut staff = std::fs::OpenOptions::new().append(true).open(b.join("staff.yaml")).unwrap();
    staff.write_all(b"- id: ta-jones\n  name: Mr P. Someone-Else\n  role: teacher\n").unwrap();
    drop(staff);
    clean(&b);
    let pack = dir.path().join("ava");
    let out = senco(&oakfield(), &["transfer", "out", "ava-brown", "-o", pack.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.all());

    let run = senco(&b, &["transfer", "in", pack.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("added `ta-jones` as `oakfield-ta-jones`"), "{}", run.all());
    assert!(run.stderr.contains("added `phonics-catch-up` as `oakfield-phonics-catch-up`"), "{}", run.all());
    clean(&b);
    let staff = std::fs::read_to_string(b.join("staff.yaml")).unwrap();
    assert!(staff.contains("- id: ta-jones\n  name: Mr P. Someone-Else\n"), "this school's entry is kept");
    assert!(staff.contains("- id: oakfield-ta-jones\n  name: Mrs K. Jones\n"), "{staff}");
    // Oakfield's SENCO is not this school's.
    assert!(staff.contains("- id: senco-patel\n  name: Ms R. Patel\n  role: external\n"), "{staff}");
    let ivs = std::fs::read_to_string(b.join("pupils/ava-brown/interventions.yaml")).unwrap();
    assert!(ivs.contains("provision: oakfield-phonics-catch-up"), "{ivs}");
    assert!(ivs.contains("staff: oakfield-ta-jones"), "{ivs}");
    assert!(!ivs.contains("staff: ta-jones"), "{ivs}");
    let catalogue = std::fs::read_to_string(b.join("catalogue.yaml")).unwrap();
    assert!(catalogue.contains("- id: oakfield-phonics-catch-up\n  name: Phonics catch-up group\n"), "{catalogue}");

    // The same pack again: the pupil's id is taken, so the next free one;
    // the entries are the same ones now, so nothing more is added.
    let again = senco(&b, &["transfer", "in", pack.to_str().unwrap()]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.stderr.contains("placed as ava-brown-2"), "{}", again.all());
    assert!(again.stderr.contains("`ta-jones` is already here as `oakfield-ta-jones`"), "{}", again.all());
    assert!(!again.stderr.contains("changed staff.yaml"), "{}", again.all());
    let pupil = std::fs::read_to_string(b.join("pupils/ava-brown-2/pupil.yaml")).unwrap();
    assert!(pupil.contains("id: ava-brown-2"), "{pupil}");
    // `--as` names it; a taken id is refused.
    let taken = senco(&b, &["transfer", "in", pack.to_str().unwrap(), "--as", "ava-brown"]);
    assert_eq!(taken.code, 2, "{}", taken.all());
    let named = senco(&b, &["transfer", "in", pack.to_str().unwrap(), "--as", "ava-b"]);
    assert_eq!(named.code, 0, "{}", named.all());
    assert!(b.join("pupils/ava-b/pupil.yaml").is_file());
    clean(&b);
}

#[test]
fn a_pack_for_an_archived_leaver_records_the_transfer() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("oak");
    copy_dir(&oakfield(), &repo);
    let archive =
        senco(&repo, &["archive", "ava-brown", "--left", "2026-11-20", "--destination", "Northfield Academy"]);
    assert_eq!(archive.code, 0, "{}", archive.all());
    let before = std::fs::read_to_string(repo.join("archive/ava-brown/pupil.yaml")).unwrap();
    let zip = dir.path().join("ava.zip");
    let out = senco(&repo, &["transfer", "out", "ava-brown", "-o", zip.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.all());
    let after = std::fs::read_to_string(repo.join("archive/ava-brown/pupil.yaml")).unwrap();
    assert_eq!(after, format!("{before}file_transferred: {TODAY}\n"), "one line added, comments kept");
    // Written again: the date already recorded is kept.
    let again = senco(&repo, &["transfer", "out", "ava-brown", "-o", dir.path().join("b.zip").to_str().unwrap()]);
    assert!(again.stderr.contains("already recorded"), "{}", again.all());
    assert_eq!(std::fs::read_to_string(repo.join("archive/ava-brown/pupil.yaml")).unwrap(), after);
    assert!(!again.stderr.contains("inside the records repository"), "{}", again.all());
    let inside = senco(&repo, &["transfer", "out", "ava-brown", "-o", repo.join("ava.zip").to_str().unwrap()]);
    assert!(inside.stderr.contains("warning: the pack is inside the records repository"), "{}", inside.all());
    // An existing file is never replaced.
    let exists = senco(&repo, &["transfer", "out", "ava-brown", "-o", zip.to_str().unwrap()]);
    assert_eq!(exists.code, 2, "{}", exists.all());
    assert!(exists.stderr.contains("already exists"), "{}", exists.all());

    // The receiving school does not keep the sending school's leaving record.
    let b = generated(dir.path(), "b", 4, 9);
    let run = senco(&b, &["transfer", "in", zip.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    let placed = std::fs::read_to_string(b.join("pupils/ava-brown/pupil.yaml")).unwrap();
    assert!(!placed.contains("left:") && !placed.contains("destination:"), "{placed}");
    clean(&b);
}

/// A pack refused: exit 2, the reason on stderr, and no file changed.
#[track_caller]
fn refused(repo: &Path, pack: &Path, expect: &str) {
    let before = tree(repo);
    let run = senco(repo, &["transfer", "in", pack.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains(expect), "expected `{expect}`:\n{}", run.all());
    assert_eq!(tree(repo), before, "nothing changed");
}

#[test]
fn tampered_and_foreign_packs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let b = generated(dir.path(), "b", 4, 8);
    let pack = dir.path().join("ava");
    assert_eq!(senco(&oakfield(), &["transfer", "out", "ava-brown", "-o", pack.to_str().unwrap()]).code, 0);
    let targets = pack.join("records/targets.yaml");
    let text = std::fs::read_to_string(&targets).unwrap();
    std::fs::write(&targets, text.replacen("status:", "status: ", 1)).unwrap();
    refused(&b, &pack, "the checksum of `records/targets.yaml` does not match its manifest");
    std::fs::write(&targets, &text).unwrap();
    std::fs::write(pack.join("documents/extra.html"), "<p>hi</p>").unwrap();
    refused(&b, &pack, "`documents/extra.html` is not listed in its manifest");
    std::fs::remove_file(pack.join("documents/extra.html")).unwrap();
    // What a file manager leaves in a folder is not part of the pack.
    std::fs::write(pack.join(".DS_Store"), "x").unwrap();
    std::fs::write(pack.join("records/._pupil.yaml"), "x").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", pack.join("documents/link.html")).unwrap();
        refused(&b, &pack, "`documents/link.html` is a symbolic link");
        std::fs::remove_file(pack.join("documents/link.html")).unwrap();
    }

    let wales = dir.path().join("wales.zip");
    let w = senco(&fixture("query-wales"), &["transfer", "out", "gwen-jones", "-o", wales.to_str().unwrap()]);
    assert_eq!(w.code, 0, "{}", w.all());
    refused(&b, &wales, "kept under the `wales` rules, and this school's senco.toml says `england`");
    let run = senco(&b, &["transfer", "in", pack.to_str().unwrap(), "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.all());
}

/// A zip with `entries` (name, bytes) and a manifest listing them all.
fn hostile_zip(path: &Path, entries: &[(&str, &[u8])], symlink: Option<(&str, &str)>) {
    use senco::edit::journal::sha256;
    let files: Vec<serde_json::Value> =
        entries.iter().map(|(n, b)| serde_json::json!({ "path": n, "bytes": b.len(), "sha256": sha256(b) })).collect();
    let manifest = serde_json::json!({
        "pack": "senco-transfer-pack", "version": 1, "records_format": 1, "written_by": "a test",
        "written": TODAY, "school": { "name": "Elsewhere", "jurisdiction": "england" },
        "pupil": { "id": "eve-x", "archived": false }, "files": files,
    });
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("manifest.json", opts).unwrap();
    w.write_all(manifest.to_string().as_bytes()).unwrap();
    for (n, b) in entries {
        w.start_file(*n, opts).unwrap();
        w.write_all(b).unwrap();
    }
    if let Some((name, target)) = symlink {
        w.add_symlink(name, target, opts).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn hostile_zips_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let b = generated(dir.path(), "b", 3, 8);
    let pupil: &[u8] = b"id: eve-x\n";
    let z = |name: &str| dir.path().join(name);
    hostile_zip(&z("dots.zip"), &[("records/pupil.yaml", pupil), ("../evil.yaml", b"x")], None);
    refused(&b, &z("dots.zip"), "`../evil.yaml` leads outside the pack");
    assert!(!dir.path().join("evil.yaml").exists());
    hostile_zip(&z("abs.zip"), &[("records/pupil.yaml", pupil), ("/tmp/evil.yaml", b"x")], None);
    refused(&b, &z("abs.zip"), "`/tmp/evil.yaml` is an absolute path");
    hostile_zip(&z("link.zip"), &[("records/pupil.yaml", pupil)], Some(("records/needs.yaml", "/etc/passwd")));
    refused(&b, &z("link.zip"), "`records/needs.yaml` is a symbolic link");
    // A zip bomb: 8 MB of zeros in a few kilobytes.
    let zeros = vec![0u8; 8 << 20];
    hostile_zip(&z("bomb.zip"), &[("records/pupil.yaml", pupil), ("records/log.yaml", &zeros)], None);
    assert!(std::fs::metadata(z("bomb.zip")).unwrap().len() < 100 << 10);
    refused(&b, &z("bomb.zip"), "`records/log.yaml` is larger than 1024 KB");
    std::fs::write(z("junk.zip"), b"PK\x03\x04 not really").unwrap();
    refused(&b, &z("junk.zip"), "it is not a readable .zip file");
}

/// `transfer in` is one journaled batch: a failure at any write (a full
/// disk, injected) leaves the school exactly as it was.
#[test]
fn placing_a_pack_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let b = generated(dir.path(), "b", 3, 8);
    let mut staff = std::fs::OpenOptions::new().append(true).open(b.join("staff.yaml")).unwrap();
    staff.write_all(b"- id: ta-jones\n  name: Mr P. Someone-Else\n  role: teacher\n").unwrap();
    drop(staff);
    let pack = dir.path().join("ava.zip");
    assert_eq!(senco(&oakfield(), &["transfer", "out", "ava-brown", "-o", pack.to_str().unwrap()]).code, 0);
    let before = tree(&b);
    // 8 record files + staff.yaml + catalogue.yaml: 10 temporaries, 10 renames.
    for n in [0, 3, 9, 10, 15, 19] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_senco"))
            .args(["-C", b.to_str().unwrap(), "--today", TODAY, "transfer", "in", pack.to_str().unwrap()])
            .env("SENCO_FAIL_AFTER_WRITES", n.to_string())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "after {n} writes: {stderr}");
        assert!(stderr.contains("nothing was changed"), "{stderr}");
        assert_eq!(tree(&b), before, "after {n} writes");
    }
    assert_eq!(senco(&b, &["transfer", "in", pack.to_str().unwrap()]).code, 0);
    assert_ne!(tree(&b), before);
    clean(&b);
}
