//! What the records' files look like on disk, cheaply: a fingerprint of each
//! pupil folder (the names, sizes, modification times and inodes of its
//! files) and one of everything outside `pupils/` and `archive/`.
//!
//! The file watcher can lose events: inotify's queue overflows when many
//! files are opened at once (the watcher's own walk of 10,000 folders does
//! it), and some file systems have no watcher at all. Then `live` compares a
//! fresh scan with the one taken when the records were read, and reads again
//! only the folders whose fingerprint moved, instead of the whole school.
//! A scan is taken *before* the files are read, so a change made while they
//! are read shows in the next comparison.

use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

/// How deep a pupil folder is looked into (`reviews/` and the like are one level down).
const DEPTH: usize = 4;

/// One scan of the repository.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scan {
    /// By folder: `("pupils" | "archive", dir)`.
    pub folders: HashMap<(String, String), u64>,
    /// Everything else that is read: `senco.toml`, staff, catalogue, delivery,
    /// stray files in `pupils/` or `archive/`, the journal.
    pub top: u64,
}

impl Scan {
    /// Scans the repository at `root`. Never fails: what cannot be read is
    /// hashed as such, so it differs from what could.
    pub fn take(root: &Path) -> Scan {
        let mut folders = HashMap::new();
        let mut top = std::collections::hash_map::DefaultHasher::new();
        for area in ["pupils", "archive"] {
            let base = root.join(area);
            let mut dirs = Vec::new();
            let mut strays = Vec::new();
            if let Ok(rd) = std::fs::read_dir(&base) {
                for entry in rd.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let is_dir = entry.file_type().is_ok_and(|t| t.is_dir()) || entry.path().is_dir();
                    if name.starts_with('.') {
                        continue;
                    }
                    if is_dir {
                        dirs.push(name);
                    } else {
                        strays.push(name);
                    }
                }
            }
            strays.sort();
            for name in strays {
                (area, &name).hash(&mut top);
                stamp(&base.join(&name)).hash(&mut top);
            }
            let found: Vec<((String, String), u64)> = dirs
                .into_par_iter()
                .map(|dir| {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    folder(&base.join(&dir), DEPTH, &mut h);
                    ((area.to_string(), dir), h.finish())
                })
                .collect();
            folders.extend(found);
        }
        // The rest of the repository, but not git's own folder, the page
        // templates (read on each page) or hidden files other than the journal.
        let mut names: Vec<String> = std::fs::read_dir(root)
            .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        for name in names {
            if matches!(name.as_str(), "pupils" | "archive" | "templates" | ".git")
                || (name.starts_with('.') && name != ".senco")
            {
                continue;
            }
            name.hash(&mut top);
            let path = root.join(&name);
            if path.is_dir() {
                folder(&path, DEPTH, &mut top);
            } else {
                stamp(&path).hash(&mut top);
            }
        }
        Scan { folders, top: top.finish() }
    }

    /// The folders that differ between two scans (added, removed or changed),
    /// sorted, and whether anything outside the pupil folders did.
    pub fn changes(&self, now: &Scan) -> (Vec<(String, String)>, bool) {
        let mut out: Vec<(String, String)> = now
            .folders
            .iter()
            .filter(|(k, v)| self.folders.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .chain(self.folders.keys().filter(|k| !now.folders.contains_key(*k)).cloned())
            .collect();
        out.sort();
        (out, self.top != now.top)
    }

    /// Scans one pupil folder again (before it is read), so the next
    /// comparison starts from what was read.
    pub fn rescan_folder(&mut self, root: &Path, area: &str, dir: &str) {
        let path = root.join(area).join(dir);
        let key = (area.to_string(), dir.to_string());
        if path.is_dir() {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            folder(&path, DEPTH, &mut h);
            self.folders.insert(key, h.finish());
        } else {
            self.folders.remove(&key);
        }
    }
}

type Stamp = (u64, i64, i64, u64, bool);

/// A file's identity and state: size, modification time, inode and type.
fn stamp_of(m: &std::fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    (m.len(), m.mtime(), m.mtime_nsec(), m.ino(), m.is_dir())
}

fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|m| stamp_of(&m))
}

/// Hashes a folder's entries, sorted by name, recursively to `depth`.
fn folder(path: &Path, depth: usize, h: &mut impl Hasher) {
    stamp(path).map(|s| s.3).hash(h);
    let rd = match std::fs::read_dir(path) {
        Ok(rd) => rd,
        Err(e) => {
            e.kind().hash(h);
            return;
        }
    };
    // The entry's own metadata (no path lookup), or the target's for a link.
    let mut entries: Vec<(std::ffi::OsString, Option<Stamp>)> = rd
        .flatten()
        .map(|e| {
            let link = e.file_type().is_ok_and(|t| t.is_symlink());
            let s = if link { stamp(&e.path()) } else { e.metadata().ok().map(|m| stamp_of(&m)) };
            (e.file_name(), s)
        })
        .collect();
    entries.sort();
    for (name, s) in entries {
        name.hash(h);
        s.hash(h);
        if depth > 1 && s.is_some_and(|s| s.4) {
            folder(&path.join(&name), depth - 1, h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        for d in ["pupils/a", "pupils/b/reviews", "archive/c"] {
            std::fs::create_dir_all(t.path().join(d)).unwrap();
        }
        std::fs::write(t.path().join("senco.toml"), "x").unwrap();
        std::fs::write(t.path().join("pupils/a/pupil.yaml"), "a").unwrap();
        std::fs::write(t.path().join("pupils/b/reviews/r.yaml"), "r").unwrap();
        std::fs::write(t.path().join("archive/c/pupil.yaml"), "c").unwrap();
        t
    }

    #[test]
    fn the_same_files_scan_the_same() {
        let t = repo();
        assert_eq!(Scan::take(t.path()).changes(&Scan::take(t.path())), (vec![], false));
    }

    #[test]
    fn a_changed_file_names_its_folder_only() {
        let t = repo();
        let before = Scan::take(t.path());
        std::fs::write(t.path().join("pupils/b/reviews/r.yaml"), "longer").unwrap();
        std::fs::create_dir(t.path().join("pupils/d")).unwrap();
        std::fs::remove_dir_all(t.path().join("archive/c")).unwrap();
        let (folders, top) = before.changes(&Scan::take(t.path()));
        let want: Vec<(String, String)> =
            [("archive", "c"), ("pupils", "b"), ("pupils", "d")].map(|(a, b)| (a.into(), b.into())).to_vec();
        assert_eq!(folders, want);
        assert!(!top);
    }

    #[test]
    fn a_top_level_file_or_a_stray_file_is_a_change_of_everything() {
        let t = repo();
        let before = Scan::take(t.path());
        std::fs::write(t.path().join("senco.toml"), "xy").unwrap();
        assert_eq!(before.changes(&Scan::take(t.path())), (vec![], true));
        let before = Scan::take(t.path());
        std::fs::write(t.path().join("pupils/stray.yaml"), "s").unwrap();
        assert_eq!(before.changes(&Scan::take(t.path())), (vec![], true));
        // Git's own folder and the templates are not the records.
        let before = Scan::take(t.path());
        std::fs::create_dir_all(t.path().join(".git")).unwrap();
        std::fs::write(t.path().join(".git/index"), "i").unwrap();
        assert_eq!(before.changes(&Scan::take(t.path())), (vec![], false));
    }

    #[test]
    fn rescanning_a_folder_catches_up() {
        let t = repo();
        let mut before = Scan::take(t.path());
        std::fs::write(t.path().join("pupils/a/pupil.yaml"), "changed").unwrap();
        before.rescan_folder(t.path(), "pupils", "a");
        assert_eq!(before.changes(&Scan::take(t.path())), (vec![], false));
    }
}
