//! `senco check`: validate the records and report every finding.

use super::Ctx;
use crate::cli::{CheckArgs, CheckFormat, Deny};
use crate::diag::{render, Severity, Tally};
use crate::error::Error;
use std::io::Write;

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<u8, Error> {
    // Only the human report quotes source lines; the others need no file texts.
    let report = crate::check::check_root(&ctx.root()?, ctx.today, args.format == CheckFormat::Human)?;
    let mut findings = report.findings;
    // The human summary counts everything, also what `--quiet` does not show.
    let all = Tally::of(&findings);
    if args.quiet {
        findings.retain(|f| f.severity == Severity::Error);
    }
    let (pupils, files) = (report.pupils, report.files);
    // Written as it is rendered, so a report of any size needs no second copy in memory.
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let written = (|| -> std::io::Result<()> {
        match args.format {
            CheckFormat::Human => {
                let paint = render::Paint { on: ctx.color_out };
                let mut buf = String::new();
                for f in &findings {
                    buf.clear();
                    render::human(&mut buf, f, report.sources.get(&f.file).map(String::as_str), paint);
                    buf.push('\n');
                    w.write_all(buf.as_bytes())?;
                }
                writeln!(w, "{}", render::summary(all, pupils, files))?;
            }
            CheckFormat::Json => render::json_to(&mut w, &findings, pupils, files)?,
            CheckFormat::Sarif => w.write_all(render::sarif(&findings).as_bytes())?,
            CheckFormat::Github => {
                let mut buf = String::new();
                for f in &findings {
                    buf.clear();
                    render::github(&mut buf, f);
                    w.write_all(buf.as_bytes())?;
                }
            }
        }
        w.flush()
    })();
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Error::io(std::path::Path::new("<stdout>"), e));
        }
        _ => {}
    }
    let fail = all.errors > 0 || (args.deny == Some(Deny::Warnings) && all.warnings > 0);
    Ok(u8::from(fail))
}
