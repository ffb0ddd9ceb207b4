//! Jurisdiction rule packs: statutory deadlines over the records model, each
//! rule with its code, statement and source (`docs/rules.md`; the facts come
//! from the project's domain research, checked against primary text where the
//! confidence is `P`).
//!
//! `due_items` is the one place that computes statutory review dates; both
//! `senco check` and `senco review-due` use it, so they always agree.

pub mod dates;
pub mod england;
pub mod eval;
#[cfg(test)]
mod testkit;
pub mod us;
pub mod wales;

use crate::diag::{Finding, Severity};
use crate::error::Error;
use crate::model::settings::{Jurisdiction, RuleLevel};
use crate::model::span::Span;
use crate::model::{val, Level, ReviewKind, Settings};
use crate::repo::PupilRecord;
use chrono::NaiveDate;
use dates::{add_months, add_weeks, within_12_months};

/// One statutory or good-practice rule: its registry entry, beside the
/// function that evaluates it in the jurisdiction's pack.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub jurisdiction: Jurisdiction,
    /// The default severity: warning for duties (the school's own, or the
    /// local authority's marked "(LA duty)"), info for guidance.
    pub severity: Severity,
    /// `P`: checked against primary text; `S`: a reliable secondary source
    /// quoting it; `G`: statutory guidance or good practice.
    pub confidence: char,
    /// What the rule is evaluated over.
    pub scope: Scope,
    /// The rule in plain words.
    pub statement: &'static str,
    /// The rule for a parent, when `statement` speaks the records' or a
    /// return's codes (the census's E, K, N and type codes): the pupil's
    /// checklist shows it, the school's checklist keeps `statement`. `None`
    /// when the statement is already plain (a test holds every such one to
    /// no code-shaped words).
    pub plain: Option<&'static str>,
    /// The words of the provision it rests on (a short quotation or close
    /// paraphrase, with the paragraph), shown by `senco explain`.
    pub provision: &'static str,
    /// The citation.
    pub source: &'static str,
    /// Evaluates the rule for one pupil, pushing outcomes into `cx.out`.
    pub check: fn(&mut eval::Cx),
}

/// What a rule is evaluated over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Each pupil on roll.
    Pupil,
    /// Each archived (former) pupil.
    Archived,
    /// The school itself (the whole-school checklist evaluates these).
    School,
}

/// The evaluator of a school-wide rule: nothing per pupil.
fn school_rule(_: &mut eval::Cx) {}

/// Every rule of every pack: England, then the US, then Wales.
pub static RULES: std::sync::LazyLock<Vec<&'static Rule>> =
    std::sync::LazyLock::new(|| england::RULES.iter().chain(us::RULES).chain(wales::RULES).copied().collect());

/// The rule pack of a jurisdiction.
pub fn pack(j: Jurisdiction) -> &'static [&'static Rule] {
    match j {
        Jurisdiction::England => england::RULES,
        Jurisdiction::UsIdea => us::RULES,
        Jurisdiction::Wales => wales::RULES,
    }
}

pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code).copied()
}

/// Checks `[rules]` in senco.toml: every code must be a known rule.
pub fn validate_settings(settings: &Settings, text: &str) -> Result<(), Error> {
    for code in settings.rules.keys() {
        if rule(code).is_none() {
            let hint = match crate::repo::decode::suggest(code, RULES.iter().map(|r| r.code)) {
                Some(s) => format!("did you mean `{s}`? `senco rules` lists every rule code"),
                None => "`senco rules` lists every rule code".to_string(),
            };
            let offset = text.find(code.as_str()).unwrap_or(0);
            return Err(Error::settings_at(text, offset, format!("unknown rule `{code}` in [rules]"), Some(hint)));
        }
    }
    // One key for the school's rows in a trust's combined exports.
    if let (Some(urn), Some(_)) = (&settings.school.urn, &settings.school.id) {
        let offset = text
            .match_indices("urn")
            .map(|(i, _)| i)
            .find(|&i| text[..i].chars().next_back().is_none_or(|c| c == '\n' || c == ' ' || c == '{'))
            .unwrap_or(0);
        return Err(Error::settings_at(
            text,
            offset,
            format!("[school] has both `urn = {urn}` and `id`: the export needs one key for the school"),
            Some("keep `urn` (England's six-digit URN) and remove `id`, or the other way round".into()),
        ));
    }
    // A calendar that ends before it starts would make every cost 0 and every
    // term count wrong without a word; say so instead.
    if let Some(cal) = &settings.calendar {
        let at = |key: &str, date: NaiveDate| {
            let key_at = text.find(key).unwrap_or(0);
            text[key_at..].find(&date.to_string()).map_or(key_at, |i| key_at + i)
        };
        if cal.year_end < cal.year_start {
            return Err(Error::settings_at(
                text,
                at("year_end", cal.year_end),
                format!("[calendar] year_end {} is before year_start {}", cal.year_end, cal.year_start),
                Some("one of the two dates is mistyped: the academic year runs from year_start to year_end".into()),
            ));
        }
        if let Some(term) = cal.terms.iter().find(|t| t.end < t.start) {
            return Err(Error::settings_at(
                text,
                at("terms", term.end),
                format!("[calendar] term `{}` ends on {} before it starts on {}", term.name, term.end, term.start),
                Some("one of the two dates is mistyped".into()),
            ));
        }
    }
    dates::validate_calendar(settings, text)?;
    // Numbers that would turn costs and deadlines into nonsense without a word.
    let c = &settings.costs;
    let r = &settings.reviews;
    let w = settings.delivery.warn_below;
    let k = &settings.jurisdiction;
    let checks: [(&str, f64, bool, &str); 9] = [
        ("warn_below", w, (0.0..=1.0).contains(&w), "a share between 0 and 1, e.g. 0.9"),
        ("weeks_per_year", c.weeks_per_year, c.weeks_per_year > 0.0 && c.weeks_per_year <= 53.0, "between 1 and 53"),
        (
            "default_hourly_rate",
            c.default_hourly_rate,
            c.default_hourly_rate >= 0.0 && c.default_hourly_rate.is_finite(),
            "0 or more",
        ),
        (
            "notional_threshold",
            c.notional_threshold,
            c.notional_threshold >= 0.0 && c.notional_threshold.is_finite(),
            "0 or more",
        ),
        ("support_review_weeks", r.support_review_weeks as f64, r.support_review_weeks > 0, "at least 1"),
        ("referral_wait_weeks", r.referral_wait_weeks as f64, r.referral_wait_weeks > 0, "at least 1"),
        // US knobs: a 0 would make every deadline fall on its own start date.
        ("evaluation_days", k.evaluation_days as f64, k.evaluation_days > 0, "at least 1"),
        ("transition_age", k.transition_age as f64, (1..=21).contains(&k.transition_age), "between 1 and 21"),
        ("section504_review_months", k.section504_review_months as f64, k.section504_review_months > 0, "at least 1"),
    ];
    if let Some((key, value, _, want)) = checks.iter().find(|(_, _, ok, _)| !ok) {
        let offset = text.find(&format!("{key} ")).or_else(|| text.find(key)).unwrap_or(0);
        return Err(Error::settings_at(
            text,
            offset,
            format!("`{key} = {value}` in senco.toml is not a usable value"),
            Some(format!("`{key}` must be {want}")),
        ));
    }
    Ok(())
}

/// The severity a school has configured for a rule, or its default; `None`
/// when the rule is turned off.
pub fn configured(settings: &Settings, code: &str, default: Severity) -> Option<Severity> {
    match settings.rules.get(code) {
        Some(RuleLevel::Off) => None,
        Some(RuleLevel::Warn) => Some(Severity::Warning),
        Some(RuleLevel::Error) => Some(Severity::Error),
        None => Some(default),
    }
}

/// Something with a date that needs doing, per a rule.
#[derive(Clone, Debug, PartialEq)]
pub struct DueItem {
    /// The rule code, e.g. `ENG-AR-DUE`.
    pub rule: &'static str,
    /// Stable item kind: `support-review`, `annual-review`, `reevaluation`.
    pub kind: &'static str,
    pub due: NaiveDate,
    /// What the date rests on, in words: "12 months after the plan was issued on 2025-05-10".
    pub basis: String,
    /// The file and span of the fact the date rests on.
    pub file: String,
    pub span: Option<Span>,
}

/// An assessment that records a (re)evaluation: its id, tool or measure says
/// `reeval`, `re-eval` or `reevaluation`.
fn is_reevaluation(a: &crate::model::Assessment) -> bool {
    [&a.id, &a.tool, &a.measure].iter().any(|f| {
        f.as_ref().is_some_and(|t| {
            let t = t.value.to_ascii_lowercase();
            t.contains("reeval") || t.contains("re-eval")
        })
    })
}

/// The statutory and school review dates of one pupil on roll, as of
/// `today`: only reviews held by then count (a review file dated later is a
/// meeting being prepared, and must not hide a deadline until it is held).
pub fn due_items(settings: &Settings, rec: &PupilRecord, today: NaiveDate) -> Vec<DueItem> {
    let Some(pupil) = &rec.pupil else { return Vec::new() };
    let Some(level) = pupil.level() else { return Vec::new() };
    let juris = settings.school.jurisdiction;
    if !juris.levels().contains(&level) || !level.on_register() {
        return Vec::new();
    }
    let pupil_file = rec.file("pupil.yaml");
    let mut out = Vec::new();
    let plan_issued = pupil.plan().and_then(|p| p.issued.as_ref().or(p.initial_issued.as_ref()));
    let held = || rec.reviews.iter().rev().filter(|r| val(&r.review.date).is_some_and(|d| d <= today));
    let last_review = held().find_map(|r| r.review.date.as_ref().map(|d| (r, d)));
    let last_annual = held()
        .find(|r| val(&r.review.kind) == Some(ReviewKind::Annual))
        .and_then(|r| r.review.date.as_ref().map(|d| (r, d)));
    // A review's `next_review` brings the date forward, never later than the
    // limit (England; the US and Wales packs give the law's own dates).
    let agreed = last_review
        .filter(|_| juris == Jurisdiction::England)
        .and_then(|(r, _)| r.review.next_review.as_ref().map(|n| (r, n)));
    let mut push =
        |rule: &'static str, kind: &'static str, limit: NaiveDate, basis: String, file: String, span: Option<Span>| {
            let (due, basis, file, span) = match agreed {
                // Not for an EHC plan's review: its date is the law's (s.44(1)).
                Some((r, n)) if n.value < limit && kind != "reevaluation" && rule != "ENG-AR-DUE" => {
                    (n.value, format!("agreed at the review of {}", r.stem), r.path.clone(), Some(n.span))
                }
                _ => (limit, basis, file, span),
            };
            out.push(DueItem { rule, kind, due, basis, file, span });
        };

    // The yearly review of a plan: from the latest annual review, else from issue.
    let yearly =
        |rule: &'static str,
         push: &mut dyn FnMut(&'static str, &'static str, NaiveDate, String, String, Option<Span>)| {
            if let Some((r, d)) = last_annual {
                push(
                    rule,
                    "annual-review",
                    within_12_months(d.value),
                    format!("within 12 months of the annual review on {}", d.value),
                    r.path.clone(),
                    Some(d.span),
                );
            } else if let Some(issued) = plan_issued {
                push(
                    rule,
                    "annual-review",
                    within_12_months(issued.value),
                    format!("within 12 months of the plan issued on {}", issued.value),
                    pupil_file.clone(),
                    Some(issued.span),
                );
            }
        };

    match (juris, level) {
        (Jurisdiction::England, Level::SenSupport) => {
            let weeks = settings.reviews.support_review_weeks;
            if let Some((r, d)) = last_review {
                push(
                    "ENG-SUP-REVIEW",
                    "support-review",
                    add_weeks(d.value, weeks),
                    format!("{weeks} weeks after the review on {}", d.value),
                    r.path.clone(),
                    Some(d.span),
                );
            } else if let Some(since) = pupil.support.as_ref().and_then(|s| s.since.as_ref()) {
                push(
                    "ENG-SUP-REVIEW",
                    "support-review",
                    add_weeks(since.value, weeks),
                    format!("{weeks} weeks after SEN support began on {}", since.value),
                    pupil_file.clone(),
                    Some(since.span),
                );
            }
        }
        (Jurisdiction::England, Level::Ehcp) => {
            // The review is complete when the LA notifies its decision, which
            // it has 4 weeks after the meeting to do (reg. 20(10); CoP 9.176):
            // the meeting is held by the period's end - 28 days.
            let mut england = |rule: &'static str,
                               kind: &'static str,
                               due: NaiveDate,
                               basis: String,
                               file: String,
                               span: Option<Span>| {
                let meet_by = due.checked_sub_days(chrono::Days::new(28)).unwrap_or(due);
                push(rule, kind, due, format!("{basis}; the meeting by {meet_by} at the latest"), file, span)
            };
            yearly("ENG-AR-DUE", &mut england)
        }
        (Jurisdiction::UsIdea, Level::Iep) => {
            yearly("US-IEP-ANNUAL", &mut push);
            // 300.303(b)(2): from the last evaluation only, never from the
            // IEP's date (an IEP re-issued each year is not an evaluation).
            if let us::Reeval::Due(item) = us::reevaluation(rec, today) {
                push(item.rule, item.kind, item.due, item.basis, item.file, item.span);
            }
        }
        (Jurisdiction::UsIdea, Level::Section504) => {
            let months = settings.jurisdiction.section504_review_months;
            if let Some((r, d)) = last_review {
                // A district setting (104.35(d) says only "periodic"): the same date N months on.
                push(
                    "US-504-REVIEW",
                    "annual-review",
                    add_months(d.value, months),
                    format!("{months} months after the review on {}", d.value),
                    r.path.clone(),
                    Some(d.span),
                );
            } else if let Some(start) = plan_issued.or(pupil.support.as_ref().and_then(|s| s.since.as_ref())) {
                push(
                    "US-504-REVIEW",
                    "annual-review",
                    add_months(start.value, months),
                    format!("{months} months after the plan started on {}", start.value),
                    pupil_file.clone(),
                    Some(start.span),
                );
            }
        }
        (Jurisdiction::Wales, Level::SchoolIdp | Level::LaIdp) => {
            // s.23(4): the period starts when the IDP, a revised IDP or a
            // notice that it is not revised was given; only statutory
            // (annual) reviews give one, so termly check-ins do not restart it.
            let mut start: Option<(NaiveDate, String, String, Option<Span>)> = plan_issued
                .map(|i| (i.value, format!("the IDP given on {}", i.value), pupil_file.clone(), Some(i.span)));
            for r in held().filter(|r| val(&r.review.kind) == Some(ReviewKind::Annual)) {
                let Some(d) = r.review.date.as_ref() else { continue };
                let (date, basis, span) = match r.review.given.as_ref() {
                    Some(g) => (
                        g.value,
                        format!("the revised IDP or notice given on {} after the review of {}", g.value, d.value),
                        g.span,
                    ),
                    None => (
                        d.value,
                        format!(
                            "the review meeting on {}; `given` not recorded, so the meeting date stands in",
                            d.value
                        ),
                        d.span,
                    ),
                };
                if start.as_ref().is_none_or(|s| date > s.0) {
                    start = Some((date, basis, r.path.clone(), Some(span)));
                }
            }
            if let Some((date, basis, file, span)) = start {
                push(
                    "WAL-IDP-REVIEW",
                    "annual-review",
                    within_12_months(date),
                    format!("the 12-month period starting with {basis}"),
                    file,
                    span,
                );
            }
        }
        _ => {}
    }
    out
}

/// The outcomes of the rules about the school itself (`Scope::School`): the
/// designation of a SENCO (ENG-SENCO) or ALNCo (WAL-ALNCO) in senco.toml, and
/// in England the SENCO's qualification from staff.yaml. `compliance` lists
/// them; `check` and the checklist give the same answers.
pub fn school_outcomes(settings: &Settings, staff: &[crate::model::Staff], today: NaiveDate) -> Vec<eval::Outcome> {
    let juris = settings.school.jurisdiction;
    let mut out = Vec::new();
    for r in pack(juris).iter().filter(|r| r.scope == Scope::School) {
        if configured(settings, r.code, r.severity).is_none() {
            continue;
        }
        let named = settings.school.senco.as_deref().map(str::trim).filter(|s| !s.is_empty());
        out.push(eval::Outcome {
            rule: r,
            status: if named.is_some() { eval::Status::Met } else { eval::Status::NotMet },
            due: None,
            detail: match named {
                Some(n) => format!("senco.toml names {n} as the coordinator"),
                None => "no coordinator is named (`senco` under [school] in senco.toml)".to_string(),
            },
            words: None,
            file: crate::repo::SETTINGS_FILE.to_string(),
            span: None,
        });
        if r.code == "ENG-SENCO" {
            out.extend(england::senco_outcomes(settings, staff, today));
        }
    }
    out
}

/// Turns a rule outcome into a finding for `senco check`, at the severity
/// the school configured: overdue, not met, and due within `warn_days` are
/// findings; not recorded is `info`; met is silent.
pub fn outcome_finding(settings: &Settings, o: &eval::Outcome, today: NaiveDate) -> Option<Finding> {
    use eval::Status;
    let severity = configured(settings, o.rule.code, o.rule.severity)?;
    let (severity, message) = match o.status {
        Status::Met | Status::NotApplicable => return None,
        Status::NotRecorded => (Severity::Info, format!("not recorded: {}", o.detail)),
        Status::NotMet => (severity, o.detail.clone()),
        Status::Due | Status::Overdue => {
            let days = o.days(today).unwrap_or(0);
            let when = match days {
                d if d < 0 => format!("overdue by {} days", -d),
                0 => "due today".to_string(),
                d => format!("due in {d} days"),
            };
            (severity, format!("{when}: {}", o.detail))
        }
    };
    Some(Finding::new(severity, o.rule.code, o.file.clone(), o.span, message).with_hint(format!(
        "{} ({}); `senco explain {}` says more",
        o.rule.statement.trim_end_matches('.'),
        o.rule.source,
        o.rule.code
    )))
}

#[cfg(test)]
mod tests {
    use super::RULES;

    /// The statement a parent reads in the pupil's checklist (`plain`, else
    /// `statement`) speaks no return's codes: no one-letter code such as the
    /// census's E, K and N, no `rank-1`, no need code (issue 14, round 2,
    /// point 6). The school's checklist keeps the coded statement.
    #[test]
    fn the_parents_statement_of_every_rule_has_no_codes() {
        for r in RULES.iter() {
            let s = r.plain.unwrap_or(r.statement);
            for w in s.split(|c: char| !c.is_alphanumeric() && c != '-') {
                let letter = w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()) && w != "A" && w != "I";
                let need_code = crate::model::census::ENGLAND_TYPES.iter().any(|t| t.eq_ignore_ascii_case(w));
                assert!(!letter && !w.starts_with("rank-") && !need_code, "{}: `{w}` in {s:?}", r.code);
            }
        }
        let census = RULES.iter().find(|r| r.code == "ENG-CENSUS").unwrap();
        assert!(census.statement.contains("K (SEN support)"), "the SENCO's statement keeps the codes");
    }
}
