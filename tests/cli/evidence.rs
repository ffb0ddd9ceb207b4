//! Evidence for leaders: `impact`, `progress`, `census`, `export`, on
//! `tests/fixtures/evidence` (Brookside Primary, England), whose figures are
//! worked by hand below.

use crate::query::parse_csv;
use crate::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

fn brookside() -> PathBuf {
    fixture("evidence")
}

fn json<T: serde::de::DeserializeOwned>(repo: &Path, args: &[&str], code: i32) -> T {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let r = senco(repo, &all);
    assert_eq!(r.code, code, "{}", r.all());
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{}", r.stdout))
}

// ------------------------------------------------- the JSON contracts, strictly

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImpactReport {
    version: u32,
    today: String,
    school: String,
    currency: String,
    filter: ImpactFilter,
    summary: Summary,
    by_provision: Vec<Group>,
    by_area: Vec<Group>,
    by_staff: Vec<Group>,
    places: Vec<Place>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct ImpactFilter {
    provision: Option<String>,
    area: Option<String>,
    year: Option<i64>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Summary {
    places: usize,
    pupils: usize,
    completed: usize,
    in_progress: usize,
    not_comparable: usize,
    no_data: usize,
    total_cost: f64,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Group {
    key: String,
    name: String,
    measure: Option<String>,
    scale: Option<String>,
    pupils: usize,
    fewer_than_5_pupils: bool,
    places: usize,
    completed: usize,
    in_progress: usize,
    not_comparable: usize,
    no_data: usize,
    median_gain: Option<f64>,
    mean_gain: Option<f64>,
    min_gain: Option<f64>,
    max_gain: Option<f64>,
    improved: Option<f64>,
    total_cost: f64,
    cost_per_pupil: f64,
    cost_per_point: Option<f64>,
    places_with_delivery: usize,
    median_minutes_received: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Place {
    pupil: String,
    intervention: String,
    provision: String,
    provision_name: String,
    area: Option<String>,
    staff: Option<String>,
    measure: Option<String>,
    scale: Option<String>,
    entry: Option<f64>,
    exit: Option<f64>,
    gain: Option<f64>,
    weeks: Option<f64>,
    cost: f64,
    minutes_received: Option<f64>,
    minutes_planned: Option<f64>,
    status: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgressReport {
    version: u32,
    today: String,
    pupil: String,
    name: String,
    measures: Vec<Series>,
    targets: Vec<TargetHistory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Series {
    measure: String,
    scale: Option<String>,
    points: Vec<Point>,
    change_since_first: Option<f64>,
    change_since_previous: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Point {
    date: String,
    score: f64,
    assessment: String,
    tool: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TargetHistory {
    target: String,
    outcome: String,
    status: String,
    due: Option<String>,
    ratings: Vec<Rating>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Rating {
    date: String,
    review: String,
    progress: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CensusReport {
    version: u32,
    today: String,
    date: String,
    term: Option<String>,
    school: String,
    pupils: Vec<CensusRow>,
    by_provision: Vec<CodeCount>,
    by_type: Vec<TypeCount>,
    errors: usize,
    notes: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CensusRow {
    pupil: String,
    name: String,
    upn: Option<String>,
    year_group: Option<i64>,
    archived: bool,
    level: Option<String>,
    provision: Option<String>,
    primary_type: Option<String>,
    secondary_type: Option<String>,
    sen_unit: bool,
    resourced_provision: bool,
    note: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct CodeCount {
    code: String,
    pupils: usize,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct TypeCount {
    r#type: String,
    primary: usize,
    secondary: usize,
}

// ------------------------------------------------------------------ impact

type MeasureRow<'a> = (&'a str, Option<&'a str>, usize, Option<f64>, Option<f64>);
type RatingRow<'a> = (&'a str, &'a str, Vec<(&'a str, Option<&'a str>)>);
type CensusLine<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>, bool);

fn find<'a>(groups: &'a [Group], key: &str, measure: Option<&str>, scale: Option<&str>) -> &'a Group {
    groups
        .iter()
        .find(|g| g.key == key && g.measure.as_deref() == measure && g.scale.as_deref() == scale)
        .unwrap_or_else(|| panic!("no group {key} {measure:?} {scale:?} in {groups:#?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Worked by hand from tests/fixtures/evidence. The academic year has 323
/// days and `weeks_per_year` is 32.3, so a place costs its weekly cost x the
/// days it ran / 10 (`cost::over_run`: weekly x 32.3 x days / 323).
///
/// Reading Boost (catalogue: 2 x 30 min a week; Mrs Ames at 12.00 an hour;
/// a group of 3, so the session's cost is shared): weekly = 2 x 0.5 x 12 / 3
/// = 4.00. Alice, Ben and Cara ran 2026-09-07..2026-10-16, 40 days: 16.00
/// each. Dev is ongoing, counted to today 2026-11-24: 79 days, 31.60.
///
/// - "words read per minute" (raw): Alice 10 -> 22 (+12), Ben 8 -> 12 (+4;
///   he wrote `Words read per minute`: the same measure). Median 8, mean 8,
///   both improved (1.0); 2 pupils, 32.00, 16.00 a pupil, 16 / 8 = 2.00 a point.
/// - "reading" (standard-score): Cara 85 -> 91 (+6); 16.00; 16 / 6 = 2.67.
/// - "reading" (age-months): Dev, in progress: never averaged with Cara's
///   standard score; no median, 31.60.
///
/// Talk Time (1:1, the catalogue's 20.00 an hour; 1 x 30 min): Alice, no
/// staff, weekly 10.00, 40 days: 40.00, 90 -> 96 (+6). Ella with Mr Bell
/// (18.00 an hour: staff rate first): weekly 9.00, 2026-09-14..2026-10-23 =
/// 40 days: 36.00; her exit is on "expressive language": not comparable, so
/// no gain, but counted. Group "receptive language" (standard-score): 2
/// pupils, 1 completed, 1 not comparable, median 6, 76.00, 38.00 a pupil,
/// 38 / 6 = 6.33 a point.
///
/// Lunchtime club (not in the catalogue; Mr Bell, 5 x 30 min, group of 10):
/// weekly 4.50, ongoing from 2026-09-14 to today, 72 days: 32.40, no entry
/// data. Its area comes from its target's need: social-emotional-mental-health.
///
/// Total 16 x 3 + 31.60 + 40 + 36 + 32.40 = 188.00 over 7 places, 5 pupils.
#[test]
fn impact_figures_worked_by_hand() {
    let r: ImpactReport = json(&brookside(), &["impact"], 0);
    assert_eq!((r.version, r.today.as_str(), r.school.as_str()), (1, TODAY, "Brookside Primary School"));
    assert_eq!(r.currency, "GBP");
    assert_eq!(r.filter, ImpactFilter { provision: None, area: None, year: None, from: None, to: None });
    assert_eq!(
        r.summary,
        Summary {
            places: 7,
            pupils: 5,
            completed: 4,
            in_progress: 1,
            not_comparable: 1,
            no_data: 1,
            total_cost: 188.0
        }
    );

    let wpm = find(&r.by_provision, "reading-boost", Some("words read per minute"), Some("raw"));
    assert_eq!((wpm.name.as_str(), wpm.pupils, wpm.places, wpm.completed), ("Reading Boost", 2, 2, 2));
    assert_eq!((wpm.median_gain, wpm.mean_gain, wpm.improved), (Some(8.0), Some(8.0), Some(1.0)));
    assert_eq!((wpm.min_gain, wpm.max_gain), (Some(4.0), Some(12.0)), "the spread of the gains 4 and 12");
    assert!(close(wpm.total_cost, 32.0) && close(wpm.cost_per_pupil, 16.0), "{wpm:?}");
    assert!(close(wpm.cost_per_point.unwrap(), 2.0), "{wpm:?}");

    let ss = find(&r.by_provision, "reading-boost", Some("reading"), Some("standard-score"));
    assert_eq!((ss.pupils, ss.completed, ss.median_gain), (1, 1, Some(6.0)));
    assert_eq!(ss.cost_per_point, Some(2.67), "16 / 6, rounded to pence");

    let months = find(&r.by_provision, "reading-boost", Some("reading"), Some("age-months"));
    assert_eq!((months.pupils, months.completed, months.in_progress, months.median_gain), (1, 0, 1, None));
    assert_eq!((months.cost_per_point, months.improved), (None, None));
    assert!(close(months.cost_per_pupil, 31.6));

    let talk = find(&r.by_provision, "talk-time", Some("receptive language"), Some("standard-score"));
    assert_eq!((talk.pupils, talk.completed, talk.not_comparable, talk.median_gain), (2, 1, 1, Some(6.0)));
    assert!(close(talk.total_cost, 76.0) && close(talk.cost_per_pupil, 38.0));
    assert_eq!(talk.cost_per_point, Some(6.33));

    let club = find(&r.by_provision, "name:Lunchtime club", None, None);
    assert_eq!((club.name.as_str(), club.no_data, club.completed), ("Lunchtime club", 1, 0));
    assert!(close(club.cost_per_pupil, 32.4));
    assert_eq!(r.by_provision.len(), 5, "each measure and scale apart: {:#?}", r.by_provision);

    // Per area: the club's area comes from its target's need.
    let semh = find(&r.by_area, "social-emotional-mental-health", None, None);
    assert_eq!(semh.no_data, 1);
    assert_eq!(r.by_area.len(), 5);
    // Per staff member: Alice's Talk Time has no staff member.
    let ames = find(&r.by_staff, "ta-ames", Some("words read per minute"), Some("raw"));
    assert_eq!((ames.name.as_str(), ames.completed), ("Mrs P. Ames", 2));
    let unassigned = find(&r.by_staff, "unassigned", Some("receptive language"), Some("standard-score"));
    assert!(close(unassigned.cost_per_pupil, 40.0));
    let bell = find(&r.by_staff, "ta-bell", Some("receptive language"), Some("standard-score"));
    assert_eq!((bell.completed, bell.not_comparable, bell.median_gain), (0, 1, None));

    // Every place is listed, in progress and not comparable included.
    let status: Vec<(&str, &str, &str)> =
        r.places.iter().map(|p| (p.pupil.as_str(), p.intervention.as_str(), p.status.as_str())).collect();
    assert_eq!(
        status,
        [
            ("alice-arden", "rb-autumn", "completed"),
            ("alice-arden", "tt-autumn", "completed"),
            ("ben-brook", "rb-autumn", "completed"),
            ("cara-cole", "rb-autumn", "completed"),
            ("dev-dunn", "rb-ongoing", "in-progress"),
            ("ella-east", "tt-autumn", "not-comparable"),
            ("ella-east", "club", "no-data"),
        ]
    );
    let alice = &r.places[0];
    assert_eq!((alice.entry, alice.exit, alice.gain), (Some(10.0), Some(22.0), Some(12.0)));
    assert_eq!((alice.weeks, alice.cost), (Some(5.57), 16.0), "39 days");
    let ella = &r.places[5];
    assert_eq!((ella.gain, ella.measure.as_deref()), (None, Some("receptive language")));
}

#[test]
fn impact_filters() {
    let places = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["impact"];
        all.extend_from_slice(args);
        let r: ImpactReport = json(&brookside(), &all, 0);
        r.places.into_iter().map(|p| format!("{}/{}", p.pupil, p.intervention)).collect()
    };
    assert_eq!(places(&["--provision", "talk"]), ["alice-arden/tt-autumn", "ella-east/tt-autumn"]);
    assert_eq!(places(&["--area", "social-emotional-mental-health"]), ["ella-east/club"]);
    assert_eq!(places(&["--year", "4"]), ["ella-east/tt-autumn", "ella-east/club"]);
    // Still running on or after 2026-10-20: the ongoing ones and Ella's, ended 2026-10-23.
    assert_eq!(places(&["--from", "2026-10-20"]), ["dev-dunn/rb-ongoing", "ella-east/tt-autumn", "ella-east/club"]);
    // Started on or before 2026-09-10.
    assert_eq!(places(&["--to", "2026-09-10"]).len(), 5);
    let r: ImpactReport = json(&brookside(), &["impact", "--provision", "reading", "--year", "3"], 0);
    assert_eq!(r.filter.provision.as_deref(), Some("reading-boost"));
    assert_eq!(r.summary.places, 4);

    let r = senco(&brookside(), &["impact", "--provision", "talk-tme"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("did you mean `talk-time`?"), "{}", r.all());
    let r = senco(&brookside(), &["impact", "--from", "2026-12-01", "--to", "2026-09-01"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("is after"), "{}", r.all());
}

// ---------------------------------------------------------------- progress

#[test]
fn progress_per_measure_and_target_ratings() {
    let r: ProgressReport = json(&brookside(), &["progress", "ali"], 0);
    assert_eq!(
        (r.version, r.today.as_str(), r.pupil.as_str(), r.name.as_str()),
        (1, TODAY, "alice-arden", "Alice Arden")
    );
    let m: Vec<MeasureRow> = r
        .measures
        .iter()
        .map(|s| {
            (s.measure.as_str(), s.scale.as_deref(), s.points.len(), s.change_since_first, s.change_since_previous)
        })
        .collect();
    // Sorted by measure; the EP observation has no score and is not a point.
    assert_eq!(
        m,
        [
            ("phonics screening check", Some("raw"), 1, None, None),
            ("reading accuracy", Some("standard-score"), 3, Some(3.0), Some(-1.0)),
            ("spelling age", Some("age-months"), 2, Some(6.0), Some(6.0)),
        ]
    );
    let dates: Vec<&str> = r.measures[1].points.iter().map(|p| p.date.as_str()).collect();
    assert_eq!(dates, ["2025-09-10", "2026-01-15", "2026-07-01"]);

    let t: Vec<RatingRow> = r
        .targets
        .iter()
        .map(|t| {
            (
                t.target.as_str(),
                t.status.as_str(),
                t.ratings.iter().map(|x| (x.date.as_str(), x.progress.as_deref())).collect(),
            )
        })
        .collect();
    assert_eq!(
        t,
        [
            ("read-80", "achieved", vec![("2026-01-20", Some("partly-achieved")), ("2026-07-08", Some("achieved"))]),
            ("spell-90", "open", vec![("2026-07-08", Some("open"))]),
            ("talk-1", "open", vec![]),
        ]
    );

    let r = senco(&brookside(), &["progress", "zed"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("no pupil with id `zed`"), "{}", r.all());
}

// ------------------------------------------------------------------ census

#[test]
fn census_codes_each_level_and_refuses_to_guess() {
    let r: CensusReport = json(&brookside(), &["census"], 1);
    assert_eq!((r.version, r.today.as_str(), r.date.as_str()), (1, TODAY, TODAY));
    assert_eq!(r.school, "Brookside Primary School");
    // No --term; every level's start is recorded; no indicators set.
    assert_eq!((r.term.as_deref(), r.notes), (None, 0));
    assert!(r.pupils.iter().all(|p| p.note.is_none() && !p.sen_unit && !p.resourced_provision));
    assert!(r.pupils.iter().all(|p| p.level.is_some() || p.provision.is_none()));
    let rows: Vec<CensusLine> = r
        .pupils
        .iter()
        .map(|p| {
            (
                p.pupil.as_str(),
                p.provision.as_deref(),
                p.primary_type.as_deref(),
                p.secondary_type.as_deref(),
                p.error.is_some(),
            )
        })
        .collect();
    // Harry joins on 2026-12-01 and Iris left on 2026-10-02: neither is on roll today.
    // Cara's second need repeats her primary type (ASD): rank 2 is the next one, SEMH.
    assert_eq!(
        rows,
        [
            ("alice-arden", Some("K"), Some("SPLD"), Some("SLCN"), false),
            ("ben-brook", Some("K"), Some("MLD"), None, false),
            ("cara-cole", Some("E"), Some("ASD"), Some("SEMH"), false),
            ("dev-dunn", Some("K"), None, None, true),
            ("ella-east", Some("K"), Some("NSA"), None, false),
            ("finn-ford", Some("N"), None, None, false),
        ]
    );
    assert_eq!(r.pupils[3].error.as_deref(), Some("the primary need has no `type`"));
    assert!(r.pupils.iter().all(|p| p.upn.is_none() && !p.archived));
    assert_eq!(r.pupils[0].name, "Alice Arden");
    assert_eq!(r.pupils[0].year_group, Some(3));
    assert_eq!(r.errors, 1);
    let codes: Vec<(&str, usize)> = r.by_provision.iter().map(|c| (c.code.as_str(), c.pupils)).collect();
    assert_eq!(codes, [("E", 1), ("K", 4), ("N", 1)]);
    // Dev cannot be coded, so he is in no type total.
    let types: Vec<(&str, usize, usize)> =
        r.by_type.iter().map(|t| (t.r#type.as_str(), t.primary, t.secondary)).collect();
    assert_eq!(types, [("ASD", 1, 0), ("MLD", 1, 0), ("NSA", 1, 0), ("SEMH", 0, 1), ("SLCN", 0, 1), ("SPLD", 1, 0)]);
}

#[test]
fn census_date_and_upn() {
    // On 2026-10-01 Iris (archived, left 2026-10-02) was on roll; Harry had not joined.
    let r: CensusReport = json(&brookside(), &["census", "--date", "2026-10-01", "--show-upn"], 1);
    let ids: Vec<&str> = r.pupils.iter().map(|p| p.pupil.as_str()).collect();
    assert_eq!(ids, ["alice-arden", "ben-brook", "cara-cole", "dev-dunn", "ella-east", "finn-ford", "iris-ives"]);
    let iris = &r.pupils[6];
    assert_eq!(
        (iris.archived, iris.primary_type.as_deref(), iris.secondary_type.as_deref()),
        (true, Some("SPLD"), Some("PD"))
    );
    assert_eq!(r.pupils[0].upn.as_deref(), Some("A100000000001"));
    assert_eq!(r.date, "2026-10-01");
    // On 2027-01-18 Harry has joined.
    let r: CensusReport = json(&brookside(), &["census", "--date", "2027-01-18"], 1);
    assert!(r.pupils.iter().any(|p| p.pupil == "harry-hill" && p.primary_type.as_deref() == Some("HI")));
    assert!(!r.pupils.iter().any(|p| p.pupil == "iris-ives"));
    // CSV: one table, the UPN column only when asked.
    let r = senco(&brookside(), &["census", "--format", "csv"]);
    assert_eq!(r.code, 1);
    let rows = parse_csv(&r.stdout);
    assert_eq!(
        rows[0],
        [
            "pupil",
            "name",
            "year",
            "provision",
            "primary_type",
            "secondary_type",
            "sen_unit",
            "resourced_provision",
            "note",
            "error"
        ]
    );
    assert_eq!(rows.len(), 7);
    assert!(r.stderr.contains("1 pupil(s) cannot be coded"), "{}", r.all());
    // Oakfield codes every pupil: exit 0.
    let r = senco(&oakfield(), &["census"]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn census_refuses_other_jurisdictions() {
    let r = senco(&fixture("query-us"), &["census"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("census-not-england", r.all());
}

// ------------------------------------------------------------------ export

fn count(db: &rusqlite::Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn export_sqlite_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brookside.sqlite");
    let r = senco(&brookside(), &["export", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("20 tables"), "{}", r.all());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    let db = rusqlite::Connection::open(&out).unwrap();
    assert_eq!(count(&db, "SELECT version FROM senco_schema"), 2);
    // 8 pupils on roll (Harry included: export is every record) and 1 archived.
    assert_eq!(count(&db, "SELECT count(*) FROM pupils"), 8);
    assert_eq!(count(&db, "SELECT count(*) FROM pupils WHERE archived = 1"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM interventions"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM assessments"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM review_targets"), 3);
    assert_eq!(count(&db, "SELECT count(*) FROM staff"), 2);
    assert_eq!(count(&db, "SELECT count(*) FROM catalogue"), 2);
    assert_eq!(count(&db, "SELECT count(*) FROM needs WHERE \"primary\" = 1"), 8);
    let (school, jurisdiction, exported): (String, String, String) = db
        .query_row("SELECT school, jurisdiction, exported FROM school", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!(
        (school.as_str(), jurisdiction.as_str(), exported.as_str()),
        ("Brookside Primary School", "england", TODAY)
    );
    // Every table carries the school, so many schools' exports stack.
    assert_eq!(count(&db, "SELECT count(*) FROM interventions WHERE school = 'Brookside Primary School'"), 7);
    let (score, measure, weekly): (f64, String, f64) = db
        .query_row(
            "SELECT exit_score, entry_measure, weekly_cost FROM interventions WHERE pupil = 'alice-arden' AND intervention = 'rb-autumn'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((score, measure.as_str()), (22.0, "words read per minute"));
    assert!(close(weekly, 4.0));
    let dob: String =
        db.query_row("SELECT date_of_birth FROM pupils WHERE pupil = 'cara-cole'", [], |r| r.get(0)).unwrap();
    assert_eq!(dob, "2018-05-02");
    let left: String = db.query_row("SELECT left FROM pupils WHERE pupil = 'iris-ives'", [], |r| r.get(0)).unwrap();
    assert_eq!(left, "2026-10-02");

    // No overwrite without --force; with it, replaced whole.
    let r = senco(&brookside(), &["export", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists"), "{}", r.all());
    let r = senco(&brookside(), &["export", "--force", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[test]
fn export_json_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brookside.json");
    let r = senco(&brookside(), &["export", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!((v["version"].as_u64(), v["schema_version"].as_u64()), (Some(1), Some(2)));
    let tables = v["tables"].as_object().unwrap();
    let names: Vec<&str> = tables.keys().map(String::as_str).collect();
    assert_eq!(names.len(), 20);
    let pupils = tables["pupils"].as_array().unwrap();
    assert_eq!(pupils.len(), 8);
    let ids: Vec<&str> = pupils.iter().map(|p| p["pupil"].as_str().unwrap()).collect();
    // By pupil id, the archived pupil in its place.
    assert_eq!(
        ids,
        ["alice-arden", "ben-brook", "cara-cole", "dev-dunn", "ella-east", "finn-ford", "harry-hill", "iris-ives"]
    );
    assert_eq!(pupils[2]["level"], "ehcp");
    assert_eq!(pupils[2]["plan_issued"], "2025-03-01");
    assert_eq!(pupils[2]["year_group"], 3);
    assert_eq!(pupils[7]["archived"], true);
    assert_eq!(pupils[0]["school"], "Brookside Primary School");
    assert!(pupils[0].get("upn").is_none(), "UPNs are never exported");
    let ivs = tables["interventions"].as_array().unwrap();
    let ella = ivs.iter().find(|i| i["pupil"] == "ella-east" && i["intervention"] == "club").unwrap();
    assert_eq!((ella["name"].as_str(), ella["entry_score"].is_null()), (Some("Lunchtime club"), true));
    assert_eq!(ella["group_size"], 10.0);
    assert_eq!(tables["school"][0]["currency"], "GBP");

    let r = senco(&brookside(), &["export", "--bom", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.all());
}

#[test]
fn export_csv_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brookside");
    let r = senco(&brookside(), &["export", "--format", "csv", "--bom", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.all());
    let mut files: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(
        files,
        [
            "access_arrangements.csv",
            "assessments.csv",
            "catalogue.csv",
            "consent.csv",
            "contacts.csv",
            "delivery.csv",
            "delivery_pupils.csv",
            "interventions.csv",
            "log.csv",
            "needs.csv",
            "professionals.csv",
            "pupils.csv",
            "review_actions.csv",
            "review_targets.csv",
            "reviews.csv",
            "school.csv",
            "staff.csv",
            "targets.csv",
            "training.csv",
            "unreadable.csv",
        ]
    );
    let text = std::fs::read_to_string(out.join("assessments.csv")).unwrap();
    let text = text.strip_prefix('\u{FEFF}').expect("--bom");
    let rows = parse_csv(text);
    assert_eq!(rows[0], ["school", "pupil", "assessment", "date", "tool", "measure", "score", "scale", "assessor"]);
    assert_eq!(rows.len(), 8);
    let yarc3 = rows.iter().find(|r| r[2] == "yarc-3").unwrap();
    assert_eq!((yarc3[3].as_str(), yarc3[6].as_str(), yarc3[7].as_str()), ("2026-07-01", "83", "standard-score"));
    let needs = parse_csv(std::fs::read_to_string(out.join("needs.csv")).unwrap().trim_start_matches('\u{FEFF}'));
    assert_eq!(needs.len(), 1 + 12);
    assert!(needs.iter().any(|r| r[1] == "dev-dunn" && r[4].is_empty() && r[5] == "true"), "{needs:?}");

    // A folder that is not empty needs --force; --force replaces the table files.
    let r = senco(&brookside(), &["export", "--format", "csv", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("is not empty"), "{}", r.all());
    let r = senco(&brookside(), &["export", "--format", "csv", "--force", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!std::fs::read_to_string(out.join("needs.csv")).unwrap().starts_with('\u{FEFF}'));
    // An empty folder is fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let r = senco(&brookside(), &["export", "--format", "csv", empty.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.all());
    // No format and no telling extension.
    let r = senco(&brookside(), &["export", dir.path().join("x.xlsx").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("export-unknown-format", r.all().replace(dir.path().to_str().unwrap(), "[TMP]"));
}

#[test]
fn evidence_commands_write_nothing_into_the_repository() {
    let before = tree(&brookside());
    for args in [&["impact"][..], &["progress", "alice"], &["census"], &["stats"]] {
        senco(&brookside(), args);
    }
    assert_eq!(before, tree(&brookside()));
}

// --------------------------------------------------------------- snapshots

#[test]
fn every_evidence_view_in_every_format() {
    let views: &[(&str, &[&str], i32)] =
        &[("impact", &["impact"], 0), ("progress", &["progress", "alice"], 0), ("census", &["census"], 1)];
    for (name, args, code) in views {
        for format in ["table", "json", "csv", "markdown"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            let r = senco(&brookside(), &all);
            assert_eq!(r.code, *code, "{}", r.all());
            insta::assert_snapshot!(format!("brookside-{name}-{format}"), r.stdout);
        }
    }
    let r = senco(&oakfield(), &["census"]);
    insta::assert_snapshot!("oakfield-census-table", r.stdout);
    let r = senco(&oakfield(), &["impact", "--provision", "precision-teaching"]);
    insta::assert_snapshot!("oakfield-impact-precision-teaching", r.stdout);
}

/// `stats` for the SEN information report: pupils with a need in each area,
/// any rank, as a share of the roll. Brookside has 7 pupils on roll, 6 on
/// the register (Finn is on the watch list): cognition and learning Alice,
/// Ben, Dev (3 of 7 = 42.9%); communication and interaction Alice, Cara
/// (28.6%); SEMH Cara, Ella (28.6%); sensory and physical Harry (14.3%).
#[test]
fn stats_counts_every_area_of_need_against_the_roll() {
    let r = senco(&brookside(), &["stats", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["roll"].as_u64(), v["register"].as_u64()), (Some(7), Some(6)));
    let areas: Vec<(String, u64, f64)> = v["by_area"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["key"].as_str().unwrap().to_string(), c["pupils"].as_u64().unwrap(), c["percent"].as_f64().unwrap())
        })
        .collect();
    assert_eq!(
        areas,
        [
            ("cognition-and-learning".to_string(), 3, 42.9),
            ("communication-and-interaction".to_string(), 2, 28.6),
            ("sensory-and-physical".to_string(), 1, 14.3),
            ("social-emotional-mental-health".to_string(), 2, 28.6),
        ]
    );
}

/// Without `[school] roll` no share of the roll is ever given: `stats`
/// says "roll not recorded" and the JSON shares of the roll are null, while
/// shares of the register stay. A roll per census date takes the count
/// dated on or before `--today`.
#[test]
fn stats_gives_no_share_of_the_roll_without_a_recorded_roll() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    crate::copy_dir(&brookside(), &repo);
    let toml = repo.join("senco.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let without = text.lines().filter(|l| !l.starts_with("roll =")).collect::<Vec<_>>().join("\n");
    std::fs::write(&toml, &without).unwrap();
    let r = senco(&repo, &["stats", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["roll"].is_null() && v["register_percent"].is_null(), "{v}");
    assert_eq!(v["records"].as_u64(), Some(7));
    for c in v["by_area"].as_array().unwrap().iter().chain(v["by_level"].as_array().unwrap()) {
        assert!(c["percent"].is_null(), "{c}");
    }
    assert!(v["by_primary_area"].as_array().unwrap().iter().all(|c| c["percent"].is_f64()));
    let r = senco(&repo, &["stats"]);
    assert!(r.stdout.contains("roll not recorded"), "{}", r.stdout);
    assert!(!r.stdout.contains("% of the roll"), "{}", r.stdout);

    let dated = without.replacen(
        "jurisdiction = \"england\"",
        "jurisdiction = \"england\"\nroll = [{ date = 2026-10-01, pupils = 10 }, { date = 2027-01-21, pupils = 20 }]",
        1,
    );
    std::fs::write(&toml, dated).unwrap();
    for (today, roll, share) in [("2026-11-24", 10, 60.0), ("2027-02-01", 20, 30.0), ("2026-09-05", 10, 60.0)] {
        let r = crate::senco_in(&repo, &["--today", today, "stats", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!((v["roll"].as_u64(), v["register_percent"].as_f64()), (Some(roll), Some(share)), "{today}");
    }
    std::fs::write(&toml, without.replacen("jurisdiction = \"england\"", "jurisdiction = \"england\"\nroll = 0", 1))
        .unwrap();
    let r = senco(&repo, &["stats"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("senco.toml") && r.stderr.contains("above 0"), "{}", r.stderr);
}

fn keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                keys(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
        _ => {}
    }
}

/// Every JSON field of impact, progress and census is in docs/evidence.md;
/// every export table and column is in docs/export.md, under its table.
#[test]
fn docs_name_every_field_table_and_column() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let evidence_md = std::fs::read_to_string(root.join("docs/evidence.md")).unwrap();
    let mut fields = std::collections::BTreeSet::new();
    for args in [&["impact"][..], &["progress", "alice"], &["census", "--show-upn", "--date", "2026-10-01"]] {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        keys(&serde_json::from_str(&senco(&brookside(), &all).stdout).unwrap(), &mut fields);
    }
    let missing: Vec<&String> = fields
        .iter()
        .filter(|f| !evidence_md.contains(&format!("`{f}")) && !evidence_md.contains(&format!(".{f}`")))
        .collect();
    assert!(missing.is_empty(), "not in docs/evidence.md: {missing:?}");

    let export_md = std::fs::read_to_string(root.join("docs/export.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.json");
    assert_eq!(senco(&brookside(), &["export", out.to_str().unwrap()]).code, 0);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    for (table, rows) in v["tables"].as_object().unwrap() {
        let head = format!("### `{table}`");
        let section = export_md.split(&head).nth(1).unwrap_or_else(|| panic!("{head} not in docs/export.md"));
        let section = section.split("\n### ").next().unwrap();
        // Empty tables are covered by tests/cli/export.rs, which reads every column from the schema.
        let Some(first) = rows.get(0).and_then(|r| r.as_object()) else { continue };
        for col in first.keys() {
            assert!(
                col == "school" || section.contains(&format!("`{col}`")),
                "column `{col}` of `{table}` not in docs/export.md"
            );
        }
    }
}

#[test]
fn impact_and_progress_have_self_contained_html_with_charts() {
    let run = senco(&fixture("evidence"), &["impact", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let html = &run.stdout;
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en-GB\">"));
    assert!(html.contains("<svg role=\"img\"") && html.contains("<title>Standard scores: median entry and exit"));
    assert!(html.contains("Data for the chart: Standard scores"), "every chart has its data table");
    assert!(
        !html.contains("<script") && !html.contains("http://")
            || html.matches("http://").all(|_| html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
    );
    insta::assert_snapshot!("impact-html", html);
    let progress = senco(&oakfield(), &["progress", "ava", "--format", "html"]);
    assert_eq!(progress.code, 0, "{}", progress.all());
    assert_eq!(progress.stdout.matches("<svg").count(), 1, "a chart per measure with two results or more");
    assert_eq!(progress.stdout.matches("One result so far").count(), 2, "no single-point line");
    assert!(progress.stdout.contains("Data for the chart: Reading accuracy (standard score)"));
    insta::assert_snapshot!("progress-html", progress.stdout);
    // -o FILE.html chooses HTML; other queries refuse it.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("impact.html");
    let written = senco(&fixture("evidence"), &["impact", "-o", out.to_str().unwrap()]);
    assert_eq!(written.code, 0, "{}", written.all());
    assert!(std::fs::read_to_string(&out).unwrap().contains("<svg"));
    let refused = senco(&oakfield(), &["list", "--format", "html"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("no HTML output"), "{}", refused.stderr);
}

/// Issue 14, round 2 (D): `progress --format html` is read by governors and
/// parents: ages in years and months, scales, statuses and ratings in
/// words, dates in the long style; no slug, raw month count or ISO date.
#[test]
fn progress_html_speaks_plain_words() {
    let shiv = ok_html(&["progress", "siobhan"]);
    assert!(shiv.contains("<h3>Reading age (age equivalent)</h3>"), "{shiv}");
    assert!(shiv.contains("<td class=\"num\">10 years 11 months</td>"), "{shiv}");
    assert!(shiv.contains("Change since the first result: +1 year 9 months; since the one before the last: +7 months."));
    assert!(shiv.contains("One result so far: 12th percentile on 16 September 2026"), "{shiv}");
    assert!(shiv.contains(">10y 1m</text>"), "an age axis in years and months: {shiv}");
    let millie = ok_html(&["progress", "amelia"]);
    assert!(millie.contains("<td>Partly achieved</td>") && millie.contains("15 December 2025: Partly achieved;"));
    for (who, html) in [("Shiv", &shiv), ("Millie", &millie)] {
        for raw in
            ["age-months", "age months", "standard-score", "partly-achieved", ": open", ">open<", "131<", ": 131"]
        {
            assert!(!html.contains(raw), "{who}: `{raw}`:\n{html}");
        }
        let iso = html
            .as_bytes()
            .windows(10)
            .any(|w| w.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() }));
        assert!(!iso, "{who}: an ISO date:\n{html}");
    }
}

fn ok_html(args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.extend(["--format", "html"]);
    let run = senco(&fixture("paperwork"), &args);
    assert_eq!(run.code, 0, "{}", run.all());
    run.stdout
}

/// `impact --format html` for governors: standard scores on one 40-160 axis
/// with the average band, a chart per raw measure, places and pupils named
/// as they are, a caveat under 5 pupils, no staff breakdown under 5, no
/// name cut short.
#[test]
fn impact_html_is_fit_for_governors() {
    let run = senco(&brookside(), &["impact", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let html = &run.stdout;
    assert_eq!(html.matches("<h3>Standard scores</h3>").count(), 1, "one shared chart for standard scores");
    let standard = &html[html.find("<h3>Standard scores</h3>").unwrap()..];
    let standard = &standard[..standard.find("</figure>").unwrap()];
    assert!(standard.contains(">40</text>") && standard.contains(">160</text>"), "the 40-160 axis");
    assert!(standard.contains("<title>Average band: 85 to 115</title>"));
    assert!(standard.contains("Reading Boost: reading") && standard.contains("Talk Time: receptive language"));
    assert!(html.contains("<h3>Words read per minute</h3>"), "a raw measure has a chart of its own");
    assert!(html.contains("Completed places") && html.contains("Places in progress"), "places are called places");
    assert!(html.contains("7 places for 5 pupils"));
    assert!(html.contains("Fewer than 5 pupils: too few to judge"), "the caveat under 5");
    let staff = &html[html.find("<h2>By staff member</h2>").unwrap()..];
    assert!(!staff.contains("Mrs P. Ames") && !staff.contains("Mr O. Bell"), "no staff breakdown under 5 pupils");
    assert!(staff.contains("groups with fewer than 5 pupils are not shown"), "{staff}");
    assert!(!html.contains('…'), "no name cut short");
}

/// The Markdown (and the CSV made from the same document) for governors
/// shows no staff group of fewer than 5 pupils and says why in words;
/// provision groups that small carry the caveat. The JSON keeps every
/// group for the data manager, each flagged `fewer_than_5_pupils`.
#[test]
fn impact_markdown_withholds_small_staff_groups_and_json_flags_them() {
    let md = senco(&brookside(), &["impact", "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.all());
    let staff = &md.stdout[md.stdout.find("By staff member").unwrap()..];
    let staff = &staff[..staff.find("Places").unwrap()];
    assert!(!staff.contains("Mrs P. Ames") && !staff.contains("Mr O. Bell"), "no staff breakdown under 5: {staff}");
    assert!(
        md.stdout.contains("groups with fewer than 5 pupils are not shown: too few pupils to judge anyone's work on"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("fewer than 5 pupils: too few to judge"), "the caveat on small provision groups");
    let areas = &md.stdout[md.stdout.find("By area of need").unwrap()..md.stdout.find("By staff member").unwrap()];
    assert!(
        areas.contains("| Cognition and learning | reading | standard score |"),
        "areas and scales in words: {areas}"
    );
    assert!(!areas.contains("cognition-and-learning") && !areas.contains("standard-score"), "{areas}");
    let csv = senco(&brookside(), &["impact", "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.all());
    assert!(!csv.stdout.contains("Mrs P. Ames") && !csv.stdout.contains("Mr O. Bell"), "{}", csv.stdout);

    let json = senco(&brookside(), &["impact", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let groups = v["by_staff"].as_array().unwrap();
    assert!(!groups.is_empty());
    for g in groups.iter().chain(v["by_provision"].as_array().unwrap()) {
        let pupils = g["pupils"].as_u64().unwrap();
        assert_eq!(g["fewer_than_5_pupils"], serde_json::json!(pupils < 5), "{g}");
    }
    assert!(groups.iter().any(|g| g["name"] == "Mrs P. Ames"), "the JSON keeps the figures");
}
