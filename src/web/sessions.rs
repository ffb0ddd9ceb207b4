//! Logging a session delivered (docs/format.md, "delivery/"): the groups and
//! places of the pupils on roll, and one form per place that appends one
//! session to `delivery/<place>/YYYY-MM.yaml` through `edit::delivery` (as
//! a teaching assistant would add it by hand: nothing already there
//! changes). The form carries a fingerprint of the place's folder, so a
//! session logged by someone else since the form was loaded is noticed
//! before a second, possibly duplicate, one is written.

use super::forms::{append_and_save, csrf_ok, csrf_refused, field, fingerprint, read_record};
use super::guard::Session;
use super::html::{self, Frame};
use super::pages::Here;
use super::Shared;
use crate::edit::delivery::{self as delivery_edit, NewSession};
use crate::model::{text, val, Attendance, Intervention};
use crate::query::delivery::place_key;
use crate::repo::PupilRecord;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

type Errors = BTreeMap<String, String>;

/// One place sessions are logged under: a catalogue provision (every pupil
/// with it is in the group) or an intervention of its own.
struct Place<'r> {
    key: String,
    name: String,
    /// Each pupil's place on it, in pupil order.
    members: Vec<(&'r PupilRecord, &'r Intervention)>,
}

fn runs_on(iv: &Intervention, d: NaiveDate) -> bool {
    val(&iv.start).is_some_and(|s| s <= d) && val(&iv.end).is_none_or(|e| d <= e)
}

/// The places of the pupils on roll with a place running on `date`, by key.
fn places(here: &Here, date: NaiveDate) -> BTreeMap<String, Place<'_>> {
    let repo = &here.snap.repo;
    let catalogue = repo.catalogue_by_id();
    let mut out: BTreeMap<String, Place> = BTreeMap::new();
    for rec in &repo.pupils {
        for iv in &rec.interventions {
            let Some(key) = place_key(iv, &catalogue) else { continue };
            if !runs_on(iv, date) || !safe_key(key) {
                continue;
            }
            let name = match catalogue.get(key) {
                Some(p) => text(&p.name).unwrap_or(key).to_string(),
                None => text(&iv.name).unwrap_or(key).to_string(),
            };
            out.entry(key.to_string())
                .or_insert_with(|| Place { key: key.to_string(), name, members: vec![] })
                .members
                .push((rec, iv));
        }
    }
    out
}

/// A place's name as on disk now, for a file's header (the records in
/// memory are as the screen shows them: an intervention's name with its
/// names as initials under `--anonymise`): the catalogue's name of the
/// provision, else the name of the first member's intervention, as
/// [`places`] chooses it; the key when there is none.
fn disk_place_name(here: &Here, place: &Place) -> String {
    let repo = &here.snap.repo;
    let limits = repo.settings.limits;
    let catalogue = crate::repo::read_catalogue(&repo.root, limits);
    // The first of an id used twice, as `Repo::catalogue_by_id`.
    let mut by_id: HashMap<&str, &crate::model::Provision> = HashMap::new();
    for p in &catalogue {
        if let Some(id) = text(&p.id) {
            by_id.entry(id).or_insert(p);
        }
    }
    if let Some(p) = by_id.get(place.key.as_str()) {
        return text(&p.name).unwrap_or(&place.key).to_string();
    }
    for (rec, _) in &place.members {
        let disk = crate::repo::load_pupil_with(&repo.root, "pupils", rec.dir.clone(), false, limits);
        if let Some(iv) = disk.interventions.iter().find(|iv| place_key(iv, &by_id) == Some(place.key.as_str())) {
            return text(&iv.name).unwrap_or(&place.key).to_string();
        }
    }
    place.key.clone()
}

/// A place key that is one plain folder name.
fn safe_key(key: &str) -> bool {
    !key.is_empty() && !key.starts_with('.') && key.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The fingerprint of everything logged for a place: every file's name and bytes.
fn folder_fingerprint(here: &Here, key: &str) -> String {
    let dir = here.snap.repo.root.join("delivery").join(key);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    let mut all = Vec::new();
    for n in names.iter().filter(|n| !n.starts_with('.')) {
        all.extend_from_slice(n.as_bytes());
        all.push(0);
        if let Ok(Some(bytes)) = read_record(here, &format!("delivery/{key}/{n}")) {
            all.extend_from_slice(&fingerprint(&bytes).into_bytes());
        }
        all.push(0);
    }
    fingerprint(&all)
}

// ------------------------------------------------------------------ the list of places

pub async fn sessions(State(app): State<Shared>, Extension(session): Extension<Session>) -> Response {
    let here = Here::new(&app, &session);
    let places = places(&here, here.today);
    let staff = staff_names(&here);
    #[derive(Serialize)]
    struct Row {
        name: String,
        staff: String,
        pupils: usize,
        href: String,
        logged: String,
    }
    let repo = &here.snap.repo;
    let rows: Vec<Row> = places
        .values()
        .map(|p| {
            let mut who: Vec<String> =
                p.members.iter().filter_map(|(_, iv)| text(&iv.staff)).map(|s| name_of(&staff, s)).collect();
            who.sort();
            who.dedup();
            let last = repo
                .delivery
                .iter()
                .filter(|f| f.place == p.key)
                .flat_map(|f| f.sessions.iter())
                .filter_map(|s| val(&s.date))
                .max();
            Row {
                name: p.name.clone(),
                staff: who.join(", "),
                pupils: p.members.len(),
                href: format!("/sessions/{}", html::url_part(&p.key)),
                logged: last.map(|d| d.to_string()).unwrap_or_else(|| "none yet".into()),
            }
        })
        .collect();
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        rows: Vec<Row>,
        can_write: bool,
    }
    let view = V { frame: here.frame("Sessions delivered", "sessions"), rows, can_write: !app.opts.readonly };
    here.page("sessions.html.j2", &view)
}

fn staff_names(here: &Here) -> HashMap<String, String> {
    here.snap
        .repo
        .staff
        .iter()
        .filter_map(|s| Some((text(&s.id)?.to_string(), text(&s.name).unwrap_or("").to_string())))
        .collect()
}

fn name_of(staff: &HashMap<String, String>, id: &str) -> String {
    staff.get(id).filter(|n| !n.is_empty()).cloned().unwrap_or_else(|| id.to_string())
}

// ------------------------------------------------------------------ the form

#[derive(Serialize)]
struct PupilRow {
    id: String,
    name: String,
    /// The member of staff of the pupil's place.
    staff: String,
    field: String,
    reason_field: String,
    status: String,
    reason: String,
}

#[derive(Serialize, Default)]
struct Values {
    date: String,
    minutes: String,
    staff: String,
    cancelled: String,
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    here: &Here,
    key: &str,
    values: Values,
    typed: Option<&[(String, String)]>,
    hash: Option<String>,
    errors: Errors,
    saved: bool,
    status: StatusCode,
) -> Response {
    let date = crate::repo::decode::parse_date(&values.date).unwrap_or(here.today);
    let all = places(here, date);
    let Some(place) = all.get(key) else {
        return here.not_found("group or intervention with sessions on this date");
    };
    let staff = staff_names(here);
    let chosen = values.staff.clone();
    let rows = place
        .members
        .iter()
        .map(|(rec, iv)| {
            let id = rec.dir.clone();
            let name = format!("att-{id}");
            let reason_name = format!("reason-{id}");
            let ivs = text(&iv.staff).unwrap_or("");
            let default = if chosen.is_empty() || ivs.is_empty() || ivs == chosen { "attended" } else { "" };
            let status = match typed {
                Some(f) => field(f, &name),
                None => default.to_string(),
            };
            PupilRow {
                name: rec.pupil.as_ref().map(|p| p.display_name()).filter(|n| !n.is_empty()).unwrap_or(id.clone()),
                staff: if ivs.is_empty() { String::new() } else { name_of(&staff, ivs) },
                reason: typed.map(|f| field(f, &reason_name)).unwrap_or_default(),
                id,
                field: name,
                reason_field: reason_name,
                status,
            }
        })
        .collect::<Vec<_>>();
    let mut staff_options = vec![(String::new(), "Not recorded".to_string())];
    let mut ids: Vec<(String, String)> = staff.keys().map(|id| (id.clone(), name_of(&staff, id))).collect();
    ids.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    staff_options.extend(ids);
    let statuses = vec![
        ("attended".to_string(), "Attended".to_string()),
        ("absent".to_string(), "Absent".to_string()),
        ("cancelled".to_string(), "Missed: session cancelled for them".to_string()),
        (String::new(), "Not in this session".to_string()),
    ];
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        name: String,
        values: Values,
        pupils: Vec<PupilRow>,
        staff: Vec<(String, String)>,
        statuses: Vec<(String, String)>,
        errors: Errors,
        hash: String,
        action: String,
        saved: bool,
        can_write: bool,
    }
    let view = V {
        frame: here.frame(format!("Log a session: {}", place.name), "sessions"),
        name: place.name.clone(),
        values,
        pupils: rows,
        staff: staff_options,
        statuses,
        errors,
        hash: hash.unwrap_or_else(|| folder_fingerprint(here, key)),
        action: format!("/sessions/{}", html::url_part(key)),
        saved,
        can_write: !here.app.opts.readonly,
    };
    here.page_status(status, "session.html.j2", &view)
}

/// The staff member most of the place's pupils have (the form's default).
fn usual_staff(here: &Here, key: &str) -> String {
    let all = places(here, here.today);
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, iv) in all.get(key).map_or(&[][..], |p| p.members.as_slice()) {
        if let Some(s) = text(&iv.staff) {
            *count.entry(s).or_insert(0) += 1;
        }
    }
    count.into_iter().max_by_key(|(s, n)| (*n, std::cmp::Reverse(*s))).map(|(s, _)| s.to_string()).unwrap_or_default()
}

pub async fn session_form(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(key): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let here = Here::new(&app, &session);
    if app.opts.readonly {
        return here.message(StatusCode::FORBIDDEN, "Read-only", vec!["senco serve runs read-only here.".into()]);
    }
    let values = Values { date: here.today.to_string(), staff: usual_staff(&here, &key), ..Default::default() };
    let saved = q.get("saved").is_some_and(|s| s == "1");
    form_page(&here, &key, values, None, None, Errors::new(), saved, StatusCode::OK)
}

pub async fn session_post(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(key): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let here = Here::new(&app, &session);
    if !csrf_ok(&session, &f) {
        return csrf_refused(&here);
    }
    let values = Values {
        date: field(&f, "date"),
        minutes: field(&f, "minutes"),
        staff: field(&f, "staff"),
        cancelled: field(&f, "cancelled"),
    };
    let mut errors = super::forms::field_errors(&f);
    let date = match crate::repo::decode::parse_date(&values.date) {
        Ok(d) if d > here.today => {
            errors.insert("date".into(), format!("{d} is after today: log a session once it has happened."));
            None
        }
        Ok(d) => Some(d),
        Err(why) if !values.date.is_empty() => {
            errors.insert("date".into(), format!("`{}` is not a date: {why}.", values.date));
            None
        }
        Err(_) => {
            errors.insert("date".into(), "Enter the day of the session, as YYYY-MM-DD.".into());
            None
        }
    };
    let day = date.unwrap_or(here.today);
    let all = places(&here, day);
    let Some(place) = all.get(&key) else {
        if date.is_some() && places(&here, here.today).contains_key(&key) {
            errors.insert("date".into(), "None of this group's pupils had a place on it on that day.".into());
            let values = Values { date: here.today.to_string(), ..values };
            return form_page(&here, &key, values, Some(&f), None, errors, false, StatusCode::UNPROCESSABLE_ENTITY);
        }
        return here.not_found("group or intervention with sessions on this date");
    };
    let minutes = match values.minutes.as_str() {
        "" => None,
        m => match m.parse::<u32>() {
            Ok(n) if (1..=600).contains(&n) => Some(n),
            _ => {
                errors.insert("minutes".into(), "Enter the session's length in whole minutes, e.g. 20.".into());
                None
            }
        },
    };
    let staff = staff_names(&here);
    if !values.staff.is_empty() && !staff.contains_key(&values.staff) {
        errors.insert("staff".into(), "Choose who ran the session from the list.".into());
    }
    let mut pupils = Vec::new();
    for (rec, _) in &place.members {
        let status = field(&f, &format!("att-{}", rec.dir));
        let reason = field(&f, &format!("reason-{}", rec.dir));
        if reason.chars().any(char::is_control) {
            errors.insert(format!("reason-{}", rec.dir), "The reason cannot hold line breaks.".into());
        }
        match status.as_str() {
            "" => {}
            s => match Attendance::parse(s) {
                Some(a) => pupils.push((rec.dir.clone(), a, (!reason.is_empty()).then_some(reason))),
                None => {
                    errors.insert(format!("att-{}", rec.dir), "Choose attended, absent or cancelled.".into());
                }
            },
        }
    }
    if values.cancelled.chars().any(char::is_control) {
        errors.insert("cancelled".into(), "The reason cannot hold line breaks.".into());
    }
    let cancelled = (!values.cancelled.is_empty()).then(|| values.cancelled.clone());
    if cancelled.is_none() && pupils.is_empty() && !errors.keys().any(|k| k.starts_with("att-")) {
        errors.insert(
            "pupils".into(),
            "Say for at least one pupil whether they attended, or give the reason the session did not run.".into(),
        );
    }
    // The same session twice is almost always a double click or two people logging it.
    if let Some(d) = date {
        let same = here
            .snap
            .repo
            .delivery
            .iter()
            .filter(|f| f.place == key)
            .flat_map(|f| f.sessions.iter())
            .any(|s| val(&s.date) == Some(d) && text(&s.staff).unwrap_or("") == values.staff.as_str());
        if same {
            errors.insert(
                "date".into(),
                format!(
                    "A session of this group on {d}{} is already logged.",
                    match values.staff.as_str() {
                        "" => String::new(),
                        s => format!(" run by {}", name_of(&staff, s)),
                    }
                ),
            );
        }
    }
    let hash = field(&f, "hash");
    if !errors.is_empty() {
        return form_page(&here, &key, values, Some(&f), Some(hash), errors, false, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let Some(date) = date else { return here.not_found("session") };
    if folder_fingerprint(&here, &key) != hash {
        errors.insert(
            "form".into(),
            "Sessions of this group were logged or changed on disk after you opened this form (by someone else, or in \
             an editor), so nothing was saved. What you typed is kept below: check the sessions already logged, then \
             save again."
                .into(),
        );
        return form_page(&here, &key, values, Some(&f), None, errors, false, StatusCode::CONFLICT);
    }
    let rel = format!("delivery/{key}/{:04}-{:02}.yaml", date.year(), date.month());
    let new_session = NewSession {
        date,
        minutes,
        staff: (!values.staff.is_empty()).then(|| values.staff.clone()),
        pupils: if cancelled.is_some() { vec![] } else { pupils },
        cancelled,
    };
    let what = if new_session.cancelled.is_some() { "Session cancelled" } else { "Session delivered" };
    // The name as on disk for the file; in the commit message, as the screen shows it.
    let name = disk_place_name(&here, place);
    let message = format!("{what}: {} on {date}", app.live.shown(&name));
    let header = || delivery_edit::new_file_header(&name);
    let append = |base: &str| delivery_edit::append(base, &new_session);
    if let Err((status, why)) = append_and_save(&app, &here, &rel, header, append, "session", &message) {
        errors.insert("form".into(), why);
        return form_page(&here, &key, values, Some(&f), None, errors, false, status);
    }
    Redirect::to(&format!("/sessions/{}?saved=1", html::url_part(&key))).into_response()
}
