//! The census vocabulary (England's SEN types) and the support level in
//! force on a date, as domain-rules.md "Census on a date" reads the records.

use super::{val, Level, Pupil};
use chrono::NaiveDate;

/// England's census SEN type codes (the Common Basic Data Set). `DS`, Down
/// syndrome, is selectable from the January 2025 census; `NSA` (no
/// specialist assessment) only with SEN support.
pub const ENGLAND_TYPES: &[&str] =
    &["SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "DS", "OTH", "NSA"];

/// The first census day on which `DS` may be returned: the spring census of
/// January 2025 (its third Thursday).
pub fn ds_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 16).unwrap_or(NaiveDate::MIN)
}

/// The support level in force on a date, with a note when it rests on less
/// than the records should say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelOn {
    /// `None` when no level is known on that date (counted as no SEN).
    pub level: Option<Level>,
    pub note: Option<String>,
}

/// The level in force on `on`: the current `support.level` from
/// `support.since` (for a statutory plan, from `plan.issued` when that is
/// later); before it, the `support.history` entry in force (`{ level, from }`,
/// each until the next); before the earliest known date, none, with the note
/// "level before DATE not recorded". Without `since` (and without a plan
/// date for a plan) the current level's start is unknown: it is taken as in
/// force after the last history entry, and said so.
pub fn level_on(pupil: &Pupil, on: NaiveDate) -> LevelOn {
    let Some(support) = &pupil.support else { return LevelOn { level: None, note: None } };
    let Some(current) = val(&support.level) else { return LevelOn { level: None, note: None } };
    let since = val(&support.since);
    let issued = current.statutory().then(|| support.plan.as_ref().and_then(|p| val(&p.issued))).flatten();
    let current_from = match (since, issued) {
        (Some(s), Some(i)) => Some(s.max(i)),
        (s, i) => s.or(i),
    };
    let mut history: Vec<(NaiveDate, Level)> = support
        .history
        .iter()
        .flatten()
        .filter_map(|h| Some((val(&h.from)?, val(&h.level)?)))
        .filter(|(from, _)| current_from.is_none_or(|c| *from < c))
        .collect();
    history.sort_by_key(|(from, _)| *from);
    if current_from.is_some_and(|c| c <= on) {
        return LevelOn { level: Some(current), note: None };
    }
    if let Some((_, level)) = history.iter().rev().find(|(from, _)| *from <= on) {
        if current_from.is_none() && history.last().is_some_and(|(from, _)| *from <= on) {
            return LevelOn {
                level: Some(current),
                note: Some(format!(
                    "the date the current level began (`support.since`) is not recorded: it is taken as in force on {on}"
                )),
            };
        }
        return LevelOn { level: Some(*level), note: None };
    }
    match history.first().map(|(from, _)| *from).or(current_from) {
        Some(earliest) => LevelOn { level: None, note: Some(format!("level before {earliest} not recorded")) },
        None => LevelOn {
            level: Some(current),
            note: Some(format!(
                "the date the current level began (`support.since`) is not recorded: it is taken as in force on {on}"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::decode::{Cx, Decode};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn pupil(support: &str) -> Pupil {
        let text = format!("id: ann-lee\nname: {{ first: Ann, last: Lee }}\ndate_of_birth: 2016-01-15\nyear_group: 4\nsupport:\n{support}");
        let node = crate::repo::yaml::parse(&text).unwrap().unwrap();
        let mut cx = Cx::new("pupil.yaml");
        let p = Pupil::decode(&node, &mut cx).unwrap();
        assert!(cx.findings.is_empty(), "{:?}", cx.findings);
        p
    }

    fn on(p: &Pupil, date: &str) -> (Option<Level>, Option<String>) {
        let l = level_on(p, d(date));
        (l.level, l.note)
    }

    #[test]
    fn a_plan_counts_from_its_issue_and_sen_support_before_it_from_history() {
        // On the watch list from 2024-09-10, SEN support from 2025-01-20, the
        // EHC plan issued 2026-03-02 (support.since is the request, earlier).
        let p = pupil(
            "  level: ehcp\n  since: 2025-11-03\n  plan:\n    issued: 2026-03-02\n  history:\n    - { level: monitoring, from: 2024-09-10 }\n    - { level: sen-support, from: 2025-01-20 }\n",
        );
        // Autumn census 2025 (Thu 2 Oct): SEN support, K.
        assert_eq!(on(&p, "2025-10-02"), (Some(Level::SenSupport), None));
        // Spring census 2026 (Thu 15 Jan): the request is in, the plan is
        // not issued: still SEN support.
        assert_eq!(on(&p, "2026-01-15"), (Some(Level::SenSupport), None));
        // The day before the plan and the day itself.
        assert_eq!(on(&p, "2026-03-01"), (Some(Level::SenSupport), None));
        assert_eq!(on(&p, "2026-03-02"), (Some(Level::Ehcp), None));
        // Spring census 2025 (Thu 16 Jan): the watch list, N.
        assert_eq!(on(&p, "2025-01-16"), (Some(Level::Monitoring), None));
        // Before anything was recorded.
        assert_eq!(on(&p, "2024-05-16"), (None, Some("level before 2024-09-10 not recorded".into())));
    }

    #[test]
    fn before_sen_support_began_without_history_is_not_recorded() {
        let p = pupil("  level: sen-support\n  since: 2026-02-09\n");
        // Spring census 2026, Thu 15 Jan: before 9 Feb, nothing is known.
        assert_eq!(on(&p, "2026-01-15"), (None, Some("level before 2026-02-09 not recorded".into())));
        assert_eq!(on(&p, "2026-02-09"), (Some(Level::SenSupport), None));
        // A plan with no history: before its issue date, not recorded, even
        // though support.since is earlier.
        let e = pupil("  level: ehcp\n  since: 2025-06-01\n  plan:\n    issued: 2025-11-20\n");
        assert_eq!(on(&e, "2025-10-02"), (None, Some("level before 2025-11-20 not recorded".into())));
        assert_eq!(on(&e, "2026-01-15"), (Some(Level::Ehcp), None));
    }

    #[test]
    fn without_since_the_current_level_is_assumed_and_said() {
        let p = pupil("  level: sen-support\n");
        let (level, note) = on(&p, "2026-01-15");
        assert_eq!(level, Some(Level::SenSupport));
        assert!(note.unwrap().contains("`support.since`"));
        // With history but no since: history answers for its own span.
        let h = pupil("  level: sen-support\n  history:\n    - { level: monitoring, from: 2025-09-01 }\n");
        assert_eq!(on(&h, "2025-08-01"), (None, Some("level before 2025-09-01 not recorded".into())));
        let (level, note) = on(&h, "2025-10-02");
        assert_eq!(level, Some(Level::SenSupport));
        assert!(note.is_some());
        // A history entry dated after the current level began is ignored.
        let late =
            pupil("  level: sen-support\n  since: 2025-09-01\n  history:\n    - { level: ehcp, from: 2026-01-01 }\n");
        assert_eq!(on(&late, "2026-01-15"), (Some(Level::SenSupport), None));
    }
}
