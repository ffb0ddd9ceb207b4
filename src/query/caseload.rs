//! `senco caseload [STAFF]`: who each member of staff supports and how much
//! intervention time they deliver each week.
//!
//! Delivered time counts current interventions only (started, not ended, as
//! of today) of pupils on roll. A pupil's place takes sessions_per_week ×
//! minutes (catalogue defaults as fallback) of the pupil's time; the staff
//! member's time counts each group session whole, once per group
//! (`model::cost::staff_minutes`): the provision map's staff time on the
//! same day is the same number.
//! A member of staff (other than `external`) is over-allocated when their
//! weekly intervention hours exceed `--max-hours` (default 25).

use super::{is_current, VERSION};
use crate::model::{cost, text, val, StaffRole};
use crate::output::{num, Block, Column, Document, Table};
use crate::repo::Repo;
use chrono::NaiveDate;
use serde::Serialize;

/// The default limit on weekly intervention hours (a teaching assistant's
/// contact time in a 32.5-hour week, less breaks, planning and class support).
pub const DEFAULT_MAX_HOURS: f64 = 25.0;

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    pub max_hours: f64,
    pub staff: Vec<StaffLoad>,
}

#[derive(Debug, Serialize)]
pub struct StaffLoad {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    /// Pupils on roll whose key worker this is, sorted by id.
    pub key_worker_of: Vec<PupilRef>,
    /// Distinct pupils in their current interventions.
    pub intervention_pupils: usize,
    pub interventions: Vec<Delivery>,
    /// Σ sessions × minutes over the places: pupil time, whole minutes.
    pub pupil_minutes: f64,
    /// The staff member's time: each group session counted whole, once per
    /// group (`cost::staff_minutes`), whole minutes.
    pub weekly_minutes: f64,
    /// weekly_minutes / 60, 2 decimals.
    pub weekly_hours: f64,
    /// `over` when weekly_hours > max_hours (not for `external` staff), else `ok`.
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct PupilRef {
    pub id: String,
    pub name: String,
    pub year_group: Option<i64>,
    pub level: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Delivery {
    pub pupil: String,
    pub intervention: String,
    pub name: String,
    pub sessions_per_week: f64,
    pub minutes: f64,
    pub group_size: f64,
    /// sessions × minutes: the session time of this pupil's place, whole minutes.
    pub weekly_minutes: f64,
}

/// Every staff member in staff.yaml (sorted by id), or just `only`.
pub fn query(repo: &Repo, today: NaiveDate, max_hours: f64, only: Option<&str>) -> Report {
    let mut ids: Vec<&str> = repo.staff.iter().filter_map(|s| text(&s.id)).collect();
    ids.sort();
    ids.dedup();
    if let Some(o) = only {
        ids.retain(|i| *i == o);
    }
    let staff = ids.into_iter().map(|id| load(repo, today, max_hours, id)).collect();
    Report { version: VERSION, today: today.to_string(), max_hours, staff }
}

fn load(repo: &Repo, today: NaiveDate, max_hours: f64, id: &str) -> StaffLoad {
    let member = repo.staff.iter().find(|s| text(&s.id) == Some(id));
    let role = member.and_then(|m| val(&m.role));
    let mut key_worker_of = Vec::new();
    let mut interventions = Vec::new();
    let mut pupils = std::collections::BTreeSet::new();
    let mut places = Vec::new();
    for rec in &repo.pupils {
        let Some(p) = &rec.pupil else { continue };
        if text(&p.key_worker) == Some(id) {
            key_worker_of.push(PupilRef {
                id: rec.dir.clone(),
                name: p.display_name(),
                year_group: val(&p.year_group),
                level: p.level().map(|l| l.as_str().to_string()),
            });
        }
        for iv in rec.interventions.iter().filter(|iv| is_current(iv, today) && text(&iv.staff) == Some(id)) {
            let provision =
                text(&iv.provision).and_then(|pid| repo.catalogue.iter().find(|c| text(&c.id) == Some(pid)));
            let place = cost::Place::of(iv, provision);
            let (sessions, minutes, group) = (place.sessions, place.minutes, place.group);
            places.push(place);
            pupils.insert(rec.dir.as_str());
            interventions.push(Delivery {
                pupil: rec.dir.clone(),
                intervention: text(&iv.id).unwrap_or("").to_string(),
                name: text(&iv.name)
                    .or_else(|| provision.and_then(|p| text(&p.name)))
                    .or_else(|| text(&iv.provision))
                    .unwrap_or("")
                    .to_string(),
                sessions_per_week: sessions,
                minutes,
                group_size: group,
                weekly_minutes: cost::round_minutes(sessions * minutes),
            });
        }
    }
    interventions.sort_by(|a, b| (&a.pupil, &a.intervention).cmp(&(&b.pupil, &b.intervention)));
    let pupil_minutes: f64 = interventions.iter().map(|d| d.sessions_per_week * d.minutes).sum();
    let weekly_minutes = cost::staff_minutes(&places);
    let weekly_hours = cost::hours(weekly_minutes);
    let over = role != Some(StaffRole::External) && weekly_hours > max_hours;
    StaffLoad {
        id: id.to_string(),
        name: member.and_then(|m| text(&m.name)).unwrap_or(id).to_string(),
        role: role.map(|r| r.as_str().to_string()),
        key_worker_of,
        intervention_pupils: pupils.len(),
        interventions,
        pupil_minutes: cost::round_minutes(pupil_minutes),
        weekly_minutes: cost::round_minutes(weekly_minutes),
        weekly_hours,
        status: if over { "over" } else { "ok" },
    }
}

fn note(r: &Report) -> String {
    format!(
        "A week of the interventions running on {}. Pupil minutes: each place's sessions x minutes a week. Staff minutes: \
         each group session counted whole, once per group (places on the same provision with the same sessions, \
         minutes and group size are one group), as in the provision map. `over` marks staff (not external) delivering more than {} hours a week (--max-hours).",
        r.today,
        num(r.max_hours)
    )
}

/// The summary: one row per member of staff.
pub fn document(r: &Report) -> Document {
    let mut t = Table::new(
        vec![
            Column::left("staff"),
            Column::left("name"),
            Column::left("role"),
            Column::right("key worker of"),
            Column::right("intervention pupils"),
            Column::right("interventions"),
            Column::right("pupil min/wk"),
            Column::right("staff min/wk"),
            Column::right("hours/wk"),
            Column::left("status"),
        ],
        "staff.yaml lists no staff.",
    );
    for s in &r.staff {
        t.push(vec![
            s.id.clone(),
            s.name.clone(),
            s.role.clone().unwrap_or_default(),
            s.key_worker_of.len().to_string(),
            s.intervention_pupils.to_string(),
            s.interventions.len().to_string(),
            num(s.pupil_minutes),
            num(s.weekly_minutes),
            num(s.weekly_hours),
            s.status.to_string(),
        ]);
    }
    let mut d = Document::table(t);
    d.notes.push(note(r));
    d
}

/// One member of staff in detail.
pub fn detail(r: &Report, s: &StaffLoad, j: crate::model::settings::Jurisdiction) -> Document {
    let mut d = Document { title: Some(format!("{} ({})", s.name, s.id)), ..Default::default() };
    d.section(
        "Summary",
        Block::Fields(vec![
            ("Role".into(), s.role.clone().unwrap_or_default()),
            ("Key worker of".into(), format!("{} pupils", s.key_worker_of.len())),
            ("Intervention pupils".into(), s.intervention_pupils.to_string()),
            ("Interventions".into(), s.interventions.len().to_string()),
            ("Pupil minutes a week".into(), num(s.pupil_minutes)),
            ("Staff minutes a week".into(), num(s.weekly_minutes)),
            ("Hours a week".into(), format!("{} (limit {})", num(s.weekly_hours), num(r.max_hours))),
            ("Status".into(), s.status.to_string()),
        ]),
    );
    let mut t = Table::new(
        vec![Column::left("pupil"), Column::left("name"), Column::right("year"), Column::left("level")],
        "Key worker of no pupil.",
    );
    for p in &s.key_worker_of {
        t.push(vec![
            p.id.clone(),
            p.name.clone(),
            super::year_cell(j, p.year_group),
            p.level.clone().unwrap_or_default(),
        ]);
    }
    d.section("Key worker of", Block::Table(t));
    let mut t = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("intervention"),
            Column::left("name"),
            Column::right("sessions/wk"),
            Column::right("minutes"),
            Column::right("group"),
            Column::right("pupil min/wk"),
        ],
        "No current interventions.",
    );
    for i in &s.interventions {
        t.push(vec![
            i.pupil.clone(),
            i.intervention.clone(),
            i.name.clone(),
            num(i.sessions_per_week),
            num(i.minutes),
            num(i.group_size),
            num(i.weekly_minutes),
        ]);
    }
    d.section("Current interventions", Block::Table(t));
    d.notes.push(note(r));
    d
}
