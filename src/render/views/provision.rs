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
    /// The pupil-by-provision grid.
    pub grid: Grid,
}

/// The pupil-by-provision grid: a row per pupil with provision, a column per
/// provision grouped by wave, minutes per week in the cells, a column per
/// term and the impact measured.
#[derive(Serialize)]
pub struct Grid {
    /// Waves 1, 2, 3, then provision without a wave; only waves with provision.
    pub waves: Vec<GridWave>,
    /// Names of the terms of `[calendar]` that overlap the period, in order.
    pub terms: Vec<String>,
    pub rows: Vec<GridRow>,
}

#[derive(Serialize)]
pub struct GridWave {
    /// `1`, `2`, `3`; none when the catalogue entry has no `wave`.
    pub wave: Option<&'static str>,
    /// `Wave 2: targeted catch-up`, `Wave not recorded`.
    pub label: &'static str,
    /// Provision names (catalogue entry, else the intervention's), by name.
    pub columns: Vec<String>,
}

#[derive(Serialize)]
pub struct GridRow {
    pub id: String,
    pub name: String,
    pub year_label: Option<String>,
    pub class: Option<String>,
    /// Minutes a week the pupil receives of each column's provision in the
    /// period (the largest of their places of it), in the order of
    /// `waves[].columns`; none when they have no place.
    pub cells: Vec<Option<f64>>,
    /// Minutes a week of all their provision in each term of `terms`.
    pub terms: Vec<f64>,
    /// Minutes a week of all their provision in the period.
    pub total_minutes: f64,
    /// Entry and exit in words, one line per place with both recorded:
    /// `Precision Teaching: 21, first 100 words to 58`.
    pub impact: Vec<String>,
}

/// One place, as the grid needs it.
struct GridPlace {
    column: (Option<crate::model::Wave>, String),
    start: NaiveDate,
    end: Option<NaiveDate>,
    minutes: f64,
}

fn wave_label(w: Option<crate::model::Wave>) -> &'static str {
    use crate::model::Wave;
    match w {
        Some(Wave::One) => "Wave 1: quality-first teaching",
        Some(Wave::Two) => "Wave 2: targeted catch-up",
        Some(Wave::Three) => "Wave 3: individual and specialist",
        None => "Wave not recorded",
    }
}

/// Overlap of a place with a window of days.
fn overlaps(start: NaiveDate, end: Option<NaiveDate>, w0: Option<NaiveDate>, w1: Option<NaiveDate>) -> bool {
    w1.is_none_or(|w1| start <= w1)
        && match (end, w0) {
            (Some(e), Some(w0)) => e >= w0,
            _ => true,
        }
}

/// Minutes a week per column: the largest of the places that overlap the window.
fn minutes_by_column(
    places: &[GridPlace],
    w0: Option<NaiveDate>,
    w1: Option<NaiveDate>,
) -> BTreeMap<&(Option<crate::model::Wave>, String), f64> {
    let mut m: BTreeMap<&(Option<crate::model::Wave>, String), f64> = BTreeMap::new();
    for p in places.iter().filter(|p| overlaps(p.start, p.end, w0, w1)) {
        let e = m.entry(&p.column).or_insert(0.0);
        *e = e.max(p.minutes);
    }
    m
}

fn grid(cx: &Ctx, f: &Filter, w0: Option<NaiveDate>, w1: Option<NaiveDate>, pupils: Vec<GridPupil>) -> Grid {
    let terms: Vec<&Term> = match (f.term, &cx.settings.calendar) {
        (Some(t), _) => vec![t],
        (None, Some(c)) => c.terms.iter().filter(|t| overlaps(t.start, Some(t.end), w0, w1)).collect(),
        (None, None) => Vec::new(),
    };
    let mut columns: std::collections::BTreeSet<(Option<crate::model::Wave>, String)> = Default::default();
    for p in &pupils {
        columns.extend(p.places.iter().map(|pl| pl.column.clone()));
    }
    // Waves 1, 2, 3 first, then the provision without a wave.
    let mut order: Vec<(Option<crate::model::Wave>, String)> = columns.into_iter().collect();
    order.sort_by_key(|(w, n)| (w.is_none(), *w, n.clone()));
    let mut waves: Vec<GridWave> = Vec::new();
    for (w, name) in &order {
        match waves.last_mut() {
            Some(g) if g.wave == w.map(|w| w.as_str()) => g.columns.push(name.clone()),
            _ => {
                waves.push(GridWave { wave: w.map(|w| w.as_str()), label: wave_label(*w), columns: vec![name.clone()] })
            }
        }
    }
    let rows = pupils
        .into_iter()
        .map(|p| {
            let in_period = minutes_by_column(&p.places, w0, w1);
            GridRow {
                cells: order.iter().map(|c| in_period.get(c).copied()).collect(),
                total_minutes: in_period.values().sum(),
                terms: terms
                    .iter()
                    .map(|t| minutes_by_column(&p.places, Some(t.start), Some(t.end)).values().sum())
                    .collect(),
                id: p.row.0,
                name: p.row.1,
                year_label: p.row.2,
                class: p.row.3,
                impact: p.impact,
            }
        })
        .collect();
    Grid { waves, terms: terms.iter().map(|t| t.name.clone()).collect(), rows }
}

/// A pupil of the grid: (id, name, year, class), places, impact lines.
struct GridPupil {
    row: (String, String, Option<String>, Option<String>),
    places: Vec<GridPlace>,
    impact: Vec<String>,
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

use super::words::long_date as ld;

/// The window the map covers: the term, else the academic year, else from today on.
fn window(cx: &Ctx, f: &Filter) -> (Option<NaiveDate>, Option<NaiveDate>, String) {
    if let Some(t) = f.term {
        return (Some(t.start), Some(t.end), format!("{} term ({} to {})", t.name, ld(t.start), ld(t.end)));
    }
    match &cx.settings.calendar {
        Some(c) => {
            (Some(c.year_start), Some(c.year_end), format!("academic year {} to {}", ld(c.year_start), ld(c.year_end)))
        }
        None => (Some(cx.today), None, format!("provision running on or after {}", ld(cx.today))),
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
    let mut grid_pupils: Vec<GridPupil> = Vec::new();
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
        let mut gp = GridPupil {
            row: (rec.dir.clone(), name.clone(), row.year_label.clone(), row.class.clone()),
            places: Vec::new(),
            impact: Vec::new(),
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
            gp.places.push(GridPlace {
                column: (prov.and_then(|p| val(&p.wave)), group_name.clone()),
                start,
                end,
                minutes: sessions * minutes,
            });
            let score = |m: &Option<crate::model::Measurement>| {
                m.as_ref().and_then(|m| {
                    Some((super::words::score(val(&m.score)?, val(&m.scale)), text(&m.measure).map(str::to_string)))
                })
            };
            if let (Some((a, measure)), Some((b, _))) = (score(&iv.entry), score(&iv.exit)) {
                let measure = measure.map(|m| format!(" ({m})")).unwrap_or_default();
                gp.impact.push(format!("{iv_name}: {a} to {b}{measure}"));
            }
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
        if !gp.places.is_empty() {
            grid_pupils.push(gp);
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
        grid: grid(cx, f, w0, w1, grid_pupils),
        chart: bars(&areas.iter().map(|a| (a.area_label.clone(), a.yearly_cost)).collect::<Vec<_>>()),
        interventions,
        pupils,
        areas,
        staff,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Provision, Wave};
    use crate::repo::decode::{Cx, Decode};

    fn entry(yaml: &str) -> (Option<Provision>, Cx<'static>) {
        let node = crate::repo::yaml::parse(yaml).unwrap().unwrap();
        let mut cx = Cx::new("catalogue.yaml");
        let p = <Provision as Decode>::decode(&node, &mut cx);
        (p, cx)
    }

    #[test]
    fn a_wave_is_1_2_or_3_and_anything_else_is_a_located_error() {
        let (p, cx) = entry("id: pt\nname: PT\narea: cognition-and-learning\nwave: 3\n");
        assert!(cx.findings.is_empty());
        assert_eq!(p.and_then(|p| val(&p.wave)), Some(Wave::Three));
        let (_, cx) = entry("id: pt\nname: PT\narea: cognition-and-learning\nwave: 4\n");
        let f = &cx.findings[0];
        assert_eq!((f.code, f.message.as_str()), ("bad-value", "`4` is not a known wave"));
        let span = f.span.unwrap();
        assert_eq!((span.start.line, span.start.column), (4, 7), "at the value");
        assert!(f.hint.as_deref().unwrap_or_default().contains("wave is one of `1`, `2`, `3`"), "{:?}", f.hint);
    }

    #[test]
    fn grid_columns_go_by_wave_then_name_and_cells_keep_the_largest_place() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let place = |w: Option<Wave>, n: &str, s: &str, e: Option<&str>, m: f64| GridPlace {
            column: (w, n.to_string()),
            start: d(s),
            end: e.map(d),
            minutes: m,
        };
        let places = vec![
            place(None, "Reading buddy", "2026-09-01", None, 30.0),
            place(Some(Wave::Three), "Precision", "2026-09-01", Some("2026-12-18"), 50.0),
            place(Some(Wave::Three), "Precision", "2027-01-04", None, 25.0),
            place(Some(Wave::Two), "Phonics", "2025-01-01", Some("2025-07-01"), 80.0),
        ];
        let year = minutes_by_column(&places, Some(d("2026-09-01")), Some(d("2027-07-20")));
        assert_eq!(
            year.values().copied().collect::<Vec<_>>(),
            vec![30.0, 50.0],
            "no wave, then wave 3; the old place left out"
        );
        let spring = minutes_by_column(&places, Some(d("2027-01-04")), Some(d("2027-03-26")));
        assert_eq!(spring.values().sum::<f64>(), 55.0);
        assert_eq!(wave_label(Some(Wave::Two)), "Wave 2: targeted catch-up");
        assert_eq!(wave_label(None), "Wave not recorded");
    }
}
