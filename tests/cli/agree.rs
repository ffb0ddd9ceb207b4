//! Every command gives the same money and time figure for the same thing.
//! Over the example school and a generated one, each pupil's yearly cost of
//! additional provision is compared across `show`, `check` (ENG-COST), the
//! provision map and `export`; each place's weekly and yearly cost across
//! `show` and `export`; each staff member's weekly hours across `caseload`
//! and the provision map.

use crate::{copy_dir, generated, oakfield, senco};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A copy of `repo` whose notional threshold is 0, so `check` states every
/// pupil's yearly cost.
fn with_zero_threshold(repo: &Path, to: &Path) -> PathBuf {
    copy_dir(repo, to);
    let toml = to.join("senco.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text: Vec<String> = text
        .lines()
        .map(|l| if l.starts_with("notional_threshold") { "notional_threshold = 0".to_string() } else { l.to_string() })
        .collect();
    std::fs::write(&toml, text.join("\n") + "\n").unwrap();
    to.to_path_buf()
}

fn json(repo: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let r = senco(repo, &all);
    assert!(r.code <= 1, "{args:?}: {}", r.all());
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", r.stdout))
}

/// The rows of the Markdown table under `## heading`, as cells.
fn md_table(md: &str, heading: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut inside = false;
    for line in md.lines() {
        if line.starts_with("## ") {
            inside = line.trim_start_matches("## ").trim() == heading;
            continue;
        }
        if inside && line.starts_with('|') && !line.starts_with("|---") {
            rows.push(line.trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect());
        }
    }
    rows.into_iter().skip(1).collect()
}

fn money(s: &str) -> f64 {
    s.replace(',', "").parse().unwrap_or_else(|_| panic!("not money: `{s}`"))
}

fn compare(repo: &Path) -> usize {
    let mut compared = 0;
    let export_file = repo.join("export.json");
    let r = senco(repo, &["export", export_file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.all());
    let export: Value = serde_json::from_str(&std::fs::read_to_string(&export_file).unwrap()).unwrap();
    std::fs::remove_file(&export_file).unwrap();
    let tables = &export["tables"];
    let on_roll: Vec<String> = tables["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["archived"] == Value::Bool(false))
        .map(|p| p["pupil"].as_str().unwrap().to_string())
        .collect();
    let mut places: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for iv in tables["interventions"].as_array().unwrap() {
        let key = (iv["pupil"].as_str().unwrap().to_string(), iv["intervention"].as_str().unwrap().to_string());
        places.insert(key, (iv["weekly_cost"].as_f64().unwrap(), iv["yearly_cost"].as_f64().unwrap()));
    }

    // check: ENG-COST states each pupil's yearly cost (threshold 0).
    let check = json(repo, &["check"]);
    let mut checked: BTreeMap<String, f64> = BTreeMap::new();
    for f in check["findings"].as_array().unwrap() {
        if f["code"] == "ENG-COST" {
            let m = f["message"].as_str().unwrap();
            let n = m.trim_start_matches("additional provision costs ").split(' ').next().unwrap();
            checked.insert(f["pupil"].as_str().unwrap().to_string(), money(n));
        }
    }
    assert!(!checked.is_empty(), "ENG-COST stated no cost");

    // The provision map: pupils' yearly cost (by name) and staff hours (by name).
    let map = senco(repo, &["render", "provision-map"]);
    assert_eq!(map.code, 0, "{}", map.all());
    let mut map_pupils: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for row in md_table(&map.stdout, "Pupils") {
        map_pupils.entry(row[0].clone()).or_default().push(money(&row[6]));
    }
    let map_staff: BTreeMap<String, f64> =
        md_table(&map.stdout, "Totals by staff member").into_iter().map(|r| (r[0].clone(), money(&r[2]))).collect();
    assert!(!map_pupils.is_empty() && !map_staff.is_empty(), "{}", map.stdout);

    for id in &on_roll {
        let show = json(repo, &["show", id]);
        let yearly = show["costs"]["yearly"].as_f64().unwrap();
        let name = show["pupil"]["name"].as_str().unwrap().to_string();
        // The same pupil's yearly cost: show = check = provision map = Σ export.
        if let Some(c) = checked.get(id) {
            assert_eq!(*c, yearly, "{id}: check {c} vs show {yearly}");
            compared += 1;
        }
        if let Some(v) = map_pupils.get(&name).filter(|v| v.len() == 1) {
            assert_eq!(v[0], yearly, "{id}: provision map {} vs show {yearly}", v[0]);
            compared += 1;
        }
        let mine: Vec<&(f64, f64)> = places.iter().filter(|((p, _), _)| p == id).map(|(_, v)| v).collect();
        let sum: f64 = mine.iter().map(|v| v.1).sum();
        assert!((sum - yearly).abs() <= 0.005 * mine.len() as f64 + 1e-9, "{id}: export Σ {sum} vs show {yearly}");
        // Each current place: show's weekly and yearly cost = export's.
        for iv in show["interventions"].as_array().unwrap() {
            let key = (id.clone(), iv["id"].as_str().unwrap().to_string());
            let (w, y) = places[&key];
            assert_eq!((iv["weekly_cost"].as_f64().unwrap(), iv["yearly_cost"].as_f64().unwrap()), (w, y), "{key:?}");
            compared += 1;
        }
    }

    // Each staff member's hours a week: caseload = provision map (today's week).
    let caseload = json(repo, &["caseload"]);
    for s in caseload["staff"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let hours = s["weekly_hours"].as_f64().unwrap();
        match map_staff.get(name) {
            Some(h) => {
                assert_eq!(*h, hours, "{name}: provision map {h} h vs caseload {hours} h");
                compared += 1;
            }
            None => assert_eq!(hours, 0.0, "{name} delivers {hours} h but is not in the provision map"),
        }
        // Minutes are whole wherever they are given.
        assert_eq!(s["weekly_minutes"].as_f64().unwrap().fract(), 0.0, "{name}");
    }
    compared
}

#[test]
fn every_command_gives_the_same_figure_for_the_same_thing() {
    let dir = tempfile::tempdir().unwrap();
    let n = compare(&with_zero_threshold(&oakfield(), &dir.path().join("oakfield")));
    assert!(n > 40, "only {n} figures compared");
    let generated = generated(dir.path(), "generated", 60, 7);
    let n = compare(&with_zero_threshold(&generated, &dir.path().join("generated-0")));
    assert!(n > 100, "only {n} figures compared");
}

// ------------------------------------------------ the rough edges of a first walk

use crate::{fixture, senco_in, TODAY};

/// A scratch copy of the one-pupil base school.
fn base_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    copy_dir(&fixture("base"), &repo);
    (dir, repo)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Year groups as schools write them: `R`, `Y5`, `N2` in records and on the
/// command line; `--within` in days or weeks.
#[test]
fn year_groups_and_windows_as_schools_write_them() {
    let (_d, repo) = base_copy();
    let pupil = repo.join("pupils/ava-brown/pupil.yaml");
    edit(&pupil, "year_group: 3", "year_group: Y3");
    let r = senco(&repo, &["list", "--year", "3", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("\"year_group\": 3"), "{}", r.stdout);
    for y in ["Y3", "year 3", "3"] {
        let r = senco(&repo, &["list", "--year", y, "--format", "csv"]);
        assert!(r.stdout.contains("ava-brown"), "--year {y}: {}", r.all());
    }
    let r = senco(&repo, &["list", "--year", "Z9"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("`Z9` is not a year group"), "{}", r.stderr);
    let a = senco(&repo, &["review-due", "--within", "14"]);
    for w in ["14d", "2w"] {
        let b = senco(&repo, &["review-due", "--within", w]);
        assert_eq!((b.code, &b.stdout), (a.code, &a.stdout), "--within {w}");
    }
    assert_eq!(senco(&repo, &["review-due", "--within", "2x"]).code, 2);
    // Quoted digits stay an error (a number is written bare); words are fine.
    edit(&pupil, "year_group: Y3", "year_group: \"3\"");
    assert_eq!(senco(&repo, &["check"]).code, 1);
    edit(&pupil, "year_group: \"3\"", "year_group: R");
    let r = senco(&repo, &["check", "--format", "json"]);
    // Reception for a pupil born in 2018 is three years out: a warning, not an error.
    assert!(r.stdout.contains("\"year-group-age\""), "{}", r.stdout);
    assert!(!r.stdout.contains("\"wrong-type\""), "{}", r.stdout);
    let r = senco(&repo, &["render", "profile", "ava"]);
    assert!(r.stdout.contains("Reception"), "{}", r.stdout);
}

#[test]
fn new_pupil_since_and_every_optional_key_commented() {
    let (_d, repo) = base_copy();
    let new = |extra: &[&str]| {
        let mut a = vec![
            "new-pupil",
            "--id",
            "kit-lane",
            "--first",
            "Kit",
            "--last",
            "Lane",
            "--dob",
            "2019-03-04",
            "--year",
            "Y3",
            "--level",
            "sen-support",
        ];
        a.extend_from_slice(extra);
        senco(&repo, &a)
    };
    let r = new(&["--since", "2030-01-01"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("in the future"), "{}", r.stderr);
    let r = new(&["--since", "2025-01-06"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let text = std::fs::read_to_string(repo.join("pupils/kit-lane/pupil.yaml")).unwrap();
    assert!(text.contains("  since: 2025-01-06"), "{text}");
    assert!(text.contains("year_group: 3"), "{text}");
    for key in ["# class:", "# upn:", "# gender:", "# first_language:", "# joined:", "# key_worker:", "# profile:"] {
        assert!(text.contains(key), "{key} not in\n{text}");
    }
    for key in ["# contacts:", "# professionals:", "# consent:", "# transition:", "# request:", "# plan:"] {
        assert!(text.contains(key), "{key} not in\n{text}");
    }
    let r = senco(&repo, &["check", "--format", "json"]);
    assert!(!r.stdout.contains("kit-lane/pupil.yaml\", \"line\"") || !r.stdout.contains("\"error\""), "{}", r.stdout);
    // The review clock runs from --since: 12 weeks after 2025-01-06 is long past.
    let r = senco(&repo, &["review-due", "--format", "json"]);
    assert!(r.stdout.contains("kit-lane"), "{}", r.stdout);
}

#[test]
fn rollover_renames_classes_in_the_same_change_and_lists_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    copy_dir(&oakfield(), &repo);
    let classes = dir.path().join("classes.toml");
    // A new name pasted with a byte-order mark, a trailing space and a
    // zero-width space: written without them.
    std::fs::write(&classes, "3S = \"\u{feff}4S \"\nRW = \"1W\u{200b}\"\n").unwrap();
    let r = senco_in(
        &repo,
        &["--today", "2027-07-20", "rollover", "--classes", classes.to_str().unwrap(), "--require-clean"],
    );
    // --require-clean outside git may refuse; run without it if so.
    let r = if r.code == 0 {
        r
    } else {
        senco_in(&repo, &["--today", "2027-07-20", "rollover", "--classes", classes.to_str().unwrap()])
    };
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("3S -> 4S (3 pupil(s))"), "{}", r.stderr);
    assert!(r.stderr.contains("NOT renamed") && r.stderr.contains("  4B (3 pupil(s), was year 4)"), "{}", r.stderr);
    let amara = std::fs::read_to_string(repo.join("pupils/amara-osei/pupil.yaml")).unwrap();
    assert!(amara.contains("year_group: 4") && amara.contains("class: \"4S\""), "{amara}");
    let ethan = std::fs::read_to_string(repo.join("pupils/ethan-brooks/pupil.yaml")).unwrap();
    assert!(ethan.contains("class: \"1W\""), "{ethan}");
    // A mapping that matches nobody refuses the whole change.
    let dir2 = tempfile::tempdir().unwrap();
    let repo2 = dir2.path().join("school");
    copy_dir(&oakfield(), &repo2);
    std::fs::write(&classes, "3X = \"4X\"\n").unwrap();
    let before = crate::tree(&repo2);
    let r = senco_in(&repo2, &["--today", "2027-07-20", "rollover", "--classes", classes.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("`3X`"), "{}", r.stderr);
    assert_eq!(crate::tree(&repo2), before);
}

#[test]
fn small_rough_edges() {
    let (_d, repo) = base_copy();
    // SENCO_TODAY=bad is reported as SENCO_TODAY.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(["-C", repo.to_str().unwrap(), "stats"])
        .env("SENCO_TODAY", "bad")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("SENCO_TODAY=`bad`"), "{err}");
    // --today and --color are global options, listed apart from a command's own.
    let r = senco_in(&repo, &["stats", "--help"]);
    let global = r.stdout.find("Global options").expect("a Global options heading");
    assert!(r.stdout.find("--today").unwrap() > global && r.stdout.find("--color").unwrap() > global, "{}", r.stdout);
    // archive --left in the future asks for --force.
    let r = senco(&repo, &["archive", "ava", "--left", "2027-07-21"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    // check -q --deny warnings that fails says why.
    let r = senco(&repo, &["check", "-q", "--deny", "warnings"]);
    if r.code == 1 && !r.stdout.contains("error[") {
        assert!(r.stderr.contains("--deny warnings"), "{}", r.all());
    }
    // A filter that matches nobody says so on stderr.
    let r = senco(&repo, &["list", "--class", "9Z"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("no pupil on roll matches --class 9z"), "{}", r.stderr);
    // The level hint names only the school's levels.
    let pupil = repo.join("pupils/ava-brown/pupil.yaml");
    edit(&pupil, "level: sen-support", "level: sen-suport");
    let r = senco(&repo, &["check"]);
    assert!(r.stdout.contains("did you mean `sen-support`?"), "{}", r.stdout);
    assert!(!r.stdout.contains("section-504"), "{}", r.stdout);
    edit(&pupil, "level: sen-suport", "level: sen-support");
    // A census type code in any case is the code.
    edit(&repo.join("pupils/ava-brown/needs.yaml"), "type: SPLD", "type: SpLD");
    let r = senco(&repo, &["check", "--format", "json"]);
    assert!(!r.stdout.contains("bad-need-type"), "{}", r.stdout);
    let r = senco(&repo, &["list", "--format", "csv", "--columns", "id,primary-need"]);
    assert!(r.stdout.contains("ava-brown,SPLD"), "{}", r.stdout);
}

/// In CI the records may live in a subfolder: annotations name files from
/// the checkout's root.
#[test]
fn github_annotations_from_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("bad-wrong-type"), &dir.path().join("records"));
    let run = |workspace: Option<&Path>| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_senco"));
        c.args(["-C", "records", "--today", TODAY, "check", "--format", "github"]).current_dir(dir.path());
        match workspace {
            Some(w) => c.env("GITHUB_WORKSPACE", w),
            None => c.env_remove("GITHUB_WORKSPACE"),
        };
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let ci = run(Some(dir.path()));
    assert!(ci.contains("file=records/pupils/ava-brown/pupil.yaml,line=5"), "{ci}");
    // Outside Actions, paths stay relative to the records, as everywhere else.
    let local = run(None);
    assert!(local.contains("file=pupils/ava-brown/pupil.yaml,line=5"), "{local}");
}

/// init's .gitignore covers what senco writes by default; its workflow pins
/// senco and can point at a subfolder.
#[test]
fn init_ignores_outputs_and_pins_ci() {
    let dir = tempfile::tempdir().unwrap();
    let r = senco_in(dir.path(), &["--today", TODAY, "init", "school"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("private"), "{}", r.stderr);
    let ignore = std::fs::read_to_string(dir.path().join("school/.gitignore")).unwrap();
    for p in ["/out/", "/*.csv", "/*.json", "/*.sarif", "/*.sqlite", "/*.html", "/*.md", "!/README.md", "/.senco/"] {
        assert!(ignore.lines().any(|l| l == p), "{p} not in\n{ignore}");
    }
    let wf = std::fs::read_to_string(dir.path().join("school/.github/workflows/senco.yml")).unwrap();
    assert!(wf.contains("--tag \"$SENCO_TAG\"") && wf.contains("senco -C \"$RECORDS\" check --format github"), "{wf}");
}
