//! Reading one record file safely: only regular files inside the
//! repository, never more than the size limit, never a blocking open.
//!
//! The file type is checked before the file is opened (a FIFO would block an
//! ordinary open for ever, a device could be endless), and the open itself is
//! non-blocking, so a file swapped for a FIFO between the check and the open
//! cannot hang senco either. Links are followed only when they lead to a place
//! inside the repository: a link to `/etc/passwd` or another school's records
//! is refused, like any file that is not a regular file.

use crate::diag::{Finding, Severity};
use crate::model::settings::Limits;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The finding for a file senco refuses to read.
fn refused(rel: &str, message: String, hint: &str) -> Box<Finding> {
    Box::new(Finding::new(Severity::Error, "unreadable-file", rel, None, message).with_hint(hint))
}

/// Where `path` (a link, or a path through a linked folder) really leads, when
/// that is outside the repository at `root`; `None` when it stays inside (or
/// cannot be resolved: reading it then fails with its own message).
pub fn outside_link(root: &Path, path: &Path) -> Option<PathBuf> {
    let target = std::fs::canonicalize(path).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    (!target.starts_with(&root)).then_some(target)
}

/// Whether `path` is itself a symbolic link (not following it).
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The folders on the way to record files already looked at, each with
/// whether it is a symbolic link. A pupil's files share their folders
/// (`pupils`, `pupils/ID`, `pupils/ID/reviews`): reading them with one
/// `Folders` looks at each folder once, not once per file (at 10,000
/// pupils, 132,000 fewer `lstat` calls per load). Keep one for one pupil's
/// load (or one delivery place's) at most, as the loader does: a folder
/// swapped for a link later is seen by the next load, which the watcher
/// starts.
#[derive(Debug, Default)]
pub struct Folders(Vec<(PathBuf, bool)>);

impl Folders {
    /// Whether `path` is itself a symbolic link, as [`is_link`]; looked at
    /// once, then remembered.
    pub fn is_link(&mut self, path: &Path) -> bool {
        if let Some((_, link)) = self.0.iter().find(|(p, _)| p == path) {
            return *link;
        }
        let link = is_link(path);
        self.0.push((path.to_path_buf(), link));
        link
    }
}

/// The finding for a link at `rel` leading outside the repository.
pub fn outside_finding(rel: &str, target: &Path) -> Box<Finding> {
    refused(
        rel,
        format!(
            "`{rel}` is a link to `{}`, outside the repository; senco reads only files inside it",
            target.display()
        ),
        "move the file into the repository in place of the link, or remove the link",
    )
}

/// A plain name for a kind of file that is not a regular file.
fn kind_name(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

fn too_large(rel: &str, size: u64, limits: Limits) -> Box<Finding> {
    refused(
        rel,
        format!(
            "the file is {} KB, larger than the limit of {} KB for one record file, so it is not read",
            size.div_ceil(1024),
            limits.max_file_kb
        ),
        "split the record, or raise `max_file_kb` under `[limits]` in senco.toml",
    )
}

/// Opens without blocking: a FIFO opened for reading would otherwise wait
/// for a writer for ever.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// The bytes of the record file `rel` under `root`. `Ok(None)` when it does
/// not exist; a finding when it exists but senco may not or cannot read it:
/// not a regular file, a link outside the repository, larger than the limit,
/// no permission.
pub fn read_record(root: &Path, rel: &str, limits: Limits) -> Result<Option<Vec<u8>>, Box<Finding>> {
    read_record_in(root, rel, limits, &mut Folders::default())
}

/// [`read_record`], with the folders on the way looked at through `folders`
/// (shared by the files of one pupil).
pub fn read_record_in(
    root: &Path,
    rel: &str,
    limits: Limits,
    folders: &mut Folders,
) -> Result<Option<Vec<u8>>, Box<Finding>> {
    let path = root.join(rel);
    let cannot = |e: std::io::Error| {
        refused(rel, format!("cannot read the file: {e}"), "check the file's permissions (`ls -l` shows them)")
    };
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot(e)),
    };
    // A folder on the way that is a link (`delivery/`, `templates/`, a
    // pupil's folder) may lead outside too: then so does the file.
    let mut folder = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        folder.push(part);
        if folders.is_link(&folder) {
            if let Some(target) = outside_link(root, &path) {
                return Err(outside_finding(rel, &target));
            }
            break;
        }
    }
    let meta = if meta.file_type().is_symlink() {
        if let Some(target) = outside_link(root, &path) {
            return Err(outside_finding(rel, &target));
        }
        match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(refused(
                    rel,
                    "the file is a link to a file that does not exist".into(),
                    "remove the link, or put the file it should point to in place",
                ))
            }
            Err(e) => return Err(cannot(e)),
        }
    } else {
        meta
    };
    let not_regular = |t: std::fs::FileType| {
        refused(
            rel,
            format!("`{rel}` is {}, not a regular file, so it is not read", kind_name(t)),
            "records are ordinary text files: replace it with one, or remove it",
        )
    };
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    if meta.len() > limits.max_file_bytes() {
        return Err(too_large(rel, meta.len(), limits));
    }
    let file = open(&path).map_err(cannot)?;
    // The file may have been replaced since the check: check what was opened.
    let opened = file.metadata().map_err(cannot)?;
    if !opened.is_file() {
        return Err(not_regular(opened.file_type()));
    }
    let mut bytes = Vec::with_capacity(opened.len().min(limits.max_file_bytes()) as usize);
    file.take(limits.max_file_bytes().saturating_add(1)).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > limits.max_file_bytes() {
        return Err(too_large(rel, bytes.len() as u64, limits));
    }
    Ok(Some(bytes))
}

/// A school's file that is not a record (a template, `senco.toml` read on
/// its own) as text, through the same bounded reader: a regular file inside
/// the repository, within the default size limit, UTF-8. A FIFO, a device
/// or a link leading outside is an error naming the file, never a hang and
/// never another file's contents.
pub fn read_school_text(root: &Path, rel: &str) -> Result<String, crate::error::Error> {
    let refuse = |message: String, hint: Option<String>| {
        crate::error::Error::usage(format!("`{rel}` cannot be used: {message}"), hint)
    };
    match read_record(root, rel, Limits::default()) {
        Ok(Some(bytes)) => {
            String::from_utf8(bytes).map_err(|_| refuse("it is not UTF-8 text".into(), Some("save it as UTF-8".into())))
        }
        Ok(None) => Err(refuse("there is no such file".into(), None)),
        Err(f) => Err(refuse(f.message.clone(), f.hint.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(kb: u64) -> Limits {
        Limits { max_file_kb: kb, ..Default::default() }
    }

    #[test]
    fn reads_a_regular_file_and_reports_a_missing_one_as_none() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "id: a\n").unwrap();
        assert_eq!(read_record(dir.path(), "a.yaml", limits(1)).unwrap().unwrap(), b"id: a\n");
        assert!(read_record(dir.path(), "b.yaml", limits(1)).unwrap().is_none());
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), vec![b'#'; 2048]).unwrap();
        let f = read_record(dir.path(), "a.yaml", limits(1)).unwrap_err();
        assert!(f.message.contains("larger than the limit of 1 KB"), "{}", f.message);
        assert!(read_record(dir.path(), "a.yaml", limits(2)).is_ok());
    }

    #[test]
    fn a_folder_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a.yaml")).unwrap();
        let f = read_record(dir.path(), "a.yaml", limits(1)).unwrap_err();
        assert!(f.message.contains("is a folder, not a regular file"), "{}", f.message);
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_are_followed_and_links_outside_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x: 1\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real.yaml"), "id: a\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real.yaml"), dir.path().join("in.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("out.yaml")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling.yaml")).unwrap();
        assert_eq!(read_record(dir.path(), "in.yaml", limits(1)).unwrap().unwrap(), b"id: a\n");
        let f = read_record(dir.path(), "out.yaml", limits(1)).unwrap_err();
        assert!(f.message.contains("outside the repository"), "{}", f.message);
        let f = read_record(dir.path(), "dangling.yaml", limits(1)).unwrap_err();
        assert!(f.message.contains("does not exist"), "{}", f.message);
    }

    #[cfg(unix)]
    #[test]
    fn folders_look_at_each_folder_once_and_still_refuse_every_file_through_a_link_outside() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("pupils/in/reviews")).unwrap();
        for (folder, file) in [(outside.path(), "pupil.yaml"), (&root.join("pupils/in"), "pupil.yaml")] {
            std::fs::write(folder.join(file), "id: a\n").unwrap();
            std::fs::write(folder.join("needs.yaml"), "[]\n").unwrap();
        }
        std::fs::write(root.join("pupils/in/reviews/2026-01-05.yaml"), "date: 2026-01-05\n").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("pupils/out")).unwrap();
        // One pupil's files through one `Folders`: every file behind the
        // linked folder is refused, not only the first.
        let mut folders = Folders::default();
        for file in ["pupils/out/pupil.yaml", "pupils/out/needs.yaml"] {
            let f = read_record_in(root, file, limits(1), &mut folders).unwrap_err();
            assert!(f.message.contains("outside the repository"), "{file}: {}", f.message);
        }
        let mut folders = Folders::default();
        for file in ["pupils/in/pupil.yaml", "pupils/in/needs.yaml", "pupils/in/reviews/2026-01-05.yaml"] {
            assert!(read_record_in(root, file, limits(1), &mut folders).unwrap().is_some(), "{file}");
        }
        // `pupils`, `pupils/in` and `pupils/in/reviews`, each looked at once.
        assert_eq!(folders.0.len(), 3, "{folders:?}");
        assert!(folders.0.iter().all(|(_, link)| !link));
        // A folder swapped for a link is seen by the next load's `Folders`.
        std::fs::rename(root.join("pupils/in"), root.join("pupils/moved")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("pupils/in")).unwrap();
        let f = read_record_in(root, "pupils/in/pupil.yaml", limits(1), &mut Folders::default()).unwrap_err();
        assert!(f.message.contains("outside the repository"), "{}", f.message);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        let f = read_record(dir.path(), "p.yaml", limits(1)).unwrap_err();
        assert!(f.message.contains("named pipe"), "{}", f.message);
    }
}
