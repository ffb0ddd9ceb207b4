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
