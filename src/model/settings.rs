//! `senco.toml`: the school's settings, with a documented default for every
//! key but `school.name` and `school.jurisdiction`.

use super::Level;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Jurisdiction {
    England,
    Wales,
    UsIdea,
}

impl Jurisdiction {
    pub fn as_str(self) -> &'static str {
        match self {
            Jurisdiction::England => "england",
            Jurisdiction::Wales => "wales",
            Jurisdiction::UsIdea => "us-idea",
        }
    }

    /// Allowed support levels, lowest to highest.
    pub fn levels(self) -> [Level; 3] {
        match self {
            Jurisdiction::England => [Level::Monitoring, Level::SenSupport, Level::Ehcp],
            Jurisdiction::Wales => [Level::Monitoring, Level::SchoolIdp, Level::LaIdp],
            Jurisdiction::UsIdea => [Level::Monitoring, Level::Section504, Level::Iep],
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub school: School,
    #[serde(default)]
    pub calendar: Option<Calendar>,
    #[serde(default)]
    pub reviews: Reviews,
    #[serde(default)]
    pub jurisdiction: JurisdictionKnobs,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
    #[serde(default)]
    pub costs: Costs,
    #[serde(default)]
    pub limits: Limits,
}

/// `[limits]`: bounds on the work hostile or mistaken input can cause.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest record file read, in kilobytes (1,024 bytes); larger files are refused with a finding.
    pub max_file_kb: u64,
}

impl Limits {
    pub const DEFAULT_MAX_FILE_KB: u64 = 1024;

    pub fn max_file_bytes(self) -> u64 {
        self.max_file_kb.saturating_mul(1024)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_kb: Limits::DEFAULT_MAX_FILE_KB }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    pub name: String,
    #[serde(default)]
    pub senco: Option<String>,
    pub jurisdiction: Jurisdiction,
    #[serde(default)]
    pub last_year_group: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    #[serde(deserialize_with = "date")]
    pub year_start: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub year_end: NaiveDate,
    #[serde(default)]
    pub terms: Vec<Term>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub name: String,
    #[serde(deserialize_with = "date")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub end: NaiveDate,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Reviews {
    pub support_review_weeks: u32,
    pub warn_days: u32,
    /// Weeks a referral may wait before `check` warns.
    pub referral_wait_weeks: u32,
}

impl Default for Reviews {
    fn default() -> Self {
        Reviews { support_review_weeks: 12, warn_days: 28, referral_wait_weeks: 18 }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JurisdictionKnobs {
    pub age_of_majority: u32,
    pub evaluation_days: u32,
    pub retention_years: u32,
}

impl Default for JurisdictionKnobs {
    fn default() -> Self {
        JurisdictionKnobs { age_of_majority: 18, evaluation_days: 60, retention_years: 31 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Warn,
    Error,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Costs {
    pub currency: String,
    pub default_hourly_rate: f64,
    pub weeks_per_year: f64,
    pub notional_threshold: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs { currency: "GBP".into(), default_hourly_rate: 16.50, weeks_per_year: 38.0, notional_threshold: 6000.0 }
    }
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    use serde::de::Error;
    let dt = toml::value::Datetime::deserialize(d)?;
    match (dt.date, dt.time) {
        (Some(date), None) => NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
            .ok_or_else(|| D::Error::custom("not a real date")),
        _ => Err(D::Error::custom("expected a date written YYYY-MM-DD, without a time")),
    }
}

impl Settings {
    pub fn parse(text: &str) -> Result<Settings, toml::de::Error> {
        toml::from_str(text)
    }
}
