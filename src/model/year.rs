//! Year groups as schools write them. The stored value is a number
//! (Reception 0, nursery -1, N1 -2; US kindergarten 0, pre-K -1), but
//! records and the command line also accept `R`, `N1`, `N2`, `Y5`,
//! `Year 5`, `K`, `Grade 5`; documents say "Reception" and "Year 5".

use super::settings::Jurisdiction;

/// The year group a text names, or `None`: `5`, `-1`, `R`, `Reception`,
/// `N`, `N1`, `N2`, `Nursery`, `Y5`, `Year 5`, `K`, `Pre-K`, `Grade 5`,
/// ignoring case and spaces.
pub fn parse(text: &str) -> Option<i64> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    let named = match t.as_str() {
        "r" | "rec" | "reception" | "yr" | "k" | "kindergarten" => Some(0),
        "n" | "n2" | "nursery" | "nursery2" | "fs1" | "pk" | "pre-k" | "prek" => Some(-1),
        "n1" | "nursery1" => Some(-2),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let digits = ["year", "grade", "yr", "y", "g"].iter().find_map(|p| t.strip_prefix(p))?;
    digits.parse::<i64>().ok().filter(|n| (1..=15).contains(n))
}

/// The examples an error message gives.
pub const EXAMPLES: &str = "`5`, `Y5`, `R` (Reception), `N1` or `N2` (nursery)";

/// The year group in words, as documents for parents say it.
pub fn in_words(j: Jurisdiction, year: i64) -> String {
    match (j, year) {
        (Jurisdiction::UsIdea, -1) => "Pre-K".into(),
        (Jurisdiction::UsIdea, 0) => "Kindergarten".into(),
        (Jurisdiction::UsIdea, n) => format!("Grade {n}"),
        (_, -2) => "Nursery (N1)".into(),
        (_, -1) => "Nursery".into(),
        (_, 0) => "Reception".into(),
        (_, n) => format!("Year {n}"),
    }
}

/// The year group as a table cell or a staff page shows it: what the school
/// calls the year. England and Wales: `R` (Reception), `N2` (nursery),
/// `N1`; the US: `K` (kindergarten), `PK` (pre-K); other years as their
/// number. JSON keeps the number.
pub fn short(j: Jurisdiction, year: i64) -> String {
    match (j, year) {
        (Jurisdiction::UsIdea, -1) => "PK".into(),
        (Jurisdiction::UsIdea, 0) => "K".into(),
        (Jurisdiction::UsIdea, n) => n.to_string(),
        (_, -2) => "N1".into(),
        (_, -1) => "N2".into(),
        (_, 0) => "R".into(),
        (_, n) => n.to_string(),
    }
}

/// How to write `year` in a record whose old value was written `old`:
/// a number stays a number; `R`, `N1`, `Y5` style stays that style.
pub fn written_like(old: &str, year: i64) -> String {
    let old = old.trim();
    if old.parse::<i64>().is_ok() || parse(old).is_none() {
        return year.to_string();
    }
    let lower = old.to_ascii_lowercase();
    let words = lower.starts_with("year") || lower.starts_with("reception") || lower.starts_with("nursery");
    match (year, words) {
        (-2, false) => "N1".into(),
        (-1, false) => "N2".into(),
        (0, false) => "R".into(),
        (-2, true) => "Nursery 1".into(),
        (-1, true) => "Nursery".into(),
        (0, true) => "Reception".into(),
        (n, true) if n > 0 => format!("Year {n}"),
        (n, _) if n > 0 => format!("Y{n}"),
        (n, _) => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_groups_as_schools_write_them() {
        for (t, y) in [
            ("5", Some(5)),
            ("-1", Some(-1)),
            ("R", Some(0)),
            ("reception", Some(0)),
            ("N1", Some(-2)),
            ("n2", Some(-1)),
            ("Y5", Some(5)),
            ("Year 11", Some(11)),
            ("y 3", Some(3)),
            ("K", Some(0)),
            ("Grade 4", Some(4)),
            ("Y0", None),
            ("five", None),
            ("", None),
            ("4B", None),
        ] {
            assert_eq!(parse(t), y, "{t}");
        }
        assert_eq!(in_words(Jurisdiction::England, 0), "Reception");
        assert_eq!(in_words(Jurisdiction::Wales, 5), "Year 5");
        assert_eq!(in_words(Jurisdiction::UsIdea, 0), "Kindergarten");
        assert_eq!([-2, -1, 0, 1, 11].map(|y| short(Jurisdiction::England, y)), ["N1", "N2", "R", "1", "11"]);
        assert_eq!([-2, -1, 0, 4].map(|y| short(Jurisdiction::Wales, y)), ["N1", "N2", "R", "4"]);
        assert_eq!([-1, 0, 4].map(|y| short(Jurisdiction::UsIdea, y)), ["PK", "K", "4"]);
        // Every short form reads back as the same year group.
        for y in -2..=15 {
            for j in [Jurisdiction::England, Jurisdiction::Wales, Jurisdiction::UsIdea] {
                if j != Jurisdiction::UsIdea || y >= -1 {
                    assert_eq!(parse(&short(j, y)), Some(y), "{j:?} {y}");
                }
            }
        }
        assert_eq!(
            ["4", "R", "N1", "N2", "Y5", "Year 5", "Reception"].map(|o| written_like(o, parse(o).unwrap() + 1)),
            ["5", "Y1", "N2", "R", "Y6", "Year 6", "Year 1"]
        );
    }
}
