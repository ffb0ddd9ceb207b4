//! `senco schema`: the JSON Schemas agree with the decoder. Every record file
//! of the example school and of every fixture is validated with a real
//! validator (Python's `jsonschema`, draft 2020-12, formats checked), and a
//! file passes the schema exactly when the decoder finds no structural error
//! in it; the bad-input fixtures for an unknown key, a wrong type, a bad
//! date, a bad word and a missing key fail it.

use crate::{copy_dir, fixture, senco, senco_in};
use senco::model::schema::Kind;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The decoder's findings that say a file does not have the format's shape:
/// exactly what a schema can see.
const STRUCTURAL: &[&str] = &["unknown-key", "wrong-type", "bad-value", "missing-key", "bad-date"];

/// Files whose only fault is a number out of range: the decoder reads them,
/// `check` reports `bad-number`, and the schema refuses them.
const RANGES: &[&str] = &["bad-number/pupils/ava-brown/interventions.yaml"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every record file under `dir` (a repository), relative to it.
fn record_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if Kind::of_path(&rel).is_some() {
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    out
}

fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

/// A record file as the JSON a validator sees; `None` when it is not YAML
/// (or TOML) at all, which is the parser's business, not the schema's.
fn instance(rel: &str, text: &str) -> Option<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if rel == "senco.toml" {
        return text.parse::<toml::Table>().ok().map(|t| toml_to_json(&toml::Value::Table(t)));
    }
    senco::repo::yaml::parse(text).ok().flatten().map(|n| senco::repo::schema::to_json(&n))
}

const VALIDATE: &str = r#"
import json, sys
from jsonschema import Draft202012Validator
job = json.load(sys.stdin)
out = []
validators = {name: Draft202012Validator(s, format_checker=Draft202012Validator.FORMAT_CHECKER)
              for name, s in job["schemas"].items()}
for s in job["schemas"].values():
    Draft202012Validator.check_schema(s)
for name, schema, value in job["instances"]:
    errors = sorted(validators[schema].iter_errors(value), key=lambda e: list(e.absolute_path))
    out.append([name, not errors, "; ".join(e.message for e in errors[:3])])
json.dump(out, sys.stdout)
"#;

/// Python 3 with `jsonschema`, or why not. CI must have it (.ci/run
/// installs it); elsewhere the tests say they skipped.
fn python() -> Result<(), String> {
    let ok = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    match (ok, std::env::var_os("CI").is_some()) {
        (true, _) => Ok(()),
        (false, true) => panic!("CI needs python3 with jsonschema for the schema tests (.ci/run installs it)"),
        (false, false) => Err("python3 with jsonschema is not installed: schema validation skipped".into()),
    }
}

/// Validates (name, kind, instance) triples; returns (name, valid, errors).
fn validate(instances: &[(String, Kind, Value)]) -> Vec<(String, bool, String)> {
    let codes: Vec<&str> = senco::rules::RULES.iter().map(|r| r.code).collect();
    let schemas: serde_json::Map<String, Value> =
        Kind::ALL.iter().map(|k| (k.name().to_string(), k.schema(&codes))).collect();
    let job = json!({
        "schemas": schemas,
        "instances": instances.iter().map(|(n, k, v)| json!([n, k.name(), v])).collect::<Vec<_>>(),
    });
    let mut child = Command::new("python3")
        .args(["-c", VALIDATE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    let input = serde_json::to_vec(&job).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The decoder's structural findings for a file (senco.toml: whether it parses).
fn decoder_errors(rel: &str, text: &str) -> Vec<String> {
    if rel == "senco.toml" {
        return match senco::model::Settings::parse(text.strip_prefix('\u{feff}').unwrap_or(text)) {
            Ok(_) => Vec::new(),
            Err(e) => vec![format!("bad-settings: {}", e.message())],
        };
    }
    let mut findings = senco::repo::decode_text(rel, text);
    if rel.starts_with("delivery/") {
        // decode_text reads no delivery files: decode them as the loader does.
        let node = senco::repo::yaml::parse(text).ok().flatten();
        let mut cx = senco::repo::decode::Cx::new(rel);
        if let Some(node) = node {
            let _ = <Vec<senco::model::Session> as senco::repo::decode::Decode>::decode(&node, &mut cx);
        }
        findings = cx.findings;
    }
    findings
        .into_iter()
        .filter(|f| STRUCTURAL.contains(&f.code))
        .map(|f| format!("{}: {}", f.code, f.message))
        .collect()
}

/// Every record file of the example and of every fixture repository.
fn all_files() -> Vec<(String, String, String)> {
    let mut repos = vec![root().join("examples/oakfield")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("senco.toml").is_file())
        .collect();
    fixtures.sort();
    repos.extend(fixtures);
    let mut out = Vec::new();
    for repo in repos {
        for rel in record_files(&repo) {
            let Ok(text) = std::fs::read_to_string(repo.join(&rel)) else { continue };
            let name = format!("{}/{rel}", repo.file_name().unwrap().to_string_lossy());
            out.push((name, rel, text));
        }
    }
    out
}

#[test]
fn the_schemas_accept_exactly_what_the_decoder_accepts() {
    if let Err(why) = python() {
        eprintln!("{why}");
        return;
    }
    let files = all_files();
    assert!(files.len() > 300, "{}", files.len());
    let mut instances = Vec::new();
    let mut expected = Vec::new();
    for (name, rel, text) in &files {
        let Some(value) = instance(rel, text) else { continue };
        instances.push((name.clone(), Kind::of_path(rel).unwrap(), value));
        let mut errors = decoder_errors(rel, text);
        // Ranges are `check`'s (bad-number), not the decoder's; the schema says them too.
        if RANGES.contains(&name.as_str()) {
            errors.push("bad-number".into());
        }
        expected.push(errors);
    }
    let results = validate(&instances);
    let mut disagree = Vec::new();
    for ((name, valid, why), decoder) in results.iter().zip(&expected) {
        if *valid != decoder.is_empty() {
            disagree.push(format!("{name}: schema {}, decoder {decoder:?}; schema says: {why}", valid));
        }
    }
    assert!(disagree.is_empty(), "schema and decoder disagree:\n{}", disagree.join("\n"));
    let by_name = |n: &str| results.iter().find(|(name, _, _)| name == n).unwrap_or_else(|| panic!("{n}"));
    // The structural bad-input fixtures fail; their good files pass.
    for bad in [
        "bad-unknown-key/pupils/ava-brown/needs.yaml",
        "bad-wrong-type/pupils/ava-brown/pupil.yaml",
        "bad-date/pupils/ava-brown/targets.yaml",
        "bad-value/pupils/ava-brown/needs.yaml",
        "bad-missing-key/pupils/ava-brown/targets.yaml",
        "bad-settings/senco.toml",
    ] {
        assert!(!by_name(bad).1, "{bad} passes the schema");
    }
    for good in
        ["bad-unknown-key/pupils/ava-brown/pupil.yaml", "base/pupils/ava-brown/needs.yaml", "oakfield/senco.toml"]
    {
        assert!(by_name(good).1, "{good}: {}", by_name(good).2);
    }
    // Every example file passes.
    let failing: Vec<_> = results.iter().filter(|(n, v, _)| n.starts_with("oakfield/") && !v).collect();
    assert!(failing.is_empty(), "{failing:?}");
}

/// Mistakes a person typing in an editor makes, each in one kind of file:
/// the schema refuses each, and the decoder agrees.
#[test]
fn the_schemas_refuse_typing_mistakes() {
    if let Err(why) = python() {
        eprintln!("{why}");
        return;
    }
    let cases: &[(&str, &str, bool)] = &[
        ("pupils/a/pupil.yaml", "id: ava\nname: { first: A, last: B }\ndate_of_birth: 2016-03-14\nyear_group: Y4\nsupport: { level: sen-support }\nx-house: Oak\nclass: 4\n", true),
        ("pupils/a/pupil.yaml", "id: ava\nname: { first: A, last: B }\ndate_of_birth: 2016-03-14\nyear_group: \"4\"\nsupport: { level: sen-support }\n", false),
        ("pupils/a/pupil.yaml", "id: ava\nname: { first: A }\ndate_of_birth: 2016-03-14\nyear_group: 4\nsupport: { level: sen-support }\n", false),
        ("pupils/a/pupil.yaml", "id: ava\nname: { first: A, last: B }\ndate_of_birth: 2016-02-30\nyear_group: 4\nsupport: { level: sen-support }\n", false),
        ("pupils/a/pupil.yaml", "id: ava\nname: { first: A, last: B }\ndate_of_birth: 14/03/2016\nyear_group: 4\nsupport: { level: sen-support }\n", false),
        ("pupils/a/pupil.yaml", "id: ava\nname: { first: A, last: B }\ndate_of_birth: 2016-03-14\nyear_group: 4\nsupport: { level: sen-support, since: }\ncontacts:\n  - name: Mr J. Brown\n    parental_responsibility: yes\n", false),
        ("pupils/a/needs.yaml", "- id: r\n  area: cognition-and-learning\n  primary: true\n  strategies: [a, b]\n", true),
        ("pupils/a/needs.yaml", "- id: r\n  area: cognition-and-learning\n  strategies: just one\n", false),
        ("pupils/a/targets.yaml", "[]\n", true),
        ("pupils/a/targets.yaml", "- id: t\n  need: r\n  outcome: o\n  status: done\n", false),
        ("pupils/a/interventions.yaml", "- id: i\n  name: n\n  start: 2026-01-05\n  minutes: \"20\"\n", false),
        ("pupils/a/log.yaml", "- date: 2026-01-05\n  kind: phone\n  summary: Called.\n", true),
        ("pupils/a/log.yaml", "- date: 2026-01-05\n  kind: phone\n", false),
        ("pupils/a/reviews/2026-01-05.yaml", "date: 2026-01-05\nkind: termly\nattendees: [{ name: Ms P, role: SENCO }]\nla_decision: { date: 2026-02-01, outcome: keep }\ntargets:\n  - target: t\n    progress:\n", true),
        ("pupils/a/reviews/2026-01-05.yaml", "date: 2026-01-05\nkind: termly\nattendees: [{ name: Ms P, role: head }]\n", false),
        ("staff.yaml", "- id: ta\n  name: T\n  role: Teaching-Assistant\n  hourly_rate: 15.20\n", true),
        ("staff.yaml", "- id: ta\n  name: T\n  role: teaching-assistant\n  hourly_rate: fifteen\n", false),
        ("catalogue.yaml", "- id: pt\n  name: PT\n  area: cognition-and-learning\n  delivery: 1:1\n", true),
        ("catalogue.yaml", "- id: pt\n  name: PT\n  area: cognition-and-learning\n  delivery: solo\n", false),
        ("catalogue.yaml", "- id: pt\n  name: PT\n  area: cognition-and-learning\n  wave: 2\n", true),
        ("catalogue.yaml", "- id: pt\n  name: PT\n  area: cognition-and-learning\n  wave: 4\n", false),
        ("delivery/pt/2026-11.yaml", "- date: 2026-11-03\n  pupils: [{ pupil: ava, status: attended }]\n- date: 2026-11-04\n  cancelled: Staff absent\n", true),
        ("delivery/pt/2026-11.yaml", "- date: 2026-11-03\n  pupils: [{ pupil: ava, status: late }]\n", false),
    ];
    let instances: Vec<_> = cases
        .iter()
        .enumerate()
        .map(|(i, (rel, text, _))| (format!("{i} {rel}"), Kind::of_path(rel).unwrap(), instance(rel, text).unwrap()))
        .collect();
    let results = validate(&instances);
    for ((rel, text, good), (name, valid, why)) in cases.iter().zip(&results) {
        assert_eq!(valid, good, "{name}: {why}\n{text}");
        assert_eq!(decoder_errors(rel, text).is_empty(), *good, "decoder on {name}:\n{text}");
    }
}

#[test]
fn settings_tables_have_the_keys_serde_accepts() {
    // serde names every key it accepts when it meets an unknown one.
    let base = std::fs::read_to_string(fixture("base").join("senco.toml")).unwrap();
    for (table, keys) in senco::model::schema::SETTINGS_TABLES {
        let text = match *table {
            "" => format!("zzz-unknown = 1\n{base}"),
            "calendar.past" => {
                format!("{base}\n[[calendar.past]]\nyear_start = 2024-09-04\nyear_end = 2025-07-22\nzzz-unknown = 1\n")
            }
            "calendar.terms" => base.replacen("terms = [", "terms = [ { zzz-unknown = 1, name = \"X\" },", 1),
            t => {
                let header = format!("[{t}]\n");
                if base.contains(&header) {
                    base.replacen(&header, &format!("{header}zzz-unknown = 1\n"), 1)
                } else {
                    format!("{base}\n{header}zzz-unknown = 1\n")
                }
            }
        };
        let err = senco::model::Settings::parse(&text).err().map(|e| e.message().to_string()).unwrap_or_default();
        let expected: Vec<&str> = err.split('`').skip(3).step_by(2).collect();
        let mut expected = expected;
        expected.sort_unstable();
        let mut ours = keys.to_vec();
        ours.sort_unstable();
        assert_eq!(expected, ours, "[{table}]: {err}");
        // And the schema holds the same keys.
        let schema = Kind::Settings.schema(&[]);
        let mut node = &schema;
        for part in table.split('.').filter(|p| !p.is_empty()) {
            node = &node["properties"][part];
            if node["type"] == "array" {
                node = &node["items"];
            }
        }
        let mut props: Vec<&str> = node["properties"].as_object().unwrap().keys().map(String::as_str).collect();
        props.sort_unstable();
        assert_eq!(props, ours, "[{table}]");
    }
}

#[test]
fn schema_writes_the_folder_and_keeps_it_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("school");
    copy_dir(&fixture("base"), &repo);
    let run = senco(&repo, &["schema"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("wrote 11 schema(s)"), "{}", run.all());
    let on_disk = std::fs::read_to_string(repo.join("schemas/pupil.schema.json")).unwrap();
    assert_eq!(on_disk, senco(&repo, &["schema", "pupil"]).stdout);
    let again = senco(&repo, &["schema"]);
    assert!(again.stderr.contains("are up to date"), "{}", again.all());
    // --out elsewhere, outside any repository.
    let out = tmp.path().join("elsewhere");
    let run = senco_in(tmp.path(), &["schema", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 11);
    // An unknown kind is a usage error with a suggestion.
    let bad = senco(&repo, &["schema", "pupl"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("did you mean `pupil`"), "{}", bad.all());
    // --modelines: every record file gets its line, check stays as it was.
    let before = senco(&repo, &["check"]);
    let run = senco(&repo, &["schema", "--modelines"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let pupil = std::fs::read_to_string(repo.join("pupils/ava-brown/pupil.yaml")).unwrap();
    assert!(pupil.starts_with("# yaml-language-server: $schema=../../schemas/pupil.schema.json\n"), "{pupil}");
    let toml = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    assert!(toml.starts_with("#:schema ./schemas/senco.toml.schema.json\n"), "{toml}");
    let after = senco(&repo, &["check"]);
    assert_eq!((before.code, before.stdout.lines().last()), (after.code, after.stdout.lines().last()));
    let again = senco(&repo, &["schema", "--modelines"]);
    assert!(again.stderr.contains("already starts with its schema line"), "{}", again.all());
}

#[test]
fn the_example_has_its_schemas_and_modelines() {
    let ex = root().join("examples/oakfield");
    for (name, text) in senco::repo::schema::files() {
        let on_disk = std::fs::read_to_string(ex.join("schemas").join(name)).unwrap_or_default();
        assert!(
            on_disk == text,
            "examples/oakfield/schemas/{name} is out of date: run `senco -C examples/oakfield schema`"
        );
    }
    for rel in record_files(&ex) {
        let text = std::fs::read_to_string(ex.join(&rel)).unwrap();
        assert_eq!(senco::repo::schema::with_modeline(&rel, &text), text, "{rel} has no schema line");
    }
}

/// A new repository and the files the writers create start with their
/// schema line, the schemas are there to resolve it, and every such file
/// passes its schema.
#[test]
fn init_and_the_writers_write_the_schema_line() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("school");
    let run = senco_in(tmp.path(), &["--today", "2026-11-24", "init", "school", "--name", "Elm Tree Primary"]);
    assert_eq!(run.code, 0, "{}", run.all());
    for (name, text) in senco::repo::schema::files() {
        assert_eq!(std::fs::read_to_string(repo.join("schemas").join(name)).unwrap(), text, "{name}");
    }
    let run = senco(
        &repo,
        &[
            "new-pupil",
            "--id",
            "ava-brown",
            "--first",
            "Ava",
            "--last",
            "Brown",
            "--dob",
            "2018-03-14",
            "--year",
            "Y3",
            "--level",
            "sen-support",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    let run = senco(&repo, &["new-review", "ava-brown", "--date", "2026-12-09"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let run = senco(&repo, &["log", "ava-brown", "--kind", "phone", "--with", "parent", "Called about the trip"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let files = record_files(&repo);
    assert!(files.len() >= 10, "{files:?}");
    let mut instances = Vec::new();
    for rel in &files {
        let text = std::fs::read_to_string(repo.join(rel)).unwrap();
        let first = text.lines().next().unwrap_or("");
        let kind = Kind::of_path(rel).unwrap();
        match kind.modeline(rel) {
            Some(line) => assert_eq!(first, line, "{rel}"),
            None => assert_eq!(first, "#:schema ./schemas/senco.toml.schema.json", "{rel}"),
        }
        // The path in the line resolves from the file's folder.
        let target = first.rsplit(['=', ' ']).next().unwrap();
        assert!(repo.join(rel).parent().unwrap().join(target).is_file(), "{rel}: {target}");
        instances.push((rel.clone(), kind, instance(rel, &text).unwrap()));
    }
    let check = senco(&repo, &["check"]);
    assert_ne!(check.code, 2, "{}", check.all());
    assert!(!check.stdout.contains("error["), "{}", check.all());
    if let Err(why) = python() {
        eprintln!("{why}");
        return;
    }
    for (name, valid, why) in validate(&instances) {
        assert!(valid, "{name}: {why}");
    }
}

/// The schemas in yaml-language-server itself (VS Code's YAML extension,
/// Neovim's yamlls): the example passes; each structural bad input gives
/// one diagnostic at its line. Needs node and the language server (see
/// tests/yls/check.js), so it is ignored by default.
#[test]
#[ignore]
fn yaml_language_server_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for (name, bad) in [
        ("base", None),
        ("bad-unknown-key", Some("pupils/ava-brown/needs.yaml:9:3")),
        ("bad-wrong-type", Some("pupils/ava-brown/pupil.yaml:6:13")),
        ("bad-date", Some("pupils/ava-brown/targets.yaml:6:8")),
        ("bad-value", Some("pupils/ava-brown/needs.yaml:3:9")),
        ("bad-missing-key", Some("pupils/ava-brown/targets.yaml:2:3")),
    ] {
        let repo = tmp.path().join(name);
        copy_dir(&fixture(name), &repo);
        senco(&repo, &["schema"]);
        for rel in record_files(&repo).into_iter().filter(|r| r.ends_with(".yaml")) {
            // Fixtures have no schema line (and files with errors get none
            // from --modelines): add it here.
            let text = std::fs::read_to_string(repo.join(&rel)).unwrap();
            std::fs::write(repo.join(&rel), senco::repo::schema::with_modeline(&rel, &text)).unwrap();
            files.push(repo.join(&rel).to_string_lossy().into_owned());
        }
        if let Some(at) = bad {
            expected.push(format!("{}:", repo.join(at).display()));
        }
    }
    let out = Command::new("node").arg(root().join("tests/yls/check.js")).args(&files).output().expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let diagnostics: Vec<&str> = stdout.lines().filter(|l| !l.ends_with("with diagnostics")).collect();
    assert_eq!(diagnostics.len(), expected.len(), "{stdout}");
    for e in &expected {
        assert!(diagnostics.iter().any(|d| d.starts_with(e.as_str())), "{e} not in\n{stdout}");
    }
}
