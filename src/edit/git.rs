//! Asks git which of the files a command is about to change have
//! uncommitted changes, so bulk edits can be reviewed with `git diff` and
//! undone. When git is not installed or the records are not in a git
//! repository, there is nothing to ask and nothing is said.

use std::path::Path;
use std::process::{Command, Stdio};

/// The paths (relative to the repository root) under `paths` with
/// uncommitted or untracked changes, sorted; empty when git cannot tell.
pub fn uncommitted(root: &Path, paths: &[String]) -> Vec<String> {
    if paths.is_empty() {
        return Vec::new();
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain", "--untracked-files=all", "--"])
        .args(paths)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let Ok(out) = out else { return Vec::new() };
    if !out.status.success() {
        return Vec::new();
    }
    // `git -C root` prints paths relative to the git work tree's top, which
    // may be above the records root; report them relative to the records.
    let prefix = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--show-prefix"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let mut found: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.get(3..))
        .map(|p| p.rsplit(" -> ").next().unwrap_or(p).trim_matches('"'))
        .map(|p| p.strip_prefix(prefix.as_str()).unwrap_or(p).to_string())
        .collect();
    found.sort();
    found.dedup();
    found
}
