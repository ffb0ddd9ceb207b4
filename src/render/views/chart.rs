//! Geometry for the small inline SVG charts: computed here, drawn by the
//! templates (`charts.html.j2`), so the numbers stay testable and a school's
//! template can restyle a chart without doing arithmetic in Jinja. Every
//! chart also carries its data for a table beside it.

use super::{AssessmentView, InterventionView};
use crate::model::Scale;
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
    /// Standard scores: the axis runs 40 to 160 and this is the 85-115
    /// average band as (top, height) in pixels; none for other scales.
    pub band: Option<(f64, f64)>,
}

#[derive(Serialize)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    pub date: String,
    pub score: f64,
    /// The score in words with its scale ("8 years 5 months", "45th percentile").
    pub result: String,
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
            let scale = v.first().and_then(|a| a.scale).and_then(Scale::parse);
            line_chart_on(title, &points, scale)
        })
        .collect()
}

/// A line chart of scores over time: (date `YYYY-MM-DD`, score, tool) in date order.
pub fn line_chart(title: String, items: &[(String, f64, Option<String>)]) -> LineChart {
    line_chart_on(title, items, None)
}

/// A line chart of scores on one scale: a standard score runs on the shared
/// standard-score axis (40 to 160, the 85-115 average band marked), so two
/// charts compare at a glance; ages are said in years and months.
pub fn line_chart_on(title: String, items: &[(String, f64, Option<String>)], scale: Option<Scale>) -> LineChart {
    let standard = scale == Some(Scale::StandardScore);
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
    if standard {
        (lo, hi) = (lo.min(40.0), hi.max(160.0));
    }
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
            result: super::words::score(*s, scale),
            tool: tool.clone(),
        })
        .collect();
    let polyline = points.iter().map(|p| format!("{},{}", p.x, p.y)).collect::<Vec<_>>().join(" ");
    let mid = ((lo + hi) / 2.0).round();
    let ticks: Vec<f64> = if standard { vec![lo, 85.0, 100.0, 115.0, hi] } else { vec![lo, mid, hi] };
    let label = |v: f64| match scale {
        // An age axis in years and months ("8y 5m"): a bare 101 reads as a score.
        Some(Scale::AgeMonths) => {
            let m = v.round() as i64;
            format!("{}y {}m", m.div_euclid(12), m.rem_euclid(12))
        }
        _ => crate::render::fmt_num(v),
    };
    let y_ticks = ticks.iter().map(|v| Tick { pos: r1(y(*v)), label: label(*v) }).collect();
    let band = standard.then(|| (r1(y(115.0)), r1(y(85.0) - y(115.0))));
    LineChart { title, width: W, height, left: LEFT, right, top: TOP, bottom, points, polyline, y_ticks, band }
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
    /// The name shortened to fit beside the bars (kept for schools' templates).
    pub label: String,
    /// The whole name in lines of at most 34 characters, never cut.
    pub lines: Vec<String>,
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
    let (bar_left, bar_max, row_h): (f64, f64, f64) = (200.0, 220.0, 40.0);
    let mut y = TOP;
    let rows: Vec<EntryExitRow> = list
        .iter()
        .filter(|i| i.comparable)
        .filter_map(|i| {
            let (a, b) = (i.entry.as_ref()?, i.exit.as_ref()?);
            Some((i, a, b))
        })
        .map(|(i, a, b)| {
            let max = a.score.abs().max(b.score.abs()).max(f64::MIN_POSITIVE);
            let lines = wrap(&i.name, 34);
            let row = EntryExitRow {
                name: i.name.clone(),
                label: shorten(&i.name, 34),
                y,
                measure: b.measure.clone().or_else(|| a.measure.clone()),
                entry: a.score,
                exit: b.score,
                gain: b.score - a.score,
                entry_width: r1(a.score.max(0.0) / max * bar_max),
                exit_width: r1(b.score.max(0.0) / max * bar_max),
                lines,
            };
            y += row_h.max(row.lines.len() as f64 * 12.0 + 6.0);
            row
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let height = y + TOP;
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
    /// The whole name, for the data table.
    pub name: String,
    /// The name shortened to fit the chart.
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
                name: label.clone(),
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

/// Entry and exit on one axis that compares: every standard-score measure
/// on the shared 40-160 axis with the 85-115 average band, or one raw
/// measure on its own axis from 0. A row per group: its median entry (open
/// dot) and median exit (filled dot) of completed places.
#[derive(Serialize)]
pub struct CompareChart {
    /// `Standard scores`, or the raw measure's name.
    pub title: String,
    pub standard: bool,
    pub width: f64,
    pub height: f64,
    /// Where the plot starts and ends (after the label column).
    pub plot_left: f64,
    pub plot_right: f64,
    /// Top of the axis line (below the last row).
    pub axis_y: f64,
    pub ticks: Vec<Tick>,
    /// The 85-115 band's left edge and width (standard scores only).
    pub band: Option<(f64, f64)>,
    pub rows: Vec<CompareRow>,
}

#[derive(Serialize)]
pub struct CompareRow {
    /// The whole label (provision, and its measure on the standard axis).
    pub name: String,
    /// The label broken into lines of at most 36 characters: never cut.
    pub lines: Vec<String>,
    pub measure: String,
    pub pupils: usize,
    pub completed: usize,
    /// Fewer than 5 pupils: too few to draw a conclusion from.
    pub few: bool,
    pub entry: f64,
    pub exit: f64,
    pub y: f64,
    pub x_entry: f64,
    pub x_exit: f64,
}

/// One input row: (name, measure, pupils, completed, median entry, median exit).
pub type CompareInput = (String, String, usize, usize, f64, f64);

/// Words into lines of at most `n` characters; a longer word has a line of its own.
pub fn wrap(s: &str, n: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for w in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + w.chars().count() <= n => {
                l.push(' ');
                l.push_str(w);
            }
            _ => lines.push(w.to_string()),
        }
    }
    lines
}

/// A round axis end at or above `v`: 5, 10, 20, 25, 50 and their powers of ten.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * p).find(|c| *c >= v).unwrap_or(10.0 * p)
}

pub fn compare(title: String, standard: bool, items: &[CompareInput]) -> Option<CompareChart> {
    if items.is_empty() {
        return None;
    }
    let (plot_left, plot_right) = (220.0, W - RIGHT);
    let (lo, hi) = if standard {
        (40.0, 160.0)
    } else {
        let lo = items.iter().map(|i| i.4.min(i.5)).fold(0.0, f64::min);
        let hi = items.iter().map(|i| i.4.max(i.5)).fold(0.0, f64::max);
        (if lo < 0.0 { -nice_ceiling(-lo) } else { 0.0 }, nice_ceiling(hi))
    };
    let x = |v: f64| r1(plot_left + (v.clamp(lo, hi) - lo) / (hi - lo) * (plot_right - plot_left));
    let mut y = TOP;
    let rows = items
        .iter()
        .map(|(name, measure, pupils, completed, entry, exit)| {
            let mut lines = wrap(name, 36);
            if *pupils < 5 {
                lines.push(format!("{pupils} pupil{}: too few to judge", if *pupils == 1 { "" } else { "s" }));
            }
            let row = CompareRow {
                name: name.clone(),
                measure: measure.clone(),
                pupils: *pupils,
                completed: *completed,
                few: *pupils < 5,
                entry: *entry,
                exit: *exit,
                y,
                x_entry: x(*entry),
                x_exit: x(*exit),
                lines,
            };
            y += (row.lines.len() as f64 * 12.0 + 10.0).max(26.0);
            row
        })
        .collect();
    let ticks: Vec<f64> = if standard {
        vec![40.0, 70.0, 85.0, 100.0, 115.0, 130.0, 160.0]
    } else {
        (0..=4).map(|i| lo + (hi - lo) * i as f64 / 4.0).collect()
    };
    Some(CompareChart {
        title,
        standard,
        width: W,
        height: y + BOTTOM,
        plot_left,
        plot_right,
        axis_y: y,
        ticks: ticks.into_iter().map(|t| Tick { pos: x(t), label: crate::render::fmt_num(t) }).collect(),
        band: standard.then(|| (x(85.0), r1(x(115.0) - x(85.0)))),
        rows,
    })
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
    fn standard_scores_share_the_40_160_axis_with_the_average_band() {
        let c = compare(
            "Standard scores".into(),
            true,
            &[
                ("Reading Boost: reading".into(), "reading".into(), 6, 6, 80.0, 86.0),
                ("Talk Time: receptive language".into(), "receptive language".into(), 2, 1, 70.0, 76.0),
            ],
        )
        .unwrap();
        assert_eq!(c.ticks.first().map(|t| t.label.as_str()), Some("40"));
        assert_eq!(c.ticks.last().map(|t| (t.pos, t.label.as_str())), Some((c.plot_right, "160")));
        let (left, width) = c.band.unwrap();
        let at = |v: f64| c.plot_left + (v - 40.0) / 120.0 * (c.plot_right - c.plot_left);
        assert!((left - at(85.0)).abs() < 0.1 && (left + width - at(115.0)).abs() < 0.1);
        // Both rows on one scale: the same score sits at the same place.
        assert!((c.rows[0].x_entry - at(80.0)).abs() < 0.1 && (c.rows[1].x_exit - at(76.0)).abs() < 0.1);
        assert!(!c.rows[0].few && c.rows[1].few, "a caveat under 5 pupils");
        assert_eq!(c.rows[1].lines.last().unwrap(), "2 pupils: too few to judge");
    }

    #[test]
    fn raw_measures_start_at_0_and_names_are_wrapped_never_cut() {
        let long = "Enhanced transition programme (visits, transition book, social stories)";
        let c = compare("words".into(), false, &[(long.into(), "words".into(), 1, 1, 21.0, 58.0)]).unwrap();
        assert_eq!(c.ticks[0].label, "0");
        assert_eq!(c.ticks[4].label, "100", "a round end above 58");
        assert!(c.band.is_none());
        let lines = &c.rows[0].lines;
        assert_eq!(lines[..lines.len() - 1].join(" "), long);
        assert_eq!(lines.last().unwrap(), "1 pupil: too few to judge");
        assert!(c.rows[0].lines.iter().all(|l| l.chars().count() <= 36));
    }

    #[test]
    fn bars_scale_to_the_largest() {
        let b = bars(&[("a".into(), 50.0), ("b".into(), 100.0)]).unwrap();
        assert_eq!(b.bars[1].width, 170.0);
        assert_eq!(b.bars[0].width, 85.0);
        assert!(bars(&[]).is_none());
    }
}
