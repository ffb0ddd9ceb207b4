//! Date arithmetic as the statutes count it.

use chrono::{Days, Months, NaiveDate};

/// The same day `n` months later, clamped to the month's last day
/// (31 January + 1 month = 28 or 29 February).
pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

/// The last day of "a period of `n` months starting with `d`", by the
/// corresponding-date rule (Dodds v Walker [1981]): the day before the date
/// that bears `d`'s number `n` months on; where that month has no such date
/// (31 March + 1 month, 29 February + 12 months), its last day. So 31 January
/// 2026 + 12 months ends 30 January 2027, 29 February 2024 + 12 months ends
/// 28 February 2025, 31 March + 1 month ends 30 April, 1 March 2023 + 12
/// months ends 29 February 2024.
pub fn within_months(d: NaiveDate, n: u32) -> NaiveDate {
    use chrono::Datelike;
    let c = add_months(d, n);
    if c == NaiveDate::MAX || c.day() != d.day() {
        c
    } else {
        c.pred_opt().unwrap_or(c)
    }
}

/// The last day "within 12 months" of `d` ([`within_months`]).
pub fn within_12_months(d: NaiveDate) -> NaiveDate {
    within_months(d, 12)
}

/// The same day `n` years later, clamped like [`add_months`]; `NaiveDate::MAX`
/// when that is past the last date chrono can hold (a huge `retention_years`
/// or `age_of_majority` in senco.toml must not overflow).
pub fn add_years(d: NaiveDate, n: u32) -> NaiveDate {
    n.checked_mul(12).map_or(NaiveDate::MAX, |months| add_months(d, months))
}

/// The last day "within `n` years" of `d`.
pub fn within_years(d: NaiveDate, n: u32) -> NaiveDate {
    n.checked_mul(12).map_or(NaiveDate::MAX, |months| within_months(d, months))
}

pub fn add_weeks(d: NaiveDate, weeks: u32) -> NaiveDate {
    add_days(d, 7 * weeks as u64)
}

pub fn add_days(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn twelve_months_clamps_at_month_end() {
        assert_eq!(within_12_months(d("2025-05-10")), d("2026-05-09"));
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
        // 29 February has no corresponding date in 2025: the period ends on 28 February.
        assert_eq!(within_12_months(d("2024-02-29")), d("2025-02-28"));
        // 31 January 2026: the day before 31 January 2027.
        assert_eq!(within_12_months(d("2026-01-31")), d("2027-01-30"));
        // 31 March + 1 month: April has no 31st, so the period ends on 30 April.
        assert_eq!(within_months(d("2026-03-31"), 1), d("2026-04-30"));
        // 1 March 2023 + 12 months: the day before 1 March 2024 is 29 February.
        assert_eq!(within_12_months(d("2023-03-01")), d("2024-02-29"));
        // 1 May + 6 months: the day before 1 November.
        assert_eq!(within_months(d("2026-05-01"), 6), d("2026-10-31"));
        assert_eq!(within_months(d("2026-09-15"), 26), d("2028-11-14"));
        assert_eq!(add_months(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(within_12_months(d("2025-12-31")), d("2026-12-30"));
    }

    #[test]
    fn years_and_weeks() {
        assert_eq!(within_years(d("2023-03-01"), 3), d("2026-02-28"));
        assert_eq!(add_weeks(d("2025-12-08"), 12), d("2026-03-02"));
    }

    #[test]
    fn huge_year_counts_saturate_instead_of_overflowing() {
        assert_eq!(add_years(d("2010-03-14"), 31), d("2041-03-14"));
        assert_eq!(add_years(d("2010-03-14"), u32::MAX), NaiveDate::MAX);
        assert_eq!(add_years(d("2010-03-14"), 4_000_000_000), NaiveDate::MAX);
        assert_eq!(within_years(d("2010-03-14"), u32::MAX), NaiveDate::MAX);
        assert_eq!(add_weeks(d("2010-03-14"), u32::MAX), NaiveDate::MAX);
    }
}

/// Whole years between `dob` and `on` (a birthday on 29 February counts on
/// 28 February in other years).
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

/// The date `n` school days after `start`: school days are weekdays inside a
/// term (both ends counted); `start` itself is day 0. `None` when the terms run
/// out before `n` school days.
pub fn add_school_days(start: NaiveDate, n: u32, terms: &[(NaiveDate, NaiveDate)]) -> Option<NaiveDate> {
    use chrono::{Datelike, Weekday};
    let mut day = start;
    let mut counted = 0;
    let last = terms.iter().map(|t| t.1).max()?;
    while counted < n {
        day = day.succ_opt()?;
        if day > last {
            return None;
        }
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if weekday && terms.iter().any(|(s, e)| *s <= day && day <= *e) {
            counted += 1;
        }
    }
    Some(day)
}

#[cfg(test)]
mod more_tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn thirty_five_school_days_across_a_half_term_by_hand() {
        // Autumn 1 to Fri 2026-10-23, half term 10-26..10-30, Autumn 2 from Mon 2026-11-02.
        let terms = [(d("2026-09-01"), d("2026-10-23")), (d("2026-11-02"), d("2026-12-18"))];
        // From Mon 2026-10-05: Tue-Fri 6..9 = 4; weeks of 12th and 19th = 14; half term and
        // weekends 0; weeks of 2, 9, 16 and 23 November = 34; Mon 2026-11-30 = 35.
        assert_eq!(add_school_days(d("2026-10-05"), 35, &terms), Some(d("2026-11-30")));
        // From Sat 2026-10-17: weekend 0; week of 19th = 5; weeks of 2..23 Nov = 25;
        // week of 30 Nov = 30; Mon 7..Fri 11 Dec = 35.
        assert_eq!(add_school_days(d("2026-10-17"), 35, &terms), Some(d("2026-12-11")));
        // A concern raised in the half term counts from the first day back: 2..27 Nov = 20.
        assert_eq!(add_school_days(d("2026-10-28"), 20, &terms), Some(d("2026-11-27")));
        // Beyond the last term: not known.
        assert_eq!(add_school_days(d("2026-12-01"), 35, &terms), None);
    }

    #[test]
    fn ages_count_birthdays() {
        assert_eq!(age_on(d("2010-03-14"), d("2026-03-13")), 15);
        assert_eq!(age_on(d("2010-03-14"), d("2026-03-14")), 16);
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 17);
        assert_eq!(age_on(d("2008-02-29"), d("2026-03-01")), 18);
    }

    #[test]
    fn school_days_skip_weekends_and_holidays() {
        let terms = [(d("2026-09-02"), d("2026-10-23")), (d("2026-11-02"), d("2026-12-18"))];
        // Wed 2 Sep + 3 school days = Mon 7 Sep.
        assert_eq!(add_school_days(d("2026-09-02"), 3, &terms), Some(d("2026-09-07")));
        // Thu 22 Oct + 2 school days crosses half term: Fri 23 Oct, then Mon 2 Nov.
        assert_eq!(add_school_days(d("2026-10-22"), 2, &terms), Some(d("2026-11-02")));
        assert_eq!(add_school_days(d("2026-12-17"), 5, &terms), None);
    }
}

/// A deadline counted in school days, and whether any of the days counted
/// came from an estimated calendar (this year's terms shifted by 52 weeks,
/// past the years the school has recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub date: NaiveDate,
    pub estimated: bool,
}

/// The school's days: terms of the current and past academic years, minus
/// closures. Built once per school from senco.toml.
#[derive(Clone, Debug)]
pub struct SchoolCalendar {
    terms: Vec<(NaiveDate, NaiveDate)>,
}

impl SchoolCalendar {
    /// `None` when senco.toml records no calendar at all.
    pub fn from_settings(settings: &crate::model::Settings) -> Option<SchoolCalendar> {
        let cal = settings.calendar.as_ref()?;
        Some(SchoolCalendar { terms: cal.terms.iter().map(|t| (t.start, t.end)).collect() })
    }

    /// The date `n` school days after `from` ("within n school days of
    /// `from`": day 1 is the first school day after `from`).
    pub fn add_school_days(&self, from: NaiveDate, n: u32) -> Option<Deadline> {
        add_school_days(from, n, &self.terms).map(|date| Deadline { date, estimated: false })
    }
}
