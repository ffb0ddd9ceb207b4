//! The queries: `review-due`, `list`, `stats`, `show`, `caseload`, and the
//! output layer they share (formats, `-o FILE`, CSV safety).

use crate::*;
use serde::Deserialize;
use std::path::PathBuf;

fn us() -> PathBuf {
    fixture("query-us")
}

// ------------------------------------------------- the JSON contracts, strictly

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DueReport {
    version: u32,
    today: String,
    items: Vec<DueItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DueItem {
    pupil: String,
    name: String,
    year_group: Option<i64>,
    level: Option<String>,
    kind: String,
    rule: Option<String>,
    due: String,
    days: i64,
    status: String,
    detail: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListReport {
    version: u32,
    today: String,
    pupils: Vec<ListRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ListRow {
    id: String,
    name: String,
    first_name: Option<String>,
    last_name: Option<String>,
    date_of_birth: Option<String>,
    year_group: Option<i64>,
    class: Option<String>,
    gender: Option<String>,
    first_language: Option<String>,
    joined: Option<String>,
    level: Option<String>,
    since: Option<String>,
    plan_issued: Option<String>,
    primary_need: Option<String>,
    primary_area: Option<String>,
    needs: Vec<String>,
    areas: Vec<String>,
    key_worker: Option<String>,
    key_worker_name: Option<String>,
    open_targets: usize,
    current_interventions: usize,
    last_review: Option<String>,
    next_review: Option<String>,
    next_review_kind: Option<String>,
    access: Vec<AccessCell>,
    left: Option<String>,
    destination: Option<String>,
    upn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatsReport {
    version: u32,
    today: String,
    school: String,
    jurisdiction: String,
    roll: Option<u32>,
    roll_date: Option<String>,
    records: usize,
    register: usize,
    register_percent: Option<f64>,
    statutory_plans: usize,
    by_level: Vec<Count>,
    by_primary_area: Vec<Count>,
    by_area: Vec<Count>,
    by_primary_need: Vec<Count>,
    by_year_group: Vec<Count>,
    reviews_overdue: usize,
    academic_year: Option<AcademicYear>,
    training: Vec<CourseHeld>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AccessCell {
    arrangement: String,
    percent: Option<f64>,
    expires: Option<String>,
    status: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CourseHeld {
    course: String,
    staff: usize,
    expiring: usize,
    lapsed: usize,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Count {
    key: String,
    pupils: usize,
    percent: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcademicYear {
    start: String,
    end: String,
    targets_achieved: usize,
    targets_set: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ShowReport {
    version: u32,
    today: String,
    pupil: ShowPupil,
    profile: Profile,
    needs: Vec<ShowNeed>,
    targets: Vec<ShowTarget>,
    interventions: Vec<ShowIntervention>,
    costs: Costs,
    last_review: Option<LastReview>,
    prepared_review: Option<LastReview>,
    next_reviews: Vec<NextReview>,
    contacts: Vec<Contact>,
    professionals: Vec<Professional>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ShowPupil {
    id: String,
    name: String,
    first_name: Option<String>,
    last_name: Option<String>,
    preferred_name: Option<String>,
    date_of_birth: Option<String>,
    year_group: Option<i64>,
    class: Option<String>,
    gender: Option<String>,
    first_language: Option<String>,
    joined: Option<String>,
    level: Option<String>,
    since: Option<String>,
    plan: Option<Plan>,
    key_worker: Option<StaffRef>,
    archived: bool,
    left: Option<String>,
    destination: Option<String>,
    upn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Plan {
    issued: Option<String>,
    authority: Option<String>,
    amended: Option<String>,
    named_setting: Option<String>,
    next_reevaluation: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StaffRef {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Profile {
    about_me: Option<String>,
    strengths: Vec<String>,
    what_helps: Vec<String>,
    what_doesnt_help: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ShowNeed {
    id: String,
    area: Option<String>,
    r#type: Option<String>,
    primary: bool,
    identified: Option<String>,
    description: Option<String>,
    strategies: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ShowTarget {
    id: String,
    need: Option<String>,
    outcome: Option<String>,
    success_criteria: Option<String>,
    set: Option<String>,
    due: Option<String>,
    owner: Option<String>,
    last_progress: Option<String>,
    last_progress_date: Option<String>,
    last_progress_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ShowIntervention {
    id: String,
    name: String,
    provision: Option<String>,
    staff: Option<StaffRef>,
    start: Option<String>,
    end: Option<String>,
    sessions_per_week: f64,
    minutes: f64,
    group_size: f64,
    weekly_minutes: f64,
    weekly_cost: f64,
    yearly_cost: f64,
    targets: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Costs {
    currency: String,
    weekly_minutes: f64,
    weekly: f64,
    yearly_current: f64,
    yearly: f64,
    year_start: Option<String>,
    year_end: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct LastReview {
    date: String,
    kind: Option<String>,
    file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct NextReview {
    kind: String,
    due: String,
    days: i64,
    basis: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Contact {
    name: String,
    relationship: Option<String>,
    parental_responsibility: Option<bool>,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Professional {
    service: String,
    name: Option<String>,
    referred: Option<String>,
    status: Option<String>,
    next_contact: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseloadReport {
    version: u32,
    today: String,
    max_hours: f64,
    staff: Vec<StaffLoad>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct StaffLoad {
    id: String,
    name: String,
    role: Option<String>,
    key_worker_of: Vec<PupilRef>,
    intervention_pupils: usize,
    interventions: Vec<Delivery>,
    pupil_minutes: f64,
    weekly_minutes: f64,
    weekly_hours: f64,
    status: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PupilRef {
    id: String,
    name: String,
    year_group: Option<i64>,
    level: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Delivery {
    pupil: String,
    intervention: String,
    name: String,
    sessions_per_week: f64,
    minutes: f64,
    group_size: f64,
    weekly_minutes: f64,
}

fn json<T: serde::de::DeserializeOwned>(repo: &std::path::Path, args: &[&str]) -> T {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let r = senco(repo, &all);
    assert_eq!(r.code, 0, "{}", r.all());
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{}", r.stdout))
}

fn due(repo: &std::path::Path, args: &[&str]) -> Vec<DueItem> {
    let mut all = vec!["review-due"];
    all.extend_from_slice(args);
    let r: DueReport = json(repo, &all);
    assert_eq!((r.version, r.today.as_str()), (1, TODAY));
    r.items
}

fn ids(repo: &std::path::Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list"];
    all.extend_from_slice(args);
    let r: ListReport = json(repo, &all);
    assert_eq!((r.version, r.today.as_str()), (1, TODAY));
    let mut v: Vec<String> = r.pupils.into_iter().map(|p| p.id).collect();
    v.sort();
    v
}

/// A small RFC 4180 parser: enough to prove our CSV reads back.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty(), "CSV must end with a line break");
    rows
}

// ------------------------------------------------------------ snapshots

const QUERIES: &[(&str, &[&str])] = &[
    ("review-due", &["review-due"]),
    ("list", &["list"]),
    ("stats", &["stats"]),
    ("show", &["show", "ava"]),
    ("caseload", &["caseload"]),
    ("caseload-one", &["caseload", "ta-jones"]),
];

const US_QUERIES: &[(&str, &[&str])] = &[
    ("review-due", &["review-due"]),
    ("list", &["list", "--all-levels"]),
    ("stats", &["stats"]),
    ("show", &["show", "ben"]),
    ("caseload", &["caseload"]),
];

#[test]
fn every_query_in_every_format_on_oakfield() {
    for (name, args) in QUERIES {
        for format in ["table", "json", "csv", "markdown"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            let r = senco(&oakfield(), &all);
            assert_eq!(r.code, 0, "{}", r.all());
            assert!(r.stderr.is_empty(), "{}", r.all());
            insta::assert_snapshot!(format!("oakfield-{name}-{format}"), r.stdout);
        }
    }
}

#[test]
fn every_query_in_every_format_on_a_us_school() {
    for (name, args) in US_QUERIES {
        for format in ["table", "json", "csv", "markdown"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            let r = senco(&us(), &all);
            assert_eq!(r.code, 0, "{}", r.all());
            insta::assert_snapshot!(format!("us-{name}-{format}"), r.stdout);
        }
    }
}

// ------------------------------------------------------------ review-due

#[test]
fn review_due_sorts_overdue_first_and_marks_status() {
    let items = due(&oakfield(), &[]);
    assert!(items.windows(2).all(|w| w[0].due <= w[1].due), "sorted by due date");
    assert!(items.iter().all(|i| (i.days < 0) == (i.status == "overdue")));
    assert!(items.iter().all(|i| i.days <= 28), "default window is warn_days");
    let first = &items[0];
    assert_eq!(
        (first.pupil.as_str(), first.kind.as_str(), first.due.as_str(), first.days),
        ("isla-mcdonald", "referral", "2025-10-16", -404)
    );
    let theo = items.iter().find(|i| i.pupil == "theo-clarke" && i.kind == "annual-review").unwrap();
    assert_eq!((theo.due.as_str(), theo.days, theo.level.as_deref()), ("2026-10-19", -36, Some("ehcp")));
    assert_eq!((theo.name.as_str(), theo.year_group), ("Theo Clarke", Some(4)));
    assert!(theo.detail.contains("plan issued on 2025-10-20"), "{}", theo.detail);
}

#[test]
fn review_due_within_widens_the_window() {
    let items = due(&oakfield(), &["--within", "60"]);
    let ava = items.iter().find(|i| i.pupil == "ava-brown" && i.kind == "support-review").unwrap();
    assert_eq!((ava.due.as_str(), ava.days, ava.status.as_str()), ("2027-01-06", 43, "due-soon"));
    assert!(!due(&oakfield(), &[]).iter().any(|i| i.pupil == "ava-brown" && i.kind == "support-review"));
    // Overdue items show whatever the window.
    let zero = due(&oakfield(), &["--within", "0"]);
    assert!(zero.iter().all(|i| i.days <= 0));
    assert_eq!(zero.iter().filter(|i| i.status == "overdue").count(), 6);
}

#[test]
fn review_due_filters() {
    let o = oakfield();
    let level = due(&o, &["--level", "ehcp"]);
    assert!(!level.is_empty() && level.iter().all(|i| i.level.as_deref() == Some("ehcp")));
    let year = due(&o, &["--year", "3"]);
    assert!(!year.is_empty() && year.iter().all(|i| i.year_group == Some(3)));
    let class = due(&o, &["--class", "4b"]);
    assert!(class.iter().any(|i| i.pupil == "ava-brown") && class.iter().any(|i| i.pupil == "theo-clarke"));
    assert!(class.iter().all(|i| i.pupil == "ava-brown" || i.pupil == "theo-clarke"));
    let kind = due(&o, &["--kind", "support-review"]);
    let got: Vec<(&str, &str)> = kind.iter().map(|i| (i.pupil.as_str(), i.due.as_str())).collect();
    assert_eq!(
        got,
        [
            ("jayden-smith", "2026-09-07"),
            ("noah-williams", "2026-09-30"),
            ("oliver-green", "2026-12-09"),
            ("sofia-rossi", "2026-12-09")
        ]
    );
    // Two filters combine: both must match; a repeated filter accepts either value.
    let both = due(&o, &["--kind", "target", "--year", "3"]);
    let got: Vec<(&str, &str)> = both.iter().map(|i| (i.pupil.as_str(), i.status.as_str())).collect();
    assert_eq!(got, [("jayden-smith", "overdue")]);
    // Targets and actions show once past due, not before (as `check` reports them).
    let actions = due(&o, &["--kind", "action", "--within", "365"]);
    assert!(actions.iter().all(|i| i.status == "overdue"), "{actions:?}");
    assert_eq!(actions.len(), 1);
    let either = due(&o, &["--kind", "annual-review,referral"]);
    let got: Vec<(&str, &str)> = either.iter().map(|i| (i.pupil.as_str(), i.kind.as_str())).collect();
    assert_eq!(got, [("isla-mcdonald", "referral"), ("theo-clarke", "annual-review"), ("amara-osei", "annual-review")]);
}

#[test]
fn review_due_us_kinds() {
    let items = due(&us(), &["--within", "365"]);
    let got: Vec<(&str, &str, &str, &str)> =
        items.iter().map(|i| (i.pupil.as_str(), i.kind.as_str(), i.due.as_str(), i.status.as_str())).collect();
    assert_eq!(
        got,
        [
            ("ben-ortiz", "referral", "2026-10-05", "overdue"),
            ("ben-ortiz", "target", "2026-10-30", "overdue"),
            ("alexa-chen", "annual-review", "2026-11-01", "overdue"),
            ("ben-ortiz", "action", "2026-11-02", "overdue"),
            ("alex-rivera", "target", "2026-11-20", "overdue"),
            ("alex-rivera", "annual-review", "2026-11-30", "due-soon"),
            ("ben-ortiz", "annual-review", "2027-03-09", "due-soon"),
            ("alex-rivera", "reevaluation", "2027-06-01", "due-soon"),
        ]
    );
    // The default window is this school's warn_days (14).
    assert_eq!(due(&us(), &[]).len(), 6);
}

#[test]
fn review_due_agrees_with_check() {
    #[derive(Deserialize)]
    struct Check {
        findings: Vec<Finding>,
    }
    #[derive(Deserialize)]
    struct Finding {
        code: String,
        message: String,
        pupil: Option<String>,
    }
    for repo in [oakfield(), us()] {
        let r = senco(&repo, &["check", "--format", "json"]);
        let check: Check = serde_json::from_str(&r.stdout).unwrap();
        let kind_of = |code: &str| match code {
            "ENG-SUP-REVIEW" => Some("support-review"),
            "ENG-AR-DUE" | "US-IEP-ANNUAL" | "US-504-REVIEW" | "WAL-IDP-REVIEW" => Some("annual-review"),
            "US-REEVAL" => Some("reevaluation"),
            "target-overdue" => Some("target"),
            "action-overdue" => Some("action"),
            "referral-waiting" => Some("referral"),
            "follow-up-overdue" => Some("follow-up"),
            // Every other rule of the pack is a `deadline` item when due or overdue.
            c if c.chars().next().is_some_and(|x| x.is_ascii_uppercase()) => Some("deadline"),
            _ => None,
        };
        let from_check: Vec<(String, &str, String)> = check
            .findings
            .iter()
            // A "not recorded" note has no date to list.
            .filter(|f| !f.message.starts_with("not recorded"))
            .filter_map(|f| {
                let kind = kind_of(&f.code)?;
                let pupil = f.pupil.clone()?;
                Some((pupil, kind, f.message.clone()))
            })
            .collect();
        let items = due(&repo, &[]);
        // Everything check warns about is in review-due, with the date check gives.
        for (pupil, kind, message) in &from_check {
            let found = items.iter().any(|i| {
                &i.pupil == pupil
                    && i.kind == *kind
                    && (message.contains(&i.due)
                        || (*kind == "referral" && message.contains("waiting"))
                        // a deadline's message gives its days, not always its date
                        || (*kind == "deadline"
                            && (message.contains(&format!("{} days", i.days.abs())) || message.contains("due today"))))
            });
            // A rule finding that is "not met" (done late) is not a date to act on.
            if *kind == "deadline" && !(message.starts_with("due") || message.starts_with("overdue")) {
                continue;
            }
            assert!(found, "{pupil} {kind}: {message} not in review-due");
        }
        // Review and deadline items name the rule they come from; the others none.
        for i in &items {
            let has_rule = matches!(i.kind.as_str(), "support-review" | "annual-review" | "reevaluation" | "deadline");
            assert_eq!(i.rule.is_some(), has_rule, "{} {} {:?}", i.pupil, i.kind, i.rule);
        }
        // Every review or overdue item of review-due is a finding of check.
        for i in items
            .iter()
            .filter(|i| i.status == "overdue" || !matches!(i.kind.as_str(), "target" | "action" | "follow-up"))
        {
            assert!(
                from_check.iter().any(|(p, k, _)| p == &i.pupil && *k == i.kind),
                "{} {} {} not reported by check",
                i.pupil,
                i.kind,
                i.due
            );
        }
    }
}

#[test]
fn review_due_rejects_bad_filters() {
    let r = senco(&oakfield(), &["review-due", "--level", "iep"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("review-due-bad-level", r.all());
    let r = senco(&oakfield(), &["review-due", "--kind", "reveiw"]);
    assert_eq!(r.code, 2, "{}", r.all());
}

// ----------------------------------------------------------------- list

#[test]
fn list_is_the_register_by_default() {
    let o = oakfield();
    let register = ids(&o, &[]);
    assert_eq!(register.len(), 13);
    let watch = ids(&o, &["--level", "monitoring"]);
    assert_eq!(watch.len(), 4);
    assert!(watch.iter().all(|w| !register.contains(w)));
    assert_eq!(ids(&o, &["--all-levels"]).len(), 17);
    let alias: ListReport = json(&o, &["register"]);
    assert_eq!(alias.pupils.len(), 13, "`register` is an alias of `list`");
}

#[test]
fn list_filters_each() {
    let o = oakfield();
    assert_eq!(ids(&o, &["--level", "ehcp"]), ["amara-osei", "leo-nowak", "theo-clarke"]);
    assert_eq!(ids(&o, &["--with-ehcp"]), ["amara-osei", "leo-nowak", "theo-clarke"]);
    assert_eq!(ids(&o, &["--area", "social-emotional-mental-health"]).len(), 3);
    assert_eq!(ids(&o, &["--need", "spld"]), ["ava-brown", "mia-thompson", "oliver-green"]);
    assert_eq!(ids(&o, &["--year", "6"]), ["leo-nowak", "oliver-green"]);
    assert_eq!(ids(&o, &["--class", "2h"]), ["freya-hall", "isla-mcdonald"]);
    assert_eq!(ids(&o, &["--staff", "ta-khan"]).len(), 6);
    assert_eq!(ids(&us(), &["--archived"]), ["dan-ellis"]);
    // Two filters combine (AND); a repeated one widens (OR).
    assert_eq!(ids(&o, &["--year", "6", "--level", "ehcp"]), ["leo-nowak"]);
    assert_eq!(ids(&o, &["--year", "5,6", "--need", "SPLD"]), ["mia-thompson", "oliver-green"]);
}

#[test]
fn list_area_filter_matches_any_need() {
    let o = oakfield();
    let r: ListReport = json(&o, &["list", "--area", "social-emotional-mental-health"]);
    assert!(r.pupils.iter().all(|p| p.areas.contains(&"social-emotional-mental-health".to_string())));
    assert!(r.pupils.iter().any(|p| p.primary_area.as_deref() != Some("social-emotional-mental-health")));
}

#[test]
fn list_columns_and_upn() {
    let r = senco(&us(), &["list", "--columns", "id,level,next-review,upn", "--format", "csv"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("--show-upn"), "{}", r.stderr);
    let r = senco(&us(), &["list", "--columns", "id,level,next-review,upn", "--show-upn", "--format", "csv"]);
    let rows = parse_csv(&r.stdout);
    assert_eq!(
        rows,
        [
            vec!["id", "level", "next-review", "upn"],
            vec!["alexa-chen", "section-504", "2026-11-01", ""],
            vec!["alex-rivera", "iep", "2026-11-30", "X999999999999"],
            vec!["ben-ortiz", "iep", "2027-03-09", ""],
        ]
    );
    let r: ListReport = json(&us(), &["list"]);
    assert!(r.pupils.iter().all(|p| p.upn.is_none()), "UPN hidden by default");
    let r = senco(&us(), &["list", "--columns", "id,primry-need"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("list-unknown-column", r.all());
}

#[test]
fn list_rejects_unknown_filter_values() {
    let o = oakfield();
    for (args, want) in [
        (&["list", "--area", "cognition"][..], "did you mean `cognition-and-learning`?"),
        (&["list", "--staff", "ta-jnes"][..], "did you mean `ta-jones`?"),
        (&["list", "--need", "SPDL"][..], "did you mean `SPLD`?"),
        (&["list", "--level", "ehc"][..], "did you mean `ehcp`?"),
    ] {
        let r = senco(&o, args);
        assert_eq!(r.code, 2, "{}", r.all());
        assert!(r.stderr.contains(want), "{args:?}: {}", r.stderr);
    }
}

// ---------------------------------------------------------------- stats

#[test]
fn stats_counts() {
    let r: StatsReport = json(&oakfield(), &["stats"]);
    assert_eq!((r.version, r.today.as_str(), r.jurisdiction.as_str()), (1, TODAY, "england"));
    assert_eq!(r.school, "Oakfield Primary School");
    // The roll is the school's (208 in senco.toml), not the 17 pupils with records.
    assert_eq!((r.roll, r.roll_date, r.records), (Some(208), None, 17));
    assert_eq!((r.register, r.register_percent, r.statutory_plans), (13, Some(6.3), 3));
    assert_eq!(
        r.by_level,
        vec![
            Count { key: "monitoring".into(), pupils: 4, percent: Some(1.9) },
            Count { key: "sen-support".into(), pupils: 10, percent: Some(4.8) },
            Count { key: "ehcp".into(), pupils: 3, percent: Some(1.4) },
        ]
    );
    assert_eq!(r.by_primary_area.iter().map(|c| c.pupils).sum::<usize>(), 13);
    // Any need in the area, over the roll of 208: 6 of 208 = 2.9%.
    assert_eq!(r.by_area[0], Count { key: "cognition-and-learning".into(), pupils: 6, percent: Some(2.9) });
    assert_eq!(r.by_primary_need.iter().find(|c| c.key == "SLCN").map(|c| c.pupils), Some(3));
    assert_eq!(r.by_year_group.len(), 7);
    assert_eq!(r.reviews_overdue, 3);
    // Staff training held (staff.yaml): Mr Khan's first aid holds until 2027.
    let first_aid = r.training.iter().find(|c| c.course == "Paediatric first aid").expect("first aid");
    assert_eq!((first_aid.staff, first_aid.expiring, first_aid.lapsed), (1, 0, 0));
    let y = r.academic_year.unwrap();
    assert_eq!(
        (y.start.as_str(), y.end.as_str(), y.targets_achieved, y.targets_set),
        ("2026-09-02", "2027-07-21", 6, 28)
    );
}

// ----------------------------------------------------------------- show

#[test]
fn show_resolves_prefixes() {
    let r: ShowReport = json(&oakfield(), &["show", "ava"]);
    assert_eq!(r.pupil.id, "ava-brown");
    assert_eq!(
        r.pupil.key_worker.as_ref().map(|k| (k.id.as_str(), k.name.as_str())),
        Some(("ta-jones", "Mrs K. Jones"))
    );
    let hfw = r.targets.iter().find(|t| t.id == "hfw-100").unwrap();
    assert_eq!(
        (hfw.last_progress.as_deref(), hfw.last_progress_date.as_deref()),
        (Some("partly-achieved"), Some("2026-10-14"))
    );
    assert_eq!(r.interventions.len(), 2);
    assert_eq!(
        (r.costs.currency.as_str(), r.costs.weekly_minutes, r.costs.weekly, r.costs.yearly),
        ("GBP", 130.0, 17.73, 513.9)
    );
    assert_eq!(r.last_review.as_ref().map(|l| l.date.as_str()), Some("2026-10-14"));
    assert_eq!(r.next_reviews.len(), 1);
    assert_eq!((r.next_reviews[0].kind.as_str(), r.next_reviews[0].due.as_str()), ("support-review", "2027-01-06"));
}

#[test]
fn show_ambiguous_prefix_lists_candidates() {
    let r = senco(&us(), &["show", "alex"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    insta::assert_snapshot!("show-ambiguous", r.all());
    assert!(r.stderr.contains("`alex-rivera`") && r.stderr.contains("`alexa-chen`"), "{}", r.stderr);
}

#[test]
fn show_unknown_id_suggests() {
    let r = senco(&oakfield(), &["show", "ava-browm"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("show-unknown", r.all());
}

#[test]
fn show_hides_the_upn_unless_asked() {
    let r = senco(&us(), &["show", "alex-r"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stdout.contains("X999999999999"));
    let r: ShowReport = json(&us(), &["show", "alex-r"]);
    assert_eq!(r.pupil.upn, None);
    let r: ShowReport = json(&us(), &["show", "alex-r", "--show-upn"]);
    assert_eq!(r.pupil.upn.as_deref(), Some("X999999999999"));
    let r = senco(&us(), &["show", "alex-r", "--show-upn"]);
    assert!(r.stdout.contains("UPN") && r.stdout.contains("X999999999999"));
}

#[test]
fn show_archived_pupil() {
    let r: ShowReport = json(&us(), &["show", "dan", "--archived"]);
    assert!(r.pupil.archived);
    assert_eq!(r.pupil.destination.as_deref(), Some("Lakeside Middle School"));
    assert!(r.next_reviews.is_empty());
    assert_eq!(senco(&us(), &["show", "dan"]).code, 2);
}

// ------------------------------------------------------------- caseload

#[test]
fn caseload_flags_over_allocated_staff() {
    let r: CaseloadReport = json(&us(), &["caseload"]);
    assert_eq!((r.version, r.today.as_str(), r.max_hours), (1, TODAY, 25.0));
    let got: Vec<(&str, f64, &str)> =
        r.staff.iter().map(|s| (s.id.as_str(), s.weekly_hours, s.status.as_str())).collect();
    assert_eq!(got, [("coord-okoro", 0.0, "ok"), ("para-lee", 27.5, "over"), ("spec-kim", 2.5, "ok")]);
    let lee = &r.staff[1];
    // The summer tutoring ended in July: not current, not counted.
    assert_eq!(lee.interventions.len(), 2);
    assert_eq!(lee.key_worker_of.len(), 2);
    // One pupil of a group of 5 recorded: the staff member still runs the
    // whole session, 150 minutes a week (catalogue defaults 5 x 30).
    let kim = &r.staff[2];
    assert_eq!((kim.pupil_minutes, kim.weekly_minutes), (150.0, 150.0));
    let r: CaseloadReport = json(&us(), &["caseload", "--max-hours", "30"]);
    assert!(r.staff.iter().all(|s| s.status == "ok"));
}

#[test]
fn caseload_for_one_member_of_staff() {
    let r: CaseloadReport = json(&oakfield(), &["caseload", "ta-j"]);
    assert_eq!(r.staff.len(), 1);
    // Whole group sessions: the phonics group of 4 (3 recorded) is 4 x 20 = 80 minutes, not 60.
    assert_eq!((r.staff[0].id.as_str(), r.staff[0].weekly_minutes), ("ta-jones", 410.0));
    let r = senco(&oakfield(), &["caseload", "ta-jone"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = senco(&oakfield(), &["caseload", "ta-jnes"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("caseload-unknown-staff", r.all());
    let r = senco(&oakfield(), &["caseload", "ta-"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("matches 3 staff members"), "{}", r.stderr);
}

// --------------------------------------------------------- output layer

#[test]
fn csv_reads_back_and_is_safe_in_spreadsheets() {
    let r = senco(&us(), &["review-due", "--format", "csv"]);
    let rows = parse_csv(&r.stdout);
    assert_eq!(rows[0], ["pupil", "name", "year", "level", "kind", "rule", "due", "days", "status", "detail"]);
    assert_eq!(rows.len(), 7);
    assert!(rows[1..].iter().all(|r| r.len() == 10));
    let fluency = rows.iter().find(|r| r[4] == "target" && r[0] == "alex-rivera").unwrap();
    assert_eq!(
        fluency[9],
        "fluency: =HYPERLINK(\"http://example.org\") Alex will read 90 words per minute, with 95% accuracy"
    );
    // A cell that starts with `=` is neutralised; negative numbers are left as numbers.
    let r = senco(&us(), &["show", "alex-r", "--format", "csv"]);
    let rows = parse_csv(&r.stdout);
    assert_eq!(rows[0], ["section", "item", "field", "value"]);
    let outcome = rows.iter().find(|r| r[0] == "Open targets" && r[2] == "outcome").unwrap();
    assert!(outcome[3].starts_with("'=HYPERLINK(\"http://example.org\")"), "{outcome:?}");
    let phone = rows.iter().find(|r| r[0] == "Contacts" && r[2] == "phone").unwrap();
    assert_eq!(phone[3], "'+1 555 0100");
    let r = senco(&us(), &["review-due", "--format", "csv"]);
    let days: Vec<&str> = r.stdout.lines().skip(1).map(|l| l.split(',').nth(7).unwrap()).collect();
    assert_eq!(days[0], "-50");
    assert!(r.stdout.contains("\r\n"), "RFC 4180 line ends");
}

#[test]
fn output_file_format_from_extension_and_no_clobber() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("register.csv");
    let csv_s = csv.to_str().unwrap();
    let r = senco(&oakfield(), &["list", "-o", csv_s, "--bom"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.is_empty());
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFid,name,year,"), "{:?}", String::from_utf8_lossy(&bytes[..20]));
    let r = senco(&oakfield(), &["list", "-o", csv_s]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists") && r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(std::fs::read(&csv).unwrap(), bytes, "unchanged");
    let r = senco(&oakfield(), &["list", "-o", csv_s, "--force"]);
    assert_eq!(r.code, 0);
    assert!(std::fs::read(&csv).unwrap().starts_with(b"id,name,year,"));

    let md = dir.path().join("due.md");
    senco(&oakfield(), &["review-due", "-o", md.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&md).unwrap().starts_with("| pupil | name | year |"));
    let js = dir.path().join("stats.json");
    senco(&oakfield(), &["stats", "-o", js.to_str().unwrap()]);
    let s: StatsReport = serde_json::from_str(&std::fs::read_to_string(&js).unwrap()).unwrap();
    assert_eq!((s.roll, s.records), (Some(208), 17));
    let r = senco(&oakfield(), &["stats", "-o", dir.path().join("x.xlsx").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot tell the output format"), "{}", r.stderr);
    let r = senco(&oakfield(), &["stats", "--format", "json", "--bom"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("CSV output only"), "{}", r.stderr);
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 3, "no temporary files left: {names:?}");
}

#[test]
fn queries_write_nothing_into_the_repository() {
    let before = tree(&oakfield());
    for (_, args) in QUERIES {
        senco(&oakfield(), args);
    }
    assert_eq!(before, tree(&oakfield()));
}

#[test]
fn wales_idp_reviews_and_levels() {
    let w = fixture("query-wales");
    let items = due(&w, &["--within", "60"]);
    let got: Vec<(&str, &str, &str, i64)> =
        items.iter().map(|i| (i.pupil.as_str(), i.kind.as_str(), i.due.as_str(), i.days)).collect();
    assert_eq!(
        got,
        [("gwen-jones", "annual-review", "2026-11-30", 6), ("huw-evans", "annual-review", "2027-01-14", 51)]
    );
    assert_eq!(ids(&w, &["--with-ehcp"]), ["huw-evans"], "la-idp is the statutory plan in Wales");
    assert_eq!(ids(&w, &["--level", "school-idp"]), ["gwen-jones"]);
    let s: StatsReport = json(&w, &["stats"]);
    let levels: Vec<&str> = s.by_level.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(levels, ["monitoring", "school-idp", "la-idp"]);
    assert!(s.academic_year.is_none(), "no [calendar]");
    let r = senco(&w, &["stats"]);
    insta::assert_snapshot!("wales-stats-table", r.stdout);
}

/// Every command that writes a file takes its format from `-o FILE`'s
/// extension, `render` included; `md` and `markdown` are the same format
/// everywhere; an extension that names another format than `--format` is a
/// usage error that writes nothing.
#[test]
fn format_from_the_file_name_on_every_writing_command() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let html = at("ava.html");
    let r = senco(&oakfield(), &["render", "plan", "ava", "-o", &html]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(std::fs::read_to_string(&html).unwrap().starts_with("<!DOCTYPE html>"));
    let md = at("ava.markdown");
    assert_eq!(senco(&oakfield(), &["render", "plan", "ava", "-o", &md]).code, 0);
    assert!(std::fs::read_to_string(&md).unwrap().starts_with("# "));
    for (cmd, formats) in [
        (&["render", "plan", "ava"][..], &["md", "markdown"][..]),
        (&["stats"][..], &["md", "markdown"][..]),
        (&["rules"][..], &["md", "markdown"][..]),
    ] {
        let outs: Vec<String> = formats
            .iter()
            .map(|f| {
                let mut a = cmd.to_vec();
                a.extend(["--format", f]);
                let r = senco(&oakfield(), &a);
                assert_eq!(r.code, 0, "{a:?}: {}", r.all());
                r.stdout
            })
            .collect();
        assert_eq!(outs[0], outs[1], "{cmd:?}");
    }
    for (args, file) in [
        (&["render", "plan", "ava", "--format", "md"][..], "p.html"),
        (&["render", "plan", "ava", "--format", "html"][..], "p.md"),
        (&["stats", "--format", "json"][..], "s.md"),
        (&["list", "--format", "csv"][..], "l.json"),
        (&["impact", "--format", "json"][..], "i.html"),
        (&["impact", "--format", "html"][..], "i.csv"),
        (&["census", "--format", "markdown"][..], "c.csv"),
        (&["export", "--format", "json"][..], "e.sqlite"),
    ] {
        let path = at(file);
        let mut a = args.to_vec();
        if a[0] == "export" {
            a.push(&path);
        } else {
            a.extend(["-o", &path]);
        }
        let r = senco(&oakfield(), &a);
        assert_eq!(r.code, 2, "{a:?}: {}", r.all());
        assert!(r.stderr.contains("contradicts the file name"), "{a:?}: {}", r.stderr);
        assert!(!std::path::Path::new(&path).exists(), "{a:?} wrote {path}");
    }
    let r = senco(&oakfield(), &["render", "plan", "ava", "-o", &at("p.pdf")]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("cannot tell the document format"), "{}", r.stderr);
}
