//! Date arithmetic as the statutes count it.

use chrono::{Days, Months, NaiveDate};

/// The same day `n` months later, clamped to the month's last day
/// (31 January + 1 month = 28 or 29 February).
pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

/// The last day "within 12 months" of `d`: 12 months later, minus one day.
pub fn within_12_months(d: NaiveDate) -> NaiveDate {
    add_months(d, 12).pred_opt().unwrap_or(d)
}

/// The last day "within `n` years" of `d`.
pub fn within_years(d: NaiveDate, n: u32) -> NaiveDate {
    add_months(d, 12 * n).pred_opt().unwrap_or(d)
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
        assert_eq!(within_12_months(d("2024-02-29")), d("2025-02-27"));
        assert_eq!(add_months(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(within_12_months(d("2025-12-31")), d("2026-12-30"));
    }

    #[test]
    fn years_and_weeks() {
        assert_eq!(within_years(d("2023-03-01"), 3), d("2026-02-28"));
        assert_eq!(add_weeks(d("2025-12-08"), 12), d("2026-03-02"));
    }
}
