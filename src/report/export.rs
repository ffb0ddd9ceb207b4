//! The whole repository as flat tables, one per kind of record, with stable
//! column names (docs/export.md), for the databases and BI tools trusts and
//! local authorities already run.

use crate::model::{cost, text, val};
use crate::repo::{PupilRecord, Repo};
use chrono::NaiveDate;

/// The export schema version, stored in every export.
pub const SCHEMA_VERSION: u32 = 2;

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
        v.map_or(Value::Null, Value::real)
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
    /// `YYYY-MM-DD` text, declared `DATE`.
    Date,
}

/// Where a row came from, for naming the file and line of a broken key.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Origin {
    fn at(file: impl Into<String>, span: crate::model::span::Span) -> Origin {
        Origin { file: file.into(), line: span.start.line, column: span.start.column }
    }
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// The primary key's columns (never null, unique).
    pub key: &'static [&'static str],
    /// Foreign keys: these columns refer to the same-named key of that table.
    pub refs: &'static [(&'static [&'static str], &'static str)],
    /// Extra indexes, beyond the primary key's.
    pub indexes: &'static [&'static [&'static str]],
    pub rows: Vec<Vec<Value>>,
    /// Where each row came from (parallel to `rows`).
    pub origins: Vec<Origin>,
}

impl Table {
    fn push(&mut self, row: Vec<Value>, origin: Origin) {
        self.rows.push(row);
        self.origins.push(origin);
    }
}

use Kind::{Boolean as B, Date as D, Integer as I, Real as R, Text as T};

/// The columns, key, references and indexes of a table.
struct Shape {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    key: &'static [&'static str],
    refs: &'static [(&'static [&'static str], &'static str)],
    indexes: &'static [&'static [&'static str]],
}

const SP: &[&str] = &["school", "pupil"];
const TO_PUPIL: &[(&[&str], &str)] = &[(SP, "pupils")];
const TO_REVIEW: &[(&[&str], &str)] = &[(&["school", "pupil", "review"], "reviews")];
const TO_SCHOOL: &[(&[&str], &str)] = &[(&["school"], "school")];

/// Every table, in export order: parents before the tables that refer to them.
const SHAPES: &[Shape] = &[
    Shape {
        name: "school",
        columns: &[
            ("school", T),
            ("name", T),
            ("urn", T),
            ("jurisdiction", T),
            ("senco", T),
            ("currency", T),
            ("year_start", D),
            ("year_end", D),
            ("exported", D),
        ],
        key: &["school"],
        refs: &[],
        indexes: &[],
    },
    Shape {
        name: "pupils",
        columns: &[
            ("school", T),
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
            ("joined", D),
            ("parents_informed", D),
            ("file_transferred", D),
            ("last_school", B),
        ],
        key: SP,
        refs: TO_SCHOOL,
        indexes: &[],
    },
    Shape {
        name: "needs",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("need", T),
            ("area", T),
            ("type", T),
            ("primary", B),
            ("identified", D),
            ("description", T),
        ],
        key: &["school", "pupil", "need"],
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "assessments",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("assessment", T),
            ("date", D),
            ("tool", T),
            ("measure", T),
            ("score", R),
            ("scale", T),
            ("assessor", T),
        ],
        key: &["school", "pupil", "assessment"],
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "targets",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("target", T),
            ("need", T),
            ("outcome", T),
            ("set", D),
            ("due", D),
            ("owner", T),
            ("status", T),
            ("transition", B),
        ],
        key: &["school", "pupil", "target"],
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "interventions",
        columns: &[
            ("school", T),
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
            ("statutory", B),
        ],
        key: &["school", "pupil", "intervention"],
        refs: TO_PUPIL,
        indexes: &[&["school", "provision"]],
    },
    Shape {
        name: "reviews",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("review", T),
            ("date", D),
            ("kind", T),
            ("attendees", I),
            ("pupil_voice", T),
            ("parent_voice", T),
            ("next_review", D),
        ],
        key: &["school", "pupil", "review"],
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "review_targets",
        columns: &[("school", T), ("pupil", T), ("review", T), ("target", T), ("progress", T), ("note", T)],
        key: &["school", "pupil", "review", "target"],
        refs: TO_REVIEW,
        indexes: &[],
    },
    Shape {
        name: "review_actions",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("review", T),
            ("n", I),
            ("action", T),
            ("owner", T),
            ("due", D),
            ("done", D),
        ],
        key: &["school", "pupil", "review", "n"],
        refs: TO_REVIEW,
        indexes: &[],
    },
    Shape {
        name: "contacts",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("n", I),
            ("name", T),
            ("relationship", T),
            ("parental_responsibility", B),
            ("phone", T),
            ("email", T),
        ],
        key: &["school", "pupil", "n"],
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "professionals",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("n", I),
            ("service", T),
            ("name", T),
            ("referred", D),
            ("status", T),
            ("next_contact", D),
        ],
        key: &["school", "pupil", "n"],
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "consent",
        columns: &[("school", T), ("pupil", T), ("information_sharing", D)],
        key: SP,
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "access_arrangements",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("n", I),
            ("arrangement", T),
            ("percent", R),
            ("assessed", D),
            ("assessor", T),
            ("approved", D),
            ("evidence", T),
            ("normal_way_of_working", T),
            ("valid_until", D),
        ],
        key: &["school", "pupil", "n"],
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "log",
        columns: &[
            ("school", T),
            ("pupil", T),
            ("n", I),
            ("date", D),
            ("kind", T),
            ("with", T),
            ("summary", T),
            ("follow_up", D),
            ("followed_up", D),
        ],
        key: &["school", "pupil", "n"],
        refs: TO_PUPIL,
        indexes: &[],
    },
    Shape {
        name: "staff",
        columns: &[
            ("school", T),
            ("staff", T),
            ("name", T),
            ("role", T),
            ("hourly_rate", R),
            ("qualified_teacher", B),
            ("appointed", D),
            ("senco_award", T),
            ("senco_award_date", D),
        ],
        key: &["school", "staff"],
        refs: TO_SCHOOL,
        indexes: &[],
    },
    Shape {
        name: "training",
        columns: &[
            ("school", T),
            ("staff", T),
            ("n", I),
            ("course", T),
            ("provider", T),
            ("date", D),
            ("expires", D),
            ("valid_months", I),
            ("certificate", T),
            ("lapses", D),
        ],
        key: &["school", "staff", "n"],
        refs: &[(&["school", "staff"], "staff")],
        indexes: &[],
    },
    Shape {
        name: "catalogue",
        columns: &[
            ("school", T),
            ("provision", T),
            ("name", T),
            ("area", T),
            ("delivery", T),
            ("default_minutes", R),
            ("default_sessions_per_week", R),
            ("hourly_rate", R),
            ("cost_per_pupil", R),
        ],
        key: &["school", "provision"],
        refs: TO_SCHOOL,
        indexes: &[],
    },
    Shape {
        name: "delivery",
        columns: &[
            ("school", T),
            ("place", T),
            ("month", T),
            ("n", I),
            ("date", D),
            ("minutes", R),
            ("staff", T),
            ("cancelled", T),
        ],
        key: &["school", "place", "month", "n"],
        refs: TO_SCHOOL,
        indexes: &[],
    },
    Shape {
        name: "delivery_pupils",
        columns: &[("school", T), ("place", T), ("month", T), ("n", I), ("pupil", T), ("status", T), ("reason", T)],
        key: &["school", "place", "month", "n", "pupil"],
        refs: &[(&["school", "place", "month", "n"], "delivery")],
        indexes: &[SP],
    },
    Shape {
        name: "unreadable",
        columns: &[("school", T), ("pupil", T), ("archived", B), ("file", T)],
        key: &["school", "file"],
        refs: TO_SCHOOL,
        indexes: &[SP],
    },
];

/// The table names, in export order.
pub fn table_names() -> impl Iterator<Item = &'static str> {
    SHAPES.iter().map(|s| s.name)
}

/// A 1-based position in a list, as a key column.
fn nth(i: usize) -> Value {
    Value::Int(i as i64 + 1)
}

/// Every table, in a fixed order (`table_names`): `school` (one row), then
/// the pupils' tables with rows by pupil id (pupils on roll and archived
/// together), each pupil's rows in the order of their records, then staff,
/// training, catalogue, the sessions delivered (by file) and the files that
/// could not be read. Every table's first column is `school`, the school's
/// key (`school.urn`, else `school.id`, else `school.name`), so exports of
/// many schools stack into one database. `today` is the export date. A
/// word shaped like a UPN in any text is `(UPN hidden)`, as in every output.
pub fn tables(repo: &Repo, today: NaiveDate) -> Vec<Table> {
    let mut all: Vec<Table> = SHAPES
        .iter()
        .map(|s| Table {
            name: s.name,
            columns: s.columns,
            key: s.key,
            refs: s.refs,
            indexes: s.indexes,
            rows: Vec::new(),
            origins: Vec::new(),
        })
        .collect();
    let [school, pupils, needs, assessments, targets, interventions, reviews, review_targets, review_actions, contacts, professionals, consent, access, log, staff, training, catalogue, delivery, delivery_pupils, unreadable] =
        &mut all[..]
    else {
        unreachable!("one binding per shape")
    };
    let settings = &repo.settings;
    let cal = settings.calendar.as_ref();
    school.push(
        vec![
            settings.school.name.as_str().into(),
            settings.school.urn.as_deref().into(),
            settings.school.jurisdiction.as_str().into(),
            settings.school.senco.as_deref().into(),
            settings.costs.currency.as_str().into(),
            cal.map(|c| c.year_start).into(),
            cal.map(|c| c.year_end).into(),
            Value::Date(today),
        ],
        Origin { file: "senco.toml".into(), line: 1, column: 1 },
    );
    let mut recs: Vec<&PupilRecord> = repo.pupils.iter().chain(&repo.archived).collect();
    recs.sort_by(|a, b| a.dir.cmp(&b.dir).then(a.archived.cmp(&b.archived)));
    for rec in recs {
        let Some(p) = &rec.pupil else { continue };
        let id = rec.dir.as_str();
        let name = p.name.as_ref();
        let support = p.support.as_ref();
        let plan = p.plan();
        let pupil_file = rec.file("pupil.yaml");
        let here = |span| Origin::at(&pupil_file, span);
        pupils.push(
            vec![
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
                val(&p.joined).into(),
                support.and_then(|s| val(&s.parents_informed)).into(),
                val(&p.file_transferred).into(),
                val(&p.last_school).into(),
            ],
            here(p.id.as_ref().map_or(p.span, |i| i.span)),
        );
        for (i, c) in p.contacts.iter().flatten().enumerate() {
            contacts.push(
                vec![
                    id.into(),
                    nth(i),
                    text(&c.name).into(),
                    text(&c.relationship).into(),
                    val(&c.parental_responsibility).into(),
                    text(&c.phone).into(),
                    text(&c.email).into(),
                ],
                here(c.span),
            );
        }
        for (i, pr) in p.professionals.iter().flatten().enumerate() {
            professionals.push(
                vec![
                    id.into(),
                    nth(i),
                    text(&pr.service).into(),
                    text(&pr.name).into(),
                    val(&pr.referred).into(),
                    val(&pr.status).map(|s| s.as_str()).into(),
                    val(&pr.next_contact).into(),
                ],
                here(pr.span),
            );
        }
        consent.push(
            vec![id.into(), p.consent.as_ref().and_then(|c| val(&c.information_sharing)).into()],
            here(p.consent.as_ref().map_or(p.span, |c| c.span)),
        );
        for (i, a) in p.access_arrangements.iter().flatten().enumerate() {
            access.push(
                vec![
                    id.into(),
                    nth(i),
                    text(&a.arrangement).into(),
                    val(&a.percent).into(),
                    val(&a.assessed).into(),
                    text(&a.assessor).into(),
                    val(&a.approved).into(),
                    text(&a.evidence).into(),
                    text(&a.normal_way_of_working).into(),
                    crate::query::review_due::access_expiry(a).into(),
                ],
                here(a.span),
            );
        }
        // The need every query treats as primary: the one marked, else the first.
        let primary = crate::query::primary_need(rec);
        let file = rec.file("needs.yaml");
        for n in &rec.needs {
            needs.push(
                vec![
                    id.into(),
                    text(&n.id).into(),
                    val(&n.area).map(|a| a.as_str()).into(),
                    text(&n.r#type).into(),
                    Value::Bool(primary.is_some_and(|p| std::ptr::eq(p, n))),
                    val(&n.identified).into(),
                    text(&n.description).into(),
                ],
                Origin::at(&file, n.id.as_ref().map_or(n.span, |i| i.span)),
            );
        }
        let file = rec.file("assessments.yaml");
        for a in &rec.assessments {
            assessments.push(
                vec![
                    id.into(),
                    text(&a.id).into(),
                    val(&a.date).into(),
                    text(&a.tool).into(),
                    text(&a.measure).into(),
                    val(&a.score).into(),
                    val(&a.scale).map(|s| s.as_str()).into(),
                    text(&a.assessor).into(),
                ],
                Origin::at(&file, a.id.as_ref().map_or(a.span, |i| i.span)),
            );
        }
        let file = rec.file("targets.yaml");
        for g in &rec.targets {
            targets.push(
                vec![
                    id.into(),
                    text(&g.id).into(),
                    text(&g.need).into(),
                    text(&g.outcome).into(),
                    val(&g.set).into(),
                    val(&g.due).into(),
                    text(&g.owner).into(),
                    Value::Text(val(&g.status).map_or("open", |s| s.as_str()).into()),
                    Value::Bool(val(&g.transition) == Some(true)),
                ],
                Origin::at(&file, g.id.as_ref().map_or(g.span, |i| i.span)),
            );
        }
        let file = rec.file("interventions.yaml");
        for iv in &rec.interventions {
            let prov = text(&iv.provision).and_then(|x| repo.catalogue.iter().find(|c| text(&c.id) == Some(x)));
            let st = text(&iv.staff).and_then(|x| repo.staff.iter().find(|s| text(&s.id) == Some(x)));
            let (entry, exit) = (iv.entry.as_ref(), iv.exit.as_ref());
            interventions.push(
                vec![
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
                    Value::real(cost::round_money(cost::weekly(&repo.settings, iv, st, prov))),
                    Value::real(cost::round_money(cost::yearly(&repo.settings, iv, st, prov))),
                    Value::Bool(val(&iv.statutory) == Some(true)),
                ],
                Origin::at(&file, iv.id.as_ref().map_or(iv.span, |i| i.span)),
            );
        }
        for r in &rec.reviews {
            let rv = &r.review;
            let at = |span| Origin::at(&r.path, span);
            reviews.push(
                vec![
                    id.into(),
                    r.stem.as_str().into(),
                    val(&rv.date).into(),
                    val(&rv.kind).map(|k| k.as_str()).into(),
                    Value::Int(rv.attendees.as_ref().map_or(0, |a| a.len() as i64)),
                    text(&rv.pupil_voice).into(),
                    text(&rv.parent_voice).into(),
                    val(&rv.next_review).into(),
                ],
                at(rv.span),
            );
            for tp in rv.targets.iter().flatten() {
                review_targets.push(
                    vec![
                        id.into(),
                        r.stem.as_str().into(),
                        text(&tp.target).into(),
                        val(&tp.progress).map(|p| p.as_str()).into(),
                        text(&tp.note).into(),
                    ],
                    at(tp.target.as_ref().map_or(tp.span, |t| t.span)),
                );
            }
            for (i, a) in rv.actions.iter().flatten().enumerate() {
                review_actions.push(
                    vec![
                        id.into(),
                        r.stem.as_str().into(),
                        nth(i),
                        text(&a.action).into(),
                        text(&a.owner).into(),
                        val(&a.due).into(),
                        val(&a.done).into(),
                    ],
                    at(a.span),
                );
            }
        }
        let file = rec.file("log.yaml");
        for (i, e) in rec.log.iter().enumerate() {
            let with: Vec<&str> = e.with.iter().flatten().map(|w| w.value.as_str()).collect();
            log.push(
                vec![
                    id.into(),
                    nth(i),
                    val(&e.date).into(),
                    val(&e.kind).map(|k| k.as_str()).into(),
                    if with.is_empty() { Value::Null } else { Value::Text(with.join("; ")) },
                    text(&e.summary).into(),
                    val(&e.follow_up).into(),
                    val(&e.followed_up).into(),
                ],
                Origin::at(&file, e.span),
            );
        }
    }
    for s in &repo.staff {
        let q = s.senco_qualification.as_ref();
        let at = |span| Origin::at("staff.yaml", span);
        staff.push(
            vec![
                text(&s.id).into(),
                text(&s.name).into(),
                val(&s.role).map(|r| r.as_str()).into(),
                val(&s.hourly_rate).into(),
                val(&s.qualified_teacher).into(),
                val(&s.appointed).into(),
                q.and_then(|q| val(&q.award)).map(|a| a.as_str()).into(),
                q.and_then(|q| val(&q.date)).into(),
            ],
            at(s.id.as_ref().map_or(s.span, |i| i.span)),
        );
        for (i, t) in s.training.iter().flatten().enumerate() {
            training.push(
                vec![
                    text(&s.id).into(),
                    nth(i),
                    text(&t.course).into(),
                    text(&t.provider).into(),
                    val(&t.date).into(),
                    val(&t.expires).into(),
                    val(&t.valid_months).into(),
                    text(&t.certificate).into(),
                    crate::query::review_due::training_expiry(t).into(),
                ],
                at(t.span),
            );
        }
    }
    for c in &repo.catalogue {
        catalogue.push(
            vec![
                text(&c.id).into(),
                text(&c.name).into(),
                val(&c.area).map(|a| a.as_str()).into(),
                val(&c.delivery).map(|d| d.as_str()).into(),
                val(&c.default_minutes).into(),
                val(&c.default_sessions_per_week).into(),
                val(&c.hourly_rate).into(),
                val(&c.cost_per_pupil).into(),
            ],
            Origin::at("catalogue.yaml", c.id.as_ref().map_or(c.span, |i| i.span)),
        );
    }
    for f in &repo.delivery {
        let month = format!("{:04}-{:02}", f.month.0, f.month.1);
        let place = f.place.as_str();
        for (i, s) in f.sessions.iter().enumerate() {
            delivery.push(
                vec![
                    place.into(),
                    month.as_str().into(),
                    nth(i),
                    val(&s.date).into(),
                    val(&s.minutes).into(),
                    text(&s.staff).into(),
                    text(&s.cancelled).into(),
                ],
                Origin::at(&f.path, s.span),
            );
            for sp in s.pupils.iter().flatten() {
                delivery_pupils.push(
                    vec![
                        place.into(),
                        month.as_str().into(),
                        nth(i),
                        text(&sp.pupil).into(),
                        val(&sp.status).map(|s| s.as_str()).into(),
                        text(&sp.reason).into(),
                    ],
                    Origin::at(&f.path, sp.pupil.as_ref().map_or(sp.span, |p| p.span)),
                );
            }
        }
    }
    for u in repo.unreadable(true) {
        for file in &u.files {
            unreadable.push(
                vec![u.pupil.as_str().into(), Value::Bool(u.archived), file.as_str().into()],
                Origin { file: file.clone(), line: 1, column: 1 },
            );
        }
    }
    // Delivery files not read in full: no pupil, but figures of delivered
    // provision worked from this export would be short by their sessions.
    for file in &repo.delivery_unread {
        unreadable.push(
            vec![Value::Null, Value::Bool(false), file.as_str().into()],
            Origin { file: file.clone(), line: 1, column: 1 },
        );
    }
    // The `school` column, first in every row.
    let key = Value::Text(settings.school.key().to_string());
    for t in &mut all {
        for row in &mut t.rows {
            row.insert(0, key.clone());
            // No UPN leaves in an export, whatever text it was typed into.
            for v in row.iter_mut() {
                if let Value::Text(s) = v {
                    if let std::borrow::Cow::Owned(h) = crate::diag::render::hide_upn_words(s) {
                        *s = h;
                    }
                }
            }
        }
        debug_assert!(t.rows.iter().all(|r| r.len() == t.columns.len()), "{}", t.name);
    }
    all
}

/// The rows whose key is missing or used twice, as `file:line:col: what`
/// lines: the export refuses them (a table's key must be unique for a
/// trust's database to join on it), and `senco check` says how to fix them.
pub fn key_problems(tables: &[Table]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tables {
        let at: Vec<usize> = t.key.iter().map(|k| t.columns.iter().position(|(c, _)| c == k).unwrap_or(0)).collect();
        let mut seen: std::collections::HashMap<Vec<String>, usize> = std::collections::HashMap::new();
        for (i, row) in t.rows.iter().enumerate() {
            let o = &t.origins[i];
            let place = format!("{}:{}:{}", o.file, o.line, o.column);
            if let Some(k) = at.iter().find(|&&k| row[k] == Value::Null) {
                out.push(format!("{place}: a row of the `{}` table has no `{}`", t.name, t.columns[*k].0));
                continue;
            }
            let key: Vec<String> = at.iter().map(|&k| row[k].text()).collect();
            if let Some(first) = seen.get(&key) {
                let f = &t.origins[*first];
                out.push(format!(
                    "{place}: {} `{}` appears twice in the `{}` table (first at {}:{})",
                    t.key.last().unwrap_or(&""),
                    key.last().map_or("", String::as_str),
                    t.name,
                    f.file,
                    f.line
                ));
            } else {
                seen.insert(key, i);
            }
        }
    }
    out
}

impl Value {
    /// A number as every format gives it: at most 6 decimals (so CSV, JSON
    /// and SQLite hold the same value), null when not finite.
    pub fn real(f: f64) -> Value {
        if f.is_finite() {
            Value::Real(format_real(f).parse().unwrap_or(f))
        } else {
            Value::Null
        }
    }

    fn json(&self) -> String {
        let v = match self {
            Value::Null => serde_json::Value::Null,
            Value::Text(s) => s.as_str().into(),
            Value::Int(i) => (*i).into(),
            Value::Real(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Value::Bool(b) => (*b).into(),
            Value::Date(d) => d.to_string().into(),
        };
        v.to_string()
    }

    /// The value as CSV/text: ISO dates, `true`/`false`, empty for null.
    pub fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Real(f) => format_real(*f),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.to_string(),
        }
    }

    fn sql(&self) -> rusqlite::types::Value {
        use rusqlite::types::Value as S;
        match self {
            Value::Null => S::Null,
            Value::Text(s) => S::Text(s.clone()),
            Value::Int(i) => S::Integer(*i),
            Value::Real(f) => S::Real(*f),
            Value::Bool(b) => S::Integer(i64::from(*b)),
            Value::Date(d) => S::Text(d.to_string()),
        }
    }
}

/// Numbers without float noise: at most 6 decimals, trailing zeros dropped.
pub fn format_real(f: f64) -> String {
    let s = format!("{f:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// One CSV field, quoted per RFC 4180 when it holds a comma, quote or line
/// break; the text itself is left as it is, so the CSV holds the same value
/// as the JSON and SQLite copies.
fn csv_field(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// One table as RFC 4180 CSV (CRLF line ends): a header row of the column
/// names, then one line per row. With `for_spreadsheet`, text a spreadsheet
/// would run as a formula gets a leading apostrophe (`output::neutralise`);
/// numbers, dates and booleans are never touched.
pub fn to_csv(t: &Table, bom: bool, for_spreadsheet: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{FEFF}');
    }
    let head: Vec<String> = t.columns.iter().map(|(c, _)| csv_field(c)).collect();
    out.push_str(&head.join(","));
    out.push_str("\r\n");
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Text(s) if for_spreadsheet => csv_field(&crate::output::neutralise(s)),
                _ => csv_field(&v.text()),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The whole export as one JSON document, keys in the documented order:
/// `{"version": 1, "schema_version": 2, "school": KEY, "tables": {"school":
/// [ROW, ...], "pupils": [...], ...}}`, tables in export order, each row an
/// object of its columns in table order, one row a line.
pub fn to_json(tables: &[Table], school: &str) -> String {
    let q = |s: &str| serde_json::Value::from(s).to_string();
    let mut out = format!(
        "{{\n  \"version\": 1,\n  \"schema_version\": {SCHEMA_VERSION},\n  \"school\": {},\n  \"tables\": {{",
        q(school)
    );
    for (ti, t) in tables.iter().enumerate() {
        out.push_str(if ti == 0 { "\n" } else { ",\n" });
        out.push_str(&format!("    {}: [", q(t.name)));
        for (ri, row) in t.rows.iter().enumerate() {
            out.push_str(if ri == 0 { "\n      {" } else { ",\n      {" });
            for (ci, ((c, _), v)) in t.columns.iter().zip(row).enumerate() {
                if ci > 0 {
                    out.push_str(", ");
                }
                out.push_str(&q(c));
                out.push_str(": ");
                out.push_str(&v.json());
            }
            out.push('}');
        }
        out.push_str(if t.rows.is_empty() { "]" } else { "\n    ]" });
    }
    out.push_str("\n  }\n}\n");
    out
}

fn quoted(cols: &[&str]) -> String {
    cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
}

/// The `CREATE TABLE` and `CREATE INDEX` statements of one table: columns
/// typed `TEXT`, `INTEGER`, `REAL`, `DATE` (ISO text) or `BOOLEAN` (0/1), the
/// key columns `NOT NULL`, the primary key, the foreign keys and the indexes.
pub fn sqlite_schema(t: &Table) -> String {
    let mut parts: Vec<String> = t
        .columns
        .iter()
        .map(|(c, k)| {
            let ty = match k {
                Kind::Text => "TEXT",
                Kind::Date => "DATE",
                Kind::Integer => "INTEGER",
                Kind::Boolean => "BOOLEAN",
                Kind::Real => "REAL",
            };
            let not_null = if t.key.contains(c) { " NOT NULL" } else { "" };
            format!("\"{c}\" {ty}{not_null}")
        })
        .collect();
    parts.push(format!("PRIMARY KEY ({})", quoted(t.key)));
    for (cols, table) in t.refs {
        parts.push(format!("FOREIGN KEY ({}) REFERENCES \"{table}\" ({})", quoted(cols), quoted(cols)));
    }
    let mut sql = format!("CREATE TABLE \"{}\" (\n  {}\n);\n", t.name, parts.join(",\n  "));
    for ix in t.indexes {
        sql.push_str(&format!("CREATE INDEX \"{}_by_{}\" ON \"{}\" ({});\n", t.name, ix.join("_"), t.name, quoted(ix)));
    }
    sql
}

/// Writes every table into a new SQLite database at `path` (which must not
/// exist), in one transaction, with a `senco_schema` table holding the
/// schema version. Foreign keys are enforced while writing, so a database
/// that is written at all is consistent.
pub fn to_sqlite(tables: &[Table], path: &std::path::Path) -> Result<(), rusqlite::Error> {
    let mut db = rusqlite::Connection::open(path)?;
    db.execute_batch("PRAGMA foreign_keys = ON;")?;
    let tx = db.transaction()?;
    tx.execute_batch("CREATE TABLE senco_schema (version INTEGER NOT NULL, format TEXT NOT NULL);")?;
    tx.execute("INSERT INTO senco_schema (version, format) VALUES (?1, 'senco records export')", [SCHEMA_VERSION])?;
    for t in tables {
        tx.execute_batch(&sqlite_schema(t))?;
        let marks: Vec<String> = (1..=t.columns.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = tx.prepare(&format!("INSERT INTO \"{}\" VALUES ({})", t.name, marks.join(", ")))?;
        for row in &t.rows {
            stmt.execute(rusqlite::params_from_iter(row.iter().map(Value::sql)))?;
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_print_without_noise() {
        assert_eq!(format_real(12.5), "12.5");
        assert_eq!(format_real(0.1 + 0.2), "0.3");
        assert_eq!(format_real(3.0), "3");
        assert_eq!(format_real(-0.0000001), "0");
    }

    fn one_table(rows: Vec<Vec<Value>>) -> Table {
        let shape = SHAPES.iter().find(|s| s.name == "consent").unwrap();
        let origins =
            (0..rows.len()).map(|i| Origin { file: "f.yaml".into(), line: i as u32 + 1, column: 3 }).collect();
        Table {
            name: shape.name,
            columns: shape.columns,
            key: shape.key,
            refs: shape.refs,
            indexes: shape.indexes,
            rows,
            origins,
        }
    }

    #[test]
    fn csv_guards_formulas_only_for_spreadsheets() {
        let t = one_table(vec![vec!["=1+1".into(), "a,\"b\"".into(), Value::Null]]);
        assert_eq!(to_csv(&t, false, false), "school,pupil,information_sharing\r\n=1+1,\"a,\"\"b\"\"\",\r\n");
        assert_eq!(to_csv(&t, true, true), "\u{FEFF}school,pupil,information_sharing\r\n'=1+1,\"a,\"\"b\"\"\",\r\n");
        // Numbers are data: never guarded.
        let n = one_table(vec![vec!["s".into(), "p".into(), Value::real(-3.0)]]);
        assert!(to_csv(&n, false, true).ends_with("s,p,-3\r\n"));
    }

    #[test]
    fn keys_missing_or_twice_are_named_with_their_place() {
        let t = one_table(vec![
            vec!["s".into(), "ava".into(), Value::Null],
            vec!["s".into(), Value::Null, Value::Null],
            vec!["s".into(), "ava".into(), Value::Null],
        ]);
        assert_eq!(
            key_problems(&[t]),
            [
                "f.yaml:2:3: a row of the `consent` table has no `pupil`",
                "f.yaml:3:3: pupil `ava` appears twice in the `consent` table (first at f.yaml:1)",
            ]
        );
    }

    #[test]
    fn sqlite_schema_declares_types_keys_and_references() {
        let ddl = sqlite_schema(&one_table(Vec::new()));
        assert_eq!(
            ddl,
            "CREATE TABLE \"consent\" (\n  \"school\" TEXT NOT NULL,\n  \"pupil\" TEXT NOT NULL,\n  \
             \"information_sharing\" DATE,\n  PRIMARY KEY (\"school\", \"pupil\"),\n  \
             FOREIGN KEY (\"school\", \"pupil\") REFERENCES \"pupils\" (\"school\", \"pupil\")\n);\n"
        );
        assert_eq!(Value::real(0.1 + 0.2), Value::Real(0.3));
        assert_eq!(Value::real(f64::NAN), Value::Null);
    }

    #[test]
    fn sqlite_round_trip_of_the_example_school() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/oakfield");
        let repo = crate::repo::load(&root).unwrap();
        let tables = tables(&repo, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sqlite");
        to_sqlite(&tables, &path).unwrap();
        let db = rusqlite::Connection::open(&path).unwrap();
        for t in &tables {
            let n: i64 = db.query_row(&format!("SELECT count(*) FROM \"{}\"", t.name), [], |r| r.get(0)).unwrap();
            assert_eq!(n as usize, t.rows.len(), "{}", t.name);
        }
        let pupils: i64 = db.query_row("SELECT count(*) FROM pupils", [], |r| r.get(0)).unwrap();
        assert_eq!(pupils as usize, repo.pupils.len() + repo.archived.len());
        let v: i64 = db.query_row("SELECT version FROM senco_schema", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 2);
        assert!(key_problems(&tables).is_empty(), "{:?}", key_problems(&tables));
        let (school, exported): (String, String) =
            db.query_row("SELECT school, exported FROM school", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((school.as_str(), exported.as_str()), ("Oakfield Primary School", "2026-11-24"));
        for t in &tables {
            assert_eq!(t.columns.first().map(|c| c.0), Some("school"), "{}", t.name);
            assert!(t.rows.iter().all(|r| r.len() == t.columns.len()), "{}", t.name);
        }
    }
}
