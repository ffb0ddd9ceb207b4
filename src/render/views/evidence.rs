//! Views for the HTML of `senco impact` and `senco progress`: the reports
//! the JSON output documents (docs/evidence.md), the school, and the chart
//! geometry (`impact.html.j2`, `progress.html.j2`).

use super::chart::{compare, line_chart_on, spread, CompareChart, CompareInput, LineChart, SpreadChart};
use super::{words, Ctx, SchoolView};
use crate::report::{impact, progress};
use serde::Serialize;

/// `impact.html.j2`.
#[derive(Serialize)]
pub struct ImpactView<'a> {
    pub school: SchoolView,
    /// The report, as `senco impact --format json` prints it.
    pub report: &'a impact::Report,
    /// Median gain and spread per provision with completed places; absent when none.
    pub chart: Option<SpreadChart>,
    /// Entry and exit on a scale that compares: first every standard-score
    /// measure on the shared 40-160 axis, then one chart per raw measure.
    pub compare_charts: Vec<CompareChart>,
    /// Staff groups with 5 pupils or more (`by_staff` without the small ones).
    pub by_staff: Vec<&'a impact::Group>,
    /// Staff groups left out for having fewer than 5 pupils.
    pub staff_withheld: usize,
}

/// Groups of fewer pupils carry a caveat; staff groups of fewer are not shown.
pub const FEW: usize = impact::FEW_PUPILS;

/// Median entry and exit of a group's completed places.
fn medians(report: &impact::Report, g: &impact::Group) -> Option<(f64, f64)> {
    let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (None, None) => true,
        _ => false,
    };
    let (mut entries, mut exits): (Vec<f64>, Vec<f64>) = report
        .places
        .iter()
        .filter(|p| {
            p.status == "completed" && p.provision == g.key && same(&p.measure, &g.measure) && p.scale == g.scale
        })
        .filter_map(|p| Some((p.entry?, p.exit?)))
        .unzip();
    Some((impact::median(&mut entries)?, impact::median(&mut exits)?))
}

fn compare_charts(report: &impact::Report) -> Vec<CompareChart> {
    let mut standard: Vec<CompareInput> = Vec::new();
    let mut raw: Vec<(String, Option<String>, Vec<CompareInput>)> = Vec::new();
    for g in &report.by_provision {
        let Some((entry, exit)) = medians(report, g) else { continue };
        let measure = g.measure.clone().unwrap_or_else(|| "measure not recorded".to_string());
        if g.scale.as_deref() == Some("standard-score") {
            standard.push((format!("{}: {measure}", g.name), measure, g.pupils, g.completed, entry, exit));
            continue;
        }
        let row = (g.name.clone(), measure.clone(), g.pupils, g.completed, entry, exit);
        let key = measure.trim().to_lowercase();
        match raw.iter_mut().find(|(k, s, _)| *k == key && *s == g.scale) {
            Some((_, _, rows)) => rows.push(row),
            None => raw.push((key, g.scale.clone(), vec![row])),
        }
    }
    let mut out: Vec<CompareChart> = compare("Standard scores".to_string(), true, &standard).into_iter().collect();
    for (_, scale, rows) in raw {
        let title = match scale.as_deref().and_then(crate::model::Scale::parse) {
            Some(s) if s != crate::model::Scale::Raw => format!("{} ({})", rows[0].1, super::words::scale(s)),
            _ => rows[0].1.clone(),
        };
        out.extend(compare(title, false, &rows));
    }
    out
}

pub fn impact<'a>(cx: &Ctx, report: &'a impact::Report) -> ImpactView<'a> {
    let rows: Vec<(String, String, usize, f64, f64, f64)> = report
        .by_provision
        .iter()
        .filter_map(|g| {
            let measure = match (&g.measure, &g.scale) {
                (Some(m), Some(s)) => format!("{m} ({s})"),
                (Some(m), None) => m.clone(),
                _ => "no measure".to_string(),
            };
            Some((g.name.clone(), measure, g.completed, g.median_gain?, g.min_gain?, g.max_gain?))
        })
        .collect();
    let by_staff: Vec<&impact::Group> = report.by_staff.iter().filter(|g| g.pupils >= FEW).collect();
    ImpactView {
        school: cx.school(),
        report,
        chart: spread(&rows),
        compare_charts: compare_charts(report),
        staff_withheld: report.by_staff.len() - by_staff.len(),
        by_staff,
    }
}

/// `progress.html.j2`.
#[derive(Serialize)]
pub struct ProgressView<'a> {
    pub school: SchoolView,
    /// The report, as `senco progress --format json` prints it.
    pub report: &'a progress::Progress,
    /// One line chart per measure, in the report's order.
    pub charts: Vec<LineChart>,
    /// The report's measures in words, in the same order.
    pub measures: Vec<SeriesWords>,
    /// The report's targets in words, in the same order.
    pub targets: Vec<TargetWords>,
}

/// A measure's results in words: what a governor or a parent reads.
#[derive(Serialize)]
pub struct SeriesWords {
    /// The measure with its scale in words: `Reading age (age equivalent)`.
    pub title: String,
    /// The latest result in words (`8 years 5 months`, `45th percentile`).
    pub latest: String,
    /// Changes with a sign, in the scale's words (`+1 year 2 months`, `+6`); opt.
    pub change_since_first: Option<String>,
    pub change_since_previous: Option<String>,
}

#[derive(Serialize)]
pub struct TargetWords {
    pub outcome: String,
    /// `Open`, `Achieved`, `Partly achieved`, ...
    pub status_label: &'static str,
    pub due: Option<String>,
    /// Each rating at a review held: `date` and `label` (`Partly achieved`,
    /// `Not rated`), `note` (opt).
    pub ratings: Vec<RatingWords>,
}

#[derive(Serialize)]
pub struct RatingWords {
    pub date: String,
    pub label: &'static str,
    pub note: Option<String>,
}

/// A target status or rating as the records spell it, in words.
fn status_words(s: &str) -> &'static str {
    crate::model::Status::parse(s).map_or("Not rated", super::status_label)
}

pub fn progress<'a>(cx: &Ctx, report: &'a progress::Progress) -> ProgressView<'a> {
    let scale = |m: &progress::Series| m.scale.as_deref().and_then(crate::model::Scale::parse);
    let charts = report
        .measures
        .iter()
        .map(|m| {
            let points: Vec<(String, f64, Option<String>)> =
                m.points.iter().map(|p| (p.date.to_string(), p.score, p.tool.clone())).collect();
            line_chart_on(title(&m.measure, scale(m)), &points, scale(m))
        })
        .collect();
    let measures = report
        .measures
        .iter()
        .map(|m| SeriesWords {
            title: title(&m.measure, scale(m)),
            latest: m.points.last().map(|p| words::score(p.score, scale(m))).unwrap_or_default(),
            change_since_first: m.change_since_first.map(|c| words::change(c, scale(m))),
            change_since_previous: m.change_since_previous.map(|c| words::change(c, scale(m))),
        })
        .collect();
    let targets = report
        .targets
        .iter()
        .map(|t| TargetWords {
            outcome: t.outcome.clone(),
            status_label: status_words(&t.status),
            due: t.due.map(|d| d.to_string()),
            ratings: t
                .ratings
                .iter()
                .map(|r| RatingWords {
                    date: r.date.to_string(),
                    label: r.progress.as_deref().map_or("Not rated", status_words),
                    note: r.note.clone(),
                })
                .collect(),
        })
        .collect();
    ProgressView { school: cx.school(), report, charts, measures, targets }
}

/// `Reading age (age equivalent)`: the measure as written, first letter
/// upper-case, and its scale in words.
fn title(measure: &str, scale: Option<crate::model::Scale>) -> String {
    let m = words::sentence(measure.trim());
    match scale {
        Some(s) => format!("{m} ({})", words::scale(s)),
        None => m,
    }
}
