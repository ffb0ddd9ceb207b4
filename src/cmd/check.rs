//! `senco check`: validate the records and report every finding.

use super::Ctx;
use crate::cli::{CheckArgs, CheckFormat, Deny};
use crate::diag::{render, Severity, Tally};
use crate::error::Error;
use std::io::Write;

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<u8, Error> {
    // Only the human report quotes source lines; the others need no file texts.
    let root = ctx.root()?;
    let report = crate::check::check_root(&root, ctx.today, args.format == CheckFormat::Human)?;
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
                // Annotations name files from the checkout's root, so records
                // in a subfolder (`-C records`) still annotate the right lines.
                let prefix = folder_from_here(&root);
                let mut buf = String::new();
                for f in &findings {
                    buf.clear();
                    match &prefix {
                        Some(p) => {
                            let mut f = f.clone();
                            f.file = format!("{p}/{}", f.file);
                            render::github(&mut buf, &f);
                        }
                        None => render::github(&mut buf, f),
                    }
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
    if fail && all.errors == 0 && (args.quiet || args.format != CheckFormat::Human) {
        // Nothing printed says why the exit status is 1: say it.
        super::eprint(&format!(
            "senco check fails: {} warning(s) and `--deny warnings`{}\n",
            all.warnings,
            if args.quiet { " (`-q` shows errors only; run without it to see them)" } else { "" }
        ));
    }
    Ok(u8::from(fail))
}

/// In GitHub Actions, the records root relative to the checkout
/// (`GITHUB_WORKSPACE`), `/`-separated, when it is a subfolder of it: the
/// paths annotations need. `None` elsewhere, or at the checkout's root.
fn folder_from_here(root: &std::path::Path) -> Option<String> {
    let here = std::path::PathBuf::from(std::env::var_os("GITHUB_WORKSPACE")?).canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let rel = root.strip_prefix(&here).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}
