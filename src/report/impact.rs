//! Intervention impact: the change from entry to exit score of every
//! intervention with entry data, summarised per provision, need area and staff
//! member. Only like with like: gains are grouped by the `measure` (and
//! `scale`) they were taken on, so two scales are never averaged together.
//! Places without exit data are counted as "in progress", never dropped.

use crate::model::{cost, text, val, Area, Intervention, Settings};
use crate::repo::{PupilRecord, Repo};
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
    /// Catalogue id, or `name:` for an intervention outside the catalogue.
    pub provision: String,
    pub provision_name: String,
    pub area: Option<Area>,
    pub staff: Option<String>,
    pub measure: Option<String>,
    pub scale: Option<String>,
    pub entry: Option<f64>,
    pub exit: Option<f64>,
    pub gain: Option<f64>,
    pub weeks: Option<f64>,
    pub yearly_cost: f64,
    /// `completed` (entry and exit on one measure), `in-progress` (entry, no
    /// exit yet), `not-comparable` (exit on another measure or scale), or
    /// `no-data` (no entry score).
    pub status: &'static str,
}

/// A summary of the places sharing a provision (or area, or staff member) and
/// a measure and scale.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub key: String,
    pub name: String,
    pub measure: Option<String>,
    pub scale: Option<String>,
    pub pupils: usize,
    pub completed: usize,
    pub in_progress: usize,
    pub no_data: usize,
    pub median_gain: Option<f64>,
    pub mean_gain: Option<f64>,
    /// Share of completed places whose score went up, 0..1.
    pub improved: Option<f64>,
    /// Mean yearly cost of a place.
    pub cost_per_pupil: f64,
    /// Cost per pupil divided by the median gain, when the median gain is above 0.
    pub cost_per_point: Option<f64>,
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
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

fn place(repo: &Repo, settings: &Settings, rec: &PupilRecord, iv: &Intervention) -> Place {
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
    let measure = entry.and_then(|e| text(&e.measure)).map(str::to_string);
    let scale = entry.and_then(|e| val(&e.scale)).or_else(|| exit.and_then(|e| val(&e.scale))).map(|s| s.to_string());
    let entry_score = entry.and_then(|e| val(&e.score));
    let exit_score = exit.and_then(|e| val(&e.score));
    let comparable = exit.is_none_or(|x| {
        text(&x.measure).is_none_or(|m| Some(m) == measure.as_deref())
            && val(&x.scale).is_none_or(|s| entry.and_then(|e| val(&e.scale)).is_none_or(|es| es == s))
    });
    let (status, gain) = match (entry_score, exit_score) {
        (None, _) => ("no-data", None),
        (Some(_), None) => ("in-progress", None),
        (Some(_), Some(_)) if !comparable => ("not-comparable", None),
        (Some(a), Some(b)) => ("completed", Some(b - a)),
    };
    let began = entry.and_then(|e| val(&e.date)).or(val(&iv.start));
    let ended = exit.and_then(|e| val(&e.date)).or(val(&iv.end));
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
        yearly_cost: cost::yearly(settings, iv, staff, provision),
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

/// Places grouped by (key, measure, scale), with the group's display name.
type Groups<'a> = BTreeMap<(String, Option<String>, Option<String>), (String, Vec<&'a Place>)>;

fn group<'a>(places: impl Iterator<Item = (&'a Place, String, String)>) -> Vec<Group> {
    let mut groups: Groups<'a> = BTreeMap::new();
    for (p, key, name) in places {
        groups.entry((key, p.measure.clone(), p.scale.clone())).or_insert_with(|| (name, Vec::new())).1.push(p);
    }
    groups
        .into_iter()
        .map(|((key, measure, scale), (name, ps))| {
            let mut gains: Vec<f64> = ps.iter().filter_map(|p| p.gain).collect();
            let completed = gains.len();
            let mean_gain = (completed > 0).then(|| gains.iter().sum::<f64>() / completed as f64);
            let improved =
                (completed > 0).then(|| gains.iter().filter(|g| **g > 0.0).count() as f64 / completed as f64);
            let median_gain = median(&mut gains);
            let mut pupils: Vec<&str> = ps.iter().map(|p| p.pupil.as_str()).collect();
            pupils.sort_unstable();
            pupils.dedup();
            let cost_per_pupil = ps.iter().map(|p| p.yearly_cost).sum::<f64>() / ps.len().max(1) as f64;
            Group {
                key,
                name,
                measure,
                scale,
                pupils: pupils.len(),
                completed,
                in_progress: ps.iter().filter(|p| p.status == "in-progress").count(),
                no_data: ps.iter().filter(|p| matches!(p.status, "no-data" | "not-comparable")).count(),
                median_gain,
                mean_gain,
                improved,
                cost_per_pupil,
                cost_per_point: median_gain.filter(|m| *m > 0.0).map(|m| cost_per_pupil / m),
            }
        })
        .collect()
}

/// The impact of every intervention of the pupils on roll that passes `filter`.
pub fn impact(repo: &Repo, filter: &Filter) -> Impact {
    let mut places = Vec::new();
    for rec in &repo.pupils {
        for iv in &rec.interventions {
            let p = place(repo, &repo.settings, rec, iv);
            if keep(filter, rec, iv, &p) {
                places.push(p);
            }
        }
    }
    let by_provision = group(places.iter().map(|p| (p, p.provision.clone(), p.provision_name.clone())));
    let by_area = group(places.iter().map(|p| {
        let a = p.area.map_or("unknown", |a| a.as_str()).to_string();
        (p, a.clone(), a)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
