//! `senco export` as a trust uses it (docs/export.md): two schools' exports
//! stacked into one database and joined on their keys, the same values in
//! CSV, JSON and SQLite, the documented columns, types, keys and key order,
//! unreadable pupils carried in the export, broken keys refused.

use super::query::parse_csv;
use super::{copy_dir, fixture, senco, Run};
use std::collections::BTreeMap;
use std::path::Path;

fn north() -> std::path::PathBuf {
    fixture("export-north")
}

fn south() -> std::path::PathBuf {
    fixture("export-south")
}

fn export(repo: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["export"];
    args.extend_from_slice(extra);
    args.push(out.to_str().unwrap());
    let r = senco(repo, &args);
    assert_eq!(r.code, 0, "{}", r.all());
    r
}

fn count(db: &rusqlite::Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Table names in export order, from the database's own catalogue.
fn table_names(db: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'senco_schema' ORDER BY rowid")
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

// ------------------------------------------------------- a trust's database

/// The SQL a trust runs to stack a second school's export into the first's
/// and join the tables; the same script goes through the sqlite3 CLI.
fn stack_sql(second: &Path, tables: &[String]) -> String {
    let mut sql = format!("ATTACH '{}' AS b;\n", second.display());
    for t in tables {
        sql.push_str(&format!("INSERT INTO main.\"{t}\" SELECT * FROM b.\"{t}\";\n"));
    }
    sql
}

const JOINS: &[(&str, &str)] = &[
    ("pupils", "SELECT count(*) FROM pupils"),
    ("distinct pupils", "SELECT count(*) FROM (SELECT DISTINCT school, pupil FROM pupils)"),
    ("ava-brown", "SELECT count(*) FROM pupils WHERE pupil = 'ava-brown'"),
    ("pupils x school", "SELECT count(*) FROM pupils p JOIN school s ON s.school = p.school"),
    ("needs", "SELECT count(*) FROM needs"),
    ("needs x pupils", "SELECT count(*) FROM needs n JOIN pupils p ON p.school = n.school AND p.pupil = n.pupil"),
    (
        "review_actions x reviews x pupils",
        "SELECT count(*) FROM review_actions a JOIN reviews r USING (school, pupil, review) \
         JOIN pupils p USING (school, pupil)",
    ),
    ("contacts", "SELECT count(*) FROM contacts"),
    ("contacts x pupils", "SELECT count(*) FROM contacts c JOIN pupils p USING (school, pupil)"),
    (
        "delivery_pupils x delivery x pupils",
        "SELECT count(*) FROM delivery_pupils d JOIN delivery s USING (school, place, month, n) \
         JOIN pupils p USING (school, pupil)",
    ),
    ("training x staff", "SELECT count(*) FROM training t JOIN staff s USING (school, staff)"),
    ("staff", "SELECT count(*) FROM staff"),
];

#[test]
fn two_schools_stack_into_one_database_and_join_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("north.sqlite"), dir.path().join("south.sqlite"));
    export(&north(), &a, &[]);
    export(&south(), &b, &[]);
    let trust = dir.path().join("trust.sqlite");
    std::fs::copy(&a, &trust).unwrap();
    let db = rusqlite::Connection::open(&trust).unwrap();
    let tables = table_names(&db);
    db.execute_batch(&stack_sql(&b, &tables)).expect("the second school's rows clash with the first's keys");
    let mut stmt = db.prepare("PRAGMA foreign_key_check").unwrap();
    let broken: Vec<String> = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect();
    assert!(broken.is_empty(), "rows refer to no parent: {broken:?}");

    let got: BTreeMap<&str, i64> = JOINS.iter().map(|(name, sql)| (*name, count(&db, sql))).collect();
    // Two pupils a school (North's Ben is archived); both schools have an `ava-brown`.
    assert_eq!(got["pupils"], 4);
    assert_eq!(got["distinct pupils"], 4);
    assert_eq!(got["ava-brown"], 2);
    // Every join on the keys gives each child row once.
    assert_eq!(got["pupils x school"], got["pupils"]);
    assert_eq!((got["needs"], got["needs x pupils"]), (3, 3));
    assert_eq!(got["review_actions x reviews x pupils"], 2);
    assert_eq!((got["contacts"], got["contacts x pupils"]), (3, 3));
    assert_eq!(got["delivery_pupils x delivery x pupils"], 2);
    assert_eq!(got["training x staff"], 2);
    assert_eq!(got["staff"], 4);
    // Each Ava is her own school's.
    let mut stmt =
        db.prepare("SELECT school, last_name FROM pupils WHERE pupil = 'ava-brown' ORDER BY school").unwrap();
    let avas: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert_eq!(avas, [("999001".to_string(), "Brown".to_string()), ("999002".to_string(), "Brennan".to_string())]);
    assert_eq!(count(&db, "SELECT count(*) FROM school WHERE urn IN ('999001', '999002')"), 2);

    // The same with the sqlite3 command-line tool, when it is installed.
    let Ok(out) = std::process::Command::new("sqlite3").arg("-version").output() else {
        eprintln!("sqlite3 not installed: the CLI half of this test is skipped");
        return;
    };
    assert!(out.status.success());
    let trust2 = dir.path().join("trust2.sqlite");
    std::fs::copy(&a, &trust2).unwrap();
    let mut script = stack_sql(&b, &tables);
    script.push_str("PRAGMA foreign_key_check;\n");
    for (_, sql) in JOINS {
        script.push_str(sql);
        script.push_str(";\n");
    }
    let out = std::process::Command::new("sqlite3")
        .arg("-bail")
        .arg(&trust2)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(script.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<i64> = String::from_utf8_lossy(&out.stdout).lines().map(|l| l.trim().parse().unwrap()).collect();
    let want: Vec<i64> = JOINS.iter().map(|(name, _)| got[name]).collect();
    assert_eq!(lines, want, "the sqlite3 CLI sees the same database");
}

#[test]
fn sqlite_declares_dates_booleans_keys_and_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.sqlite");
    export(&north(), &out, &[]);
    let db = rusqlite::Connection::open(&out).unwrap();
    let ddl: String = db.query_row("SELECT sql FROM sqlite_master WHERE name = 'pupils'", [], |r| r.get(0)).unwrap();
    for want in [
        "\"date_of_birth\" DATE",
        "\"archived\" BOOLEAN",
        "\"school\" TEXT NOT NULL",
        "PRIMARY KEY (\"school\", \"pupil\")",
        "FOREIGN KEY (\"school\") REFERENCES \"school\" (\"school\")",
    ] {
        assert!(ddl.contains(want), "`{want}` not in {ddl}");
    }
    // Dates are ISO text, booleans 0/1.
    let (dob, kind, archived, akind): (String, String, i64, String) = db
        .query_row(
            "SELECT date_of_birth, typeof(date_of_birth), archived, typeof(archived) FROM pupils WHERE pupil = 'ben-cole'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((dob.as_str(), kind.as_str(), archived, akind.as_str()), ("2014-11-02", "text", 1, "integer"));
    // Every table's key starts with the school, and the pupil tables' with (school, pupil).
    for t in table_names(&db) {
        let mut stmt =
            db.prepare(&format!("SELECT name FROM pragma_table_info('{t}') WHERE pk > 0 ORDER BY pk")).unwrap();
        let key: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(key.first().map(String::as_str), Some("school"), "{t}: {key:?}");
    }
    let indexes = count(&db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%_by_%'");
    assert!(indexes >= 3, "{indexes}");
    let mut stmt = db.prepare("PRAGMA foreign_key_check").unwrap();
    assert_eq!(stmt.query_map([], |_| Ok(())).unwrap().count(), 0);
}

// -------------------------------------------- the same values in every format

/// A JSON object with its keys in the order written.
struct Ordered(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, serde_json::Value>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(serde::Deserialize)]
struct Doc {
    tables: OrderedTables,
}

/// `tables`: name to rows, in the order written.
struct OrderedTables(Vec<(String, Vec<Ordered>)>);

impl<'de> serde::Deserialize<'de> for OrderedTables {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OrderedTables;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<OrderedTables, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Vec<Ordered>>()? {
                    out.push((k, v));
                }
                Ok(OrderedTables(out))
            }
        }
        d.deserialize_map(V)
    }
}

fn real(f: f64) -> String {
    let s = format!("{f:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn json_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.as_i64().map_or_else(|| real(n.as_f64().unwrap()), |i| i.to_string()),
        other => panic!("not a cell: {other}"),
    }
}

fn sql_cell(v: rusqlite::types::ValueRef, declared: &str) -> String {
    use rusqlite::types::ValueRef;
    match (v, declared) {
        (ValueRef::Null, _) => String::new(),
        (ValueRef::Integer(i), "BOOLEAN") => (i != 0).to_string(),
        (ValueRef::Integer(i), _) => i.to_string(),
        (ValueRef::Real(f), _) => real(f),
        (ValueRef::Text(t), _) => String::from_utf8(t.to_vec()).unwrap(),
        (ValueRef::Blob(_), _) => panic!("no blobs in an export"),
    }
}

/// Every table as header + rows of text cells, from each format.
fn from_json(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let doc: Doc = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc.tables
        .0
        .into_iter()
        .map(|(name, rows)| {
            let mut out: Vec<Vec<String>> = Vec::new();
            if let Some(first) = rows.first() {
                out.push(first.0.iter().map(|(k, _)| k.clone()).collect());
            }
            out.extend(rows.iter().map(|r| r.0.iter().map(|(_, v)| json_cell(v)).collect()));
            (name, out)
        })
        .collect()
}

fn from_sqlite(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let db = rusqlite::Connection::open(path).unwrap();
    table_names(&db)
        .into_iter()
        .map(|t| {
            let mut info =
                db.prepare(&format!("SELECT name, type FROM pragma_table_info('{t}') ORDER BY cid")).unwrap();
            let cols: Vec<(String, String)> =
                info.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
            let mut stmt = db.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid")).unwrap();
            let mut rows = stmt.query([]).unwrap();
            let mut out = Vec::new();
            while let Some(r) = rows.next().unwrap() {
                out.push((0..cols.len()).map(|i| sql_cell(r.get_ref(i).unwrap(), &cols[i].1)).collect::<Vec<_>>());
            }
            if !out.is_empty() {
                out.insert(0, cols.iter().map(|c| c.0.clone()).collect());
            }
            (t, out)
        })
        .collect()
}

fn from_csv(dir: &Path, names: &[String]) -> Vec<(String, Vec<Vec<String>>)> {
    names
        .iter()
        .map(|t| {
            let rows = parse_csv(&std::fs::read_to_string(dir.join(format!("{t}.csv"))).unwrap());
            (t.clone(), if rows.len() == 1 { Vec::new() } else { rows })
        })
        .collect()
}

#[test]
fn csv_json_and_sqlite_hold_the_same_values() {
    let dir = tempfile::tempdir().unwrap();
    for repo in [north(), south()] {
        let (json, sqlite, csv) = (dir.path().join("x.json"), dir.path().join("x.sqlite"), dir.path().join("csv"));
        for p in [&json, &sqlite] {
            let _ = std::fs::remove_file(p);
        }
        let _ = std::fs::remove_dir_all(&csv);
        export(&repo, &json, &[]);
        export(&repo, &sqlite, &[]);
        export(&repo, &csv, &["--format", "csv"]);
        let j = from_json(&json);
        let names: Vec<String> = j.iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(from_sqlite(&sqlite), j, "{}", repo.display());
        assert_eq!(from_csv(&csv, &names), j, "{}", repo.display());
    }
    // The tricky text went through untouched: a formula, quotes, a comma, a line break, accents.
    let csv = std::fs::read_to_string(dir.path().join("csv/needs.csv")).unwrap();
    assert!(csv.contains("\"=HYPERLINK(\"\"http://example.org\"\") is what"), "{csv}");
    let pupils = std::fs::read_to_string(dir.path().join("csv/pupils.csv")).unwrap();
    assert!(pupils.contains(",Zoë,Díaz-Ortega,Cara,") && pupils.contains(",\"4, Willow\","), "{pupils}");
}

#[test]
fn for_spreadsheet_guards_formulas_in_csv_only() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    let sheet = dir.path().join("sheet");
    export(&south(), &plain, &["--format", "csv"]);
    export(&south(), &sheet, &["--format", "csv", "--for-spreadsheet"]);
    let read = |d: &Path, t: &str| parse_csv(&std::fs::read_to_string(d.join(format!("{t}.csv"))).unwrap());
    let (needs, guarded) = (read(&plain, "needs"), read(&sheet, "needs"));
    let desc = needs[0].iter().position(|c| c == "description").unwrap();
    let cara = |rows: &[Vec<String>]| rows.iter().find(|r| r[1] == "cara-diaz").unwrap()[desc].clone();
    assert!(cara(&needs).starts_with("=HYPERLINK"), "{needs:?}");
    assert!(cara(&guarded).starts_with("'=HYPERLINK"), "{guarded:?}");
    // A phone number written +44 is text a spreadsheet would run: guarded too.
    let phones = |rows: Vec<Vec<String>>| rows.into_iter().map(|r| r[6].clone()).collect::<Vec<_>>();
    assert!(phones(read(&plain, "contacts")).contains(&"+44 7700 900456".to_string()));
    assert!(phones(read(&sheet, "contacts")).contains(&"'+44 7700 900456".to_string()));
    // Numbers and dates are never touched.
    assert_eq!(read(&plain, "interventions"), read(&sheet, "interventions"));
    // Not a switch for JSON or SQLite.
    let r = senco(&south(), &["export", "--for-spreadsheet", dir.path().join("x.json").to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("`--for-spreadsheet` applies to CSV exports only"), "{}", r.all());
}

// ------------------------------------------------- docs/export.md is the contract

/// The documented columns and types of each table, and its key, in the
/// order of docs/export.md.
/// A table's name, its (column, declared type) pairs and its key columns.
type Schema = (String, Vec<(String, String)>, Vec<String>);

fn documented() -> Vec<Schema> {
    let md = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/export.md")).unwrap();
    let tables = md.split("## Tables").nth(1).unwrap().split("## Performance").next().unwrap();
    let mut out = Vec::new();
    for section in tables.split("\n### `").skip(1) {
        let name = section.split('`').next().unwrap().to_string();
        let key_text =
            section.split("Key (").nth(1).unwrap_or_else(|| panic!("{name}: no key")).split(')').next().unwrap();
        let key: Vec<String> = key_text.split(',').map(|k| k.trim().trim_matches('`').to_string()).collect();
        let mut cols: Vec<(String, String)> = Vec::new();
        for line in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.split(" | ").collect();
            let names: Vec<String> =
                cells[0].trim_start_matches("| ").split(", ").map(|c| c.trim_matches('`').to_string()).collect();
            let types: Vec<&str> = cells[1].split(", ").collect();
            for (i, n) in names.iter().enumerate() {
                let ty = if types.len() == names.len() { types[i] } else { types[0] };
                let sql = match ty {
                    "T" => "TEXT",
                    "D" => "DATE",
                    "I" => "INTEGER",
                    "R" => "REAL",
                    "B" => "BOOLEAN",
                    other => panic!("{name}.{n}: type `{other}`"),
                };
                cols.push((n.clone(), sql.to_string()));
            }
        }
        // `school` opens every table; the pupil tables document it once.
        if cols.first().is_none_or(|c| c.0 != "school") {
            cols.insert(0, ("school".into(), "TEXT".into()));
        }
        out.push((name, cols, key));
    }
    out
}

#[test]
fn every_table_column_type_and_key_is_documented_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let (sqlite, json) = (dir.path().join("x.sqlite"), dir.path().join("x.json"));
    export(&north(), &sqlite, &[]);
    export(&north(), &json, &[]);
    let db = rusqlite::Connection::open(&sqlite).unwrap();
    let mut actual: Vec<Schema> = Vec::new();
    for t in table_names(&db) {
        let mut info =
            db.prepare(&format!("SELECT name, type, pk FROM pragma_table_info('{t}') ORDER BY cid")).unwrap();
        let rows: Vec<(String, String, i64)> =
            info.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
        let mut key: Vec<(i64, String)> = rows.iter().filter(|r| r.2 > 0).map(|r| (r.2, r.0.clone())).collect();
        key.sort();
        let cols = rows.into_iter().map(|(n, ty, _)| (n, ty)).collect();
        actual.push((t, cols, key.into_iter().map(|k| k.1).collect::<Vec<_>>()));
    }
    assert_eq!(actual, documented());
    // JSON: the tables in that order, each row's keys in column order.
    let j = from_json(&json);
    let names: Vec<&str> = j.iter().map(|(n, _)| n.as_str()).collect();
    let want: Vec<&str> = actual.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, want);
    for ((name, rows), (_, cols, _)) in j.iter().zip(&actual) {
        if let Some(head) = rows.first() {
            let want: Vec<&String> = cols.iter().map(|c| &c.0).collect();
            assert_eq!(head.iter().collect::<Vec<_>>(), want, "{name}");
        }
    }
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(
        text.starts_with("{\n  \"version\": 1,\n  \"schema_version\": 2,\n  \"school\": \"999001\",\n  \"tables\": {")
    );
}

// ------------------------------------------- what the export carries and refuses

#[test]
fn unreadable_pupils_are_rows_of_the_export_and_named_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(&north(), &repo);
    std::fs::write(repo.join("pupils/ava-brown/targets.yaml"), "- id: [broken\n").unwrap();
    std::fs::create_dir_all(repo.join("pupils/dan-eze")).unwrap();
    std::fs::write(repo.join("pupils/dan-eze/pupil.yaml"), "id: dan-eze\nname: {first: Dan\n").unwrap();
    let out = dir.path().join("x.sqlite");
    let r = export(&repo, &out, &[]);
    assert!(
        r.stderr.contains("warning: pupil `dan-eze` could not be read (`pupils/dan-eze/pupil.yaml`)"),
        "{}",
        r.all()
    );
    assert!(r.stderr.contains("2 pupils could not be read: the `unreadable` table names the files"), "{}", r.all());
    let db = rusqlite::Connection::open(&out).unwrap();
    let mut stmt = db.prepare("SELECT school, pupil, archived, file FROM unreadable ORDER BY pupil").unwrap();
    let rows: Vec<(String, String, i64, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect();
    assert_eq!(
        rows,
        [
            ("999001".into(), "ava-brown".into(), 0, "pupils/ava-brown/targets.yaml".into()),
            ("999001".into(), "dan-eze".into(), 0, "pupils/dan-eze/pupil.yaml".into()),
        ]
    );
    // Ava's readable files are still exported; Dan has no pupil row to hang rows on.
    assert_eq!(count(&db, "SELECT count(*) FROM pupils WHERE pupil = 'ava-brown'"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM needs WHERE pupil = 'ava-brown'"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM pupils WHERE pupil = 'dan-eze'"), 0);
    // Every pupil read: the table is there, empty.
    let clean = dir.path().join("clean.sqlite");
    let r = export(&north(), &clean, &[]);
    assert!(!r.stderr.contains("could not be read"), "{}", r.all());
    assert_eq!(count(&rusqlite::Connection::open(&clean).unwrap(), "SELECT count(*) FROM unreadable"), 0);
}

#[test]
fn a_key_used_twice_is_refused_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(&north(), &repo);
    let needs = repo.join("pupils/ava-brown/needs.yaml");
    let mut text = std::fs::read_to_string(&needs).unwrap();
    text.push_str("- id: reading\n  area: cognition-and-learning\n");
    std::fs::write(&needs, text).unwrap();
    for out in ["x.sqlite", "x.json"] {
        let out = dir.path().join(out);
        let r = senco(&repo, &["export", out.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{}", r.all());
        assert!(
            r.stderr.contains(
                "pupils/ava-brown/needs.yaml:10:7: need `reading` appears twice in the `needs` table (first at pupils/ava-brown/needs.yaml:1)"
            ),
            "{}",
            r.all()
        );
        assert!(r.stderr.contains("run `senco check`"), "{}", r.all());
        assert!(!out.exists());
    }
}

#[test]
fn the_school_key_is_the_urn_else_the_id_else_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(&north(), &repo);
    let toml = repo.join("senco.toml");
    let original = std::fs::read_to_string(&toml).unwrap();
    let key = |settings: &str| {
        std::fs::write(&toml, settings).unwrap();
        let out = dir.path().join("k.json");
        let _ = std::fs::remove_file(&out);
        let r = senco(&repo, &["export", out.to_str().unwrap()]);
        if r.code != 0 {
            return Err(r);
        }
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        Ok(v["tables"]["pupils"][0]["school"].as_str().unwrap().to_string())
    };
    assert_eq!(key(&original).unwrap_or_else(|r| panic!("{}", r.all())), "999001");
    assert_eq!(
        key(&original.replace("urn = 999001", "id = \"W-6612345\"")).unwrap_or_else(|r| panic!("{}", r.all())),
        "W-6612345"
    );
    assert_eq!(key(&original.replace("urn = 999001\n", "")).unwrap_or_else(|r| panic!("{}", r.all())), "North Primary");
    // Located errors for a mistyped URN, and for both keys.
    let r = key(&original.replace("urn = 999001", "urn = 12345")).unwrap_err();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("senco.toml:4:7"), "{}", r.all());
    assert!(r.stderr.contains("a URN is six digits"), "{}", r.all());
    let r = key(&original.replace("urn = 999001", "urn = 999001\nid = \"x\"")).unwrap_err();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("senco.toml:4:1") && r.stderr.contains("has both `urn = 999001` and `id`"),
        "{}",
        r.all()
    );
    let r = key(&original.replace("urn = 999001", "id = \"bad id!\"")).unwrap_err();
    assert!(r.stderr.contains("a school id is 1 to 64 letters"), "{}", r.all());
}
