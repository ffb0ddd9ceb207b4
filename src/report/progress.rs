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
    // Like with like, as `impact` compares them: a measure's name matches
    // ignoring case and surrounding spaces; the first spelling is shown.
    // (measure in lower case, scale, assessment id for an unnamed result) -> (measure as spelt, points)
    type Key = (String, Option<String>, String);
    let mut by_measure: BTreeMap<Key, (String, Vec<Point>)> = BTreeMap::new();
    for a in &rec.assessments {
        let (Some(date), Some(score)) = (val(&a.date), val(&a.score)) else { continue };
        let named = text(&a.measure).or(text(&a.tool));
        let measure = named.unwrap_or("unnamed measure").trim().to_string();
        // Results with neither a measure nor a tool cannot be told to be on
        // one measure: each is a series of its own, never joined to another.
        let id = if named.is_none() { text(&a.id).unwrap_or("?").to_string() } else { String::new() };
        let key = (measure.to_lowercase(), val(&a.scale).map(|s| s.to_string()), id);
        by_measure.entry(key).or_insert_with(|| (measure, Vec::new())).1.push(Point {
            date,
            score,
            assessment: text(&a.id).unwrap_or("?").to_string(),
            tool: text(&a.tool).map(str::to_string),
        });
    }
    let measures = by_measure
        .into_iter()
        .map(|((_, scale, _), (measure, mut points))| {
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
                    // A review dated after today has not been held: no ratings yet.
                    let date = val(&r.review.date).filter(|d| *d <= today)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_match_like_impact_and_future_reviews_give_no_ratings() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("pupils/kit-lane");
        std::fs::create_dir_all(base.join("reviews")).unwrap();
        let w = |name: &str, text: &str| std::fs::write(base.join(name), text).unwrap();
        w("pupil.yaml", "id: kit-lane\nname: { first: Kit, last: Lane }\ndate_of_birth: 2016-01-15\nyear_group: 4\nsupport:\n  level: sen-support\n");
        w("needs.yaml", "- id: r\n  area: cognition-and-learning\n  primary: true\n");
        w("targets.yaml", "- id: t\n  need: r\n  outcome: Read.\n");
        // Scores 80, then 86, then 83: +3 since the first, -3 since the one before.
        w(
            "assessments.yaml",
            "- { id: a1, date: 2025-01-10, measure: Reading age, score: 80, scale: age-months }\n- { id: a2, date: 2025-06-10, measure: \"reading age \", score: 86, scale: age-months }\n- { id: a3, date: 2026-01-10, measure: READING AGE, score: 83, scale: age-months }\n",
        );
        w(
            "reviews/2026-10-01.yaml",
            "date: 2026-10-01\nkind: termly\ntargets:\n  - { target: t, progress: partly-achieved }\n",
        );
        w(
            "reviews/2026-12-01.yaml",
            "date: 2026-12-01\nkind: termly\ntargets:\n  - { target: t, progress: achieved }\n",
        );
        let rec = crate::repo::load_pupil(dir.path(), "pupils", "kit-lane".into(), false);
        assert!(rec.findings.is_empty(), "{:?}", rec.findings);
        let p = progress(&rec, crate::repo::decode::parse_date("2026-11-24").unwrap());
        assert_eq!(p.measures.len(), 1, "one measure, however it is spelt");
        let m = &p.measures[0];
        assert_eq!((m.measure.as_str(), m.points.len()), ("Reading age", 3));
        assert_eq!((m.change_since_first, m.change_since_previous), (Some(3.0), Some(-3.0)));
        let ratings: Vec<&str> = p.targets[0].ratings.iter().filter_map(|r| r.progress.as_deref()).collect();
        assert_eq!(ratings, ["partly-achieved"], "the review on 2026-12-01 has not been held yet");
    }

    #[test]
    fn results_without_a_measure_or_tool_are_never_joined() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("pupils/kit-lane");
        std::fs::create_dir_all(&base).unwrap();
        let w = |name: &str, text: &str| std::fs::write(base.join(name), text).unwrap();
        w("pupil.yaml", "id: kit-lane\nname: { first: Kit, last: Lane }\ndate_of_birth: 2016-01-15\nyear_group: 4\nsupport:\n  level: sen-support\n");
        w(
            "assessments.yaml",
            "- { id: a1, date: 2025-01-10, score: 80 }\n- { id: a2, date: 2025-06-10, score: 12 }\n- { id: a3, date: 2026-01-10, measure: spelling, score: 5 }\n- { id: a4, date: 2026-02-10, measure: spelling, score: 5, scale: standard-score }\n",
        );
        let rec = crate::repo::load_pupil(dir.path(), "pupils", "kit-lane".into(), false);
        let p = progress(&rec, crate::repo::decode::parse_date("2026-11-24").unwrap());
        let sizes: Vec<usize> = p.measures.iter().map(|m| m.points.len()).collect();
        assert_eq!(sizes, [1, 1, 1, 1], "two unnamed results and one measure on two scales: four series");
    }
}
