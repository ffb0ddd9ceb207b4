//! The lock and the journal that make a batch safe against a crash and
//! against a second writer. Both live in `.senco/` at the repository root,
//! which git ignores (`init` writes the line) and which is removed again
//! when a batch ends cleanly, so a finished command leaves nothing behind.
//!
//! - `.senco/lock`: every writer holds an exclusive OS advisory lock on it
//!   (`File::try_lock`) for the whole batch; the OS releases it when the
//!   process dies, however it dies. A second writer is refused at once, it
//!   never waits. Readers never take it.
//! - `.senco/journal.json`: the plan of the batch, written and flushed to
//!   disk before the batch changes anything visible: every file it will
//!   write (the temporary name, the target, the SHA-256 of the old and the
//!   new bytes, the undo copy of the old file), every folder move and every
//!   folder it creates. First in state `staging` (temporary files are being
//!   written; nothing visible has changed), then `committing` (renames under
//!   way). `recover` reads it to finish the batch or undo it; every step of
//!   either checks what is on disk first, so `recover` itself may be
//!   interrupted and run again.
//! - `.senco/undo/N`: the old file of each file replaced (a hard link to it,
//!   else a copy), until the batch is done.

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const DIR: &str = ".senco";
pub const JOURNAL: &str = ".senco/journal.json";
pub const LOCK: &str = ".senco/lock";
pub const UNDO: &str = ".senco/undo";
const JOURNAL_TMP: &str = ".senco/journal.json.tmp";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Temporary files and undo copies are being written; nothing visible
    /// has changed. Only undoing is possible.
    Staging,
    /// Every new file is on disk; the renames are under way.
    Committing,
    /// `recover --undo` has begun putting the old files back: only undoing
    /// can finish.
    Undoing,
}

/// One step of the plan. Paths are relative to the repository root, with
/// symbolic links already resolved (a linked record is edited at its
/// target).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Step {
    /// `temp` is renamed over the existing `target`, whose old bytes are
    /// kept at `undo`.
    Replace { target: String, temp: String, undo: String, old_sha256: String, new_sha256: String },
    /// `temp` is renamed to the new file `target`.
    Create { target: String, temp: String, new_sha256: String },
    /// The folder `from` is renamed to `to`.
    Move { from: String, to: String },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Journal {
    pub version: u32,
    /// The command that started the batch, for messages.
    pub command: String,
    pub pid: u32,
    pub state: State,
    /// Folders the batch creates, parents first; removed again (when empty)
    /// by an undo.
    pub dirs: Vec<String>,
    pub steps: Vec<Step>,
}

impl Journal {
    pub fn read(root: &Path) -> Result<Option<Journal>, Error> {
        // The bounded reader: a FIFO, a device or a link outside is refused,
        // never opened (every command reads the journal first).
        let limits = crate::model::settings::Limits { max_file_kb: 512 * 1024, ..Default::default() };
        let text = match crate::repo::read::read_record(root, JOURNAL, limits) {
            Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            Ok(None) => return Ok(None),
            Err(f) => {
                return Err(Error::usage(
                    format!("`{JOURNAL}` cannot be read: {}", f.message),
                    Some(format!("senco writes it only while it changes the records; look at what is there, and remove the `{DIR}` folder when the records are right (`git status` helps)")),
                ))
            }
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Error::usage(
                format!("`{JOURNAL}` cannot be read ({e}), so senco cannot tell what the interrupted command did"),
                Some(format!(
                    "compare the records with git (`git status`, `git diff`); the old files of the interrupted batch are in `{UNDO}/`; when the records are right, delete the `{DIR}` folder"
                )),
            )
        })
    }

    /// Writes the journal atomically and durably: a temporary file, synced,
    /// renamed over the old journal, and the folder synced.
    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        let tmp = root.join(JOURNAL_TMP);
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
        f.write_all(serde_json::to_string_pretty(self).map_err(std::io::Error::other)?.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        fs::rename(&tmp, root.join(JOURNAL))?;
        super::sync_dir(&root.join(DIR));
        Ok(())
    }

    /// Removes the journal, the undo folder, and `.senco/` itself when
    /// nothing else is in it.
    pub fn remove(root: &Path) -> std::io::Result<()> {
        match fs::remove_dir_all(root.join(UNDO)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let _ = fs::remove_file(root.join(JOURNAL_TMP));
        match fs::remove_file(root.join(JOURNAL)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        super::sync_dir(&root.join(DIR));
        Ok(())
    }
}

/// The message for an unfinished batch, for every command that finds one.
pub fn unfinished_error(j: &Journal) -> Error {
    let state = match j.state {
        State::Staging => "it had not yet changed any record",
        State::Committing => "it may have changed some records and not others",
        State::Undoing => "`senco recover --undo` had begun undoing it",
    };
    Error::usage(
        format!(
            "an earlier {} (process {}) was interrupted before it finished ({state}); its plan is in `{JOURNAL}`",
            command_name(&j.command),
            j.pid
        ),
        Some(
            "run `senco recover` to finish it, or `senco recover --undo` to put every record back as it was before it; nothing else runs until then"
                .into(),
        ),
    )
}

/// "`senco rollover`", or "senco command" when the batch was not named.
pub fn command_name(command: &str) -> String {
    if command.is_empty() {
        "senco command".into()
    } else {
        format!("`senco {command}`")
    }
}

/// For every command: stops when a batch is unfinished (a crash) or under
/// way (another writer), without waiting.
pub fn refuse_if_unfinished(root: &Path) -> Result<(), Error> {
    if !root.join(JOURNAL).exists() {
        return Ok(());
    }
    not_regular(root, LOCK)?;
    if let Ok(f) = File::open(root.join(LOCK)) {
        if let Err(std::fs::TryLockError::WouldBlock) = f.try_lock_shared() {
            return Err(busy());
        }
    }
    match Journal::read(root)? {
        Some(j) => Err(unfinished_error(&j)),
        None => Ok(()),
    }
}

fn busy() -> Error {
    Error::usage(
        "another senco command is changing these records right now",
        Some("run this command again when it has finished (a rollover of a large school takes a few seconds)".into()),
    )
}

/// The writers' lock, held until dropped; dropping it removes the lock file
/// and an empty `.senco/`.
#[derive(Debug)]
pub struct Lock {
    file: File,
    root: PathBuf,
}

impl Lock {
    /// Takes the lock, refusing at once when another writer holds it, and
    /// refusing when an earlier batch was left unfinished.
    pub fn acquire(root: &Path) -> Result<Lock, Error> {
        let lock = Lock::acquire_for_recovery(root)?;
        if let Some(j) = Journal::read(root)? {
            return Err(unfinished_error(&j));
        }
        Ok(lock)
    }

    /// Takes the lock whatever the journal says: for `recover`.
    pub fn acquire_for_recovery(root: &Path) -> Result<Lock, Error> {
        let dir = root.join(DIR);
        let path = root.join(LOCK);
        // The lock file is removed on release, so the file we locked may
        // have been unlinked by its previous holder between our open and our
        // lock: then it no longer guards anything, and we try again.
        for _ in 0..20 {
            fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            not_regular(root, LOCK)?;
            let file = match OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::io(&path, e)),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Err(busy()),
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
            if !same_file(&file, &path) {
                continue;
            }
            return Ok(Lock { file, root: root.to_path_buf() });
        }
        Err(busy())
    }
}

/// Refuses a file of senco's own (`.senco/lock`) that is there but is not a
/// regular file: opening a FIFO would wait for ever.
fn not_regular(root: &Path, rel: &str) -> Result<(), Error> {
    match fs::symlink_metadata(root.join(rel)) {
        Ok(m) if !m.is_file() => Err(Error::usage(
            format!("`{rel}` is not a regular file, so senco will not open it"),
            Some(format!(
                "senco makes it only while it changes the records: remove it (`rm {rel}`) and run the command again"
            )),
        )),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Unlink while still holding the lock, so nobody locks a file that
        // is about to disappear without noticing (see `acquire`).
        if !self.root.join(JOURNAL).exists() {
            // A journal being written when its process was killed, never
            // renamed into place: nothing was done from it.
            let _ = fs::remove_file(self.root.join(JOURNAL_TMP));
            let _ = fs::remove_file(self.root.join(LOCK));
            let _ = self.file.unlock();
            let _ = fs::remove_dir(self.root.join(DIR));
        } else {
            let _ = self.file.unlock();
        }
    }
}

/// SHA-256 of `bytes`, as lowercase hex: the journal's fingerprint of a
/// file's content. (A few dozen lines here rather than a dependency tree of
/// five crates; tested against the FIPS 180-2 vectors.)
pub fn sha256(bytes: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = bytes.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((bytes.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// The SHA-256 of the file at `path`; `None` when it does not exist.
pub fn file_sha256(path: &Path) -> std::io::Result<Option<String>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(sha256(&b))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(sha256(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(sha256(&vec![b'a'; 1_000_000]), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    #[test]
    fn a_second_writer_is_refused_and_the_lock_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let first = Lock::acquire(dir.path()).unwrap();
        let e = Lock::acquire(dir.path()).unwrap_err().to_string();
        assert!(e.contains("another senco command is changing these records"), "{e}");
        drop(first);
        assert!(!dir.path().join(DIR).exists(), "the lock and its folder are removed on release");
        drop(Lock::acquire(dir.path()).unwrap());
    }

    #[test]
    fn an_unfinished_journal_stops_readers_and_writers() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(DIR)).unwrap();
        let j = Journal {
            version: 1,
            command: "rollover".into(),
            pid: 7,
            state: State::Committing,
            dirs: vec![],
            steps: vec![Step::Move { from: "pupils/a".into(), to: "archive/a".into() }],
        };
        j.write(dir.path()).unwrap();
        let e = refuse_if_unfinished(dir.path()).unwrap_err();
        assert!(e.to_string().contains("an earlier `senco rollover` (process 7) was interrupted"), "{e}");
        assert!(e.hint().unwrap().contains("senco recover"));
        assert!(Lock::acquire(dir.path()).unwrap_err().to_string().contains("interrupted"));
        assert_eq!(Journal::read(dir.path()).unwrap().unwrap().steps, j.steps);
        Journal::remove(dir.path()).unwrap();
        refuse_if_unfinished(dir.path()).unwrap();
    }
}
