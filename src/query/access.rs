//! `senco access`: the register of exam access arrangements for the exams
//! officer (England, JCQ): each pupil's arrangements with their evidence,
//! assessor, dates, and how long each holds.
//!
//! An arrangement holds within 26 months of its approval through Access
//! Arrangements Online, else of its assessment when no approval is
//! recorded (`review_due::access_expiry`, the same date ENG-ACCESS and
//! `review-due` use). With neither date its status is "not recorded",
//! never "current".

use super::review_due::access_expiry;
use super::{year_cell, VERSION};
use crate::model::{text, val, AccessArrangement};
use crate::output::{num, Column, Document, Table};
use crate::repo::{PupilRecord, Repo};
use chrono::NaiveDate;
use serde::Serialize;

/// The default window of `expires-soon`, in days.
pub const DEFAULT_WINDOW: i64 = 60;

/// One arrangement of one pupil: the JSON contract (docs/queries.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub pupil: String,
    pub name: String,
    pub year_group: Option<i64>,
    pub class: Option<String>,
    pub arrangement: String,
    /// Extra time, per cent.
    pub percent: Option<f64>,
    pub evidence: Option<String>,
    pub assessor: Option<String>,
    pub assessed: Option<String>,
    pub approved: Option<String>,
    /// The last day it holds; null when neither date is recorded.
    pub expires: Option<String>,
    /// Days from today to `expires`; negative once expired.
    pub days: Option<i64>,
    /// `current`, `expires-soon` (within the window), `expired` or `not-recorded`.
    pub status: &'static str,
    /// What `expires` counts from: `approval`, `assessment`, or null.
    pub counted_from: Option<&'static str>,
    pub normal_way_of_working: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    /// The `expires-soon` window, in days.
    pub window: i64,
    pub rows: Vec<Row>,
}

/// The status of an arrangement on `today`, with its last valid day.
pub fn status(a: &AccessArrangement, today: NaiveDate, window: i64) -> (&'static str, Option<NaiveDate>, Option<i64>) {
    let Some(expires) = access_expiry(a) else { return ("not-recorded", None, None) };
    let days = (expires - today).num_days();
    let s = if days < 0 {
        "expired"
    } else if days <= window {
        "expires-soon"
    } else {
        "current"
    };
    (s, Some(expires), Some(days))
}

fn owned(t: &Option<crate::model::span::Spanned<String>>) -> Option<String> {
    text(t).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The rows of one pupil, in file order.
pub fn pupil_rows(rec: &PupilRecord, today: NaiveDate, window: i64) -> Vec<Row> {
    let Some(p) = &rec.pupil else { return Vec::new() };
    p.access_arrangements
        .iter()
        .flatten()
        .map(|a| {
            let (status, expires, days) = status(a, today, window);
            Row {
                pupil: rec.dir.clone(),
                name: p.display_name(),
                year_group: val(&p.year_group),
                class: owned(&p.class),
                arrangement: owned(&a.arrangement).unwrap_or_else(|| "?".into()),
                percent: val(&a.percent),
                evidence: owned(&a.evidence),
                assessor: owned(&a.assessor),
                assessed: val(&a.assessed).map(|d| d.to_string()),
                approved: val(&a.approved).map(|d| d.to_string()),
                expires: expires.map(|d| d.to_string()),
                days,
                status,
                counted_from: match (&a.approved, &a.assessed) {
                    (Some(_), _) => Some("approval"),
                    (None, Some(_)) => Some("assessment"),
                    (None, None) => None,
                },
                normal_way_of_working: owned(&a.normal_way_of_working),
            }
        })
        .collect()
}

/// Every arrangement of every pupil on roll, sorted by year group (oldest
/// candidates first), last name, first name, id, then arrangement. With
/// `expiring_only`, only those expired, expiring within the window, or
/// with no date to count from (each needs the exams officer's attention).
pub fn query(repo: &Repo, today: NaiveDate, window: i64, expiring_only: bool) -> Report {
    let mut keyed: Vec<(Option<i64>, String, String, Row)> = Vec::new();
    for rec in &repo.pupils {
        let Some(p) = &rec.pupil else { continue };
        let name = p.name.as_ref();
        let last = name.and_then(|n| text(&n.last)).unwrap_or("").to_lowercase();
        let first = name.and_then(|n| text(&n.first)).unwrap_or("").to_lowercase();
        for row in pupil_rows(rec, today, window) {
            if expiring_only && row.status == "current" {
                continue;
            }
            keyed.push((row.year_group, last.clone(), first.clone(), row));
        }
    }
    keyed.sort_by(|a, b| {
        (std::cmp::Reverse(a.0), &a.1, &a.2, &a.3.pupil, &a.3.arrangement).cmp(&(
            std::cmp::Reverse(b.0),
            &b.1,
            &b.2,
            &b.3.pupil,
            &b.3.arrangement,
        ))
    });
    Report { version: VERSION, today: today.to_string(), window, rows: keyed.into_iter().map(|k| k.3).collect() }
}

/// The arrangement as the register names it: `25% extra time` as written,
/// with the percentage added when the name leaves it out.
pub fn arrangement_cell(r: &Row) -> String {
    match r.percent {
        Some(p) if !r.arrangement.contains('%') => format!("{} ({}%)", r.arrangement, num(p)),
        _ => r.arrangement.clone(),
    }
}

pub fn document(r: &Report, j: crate::model::settings::Jurisdiction) -> Document {
    let mut t = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("name"),
            Column::right("year"),
            Column::left("arrangement"),
            Column::left("evidence"),
            Column::left("assessor"),
            Column::left("assessed"),
            Column::left("approved"),
            Column::left("expires"),
            Column::right("days"),
            Column::left("status"),
        ],
        "No exam access arrangements recorded (or none needing attention in the window).",
    );
    for row in &r.rows {
        t.push(vec![
            row.pupil.clone(),
            row.name.clone(),
            year_cell(j, row.year_group),
            arrangement_cell(row),
            row.evidence.clone().unwrap_or_default(),
            row.assessor.clone().unwrap_or_default(),
            row.assessed.clone().unwrap_or_default(),
            row.approved.clone().unwrap_or_default(),
            row.expires.clone().unwrap_or_default(),
            row.days.map(|d| d.to_string()).unwrap_or_default(),
            row.status.to_string(),
        ]);
    }
    Document::table(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{Span, Spanned};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn arr(assessed: Option<&str>, approved: Option<&str>) -> AccessArrangement {
        let d = |s: Option<&str>| s.map(|s| Spanned { value: day(s), span: Span::default() });
        AccessArrangement { assessed: d(assessed), approved: d(approved), ..Default::default() }
    }

    #[test]
    fn status_counts_26_months_from_approval_else_assessment() {
        let today = day("2026-11-24");
        // Approved 2024-10-05: the last valid day is 2026-12-04, 10 days on.
        let (s, e, d) = status(&arr(Some("2024-09-20"), Some("2024-10-05")), today, 60);
        assert_eq!((s, e, d), ("expires-soon", Some(day("2026-12-04")), Some(10)));
        assert_eq!(status(&arr(Some("2024-09-20"), Some("2024-10-05")), today, 5).0, "current");
        // No approval: from the assessment.
        assert_eq!(status(&arr(Some("2024-09-20"), None), today, 60).0, "expired");
        assert_eq!(status(&arr(None, None), today, 60), ("not-recorded", None, None));
    }
}
