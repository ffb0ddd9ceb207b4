//! Asks git which of the files a command is about to change have
//! uncommitted changes, so bulk edits can be reviewed with `git diff` and
//! undone. When git is not installed or the records are not in a git
//! repository, there is nothing to ask and nothing is said.

use std::path::Path;
use std::process::{Command, Stdio};

/// `git` with nothing of the repository's own that could run a program:
/// hooks and the fsmonitor are off (a cloned or shared repository's
/// `.git/config` may name either), no pager, no prompts, no optional locks
/// (so a `status` never competes with the user's own git for the index lock).
pub fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.args(GIT_SAFE_ARGS);
    // A filter named in the repository's own config (`filter.NAME.clean`,
    // `.smudge`, `.process`) is a program git would run on `add` or
    // `status`: each is set empty, which turns it off. Given through the
    // environment (GIT_CONFIG_KEY_n), not `-c`, which splits at the first
    // `=` and so misses a driver whose name holds one.
    let mut n = 0;
    for name in filter_drivers(root) {
        for (var, value) in [("clean", ""), ("smudge", ""), ("process", ""), ("required", "false")] {
            cmd.env(format!("GIT_CONFIG_KEY_{n}"), format!("filter.{name}.{var}"));
            cmd.env(format!("GIT_CONFIG_VALUE_{n}"), value);
            n += 1;
        }
    }
    cmd.env("GIT_CONFIG_COUNT", n.to_string());
    cmd.arg("-C").arg(root);
    cmd.env("GIT_TERMINAL_PROMPT", "0").env("GIT_OPTIONAL_LOCKS", "0").env_remove("GIT_EXTERNAL_DIFF");
    cmd.stdin(Stdio::null());
    cmd
}

/// The names of the filter drivers git's config defines for `root`
/// (reading the config runs no program).
fn filter_drivers(root: &Path) -> Vec<String> {
    let out = Command::new("git")
        .args(GIT_SAFE_ARGS)
        .arg("-C")
        .arg(root)
        .args(["config", "--null", "--get-regexp", r"^filter\."])
        .env("GIT_CONFIG_COUNT", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let Ok(out) = out else { return Vec::new() };
    // `--null`: each entry is the key, a line break, the value, a NUL (a
    // driver's name may hold spaces, `=` or dots).
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter_map(|e| e.split('\n').next()?.strip_prefix("filter.")?.rsplit_once('.').map(|(n, _)| n.to_string()))
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The options every git call gets, before the subcommand.
pub const GIT_SAFE_ARGS: &[&str] = &[
    "--no-pager",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.untrackedCache=false",
    "-c",
    "diff.external=",
];

/// The paths (relative to the repository root) under `paths` with
/// uncommitted or untracked changes, sorted; empty when git cannot tell.
pub fn uncommitted(root: &Path, paths: &[String]) -> Vec<String> {
    if paths.is_empty() {
        return Vec::new();
    }
    let out = git(root)
        .args(["status", "--porcelain", "--untracked-files=all", "--"])
        .args(paths)
        .stderr(Stdio::null())
        .output();
    let Ok(out) = out else { return Vec::new() };
    if !out.status.success() {
        return Vec::new();
    }
    // `git -C root` prints paths relative to the git work tree's top, which
    // may be above the records root; report them relative to the records.
    let prefix = git(root)
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

/// Why `root` cannot take `senco serve --commit`'s commits, or `None` when
/// it is inside a git work tree and git runs.
pub fn not_a_work_tree(root: &Path) -> Option<String> {
    match git(root).args(["rev-parse", "--is-inside-work-tree"]).stderr(Stdio::null()).output() {
        Err(e) => Some(format!("git could not be run ({e})")),
        Ok(o) if o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "true" => None,
        Ok(_) => Some(format!("`{}` is not in a git repository", root.display())),
    }
}

/// Commits exactly `paths` (relative to `root`) as they are now, with
/// `message`: whatever else is staged or changed stays as it was, staged or
/// not. Without a configured identity the commit is by "senco serve".
pub fn commit_paths(root: &Path, paths: &[String], message: &str) -> Result<(), String> {
    if paths.is_empty() {
        return Ok(());
    }
    let run = |mut cmd: Command| -> Result<(), String> {
        let out = cmd.stdout(Stdio::null()).output().map_err(|e| format!("git could not be run ({e})"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    };
    let mut add = git(root);
    add.args(["add", "--all", "--"]).args(paths);
    run(add)?;
    let mut commit = git(root);
    commit.args(["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", message, "--only", "--"]);
    commit.args(paths);
    let has =
        |key: &str| git(root).args(["config", key]).stderr(Stdio::null()).output().is_ok_and(|o| o.status.success());
    if !has("user.name") {
        commit.env("GIT_AUTHOR_NAME", "senco serve").env("GIT_COMMITTER_NAME", "senco serve");
    }
    if !has("user.email") {
        commit.env("GIT_AUTHOR_EMAIL", "senco@localhost").env("GIT_COMMITTER_EMAIL", "senco@localhost");
    }
    run(commit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_git_call_turns_off_hooks_and_fsmonitor() {
        let cmd = git(Path::new("."));
        let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        let joined = args.join(" ");
        assert!(joined.contains("-c core.fsmonitor=false"), "{joined}");
        assert!(joined.contains("-c core.hooksPath=/dev/null"), "{joined}");
    }

    /// A repository whose config names a clean filter (and a long-running
    /// filter process) for every file: committing a file must run neither.
    #[test]
    fn a_hostile_filter_is_not_run() {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("git").arg("init").arg("-q").arg(dir.path()).status();
        if !ok.is_ok_and(|s| s.success()) {
            return; // no git here
        }
        let marker = dir.path().join("pwned");
        let set = |k: &str, v: String| {
            assert!(Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(["config", k])
                .arg(v)
                .status()
                .unwrap()
                .success())
        };
        set("filter.x.y.clean", format!("sh -c 'touch {}; cat'", marker.display()));
        set("filter.x.y.process", format!("sh -c 'touch {}'", marker.display()));
        // A name holding `=` (`-c` would split at it).
        set("filter.a=b.clean", format!("sh -c 'touch {}; cat'", marker.display()));
        std::fs::write(dir.path().join(".gitattributes"), "*.yaml filter=x.y\n*.yml filter=a=b\n").unwrap();
        std::fs::write(dir.path().join("b.yml"), "b: 1\n").unwrap();
        commit_paths(dir.path(), &["b.yml".to_string()], "add b").unwrap();
        assert!(!marker.exists(), "git ran the repository's filter named with `=`");
        std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
        assert_eq!(uncommitted(dir.path(), &["a.yaml".to_string()]), ["a.yaml"]);
        commit_paths(dir.path(), &["a.yaml".to_string()], "add a").unwrap();
        assert!(!marker.exists(), "git ran the repository's filter");
        let log = Command::new("git").arg("-C").arg(dir.path()).args(["log", "--oneline"]).output().unwrap();
        assert!(String::from_utf8_lossy(&log.stdout).contains("add a"));
    }

    /// A repository whose config names an fsmonitor program: `uncommitted`
    /// must not run it.
    #[test]
    fn a_hostile_fsmonitor_is_not_run() {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("git").arg("init").arg("-q").arg(dir.path()).status();
        if !ok.is_ok_and(|s| s.success()) {
            return; // no git here
        }
        let marker = dir.path().join("pwned");
        let script = dir.path().join("monitor.sh");
        std::fs::write(&script, format!("#!/bin/sh\ntouch '{}'\n", marker.display())).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let set = Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["config", "core.fsmonitor"])
            .arg(&script)
            .status()
            .unwrap();
        assert!(set.success());
        std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
        let found = uncommitted(dir.path(), &["a.yaml".to_string()]);
        assert_eq!(found, ["a.yaml"]);
        assert!(!marker.exists(), "git ran the repository's fsmonitor");
    }
}
