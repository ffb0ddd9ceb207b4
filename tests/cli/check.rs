//! `senco check`, `explain`, `init` and `new-pupil`.

use crate::*;
use serde::Deserialize;
use std::path::Path;
use std::process::Command;

// The JSON report read back into strict structs: the documented contract.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Report {
    version: u32,
    findings: Vec<JsonFinding>,
    summary: Summary,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JsonFinding {
    severity: String,
    code: String,
    file: String,
    line: u32,
    column: u32,
    message: String,
    hint: Option<String>,
    pupil: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Summary {
    errors: usize,
    warnings: usize,
    notes: usize,
    pupils: usize,
    files: usize,
}

/// Each bad-input fixture, with the one error it must produce: code, file, line, column.
const BAD: &[(&str, &str, &str, u32, u32)] = &[
    ("bad-date", "bad-date", "pupils/ava-brown/targets.yaml", 5, 8),
    ("bad-due-before-set", "due-before-set", "pupils/ava-brown/targets.yaml", 5, 8),
    ("bad-duplicate-id", "duplicate-id", "pupils/ava-brown/targets.yaml", 8, 7),
    ("bad-empty-file", "empty-file", "pupils/ava-brown/targets.yaml", 1, 1),
    ("bad-end-before-start", "end-before-start", "pupils/ava-brown/interventions.yaml", 5, 8),
    ("bad-id-mismatch", "id-mismatch", "pupils/ava-brown/pupil.yaml", 2, 5),
    ("bad-level-jurisdiction", "level-not-allowed", "pupils/ava-brown/pupil.yaml", 8, 10),
    ("bad-missing-assessment", "missing-assessment", "pupils/ava-brown/needs.yaml", 7, 14),
    ("bad-missing-key", "missing-key", "pupils/ava-brown/targets.yaml", 1, 3),
    ("bad-missing-need", "missing-need", "pupils/ava-brown/targets.yaml", 2, 9),
    ("bad-missing-provision", "missing-provision", "pupils/ava-brown/interventions.yaml", 2, 14),
    ("bad-missing-staff", "missing-staff", "pupils/ava-brown/interventions.yaml", 8, 10),
    ("bad-missing-target", "missing-target", "pupils/ava-brown/interventions.yaml", 3, 13),
    ("bad-not-utf8", "not-utf8", "pupils/ava-brown/assessments.yaml", 7, 13),
    ("bad-number", "bad-number", "pupils/ava-brown/interventions.yaml", 7, 15),
    ("bad-plan-not-issued", "missing-plan-issued", "pupils/ava-brown/pupil.yaml", 8, 10),
    ("bad-review-date", "review-date-mismatch", "pupils/ava-brown/reviews/2026-10-14.yaml", 1, 7),
    ("bad-review-filename", "bad-review-filename", "pupils/ava-brown/reviews/14-10-2026.yaml", 1, 1),
    ("bad-two-primary-needs", "multiple-primary-needs", "pupils/ava-brown/needs.yaml", 13, 12),
    ("bad-unknown-key", "unknown-key", "pupils/ava-brown/needs.yaml", 8, 3),
    ("bad-value", "bad-value", "pupils/ava-brown/needs.yaml", 2, 9),
    ("bad-wrong-type", "wrong-type", "pupils/ava-brown/pupil.yaml", 5, 13),
    ("bad-yaml-syntax", "yaml-syntax", "pupils/ava-brown/needs.yaml", 3, 9),
];

#[test]
fn every_bad_input_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bad-") && n != "bad-settings")
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = BAD.iter().map(|b| b.0).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn each_bad_input_is_one_located_error_in_every_format() {
    for &(name, code, file, line, column) in BAD {
        let repo = fixture(name);
        let human = senco(&repo, &["check"]);
        let json = senco(&repo, &["check", "--format", "json"]);
        // The fixtures sit inside this checkout: `--path-prefix .` keeps
        // their paths relative to the fixture (the git root case is tested below).
        let github = senco(&repo, &["check", "--format", "github", "--path-prefix", "."]);
        let sarif = senco(&repo, &["check", "--format", "sarif", "--path-prefix", "."]);
        for run in [&human, &json, &github, &sarif] {
            assert_eq!(run.code, 1, "{name}: {}", run.all());
            assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        }
        let report: Report =
            serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{name}: {e}\n{}", json.stdout));
        assert_eq!(report.version, 1);
        let errors: Vec<&JsonFinding> = report.findings.iter().filter(|f| f.severity == "error").collect();
        assert_eq!(errors.len(), 1, "{name}: exactly one error expected, got {}", json.stdout);
        let e = errors[0];
        assert_eq!((e.code.as_str(), e.file.as_str(), e.line, e.column), (code, file, line, column), "{name}");
        assert_eq!(e.pupil.as_deref(), Some("ava-brown"));
        assert!(
            human.stdout.contains(&format!("{file}:{line}:{column}: error[{code}]")) || line == 1,
            "{name}: {}",
            human.stdout
        );
        assert!(
            github.stdout.contains(&format!("::error file={file},line={line},col={column},title={code}::")),
            "{name}: {}",
            github.stdout
        );
        let sarif: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
        let result = sarif["runs"][0]["results"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["level"] == "error"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(result["ruleId"], code, "{name}");
        let loc = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            (loc["artifactLocation"]["uri"].as_str(), loc["region"]["startLine"].as_u64()),
            (Some(file), Some(u64::from(line))),
            "{name}"
        );
        insta::assert_snapshot!(
            format!("check-{name}"),
            format!("{}\n=== json\n{}\n=== github\n{}", human.all(), json.stdout, github.stdout)
        );
    }
}

#[test]
fn clean_repository_is_silent_but_for_the_summary() {
    let run = senco(&fixture("base"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.all());
    insta::assert_snapshot!("check-base", run.all());
}

#[test]
fn example_school_has_no_errors() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/oakfield");
    let run = senco(&repo, &["check"]);
    assert_eq!(run.code, 0, "{}", run.all());
    insta::assert_snapshot!("check-oakfield", run.all());
    let json = senco(&repo, &["check", "--format", "json"]);
    let report: Report = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report.summary.errors, 0);
    assert!(report.summary.pupils >= 12);
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let repo = fixture("bad-due-before-set");
    let run = senco(&repo, &["check", "--deny", "warnings", "--quiet"]);
    assert_eq!(run.code, 1);
    let oak = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/oakfield");
    assert_eq!(senco(&oak, &["check", "--deny", "warnings"]).code, 1);
}

#[test]
fn bad_settings_are_a_located_failure() {
    let run = senco(&fixture("bad-settings"), &["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("senco.toml:19:1"), "{}", run.stderr);
    insta::assert_snapshot!("check-bad-settings", run.all());
}

#[test]
fn outside_a_repository_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let run = senco_in(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a senco records repository"), "{}", run.stderr);
    assert!(run.stderr.contains("senco init"), "{}", run.stderr);
}

#[test]
fn root_is_found_from_a_subfolder() {
    let run = senco_in(&fixture("base").join("pupils/ava-brown"), &["--today", TODAY, "check"]);
    assert_eq!(run.code, 0, "{}", run.all());
}

#[test]
fn today_comes_from_the_environment_too() {
    let out = Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(["-C", fixture("base").to_str().unwrap(), "check", "--format", "json"])
        .env("SENCO_TODAY", "2027-06-01")
        .output()
        .unwrap();
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report.findings.iter().any(|f| f.code == "ENG-SUP-REVIEW"), "a review is overdue by June");
}

#[test]
fn init_creates_a_repository_that_passes_check_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    let run = senco_in(dir.path(), &["--today", TODAY, "init", "school", "--name", "Elm Tree Primary"]);
    assert_eq!(run.code, 0, "{}", run.all());
    for f in
        ["senco.toml", "staff.yaml", "catalogue.yaml", ".gitignore", ".github/workflows/senco.yml", "pupils/.gitkeep"]
    {
        assert!(repo.join(f).exists(), "{f}");
    }
    assert!(std::fs::read_to_string(repo.join("senco.toml")).unwrap().contains("year_start = 2026-09-01"));
    assert!(std::fs::read_to_string(repo.join(".github/workflows/senco.yml"))
        .unwrap()
        .contains("check --format github"));
    // It passes check: the only finding is the unnamed SENCO.
    let check = senco(&repo, &["check", "--format", "json"]);
    assert_eq!(check.code, 0, "{}", check.all());
    let before = tree(&repo);
    let again = senco_in(dir.path(), &["--today", TODAY, "init", "school"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already"), "{}", again.stderr);
    assert_eq!(before, tree(&repo));
}

#[test]
fn new_pupil_passes_check_and_refuses_a_second_time() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("base"), dir.path());
    let args = [
        "new-pupil",
        "--id",
        "leo-ward",
        "--first",
        "Leo",
        "--last",
        "Ward",
        "--dob",
        "2019-05-02",
        "--year",
        "2",
        "--level",
        "sen-support",
        "--class",
        "2W",
    ];
    let run = senco(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.all());
    insta::assert_snapshot!("new-pupil", run.all());
    let pupil = std::fs::read_to_string(dir.path().join("pupils/leo-ward/pupil.yaml")).unwrap();
    insta::assert_snapshot!("new-pupil-yaml", pupil);
    let check = senco(dir.path(), &["check", "--format", "json"]);
    assert_eq!(check.code, 0, "{}", check.all());
    let report: Report = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(report.summary.errors, 0);

    let before = tree(dir.path());
    let again = senco(dir.path(), &args);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(before, tree(dir.path()), "a refused new-pupil changes nothing");

    for bad in [["--id", "Leo Ward"], ["--level", "iep"]] {
        let mut a: Vec<&str> = args.to_vec();
        let i = a.iter().position(|x| *x == bad[0]).unwrap();
        a[i + 1] = bad[1];
        if bad[0] == "--level" {
            a[2] = "leo-ward-2";
        }
        let run = senco(dir.path(), &a);
        assert_eq!(run.code, 2, "{}", run.all());
        assert_eq!(before, tree(dir.path()), "a rejected new-pupil changes nothing");
    }
}

#[test]
fn new_pupil_on_a_statutory_level_needs_the_plan_date() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("base"), dir.path());
    let mut args = vec![
        "new-pupil",
        "--id",
        "mia-shah",
        "--first",
        "Mia",
        "--last",
        "Shah",
        "--dob",
        "2017-01-09",
        "--year",
        "4",
        "--level",
        "ehcp",
    ];
    assert_eq!(senco(dir.path(), &args).code, 2);
    args.extend(["--plan-issued", "2026-06-01"]);
    assert_eq!(senco(dir.path(), &args).code, 0);
    assert_eq!(senco(dir.path(), &["check"]).code, 0);
}

#[test]
fn explain_knows_every_code_and_suggests_for_typos() {
    let run = senco_in(Path::new("."), &["explain", "unknown-key"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("x-"), "{}", run.stdout);
    let rule = senco_in(Path::new("."), &["explain", "ENG-AR-DUE"]);
    assert!(rule.stdout.contains("s.44(1)"), "{}", rule.stdout);
    let typo = senco_in(Path::new("."), &["explain", "unknown-kye"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("did you mean `unknown-key`"), "{}", typo.stderr);
}

#[test]
fn rule_severity_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("base"), dir.path());
    let toml = dir.path().join("senco.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    // By June the support review is overdue: a warning by default.
    let late = ["--today", "2027-06-01"];
    let run = senco_in(dir.path(), &[late[0], late[1], "check", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("ENG-SUP-REVIEW"));
    std::fs::write(&toml, format!("{text}\n[rules]\nENG-SUP-REVIEW = \"error\"\n")).unwrap();
    assert_eq!(senco_in(dir.path(), &[late[0], late[1], "check"]).code, 1);
    std::fs::write(&toml, format!("{text}\n[rules]\nENG-SUP-REVIEW = \"off\"\n")).unwrap();
    let off = senco_in(dir.path(), &[late[0], late[1], "check", "--format", "json"]);
    assert!(!off.stdout.contains("ENG-SUP-REVIEW"), "{}", off.stdout);
    std::fs::write(&toml, format!("{text}\n[rules]\nENG-SUP-REVEIW = \"off\"\n")).unwrap();
    let typo = senco_in(dir.path(), &["check"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("did you mean `ENG-SUP-REVIEW`"), "{}", typo.stderr);
}

#[test]
fn unusable_settings_numbers_are_a_located_failure() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("base"), dir.path());
    let toml = dir.path().join("senco.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[costs]\nweeks_per_year = 0\n")).unwrap();
    let run = senco(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("weeks_per_year") && run.stderr.contains("between 1 and 53"), "{}", run.stderr);
}

#[test]
fn misplaced_yaml_files_are_never_silently_ignored() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("base"), dir.path());
    for f in ["staf.yaml", "mkdocs.yml", ".pre-commit-config.yaml", "pupils/leo-ward.yaml"] {
        std::fs::write(dir.path().join(f), "x: 1\n").unwrap();
    }
    let run = senco(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut flagged: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "unknown-file")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    flagged.sort();
    assert_eq!(flagged, ["pupils/leo-ward.yaml", "staf.yaml"], "other tools' YAML at the top is left alone");
}

/// Records in a subfolder of a git checkout: SARIF URIs and GitHub
/// annotations name files from the checkout's root, percent-encoded in SARIF.
#[test]
fn ci_paths_are_relative_to_the_git_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let repo = dir.path().join("rec ords");
    copy_dir(&fixture("bad-date"), &repo);
    let file = "pupils/ava-brown/targets.yaml";
    let sarif = senco(&repo, &["check", "--format", "sarif"]);
    assert_eq!(sarif.code, 1, "{}", sarif.all());
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    let loc = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], format!("rec%20ords/{file}"));
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
    for r in results {
        assert!(r["partialFingerprints"]["senco/v1"].as_str().is_some_and(|p| p.len() == 16), "{r}");
        assert!(!r["message"]["text"].as_str().unwrap().contains('\n'), "{r}");
    }
    let rule = &run["tool"]["driver"]["rules"][0];
    for k in ["shortDescription", "fullDescription", "help"] {
        assert!(!rule[k]["text"].as_str().unwrap_or("").is_empty(), "{k}: {rule}");
    }
    let github = senco(&repo, &["check", "--format", "github"]);
    assert!(github.stdout.contains(&format!("::error file=rec ords/{file},line=5,col=8,")), "{}", github.stdout);
    // `--path-prefix` overrides what the checkout says.
    let github = senco(&repo, &["check", "--format", "github", "--path-prefix", "schools/oak/"]);
    assert!(github.stdout.contains(&format!("::error file=schools/oak/{file},line=5,")), "{}", github.stdout);
}

/// A broken senco.toml still gives well-formed json, sarif and github output
/// carrying the located `bad-settings` finding, with exit status 2.
#[test]
fn broken_settings_are_a_finding_in_every_machine_format() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    copy_dir(&fixture("base"), &repo);
    let toml = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    std::fs::write(repo.join("senco.toml"), format!("{toml}\nbroken = [\n")).unwrap();
    let json = senco(&repo, &["check", "--format", "json"]);
    assert_eq!(json.code, 2, "{}", json.all());
    let report: Report = serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}: {}", json.all()));
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!((f.code.as_str(), f.file.as_str(), f.severity.as_str()), ("bad-settings", "senco.toml", "error"));
    assert!(f.line > 1);
    assert_eq!(report.summary.errors, 1);
    let sarif = senco(&repo, &["check", "--format", "sarif", "--path-prefix", "."]);
    assert_eq!(sarif.code, 2, "{}", sarif.all());
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let r = &doc["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "bad-settings");
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "senco.toml");
    let github = senco(&repo, &["check", "--format", "github", "--path-prefix", "."]);
    assert_eq!(github.code, 2, "{}", github.all());
    assert!(github.stdout.starts_with("::error file=senco.toml,line="), "{}", github.stdout);
    assert!(github.stdout.contains(",title=bad-settings::"), "{}", github.stdout);
}
