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

/// A date found by counting school days, and whether any of the days counted
/// lay beyond the recorded calendars, so that it was estimated from this
/// year's calendar shifted by whole 52-week steps ("estimated from this
/// year's calendar").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub date: NaiveDate,
    pub estimated: bool,
}

/// The school's days as domain-rules.md counts them: Monday to Friday inside
/// a term of `[calendar]`, minus `[calendar] closures`; the years that
/// rollover kept under `[[calendar.past]]` answer for their own dates, and
/// any other date is read from this year's calendar moved by whole 52-week
/// steps (which keep the weekday), marked as estimated.
///
/// A calendar that lists half terms as separate terms and one that lists
/// three terms with the half terms as closures have the same school days.
#[derive(Clone, Debug)]
pub struct SchoolCalendar {
    /// Every recorded year, sorted by its first day.
    years: Vec<SchoolYear>,
    /// The current year (`[calendar]` itself), the base of estimates.
    current: SchoolYear,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct SchoolYear {
    /// The first and last day the year covers: its year_start and
    /// year_end, widened to any term written outside them.
    from: NaiveDate,
    to: NaiveDate,
    terms: Vec<(NaiveDate, NaiveDate)>,
    closures: Vec<(NaiveDate, NaiveDate)>,
}

/// Two recorded years less than this many days apart are consecutive: the
/// days between them are the summer holiday, known rather than estimated.
const HOLIDAY_GAP_DAYS: i64 = 124;

/// 52 weeks: the step between an estimated year and this one.
const STEP_DAYS: i64 = 364;

impl SchoolYear {
    fn new(
        start: NaiveDate,
        end: NaiveDate,
        terms: &[crate::model::settings::Term],
        closures: &[crate::model::settings::Closure],
    ) -> Self {
        let terms: Vec<_> = terms.iter().map(|t| (t.start, t.end)).collect();
        let from = terms.iter().map(|t| t.0).chain([start]).min().unwrap_or(start);
        let to = terms.iter().map(|t| t.1).chain([end]).max().unwrap_or(end);
        SchoolYear { from, to, terms, closures: closures.iter().map(|c| (c.start, c.end)).collect() }
    }

    fn covers(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    fn is_open(&self, d: NaiveDate) -> bool {
        use chrono::{Datelike, Weekday};
        let inside = |spans: &[(NaiveDate, NaiveDate)]| spans.iter().any(|(s, e)| *s <= d && d <= *e);
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && inside(&self.terms) && !inside(&self.closures)
    }
}

impl SchoolCalendar {
    /// The school's calendar from senco.toml; `None` when no calendar is
    /// recorded (no `[calendar]`, or one without terms: no day is known to
    /// be a school day).
    pub fn from_settings(settings: &crate::model::Settings) -> Option<SchoolCalendar> {
        let cal = settings.calendar.as_ref()?;
        if cal.terms.is_empty() {
            return None;
        }
        let current = SchoolYear::new(cal.year_start, cal.year_end, &cal.terms, &cal.closures);
        let mut years: Vec<SchoolYear> =
            cal.past.iter().map(|p| SchoolYear::new(p.year_start, p.year_end, &p.terms, &p.closures)).collect();
        years.push(current.clone());
        years.sort_by_key(|y| (y.from, y.to));
        Some(SchoolCalendar { years, current })
    }

    /// Whether `d` is a school day, and whether that was estimated.
    pub fn school_day(&self, d: NaiveDate) -> (bool, bool) {
        // The current year answers for its own days even where a kept year
        // (wrongly) overlaps it.
        if self.current.covers(d) {
            return (self.current.is_open(d), false);
        }
        if let Some(y) = self.years.iter().find(|y| y.covers(d)) {
            return (y.is_open(d), false);
        }
        // Between two consecutive recorded years: their summer holiday.
        if self
            .years
            .windows(2)
            .any(|w| w[0].to < d && d < w[1].from && (w[1].from - w[0].to).num_days() <= HOLIDAY_GAP_DAYS)
        {
            return (false, false);
        }
        let offset = (d - self.current.from).num_days();
        let steps = offset.div_euclid(STEP_DAYS);
        let same_day = d.checked_sub_signed(chrono::Duration::days(steps * STEP_DAYS));
        (same_day.is_some_and(|s| self.current.is_open(s)), true)
    }

    /// The `n`th school day after `from` ("within `n` school days of
    /// `from`": day 1 is the first school day after `from`). `None` only
    /// when no date can be reached: a calendar whose every term day is
    /// closed, or a date past the last one chrono holds.
    pub fn add_school_days(&self, from: NaiveDate, n: u32) -> Option<Deadline> {
        let mut day = from;
        let mut counted = 0;
        let mut estimated = false;
        // Two years without a school day: the calendar has none.
        let mut idle = 0;
        while counted < n {
            day = day.succ_opt()?;
            let (open, guessed) = self.school_day(day);
            estimated |= guessed;
            if open {
                counted += 1;
                idle = 0;
            } else {
                idle += 1;
                if idle > 2 * STEP_DAYS {
                    return None;
                }
            }
        }
        Some(Deadline { date: day, estimated })
    }
}

/// Checks what `[calendar]` says beyond its own shape: each closure lies in
/// the year it is listed under, and each kept year (`[[calendar.past]]`)
/// ends after it starts with terms that do too. Errors are located in
/// senco.toml; the current year's own dates are checked by
/// `rules::validate_settings`.
pub fn validate_calendar(settings: &crate::model::Settings, text: &str) -> Result<(), crate::error::Error> {
    use crate::error::Error;
    let Some(cal) = &settings.calendar else { return Ok(()) };
    let outside = |closures: &[crate::model::settings::Closure], year: &SchoolYear, which: &str| {
        closures.iter().find(|c| c.end < year.from || c.start > year.to).map(|c| {
            let what = if c.start == c.end { c.start.to_string() } else { format!("{} to {}", c.start, c.end) };
            Error::settings_at(
                text,
                c.at,
                format!("the closure {what} in {which} is outside that academic year ({} to {})", year.from, year.to),
                Some(
                    "a mistyped year? A closure belongs to the year whose terms it closes; another year's closures go \
                     under that year's [[calendar.past]]"
                        .into(),
                ),
            )
        })
    };
    let current = SchoolYear::new(cal.year_start, cal.year_end, &cal.terms, &cal.closures);
    if let Some(e) = outside(&cal.closures, &current, "[calendar]") {
        return Err(e);
    }
    for p in &cal.past {
        let which = format!("the [[calendar.past]] year starting {}", p.year_start);
        if p.year_end < p.year_start {
            return Err(Error::settings_at(
                text,
                p.at,
                format!("{which} has year_end {} before its year_start", p.year_end),
                Some("one of the two dates is mistyped".into()),
            ));
        }
        if let Some(t) = p.terms.iter().find(|t| t.end < t.start) {
            return Err(Error::settings_at(
                text,
                p.at,
                format!("in {which}, term `{}` ends on {} before it starts on {}", t.name, t.end, t.start),
                Some("one of the two dates is mistyped".into()),
            ));
        }
        let year = SchoolYear::new(p.year_start, p.year_end, &p.terms, &p.closures);
        if let Some(e) = outside(&p.closures, &year, &which) {
            return Err(e);
        }
    }
    Ok(())
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

#[cfg(test)]
mod calendar_tests {
    use super::*;
    use crate::model::Settings;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal(calendar: &str) -> SchoolCalendar {
        let text = format!("[school]\nname = \"T\"\njurisdiction = \"wales\"\n\n{calendar}");
        SchoolCalendar::from_settings(&Settings::parse(&text).unwrap()).unwrap()
    }

    /// 2026-27, three terms with the half terms, bank holidays and an INSET
    /// day as closures.
    const THREE_TERMS: &str = r#"[calendar]
year_start = 2026-09-01
year_end = 2027-07-21
terms = [
  { name = "Autumn", start = 2026-09-01, end = 2026-12-18 },
  { name = "Spring", start = 2027-01-04, end = 2027-03-19 },
  { name = "Summer", start = 2027-04-05, end = 2027-07-21 },
]
closures = [
  2026-09-01,                                                   # INSET day
  { name = "Autumn half term", start = 2026-10-26, end = 2026-10-30 },
  { name = "Spring half term", start = 2027-02-15, end = 2027-02-19 },
  2027-05-03,                                                   # Early May bank holiday
  { name = "Summer half term", start = 2027-05-31, end = 2027-06-04 },
]
"#;

    /// The same year as six half terms, with only the single days closed.
    const SIX_HALF_TERMS: &str = r#"[calendar]
year_start = 2026-09-01
year_end = 2027-07-21
terms = [
  { name = "Autumn 1", start = 2026-09-01, end = 2026-10-23 },
  { name = "Autumn 2", start = 2026-11-02, end = 2026-12-18 },
  { name = "Spring 1", start = 2027-01-04, end = 2027-02-12 },
  { name = "Spring 2", start = 2027-02-22, end = 2027-03-19 },
  { name = "Summer 1", start = 2027-04-05, end = 2027-05-28 },
  { name = "Summer 2", start = 2027-06-07, end = 2027-07-21 },
]
closures = [2026-09-01, 2027-05-03]
"#;

    #[test]
    fn six_half_terms_and_three_terms_with_closures_count_the_same() {
        let (three, six) = (cal(THREE_TERMS), cal(SIX_HALF_TERMS));
        let mut day = d("2026-08-20");
        while day <= d("2027-08-10") {
            assert_eq!(three.school_day(day), six.school_day(day), "{day}");
            for n in [1, 5, 15, 35, 60] {
                assert_eq!(three.add_school_days(day, n), six.add_school_days(day, n), "{day} + {n}");
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn thirty_five_school_days_over_a_half_term_by_hand() {
        let c = cal(THREE_TERMS);
        // Concern on Mon 2026-10-05. Day 1 is Tue 6 Oct: Tue-Fri 6..9 = 4;
        // weeks of 12 and 19 Oct = 14; half term 26..30 Oct closed; weeks of
        // 2, 9, 16, 23 Nov = 34; Mon 30 Nov = 35.
        assert_eq!(c.add_school_days(d("2026-10-05"), 35), Some(Deadline { date: d("2026-11-30"), estimated: false }));
        // Without the closures the half term would count and the deadline
        // would fall a week early (version 1's defect): Mon 23 Nov.
        let no_closures = cal(&THREE_TERMS[..THREE_TERMS.find("closures").unwrap()]);
        assert_eq!(no_closures.add_school_days(d("2026-10-05"), 35).unwrap().date, d("2026-11-23"));
    }

    #[test]
    fn a_bank_holiday_and_a_half_term_inside_the_window() {
        let c = cal(THREE_TERMS);
        // Concern on Thu 2027-04-22. Fri 23 Apr = 1; weeks of 26 Apr = 6;
        // week of 3 May without the bank holiday Mon 3 = 10; weeks of 10, 17,
        // 24 May = 25; half term 31 May..4 Jun closed; weeks of 7 and 14 Jun
        // = 35: Fri 18 Jun.
        assert_eq!(
            c.add_school_days(d("2027-04-22"), 35).unwrap(),
            Deadline { date: d("2027-06-18"), estimated: false }
        );
        // The day itself never counts, even when it is a school day; a
        // concern on a Saturday counts from Monday.
        assert_eq!(c.add_school_days(d("2026-09-04"), 1).unwrap().date, d("2026-09-07"));
        assert_eq!(c.add_school_days(d("2026-09-05"), 1).unwrap().date, d("2026-09-07"));
        // The INSET day on the first day of term is closed: day 1 after
        // Mon 31 Aug is Wed 2 Sep.
        assert_eq!(c.add_school_days(d("2026-08-31"), 1).unwrap().date, d("2026-09-02"));
    }

    #[test]
    fn a_july_leaver_counts_into_an_estimated_next_year() {
        let c = cal(THREE_TERMS);
        // Left on Fri 2027-07-16, 15 school days (file transfer): Mon 19 to
        // Wed 21 Jul = 3. The next year is not recorded: this year + 52
        // weeks starts Tue 2027-08-31, the INSET day (2026-09-01 + 52 weeks)
        // closed; Wed 1 to Fri 3 Sep = 6; week of 6 Sep = 11; Mon 13 to
        // Thu 16 Sep = 15.
        assert_eq!(c.add_school_days(d("2027-07-16"), 15), Some(Deadline { date: d("2027-09-16"), estimated: true }));
        // A count that ends inside the recorded year is not estimated.
        assert!(!c.add_school_days(d("2027-07-16"), 3).unwrap().estimated);
        // Years ahead and years behind are estimates too, never "unknown".
        assert!(c.add_school_days(d("2030-03-01"), 35).unwrap().estimated);
        let before = c.add_school_days(d("2025-10-20"), 5).unwrap();
        // 2025-10-20 + 52 weeks = 2026-10-19; that week is in term, so
        // Tue 21..Fri 24 Oct and Mon 27 Oct 2025 (the half term 26..30 Oct
        // 2026 - 52 weeks = 27..31 Oct 2025 is closed): Mon 3 Nov 2025.
        assert_eq!(before, Deadline { date: d("2025-11-03"), estimated: true });
    }

    #[test]
    fn kept_past_years_answer_for_their_own_dates() {
        // The current year is 2027-28; 2026-27 was kept by rollover.
        let text = format!(
            "[calendar]\nyear_start = 2027-09-01\nyear_end = 2028-07-20\nterms = [\n  {{ name = \"Autumn\", start = 2027-09-01, end = 2027-12-17 }},\n  {{ name = \"Spring\", start = 2028-01-04, end = 2028-03-31 }},\n  {{ name = \"Summer\", start = 2028-04-18, end = 2028-07-20 }},\n]\n\n[[calendar.past]]\n{}",
            &THREE_TERMS["[calendar]\n".len()..]
        );
        let c = cal(&text);
        // Left Fri 2027-07-16: Mon 19..Wed 21 Jul = 3 (kept year); the
        // summer holiday is known; Wed 1..Fri 3 Sep = 6 (current year, no
        // INSET day recorded); week of 6 Sep = 11; Mon 13..Thu 16 = 15.
        assert_eq!(c.add_school_days(d("2027-07-16"), 15), Some(Deadline { date: d("2027-09-16"), estimated: false }));
        // Inside the kept year its closures count: 35 from Mon 5 Oct 2026.
        assert_eq!(c.add_school_days(d("2026-10-05"), 35), Some(Deadline { date: d("2026-11-30"), estimated: false }));
    }

    #[test]
    fn a_year_missing_between_kept_years_is_estimated_but_a_summer_is_known() {
        // Current 2026-27; kept 2024-25 only (2025-26 was never kept).
        let text = format!(
            "{THREE_TERMS}\n[[calendar.past]]\nyear_start = 2024-09-03\nyear_end = 2025-07-22\nterms = [{{ name = \"Year\", start = 2024-09-03, end = 2025-07-22 }}]\n"
        );
        let c = cal(&text);
        // Inside the kept year: known.
        assert_eq!(c.school_day(d("2025-03-05")), (true, false));
        // In the missing year: this year - 52 weeks, so the autumn half
        // term 26..30 Oct 2026 is 27..31 Oct 2025: Wed 29 Oct 2025 is
        // closed, and estimated.
        assert_eq!(c.school_day(d("2025-10-29")), (false, true));
        assert_eq!(c.school_day(d("2025-11-05")), (true, true));
        // The summer before the current year follows a missing year: estimated.
        assert!(c.school_day(d("2026-08-10")).1);
        // With 2025-26 kept too, that summer is known.
        let text = format!(
            "{text}\n[[calendar.past]]\nyear_start = 2025-09-03\nyear_end = 2026-07-22\nterms = [{{ name = \"Year\", start = 2025-09-03, end = 2026-07-22 }}]\n"
        );
        let c = cal(&text);
        assert_eq!(c.school_day(d("2026-08-10")), (false, false));
        assert_eq!(c.school_day(d("2025-10-29")), (true, false));
    }

    #[test]
    fn no_calendar_no_school_days() {
        let s = |extra: &str| {
            Settings::parse(&format!("[school]\nname = \"T\"\njurisdiction = \"wales\"\n{extra}")).unwrap()
        };
        assert!(SchoolCalendar::from_settings(&s("")).is_none());
        assert!(
            SchoolCalendar::from_settings(&s("[calendar]\nyear_start = 2026-09-01\nyear_end = 2027-07-21\n")).is_none()
        );
        // Every term day closed: no date can be reached, and the count stops.
        let shut = cal("[calendar]\nyear_start = 2026-09-01\nyear_end = 2027-07-21\nterms = [{ name = \"A\", start = 2026-09-01, end = 2026-09-30 }]\nclosures = [{ start = 2026-09-01, end = 2026-09-30 }]\n");
        assert_eq!(shut.add_school_days(d("2026-09-01"), 5), None);
        assert_eq!(shut.add_school_days(NaiveDate::MAX, 1), None);
    }
}
