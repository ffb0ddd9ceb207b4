//! The cost of a pupil's place on an intervention (docs/format.md, "Cost").
//! Figures are never rounded here; round only when showing them.

use super::{val, Intervention, Provision, Settings, Staff};
use chrono::NaiveDate;

/// The hourly rate: the intervention's staff member's, else the catalogue
/// entry's, else `costs.default_hourly_rate`.
pub fn hourly_rate(settings: &Settings, staff: Option<&Staff>, provision: Option<&Provision>) -> f64 {
    staff
        .and_then(|s| val(&s.hourly_rate))
        .or_else(|| provision.and_then(|p| val(&p.hourly_rate)))
        .unwrap_or(settings.costs.default_hourly_rate)
}

/// Sessions per week and minutes per session, falling back to the catalogue's defaults.
pub fn sessions_and_minutes(iv: &Intervention, provision: Option<&Provision>) -> (f64, f64) {
    let sessions =
        val(&iv.sessions_per_week).or_else(|| provision.and_then(|p| val(&p.default_sessions_per_week))).unwrap_or(0.0);
    let minutes = val(&iv.minutes).or_else(|| provision.and_then(|p| val(&p.default_minutes))).unwrap_or(0.0);
    (sessions, minutes)
}

/// Weekly cost of one pupil's place.
pub fn weekly(settings: &Settings, iv: &Intervention, staff: Option<&Staff>, provision: Option<&Provision>) -> f64 {
    let (sessions, minutes) = sessions_and_minutes(iv, provision);
    let group = val(&iv.group_size).filter(|g| *g > 0.0).unwrap_or(1.0);
    sessions * minutes / 60.0 * hourly_rate(settings, staff, provision) / group
}

/// Yearly cost of one pupil's place over the academic year in senco.toml:
/// weekly × weeks_per_year × (days run inside the year / days of the year),
/// plus the catalogue's fixed `cost_per_pupil`.
pub fn yearly(settings: &Settings, iv: &Intervention, staff: Option<&Staff>, provision: Option<&Provision>) -> f64 {
    let fixed = provision.and_then(|p| val(&p.cost_per_pupil)).unwrap_or(0.0);
    let Some(cal) = &settings.calendar else { return fixed };
    let Some(start) = val(&iv.start) else { return fixed };
    let end = val(&iv.end).unwrap_or(cal.year_end);
    let run = overlap_days(start, end, cal.year_start, cal.year_end);
    if run == 0 {
        // Not running this academic year: no share of its yearly fixed cost either.
        return 0.0;
    }
    let share = run as f64 / days(cal.year_start, cal.year_end).max(1) as f64;
    weekly(settings, iv, staff, provision) * settings.costs.weeks_per_year * share + fixed
}

/// The cost of one pupil's place over the whole time it ran: from `start`
/// to `end` (or `until`, normally today, when it is ongoing or ends later),
/// at the same daily rate as [`yearly`] (weekly × `weeks_per_year` spread
/// over the days of the academic year, or over 365 days without a
/// `[calendar]`), plus the catalogue's fixed `cost_per_pupil` once. Used for
/// the impact of interventions that ran in past years, which [`yearly`]
/// (this academic year only) would count as free.
pub fn over_run(
    settings: &Settings,
    iv: &Intervention,
    staff: Option<&Staff>,
    provision: Option<&Provision>,
    until: NaiveDate,
) -> f64 {
    let fixed = provision.and_then(|p| val(&p.cost_per_pupil)).unwrap_or(0.0);
    let Some(start) = val(&iv.start) else { return fixed };
    let end = val(&iv.end).map_or(until, |e| e.min(until));
    if end < start {
        // Not started by `until`: it has cost nothing yet, its `cost_per_pupil` included.
        return 0.0;
    }
    let year_days = settings.calendar.as_ref().map_or(365, |c| days(c.year_start, c.year_end).max(1)) as f64;
    weekly(settings, iv, staff, provision) * settings.costs.weeks_per_year * days(start, end) as f64 / year_days + fixed
}

/// The yearly cost of a pupil's additional provision: [`yearly`] summed over
/// every intervention in the pupil's record (ended ones included: what ran
/// this academic year cost this year). The one definition behind `check`'s
/// `ENG-COST`, `show`'s yearly total, the provision map's pupil rows and the
/// checklist; `staff` and `provision` look an intervention's ids up.
pub fn pupil_yearly<'a>(
    settings: &Settings,
    interventions: &'a [Intervention],
    staff: impl Fn(&'a Intervention) -> Option<&'a Staff>,
    provision: impl Fn(&'a Intervention) -> Option<&'a Provision>,
) -> f64 {
    // `+ 0.0`: an empty sum is -0.0, which would show as "-0.00".
    interventions.iter().map(|iv| yearly(settings, iv, staff(iv), provision(iv))).sum::<f64>() + 0.0
}

/// Whether a place runs on `day` (started on or before it, not ended before it).
pub fn runs_on(iv: &Intervention, day: NaiveDate) -> bool {
    val(&iv.start).is_some_and(|s| s <= day) && val(&iv.end).is_none_or(|e| e >= day)
}

/// One pupil's place as a member of staff's time sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// What makes places one group: the catalogue id, else the intervention's name.
    pub provision: String,
    pub sessions: f64,
    pub minutes: f64,
    /// `group_size`, 1 when not recorded.
    pub group: f64,
}

impl Place {
    pub fn of(iv: &Intervention, provision: Option<&Provision>) -> Place {
        let (sessions, minutes) = sessions_and_minutes(iv, provision);
        let key = super::text(&iv.provision).or_else(|| super::text(&iv.name)).or_else(|| super::text(&iv.id));
        Place {
            provision: key.unwrap_or_default().to_string(),
            sessions,
            minutes,
            group: val(&iv.group_size).filter(|g| *g > 0.0).unwrap_or(1.0),
        }
    }
}

/// A member of staff's minutes a week for a set of places they deliver.
/// Places on the same provision with the same sessions a week, minutes and
/// group size are one group, and a group session takes the whole session
/// of the staff member's time, however many of its pupils have records here:
/// n such places make ⌈n ÷ group size⌉ groups, each sessions × minutes.
/// (A pupil's *cost* is still their share, [`weekly`] ÷ group size.)
pub fn staff_minutes<'a>(places: impl IntoIterator<Item = &'a Place>) -> f64 {
    let mut groups: std::collections::BTreeMap<(&str, u64, u64, u64), usize> = std::collections::BTreeMap::new();
    for p in places {
        *groups
            .entry((p.provision.as_str(), p.sessions.to_bits(), p.minutes.to_bits(), p.group.to_bits()))
            .or_default() += 1;
    }
    groups
        .into_iter()
        .map(|((_, s, m, g), n)| {
            let (s, m, g) = (f64::from_bits(s), f64::from_bits(m), f64::from_bits(g));
            (n as f64 / g).ceil() * s * m
        })
        // `+ 0.0`: an empty f64 sum is -0.0, which would print as `-0`.
        .sum::<f64>()
        + 0.0
}

/// Money as shown and as every JSON output gives it: 2 decimals, from
/// unrounded sums.
pub fn round_money(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// An amount for a parent to read: the currency's sign for the common ones
/// (`£6,000.00`), else the amount and the currency as written; thousands
/// separated, 2 decimals, never a negative zero.
pub fn money_in_words(x: f64, currency: &str) -> String {
    let x = round_money(x) + 0.0;
    let cents = format!("{:.2}", x.abs());
    let (whole, frac) = cents.split_once('.').unwrap_or((&cents, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    match currency.trim().to_ascii_uppercase().as_str() {
        "GBP" => format!("{sign}£{grouped}.{frac}"),
        "EUR" => format!("{sign}€{grouped}.{frac}"),
        "USD" => format!("{sign}${grouped}.{frac}"),
        other => format!("{sign}{grouped}.{frac} {other}"),
    }
}

/// Minutes as shown and as every JSON output gives them: whole minutes.
pub fn round_minutes(x: f64) -> f64 {
    x.round()
}

/// Hours a week from minutes a week, as shown: 2 decimals.
pub fn hours(minutes: f64) -> f64 {
    round_money(minutes / 60.0)
}

/// Days in [a0, a1] ∩ [b0, b1], both ends counted.
pub fn overlap_days(a0: NaiveDate, a1: NaiveDate, b0: NaiveDate, b1: NaiveDate) -> i64 {
    let (s, e) = (a0.max(b0), a1.min(b1));
    if e < s {
        0
    } else {
        days(s, e)
    }
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_for_a_parent_has_its_sign_and_no_negative_zero() {
        assert_eq!(money_in_words(6000.0, "GBP"), "£6,000.00");
        assert_eq!(money_in_words(-0.0, "GBP"), "£0.00");
        assert_eq!(money_in_words(1234567.891, "usd"), "$1,234,567.89");
        assert_eq!(money_in_words(999.995, "EUR"), "€1,000.00");
        assert_eq!(money_in_words(12.5, "CHF"), "12.50 CHF");
        let none = pupil_yearly(&settings(true), &[], |_| None, |_| None);
        assert!(none == 0.0 && none.is_sign_positive(), "{none}");
    }

    fn settings(calendar: bool) -> Settings {
        let cal = if calendar { "[calendar]\nyear_start = 2026-09-01\nyear_end = 2027-07-20\n" } else { "" };
        Settings::parse(&format!("[school]\nname = \"S\"\njurisdiction = \"england\"\n{cal}")).unwrap()
    }

    fn iv(yaml: &str) -> Intervention {
        let node = crate::repo::yaml::parse(yaml).unwrap().unwrap();
        let mut cx = crate::repo::decode::Cx::new("t.yaml");
        <Intervention as crate::repo::decode::Decode>::decode(&node, &mut cx).unwrap()
    }

    #[test]
    fn cost_yearly_by_hand_before_after_outside_and_ongoing() {
        // Year 2026-09-01..2027-07-20: 30+31+30+31+31+28+31+30+31+30+20 = 323 days.
        let s = settings(true);
        let prov = |yaml: &str| {
            let node = crate::repo::yaml::parse(yaml).unwrap().unwrap();
            let mut cx = crate::repo::decode::Cx::new("c.yaml");
            <Provision as crate::repo::decode::Decode>::decode(&node, &mut cx).unwrap()
        };
        let club = prov(
            "id: c\nname: C\ndefault_minutes: 20\ndefault_sessions_per_week: 3\nhourly_rate: 18\ncost_per_pupil: 40\n",
        );
        // Starts before the year, ends inside: 5 x 30 / 60 x 16.50 / 2 = 20.625 a week;
        // 2026-09-01..2026-10-31 = 61 days: 20.625 x 38 x 61 / 323.
        let before =
            iv("id: a\nstart: 2026-06-01\nend: 2026-10-31\nsessions_per_week: 5\nminutes: 30\ngroup_size: 2\n");
        assert!((yearly(&s, &before, None, None) - 20.625 * 38.0 * 61.0 / 323.0).abs() < 1e-9);
        // Catalogue defaults 3 x 20 at 18.00 shared by 3 = 6.00 a week; 2027-03-01..2027-07-20 = 142 days; + 40.
        let after = iv("id: b\nprovision: c\nstart: 2027-03-01\nend: 2027-12-31\ngroup_size: 3\n");
        assert!((weekly(&s, &after, None, Some(&club)) - 6.0).abs() < 1e-9);
        assert!((yearly(&s, &after, None, Some(&club)) - (6.0 * 38.0 * 142.0 / 323.0 + 40.0)).abs() < 1e-9);
        // Ended before the year began: no days, and no per-pupil fixed cost for this year.
        let past = iv("id: c\nprovision: c\nstart: 2026-01-05\nend: 2026-07-15\ngroup_size: 4\n");
        assert_eq!(yearly(&s, &past, None, Some(&club)), 0.0);
        // Starts after the year: likewise nothing.
        let later = iv("id: d\nprovision: c\nstart: 2027-09-01\n");
        assert_eq!(yearly(&s, &later, None, Some(&club)), 0.0);
        // Ongoing from 2026-11-02 to year_end: 29+31+31+28+31+30+31+30+20 = 261 days;
        // 4 x 15 / 60 x 16.50 / 5 = 3.30 a week.
        let ongoing = iv("id: e\nstart: 2026-11-02\nsessions_per_week: 4\nminutes: 15\ngroup_size: 5\n");
        assert!((yearly(&s, &ongoing, None, None) - 3.3 * 38.0 * 261.0 / 323.0).abs() < 1e-9);
    }

    #[test]
    fn staff_minutes_count_a_group_session_whole() {
        let p =
            |prov: &str, s: f64, m: f64, g: f64| Place { provision: prov.into(), sessions: s, minutes: m, group: g };
        // Two of a group of 4 recorded: the staff member still runs the whole 3 x 20 min.
        assert_eq!(staff_minutes(&[p("salt", 3.0, 20.0, 4.0), p("salt", 3.0, 20.0, 4.0)]), 60.0);
        // Five places in groups of 4: two groups.
        assert_eq!(staff_minutes(&vec![p("salt", 3.0, 20.0, 4.0); 5]), 120.0);
        // 1:1 places each take their own time; other patterns are other groups.
        assert_eq!(staff_minutes(&[p("pt", 5.0, 10.0, 1.0), p("pt", 5.0, 10.0, 1.0), p("pt", 2.0, 10.0, 2.0)]), 120.0);
        assert_eq!(staff_minutes(&[]), 0.0);
        assert_eq!((round_money(2.005 + 1e-9), round_minutes(203.58), hours(975.0)), (2.01, 204.0, 16.25));
    }

    #[test]
    fn cost_over_run_counts_past_years_that_yearly_does_not() {
        // 5 x 12 min at the default 16.50 an hour: 16.50 a week, shared by 2: 8.25.
        let s = settings(true);
        let past = iv("id: a\nstart: 2025-09-01\nend: 2026-07-20\nsessions_per_week: 5\nminutes: 12\ngroup_size: 2\n");
        assert_eq!(yearly(&s, &past, None, None), 0.0, "outside this academic year");
        // 323 days run; the academic year 2026-09-01..2027-07-20 has 323 days: a full 38 weeks.
        let until = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert!((over_run(&s, &past, None, None, until) - 8.25 * 38.0).abs() < 1e-9);
        // Ongoing: counted up to `until`; 7 days at 8.25 * 38 / 323 a day.
        let ongoing = iv("id: b\nstart: 2026-11-18\nsessions_per_week: 5\nminutes: 12\ngroup_size: 2\n");
        assert!((over_run(&s, &ongoing, None, None, until) - 8.25 * 38.0 * 7.0 / 323.0).abs() < 1e-9);
        // No calendar: a year is 365 days.
        let s = settings(false);
        assert!((over_run(&s, &ongoing, None, None, until) - 8.25 * 38.0 * 7.0 / 365.0).abs() < 1e-9);
        // Starting after `until`: nothing yet, not even a catalogue's fixed cost.
        let club = {
            let node = crate::repo::yaml::parse("id: c\nname: C\ncost_per_pupil: 40\n").unwrap().unwrap();
            let mut cx = crate::repo::decode::Cx::new("c.yaml");
            <Provision as crate::repo::decode::Decode>::decode(&node, &mut cx).unwrap()
        };
        let future = iv("id: f\nprovision: c\nstart: 2027-01-04\nsessions_per_week: 1\nminutes: 60\n");
        assert_eq!(over_run(&s, &future, None, Some(&club), until), 0.0);
    }
}
