//! The cost of a pupil's place on an intervention (docs/format.md, "Cost").
//! Figures are never rounded here; round only when showing them.

use super::{val, Intervention, Provision, Settings, Staff};
use chrono::NaiveDate;

/// The hourly rate: the intervention's staff member's, else the catalogue
/// entry's, else `costs.default_hourly_rate`.
pub fn hourly_rate(settings: &Settings, staff: Option<&Staff>, provision: Option<&Provision>) -> f64 {
    staff
        .and_then(|s| val(&s.hourly_rate))
        .or_else(|| provision.and_then(|p| val(&p.hourly_rate)))
        .unwrap_or(settings.costs.default_hourly_rate)
}

/// Sessions per week and minutes per session, falling back to the catalogue's defaults.
pub fn sessions_and_minutes(iv: &Intervention, provision: Option<&Provision>) -> (f64, f64) {
    let sessions =
        val(&iv.sessions_per_week).or_else(|| provision.and_then(|p| val(&p.default_sessions_per_week))).unwrap_or(0.0);
    let minutes = val(&iv.minutes).or_else(|| provision.and_then(|p| val(&p.default_minutes))).unwrap_or(0.0);
    (sessions, minutes)
}

/// Weekly cost of one pupil's place.
pub fn weekly(settings: &Settings, iv: &Intervention, staff: Option<&Staff>, provision: Option<&Provision>) -> f64 {
    let (sessions, minutes) = sessions_and_minutes(iv, provision);
    let group = val(&iv.group_size).filter(|g| *g > 0.0).unwrap_or(1.0);
    sessions * minutes / 60.0 * hourly_rate(settings, staff, provision) / group
}

/// Yearly cost of one pupil's place over the academic year in senco.toml:
/// weekly × weeks_per_year × (days run inside the year / days of the year),
/// plus the catalogue's fixed `cost_per_pupil`.
pub fn yearly(settings: &Settings, iv: &Intervention, staff: Option<&Staff>, provision: Option<&Provision>) -> f64 {
    let fixed = provision.and_then(|p| val(&p.cost_per_pupil)).unwrap_or(0.0);
    let Some(cal) = &settings.calendar else { return fixed };
    let Some(start) = val(&iv.start) else { return fixed };
    let end = val(&iv.end).unwrap_or(cal.year_end);
    let share = overlap_days(start, end, cal.year_start, cal.year_end) as f64
        / days(cal.year_start, cal.year_end).max(1) as f64;
    weekly(settings, iv, staff, provision) * settings.costs.weeks_per_year * share + fixed
}

/// Days in [a0, a1] ∩ [b0, b1], both ends counted.
pub fn overlap_days(a0: NaiveDate, a1: NaiveDate, b0: NaiveDate, b1: NaiveDate) -> i64 {
    let (s, e) = (a0.max(b0), a1.min(b1));
    if e < s {
        0
    } else {
        days(s, e)
    }
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days() + 1
}
