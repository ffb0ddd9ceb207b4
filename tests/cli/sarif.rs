//! CI output that real tools accept: `check --format sarif` validated
//! against the OASIS SARIF 2.1.0 JSON schema (vendored in tests/sarif/) by a
//! small JSON Schema draft-04 validator of the keywords that schema uses, and
//! `check --format github` decoded by GitHub's workflow-command escaping
//! rules back to the findings.

use super::{copy_dir, fixture, senco};
use serde_json::Value;
use std::path::Path;

/// A JSON Schema draft-04 validator for the keywords the SARIF 2.1.0 schema
/// uses: `$ref` (local), `type`, `enum`, `properties`, `additionalProperties`,
/// `required`, `items`, `minItems`, `uniqueItems`, `minimum`, `maximum`,
/// `anyOf`, `oneOf` and its four `pattern`s; `format` is an annotation, as
/// in draft-04 validators by default. A keyword it does not know fails the
/// test, so a schema update cannot be half-checked. (The `jsonschema` crate
/// would add 47 crates to every CI build for this one test.)
struct Schema {
    root: Value,
}

const KNOWN: &[&str] = &[
    "$schema",
    "id",
    "title",
    "description",
    "default",
    "definitions",
    "format",
    "$ref",
    "type",
    "enum",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "minItems",
    "uniqueItems",
    "minimum",
    "maximum",
    "anyOf",
    "oneOf",
    "pattern",
];

fn hex(c: char) -> bool {
    c.is_ascii_hexdigit()
}

/// The schema's four patterns, matched by hand (no regex crate in the tree).
fn pattern_matches(pattern: &str, s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    match pattern {
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$" => {
            c.len() == 36
                && c.iter().enumerate().all(|(i, &ch)| match i {
                    8 | 13 | 18 | 23 => ch == '-',
                    14 => ('1'..='5').contains(&ch),
                    19 => "89abAB".contains(ch),
                    _ => hex(ch),
                })
        }
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$" => {
            let alpha = |x: &[char]| x.iter().all(char::is_ascii_alphabetic);
            (c.len() == 2 && alpha(&c)) || (c.len() == 5 && alpha(&c[..2]) && c[2] == '-' && alpha(&c[3..]))
        }
        // Unanchored: somewhere in the string, four dot-separated numbers.
        "[0-9]+(\\.[0-9]+){3}" => s
            .split(|ch: char| !ch.is_ascii_digit() && ch != '.')
            .any(|run| run.split('.').collect::<Vec<_>>().windows(4).any(|w| w.iter().all(|p| !p.is_empty()))),
        // Unanchored: a character other than `/`, then `/`, then one more character.
        "[^/]+/.+" => s.char_indices().any(|(i, ch)| ch == '/' && i > 0 && i + 1 < s.len()),
        other => panic!("the SARIF schema has a pattern this validator does not know: {other}"),
    }
}

fn type_is(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => panic!("unknown type {other}"),
    }
}

impl Schema {
    fn load() -> Schema {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-schema-2.1.0.json");
        Schema { root: serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap() }
    }

    fn errors(&self, doc: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.check(&self.root, doc, "", &mut out);
        out
    }

    fn resolve<'s>(&'s self, r: &str) -> &'s Value {
        let path = r.strip_prefix("#/").unwrap_or_else(|| panic!("only local refs: {r}"));
        path.split('/').fold(&self.root, |n, part| &n[part])
    }

    fn check(&self, schema: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
        let Some(s) = schema.as_object() else { return };
        for k in s.keys() {
            assert!(KNOWN.contains(&k.as_str()), "the SARIF schema uses `{k}`, which this validator does not know");
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            // Draft-04: a `$ref` replaces its object's other keywords.
            return self.check(self.resolve(r), v, at, out);
        }
        let mut fail = |m: String| out.push(format!("{at}: {m}"));
        if let Some(t) = s.get("type") {
            let ok = match t {
                Value::String(t) => type_is(t, v),
                Value::Array(ts) => ts.iter().any(|t| type_is(t.as_str().unwrap(), v)),
                _ => true,
            };
            if !ok {
                return fail(format!("{v} is not of type {t}"));
            }
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array) {
            if !e.contains(v) {
                fail(format!("{v} is not one of {}", Value::Array(e.clone())));
            }
        }
        if let (Some(p), Some(t)) = (s.get("pattern").and_then(Value::as_str), v.as_str()) {
            if !pattern_matches(p, t) {
                fail(format!("{t:?} does not match {p}"));
            }
        }
        if let Some(n) = v.as_f64() {
            if s.get("minimum").and_then(Value::as_f64).is_some_and(|m| n < m) {
                fail(format!("{n} is below the minimum"));
            }
            if s.get("maximum").and_then(Value::as_f64).is_some_and(|m| n > m) {
                fail(format!("{n} is above the maximum"));
            }
        }
        if let Some(items) = v.as_array() {
            if s.get("minItems").and_then(Value::as_u64).is_some_and(|m| (items.len() as u64) < m) {
                fail(format!("fewer than the minimum of items ({})", items.len()));
            }
            if s.get("uniqueItems") == Some(&Value::Bool(true)) {
                for (i, a) in items.iter().enumerate() {
                    if items[..i].contains(a) {
                        fail(format!("item {i} is a duplicate"));
                    }
                }
            }
            if let Some(item) = s.get("items") {
                for (i, x) in items.iter().enumerate() {
                    self.check(item, x, &format!("{at}/{i}"), out);
                }
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for r in s.get("required").and_then(Value::as_array).into_iter().flatten() {
                let r = r.as_str().unwrap();
                if !obj.contains_key(r) {
                    out.push(format!("{at}: required property `{r}` is missing"));
                }
            }
            for (k, x) in obj {
                match (props.and_then(|p| p.get(k)), s.get("additionalProperties")) {
                    (Some(sub), _) => self.check(sub, x, &format!("{at}/{k}"), out),
                    (None, Some(Value::Bool(false))) => out.push(format!("{at}: property `{k}` is not allowed")),
                    (None, Some(sub @ Value::Object(_))) => self.check(sub, x, &format!("{at}/{k}"), out),
                    (None, _) => {}
                }
            }
        }
        let passes = |sub: &Value| {
            let mut e = Vec::new();
            self.check(sub, v, at, &mut e);
            e.is_empty()
        };
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            if !any.iter().any(passes) {
                out.push(format!("{at}: matches none of anyOf"));
            }
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            let n = one.iter().filter(|x| passes(x)).count();
            if n != 1 {
                out.push(format!("{at}: matches {n} of oneOf, not exactly one"));
            }
        }
    }
}

fn assert_valid(v: &Schema, doc: &Value, what: &str) {
    let errors = v.errors(doc);
    assert!(errors.is_empty(), "{what}: not valid SARIF 2.1.0:\n{}", errors.join("\n"));
}

/// Every bad-input fixture, the clean base school, a broken senco.toml and
/// records in a subfolder (with a space and an accent) of a git checkout.
#[test]
fn sarif_output_is_valid_against_the_sarif_2_1_0_schema() {
    let v = Schema::load();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bad-") || n == "base" || n == "england-rules")
        .collect();
    names.sort();
    assert!(names.len() > 15, "{names:?}");
    let mut results = 0;
    for name in &names {
        let r = senco(&fixture(name), &["check", "--format", "sarif", "--path-prefix", "."]);
        assert!(r.code <= 2, "{name}: {}", r.all());
        let doc: Value =
            serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}", r.all()));
        assert_valid(&v, &doc, name);
        results += doc["runs"][0]["results"].as_array().map_or(0, Vec::len);
    }
    assert!(results > 20, "the fixtures gave only {results} results");

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let repo = dir.path().join("écoles/rec ords");
    copy_dir(&fixture("bad-unknown-key"), &repo);
    let r = senco(&repo, &["check", "--format", "sarif"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_valid(&v, &doc, "records in a subfolder");
    let uri =
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("%C3%A9coles/rec%20ords/pupils/"), "{uri}");
    // The tool's information URI, when the package names a home page, is an absolute URI.
    let driver = &doc["runs"][0]["tool"]["driver"];
    if let Some(u) = driver.get("informationUri") {
        assert!(u.as_str().is_some_and(|u| u.starts_with("https://")), "{driver}");
    }
    // The validator can fail: each of these breaks one rule of the schema.
    type Break = (&'static str, fn(&mut Value));
    let breaks: [Break; 6] = [
        ("no message", |d| drop(d["runs"][0]["results"][0].as_object_mut().unwrap().remove("message"))),
        ("bad level", |d| d["runs"][0]["results"][0]["level"] = "fatal".into()),
        ("unknown property", |d| d["runs"][0]["tool"]["driver"]["colour"] = "red".into()),
        ("line 0", |d| {
            d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into()
        }),
        ("a string for a list", |d| d["runs"][0]["results"] = "none".into()),
        ("bad guid", |d| d["runs"][0]["results"][0]["guid"] = "not-a-guid".into()),
    ];
    for (what, break_it) in breaks {
        let mut broken = doc.clone();
        break_it(&mut broken);
        assert!(!v.errors(&broken).is_empty(), "{what} passed the validator");
    }
    assert!(pattern_matches("[0-9]+(\\.[0-9]+){3}", "v1.2.3.4") && !pattern_matches("[0-9]+(\\.[0-9]+){3}", "1.2.3"));
    assert!(pattern_matches("[^/]+/.+", "text/plain") && !pattern_matches("[^/]+/.+", "/plain"));
}

// ------------------------------------------------ GitHub workflow commands

/// Undoes GitHub's escaping of a workflow command's data part.
fn unescape_data(s: &str) -> String {
    s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
}

/// Undoes the escaping of a property value (`,` and `:` too).
fn unescape_prop(s: &str) -> String {
    unescape_data(&s.replace("%3A", ":").replace("%2C", ","))
}

/// `::KIND k=v,k=v::DATA` read as GitHub's runner reads it.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
    let (head, data) = rest.split_once("::").unwrap_or_else(|| panic!("no data part: {line:?}"));
    let (kind, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or_else(|| panic!("property without `=`: {p:?} in {line:?}"));
            (k.to_string(), unescape_prop(v))
        })
        .collect();
    (kind.to_string(), props, unescape_data(data))
}

#[test]
fn github_annotations_escape_percent_line_breaks_commas_and_colons() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(&fixture("base"), &repo);
    // A folder name with `,`, `:` and `%` and a key with a line break: each
    // must reach GitHub as written, on one line.
    let odd = "pupils/ava,b:c%d";
    std::fs::rename(repo.join("pupils/ava-brown"), repo.join(odd)).unwrap();
    let pupil = repo.join(odd).join("pupil.yaml");
    let mut text = std::fs::read_to_string(&pupil).unwrap();
    text.push_str("\"50% off,\\r\\nnext: line\": 1\n");
    std::fs::write(&pupil, text).unwrap();

    let gh = senco(&repo, &["check", "--format", "github", "--path-prefix", "."]);
    let json = senco(&repo, &["check", "--format", "json", "--path-prefix", "."]);
    assert_eq!(gh.code, json.code, "{}\n{}", gh.all(), json.all());
    let findings: Vec<Value> =
        serde_json::from_str::<Value>(&json.stdout).unwrap()["findings"].as_array().unwrap().clone();
    let lines: Vec<&str> = gh.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), findings.len(), "{}", gh.stdout);
    assert!(lines.iter().all(|l| !l.contains('\r')), "a raw CR would end the command early");
    let mut odd_files = 0;
    let mut odd_messages = 0;
    for (line, f) in lines.iter().zip(&findings) {
        let (kind, props, data) = parse_command(line);
        let want_kind = match f["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(kind, want_kind, "{line}");
        let prop = |k: &str| props.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(prop("file").as_deref(), f["file"].as_str(), "{line}");
        assert_eq!(prop("title").as_deref(), f["code"].as_str(), "{line}");
        if let Some(l) = f["line"].as_u64() {
            assert_eq!(prop("line"), Some(l.to_string()), "{line}");
        }
        assert!(data.starts_with(f["message"].as_str().unwrap()), "{line}\n{f}");
        if let Some(h) = f["hint"].as_str() {
            assert!(data.ends_with(&format!("\nhint: {h}")), "{line}\n{f}");
        }
        odd_files += usize::from(prop("file").is_some_and(|p| p.contains("ava,b:c%d")));
        odd_messages += usize::from(data.contains("50% off,"));
    }
    assert!(odd_files > 0, "{}", gh.stdout);
    assert!(odd_messages > 0, "{}", gh.stdout);
    // The raw characters never appear unescaped where GitHub would split on them.
    assert!(gh.stdout.contains("file=pupils/ava%2Cb%3Ac%25d/pupil.yaml,"), "{}", gh.stdout);
}
