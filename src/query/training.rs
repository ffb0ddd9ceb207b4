//! `senco training`: who holds which training, and what lapses when.

use super::review_due::training_expiry;
use super::VERSION;
use crate::model::{text, val};
use crate::output::{Column, Document, Table};
use crate::repo::Repo;
use chrono::NaiveDate;
use serde::Serialize;

/// One course held by one staff member: the JSON contract (docs/queries.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub staff: String,
    pub name: String,
    pub role: String,
    pub course: String,
    pub provider: Option<String>,
    pub date: Option<String>,
    pub expires: Option<String>,
    /// Days from today to `expires`; negative once lapsed; null when it never lapses.
    pub days: Option<i64>,
    pub certificate: Option<String>,
    /// `expired`, `expiring` (within the window), `valid` or `no-expiry`.
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    pub rows: Vec<Row>,
}

/// Every course of every staff member, sorted by staff id, then date and
/// course. With `expiring`, only courses lapsed or lapsing within that many days.
pub fn query(repo: &Repo, today: NaiveDate, window: i64, expiring_only: bool) -> Report {
    let mut rows = Vec::new();
    for member in &repo.staff {
        for t in member.training.iter().flatten() {
            let expires = training_expiry(t);
            let days = expires.map(|e| (e - today).num_days());
            let status = match days {
                None => "no-expiry",
                Some(d) if d < 0 => "expired",
                Some(d) if d <= window => "expiring",
                Some(_) => "valid",
            };
            if expiring_only && !matches!(status, "expired" | "expiring") {
                continue;
            }
            let owned = |t: &Option<crate::model::span::Spanned<String>>| text(t).map(|s| s.trim().to_string());
            rows.push(Row {
                staff: text(&member.id).unwrap_or("?").to_string(),
                name: text(&member.name).unwrap_or("?").trim().to_string(),
                role: member.role.as_ref().map(|r| r.value.as_str().to_string()).unwrap_or_default(),
                course: text(&t.course).unwrap_or("?").trim().to_string(),
                provider: owned(&t.provider),
                date: val(&t.date).map(|d| d.to_string()),
                expires: expires.map(|d| d.to_string()),
                days,
                certificate: owned(&t.certificate),
                status,
            });
        }
    }
    rows.sort_by(|a, b| (&a.staff, &a.date, &a.course).cmp(&(&b.staff, &b.date, &b.course)));
    Report { version: VERSION, today: today.to_string(), rows }
}

pub fn document(r: &Report) -> Document {
    let mut t = Table::new(
        vec![
            Column::left("staff"),
            Column::left("name"),
            Column::left("course"),
            Column::left("provider"),
            Column::left("date"),
            Column::left("expires"),
            Column::right("days"),
            Column::left("certificate"),
            Column::left("status"),
        ],
        "No training recorded (or none lapsing in the window).",
    );
    for row in &r.rows {
        t.push(vec![
            row.staff.clone(),
            row.name.clone(),
            row.course.clone(),
            row.provider.clone().unwrap_or_default(),
            row.date.clone().unwrap_or_default(),
            row.expires.clone().unwrap_or_default(),
            row.days.map(|d| d.to_string()).unwrap_or_default(),
            row.certificate.clone().unwrap_or_default(),
            row.status.to_string(),
        ]);
    }
    Document::table(t)
}
