//! `senco check`: validate the records and report every finding.

use super::{print, Ctx};
use crate::cli::{CheckArgs, CheckFormat, Deny};
use crate::diag::{render, Severity, Tally};
use crate::error::Error;

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<u8, Error> {
    let report = crate::check::check_root(&ctx.root()?, ctx.today)?;
    let mut findings = report.findings;
    if args.quiet {
        findings.retain(|f| f.severity == Severity::Error);
    }
    let (pupils, files) = (report.pupils, report.files);
    let mut out = String::new();
    match args.format {
        CheckFormat::Human => {
            let paint = render::Paint { on: ctx.color_out };
            for f in &findings {
                render::human(&mut out, f, report.sources.get(&f.file).map(String::as_str), paint);
                out.push('\n');
            }
            out.push_str(&render::summary(Tally::of(&findings), pupils, files));
            out.push('\n');
        }
        CheckFormat::Json => out = render::json(&findings, pupils, files),
        CheckFormat::Github => {
            for f in &findings {
                render::github(&mut out, f);
            }
        }
    }
    print(&out)?;
    let t = Tally::of(&findings);
    let fail = t.errors > 0 || (args.deny == Some(Deny::Warnings) && t.warnings > 0);
    Ok(u8::from(fail))
}
