//! `senco check`: validate the records and report every finding.

use super::Ctx;
use crate::cli::{CheckArgs, CheckFormat, Deny};
use crate::diag::{render, Severity, Tally};
use crate::error::Error;
use std::io::Write;

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<u8, Error> {
    // Only the human report quotes source lines; the others need no file texts.
    let root = ctx.root()?;
    let report = match crate::check::check_root(&root, ctx.today, args.format == CheckFormat::Human) {
        Ok(r) => r,
        // A broken senco.toml: machine formats still get a well-formed
        // report carrying the located `bad-settings` finding (exit 2).
        Err(Error::Settings { finding, .. }) if args.format != CheckFormat::Human => {
            let prefix = path_prefix(&root, args);
            write_machine(args.format, std::slice::from_ref(&*finding), 0, 1, prefix.as_deref())?;
            return Ok(2);
        }
        Err(e) => return Err(e),
    };
    let mut findings = report.findings;
    // The human summary counts everything, also what `--quiet` does not show.
    let all = Tally::of(&findings);
    if args.quiet {
        findings.retain(|f| f.severity == Severity::Error);
    }
    let (pupils, files) = (report.pupils, report.files);
    // Written as it is rendered, so a report of any size needs no second copy in memory.
    let written = if args.format == CheckFormat::Human {
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::new(stdout.lock());
        let paint = render::Paint { on: ctx.color_out };
        (|| -> std::io::Result<()> {
            let mut buf = String::new();
            for f in &findings {
                buf.clear();
                render::human(&mut buf, f, report.sources.get(&f.file).map(String::as_str), paint);
                buf.push('\n');
                w.write_all(super::stdout_text(&buf).as_bytes())?;
            }
            writeln!(w, "{}", render::summary(all, pupils, files))?;
            w.flush()
        })()
        .or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e) })
        .map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))
    } else {
        let prefix = path_prefix(&root, args);
        write_machine(args.format, &findings, pupils, files, prefix.as_deref())
    };
    written?;
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

/// Writes the json, sarif or github report of `findings` to stdout.
fn write_machine(
    format: CheckFormat,
    findings: &[crate::diag::Finding],
    pupils: usize,
    files: usize,
    prefix: Option<&str>,
) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let written = (|| -> std::io::Result<()> {
        match format {
            CheckFormat::Human => {}
            CheckFormat::Json => render::json_to(&mut w, findings, pupils, files)?,
            CheckFormat::Sarif => w.write_all(render::sarif(findings, prefix).as_bytes())?,
            CheckFormat::Github => {
                let mut buf = String::new();
                for f in findings {
                    buf.clear();
                    render::github(&mut buf, f, prefix);
                    w.write_all(buf.as_bytes())?;
                }
            }
        }
        w.flush()
    })();
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io(std::path::Path::new("<stdout>"), e)),
        _ => Ok(()),
    }
}

/// The folder of the records relative to the repository root, `/`-separated,
/// for the paths of annotations and SARIF: `--path-prefix` when given (`.`
/// or empty for none), else the records' place in the enclosing git
/// checkout, else their place under `GITHUB_WORKSPACE`. `None` at the root.
fn path_prefix(root: &std::path::Path, args: &CheckArgs) -> Option<String> {
    if let Some(p) = &args.path_prefix {
        let p = p.replace('\\', "/");
        let p = p.trim_start_matches("./").trim_matches('/');
        return (!p.is_empty() && p != ".").then(|| p.to_string());
    }
    let root = root.canonicalize().ok()?;
    let top = root
        .ancestors()
        .find(|a| a.join(".git").exists())
        .map(std::path::Path::to_path_buf)
        .or_else(|| std::path::PathBuf::from(std::env::var_os("GITHUB_WORKSPACE")?).canonicalize().ok())?;
    folder_under(&root, &top)
}

/// `root` relative to `top`, `/`-separated; `None` when it is `top` itself
/// or outside it.
fn folder_under(root: &std::path::Path, top: &std::path::Path) -> Option<String> {
    let rel = root.strip_prefix(top).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}
