//! `senco stats`: the register in numbers, for governors' reports and the
//! SEN information report.

use super::{primary_need, VERSION};
use crate::model::{text, val, Area, Status};
use crate::output::{num, percent, Block, Column, Document, Table};
use crate::repo::Repo;
use crate::rules;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Serialize)]
pub struct Count {
    /// The level, area, need type or year group counted (`none` when not recorded).
    pub key: String,
    pub pupils: usize,
    /// Share of the group's whole, in percent, one decimal; `null` for a
    /// share of the roll when the roll is not recorded.
    pub percent: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    pub school: String,
    pub jurisdiction: &'static str,
    /// The number on roll from senco.toml `[school] roll` (the count dated
    /// on or before today), `null` when not recorded.
    pub roll: Option<u32>,
    /// The date of that count, `null` for an undated `roll = N` or no roll.
    pub roll_date: Option<String>,
    /// Pupils with records in `pupils/` (SEN and watch list: not the roll).
    pub records: usize,
    /// Pupils on the SEN register (above `monitoring`).
    pub register: usize,
    /// register / roll, in percent; `null` when the roll is not recorded.
    pub register_percent: Option<f64>,
    pub statutory_plans: usize,
    /// Every level of the jurisdiction, of the pupils with records, in percent of the roll.
    pub by_level: Vec<Count>,
    /// Register pupils by the area of their primary need.
    pub by_primary_area: Vec<Count>,
    /// Register pupils with at least one need in each area, whatever its rank
    /// (a pupil with needs in two areas counts in both), in percent of the
    /// roll: the figures an SEN information report publishes.
    pub by_area: Vec<Count>,
    /// Register pupils by the type of their primary need.
    pub by_primary_need: Vec<Count>,
    /// Register pupils by year group.
    pub by_year_group: Vec<Count>,
    /// Register pupils with a review (support, annual, reevaluation) past due today.
    pub reviews_overdue: usize,
    /// The academic year from senco.toml `[calendar]`; null without one.
    pub academic_year: Option<AcademicYear>,
    /// Staff training held, one entry per course (staff.yaml `training`), for
    /// the SEN information report's "expertise and training of staff".
    pub training: Vec<CourseHeld>,
}

/// One course, over the staff who took it (each member's latest entry of it).
#[derive(Debug, Serialize, PartialEq)]
pub struct CourseHeld {
    /// As written (courses are matched ignoring case; of several spellings, the first in sort order).
    pub course: String,
    /// Staff holding it today: not lapsed (or never lapsing).
    pub staff: usize,
    /// Of those, staff whose training lapses within 60 days.
    pub expiring: usize,
    /// Staff whose training has lapsed and not been renewed.
    pub lapsed: usize,
}

/// The window of `expiring`, as `senco training`'s default.
pub const TRAINING_WINDOW: i64 = 60;

/// Courses held, sorted by course name (ignoring case).
pub fn training_held(repo: &Repo, today: NaiveDate) -> Vec<CourseHeld> {
    let rows = super::training::query(repo, today, TRAINING_WINDOW, false).rows;
    // (course key, staff) -> the latest entry's status.
    let mut latest: BTreeMap<(String, String), (Option<String>, &'static str)> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for r in &rows {
        let key = r.course.trim().to_lowercase();
        // One spelling for the course whatever the order of staff.yaml: the
        // first in sort order (a capital before a small letter).
        let spelt = r.course.trim().to_string();
        let name = names.entry(key.clone()).or_insert_with(|| spelt.clone());
        if spelt < *name {
            *name = spelt;
        }
        let e = latest.entry((key, r.staff.clone())).or_insert((r.date.clone(), r.status));
        if r.date >= e.0 {
            *e = (r.date.clone(), r.status);
        }
    }
    let mut out: BTreeMap<String, CourseHeld> = BTreeMap::new();
    for ((key, _), (_, status)) in latest {
        let c = out.entry(key.clone()).or_insert_with(|| CourseHeld {
            course: names.get(&key).cloned().unwrap_or_default(),
            staff: 0,
            expiring: 0,
            lapsed: 0,
        });
        match status {
            "expired" => c.lapsed += 1,
            "expiring" => {
                c.staff += 1;
                c.expiring += 1;
            }
            _ => c.staff += 1,
        }
    }
    out.into_values().collect()
}

#[derive(Debug, Serialize)]
pub struct AcademicYear {
    pub start: String,
    pub end: String,
    /// Distinct targets rated `achieved` at a review held this academic year, up to today.
    pub targets_achieved: usize,
    /// Targets with a `set` date this academic year, up to today.
    pub targets_set: usize,
}

fn counts(map: BTreeMap<String, usize>, whole: Option<usize>) -> Vec<Count> {
    map.into_iter().map(|(key, pupils)| Count { key, pupils, percent: whole.map(|w| percent(pupils, w)) }).collect()
}

/// Shown instead of a share of the roll when senco.toml records no roll.
pub const NO_ROLL: &str = "roll not recorded";

fn register_len(on_roll: &[&crate::repo::PupilRecord]) -> usize {
    on_roll.iter().filter(|r| r.pupil.as_ref().and_then(|p| p.level()).is_some_and(|l| l.on_register())).count()
}

pub fn query(repo: &Repo, today: NaiveDate) -> Report {
    let settings = &repo.settings;
    let juris = settings.school.jurisdiction;
    let on_roll: Vec<_> = repo.pupils.iter().filter(|r| r.pupil.is_some()).collect();
    let roll_count = settings.school.roll_on(today);
    // Shares of the roll only from the recorded roll, never from the folder.
    let roll = roll_count.map(|r| r.pupils as usize);
    let reg = Some(register_len(&on_roll));
    let register: Vec<_> =
        on_roll.iter().filter(|r| r.pupil.as_ref().and_then(|p| p.level()).is_some_and(|l| l.on_register())).collect();

    let mut by_level: Vec<Count> = juris
        .levels()
        .iter()
        .map(|l| {
            let n = on_roll.iter().filter(|r| r.pupil.as_ref().and_then(|p| p.level()) == Some(*l)).count();
            Count { key: l.as_str().to_string(), pupils: n, percent: roll.map(|w| percent(n, w)) }
        })
        .collect();
    let other = on_roll.len() - by_level.iter().map(|c| c.pupils).sum::<usize>();
    if other > 0 {
        by_level.push(Count { key: "none".into(), pupils: other, percent: roll.map(|w| percent(other, w)) });
    }

    let (mut areas, mut types, mut years) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    // Every area listed, zero included, so the published table has a fixed shape.
    let mut any_area: BTreeMap<String, usize> = Area::WORDS.iter().map(|a| (a.to_string(), 0)).collect();
    let mut overdue = 0;
    for rec in &register {
        let mut mine: Vec<Area> = rec.needs.iter().filter_map(|n| val(&n.area)).collect();
        mine.sort_by_key(|a| a.as_str());
        mine.dedup();
        for a in mine {
            *any_area.entry(a.as_str().to_string()).or_insert(0) += 1;
        }
        let need = primary_need(rec);
        let area = need.and_then(|n| val(&n.area)).map_or("none", |a| a.as_str());
        *areas.entry(area.to_string()).or_insert(0) += 1;
        let ty = need.and_then(|n| text(&n.r#type)).map_or("none".to_string(), |t| t.trim().to_string());
        *types.entry(ty).or_insert(0) += 1;
        let year = rec.pupil.as_ref().and_then(|p| val(&p.year_group));
        // Keyed by number so year groups sort numerically (nursery -1 first); `none` last.
        *years.entry((year.is_none(), year.unwrap_or(0))).or_insert(0) += 1;
        if rules::due_items(settings, rec, today).iter().any(|d| d.due < today) {
            overdue += 1;
        }
    }
    let by_year_group = years
        .into_iter()
        .map(|((none, y), n)| Count {
            key: if none { "none".to_string() } else { y.to_string() },
            pupils: n,
            percent: Some(percent(n, register.len())),
        })
        .collect();

    let academic_year = settings.calendar.as_ref().map(|cal| {
        let end = cal.year_end.min(today);
        let in_year = |d: NaiveDate| d >= cal.year_start && d <= end;
        let mut achieved = BTreeSet::new();
        let mut set = 0;
        for rec in &on_roll {
            for r in &rec.reviews {
                if !val(&r.review.date).is_some_and(in_year) {
                    continue;
                }
                for tp in r.review.targets.iter().flatten() {
                    if let (Some(Status::Achieved), Some(t)) = (val(&tp.progress), text(&tp.target)) {
                        achieved.insert((rec.dir.as_str(), t));
                    }
                }
            }
            set += rec.targets.iter().filter(|t| val(&t.set).is_some_and(in_year)).count();
        }
        AcademicYear {
            start: cal.year_start.to_string(),
            end: cal.year_end.to_string(),
            targets_achieved: achieved.len(),
            targets_set: set,
        }
    });

    Report {
        version: VERSION,
        today: today.to_string(),
        school: settings.school.name.clone(),
        jurisdiction: juris.as_str(),
        roll: roll_count.map(|r| r.pupils),
        roll_date: roll_count.and_then(|r| r.date).map(|d| d.to_string()),
        records: on_roll.len(),
        register: register.len(),
        register_percent: roll.map(|w| percent(register.len(), w)),
        statutory_plans: register
            .iter()
            .filter(|r| r.pupil.as_ref().and_then(|p| p.level()).is_some_and(|l| l.statutory()))
            .count(),
        by_level,
        by_primary_area: counts(areas, reg),
        by_area: counts(any_area, roll),
        by_primary_need: counts(types, reg),
        by_year_group,
        reviews_overdue: overdue,
        academic_year,
        training: training_held(repo, today),
    }
}

fn count_table(first: &str, counts: &[Count]) -> Block {
    count_table_as(first, counts, &|k| k.to_string())
}

/// A count table whose first column shows each key as `label` says.
fn count_table_as(first: &str, counts: &[Count], label: &dyn Fn(&str) -> String) -> Block {
    let mut t = Table::new(vec![Column::left(first), Column::right("pupils"), Column::right("percent")], "None.");
    for c in counts {
        t.push(vec![label(&c.key), c.pupils.to_string(), c.percent.map_or_else(|| NO_ROLL.to_string(), num)]);
    }
    Block::Table(t)
}

/// "Pupils on roll" in words: the number, or "roll not recorded" and how to record it.
pub fn roll_text(r: &Report) -> String {
    match (r.roll, &r.roll_date) {
        (Some(n), Some(d)) => format!("{n} (count of {d})"),
        (Some(n), None) => n.to_string(),
        (None, _) => format!("{NO_ROLL} (set `roll` under [school] in senco.toml)"),
    }
}

/// "On the SEN register" in words: the count, and its share of the roll when recorded.
pub fn register_text(r: &Report) -> String {
    match r.register_percent {
        Some(p) => format!("{} ({}% of the roll)", r.register, num(p)),
        None => format!("{} ({NO_ROLL})", r.register),
    }
}

/// The tables; `j` says how year groups are written (`R` for Reception).
pub fn document(r: &Report, j: crate::model::settings::Jurisdiction) -> Document {
    let mut d = Document { title: Some(format!("{}: SEN statistics on {}", r.school, r.today)), ..Default::default() };
    let (roll, register) = (roll_text(r), register_text(r));
    let mut summary = vec![
        ("Pupils on roll".to_string(), roll),
        ("Pupils with records".to_string(), r.records.to_string()),
        ("On the SEN register".to_string(), register),
        ("With a statutory plan".to_string(), r.statutory_plans.to_string()),
        ("Reviews overdue".to_string(), r.reviews_overdue.to_string()),
    ];
    if let Some(y) = &r.academic_year {
        summary.push(("Academic year".into(), format!("{} to {}", y.start, y.end)));
        summary.push(("Targets set this year".into(), y.targets_set.to_string()));
        summary.push(("Targets achieved this year".into(), y.targets_achieved.to_string()));
    }
    d.section("Summary", Block::Fields(summary));
    d.section("By level (pupils with records, share of the roll)", count_table("level", &r.by_level));
    d.section("By primary area of need (register)", count_table("area", &r.by_primary_area));
    d.section("By area of need, any need (register, share of the roll)", count_table("area", &r.by_area));
    d.section("By primary need type (register)", count_table("need", &r.by_primary_need));
    d.section(
        "By year group (register)",
        count_table_as("year", &r.by_year_group, &|k| match k.parse::<i64>() {
            Ok(y) => super::year_cell(j, Some(y)),
            Err(_) => k.to_string(),
        }),
    );
    let mut t = Table::new(
        vec![Column::left("course"), Column::right("staff"), Column::right("expiring"), Column::right("lapsed")],
        "No staff training recorded in staff.yaml.",
    );
    for c in &r.training {
        t.push(vec![c.course.clone(), c.staff.to_string(), c.expiring.to_string(), c.lapsed.to_string()]);
    }
    d.section("Staff training (held today; expiring within 60 days; lapsed)", Block::Table(t));
    d
}
