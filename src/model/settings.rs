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
    pub delivery: DeliverySettings,
    #[serde(default)]
    pub limits: Limits,
}

/// `[delivery]`: how much of a statutory provision must be delivered before
/// `check` warns.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliverySettings {
    /// The share of the planned minutes (term so far) below which a statutory
    /// place is reported (`delivery-below`); default 0.9.
    pub warn_below: f64,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings { warn_below: 0.9 }
    }
}

/// `[limits]`: bounds on the work hostile or mistaken input can cause.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest record file read, in kilobytes (1,024 bytes); larger files are refused with a finding.
    pub max_file_kb: u64,
    /// The memory a school's own templates may use for one document, in MB
    /// (1,048,576 bytes); a template that asks for more stops with an error.
    pub template_mb: u64,
    /// The time a school's own templates may take for one document, in seconds.
    pub template_seconds: u64,
}

impl Limits {
    pub const DEFAULT_MAX_FILE_KB: u64 = 1024;
    pub const DEFAULT_TEMPLATE_MB: u64 = 2048;
    pub const DEFAULT_TEMPLATE_SECONDS: u64 = 60;

    pub fn max_file_bytes(self) -> u64 {
        self.max_file_kb.saturating_mul(1024)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_kb: Limits::DEFAULT_MAX_FILE_KB,
            template_mb: Limits::DEFAULT_TEMPLATE_MB,
            template_seconds: Limits::DEFAULT_TEMPLATE_SECONDS,
        }
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
    /// The number of pupils on the school's roll (all pupils, not only those
    /// with records here): `roll = 412`, or one count per census date,
    /// `roll = [{ date = 2026-10-01, pupils = 412 }, ...]`. Shares of the roll
    /// are computed from it; without it they are "roll not recorded".
    #[serde(default, deserialize_with = "roll")]
    pub roll: Vec<RollCount>,
    /// The school's unique reference number (England: the six-digit URN from
    /// Get Information about Schools), the key of its rows in a trust's
    /// combined exports (docs/export.md).
    #[serde(default, deserialize_with = "urn")]
    pub urn: Option<String>,
    /// Any other stable school identifier (a Welsh school number, a US NCES
    /// id, the trust's own code), used as the export key when there is no URN.
    #[serde(default, deserialize_with = "school_id")]
    pub id: Option<String>,
}

/// The number on roll on a date (`None`: the one figure, undated).
#[derive(Clone, Debug, PartialEq)]
pub struct RollCount {
    pub date: Option<NaiveDate>,
    pub pupils: u32,
}

impl School {
    /// The number on roll that applies on `day`: the latest count dated on or
    /// before it, else the undated figure, else the earliest count.
    pub fn roll_on(&self, day: NaiveDate) -> Option<&RollCount> {
        self.roll
            .iter()
            .filter(|r| r.date.is_some_and(|d| d <= day))
            .max_by_key(|r| r.date)
            .or_else(|| self.roll.iter().find(|r| r.date.is_none()))
            .or_else(|| self.roll.iter().min_by_key(|r| r.date))
    }
}

impl School {
    /// The school's key in exports: `urn`, else `id`, else the name.
    pub fn key(&self) -> &str {
        self.urn.as_deref().or(self.id.as_deref()).unwrap_or(&self.name)
    }
}

/// A school number written as a whole number or as text, as text (trimmed);
/// anything else is an error that says `expected`.
fn number_or_text<'de, D: Deserializer<'de>>(d: D, expected: &str) -> Result<String, D::Error> {
    use serde::de::Error;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrText {
        Number(i64),
        Text(String),
    }
    Ok(match NumberOrText::deserialize(d).map_err(|_| D::Error::custom(expected))? {
        NumberOrText::Number(n) => n.to_string(),
        NumberOrText::Text(s) => s.trim().to_string(),
    })
}

/// `urn = 123456` or `urn = "123456"`: six digits.
fn urn<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::de::Error;
    let text = number_or_text(d, "expected the school's URN, six digits, e.g. `urn = 123456`")?;
    if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(text))
    } else {
        Err(D::Error::custom(format!(
            "a URN is six digits (England's unique reference number), found `{text}`; \
             for another kind of school number write `id = \"...\"` instead"
        )))
    }
}

/// `id = "W6612345"`: 1 to 64 letters, digits, `-`, `_` or `.`.
fn school_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::de::Error;
    let text = number_or_text(d, "expected the school's identifier as text, e.g. `id = \"6612345\"`")?;
    let ok = (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if ok {
        Ok(Some(text))
    } else {
        Err(D::Error::custom(format!(
            "a school id is 1 to 64 letters, digits, `-`, `_` or `.`, found `{}`",
            crate::diag::render::escape_controls(&text)
        )))
    }
}

fn roll<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RollCount>, D::Error> {
    use serde::de::Error;
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Dated {
        #[serde(deserialize_with = "date")]
        date: NaiveDate,
        pupils: i64,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Roll {
        One(i64),
        Dated(Vec<Dated>),
    }
    let positive = |n: i64| {
        u32::try_from(n)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| D::Error::custom(format!("the roll must be a whole number of pupils above 0, found `{n}`")))
    };
    match Roll::deserialize(d).map_err(|_| {
        D::Error::custom(
            "expected the number on roll, e.g. `roll = 412`, or counts per date, \
             e.g. `roll = [{ date = 2027-01-21, pupils = 412 }]`",
        )
    })? {
        Roll::One(n) => Ok(vec![RollCount { date: None, pupils: positive(n)? }]),
        Roll::Dated(list) => {
            let mut out = Vec::new();
            for r in list {
                if out.iter().any(|o: &RollCount| o.date == Some(r.date)) {
                    return Err(D::Error::custom(format!("two roll counts for {}", r.date)));
                }
                out.push(RollCount { date: Some(r.date), pupils: positive(r.pupils)? });
            }
            out.sort_by_key(|r| r.date);
            Ok(out)
        }
    }
}

/// `[calendar]`: the current academic year, with the past years that
/// `rollover` keeps under `[[calendar.past]]` (oldest first).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    #[serde(deserialize_with = "date")]
    pub year_start: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub year_end: NaiveDate,
    #[serde(default)]
    pub terms: Vec<Term>,
    /// Days the school is closed inside its terms: bank holidays, INSET
    /// days, half terms written as closures.
    #[serde(default)]
    pub closures: Vec<Closure>,
    /// Earlier academic years, as rollover keeps them.
    #[serde(default, deserialize_with = "past_years")]
    pub past: Vec<PastYear>,
}

/// One kept academic year: `[[calendar.past]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PastYear {
    #[serde(deserialize_with = "date")]
    pub year_start: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub year_end: NaiveDate,
    #[serde(default)]
    pub terms: Vec<Term>,
    #[serde(default)]
    pub closures: Vec<Closure>,
    /// The byte offset of the table in senco.toml, for located errors.
    #[serde(skip)]
    pub at: usize,
}

/// A closure: one date (`2027-05-03`) or a range
/// (`{ start = 2026-10-26, end = 2026-10-30, name = "Half term" }`), both
/// ends included. `at` is its byte offset in senco.toml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closure {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub name: Option<String>,
    pub at: usize,
}

impl<'de> Deserialize<'de> for Closure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let spanned = toml::Spanned::<toml::Value>::deserialize(d)?;
        let at = spanned.span().start;
        let bad = |what: &str| {
            D::Error::custom(format!(
                "{what}: a closure is a date (`2027-05-03`) or a range \
                 (`{{ start = 2026-10-26, end = 2026-10-30, name = \"Half term\" }}`)"
            ))
        };
        let as_date = |v: &toml::Value, what: &str| match v {
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(date), None) => NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
                    .ok_or_else(|| D::Error::custom(format!("{what} is not a real date"))),
                _ => Err(D::Error::custom(format!("{what}: expected a date written YYYY-MM-DD, without a time"))),
            },
            _ => Err(bad(&format!("{what} is not a date"))),
        };
        let (start, end, name) = match spanned.get_ref() {
            v @ toml::Value::Datetime(_) => {
                let day = as_date(v, "the closure")?;
                (day, day, None)
            }
            toml::Value::Table(t) => {
                if let Some(k) = t.keys().find(|k| !matches!(k.as_str(), "start" | "end" | "name")) {
                    return Err(bad(&format!("unknown key `{k}` in a closure (expected `start`, `end`, `name`)")));
                }
                let start = as_date(t.get("start").ok_or_else(|| bad("the closure has no `start`"))?, "`start`")?;
                let end = match t.get("end") {
                    Some(v) => as_date(v, "`end`")?,
                    None => start,
                };
                let name = match t.get("name") {
                    Some(toml::Value::String(s)) => Some(s.clone()),
                    Some(_) => return Err(bad("`name` is not text")),
                    None => None,
                };
                (start, end, name)
            }
            _ => return Err(bad("not a date or a `{ start, end }` table")),
        };
        if end < start {
            return Err(D::Error::custom(format!(
                "the closure ends on {end} before it starts on {start}: one of the two dates is mistyped"
            )));
        }
        Ok(Closure { start, end, name, at })
    }
}

impl Calendar {
    /// The current year as one kept year (what rollover moves to `past`).
    pub fn this_year(&self) -> PastYear {
        PastYear {
            year_start: self.year_start,
            year_end: self.year_end,
            terms: self.terms.clone(),
            closures: self.closures.clone(),
            at: 0,
        }
    }
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
    /// US: the state's timeframe for an initial evaluation (34 CFR 300.301(c)).
    pub evaluation_days: u32,
    /// US: whether `evaluation_days` are calendar days or school days.
    pub evaluation_days_are: DayCount,
    pub retention_years: u32,
    /// US: the age from which the IEP in effect holds postsecondary goals and
    /// transition services (300.320(b): 16, or younger where the state says).
    pub transition_age: u32,
    /// US: months between reviews of a Section 504 plan (a district setting;
    /// 104.35(d) says only "periodic").
    pub section504_review_months: u32,
}

impl Default for JurisdictionKnobs {
    fn default() -> Self {
        JurisdictionKnobs {
            age_of_majority: 18,
            evaluation_days: 60,
            evaluation_days_are: DayCount::Calendar,
            retention_years: 31,
            transition_age: 16,
            section504_review_months: 12,
        }
    }
}

/// How a number of days is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DayCount {
    /// Every day of the calendar.
    Calendar,
    /// School days: weekdays inside a term of `[calendar]`, minus closures.
    School,
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

fn past_years<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PastYear>, D::Error> {
    let years = Vec::<toml::Spanned<PastYear>>::deserialize(d)?;
    Ok(years
        .into_iter()
        .map(|y| {
            let at = y.span().start;
            PastYear { at, ..y.into_inner() }
        })
        .collect())
}

impl Settings {
    pub fn parse(text: &str) -> Result<Settings, toml::de::Error> {
        toml::from_str(text)
    }
}
