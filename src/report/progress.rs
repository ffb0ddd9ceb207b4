//! A pupil's progress over time: assessment results per measure, and each
//! target's ratings across reviews.

use crate::model::{text, val};
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    pub pupil: String,
    pub name: String,
    pub measures: Vec<Series>,
    pub targets: Vec<TargetHistory>,
}

pub fn progress(rec: &PupilRecord) -> Progress {
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
            let last = points.last().map(|p| p.score);
            Series {
                measure,
                scale,
                change_since_first: (n >= 2).then(|| last.unwrap_or(0.0) - points[0].score),
                change_since_previous: (n >= 2).then(|| last.unwrap_or(0.0) - points[n - 2].score),
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
        pupil: rec.dir.clone(),
        name: rec.pupil.as_ref().map(|p| p.display_name()).unwrap_or_default(),
        measures,
        targets,
    }
}
