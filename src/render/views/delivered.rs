//! Provision delivered against provision planned, for the documents: the
//! one computation behind the review pack's "Delivered" column and the
//! request pack's "Provision delivered" table, so the two can never give
//! different figures for the same place over the same span.
//!
//! The span runs from the latest of the place's start, the last review held
//! (the review pack) and the first month its sessions are logged (weeks
//! before the log were never logged, so they are not counted as missed), to
//! its end or today. A place whose provision has no delivery records, or
//! whose log began only after the span ended, is "not recorded".

use super::words;
use crate::model::{text, val, Intervention};
use crate::query::delivery::{self, Figures};
use crate::repo::PupilRecord;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What the span starts at, for saying it in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    /// The place's start.
    Start,
    /// The last review held.
    LastReview,
    /// The first month the place's sessions are logged.
    LogBegan,
}

/// One place's provision delivered over its span.
#[derive(Clone, Debug)]
pub struct Delivered {
    pub from: NaiveDate,
    pub from_kind: From,
    pub to: NaiveDate,
    /// The place's sessions are logged for the span: without that, what was
    /// delivered is not recorded (and `figures` is empty).
    pub recorded: bool,
    /// Minutes planned on the school days of the span; none without a
    /// `[calendar]` to count school days by.
    pub planned_minutes: Option<f64>,
    pub figures: Figures,
    /// A delivery file of the place could not be read: the figures may be short.
    pub unread: bool,
}

impl Delivered {
    /// Delivered / planned as a whole percentage, when both are known.
    pub fn percent(&self) -> Option<f64> {
        let planned = self.planned_minutes.filter(|p| self.recorded && *p > 0.0)?;
        Some((self.figures.delivered_minutes / planned * 100.0).round())
    }

    /// Why sessions were missed, in words: `Absent (illness) once`,
    /// `Cancelled (Mrs Cole on a course) 2 times`.
    pub fn missed(&self) -> Vec<String> {
        missed_words(&self.figures.reasons)
    }

    /// What the span starts at, in words: `since the last review on 18 May 2026`.
    pub fn period(&self) -> String {
        let when = words::long_date(self.from);
        match self.from_kind {
            From::Start => format!("since it began on {when}"),
            From::LastReview => format!("since the last review on {when}"),
            From::LogBegan => format!("since its sessions were first logged, on {when}"),
        }
    }
}

/// `absent: illness` → 2 as `Absent (illness) 2 times`.
pub fn missed_words(reasons: &BTreeMap<String, usize>) -> Vec<String> {
    reasons
        .iter()
        .map(|(why, count)| {
            let times = if *count == 1 { "once".to_string() } else { format!("{count} times") };
            let why = match why.split_once(": ") {
                Some((status, reason)) => format!("{} ({reason})", words::sentence(status)),
                None => words::sentence(why),
            };
            format!("{why} {times}")
        })
        .collect()
}

/// The place's provision delivered from its start (or `since`, the last
/// review held, when later) to its end or today. `None` when the place has
/// no start or has not begun by today (nothing can be counted).
pub fn delivered(cx: &super::Ctx, rec: &PupilRecord, iv: &Intervention, since: Option<NaiveDate>) -> Option<Delivered> {
    let start = val(&iv.start)?;
    let to = val(&iv.end).map_or(cx.today, |e| e.min(cx.today));
    if to < start {
        return None;
    }
    let provision = text(&iv.provision).and_then(|p| cx.catalogue.get(p).copied());
    let key = delivery::place_key(iv, &cx.catalogue);
    // The log of a place starts with its earliest month file.
    let logged_from = cx
        .repo
        .delivery
        .iter()
        .filter(|d| Some(d.place.as_str()) == key)
        .filter_map(|d| NaiveDate::from_ymd_opt(d.month.0, d.month.1, 1))
        .min();
    let (mut from, mut from_kind) = match since {
        Some(s) if s >= start => (s, From::LastReview),
        _ => (start, From::Start),
    };
    if let Some(l) = logged_from.filter(|l| *l > from && *l <= to) {
        (from, from_kind) = (l, From::LogBegan);
    }
    // Logged only after the span ended (or not at all): not recorded, and
    // the span stays the place's own, never running backwards.
    let recorded = logged_from.is_some_and(|l| l <= to) && from <= to;
    let cal = crate::rules::dates::SchoolCalendar::from_settings(cx.settings);
    let figures = match (&cal, recorded) {
        (_, false) => Figures::default(),
        (Some(cal), true) => delivery::figures(cal, rec, iv, provision, &cx.repo.delivery, &cx.catalogue, from, to),
        (None, true) => delivery::delivered(rec, iv, provision, &cx.repo.delivery, &cx.catalogue, from, to),
    };
    let unread = key.is_some() && cx.repo.delivery_unread.iter().any(|f| f.split('/').nth(1) == key);
    Some(Delivered {
        from,
        from_kind,
        to,
        recorded,
        planned_minutes: cal.is_some().then_some(figures.planned_minutes).filter(|_| recorded),
        figures,
        unread,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missed_sessions_in_words_with_counts() {
        let mut r = BTreeMap::new();
        r.insert("absent: illness".to_string(), 1);
        r.insert("cancelled: Therapist unwell".to_string(), 2);
        assert_eq!(missed_words(&r), ["Absent (illness) once", "Cancelled (Therapist unwell) 2 times"]);
    }
}
