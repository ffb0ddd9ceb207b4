//! The only code that writes records. Every write is atomic: the new content
//! goes to a temporary file in the same folder, is flushed to disk, and is
//! renamed over the target, so a crash leaves the old file or the new one,
//! never half of either. New folders are built under a temporary name and
//! renamed into place whole.

use crate::error::Error;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically. Refuses to replace an existing file
/// unless `overwrite` is set.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), Error> {
    write_via_temp(path, overwrite, |tmp| -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).open(tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })
}

/// Writes `path` through `write`, which is given a temporary path beside it
/// and must create that file (e.g. an SQLite database); the file is renamed
/// over `path` only when `write` succeeds, so `path` is never half written.
/// Refuses to replace an existing file unless `overwrite` is set.
pub fn write_via_temp<E: std::fmt::Display>(
    path: &Path,
    overwrite: bool,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), Error> {
    if !overwrite && path.exists() {
        return Err(Error::usage(format!("`{}` already exists; not overwriting it", path.display()), None));
    }
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return write_into_special(path, write);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = temp_path(dir, path.file_name().and_then(|n| n.to_str()).unwrap_or("file"));
    let result = write(&tmp).map_err(|e| std::io::Error::other(e.to_string())).and_then(|()| {
        File::open(&tmp)?.sync_all()?;
        if !overwrite && path.exists() {
            return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "appeared while writing"));
        }
        fs::rename(&tmp, path)?;
        sync_dir(dir);
        Ok(())
    });
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// `-o /dev/null` or `-o /dev/stdout`: a device or a pipe is written into,
/// like a shell redirection, never replaced by a renamed file (which, run as
/// root, would put a regular file where /dev/null was).
fn write_into_special<E: std::fmt::Display>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), Error> {
    let tmp = temp_path(&std::env::temp_dir(), "senco-output");
    let result = write(&tmp).map_err(|e| std::io::Error::other(e.to_string())).and_then(|()| {
        let mut from = File::open(&tmp)?;
        let mut to = OpenOptions::new().write(true).open(path)?;
        std::io::copy(&mut from, &mut to)?;
        to.flush()
    });
    let _ = fs::remove_file(&tmp);
    result.map_err(|e| Error::io(path, e))
}

/// Creates the folder `target` with the given files (relative paths) inside,
/// all or nothing: they are written under a temporary folder beside it, which
/// is renamed to `target` only when every file is written.
pub fn create_dir_with(target: &Path, files: &[(&str, String)]) -> Result<(), Error> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(rel, c)| (*rel, c.as_bytes())).collect();
    create_dir_with_bytes(target, &files)
}

/// Like `create_dir_with`, for contents that are not all text (a transfer
/// pack's Word documents).
pub fn create_dir_with_bytes(target: &Path, files: &[(&str, &[u8])]) -> Result<(), Error> {
    if target.exists() {
        return Err(Error::usage(format!("`{}` already exists; not overwriting it", target.display()), None));
    }
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let tmp = temp_path(parent, target.file_name().and_then(|n| n.to_str()).unwrap_or("dir"));
    let result = (|| -> std::io::Result<()> {
        fs::create_dir(&tmp)?;
        for (rel, content) in files {
            let p = tmp.join(rel);
            if let Some(d) = p.parent() {
                fs::create_dir_all(d)?;
            }
            let mut f = File::create(&p)?;
            f.write_all(content)?;
            f.sync_all()?;
        }
        if target.exists() {
            return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "appeared while writing"));
        }
        fs::rename(&tmp, target)?;
        sync_dir(parent);
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_dir_all(&tmp);
        Error::io(target, e)
    })
}

/// Creates a folder and any missing parents, for output such as
/// `render --out-dir` or `templates export`; an existing folder is fine.
pub fn create_dirs(path: &Path) -> Result<(), Error> {
    fs::create_dir_all(path).map_err(|e| Error::io(path, e))
}

/// A temporary name beside the target: hidden, so loaders skip it.
pub(crate) fn temp_path(dir: &Path, name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    dir.join(format!(".{name}.senco-tmp-{}-{nanos}", std::process::id()))
}

/// Makes a rename durable; best effort where folders cannot be opened.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_file_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        write_file(&p, b"one", false).unwrap();
        assert!(write_file(&p, b"two", false).is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "one");
        write_file(&p, b"two", true).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary files left");
    }

    #[test]
    fn a_device_is_written_into_never_replaced() {
        let null = Path::new("/dev/null");
        if !null.exists() {
            return;
        }
        write_file(null, b"nothing", true).unwrap();
        write_via_temp(null, true, |tmp| fs::write(tmp, "db")).unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::metadata(null).unwrap().file_type().is_char_device(), "/dev/null is still a device");
    }

    #[test]
    fn write_via_temp_leaves_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.db");
        let r = write_via_temp(&p, false, |tmp| {
            fs::write(tmp, "half").unwrap();
            Err("disk full")
        });
        assert!(r.is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "no file, no temporary file");
        write_via_temp(&p, false, |tmp| fs::write(tmp, "whole")).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "whole");
        assert!(write_via_temp(&p, false, |tmp| fs::write(tmp, "again")).is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn create_dir_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("p");
        create_dir_with(&t, &[("a.yaml", "x".into()), ("reviews/.gitkeep", String::new())]).unwrap();
        assert!(t.join("reviews/.gitkeep").exists());
        assert!(create_dir_with(&t, &[]).is_err());
    }
}
pub mod batch;
pub mod delivery;
pub mod git;
pub mod journal;
pub mod log;
pub mod outcome;
pub mod recover;
pub mod review;
pub mod roster;
pub mod scaffold;
pub mod surgical;
pub mod transfer;
pub mod upkeep;
