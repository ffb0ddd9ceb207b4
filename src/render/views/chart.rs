//! Geometry for the small inline SVG charts: computed here, drawn by the
//! templates (`charts.html.j2`), so the numbers stay testable and a school's
//! template can restyle a chart without doing arithmetic in Jinja. Every
//! chart also carries its data for a table beside it.

use super::{AssessmentView, InterventionView};
use serde::Serialize;

const W: f64 = 480.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// Scores of one measure over time.
#[derive(Serialize)]
pub struct LineChart {
    /// `reading accuracy (standard-score)`.
    pub title: String,
    pub width: f64,
    pub height: f64,
    /// The plotting area: left, right, top and bottom edges.
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub points: Vec<ChartPoint>,
    /// `x,y x,y ...` for an SVG `<polyline points>`.
    pub polyline: String,
    pub y_ticks: Vec<Tick>,
}

#[derive(Serialize)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    pub date: String,
    pub score: f64,
    /// The tool that gave the score.
    pub tool: Option<String>,
}

#[derive(Serialize)]
pub struct Tick {
    /// Pixel position on the axis.
    pub pos: f64,
    pub label: String,
}

fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One chart per measure (assessments without a measure or score are left
/// out), in the order each measure was first assessed.
pub fn assessment_charts(list: &[AssessmentView]) -> Vec<LineChart> {
    let mut groups: Vec<(String, Vec<&AssessmentView>)> = Vec::new();
    for a in list {
        let (Some(m), Some(_), Some(_)) = (&a.measure, a.score, &a.date) else { continue };
        let key = match a.scale_label {
            Some(s) => format!("{m} ({s})"),
            None => m.clone(),
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(a),
            None => groups.push((key, vec![a])),
        }
    }
    groups
        .into_iter()
        .map(|(title, v)| {
            let points: Vec<(String, f64, Option<String>)> = v
                .iter()
                .map(|a| (a.date.clone().unwrap_or_default(), a.score.unwrap_or(0.0), a.tool.clone()))
                .collect();
            line_chart(title, &points)
        })
        .collect()
}

/// A line chart of scores over time: (date `YYYY-MM-DD`, score, tool) in date order.
pub fn line_chart(title: String, items: &[(String, f64, Option<String>)]) -> LineChart {
    let height = 180.0;
    let (bottom, right) = (height - BOTTOM, W - RIGHT);
    let days: Vec<i64> = items
        .iter()
        .map(|(d, _, _)| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_or(0, |d| d.num_days_from_ce() as i64))
        .collect();
    let scores: Vec<f64> = items.iter().map(|(_, s, _)| *s).collect();
    let (d0, d1) = (days.iter().copied().min().unwrap_or(0), days.iter().copied().max().unwrap_or(0));
    let (mut lo, mut hi) =
        (scores.iter().copied().fold(f64::MAX, f64::min), scores.iter().copied().fold(f64::MIN, f64::max));
    let pad = ((hi - lo) * 0.1).max(1.0);
    lo = (lo - pad).floor();
    hi = (hi + pad).ceil();
    let x = |day: i64| {
        if d1 == d0 {
            (LEFT + right) / 2.0
        } else {
            LEFT + (day - d0) as f64 / (d1 - d0) as f64 * (right - LEFT)
        }
    };
    let y = |s: f64| bottom - (s - lo) / (hi - lo) * (bottom - TOP);
    let points: Vec<ChartPoint> = items
        .iter()
        .zip(days.iter().zip(&scores))
        .map(|((date, _, tool), (day, s))| ChartPoint {
            x: r1(x(*day)),
            y: r1(y(*s)),
            date: date.clone(),
            score: *s,
            tool: tool.clone(),
        })
        .collect();
    let polyline = points.iter().map(|p| format!("{},{}", p.x, p.y)).collect::<Vec<_>>().join(" ");
    let mid = ((lo + hi) / 2.0).round();
    let y_ticks = [lo, mid, hi].iter().map(|v| Tick { pos: r1(y(*v)), label: crate::render::fmt_num(*v) }).collect();
    LineChart { title, width: W, height, left: LEFT, right, top: TOP, bottom, points, polyline, y_ticks }
}

use chrono::Datelike;

/// Entry and exit scores, one pair of bars per intervention, each pair scaled
/// to its own larger score (the measures differ between interventions).
#[derive(Serialize)]
pub struct EntryExitChart {
    pub width: f64,
    pub height: f64,
    /// Where the bars start (after the label column).
    pub bar_left: f64,
    /// The longest bar.
    pub bar_max: f64,
    pub rows: Vec<EntryExitRow>,
}

#[derive(Serialize)]
pub struct EntryExitRow {
    pub name: String,
    /// The name shortened to fit beside the bars.
    pub label: String,
    pub measure: Option<String>,
    pub entry: f64,
    pub exit: f64,
    pub gain: f64,
    /// Top of the row's entry bar; the exit bar is 14 below.
    pub y: f64,
    pub entry_width: f64,
    pub exit_width: f64,
}

pub fn entry_exit(list: &[InterventionView]) -> Option<EntryExitChart> {
    let (bar_left, bar_max, row_h) = (200.0, 220.0, 40.0);
    let rows: Vec<EntryExitRow> = list
        .iter()
        .filter_map(|i| {
            let (a, b) = (i.entry.as_ref()?, i.exit.as_ref()?);
            Some((i, a, b))
        })
        .enumerate()
        .map(|(n, (i, a, b))| {
            let max = a.score.abs().max(b.score.abs()).max(f64::MIN_POSITIVE);
            EntryExitRow {
                name: i.name.clone(),
                label: shorten(&i.name, 34),
                measure: b.measure.clone().or_else(|| a.measure.clone()),
                entry: a.score,
                exit: b.score,
                gain: b.score - a.score,
                y: TOP + n as f64 * row_h,
                entry_width: r1(a.score.max(0.0) / max * bar_max),
                exit_width: r1(b.score.max(0.0) / max * bar_max),
            }
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let height = TOP * 2.0 + rows.len() as f64 * row_h;
    Some(EntryExitChart { width: W, height, bar_left, bar_max, rows })
}

/// At most `n` characters, with `…` when cut.
pub fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Horizontal bars, e.g. yearly cost by need area.
#[derive(Serialize)]
pub struct BarChart {
    pub width: f64,
    pub height: f64,
    pub bar_left: f64,
    pub bar_max: f64,
    pub bars: Vec<Bar>,
}

#[derive(Serialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub y: f64,
    pub width: f64,
}

pub fn bars(items: &[(String, f64)]) -> Option<BarChart> {
    if items.is_empty() {
        return None;
    }
    let (bar_left, bar_max, row_h) = (230.0, 170.0, 26.0);
    let max = items.iter().map(|(_, v)| *v).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let bars = items
        .iter()
        .enumerate()
        .map(|(n, (label, v))| Bar {
            label: label.clone(),
            value: *v,
            y: TOP + n as f64 * row_h,
            width: r1(v.max(0.0) / max * bar_max),
        })
        .collect();
    Some(BarChart { width: W, height: TOP * 2.0 + items.len() as f64 * row_h, bar_left, bar_max, bars })
}

/// The gain of each group of completed places: its median as a dot, its
/// spread (smallest to largest gain) as a line, and zero marked. Each row has
/// its own axis, because groups are measured on different measures.
#[derive(Serialize)]
pub struct SpreadChart {
    pub width: f64,
    pub height: f64,
    pub bar_left: f64,
    pub bar_max: f64,
    pub rows: Vec<SpreadRow>,
}

#[derive(Serialize)]
pub struct SpreadRow {
    pub label: String,
    pub measure: String,
    pub completed: usize,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// Top of the row.
    pub y: f64,
    pub x_min: f64,
    pub x_max: f64,
    pub x_median: f64,
    pub x_zero: f64,
}

/// One row per (label, measure, completed, median, min, max); `None` when no group has completed places.
pub fn spread(items: &[(String, String, usize, f64, f64, f64)]) -> Option<SpreadChart> {
    if items.is_empty() {
        return None;
    }
    let (bar_left, bar_max, row_h) = (230.0, 220.0, 30.0);
    let rows = items
        .iter()
        .enumerate()
        .map(|(n, (label, measure, completed, median, min, max))| {
            let lo = min.min(0.0);
            let hi = max.max(0.0);
            let span = if hi > lo { hi - lo } else { 1.0 };
            let x = |v: f64| r1(bar_left + (v - lo) / span * bar_max);
            SpreadRow {
                label: shorten(label, 34),
                measure: measure.clone(),
                completed: *completed,
                median: *median,
                min: *min,
                max: *max,
                y: TOP + n as f64 * row_h,
                x_min: x(*min),
                x_max: x(*max),
                x_median: x(*median),
                x_zero: x(0.0),
            }
        })
        .collect();
    Some(SpreadChart { width: W, height: TOP * 2.0 + items.len() as f64 * row_h + 8.0, bar_left, bar_max, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(date: &str, score: f64) -> AssessmentView {
        AssessmentView {
            id: date.into(),
            date: Some(date.into()),
            tool: None,
            measure: Some("reading".into()),
            score: Some(score),
            scale: None,
            scale_label: None,
            result: None,
            assessor: None,
            notes: None,
        }
    }

    #[test]
    fn line_chart_spans_the_plot_and_rises_with_scores() {
        let charts = assessment_charts(&[a("2025-01-01", 78.0), a("2026-01-01", 84.0)]);
        assert_eq!(charts.len(), 1);
        let c = &charts[0];
        assert_eq!(c.points[0].x, LEFT);
        assert_eq!(c.points[1].x, W - RIGHT);
        assert!(c.points[1].y < c.points[0].y, "higher score is higher up");
    }

    #[test]
    fn spread_places_median_between_its_ends_and_marks_zero() {
        let c = spread(&[("Phonics".into(), "HFW read".into(), 3, 10.0, -2.0, 20.0)]).unwrap();
        let r = &c.rows[0];
        assert_eq!(r.x_min, c.bar_left);
        assert_eq!(r.x_max, c.bar_left + c.bar_max);
        assert!(r.x_min < r.x_zero && r.x_zero < r.x_median && r.x_median < r.x_max);
        assert!(spread(&[]).is_none());
    }

    #[test]
    fn bars_scale_to_the_largest() {
        let b = bars(&[("a".into(), 50.0), ("b".into(), 100.0)]).unwrap();
        assert_eq!(b.bars[1].width, 170.0);
        assert_eq!(b.bars[0].width, 85.0);
        assert!(bars(&[]).is_none());
    }
}
