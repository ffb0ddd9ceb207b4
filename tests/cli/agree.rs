//! Every command gives the same money and time figure for the same thing.
//! Over the example school and a generated one, each pupil's yearly cost of
//! additional provision is compared across `show`, `check` (ENG-COST), the
//! provision map and `export`; each place's weekly and yearly cost across
//! `show` and `export`; each staff member's weekly hours across `caseload`
//! and the provision map.

use crate::{copy_dir, oakfield, senco};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A generated school of `n` pupils (examples/gen.rs), built if needed.
fn generated(dir: &Path, n: usize) -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_senco"))
        .parent()
        .unwrap()
        .join(format!("examples/gen{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "gen"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --example gen");
        assert!(status.success());
    }
    let out = dir.join("generated");
    let status = std::process::Command::new(bin)
        .args([out.to_str().unwrap(), "--pupils", &n.to_string(), "--seed", "7"])
        .output()
        .expect("run gen");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    out
}

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
    let generated = generated(dir.path(), 60);
    let n = compare(&with_zero_threshold(&generated, &dir.path().join("generated-0")));
    assert!(n > 100, "only {n} figures compared");
}
