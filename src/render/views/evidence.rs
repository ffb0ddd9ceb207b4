//! Views for the HTML of `senco impact` and `senco progress`: the reports
//! the JSON output documents (docs/evidence.md), the school, and the chart
//! geometry (`impact.html.j2`, `progress.html.j2`).

use super::chart::{line_chart, spread, LineChart, SpreadChart};
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
    ImpactView { school: cx.school(), report, chart: spread(&rows) }
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
            line_chart(title, &points)
        })
        .collect();
    ProgressView { school: cx.school(), report, charts }
}
