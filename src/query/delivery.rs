//! `senco delivery`: the provision planned against the provision delivered,
//! per pupil's place, per provision and per staff member, with the reasons
//! for what was missed (docs/format.md, "delivery/").
//!
//! A session in `delivery/<place>/YYYY-MM.yaml` joins a pupil's place: the
//! pupil's intervention whose catalogue `provision` is `<place>` (or, when
//! it has no catalogue entry, whose `id` is `<place>`), running on the
//! session's date, and with the session's staff member when there are two.
//! A pupil's planned minutes over a period are the whole session's minutes
//! times the sessions per week over the school weeks the place ran in that
//! period (school days / 5, from the calendar's terms minus closures).

use super::VERSION;
use crate::model::cost::sessions_and_minutes;
use crate::model::{text, val, Attendance, Intervention, Provision, Session, Settings};
use crate::output::{num, Column, Document, Table};
use crate::repo::{DeliveryFile, PupilRecord, Repo};
use crate::rules::dates::SchoolCalendar;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The place key an intervention's sessions are logged under.
pub fn place_key<'a>(iv: &'a Intervention, catalogue: &HashMap<&str, &Provision>) -> Option<&'a str> {
    match text(&iv.provision) {
        Some(p) if catalogue.contains_key(p) => Some(p),
        _ => text(&iv.id),
    }
}

/// Whether the intervention runs on `d`.
fn runs_on(iv: &Intervention, d: NaiveDate) -> bool {
    val(&iv.start).is_some_and(|s| s <= d) && val(&iv.end).is_none_or(|e| d <= e)
}

/// The pupil's intervention a session of `place` joins, if any.
pub fn joined_place<'a>(
    rec: &'a PupilRecord,
    place: &str,
    session: &Session,
    catalogue: &HashMap<&str, &Provision>,
) -> Option<&'a Intervention> {
    let date = val(&session.date)?;
    let staff = text(&session.staff);
    let all: Vec<&Intervention> =
        rec.interventions.iter().filter(|iv| place_key(iv, catalogue) == Some(place)).collect();
    let running: Vec<&Intervention> = all.iter().copied().filter(|iv| runs_on(iv, date)).collect();
    let pool = if running.is_empty() { &all } else { &running };
    pool.iter().copied().find(|iv| staff.is_some() && text(&iv.staff) == staff).or_else(|| pool.first().copied())
}

/// What happened to one pupil at one session: `None` when the session does
/// not concern the pupil.
pub fn attendance<'a>(
    rec: &PupilRecord,
    iv: &Intervention,
    place: &str,
    session: &'a Session,
) -> Option<(Attendance, Option<&'a str>)> {
    let listed = session.pupils.iter().flatten().find(|p| text(&p.pupil) == Some(rec.dir.as_str()));
    if let Some(p) = listed {
        let reason = text(&p.reason).or_else(|| text(&session.cancelled));
        let status = if session.cancelled.is_some() { Attendance::Cancelled } else { val(&p.status)? };
        return Some((status, reason));
    }
    // A cancelled session that lists nobody was missed by the whole group:
    // every pupil whose place it is, running that day, with that staff member.
    let date = val(&session.date)?;
    let whole_group = session.pupils.as_ref().is_none_or(|p| p.is_empty());
    let same_staff = text(&session.staff).is_none_or(|s| text(&iv.staff) == Some(s));
    (session.cancelled.is_some() && whole_group && same_staff && runs_on(iv, date) && !place.is_empty())
        .then(|| (Attendance::Cancelled, text(&session.cancelled)))
}

/// The minutes a session ran: its own `minutes`, else the minutes of the
/// place it was logged for, as the per-pupil figures count it (`delivered`):
/// the place of the first pupil it lists (or of any pupil whose place it
/// is, for a session that lists none), else the catalogue's default.
pub fn session_minutes(repo: &Repo, place: &str, session: &Session, catalogue: &HashMap<&str, &Provision>) -> f64 {
    if let Some(m) = val(&session.minutes) {
        return m;
    }
    let listed: Vec<&str> = session.pupils.iter().flatten().filter_map(|p| text(&p.pupil)).collect();
    let recs = repo.pupils.iter().filter(|r| listed.is_empty() || listed.contains(&r.dir.as_str()));
    let joined = recs
        .filter_map(|r| joined_place(r, place, session, catalogue))
        .map(|iv| sessions_and_minutes(iv, text(&iv.provision).and_then(|p| catalogue.get(p).copied())).1)
        .find(|m| *m > 0.0);
    joined.or_else(|| catalogue.get(place).and_then(|p| val(&p.default_minutes))).unwrap_or(0.0)
}

/// Planned and delivered minutes of one place over a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Whether the school logs this provision at all (a `delivery/<place>/`
    /// folder exists): without it, what was delivered is not recorded.
    pub recorded: bool,
    pub planned_minutes: f64,
    pub delivered_minutes: f64,
    pub absent_minutes: f64,
    pub cancelled_minutes: f64,
    /// Sessions logged for this place in the period (any attendance).
    pub sessions_logged: usize,
    /// Why minutes were missed: "absent: illness" and the like, with counts.
    pub reasons: BTreeMap<String, usize>,
}

impl Figures {
    /// Delivered / planned; `None` when nothing was planned.
    pub fn share(&self) -> Option<f64> {
        (self.recorded && self.planned_minutes > 0.0).then(|| self.delivered_minutes / self.planned_minutes)
    }
}

/// School days the place ran in [from, to]; `None` without a calendar.
pub fn school_days(cal: &SchoolCalendar, iv: &Intervention, from: NaiveDate, to: NaiveDate) -> usize {
    let (Some(start), end) = (val(&iv.start), val(&iv.end)) else { return 0 };
    let (a, b) = (start.max(from), end.map_or(to, |e| e.min(to)));
    a.iter_days().take_while(|d| *d <= b).filter(|d| cal.school_day(*d).0).count()
}

/// The figures of one pupil's place over [from, to].
#[allow(clippy::too_many_arguments)]
pub fn figures(
    cal: &SchoolCalendar,
    rec: &PupilRecord,
    iv: &Intervention,
    provision: Option<&Provision>,
    delivery: &[DeliveryFile],
    catalogue: &HashMap<&str, &Provision>,
    from: NaiveDate,
    to: NaiveDate,
) -> Figures {
    let (per_week, minutes) = sessions_and_minutes(iv, provision);
    Figures {
        planned_minutes: minutes * per_week * school_days(cal, iv, from, to) as f64 / 5.0,
        ..delivered(rec, iv, provision, delivery, catalogue, from, to)
    }
}

/// What one pupil's place received over [from, to], from the delivery
/// records alone (no calendar: `planned_minutes` is 0).
pub fn delivered(
    rec: &PupilRecord,
    iv: &Intervention,
    provision: Option<&Provision>,
    delivery: &[DeliveryFile],
    catalogue: &HashMap<&str, &Provision>,
    from: NaiveDate,
    to: NaiveDate,
) -> Figures {
    let (_, minutes) = sessions_and_minutes(iv, provision);
    let mut f = Figures::default();
    let Some(place) = place_key(iv, catalogue) else { return f };
    f.recorded = delivery.iter().any(|d| d.place == place);
    for file in delivery.iter().filter(|d| d.place == place) {
        for s in &file.sessions {
            if !val(&s.date).is_some_and(|d| from <= d && d <= to) {
                continue;
            }
            if !joined_place(rec, place, s, catalogue).is_some_and(|j| std::ptr::eq(j, iv)) {
                continue;
            }
            let Some((status, reason)) = attendance(rec, iv, place, s) else { continue };
            let m = val(&s.minutes).unwrap_or(minutes);
            f.sessions_logged += 1;
            match status {
                Attendance::Attended => f.delivered_minutes += m,
                Attendance::Absent => f.absent_minutes += m,
                Attendance::Cancelled => f.cancelled_minutes += m,
            }
            if status != Attendance::Attended {
                let why = format!("{}: {}", status.as_str(), reason.map_or("no reason recorded", str::trim));
                *f.reasons.entry(why).or_default() += 1;
            }
        }
    }
    f
}

/// The period a report covers: a term of the current calendar by name, or
/// the academic year, never past today.
pub fn period(
    settings: &Settings,
    term: Option<&str>,
    today: NaiveDate,
) -> Result<(String, NaiveDate, NaiveDate), String> {
    let cal = settings.calendar.as_ref().ok_or("senco.toml has no [calendar], so no school weeks can be counted")?;
    let (name, from, to) = match term {
        None => ("the academic year".to_string(), cal.year_start, cal.year_end),
        Some(t) => {
            let found = cal.terms.iter().find(|x| x.name.eq_ignore_ascii_case(t.trim()));
            let x = found.ok_or_else(|| {
                let names: Vec<&str> = cal.terms.iter().map(|x| x.name.as_str()).collect();
                format!("no term named `{t}` in senco.toml; its terms are {}", names.join(", "))
            })?;
            (format!("the {} term", x.name), x.start, x.end)
        }
    };
    Ok((name, from, to.min(today)))
}

/// The current term for `check`: the one holding today, else the last one
/// that ended before today; from its start to today.
pub fn term_so_far(settings: &Settings, today: NaiveDate) -> Option<(String, NaiveDate, NaiveDate)> {
    let cal = settings.calendar.as_ref()?;
    let t = cal.terms.iter().filter(|t| t.start <= today).max_by_key(|t| t.start)?;
    Some((t.name.clone(), t.start, t.end.min(today)))
}

/// One pupil's place: a row of the report.
#[derive(Clone, Debug, Serialize)]
pub struct PlaceRow {
    pub pupil: String,
    pub name: String,
    /// The place key: a catalogue provision id, or the intervention id.
    pub provision: String,
    pub provision_name: String,
    pub intervention: String,
    pub staff: Option<String>,
    pub statutory: bool,
    /// Pupils a session of this place is planned for (`group_size`, default 1).
    pub group_size: f64,
    #[serde(flatten)]
    pub figures: Figures,
    /// delivered / planned; `null` when nothing was planned or delivery is not recorded.
    pub share: Option<f64>,
}

/// Totals per provision or per staff member.
#[derive(Clone, Debug, Serialize)]
pub struct Total {
    pub key: String,
    pub planned_minutes: f64,
    pub delivered_minutes: f64,
    pub share: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    /// What the figures cover, in words, and its dates.
    pub period: String,
    pub from: String,
    pub to: String,
    pub places: Vec<PlaceRow>,
    pub by_provision: Vec<Total>,
    /// Per staff member: the minutes of the sessions they ran, each session
    /// counted once however many pupils it had.
    pub by_staff: Vec<Total>,
    /// Delivery files that could not be read in full: the delivered figures
    /// may be short by their sessions (omitted when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unread_files: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub term: Option<String>,
    pub pupil: Option<String>,
    pub provision: Option<String>,
}

pub fn query(repo: &Repo, today: NaiveDate, opts: &Options) -> Result<Report, String> {
    let (name, from, to) = period(&repo.settings, opts.term.as_deref(), today)?;
    let cal = SchoolCalendar::from_settings(&repo.settings).ok_or("senco.toml's [calendar] has no terms")?;
    let catalogue = repo.catalogue_by_id();
    let mut places = Vec::new();
    for rec in &repo.pupils {
        let Some(pupil) = &rec.pupil else { continue };
        if opts.pupil.as_ref().is_some_and(|p| p != &rec.dir) {
            continue;
        }
        for iv in &rec.interventions {
            let Some(key) = place_key(iv, &catalogue) else { continue };
            if opts.provision.as_ref().is_some_and(|p| p != key) {
                continue;
            }
            let provision = text(&iv.provision).and_then(|p| catalogue.get(p).copied());
            let f = figures(&cal, rec, iv, provision, &repo.delivery, &catalogue, from, to);
            if f.planned_minutes == 0.0 && f.sessions_logged == 0 {
                continue; // not running in the period, nothing logged
            }
            places.push(PlaceRow {
                pupil: rec.dir.clone(),
                name: pupil.display_name(),
                provision: key.to_string(),
                provision_name: provision.and_then(|p| text(&p.name)).or(text(&iv.name)).unwrap_or(key).to_string(),
                intervention: text(&iv.id).unwrap_or("").to_string(),
                staff: text(&iv.staff).map(str::to_string),
                statutory: val(&iv.statutory) == Some(true),
                group_size: val(&iv.group_size).filter(|g| *g >= 1.0).unwrap_or(1.0),
                share: f.share(),
                figures: f,
            });
        }
    }
    places.sort_by(|a, b| (&a.pupil, &a.provision, &a.intervention).cmp(&(&b.pupil, &b.provision, &b.intervention)));
    let mut by_provision: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for p in places.iter().filter(|p| p.figures.recorded) {
        let e = by_provision.entry(p.provision.clone()).or_default();
        e.0 += p.figures.planned_minutes;
        e.1 += p.figures.delivered_minutes;
    }
    let total = |(key, (planned, delivered)): (String, (f64, f64))| Total {
        key,
        planned_minutes: planned,
        delivered_minutes: delivered,
        share: (planned > 0.0).then(|| delivered / planned),
    };
    // Staff time, for the provision that is logged: each session once,
    // whatever the number of pupils in it; planned as the whole session time
    // of each of their groups (the pupils sharing a provision and a staff
    // member, in groups of `group_size`).
    let mut groups: BTreeMap<(String, String), (f64, usize, f64)> = BTreeMap::new();
    for p in places.iter().filter(|p| opts.pupil.is_none() && p.figures.recorded) {
        if let Some(s) = &p.staff {
            let e = groups.entry((s.clone(), p.provision.clone())).or_insert((0.0, 0, 1.0));
            e.0 = e.0.max(p.figures.planned_minutes);
            e.1 += 1;
            e.2 = e.2.max(p.group_size);
        }
    }
    let mut by_staff: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for ((s, _), (planned, pupils, size)) in groups {
        by_staff.entry(s).or_default().0 += planned * (pupils as f64 / size).ceil();
    }
    if opts.pupil.is_none() {
        for file in &repo.delivery {
            if opts.provision.as_ref().is_some_and(|p| p != &file.place) {
                continue;
            }
            for s in &file.sessions {
                let (Some(staff), Some(d)) = (text(&s.staff), val(&s.date)) else { continue };
                if from <= d && d <= to && s.cancelled.is_none() {
                    let m = session_minutes(repo, &file.place, s, &catalogue);
                    by_staff.entry(staff.to_string()).or_default().1 += m;
                }
            }
        }
    }
    Ok(Report {
        version: VERSION,
        today: today.to_string(),
        period: name,
        from: from.to_string(),
        to: to.to_string(),
        places,
        by_provision: by_provision.into_iter().map(total).collect(),
        by_staff: by_staff.into_iter().map(total).collect(),
        unread_files: repo.delivery_unread.clone(),
    })
}

fn share_cell(s: Option<f64>) -> String {
    s.map_or("".into(), |s| format!("{}%", num((s * 100.0).round())))
}

fn mins(m: f64) -> String {
    format!("{}", m.round() as i64)
}

pub fn document(r: &Report) -> Document {
    let mut places = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("provision"),
            Column::left("staff"),
            Column::right("planned min"),
            Column::right("delivered min"),
            Column::right("share"),
            Column::left("missed"),
        ],
        "No provision ran or was logged in this period.",
    );
    for p in &r.places {
        let missed: Vec<String> = p.figures.reasons.iter().map(|(why, n)| format!("{why} ({n})")).collect();
        let unlogged = p.figures.planned_minutes
            - p.figures.delivered_minutes
            - p.figures.absent_minutes
            - p.figures.cancelled_minutes;
        let mut missed = missed.join("; ");
        if !p.figures.recorded {
            missed = "delivery not recorded for this provision".into();
        } else if unlogged >= 1.0 {
            if !missed.is_empty() {
                missed.push_str("; ");
            }
            missed.push_str(&format!("not logged: {} min", mins(unlogged)));
        }
        places.push(vec![
            format!("{}{}", p.name, if p.statutory { " (statutory)" } else { "" }),
            p.provision_name.clone(),
            p.staff.clone().unwrap_or_default(),
            mins(p.figures.planned_minutes),
            if p.figures.recorded { mins(p.figures.delivered_minutes) } else { "not recorded".into() },
            share_cell(p.share),
            missed,
        ]);
    }
    let totals = |rows: &[Total], what: &str| {
        let mut t = Table::new(
            vec![
                Column::left(what),
                Column::right("planned min"),
                Column::right("delivered min"),
                Column::right("share"),
            ],
            "Nothing in this period.",
        );
        for x in rows {
            t.push(vec![x.key.clone(), mins(x.planned_minutes), mins(x.delivered_minutes), share_cell(x.share)]);
        }
        t
    };
    let mut doc = Document::table(places);
    doc.title = Some(format!("Provision planned and delivered: {}, {} to {}", r.period, r.from, r.to));
    doc.section(
        "By provision (provision with delivery records)",
        crate::output::Block::Table(totals(&r.by_provision, "provision")),
    );
    doc.section(
        "By staff member (whole session time, each session once; provision with delivery records)",
        crate::output::Block::Table(totals(&r.by_staff, "staff")),
    );
    if let Some(note) = unread_note(&r.unread_files) {
        doc.notes.push(note);
    }
    doc
}

/// The warning for delivery files that could not be read in full, naming
/// them (for the SENCO's own reports; documents for parents say it in words).
pub fn unread_note(files: &[String]) -> Option<String> {
    let names: Vec<String> = files.iter().map(|f| format!("`{}`", crate::diag::render::escape_controls(f))).collect();
    match names.len() {
        0 => None,
        1 => Some(format!(
            "1 delivery file could not be read in full ({}), so the sessions delivered may be too few; see `senco check`",
            names[0]
        )),
        n => Some(format!(
            "{n} delivery files could not be read in full ({}), so the sessions delivered may be too few; see `senco check`",
            names.join(", ")
        )),
    }
}
