//! `senco explain CODE`: what a finding or rule code means and how to fix it.

use super::{print, Ctx};
use crate::check::codes::{self, CODES};
use crate::cli::ExplainArgs;
use crate::error::Error;
use crate::rules::{self, RULES};

pub fn run(_ctx: &Ctx, args: &ExplainArgs) -> Result<u8, Error> {
    let Some(code) = args.code.as_deref().filter(|_| !args.list) else {
        let mut out = String::from("Finding codes:\n");
        for c in CODES {
            out.push_str(&format!("  {:<24} {:<8} {}\n", c.code, c.severity.as_str(), c.summary));
        }
        out.push_str("\nRule codes (see also `senco explain RULE`):\n");
        for r in RULES.iter() {
            out.push_str(&format!("  {:<24} {:<8} {}\n", r.code, r.jurisdiction.as_str(), r.statement));
        }
        print(&out)?;
        return Ok(0);
    };
    print(&explain(code).ok_or_else(|| {
        let all = CODES.iter().map(|c| c.code).chain(RULES.iter().map(|r| r.code));
        let hint = match crate::repo::decode::suggest(code, all) {
            Some(s) => format!("did you mean `{s}`? `senco explain --list` lists every code"),
            None => "`senco explain --list` lists every code".into(),
        };
        Error::usage(format!("unknown code `{code}`"), Some(hint))
    })?)?;
    Ok(0)
}

/// The full text for a code, or `None` if no such code exists.
pub fn explain(code: &str) -> Option<String> {
    if let Some(c) = codes::code(code) {
        return Some(format!("{} ({})\n\n{}\n\n{}\n", c.code, c.severity.as_str(), c.summary, c.explanation));
    }
    let r = rules::rule(&code.to_ascii_uppercase())?;
    let confidence = match r.confidence {
        'P' => "checked against the primary text",
        'S' => "a reliable secondary source quoting it",
        _ => "statutory guidance or good practice: a \"should\", not a \"must\"",
    };
    Some(format!(
        "{} ({}, default {})\n\n{}\n\nThe law: {}\n\nSource: {} (confidence {}: {})\n\nA school can change this rule's severity in senco.toml:\n\n    [rules]\n    {} = \"off\"   # or \"warn\", \"error\"\n",
        r.code,
        r.jurisdiction.as_str(),
        r.severity.as_str(),
        r.statement,
        r.provision,
        r.source,
        r.confidence,
        confidence,
        r.code
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_unique_and_explained() {
        let mut seen = HashSet::new();
        for c in CODES {
            assert!(seen.insert(c.code), "duplicate code {}", c.code);
            assert!(
                c.code.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{} is not kebab-case",
                c.code
            );
            assert!(c.explanation.len() > 40, "{} has no real explanation", c.code);
            assert!(explain(c.code).is_some());
        }
        for r in RULES.iter() {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(!r.source.is_empty() && !r.statement.is_empty(), "{} is not cited", r.code);
            assert!(explain(r.code).unwrap().contains(r.source));
        }
    }
}
