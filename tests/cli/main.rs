//! CLI tests: the real binary against fixture repositories (`tests/fixtures/`),
//! clock and environment pinned, stdout, stderr and exit code snapshotted
//! together. One test binary; one module per command family.

mod agree;
mod audit;
mod browser;
mod calendar;
mod check;
mod compliance;
mod crash;
mod delivery;
mod duties;
mod england;
mod evidence;
mod export;
mod hostile;
mod import;
mod log;
mod plain;
mod query;
mod render;
mod rules;
mod sandbox;
mod sarif;
mod schema;
mod serve;
mod transfer;
mod upkeep;
mod verify;
mod writers;
mod years;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TODAY: &str = "2026-11-24";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    /// Everything a user would see, for a snapshot.
    pub fn all(&self) -> String {
        format!("exit: {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

pub fn senco_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SENCO_TODAY")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("run senco");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Runs senco on a repository with today pinned.
pub fn senco(repo: &Path, args: &[&str]) -> Run {
    let mut all = vec!["-C", repo.to_str().unwrap(), "--today", TODAY];
    all.extend_from_slice(args);
    senco_in(Path::new(env!("CARGO_MANIFEST_DIR")), &all)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, to prove a command changed nothing.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(dir, dir)
}

fn walkdir(root: &Path, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            out.extend(walkdir(root, &e.path()));
        } else {
            let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// A generated school (examples/gen.rs) of `n` pupils from `seed`, in
/// `dir/name`; the generator is built if needed.
pub fn generated(dir: &Path, name: &str, n: usize, seed: u64) -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_senco"))
        .parent()
        .unwrap()
        .join(format!("examples/gen{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "gen"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --example gen");
        assert!(status.success());
    }
    let out = dir.join(name);
    let run = std::process::Command::new(bin)
        .args([out.to_str().unwrap(), "--pupils", &n.to_string(), "--seed", &seed.to_string()])
        .output()
        .expect("run gen");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    out
}

/// The example school bundled with senco.
pub fn oakfield() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/oakfield")
}
