//! The whole repository as flat tables, one per kind of record, with stable
//! column names (docs/export.md), for the databases and BI tools trusts and
//! local authorities already run.

use crate::model::{cost, text, val};
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
];
const NEEDS: &[(&str, Kind)] = &[
    ("school", T),
    ("pupil", T),
    ("need", T),
    ("area", T),
    ("type", T),
    ("primary", B),
    ("identified", D),
    ("description", T),
];
const ASSESSMENTS: &[(&str, Kind)] = &[
    ("school", T),
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
];
const INTERVENTIONS: &[(&str, Kind)] = &[
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
];
const REVIEWS: &[(&str, Kind)] = &[
    ("school", T),
    ("pupil", T),
    ("review", T),
    ("date", D),
    ("kind", T),
    ("attendees", I),
    ("pupil_voice", T),
    ("parent_voice", T),
    ("next_review", D),
];
const REVIEW_TARGETS: &[(&str, Kind)] =
    &[("school", T), ("pupil", T), ("review", T), ("target", T), ("progress", T), ("note", T)];
const STAFF: &[(&str, Kind)] = &[("school", T), ("staff", T), ("name", T), ("role", T), ("hourly_rate", R)];
const SCHOOL: &[(&str, Kind)] = &[
    ("school", T),
    ("jurisdiction", T),
    ("senco", T),
    ("currency", T),
    ("year_start", D),
    ("year_end", D),
    ("exported", D),
];
const CATALOGUE: &[(&str, Kind)] = &[
    ("school", T),
    ("provision", T),
    ("name", T),
    ("area", T),
    ("delivery", T),
    ("default_minutes", R),
    ("default_sessions_per_week", R),
    ("hourly_rate", R),
    ("cost_per_pupil", R),
];

/// Every table, in a fixed order: `school` (one row), then the pupils'
/// tables with rows by pupil id (pupils on roll and archived together), each
/// pupil's rows in the order of their records, then `staff` and `catalogue`.
/// Every table's first column is `school`, the school's name from
/// senco.toml, so exports of many schools can be stacked into one database.
/// `today` is the export date.
pub fn tables(repo: &Repo, today: NaiveDate) -> Vec<Table> {
    let t = |name, columns| Table { name, columns, rows: Vec::new() };
    let (mut pupils, mut needs, mut assessments, mut targets) =
        (t("pupils", PUPILS), t("needs", NEEDS), t("assessments", ASSESSMENTS), t("targets", TARGETS));
    let (mut interventions, mut reviews, mut review_targets) =
        (t("interventions", INTERVENTIONS), t("reviews", REVIEWS), t("review_targets", REVIEW_TARGETS));
    let (mut staff, mut catalogue) = (t("staff", STAFF), t("catalogue", CATALOGUE));
    let mut all: Vec<&PupilRecord> = repo.pupils.iter().chain(&repo.archived).collect();
    all.sort_by(|a, b| a.dir.cmp(&b.dir).then(a.archived.cmp(&b.archived)));
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
        // The need every query treats as primary: the one marked, else the first.
        let primary = crate::query::primary_need(rec);
        for n in &rec.needs {
            needs.rows.push(vec![
                id.into(),
                text(&n.id).into(),
                val(&n.area).map(|a| a.as_str()).into(),
                text(&n.r#type).into(),
                Value::Bool(primary.is_some_and(|p| std::ptr::eq(p, n))),
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
                Value::Real(cost::round_money(cost::weekly(&repo.settings, iv, st, prov))),
                Value::Real(cost::round_money(cost::yearly(&repo.settings, iv, st, prov))),
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
    let settings = &repo.settings;
    let cal = settings.calendar.as_ref();
    let mut school = t("school", SCHOOL);
    school.rows.push(vec![
        settings.school.jurisdiction.as_str().into(),
        settings.school.senco.as_deref().into(),
        settings.costs.currency.as_str().into(),
        cal.map(|c| c.year_start).into(),
        cal.map(|c| c.year_end).into(),
        Value::Date(today),
    ]);
    let mut all =
        vec![school, pupils, needs, assessments, targets, interventions, reviews, review_targets, staff, catalogue];
    // The `school` column, first in every row.
    let name = Value::Text(settings.school.name.clone());
    for t in &mut all {
        for row in &mut t.rows {
            row.insert(0, name.clone());
        }
    }
    all
}

impl Value {
    fn json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Text(s) => s.clone().into(),
            Value::Int(i) => (*i).into(),
            Value::Real(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Value::Bool(b) => (*b).into(),
            Value::Date(d) => d.to_string().into(),
        }
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

/// One table as RFC 4180 CSV (CRLF line ends): a header row of the column
/// names, then one line per row; cells through `output::csv_field`, so text
/// a spreadsheet would run as a formula is neutralised.
pub fn to_csv(t: &Table, bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{FEFF}');
    }
    let head: Vec<String> = t.columns.iter().map(|(c, _)| crate::output::csv_field(c)).collect();
    out.push_str(&head.join(","));
    out.push_str("\r\n");
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|v| crate::output::csv_field(&v.text())).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The whole export as one JSON document:
/// `{"version": 1, "schema_version": 1, "tables": {"pupils": [{...}], ...}}`.
pub fn to_json(tables: &[Table]) -> String {
    let mut map = serde_json::Map::new();
    for t in tables {
        let rows: Vec<serde_json::Value> = t
            .rows
            .iter()
            .map(|r| {
                let obj: serde_json::Map<String, serde_json::Value> =
                    t.columns.iter().zip(r).map(|((c, _), v)| (c.to_string(), v.json())).collect();
                serde_json::Value::Object(obj)
            })
            .collect();
        map.insert(t.name.to_string(), serde_json::Value::Array(rows));
    }
    let doc = serde_json::json!({"version": 1, "schema_version": SCHEMA_VERSION, "tables": map});
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Writes every table into a new SQLite database at `path` (which must not
/// exist), in one transaction, with a `senco_schema` table holding the
/// schema version.
pub fn to_sqlite(tables: &[Table], path: &std::path::Path) -> Result<(), rusqlite::Error> {
    let mut db = rusqlite::Connection::open(path)?;
    let tx = db.transaction()?;
    tx.execute_batch("CREATE TABLE senco_schema (version INTEGER NOT NULL, format TEXT NOT NULL);")?;
    tx.execute("INSERT INTO senco_schema (version, format) VALUES (?1, 'senco records export')", [SCHEMA_VERSION])?;
    for t in tables {
        let cols: Vec<String> = t
            .columns
            .iter()
            .map(|(c, k)| {
                let ty = match k {
                    Kind::Text | Kind::Date => "TEXT",
                    Kind::Integer | Kind::Boolean => "INTEGER",
                    Kind::Real => "REAL",
                };
                format!("\"{c}\" {ty}")
            })
            .collect();
        tx.execute_batch(&format!("CREATE TABLE \"{}\" ({});", t.name, cols.join(", ")))?;
        let marks: Vec<String> = (1..=t.columns.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = tx.prepare(&format!("INSERT INTO \"{}\" VALUES ({})", t.name, marks.join(", ")))?;
        for row in &t.rows {
            let params: Vec<rusqlite::types::Value> = row
                .iter()
                .map(|v| match v {
                    Value::Null => rusqlite::types::Value::Null,
                    Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
                    Value::Int(i) => rusqlite::types::Value::Integer(*i),
                    Value::Real(f) => rusqlite::types::Value::Real(*f),
                    Value::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
                    Value::Date(d) => rusqlite::types::Value::Text(d.to_string()),
                })
                .collect();
            stmt.execute(rusqlite::params_from_iter(params))?;
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
        assert_eq!(v, 1);
        let (school, exported): (String, String) =
            db.query_row("SELECT school, exported FROM school", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((school.as_str(), exported.as_str()), ("Oakfield Primary School", "2026-11-24"));
        for t in &tables {
            assert_eq!(t.columns.first().map(|c| c.0), Some("school"), "{}", t.name);
            assert!(t.rows.iter().all(|r| r.len() == t.columns.len()), "{}", t.name);
        }
    }
}
