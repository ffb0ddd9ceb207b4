//! A pupil's progress over time: assessment results per measure, and each
//! target's ratings across reviews.

use crate::model::{text, val};
use crate::output::{num, Block, Column, Document, Table};
use crate::query::cell;
use crate::repo::PupilRecord;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    pub date: NaiveDate,
    pub score: f64,
    pub assessment: String,
    pub tool: Option<String>,
}

/// The results on one measure (and scale), oldest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub measure: String,
    pub scale: Option<String>,
    pub points: Vec<Point>,
    /// Last score minus first score.
    pub change_since_first: Option<f64>,
    /// Last score minus the one before it.
    pub change_since_previous: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rating {
    pub date: NaiveDate,
    pub review: String,
    pub progress: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetHistory {
    pub target: String,
    pub outcome: String,
    pub status: String,
    pub due: Option<NaiveDate>,
    pub ratings: Vec<Rating>,
}

/// A pupil's progress: the `senco progress --format json` contract (docs/evidence.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    pub version: u32,
    pub today: String,
    pub pupil: String,
    pub name: String,
    pub measures: Vec<Series>,
    pub targets: Vec<TargetHistory>,
}

/// Assessments with a date and a score, per measure (else tool) and scale;
/// results without a score are not a point on a line and are left out.
pub fn progress(rec: &PupilRecord, today: NaiveDate) -> Progress {
    let mut by_measure: BTreeMap<(String, Option<String>), Vec<Point>> = BTreeMap::new();
    for a in &rec.assessments {
        let (Some(date), Some(score)) = (val(&a.date), val(&a.score)) else { continue };
        let measure = text(&a.measure).or(text(&a.tool)).unwrap_or("unnamed measure").to_string();
        by_measure.entry((measure, val(&a.scale).map(|s| s.to_string()))).or_default().push(Point {
            date,
            score,
            assessment: text(&a.id).unwrap_or("?").to_string(),
            tool: text(&a.tool).map(str::to_string),
        });
    }
    let measures = by_measure
        .into_iter()
        .map(|((measure, scale), mut points)| {
            points.sort_by(|a, b| a.date.cmp(&b.date).then(a.assessment.cmp(&b.assessment)));
            let n = points.len();
            let score = |i: usize| points.get(i).map(|p| p.score);
            let last = n.checked_sub(1).and_then(score);
            let diff = |a: Option<f64>| Some(last? - a?);
            Series {
                measure,
                scale,
                change_since_first: if n >= 2 { diff(score(0)) } else { None },
                change_since_previous: if n >= 2 { diff(n.checked_sub(2).and_then(score)) } else { None },
                points,
            }
        })
        .collect();
    let targets = rec
        .targets
        .iter()
        .map(|t| {
            let id = text(&t.id).unwrap_or("?");
            let ratings = rec
                .reviews
                .iter()
                .filter_map(|r| {
                    let date = val(&r.review.date)?;
                    let tp = r.review.targets.iter().flatten().find(|tp| text(&tp.target) == Some(id))?;
                    Some(Rating {
                        date,
                        review: r.stem.clone(),
                        progress: val(&tp.progress).map(|p| p.to_string()),
                        note: text(&tp.note).map(str::to_string),
                    })
                })
                .collect();
            TargetHistory {
                target: id.to_string(),
                outcome: text(&t.outcome).unwrap_or("").to_string(),
                status: val(&t.status).map_or("open".to_string(), |s| s.to_string()),
                due: val(&t.due),
                ratings,
            }
        })
        .collect();
    Progress {
        version: crate::query::VERSION,
        today: today.to_string(),
        pupil: rec.dir.clone(),
        name: rec.pupil.as_ref().map(|p| p.display_name()).unwrap_or_default(),
        measures,
        targets,
    }
}

fn signed(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 => format!("+{}", num(x)),
        Some(x) => num(x),
        None => String::new(),
    }
}

/// Sections: the change per measure, every result, each target's ratings.
pub fn document(p: &Progress) -> Document {
    let mut d = Document { title: Some(format!("{}: progress", p.name)), ..Default::default() };
    let mut summary = Table::new(
        vec![
            Column::left("measure"),
            Column::left("scale"),
            Column::right("results"),
            Column::left("first"),
            Column::left("last"),
            Column::right("since first"),
            Column::right("since previous"),
        ],
        "No assessment results with a score.",
    );
    let mut results = Table::new(
        vec![
            Column::left("measure"),
            Column::left("scale"),
            Column::left("date"),
            Column::right("score"),
            Column::right("change"),
            Column::left("assessment"),
            Column::left("tool"),
        ],
        "No assessment results with a score.",
    );
    for s in &p.measures {
        let at = |pt: Option<&Point>| pt.map_or(String::new(), |pt| format!("{} ({})", num(pt.score), pt.date));
        summary.push(vec![
            s.measure.clone(),
            cell(s.scale.as_deref()),
            s.points.len().to_string(),
            at(s.points.first()),
            at(s.points.last()),
            signed(s.change_since_first),
            signed(s.change_since_previous),
        ]);
        let mut prev: Option<f64> = None;
        for pt in &s.points {
            results.push(vec![
                s.measure.clone(),
                cell(s.scale.as_deref()),
                pt.date.to_string(),
                num(pt.score),
                signed(prev.map(|x| pt.score - x)),
                pt.assessment.clone(),
                cell(pt.tool.as_deref()),
            ]);
            prev = Some(pt.score);
        }
    }
    d.section("Change per measure", Block::Table(summary));
    d.section("Results", Block::Table(results));
    let mut ratings = Table::new(
        vec![
            Column::left("target"),
            Column::left("status"),
            Column::left("due"),
            Column::left("review"),
            Column::left("progress"),
            Column::left("note"),
        ],
        "No targets.",
    );
    for t in &p.targets {
        let due = t.due.map_or(String::new(), |d| d.to_string());
        if t.ratings.is_empty() {
            ratings.push(vec![
                t.target.clone(),
                t.status.clone(),
                due.clone(),
                String::new(),
                "not reviewed yet".into(),
                String::new(),
            ]);
        }
        for r in &t.ratings {
            ratings.push(vec![
                t.target.clone(),
                t.status.clone(),
                due.clone(),
                r.date.to_string(),
                cell(r.progress.as_deref()),
                cell(r.note.as_deref()),
            ]);
        }
    }
    d.section("Target ratings at reviews", Block::Table(ratings));
    d
}
