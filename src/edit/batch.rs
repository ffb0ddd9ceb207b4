//! All-or-nothing changes to many files: the writes and folder moves of one
//! command either all happen or none do.
//!
//! A [`Batch`] is planned first (pure: paths and bytes), shown as a diff for
//! `--dry-run`, then applied in three phases:
//!
//! 1. verify: every file to change still holds the bytes the plan was made
//!    from, every file to create and every move's destination is absent;
//! 2. stage: every new content is written to a hidden temporary file in its
//!    target's folder and flushed to disk; every file to be replaced gets an
//!    undo copy (a hard link, else a copy) in a hidden folder at the root.
//!    Nothing visible has changed yet; a failure removes the temporaries;
//! 3. commit: temporaries are renamed over their targets, then folders are
//!    moved. A failure part-way renames back what was done, in reverse, so
//!    the repository is exactly as it was.
//!
//! Test hook: `SENCO_FAIL_AFTER_WRITES=N` makes the batch fail, as a full
//! disk would, after N file-system steps (temporary files written in phase 2
//! plus renames in phase 3). It exists so the tests can prove the rollback;
//! it is read only here and documented in docs/upkeep.md.

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
    pub ops: Vec<Op>,
}

/// What a batch did, for the command's message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Done {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    pub moved: Vec<(String, String)>,
}

impl Batch {
    pub fn new(root: &Path) -> Batch {
        Batch { root: root.to_path_buf(), ops: Vec::new() }
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
                    let a = if old.is_some() { format!("a/{rel}") } else { "/dev/null".to_string() };
                    let d = similar::TextDiff::from_lines(old_text.as_ref(), new_text.as_ref());
                    out.push_str(&d.unified_diff().context_radius(3).header(&a, &format!("b/{rel}")).to_string());
                    if !out.ends_with('\n') {
                        out.push_str("\n\\ No newline at end of file\n");
                    }
                }
                Op::Move { from, to } => out.push_str(&format!("rename {from}/ => {to}/\n")),
            }
        }
        // Diff context may show a pupil.yaml's `upn:` line: never shown.
        crate::diag::render::hide_upns(&out)
    }

    /// Applies every change, or none: see the module documentation.
    pub fn apply(self) -> Result<Done, Error> {
        let fail_after = std::env::var("SENCO_FAIL_AFTER_WRITES").ok().and_then(|v| v.trim().parse().ok());
        self.apply_failing_after(fail_after)
    }

    fn apply_failing_after(self, fail_after: Option<usize>) -> Result<Done, Error> {
        let mut run = Run::new(&self.root, fail_after);
        match run.go(&self.ops) {
            Ok(()) => {
                run.finish();
                let mut done = Done::default();
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
                if undo_failures.is_empty() {
                    Err(Error::usage(
                        format!("{e}; nothing was changed"),
                        Some("every change was undone, so the records are exactly as they were; fix the cause and run the command again".into()),
                    ))
                } else {
                    Err(Error::usage(
                        format!("{e}; and undoing the changes already made failed for: {}", undo_failures.join(", ")),
                        Some("check these paths by hand (`git status` and `git diff` show what changed); a hidden `.senco-undo.senco-tmp-*` folder at the root hold the old files".into()),
                    ))
                }
            }
        }
    }
}

/// The state of one application, so a failure can be undone.
struct Run {
    root: PathBuf,
    undo_dir: PathBuf,
    undo_dir_made: bool,
    /// Folders created for new files or moves, to remove on rollback.
    made_dirs: Vec<PathBuf>,
    /// Staged temporaries: (temp, target, undo copy of the old file).
    staged: Vec<(PathBuf, PathBuf, Option<PathBuf>)>,
    /// Commit steps done, in order.
    committed: Vec<Step>,
    steps: usize,
    fail_after: Option<usize>,
}

enum Step {
    Replaced { target: PathBuf, undo: PathBuf },
    Created { target: PathBuf },
    Moved { from: PathBuf, to: PathBuf },
}

/// A failure while applying, with the path it concerns.
struct Failure(String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail(path: &Path, root: &Path, e: impl std::fmt::Display) -> Failure {
    let shown = path.strip_prefix(root).unwrap_or(path);
    Failure(format!("cannot write `{}`: {e}", shown.display()))
}

impl Run {
    fn new(root: &Path, fail_after: Option<usize>) -> Run {
        Run {
            root: root.to_path_buf(),
            undo_dir: super::temp_path(root, "senco-undo"),
            undo_dir_made: false,
            made_dirs: Vec::new(),
            staged: Vec::new(),
            committed: Vec::new(),
            steps: 0,
            fail_after,
        }
    }

    /// Counts one file-system step; the test hook fails here.
    fn step(&mut self, path: &Path) -> Result<(), Failure> {
        if self.fail_after.is_some_and(|n| self.steps >= n) {
            return Err(fail(path, &self.root, "failure injected by SENCO_FAIL_AFTER_WRITES (a test hook)"));
        }
        self.steps += 1;
        Ok(())
    }

    fn mkdirs(&mut self, dir: &Path) -> Result<(), Failure> {
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.exists() {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
        for m in missing.into_iter().rev() {
            fs::create_dir(&m).map_err(|e| fail(&m, &self.root, e))?;
            self.made_dirs.push(m);
        }
        Ok(())
    }

    fn go(&mut self, ops: &[Op]) -> Result<(), Failure> {
        // 1. Verify.
        for op in ops {
            match op {
                Op::Write { rel, old, .. } => {
                    let path = self.root.join(rel);
                    match (old, fs::read(&path)) {
                        (Some(old), Ok(now)) if &now == old => {}
                        (Some(_), Ok(_)) => {
                            return Err(Failure(format!("`{rel}` changed while senco was working on it")));
                        }
                        (Some(_), Err(e)) => return Err(fail(&path, &self.root, e)),
                        (None, _) if path.exists() => {
                            return Err(Failure(format!("`{rel}` already exists; not overwriting it")));
                        }
                        (None, _) => {}
                    }
                }
                Op::Move { from, to } => {
                    if !self.root.join(from).is_dir() {
                        return Err(Failure(format!("`{from}/` is not there to move")));
                    }
                    if self.root.join(to).exists() {
                        return Err(Failure(format!("`{to}` already exists; not overwriting it")));
                    }
                }
            }
        }
        // 2. Stage.
        for op in ops {
            let Op::Write { rel, old, new } = op else { continue };
            let target = self.root.join(rel);
            let dir = target.parent().unwrap_or(&self.root).to_path_buf();
            self.mkdirs(&dir)?;
            let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("file");
            let tmp = super::temp_path(&dir, name);
            // The undo copy first: if it fails, no temporary is left behind.
            let undo = match old {
                Some(_) => Some(self.undo_copy(&target, self.staged.len())?),
                None => None,
            };
            self.step(&target)?;
            let written = (|| -> std::io::Result<()> {
                let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
                f.write_all(new)?;
                f.sync_all()
            })();
            if let Err(e) = written {
                let _ = fs::remove_file(&tmp);
                return Err(fail(&target, &self.root, e));
            }
            self.staged.push((tmp, target, undo));
        }
        // 3. Commit: files first, then folder moves.
        for i in 0..self.staged.len() {
            let (tmp, target, undo) = self.staged[i].clone();
            self.step(&target)?;
            if undo.is_none() && target.exists() {
                return Err(Failure(format!("`{}` appeared while senco was working", target.display())));
            }
            fs::rename(&tmp, &target).map_err(|e| fail(&target, &self.root, e))?;
            self.committed.push(match undo {
                Some(undo) => Step::Replaced { target, undo },
                None => Step::Created { target },
            });
        }
        self.staged.clear();
        for op in ops {
            let Op::Move { from, to } = op else { continue };
            let (from, to) = (self.root.join(from), self.root.join(to));
            if let Some(parent) = to.parent() {
                self.mkdirs(parent)?;
            }
            self.step(&to)?;
            if to.exists() {
                return Err(Failure(format!("`{}` appeared while senco was working", to.display())));
            }
            fs::rename(&from, &to).map_err(|e| fail(&to, &self.root, e))?;
            self.committed.push(Step::Moved { from, to });
        }
        Ok(())
    }

    /// Keeps the old file so a failed commit can put it back by renaming.
    fn undo_copy(&mut self, target: &Path, i: usize) -> Result<PathBuf, Failure> {
        if !self.undo_dir_made {
            fs::create_dir(&self.undo_dir).map_err(|e| fail(&self.undo_dir, &self.root, e))?;
            self.undo_dir_made = true;
        }
        let undo = self.undo_dir.join(i.to_string());
        if fs::hard_link(target, &undo).is_err() {
            fs::copy(target, &undo).map_err(|e| fail(target, &self.root, e))?;
            File::open(&undo).and_then(|f| f.sync_all()).map_err(|e| fail(target, &self.root, e))?;
        }
        Ok(undo)
    }

    /// Undoes every committed step in reverse and removes every temporary.
    /// Returns the paths it could not restore.
    fn roll_back(&mut self) -> Vec<String> {
        let mut failures = Vec::new();
        while let Some(step) = self.committed.pop() {
            let result = match &step {
                Step::Moved { from, to } => fs::rename(to, from).map_err(|e| (from.clone(), e)),
                Step::Replaced { target, undo } => fs::rename(undo, target).map_err(|e| (target.clone(), e)),
                Step::Created { target } => fs::remove_file(target).map_err(|e| (target.clone(), e)),
            };
            if let Err((p, e)) = result {
                failures.push(format!("`{}` ({e})", p.strip_prefix(&self.root).unwrap_or(&p).display()));
            }
        }
        for (tmp, _, _) in self.staged.drain(..) {
            let _ = fs::remove_file(tmp);
        }
        while let Some(d) = self.made_dirs.pop() {
            let _ = fs::remove_dir(d);
        }
        if failures.is_empty() {
            self.remove_undo_dir();
        }
        failures
    }

    fn finish(&mut self) {
        self.remove_undo_dir();
        let mut dirs: Vec<PathBuf> = self
            .committed
            .iter()
            .flat_map(|s| match s {
                Step::Replaced { target, .. } | Step::Created { target } => {
                    vec![target.parent().map(Path::to_path_buf)]
                }
                Step::Moved { from, to } => {
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
    }

    fn remove_undo_dir(&mut self) {
        if self.undo_dir_made {
            let _ = fs::remove_dir_all(&self.undo_dir);
            self.undo_dir_made = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

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
        b.create("pupils/a/reviews/2026-01-01.yaml", "date: 2026-01-01\n");
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
            let result = b.apply_failing_after(Some(n));
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
        assert!(b.apply_failing_after(None).is_err());
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
