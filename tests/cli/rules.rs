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
