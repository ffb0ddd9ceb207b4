//! All-or-nothing changes to many files: the writes and folder moves of one
//! command either all happen or none do, even when the process is killed
//! part-way (see [`super::journal`]).
//!
//! A [`Batch`] is planned first (pure: paths and bytes), shown as a diff for
//! `--dry-run`, then applied:
//!
//! 0. lock: the writers' lock is taken (a second writer is refused at once),
//!    and an unfinished journal from a crash stops everything;
//! 1. check: every new content reads back as senco reads records (nothing is
//!    written that senco would itself reject); symbolic links are resolved
//!    (a linked record is edited at its target inside the repository, a link
//!    leading outside is refused); a file with other hard links is refused;
//!    every file to change still holds the bytes the plan was made from,
//!    every file to create and every move's destination is absent;
//! 2. journal: the plan is written to `.senco/journal.json` and synced;
//! 3. stage: the missing folders are created; every file to be replaced gets
//!    an undo copy in `.senco/undo/`; every new content is written to a
//!    hidden temporary file in its target's folder, given the old file's
//!    mode, owner and group, and flushed to disk. Nothing visible has
//!    changed yet;
//! 4. commit: the journal is marked `committing`; then, for each file, its
//!    current bytes are compared with those the plan was made from (an edit
//!    made meanwhile, by a colleague or an editor's autosave, aborts the
//!    whole batch, which is rolled back, naming the file) and the temporary
//!    is renamed over it; folder moves come last;
//! 5. done: folders are synced, the undo copies and the journal removed.
//!
//! A failure in-process (a full disk, a permission) undoes every step
//! already done, in reverse, so the repository is exactly as it was. A
//! process that dies leaves the journal: `senco recover` finishes or undoes.
//!
//! Test hooks, read only here (docs/upkeep.md):
//! - `SENCO_FAIL_AFTER_WRITES=N` fails, as a full disk would, after N writes
//!   (temporary files written, then renames and moves);
//! - `SENCO_PAUSE_AFTER_STEP=N` stops for good after the N-th file-system
//!   step of every kind (journal, folder, undo copy, temporary, rename,
//!   move, clean-up), printing `senco: paused after step N` on stderr, so a
//!   test can kill the process there;
//! - `SENCO_STEP_DELAY_MS=N` waits N ms before each rename, so a test can
//!   edit a file while a batch runs.

use super::journal::{self, sha256, Journal, Lock, State, Step};
use crate::error::Error;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One planned change, with paths relative to the repository root.
#[derive(Clone, Debug)]
pub enum Op {
    /// Replace an existing file (`old` = its bytes when planned) or create a
    /// new one (`old` = `None`).
    Write { rel: String, old: Option<Vec<u8>>, new: Vec<u8> },
    /// Move a folder (archive, restore).
    Move { from: String, to: String },
}

#[derive(Debug)]
pub struct Batch {
    root: PathBuf,
    command: String,
    pub ops: Vec<Op>,
}

/// What a batch did, for the command's message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Done {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    pub moved: Vec<(String, String)>,
    /// What could not be kept as the user set it (an owner that only root
    /// may give back), one line each, for stderr.
    pub warnings: Vec<String>,
}

impl Batch {
    pub fn new(root: &Path) -> Batch {
        Batch { root: root.to_path_buf(), command: String::new(), ops: Vec::new() }
    }

    /// Names the command (`rollover`), for the journal and the messages
    /// about it; unnamed, they say "senco command".
    pub fn set_command(&mut self, command: &str) {
        self.command = command.to_string();
    }

    pub fn change(&mut self, rel: impl Into<String>, old: impl Into<Vec<u8>>, new: impl Into<Vec<u8>>) {
        self.ops.push(Op::Write { rel: rel.into(), old: Some(old.into()), new: new.into() });
    }

    pub fn create(&mut self, rel: impl Into<String>, new: impl Into<Vec<u8>>) {
        self.ops.push(Op::Write { rel: rel.into(), old: None, new: new.into() });
    }

    pub fn move_dir(&mut self, from: impl Into<String>, to: impl Into<String>) {
        self.ops.push(Op::Move { from: from.into(), to: to.into() });
    }

    /// Every path the batch touches, for `git status`.
    pub fn paths(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .ops
            .iter()
            .flat_map(|op| match op {
                Op::Write { rel, .. } => vec![rel.clone()],
                Op::Move { from, to } => vec![from.clone(), to.clone()],
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// What the batch would do, as unified diffs (and one line per move).
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for op in &self.ops {
            match op {
                Op::Write { rel, old, new } => {
                    let old_text = old.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
                    let new_text = String::from_utf8_lossy(new);
                    // A folder name is shown with its control characters escaped,
                    // so a diff header stays one line that drives no terminal.
                    let rel = crate::diag::render::escape_controls(rel);
                    let a = if old.is_some() { format!("a/{rel}") } else { "/dev/null".to_string() };
                    let d = similar::TextDiff::from_lines(old_text.as_ref(), new_text.as_ref());
                    out.push_str(&d.unified_diff().context_radius(3).header(&a, &format!("b/{rel}")).to_string());
                    if !out.ends_with('\n') {
                        out.push_str("\n\\ No newline at end of file\n");
                    }
                }
                Op::Move { from, to } => {
                    let (from, to) =
                        (crate::diag::render::escape_controls(from), crate::diag::render::escape_controls(to));
                    out.push_str(&format!("rename {from}/ => {to}/\n"))
                }
            }
        }
        // Diff context may show a pupil.yaml's `upn:` line: never shown.
        crate::diag::render::hide_upns(&out)
    }

    /// Applies every change, or none: see the module documentation.
    pub fn apply(self) -> Result<Done, Error> {
        self.apply_with(Hooks::from_env())
    }

    fn apply_with(self, hooks: Hooks) -> Result<Done, Error> {
        let lock = Lock::acquire(&self.root)?;
        // Work from the real root, so that resolved links can be compared.
        let root = fs::canonicalize(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let plan = plan(&root, &self.ops).map_err(|f| nothing_changed(f.0))?;
        let mut run = Run::new(&root, &self.command, hooks);
        let result = run.go(&plan);
        match result {
            Ok(()) => {
                let warnings = std::mem::take(&mut run.warnings);
                run.finish();
                drop(lock);
                let mut done = Done { warnings, ..Done::default() };
                for op in self.ops {
                    match op {
                        Op::Write { rel, old: Some(_), .. } => done.changed.push(rel),
                        Op::Write { rel, old: None, .. } => done.created.push(rel),
                        Op::Move { from, to } => done.moved.push((from, to)),
                    }
                }
                Ok(done)
            }
            Err(e) => {
                let undo_failures = run.roll_back();
                drop(lock);
                if undo_failures.is_empty() {
                    Err(nothing_changed(e.0))
                } else if undo_failures.iter().any(|f| f.contains(EDITED)) {
                    // Undoing would put the old file back over someone's change.
                    Err(Error::usage(
                        format!(
                            "{e}; senco had already changed some files, and undoing them now would lose a change someone else made since, so senco undid nothing and the records are part-way through this change:\n  {}",
                            undo_failures.join("\n  ")
                        ),
                        Some("keep a copy of that change (`git diff` shows it), put the version before senco's back in its place, then run `senco recover --undo` (every senco command refuses to run until then) and make the change again".into()),
                    ))
                } else {
                    Err(Error::usage(
                        format!("{e}; and undoing the changes already made failed for: {}", undo_failures.join(", ")),
                        Some(format!("run `senco recover --undo` to try again; `git status` and `git diff` show what changed, and `{}` holds the old files", journal::UNDO)),
                    ))
                }
            }
        }
    }
}

fn nothing_changed(why: String) -> Error {
    Error::usage(
        format!("{why}; nothing was changed"),
        Some(
            "every change was undone, so the records are exactly as they were; fix the cause and run the command again"
                .into(),
        ),
    )
}

/// The test hooks of the module documentation.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Hooks {
    pub fail_after_writes: Option<usize>,
    pub pause_after_step: Option<usize>,
    pub step_delay_ms: u64,
}

impl Hooks {
    pub fn from_env() -> Hooks {
        let num = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<usize>().ok());
        Hooks {
            fail_after_writes: num("SENCO_FAIL_AFTER_WRITES"),
            pause_after_step: num("SENCO_PAUSE_AFTER_STEP"),
            step_delay_ms: num("SENCO_STEP_DELAY_MS").unwrap_or(0) as u64,
        }
    }
}

/// Counts the durable file-system steps of a batch or a recovery, for the
/// pause hook.
#[derive(Debug, Default)]
pub(crate) struct Steps {
    pub hooks: Hooks,
    pub done: usize,
}

impl Steps {
    pub fn new(hooks: Hooks) -> Steps {
        Steps { hooks, done: 0 }
    }

    /// One step has been made durable.
    pub fn step(&mut self) {
        self.done += 1;
        if self.hooks.pause_after_step == Some(self.done) {
            // A test hook, so it may print below `cmd`: the test waits for
            // this line, then kills the process.
            eprintln!("senco: paused after step {} (SENCO_PAUSE_AFTER_STEP, a test hook)", self.done);
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
    }

    pub fn delay(&self) {
        if self.hooks.step_delay_ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(self.hooks.step_delay_ms));
        }
    }
}

/// A failure while applying, with the path it concerns.
#[derive(Debug)]
pub(crate) struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail(rel: &str, e: impl std::fmt::Display) -> Failure {
    Failure(format!("cannot write `{rel}`: {e}"))
}

/// One write, resolved: `rel` is the real path (links followed) relative to
/// the real root.
#[derive(Debug)]
struct Planned {
    /// As the command named it, for messages.
    shown: String,
    rel: String,
    temp: String,
    old: Option<Vec<u8>>,
    new: Vec<u8>,
    /// For a new file: the file whose mode, owner and group it takes (the
    /// `pupil.yaml` of its pupil folder), so a new review is no more
    /// readable than the pupil's other records.
    like: Option<PathBuf>,
}

#[derive(Debug)]
struct Plan {
    writes: Vec<Planned>,
    moves: Vec<(String, String)>,
    /// Folders to create, parents first.
    dirs: Vec<String>,
}

/// `p` with `.` and `..` worked out by its text alone (the place a
/// relative link will lead once its folder has moved, before it has).
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn rel_of(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// The real path of `rel` (every symbolic link on the way followed, the
/// missing tail kept), refused when it leads outside the repository.
fn real_path(root: &Path, rel: &str) -> Result<PathBuf, Failure> {
    let path = root.join(rel);
    let mut existing = path.as_path();
    let mut tail = Vec::new();
    loop {
        if fs::symlink_metadata(existing).is_ok() {
            break;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(n)) => {
                tail.push(n.to_os_string());
                existing = p;
            }
            _ => break,
        }
    }
    let mut real = fs::canonicalize(existing).map_err(|e| {
        if fs::symlink_metadata(existing).is_ok_and(|m| m.file_type().is_symlink()) {
            Failure(format!("`{rel}` is a symbolic link that leads nowhere (`{}`)", existing.display()))
        } else {
            fail(rel, e)
        }
    })?;
    for t in tail.into_iter().rev() {
        real.push(t);
    }
    if !real.starts_with(root) {
        return Err(Failure(format!(
            "`{rel}` is a symbolic link to `{}`, outside the records repository; senco edits records only inside it",
            real.display()
        )));
    }
    Ok(real)
}

/// Step 1 of the module documentation: everything that can be known before
/// writing.
fn plan(root: &Path, ops: &[Op]) -> Result<Plan, Failure> {
    // The school's own size limit (`[limits] max_file_kb`): a record written
    // larger than senco reads would drop out of every report.
    let limits = crate::repo::read::read_school_text(root, crate::repo::SETTINGS_FILE)
        .ok()
        .and_then(|t| crate::model::Settings::parse(t.trim_start_matches('\u{feff}')).ok())
        .map(|s| s.limits)
        .unwrap_or_default();
    let mut writes = Vec::new();
    let mut moves = Vec::new();
    let mut dirs: Vec<String> = Vec::new();
    let want_dir = |dir: &Path, dirs: &mut Vec<String>| {
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.exists() && d.starts_with(root) && d != root {
            missing.push(rel_of(root, d));
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
        for m in missing.into_iter().rev() {
            if !dirs.contains(&m) {
                dirs.push(m);
            }
        }
    };
    for (i, op) in ops.iter().enumerate() {
        match op {
            Op::Write { rel: shown, old, new } => {
                if shown != crate::repo::SETTINGS_FILE && new.len() as u64 > limits.max_file_bytes() {
                    return Err(Failure(format!(
                        "`{shown}` would become {} KB, more than senco reads ({} KB, `[limits] max_file_kb` in senco.toml), so it would drop out of every report; raise the limit, or move older entries to a file of their own",
                        new.len().div_ceil(1024),
                        limits.max_file_kb
                    )));
                }
                if let Err(why) = read_back(shown, old.as_deref(), new) {
                    return Err(Failure(format!(
                        "senco would write `{shown}` in a form it cannot read back ({why}); this is a bug in senco or a value it cannot write yet"
                    )));
                }
                let real = real_path(root, shown)?;
                let rel = rel_of(root, &real);
                match (old, fs::symlink_metadata(&real)) {
                    (Some(old), Ok(meta)) => {
                        if !meta.is_file() {
                            return Err(Failure(format!(
                                "`{shown}` is not a regular file, so senco will not replace it"
                            )));
                        }
                        #[cfg(unix)]
                        {
                            use std::os::unix::fs::MetadataExt;
                            if meta.nlink() > 1 {
                                return Err(Failure(format!(
                                    "`{shown}` has {} hard links (other names for the same file); replacing it would leave the others holding the old text. Make it a file of its own (`cp {shown} {shown}.copy && mv {shown}.copy {shown}`) and run the command again",
                                    meta.nlink()
                                )));
                            }
                        }
                        let now = fs::read(&real).map_err(|e| fail(shown, e))?;
                        if &now != old {
                            return Err(Failure(format!("`{shown}` changed while senco was working on it")));
                        }
                    }
                    (Some(_), Err(e)) => return Err(fail(shown, e)),
                    (None, Ok(_)) => return Err(Failure(format!("`{shown}` already exists; not overwriting it"))),
                    (None, Err(_)) => {}
                }
                let dir = real.parent().unwrap_or(root);
                want_dir(dir, &mut dirs);
                let name = real.file_name().and_then(|n| n.to_str()).unwrap_or("file");
                let temp = rel_of(root, &temp_name(dir, name, i));
                let like = match (old, rel.split('/').collect::<Vec<_>>().as_slice()) {
                    (None, [folder @ ("pupils" | "archive"), id, ..]) => {
                        Some(root.join(folder).join(id).join("pupil.yaml")).filter(|p| p.is_file())
                    }
                    _ => None,
                };
                writes.push(Planned { shown: shown.clone(), rel, temp, old: old.clone(), new: new.clone(), like });
            }
            Op::Move { from, to } => {
                let (f, t) = (root.join(from), root.join(to));
                if !f.is_dir() {
                    return Err(Failure(format!("`{from}/` is not there to move")));
                }
                if fs::symlink_metadata(&t).is_ok() {
                    return Err(Failure(format!("`{to}` already exists; not overwriting it")));
                }
                if let Some(parent) = t.parent() {
                    want_dir(parent, &mut dirs);
                }
                moves.push((from.clone(), to.clone()));
            }
        }
    }
    links_into_moving_folders(root, &moves)?;
    Ok(Plan { writes, moves, dirs })
}

/// Moving folders must not break a symbolic link. The whole repository
/// (but `.git/` and `.senco/`) is walked once per batch, whatever the
/// number of folders moving; links to folders are not followed.
///
/// - A link inside a moving folder must lead, once every folder has moved,
///   to where what it leads to now will be: a relative link within its
///   folder, or to another folder moving beside it (two leavers), still
///   does; one by its full path into a moving folder does not (the hint:
///   make it relative, when that would lead there), nor does a relative one
///   that leaves its folder for a place that stays (the hint: a copy).
/// - A link anywhere else (another pupil's folder, `templates/`, the
///   repository's top) that leads into a moving folder would point at
///   nothing (the hint: a copy, or remove it).
fn links_into_moving_folders(root: &Path, moves: &[(String, String)]) -> Result<(), Failure> {
    if moves.is_empty() {
        return Ok(());
    }
    // Each moving folder: where it is (its path and its real path), where it goes.
    let moving: Vec<([PathBuf; 2], PathBuf, &str, &str)> = moves
        .iter()
        .map(|(from, to)| {
            let f = root.join(from);
            ([fs::canonicalize(&f).unwrap_or_else(|_| f.clone()), f], root.join(to), from.as_str(), to.as_str())
        })
        .collect();
    let in_folder = |p: &Path, at: &[PathBuf; 2]| at.iter().any(|a| p.starts_with(a));
    // Where a place is once every folder has moved.
    let after_move = |p: &Path| -> PathBuf {
        for (at, dest, _, _) in &moving {
            for a in at {
                if let Ok(rest) = p.strip_prefix(a) {
                    return dest.join(rest);
                }
            }
        }
        p.to_path_buf()
    };
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || (e.file_name() != ".git" && e.file_name() != ".senco"));
    for e in walk.flatten() {
        if !e.path_is_symlink() {
            continue;
        }
        let Ok(target) = fs::read_link(e.path()) else { continue };
        // Where it leads now (a link that already leads nowhere is not this
        // batch's doing), and the place it names (a link to a link).
        let Ok(resolved) = fs::canonicalize(e.path()) else { continue };
        let parent = e.path().parent().unwrap_or(root);
        let named = lexical(&parent.join(&target));
        let shown = rel_of(root, e.path());
        let own = moving.iter().find(|(at, ..)| in_folder(e.path(), at));
        // A moving folder that is itself a link moves as it is, one level
        // down as before: it leads where it did.
        let Some((_, _, from, to)) = own.filter(|(at, ..)| e.path() != at[1]) else {
            if own.is_some() {
                continue;
            }
            let into = moving.iter().find(|(at, ..)| in_folder(&resolved, at) || in_folder(&named, at));
            if let Some((_, _, from, to)) = into {
                return Err(Failure(format!(
                    "`{shown}` is a link to `{}`, inside `{from}/`, which is moving to `{to}/`: the link would point at nothing. {}",
                    target.display(),
                    copy_hint(&shown)
                )));
            }
            continue;
        };
        let expected = after_move(&resolved);
        let moved_link = after_move(e.path());
        let moved_parent = moved_link.parent().unwrap_or(root);
        let after = if target.is_absolute() { lexical(&target) } else { lexical(&moved_parent.join(&target)) };
        if after == expected || fs::canonicalize(&after).ok().as_ref() == Some(&expected) {
            continue;
        }
        // The shortest relative link from here to there now: does it still
        // lead there once both have moved (within its folder, or to a
        // folder moving beside it)? Then that is the fix; else a copy.
        let hint = if relative_path(parent, &resolved) == relative_path(moved_parent, &expected) {
            format!(
                "Make it a link relative to where it is (`ln -sfnr {} {}`), or a file of its own, and run the command again",
                shell_word(&rel_of(root, &resolved)),
                shell_word(&shown)
            )
        } else {
            copy_hint(&shown)
        };
        return Err(Failure(format!(
            "`{shown}` is a link to `{}`, which would point at nothing once `{from}/` moves to `{to}/`. {hint}",
            target.display()
        )));
    }
    Ok(())
}

/// How to replace a link at `shown` (from the repository's top) by what it leads to.
fn copy_hint(shown: &str) -> String {
    let l = shell_word(shown);
    format!(
        "Replace the link by a copy of what it leads to (`cp -RL {l} {l}.copy && rm {l} && mv {l}.copy {l}`), or remove it, and run the command again"
    )
}

/// A word as a POSIX shell reads it: as it is when plain, else in single quotes.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+,:@".contains(&b)) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The relative path from the folder `from` to `to`, both absolute and
/// without `.` or `..`.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let (a, b): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c);
    }
    out
}

/// A hidden temporary name beside the target, unique to this process and
/// write: the loader skips hidden files.
fn temp_name(dir: &Path, name: &str, i: usize) -> PathBuf {
    dir.join(format!(".{name}.senco-tmp-{}-{i}", std::process::id()))
}

/// Point 7 of the safety promises: what senco writes, senco must read. The
/// new bytes are decoded as the loader decodes that file; an error the old
/// file did not have refuses the batch.
fn read_back(rel: &str, old: Option<&[u8]>, new: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(new) else { return Err("it is not UTF-8".into()) };
    let old_text = old.and_then(|o| std::str::from_utf8(o).ok());
    if rel == crate::repo::SETTINGS_FILE {
        let parse = |t: &str| crate::model::Settings::parse(t.trim_start_matches('\u{feff}'));
        return match parse(text) {
            Ok(_) => Ok(()),
            // Already unreadable before: not this change's doing.
            Err(_) if old_text.is_some_and(|o| parse(o).is_err()) => Ok(()),
            Err(e) => Err(e.message().trim().to_string()),
        };
    }
    let errors = |t: &str| -> Vec<(u32, String)> {
        crate::repo::decode_text(rel, t)
            .into_iter()
            .filter(|f| f.severity == crate::diag::Severity::Error)
            .map(|f| (f.span.map_or(0, |s| s.start.line), format!("{}: {}", f.code, f.message)))
            .collect()
    };
    // Each error the file had before may stay (counted, not searched: a
    // file of many thousand bad keys stays linear).
    let mut before: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, m) in old_text.map(errors).unwrap_or_default() {
        *before.entry(m).or_default() += 1;
    }
    let mut new_error = |m: &String| match before.get_mut(m) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    };
    match errors(text).into_iter().find(|(_, m)| new_error(m)) {
        Some((line, m)) if line > 0 => Err(format!("line {line}: {m}")),
        Some((_, m)) => Err(m),
        None => Ok(()),
    }
}

/// The state of one application, so a failure can be undone.
struct Run {
    root: PathBuf,
    journal: Journal,
    journal_written: bool,
    /// Folders created, in order.
    made_dirs: Vec<PathBuf>,
    /// Undo copies made.
    undos: Vec<PathBuf>,
    /// Temporaries written (or being written).
    temps: Vec<PathBuf>,
    /// Commit steps done, in order.
    committed: Vec<Done1>,
    writes: usize,
    steps: Steps,
    warnings: Vec<String>,
}

/// How a roll-back names a file it left alone because someone changed it.
const EDITED: &str = "was changed by someone else after senco wrote it, and their change is there now";

enum Done1 {
    Replaced { target: PathBuf, undo: PathBuf, new_sha256: String },
    Created { target: PathBuf, new_sha256: String },
    Moved { from: PathBuf, to: PathBuf },
}

impl Run {
    fn new(root: &Path, command: &str, hooks: Hooks) -> Run {
        Run {
            root: root.to_path_buf(),
            journal: Journal {
                version: 1,
                command: command.to_string(),
                pid: std::process::id(),
                state: State::Staging,
                dirs: Vec::new(),
                steps: Vec::new(),
            },
            journal_written: false,
            made_dirs: Vec::new(),
            undos: Vec::new(),
            temps: Vec::new(),
            committed: Vec::new(),
            writes: 0,
            steps: Steps::new(hooks),
            warnings: Vec::new(),
        }
    }

    /// Counts one write; the full-disk hook fails here.
    fn write_step(&mut self, rel: &str) -> Result<(), Failure> {
        if self.steps.hooks.fail_after_writes.is_some_and(|n| self.writes >= n) {
            return Err(fail(rel, "failure injected by SENCO_FAIL_AFTER_WRITES (a test hook)"));
        }
        self.writes += 1;
        Ok(())
    }

    fn go(&mut self, plan: &Plan) -> Result<(), Failure> {
        // 2. The journal.
        self.journal.dirs = plan.dirs.clone();
        for (i, w) in plan.writes.iter().enumerate() {
            self.journal.steps.push(match &w.old {
                Some(old) => Step::Replace {
                    target: w.rel.clone(),
                    temp: w.temp.clone(),
                    undo: format!("{}/{i}", journal::UNDO),
                    old_sha256: sha256(old),
                    new_sha256: sha256(&w.new),
                },
                None => Step::Create { target: w.rel.clone(), temp: w.temp.clone(), new_sha256: sha256(&w.new) },
            });
        }
        for (from, to) in &plan.moves {
            self.journal.steps.push(Step::Move { from: from.clone(), to: to.clone() });
        }
        self.journal_written = true;
        self.journal.write(&self.root).map_err(|e| fail(journal::JOURNAL, e))?;
        self.steps.step();

        // 3. Stage.
        for d in &plan.dirs {
            let p = self.root.join(d);
            fs::create_dir(&p).map_err(|e| fail(d, e))?;
            self.made_dirs.push(p);
            self.steps.step();
        }
        let undo_dir = self.root.join(journal::UNDO);
        if plan.writes.iter().any(|w| w.old.is_some()) {
            fs::create_dir(&undo_dir).map_err(|e| fail(journal::UNDO, e))?;
            self.steps.step();
        }
        for (i, w) in plan.writes.iter().enumerate() {
            let target = self.root.join(&w.rel);
            let tmp = self.root.join(&w.temp);
            let meta = if w.old.is_some() {
                let undo = undo_dir.join(i.to_string());
                if fs::hard_link(&target, &undo).is_err() {
                    fs::copy(&target, &undo).map_err(|e| fail(&w.shown, e))?;
                    File::open(&undo).and_then(|f| f.sync_all()).map_err(|e| fail(&w.shown, e))?;
                }
                self.undos.push(undo);
                self.steps.step();
                Some(fs::metadata(&target).map_err(|e| fail(&w.shown, e))?)
            } else {
                w.like.as_ref().and_then(|p| fs::metadata(p).ok())
            };
            self.write_step(&w.shown)?;
            self.temps.push(tmp.clone());
            write_temp(&tmp, &w.new, meta.as_ref(), &w.shown, &mut self.warnings).map_err(|e| fail(&w.shown, e))?;
            self.steps.step();
        }

        // 4. Commit.
        self.journal.state = State::Committing;
        self.journal.write(&self.root).map_err(|e| fail(journal::JOURNAL, e))?;
        self.steps.step();
        for (i, w) in plan.writes.iter().enumerate() {
            self.steps.delay();
            self.write_step(&w.shown)?;
            let target = self.root.join(&w.rel);
            // Compare again right before replacing: the last chance to
            // notice an edit made since the plan was read.
            // Only a regular file is read (a FIFO swapped in would block).
            let now = match fs::symlink_metadata(&target) {
                Ok(m) if !m.is_file() => Err(std::io::Error::other("it is no longer a regular file")),
                _ => fs::read(&target),
            };
            match (&w.old, now) {
                (Some(old), Ok(now)) if &now == old => {}
                (Some(_), Ok(_)) => {
                    return Err(Failure(format!(
                        "`{}` was changed by someone else while senco was working; the change is kept, and senco's batch is abandoned",
                        w.shown
                    )))
                }
                (Some(_), Err(e)) => return Err(fail(&w.shown, e)),
                (None, Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
                (None, _) => return Err(Failure(format!("`{}` appeared while senco was working", w.shown))),
            }
            fs::rename(self.root.join(&w.temp), &target).map_err(|e| fail(&w.shown, e))?;
            let new_sha256 = sha256(&w.new);
            self.committed.push(match &w.old {
                Some(_) => Done1::Replaced { target, undo: undo_dir.join(i.to_string()), new_sha256 },
                None => Done1::Created { target, new_sha256 },
            });
            self.steps.step();
        }
        self.temps.clear();
        for (from, to) in &plan.moves {
            self.steps.delay();
            self.write_step(to)?;
            let (f, t) = (self.root.join(from), self.root.join(to));
            if fs::symlink_metadata(&t).is_ok() {
                return Err(Failure(format!("`{to}` appeared while senco was working")));
            }
            fs::rename(&f, &t).map_err(|e| fail(to, e))?;
            self.committed.push(Done1::Moved { from: f, to: t });
            self.steps.step();
        }
        Ok(())
    }

    /// Undoes every committed step in reverse and removes every temporary.
    /// Returns the paths it could not restore.
    ///
    /// A file senco already replaced that someone has changed since (a
    /// colleague's save, an editor) is never put back over their change:
    /// then nothing is undone, the journal stays, and the failures name
    /// the file, for `senco recover` once a person has looked.
    fn roll_back(&mut self) -> Vec<String> {
        // Where a file is now: a folder move done after it was written
        // (`rollover --archive-leavers`) took it along.
        let moves: Vec<(PathBuf, PathBuf)> = self
            .committed
            .iter()
            .filter_map(|d| match d {
                Done1::Moved { from, to } => Some((from.clone(), to.clone())),
                _ => None,
            })
            .collect();
        let now = |target: &Path| -> PathBuf {
            for (from, to) in &moves {
                if let Ok(rest) = target.strip_prefix(from) {
                    return to.join(rest);
                }
            }
            target.to_path_buf()
        };
        let ours = |target: &Path, new: &str| matches!(journal::file_sha256(&now(target)), Ok(Some(h)) if h == new);
        let edited: Vec<String> = self
            .committed
            .iter()
            .filter_map(|step| match step {
                Done1::Replaced { target, undo, new_sha256 } => (!ours(target, new_sha256)).then(|| {
                    format!(
                        "`{}` {EDITED}; the version before senco's is `{}`",
                        rel_of(&self.root, target),
                        rel_of(&self.root, undo)
                    )
                }),
                Done1::Created { target, new_sha256 } => (!ours(target, new_sha256))
                    .then(|| format!("`{}` (a new file) {EDITED}", rel_of(&self.root, target))),
                Done1::Moved { from, to } => (fs::symlink_metadata(from).is_ok() || fs::symlink_metadata(to).is_err())
                    .then(|| format!("`{}` {EDITED}", rel_of(&self.root, to))),
            })
            .collect();
        if !edited.is_empty() {
            // The journal keeps only what was done, so `senco recover`
            // judges those files alone (a file the batch never reached
            // may hold someone's change too, and is theirs).
            let done: Vec<String> = self
                .committed
                .iter()
                .map(|d| match d {
                    Done1::Replaced { target, .. } | Done1::Created { target, .. } => rel_of(&self.root, target),
                    Done1::Moved { to, .. } => rel_of(&self.root, to),
                })
                .collect();
            self.journal.steps.retain(|step| match step {
                Step::Replace { target, .. } | Step::Create { target, .. } => done.contains(target),
                Step::Move { to, .. } => done.contains(to),
            });
            let mut kept = edited;
            // Only undoing is left (finishing would leave the steps never
            // taken undone): `senco recover` undoes, with or without `--undo`.
            self.journal.state = State::Undoing;
            if let Err(e) = self.journal.write(&self.root) {
                kept.push(format!("the journal could not be brought up to date ({e})"));
            }
            for tmp in self.temps.drain(..) {
                let _ = fs::remove_file(tmp);
            }
            return kept;
        }
        let mut failures = Vec::new();
        while let Some(step) = self.committed.pop() {
            let result = match &step {
                Done1::Moved { from, to } => fs::rename(to, from).map_err(|e| (from.clone(), e)),
                Done1::Replaced { target, undo, .. } => fs::rename(undo, target).map_err(|e| (target.clone(), e)),
                Done1::Created { target, .. } => fs::remove_file(target).map_err(|e| (target.clone(), e)),
            };
            if let Err((p, e)) = result {
                failures.push(format!("`{}` ({e})", rel_of(&self.root, &p)));
            }
        }
        for tmp in self.temps.drain(..) {
            let _ = fs::remove_file(tmp);
        }
        while let Some(d) = self.made_dirs.pop() {
            let _ = fs::remove_dir(d);
        }
        if failures.is_empty() && self.journal_written {
            let _ = Journal::remove(&self.root);
        }
        failures
    }

    fn finish(&mut self) {
        let mut dirs: Vec<PathBuf> = self
            .committed
            .iter()
            .flat_map(|s| match s {
                Done1::Replaced { target, .. } | Done1::Created { target, .. } => {
                    vec![target.parent().map(Path::to_path_buf)]
                }
                Done1::Moved { from, to } => {
                    vec![from.parent().map(Path::to_path_buf), to.parent().map(Path::to_path_buf)]
                }
            })
            .flatten()
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in dirs {
            super::sync_dir(&d);
        }
        let _ = Journal::remove(&self.root);
        self.steps.step();
    }
}

/// Writes a temporary file with the mode, owner and group of the file it
/// will replace, or of its pupil's `pupil.yaml` (`meta`), flushed to disk. It is created readable by its
/// owner only, so the new text is never readable by more people than the
/// old one, even for a moment.
fn write_temp(
    tmp: &Path,
    bytes: &[u8],
    meta: Option<&fs::Metadata>,
    shown: &str,
    warnings: &mut Vec<String>,
) -> std::io::Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    if meta.is_some() {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(tmp)?;
    f.write_all(bytes)?;
    #[cfg(unix)]
    if let Some(meta) = meta {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mine = f.metadata()?;
        if (mine.uid(), mine.gid()) != (meta.uid(), meta.gid()) {
            let lost = match std::os::unix::fs::fchown(&f, Some(meta.uid()), Some(meta.gid())) {
                Ok(()) => None,
                Err(_) => match std::os::unix::fs::fchown(&f, None, Some(meta.gid())) {
                    Ok(()) if mine.uid() != meta.uid() => Some("owner"),
                    Ok(()) => None,
                    Err(_) if mine.uid() != meta.uid() => Some("owner and group"),
                    Err(_) => Some("group"),
                },
            };
            if let Some(what) = lost {
                warnings.push(format!(
                    "warning: `{shown}` now belongs to you: senco may not give it back its {what} (user {}, group {}); `chown {}:{} {shown}` as an administrator restores it",
                    meta.uid(),
                    meta.gid(),
                    meta.uid(),
                    meta.gid()
                ));
            }
        }
        f.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    }
    #[cfg(not(unix))]
    if let Some(meta) = meta {
        f.set_permissions(meta.permissions())?;
    }
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn hints_name_paths_as_a_shell_reads_them() {
        assert_eq!(shell_word("pupils/ava-brown/pupil.yaml"), "pupils/ava-brown/pupil.yaml");
        assert_eq!(shell_word("pupils/ava-brown/Ava's plan.pdf"), "'pupils/ava-brown/Ava'\\''s plan.pdf'");
        assert_eq!(relative_path(Path::new("/r/pupils/a"), Path::new("/r/pupils/b/x")), Path::new("../b/x"));
        assert_eq!(relative_path(Path::new("/r/pupils/a"), Path::new("/r/pupils/a/x")), Path::new("x"));
    }

    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            out.insert(rel, if e.file_type().is_file() { fs::read(e.path()).unwrap() } else { b"<dir>".to_vec() });
        }
        out
    }

    fn setup() -> (tempfile::TempDir, Batch) {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::create_dir_all(r.join("pupils/a")).unwrap();
        fs::create_dir_all(r.join("pupils/b")).unwrap();
        fs::write(r.join("pupils/a/pupil.yaml"), "year_group: 3\n").unwrap();
        fs::write(r.join("pupils/b/pupil.yaml"), "year_group: 6\n").unwrap();
        fs::write(r.join("senco.toml"), "x = 1\n").unwrap();
        let mut b = Batch::new(r);
        b.change("pupils/a/pupil.yaml", "year_group: 3\n", "year_group: 4\n");
        b.change("senco.toml", "x = 1\n", "x = 2\n");
        b.create("pupils/a/reviews/2026-01-01.yaml", "date: 2026-01-01\nkind: termly\n");
        b.change("pupils/b/pupil.yaml", "year_group: 6\n", "year_group: 6\nleft: 2026-07-22\n");
        b.move_dir("pupils/b", "archive/b");
        (dir, b)
    }

    #[test]
    fn applies_everything() {
        let (dir, b) = setup();
        let done = b.apply().unwrap();
        let r = dir.path();
        assert_eq!(fs::read_to_string(r.join("pupils/a/pupil.yaml")).unwrap(), "year_group: 4\n");
        assert_eq!(fs::read_to_string(r.join("archive/b/pupil.yaml")).unwrap(), "year_group: 6\nleft: 2026-07-22\n");
        assert!(!r.join("pupils/b").exists());
        assert_eq!(done.created, vec!["pupils/a/reviews/2026-01-01.yaml"]);
        assert_eq!(done.moved, vec![("pupils/b".to_string(), "archive/b".to_string())]);
        let names: Vec<String> = tree(r).into_keys().filter(|k| k.contains("senco-")).collect();
        assert!(names.is_empty(), "temporaries left: {names:?}");
    }

    #[test]
    fn a_failure_at_any_step_changes_nothing() {
        // 4 writes staged + 4 renames + 1 move = 9 steps.
        for n in 0..9 {
            let (dir, b) = setup();
            let before = tree(dir.path());
            let result = b.apply_with(Hooks { fail_after_writes: Some(n), ..Hooks::default() });
            let e = result.unwrap_err().to_string();
            assert!(e.contains("nothing was changed"), "{e}");
            assert_eq!(tree(dir.path()), before, "after failing at step {n}");
        }
    }

    #[test]
    fn refuses_a_file_changed_since_planned() {
        let (dir, b) = setup();
        fs::write(dir.path().join("senco.toml"), "x = 5\n").unwrap();
        let before = tree(dir.path());
        assert!(b.apply().unwrap_err().to_string().contains("changed while senco was working"));
        assert_eq!(tree(dir.path()), before);
    }

    #[test]
    fn a_real_failure_rolls_back() {
        let (dir, b) = setup();
        // A file where the archive folder must be: the move fails after
        // every file has been renamed into place.
        fs::write(dir.path().join("archive"), "not a folder").unwrap();
        let before = tree(dir.path());
        assert!(b.apply_with(Hooks::default()).is_err());
        assert_eq!(tree(dir.path()), before);
    }

    #[test]
    fn output_senco_cannot_read_back_is_refused() {
        let bad = "id: jo\nname: { first: Jo -, last: X }\n";
        let e = read_back("pupils/jo/pupil.yaml", None, bad.as_bytes()).unwrap_err();
        assert!(e.contains("line 2") && e.contains("yaml-syntax"), "{e}");
        assert!(read_back("pupils/jo/reviews/2026-01-01.yaml", None, b"date: 2026-01-01\n").is_err());
        assert!(read_back("senco.toml", None, b"[school\n").is_err());
        // An error the file already had is not this change's doing.
        let old = "year_group: x\n";
        assert!(read_back("pupils/jo/pupil.yaml", Some(old.as_bytes()), b"year_group: x\nleft: 2026-07-22\n").is_ok());
        let (dir, mut b) = setup();
        b.create("pupils/a/reviews/2026-02-02.yaml", "date: 2026-02-02\n");
        let before = tree(dir.path());
        let e = b.apply().unwrap_err().to_string();
        assert!(e.contains("in a form it cannot read back") && e.contains("nothing was changed"), "{e}");
        assert_eq!(tree(dir.path()), before);
    }

    #[test]
    fn diff_shows_each_change() {
        let (_dir, b) = setup();
        let d = b.diff();
        assert!(d.contains("--- a/pupils/a/pupil.yaml\n+++ b/pupils/a/pupil.yaml\n"), "{d}");
        assert!(d.contains("-year_group: 3\n+year_group: 4\n"), "{d}");
        assert!(d.contains("--- /dev/null\n+++ b/pupils/a/reviews/2026-01-01.yaml\n"), "{d}");
        assert!(d.contains("rename pupils/b/ => archive/b/\n"), "{d}");
    }
}
