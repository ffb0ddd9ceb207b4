//! The whole repository as flat tables, one per kind of record, with stable
//! column names (docs/export.md), for the databases and BI tools trusts and
//! local authorities already run.

use crate::model::{text, val};
use crate::repo::{PupilRecord, Repo};
use chrono::NaiveDate;

/// The export schema version, stored in every export.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
    Bool(bool),
    Date(NaiveDate),
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        v.map_or(Value::Null, |s| Value::Text(s.to_string()))
    }
}
impl From<Option<NaiveDate>> for Value {
    fn from(v: Option<NaiveDate>) -> Value {
        v.map_or(Value::Null, Value::Date)
    }
}
impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Value {
        v.map_or(Value::Null, Value::Real)
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        v.map_or(Value::Null, Value::Int)
    }
}
impl From<Option<bool>> for Value {
    fn from(v: Option<bool>) -> Value {
        v.map_or(Value::Null, Value::Bool)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

/// SQL-ish column types, for the SQLite schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Real,
    /// 0 or 1.
    Boolean,
    /// `YYYY-MM-DD` text.
    Date,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub rows: Vec<Vec<Value>>,
}

use Kind::{Boolean as B, Date as D, Integer as I, Real as R, Text as T};

const PUPILS: &[(&str, Kind)] = &[
    ("pupil", T),
    ("first_name", T),
    ("last_name", T),
    ("preferred_name", T),
    ("date_of_birth", D),
    ("year_group", I),
    ("class", T),
    ("level", T),
    ("support_since", D),
    ("plan_issued", D),
    ("plan_authority", T),
    ("key_worker", T),
    ("archived", B),
    ("left", D),
    ("destination", T),
];
const NEEDS: &[(&str, Kind)] =
    &[("pupil", T), ("need", T), ("area", T), ("type", T), ("primary", B), ("identified", D), ("description", T)];
const ASSESSMENTS: &[(&str, Kind)] = &[
    ("pupil", T),
    ("assessment", T),
    ("date", D),
    ("tool", T),
    ("measure", T),
    ("score", R),
    ("scale", T),
    ("assessor", T),
];
const TARGETS: &[(&str, Kind)] = &[
    ("pupil", T),
    ("target", T),
    ("need", T),
    ("outcome", T),
    ("set", D),
    ("due", D),
    ("owner", T),
    ("status", T),
    ("transition", B),
];
const INTERVENTIONS: &[(&str, Kind)] = &[
    ("pupil", T),
    ("intervention", T),
    ("provision", T),
    ("name", T),
    ("start", D),
    ("end", D),
    ("sessions_per_week", R),
    ("minutes", R),
    ("group_size", R),
    ("staff", T),
    ("entry_date", D),
    ("entry_score", R),
    ("entry_measure", T),
    ("entry_scale", T),
    ("exit_date", D),
    ("exit_score", R),
    ("weekly_cost", R),
    ("yearly_cost", R),
];
const REVIEWS: &[(&str, Kind)] = &[
    ("pupil", T),
    ("review", T),
    ("date", D),
    ("kind", T),
    ("attendees", I),
    ("pupil_voice", T),
    ("parent_voice", T),
    ("next_review", D),
];
const REVIEW_TARGETS: &[(&str, Kind)] = &[("pupil", T), ("review", T), ("target", T), ("progress", T), ("note", T)];
const STAFF: &[(&str, Kind)] = &[("staff", T), ("name", T), ("role", T), ("hourly_rate", R)];
const CATALOGUE: &[(&str, Kind)] = &[
    ("provision", T),
    ("name", T),
    ("area", T),
    ("delivery", T),
    ("default_minutes", R),
    ("default_sessions_per_week", R),
    ("hourly_rate", R),
    ("cost_per_pupil", R),
];

/// Every table, in a fixed order, rows sorted by pupil then id.
pub fn tables(repo: &Repo) -> Vec<Table> {
    let t = |name, columns| Table { name, columns, rows: Vec::new() };
    let (mut pupils, mut needs, mut assessments, mut targets) =
        (t("pupils", PUPILS), t("needs", NEEDS), t("assessments", ASSESSMENTS), t("targets", TARGETS));
    let (mut interventions, mut reviews, mut review_targets) =
        (t("interventions", INTERVENTIONS), t("reviews", REVIEWS), t("review_targets", REVIEW_TARGETS));
    let (mut staff, mut catalogue) = (t("staff", STAFF), t("catalogue", CATALOGUE));
    let all: Vec<&PupilRecord> = repo.pupils.iter().chain(&repo.archived).collect();
    for rec in all {
        let Some(p) = &rec.pupil else { continue };
        let id = rec.dir.as_str();
        let name = p.name.as_ref();
        let support = p.support.as_ref();
        let plan = p.plan();
        pupils.rows.push(vec![
            id.into(),
            name.and_then(|n| text(&n.first)).into(),
            name.and_then(|n| text(&n.last)).into(),
            name.and_then(|n| text(&n.preferred)).into(),
            val(&p.date_of_birth).into(),
            val(&p.year_group).into(),
            text(&p.class).into(),
            p.level().map(|l| l.as_str()).into(),
            support.and_then(|s| val(&s.since)).into(),
            plan.and_then(|p| val(&p.issued)).into(),
            plan.and_then(|p| text(&p.authority)).into(),
            text(&p.key_worker).into(),
            Value::Bool(rec.archived),
            val(&p.left).into(),
            text(&p.destination).into(),
        ]);
        for n in &rec.needs {
            needs.rows.push(vec![
                id.into(),
                text(&n.id).into(),
                val(&n.area).map(|a| a.as_str()).into(),
                text(&n.r#type).into(),
                Value::Bool(val(&n.primary) == Some(true)),
                val(&n.identified).into(),
                text(&n.description).into(),
            ]);
        }
        for a in &rec.assessments {
            assessments.rows.push(vec![
                id.into(),
                text(&a.id).into(),
                val(&a.date).into(),
                text(&a.tool).into(),
                text(&a.measure).into(),
                val(&a.score).into(),
                val(&a.scale).map(|s| s.as_str()).into(),
                text(&a.assessor).into(),
            ]);
        }
        for g in &rec.targets {
            targets.rows.push(vec![
                id.into(),
                text(&g.id).into(),
                text(&g.need).into(),
                text(&g.outcome).into(),
                val(&g.set).into(),
                val(&g.due).into(),
                text(&g.owner).into(),
                Value::Text(val(&g.status).map_or("open", |s| s.as_str()).into()),
                Value::Bool(val(&g.transition) == Some(true)),
            ]);
        }
        for iv in &rec.interventions {
            let prov = text(&iv.provision).and_then(|x| repo.catalogue.iter().find(|c| text(&c.id) == Some(x)));
            let st = text(&iv.staff).and_then(|x| repo.staff.iter().find(|s| text(&s.id) == Some(x)));
            let (entry, exit) = (iv.entry.as_ref(), iv.exit.as_ref());
            interventions.rows.push(vec![
                id.into(),
                text(&iv.id).into(),
                text(&iv.provision).into(),
                text(&iv.name).into(),
                val(&iv.start).into(),
                val(&iv.end).into(),
                val(&iv.sessions_per_week).into(),
                val(&iv.minutes).into(),
                val(&iv.group_size).into(),
                text(&iv.staff).into(),
                entry.and_then(|e| val(&e.date)).into(),
                entry.and_then(|e| val(&e.score)).into(),
                entry.and_then(|e| text(&e.measure)).into(),
                entry.and_then(|e| val(&e.scale)).map(|s| s.as_str()).into(),
                exit.and_then(|e| val(&e.date)).into(),
                exit.and_then(|e| val(&e.score)).into(),
                Value::Real(crate::model::cost::weekly(&repo.settings, iv, st, prov)),
                Value::Real(crate::model::cost::yearly(&repo.settings, iv, st, prov)),
            ]);
        }
        for r in &rec.reviews {
            let rv = &r.review;
            reviews.rows.push(vec![
                id.into(),
                r.stem.as_str().into(),
                val(&rv.date).into(),
                val(&rv.kind).map(|k| k.as_str()).into(),
                Value::Int(rv.attendees.as_ref().map_or(0, |a| a.len() as i64)),
                text(&rv.pupil_voice).into(),
                text(&rv.parent_voice).into(),
                val(&rv.next_review).into(),
            ]);
            for tp in rv.targets.iter().flatten() {
                review_targets.rows.push(vec![
                    id.into(),
                    r.stem.as_str().into(),
                    text(&tp.target).into(),
                    val(&tp.progress).map(|p| p.as_str()).into(),
                    text(&tp.note).into(),
                ]);
            }
        }
    }
    for s in &repo.staff {
        staff.rows.push(vec![
            text(&s.id).into(),
            text(&s.name).into(),
            val(&s.role).map(|r| r.as_str()).into(),
            val(&s.hourly_rate).into(),
        ]);
    }
    for c in &repo.catalogue {
        catalogue.rows.push(vec![
            text(&c.id).into(),
            text(&c.name).into(),
            val(&c.area).map(|a| a.as_str()).into(),
            val(&c.delivery).map(|d| d.as_str()).into(),
            val(&c.default_minutes).into(),
            val(&c.default_sessions_per_week).into(),
            val(&c.hourly_rate).into(),
            val(&c.cost_per_pupil).into(),
        ]);
    }
    vec![pupils, needs, assessments, targets, interventions, reviews, review_targets, staff, catalogue]
}
