//! The pages of the duties' queries: provision planned against delivered
//! (`/delivery`, as `senco delivery`), staff training (`/training`, as
//! `senco training`), the exam access arrangements register (`/access`, as
//! `senco access`) and England's school census SEN return (`/census`, as
//! `senco census`).
//!
//! Each handler calls the very function its command calls
//! (`query::delivery::query`, `query::training::query`,
//! `query::access::query`, `report::census::census`) with the command's
//! options read from the query string, and shows its rows in plain words:
//! dates as "21 September 2026", statuses in words, staff by name. The CSV
//! download is the command's `--format csv` with the same options, byte
//! for byte. With `--anonymise`, pupils show as initials (the records are
//! anonymised as they load) and so do the staff and assessors these pages
//! name.

use super::guard::Session;
use super::html::{self, Cell, ColumnView, Frame, SectionView};
use super::pages::{pupil_href, Here};
use super::Shared;
use crate::error::Error;
use crate::model::settings::Jurisdiction;
use crate::model::text;
use crate::output::{self, num, Document};
use crate::query::{access, delivery, training};
use crate::render::views::{self, words};
use crate::repo::PupilRecord;
use crate::report::census;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

type Params = Query<HashMap<String, String>>;

/// The window of "lapsing soon" for staff training when none is asked for
/// (as `senco training` without `--expiring`).
pub const TRAINING_WINDOW: i64 = 60;

// ------------------------------------------------------------------ shared pieces

/// `2026-09-21` as "21 September 2026"; anything else as written.
fn long(d: &str) -> String {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").map(words::long_date).unwrap_or_else(|_| d.to_string())
}

fn long_opt(d: Option<&str>) -> String {
    d.map(long).unwrap_or_default()
}

/// Initials for a person's name ("Ms R. Patel" is "R. P."), the titles left out.
pub fn initials(name: &str) -> String {
    const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"];
    name.split_whitespace()
        .filter(|w| !TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person named on these pages who is not a pupil: initials under `--anonymise`.
fn person(here: &Here, name: &str) -> String {
    if here.app.opts.anonymise {
        initials(name)
    } else {
        name.to_string()
    }
}

/// A staff member by id: their name (initials under `--anonymise`), the id when unknown.
fn staff_name(here: &Here, id: &str) -> String {
    let found = here.snap.repo.staff.iter().find(|s| text(&s.id) == Some(id)).and_then(|s| text(&s.name));
    match found {
        Some(n) => person(here, n.trim()),
        None => id.to_string(),
    }
}

fn staff_href(here: &Here, id: &str) -> Option<String> {
    here.snap.repo.staff.iter().any(|s| text(&s.id) == Some(id)).then(|| format!("/caseload/{}", html::url_part(id)))
}

/// A pupil's page, when the pupil is on roll (not for the archive).
fn pupil_link(here: &Here, id: &str) -> Option<String> {
    here.pupil(id).map(|r| pupil_href(&r.dir))
}

fn cell(text: impl Into<String>) -> Cell {
    Cell { text: text.into(), href: None }
}

fn link(text: impl Into<String>, href: Option<String>) -> Cell {
    Cell { text: text.into(), href }
}

/// A table for `macros.html.j2`'s `table`: headers (`true` for a number), rows, the empty state.
fn table(title: &str, columns: &[(&str, bool)], rows: Vec<Vec<Cell>>, empty: &str) -> SectionView {
    SectionView {
        title: title.to_string(),
        kind: "table",
        fields: vec![],
        items: vec![],
        columns: columns
            .iter()
            .map(|(h, numeric)| ColumnView { header: h.to_string(), numeric: *numeric, sort_href: None, sorted: None })
            .collect(),
        rows,
        empty: empty.to_string(),
    }
}

/// The query string of the options given (empty values left out), for the CSV link.
fn query_string(q: &HashMap<String, String>, keys: &[&str]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .filter_map(|k| q.get(*k).map(|v| (k, v.trim())))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", html::url_part(k), html::url_part(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn get(q: &HashMap<String, String>, k: &str) -> String {
    q.get(k).map(|s| s.trim().to_string()).unwrap_or_default()
}

/// An error of the options as one line for the page, with its hint.
fn problem(e: &Error) -> String {
    match e.hint() {
        Some(h) => format!("{e} ({h})"),
        None => e.to_string(),
    }
}

/// A command's `--format csv` output as a download, or the error page.
fn csv_reply(
    app: &Shared,
    session: &Session,
    q: &HashMap<String, String>,
    file: &str,
    doc: impl Fn(&Here, &HashMap<String, String>) -> Result<Document, Error>,
) -> Response {
    let here = Here::new(app, session);
    let mut doc = match doc(&here, q) {
        Ok(d) => d,
        Err(e) => return here.error(&e),
    };
    if here.app.opts.anonymise {
        super::pages::anonymise_doc(&here.snap, &mut doc);
    }
    // As the command: every pupil on roll who could not be read, in a last row.
    let unreadable = here.shown_unreadable(here.snap.repo.unreadable(false));
    let mut r = output::csv_with_unreadable(&doc, &unreadable).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// `--expiring DAYS` as a query parameter: `None` when absent or empty.
fn expiring(q: &HashMap<String, String>) -> Result<Option<i64>, Error> {
    let v = get(q, "expiring");
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(d) if d >= 0 => Ok(Some(d)),
        _ => Err(Error::usage(
            format!("`{v}` is not a number of days"),
            Some("give a whole number of days, 0 or more, e.g. 60".into()),
        )),
    }
}

/// "in 50 days", "21 days ago", "today".
fn days_words(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        d if d < 0 => format!("{} days ago", -d),
        d => format!("in {d} days"),
    }
}

fn share_words(s: Option<f64>) -> String {
    s.map_or(String::new(), |s| format!("{}%", num((s * 100.0).round())))
}

fn minutes(m: f64) -> String {
    format!("{}", m.round() as i64)
}

// ------------------------------------------------------------------ delivery

/// The options of `senco delivery` from the query string: `term`, `pupil`, `provision`.
fn delivery_report(here: &Here, q: &HashMap<String, String>) -> Result<delivery::Report, Error> {
    let repo = &here.snap.repo;
    let term = Some(get(q, "term")).filter(|t| !t.is_empty());
    let pupil = match get(q, "pupil") {
        p if p.is_empty() => None,
        p => Some(repo.resolve_pupil(&p)?.dir.clone()),
    };
    let provision = Some(get(q, "provision")).filter(|p| !p.is_empty());
    let opts = delivery::Options { term, pupil, provision };
    delivery::query(repo, here.today, &opts).map_err(|why| {
        Error::usage(why, Some("see `[calendar]` in docs/format.md: terms are what delivery is counted over".into()))
    })
}

/// The rows of one pupil's places (or every pupil's), in words.
fn place_rows(here: &Here, r: &delivery::Report, with_pupil: bool) -> Vec<Vec<Cell>> {
    r.places
        .iter()
        .map(|p| {
            let f = &p.figures;
            let unlogged = f.planned_minutes - f.delivered_minutes - f.absent_minutes - f.cancelled_minutes;
            let mut missed: Vec<String> = f
                .reasons
                .iter()
                .map(|(why, n)| format!("{} ({n} session{})", capitalise(why), if *n == 1 { "" } else { "s" }))
                .collect();
            if !f.recorded {
                missed = vec!["Sessions of this provision are not logged".into()];
            } else if unlogged >= 1.0 {
                missed.push(format!("{} minutes not logged", minutes(unlogged)));
            }
            let mut row = Vec::new();
            if with_pupil {
                row.push(link(p.name.clone(), pupil_link(here, &p.pupil)));
            }
            row.extend([
                cell(format!("{}{}", p.provision_name, if p.statutory { " (statutory)" } else { "" })),
                match &p.staff {
                    Some(s) => link(staff_name(here, s), staff_href(here, s)),
                    None => cell(""),
                },
                cell(minutes(f.planned_minutes)),
                cell(if f.recorded { minutes(f.delivered_minutes) } else { "not recorded".into() }),
                cell(share_words(p.share)),
                cell(missed.join("; ")),
            ]);
            row
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

const PLACE_COLUMNS: &[(&str, bool)] = &[
    ("Provision", false),
    ("Staff", false),
    ("Planned (minutes)", true),
    ("Delivered (minutes)", true),
    ("Share delivered", true),
    ("What was missed", false),
];

/// What the delivery page shows; also the pupil page's part.
fn delivery_tables(here: &Here, r: &delivery::Report, with_totals: bool) -> Vec<SectionView> {
    let mut cols = vec![("Pupil", false)];
    cols.extend_from_slice(PLACE_COLUMNS);
    let mut out = vec![table(
        "Each pupil's provision",
        &cols,
        place_rows(here, r, true),
        "No provision ran or was logged in this period.",
    )];
    if !with_totals {
        out[0] = table(
            "Provision planned and delivered",
            PLACE_COLUMNS,
            place_rows(here, r, false),
            "No provision ran or was logged in this period.",
        );
        return out;
    }
    let catalogue = here.snap.repo.catalogue_by_id();
    let names: HashMap<&str, &str> =
        r.places.iter().map(|p| (p.provision.as_str(), p.provision_name.as_str())).collect();
    let provision_name = |key: &str| {
        catalogue.get(key).and_then(|p| text(&p.name)).or(names.get(key).copied()).unwrap_or(key).to_string()
    };
    let totals = |rows: &[delivery::Total], staff: bool| -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|t| {
                vec![
                    if staff {
                        link(staff_name(here, &t.key), staff_href(here, &t.key))
                    } else {
                        cell(provision_name(&t.key))
                    },
                    cell(minutes(t.planned_minutes)),
                    cell(minutes(t.delivered_minutes)),
                    cell(share_words(t.share)),
                ]
            })
            .collect()
    };
    let tcols = |first| {
        vec![(first, false), ("Planned (minutes)", true), ("Delivered (minutes)", true), ("Share delivered", true)]
    };
    out.push(table(
        "By provision (provision whose sessions are logged)",
        &tcols("Provision"),
        totals(&r.by_provision, false),
        "No provision with logged sessions in this period.",
    ));
    out.push(table(
        "By staff member (each session counted once, whatever the number of pupils)",
        &tcols("Staff member"),
        totals(&r.by_staff, true),
        "No staff member ran logged sessions in this period.",
    ));
    out
}

pub async fn delivery_page(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    let repo = &here.snap.repo;
    let (report, error) = match delivery_report(&here, &q) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(problem(&e))),
    };
    let mut terms = vec![(String::new(), "The whole academic year".to_string())];
    if let Some(cal) = &repo.settings.calendar {
        terms.extend(cal.terms.iter().map(|t| (t.name.clone(), format!("{} term", t.name))));
    }
    let mut pupils = vec![(String::new(), "Every pupil".to_string())];
    let mut named: Vec<(String, String)> = repo
        .pupils
        .iter()
        .filter(|r| !r.interventions.is_empty())
        .filter_map(|r| r.pupil.as_ref().map(|p| (r.dir.clone(), p.display_name())))
        .collect();
    named.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    pupils.extend(named);
    let mut provisions = vec![(String::new(), "Every provision".to_string())];
    let mut keys: BTreeMap<String, String> = repo
        .catalogue
        .iter()
        .filter_map(|p| Some((text(&p.id)?.to_string(), text(&p.name).unwrap_or("?").to_string())))
        .collect();
    for d in &repo.delivery {
        keys.entry(d.place.clone()).or_insert_with(|| d.place.clone());
    }
    let mut keys: Vec<(String, String)> = keys.into_iter().collect();
    keys.sort_by_key(|a| a.1.to_lowercase());
    provisions.extend(keys);
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        period: String,
        term: String,
        pupil: String,
        provision: String,
        terms: Vec<(String, String)>,
        pupils: Vec<(String, String)>,
        provisions: Vec<(String, String)>,
        tables: Vec<SectionView>,
        csv_href: String,
        error: Option<String>,
        /// Delivery files that could not be read in full (the figures may be short).
        unread: Vec<String>,
    }
    let period = report
        .as_ref()
        .map(|r| format!("{}, {} to {}", capitalise(&r.period), long(&r.from), long(&r.to)))
        .unwrap_or_default();
    let tables = report.as_ref().map(|r| delivery_tables(&here, r, true)).unwrap_or_default();
    let view = V {
        frame: here.frame("Provision delivered", "delivery"),
        period,
        term: get(&q, "term"),
        pupil: get(&q, "pupil"),
        provision: get(&q, "provision"),
        terms,
        pupils,
        provisions,
        tables,
        csv_href: format!("/delivery.csv{}", query_string(&q, &["term", "pupil", "provision"])),
        error,
        unread: here.snap.repo.delivery_unread.clone(),
    };
    here.page("delivery.html.j2", &view)
}

/// `senco delivery --format csv` with the same options, byte for byte.
pub async fn delivery_csv(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    csv_reply(&app, &session, &q, "delivery.csv", |h, q| delivery_report(h, q).map(|r| delivery::document(&r)))
}

// ------------------------------------------------------------------ training

fn training_report(here: &Here, q: &HashMap<String, String>) -> Result<training::Report, Error> {
    let days = expiring(q)?;
    Ok(training::query(&here.snap.repo, here.today, days.unwrap_or(TRAINING_WINDOW), days.is_some()))
}

/// A staff role as written in staff.yaml, in words: `teaching-assistant` is "Teaching assistant".
fn role_words(role: &str) -> String {
    match role {
        "senco" => "SENCO".into(),
        r => capitalise(&r.replace('-', " ")),
    }
}

fn training_status(r: &training::Row) -> String {
    match (r.status, r.days) {
        ("expired", Some(d)) => format!("Lapsed {}", days_words(d)),
        ("expiring", Some(d)) => format!("Lapses {}", days_words(d)),
        ("valid", _) => "Current".into(),
        _ => "Does not lapse".into(),
    }
}

pub async fn training_page(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    let (report, error) = match training_report(&here, &q) {
        Ok(r) => (r, None),
        Err(e) => (training::query(&here.snap.repo, here.today, TRAINING_WINDOW, false), Some(problem(&e))),
    };
    let window = expiring(&q).ok().flatten().unwrap_or(TRAINING_WINDOW);
    let rows = report
        .rows
        .iter()
        .map(|r| {
            vec![
                link(person(&here, &r.name), staff_href(&here, &r.staff)),
                cell(role_words(&r.role)),
                cell(r.course.clone()),
                cell(r.provider.clone().unwrap_or_default()),
                cell(long_opt(r.date.as_deref())),
                cell(r.expires.as_deref().map(long).unwrap_or_else(|| "Does not lapse".into())),
                cell(training_status(r)),
                cell(r.certificate.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let t = table(
        "Staff training",
        &[
            ("Staff member", false),
            ("Role", false),
            ("Course", false),
            ("Provider", false),
            ("Taken", false),
            ("Lapses on", false),
            ("Status", false),
            ("Certificate", false),
        ],
        rows,
        if error.is_none() && q.contains_key("expiring") && !get(&q, "expiring").is_empty() {
            "No training has lapsed or lapses within this many days."
        } else {
            "No staff training is recorded in staff.yaml."
        },
    );
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        expiring: String,
        window: i64,
        lapsed: usize,
        lapsing: usize,
        table: SectionView,
        csv_href: String,
        error: Option<String>,
    }
    let view = V {
        frame: here.frame("Staff training", "training"),
        expiring: get(&q, "expiring"),
        window,
        lapsed: report.rows.iter().filter(|r| r.status == "expired").count(),
        lapsing: report.rows.iter().filter(|r| r.status == "expiring").count(),
        table: t,
        csv_href: format!("/training.csv{}", query_string(&q, &["expiring"])),
        error,
    };
    here.page("training.html.j2", &view)
}

/// `senco training --format csv` with the same `--expiring`, byte for byte.
pub async fn training_csv(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    csv_reply(&app, &session, &q, "training.csv", |h, q| training_report(h, q).map(|r| training::document(&r)))
}

// ------------------------------------------------------------------ access

fn access_report(here: &Here, q: &HashMap<String, String>) -> Result<access::Report, Error> {
    let days = expiring(q)?;
    Ok(access::query(&here.snap.repo, here.today, days.unwrap_or(access::DEFAULT_WINDOW), days.is_some()))
}

fn access_status(r: &access::Row) -> String {
    let until = long_opt(r.expires.as_deref());
    match (r.status, r.days) {
        ("expired", _) => format!("Expired: it held until {until}"),
        ("expires-soon", Some(d)) => format!("Expires soon: it holds until {until} ({})", days_words(d)),
        ("current", _) => "Current".into(),
        _ => "Not recorded: no assessment or approval date, so how long it holds cannot be counted".into(),
    }
}

/// An arrangement's row, in words; `with_pupil` adds the pupil and year.
fn access_row(here: &Here, r: &access::Row, with_pupil: bool) -> Vec<Cell> {
    let juris = here.snap.repo.settings.school.jurisdiction;
    let mut row = Vec::new();
    if with_pupil {
        row.push(link(r.name.clone(), pupil_link(here, &r.pupil)));
        row.push(cell(r.year_group.map(|y| views::year_label(juris, y)).unwrap_or_default()));
    }
    row.extend([
        cell(access::arrangement_cell(r)),
        cell(r.evidence.clone().unwrap_or_default()),
        cell(r.assessor.as_deref().map(|a| person(here, a)).unwrap_or_default()),
        cell(long_opt(r.assessed.as_deref())),
        cell(long_opt(r.approved.as_deref())),
        cell(long_opt(r.expires.as_deref())),
        cell(access_status(r)),
        cell(r.normal_way_of_working.clone().unwrap_or_default()),
    ]);
    row
}

const ACCESS_COLUMNS: &[(&str, bool)] = &[
    ("Arrangement", false),
    ("Evidence of need", false),
    ("Assessor", false),
    ("Assessed", false),
    ("Approved", false),
    ("Valid until", false),
    ("Status", false),
    ("Normal way of working", false),
];

pub async fn access_page(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    let (report, error) = match access_report(&here, &q) {
        Ok(r) => (r, None),
        Err(e) => (access::query(&here.snap.repo, here.today, access::DEFAULT_WINDOW, false), Some(problem(&e))),
    };
    let mut cols = vec![("Pupil", false), ("Year", false)];
    cols.extend_from_slice(ACCESS_COLUMNS);
    let rows = report.rows.iter().map(|r| access_row(&here, r, true)).collect();
    let filtered = error.is_none() && !get(&q, "expiring").is_empty();
    let t = table(
        "Exam access arrangements",
        &cols,
        rows,
        if filtered {
            "No exam access arrangement has expired, expires within this many days or lacks its dates."
        } else {
            "No exam access arrangements are recorded for any pupil on roll."
        },
    );
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        expiring: String,
        window: i64,
        expired: usize,
        soon: usize,
        not_recorded: usize,
        table: SectionView,
        csv_href: String,
        error: Option<String>,
    }
    let count = |s: &str| report.rows.iter().filter(|r| r.status == s).count();
    let view = V {
        frame: here.frame("Exam access arrangements", "access"),
        expiring: get(&q, "expiring"),
        window: report.window,
        expired: count("expired"),
        soon: count("expires-soon"),
        not_recorded: count("not-recorded"),
        table: t,
        csv_href: format!("/access.csv{}", query_string(&q, &["expiring"])),
        error,
    };
    here.page("access.html.j2", &view)
}

/// `senco access --format csv` with the same `--expiring`, byte for byte.
pub async fn access_csv(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    csv_reply(&app, &session, &q, "access.csv", |h, q| {
        access_report(h, q).map(|r| access::document(&r, h.snap.repo.settings.school.jurisdiction))
    })
}

// ------------------------------------------------------------------ census

/// The census of `senco census` with `term`, `year` and `date` from the query string.
fn census_report(here: &Here, q: &HashMap<String, String>) -> Result<census::Census, Error> {
    let term = match get(q, "term").to_lowercase().as_str() {
        "" => None,
        "autumn" => Some(census::Term::Autumn),
        "spring" => Some(census::Term::Spring),
        "summer" => Some(census::Term::Summer),
        other => {
            return Err(Error::usage(
                format!("`{other}` is not a census"),
                Some("choose autumn, spring or summer, or none for a date".into()),
            ))
        }
    };
    let year = match get(q, "year") {
        y if y.is_empty() => census::academic_year(here.today),
        y => y.parse::<i32>().ok().filter(|y| (1900..=2999).contains(y)).ok_or_else(|| {
            Error::usage(
                format!("`{y}` is not an academic year"),
                Some("give the year it starts in, e.g. 2026 for 2026 to 2027".into()),
            )
        })?,
    };
    let date = match (term, get(q, "date")) {
        (Some(t), _) => census::census_day(t, year),
        (None, d) if d.is_empty() => here.today,
        (None, d) => NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
            Error::usage(format!("`{d}` is not a date"), Some("write it as YYYY-MM-DD, e.g. 2026-10-01".into()))
        })?,
    };
    Ok(census::census(&here.snap.repo, date, term, here.today, false))
}

fn code_words(code: &str) -> &'static str {
    match code {
        "E" => "EHC plan",
        "K" => "SEN support",
        _ => "No SEN provision",
    }
}

pub async fn census_page(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    let here = Here::new(&app, &session);
    let juris = here.snap.repo.settings.school.jurisdiction;
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        england: bool,
        jurisdiction: &'static str,
        heading: String,
        term: String,
        year: String,
        date: String,
        errors: usize,
        notes: usize,
        tables: Vec<SectionView>,
        csv_href: String,
        error: Option<String>,
    }
    let mut view = V {
        frame: here.frame("School census", "census"),
        england: juris == Jurisdiction::England,
        jurisdiction: match juris {
            Jurisdiction::England => "England",
            Jurisdiction::Wales => "Wales",
            Jurisdiction::UsIdea => "the United States (IDEA)",
        },
        heading: String::new(),
        term: get(&q, "term").to_lowercase(),
        year: get(&q, "year"),
        date: get(&q, "date"),
        errors: 0,
        notes: 0,
        tables: vec![],
        csv_href: format!("/census.csv{}", query_string(&q, &["term", "year", "date"])),
        error: None,
    };
    if !view.england {
        return here.page("census.html.j2", &view);
    }
    let c = match census_report(&here, &q) {
        Ok(c) => c,
        Err(e) => {
            view.error = Some(problem(&e));
            return here.page("census.html.j2", &view);
        }
    };
    view.heading = match c.term {
        Some(t) => format!("The {t} census on {}", long(&c.date)),
        None => format!("The census return on {}", long(&c.date)),
    };
    view.errors = c.errors;
    view.notes = c.notes;
    let type_words = |t: &Option<String>| t.as_deref().map(|t| words::need_type(juris, t)).unwrap_or_default();
    let yes = |b: bool| if b { "Yes" } else { "" };
    let rows = c
        .pupils
        .iter()
        .map(|r| {
            let name = if r.name.is_empty() { r.pupil.clone() } else { r.name.clone() };
            vec![
                link(
                    format!("{name}{}", if r.archived { " (left)" } else { "" }),
                    if r.archived { None } else { pupil_link(&here, &r.pupil) },
                ),
                cell(r.year_group.map(|y| views::year_label(juris, y)).unwrap_or_default()),
                cell(r.provision.map(|p| format!("{p}: {}", code_words(p))).unwrap_or_default()),
                cell(type_words(&r.primary_type)),
                cell(type_words(&r.secondary_type)),
                cell(yes(r.sen_unit)),
                cell(yes(r.resourced_provision)),
                cell(r.note.clone().unwrap_or_default()),
                cell(r.error.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let pupils = table(
        "Pupils",
        &[
            ("Pupil", false),
            ("Year", false),
            ("SEN provision", false),
            ("Primary need", false),
            ("Secondary need", false),
            ("SEN unit", false),
            ("Resourced provision", false),
            ("Note", false),
            ("Cannot be coded because", false),
        ],
        rows,
        "No pupils were on roll on the census date.",
    );
    let codes = table(
        "Pupils per SEN provision code",
        &[("SEN provision", false), ("Pupils", true)],
        c.by_provision
            .iter()
            .map(|cc| vec![cell(format!("{}: {}", cc.code, code_words(cc.code))), cell(cc.pupils.to_string())])
            .collect(),
        "None.",
    );
    let types = table(
        "Pupils per type of need (EHC plan and SEN support, coded)",
        &[("Type of need", false), ("Primary", true), ("Secondary", true)],
        c.by_type
            .iter()
            .map(|t| {
                vec![
                    cell(words::need_type(juris, &t.r#type)),
                    cell(t.primary.to_string()),
                    cell(t.secondary.to_string()),
                ]
            })
            .collect(),
        "No pupil at EHC plan or SEN support is coded.",
    );
    view.tables = vec![codes, types, pupils];
    here.page("census.html.j2", &view)
}

/// `senco census --format csv` with the same options, byte for byte (England only).
pub async fn census_csv(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Query(q): Params,
) -> Response {
    csv_reply(&app, &session, &q, "census.csv", |h, q| {
        if h.snap.repo.settings.school.jurisdiction != Jurisdiction::England {
            return Err(Error::usage(
                "the school census SEN return is England's; this school's records follow another jurisdiction's rules",
                Some("the register and the dashboard give counts by level and need".into()),
            ));
        }
        census_report(h, q).map(|c| census::document(&c, false, true, h.snap.repo.settings.school.jurisdiction))
    })
}

// ------------------------------------------------------------------ pupil page and dashboard

/// The pupil page's parts: their provision planned against delivered and
/// their exam access arrangements, each with a link to the full page.
#[derive(Serialize, Default)]
pub struct PupilDuties {
    pub delivery: Option<SectionView>,
    pub delivery_period: String,
    pub delivery_href: String,
    pub access: Option<SectionView>,
    pub access_href: String,
}

pub fn pupil_duties(here: &Here, rec: &PupilRecord) -> PupilDuties {
    let mut out = PupilDuties {
        delivery_href: format!("/delivery?pupil={}", html::url_part(&rec.dir)),
        access_href: "/access".into(),
        ..Default::default()
    };
    let opts = delivery::Options { pupil: Some(rec.dir.clone()), ..Default::default() };
    if let Ok(r) = delivery::query(&here.snap.repo, here.today, &opts) {
        if !r.places.is_empty() {
            out.delivery_period = format!("{}, {} to {}", capitalise(&r.period), long(&r.from), long(&r.to));
            out.delivery = delivery_tables(here, &r, false).pop();
        }
    }
    let rows = access::pupil_rows(rec, here.today, access::DEFAULT_WINDOW);
    if !rows.is_empty() {
        out.access = Some(table(
            "Exam access arrangements",
            ACCESS_COLUMNS,
            rows.iter().map(|r| access_row(here, r, false)).collect(),
            "No exam access arrangements recorded.",
        ));
    }
    out
}

/// The dashboard's line on what `senco training --expiring` and `senco
/// access --expiring` flag: training lapsed or lapsing, arrangements
/// expired, expiring or without dates.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct DutyAlerts {
    pub training_lapsed: usize,
    pub training_lapsing: usize,
    pub training_window: i64,
    pub access_expired: usize,
    pub access_soon: usize,
    pub access_not_recorded: usize,
    pub access_window: i64,
}

pub fn duty_alerts(here: &Here) -> DutyAlerts {
    let repo = &here.snap.repo;
    let t = training::query(repo, here.today, TRAINING_WINDOW, true);
    let a = access::query(repo, here.today, access::DEFAULT_WINDOW, true);
    let n = |s: &str| a.rows.iter().filter(|r| r.status == s).count();
    DutyAlerts {
        training_lapsed: t.rows.iter().filter(|r| r.status == "expired").count(),
        training_lapsing: t.rows.iter().filter(|r| r.status == "expiring").count(),
        training_window: TRAINING_WINDOW,
        access_expired: n("expired"),
        access_soon: n("expires-soon"),
        access_not_recorded: n("not-recorded"),
        access_window: access::DEFAULT_WINDOW,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_leave_out_titles() {
        assert_eq!(initials("Ms R. Patel"), "R. P.");
        assert_eq!(initials("Mr D. Osei"), "D. O.");
        assert_eq!(initials("amara osei"), "A. O.");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn dates_and_days_in_words() {
        assert_eq!(long("2026-09-21"), "21 September 2026");
        assert_eq!(long("soon"), "soon");
        assert_eq!(days_words(-21), "21 days ago");
        assert_eq!(days_words(50), "in 50 days");
        assert_eq!(share_words(Some(0.366)), "37%");
    }
}
