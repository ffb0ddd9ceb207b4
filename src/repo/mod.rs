//! Finding the repository root, walking its folders, reading and decoding its
//! files. Everything that touches the file system on the way in lives here.

pub mod decode;
#[doc(hidden)]
pub mod fuzz;
pub mod read;
pub mod schema;
pub mod yaml;

use crate::diag::{Finding, Severity};
use crate::error::Error;
use crate::model::settings::Limits;
use crate::model::{Assessment, Intervention, LogEntry, Need, Provision, Pupil, Review, Settings, Staff, Target};
use decode::{Cx, Decode};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use yaml::{Node, Pos, Span};

pub const SETTINGS_FILE: &str = "senco.toml";

/// A file's text, kept so findings can quote it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative to the repository root, forward slashes.
    pub path: String,
    pub text: String,
}

/// One review file: its path, name and decoded content.
#[derive(Clone, Debug)]
pub struct ReviewFile {
    pub path: String,
    /// The file name without `.yaml`, e.g. `2025-12-08-annual`.
    pub stem: String,
    pub review: Review,
}

/// Everything in one pupil's folder.
#[derive(Clone, Debug, Default)]
pub struct PupilRecord {
    /// The folder name (the pupil's id when the records are right).
    pub dir: String,
    /// `pupils/<dir>` or `archive/<dir>`.
    pub rel: String,
    pub archived: bool,
    pub pupil: Option<Pupil>,
    pub needs: Vec<Need>,
    pub assessments: Vec<Assessment>,
    pub targets: Vec<Target>,
    pub interventions: Vec<Intervention>,
    /// The pupil's dated log (`log.yaml`), in file order.
    pub log: Vec<LogEntry>,
    /// Sorted by file name, so by date.
    pub reviews: Vec<ReviewFile>,
    pub files: Vec<SourceFile>,
    /// Problems found while reading and decoding.
    pub findings: Vec<Finding>,
    /// Files that exist but could not be read at all (syntax error, empty,
    /// not UTF-8): checks that would count on their contents hold back, so
    /// one broken file gives one finding, not a cascade.
    pub broken: Vec<&'static str>,
    /// Review files (paths) that exist but could not be read at all.
    pub broken_reviews: Vec<String>,
}

/// A pupil some of whose files could not be read or parsed: every query and
/// document that would include them says so, rather than leave them out.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Unreadable {
    /// The folder name (the pupil's id when the records are right).
    pub pupil: String,
    pub archived: bool,
    /// The files that could not be read, relative to the repository root
    /// (a missing `pupil.yaml` included).
    pub files: Vec<String>,
}

impl PupilRecord {
    /// Whether `name` (e.g. `targets.yaml`) exists but could not be read.
    pub fn is_broken(&self, name: &str) -> bool {
        self.broken.contains(&name)
    }

    pub fn file(&self, name: &str) -> String {
        format!("{}/{name}", self.rel)
    }

    pub fn id(&self) -> &str {
        &self.dir
    }

    /// The files of this pupil that could not be read or parsed (a missing
    /// `pupil.yaml` counts), in a stable order; empty when all were read.
    pub fn unreadable_files(&self) -> Vec<String> {
        let mut out: Vec<String> = PUPIL_FILES.iter().filter(|n| self.is_broken(n)).map(|n| self.file(n)).collect();
        if self.pupil.is_none() && !self.is_broken("pupil.yaml") {
            out.insert(0, self.file("pupil.yaml"));
        }
        out.extend(self.broken_reviews.iter().cloned());
        out
    }

    /// This pupil, when some of their files could not be read.
    pub fn unreadable(&self) -> Option<Unreadable> {
        let files = self.unreadable_files();
        (!files.is_empty()).then(|| Unreadable { pupil: self.dir.clone(), archived: self.archived, files })
    }
}

/// A loaded records repository.
#[derive(Debug)]
pub struct Repo {
    pub root: PathBuf,
    pub settings: Settings,
    pub staff: Vec<Staff>,
    pub catalogue: Vec<Provision>,
    /// Pupils on roll, sorted by folder name.
    pub pupils: Vec<PupilRecord>,
    /// Pupils who have left (`archive/`), sorted by folder name.
    pub archived: Vec<PupilRecord>,
    /// The sessions delivered (`delivery/<place>/YYYY-MM.yaml`), by path.
    pub delivery: Vec<DeliveryFile>,
    /// The delivery files that could not be read in full (unreadable, not
    /// YAML, a session with an error, or not named `YYYY-MM.yaml`), sorted:
    /// every figure of delivered provision may be short by their sessions.
    pub delivery_unread: Vec<String>,
    /// Top-level files (senco.toml, staff.yaml, catalogue.yaml, delivery files).
    pub files: Vec<SourceFile>,
    /// Problems found while reading the top-level files.
    pub findings: Vec<Finding>,
}

/// `items` by the id `id_of` reads; of two with the same id, the first.
fn first_by_id<'a, T>(
    items: &'a [T],
    id_of: impl Fn(&'a T) -> Option<&'a str>,
) -> std::collections::HashMap<&'a str, &'a T> {
    let mut map = std::collections::HashMap::new();
    for item in items {
        if let Some(id) = id_of(item) {
            map.entry(id).or_insert(item);
        }
    }
    map
}

impl Repo {
    /// The text of a file, for quoting it in a finding.
    pub fn source(&self, path: &str) -> Option<&str> {
        fn in_list<'r>(list: &'r [PupilRecord], rest: &str, path: &str) -> Option<&'r str> {
            let dir = rest.split('/').next()?;
            let i = list.binary_search_by(|p| p.dir.as_str().cmp(dir)).ok()?;
            list[i].files.iter().find(|f| f.path == path).map(|f| f.text.as_str())
        }
        if let Some(rest) = path.strip_prefix("pupils/") {
            return in_list(&self.pupils, rest, path);
        }
        if let Some(rest) = path.strip_prefix("archive/") {
            return in_list(&self.archived, rest, path);
        }
        self.files.iter().find(|f| f.path == path).map(|f| f.text.as_str())
    }

    /// Number of files read.
    pub fn file_count(&self) -> usize {
        self.files.len() + self.pupils.iter().chain(&self.archived).map(|p| p.files.len()).sum::<usize>()
    }

    /// Staff members by id (the first of two with the same id; `check` reports the second).
    pub fn staff_by_id(&self) -> std::collections::HashMap<&str, &Staff> {
        first_by_id(&self.staff, |s| crate::model::text(&s.id))
    }

    /// Catalogue entries by id (the first of two with the same id).
    pub fn catalogue_by_id(&self) -> std::collections::HashMap<&str, &Provision> {
        first_by_id(&self.catalogue, |c| crate::model::text(&c.id))
    }

    pub fn pupil(&self, id: &str) -> Option<&PupilRecord> {
        self.pupils.iter().find(|p| p.dir == id)
    }

    /// Finds a pupil on roll by id or by any unique prefix of an id. An
    /// ambiguous prefix lists the candidates; an unknown id suggests the
    /// nearest. Both are usage errors (exit 2).
    pub fn resolve_pupil(&self, prefix: &str) -> Result<&PupilRecord, Error> {
        resolve_in(&self.pupils, prefix, "on roll")
    }

    /// Pupils on roll (and, with `archived`, in the archive) whose files could
    /// not all be read, sorted by folder name (on roll first).
    pub fn unreadable(&self, archived: bool) -> Vec<Unreadable> {
        let archive: &[PupilRecord] = if archived { &self.archived } else { &[] };
        self.pupils.iter().chain(archive).filter_map(PupilRecord::unreadable).collect()
    }

    /// Like `resolve_pupil`, among archived pupils.
    pub fn resolve_archived(&self, prefix: &str) -> Result<&PupilRecord, Error> {
        resolve_in(&self.archived, prefix, "in the archive")
    }
}

fn resolve_in<'r>(list: &'r [PupilRecord], prefix: &str, place: &str) -> Result<&'r PupilRecord, Error> {
    if let Some(exact) = list.iter().find(|p| p.dir == prefix) {
        return Ok(exact);
    }
    let matches: Vec<&PupilRecord> = list.iter().filter(|p| p.dir.starts_with(prefix)).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => {
            let hint = match decode::suggest(prefix, list.iter().map(|p| p.dir.as_str())) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "`senco list --all-levels` shows every pupil's id".to_string(),
            };
            Err(Error::usage(format!("no pupil with id `{prefix}` {place}"), Some(hint)))
        }
        many => {
            let ids: Vec<&str> = many.iter().map(|p| p.dir.as_str()).collect();
            Err(Error::usage(
                format!("`{prefix}` matches {} pupils: {}", ids.len(), decode::list(&ids)),
                Some("type more of the id".to_string()),
            ))
        }
    }
}

/// Finds the repository root: `start` or the nearest folder above it that
/// holds a `senco.toml`, like git does with `.git`.
pub fn find_root(start: &Path) -> Result<PathBuf, Error> {
    let start = if start.as_os_str().is_empty() { Path::new(".") } else { start };
    let abs = std::path::absolute(start).map_err(|e| Error::io(start, e))?;
    if !abs.is_dir() {
        return Err(Error::NotARepo(abs));
    }
    let mut dir: &Path = &abs;
    loop {
        if dir.join(SETTINGS_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        match dir.parent() {
            Some(p) => dir = p,
            None => return Err(Error::NotARepo(abs)),
        }
    }
}

/// Reads and decodes the whole repository at `root`.
pub fn load(root: &Path) -> Result<Repo, Error> {
    let mut repo = load_head(root)?;
    let limits = repo.settings.limits;
    repo.pupils = map_pupils(root, "pupils", limits, |rec| rec)?;
    repo.archived = map_pupils(root, "archive", limits, |rec| rec)?;
    Ok(repo)
}

/// Reads senco.toml, staff.yaml and catalogue.yaml: a `Repo` with no pupils
/// yet. With `map_pupils`, commands that need one pupil at a time (`check`)
/// stream the pupils instead of holding them all.
pub fn load_head(root: &Path) -> Result<Repo, Error> {
    let settings_text = read_settings(root)?;
    let settings = Settings::parse(&settings_text).map_err(|e| Error::settings(&settings_text, &e))?;
    crate::rules::validate_settings(&settings, &settings_text)?;
    crate::render::sandbox::set_limits(settings.limits);

    let mut files = vec![SourceFile { path: SETTINGS_FILE.into(), text: settings_text }];
    let mut findings = Vec::new();
    let staff = load_list::<Staff>(root, "staff.yaml", settings.limits, &mut files, &mut findings);
    let catalogue = load_list::<Provision>(root, "catalogue.yaml", settings.limits, &mut files, &mut findings);
    let mut delivery_unread = Vec::new();
    let delivery = load_delivery(root, settings.limits, &mut files, &mut findings, &mut delivery_unread);

    Ok(Repo {
        root: root.to_path_buf(),
        settings,
        staff,
        catalogue,
        pupils: Vec::new(),
        archived: Vec::new(),
        delivery,
        delivery_unread,
        files,
        findings,
    })
}

/// One file of delivered sessions: `delivery/<place>/YYYY-MM.yaml`, where the
/// place is a catalogue provision id (a group, or every pupil with that
/// provision) or an intervention id.
#[derive(Clone, Debug, Default)]
pub struct DeliveryFile {
    /// `delivery/<place>/<YYYY-MM>.yaml`.
    pub path: String,
    pub place: String,
    /// The year and month of the file name.
    pub month: (i32, u32),
    pub sessions: Vec<crate::model::Session>,
}

/// Reads every `delivery/<place>/YYYY-MM.yaml`, sorted by path; a file named
/// otherwise is reported, not read.
/// The names in `dir` that `keep` accepts, sorted, hidden ones (`.name`)
/// left out; none when `dir` cannot be read.
fn names_in(dir: &Path, keep: impl Fn(&std::fs::DirEntry) -> bool) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .filter(|e| keep(e))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn load_delivery(
    root: &Path,
    limits: Limits,
    files: &mut Vec<SourceFile>,
    findings: &mut Vec<Finding>,
    unread: &mut Vec<String>,
) -> Vec<DeliveryFile> {
    let mut out = Vec::new();
    for place in names_in(&root.join("delivery"), |e| e.path().is_dir()) {
        // A place's months share their folders: each looked at once.
        let mut folders = read::Folders::default();
        for name in names_in(&root.join("delivery").join(&place), |e| e.file_type().is_ok_and(|t| t.is_file())) {
            let path = format!("delivery/{place}/{name}");
            let month = name.strip_suffix(".yaml").and_then(|stem| {
                let (y, m) = stem.split_once('-')?;
                let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
                (stem.len() == 7 && (1..=12).contains(&m)).then_some((y, m))
            });
            let Some(month) = month else {
                findings.push(
                    Finding::new(
                        Severity::Error,
                        "bad-delivery-filename",
                        &path,
                        None,
                        format!("delivery file `{name}` is not named `YYYY-MM.yaml`, so it is not read"),
                    )
                    .with_hint("name each month's file by its year and month, e.g. `2026-11.yaml`"),
                );
                unread.push(path);
                continue;
            };
            match read_source(root, &path, limits, &mut folders) {
                Ok(Some(src)) => {
                    let mut cx = Cx::new(&path);
                    let sessions =
                        decode_file::<Vec<crate::model::Session>>(&src, &mut cx, Top::List).unwrap_or_default();
                    if cx.findings.iter().any(|f| f.severity == Severity::Error) {
                        unread.push(path.clone());
                    }
                    findings.append(&mut cx.findings);
                    files.push(src);
                    out.push(DeliveryFile { path, place: place.clone(), month, sessions });
                }
                Ok(None) => {}
                Err(f) => {
                    unread.push(path);
                    findings.push(*f);
                }
            }
        }
    }
    unread.sort();
    out
}

/// senco.toml, read with the same care as a record (a regular file inside
/// the repository, within the default size limit) before its own limits are known.
fn read_settings(root: &Path) -> Result<String, Error> {
    let path = root.join(SETTINGS_FILE);
    let refused = |f: Box<Finding>| Error::usage(f.message, f.hint);
    let bytes = read::read_record(root, SETTINGS_FILE, Limits::default()).map_err(refused)?;
    let bytes = bytes.ok_or_else(|| Error::NotARepo(root.to_path_buf()))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| Error::io(&path, std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// The staff (`staff.yaml`) as on disk now, read as the loader reads it:
/// what a writer copies from (`senco serve` keeps its records as the screen
/// shows them). Empty when the file is absent or cannot be read.
pub fn read_staff(root: &Path, limits: Limits) -> Vec<Staff> {
    load_list(root, "staff.yaml", limits, &mut Vec::new(), &mut Vec::new())
}

/// The catalogue (`catalogue.yaml`) as on disk now: as [`read_staff`].
pub fn read_catalogue(root: &Path, limits: Limits) -> Vec<Provision> {
    load_list(root, "catalogue.yaml", limits, &mut Vec::new(), &mut Vec::new())
}

fn load_list<T: Decode>(
    root: &Path,
    name: &str,
    limits: Limits,
    files: &mut Vec<SourceFile>,
    findings: &mut Vec<Finding>,
) -> Vec<T> {
    match read_source(root, name, limits, &mut read::Folders::default()) {
        Ok(Some(src)) => {
            let mut cx = Cx::new(name);
            let list = decode_file::<Vec<T>>(&src, &mut cx, Top::List).unwrap_or_default();
            findings.append(&mut cx.findings);
            files.push(src);
            list
        }
        Ok(None) => Vec::new(),
        Err(f) => {
            findings.push(*f);
            Vec::new()
        }
    }
}

/// Reads a file into text. `Ok(None)` when it does not exist; a finding when it
/// exists but cannot be read as UTF-8 text (or may not be read: see `read`).
fn read_source(
    root: &Path,
    rel: &str,
    limits: Limits,
    folders: &mut read::Folders,
) -> Result<Option<SourceFile>, Box<Finding>> {
    let Some(bytes) = read::read_record_in(root, rel, limits, folders)? else { return Ok(None) };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(SourceFile { path: rel.to_string(), text })),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or("");
            let line = good.matches('\n').count() as u32 + 1;
            let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            let offset = good.chars().count() as u32;
            let pos = Pos { offset, line, column };
            Err(Box::new(
                Finding::new(
                    Severity::Error,
                    "not-utf8",
                    rel,
                    Some(Span::point(pos)),
                    format!(
                        "the file is not UTF-8 text (byte 0x{:02X} at line {line}, column {column})",
                        e.as_bytes()[good.len()]
                    ),
                )
                .with_hint("save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)"),
            ))
        }
    }
}

/// The shape a file must have at its top level.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Top {
    List,
    Mapping,
}

fn decode_file<T: Decode>(src: &SourceFile, cx: &mut Cx, top: Top) -> Option<T> {
    let node = match yaml::parse(&src.text) {
        Ok(Some(node)) => node,
        Ok(None) => {
            let hint = match top {
                Top::List => "write `[]` for an empty list, or delete the file",
                Top::Mapping => "fill in the record, or delete the file",
            };
            cx.error(
                "empty-file",
                Span::point(Pos { offset: 0, line: 1, column: 1 }),
                "the file is empty".into(),
                Some(hint.into()),
            );
            return None;
        }
        Err(e) => {
            cx.error("yaml-syntax", Span::point(e.pos), format!("invalid YAML: {}", e.message), e.hint);
            return None;
        }
    };
    match (top, &node) {
        (Top::List, Node::Seq(_)) | (Top::Mapping, Node::Map(_)) => {}
        (Top::List, other) => {
            cx.wrong_type(
                other,
                "a list of entries, each starting with `- `",
                Some("start each entry with `- id: ...`".into()),
            );
            return None;
        }
        (Top::Mapping, other) => {
            cx.wrong_type(other, "a mapping of `key: value` lines", None);
            return None;
        }
    }
    T::decode(&node, cx)
}

/// YAML files where senco reads none: near misses of staff.yaml and
/// catalogue.yaml at the top of the repository, and any directly in pupils/
/// or archive/ (where only folders are read). Each is a warning, so a misnamed file
/// (`staf.yaml`, `pupils/ava-brown.yaml`) is never silently ignored.
pub fn stray_files(root: &Path) -> Vec<Finding> {
    const TOP: &[&str] = &["staff.yaml", "catalogue.yaml"];
    let mut out = Vec::new();
    for (folder, known) in [("", TOP), ("pupils", &[][..]), ("archive", &[][..])] {
        let Ok(rd) = std::fs::read_dir(root.join(folder)) else { continue };
        let mut names: Vec<String> = rd
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.') && (n.ends_with(".yaml") || n.ends_with(".yml")))
            .filter(|n| !known.contains(&n.as_str()))
            // At the top, other tools keep their own YAML (mkdocs.yml, ...):
            // only a near miss of staff.yaml or catalogue.yaml is a likely typo.
            .filter(|n| !folder.is_empty() || decode::suggest(n, TOP.iter().copied()).is_some())
            .collect();
        names.sort();
        for name in names {
            let path = if folder.is_empty() { name.clone() } else { format!("{folder}/{name}") };
            let hint = match (folder, decode::suggest(&name, TOP.iter().copied())) {
                ("", Some(s)) => format!("did you mean `{s}`? senco reads only `staff.yaml` and `catalogue.yaml` here"),
                _ => format!("each pupil is a folder: move it to `{folder}/<id>/pupil.yaml`"),
            };
            out.push(
                Finding::new(
                    Severity::Warning,
                    "unknown-file",
                    path,
                    None,
                    format!("`{name}` is not a file senco reads, so its contents are ignored"),
                )
                .with_hint(hint),
            );
        }
    }
    out
}

/// The files a pupil folder may hold, besides `reviews/`.
pub const PUPIL_FILES: &[&str] =
    &["pupil.yaml", "needs.yaml", "assessments.yaml", "targets.yaml", "interventions.yaml", "log.yaml"];

/// Loads every pupil folder under `folder` (`pupils` or `archive`) in
/// parallel and maps each record through `f` as soon as it is loaded; results
/// in folder-name order.
pub fn map_pupils<R, F>(root: &Path, folder: &str, limits: Limits, f: F) -> Result<Vec<R>, Error>
where
    R: Send,
    F: Fn(PupilRecord) -> R + Sync + Send,
{
    let base = root.join(folder);
    if let Some(target) = read::is_link(&base).then(|| read::outside_link(root, &base)).flatten() {
        return Err(Error::usage(
            format!("`{folder}` is a link to `{}`, outside the repository", target.display()),
            Some(format!(
                "senco reads only records inside the repository: move the folder in place of the link `{folder}`"
            )),
        ));
    }
    let dirs = match std::fs::read_dir(&base) {
        Ok(rd) => {
            let mut dirs = Vec::new();
            for entry in rd {
                let entry = entry.map_err(|e| Error::io(&base, e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                // A link to a folder counts as the folder it points to.
                let is_dir = entry.file_type().map_err(|e| Error::io(&base, e))?.is_dir() || entry.path().is_dir();
                if name.starts_with('.') || !is_dir {
                    continue;
                }
                dirs.push(name);
            }
            dirs.sort();
            dirs
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(&base, e)),
    };
    let archived = folder == "archive";
    Ok(dirs.into_par_iter().map(|dir| f(load_pupil_with(root, folder, dir, archived, limits))).collect())
}

/// Loads one pupil folder with the default limits. Never fails: problems become findings.
pub fn load_pupil(root: &Path, folder: &str, dir: String, archived: bool) -> PupilRecord {
    load_pupil_with(root, folder, dir, archived, Limits::default())
}

/// Loads one pupil folder. Never fails: problems become findings.
pub fn load_pupil_with(root: &Path, folder: &str, dir: String, archived: bool, limits: Limits) -> PupilRecord {
    let rel = format!("{folder}/{dir}");
    let mut rec = PupilRecord { rel: rel.clone(), dir, archived, ..Default::default() };
    // The folders on the way to the pupil's files, each looked at once.
    let mut folders = read::Folders::default();
    // A link to a pupil folder is read like the folder, if it stays inside the repository.
    let folder_path = root.join(&rel);
    if let Some(target) = folders.is_link(&folder_path).then(|| read::outside_link(root, &folder_path)).flatten() {
        rec.findings.push(*read::outside_finding(&rel, &target));
        rec.broken.push("pupil.yaml");
        return rec;
    }
    let mut extra = Vec::new();
    if let Ok(rd) = std::fs::read_dir(root.join(&rel)) {
        for entry in rd.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if (name.ends_with(".yaml") || name.ends_with(".yml")) && !PUPIL_FILES.contains(&name.as_str()) {
                extra.push(name);
            }
        }
    }
    extra.sort();
    for name in extra {
        let hint = match decode::suggest(&name, PUPIL_FILES.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? senco reads only {}", decode::list(PUPIL_FILES)),
            None => format!("senco reads only {} and `reviews/`; this file is ignored", decode::list(PUPIL_FILES)),
        };
        rec.findings.push(
            Finding::new(
                Severity::Warning,
                "unknown-file",
                rec.file(&name),
                None,
                format!("`{name}` is not a file senco reads, so its contents are ignored"),
            )
            .with_hint(hint),
        );
    }

    for name in PUPIL_FILES {
        let path = rec.file(name);
        let src = match read_source(root, &path, limits, &mut folders) {
            Ok(Some(src)) => src,
            Ok(None) => {
                if *name == "pupil.yaml" {
                    rec.findings.push(
                        Finding::new(
                            Severity::Error,
                            "missing-file",
                            &path,
                            None,
                            "the pupil folder has no `pupil.yaml`",
                        )
                        .with_hint("every pupil folder needs a pupil.yaml; create one with `senco new-pupil`"),
                    );
                }
                continue;
            }
            Err(f) => {
                rec.findings.push(*f);
                rec.broken.push(name);
                continue;
            }
        };
        let mut cx = Cx::new(&src.path);
        let ok = match *name {
            "pupil.yaml" => {
                rec.pupil = decode_file(&src, &mut cx, Top::Mapping);
                rec.pupil.is_some()
            }
            "needs.yaml" => decode_file(&src, &mut cx, Top::List).map(|v| rec.needs = v).is_some(),
            "assessments.yaml" => decode_file(&src, &mut cx, Top::List).map(|v| rec.assessments = v).is_some(),
            "targets.yaml" => decode_file(&src, &mut cx, Top::List).map(|v| rec.targets = v).is_some(),
            "log.yaml" => decode_file(&src, &mut cx, Top::List).map(|v| rec.log = v).is_some(),
            _ => decode_file(&src, &mut cx, Top::List).map(|v| rec.interventions = v).is_some(),
        };
        if !ok {
            rec.broken.push(name);
        }
        rec.findings.append(&mut cx.findings);
        rec.files.push(src);
    }

    let reviews_dir = root.join(&rel).join("reviews");
    if let Some(target) = folders.is_link(&reviews_dir).then(|| read::outside_link(root, &reviews_dir)).flatten() {
        let path = format!("{rel}/reviews");
        rec.findings.push(*read::outside_finding(&path, &target));
        rec.broken_reviews.push(path);
        return rec;
    }
    // Not only regular files: a FIFO or a link named like a review is
    // reported by `read_record`, never silently skipped.
    for name in names_in(&reviews_dir, |e| e.file_type().is_ok_and(|t| !t.is_dir())) {
        let path = format!("{rel}/reviews/{name}");
        let Some(stem) = name.strip_suffix(".yaml") else {
            if name.ends_with(".yml") {
                rec.findings.push(
                    Finding::new(
                        Severity::Error,
                        "bad-review-filename",
                        &path,
                        None,
                        format!("review file `{name}` ends in `.yml`, so it is not read"),
                    )
                    .with_hint("rename it to end in `.yaml`"),
                );
            }
            continue;
        };
        if decode::parse_date(stem.get(..10).unwrap_or("")).is_err()
            || !(stem.len() == 10 || stem.as_bytes().get(10) == Some(&b'-'))
        {
            rec.findings.push(
                Finding::new(
                    Severity::Error,
                    "bad-review-filename",
                    &path,
                    None,
                    format!("review file `{name}` is not named `YYYY-MM-DD[-slug].yaml`, so it is not read"),
                )
                .with_hint(
                    "name review files by their meeting date, e.g. `2026-01-30.yaml` or `2026-01-30-annual.yaml`",
                ),
            );
            continue;
        }
        let src = match read_source(root, &path, limits, &mut folders) {
            Ok(Some(src)) => src,
            Ok(None) => continue,
            Err(f) => {
                rec.findings.push(*f);
                rec.broken_reviews.push(path);
                continue;
            }
        };
        let mut cx = Cx::new(&src.path);
        match decode_file::<Review>(&src, &mut cx, Top::Mapping) {
            Some(review) => rec.reviews.push(ReviewFile { path: path.clone(), stem: stem.to_string(), review }),
            None => rec.broken_reviews.push(path.clone()),
        }
        rec.findings.append(&mut cx.findings);
        rec.files.push(src);
    }
    rec
}

/// Decodes one record file's text as `load` would (chosen by its path:
/// `staff.yaml`, `catalogue.yaml`, a pupil file, a review) and returns the
/// findings; other paths give none. The writers read their output back
/// with it before writing (src/edit/batch.rs).
pub fn decode_text(rel: &str, text: &str) -> Vec<Finding> {
    let src = SourceFile { path: rel.to_string(), text: text.strip_prefix('\u{feff}').unwrap_or(text).to_string() };
    let mut cx = Cx::new(rel);
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let in_pupil = rel.starts_with("pupils/") || rel.starts_with("archive/");
    if in_pupil && rel.contains("/reviews/") && name.ends_with(".yaml") {
        decode_file::<Review>(&src, &mut cx, Top::Mapping);
    } else if rel == "staff.yaml" {
        decode_file::<Vec<Staff>>(&src, &mut cx, Top::List);
    } else if rel == "catalogue.yaml" {
        decode_file::<Vec<Provision>>(&src, &mut cx, Top::List);
    } else if in_pupil {
        match name {
            "pupil.yaml" => drop(decode_file::<Pupil>(&src, &mut cx, Top::Mapping)),
            "needs.yaml" => drop(decode_file::<Vec<Need>>(&src, &mut cx, Top::List)),
            "assessments.yaml" => drop(decode_file::<Vec<Assessment>>(&src, &mut cx, Top::List)),
            "targets.yaml" => drop(decode_file::<Vec<Target>>(&src, &mut cx, Top::List)),
            "interventions.yaml" => drop(decode_file::<Vec<Intervention>>(&src, &mut cx, Top::List)),
            "log.yaml" => drop(decode_file::<Vec<LogEntry>>(&src, &mut cx, Top::List)),
            _ => {}
        }
    }
    cx.findings
}

/// The read-only floor for benchmarks: walk the tree and read every file, in
/// parallel as `load` does, without parsing. Returns (files, bytes).
pub fn read_floor(root: &Path) -> Result<(usize, usize), Error> {
    let mut dirs = Vec::new();
    for folder in ["pupils", "archive"] {
        if let Ok(rd) = std::fs::read_dir(root.join(folder)) {
            dirs.extend(rd.flatten().map(|e| e.path()));
        }
    }
    dirs.sort();
    let per_dir: Vec<(usize, usize)> = dirs
        .par_iter()
        .map(|d| {
            walkdir::WalkDir::new(d)
                .max_depth(2)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .fold((0, 0), |(n, b), t| (n + 1, b + t.len()))
        })
        .collect();
    Ok(per_dir.into_iter().fold((0, 0), |(n, b), (n2, b2)| (n + n2, b + b2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mutates every file of the example school thousands of ways (deleting,
    /// duplicating and swapping bytes, inserting YAML punctuation) and loads
    /// each result: whatever the input, loading returns findings, never panics.
    #[test]
    fn no_mutation_of_a_record_makes_loading_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/oakfield");
        let repo = load(&root).unwrap();
        let texts: Vec<&SourceFile> = repo.pupils.iter().flat_map(|p| &p.files).collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let inserts: &[&[u8]] = &[
            b":", b"- ", b"[", b"]", b"{", b"}", b"\n", b"  ", b"\t", b"'", b"\"", b"#", b"&a ", b"*a", b"!", b"---\n",
            b"|\n", b">-\n", b"\xff", b"\xc3",
        ];
        let dir = tempfile::tempdir().unwrap();
        let pupil_dir = dir.path().join("pupils/x-pupil");
        std::fs::create_dir_all(pupil_dir.join("reviews")).unwrap();
        for round in 0..1500 {
            let src = texts[(next() as usize) % texts.len()];
            let mut bytes = src.text.as_bytes().to_vec();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % (bytes.len() + 1);
                match next() % 4 {
                    0 if at < bytes.len() => {
                        let end = (at + 1 + (next() as usize) % 20).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    1 => {
                        let ins = inserts[(next() as usize) % inserts.len()];
                        bytes.splice(at..at, ins.iter().copied());
                    }
                    2 if at + 1 < bytes.len() => bytes.swap(at, at + 1),
                    _ => {
                        let end = (at + 1 + (next() as usize) % 30).min(bytes.len());
                        let chunk = bytes[at.min(end)..end].to_vec();
                        bytes.splice(at..at, chunk);
                    }
                }
            }
            let name = src.path.rsplit('/').next().unwrap();
            let target = if src.path.contains("/reviews/") {
                pupil_dir.join("reviews").join(name)
            } else {
                pupil_dir.join(name)
            };
            std::fs::write(&target, &bytes).unwrap();
            let rec = load_pupil(dir.path(), "pupils", "x-pupil".into(), false);
            let findings = rec.findings.len();
            std::fs::remove_file(&target).unwrap();
            assert!(findings < 10_000, "round {round}");
        }
    }
}
