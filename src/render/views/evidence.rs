//! Views for the HTML of `senco impact` and `senco progress`: the reports
//! the JSON output documents (docs/evidence.md), the school, and the chart
//! geometry (`impact.html.j2`, `progress.html.j2`).

use super::chart::{compare, line_chart_on, spread, CompareChart, CompareInput, LineChart, SpreadChart};
use super::{Ctx, SchoolView};
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
}

pub fn progress<'a>(cx: &Ctx, report: &'a progress::Progress) -> ProgressView<'a> {
    let charts = report
        .measures
        .iter()
        .map(|m| {
            let title = match &m.scale {
                Some(s) => format!("{} ({s})", m.measure),
                None => m.measure.clone(),
            };
            let points: Vec<(String, f64, Option<String>)> =
                m.points.iter().map(|p| (p.date.to_string(), p.score, p.tool.clone())).collect();
            line_chart_on(title, &points, m.scale.as_deref() == Some("standard-score"))
        })
        .collect();
    ProgressView { school: cx.school(), report, charts }
}
