//! One file per command. This layer resolves arguments, calls the library,
//! prints, and chooses the exit code. Nothing below it prints.

mod check;
mod explain;
mod init;
mod new_pupil;
mod rules;
mod schema;
// Queries: one file each, sharing `emit`.
mod caseload;
mod compliance;
mod emit;
mod list;
mod log;
mod new_review;
mod recover;
mod render;
mod review_due;
mod rollover;
mod show;
mod stats;
mod templates;
pub mod transfer;
mod upkeep;
// Records in.
pub(crate) mod import;
// Evidence for leaders.
mod access;
mod census;
mod delivery;
mod export;
mod impact;
mod progress;
mod training;
// The web face.
mod serve;

use crate::cli::{Cli, Color, Command, DebugCommand};
use crate::diag::render::Paint;
use crate::error::Error;
use chrono::NaiveDate;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// What every command gets from the global arguments, resolved once.
pub struct Ctx {
    pub repo_arg: Option<PathBuf>,
    pub today: NaiveDate,
    pub color_out: bool,
    pub color_err: bool,
    /// Pupils the output will be missing because their files could not be
    /// read: set by `load` (pupils on roll), narrowed by commands about one
    /// pupil, said by `emit` in every format.
    pub unreadable: std::cell::RefCell<Vec<crate::repo::Unreadable>>,
}

impl Ctx {
    fn new(cli: &Cli) -> Ctx {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let want = |tty: bool| match cli.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => tty && !no_color,
        };
        let ctx = Ctx {
            repo_arg: cli.repo.clone(),
            today: cli.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
            color_out: want(std::io::stdout().is_terminal()),
            color_err: want(std::io::stderr().is_terminal()),
            unreadable: Default::default(),
        };
        STDOUT_TTY.store(std::io::stdout().is_terminal(), Ordering::Relaxed);
        let show_upn = match &cli.command {
            Command::List(a) => a.show_upn,
            Command::Show(a) => a.show_upn,
            Command::Census(a) => a.show_upn,
            _ => false,
        };
        SHOW_UPN.store(show_upn, Ordering::Relaxed);
        COLOUR_OUT.store(ctx.color_out, Ordering::Relaxed);
        COLOUR_ERR.store(ctx.color_err, Ordering::Relaxed);
        ctx
    }

    /// The repository root: from `-C DIR` or the current folder, walking up.
    /// Stops when an earlier records change was interrupted (or another is
    /// under way): nothing should read or write half-changed records.
    pub fn root(&self) -> Result<PathBuf, Error> {
        let root = self.root_as_is()?;
        crate::edit::journal::refuse_if_unfinished(&root)?;
        Ok(root)
    }

    /// The root without the journal check: for `senco recover`.
    pub fn root_as_is(&self) -> Result<PathBuf, Error> {
        let start = self.repo_arg.clone().unwrap_or_else(|| PathBuf::from("."));
        crate::repo::find_root(&start)
    }

    pub fn load(&self) -> Result<crate::repo::Repo, Error> {
        let repo = crate::repo::load(&self.root()?)?;
        *self.unreadable.borrow_mut() = repo.unreadable(false);
        // A staff or catalogue file there but unreadable as a whole reads as
        // empty: every answer that names staff or provision says so.
        for (name, empty) in [("staff.yaml", repo.staff.is_empty()), ("catalogue.yaml", repo.catalogue.is_empty())] {
            let broken = repo.findings.iter().any(|f| f.file == name && f.severity == crate::diag::Severity::Error);
            if empty && broken && std::fs::symlink_metadata(repo.root.join(name)).is_ok() {
                eprint(&format!(
                    "warning: `{name}` could not be read, so what it lists is missing from this output (`senco check` shows why)\n"
                ));
            }
        }
        Ok(repo)
    }

    /// The output covers the archive (`only`: the archive alone): archived
    /// pupils who could not be read count.
    pub fn include_archive(&self, repo: &crate::repo::Repo, only: bool) {
        *self.unreadable.borrow_mut() = repo.unreadable(true).into_iter().filter(|u| u.archived || !only).collect();
    }

    /// The output is about one pupil: only they count.
    pub fn only_pupil(&self, rec: &crate::repo::PupilRecord) {
        *self.unreadable.borrow_mut() = rec.unreadable().into_iter().collect();
    }

    /// A command about one pupil needs their pupil.yaml: without it there is
    /// nothing true to show (a document would be headed by the folder name).
    pub fn need_readable(&self, rec: &crate::repo::PupilRecord) -> Result<(), Error> {
        if rec.pupil.is_some() {
            return Ok(());
        }
        Err(Error::usage(
            format!("`{}/pupil.yaml` could not be read", crate::diag::render::escape_controls(&rec.rel)),
            Some("run `senco check` to see what is wrong with it".into()),
        ))
    }

    /// Whether the output will be missing some pupils.
    pub fn incomplete(&self) -> bool {
        !self.unreadable.borrow().is_empty()
    }

    /// Says on stderr which pupils could not be read (once per command).
    pub fn warn_unreadable(&self) {
        eprint(&crate::output::unreadable_lines(&self.unreadable.borrow()));
    }
}

/// Whether senco's own colour codes may reach stdout and stderr (`--color`),
/// for the writers below: set once, when the command line is read.
static COLOUR_OUT: AtomicBool = AtomicBool::new(false);
static COLOUR_ERR: AtomicBool = AtomicBool::new(false);
/// Whether stdout is a terminal (asked once, not for every line of a long report).
static STDOUT_TTY: AtomicBool = AtomicBool::new(false);
/// Whether the user asked for UPNs (`--show-upn` of `list`, `show`,
/// `census`): otherwise stdout and stderr never carry a word shaped like one.
static SHOW_UPN: AtomicBool = AtomicBool::new(false);

/// A value shown in a message (a folder name, a path, a class): control
/// characters escaped, line breaks too, so it stays on its line.
pub fn shown(value: &str) -> std::borrow::Cow<'_, str> {
    crate::diag::render::escape_controls(value)
}

/// Text as it goes to stdout: on a terminal with every control character of
/// a record value escaped (`diag::render::terminal_safe`); to a pipe or a
/// file byte for byte. Words shaped like a UPN are hidden unless the user
/// asked for them: the renderers hide them already (a table's columns stay
/// aligned); this is the last net, for every command's every line.
pub fn stdout_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = if SHOW_UPN.load(Ordering::Relaxed) {
        std::borrow::Cow::Borrowed(text)
    } else {
        crate::diag::render::hide_upn_words(text)
    };
    if !STDOUT_TTY.load(Ordering::Relaxed) {
        return text;
    }
    match crate::diag::render::terminal_safe(&text, COLOUR_OUT.load(Ordering::Relaxed)) {
        std::borrow::Cow::Owned(safe) => std::borrow::Cow::Owned(safe),
        std::borrow::Cow::Borrowed(_) => text,
    }
}

/// Writes to stdout, through `stdout_text`: every command's output goes
/// through here (or, for bytes that are not text, `write_stdout_bytes`). A
/// closed pipe (`senco check | head`) is not an error.
pub fn print(text: &str) -> Result<(), Error> {
    write_stdout_bytes(stdout_text(text).as_bytes())
}

/// Writes bytes (a Word document piped on) to stdout; a broken pipe is success.
pub fn write_stdout_bytes(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(std::path::Path::new("<stdout>"), e)),
    }
}

/// Writes a message for the user to stderr, which a terminal shows or a log
/// keeps: every control character escaped (`diag::render::terminal_safe`),
/// senco's own colours apart, whatever folder name or value it quotes, and
/// never a word shaped like a UPN. Every message of every command goes
/// through here.
pub fn eprint(text: &str) {
    let text = crate::diag::render::hide_upn_words(text);
    let text = crate::diag::render::terminal_safe(&text, COLOUR_ERR.load(Ordering::Relaxed));
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `SENCO_TODAY`, when `--today` is not given: read here rather than by clap,
/// so a bad value is reported as the environment variable it came from.
fn today_from_env() -> Result<Option<chrono::NaiveDate>, Error> {
    let Some(raw) = std::env::var_os("SENCO_TODAY").filter(|v| !v.is_empty()) else { return Ok(None) };
    let text = raw.to_string_lossy();
    crate::repo::decode::parse_date(text.trim()).map(Some).map_err(|why| {
        Error::usage(
            format!("the environment variable SENCO_TODAY=`{text}` is not a date: {why}"),
            Some("write it YYYY-MM-DD (e.g. `SENCO_TODAY=2026-11-24`), or unset it to use the real date".into()),
        )
    })
}

pub fn dispatch(mut cli: Cli) -> ExitCode {
    if cli.today.is_none() {
        match today_from_env() {
            Ok(t) => cli.today = t,
            Err(e) => {
                let ctx = Ctx::new(&cli);
                report_error(&ctx, &e);
                return ExitCode::from(e.exit_code());
            }
        }
    }
    let ctx = Ctx::new(&cli);
    let result = match cli.command {
        Command::Check(args) => check::run(&ctx, &args),
        Command::Explain(args) => explain::run(&ctx, &args),
        Command::Rules(args) => rules::run(&ctx, &args),
        Command::Init(args) => init::run(&ctx, &args),
        Command::NewPupil(args) => new_pupil::run(&ctx, &args),
        Command::ReviewDue(args) => review_due::run(&ctx, &args),
        Command::Compliance(args) => compliance::run(&ctx, &args),
        Command::List(args) => list::run(&ctx, &args),
        Command::Stats(args) => stats::run(&ctx, &args),
        Command::Show(args) => show::run(&ctx, &args),
        Command::Caseload(args) => caseload::run(&ctx, &args),
        Command::Delivery(args) => delivery::run(&ctx, &args),
        Command::Training(args) => training::run(&ctx, &args),
        Command::Access(args) => access::run(&ctx, &args),
        Command::NewReview(args) => new_review::run(&ctx, &args),
        Command::Log(args) => log::run(&ctx, &args),
        Command::Rollover(args) => rollover::run(&ctx, &args),
        Command::Import(cmd) => import::run(&ctx, &cmd),
        Command::Archive(args) => upkeep::archive(&ctx, &args),
        Command::Restore(args) => upkeep::restore(&ctx, &args),
        Command::Recover(args) => recover::run(&ctx, &args),
        Command::Render(args) => render::run(&ctx, &args),
        Command::Templates(cmd) => templates::run(&ctx, &cmd),
        Command::Impact(args) => impact::run(&ctx, &args),
        Command::Progress(args) => progress::run(&ctx, &args),
        Command::Census(args) => census::run(&ctx, &args),
        Command::Export(args) => export::run(&ctx, &args),
        Command::Schema(args) => schema::run(&ctx, &args),
        Command::Serve(args) => serve::run(&ctx, &args, cli.today),
        Command::Transfer(cmd) => transfer::run(&ctx, &cmd),
        Command::Debug(DebugCommand::ReadFloor) => ctx.root().and_then(|root| {
            let (files, bytes) = crate::repo::read_floor(&root)?;
            print(&format!("{files} files, {bytes} bytes\n"))?;
            Ok(0)
        }),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report_error(&ctx, &e);
            ExitCode::from(e.exit_code())
        }
    }
}

fn report_error(ctx: &Ctx, e: &Error) {
    let paint = Paint { on: ctx.color_err };
    let mut out = String::new();
    match e {
        Error::Settings { finding, text } => crate::diag::render::human(&mut out, finding, Some(text), paint),
        other => {
            out.push_str(&format!("{}: {other}\n", paint.severity(crate::diag::Severity::Error, "error")));
            if let Some(h) = other.hint() {
                out.push_str(&format!("  = hint: {h}\n"));
            }
        }
    }
    eprint(&out);
}
