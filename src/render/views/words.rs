//! Plain words for documents parents and local authorities read: needs named
//! in words with the guidance abbreviation, scores with their scale, ages as
//! "7 years 0 months", statuses and dates in words. No id, code or raw value
//! of the records format reaches a document through these.

use crate::model::settings::Jurisdiction;
use crate::model::{Phase, ReferralStatus, Scale};
use chrono::NaiveDate;

/// A need's census type code (England, Wales) or IDEA category (US) in
/// words, with the abbreviation the guidance uses: `SPLD` is "Specific
/// learning difficulty (SpLD)". Unknown codes are returned as written.
pub fn need_type(j: Jurisdiction, code: &str) -> String {
    let known = match code.to_ascii_uppercase().as_str() {
        "SPLD" => Some("Specific learning difficulty (SpLD)"),
        "MLD" => Some("Moderate learning difficulty (MLD)"),
        "SLD" => Some("Severe learning difficulty (SLD)"),
        "PMLD" => Some("Profound and multiple learning difficulty (PMLD)"),
        "SEMH" => Some("Social, emotional and mental health (SEMH)"),
        "SLCN" => Some("Speech, language and communication needs (SLCN)"),
        "HI" => Some("Hearing impairment (HI)"),
        "VI" => Some("Visual impairment (VI)"),
        "MSI" => Some("Multi-sensory impairment (MSI)"),
        "PD" => Some("Physical disability (PD)"),
        "ASD" => Some("Autistic spectrum disorder (ASD)"),
        "DS" => Some("Down syndrome (DS)"),
        "OTH" => Some("Other difficulty or disability (OTH)"),
        "NSA" => Some("No specialist assessment of the type of need (NSA)"),
        _ => None,
    };
    match known {
        Some(words) if j != Jurisdiction::UsIdea => words.to_string(),
        _ if code.contains('-') || code.chars().all(|c| c.is_ascii_lowercase()) => sentence(&code.replace('-', " ")),
        _ => code.to_string(),
    }
}

/// First letter upper-case.
pub fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A number of months as an age: `84` is "7 years 0 months".
pub fn months(m: f64) -> String {
    let total = m.round() as i64;
    let (y, mo) = (total.div_euclid(12), total.rem_euclid(12));
    let years = if y == 1 { "1 year".to_string() } else { format!("{y} years") };
    let months = if mo == 1 { "1 month".to_string() } else { format!("{mo} months") };
    format!("{years} {months}")
}

/// The name of a scale in words.
pub fn scale(s: Scale) -> &'static str {
    match s {
        Scale::StandardScore => "standard score",
        Scale::ScaledScore => "scaled score",
        Scale::Percentile => "percentile",
        Scale::AgeMonths => "age equivalent",
        Scale::Raw => "raw score",
        Scale::Level => "level",
    }
}

/// A score with its scale, in words: "84 (standard score)", "45th
/// percentile" (a percentile rounded to a whole rank: 13.5 is the "14th
/// percentile"), "7 years 0 months", "23".
pub fn score(v: f64, s: Option<Scale>) -> String {
    let n = crate::render::fmt_num(v);
    match s {
        Some(Scale::AgeMonths) => months(v),
        // A percentile is read as a rank, so it is said whole: 13.5 is the "14th percentile".
        Some(Scale::Percentile) => {
            let whole = v.round();
            format!("{}{} percentile", crate::render::fmt_num(whole), ordinal_suffix(whole))
        }
        Some(Scale::StandardScore) => format!("{n} (standard score)"),
        Some(Scale::ScaledScore) => format!("{n} (scaled score)"),
        Some(Scale::Level) => format!("level {n}"),
        Some(Scale::Raw) | None => n,
    }
}

/// A change of score with its sign, in the scale's words: ages as
/// "+1 year 2 months" or "-3 months", other scales as "+6" (a change of a
/// percentile is in points, never an ordinal).
pub fn change(v: f64, s: Option<Scale>) -> String {
    let sign = if v < 0.0 { "-" } else { "+" };
    match s {
        Some(Scale::AgeMonths) if v.abs().round() < 12.0 => {
            let m = v.abs().round() as i64;
            format!("{sign}{m} month{}", if m == 1 { "" } else { "s" })
        }
        Some(Scale::AgeMonths) => format!("{sign}{}", months(v.abs())),
        _ => format!("{sign}{}", crate::render::fmt_num(v.abs())),
    }
}

/// Why an exit cannot be set against its entry (`Intervention::comparable`
/// is false), said beside the exit in every document: the request pack, the
/// review pack and the plan.
pub fn not_comparable(entry: Option<&super::MeasureView>, exit: Option<&super::MeasureView>) -> &'static str {
    fn measure(m: Option<&super::MeasureView>) -> Option<&str> {
        m.and_then(|m| m.measure.as_deref()).map(str::trim)
    }
    match (measure(entry), measure(exit)) {
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => "another scale: cannot be compared with the start",
        _ => "another measure: cannot be compared with the start",
    }
}

fn ordinal_suffix(v: f64) -> &'static str {
    if v.fract() != 0.0 {
        return "";
    }
    let n = v.abs() as i64;
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

pub fn referral_status(s: ReferralStatus) -> &'static str {
    match s {
        ReferralStatus::Waiting => "Waiting",
        ReferralStatus::Active => "Involved now",
        ReferralStatus::Discharged => "Discharged",
        ReferralStatus::Declined => "Declined",
    }
}

pub fn phase(p: Phase) -> &'static str {
    match p {
        Phase::InfantJunior => "Infant to junior school",
        Phase::PrimarySecondary => "Primary to secondary school",
        Phase::SecondaryPost16 => "Secondary school to post-16",
        Phase::Post16Post16 => "One post-16 setting to another",
        Phase::Other => "Another move",
    }
}

/// `2026-10-14` as "14 October 2026".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// Free text with every `YYYY-MM-DD` date in it written in words, for texts
/// the rules compose ("12 weeks after the review on 2026-10-14").
pub fn dates_in_words(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < b.len() {
        if i + 10 <= b.len() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            if let Ok(d) = NaiveDate::parse_from_str(&s[i..i + 10], "%Y-%m-%d") {
                if s[i..i + 10].bytes().all(|c| c.is_ascii_digit() || c == b'-') {
                    out.push_str(&long_date(d));
                    i += 10;
                    // A review file's slug after its date (`2026-10-07-annual`) is part of the name.
                    if b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(u8::is_ascii_lowercase) {
                        i += 1;
                        while i < b.len() && (b[i].is_ascii_lowercase() || b[i].is_ascii_digit() || b[i] == b'-') {
                            i += 1;
                        }
                    }
                    continue;
                }
            }
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// A census code or other upper-case need code inside a text, in words.
pub fn codes_in_words(j: Jurisdiction, s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            let upper = word.chars().all(|c| c.is_ascii_uppercase()) && word.len() >= 2;
            let w = need_type(j, word);
            if upper && w != *word {
                out.push_str(&w);
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_in_words_with_the_guidance_abbreviation() {
        assert_eq!(need_type(Jurisdiction::England, "SPLD"), "Specific learning difficulty (SpLD)");
        assert_eq!(need_type(Jurisdiction::England, "slcn"), "Speech, language and communication needs (SLCN)");
        assert_eq!(need_type(Jurisdiction::UsIdea, "specific-learning-disability"), "Specific learning disability");
        assert_eq!(need_type(Jurisdiction::England, "Dyslexia"), "Dyslexia");
    }

    /// Every census SEN type the records accept has words (issue 14.5).
    #[test]
    fn every_census_type_has_words() {
        for code in crate::model::census::ENGLAND_TYPES {
            let words = need_type(Jurisdiction::England, code);
            assert_ne!(words, *code, "{code} has no words");
            assert!(words.to_ascii_uppercase().ends_with(&format!("({code})")), "{words}");
            assert_eq!(need_type(Jurisdiction::Wales, &code.to_ascii_lowercase()), words, "{code} in any case");
        }
        assert_eq!(
            codes_in_words(Jurisdiction::England, "types DS and MSI"),
            "types Down syndrome (DS) and Multi-sensory impairment (MSI)"
        );
    }

    #[test]
    fn ages_and_scores_in_words() {
        assert_eq!(months(84.0), "7 years 0 months");
        assert_eq!(months(97.0), "8 years 1 month");
        assert_eq!(score(84.0, Some(Scale::AgeMonths)), "7 years 0 months");
        assert_eq!(score(42.0, Some(Scale::Percentile)), "42nd percentile");
        assert_eq!(score(11.0, Some(Scale::Percentile)), "11th percentile");
        // Round 2, G: a percentile is said as a whole rank, never "13.5 percentile".
        assert_eq!(score(13.5, Some(Scale::Percentile)), "14th percentile");
        assert_eq!(score(12.4, Some(Scale::Percentile)), "12th percentile");
        assert_eq!(score(78.0, Some(Scale::StandardScore)), "78 (standard score)");
        assert_eq!(score(23.0, None), "23");
    }

    #[test]
    fn dates_and_codes_inside_texts() {
        assert_eq!(
            dates_in_words("12 weeks after the review on 2026-10-14; due 2027-01-06."),
            "12 weeks after the review on 14 October 2026; due 6 January 2027."
        );
        assert_eq!(dates_in_words("id 12026-10-14x"), "id 12026-10-14x");
        assert_eq!(dates_in_words("the review of 2026-10-07-annual)"), "the review of 7 October 2026)");
        assert_eq!(
            codes_in_words(Jurisdiction::England, "primary type SPLD, SENCO"),
            "primary type Specific learning difficulty (SpLD), SENCO"
        );
    }
}
