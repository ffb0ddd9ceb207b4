//! Transfer packs between schools (`senco transfer out|in`, docs/transfer.md).
//!
//! A pack is a folder or a `.zip` file holding a pupil's record files byte
//! for byte (`records/`), the staff and catalogue entries they refer to
//! (`school/`), rendered documents (`documents/`) and `manifest.json`: the
//! pack format's version, the sending school's name and jurisdiction, and
//! the SHA-256 of every other file.
//!
//! Reading is bounded, because a pack comes from outside: a size limit on
//! the pack, on every file and on the whole, a cap on the number of files,
//! and only the names the layout allows (no `..`, no absolute paths, no
//! links, no devices). Nothing from a pack is trusted before every checksum
//! matches.
//!
//! Placing a pack (`plan_in`) is one [`Batch`]: the pupil's files under
//! `pupils/ID/`, the missing staff and catalogue entries appended to the
//! school's files, and the references to renamed entries rewritten, all or
//! nothing. Every edit is surgical (`edit::surgical`): comments, order and
//! quoting stay the sending school's.

use super::batch::Batch;
use super::surgical::{self, Edit};
use super::upkeep::FileText;
use crate::error::Error;
use crate::model::settings::Limits as RecordLimits;
use crate::repo::yaml::{self, Node, Scalar, Style};
use crate::repo::Repo;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

/// What `manifest.json` says a pack is.
pub const PACK_KIND: &str = "senco-transfer-pack";
/// The pack format written by this senco; packs of a later version are refused.
pub const PACK_VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const STAFF: &str = "school/staff.yaml";
pub const CATALOGUE: &str = "school/catalogue.yaml";

/// Bounds on reading a pack: far above any real pupil's records, far below
/// what would hurt the machine.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The pack file (`.zip`) on disk.
    pub pack_bytes: u64,
    /// Files in the pack.
    pub files: usize,
    /// One record or school file (`records/`, `school/`).
    pub record_bytes: u64,
    /// One document (`documents/`).
    pub document_bytes: u64,
    /// Every file together, unpacked.
    pub total_bytes: u64,
}

impl Limits {
    pub fn new(record_kb: u64) -> Limits {
        Limits {
            pack_bytes: 256 << 20,
            files: 2000,
            record_bytes: record_kb.saturating_mul(1024),
            document_bytes: 32 << 20,
            total_bytes: 512 << 20,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub pack: String,
    pub version: u32,
    /// The records format of the files (docs/format.md).
    pub records_format: u32,
    pub written_by: String,
    /// The day the pack was written (`--today`).
    pub written: String,
    pub school: SchoolInfo,
    pub pupil: PupilInfo,
    /// Every file of the pack but the manifest, sorted by path.
    pub files: Vec<FileInfo>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SchoolInfo {
    pub name: String,
    pub jurisdiction: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PupilInfo {
    /// The pupil's record id at the sending school.
    pub id: String,
    /// Whether the sending school had archived the record (the pupil left).
    pub archived: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileInfo {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A pack whose every checksum matched.
#[derive(Debug)]
pub struct Pack {
    pub manifest: Manifest,
    /// Path in the pack -> bytes, the manifest excluded.
    pub files: BTreeMap<String, Vec<u8>>,
}

// ------------------------------------------------------------------ writing

/// The manifest for `files` (path in the pack -> bytes).
pub fn manifest(files: &BTreeMap<String, Vec<u8>>, school: SchoolInfo, pupil: PupilInfo, written: &str) -> Manifest {
    Manifest {
        pack: PACK_KIND.into(),
        version: PACK_VERSION,
        records_format: 1,
        written_by: format!("senco {}", env!("CARGO_PKG_VERSION")),
        written: written.into(),
        school,
        pupil,
        files: files
            .iter()
            .map(|(path, bytes)| FileInfo {
                path: path.clone(),
                bytes: bytes.len() as u64,
                sha256: super::journal::sha256(bytes),
            })
            .collect(),
    }
}

/// Every file of the pack, the manifest included, sorted by path.
pub fn with_manifest(mut files: BTreeMap<String, Vec<u8>>, m: &Manifest) -> BTreeMap<String, Vec<u8>> {
    let mut json = serde_json::to_string_pretty(m).unwrap_or_default();
    json.push('\n');
    files.insert(MANIFEST.into(), json.into_bytes());
    files
}

/// The pack as one `.zip` file: deflated, with a fixed date on every entry
/// so the same records give the same bytes.
pub fn zip_bytes(files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o600);
    for (path, bytes) in files {
        w.start_file(path.as_str(), opts).map_err(|e| e.to_string())?;
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
}

/// The staff entries a pack carries: who they are, not their training or
/// qualifications (the receiving school keeps its own staff's CPD).
pub fn staff_entry(id: &str, name: Option<&str>, role: Option<&str>, hourly_rate: Option<f64>) -> String {
    let mut out = format!("- id: {}\n", surgical::yaml_text(id));
    if let Some(n) = name {
        out.push_str(&format!("  name: {}\n", surgical::yaml_text(n)));
    }
    if let Some(r) = role {
        out.push_str(&format!("  role: {r}\n"));
    }
    if let Some(h) = hourly_rate {
        out.push_str(&format!("  hourly_rate: {}\n", crate::render::fmt_money(h)));
    }
    out
}

/// The entries of a staff or catalogue file (`text`) whose ids are in
/// `ids`, each as written (comments inside an entry kept), as one list.
/// Ids with no entry are returned too, for a warning.
pub fn pick_entries(text: &str, ids: &BTreeSet<String>) -> Result<(String, Vec<String>), String> {
    let all = items(text.trim_start_matches('\u{feff}'))?;
    let mut out = String::new();
    let mut seen = BTreeSet::new();
    for it in &all {
        if ids.contains(&it.id) && seen.insert(it.id.clone()) {
            out.push_str(&it.text);
        }
    }
    let missing = ids.iter().filter(|i| !seen.contains(*i)).cloned().collect();
    Ok((out, missing))
}

// ------------------------------------------------------------------ reading

/// Why a pack is refused: a usage error naming the pack and what is wrong.
fn refused(pack: &Path, why: impl std::fmt::Display, hint: &str) -> Error {
    Error::usage(format!("refusing the transfer pack `{}`: {why}", pack.display()), Some(hint.into()))
}

const HOSTILE_HINT: &str =
    "a pack written by `senco transfer out` never holds this; ask the sending school to write the pack again";

/// Whether `name` is a path the pack layout allows.
pub fn allowed_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 255 {
        return Err("an empty or overlong file name".into());
    }
    if name.starts_with('/') || name.contains('\\') || name.contains(':') {
        return Err(format!("`{}` is an absolute path or not a plain relative one", shown(name)));
    }
    if name.chars().any(|c| c.is_control()) {
        return Err(format!("`{}` has control characters in its name", shown(name)));
    }
    let parts: Vec<&str> = name.split('/').collect();
    if parts.iter().any(|p| p.is_empty() || *p == "." || *p == "..") {
        return Err(format!("`{}` leads outside the pack (`..`) or has an empty part", shown(name)));
    }
    let plain = |p: &str| p.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) && !p.starts_with('.');
    let ok = match parts.as_slice() {
        [MANIFEST] => true,
        ["records", f] => crate::repo::PUPIL_FILES.contains(f),
        ["records", "reviews", f] => plain(f) && (f.ends_with(".yaml") || f.ends_with(".yml")),
        ["school", "staff.yaml" | "catalogue.yaml"] => true,
        ["documents", f] => plain(f),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("`{}` is not a file a transfer pack holds", shown(name)))
    }
}

fn shown(name: &str) -> String {
    crate::diag::render::escape_controls(name).into_owned()
}

fn limit_for(name: &str, limits: &Limits) -> u64 {
    if name.starts_with("documents/") {
        limits.document_bytes
    } else {
        limits.record_bytes
    }
}

/// Reads a pack (a folder, or a `.zip` file), bounded, then verifies it.
pub fn read_pack(path: &Path, limits: &Limits) -> Result<Pack, Error> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    let raw = if meta.is_dir() {
        read_dir_pack(path, limits)?
    } else if meta.is_file() {
        read_zip_pack(path, meta.len(), limits)?
    } else {
        return Err(refused(path, "it is neither a folder nor a regular file", "give the pack's folder or .zip file"));
    };
    verify(path, raw)
}

fn read_dir_pack(root: &Path, limits: &Limits) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let mut out = BTreeMap::new();
    let mut total = 0u64;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        for e in entries {
            let e = e.map_err(|e| Error::io(&dir, e))?;
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/");
            // What file managers leave in a folder (`.DS_Store`, `._x`,
            // `.directory`) is not part of the pack; the loader skips hidden
            // files the same way.
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let meta = std::fs::symlink_metadata(&p).map_err(|e| Error::io(&p, e))?;
            if meta.file_type().is_symlink() {
                return Err(refused(root, format!("`{}` is a symbolic link", shown(&rel)), HOSTILE_HINT));
            }
            if meta.is_dir() {
                if !["records", "records/reviews", "school", "documents"].contains(&rel.as_str()) {
                    return Err(refused(
                        root,
                        format!("`{}/` is not a folder a transfer pack holds", shown(&rel)),
                        HOSTILE_HINT,
                    ));
                }
                stack.push(p);
                continue;
            }
            if !meta.is_file() {
                return Err(refused(root, format!("`{}` is not a regular file", shown(&rel)), HOSTILE_HINT));
            }
            allowed_name(&rel).map_err(|why| refused(root, why, HOSTILE_HINT))?;
            if out.len() >= limits.files {
                return Err(refused(root, format!("it holds more than {} files", limits.files), HOSTILE_HINT));
            }
            let limit = limit_for(&rel, limits);
            let bytes = read_bounded(std::fs::File::open(&p).map_err(|e| Error::io(&p, e))?, limit)
                .map_err(|e| Error::io(&p, e))?
                .ok_or_else(|| too_big(root, &rel, limit))?;
            total += bytes.len() as u64;
            if total > limits.total_bytes {
                return Err(refused(
                    root,
                    format!("its files add up to more than {} MB", limits.total_bytes >> 20),
                    HOSTILE_HINT,
                ));
            }
            out.insert(rel, bytes);
        }
    }
    Ok(out)
}

fn too_big(pack: &Path, name: &str, limit: u64) -> Error {
    refused(
        pack,
        format!("`{}` is larger than {} KB", shown(name), limit / 1024),
        "no record file is this large (`limits.max_file_kb` in senco.toml sets the limit for records)",
    )
}

/// Reads at most `limit` bytes; `None` when there is more.
fn read_bounded(r: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    r.take(limit + 1).read_to_end(&mut out)?;
    Ok((out.len() as u64 <= limit).then_some(out))
}

fn read_zip_pack(path: &Path, size: u64, limits: &Limits) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    if size > limits.pack_bytes {
        return Err(refused(path, format!("it is larger than {} MB", limits.pack_bytes >> 20), HOSTILE_HINT));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        refused(
            path,
            format!("it is not a readable .zip file ({e})"),
            "give the folder or .zip file `senco transfer out` wrote",
        )
    })?;
    if zip.len() > limits.files {
        return Err(refused(path, format!("it holds more than {} files", limits.files), HOSTILE_HINT));
    }
    let mut out = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| refused(path, format!("entry {} cannot be read ({e})", i + 1), HOSTILE_HINT))?;
        let name = entry.name().to_string();
        if entry.is_symlink() {
            return Err(refused(path, format!("`{}` is a symbolic link", shown(&name)), HOSTILE_HINT));
        }
        if entry.is_dir() {
            let dir = name.trim_end_matches('/');
            if ["records", "records/reviews", "school", "documents"].contains(&dir) {
                continue;
            }
            allowed_name(dir).map_err(|why| refused(path, why, HOSTILE_HINT))?;
            return Err(refused(
                path,
                format!("`{}` is not a folder a transfer pack holds", shown(&name)),
                HOSTILE_HINT,
            ));
        }
        if let Some(mode) = entry.unix_mode() {
            // The file type bits: only regular files (or none recorded).
            let kind = mode & 0o170000;
            if kind != 0 && kind != 0o100000 {
                return Err(refused(path, format!("`{}` is not a regular file", shown(&name)), HOSTILE_HINT));
            }
        }
        allowed_name(&name).map_err(|why| refused(path, why, HOSTILE_HINT))?;
        if entry.enclosed_name().is_none() {
            return Err(refused(path, format!("`{}` leads outside the pack", shown(&name)), HOSTILE_HINT));
        }
        let limit = limit_for(&name, limits);
        // The declared size is refused early; the read itself is bounded too,
        // since a hostile entry may declare less than it unpacks to.
        if entry.size() > limit {
            return Err(too_big(path, &name, limit));
        }
        let bytes = read_bounded(entry, limit)
            .map_err(|e| refused(path, format!("`{}` cannot be unpacked ({e})", shown(&name)), HOSTILE_HINT))?
            .ok_or_else(|| too_big(path, &name, limit))?;
        total += bytes.len() as u64;
        if total > limits.total_bytes {
            return Err(refused(
                path,
                format!("its files add up to more than {} MB", limits.total_bytes >> 20),
                HOSTILE_HINT,
            ));
        }
        if out.insert(name.clone(), bytes).is_some() {
            return Err(refused(path, format!("`{}` is in it twice", shown(&name)), HOSTILE_HINT));
        }
    }
    Ok(out)
}

/// Checks the manifest and every checksum.
pub fn verify(path: &Path, mut raw: BTreeMap<String, Vec<u8>>) -> Result<Pack, Error> {
    let Some(m) = raw.remove(MANIFEST) else {
        return Err(refused(
            path,
            "it has no `manifest.json`",
            "give the folder or .zip file `senco transfer out` wrote",
        ));
    };
    let manifest: Manifest = serde_json::from_slice(&m).map_err(|e| {
        refused(
            path,
            format!("its `manifest.json` cannot be read ({e})"),
            "ask the sending school to write the pack again",
        )
    })?;
    if manifest.pack != PACK_KIND {
        return Err(refused(
            path,
            format!("its manifest is not a senco transfer pack's (`pack: {}`)", shown(&manifest.pack)),
            HOSTILE_HINT,
        ));
    }
    if manifest.version > PACK_VERSION {
        return Err(refused(
            path,
            format!(
                "it was written in pack format {} by {}; this senco reads format {PACK_VERSION}",
                manifest.version,
                shown(&manifest.written_by)
            ),
            "update senco, then read the pack again",
        ));
    }
    let tampered = "the file was changed after the pack was written (or damaged on the way): ask the sending school to write and send the pack again";
    let mut listed = BTreeSet::new();
    for f in &manifest.files {
        allowed_name(&f.path).map_err(|why| refused(path, format!("its manifest lists {why}"), HOSTILE_HINT))?;
        if !listed.insert(f.path.as_str()) {
            return Err(refused(path, format!("its manifest lists `{}` twice", shown(&f.path)), HOSTILE_HINT));
        }
        let Some(bytes) = raw.get(&f.path) else {
            return Err(refused(path, format!("`{}` is listed in its manifest but missing", shown(&f.path)), tampered));
        };
        if super::journal::sha256(bytes) != f.sha256.to_ascii_lowercase() || bytes.len() as u64 != f.bytes {
            return Err(refused(
                path,
                format!("the checksum of `{}` does not match its manifest", shown(&f.path)),
                tampered,
            ));
        }
    }
    if let Some(extra) = raw.keys().find(|k| !listed.contains(k.as_str())) {
        return Err(refused(path, format!("`{}` is not listed in its manifest", shown(extra)), tampered));
    }
    if !raw.contains_key("records/pupil.yaml") {
        return Err(refused(path, "it holds no `records/pupil.yaml`", HOSTILE_HINT));
    }
    Ok(Pack { manifest, files: raw })
}

// ------------------------------------------------------------------ placing

/// One staff or catalogue entry of the pack, and what becomes of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The id at the sending school.
    pub from: String,
    /// The id at this school.
    pub to: String,
    pub name: Option<String>,
    pub outcome: EntryOutcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryOutcome {
    /// Added under its own id.
    Added,
    /// Added under a prefixed id: the id was taken by another entry.
    Prefixed,
    /// This school has the same entry (same id and name): used as it is.
    Same,
}

/// What placing a pack will do.
#[derive(Debug)]
pub struct InPlan {
    pub batch: Batch,
    /// The pupil's id here.
    pub id: String,
    /// The id had to change (taken here, or `--as`).
    pub renamed: bool,
    pub staff: Vec<Entry>,
    pub catalogue: Vec<Entry>,
    /// The pupil's files, as placed.
    pub files: Vec<String>,
    /// The leaving facts of the sending school removed from pupil.yaml.
    pub removed_keys: Vec<&'static str>,
}

/// A list item of a staff or catalogue file: its id, name and text.
#[derive(Clone, Debug)]
struct Item {
    id: String,
    name: Option<String>,
    area: Option<String>,
    /// The item's lines, dedented to start with `- `, with `\n` endings.
    text: String,
}

fn scalar_text<'a>(n: Option<&'a Node<'a>>) -> Option<String> {
    match n {
        Some(Node::Scalar(s)) if !s.is_null() => Some(s.value.to_string()),
        _ => None,
    }
}

/// The items of a top-level list file, each with its own text. A flow list
/// (`[ ... ]`) gives its items' text after `- `.
fn items(text: &str) -> Result<Vec<Item>, String> {
    let top = match yaml::parse(text) {
        Ok(Some(Node::Seq(s))) => s,
        Ok(None) => return Ok(Vec::new()),
        Ok(Some(_)) => return Err("the file is not a list of `- ` entries".into()),
        Err(e) => return Err(format!("the file is not valid YAML (line {}: {})", e.pos.line, e.message)),
    };
    let mut out = Vec::new();
    for (i, item) in top.items.iter().enumerate() {
        let Node::Map(m) = item else { continue };
        let Some(id) = scalar_text(m.get("id")) else { continue };
        let body = if top.flow || m.flow {
            let (s, e) = bytes(text, item.span());
            format!("- {}\n", text.get(s..e).unwrap_or("").trim())
        } else {
            let start = bytes(text, item.span()).0;
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let end = match top.items.get(i + 1) {
                Some(next) => {
                    let s = bytes(text, next.span()).0;
                    text[..s].rfind('\n').map_or(s, |i| i + 1)
                }
                None => text.len(),
            };
            let dash = text[line_start..start].rfind('-').unwrap_or(0);
            let mut lines: Vec<String> = text[line_start..end]
                .replace("\r\n", "\n")
                .lines()
                .map(|l| {
                    let lead = l.len() - l.trim_start_matches(' ').len();
                    l[lead.min(dash)..].trim_end().to_string()
                })
                .collect();
            while lines.last().is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
                lines.pop();
            }
            lines.join("\n") + "\n"
        };
        out.push(Item { id, name: scalar_text(m.get("name")), area: scalar_text(m.get("area")), text: body });
    }
    Ok(out)
}

fn bytes(text: &str, s: yaml::Span) -> (usize, usize) {
    (yaml::byte_offset(text, s.start.offset), yaml::byte_offset(text, s.end.offset))
}

/// Replaces a scalar (plain or quoted) with `new`, verifying the span.
fn replace_value(text: &str, s: &Scalar, new: &str) -> Result<Edit, String> {
    if s.style == Style::Plain {
        return surgical::replace_scalar(text, s, new);
    }
    if s.style == Style::Block {
        return Err("the value is a block of text".into());
    }
    let (start, end) = bytes(text, s.span);
    match text.get(start..end).map(str::trim_end) {
        Some(found) if found.starts_with(['"', '\'']) && found.len() >= 2 => {
            Ok(Edit { start, end: start + found.len(), text: surgical::yaml_flow_text(new) })
        }
        _ => Err("the value could not be located exactly in the file".into()),
    }
}

fn normal(s: Option<&str>) -> String {
    s.unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A prefix for ids taken here: the first word of the sending school's name
/// that is not a common one (`oakfield` for Oakfield Primary School).
pub fn school_prefix(name: &str) -> String {
    let skip = ["the", "st", "saint", "school", "primary", "academy", "ce", "rc", "c", "of", "e"];
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let word = words.iter().find(|w| !skip.contains(&w.as_str()) && w.as_bytes()[0].is_ascii_lowercase());
    match word {
        Some(w) => w.chars().take(20).collect(),
        None => "from".into(),
    }
}

/// Decides each entry of the pack's list file against this school's.
fn decide(pack_items: &[Item], here: &[Item], prefix: &str, same: impl Fn(&Item, &Item) -> bool) -> Vec<Entry> {
    let mut taken: BTreeSet<String> = here.iter().map(|i| i.id.clone()).collect();
    let mut out = Vec::new();
    for it in pack_items {
        if out.iter().any(|e: &Entry| e.from == it.id) {
            continue;
        }
        let (outcome, to) = match here.iter().find(|h| h.id == it.id) {
            None => (EntryOutcome::Added, it.id.clone()),
            Some(h) if same(it, h) => (EntryOutcome::Same, it.id.clone()),
            Some(_) => {
                // The prefixed ids in turn: one that holds the same entry
                // (placed by an earlier pack) is used, else the first free.
                let base = format!("{prefix}-{}", it.id);
                let mut n = 1;
                loop {
                    let id = if n == 1 { base.clone() } else { format!("{base}-{n}") };
                    match here.iter().find(|h| h.id == id) {
                        Some(h) if same(it, h) => break (EntryOutcome::Same, id),
                        None if !taken.contains(&id) => break (EntryOutcome::Prefixed, id),
                        _ => n += 1,
                    }
                }
            }
        };
        taken.insert(to.clone());
        out.push(Entry { from: it.id.clone(), to, name: it.name.clone(), outcome });
    }
    out
}

/// The text of the entries to add, with new ids, marked with where they came
/// from, indented as the file's list is.
fn added_text(
    items: &[Item],
    entries: &[Entry],
    from_school: &str,
    staff: bool,
    indent: usize,
) -> Result<String, String> {
    let mut out = String::new();
    for e in entries.iter().filter(|e| e.outcome != EntryOutcome::Same) {
        let Some(it) = items.iter().find(|i| i.id == e.from) else { continue };
        let text = it.text.clone();
        let Ok(Some(Node::Seq(seq))) = yaml::parse(&text) else {
            return Err(format!("entry `{}` cannot be read", e.from));
        };
        let Some(Node::Map(m)) = seq.items.first() else { return Err(format!("entry `{}` cannot be read", e.from)) };
        let mut edits = Vec::new();
        if e.to != e.from {
            if let Some((_, Node::Scalar(s))) = m.entries.iter().find(|(k, _)| k.value == "id") {
                edits.push(replace_value(&text, s, &e.to)?);
            }
        }
        let mut new = surgical::apply(&text, edits)?;
        if !m.flow {
            let Ok(Some(Node::Seq(seq))) = yaml::parse(&new) else {
                return Err(format!("entry `{}` cannot be read", e.from));
            };
            let Some(Node::Map(m)) = seq.items.first() else {
                return Err(format!("entry `{}` cannot be read", e.from));
            };
            let mut edits = Vec::new();
            // The sending school's SENCO is not this school's: an outside
            // person here, so the SENCO duties keep reading this school's.
            if staff {
                if let Some((_, Node::Scalar(s))) = m.entries.iter().find(|(k, _)| k.value == "role") {
                    if s.value.eq_ignore_ascii_case("senco") {
                        edits.push(replace_value(&new, s, "external")?);
                    }
                }
            }
            let mark = if edits.is_empty() { from_school.to_string() } else { format!("{from_school} (their SENCO)") };
            if m.get("x-transferred-from").is_none() {
                edits.push(surgical::insert_entry(&new, m, "x-transferred-from", &surgical::yaml_text(&mark))?);
            }
            new = surgical::apply(&new, edits)?;
        }
        for line in new.lines() {
            if !line.is_empty() {
                out.push_str(&" ".repeat(indent));
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// Plans the edit of this school's `staff.yaml` or `catalogue.yaml` that
/// appends `add` (text with `\n` endings).
fn plan_append(
    batch: &mut Batch,
    root: &Path,
    rel: &str,
    add: &str,
    header: &str,
    limits: RecordLimits,
) -> Result<(), Error> {
    if add.is_empty() {
        return Ok(());
    }
    if !root.join(rel).exists() {
        batch.create(rel, format!("{header}\n{add}"));
        return Ok(());
    }
    let f = super::upkeep::read(root, rel, limits)?;
    let refuse = |why: String| super::upkeep::refuse(rel, why);
    let eol = surgical::eol(&f.text);
    let (indent, empty_flow) = match yaml::parse(&f.text) {
        Ok(None) => (0, None),
        Ok(Some(Node::Seq(s))) if s.flow && s.items.is_empty() => (0, Some(bytes(&f.text, s.span))),
        Ok(Some(Node::Seq(s))) if !s.flow => {
            let indent = s.items.first().map_or(0, |i| {
                let start = bytes(&f.text, i.span()).0;
                let line_start = f.text[..start].rfind('\n').map_or(0, |n| n + 1);
                f.text[line_start..start].rfind('-').unwrap_or(0)
            });
            (indent, None)
        }
        Ok(Some(_)) => return Err(refuse("it is not a list of `- ` entries senco can add to".into())),
        Err(e) => return Err(refuse(format!("it is not valid YAML (line {}: {})", e.pos.line, e.message))),
    };
    let add = if indent > 0 {
        add.lines()
            .map(|l| if l.is_empty() { String::new() } else { format!("{}{l}", " ".repeat(indent)) })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    } else {
        add.to_string()
    };
    let mut text = String::new();
    if !f.text.is_empty() && !f.text.ends_with('\n') {
        text.push('\n');
    }
    if !f.text.trim().is_empty() && !f.text.ends_with("\n\n") && !f.text.ends_with("\r\n\r\n") {
        text.push('\n');
    }
    text.push_str(header);
    text.push('\n');
    text.push_str(&add);
    let mut edits = vec![Edit { start: f.text.len(), end: f.text.len(), text: text.replace('\n', eol) }];
    if let Some((s, e)) = empty_flow {
        // `[]` alone on its line goes with its line.
        let line_start = f.text[..s].rfind('\n').map_or(0, |n| n + 1);
        let line_end = f.text[e..].find('\n').map_or(f.text.len(), |n| e + n + 1);
        let whole = f.text[line_start..line_end].trim() == &f.text[s..e];
        let (s, e) = if whole { (line_start, line_end) } else { (s, e) };
        edits.push(Edit { start: s, end: e, text: String::new() });
    }
    let new = f.edited(edits)?;
    batch.change(rel, f.raw.clone(), new);
    Ok(())
}

/// The references a pupil's file makes to staff (`true`) or catalogue
/// (`false`) entries: the scalars to rewrite when an entry is renamed.
fn references<'a>(name: &str, top: &'a Node<'a>) -> Vec<(&'a Scalar<'a>, bool)> {
    let mut out = Vec::new();
    let field = |m: &'a yaml::Map<'a>, key: &str, staff: bool, out: &mut Vec<(&'a Scalar<'a>, bool)>| {
        if let Some(Node::Scalar(s)) = m.get(key) {
            if !s.is_null() {
                out.push((s, staff));
            }
        }
    };
    let list_items = |n: &'a Node<'a>| -> Vec<&'a yaml::Map<'a>> {
        match n {
            Node::Seq(s) => s.items.iter().filter_map(|i| if let Node::Map(m) = i { Some(m) } else { None }).collect(),
            _ => Vec::new(),
        }
    };
    match name {
        "pupil.yaml" => {
            if let Node::Map(m) = top {
                field(m, "key_worker", true, &mut out);
            }
        }
        "targets.yaml" => list_items(top).into_iter().for_each(|m| field(m, "owner", true, &mut out)),
        "interventions.yaml" => list_items(top).into_iter().for_each(|m| {
            field(m, "staff", true, &mut out);
            field(m, "provision", false, &mut out);
        }),
        "log.yaml" => {
            for m in list_items(top) {
                if let Some(Node::Seq(with)) = m.get("with") {
                    for w in &with.items {
                        if let Node::Scalar(s) = w {
                            out.push((s, true));
                        }
                    }
                } else {
                    field(m, "with", true, &mut out);
                }
            }
        }
        _ => {
            // A review: the owners of its actions.
            if let Node::Map(m) = top {
                if let Some(actions) = m.get("actions") {
                    list_items(actions).into_iter().for_each(|a| field(a, "owner", true, &mut out));
                }
            }
        }
    }
    out
}

/// The staff and catalogue ids `files` (a pupil's record files: name in the
/// pupil folder -> text) refer to.
pub fn referenced_ids(files: &BTreeMap<String, String>) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut staff, mut catalogue) = (BTreeSet::new(), BTreeSet::new());
    for (name, text) in files {
        let Ok(Some(top)) = yaml::parse(text.trim_start_matches('\u{feff}')) else { continue };
        let base = if name.starts_with("reviews/") { "review" } else { name.as_str() };
        for (s, is_staff) in references(base, &top) {
            if is_staff { &mut staff } else { &mut catalogue }.insert(s.value.to_string());
        }
    }
    (staff, catalogue)
}

/// A finding's message, unless it is about the `upn:` line on `line` of
/// `text` (which may quote the UPN): then a message that does not.
pub fn upn_safe(text: &str, line: u32, message: &str) -> String {
    let on_upn = text.lines().nth(line.saturating_sub(1) as usize).is_some_and(|l| l.trim_start().starts_with("upn:"));
    if on_upn {
        "the `upn` value cannot be read (not shown: senco never shows a UPN)".into()
    } else {
        message.to_string()
    }
}

/// Keys of pupil.yaml that record leaving the sending school: removed when
/// the pupil joins this one.
const LEAVING_KEYS: &[&str] = &["left", "destination", "file_transferred", "last_school"];

/// Plans placing `pack` in `repo`: see the module documentation.
pub fn plan_in(repo: &Repo, pack: &Pack, as_id: Option<&str>) -> Result<InPlan, Error> {
    let root = &repo.root;
    let limits = repo.settings.limits;
    let mine = repo.settings.school.jurisdiction.as_str();
    let theirs = &pack.manifest.school.jurisdiction;
    if theirs != mine {
        return Err(Error::usage(
            format!(
                "refusing the transfer pack from {}: its records are kept under the `{}` rules, and this school's senco.toml says `{mine}`",
                shown(&pack.manifest.school.name),
                shown(theirs)
            ),
            Some(format!(
                "support levels, plans and review duties differ between jurisdictions (a `{}` plan is not a `{mine}` one), so senco does not move records across them; read the pack's documents/ and start a record here with `senco new-pupil`",
                shown(theirs)
            )),
        ));
    }
    let from_id = pack.manifest.pupil.id.clone();
    let taken = |id: &str| root.join("pupils").join(id).exists() || root.join("archive").join(id).exists();
    let (id, renamed) = match as_id {
        Some(a) => {
            if !crate::check::valid_id(a) {
                return Err(Error::usage(
                    format!("`--as {}` is not a valid pupil id", shown(a)),
                    Some(
                        "ids are 3-64 lowercase letters, digits and `-`, starting with a letter, e.g. `ava-brown`"
                            .into(),
                    ),
                ));
            }
            if taken(a) {
                return Err(Error::usage(
                    format!("a pupil with id `{a}` is already on roll or in the archive here"),
                    Some("choose another id with `--as`, or leave `--as` out for the next free one".into()),
                ));
            }
            (a.to_string(), a != from_id)
        }
        None => {
            let base = if crate::check::valid_id(&from_id) { from_id.clone() } else { "pupil".to_string() };
            let mut id = base.clone();
            let mut n = 2;
            while taken(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            (id.clone(), id != from_id)
        }
    };

    // The pack's records, each readable by this senco before anything else.
    let mut records: BTreeMap<String, FileText> = BTreeMap::new();
    for (path, bytes) in &pack.files {
        let Some(name) = path.strip_prefix("records/") else { continue };
        let rel = format!("pupils/{id}/{name}");
        let text = FileText::from_bytes(path, bytes.clone())?;
        let errors: Vec<String> = crate::repo::decode_text(&rel, &text.text)
            .into_iter()
            .filter(|f| f.severity == crate::diag::Severity::Error)
            .map(|f| match f.span {
                Some(s) => format!("line {}: {}", s.start.line, upn_safe(&text.text, s.start.line, &f.message)),
                None => f.message,
            })
            .collect();
        if let Some(first) = errors.first() {
            return Err(Error::usage(
                format!("the pack's `{path}` has {} error(s) this senco cannot read past, the first on {}", errors.len(), shown(first)),
                Some("ask the sending school to run `senco check`, fix the record and write the pack again; nothing was changed".into()),
            ));
        }
        records.insert(name.to_string(), text);
    }

    // Staff and catalogue entries.
    // From outside: one line of visible text in the files written here.
    let school_name: String = pack.manifest.school.name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let school_name = school_name.trim().to_string();
    let prefix = school_prefix(&school_name);
    let pack_items = |rel: &str| -> Result<Vec<Item>, Error> {
        match pack.files.get(rel) {
            None => Ok(Vec::new()),
            Some(b) => items(&String::from_utf8_lossy(b))
                .map_err(|why| Error::usage(format!("the pack's `{rel}` cannot be read: {why}"), None)),
        }
    };
    let here_items = |rel: &str| -> Result<Vec<Item>, Error> {
        match crate::repo::read::read_record(root, rel, limits) {
            Ok(Some(b)) => items(&String::from_utf8_lossy(&b)).map_err(|why| super::upkeep::refuse(rel, why)),
            Ok(None) => Ok(Vec::new()),
            Err(f) => Err(super::upkeep::refuse(rel, f.message.clone())),
        }
    };
    let (staff_pack, cat_pack) = (pack_items(STAFF)?, pack_items(CATALOGUE)?);
    let (staff_here, cat_here) = (here_items("staff.yaml")?, here_items("catalogue.yaml")?);
    let staff =
        decide(&staff_pack, &staff_here, &prefix, |a, b| normal(a.name.as_deref()) == normal(b.name.as_deref()));
    let catalogue = decide(&cat_pack, &cat_here, &prefix, |a, b| {
        normal(a.name.as_deref()) == normal(b.name.as_deref()) && normal(a.area.as_deref()) == normal(b.area.as_deref())
    });
    let staff_map: BTreeMap<&str, &str> =
        staff.iter().filter(|e| e.from != e.to).map(|e| (e.from.as_str(), e.to.as_str())).collect();
    let cat_map: BTreeMap<&str, &str> =
        catalogue.iter().filter(|e| e.from != e.to).map(|e| (e.from.as_str(), e.to.as_str())).collect();

    let mut batch = Batch::new(root);
    batch.set_command("transfer in");
    let header = format!(
        "# Added by `senco transfer in` from {} (pack written {}).",
        school_name,
        pack.manifest.written.chars().filter(|c| !c.is_control()).collect::<String>()
    );
    let staff_add =
        added_text(&staff_pack, &staff, &school_name, true, 0).map_err(|w| super::upkeep::refuse(STAFF, w))?;
    plan_append(&mut batch, root, "staff.yaml", &staff_add, &header, limits)?;
    let cat_add =
        added_text(&cat_pack, &catalogue, &school_name, false, 0).map_err(|w| super::upkeep::refuse(CATALOGUE, w))?;
    plan_append(&mut batch, root, "catalogue.yaml", &cat_add, &header, limits)?;

    let mut files = Vec::new();
    let mut removed_keys = Vec::new();
    for (name, f) in &records {
        let rel = format!("pupils/{id}/{name}");
        let top = yaml::parse(&f.text).ok().flatten();
        let mut edits = Vec::new();
        if let Some(top) = &top {
            let base = if name.starts_with("reviews/") { "review" } else { name.as_str() };
            for (s, is_staff) in references(base, top) {
                let map = if is_staff { &staff_map } else { &cat_map };
                if let Some(new) = map.get(s.value.as_ref()) {
                    edits.push(replace_value(&f.text, s, new).map_err(|w| super::upkeep::refuse(&rel, w))?);
                }
            }
            if name == "pupil.yaml" {
                let Node::Map(m) = top else { return Err(super::upkeep::refuse(&rel, "it is not a mapping".into())) };
                match surgical::entry(m, "id").map_err(|w| super::upkeep::refuse(&rel, w))? {
                    Some((_, Node::Scalar(s))) if s.value != id.as_str() => {
                        edits.push(replace_value(&f.text, s, &id).map_err(|w| super::upkeep::refuse(&rel, w))?)
                    }
                    Some(_) => {}
                    None => edits.push(
                        surgical::insert_entry(&f.text, m, "id", &id).map_err(|w| super::upkeep::refuse(&rel, w))?,
                    ),
                }
                for key in LEAVING_KEYS {
                    if surgical::entry(m, key).map_err(|w| super::upkeep::refuse(&rel, w))?.is_some() {
                        removed_keys.push(*key);
                    }
                }
                edits.extend(
                    surgical::remove_entries(&f.text, m, LEAVING_KEYS).map_err(|w| super::upkeep::refuse(&rel, w))?,
                );
            }
        }
        let bytes = if edits.is_empty() { f.raw.clone() } else { f.edited(edits)? };
        batch.create(rel.clone(), bytes);
        files.push(rel);
    }
    Ok(InPlan { batch, id, renamed, staff, catalogue, files, removed_keys })
}

/// Plans recording, in an archived pupil's `pupil.yaml`, the day their file
/// was transferred (`file_transferred`, ENG-FILE-TRANSFER). `None` when a
/// date is already recorded (it is kept).
pub fn plan_file_transferred(
    batch: &mut Batch,
    root: &Path,
    rel: &str,
    date: chrono::NaiveDate,
    limits: RecordLimits,
) -> Result<Option<String>, Error> {
    let f = super::upkeep::read(root, rel, limits)?;
    let map = surgical::top_map(&f.text).map_err(|why| super::upkeep::refuse(rel, why))?;
    if let Some((_, v)) = surgical::entry(&map, "file_transferred").map_err(|why| super::upkeep::refuse(rel, why))? {
        return Ok(scalar_text(Some(v)));
    }
    let edit = surgical::insert_entry(&f.text, &map, "file_transferred", &date.to_string())
        .map_err(|why| super::upkeep::refuse(rel, why))?;
    batch.change(rel, f.raw.clone(), f.edited(vec![edit])?);
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outside_the_layout_are_refused() {
        for ok in [
            "manifest.json",
            "records/pupil.yaml",
            "records/reviews/2025-12-08-annual.yaml",
            "school/staff.yaml",
            "documents/plan.docx",
        ] {
            assert!(allowed_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "../evil.yaml",
            "records/../../x",
            "/etc/passwd",
            "records/reviews/../pupil.yaml",
            "C:/x",
            "records\\pupil.yaml",
            "records/notes.txt",
            "documents/.hidden",
            "records//pupil.yaml",
            "records/reviews/a\u{1b}.yaml",
        ] {
            assert!(allowed_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn items_keep_their_text_dedented() {
        let text = "# staff\n  - id: a   # first\n    name: Mrs A\n    training:\n      - course: X\n\n  # the next\n  - id: b\n    name: \"Mr B\"\n";
        let it = items(text).unwrap();
        assert_eq!(it.len(), 2);
        assert_eq!(it[0].text, "- id: a   # first\n  name: Mrs A\n  training:\n    - course: X\n");
        assert_eq!(it[1].name.as_deref(), Some("Mr B"));
        assert_eq!(it[1].text, "- id: b\n  name: \"Mr B\"\n");
    }

    #[test]
    fn clashing_entries_get_a_prefix_and_same_ones_are_kept() {
        let here =
            items("- id: ta-jones\n  name: Mrs K. Jones\n- id: senco\n  name: Ms B\n- id: oak-senco\n  name: Z\n")
                .unwrap();
        let pack =
            items("- id: ta-jones\n  name: Mrs  K. Jones\n- id: senco\n  name: Ms A\n- id: new\n  name: N\n").unwrap();
        let d = decide(&pack, &here, "oak", |a, b| normal(a.name.as_deref()) == normal(b.name.as_deref()));
        let got: Vec<(&str, &str, EntryOutcome)> =
            d.iter().map(|e| (e.from.as_str(), e.to.as_str(), e.outcome)).collect();
        assert_eq!(
            got,
            [
                ("ta-jones", "ta-jones", EntryOutcome::Same),
                ("senco", "oak-senco-2", EntryOutcome::Prefixed),
                ("new", "new", EntryOutcome::Added)
            ]
        );
        let add = added_text(&pack, &d, "Oakfield Primary", true, 0).unwrap();
        assert_eq!(
            add,
            "- id: oak-senco-2\n  name: Ms A\n  x-transferred-from: Oakfield Primary\n- id: new\n  name: N\n  x-transferred-from: Oakfield Primary\n"
        );
        assert_eq!(school_prefix("The Oakfield Primary School"), "oakfield");
        assert_eq!(school_prefix("St Mary's C of E"), "mary");
    }

    #[test]
    fn messages_about_the_upn_line_do_not_quote_it() {
        let text = "id: ava\nupn: [A123456789012]\n";
        assert!(!upn_safe(text, 2, "`A123456789012` is not text").contains("A123"));
        assert_eq!(upn_safe(text, 1, "about the id"), "about the id");
    }

    #[test]
    fn a_tampered_file_is_named() {
        let mut files = BTreeMap::new();
        files.insert("records/pupil.yaml".to_string(), b"id: ava\n".to_vec());
        let m = manifest(
            &files,
            SchoolInfo { name: "A".into(), jurisdiction: "england".into() },
            PupilInfo { id: "ava".into(), archived: false },
            "2026-11-24",
        );
        let mut all = with_manifest(files, &m);
        assert!(verify(Path::new("p"), all.clone()).is_ok());
        all.insert("records/pupil.yaml".into(), b"id: eve\n".to_vec());
        let e = verify(Path::new("p"), all.clone()).unwrap_err().to_string();
        assert!(e.contains("checksum of `records/pupil.yaml`"), "{e}");
        all.insert("records/log.yaml".into(), b"[]\n".to_vec());
        all.insert("records/pupil.yaml".into(), b"id: ava\n".to_vec());
        let e = verify(Path::new("p"), all).unwrap_err().to_string();
        assert!(e.contains("`records/log.yaml` is not listed"), "{e}");
    }

    #[test]
    fn zip_round_trips_and_bounds_hold() {
        let mut files = BTreeMap::new();
        files.insert("records/pupil.yaml".to_string(), b"id: ava\n".to_vec());
        let z = zip_bytes(&files).unwrap();
        assert_eq!(z, zip_bytes(&files).unwrap(), "deterministic");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.zip");
        std::fs::write(&p, &z).unwrap();
        let got = read_zip_pack(&p, z.len() as u64, &Limits::new(1024)).unwrap();
        assert_eq!(got, files);
        let e =
            read_zip_pack(&p, z.len() as u64, &Limits { record_bytes: 4, ..Limits::new(1) }).unwrap_err().to_string();
        assert!(e.contains("larger than"), "{e}");
    }
}
