//! The forms: prepare a review (as `senco new-review`), record its outcome,
//! add a pupil (as `senco new-pupil`). Every write goes through `edit`
//! (atomic, all or nothing, surgical), after the CSRF token is checked; an
//! outcome is refused when the review file changed since the form was
//! loaded (its hash rides in the form), and every refusal keeps what was
//! typed and says next to the field what is wrong.

use super::guard::{same_secret, Session};
use super::html::{self, url_part, Frame};
use super::pages::{pupil_href, Here, Refill};
use super::Shared;
use crate::edit::batch::Batch;
use crate::edit::log::AppendError;
use crate::edit::outcome::{self, NewAction, Outcome};
use crate::edit::review::{self as review_edit, NewReview};
use crate::edit::scaffold;
use crate::error::Error;
use crate::model::{text, val, Level, Review, ReviewKind, Status};
use crate::repo::decode::{parse_date, Cx, Decode};
use crate::repo::PupilRecord;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

type Fields = Form<Vec<(String, String)>>;
type Errors = BTreeMap<String, String>;

/// Why a text shown in part hidden (names as initials under `--anonymise`,
/// a UPN always) was not changed.
const MASKED_REFUSED: &str =
    "Part of this text is hidden on this screen (a name under --anonymise, or a UPN), so it cannot be changed here.";

/// The longest value a form field takes, in characters: a long meeting note
/// fits; a pasted document does not (the record file would outgrow what
/// senco reads).
pub(super) const MAX_FIELD_CHARS: usize = 20_000;

/// The problems of a form's values that no field's own check looks for: text
/// that did not arrive as UTF-8 (the browser's bytes were not text) and
/// values too long for a record. Each by its field's name, so the error
/// shows next to the field.
pub(super) fn field_errors(f: &[(String, String)]) -> Errors {
    let mut errors = Errors::new();
    for (k, v) in f {
        if v.contains('\u{fffd}') {
            errors.insert(k.clone(), "This holds characters that did not arrive as text; type it again.".into());
        } else if v.chars().count() > MAX_FIELD_CHARS {
            errors.insert(
                k.clone(),
                format!("This is too long: at most {MAX_FIELD_CHARS} characters (it has {}).", v.chars().count()),
            );
        }
    }
    errors
}

/// The value of a form field (the last, trimmed; absent is empty).
pub(super) fn field(f: &[(String, String)], name: &str) -> String {
    // A browser sends a text box's line breaks as CR LF: the records keep LF.
    f.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().replace("\r\n", "\n").replace('\r', "\n"))
        .unwrap_or_default()
}

/// A form whose CSRF token is missing or wrong changes nothing.
pub(super) fn csrf_ok(session: &Session, f: &[(String, String)]) -> bool {
    let given = field(f, "csrf");
    !given.is_empty() && same_secret(&given, &session.csrf)
}

pub(super) fn csrf_refused(here: &Here) -> Response {
    here.message(
        StatusCode::FORBIDDEN,
        "Nothing was saved",
        vec!["This form's security token is missing or out of date (the page may be old, or come from another site). \
              Open the form again and resend it."
            .into()],
    )
}

/// The start of every pupil form's POST: the CSRF token checked, then the
/// pupil on roll found; `Err` is the refusal to send back (nothing changes).
// The refusal is the response itself, built once per request: boxing it gains nothing.
#[allow(clippy::result_large_err)]
fn posted_for<'h>(
    here: &'h Here,
    session: &Session,
    f: &[(String, String)],
    id: &str,
) -> Result<&'h PupilRecord, Response> {
    if !csrf_ok(session, f) {
        return Err(csrf_refused(here));
    }
    here.pupil(id).ok_or_else(|| here.not_found("pupil with this id on roll"))
}

/// A file a form writes: its path, its bytes as read (`None`: a new file)
/// and its new bytes.
pub(super) type Write = (String, Option<Vec<u8>>, Vec<u8>);

/// Writes a form's files through one batch (the writers' lock, the journal,
/// compare-before-replace, every file read back), then tells the live view
/// what changed (`touched`, else the files written) and commits the files
/// with `message` when serve commits. `Err`: the message for the form, with
/// nothing written.
pub(super) fn save(
    app: &Shared,
    here: &Here,
    writes: Vec<Write>,
    touched: Option<&str>,
    message: &str,
) -> Result<(), String> {
    // Never write a file senco would then refuse to read.
    let limit = here.snap.repo.settings.limits.max_file_bytes();
    if let Some((rel, _, new)) = writes.iter().find(|(_, _, new)| new.len() as u64 > limit) {
        return Err(format!(
            "Saving this would make `{rel}` {} KB, more than senco reads ({} KB, `[limits] max_file_kb` in \
             senco.toml), so nothing was saved. Shorten what you typed, or start a new file for older entries.",
            new.len().div_ceil(1024),
            limit / 1024
        ));
    }
    let mut batch = Batch::new(&here.snap.repo.root);
    batch.set_command("serve");
    let written: Vec<String> = writes.iter().map(|(rel, _, _)| rel.clone()).collect();
    for (rel, old, new) in writes {
        match old {
            Some(old) => batch.change(rel, old, new),
            None => batch.create(rel, new),
        }
    }
    batch.apply().map_err(|e| write_error(&e))?;
    match touched {
        Some(t) => app.live.touched(&[t.to_string()]),
        None => app.live.touched(&written),
    }
    app.committed(&written, message);
    Ok(())
}

/// Adds one item to `rel`, a file that only grows (a pupil's log, a month of
/// delivered sessions; `crate::edit::log::append_item`): the file as read
/// now, or `header` when there is none, with `append` applied, then saved
/// as [`save`] does. `noun` names the item in a message. `Err`: the status
/// and the message for the form; nothing was written.
pub(super) fn append_and_save(
    app: &Shared,
    here: &Here,
    rel: &str,
    header: impl FnOnce() -> String,
    append: impl FnOnce(&str) -> Result<String, AppendError>,
    noun: &str,
    message: &str,
) -> Result<(), (StatusCode, String)> {
    let refused = |why: String| (StatusCode::UNPROCESSABLE_ENTITY, why);
    let old = match read_record(here, rel) {
        Ok(Some(bytes)) => Some(
            String::from_utf8(bytes)
                .map_err(|_| refused(format!("`{rel}` is not UTF-8 text, so senco will not add to it.")))?,
        ),
        Ok(None) => None,
        Err(why) => return Err(refused(format!("{why}. Nothing was saved."))),
    };
    let base = old.clone().unwrap_or_else(header);
    let new = append(&base).map_err(|e| {
        refused(match e {
            AppendError::Shape => format!(
                "`{rel}` is not written as a list of `- date: ...` entries (a flow list, `[...]`, is not added to), \
                 so senco cannot add to it safely."
            ),
            AppendError::ReadBack(why) => format!("The {noun} would not read back ({why}); nothing was written."),
        })
    })?;
    save(app, here, vec![(rel.to_string(), old.map(String::into_bytes), new.into_bytes())], None, message)
        .map_err(|why| (StatusCode::CONFLICT, why))
}

/// The fingerprint of a pupil's `log.yaml` as on disk now: `absent` when
/// there is none, empty when it cannot be read (no form matches that).
pub fn log_fingerprint(here: &Here, rec: &PupilRecord) -> String {
    match read_record(here, &rec.file("log.yaml")) {
        Ok(Some(bytes)) => fingerprint(&bytes),
        Ok(None) => "absent".into(),
        Err(_) => String::new(),
    }
}

/// A short fingerprint of a file's bytes, to notice a change since a form was loaded.
pub fn fingerprint(bytes: &[u8]) -> String {
    // FNV-1a, 64 bits, and the length: enough to notice any edit.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}-{}", bytes.len())
}

fn date_field(f: &[(String, String)], name: &str, errors: &mut Errors, required: bool) -> Option<chrono::NaiveDate> {
    let v = field(f, name);
    if v.is_empty() {
        if required {
            errors.insert(name.into(), "Enter a date, as YYYY-MM-DD.".into());
        }
        return None;
    }
    match parse_date(&v) {
        Ok(d) => Some(d),
        Err(why) => {
            errors.insert(name.into(), format!("`{v}` is not a date: {why}."));
            None
        }
    }
}

/// A record file's bytes through the loader's bounded reader (regular files
/// inside the repository, within `[limits] max_file_kb`, never a blocking
/// open): `Ok(None)` when absent, the reason when refused.
pub fn read_record(here: &Here, rel: &str) -> Result<Option<Vec<u8>>, String> {
    let repo = &here.snap.repo;
    crate::repo::read::read_record(&repo.root, rel, repo.settings.limits).map_err(|f| f.message.clone())
}

/// One pupil folder as on disk now (not as anonymised for the screen), read
/// with the school's limits.
fn disk_pupil(here: &Here, dir: &str) -> PupilRecord {
    let repo = &here.snap.repo;
    crate::repo::load_pupil_with(&repo.root, "pupils", dir.to_string(), false, repo.settings.limits)
}

/// A form's errors as the screen shows them: a refusal may quote a file's
/// path, and so the pupil's folder, which `--anonymise` hides.
fn shown_errors(here: &Here, mut errors: Errors) -> Errors {
    errors.values_mut().for_each(|e| *e = here.hide_ids(e));
    errors
}

/// The pupil's name as on disk, for a file's header (the folder's name when
/// their pupil.yaml cannot be read); never for the screen ([`Here::pupil_title`]).
fn pupil_name(rec: &PupilRecord) -> String {
    rec.pupil.as_ref().map(|p| p.display_name()).filter(|n| !n.is_empty()).unwrap_or_else(|| rec.dir.clone())
}

// ------------------------------------------------------------------ prepare a review

#[derive(Serialize, Default)]
struct ReviewValues {
    date: String,
    kind: String,
    slug: String,
}

fn new_review_page(here: &Here, id: &str, values: ReviewValues, errors: Errors, status: StatusCode) -> Response {
    let Some(rec) = here.pupil(id) else { return here.not_found("pupil with this id on roll") };
    let errors = shown_errors(here, errors);
    let kinds = ReviewKind::ALL.iter().map(|k| (k.as_str().to_string(), capital(k.as_str()))).collect::<Vec<_>>();
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        name: String,
        values: ReviewValues,
        kinds: Vec<(String, String)>,
        errors: Errors,
        action: String,
        back: String,
    }
    let name = here.pupil_title(rec);
    let view = V {
        frame: here.frame(format!("Prepare a review for {name}"), "register"),
        name,
        values,
        kinds,
        errors,
        action: format!("{}/review/new", pupil_href(&rec.dir)),
        back: pupil_href(&rec.dir),
    };
    here.page_status(status, "new-review.html.j2", &view)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect::<String>().replace('-', " ")).unwrap_or_default()
}

pub async fn new_review_form(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Response {
    let here = Here::new(&app, &session);
    if app.opts.readonly {
        return here.message(StatusCode::FORBIDDEN, "Read-only", vec!["senco serve runs read-only here.".into()]);
    }
    let Some(rec) = here.pupil(&id) else { return here.not_found("pupil with this id on roll") };
    let kind = review_edit::default_kind(rec.pupil.as_ref().and_then(|p| p.level()));
    let values = ReviewValues { date: here.today.to_string(), kind: kind.as_str().to_string(), slug: String::new() };
    new_review_page(&here, &id, values, Errors::new(), StatusCode::OK)
}

fn valid_slug(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

pub async fn new_review_post(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Response {
    let here = Here::new(&app, &session);
    let snap_rec = match posted_for(&here, &session, &f, &id) {
        Ok(rec) => rec,
        Err(refused) => return refused,
    };
    let values = ReviewValues { date: field(&f, "date"), kind: field(&f, "kind"), slug: field(&f, "slug") };
    let mut errors = field_errors(&f);
    let date = date_field(&f, "date", &mut errors, true);
    let kind = ReviewKind::parse(&values.kind);
    if kind.is_none() {
        errors.insert("kind".into(), "Choose the kind of review.".into());
    }
    if !values.slug.is_empty() && !valid_slug(&values.slug) {
        errors.insert("slug".into(), "Use lowercase letters, digits and -, e.g. interim.".into());
    }
    // The pupil as on disk now (not as anonymised for the screen).
    let repo = &here.snap.repo;
    let rec = disk_pupil(&here, &snap_rec.dir);
    if rec.pupil.is_none() || rec.is_broken("targets.yaml") {
        errors.insert(
            "form".into(),
            "This pupil's pupil.yaml or targets.yaml could not be read, so the review cannot be prepared from them. \
             The pupil's page shows what is wrong."
                .into(),
        );
    }
    let (Some(date), Some(kind), true) = (date, kind, errors.is_empty()) else {
        return new_review_page(&here, &id, values, errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let stem = if values.slug.is_empty() { date.to_string() } else { format!("{date}-{}", values.slug) };
    let rel = format!("{}/reviews/{stem}.yaml", rec.rel);
    if repo.root.join(&rel).exists() {
        errors.insert(
            "slug".into(),
            format!("A review for {date} is already recorded. Open it from the pupil's page, or give this one a short name."),
        );
        return new_review_page(&here, &id, values, errors, StatusCode::CONFLICT);
    }
    // The key worker's name as on disk too.
    let staff = crate::repo::read_staff(&repo.root, repo.settings.limits);
    let text = review_edit::review_text(&NewReview {
        settings: &repo.settings,
        staff: &staff,
        rec: &rec,
        date,
        kind,
        today: here.today,
    });
    let mut cx = Cx::new(&rel);
    let node = crate::repo::yaml::parse(&text).ok().flatten();
    if node.as_ref().and_then(|n| Review::decode(n, &mut cx)).is_none() || !cx.findings.is_empty() {
        errors.insert(
            "form".into(),
            "senco prepared a review it cannot read back; nothing was written. This is a bug in senco.".into(),
        );
        return new_review_page(&here, &id, values, errors, StatusCode::INTERNAL_SERVER_ERROR);
    }
    let message = format!("Review prepared for {}: {} review on {date}", commit_name(&here, &rec), kind.as_str());
    if let Err(why) = save(&app, &here, vec![(rel, None, text.into_bytes())], None, &message) {
        errors.insert("form".into(), why);
        return new_review_page(&here, &id, values, errors, StatusCode::CONFLICT);
    }
    Redirect::to(&format!("{}/review/{}?saved=prepared", pupil_href(&rec.dir), url_part(&stem))).into_response()
}

/// The date a review's file name starts with.
fn stem_date(stem: &str) -> &str {
    stem.get(..10).unwrap_or(stem)
}

pub(super) fn write_error(e: &Error) -> String {
    match e.hint() {
        Some(h) => format!("Nothing was saved: {e} ({h})"),
        None => format!("Nothing was saved: {e}"),
    }
}

// ------------------------------------------------------------------ record the outcome

#[derive(Serialize)]
struct TargetRow {
    id: String,
    label: String,
    outcome: String,
    progress: String,
    note: String,
    progress_name: String,
    note_name: String,
}

#[allow(clippy::too_many_arguments)]
fn outcome_page(
    here: &Here,
    id: &str,
    stem: &str,
    typed: Option<&[(String, String)]>,
    hash: Option<String>,
    errors: Errors,
    saved: Option<String>,
    status: StatusCode,
) -> Response {
    let Some(rec) = here.pupil(id) else { return here.not_found("pupil with this id on roll") };
    let rel = format!("{}/reviews/{stem}.yaml", rec.rel);
    if !valid_stem(stem) {
        return here.not_found("review with this date");
    }
    let raw = match read_record(here, &rel) {
        Ok(Some(raw)) => raw,
        Ok(None) => return here.not_found("review with this date"),
        Err(why) => return here.message(StatusCode::UNPROCESSABLE_ENTITY, "This review cannot be opened", vec![why]),
    };
    let hash = hash.unwrap_or_else(|| fingerprint(&raw));
    let src = String::from_utf8_lossy(&raw).into_owned();
    let mut cx = Cx::new(&rel);
    let review = crate::repo::yaml::parse(crate::edit::surgical::split_bom(&src).1)
        .ok()
        .flatten()
        .and_then(|n| Review::decode(&n, &mut cx));
    let Some(review) = review else {
        return here.message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This review could not be read",
            vec![format!(
                "`{rel}` has a problem, so it cannot be filled in here. The Problems page shows where it is."
            )],
        );
    };
    let get = |name: &str, current: String| match typed {
        Some(t) => field(t, name),
        None => current,
    };
    // A current text shown in part hidden (a UPN; names as initials under
    // `--anonymise`) cannot be changed here (what was typed over it would
    // lose what is hidden); saving it as shown keeps it on disk
    // (`Live::unchanged`).
    let masked = std::cell::RefCell::new(Vec::<String>::new());
    let shown_as = |name: &str, v: &Option<crate::repo::decode::Spanned<String>>| {
        let disk = text(v).unwrap_or("");
        let shown = here.app.live.shown(disk);
        if shown != disk {
            masked.borrow_mut().push(name.to_string());
        }
        shown
    };
    let targets: Vec<TargetRow> = review
        .targets
        .iter()
        .flatten()
        .filter_map(|t| text(&t.target).map(|tid| (tid.to_string(), t)))
        .map(|(tid, t)| {
            let full = rec.targets.iter().find(|x| text(&x.id) == Some(tid.as_str()));
            let outcome = full.and_then(|x| text(&x.outcome)).unwrap_or("").to_string();
            let label = format!("Target {tid}");
            TargetRow {
                progress: get(
                    &format!("progress-{tid}"),
                    val(&t.progress).map(|p| p.as_str().to_string()).unwrap_or_default(),
                ),
                note: get(&format!("note-{tid}"), shown_as(&format!("note-{tid}"), &t.note)),
                progress_name: format!("progress-{tid}"),
                note_name: format!("note-{tid}"),
                id: tid,
                label,
                outcome,
            }
        })
        .collect();
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    values.insert("pupil_voice".into(), get("pupil_voice", shown_as("pupil_voice", &review.pupil_voice)));
    values.insert("parent_voice".into(), get("parent_voice", shown_as("parent_voice", &review.parent_voice)));
    values.insert(
        "next_review".into(),
        get("next_review", val(&review.next_review).map(|d| d.to_string()).unwrap_or_default()),
    );
    for i in 1..=3 {
        for k in ["action", "owner", "due"] {
            let name = format!("{k}{i}");
            values.insert(name.clone(), typed.map(|t| field(t, &name)).unwrap_or_default());
        }
    }
    let mut progress_options = vec![(String::new(), "Not rated yet".to_string())];
    progress_options.extend(
        Status::ALL.iter().map(|s| (s.as_str().to_string(), crate::render::views::status_label(*s).to_string())),
    );
    let date = val(&review.date).map(|d| d.to_string()).unwrap_or_else(|| stem.to_string());
    let kind = val(&review.kind).map(|k| k.as_str()).unwrap_or("review");
    let name = here.pupil_title(rec);
    let errors = shown_errors(here, errors);
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        heading: String,
        saved: Option<String>,
        errors: Errors,
        can_write: bool,
        action: String,
        back: String,
        hash: String,
        targets: Vec<TargetRow>,
        progress_options: Vec<(String, String)>,
        values: BTreeMap<String, String>,
        masked: Vec<String>,
        masked_hint: &'static str,
        doc: Option<html::DocView>,
    }
    let heading = format!("{} review for {name}, {date}", capital(kind));
    let view = V {
        frame: here.frame(heading.clone(), "register"),
        heading,
        saved,
        errors,
        can_write: !here.app.opts.readonly,
        action: format!("{}/review/{}", pupil_href(&rec.dir), url_part(stem)),
        back: pupil_href(&rec.dir),
        hash,
        targets,
        progress_options,
        values,
        masked: masked.into_inner(),
        masked_hint: "Part of this text is hidden on this screen (a name under --anonymise, or a UPN), so it cannot be changed here.",
        doc: None,
    };
    here.page_status(status, "outcome.html.j2", &view)
}

/// A review file's stem: a date and an optional slug, nothing that leaves the folder.
fn valid_stem(stem: &str) -> bool {
    stem.len() >= 10
        && stem.len() <= 60
        && stem.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && parse_date(&stem[..10]).is_ok()
}

pub async fn outcome_form(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path((id, stem)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let here = Here::new(&app, &session);
    let saved = match q.get("saved").map(String::as_str) {
        Some("prepared") => Some("The review is prepared. Fill in what the meeting decided and save.".to_string()),
        Some("outcome") => Some("Saved. The review record on disk now holds these values.".to_string()),
        _ => None,
    };
    outcome_page(&here, &id, &stem, None, None, Errors::new(), saved, StatusCode::OK)
}

pub async fn outcome_post(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path((id, stem)): Path<(String, String)>,
    Form(f): Fields,
) -> Response {
    let here = Here::new(&app, &session);
    let rec = match posted_for(&here, &session, &f, &id) {
        Ok(rec) => rec,
        Err(refused) => return refused,
    };
    if !valid_stem(&stem) {
        return here.not_found("review with this date");
    }
    let rel = format!("{}/reviews/{stem}.yaml", rec.rel);
    let raw = match read_record(&here, &rel) {
        Ok(Some(raw)) => raw,
        Ok(None) => return here.not_found("review with this date"),
        Err(why) => return here.message(StatusCode::UNPROCESSABLE_ENTITY, "This review cannot be opened", vec![why]),
    };
    let now = fingerprint(&raw);
    let mut errors = field_errors(&f);
    if field(&f, "hash") != now {
        errors.insert(
            "form".into(),
            "This review was changed on disk after you opened this form (by someone else, or in an editor), so nothing \
             was saved. What you typed is kept below: check the record, then save again to write it over the change."
                .into(),
        );
        return outcome_page(&here, &id, &stem, Some(&f), Some(now), errors, None, StatusCode::CONFLICT);
    }
    let Ok(src) = String::from_utf8(raw.clone()) else {
        errors.insert("form".into(), format!("`{rel}` is not UTF-8 text, so senco will not edit it."));
        return outcome_page(&here, &id, &stem, Some(&f), None, errors, None, StatusCode::UNPROCESSABLE_ENTITY);
    };
    // The current values, so only what the form changed is written.
    let mut cx = Cx::new(&rel);
    let review = crate::repo::yaml::parse(crate::edit::surgical::split_bom(&src).1)
        .ok()
        .flatten()
        .and_then(|n| Review::decode(&n, &mut cx))
        .unwrap_or_default();
    let mut o = Outcome::default();
    for t in review.targets.iter().flatten() {
        let Some(tid) = text(&t.target) else { continue };
        let p = field(&f, &format!("progress-{tid}"));
        let n = field(&f, &format!("note-{tid}"));
        let cur_p = val(&t.progress).map(|s| s.as_str().to_string()).unwrap_or_default();
        let cur_n = text(&t.note).unwrap_or("").to_string();
        if !p.is_empty() && Status::parse(&p).is_none() {
            errors.insert(format!("progress-{tid}"), format!("`{p}` is not a target progress word."));
        }
        let progress = (!p.is_empty() && p != cur_p).then_some(p);
        let note = (!n.is_empty() && !app.live.unchanged(&n, &cur_n)).then_some(n);
        if note.is_some() && app.live.shown(&cur_n) != cur_n {
            errors.insert(format!("note-{tid}"), MASKED_REFUSED.into());
        }
        if progress.is_some() || note.is_some() {
            o.ratings.push((tid.to_string(), progress, note));
        }
    }
    for (key, cur) in [("pupil_voice", text(&review.pupil_voice)), ("parent_voice", text(&review.parent_voice))] {
        let v = field(&f, key);
        if !v.is_empty() && !app.live.unchanged(&v, cur.unwrap_or("")) {
            if cur.is_some_and(|c| app.live.shown(c) != c) {
                errors.insert(key.into(), MASKED_REFUSED.into());
            }
            if key == "pupil_voice" {
                o.pupil_voice = Some(v);
            } else {
                o.parent_voice = Some(v);
            }
        }
    }
    if let Some(d) = date_field(&f, "next_review", &mut errors, false) {
        if Some(d) != val(&review.next_review) {
            o.next_review = Some(d);
        }
    }
    for i in 1..=3 {
        let (a, owner) = (field(&f, &format!("action{i}")), field(&f, &format!("owner{i}")));
        let due = date_field(&f, &format!("due{i}"), &mut errors, false);
        let any = !a.is_empty() || !owner.is_empty() || !field(&f, &format!("due{i}")).is_empty();
        if any && a.is_empty() {
            errors.insert(format!("action{i}"), "Say what the action is (or clear its other fields).".into());
        }
        if !a.is_empty() {
            o.actions.push(NewAction { action: a, owner: (!owner.is_empty()).then_some(owner), due });
        }
    }
    if !errors.is_empty() {
        return outcome_page(&here, &id, &stem, Some(&f), Some(now), errors, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if o == Outcome::default() {
        return Redirect::to(&format!("{}/review/{}?saved=outcome", pupil_href(&rec.dir), url_part(&stem)))
            .into_response();
    }
    let new = match outcome::apply(&src, &o) {
        Ok(t) => t,
        Err(why) => {
            errors.insert("form".into(), format!("senco will not edit `{rel}`: {why}. Nothing was saved."));
            return outcome_page(
                &here,
                &id,
                &stem,
                Some(&f),
                Some(now),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    // What is written must read back without a finding it did not have.
    let mut after = Cx::new(&rel);
    let ok = crate::repo::yaml::parse(crate::edit::surgical::split_bom(&new).1)
        .ok()
        .flatten()
        .and_then(|n| Review::decode(&n, &mut after))
        .is_some();
    if !ok || after.findings.len() > cx.findings.len() {
        let why = after.findings.first().map(|f| f.message.clone()).unwrap_or_else(|| "it does not read back".into());
        errors
            .insert("form".into(), format!("The change would make the review unreadable ({why}). Nothing was saved."));
        return outcome_page(&here, &id, &stem, Some(&f), Some(now), errors, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let message =
        format!("Review outcome recorded for {}: the review of {}", commit_name(&here, rec), stem_date(&stem));
    if let Err(why) = save(&app, &here, vec![(rel, Some(raw), new.into_bytes())], None, &message) {
        errors.insert("form".into(), why);
        return outcome_page(&here, &id, &stem, Some(&f), None, errors, None, StatusCode::CONFLICT);
    }
    Redirect::to(&format!("{}/review/{}?saved=outcome", pupil_href(&rec.dir), url_part(&stem))).into_response()
}

// ------------------------------------------------------------------ add a pupil

#[derive(Serialize, Default)]
struct PupilValues {
    id: String,
    first: String,
    last: String,
    dob: String,
    year: String,
    class: String,
    level: String,
    plan_issued: String,
}

fn new_pupil_page(here: &Here, values: PupilValues, errors: Errors, status: StatusCode) -> Response {
    let j = here.snap.repo.settings.school.jurisdiction;
    let levels = j
        .levels()
        .iter()
        .map(|l| (l.as_str().to_string(), crate::render::views::level_label(*l).to_string()))
        .collect::<Vec<_>>();
    #[derive(Serialize)]
    struct V {
        frame: Frame,
        values: PupilValues,
        levels: Vec<(String, String)>,
        errors: Errors,
    }
    let view = V { frame: here.frame("Add a pupil", "new-pupil"), values, levels, errors };
    here.page_status(status, "new-pupil.html.j2", &view)
}

pub async fn new_pupil_form(State(app): State<Shared>, Extension(session): Extension<Session>) -> Response {
    let here = Here::new(&app, &session);
    if app.opts.readonly {
        return here.message(StatusCode::FORBIDDEN, "Read-only", vec!["senco serve runs read-only here.".into()]);
    }
    let level =
        here.snap.repo.settings.school.jurisdiction.levels().iter().find(|l| l.on_register()).map(|l| l.as_str());
    let values = PupilValues { level: level.unwrap_or("").to_string(), ..Default::default() };
    new_pupil_page(&here, values, Errors::new(), StatusCode::OK)
}

pub async fn new_pupil_post(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Form(f): Fields,
) -> Response {
    let here = Here::new(&app, &session);
    if !csrf_ok(&session, &f) {
        return csrf_refused(&here);
    }
    let values = PupilValues {
        id: field(&f, "id"),
        first: field(&f, "first"),
        last: field(&f, "last"),
        dob: field(&f, "dob"),
        year: field(&f, "year"),
        class: field(&f, "class"),
        level: field(&f, "level"),
        plan_issued: field(&f, "plan_issued"),
    };
    let mut errors = field_errors(&f);
    for (k, what) in [("first", "first name"), ("last", "last name")] {
        let v = field(&f, k);
        if v.is_empty() {
            errors.insert(k.into(), format!("Enter the pupil's {what}."));
        } else if v.chars().any(char::is_control) {
            errors.insert(k.into(), format!("The {what} cannot hold line breaks or control characters."));
        }
    }
    if !crate::check::valid_id(&values.id) {
        errors.insert(
            "id".into(),
            "Use 3 to 64 lowercase letters, digits and -, starting with a letter, e.g. kim-jones.".into(),
        );
    }
    let dob = date_field(&f, "dob", &mut errors, true);
    // As `senco new-pupil`: support begins today, so not before the birth.
    if let Some(d) = dob.filter(|d| *d > here.today) {
        errors.insert("dob".into(), format!("{d} is after today: enter the date of birth."));
    }
    // A number, or as the pages and records write it (`R`, `N2`, `Y4`).
    let year = match crate::model::year::parse(&values.year) {
        Some(y) if (-2..=14).contains(&y) => Some(y),
        _ => {
            errors.insert("year".into(), "Enter the year group, e.g. 4, R (Reception) or N2 (nursery).".into());
            None
        }
    };
    let juris = here.snap.repo.settings.school.jurisdiction;
    let level = Level::parse(&values.level).filter(|l| juris.levels().contains(l));
    if level.is_none() {
        errors.insert("level".into(), "Choose a support level.".into());
    }
    let plan_issued = date_field(&f, "plan_issued", &mut errors, level.is_some_and(Level::statutory));
    if let Some(d) = plan_issued.filter(|d| *d > here.today) {
        errors.insert("plan_issued".into(), format!("{d} is after today: enter the date the plan was issued."));
    }
    if values.class.chars().any(char::is_control) {
        errors.insert("class".into(), "The class cannot hold line breaks or control characters.".into());
    }
    let root = here.snap.repo.root.clone();
    if !errors.contains_key("id") {
        for folder in ["pupils", "archive"] {
            if root.join(folder).join(&values.id).exists() {
                errors.insert(
                    "id".into(),
                    format!("A pupil with id {} already exists; choose another, e.g. {}-2.", values.id, values.id),
                );
            }
        }
    }
    let (Some(dob), Some(year), Some(level), true) = (dob, year, level, errors.is_empty()) else {
        return new_pupil_page(&here, values, errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let files = scaffold::pupil_files(&scaffold::NewPupil {
        id: &values.id,
        first: &values.first,
        last: &values.last,
        dob,
        year,
        level,
        class: (!values.class.is_empty()).then_some(values.class.as_str()),
        plan_issued,
        today: here.today,
        since: here.today,
    });
    let writes = files
        .iter()
        .map(|(rel, text)| (format!("pupils/{}/{rel}", values.id), None, text.as_bytes().to_vec()))
        .collect();
    let who = if app.opts.anonymise {
        values.id.clone()
    } else {
        format!("{} {} ({})", values.first, values.last, values.id)
    };
    if let Err(why) = save(&app, &here, writes, Some(&format!("pupils/{}", values.id)), &format!("Pupil added: {who}"))
    {
        errors.insert("form".into(), why);
        return new_pupil_page(&here, values, errors, StatusCode::CONFLICT);
    }
    Redirect::to(&pupil_href(&values.id)).into_response()
}

// ------------------------------------------------------------------ add to the log

/// What the pupil page's log form holds (kept when it is refused).
#[derive(Serialize, Default, Clone)]
pub struct LogValues {
    pub date: String,
    pub kind: String,
    pub with: String,
    pub summary: String,
    pub follow_up: String,
}

/// The kinds of log entry, for the form's list.
pub fn log_kinds() -> Vec<(String, String)> {
    crate::model::LogKind::ALL.iter().map(|k| (k.as_str().to_string(), capital(k.as_str()))).collect()
}

/// Appends an entry to the pupil's `log.yaml` (as `senco log`): nothing
/// already in the file changes; the file is created when there is none.
pub async fn log_post(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Response {
    let here = Here::new(&app, &session);
    let rec = match posted_for(&here, &session, &f, &id) {
        Ok(rec) => rec,
        Err(refused) => return refused,
    };
    let values = LogValues {
        date: field(&f, "log_date"),
        kind: field(&f, "log_kind"),
        with: field(&f, "log_with"),
        summary: field(&f, "log_summary"),
        follow_up: field(&f, "log_follow_up"),
    };
    let mut errors = field_errors(&f);
    let date = date_field(&f, "log_date", &mut errors, true);
    let follow_up = date_field(&f, "log_follow_up", &mut errors, false);
    let kind = crate::model::LogKind::parse(&values.kind);
    if kind.is_none() {
        errors.insert("log_kind".into(), "Choose what the entry records.".into());
    }
    if values.summary.is_empty() {
        errors.insert("log_summary".into(), "Say in a sentence or two what happened or was agreed.".into());
    }
    if let (Some(d), Some(fu)) = (date, follow_up) {
        if fu < d {
            errors.insert("log_follow_up".into(), format!("The follow-up date is before the entry's date {d}."));
        }
    }
    if errors.is_empty() && field(&f, "log_hash") != log_fingerprint(&here, rec) {
        errors.insert(
            "form".into(),
            "The log was changed on disk after you opened this page (by someone else, or in an editor), so nothing \
             was added. What you typed is kept below: look at the log, then add it again."
                .into(),
        );
        return super::pages::pupil_page(&here, rec, Refill::log(values, errors), StatusCode::CONFLICT);
    }
    if rec.is_broken("log.yaml") {
        errors.insert(
            "form".into(),
            format!(
                "`{}` could not be read, so nothing was added to it. The problems above say why.",
                rec.file("log.yaml")
            ),
        );
    }
    let (Some(date), Some(kind), true) = (date, kind, errors.is_empty()) else {
        return super::pages::pupil_page(&here, rec, Refill::log(values, errors), StatusCode::UNPROCESSABLE_ENTITY);
    };
    let rel = rec.file("log.yaml");
    let with: Vec<String> =
        values.with.split(',').map(str::trim).filter(|w| !w.is_empty()).map(str::to_string).collect();
    let entry = crate::edit::log::NewEntry { date, kind, with: &with, summary: &values.summary, follow_up };
    // The header names the pupil as on disk, not as anonymised for the screen.
    let header = || crate::edit::log::new_file_header(&pupil_name(&disk_pupil(&here, &rec.dir)));
    let message = format!("Log entry for {}: {} on {date}", commit_name(&here, rec), kind.as_str());
    let append = |base: &str| crate::edit::log::append(base, &entry);
    if let Err((status, why)) = append_and_save(&app, &here, &rel, header, append, "entry", &message) {
        errors.insert("form".into(), why);
        return super::pages::pupil_page(&here, rec, Refill::log(values, errors), status);
    }
    Redirect::to(&format!("{}?saved=log#log", pupil_href(&rec.dir))).into_response()
}

/// GET on a form's address (after a refused save, a reload): the pupil's page.
pub async fn back_to_pupil(Path(id): Path<String>) -> Response {
    Redirect::to(&pupil_href(&id)).into_response()
}

// ------------------------------------------------------------------ mark an action done, set a target's status

/// The statuses a target can be given from the pupil page.
pub fn target_statuses() -> Vec<(String, String)> {
    use crate::model::Status;
    [Status::Achieved, Status::PartlyAchieved, Status::NotAchieved, Status::Discontinued, Status::Open]
        .iter()
        .map(|s| (s.as_str().to_string(), capital(s.as_str())))
        .collect()
}

/// What a pupil-page form needs to write one file: the file as read now,
/// refused (keeping what was typed) when it changed since the page was loaded.
enum Loaded {
    Ready(Vec<u8>, String),
    Refused(Response),
}

fn load_for_edit(here: &Here, rec: &PupilRecord, rel: &str, hash: &str, refill: &mut Refill) -> Loaded {
    let raw = match read_record(here, rel) {
        Ok(Some(raw)) => raw,
        Ok(None) => {
            refill.errors.insert("form".into(), format!("`{rel}` is no longer there, so nothing was saved."));
            return Loaded::Refused(super::pages::pupil_page(here, rec, std::mem::take(refill), StatusCode::CONFLICT));
        }
        Err(why) => {
            refill.errors.insert("form".into(), format!("{why}. Nothing was saved."));
            return Loaded::Refused(super::pages::pupil_page(
                here,
                rec,
                std::mem::take(refill),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if fingerprint(&raw) != hash {
        refill.errors.insert(
            "form".into(),
            format!(
                "`{rel}` was changed on disk after this page was loaded (by someone else, or in an editor), so \
                 nothing was saved. What you chose is kept below: check the record, then save again."
            ),
        );
        return Loaded::Refused(super::pages::pupil_page(here, rec, std::mem::take(refill), StatusCode::CONFLICT));
    }
    match String::from_utf8(raw.clone()) {
        Ok(text) => Loaded::Ready(raw, text.to_string()),
        Err(_) => {
            refill.errors.insert("form".into(), format!("`{rel}` is not UTF-8 text, so senco will not edit it."));
            Loaded::Refused(super::pages::pupil_page(
                here,
                rec,
                std::mem::take(refill),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

/// The rest of a pupil-page form that edits one file: `rel` as read now
/// (refused, keeping what was chosen, when it changed since the page was
/// loaded: `hash`), `edit` applied, checked to decode with no more findings
/// than before, written as [`save`] does, and back to the pupil's page at
/// `saved`.
#[allow(clippy::too_many_arguments)]
fn edit_one(
    app: &Shared,
    here: &Here,
    rec: &PupilRecord,
    rel: &str,
    hash: &str,
    mut refill: Refill,
    edit: impl FnOnce(&str) -> Result<String, String>,
    message: &str,
    saved: &str,
) -> Response {
    let (raw, old) = match load_for_edit(here, rec, rel, hash, &mut refill) {
        Loaded::Ready(raw, old) => (raw, old),
        Loaded::Refused(r) => return r,
    };
    let new = match edit(&old) {
        Ok(t) => t,
        Err(why) => {
            refill.errors.insert("form".into(), format!("senco will not edit `{rel}`: {why}. Nothing was saved."));
            return super::pages::pupil_page(here, rec, refill, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let before = crate::repo::decode_text(rel, &old).len();
    let after = crate::repo::decode_text(rel, &new);
    if after.len() > before {
        let why = after.first().map(|f| f.message.clone()).unwrap_or_default();
        refill.errors.insert("form".into(), format!("The change would not read back ({why}). Nothing was saved."));
        return super::pages::pupil_page(here, rec, refill, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if let Err(why) = save(app, here, vec![(rel.to_string(), Some(raw), new.into_bytes())], None, message) {
        refill.errors.insert("form".into(), why);
        return super::pages::pupil_page(here, rec, refill, StatusCode::CONFLICT);
    }
    Redirect::to(&format!("{}?saved={saved}", pupil_href(&rec.dir))).into_response()
}

/// Marks one action of a review done (`done: DATE` in the review file).
pub async fn action_done_post(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Response {
    let here = Here::new(&app, &session);
    let rec = match posted_for(&here, &session, &f, &id) {
        Ok(rec) => rec,
        Err(refused) => return refused,
    };
    let stem = field(&f, "review");
    let index = field(&f, "index").parse::<usize>().ok();
    let (Some(index), true) = (index, valid_stem(&stem)) else { return here.not_found("action of this review") };
    let name = format!("done-{stem}-{index}");
    let mut refill = Refill::default();
    refill.values.insert(name.clone(), field(&f, "done"));
    let mut errors = field_errors(&f);
    let done = date_field(&f, "done", &mut errors, true);
    let rel = format!("{}/reviews/{stem}.yaml", rec.rel);
    let review = rec.reviews.iter().find(|r| r.stem == stem);
    let action = review.and_then(|r| r.review.actions.as_ref()).and_then(|a| a.get(index));
    let Some(action) = action else { return here.not_found("action of this review") };
    if let (Some(d), Some(r)) = (done, review.and_then(|r| val(&r.review.date))) {
        if d < r {
            errors.insert(
                "done".into(),
                format!("The action was agreed at the review on {r}: it cannot be done before."),
            );
        }
    }
    if let Some(d) = done.filter(|d| *d > here.today) {
        errors.insert("done".into(), format!("{d} is after today: record an action when it is done."));
    }
    if let Some(why) = errors.remove("done") {
        refill.errors.insert(name, why);
        return super::pages::pupil_page(&here, rec, refill, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let Some(done) = done else { return here.not_found("action of this review") };
    let what = commit_text(&here, rec, |disk| {
        let review = disk.reviews.iter().find(|r| r.stem == stem)?;
        text(&review.review.actions.as_ref()?.get(index)?.action).map(str::to_string)
    });
    let what = what.unwrap_or_else(|| text(&action.action).unwrap_or("an action").to_string());
    let message = format!("Action done for {}: {what}", commit_name(&here, rec));
    let edit = |old: &str| outcome::mark_action_done(old, index, done);
    edit_one(&app, &here, rec, &rel, &field(&f, "hash"), refill, edit, &message, "action#actions")
}

/// Sets a target's status (e.g. achieved) in `targets.yaml`.
pub async fn target_status_post(
    State(app): State<Shared>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Form(f): Fields,
) -> Response {
    let here = Here::new(&app, &session);
    let rec = match posted_for(&here, &session, &f, &id) {
        Ok(rec) => rec,
        Err(refused) => return refused,
    };
    let target = field(&f, "target");
    let Some(t) = rec.targets.iter().find(|t| text(&t.id) == Some(target.as_str())) else {
        return here.not_found("target with this id");
    };
    let name = format!("status-{target}");
    let chosen = field(&f, "status");
    let mut refill = Refill::default();
    refill.values.insert(name.clone(), chosen.clone());
    let Some(status) = Status::parse(&chosen) else {
        refill.errors.insert(name, "Choose one of the statuses in the list.".into());
        return super::pages::pupil_page(&here, rec, refill, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let rel = rec.file("targets.yaml");
    let what = commit_text(&here, rec, |disk| {
        let t = disk.targets.iter().find(|t| text(&t.id) == Some(target.as_str()))?;
        text(&t.outcome).map(str::to_string)
    });
    let what = what.unwrap_or_else(|| text(&t.outcome).unwrap_or(target.as_str()).to_string());
    let message = format!("Target {} for {}: {what}", status.as_str(), commit_name(&here, rec));
    let edit = |old: &str| outcome::set_target_status(old, &target, status.as_str());
    edit_one(&app, &here, rec, &rel, &field(&f, "hash"), refill, edit, &message, "target#targets")
}

/// A text of the pupil's records for a commit message (`--commit` only):
/// taken from the folder as on disk now, then shown as the screen shows it
/// (`Live::shown`: a UPN hidden, names as initials under `--anonymise`), so a
/// message says no more than the pages do.
fn commit_text(here: &Here, rec: &PupilRecord, pick: impl FnOnce(&PupilRecord) -> Option<String>) -> Option<String> {
    if !here.app.opts.commit {
        return None;
    }
    pick(&disk_pupil(here, &rec.dir)).map(|t| here.app.live.shown(&t))
}

/// Whom a commit message names: the pupil's name as on disk and their id
/// (the id only when the screen is anonymised).
fn commit_name(here: &Here, rec: &PupilRecord) -> String {
    if !here.app.opts.commit {
        return String::new();
    }
    if here.app.opts.anonymise {
        return rec.dir.clone();
    }
    let disk = disk_pupil(here, &rec.dir);
    match disk.pupil.as_ref().map(|p| p.display_name()).filter(|n| !n.is_empty()) {
        Some(n) => format!("{n} ({})", rec.dir),
        None => rec.dir.clone(),
    }
}
