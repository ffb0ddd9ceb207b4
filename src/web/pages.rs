//! The read-only pages. Each handler parses the request, calls the same
//! library function as the matching command and renders the result: the
//! register is `query::register` (as `senco list`), the dashboard
//! `query::review_due`, `query::stats` and `check`, a pupil `query::show`,
//! the documents `render` with the same views as `senco render`.

use super::guard::{Session, DOCUMENT_CSP};
use super::html::{self, doc_view, sort_rows, Cell, DocView, Frame, SectionView};
use super::live::Snapshot;
use super::Shared;
use crate::diag::{Finding, Severity};
use crate::error::Error;
use crate::model::{text, Area};
use crate::output::{self, Document};
use crate::query::{self, register, review_due, show, stats, PupilFilter};
use crate::render::views;
use crate::repo::{PupilRecord, Unreadable};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

type Params = Query<HashMap<String, String>>;

/// What every handler starts from: the records now, the date, the frame.
pub struct Here {
    pub app: Shared,
    pub snap: Arc<Snapshot>,
    pub today: NaiveDate,
    pub csrf: String,
}

impl Here {
    pub fn new(app: &Shared, session: &Session) -> Here {
        let today = app.today();
        let snap = app.live.snapshot(today);
        Here { app: app.clone(), snap, today, csrf: session.csrf.clone() }
    }

    pub fn frame(&self, title: impl Into<String>, nav: &'static str) -> Frame {
        let repo = &self.snap.repo;
        let unreadable = self.unreadable_files();
        Frame {
            title: title.into(),
            school: repo.settings.school.name.clone(),
            nav,
            today: self.today.to_string(),
            readonly: self.app.opts.readonly,
            anonymise: self.app.opts.anonymise,
            csrf: self.csrf.clone(),
            banner: self.snap.settings_error.clone(),
            unreadable,
        }
    }

    /// Every pupil on roll with a file that could not be read, as every
    /// command names them (their files, joined): they may be missing from a
    /// page, or shown in part. Every page says so, in its banner or its bar.
    pub fn unreadable_files(&self) -> Vec<String> {
        self.shown_unreadable(self.snap.repo.unreadable(false)).iter().map(|u| u.files.join(", ")).collect()
    }

    /// The pupils who could not be read, as a page or download may name
    /// them: under `--anonymise` each by their initials ("(id hidden)" when
    /// even their name cannot be read), in their files' paths too; else as
    /// they are.
    pub fn shown_unreadable(&self, mut list: Vec<Unreadable>) -> Vec<Unreadable> {
        if !self.snap.anonymised {
            return list;
        }
        for u in &mut list {
            let who = shown_id(&self.snap, &u.pupil);
            for f in &mut u.files {
                *f = f.replace(&format!("/{}/", u.pupil), &format!("/{who}/"));
            }
            u.pupil = who;
        }
        list
    }

    /// A message for the screen (a refusal, a form's error): under
    /// `--anonymise` every pupil's id in it (their folder's name, often
    /// their name, as in a file's path) written as the screen shows the
    /// pupil, by their initials; else as it is.
    pub fn hide_ids(&self, text: &str) -> String {
        if self.snap.anonymised {
            hide_ids(&self.snap, text)
        } else {
            text.to_string()
        }
    }

    /// The pupil as a page's heading names them: their name (initials under
    /// `--anonymise`), else (their pupil.yaml cannot be read) their folder's
    /// name, which `--anonymise` hides.
    pub fn pupil_title(&self, rec: &PupilRecord) -> String {
        match rec.pupil.as_ref().map(|p| p.display_name()).filter(|n| !n.is_empty()) {
            Some(name) => name,
            None if self.snap.anonymised => ID_HIDDEN.to_string(),
            None => rec.dir.clone(),
        }
    }

    /// Renders a page template; a template error becomes an error page.
    pub fn page<V: Serialize>(&self, name: &str, view: &V) -> Response {
        self.page_status(StatusCode::OK, name, view)
    }

    pub fn page_status<V: Serialize>(&self, status: StatusCode, name: &str, view: &V) -> Response {
        match html::render(self.app.live.root(), name, view) {
            Ok(body) => html_response(status, body),
            Err(e) => plain_error(&e),
        }
    }

    /// A short message page (not found, refused, ...).
    pub fn message(&self, status: StatusCode, heading: &str, paragraphs: Vec<String>) -> Response {
        let links = vec![("Back to the dashboard".to_string(), "/".to_string())];
        self.message_with_links(status, heading, paragraphs, links)
    }

    /// A short message page with its own links.
    fn message_with_links(
        &self,
        status: StatusCode,
        heading: &str,
        paragraphs: Vec<String>,
        links: Vec<(String, String)>,
    ) -> Response {
        #[derive(Serialize)]
        struct V {
            frame: Frame,
            heading: String,
            paragraphs: Vec<String>,
            links: Vec<(String, String)>,
        }
        // A message may quote a file's path, and so a pupil's folder.
        let heading = self.hide_ids(heading);
        let paragraphs = paragraphs.iter().map(|p| self.hide_ids(p)).collect();
        self.page_status(status, "message.html.j2", &V { frame: self.frame(&heading, ""), heading, paragraphs, links })
    }

    /// A page about one pupil that cannot be made because their pupil.yaml
    /// could not be read (as `senco render plan ID` refuses): it names the
    /// file (under `--anonymise` with the folder hidden, as every message
    /// hides it) and points to the Problems page.
    pub fn unreadable_pupil(&self, rec: &PupilRecord, what: &str) -> Response {
        let heading = "This cannot be shown";
        let paragraphs = vec![
            format!(
                "`{}/pupil.yaml` could not be read, so there is nothing true to show in {what}: \
                 it would be headed by the folder name, with no year group, level or plan.",
                rec.rel
            ),
            "The Problems page says what is wrong with the file (as `senco check` does); \
             once it is mended, this page shows again."
                .to_string(),
        ];
        let links = vec![
            ("Problems".to_string(), "/findings".to_string()),
            ("Back to the pupil".to_string(), pupil_href(&rec.dir)),
        ];
        self.message_with_links(StatusCode::UNPROCESSABLE_ENTITY, heading, paragraphs, links)
    }

    /// A library error (a bad filter, an unknown pupil) as a page.
    pub fn error(&self, e: &Error) -> Response {
        let mut ps = vec![e.to_string()];
        if let Some(h) = e.hint() {
            ps.push(h.to_string());
        }
        self.message(StatusCode::BAD_REQUEST, "That did not work", ps)
    }

    /// The pupil on roll with this exact id.
    pub fn pupil(&self, id: &str) -> Option<&PupilRecord> {
        let list = &self.snap.repo.pupils;
        list.binary_search_by(|p| p.dir.as_str().cmp(id)).ok().map(|i| &list[i])
    }

    pub fn not_found(&self, what: &str) -> Response {
        self.message(
            StatusCode::NOT_FOUND,
            "Not found",
            vec![format!("There is no {what} here. It may have been renamed, archived or removed.")],
        )
    }
}

pub fn html_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r
}

/// When even the page templates fail: a plain page with the error.
fn plain_error(e: &Error) -> Response {
    let mut text = e.to_string();
    if let Some(h) = e.hint() {
        text.push_str(&format!("\nhint: {h}"));
    }
    html_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>senco: page error</title></head>\
             <body><main><h1>This page could not be shown</h1><pre>{}</pre></main></body></html>",
            html::escape(&text)
        ),
    )
}

/// The content type of a Word document (`.docx`).
pub const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn download_bytes(body: Vec<u8>, content_type: &'static str, file: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

fn download(body: String, content_type: &'static str, file: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

pub fn pupil_href(id: &str) -> String {
    format!("/pupil/{}", html::url_part(id))
}

/// Links the cells that name a pupil (an `id` or `pupil` column) or a staff member.
fn linker(snap: &Snapshot) -> impl Fn(&str, &str, &str) -> Option<String> + '_ {
    move |_section: &str, header: &str, cell: &str| match header {
        "id" | "pupil" if snap.repo.pupils.binary_search_by(|p| p.dir.as_str().cmp(cell)).is_ok() => {
            Some(pupil_href(cell))
        }
        "staff" if snap.repo.staff.iter().any(|s| text(&s.id) == Some(cell)) => {
            Some(format!("/caseload/{}", html::url_part(cell)))
        }
        _ => None,
    }
}

/// How `--anonymise` writes a pupil's id when even their name cannot be read.
const ID_HIDDEN: &str = "(id hidden)";

/// A pupil's id as an anonymised screen shows it: their initials, or
/// "(id hidden)" when their name cannot be read or they are not known.
fn shown_id(snap: &Snapshot, id: &str) -> String {
    shown_pupil(snap, id).filter(|n| n != "(name not recorded)").unwrap_or_else(|| ID_HIDDEN.to_string())
}

/// `text` with every pupil's id in it (on roll or archived) written as
/// [`shown_id`]: a word of the text that is a folder's name, whole (`/`,
/// quotes, brackets, commas and spaces end a word; a full stop after it
/// too), or, for a folder whose name holds such a character, its name
/// wherever it stands.
fn hide_ids(snap: &Snapshot, text: &str) -> String {
    let repo = &snap.repo;
    let in_word = |c: char| !(c.is_whitespace() || "/\\`'\"()[]{}<>,;:|".contains(c));
    let mut text = text.to_string();
    for rec in repo.pupils.iter().chain(&repo.archived) {
        if !rec.dir.is_empty() && !rec.dir.chars().all(in_word) && text.contains(&rec.dir) {
            text = text.replace(&rec.dir, &shown_id(snap, &rec.dir));
        }
    }
    let is_pupil = |w: &str| {
        !w.is_empty()
            && (repo.pupils.binary_search_by(|p| p.dir.as_str().cmp(w)).is_ok()
                || repo.archived.iter().any(|p| p.dir == w))
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find(in_word) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let end = run.find(|c: char| !in_word(c)).unwrap_or(run.len());
        let word = &run[..end];
        let bare = word.trim_end_matches(['.', '!', '?']);
        match [word, bare].into_iter().find(|w| is_pupil(w)) {
            Some(id) => {
                out.push_str(&shown_id(snap, id));
                out.push_str(&word[id.len()..]);
            }
            None => out.push_str(word),
        }
        rest = &run[end..];
    }
    out.push_str(rest);
    out
}

/// The pupil an id names, as the screen shows them: under `--anonymise`
/// their initials (the records are anonymised as they load), else `None`.
fn shown_pupil(snap: &Snapshot, id: &str) -> Option<String> {
    let rec = snap
        .repo
        .pupils
        .binary_search_by(|p| p.dir.as_str().cmp(id))
        .ok()
        .map(|i| &snap.repo.pupils[i])
        .or_else(|| snap.repo.archived.iter().find(|p| p.dir == id))?;
    let name = rec.pupil.as_ref().map(|p| p.display_name()).filter(|n| !n.is_empty());
    Some(name.unwrap_or_else(|| "(name not recorded)".into()))
}

/// A query's document as a page shows it: pupils and staff linked, and
/// under `--anonymise` a pupil's id (often their name) shown as their
/// initials, the link kept.
pub(super) fn page_doc(here: &Here, doc: &Document) -> DocView {
    let mut v = doc_view(doc, &linker(&here.snap));
    if here.app.opts.anonymise {
        mask_id_cells(&here.snap, &mut v);
    }
    v
}

/// Under `--anonymise`: every cell of an `id` or `pupil` column that names a
/// pupil shows their initials instead.
pub(super) fn mask_id_cells(snap: &Snapshot, v: &mut DocView) {
    for s in &mut v.sections {
        mask_section(snap, s);
    }
}

/// The columns of a table that hold pupils' ids, by their headers.
fn id_columns<'h>(headers: impl Iterator<Item = &'h str>) -> Vec<usize> {
    headers.enumerate().filter(|(_, h)| *h == "id" || *h == "pupil").map(|(i, _)| i).collect()
}

fn mask_section(snap: &Snapshot, s: &mut super::html::SectionView) {
    let at = id_columns(s.columns.iter().map(|c| c.header.as_str()));
    for row in &mut s.rows {
        for &i in &at {
            if let Some(name) = row.get(i).and_then(|c| shown_pupil(snap, &c.text)) {
                row[i].text = name;
            }
        }
    }
}

/// Under `--anonymise`, a download's table without ids (often names): an
/// `id` or `pupil` column goes when the table has a `name` column, and shows
/// initials otherwise.
pub(super) fn anonymise_doc(snap: &Snapshot, doc: &mut Document) {
    for s in &mut doc.sections {
        let crate::output::Block::Table(t) = &mut s.block else { continue };
        let has_name = t.columns.iter().any(|c| c.header == "name");
        let ids = id_columns(t.columns.iter().map(|c| c.header.as_str()));
        for &i in ids.iter().rev() {
            if has_name {
                t.columns.remove(i);
                for row in &mut t.rows {
                    if i < row.len() {
                        row.remove(i);
                    }
                }
            } else {
                for row in &mut t.rows {
                    if let Some(name) = row.get(i).and_then(|c| shown_pupil(snap, c)) {
                        row[i] = name;
                    }
                }
            }
        }
    }
}

#[derive(Serialize)]
struct DocPage {
    frame: Frame,
    heading: String,
    intro: String,
    links: Vec<(String, String)>,
    doc: DocView,
}

// ------------------------------------------------------------------ dashboard

#[derive(Serialize)]
struct DueRow {
    name: String,
    href: String,
    year: String,
    kind: &'static str,
    due: String,
    when: String,
    status: &'static str,
    detail: String,
}

fn when(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "1 day ago".into(),
        d if d < 0 => format!("{} days ago", -d),
        d => format!("in {d} days"),
    }
}

/// At most this many rows in each of the dashboard's two lists (the headings
/// give the full counts; `senco review-due` lists them all).
const DASHBOARD_ROWS: usize = 100;

/// What the dashboard shows, computed once per state of the records.
#[derive(Serialize)]
struct DashboardData {
    overdue: Vec<DueRow>,
    overdue_count: usize,
    due_soon: Vec<DueRow>,
    due_soon_count: usize,
    warn_days: i64,
    stats: Vec<(String, String)>,
    tally: TallyView,
    compliance: Vec<(String, usize, String)>,
    duties: super::duties::DutyAlerts,
}

fn dashboard_data(here: &Here) -> DashboardData {
    let repo = &here.snap.repo;
    let within = i64::from(repo.settings.reviews.warn_days);
    let opts = review_due::Options { within, filter: PupilFilter::default(), kinds: vec![] };
    // The three are independent: computed side by side.
    let (items, (s, counts)) = rayon::join(
        || review_due::query(repo, here.today, &opts),
        || rayon::join(|| stats::query(repo, here.today), || compliance_counts(here)),
    );
    let duties = super::duties::duty_alerts(here);
    let row = |i: &review_due::Item| DueRow {
        name: match (i.name.is_empty(), i.pupil.is_empty()) {
            (true, _) => i.pupil.clone(),
            // A staff member (training), by initials when pupils are.
            (false, true) if here.app.opts.anonymise => super::duties::initials(&i.name),
            _ => i.name.clone(),
        },
        // A school item (staff training that lapses) has no pupil: its page is the training page.
        href: if i.pupil.is_empty() { "/training".to_string() } else { pupil_href(&i.pupil) },
        year: query::year_cell(repo.settings.school.jurisdiction, i.year_group),
        kind: i.kind,
        due: i.due.clone(),
        when: when(i.days),
        status: i.status,
        detail: i.detail.clone(),
    };
    let overdue_count = items.iter().filter(|i| i.status == "overdue").count();
    let overdue: Vec<DueRow> = items.iter().filter(|i| i.status == "overdue").take(DASHBOARD_ROWS).map(row).collect();
    let due_soon: Vec<DueRow> = items.iter().filter(|i| i.status != "overdue").take(DASHBOARD_ROWS).map(row).collect();
    let stats = vec![
        ("Pupils on roll".to_string(), stats::roll_text(&s)),
        ("On the SEN register".to_string(), stats::register_text(&s)),
        ("Statutory plans".to_string(), s.statutory_plans.to_string()),
        ("Reviews overdue".to_string(), s.reviews_overdue.to_string()),
    ];
    let compliance = counts
        .iter()
        .map(|(status, n)| (status_label(*status), *n, format!("/compliance?status={}", status_key(*status))))
        .collect::<Vec<_>>();
    let t = here.snap.tally();
    DashboardData {
        overdue,
        overdue_count,
        due_soon_count: items.len() - overdue_count,
        due_soon,
        warn_days: within,
        stats,
        tally: TallyView { errors: t.errors, warnings: t.warnings },
        compliance,
        duties,
    }
}

pub async fn dashboard(State(app): State<Shared>, Extension(session): Extension<Session>) -> Response {
    let here = Here::new(&app, &session);
    // Computed once per state of the records; a change on disk starts afresh.
    let cached = here.snap.derived.get_or_init(|| Arc::new(dashboard_data(&here))).clone();
    let Ok(data) = cached.downcast::<DashboardData>() else {
        return here.error(&Error::usage("the dashboard could not be computed", None));
    };
    #[derive(Serialize)]
    struct V<'a> {
        frame: Frame,
        #[serde(flatten)]
        data: &'a DashboardData,
    }
    here.page("dashboard.html.j2", &V { frame: here.frame("Dashboard", "dashboard"), data: &data })
}

#[derive(Serialize)]
struct TallyView {
    errors: usize,
    warnings: usize,
}

// ------------------------------------------------------------------ register

/// The register's filters, as the query string and the form keep them.
#[derive(Serialize, Default)]
struct FilterView {
    level: String,
    year: String,
    class: String,
    area: String,
    need: String,
    staff: String,
    with_ehcp: bool,
    all_levels: bool,
    archived: bool,
}

fn words(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Runs `query::register` with the filters of `senco list`; the document
/// has the same columns (less `id` when names are anonymised).
fn register_doc(here: &Here, q: &HashMap<String, String>) -> Result<(FilterView, Document, Vec<String>), Error> {
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let flag = |k: &str| q.get(k).is_some_and(|v| !v.is_empty() && v != "0");
    let f = FilterView {
        level: get("level"),
        year: get("year"),
        class: get("class"),
        area: get("area"),
        need: get("need"),
        staff: get("staff"),
        with_ehcp: flag("with_ehcp"),
        all_levels: flag("all_levels"),
        archived: flag("archived"),
    };
    let repo = &here.snap.repo;
    let mut years = Vec::new();
    for y in words(&f.year) {
        // As the year column writes it (`R`, `N2`) or as a number, like `senco list --year`.
        years.push(crate::model::year::parse(&y).ok_or_else(|| {
            Error::usage(
                format!("`{y}` is not a year group"),
                Some(format!("give a year group as the records write it: {}", crate::model::year::EXAMPLES)),
            )
        })?);
    }
    let filter = PupilFilter::new(&repo.settings, &words(&f.level), &years, &words(&f.class))?;
    let mut staff = Vec::new();
    for s in words(&f.staff) {
        staff.push(text(&query::resolve_staff(repo, &s)?.id).unwrap_or(&s).to_string());
    }
    let needs = words(&f.need);
    register::check_need_codes(repo, &needs)?;
    let opts = register::Options {
        filter,
        all_levels: f.all_levels,
        areas: query::parse_areas(&words(&f.area))?,
        needs,
        staff,
        with_plan: f.with_ehcp,
        archived: f.archived,
        show_upn: false,
    };
    let rows = register::query(repo, here.today, &opts);
    let columns: Vec<&str> =
        register::DEFAULT_COLUMNS.iter().copied().filter(|c| !(here.app.opts.anonymise && *c == "id")).collect();
    let ids = rows.iter().map(|r| r.id.clone()).collect();
    Ok((f, register::document(&rows, &columns, repo.settings.school.jurisdiction), ids))
}

pub async fn register(State(app): State<Shared>, Extension(session): Extension<Session>, Query(q): Params) -> Response {
    let here = Here::new(&app, &session);
    let (filter, doc, ids, error) = match register_doc(&here, &q) {
        Ok((f, d, ids)) => (f, d, ids, None),
        Err(e) => {
            let msg = match e.hint() {
                Some(h) => format!("{e} ({h})"),
                None => e.to_string(),
            };
            (
                FilterView::default(),
                register::document(&[], register::DEFAULT_COLUMNS, here.snap.repo.settings.school.jurisdiction),
                vec![],
                Some(msg),
            )
        }
    };
    let mut view = doc_view(&doc, &|_, _, _| None);
    let Some(section) = view.sections.pop() else { return here.error(&Error::usage("no register", None)) };
    let mut table: SectionView = section;
    // Each row links to its pupil (the query's row order holds the ids).
    let name_col = table.columns.iter().position(|c| c.header == "name");
    let id_col = table.columns.iter().position(|c| c.header == "id");
    if !filter.archived {
        for (row, id) in table.rows.iter_mut().zip(&ids) {
            for col in [name_col, id_col].into_iter().flatten() {
                if let Some(cell) = row.get_mut(col) {
                    cell.href = Some(pupil_href(id));
                }
            }
        }
    }
    // Sorting: `?sort=COLUMN` (and `&desc=1`), every header a link.
    let sort = q.get("sort").cloned().unwrap_or_default();
    let desc = q.get("desc").is_some_and(|v| v == "1");
    let mut base: Vec<(String, String)> = q
        .iter()
        .filter(|(k, v)| !v.is_empty() && k.as_str() != "sort" && k.as_str() != "desc")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    base.sort();
    let qs = |extra: &[(&str, &str)]| {
        let parts: Vec<String> = base
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(extra.iter().copied())
            .map(|(k, v)| format!("{}={}", html::url_part(k), html::url_part(v)))
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    };
    if let Some(col) = table.columns.iter().position(|c| c.header == sort) {
        sort_rows(&mut table.rows, col, desc);
    }
    for c in table.columns.iter_mut() {
        let this = c.header == sort;
        c.sorted = this.then_some(if desc { "descending" } else { "ascending" });
        let d = if this && !desc { "1" } else { "0" };
        let header = c.header.clone();
        c.sort_href = Some(format!("/register{}", qs(&[("sort", header.as_str()), ("desc", d)])));
    }
    let csv_href = format!("/register.csv{}", qs(&[]));
    let jurisdiction = here.snap.repo.settings.school.jurisdiction;
    let mut levels = vec![(String::new(), "Any".to_string())];
    levels.extend(jurisdiction.levels().iter().map(|l| (l.as_str().to_string(), views::level_label(*l).to_string())));
    let mut areas = vec![(String::new(), "Any".to_string())];
    areas.extend(Area::ALL.iter().map(|a| (a.as_str().to_string(), views::area_label(*a).to_string())));
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        filter: FilterView,
        levels: Vec<(String, String)>,
        areas: Vec<(String, String)>,
        count: usize,
        table: SectionView,
        csv_href: String,
        error: Option<String>,
    }
    let count = table.rows.len();
    let view = V { frame: here.frame("Register", "register"), filter, levels, areas, count, table, csv_href, error };
    here.page("register.html.j2", &view)
}

/// The register as CSV: byte for byte `senco list --format csv` with the same filters.
pub async fn register_csv(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    match register_doc(&here, &q) {
        Ok((f, doc, _)) => {
            // As `senco list`: the pupils on roll, or with `--archived` the archive's.
            let unreadable =
                here.snap.repo.unreadable(f.archived).into_iter().filter(|u| u.archived == f.archived).collect();
            let unreadable = here.shown_unreadable(unreadable);
            download(output::csv_with_unreadable(&doc, &unreadable), "text/csv; charset=utf-8", "register.csv")
        }
        Err(e) => here.error(&e),
    }
}

// ------------------------------------------------------------------ pupil

#[derive(Serialize)]
pub struct FindingView {
    pub severity: &'static str,
    pub code: String,
    pub message: String,
    pub location: String,
    /// As `senco check` prints it: location, the quoted line with a caret, the hint.
    pub text: String,
    pub pupil_href: Option<String>,
}

pub fn finding_view(snap: &Snapshot, f: &Finding) -> FindingView {
    let mut text = String::new();
    crate::diag::render::human(&mut text, f, snap.repo.source(&f.file), crate::diag::render::Paint { on: false });
    let location = match f.span {
        Some(s) => format!("{}, line {}, column {}", f.file, s.start.line, s.start.column),
        None => f.file.clone(),
    };
    // Under `--anonymise` the pupil's folder (their id, often their name)
    // shows as their initials in the file's path.
    let (location, text, message) = match f.pupil.as_deref().filter(|p| snap.anonymised && !p.is_empty()) {
        Some(dir) => {
            let shown = shown_pupil(snap, dir).unwrap_or_else(|| "(a pupil)".into());
            let hide = |s: &str| s.replace(&format!("/{dir}/"), &format!("/{shown}/")).replace(dir, &shown);
            (hide(&location), hide(&text), hide(&f.message))
        }
        None => (location, text, f.message.clone()),
    };
    // A message may quote a value: never a UPN (`human` hides it in `text`).
    let message = crate::diag::render::hide_upn_words(&message).into_owned();
    FindingView {
        severity: match f.severity {
            Severity::Error => "error",
            _ => "warning",
        },
        code: f.code.to_string(),
        message,
        location,
        text,
        pupil_href: f.pupil.as_deref().filter(|p| f.file.starts_with("pupils/") && !p.is_empty()).map(pupil_href),
    }
}

#[derive(Serialize)]
struct TimelineRow {
    date: String,
    what: String,
    detail: String,
    href: Option<String>,
}

pub async fn pupil(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    let Some(rec) = here.pupil(&id) else { return here.not_found("pupil with this id on roll") };
    let saved = match q.get("saved").map(String::as_str) {
        Some("log") => Some("Added to the log."),
        Some("action") => Some("The action is marked done."),
        Some("target") => Some("The target's status is saved."),
        _ => None,
    };
    pupil_page(&here, rec, Refill { saved, ..Default::default() }, StatusCode::OK)
}

#[derive(Serialize)]
struct LogRow {
    date: String,
    kind: String,
    with: String,
    summary: String,
    follow_up: String,
}

/// What a refused form of the pupil page typed, with the problems by field
/// name; or the note that a form was saved.
#[derive(Default)]
pub struct Refill {
    pub log: Option<super::forms::LogValues>,
    /// The other forms' fields (`done-STEM-N`, `status-TARGET`), as typed.
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
    pub saved: Option<&'static str>,
}

impl Refill {
    pub fn log(values: super::forms::LogValues, errors: BTreeMap<String, String>) -> Refill {
        Refill { log: Some(values), errors, ..Default::default() }
    }
}

/// An open action of one of the pupil's reviews, with its "mark done" form.
#[derive(Serialize)]
struct ActionRow {
    action: String,
    owner: String,
    due: String,
    overdue: bool,
    review: String,
    review_href: String,
    /// The form: where it posts, the field's name and value, the review's fingerprint.
    post: String,
    field: String,
    value: String,
    index: usize,
    stem: String,
    hash: String,
}

/// A target not yet achieved, with its "status" form.
#[derive(Serialize)]
struct TargetRow {
    id: String,
    outcome: String,
    due: String,
    status: String,
    field: String,
    value: String,
}

/// The pupil page; `refill` holds a refused form with its errors.
pub fn pupil_page(here: &Here, rec: &PupilRecord, refill: Refill, status: StatusCode) -> Response {
    let findings: Vec<FindingView> = here.snap.findings_of(rec).iter().map(|f| finding_view(&here.snap, f)).collect();
    let name = here.pupil_title(rec);
    let doc = match show::query(&here.snap.repo, rec, here.today, false) {
        Some(report) => page_doc(here, &show::document(&report, here.snap.repo.settings.school.jurisdiction)),
        None => DocView {
            title: None,
            sections: vec![],
            notes: vec!["pupil.yaml could not be read: the problems above say why.".into()],
        },
    };
    let base = pupil_href(&rec.dir);
    let documents =
        pupil_documents(here).iter().map(|k| (doc_label(k).to_string(), format!("{base}/doc/{k}"))).collect::<Vec<_>>();
    let mut timeline: Vec<TimelineRow> = Vec::new();
    for r in &rec.reviews {
        let date = crate::model::val(&r.review.date).map(|d| d.to_string()).unwrap_or_else(|| r.stem.clone());
        let kind = crate::model::val(&r.review.kind).map(|k| k.as_str().to_string()).unwrap_or_else(|| "review".into());
        let rated = r.review.targets.iter().flatten().filter(|t| t.progress.is_some()).count();
        timeline.push(TimelineRow {
            date,
            what: format!("{} review", capitalise(&kind)),
            detail: format!("{rated} target rating(s)"),
            href: Some(format!("{base}/review/{}", html::url_part(&r.stem))),
        });
    }
    for a in &rec.assessments {
        let date = crate::model::val(&a.date).map(|d| d.to_string()).unwrap_or_default();
        let what = text(&a.tool).or(text(&a.measure)).unwrap_or("assessment").to_string();
        let score = a.score.as_ref().map(|s| output::num(s.value)).unwrap_or_default();
        timeline.push(TimelineRow { date, what: format!("Assessment: {what}"), detail: score, href: None });
    }
    timeline.sort_by(|a, b| b.date.cmp(&a.date).then(a.what.cmp(&b.what)));
    let mut log: Vec<LogRow> = rec
        .log
        .iter()
        .map(|e| LogRow {
            date: crate::model::val(&e.date).map(|d| d.to_string()).unwrap_or_default(),
            kind: crate::model::val(&e.kind).map(|k| capitalise(k.as_str()).replace('-', " ")).unwrap_or_default(),
            with: e.with.iter().flatten().map(|w| w.value.clone()).collect::<Vec<_>>().join(", "),
            summary: text(&e.summary).unwrap_or("").to_string(),
            follow_up: crate::model::val(&e.follow_up).map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    log.sort_by(|a, b| b.date.cmp(&a.date));
    let Refill { log: log_form, values: typed, errors: mut form_errors, saved } = refill;
    // A refusal may quote a file's path, and so the pupil's folder.
    form_errors.values_mut().for_each(|e| *e = here.hide_ids(e));
    let log_values = log_form.unwrap_or_else(|| super::forms::LogValues {
        date: here.today.to_string(),
        kind: "meeting".into(),
        ..Default::default()
    });
    let (actions, targets, targets_hash) = open_items(here, rec, &typed);
    let log_hash = super::forms::log_fingerprint(here, rec);
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        name: String,
        log: Vec<LogRow>,
        log_values: super::forms::LogValues,
        errors: std::collections::BTreeMap<String, String>,
        log_kinds: Vec<(String, String)>,
        log_action: String,
        saved: Option<&'static str>,
        actions: Vec<ActionRow>,
        action_post: String,
        targets: Vec<TargetRow>,
        target_post: String,
        targets_hash: String,
        /// The fingerprint of `log.yaml` as on disk now (`absent` when there is none).
        log_hash: String,
        target_statuses: Vec<(String, String)>,
        doc: DocView,
        documents: Vec<(String, String)>,
        findings: Vec<FindingView>,
        timeline: Vec<TimelineRow>,
        progress_href: String,
        can_write: bool,
        new_review_href: String,
        duties: super::duties::PupilDuties,
    }
    let view = V {
        frame: here.frame(name.clone(), "register"),
        name,
        log,
        log_values,
        errors: form_errors,
        log_kinds: super::forms::log_kinds(),
        log_action: format!("{base}/log"),
        saved,
        actions,
        action_post: format!("{base}/action-done"),
        targets,
        target_post: format!("{base}/target-status"),
        targets_hash,
        log_hash,
        target_statuses: super::forms::target_statuses(),
        doc,
        documents,
        findings,
        timeline,
        progress_href: format!("{base}/doc/progress"),
        can_write: !here.app.opts.readonly,
        new_review_href: format!("{base}/review/new"),
        duties: super::duties::pupil_duties(here, rec),
    };
    here.page_status(status, "pupil.html.j2", &view)
}

/// The open actions of the pupil's reviews (no `done`) and the targets not
/// yet achieved, each with what its form needs: the fingerprint of the file
/// as it is on disk now, so a save after a change there is refused.
fn open_items(
    here: &Here,
    rec: &PupilRecord,
    typed: &BTreeMap<String, String>,
) -> (Vec<ActionRow>, Vec<TargetRow>, String) {
    use crate::model::val;
    let base = pupil_href(&rec.dir);
    let fp = |rel: &str| match super::forms::read_record(here, rel) {
        Ok(Some(bytes)) => super::forms::fingerprint(&bytes),
        _ => String::new(),
    };
    let mut actions = Vec::new();
    for r in &rec.reviews {
        let open: Vec<(usize, &crate::model::Action)> =
            r.review.actions.iter().flatten().enumerate().filter(|(_, a)| a.done.is_none()).collect();
        if open.is_empty() {
            continue;
        }
        let hash = fp(&r.path);
        let review_date = val(&r.review.date).map(|d| d.to_string()).unwrap_or_else(|| r.stem.clone());
        for (i, a) in open {
            let field = format!("done-{}-{i}", r.stem);
            let due = val(&a.due);
            actions.push(ActionRow {
                action: text(&a.action).unwrap_or("").to_string(),
                owner: text(&a.owner).map(|o| staff_name(here, o)).unwrap_or_default(),
                due: due.map(|d| d.to_string()).unwrap_or_default(),
                overdue: due.is_some_and(|d| d < here.today),
                review: review_date.clone(),
                review_href: format!("{base}/review/{}", html::url_part(&r.stem)),
                post: format!("{base}/action-done"),
                value: typed.get(&field).cloned().unwrap_or_else(|| here.today.to_string()),
                field,
                index: i,
                stem: r.stem.clone(),
                hash: hash.clone(),
            });
        }
    }
    actions.sort_by(|a, b| a.due.is_empty().cmp(&b.due.is_empty()).then(a.due.cmp(&b.due)));
    let mut targets = Vec::new();
    for t in &rec.targets {
        let status = val(&t.status).unwrap_or(crate::model::Status::Open);
        if !matches!(status, crate::model::Status::Open | crate::model::Status::PartlyAchieved) {
            continue;
        }
        let Some(id) = text(&t.id) else { continue };
        let field = format!("status-{id}");
        targets.push(TargetRow {
            id: id.to_string(),
            outcome: text(&t.outcome).unwrap_or("").to_string(),
            due: val(&t.due).map(|d| d.to_string()).unwrap_or_default(),
            status: capitalise(status.as_str()).replace('-', " "),
            value: typed.get(&field).cloned().unwrap_or_else(|| "achieved".into()),
            field,
        });
    }
    let targets_hash = if targets.is_empty() { String::new() } else { fp(&rec.file("targets.yaml")) };
    (actions, targets, targets_hash)
}

/// A staff member's name for a staff id (the id itself when unknown).
fn staff_name(here: &Here, id: &str) -> String {
    here.snap.repo.staff.iter().find(|s| text(&s.id) == Some(id)).and_then(|s| text(&s.name)).unwrap_or(id).to_string()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The documents a pupil's page offers: every `senco render` document of one
/// pupil (the chronology of everything on record, the request pack for an EHC needs assessment in England only, where
/// the law it follows applies), and the progress charts.
fn pupil_documents(here: &Here) -> Vec<&'static str> {
    let mut kinds = vec!["plan", "profile", "review", "checklist", "chronology"];
    if here.snap.repo.settings.school.jurisdiction == crate::model::settings::Jurisdiction::England {
        kinds.push("request");
    }
    kinds.push("progress");
    kinds
}

fn doc_label(kind: &str) -> &'static str {
    match kind {
        "request" => "Request for an EHC needs assessment",
        "chronology" => "Chronology",
        "plan" => "Support plan",
        "profile" => "One-page profile",
        "review" => "Review pack",
        "checklist" => "Compliance checklist",
        "progress" => "Progress",
        _ => "Document",
    }
}

// ------------------------------------------------------------------ documents

/// A rendered document with the bar on top (Back, downloads), inside a `main`.
fn document_page(here: &Here, html_text: &str, back: &str, downloads: Vec<(String, String)>) -> Response {
    #[derive(Serialize)]
    struct Bar<'a> {
        back: &'a str,
        downloads: Vec<(String, String)>,
        unreadable: Vec<String>,
    }
    let bar = Bar { back, downloads, unreadable: here.unreadable_files() };
    let bar = match html::render(here.app.live.root(), "document.html.j2", &bar) {
        Ok(b) => b,
        Err(e) => return plain_error(&e),
    };
    let body = inject(html_text, &bar);
    let mut r = html_response(StatusCode::OK, body);
    r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCUMENT_CSP));
    r
}

/// Puts the bar after `<body>` and wraps the document in `main`.
fn inject(doc: &str, bar: &str) -> String {
    let Some(start) = doc.find("<body") else { return format!("{bar}<main>{doc}</main>") };
    let Some(gt) = doc[start..].find('>') else { return doc.to_string() };
    let open_end = start + gt + 1;
    let close = doc.rfind("</body>").unwrap_or(doc.len());
    if close < open_end {
        return doc.to_string();
    }
    let has_main = doc[open_end..close].contains("<main");
    if has_main {
        format!("{}{bar}{}", &doc[..open_end], &doc[open_end..])
    } else {
        format!("{}{bar}<main>{}</main>{}", &doc[..open_end], &doc[open_end..close], &doc[close..])
    }
}

/// Serves a document: in the browser (`?as=` absent), or as a Markdown or
/// Word download (`?as=md`, `?as=doc`: the HTML document, which Word opens).
fn serve_document(here: &Here, kind: &str, file_stem: &str, back: &str, q: &HashMap<String, String>) -> Response {
    let repo = &here.snap.repo;
    let templates = match crate::render::Templates::load(&repo.root) {
        Ok(t) => t,
        Err(e) => return here.error(&e),
    };
    let cx = views::Ctx::new(repo, here.today);
    let as_ = q.get("as").map(String::as_str).unwrap_or("");
    let md_exists = crate::render::BUILTIN.iter().any(|(n, _)| *n == format!("{kind}.md.j2"));
    let format = if as_ == "md" && md_exists { crate::render::Format::Markdown } else { crate::render::Format::Html };
    let name = crate::render::template_name(kind, format);
    let rendered: Result<String, Error> = match kind {
        "plan" | "profile" | "review" | "checklist" | "request" | "chronology" | "progress" => {
            let Some(rec) = here.pupil(back.trim_start_matches("/pupil/")) else { return here.not_found("pupil") };
            // As the command: without their pupil.yaml there is nothing true
            // to show; with another file unreadable the document says so.
            if rec.pupil.is_none() {
                return here.unreadable_pupil(rec, "this document");
            }
            let unreadable = here.shown_unreadable(rec.unreadable().into_iter().collect());
            let text = match kind {
                "plan" => templates.render(&name, &views::plan(&cx, rec)),
                "profile" => templates.render(&name, &views::profile(&cx, rec)),
                "review" => templates.render(&name, &views::review_pack(&cx, rec)),
                "checklist" => templates.render(&name, &views::checklist::pupil_checklist(&cx, rec)),
                "request" => templates.render(&name, &views::request::request_pack(&cx, rec)),
                "chronology" => templates.render(&name, &views::chronology::chronology(&cx, rec)),
                _ => {
                    // An HTML page of `senco progress ID --format html`: its note names the files.
                    let report = crate::report::progress::progress(rec, here.today);
                    let page = templates.render("progress.html.j2", &views::evidence::progress(&cx, &report));
                    return deliver(
                        here,
                        &templates,
                        kind,
                        page.map(|p| page_noted(&p, &unreadable)),
                        as_,
                        md_exists,
                        file_stem,
                        back,
                    );
                }
            };
            text.map(|t| crate::render::noted(&t, format, &unreadable, true))
        }
        _ => return here.not_found("document"),
    };
    deliver(here, &templates, kind, rendered, as_, md_exists, file_stem, back)
}

pub async fn pupil_document(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    let Some(rec) = here.pupil(&id) else { return here.not_found("pupil with this id on roll") };
    if !pupil_documents(&here).contains(&kind.as_str()) {
        return here.not_found("document of this kind");
    }
    // The download's file name: under `--anonymise` without the id (often
    // the pupil's name), which a browser's download bar shows.
    let stem = if here.snap.anonymised { format!("pupil-{kind}") } else { format!("{}-{kind}", rec.dir) };
    serve_document(&here, &kind, &stem, &pupil_href(&rec.dir), &q)
}

/// Renders a whole-school document (class sheet, provision map, impact).
fn school_document(
    here: &Here,
    kind: &str,
    stem: &str,
    back: &str,
    q: &HashMap<String, String>,
    class: Option<&str>,
) -> Response {
    let repo = &here.snap.repo;
    let templates = match crate::render::Templates::load(&repo.root) {
        Ok(t) => t,
        Err(e) => return here.error(&e),
    };
    let cx = views::Ctx::new(repo, here.today);
    let as_ = q.get("as").map(String::as_str).unwrap_or("");
    let md_exists = crate::render::BUILTIN.iter().any(|(n, _)| *n == format!("{kind}.md.j2"));
    let format = if as_ == "md" && md_exists { crate::render::Format::Markdown } else { crate::render::Format::Html };
    let name = crate::render::template_name(kind, format);
    // Every pupil on roll counts, as for `senco render class` and `senco impact`.
    let unreadable = here.shown_unreadable(repo.unreadable(false));
    let rendered = match kind {
        "class" => templates.render(&name, &views::class(&cx, class.unwrap_or(""))),
        "provision-map" => {
            let terms: &[crate::model::settings::Term] =
                repo.settings.calendar.as_ref().map_or(&[], |c| c.terms.as_slice());
            let term = q.get("term").and_then(|t| terms.iter().find(|x| x.name.eq_ignore_ascii_case(t)));
            let year = q.get("year").and_then(|y| y.trim().parse::<i64>().ok());
            let filter = views::provision::Filter { term, year, class: None };
            templates.render(&name, &views::provision::provision_map(&cx, &filter))
        }
        _ => {
            // An HTML page of `senco impact --format html`: its note names the pupils.
            let report = crate::report::impact::report(repo, &crate::report::impact::Filter::default(), here.today);
            let page = templates.render("impact.html.j2", &views::evidence::impact(&cx, &report));
            return deliver(
                here,
                &templates,
                kind,
                page.map(|p| page_noted(&p, &unreadable)),
                as_,
                md_exists,
                stem,
                back,
            );
        }
    };
    let rendered = rendered.map(|t| crate::render::noted(&t, format, &unreadable, false));
    deliver(here, &templates, kind, rendered, as_, md_exists, stem, back)
}

/// An HTML page of a command (`impact`, `progress`) as `--format html`
/// writes it: a note at the top naming the pupils who could not be read.
fn page_noted(page: &str, unreadable: &[crate::repo::Unreadable]) -> String {
    match output::unreadable_note(unreadable) {
        Some(note) => output::prepend_document_note(page, &note, true),
        None => page.to_string(),
    }
}

/// A rendered document: in the browser with its download bar, or as the
/// Markdown or Word download `?as=` asks for.
#[allow(clippy::too_many_arguments)]
fn deliver(
    here: &Here,
    templates: &crate::render::Templates,
    kind: &str,
    rendered: Result<String, Error>,
    as_: &str,
    md_exists: bool,
    stem: &str,
    back: &str,
) -> Response {
    let text = match rendered {
        Ok(t) => t,
        Err(e) => return here.error(&e),
    };
    // Every `senco render` document has a Word form (`--format docx`), made
    // from the same HTML; the progress charts and impact are HTML only.
    let word = !matches!(kind, "progress" | "impact");
    match as_ {
        "md" if md_exists => download(text, "text/markdown; charset=utf-8", &format!("{stem}.md")),
        // `doc`: the address older pages linked to.
        "docx" | "doc" if word => match templates.finish(text, crate::render::Format::Docx) {
            Ok(bytes) => download_bytes(bytes, DOCX_TYPE, &format!("{stem}.docx")),
            Err(e) => here.error(&e),
        },
        _ => {
            let mut downloads = Vec::new();
            if word {
                downloads.push(("Download for Word".to_string(), "?as=docx".to_string()));
            }
            if md_exists {
                downloads.push(("Download as Markdown".to_string(), "?as=md".to_string()));
            }
            document_page(here, &text, back, downloads)
        }
    }
}

// ------------------------------------------------------------------ classes, caseloads, provision, impact

pub async fn classes(State(app): State<Shared>, Extension(session): Extension<Session>) -> Response {
    let here = Here::new(&app, &session);
    let classes = views::classes(&here.snap.repo);
    let mut t =
        output::Table::new(vec![output::Column::left("class")], "No pupil on the register has a class recorded.");
    for c in &classes {
        t.push(vec![c.clone()]);
    }
    let doc = Document::table(t);
    let view = DocPage {
        frame: here.frame("Classes", "classes"),
        heading: "Class strategy sheets".into(),
        intro: "One sheet per class for the class teacher: each pupil on the register, their needs, strategies and targets.".into(),
        links: vec![],
        doc: doc_view(&doc, &|_, _, cell| Some(format!("/class/{}", html::url_part(cell)))),
    };
    here.page("page.html.j2", &view)
}

pub async fn class(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    if !views::classes(&here.snap.repo).iter().any(|c| c == &name) {
        return here.not_found("class with pupils on the register by this name");
    }
    let stem: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    school_document(&here, "class", &format!("class-{stem}"), "/classes", &q, Some(&name))
}

pub async fn caseloads(State(app): State<Shared>, Extension(session): Extension<Session>) -> Response {
    let here = Here::new(&app, &session);
    let report =
        crate::query::caseload::query(&here.snap.repo, here.today, crate::query::caseload::DEFAULT_MAX_HOURS, None);
    let doc = crate::query::caseload::document(&report);
    let view = DocPage {
        frame: here.frame("Caseloads", "caseloads"),
        heading: "Caseloads".into(),
        intro: "Each member of staff's pupils and weekly intervention time (as `senco caseload`).".into(),
        links: vec![],
        doc: page_doc(&here, &doc),
    };
    here.page("page.html.j2", &view)
}

pub async fn caseload(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(staff): Path<String>,
) -> Response {
    let here = Here::new(&app, &session);
    let repo = &here.snap.repo;
    if !repo.staff.iter().any(|s| text(&s.id) == Some(staff.as_str())) {
        return here.not_found("member of staff with this id");
    }
    let report =
        crate::query::caseload::query(repo, here.today, crate::query::caseload::DEFAULT_MAX_HOURS, Some(&staff));
    let Some(s) = report.staff.first() else { return here.not_found("member of staff with this id") };
    let doc = crate::query::caseload::detail(&report, s, repo.settings.school.jurisdiction);
    let view = DocPage {
        frame: here.frame(s.name.clone(), "caseloads"),
        heading: s.name.clone(),
        intro: String::new(),
        links: vec![("All caseloads".into(), "/caseloads".into())],
        doc: page_doc(&here, &doc),
    };
    here.page("page.html.j2", &view)
}

pub async fn provision_map(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    school_document(&here, "provision-map", "provision-map", "/", &q, None)
}

pub async fn impact(State(app): State<Shared>, Extension(session): Extension<Session>, Query(q): Params) -> Response {
    let here = Here::new(&app, &session);
    school_document(&here, "impact", "impact", "/", &q, None)
}

// ------------------------------------------------------------------ compliance

/// A rule outcome's status in words: "Not recorded", "Overdue", ...
fn status_label(s: crate::rules::eval::Status) -> String {
    capitalise(s.as_str())
}

fn status_key(s: crate::rules::eval::Status) -> &'static str {
    use crate::rules::eval::Status::*;
    match s {
        Met => "met",
        Due => "due",
        Overdue => "overdue",
        NotMet => "not-met",
        NotRecorded => "not-recorded",
        NotApplicable => "not-applicable",
    }
}

/// Every rule for every pupil on roll: a count by rule and status, and the
/// outcomes `keep` wants; the others are let go pupil by pupil (all of them
/// together are hundreds of megabytes on a large school).
#[allow(clippy::type_complexity)]
fn outcomes<'r>(
    here: &'r Here,
    keep: &(dyn Fn(crate::rules::eval::Status) -> bool + Sync),
) -> (
    BTreeMap<&'static str, (&'static str, &'static str, BTreeMap<crate::rules::eval::Status, usize>)>,
    Vec<(&'r PupilRecord, crate::rules::eval::Outcome)>,
) {
    use rayon::prelude::*;
    type Counts = BTreeMap<&'static str, (&'static str, &'static str, BTreeMap<crate::rules::eval::Status, usize>)>;
    let repo = &here.snap.repo;
    repo.pupils
        .par_iter()
        .filter(|r| r.pupil.is_some())
        .fold(
            || (Counts::new(), Vec::new()),
            |(mut counts, mut rows), rec| {
                for o in crate::rules::eval::evaluate(&repo.settings, rec, here.today) {
                    let e =
                        counts.entry(o.rule.code).or_insert_with(|| (o.rule.statement, o.rule.source, BTreeMap::new()));
                    *e.2.entry(o.status).or_insert(0) += 1;
                    if keep(o.status) {
                        rows.push((rec, o));
                    }
                }
                (counts, rows)
            },
        )
        .reduce(
            || (Counts::new(), Vec::new()),
            |(mut a, mut ra), (b, rb)| {
                for (code, (statement, source, by)) in b {
                    let e = a.entry(code).or_insert_with(|| (statement, source, BTreeMap::new()));
                    for (k, v) in by {
                        *e.2.entry(k).or_insert(0) += v;
                    }
                }
                ra.extend(rb);
                (a, ra)
            },
        )
}

/// The number of outcomes by status, every rule for every pupil on roll.
/// Counted pupil by pupil, each pupil's outcomes let go at once: on a large
/// school the outcomes together are hundreds of megabytes, and the dashboard
/// needs only their counts.
fn compliance_counts(here: &Here) -> BTreeMap<crate::rules::eval::Status, usize> {
    use rayon::prelude::*;
    let repo = &here.snap.repo;
    repo.pupils
        .par_iter()
        .filter(|r| r.pupil.is_some())
        .fold(BTreeMap::new, |mut counts, rec| {
            for o in crate::rules::eval::evaluate(&repo.settings, rec, here.today) {
                *counts.entry(o.status).or_insert(0) += 1;
            }
            counts
        })
        .reduce(BTreeMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            a
        })
}

pub async fn compliance(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    use crate::rules::eval::Status;
    let here = Here::new(&app, &session);
    let status = q.get("status").cloned().unwrap_or_else(|| "attention".into());
    let wanted = |s: Status| match status.as_str() {
        "all" => true,
        "attention" => !matches!(s, Status::Met | Status::NotApplicable),
        other => status_key(s) == other,
    };
    let (by_rule, all) = outcomes(&here, &wanted);
    // Summary: one row per rule, a count per status.
    let order = [Status::Overdue, Status::NotMet, Status::Due, Status::NotRecorded, Status::Met, Status::NotApplicable];
    let mut cols = vec![output::Column::left("rule"), output::Column::left("what the rule says")];
    cols.extend(order.iter().map(|s| output::Column::right(&status_label(*s))));
    // The law each rule rests on, once per rule (not on each pupil's row).
    cols.push(output::Column::left("source"));
    let mut sum = output::Table::new(cols, "No rule applies to any pupil on roll.");
    for (code, (statement, source, counts)) in &by_rule {
        let mut row = vec![code.to_string(), statement.to_string()];
        row.extend(order.iter().map(|s| counts.get(s).copied().unwrap_or(0).to_string()));
        row.push(source.to_string());
        sum.push(row);
    }
    let mut t = output::Table::new(
        vec![
            output::Column::left("pupil"),
            output::Column::left("name"),
            output::Column::left("rule"),
            output::Column::left("status"),
            output::Column::left("due"),
            output::Column::left("detail"),
        ],
        "No outcome with this status.",
    );
    let mut rows: Vec<&(&PupilRecord, crate::rules::eval::Outcome)> = all.iter().collect();
    rows.sort_by(|a, b| a.1.due.cmp(&b.1.due).then(a.0.dir.cmp(&b.0.dir)).then(a.1.rule.code.cmp(b.1.rule.code)));
    for (rec, o) in &rows {
        let name = rec.pupil.as_ref().map(|p| p.display_name()).unwrap_or_default();
        t.push(vec![
            rec.dir.clone(),
            name,
            o.rule.code.to_string(),
            status_label(o.status),
            o.due.map(|d| d.to_string()).unwrap_or_default(),
            o.detail.clone(),
        ]);
    }
    let link = linker(&here.snap);
    let summary = doc_view(&Document::table(sum), &|_, _, _| None).sections.pop();
    let mut table = doc_view(&Document::table(t), &link).sections.pop();
    if here.app.opts.anonymise {
        if let Some(s) = table.as_mut() {
            mask_section(&here.snap, s);
        }
    }
    if here.app.opts.anonymise {
        if let Some(tb) = table.as_mut() {
            // The id column would show names: link the name column instead.
            tb.columns.remove(0);
            for row in tb.rows.iter_mut() {
                let first = row.remove(0);
                if let Some(n) = row.first_mut() {
                    n.href = first.href;
                }
            }
        }
    }
    let mut statuses =
        vec![("attention".to_string(), "Needing attention".to_string()), ("all".to_string(), "Everything".to_string())];
    statuses.extend(order.iter().map(|s| (status_key(*s).to_string(), status_label(*s))));
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        jurisdiction: &'static str,
        status: String,
        statuses: Vec<(String, String)>,
        summary: Option<SectionView>,
        table: Option<SectionView>,
        count: usize,
    }
    let view = V {
        frame: here.frame("Compliance", "compliance"),
        jurisdiction: here.snap.repo.settings.school.jurisdiction.as_str(),
        status,
        statuses,
        summary,
        count: rows.len(),
        table,
    };
    here.page("compliance.html.j2", &view)
}

// ------------------------------------------------------------------ findings

/// At most this many findings on one page (the rest: `senco check`).
const MAX_FINDINGS: usize = 500;

pub async fn findings(State(app): State<Shared>, Extension(session): Extension<Session>) -> Response {
    let here = Here::new(&app, &session);
    let all = here.snap.findings();
    let t = here.snap.tally();
    let summary = crate::diag::render::summary(
        t,
        here.snap.repo.pupils.len() + here.snap.repo.archived.len(),
        here.snap.repo.file_count(),
    );
    let shown: Vec<FindingView> = all.iter().take(MAX_FINDINGS).map(|f| finding_view(&here.snap, f)).collect();
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        findings: Vec<FindingView>,
        summary: String,
        shown: usize,
        total: usize,
    }
    let view =
        V { frame: here.frame("Problems", "findings"), shown: shown.len(), total: all.len(), findings: shown, summary };
    here.page("findings.html.j2", &view)
}

// ------------------------------------------------------------------ the rest

pub async fn stylesheet() -> Response {
    let mut r = html::STYLE.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    r
}

pub async fn not_found(State(app): State<Shared>, Extension(session): Extension<Session>) -> Response {
    Here::new(&app, &session).not_found("page at this address")
}

#[allow(dead_code)]
fn cells(row: &[Cell]) -> Vec<&str> {
    row.iter().map(|c| c.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_goes_inside_body_and_the_document_inside_main() {
        let out = inject("<html><body class=\"x\"><h1>Plan</h1></body></html>", "<nav>bar</nav>");
        assert_eq!(out, "<html><body class=\"x\"><nav>bar</nav><main><h1>Plan</h1></main></body></html>");
        assert_eq!(when(-3), "3 days ago");
        assert_eq!(when(0), "today");
    }
}
