//! The whole-school provision map: interventions with their pupils, staff
//! time and cost; pupils with the cost of their additional provision; totals
//! per need area, per staff member and overall. Costs come only from
//! `model::cost` and are summed unrounded, then rounded to 2 decimals; staff
//! time is the week of one day (`staff_time_on`: today, or the start of a
//! term that does not include today), each group session counted whole
//! (`cost::staff_minutes`), so it equals `senco caseload` on that day.

use super::chart::{bars, BarChart};
use super::{area_label, area_of, level_label, year_label, Ctx, SchoolView};
use crate::model::settings::Term;
use crate::model::{cost, text, val};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which interventions and pupils the map covers.
#[derive(Default)]
pub struct Filter<'a> {
    pub term: Option<&'a Term>,
    pub year: Option<i64>,
    pub class: Option<&'a str>,
}

/// `provision-map.*.j2`.
#[derive(Serialize)]
pub struct ProvisionMap {
    pub school: SchoolView,
    /// What the map covers, in words: `Autumn term (2026-09-02 to 2026-12-18)`.
    pub period: String,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    /// The filters used, in words (`Year 4`, `class 4B`); empty when none.
    pub filters: Vec<String>,
    pub threshold: f64,
    pub weeks_per_year: f64,
    /// The day whose week the staff time describes (`YYYY-MM-DD`): today when
    /// the period includes it, else the period's first day.
    pub staff_time_on: String,
    /// One row per provision (catalogue entry or name) and staff member.
    pub interventions: Vec<InterventionRow>,
    /// One row per pupil with provision, by id.
    pub pupils: Vec<PupilRow>,
    /// Per need area, in the order of the areas of need.
    pub areas: Vec<AreaTotal>,
    /// Per staff member, by name; `Not recorded` for interventions without staff.
    pub staff: Vec<StaffTotal>,
    pub total: Total,
    /// Yearly cost by need area.
    pub chart: Option<BarChart>,
}

#[derive(Serialize)]
pub struct InterventionRow {
    pub name: String,
    pub provision: Option<String>,
    pub area_label: String,
    pub delivery: Option<&'static str>,
    pub staff: String,
    /// Pupils' names, by id.
    pub pupils: Vec<String>,
    /// Distinct session patterns, e.g. `5 × 10 min`.
    pub sessions: Vec<String>,
    /// Staff minutes a week on `staff_time_on`, each group session counted
    /// whole (`cost::staff_minutes`), whole minutes; 0 when not running then.
    pub minutes_per_week: f64,
    /// minutes_per_week / 60, 2 decimals.
    pub staff_hours_per_week: f64,
    pub weekly_cost: f64,
    pub yearly_cost: f64,
}

#[derive(Serialize)]
pub struct PupilRow {
    pub id: String,
    pub name: String,
    pub year_label: Option<String>,
    pub class: Option<String>,
    pub level_label: Option<&'static str>,
    /// Names of the interventions counted.
    pub interventions: Vec<String>,
    pub weekly_cost: f64,
    pub yearly_cost: f64,
    /// Yearly cost above `costs.notional_threshold`.
    pub above_threshold: bool,
}

#[derive(Serialize)]
pub struct AreaTotal {
    pub area_label: String,
    pub pupils: usize,
    pub staff_hours_per_week: f64,
    pub weekly_cost: f64,
    pub yearly_cost: f64,
}

#[derive(Serialize)]
pub struct StaffTotal {
    pub name: String,
    pub interventions: usize,
    pub staff_hours_per_week: f64,
    pub weekly_cost: f64,
    pub yearly_cost: f64,
}

#[derive(Serialize)]
pub struct Total {
    pub pupils: usize,
    /// Pupils' places on interventions.
    pub places: usize,
    pub interventions: usize,
    pub staff_hours_per_week: f64,
    pub weekly_cost: f64,
    pub yearly_cost: f64,
    pub above_threshold: usize,
}

/// A place running on the staff-time day: (row key, area, staff name, place).
type Running = ((String, String), String, String, cost::Place);

const AREA_ORDER: [&str; 5] = [
    "Communication and interaction",
    "Cognition and learning",
    "Social, emotional and mental health",
    "Sensory and/or physical",
    "Not recorded",
];

/// The window the map covers: the term, else the academic year, else from today on.
fn window(cx: &Ctx, f: &Filter) -> (Option<NaiveDate>, Option<NaiveDate>, String) {
    if let Some(t) = f.term {
        return (Some(t.start), Some(t.end), format!("{} term ({} to {})", t.name, t.start, t.end));
    }
    match &cx.settings.calendar {
        Some(c) => (Some(c.year_start), Some(c.year_end), format!("academic year {} to {}", c.year_start, c.year_end)),
        None => (Some(cx.today), None, format!("provision running on or after {}", cx.today)),
    }
}

pub fn provision_map(cx: &Ctx, f: &Filter) -> ProvisionMap {
    let j = cx.settings.school.jurisdiction;
    let (w0, w1, period) = window(cx, f);
    let mut rows: BTreeMap<(String, String), InterventionRow> = BTreeMap::new();
    let mut pupils = Vec::new();
    let mut areas: BTreeMap<String, (Vec<String>, f64, f64, f64)> = BTreeMap::new();
    let mut staff: BTreeMap<String, (usize, f64, f64, f64)> = BTreeMap::new();
    let mut places = 0;
    let on = match (w0, w1) {
        (Some(a), Some(b)) if cx.today < a || cx.today > b => a,
        _ => cx.today,
    };
    // (row key, area, staff name, place) of every place running on `on`.
    let mut running: Vec<Running> = Vec::new();
    for rec in &cx.repo.pupils {
        let Some(p) = &rec.pupil else { continue };
        if f.year.is_some_and(|y| val(&p.year_group) != Some(y)) {
            continue;
        }
        if f.class.is_some_and(|c| !text(&p.class).is_some_and(|pc| pc.eq_ignore_ascii_case(c))) {
            continue;
        }
        let name = p.display_name();
        let name = if name.is_empty() { rec.dir.clone() } else { name };
        let mut row = PupilRow {
            id: rec.dir.clone(),
            name: name.clone(),
            year_label: val(&p.year_group).map(|y| year_label(j, y)),
            class: text(&p.class).map(str::to_string),
            level_label: p.level().map(level_label),
            interventions: Vec::new(),
            weekly_cost: 0.0,
            yearly_cost: 0.0,
            above_threshold: false,
        };
        for iv in &rec.interventions {
            let Some(start) = val(&iv.start) else { continue };
            let end = val(&iv.end);
            let overlaps = w1.is_none_or(|w1| start <= w1)
                && match (end, w0) {
                    (Some(e), Some(w0)) => e >= w0,
                    _ => true,
                };
            if !overlaps {
                continue;
            }
            let prov = text(&iv.provision).and_then(|id| cx.catalogue.get(id).copied());
            let st = text(&iv.staff).and_then(|id| cx.staff.get(id).copied());
            let weekly = cost::weekly(cx.settings, iv, st, prov);
            let yearly = cost::yearly(cx.settings, iv, st, prov);
            let (sessions, minutes) = cost::sessions_and_minutes(iv, prov);
            let iv_name = text(&iv.name)
                .or_else(|| prov.and_then(|p| text(&p.name)))
                .or_else(|| text(&iv.id))
                .unwrap_or_default()
                .to_string();
            let group_name = prov.and_then(|p| text(&p.name)).map_or_else(|| iv_name.clone(), str::to_string);
            let staff_name = cx.staff_name(text(&iv.staff)).unwrap_or_else(|| "Not recorded".to_string());
            let area = area_of(rec, iv, prov).map_or("Not recorded", area_label).to_string();
            places += 1;
            row.interventions.push(iv_name);
            row.weekly_cost += weekly;
            row.yearly_cost += yearly;

            let key = (text(&iv.provision).map_or_else(|| group_name.clone(), str::to_string), staff_name.clone());
            if cost::runs_on(iv, on) {
                running.push((key.clone(), area.clone(), staff_name.clone(), cost::Place::of(iv, prov)));
            }
            let r = rows.entry(key).or_insert_with(|| InterventionRow {
                name: group_name.clone(),
                provision: text(&iv.provision).map(str::to_string),
                area_label: area.clone(),
                delivery: prov.and_then(|p| val(&p.delivery)).map(|d| d.as_str()),
                staff: staff_name.clone(),
                pupils: Vec::new(),
                sessions: Vec::new(),
                minutes_per_week: 0.0,
                staff_hours_per_week: 0.0,
                weekly_cost: 0.0,
                yearly_cost: 0.0,
            });
            if !r.pupils.contains(&name) {
                r.pupils.push(name.clone());
            }
            let pattern = format!("{} × {} min", crate::render::fmt_num(sessions), crate::render::fmt_num(minutes));
            if !r.sessions.contains(&pattern) {
                r.sessions.push(pattern);
            }
            r.weekly_cost += weekly;
            r.yearly_cost += yearly;

            let a = areas.entry(area).or_default();
            if !a.0.contains(&rec.dir) {
                a.0.push(rec.dir.clone());
            }
            a.2 += weekly;
            a.3 += yearly;
            let s = staff.entry(staff_name).or_default();
            s.0 += 1;
            s.2 += weekly;
            s.3 += yearly;
        }
        if !row.interventions.is_empty() {
            row.above_threshold = row.yearly_cost > cx.settings.costs.notional_threshold;
            pupils.push(row);
        }
    }
    // Staff time: per row, per area and per staff member, groups formed
    // within one staff member's places; the total is the staff members' sum.
    let minutes_where = |keep: &dyn Fn(&Running) -> bool| {
        let mut by_staff: BTreeMap<&str, Vec<&cost::Place>> = BTreeMap::new();
        for r in running.iter().filter(|r| keep(r)) {
            by_staff.entry(r.2.as_str()).or_default().push(&r.3);
        }
        by_staff.values().map(|ps| cost::staff_minutes(ps.iter().copied())).sum::<f64>()
    };
    for (key, r) in rows.iter_mut() {
        let m = minutes_where(&|x| &x.0 == key);
        r.minutes_per_week = cost::round_minutes(m);
        r.staff_hours_per_week = cost::hours(m);
    }
    for (label, a) in areas.iter_mut() {
        a.1 = cost::hours(minutes_where(&|x| &x.1 == label));
    }
    for (name, s) in staff.iter_mut() {
        s.1 = cost::hours(minutes_where(&|x| &x.2 == name));
    }
    let total_minutes = minutes_where(&|_| true);
    let money = cost::round_money;
    let (total_weekly, total_yearly) =
        (pupils.iter().map(|p| p.weekly_cost).sum::<f64>(), pupils.iter().map(|p| p.yearly_cost).sum::<f64>());
    for r in rows.values_mut() {
        r.weekly_cost = money(r.weekly_cost);
        r.yearly_cost = money(r.yearly_cost);
    }
    for p in pupils.iter_mut() {
        p.weekly_cost = money(p.weekly_cost);
        p.yearly_cost = money(p.yearly_cost);
    }
    let mut areas: Vec<AreaTotal> = areas
        .into_iter()
        .map(|(label, (p, h, w, y))| AreaTotal {
            area_label: label,
            pupils: p.len(),
            staff_hours_per_week: h,
            weekly_cost: money(w),
            yearly_cost: money(y),
        })
        .collect();
    areas.sort_by_key(|a| AREA_ORDER.iter().position(|o| *o == a.area_label).unwrap_or(AREA_ORDER.len()));
    let staff: Vec<StaffTotal> = staff
        .into_iter()
        .map(|(name, (n, h, w, y))| StaffTotal {
            name,
            interventions: n,
            staff_hours_per_week: h,
            weekly_cost: money(w),
            yearly_cost: money(y),
        })
        .collect();
    let interventions: Vec<InterventionRow> = rows.into_values().collect();
    let total = Total {
        pupils: pupils.len(),
        places,
        interventions: interventions.len(),
        staff_hours_per_week: cost::hours(total_minutes),
        weekly_cost: money(total_weekly),
        yearly_cost: money(total_yearly),
        above_threshold: pupils.iter().filter(|p| p.above_threshold).count(),
    };
    let mut filters = Vec::new();
    if let Some(y) = f.year {
        filters.push(year_label(j, y));
    }
    if let Some(c) = f.class {
        filters.push(format!("class {c}"));
    }
    ProvisionMap {
        school: cx.school(),
        period,
        period_start: w0.map(|d| d.to_string()),
        period_end: w1.map(|d| d.to_string()),
        filters,
        threshold: cx.settings.costs.notional_threshold,
        weeks_per_year: cx.settings.costs.weeks_per_year,
        staff_time_on: on.to_string(),
        chart: bars(&areas.iter().map(|a| (a.area_label.clone(), a.yearly_cost)).collect::<Vec<_>>()),
        interventions,
        pupils,
        areas,
        staff,
        total,
    }
}
