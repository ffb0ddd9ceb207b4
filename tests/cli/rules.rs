//! `senco rules` and the rule packs as `check` reports them.

use crate::*;

#[test]
fn rules_lists_every_rule_with_a_citation() {
    let run = senco_in(std::path::Path::new("/"), &["rules", "--all", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules = v["rules"].as_array().unwrap();
    assert!(rules.len() >= 27);
    for r in rules {
        assert!(!r["source"].as_str().unwrap().is_empty(), "{r}");
        assert!(!r["statement"].as_str().unwrap().is_empty(), "{r}");
        let code = r["code"].as_str().unwrap();
        let explained = senco_in(std::path::Path::new("/"), &["explain", code]);
        assert_eq!(explained.code, 0, "{code}");
        assert!(explained.stdout.contains(r["source"].as_str().unwrap()));
    }
}

#[test]
fn rules_in_a_repository_show_its_pack_and_severities() {
    let run = senco(&oakfield(), &["rules"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("ENG-AR-DUE"));
    assert!(!run.stdout.contains("US-IEP-ANNUAL"));
    insta::assert_snapshot!("rules-oakfield", run.all());
    let md = senco(&oakfield(), &["rules", "--jurisdiction", "wales", "--format", "markdown"]);
    insta::assert_snapshot!("rules-wales-markdown", md.stdout);
}

#[test]
fn docs_are_in_step_with_the_registries() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules_md = std::fs::read_to_string(root.join("docs/rules.md")).unwrap();
    let table = senco_in(std::path::Path::new("/"), &["rules", "--all", "--format", "markdown"]).stdout;
    assert!(rules_md.contains(&table), "docs/rules.md must end with `senco rules --all --format markdown`");
    let format_md = std::fs::read_to_string(root.join("docs/format.md")).unwrap();
    let list = senco_in(std::path::Path::new("/"), &["explain", "--list"]).stdout;
    for line in list.lines().filter(|l| l.starts_with("  ")) {
        let code = line.split_whitespace().next().unwrap();
        let documented = if code.chars().next().unwrap().is_ascii_uppercase() { &rules_md } else { &format_md };
        assert!(
            documented.contains(&format!("`{code}`")) || documented.contains(&format!("| {code} |")),
            "{code} is not documented"
        );
    }
}
