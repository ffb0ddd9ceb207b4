//! School days and calendars: `[calendar] closures` and `[[calendar.past]]`
//! in senco.toml, each kind of bad input a located failure (exit 2).

use super::{copy_dir, fixture, senco};

const CALENDAR: &str = "[calendar]
year_start = 2026-09-02
year_end = 2027-07-21
terms = [
  { name = \"Autumn\", start = 2026-09-02, end = 2026-12-18 },
  { name = \"Spring\", start = 2027-01-04, end = 2027-03-26 },
  { name = \"Summer\", start = 2027-04-12, end = 2027-07-21 },
]
";

/// The base school with `extra` added to its `[calendar]`, checked.
fn check_with(extra: &str) -> super::Run {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    copy_dir(&fixture("base"), &repo);
    let path = repo.join("senco.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(CALENDAR));
    std::fs::write(&path, text.replace(CALENDAR, &format!("{CALENDAR}{extra}"))).unwrap();
    senco(&repo, &["check"])
}

#[test]
fn closures_and_past_years_are_accepted() {
    let run = check_with(
        "closures = [
  2026-09-02,                                                   # INSET day
  { name = \"Autumn half term\", start = 2026-10-26, end = 2026-10-30 },
  { start = 2027-05-03 },
]

[[calendar.past]]
year_start = 2025-09-03
year_end = 2026-07-22
terms = [{ name = \"Year\", start = 2025-09-03, end = 2026-07-22 }]
closures = [2025-12-19]
",
    );
    assert_eq!(run.code, 0, "{}", run.all());
}

#[test]
fn each_kind_of_bad_calendar_is_a_located_failure() {
    let cases = [
        ("a closure that ends before it starts", "closures = [{ start = 2026-10-30, end = 2026-10-26 }]\n"),
        ("a closure that is not a date", "closures = [\"26 October\"]\n"),
        ("a closure that is not a real date", "closures = [{ start = 2026-02-30 }]\n"),
        ("a closure with a time", "closures = [2026-10-26T09:00:00]\n"),
        ("a closure without a start", "closures = [{ end = 2026-10-30 }]\n"),
        ("a closure with an unknown key", "closures = [{ from = 2026-10-26, end = 2026-10-30 }]\n"),
        ("a closure outside the year", "closures = [\n  2026-10-26,\n  2025-10-27,\n]\n"),
        (
            "a kept year that ends before it starts",
            "\n[[calendar.past]]\nyear_start = 2025-09-03\nyear_end = 2025-07-22\n",
        ),
        (
            "a kept year's term that ends before it starts",
            "\n[[calendar.past]]\nyear_start = 2025-09-03\nyear_end = 2026-07-22\nterms = [{ name = \"Autumn\", start = 2025-12-19, end = 2025-09-03 }]\n",
        ),
        (
            "a kept year's closure outside that year",
            "\n[[calendar.past]]\nyear_start = 2025-09-03\nyear_end = 2026-07-22\nterms = [{ name = \"Year\", start = 2025-09-03, end = 2026-07-22 }]\nclosures = [2026-10-26]\n",
        ),
    ];
    let mut all = String::new();
    for (what, extra) in cases {
        let run = check_with(extra);
        assert_eq!(run.code, 2, "{what}: {}", run.all());
        assert!(run.stdout.is_empty(), "{what}: {}", run.all());
        all.push_str(&format!("## {what}\n{}\n", run.stderr));
    }
    insta::assert_snapshot!("calendar-bad-closures", all);
}

// ------------------------------------------------------------------ census
// tests/fixtures/census-dates, today 2026-11-24 (academic year 2026-27), by hand.
// Census days: autumn 2026 Thu 1 Oct (the first Thursday in October);
// spring 2027 Thu 21 Jan (7, 14, 21: the third); summer 2027 Thu 20 May;
// 2025-26: autumn Thu 2 Oct 2025, spring Thu 15 Jan 2026; 2024-25: autumn Thu 3 Oct 2024.
//   amy-plan    ehcp issued 2026-10-12 (since 2026-05-04, the request); history
//               monitoring from 2025-11-03, sen-support from 2026-02-02:
//               autumn 2026 (before the plan) K; spring 2027 E; spring 2026 N
//               (monitoring); autumn 2025 N, "level before 2025-11-03 not recorded".
//   ben-support sen-support since 2026-10-05, no history: autumn 2026 N with
//               "level before 2026-10-05 not recorded"; spring 2027 K.
//   cal-ds      sen-support since 2024-09-04, type DS, sen_unit: K DS, unit true;
//               autumn 2024 (before the January 2025 census) DS is an error.
//   dot-unit    ehcp since 2023-09-06 (after its plan, 2023-07-01), PD then DS,
//               resourced_provision: E PD DS, resourced true.
//   eli-joiner  joined 2026-11-02: not on roll in the autumn 2026 census; spring K.
//   fay-leaver  archived, left 2026-12-18 in year 6: on roll in autumn 2026 (E),
//               not in spring 2027; year 5 in 2025-26.

fn census_rows(args: &[&str]) -> (i32, Vec<String>) {
    let mut all = vec!["census", "--format", "csv"];
    all.extend_from_slice(args);
    let r = senco(&fixture("census-dates"), &all);
    (r.code, r.stdout.lines().map(str::to_string).collect())
}

#[test]
fn census_codes_each_pupil_as_on_the_census_day() {
    let head = "pupil,name,year,provision,primary_type,secondary_type,sen_unit,resourced_provision,note,error";
    let (code, rows) = census_rows(&["--term", "autumn"]);
    assert_eq!(code, 0);
    assert_eq!(
        rows,
        [
            head,
            "amy-plan,Amy Plan,4,K,ASD,SLCN,false,false,,",
            "ben-support,Ben Support,4,N,,,false,false,level before 2026-10-05 not recorded,",
            "cal-ds,Cal Ds,3,K,DS,,true,false,,",
            "dot-unit,Dot Unit,5,E,PD,DS,false,true,,",
            "fay-leaver,Fay Leaver,6,E,SLCN,,false,false,,",
        ]
    );
    // The same day given as a date.
    assert_eq!(census_rows(&["--date", "2026-10-01"]).1, rows);
    let (_, rows) = census_rows(&["--term", "spring"]);
    assert_eq!(
        rows[1..],
        [
            "amy-plan,Amy Plan,4,E,ASD,SLCN,false,false,,",
            "ben-support,Ben Support,4,K,SPLD,,false,false,,",
            "cal-ds,Cal Ds,3,K,DS,,true,false,,",
            "dot-unit,Dot Unit,5,E,PD,DS,false,true,,",
            "eli-joiner,Eli Joiner,2,K,SEMH,,false,false,,",
        ]
    );
    let (_, rows) = census_rows(&["--term", "spring", "--year", "2025"]);
    assert_eq!(rows[1], "amy-plan,Amy Plan,3,N,,,false,false,,");
    assert_eq!(rows[5], "fay-leaver,Fay Leaver,5,E,SLCN,,false,false,,");
    let (_, rows) = census_rows(&["--term", "autumn", "--year", "2025"]);
    assert_eq!(rows[1], "amy-plan,Amy Plan,3,N,,,false,false,level before 2025-11-03 not recorded,");
    // DS before the census could take it: an error, exit 1.
    let (code, rows) = census_rows(&["--term", "autumn", "--year", "2024"]);
    assert_eq!(code, 1);
    assert!(
        rows[3].starts_with("cal-ds,Cal Ds,1,K,DS,,true,false,,`DS` (Down syndrome) is a census type from"),
        "{}",
        rows[3]
    );
}

#[test]
fn census_days_in_json_and_the_table() {
    let r = senco(&fixture("census-dates"), &["census", "--term", "summer", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((v["date"].as_str(), v["term"].as_str()), (Some("2027-05-20"), Some("summer")));
    assert_eq!(v["pupils"][0]["level"], "ehcp");
    assert_eq!(v["notes"], 0);
    let r = senco(&fixture("census-dates"), &["census", "--term", "autumn"]);
    insta::assert_snapshot!("census-dates-autumn-table", r.all());
    // --date and --term contradict each other; --year needs --term.
    for args in [&["census", "--term", "autumn", "--date", "2026-10-01"][..], &["census", "--year", "2025"]] {
        let r = senco(&fixture("census-dates"), args);
        assert_eq!(r.code, 2, "{}", r.all());
    }
}

// ------------------------------------------------------------------ init and rollover

fn run_at(repo: &std::path::Path, today: &str, args: &[&str]) -> super::Run {
    let mut all = vec!["-C", repo.to_str().unwrap(), "--today", today];
    all.extend_from_slice(args);
    super::senco_in(repo.parent().unwrap(), &all)
}

#[test]
fn init_writes_a_calendar_with_closures_that_rollover_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("ysgol");
    let r = super::senco_in(
        dir.path(),
        &[
            "--today",
            "2026-11-30",
            "init",
            repo.to_str().unwrap(),
            "--jurisdiction",
            "wales",
            "--name",
            "Ysgol Enghraifft",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let toml = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    // 2026-27, worked by hand in src/edit/scaffold.rs.
    for line in [
        "  { name = \"Autumn half term\", start = 2026-10-26, end = 2026-10-30 },\n",
        "  { name = \"Spring half term\", start = 2027-02-15, end = 2027-02-19 },\n",
        "  { name = \"Summer half term\", start = 2027-05-31, end = 2027-06-04 },\n",
        "  2027-05-03,              # Early May bank holiday\n",
        "  # 2026-09-01,            # INSET day\n",
    ] {
        assert!(toml.contains(line), "{line:?} not in\n{toml}");
    }
    let check = run_at(&repo, "2026-11-30", &["check"]);
    assert_eq!(check.code, 0, "{}", check.all());

    // At the end of the year the closures move by 52 weeks and the year is kept.
    let r = run_at(&repo, "2027-07-10", &["rollover"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("closures   4 closure(s)   <- the old dates + 52 weeks: confirm them"), "{}", r.stderr);
    assert!(r.stderr.contains("the year 2026-09-01 to 2027-07-22 is kept as [[calendar.past]]"), "{}", r.stderr);
    let after = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    assert!(after.contains("  { name = \"Autumn half term\", start = 2027-10-25, end = 2027-10-29 },\n"), "{after}");
    assert!(after.contains("  2028-05-01,              # Early May bank holiday\n"), "{after}");
    assert!(after.contains("\n[[calendar.past]]"), "{after}");
    assert!(after.contains("  { name = \"Autumn half term\", start = 2026-10-26, end = 2026-10-30 },\n"), "{after}");
    let check = run_at(&repo, "2027-09-10", &["check"]);
    assert_eq!(check.code, 0, "{}", check.all());

    // A terms file may give the new year's closures; one outside the new
    // year is refused, and nothing is written.
    let terms = dir.path().join("terms.toml");
    std::fs::write(
        &terms,
        "terms = [{ name = \"Year\", start = 2028-09-04, end = 2029-07-20 }]\nclosures = [2027-10-25]\n",
    )
    .unwrap();
    let r = run_at(
        &repo,
        "2028-07-10",
        &["rollover", "--year-start", "2028-09-04", "--year-end", "2029-07-20", "--terms", terms.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("outside that academic year"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(repo.join("senco.toml")).unwrap(), after);
    std::fs::write(
        &terms,
        "terms = [{ name = \"Year\", start = 2028-09-04, end = 2029-07-20 }]\nclosures = [{ name = \"Half term\", start = 2028-10-30, end = 2028-11-03 }]\n",
    )
    .unwrap();
    let r = run_at(
        &repo,
        "2028-07-10",
        &["rollover", "--year-start", "2028-09-04", "--year-end", "2029-07-20", "--terms", terms.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let settings = std::fs::read_to_string(repo.join("senco.toml")).unwrap();
    assert!(
        settings.contains("closures = [\n  { name = \"Half term\", start = 2028-10-30, end = 2028-11-03 },\n]\n"),
        "{settings}"
    );
    assert_eq!(settings.matches("[[calendar.past]]").count(), 2);
}

#[test]
fn a_summer_concern_counts_into_next_year_as_an_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("ysgol");
    let r = super::senco_in(
        dir.path(),
        &["--today", "2026-11-30", "init", repo.to_str().unwrap(), "--jurisdiction", "wales"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let ann = repo.join("pupils/ann-lee");
    std::fs::create_dir_all(&ann).unwrap();
    std::fs::write(
        ann.join("pupil.yaml"),
        "id: ann-lee\nname: { first: Ann, last: Lee }\ndate_of_birth: 2016-01-15\nyear_group: 4\nsupport:\n  level: monitoring\n  request:\n    requested: 2027-07-01\n",
    )
    .unwrap();
    for f in ["needs", "targets", "interventions", "assessments"] {
        std::fs::write(ann.join(format!("{f}.yaml")), "[]\n").unwrap();
    }
    // Concern Thu 2027-07-01; the summer term (init, 2026-27) ends Thu 22 Jul:
    // Fri 2 Jul = 1, weeks of 5 and 12 Jul = 11, Mon 19..Thu 22 Jul = 15.
    // 2027-28 is not recorded: 2026-27 + 52 weeks starts Tue 2027-08-31 (the
    // INSET days are only commented examples): 31 Aug..3 Sep = 19, weeks of
    // 6, 13 and 20 Sep = 34, Mon 27 Sep = 35.
    let r = run_at(&repo, "2027-07-05", &["compliance", "ann-lee", "--rule", "WAL-IDP-DECIDE", "--format", "json"]);
    assert!(r.stdout.contains("2027-09-27"), "{}", r.all());
    assert!(r.stdout.contains("estimated from this year's calendar"), "{}", r.all());
    assert!(r.stdout.contains("\"not_recorded\": 0"), "{}", r.all());
}
