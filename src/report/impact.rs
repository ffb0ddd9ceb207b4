//! Intervention impact: the change from entry to exit score of every
//! intervention with entry data, summarised per provision, need area and staff
//! member. Only like with like: gains are grouped by the `measure` (and
//! `scale`) they were taken on, so two scales are never averaged together.
//! Places without exit data are counted as "in progress", never dropped.

use crate::model::{cost, text, val, Area, Intervention};
use crate::output::{money, num, Block, Column, Document, Table};
use crate::query::delivery;
use crate::repo::{PupilRecord, Repo};
use crate::rules::dates::SchoolCalendar;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which interventions to include.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub provision: Option<String>,
    pub area: Option<Area>,
    pub year: Option<i64>,
    /// Interventions running at some time in [from, to].
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One pupil's place on one intervention.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Place {
    pub pupil: String,
    pub intervention: String,
    /// Catalogue id, or `name:` and the name for an intervention outside the catalogue.
    pub provision: String,
    pub provision_name: String,
    pub area: Option<Area>,
    pub staff: Option<String>,
    /// What the entry score measured (the exit's when the entry names none).
    pub measure: Option<String>,
    pub scale: Option<String>,
    pub entry: Option<f64>,
    pub exit: Option<f64>,
    /// Exit minus entry, for `completed` places only.
    pub gain: Option<f64>,
    /// Weeks from the entry date (else `start`) to the exit date (else `end`).
    pub weeks: Option<f64>,
    /// The cost of the place over the time it ran, up to today (`cost::over_run`).
    pub cost: f64,
    /// Minutes the pupil actually received, from the delivery records, from
    /// `start` to `end` or today; null ("not recorded") when the provision has
    /// no `delivery/` records at all, never 0 for that.
    pub minutes_received: Option<f64>,
    /// Minutes planned over the same days (docs/format.md, "Planned minutes");
    /// null without `[calendar]` terms or without delivery records.
    pub minutes_planned: Option<f64>,
    /// `completed` (entry and exit on one measure), `in-progress` (entry, no
    /// exit yet), `not-comparable` (exit on another measure or scale), or
    /// `no-data` (no entry score).
    pub status: &'static str,
}

/// Groups of fewer pupils carry a caveat ("too few to judge"), and staff
/// groups of fewer are left out of the governors' report: with so few
/// pupils a figure judges a person, not a provision.
pub const FEW_PUPILS: usize = 5;

/// A summary of the places sharing a provision (or area, or staff member) and
/// a measure and scale.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub key: String,
    pub name: String,
    pub measure: Option<String>,
    pub scale: Option<String>,
    /// Distinct pupils with a place in the group.
    pub pupils: usize,
    /// Fewer than [`FEW_PUPILS`] pupils: too few to judge a provision on, and
    /// a staff group this small is withheld from governors' reports (a
    /// consumer of the JSON withholds it too).
    pub fewer_than_5_pupils: bool,
    /// Places in the group (a pupil may have more than one).
    pub places: usize,
    pub completed: usize,
    pub in_progress: usize,
    pub not_comparable: usize,
    pub no_data: usize,
    pub median_gain: Option<f64>,
    pub mean_gain: Option<f64>,
    /// The smallest and largest gain of the completed places: the spread.
    pub min_gain: Option<f64>,
    pub max_gain: Option<f64>,
    /// Share of completed places whose score went up, 0..1.
    pub improved: Option<f64>,
    /// The cost of every place in the group.
    pub total_cost: f64,
    /// Total cost divided by the number of pupils.
    pub cost_per_pupil: f64,
    /// Cost per pupil divided by the median gain, when the median gain is above 0.
    pub cost_per_point: Option<f64>,
    /// Places whose minutes received are recorded (delivery records exist).
    pub places_with_delivery: usize,
    /// The median of their minutes received; null when none is recorded.
    pub median_minutes_received: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Impact {
    pub places: Vec<Place>,
    pub by_provision: Vec<Group>,
    pub by_area: Vec<Group>,
    pub by_staff: Vec<Group>,
}

pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mid = values.get(n / 2).copied()?;
    Some(if n % 2 == 1 { mid } else { (values.get(n / 2 - 1).copied()? + mid) / 2.0 })
}

/// What the place received over its run (start to end, or today), from the delivery records.
fn minutes(
    repo: &Repo,
    cx: &Lookups,
    rec: &PupilRecord,
    iv: &Intervention,
    today: NaiveDate,
) -> (Option<f64>, Option<f64>) {
    let (Some(start), end) = (val(&iv.start), val(&iv.end)) else { return (None, None) };
    let to = end.map_or(today, |e| e.min(today));
    let provision = text(&iv.provision).and_then(|p| cx.catalogue.get(p).copied());
    let f = match &cx.calendar {
        Some(cal) => delivery::figures(cal, rec, iv, provision, &repo.delivery, &cx.catalogue, start, to),
        None => delivery::delivered(rec, iv, provision, &repo.delivery, &cx.catalogue, start, to),
    };
    if !f.recorded {
        return (None, None);
    }
    (Some(f.delivered_minutes), cx.calendar.as_ref().map(|_| f.planned_minutes))
}

/// Lookups shared by every place.
struct Lookups<'a> {
    catalogue: std::collections::HashMap<&'a str, &'a crate::model::Provision>,
    calendar: Option<SchoolCalendar>,
}

fn place(repo: &Repo, cx: &Lookups, rec: &PupilRecord, iv: &Intervention, today: NaiveDate) -> Place {
    let provision = text(&iv.provision).and_then(|id| repo.catalogue.iter().find(|c| text(&c.id) == Some(id)));
    let staff = text(&iv.staff).and_then(|id| repo.staff.iter().find(|s| text(&s.id) == Some(id)));
    let area = provision.and_then(|p| val(&p.area)).or_else(|| {
        let target = iv.targets.as_ref()?.first()?;
        let need = rec.targets.iter().find(|t| text(&t.id) == Some(target.value.as_str()))?.need.as_ref()?;
        rec.needs.iter().find(|n| text(&n.id) == Some(need.value.as_str())).and_then(|n| val(&n.area))
    });
    let key = text(&iv.provision).map_or_else(|| format!("name:{}", text(&iv.name).unwrap_or("?")), str::to_string);
    let name = text(&iv.name)
        .or_else(|| provision.and_then(|p| text(&p.name)))
        .or_else(|| text(&iv.provision))
        .unwrap_or("?")
        .to_string();
    let entry = iv.entry.as_ref();
    let exit = iv.exit.as_ref();
    let entry_measure = entry.and_then(|e| text(&e.measure)).map(|m| m.trim().to_string());
    let exit_measure = exit.and_then(|e| text(&e.measure)).map(|m| m.trim().to_string());
    let entry_scale = entry.and_then(|e| val(&e.scale));
    let exit_scale = exit.and_then(|e| val(&e.scale));
    let comparable = iv.comparable();
    let measure = entry_measure.or(exit_measure);
    let scale = entry_scale.or(exit_scale).map(|s| s.to_string());
    let entry_score = entry.and_then(|e| val(&e.score));
    let exit_score = exit.and_then(|e| val(&e.score));
    let (status, gain) = match (entry_score, exit_score) {
        (None, _) => ("no-data", None),
        (Some(_), None) => ("in-progress", None),
        (Some(_), Some(_)) if !comparable => ("not-comparable", None),
        (Some(a), Some(b)) => ("completed", Some(b - a)),
    };
    let began = entry.and_then(|e| val(&e.date)).or(val(&iv.start));
    let ended = exit.and_then(|e| val(&e.date)).or(val(&iv.end));
    let (minutes_received, minutes_planned) = minutes(repo, cx, rec, iv, today);
    let weeks = match (began, ended) {
        (Some(a), Some(b)) if b >= a => Some((b - a).num_days() as f64 / 7.0),
        _ => None,
    };
    Place {
        pupil: rec.dir.clone(),
        intervention: text(&iv.id).unwrap_or("?").to_string(),
        provision: key,
        provision_name: name,
        area,
        staff: text(&iv.staff).map(str::to_string),
        measure,
        scale,
        entry: entry_score,
        exit: exit_score,
        gain,
        weeks,
        cost: cost::over_run(&repo.settings, iv, staff, provision, today),
        minutes_received,
        minutes_planned,
        status,
    }
}

fn keep(f: &Filter, rec: &PupilRecord, iv: &Intervention, p: &Place) -> bool {
    if f.provision.as_deref().is_some_and(|want| want != p.provision) {
        return false;
    }
    if f.area.is_some() && f.area != p.area {
        return false;
    }
    if f.year.is_some() && f.year != rec.pupil.as_ref().and_then(|p| val(&p.year_group)) {
        return false;
    }
    let (start, end) = (val(&iv.start), val(&iv.end));
    if let (Some(to), Some(start)) = (f.to, start) {
        if start > to {
            return false;
        }
    }
    if let (Some(from), Some(end)) = (f.from, end) {
        if end < from {
            return false;
        }
    }
    true
}

/// Places grouped by (key, measure in lowercase, scale), with the group's
/// display name and measure as first seen.
type Groups<'a> = BTreeMap<(String, Option<String>, Option<String>), (String, Option<String>, Vec<&'a Place>)>;

fn group<'a>(places: impl Iterator<Item = (&'a Place, String, String)>) -> Vec<Group> {
    let mut groups: Groups<'a> = BTreeMap::new();
    for (p, key, name) in places {
        let measure_key = p.measure.as_ref().map(|m| m.to_lowercase());
        groups
            .entry((key, measure_key, p.scale.clone()))
            .or_insert_with(|| (name, p.measure.clone(), Vec::new()))
            .2
            .push(p);
    }
    groups
        .into_iter()
        .map(|((key, _, scale), (name, measure, ps))| {
            let mut gains: Vec<f64> = ps.iter().filter_map(|p| p.gain).collect();
            let completed = gains.len();
            let mean_gain = (completed > 0).then(|| gains.iter().sum::<f64>() / completed as f64);
            let improved =
                (completed > 0).then(|| gains.iter().filter(|g| **g > 0.0).count() as f64 / completed as f64);
            let median_gain = median(&mut gains);
            // `median` sorted the gains.
            let (min_gain, max_gain) = (gains.first().copied(), gains.last().copied());
            let mut pupils: Vec<&str> = ps.iter().map(|p| p.pupil.as_str()).collect();
            pupils.sort_unstable();
            pupils.dedup();
            let total_cost = ps.iter().map(|p| p.cost).sum::<f64>();
            let cost_per_pupil = total_cost / pupils.len().max(1) as f64;
            let count = |status: &str| ps.iter().filter(|p| p.status == status).count();
            let mut received: Vec<f64> = ps.iter().filter_map(|p| p.minutes_received).collect();
            Group {
                places_with_delivery: received.len(),
                median_minutes_received: median(&mut received),
                key,
                name,
                measure,
                scale,
                fewer_than_5_pupils: pupils.len() < FEW_PUPILS,
                pupils: pupils.len(),
                places: ps.len(),
                completed,
                in_progress: count("in-progress"),
                not_comparable: count("not-comparable"),
                no_data: count("no-data"),
                median_gain,
                mean_gain,
                min_gain,
                max_gain,
                improved,
                total_cost,
                cost_per_pupil,
                cost_per_point: median_gain.filter(|m| *m > 0.0).map(|m| cost_per_pupil / m),
            }
        })
        .collect()
}

/// The impact of every intervention of the pupils on roll that passes
/// `filter`; costs are counted up to `today`.
pub fn impact(repo: &Repo, filter: &Filter, today: NaiveDate) -> Impact {
    let mut places = Vec::new();
    let cx = Lookups { catalogue: repo.catalogue_by_id(), calendar: SchoolCalendar::from_settings(&repo.settings) };
    for rec in &repo.pupils {
        for iv in &rec.interventions {
            let p = place(repo, &cx, rec, iv, today);
            if keep(filter, rec, iv, &p) {
                places.push(p);
            }
        }
    }
    // A catalogue entry's group carries the catalogue's name, not one place's own `name`.
    let by_provision = group(places.iter().map(|p| {
        let name =
            repo.catalogue.iter().find(|c| text(&c.id) == Some(p.provision.as_str())).and_then(|c| text(&c.name));
        (p, p.provision.clone(), name.unwrap_or(&p.provision_name).to_string())
    }));
    let by_area = group(places.iter().map(|p| {
        // The key stays the format's word; the name is what a governor reads.
        let key = p.area.map_or("unknown", |a| a.as_str()).to_string();
        let name = p.area.map_or("Area not recorded", crate::render::views::area_label).to_string();
        (p, key, name)
    }));
    let by_staff = group(places.iter().map(|p| {
        let s = p.staff.clone().unwrap_or_else(|| "unassigned".into());
        let name = repo
            .staff
            .iter()
            .find(|x| text(&x.id) == Some(s.as_str()))
            .and_then(|x| text(&x.name))
            .unwrap_or(&s)
            .to_string();
        (p, s, name)
    }));
    Impact { places, by_provision, by_area, by_staff }
}

/// Totals over every place in the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub places: usize,
    pub pupils: usize,
    pub completed: usize,
    pub in_progress: usize,
    pub not_comparable: usize,
    pub no_data: usize,
    pub total_cost: f64,
}

/// The filters as given, echoed in the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FilterView {
    pub provision: Option<String>,
    pub area: Option<&'static str>,
    pub year: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// `senco impact --format json` (docs/evidence.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    pub school: String,
    pub currency: String,
    pub filter: FilterView,
    pub summary: Summary,
    pub by_provision: Vec<Group>,
    pub by_area: Vec<Group>,
    pub by_staff: Vec<Group>,
    pub places: Vec<Place>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Shown figures: money, gains and weeks to 2 decimals, shares to 3; the
/// sums and medians behind them were taken unrounded.
fn round_group(g: &mut Group) {
    g.median_gain = g.median_gain.map(|x| round(x, 2));
    g.mean_gain = g.mean_gain.map(|x| round(x, 2));
    g.min_gain = g.min_gain.map(|x| round(x, 2));
    g.max_gain = g.max_gain.map(|x| round(x, 2));
    g.improved = g.improved.map(|x| round(x, 3));
    g.total_cost = round(g.total_cost, 2);
    g.cost_per_pupil = round(g.cost_per_pupil, 2);
    g.cost_per_point = g.cost_per_point.map(|x| round(x, 2));
    g.median_minutes_received = g.median_minutes_received.map(|x| round(x, 0));
}

pub fn report(repo: &Repo, filter: &Filter, today: NaiveDate) -> Report {
    let Impact { mut places, mut by_provision, mut by_area, mut by_staff } = impact(repo, filter, today);
    let count = |status: &str| places.iter().filter(|p| p.status == status).count();
    let mut pupils: Vec<&str> = places.iter().map(|p| p.pupil.as_str()).collect();
    pupils.sort_unstable();
    pupils.dedup();
    let summary = Summary {
        places: places.len(),
        pupils: pupils.len(),
        completed: count("completed"),
        in_progress: count("in-progress"),
        not_comparable: count("not-comparable"),
        no_data: count("no-data"),
        total_cost: round(places.iter().map(|p| p.cost).sum(), 2),
    };
    for g in by_provision.iter_mut().chain(&mut by_area).chain(&mut by_staff) {
        round_group(g);
    }
    for p in &mut places {
        p.cost = round(p.cost, 2);
        p.minutes_received = p.minutes_received.map(|m| round(m, 0));
        p.minutes_planned = p.minutes_planned.map(|m| round(m, 0));
        p.weeks = p.weeks.map(|w| round(w, 2));
        p.gain = p.gain.map(|x| round(x, 2));
    }
    Report {
        version: crate::query::VERSION,
        today: today.to_string(),
        school: repo.settings.school.name.clone(),
        currency: repo.settings.costs.currency.clone(),
        filter: FilterView {
            provision: filter.provision.clone(),
            area: filter.area.map(|a| a.as_str()),
            year: filter.year,
            from: filter.from.map(|d| d.to_string()),
            to: filter.to.map(|d| d.to_string()),
        },
        summary,
        by_provision,
        by_area,
        by_staff,
        places,
    }
}

/// Minutes received where the provision has no delivery records.
const NOT_RECORDED: &str = "not recorded";

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), num)
}

fn signed(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 => format!("+{}", num(x)),
        other => opt(other),
    }
}

fn group_table(first: &str, with_name: bool, groups: &[&Group], empty: &str) -> Block {
    let mut cols = vec![Column::left(first)];
    if with_name {
        cols.push(Column::left("name"));
    }
    cols.extend([
        Column::left("measure"),
        Column::left("scale"),
        Column::right("pupils"),
        Column::right("completed"),
        Column::right("in progress"),
        Column::right("places not comparable"),
        Column::right("places with no data"),
        Column::right("median gain"),
        Column::right("median minutes received"),
        Column::right("mean gain"),
        Column::right("improved %"),
        Column::right("cost per pupil to date"),
        Column::right("cost per point"),
        Column::left("caveat"),
    ]);
    let mut t = Table::new(cols, empty);
    for g in groups {
        // An intervention outside the catalogue has no id to show; its name says what it is.
        // Without a name column the first column names the group in words
        // (an area of need as governors read it, not the format's word).
        let mut row = vec![if g.key.starts_with("name:") {
            String::new()
        } else if with_name {
            g.key.clone()
        } else {
            g.name.clone()
        }];
        if with_name {
            row.push(g.name.clone());
        }
        row.extend([
            g.measure.clone().unwrap_or_default(),
            // In words, as the HTML report has it: `standard score`, not `standard-score`.
            g.scale.as_deref().unwrap_or_default().replace('-', " "),
            g.pupils.to_string(),
            g.completed.to_string(),
            g.in_progress.to_string(),
            g.not_comparable.to_string(),
            g.no_data.to_string(),
            signed(g.median_gain),
            g.median_minutes_received.map_or_else(|| NOT_RECORDED.to_string(), |m| num(m.round())),
            signed(g.mean_gain),
            g.improved.map_or(String::new(), |x| num((x * 1000.0).round() / 10.0)),
            money(g.cost_per_pupil),
            g.cost_per_point.map_or(String::new(), money),
            if g.fewer_than_5_pupils { FEW_CAVEAT.to_string() } else { String::new() },
        ]);
        t.push(row);
    }
    Block::Table(t)
}

/// The caveat beside a group of fewer than [`FEW_PUPILS`] pupils.
const FEW_CAVEAT: &str = "fewer than 5 pupils: too few to judge";

/// Why staff groups are missing from the breakdown by staff member.
pub fn staff_withheld_note(withheld: usize) -> String {
    let (groups, verb) = if withheld == 1 { ("group", "is") } else { ("groups", "are") };
    format!(
        "By staff member: {withheld} {groups} with fewer than {FEW_PUPILS} pupils {verb} not shown: too few pupils \
         to judge anyone's work on."
    )
}

/// Summary, the three groupings, then every place.
pub fn document(r: &Report) -> Document {
    let mut d =
        Document { title: Some(format!("{}: intervention impact on {}", r.school, r.today)), ..Default::default() };
    let s = &r.summary;
    let mut fields = vec![
        ("Places".to_string(), s.places.to_string()),
        ("Pupils".to_string(), s.pupils.to_string()),
        ("Completed (entry and exit)".to_string(), s.completed.to_string()),
        ("In progress (no exit yet)".to_string(), s.in_progress.to_string()),
        ("Not comparable (exit on another measure)".to_string(), s.not_comparable.to_string()),
        ("No entry data".to_string(), s.no_data.to_string()),
        (format!("Total cost ({})", r.currency), money(s.total_cost)),
    ];
    let f = &r.filter;
    let filters: Vec<String> = [
        f.provision.as_ref().map(|p| format!("provision {p}")),
        f.area.map(|a| format!("area {a}")),
        f.year.map(|y| format!("year {y}")),
        f.from.as_ref().map(|x| format!("from {x}")),
        f.to.as_ref().map(|x| format!("to {x}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !filters.is_empty() {
        fields.push(("Filter".to_string(), filters.join(", ")));
    }
    d.section("Summary", Block::Fields(fields));
    fn all(gs: &[Group]) -> Vec<&Group> {
        gs.iter().collect()
    }
    d.section("By provision", group_table("provision", true, &all(&r.by_provision), "No interventions."));
    d.section("By area of need", group_table("area of need", false, &all(&r.by_area), "No interventions."));
    // Governors read this report: a staff group of fewer than 5 pupils is
    // withheld (the JSON keeps it, flagged `fewer_than_5_pupils`).
    let (staff, withheld): (Vec<&Group>, Vec<&Group>) = r.by_staff.iter().partition(|g| !g.fewer_than_5_pupils);
    let empty = if r.by_staff.is_empty() {
        "No interventions.".to_string()
    } else {
        format!("No staff member has {FEW_PUPILS} pupils or more.")
    };
    d.section("By staff member", group_table("staff", true, &staff, &empty));
    let mut t = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("intervention"),
            Column::left("provision"),
            Column::left("measure"),
            Column::left("scale"),
            Column::right("entry"),
            Column::right("exit"),
            Column::right("gain"),
            Column::right("minutes received"),
            Column::right("minutes planned"),
            Column::right("weeks"),
            Column::right("cost since start"),
            Column::left("status"),
        ],
        "No interventions.",
    );
    for p in &r.places {
        t.push(vec![
            p.pupil.clone(),
            p.intervention.clone(),
            p.provision.clone(),
            p.measure.clone().unwrap_or_default(),
            p.scale.clone().unwrap_or_default(),
            opt(p.entry),
            opt(p.exit),
            signed(p.gain),
            p.minutes_received.map_or_else(|| NOT_RECORDED.to_string(), |m| num(m.round())),
            p.minutes_planned.map_or(String::new(), |m| num(m.round())),
            p.weeks.map_or(String::new(), |w| format!("{w:.1}")),
            money(p.cost),
            p.status.to_string(),
        ]);
    }
    d.section("Places", Block::Table(t));
    if !withheld.is_empty() {
        d.notes.push(staff_withheld_note(withheld.len()));
    }
    d.notes.push(
        "Like with like: gains are exit minus entry on the same measure and scale; each measure and scale is a row \
         of its own, never averaged with another. Costs are each place's cost since it started, up to its end or today, \
         whichever is first (the pupil's share of a group); they are not this academic year's cost that the provision \
         map, `show` and `check` give. Minutes received are the minutes of the sessions each pupil attended, from \
         the delivery records, over the same days; \"not recorded\" where the provision has no delivery records."
            .into(),
    );
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn the_staff_note_counts_in_words() {
        assert_eq!(
            staff_withheld_note(1),
            "By staff member: 1 group with fewer than 5 pupils is not shown: too few pupils to judge anyone's work on."
        );
        assert!(staff_withheld_note(2).contains("2 groups with fewer than 5 pupils are not shown"));
    }
}
