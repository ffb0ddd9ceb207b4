//! `request.*.j2`: the pack for a request for an EHC needs assessment
//! (Children and Families Act 2014 s.36; SEND Code of Practice 9.14). It
//! gathers what the local authority weighs: the needs and their history,
//! every assess-plan-do-review cycle on record, the cost of the school's
//! provision per academic year, assessments over time, professional advice
//! and the views of the parent and the pupil. Every statement is drawn from
//! the records; what they do not hold is an empty box, never invented text.

use super::chart::{self, LineChart};
use super::words;
use super::{
    assessments, interventions, needs, pupil_view, reviews, targets, AssessmentView, Ctx, InterventionView, NeedView,
    PupilView, ReviewView, SchoolView, TargetView,
};
use crate::model::{cost, text, val};
use crate::repo::PupilRecord;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Serialize)]
pub struct RequestPack {
    pub school: SchoolView,
    pub pupil: PupilView,
    pub title: &'static str,
    /// Primary need first.
    pub needs: Vec<NeedView>,
    /// Every target on record, in file order.
    pub targets: Vec<TargetView>,
    /// Every intervention on record, oldest start first.
    pub interventions: Vec<InterventionView>,
    /// Reviews held by today, oldest first: one per assess-plan-do-review cycle.
    pub cycles: Vec<ReviewView>,
    /// The cost of the pupil's provision, one row per academic year it ran.
    pub cost_years: Vec<CostYear>,
    /// Sum of `cost_years`.
    pub cost_total: f64,
    /// `[costs] weeks_per_year`: the school weeks a whole year counts.
    pub school_weeks: f64,
    /// Advice and information received, from every review file's `advice`,
    /// by date received.
    pub advice: Vec<super::review::AdviceView>,
    pub assessments: Vec<AssessmentView>,
    pub assessment_charts: Vec<LineChart>,
    /// What was delivered of each intervention, from the delivery records
    /// (`delivery/<place>/`), oldest start first; `recorded` is false for
    /// provision the school does not log.
    pub delivered: Vec<DeliveredView>,
    /// Every request for assessment on record (`request` and `requests`), oldest first.
    pub requests: Vec<RequestView>,
    /// The latest recorded views (from the latest held review that records each).
    pub pupil_voice: Option<String>,
    pub parent_voice: Option<String>,
    pub pupil_aspirations: Option<String>,
    pub parent_aspirations: Option<String>,
}

/// One intervention's provision delivered, from the delivery records.
#[derive(Serialize, Debug, PartialEq)]
pub struct DeliveredView {
    pub name: String,
    /// The span counted: the intervention's start (or the first month of
    /// its delivery records, if later) to its end, or to today while it runs.
    pub from: String,
    pub to: String,
    /// Whether the school logs this provision (a `delivery/<place>/` folder):
    /// without it, what was delivered is not recorded.
    pub recorded: bool,
    /// Minutes planned on the school days of the span (none without `[calendar]` terms).
    pub planned_minutes: Option<f64>,
    pub delivered_minutes: f64,
    pub sessions_logged: usize,
    /// Delivered / planned as a whole percentage, when both are known.
    pub percent: Option<f64>,
    /// Why sessions were missed, in words with counts, as the review pack says it: `Absent (illness) 2 times`.
    pub missed: Vec<String>,
}

/// A request for assessment on record, in words.
#[derive(Serialize, Debug, PartialEq)]
pub struct RequestView {
    pub requested: Option<String>,
    pub decision: Option<String>,
    pub issued: Option<String>,
    /// `Refused`, `Plan issued`, ...; none when not recorded.
    pub outcome_label: Option<&'static str>,
    pub outcome_date: Option<String>,
    /// A recorded exception to the time limits, in words: "Exception to the
    /// time limits: the school was closed, from 1 August 2026 to 31 August 2026".
    pub exception: Option<String>,
}

fn outcome_label(o: crate::model::RequestOutcome) -> &'static str {
    use crate::model::RequestOutcome as O;
    match o {
        O::Assessing => "Assessment under way",
        O::Refused => "The local authority decided not to assess",
        O::NoPlan => "Assessed; no plan issued",
        O::PlanIssued => "Plan issued",
        O::NotEligible => "Not eligible",
        O::NoAln => "No additional learning needs found",
        O::ReferredToLa => "Referred to the local authority",
        O::Withdrawn => "Withdrawn",
    }
}

/// A request's recorded exception to the statutory time limits, in words.
fn exception_words(e: &crate::model::Exception) -> String {
    let reason =
        text(&e.reason).map_or("reason not recorded".to_string(), |r| r.trim().trim_end_matches('.').to_string());
    let span = match (val(&e.from), val(&e.to)) {
        (Some(a), Some(b)) => format!(", from {} to {}", words::long_date(a), words::long_date(b)),
        (Some(a), None) => format!(", from {}", words::long_date(a)),
        (None, Some(b)) => format!(", until {}", words::long_date(b)),
        (None, None) => String::new(),
    };
    format!("Exception to the time limits: {reason}{span}")
}

pub fn requests(rec: &PupilRecord) -> Vec<RequestView> {
    let d = |x: &Option<crate::model::span::Spanned<NaiveDate>>| val(x).map(|d| d.to_string());
    let mut out: Vec<RequestView> = rec
        .pupil
        .iter()
        .filter_map(|p| p.support.as_ref())
        .flat_map(|s| s.all_requests())
        .map(|r| RequestView {
            requested: d(&r.requested),
            decision: d(&r.decision),
            issued: d(&r.issued),
            outcome_label: val(&r.outcome).map(outcome_label),
            outcome_date: d(&r.outcome_date),
            exception: r.exception.as_ref().map(exception_words),
        })
        .collect();
    out.sort_by(|a, b| a.requested.cmp(&b.requested));
    out
}

/// Each intervention with a start, against the delivery records from its
/// start (or the first month its sessions are logged) to its end or today:
/// `super::delivered`, the review pack's figures too.
pub fn delivered(cx: &Ctx, rec: &PupilRecord) -> Vec<DeliveredView> {
    let mut out: Vec<(NaiveDate, DeliveredView)> = Vec::new();
    for iv in &rec.interventions {
        let Some(start) = val(&iv.start) else { continue };
        let Some(d) = super::delivered::delivered(cx, rec, iv, None) else { continue };
        let prov = text(&iv.provision).and_then(|p| cx.catalogue.get(p).copied());
        let name = text(&iv.name).or_else(|| prov.and_then(|p| text(&p.name))).unwrap_or("An intervention").to_string();
        out.push((
            start,
            DeliveredView {
                name,
                from: d.from.to_string(),
                to: d.to.to_string(),
                recorded: d.recorded,
                planned_minutes: d.planned_minutes.filter(|m| *m > 0.0).map(f64::round),
                delivered_minutes: d.figures.delivered_minutes.round(),
                sessions_logged: d.figures.sessions_logged,
                percent: d.percent(),
                missed: d
                    .missed()
                    .into_iter()
                    .chain(
                        d.unread.then(|| "some records of sessions could not be read, so this may be too few".into()),
                    )
                    .collect(),
            },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.name.cmp(&b.1.name)));
    out.into_iter().map(|(_, v)| v).collect()
}

/// One academic year (1 September to 31 August) of provision.
#[derive(Serialize, Debug, PartialEq)]
pub struct CostYear {
    /// `2025 to 2026`; the year still running `2026 to 2027, so far (to 1 December 2026)`.
    pub label: String,
    pub lines: Vec<CostLine>,
    pub total: f64,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct CostLine {
    pub name: String,
    /// School weeks it ran in the year: calendar weeks × `weeks_per_year` / 52.
    pub weeks: f64,
    pub minutes_per_week: f64,
    pub cost: f64,
}

/// The academic year (its starting calendar year) of a date.
fn academic_year(d: NaiveDate) -> i32 {
    if d.month() >= 9 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// School weeks in `from..=to` (inclusive), pro rata to `weeks_per_year`.
pub fn school_weeks(from: NaiveDate, to: NaiveDate, weeks_per_year: f64) -> f64 {
    let days = (to - from).num_days() + 1;
    if days <= 0 {
        return 0.0;
    }
    days as f64 / 7.0 * weeks_per_year / (365.0 / 7.0)
}

/// Splits each intervention's run (start to end, or to `today` while it
/// runs) into academic years; a catalogue `cost_per_pupil` counts once, in
/// the year it started. An intervention with no start date is left out: its
/// weeks cannot be counted.
pub fn cost_years(cx: &Ctx, rec: &PupilRecord) -> Vec<CostYear> {
    let wpy = cx.settings.costs.weeks_per_year;
    let mut years: std::collections::BTreeMap<i32, Vec<CostLine>> = std::collections::BTreeMap::new();
    for iv in &rec.interventions {
        let Some(start) = val(&iv.start) else { continue };
        let end = val(&iv.end).map_or(cx.today, |e| e.min(cx.today));
        if end < start {
            continue;
        }
        let prov = text(&iv.provision).and_then(|p| cx.catalogue.get(p).copied());
        let staff = text(&iv.staff).and_then(|s| cx.staff.get(s).copied());
        let weekly = cost::weekly(cx.settings, iv, staff, prov);
        let (sessions, minutes) = cost::sessions_and_minutes(iv, prov);
        let fixed = prov.and_then(|p| val(&p.cost_per_pupil)).unwrap_or(0.0);
        let name = text(&iv.name).or_else(|| prov.and_then(|p| text(&p.name))).unwrap_or("An intervention").to_string();
        for y in academic_year(start)..=academic_year(end) {
            let (Some(y0), Some(y1)) = (NaiveDate::from_ymd_opt(y, 9, 1), NaiveDate::from_ymd_opt(y + 1, 8, 31)) else {
                continue;
            };
            let from = start.max(y0);
            let to = end.min(y1);
            let weeks = school_weeks(from, to, wpy);
            let extra = if y == academic_year(start) { fixed } else { 0.0 };
            years.entry(y).or_default().push(CostLine {
                name: name.clone(),
                weeks: (weeks * 10.0).round() / 10.0,
                minutes_per_week: sessions * minutes,
                cost: cost::round_money(weekly * weeks + extra),
            });
        }
    }
    years
        .into_iter()
        .map(|(y, mut lines)| {
            lines.sort_by(|a, b| a.name.cmp(&b.name));
            let total = cost::round_money(lines.iter().map(|l| l.cost).sum());
            // The year still running is costed to today, and says so.
            let label = if y == academic_year(cx.today) {
                format!("{y} to {}, so far (to {})", y + 1, super::words::long_date(cx.today))
            } else {
                format!("{y} to {}", y + 1)
            };
            CostYear { label, lines, total }
        })
        .collect()
}

/// The request in the jurisdiction's words: in England the local authority
/// is asked for an EHC needs assessment (CFA 2014 s.36); in Wales to decide
/// whether it must prepare and maintain an IDP (ALNET Act 2018 s.12); under
/// IDEA the school refers the child for an initial evaluation (34 CFR 300.301).
pub fn title(j: crate::model::settings::Jurisdiction) -> &'static str {
    use crate::model::settings::Jurisdiction;
    match j {
        Jurisdiction::Wales => "Request to the local authority to decide on an individual development plan",
        Jurisdiction::UsIdea => "Referral for an initial special education evaluation",
        Jurisdiction::England => "Request for an EHC needs assessment",
    }
}

pub fn request_pack(cx: &Ctx, rec: &PupilRecord) -> RequestPack {
    let assessments = assessments(rec);
    let mut ivs = interventions(cx, rec);
    ivs.sort_by(|a, b| a.start.cmp(&b.start).then(a.name.cmp(&b.name)));
    let cycles: Vec<ReviewView> = reviews(cx, rec).into_iter().filter(|r| r.held).collect();
    let latest = |f: fn(&ReviewView) -> &Option<String>| cycles.iter().rev().find_map(|r| f(r).clone());
    let cost_years = cost_years(cx, rec);
    let mut advice: Vec<super::review::AdviceView> = rec
        .reviews
        .iter()
        .flat_map(|r| r.review.advice.iter().flatten())
        .map(|a| super::review::AdviceView {
            from: text(&a.from).unwrap_or_default().to_string(),
            received: val(&a.received).map(|d| d.to_string()),
            summary: text(&a.summary).map(str::to_string),
        })
        .collect();
    advice.sort_by(|a, b| a.received.cmp(&b.received).then(a.from.cmp(&b.from)));
    RequestPack {
        delivered: delivered(cx, rec),
        requests: requests(rec),
        advice,
        school: cx.school(),
        pupil: pupil_view(cx, rec),
        title: title(cx.settings.school.jurisdiction),
        needs: needs(cx, rec),
        targets: targets(cx, rec),
        interventions: ivs,
        pupil_voice: latest(|r| &r.pupil_voice),
        parent_voice: latest(|r| &r.parent_voice),
        pupil_aspirations: latest(|r| &r.pupil_aspirations),
        parent_aspirations: latest(|r| &r.parent_aspirations),
        cycles,
        cost_total: cost::round_money(cost_years.iter().map(|y| y.total).sum()),
        cost_years,
        school_weeks: cx.settings.costs.weeks_per_year,
        assessment_charts: chart::assessment_charts(&assessments),
        assessments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn academic_year_turns_on_1_september() {
        assert_eq!(academic_year(day("2025-08-31")), 2024);
        assert_eq!(academic_year(day("2025-09-01")), 2025);
    }

    #[test]
    fn a_whole_year_is_weeks_per_year() {
        // 1 Sep 2025 to 31 Aug 2026 is 365 days: exactly 38 school weeks.
        let w = school_weeks(day("2025-09-01"), day("2026-08-31"), 38.0);
        assert!((w - 38.0).abs() < 1e-9, "{w}");
        // A 73-day term is a fifth of the year: 7.6 weeks.
        let w = school_weeks(day("2025-09-01"), day("2025-11-12"), 38.0);
        assert!((w - 7.6).abs() < 1e-9, "{w}");
        assert_eq!(school_weeks(day("2025-09-02"), day("2025-09-01"), 38.0), 0.0);
    }
}
