//! `senco recover`: finishes (rolls forward) or undoes a batch that was
//! interrupted, from its journal (see [`super::journal`]).
//!
//! Every step first looks at what is on disk (each file's SHA-256 against
//! the old and the new one in the journal, each folder's presence), so a
//! recovery that is itself interrupted can simply be run again. Before
//! changing anything it checks every step: a file that holds neither the
//! old nor the new content was edited by someone since the crash, and
//! recovery stops without touching anything, naming it.

use super::batch::{Hooks, Steps};
use super::journal::{file_sha256, Journal, Lock, State, Step};
use crate::error::Error;
use std::fs;
use std::path::Path;

/// What a recovery did, for the command's message.
#[derive(Debug, PartialEq, Eq)]
pub struct Recovered {
    /// The command that had been interrupted.
    pub command: String,
    /// The batch was undone (`--undo`, or it had not reached its renames).
    pub undone: bool,
    /// Why it was undone although finishing was asked for.
    pub forced_undo: Option<&'static str>,
    /// Why it was finished although undoing was asked for.
    pub forced_finish: Option<&'static str>,
    pub files: usize,
    pub moves: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// The step has not happened.
    Pending,
    /// The step has happened.
    Done,
}

/// Where `rel` is now, given the folder moves already done.
fn now_path(rel: &str, moved: &[(&str, &str)]) -> String {
    for (from, to) in moved {
        if let Some(rest) = rel.strip_prefix(from).filter(|r| r.starts_with('/')) {
            return format!("{to}{rest}");
        }
    }
    rel.to_string()
}

fn exists(root: &Path, rel: &str) -> bool {
    fs::symlink_metadata(root.join(rel)).is_ok()
}

fn hash(root: &Path, rel: &str) -> Result<Option<String>, Error> {
    let p = root.join(rel);
    file_sha256(&p).map_err(|e| Error::io(&p, e))
}

/// Whether one step is done, looking at the disk (for a finished batch,
/// every folder move is done, so a file is at its moved place).
fn step_done(root: &Path, step: &Step, all: &[Step]) -> bool {
    let moved: Vec<(&str, &str)> = all
        .iter()
        .filter_map(|s| match s {
            Step::Move { from, to } => Some((from.as_str(), to.as_str())),
            _ => None,
        })
        .collect();
    match step {
        Step::Move { from, to } => !exists(root, from) && exists(root, to),
        Step::Replace { target, new_sha256, .. } | Step::Create { target, new_sha256, .. } => {
            hash(root, &now_path(target, &moved)).ok().flatten().as_ref() == Some(new_sha256)
        }
    }
}

/// Recovers the repository at `root`; `Ok(None)` when there is nothing to
/// recover.
pub fn recover(root: &Path, undo: bool) -> Result<Option<Recovered>, Error> {
    let root = &fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let lock = Lock::acquire_for_recovery(root)?;
    let Some(mut journal) = Journal::read(root)? else {
        drop(lock);
        return Ok(None);
    };
    let forced_undo = match journal.state {
        State::Staging if !undo => Some("it was interrupted before it had changed any record"),
        State::Undoing if !undo => Some("an earlier `senco recover --undo` had begun undoing it"),
        _ => None,
    };
    let mut undo = undo || forced_undo.is_some();
    let mut forced_finish = None;
    // A batch killed while tidying up (its undo copies removed, its journal
    // not yet) had made every change: there is nothing left to undo from.
    if undo
        && journal.state == State::Committing
        && journal.steps.iter().any(|s| matches!(s, Step::Replace { undo, .. } if !exists(root, undo)))
        && journal.steps.iter().all(|s| step_done(root, s, &journal.steps))
    {
        undo = false;
        forced_finish = Some("it had already made every change and was only tidying up, so its old files are gone");
    }
    let mut steps = Steps::new(Hooks::from_env());

    // Look at every step before changing anything.
    let mut problems = Vec::new();
    let mut moves = Vec::new();
    for step in &journal.steps {
        if let Step::Move { from, to } = step {
            let status = match (exists(root, from), exists(root, to)) {
                (true, false) => Status::Pending,
                (false, true) => Status::Done,
                (true, true) => {
                    problems.push(format!("both `{from}/` and `{to}/` exist"));
                    continue;
                }
                (false, false) => {
                    problems.push(format!("neither `{from}/` nor `{to}/` exists"));
                    continue;
                }
            };
            moves.push((from.as_str(), to.as_str(), status));
        }
    }
    let moved: Vec<(&str, &str)> =
        moves.iter().filter(|(_, _, s)| *s == Status::Done).map(|(f, t, _)| (*f, *t)).collect();
    let mut writes = Vec::new();
    for step in &journal.steps {
        let (target, temp, undo_copy, old, new) = match step {
            Step::Replace { target, temp, undo, old_sha256, new_sha256 } => {
                (target, temp, Some(undo), Some(old_sha256), new_sha256)
            }
            Step::Create { target, temp, new_sha256 } => (target, temp, None, None, new_sha256),
            Step::Move { .. } => continue,
        };
        let at = now_path(target, &moved);
        let now = hash(root, &at)?;
        // A step whose new version still waits in its temporary (or any step
        // of a batch still staging) was never taken: the file is not
        // senco's to undo, whatever someone has written to it since.
        let not_taken = journal.state == State::Staging || exists(root, temp);
        let status = if now.as_ref() == Some(new) {
            Status::Done
        } else if now.as_ref() == old || (undo && not_taken && now.is_some()) {
            Status::Pending
        } else {
            problems.push(match now {
                None => format!("`{at}` is missing"),
                Some(_) => {
                    format!("`{at}` holds neither its old nor its new content: it was edited after the interruption")
                }
            });
            continue;
        };
        if journal.state != State::Staging {
            if !undo && status == Status::Pending && hash(root, temp)?.as_ref() != Some(new) {
                problems.push(format!("the new version of `{at}` (`{temp}`) is missing or incomplete"));
            }
            if undo && status == Status::Done && old.is_some() && old != Some(new) {
                if let Some(u) = undo_copy {
                    if hash(root, u)?.as_ref() != old {
                        problems.push(format!("the old version of `{at}` (`{u}`) is missing or incomplete"));
                    }
                }
            }
        }
        writes.push((
            target.as_str(),
            temp.as_str(),
            undo_copy.map(String::as_str),
            status,
            old.is_some() && old != Some(new),
        ));
    }
    if !problems.is_empty() {
        let what = if undo { "undo" } else { "finish" };
        let other = if undo { "" } else { " (or `senco recover --undo` to put back the old files)" };
        return Err(Error::usage(
            format!(
                "senco cannot safely {what} the interrupted {}, so it changed nothing:\n  {}",
                super::journal::command_name(&journal.command),
                problems.join("\n  ")
            ),
            Some(format!(
                "put these files back as they were (`git status` and `git diff` help; `{}` holds the old files) and run `senco recover` again{other}",
                super::journal::UNDO
            )),
        ));
    }

    let io = |p: &Path, e: std::io::Error| Error::io(p, e);
    let mut files = 0;
    let mut n_moves = 0;
    if undo {
        if journal.state != State::Undoing {
            journal.state = State::Undoing;
            journal.write(root).map_err(|e| io(&root.join(super::journal::JOURNAL), e))?;
            steps.step();
        }
        for (from, to, status) in moves.iter().rev() {
            if *status == Status::Done {
                fs::rename(root.join(to), root.join(from)).map_err(|e| io(&root.join(to), e))?;
                n_moves += 1;
                steps.step();
            }
        }
        for (at, temp, undo_copy, status, replaced) in writes.iter().rev() {
            // With the moves undone, the file is back at its planned path.
            let target = root.join(at);
            if *status == Status::Done {
                match (undo_copy, replaced) {
                    (Some(u), true) => fs::rename(root.join(u), &target).map_err(|e| io(&target, e))?,
                    (Some(_), false) => {}
                    (None, _) => fs::remove_file(&target).map_err(|e| io(&target, e))?,
                }
                files += 1;
                steps.step();
            }
            match fs::remove_file(root.join(temp)) {
                Ok(()) => steps.step(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&root.join(temp), e)),
            }
        }
        for d in journal.dirs.iter().rev() {
            if fs::remove_dir(root.join(d)).is_ok() {
                steps.step();
            }
        }
    } else {
        for d in &journal.dirs {
            if !root.join(d).exists() {
                fs::create_dir(root.join(d)).map_err(|e| io(&root.join(d), e))?;
                steps.step();
            }
        }
        for (at, temp, _, status, _) in &writes {
            if *status == Status::Pending {
                fs::rename(root.join(temp), root.join(at)).map_err(|e| io(&root.join(at), e))?;
                files += 1;
                steps.step();
            } else if fs::remove_file(root.join(temp)).is_ok() {
                steps.step();
            }
        }
        for (from, to, status) in &moves {
            if *status == Status::Pending {
                fs::rename(root.join(from), root.join(to)).map_err(|e| io(&root.join(from), e))?;
                n_moves += 1;
                steps.step();
            }
        }
    }
    Journal::remove(root).map_err(|e| io(&root.join(super::journal::JOURNAL), e))?;
    steps.step();
    drop(lock);
    Ok(Some(Recovered { command: journal.command, undone: undo, forced_undo, forced_finish, files, moves: n_moves }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::journal::sha256;

    fn journal(state: State, steps: Vec<Step>) -> Journal {
        Journal { version: 1, command: "rollover".into(), pid: 1, state, dirs: vec![], steps }
    }

    fn replace(target: &str, old: &str, new: &str) -> Step {
        Step::Replace {
            target: target.into(),
            temp: format!(".{target}.senco-tmp-1-0"),
            undo: ".senco/undo/0".into(),
            old_sha256: sha256(old.as_bytes()),
            new_sha256: sha256(new.as_bytes()),
        }
    }

    #[test]
    fn a_batch_killed_while_tidying_up_is_finished_not_undone() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::write(r.join("a.yaml"), "new").unwrap();
        fs::create_dir(r.join(".senco")).unwrap();
        journal(State::Committing, vec![replace("a.yaml", "old", "new")]).write(r).unwrap();
        let done = recover(r, true).unwrap().unwrap();
        assert!(!done.undone && done.forced_finish.is_some(), "{done:?}");
        assert_eq!(fs::read_to_string(r.join("a.yaml")).unwrap(), "new");
        assert!(!r.join(".senco").exists());
    }

    #[test]
    fn a_file_edited_after_the_crash_stops_recovery_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::write(r.join("a.yaml"), "someone's edit").unwrap();
        fs::write(r.join(".a.yaml.senco-tmp-1-0"), "new").unwrap();
        fs::create_dir_all(r.join(".senco/undo")).unwrap();
        fs::write(r.join(".senco/undo/0"), "old").unwrap();
        journal(State::Committing, vec![replace("a.yaml", "old", "new")]).write(r).unwrap();
        // Finishing would write over the edit: refused.
        let e = recover(r, false).unwrap_err().to_string();
        assert!(e.contains("`a.yaml` holds neither its old nor its new content"), "{e}");
        assert_eq!(fs::read_to_string(r.join("a.yaml")).unwrap(), "someone's edit");
        assert!(r.join(".senco/journal.json").exists());
        // Its new version still waits in the temporary: the step was never
        // taken, so undoing leaves the edit where it is.
        let done = recover(r, true).unwrap().unwrap();
        assert!(done.undone, "{done:?}");
        assert_eq!(fs::read_to_string(r.join("a.yaml")).unwrap(), "someone's edit");
        assert_eq!(fs::read_dir(r).unwrap().count(), 1, "only a.yaml is left");
    }

    #[test]
    fn a_file_edited_after_senco_replaced_it_stops_an_undo_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        // Replaced (no temporary left), then edited: undoing would lose the edit.
        fs::write(r.join("a.yaml"), "new, then someone's edit").unwrap();
        fs::create_dir_all(r.join(".senco/undo")).unwrap();
        fs::write(r.join(".senco/undo/0"), "old").unwrap();
        journal(State::Committing, vec![replace("a.yaml", "old", "new")]).write(r).unwrap();
        for undo in [false, true] {
            let e = recover(r, undo).unwrap_err().to_string();
            assert!(e.contains("`a.yaml` holds neither its old nor its new content"), "{e}");
            assert_eq!(fs::read_to_string(r.join("a.yaml")).unwrap(), "new, then someone's edit");
            assert!(r.join(".senco/journal.json").exists());
        }
    }

    #[test]
    fn a_batch_killed_while_staging_can_only_be_undone() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::write(r.join("a.yaml"), "old").unwrap();
        fs::write(r.join(".a.yaml.senco-tmp-1-0"), "ne").unwrap();
        fs::create_dir_all(r.join(".senco/undo")).unwrap();
        fs::hard_link(r.join("a.yaml"), r.join(".senco/undo/0")).unwrap();
        journal(State::Staging, vec![replace("a.yaml", "old", "new")]).write(r).unwrap();
        let done = recover(r, false).unwrap().unwrap();
        assert!(done.undone && done.forced_undo.is_some(), "{done:?}");
        assert_eq!(fs::read_dir(r).unwrap().count(), 1, "only a.yaml is left");
        assert_eq!(fs::read_to_string(r.join("a.yaml")).unwrap(), "old");
    }
}
