//! `senco rules`: the rules of the rule packs, generated from the registry.

use super::{print, Ctx};
use crate::cli::{RulesArgs, RulesFormat};
use crate::error::Error;
use crate::rules::{configured, RULES};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    code: &'static str,
    jurisdiction: &'static str,
    severity: &'static str,
    statement: &'static str,
    source: &'static str,
    confidence: char,
}

pub fn run(ctx: &Ctx, args: &RulesArgs) -> Result<u8, Error> {
    // Inside a repository: its jurisdiction and its configured severities.
    let settings = ctx.root().ok().and_then(|root| {
        let text = std::fs::read_to_string(root.join(crate::repo::SETTINGS_FILE)).ok()?;
        crate::model::Settings::parse(&text).ok()
    });
    let only = match (args.all, args.jurisdiction) {
        (true, _) => None,
        (false, Some(j)) => Some(j.resolve()),
        (false, None) => settings.as_ref().map(|s| s.school.jurisdiction),
    };
    let rows: Vec<Row> = RULES
        .iter()
        .filter(|r| only.is_none_or(|j| r.jurisdiction == j))
        .map(|r| Row {
            code: r.code,
            jurisdiction: r.jurisdiction.as_str(),
            severity: match &settings {
                Some(s) => configured(s, r.code, r.severity).map_or("off", |s| s.as_str()),
                None => r.severity.as_str(),
            },
            statement: r.statement,
            source: r.source,
            confidence: r.confidence,
        })
        .collect();
    let mut out = String::new();
    match args.format {
        RulesFormat::Json => {
            out = serde_json::to_string_pretty(&serde_json::json!({"version": 1, "rules": rows})).unwrap_or_default();
            out.push('\n');
        }
        RulesFormat::Markdown => {
            out.push_str("| code | jurisdiction | severity | rule | source |\n|---|---|---|---|---|\n");
            for r in &rows {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} ({}) |\n",
                    r.code, r.jurisdiction, r.severity, r.statement, r.source, r.confidence
                ));
            }
        }
        RulesFormat::Table => {
            for r in &rows {
                out.push_str(&format!(
                    "{:<17} {:<8} {}\n{:<26} source: {} ({})\n",
                    r.code, r.severity, r.statement, "", r.source, r.confidence
                ));
            }
            out.push_str(&format!(
                "{} rules. Confidence P: checked against primary legislation; S: a reliable secondary source.\n`senco explain CODE` prints a rule in full.\n",
                rows.len()
            ));
        }
    }
    print(&out)?;
    Ok(0)
}
