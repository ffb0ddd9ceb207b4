//! Helpers for the rule packs' unit tests: a school's settings and one
//! pupil's folder from YAML texts, evaluated on a pinned day.

use super::eval::{evaluate, Status};
use crate::model::Settings;
use crate::repo::PupilRecord;
use chrono::NaiveDate;

pub fn d(s: &str) -> NaiveDate {
    crate::repo::decode::parse_date(s).unwrap()
}

pub fn settings(toml: &str) -> Settings {
    Settings::parse(toml).unwrap()
}

/// A pupil folder from YAML texts: `files` are (path in the folder, text).
pub fn rec(files: &[(&str, &str)]) -> PupilRecord {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("pupils/kit-lane");
    std::fs::create_dir_all(base.join("reviews")).unwrap();
    for (name, text) in files {
        std::fs::write(base.join(name), text).unwrap();
    }
    let rec = crate::repo::load_pupil(dir.path(), "pupils", "kit-lane".into(), false);
    assert!(rec.findings.is_empty(), "{:?}", rec.findings);
    rec
}

/// A pupil.yaml: `support` is the text under `support:` after `level`.
pub fn pupil(level: &str, dob: &str, support: &str) -> String {
    format!("id: kit-lane\nname: {{ first: Kit, last: Lane }}\ndate_of_birth: {dob}\nyear_group: 8\nsupport:\n  level: {level}\n{support}")
}

/// The outcomes of one rule: (status, due date, detail).
pub fn outcomes(
    s: &Settings,
    files: &[(&str, &str)],
    today: &str,
    code: &str,
) -> Vec<(Status, Option<NaiveDate>, String)> {
    evaluate(s, &rec(files), d(today))
        .into_iter()
        .filter(|o| o.rule.code == code)
        .map(|o| (o.status, o.due, o.detail))
        .collect()
}

/// The statuses of one rule.
pub fn statuses(s: &Settings, files: &[(&str, &str)], today: &str, code: &str) -> Vec<Status> {
    outcomes(s, files, today, code).into_iter().map(|o| o.0).collect()
}
