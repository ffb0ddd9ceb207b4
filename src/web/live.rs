//! The records as loaded, kept up to date with the files on disk.
//!
//! A file watcher (notify) records which paths changed; the next request
//! reloads only those: one pupil's folder when a file under `pupils/<id>/`
//! or `archive/<id>/` changed, everything when a top-level file did. So an
//! edit in an editor or a `git pull` shows on the next page load, and a
//! reload after one changed file costs one pupil's reading and checking, not
//! a whole `check`. When the watcher loses events (its queue overflowed) or
//! there is none, the files are compared with a [`Scan`] taken before they
//! were read, and only the folders that differ are read again. A file that
//! does not parse becomes a finding, as in
//! `check`; a `senco.toml` that no longer reads keeps the last good records
//! and shows its error on every page.

use crate::check::{self, School};
use crate::diag::{self, Finding, Tally};
use crate::error::Error;
use crate::repo::{self, PupilRecord, Repo};
use crate::web::scan::Scan;
use notify::Watcher;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// One consistent state of the records.
pub struct Snapshot {
    pub repo: Repo,
    /// Findings by pupil folder (`pupils/<id>`), from `check::pupil_findings`.
    pub pupil_findings: HashMap<String, Vec<Finding>>,
    /// Findings that are not one pupil's (`check::school_findings`).
    pub school_findings: Vec<Finding>,
    /// Why the last reload of `senco.toml` failed: shown on every page
    /// while the last good records are served.
    pub settings_error: Option<String>,
    /// The date the findings were computed for.
    pub today: chrono::NaiveDate,
    /// What the dashboard computes from these records, once (`pages` owns its type).
    pub derived: std::sync::OnceLock<Arc<dyn std::any::Any + Send + Sync>>,
    /// The names were anonymised as the records loaded (`--anonymise`).
    pub anonymised: bool,
}

impl Snapshot {
    /// Every finding, sorted as `check` reports them.
    pub fn findings(&self) -> Vec<Finding> {
        let mut all = self.school_findings.clone();
        for f in self.pupil_findings.values() {
            all.extend(f.iter().cloned());
        }
        diag::sort(&mut all);
        all
    }

    pub fn tally(&self) -> Tally {
        let mut t = Tally::of(&self.school_findings);
        for f in self.pupil_findings.values() {
            let p = Tally::of(f);
            t.errors += p.errors;
            t.warnings += p.warnings;
        }
        t
    }

    /// The findings in one pupil's folder, sorted.
    pub fn findings_of(&self, rec: &PupilRecord) -> Vec<Finding> {
        let mut out = self.pupil_findings.get(&rec.rel).cloned().unwrap_or_default();
        out.extend(self.school_findings.iter().filter(|f| f.pupil.as_deref() == Some(rec.dir.as_str())).cloned());
        diag::sort(&mut out);
        out
    }
}

#[derive(Default)]
struct Pending {
    paths: BTreeSet<PathBuf>,
    /// The watcher lost events (its queue overflowed) or reported an error:
    /// compare the files with the last scan to find what changed.
    rescan: bool,
}

pub struct Live {
    root: PathBuf,
    anonymise: bool,
    /// The words of people's names seen in the records (`--anonymise` only):
    /// what the texts of a pupil read again are masked with.
    names: Mutex<NameWords>,
    current: RwLock<Arc<Snapshot>>,
    pending: Arc<Mutex<Pending>>,
    /// The files as they were just before the records in `current` were read.
    scan: Mutex<Scan>,
    /// How many times every record was read again (a top-level file changed).
    full_reloads: std::sync::atomic::AtomicU64,
    /// Kept alive for as long as the server runs.
    _watcher: Option<Box<dyn Watcher + Send + Sync>>,
    watch_error: Option<String>,
}

impl Live {
    /// Loads the records and checks them for `today`: the date the pages
    /// will ask for (`--today`, else the clock's), so the first page does not
    /// load everything a second time while the first load is still held.
    pub fn new(root: &Path, anonymise: bool, today: chrono::NaiveDate) -> Result<Live, Error> {
        let scan = Scan::take(root);
        let mut names = NameWords::default();
        let snap = load_all(root, anonymise.then_some(&mut names), today)?;
        // A change made between the scan and the watcher's start is found by
        // the first request's comparison; so is one the watcher's own start
        // loses (its walk of a large school overflows the kernel's queue).
        let pending = Arc::new(Mutex::new(Pending { rescan: true, ..Default::default() }));
        let (watcher, watch_error) = match watch(root, pending.clone()) {
            Ok(w) => (Some(w), None),
            Err(e) => (None, Some(e)),
        };
        Ok(Live {
            root: root.to_path_buf(),
            anonymise,
            names: Mutex::new(names),
            current: RwLock::new(Arc::new(snap)),
            pending,
            scan: Mutex::new(scan),
            full_reloads: Default::default(),
            _watcher: watcher,
            watch_error,
        })
    }

    pub fn watch_error(&self) -> Option<String> {
        self.watch_error.clone()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How many times every record has been read again since the start.
    pub fn full_reloads(&self) -> u64 {
        self.full_reloads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A text as the screen shows it (a form's current values read from
    /// disk): any word shaped like a UPN hidden, and people's names as
    /// initials under `--anonymise`.
    pub fn shown(&self, s: &str) -> String {
        let s = crate::diag::render::hide_upn_words(s);
        if !self.anonymise {
            return s.into_owned();
        }
        let names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        names.mask(&s).unwrap_or_else(|| s.into_owned())
    }

    /// Whether a form's value is the current one as the form showed it
    /// (a UPN hidden; under `--anonymise`, with initials): then it is not a
    /// change, and the text on disk stays as it is.
    pub fn unchanged(&self, typed: &str, current: &str) -> bool {
        typed == current || typed == self.shown(current)
    }

    /// Marks files as changed (a form's write), so the next snapshot reads them.
    pub fn touched(&self, rels: &[String]) {
        if let Ok(mut p) = self.pending.lock() {
            p.paths.extend(rels.iter().map(|r| self.root.join(r)));
        }
    }

    /// The records as they are on disk now, for `today`: applies what changed
    /// since the last call; findings are recomputed when the date moved.
    pub fn snapshot(&self, today: chrono::NaiveDate) -> Arc<Snapshot> {
        let pending = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => Pending { rescan: true, ..Default::default() },
        };
        // Without a watcher every request compares the files with the last scan.
        let rescan = pending.rescan || self.watch_error.is_some();
        let current = self.current.read().unwrap_or_else(|e| e.into_inner()).clone();
        if !rescan && pending.paths.is_empty() && current.today == today {
            return current;
        }
        let mut folders: BTreeSet<(String, String)> = BTreeSet::new();
        let mut full = false;
        let mut scan = self.scan.lock().unwrap_or_else(|e| e.into_inner());
        if rescan {
            let now = Scan::take(&self.root);
            let (moved, top) = scan.changes(&now);
            folders.extend(moved);
            full |= top;
            *scan = now;
        }
        for path in &pending.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else { continue };
            let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            match parts.first().map(String::as_str) {
                Some(".git") | Some("templates") => {}
                Some(top @ ("pupils" | "archive")) if parts.len() >= 2 => {
                    if parts.len() == 2 && !self.root.join(rel).is_dir() && rel.extension().is_some() {
                        // A stray file directly in pupils/ or archive/: a school finding.
                        full |= parts[1].ends_with(".yaml") || parts[1].ends_with(".yml");
                        continue;
                    }
                    folders.insert((top.to_string(), parts[1].clone()));
                }
                // The journal coming or going: the records may have changed as a whole.
                Some(".senco") => full = true,
                Some(name) if name.starts_with('.') => {}
                Some(_) => full = true,
                None => {}
            }
        }
        if full || current.today != today {
            *scan = Scan::take(&self.root);
            drop(scan);
            self.full_reloads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let next = Arc::new(self.reload_all(today, &current));
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = next.clone();
            return next;
        }
        if folders.is_empty() {
            return current;
        }
        // Scanned before they are read: a change made meanwhile shows next time.
        for (area, dir) in &folders {
            scan.rescan_folder(&self.root, area, dir);
        }
        drop(scan);
        drop(current);
        let mut guard = self.current.write().unwrap_or_else(|e| e.into_inner());
        // Between requests nothing else holds the snapshot: change it in place
        // (no copy of 10,000 pupils); else work on a copy.
        if Arc::get_mut(&mut guard).is_none() {
            let copy = clone_snapshot(&guard);
            *guard = Arc::new(copy);
        }
        if let Some(snap) = Arc::get_mut(&mut guard) {
            self.reload_pupils(snap, &folders, today);
        }
        guard.clone()
    }

    fn reload_all(&self, today: chrono::NaiveDate, old: &Snapshot) -> Snapshot {
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        match load_all(&self.root, self.anonymise.then_some(&mut *names), today) {
            Ok(s) => s,
            // Keep serving the last good records, with the error on every page.
            Err(e) => Snapshot { settings_error: Some(error_text(&e)), ..clone_snapshot(old) },
        }
    }

    /// Reads the changed pupil folders again and checks them, in place.
    fn reload_pupils(&self, snap: &mut Snapshot, folders: &BTreeSet<(String, String)>, today: chrono::NaiveDate) {
        snap.derived = std::sync::OnceLock::new();
        snap.today = today;
        let repo = &mut snap.repo;
        // The same bounded reader as the loader, with the school's limits: a
        // FIFO, a device, a huge file or a link out of the repository dropped
        // in while the server runs is a finding, never a hang.
        let limits = repo.settings.limits;
        for (top, dir) in folders {
            let list = if top == "archive" { &mut repo.archived } else { &mut repo.pupils };
            let at = list.binary_search_by(|p| p.dir.as_str().cmp(dir));
            let rel = format!("{top}/{dir}");
            let exists = self.root.join(&rel).is_dir() && !dir.starts_with('.');
            match (exists, at) {
                (true, at) => {
                    let mut rec = repo::load_pupil_with(&self.root, top, dir.clone(), top == "archive", limits);
                    if self.anonymise {
                        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
                        names.add_record(&rec);
                        names.add_staff(&repo.staff);
                        anonymise(&mut rec, &names);
                    }
                    hide_upns(&mut rec);
                    match at {
                        Ok(i) => list[i] = rec,
                        Err(i) => list.insert(i, rec),
                    }
                }
                (false, Ok(i)) => {
                    list.remove(i);
                    snap.pupil_findings.remove(&rel);
                }
                (false, Err(_)) => {}
            }
        }
        let school = School::new(&snap.repo, today);
        for (top, dir) in folders {
            let rel = format!("{top}/{dir}");
            let list = if top == "archive" { &snap.repo.archived } else { &snap.repo.pupils };
            if let Ok(i) = list.binary_search_by(|p| p.dir.as_str().cmp(dir)) {
                snap.pupil_findings.insert(rel, check::pupil_findings(&school, &list[i]));
            }
        }
        drop(school);
        for (top, dir) in folders {
            let rel = format!("{top}/{dir}");
            let list = if top == "archive" { &mut snap.repo.archived } else { &mut snap.repo.pupils };
            if let Ok(i) = list.binary_search_by(|p| p.dir.as_str().cmp(dir)) {
                shed_texts(&mut list[i], snap.pupil_findings.get(&rel).map_or(&[][..], Vec::as_slice), &[]);
                list[i].findings = Vec::new();
            }
        }
        snap.school_findings = check::school_findings(&snap.repo);
    }
}

/// The text of an error for a banner: a settings error with its location and
/// quoted line, as `senco check` prints it.
pub fn error_text(e: &Error) -> String {
    match e {
        Error::Settings { finding, text } => {
            let mut out = String::new();
            crate::diag::render::human(&mut out, finding, Some(text), crate::diag::render::Paint { on: false });
            out
        }
        other => match other.hint() {
            Some(h) => format!("{other}\n  = hint: {h}"),
            None => other.to_string(),
        },
    }
}

/// Loads and checks every record. With `names` (`--anonymise`), the people's
/// names in them become initials once everything is read (a pupil's text
/// may name another pupil), and `names` gains their words.
fn load_all(root: &Path, names: Option<&mut NameWords>, today: chrono::NaiveDate) -> Result<Snapshot, Error> {
    // A batch that did not finish (a crash, or another senco command writing
    // right now) leaves the records half changed: say so instead of serving them.
    crate::edit::journal::refuse_if_unfinished(root)?;
    let mut repo = repo::load_head(root)?;
    let limits = repo.settings.limits;
    // Each pupil is read, checked and stripped of the texts no finding
    // quotes on its worker thread, as `check` streams them: the texts of
    // every file are never all in memory at once (the peak of a large school).
    let (pupils, archived) = {
        let school = School::new(&repo, today);
        let load = |folder: &str| {
            repo::map_pupils(root, folder, limits, |mut rec| {
                let found = check::pupil_findings(&school, &rec);
                shed_texts(&mut rec, &found, &[]);
                // The reading findings are the first of `found`: not kept twice.
                rec.findings = Vec::new();
                rec.files.shrink_to_fit();
                (rec, found)
            })
        };
        (load("pupils")?, load("archive")?)
    };
    let mut pupil_findings: HashMap<String, Vec<Finding>> = HashMap::with_capacity(pupils.len() + archived.len());
    let mut keep = |list: Vec<(PupilRecord, Vec<Finding>)>| -> Vec<PupilRecord> {
        list.into_iter()
            .map(|(rec, found)| {
                pupil_findings.insert(rec.rel.clone(), found);
                rec
            })
            .collect()
    };
    repo.pupils = keep(pupils);
    repo.archived = keep(archived);
    let school_findings = check::school_findings(&repo);
    restore_texts(&mut repo, &school_findings);
    let anonymised = names.is_some();
    if let Some(names) = names {
        for rec in repo.pupils.iter().chain(&repo.archived) {
            names.add_record(rec);
        }
        names.add_staff(&repo.staff);
        use rayon::prelude::*;
        let names = &*names;
        repo.pupils.par_iter_mut().chain(repo.archived.par_iter_mut()).for_each(|rec| anonymise(rec, names));
    }
    {
        use rayon::prelude::*;
        repo.pupils.par_iter_mut().chain(repo.archived.par_iter_mut()).for_each(hide_upns);
    }
    Ok(Snapshot {
        anonymised,
        repo,
        pupil_findings,
        school_findings,
        settings_error: None,
        today,
        derived: Default::default(),
    })
}

/// Reads again the texts of the pupils' files that a school finding quotes
/// (a pupil id used twice): they were let go while loading.
fn restore_texts(repo: &mut Repo, school: &[Finding]) {
    let (root, limits) = (repo.root.clone(), repo.settings.limits);
    for f in school.iter().filter(|f| f.pupil.is_some()) {
        let list = if f.file.starts_with("archive/") { &mut repo.archived } else { &mut repo.pupils };
        let Some(dir) = f.file.split('/').nth(1) else { continue };
        let Ok(i) = list.binary_search_by(|p| p.dir.as_str().cmp(dir)) else { continue };
        let Some(src) = list[i].files.iter_mut().find(|s| s.path == f.file && s.text.is_empty()) else { continue };
        if let Ok(Some(bytes)) = repo::read::read_record(&root, &f.file, limits) {
            let text = String::from_utf8_lossy(&bytes);
            src.text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
        }
    }
}

fn clone_snapshot(s: &Snapshot) -> Snapshot {
    Snapshot {
        repo: clone_repo(&s.repo),
        pupil_findings: s.pupil_findings.clone(),
        school_findings: s.school_findings.clone(),
        settings_error: s.settings_error.clone(),
        today: s.today,
        derived: std::sync::OnceLock::new(),
        anonymised: s.anonymised,
    }
}

/// Keeps the text of a pupil's files only where a finding quotes it: the
/// pages never need the rest (the forms read the file from disk), and on a
/// large school the texts are a good part of the memory.
fn shed_texts(rec: &mut PupilRecord, findings: &[Finding], school: &[Finding]) {
    for f in rec.files.iter_mut() {
        if !findings.iter().chain(school.iter().filter(|x| x.pupil.is_some())).any(|x| x.file == f.path) {
            f.text = String::new();
        }
    }
}

/// A copy of the records (`Repo` is not `Clone`).
fn clone_repo(r: &Repo) -> Repo {
    Repo {
        root: r.root.clone(),
        settings: r.settings.clone(),
        staff: r.staff.clone(),
        catalogue: r.catalogue.clone(),
        pupils: r.pupils.clone(),
        archived: r.archived.clone(),
        delivery: r.delivery.clone(),
        delivery_unread: r.delivery_unread.clone(),
        files: r.files.clone(),
        findings: r.findings.clone(),
    }
}

/// Initials instead of names, in memory only (`--anonymise`): the pupil's
/// names, their contacts' names (their phones and e-mails dropped), and
/// every word of a person's name wherever it stands in the pupil's texts (a
/// review's attendees, invitees and signatories, the log's `with`, a target
/// or a view that names the pupil, a parent or another pupil), the quoted
/// lines of their findings included. Staff keep their names, as on every
/// other page.
pub fn anonymise(rec: &mut PupilRecord, names: &NameWords) {
    fn initial(s: &mut crate::repo::decode::Spanned<String>) {
        let i: String =
            s.value.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_uppercase().collect()).unwrap_or_default();
        s.value = if i.is_empty() { String::new() } else { format!("{i}.") };
    }
    if let Some(p) = rec.pupil.as_mut() {
        if let Some(n) = p.name.as_mut() {
            n.first.as_mut().map(initial);
            n.last.as_mut().map(initial);
            n.preferred = None;
        }
        for c in p.contacts.iter_mut().flatten() {
            c.name.as_mut().map(initial);
            c.phone = None;
            c.email = None;
        }
    }
    let mut mask = |s: &mut String| {
        if let Some(m) = names.mask(s) {
            *s = m;
        }
    };
    every_text(rec, &mut mask);
}

/// Calls `f` on every text of a pupil's records, the files' own text (the
/// lines a finding quotes) included.
fn every_text(rec: &mut PupilRecord, f: &mut dyn FnMut(&mut String)) {
    use crate::model::texts::Texts;
    rec.pupil.texts(f);
    rec.needs.texts(f);
    rec.assessments.texts(f);
    rec.targets.texts(f);
    rec.interventions.texts(f);
    rec.log.texts(f);
    for r in &mut rec.reviews {
        r.review.texts(f);
    }
    for file in &mut rec.files {
        f(&mut file.text);
    }
}

/// `s` with every word shaped like a UPN hidden.
fn hide_upn(s: &mut String) {
    if let std::borrow::Cow::Owned(h) = crate::diag::render::hide_upn_words(s) {
        *s = h;
    }
}

/// Every word shaped like a UPN hidden in a pupil's texts, in memory only
/// (the forms read what they change and what they copy from disk, and keep a
/// text holding one as it is, `Live::shown`). The school's files (staff,
/// catalogue, delivery) stay in memory as on disk: the pages hide a UPN in
/// every value they print (`html::environment_from`), whatever memory holds.
pub fn hide_upns(rec: &mut PupilRecord) {
    every_text(rec, &mut hide_upn);
}

/// A letter without its accent (`ë` as `e`), for matching names as people
/// type them; other characters as they are.
fn unaccented(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    const FROM: &str = "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżžÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮŁÑŃŇÒÓÔÕÖØŌŐŔŘŚŠŞŤÙÚÛÜŪŮŰŲÝŸŹŻŽ";
    const TO: &str = "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzAAAAAAAAACCCDEEEEEEEEIIIIIILNNNOOOOOOOORRSSSTUUUUUUUUYYZZZ";
    match FROM.chars().position(|f| f == c) {
        Some(i) => TO.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

/// The words of people's names in the records, for `--anonymise`: each word
/// of two letters or more that starts with a capital, in a pupil's name, a
/// contact's, or a parent's, carer's or pupil's at a review (always masked),
/// or in another name given with a title ("Ms D. Fraser (casework
/// officer)": `Fraser`) among a review's attendees, invitees and signatories
/// or the log's `with` (masked unless it is a word of a staff member's
/// name: staff keep their names, as on every other page). A service ("Speech
/// and language therapy") is not a person; titles are not names.
#[derive(Default)]
pub struct NameWords {
    family: std::collections::HashSet<String>,
    others: std::collections::HashSet<String>,
    staff: std::collections::HashSet<String>,
}

impl NameWords {
    const TITLES: &'static [&'static str] = &["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Rev"];

    fn words(s: &str) -> impl Iterator<Item = &str> {
        s.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().nth(1).is_some() && w.starts_with(char::is_uppercase) && !Self::TITLES.contains(w))
    }

    fn add(set: &mut std::collections::HashSet<String>, s: &str) {
        for w in Self::words(s) {
            // As written (`McDonald`), and as a word in capitals reads
            // (`MCDONALD` is `Mcdonald`): both without accents.
            for form in [Self::key(w), Self::key(&w.to_uppercase())] {
                if !set.contains(&form) {
                    set.insert(form);
                }
            }
        }
    }

    /// How a word is looked up: a word in capitals as a capitalised one
    /// (`MAYA` as `Maya`; a lower-case word is never a name: `will`, `may`),
    /// accents taken off (`Zoë` as `Zoe`).
    fn key(w: &str) -> String {
        let caps = w.chars().nth(1).is_some() && w.chars().all(|c| !c.is_lowercase());
        let w: String = if caps {
            let mut c = w.chars();
            c.next().into_iter().chain(c.flat_map(char::to_lowercase)).collect()
        } else {
            w.to_string()
        };
        w.chars().map(unaccented).collect()
    }

    /// A person named with a title, less what follows in brackets or after a comma.
    fn titled(s: &str) -> Option<&str> {
        let name = s.split(['(', ',']).next().unwrap_or_default().trim();
        let first = name.split(|c: char| !c.is_alphabetic()).next().unwrap_or_default();
        Self::TITLES.contains(&first).then_some(name)
    }

    /// A name at a review: a family member's always, another's when titled.
    fn add_person(&mut self, name: &str, family: bool) {
        if family {
            Self::add(&mut self.family, name);
        } else if let Some(n) = Self::titled(name) {
            Self::add(&mut self.others, n);
        }
    }

    fn hides(&self, w: &str) -> bool {
        let k = Self::key(w);
        self.family.contains(&k) || (self.others.contains(&k) && !self.staff.contains(&k))
    }

    /// Adds the words of the names in one pupil's records.
    pub fn add_record(&mut self, rec: &PupilRecord) {
        use crate::model::text;
        if let Some(p) = &rec.pupil {
            if let Some(n) = &p.name {
                for part in [&n.first, &n.last, &n.preferred] {
                    if let Some(t) = text(part) {
                        Self::add(&mut self.family, t);
                    }
                }
            }
            for c in p.contacts.iter().flatten() {
                if let Some(t) = text(&c.name) {
                    Self::add(&mut self.family, t);
                }
            }
        }
        use crate::model::Role;
        for r in &rec.reviews {
            for a in r.review.attendees.iter().chain(&r.review.invited).flatten() {
                let family =
                    a.role.as_ref().is_some_and(|x| matches!(x.value, Role::Parent | Role::Carer | Role::Pupil));
                if let Some(t) = text(&a.name) {
                    self.add_person(t, family);
                }
            }
            for s in r.review.signed.iter().flatten() {
                let role = text(&s.role).unwrap_or_default().trim().to_ascii_lowercase();
                let family = ["parent", "carer", "pupil", "mother", "father"].iter().any(|w| role.contains(w));
                if let Some(t) = text(&s.name) {
                    self.add_person(t, family);
                }
            }
        }
        for e in &rec.log {
            for w in e.with.iter().flatten() {
                self.add_person(&w.value, false);
            }
        }
    }

    /// The staff's names, which stay as they are unless a pupil or a
    /// contact shares a word of them.
    pub fn add_staff(&mut self, staff: &[crate::model::Staff]) {
        for s in staff {
            if let Some(n) = crate::model::text(&s.name) {
                Self::add(&mut self.staff, n);
            }
        }
    }

    /// `s` with each name word as its initial (`Okonkwo` as `O.`), or none
    /// when it names no one.
    pub fn mask(&self, s: &str) -> Option<String> {
        if !Self::words(s).any(|w| self.hides(w)) {
            return None;
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(start) = rest.find(char::is_alphabetic) {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
            let (word, after) = rest.split_at(end);
            if self.hides(word) {
                out.extend(word.chars().next());
                // "Okonkwo." stays one full stop.
                if !after.starts_with('.') {
                    out.push('.');
                }
            } else {
                out.push_str(word);
            }
            rest = after;
        }
        out.push_str(rest);
        Some(out)
    }
}

fn watch(root: &Path, pending: Arc<Mutex<Pending>>) -> Result<Box<dyn Watcher + Send + Sync>, String> {
    let handler = move |res: notify::Result<notify::Event>| {
        let Ok(mut p) = pending.lock() else { return };
        match res {
            // Reading a file (ours included) is no change.
            Ok(ev) if matches!(ev.kind, notify::EventKind::Access(_)) => {}
            // Nor is a folder's metadata (reading a folder updates its access
            // time: the watcher's own walk of 10,000 folders would otherwise
            // reload the whole school on the first page).
            Ok(ev)
                if matches!(ev.kind, notify::EventKind::Modify(notify::event::ModifyKind::Metadata(_)))
                    && ev.paths.iter().all(|p| p.is_dir()) => {}
            Ok(ev) => {
                if ev.need_rescan() {
                    p.rescan = true;
                }
                p.paths.extend(ev.paths);
            }
            Err(_) => p.rescan = true,
        }
    };
    let mut w = notify::recommended_watcher(handler).map_err(|e| e.to_string())?;
    w.watch(root, notify::RecursiveMode::Recursive).map_err(|e| e.to_string())?;
    Ok(Box::new(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(from: &Path, to: &Path) {
        for e in walkdir::WalkDir::new(from).sort_by_file_name() {
            let e = e.unwrap();
            let dest = to.join(e.path().strip_prefix(from).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }

    fn class_of(snap: &Snapshot, dir: &str) -> Option<String> {
        let p = snap.repo.pupils.iter().find(|p| p.dir == dir)?;
        Some(p.pupil.as_ref()?.class.as_ref()?.value.clone())
    }

    /// When the watcher loses its events (an overflowing queue), the next
    /// request compares the files with the last scan and reads again the
    /// changed pupil only, not the whole school.
    #[test]
    fn lost_events_reload_only_what_changed() {
        let t = tempfile::tempdir().unwrap();
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/oakfield"), t.path());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let live = Live::new(t.path(), false, today).unwrap();
        let first = live.snapshot(today);
        let dir = first.repo.pupils[0].dir.clone();
        let class = class_of(&first, &dir).unwrap();
        drop(first);
        let file = t.path().join("pupils").join(&dir).join("pupil.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replacen(&format!("class: {class}"), "class: 6Z", 1)).unwrap();
        live.pending.lock().unwrap().rescan = true;
        let snap = live.snapshot(today);
        assert_eq!(class_of(&snap, &dir).as_deref(), Some("6Z"));
        assert_eq!(live.full_reloads(), 0);
        drop(snap);
        // A school file that changed is a change of everything.
        let toml = t.path().join("senco.toml");
        std::fs::write(&toml, std::fs::read_to_string(&toml).unwrap() + "\n").unwrap();
        live.pending.lock().unwrap().rescan = true;
        live.snapshot(today);
        assert_eq!(live.full_reloads(), 1);
    }

    #[test]
    fn names_are_masked_as_written_in_capitals_and_without_accents_never_as_lower_case_words() {
        let mut n = NameWords::default();
        NameWords::add(&mut n.family, "Zoë McDonald-Will");
        let m = |s: &str| n.mask(s).unwrap_or_else(|| s.to_string());
        assert_eq!(m("Zoë and ZOË, Zoe; McDonald, MCDONALD."), "Z. and Z., Z.; M., M.");
        assert_eq!(m("Will will come"), "W. will come");
        assert_eq!(m("nothing here"), "nothing here");
    }
}
