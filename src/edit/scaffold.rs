//! The text of new files: `senco init` and `senco new-pupil`. Comments teach
//! the format to whoever opens the file next; every file written here passes
//! `senco check` as it stands.

use crate::model::settings::Jurisdiction;
use crate::model::Level;
use chrono::{Datelike, NaiveDate};

/// The academic year that `today` falls in, starting 1 September.
pub fn academic_year(today: NaiveDate) -> i32 {
    if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    }
}

pub fn settings(name: &str, jurisdiction: Jurisdiction, today: NaiveDate) -> String {
    let name = super::surgical::toml_string(name);
    let y = academic_year(today);
    let n = y + 1;
    let (senco_word, last_year, levels) = match jurisdiction {
        Jurisdiction::England => ("SENCO", 6, "monitoring | sen-support | ehcp"),
        Jurisdiction::Wales => ("ALNCo", 6, "monitoring | school-idp | la-idp"),
        Jurisdiction::UsIdea => ("special education coordinator", 5, "monitoring | section-504 | iep"),
    };
    let currency = if jurisdiction == Jurisdiction::UsIdea { "USD" } else { "GBP" };
    format!(
        r#"# senco settings for this records repository. Every key is described in senco's docs/format.md.

[school]
name = {name}
senco = ""                          # the designated {senco_word}, named on rendered documents
jurisdiction = "{j}"                # england | wales | us-idea: selects the rule pack (levels: {levels})
last_year_group = {last_year}                 # pupils in this year group leave at rollover
# roll = 210                       # pupils on the school's roll (all pupils, not only those with
                                    # records here); `senco stats` gives shares of the roll only with it

[calendar]                          # the current academic year: adjust to your term dates
year_start = {y}-09-01
year_end = {n}-07-22
terms = [
  {{ name = "Autumn", start = {y}-09-01, end = {y}-12-19 }},
  {{ name = "Spring", start = {n}-01-05, end = {n}-03-27 }},
  {{ name = "Summer", start = {n}-04-13, end = {n}-07-22 }},
]

[reviews]
support_review_weeks = 12           # school-based plans are reviewed at least this often
warn_days = 28                      # "due soon" window for review-due and check
referral_wait_weeks = 18            # warn when a referral has waited longer than this

[jurisdiction]
retention_years = 31                # archived records are kept until date of birth + this

[rules]                             # per-rule severity: "off" | "warn" | "error" (see `senco explain --list`)

[costs]
currency = "{currency}"
default_hourly_rate = 16.50         # used when neither the staff member nor the catalogue sets one
weeks_per_year = 38
notional_threshold = 6000           # yearly additional cost per pupil above which check warns
"#,
        j = jurisdiction.as_str()
    )
}

pub const STAFF: &str = r#"# Staff who deliver or oversee SEN provision. One entry per person:
#
# - id: ta-jones
#   name: Mrs K. Jones
#   role: teaching-assistant        # teacher | teaching-assistant | senco | specialist | external | leader
#   hourly_rate: 15.20              # optional: used for provision costs
#   training:                       # optional CPD record
#     - course: Precision teaching
#       date: 2025-09-10
[]
"#;

pub const CATALOGUE: &str = r#"# The school's menu of provision: what the provision map is built from.
#
# - id: precision-teaching
#   name: Precision Teaching
#   area: cognition-and-learning    # communication-and-interaction | cognition-and-learning |
#                                   # social-emotional-mental-health | sensory-and-physical
#   delivery: 1:1                   # 1:1 | group | whole-class | external
#   default_minutes: 10
#   default_sessions_per_week: 5
#   hourly_rate: 15.20              # optional
#   cost_per_pupil: 0               # optional fixed yearly cost (resources, licences)
[]
"#;

pub const GITIGNORE: &str = "# Rendered documents are made from the records; keep only the records in git.\n/out/\n";

pub const WORKFLOW: &str = r#"# Checks the records on every push and pull request; problems appear as
# annotations on the changed lines.
name: senco
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      # Install senco from wherever your school gets it (adjust this line).
      - run: cargo install --locked senco
      - run: senco check --format github
"#;

/// The files of a new pupil folder, relative to it.
pub struct NewPupil<'a> {
    pub id: &'a str,
    pub first: &'a str,
    pub last: &'a str,
    pub dob: NaiveDate,
    pub year: i64,
    pub level: Level,
    pub class: Option<&'a str>,
    pub plan_issued: Option<NaiveDate>,
    pub today: NaiveDate,
}

/// Quotes text for YAML when a plain scalar would be misread (in a block;
/// inside a flow map use `surgical::yaml_flow_text`).
pub fn yaml_text(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c) || c.is_ascii_digit())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':'])
        && !matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off")
        && !s.chars().any(char::is_control);
    if plain_ok {
        s.to_string()
    } else {
        let escaped: String = s
            .chars()
            .flat_map(|c| match c {
                '"' => vec!['\\', '"'],
                '\\' => vec!['\\', '\\'],
                '\n' => vec!['\\', 'n'],
                '\t' => vec!['\\', 't'],
                c if c.is_control() => format!("\\u{:04X}", c as u32).chars().collect(),
                c => vec![c],
            })
            .collect();
        format!("\"{escaped}\"")
    }
}

/// Text for a `#` comment: control characters (a newline would end the
/// comment and let the rest be read as YAML) become spaces.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

pub fn pupil_files(p: &NewPupil) -> Vec<(&'static str, String)> {
    let class = p.class.map_or("# class: 4B\n".to_string(), |c| format!("class: {}\n", yaml_text(c)));
    let plan = match p.plan_issued {
        Some(d) => format!("  plan:\n    issued: {d}                # date the current statutory plan was issued\n    # authority: ...\n"),
        None => "  # plan:                          # required for statutory plans\n  #   issued: YYYY-MM-DD\n".into(),
    };
    let pupil = format!(
        r#"# {first} {last}: who the pupil is, their support level and who is involved.
# The format is described in senco's docs/format.md.
id: {id}
name: {{ first: {f}, last: {l} }}
date_of_birth: {dob}
year_group: {year}
{class}support:
  level: {level}
  since: {today}
{plan}# key_worker: ta-jones                # a staff id from staff.yaml
# profile:                            # one-page profile, in the pupil's own words where possible
#   about_me: ...
#   strengths: [ ... ]
#   what_helps: [ ... ]
#   what_doesnt_help: [ ... ]
# contacts:
#   - name: ...
#     relationship: mother
#     parental_responsibility: true
#     phone: "..."
#     email: ...
# consent:
#   information_sharing: YYYY-MM-DD   # date consent to share information was given
"#,
        first = one_line(p.first),
        last = one_line(p.last),
        id = p.id,
        f = super::surgical::yaml_flow_text(p.first),
        l = super::surgical::yaml_flow_text(p.last),
        dob = p.dob,
        year = p.year,
        level = p.level,
        today = p.today,
    );
    vec![
        ("pupil.yaml", pupil),
        (
            "needs.yaml",
            "# Needs: one entry per need; exactly one is primary.\n#\n# - id: reading\n#   area: cognition-and-learning\n#   type: SPLD                       # census type code\n#   primary: true\n#   identified: YYYY-MM-DD\n#   description: ...\n#   strategies:\n#     - ...\n[]\n".into(),
        ),
        (
            "assessments.yaml",
            "# Assessment results over time.\n#\n# - id: yarc-2025\n#   date: YYYY-MM-DD\n#   tool: ...\n#   measure: reading accuracy\n#   score: 78\n#   scale: standard-score             # standard-score | scaled-score | percentile | age-months | raw | level\n[]\n".into(),
        ),
        (
            "targets.yaml",
            "# Targets (outcomes), each serving a need.\n#\n# - id: hfw-40\n#   need: reading\n#   outcome: ...\n#   baseline: ...\n#   success_criteria: ...\n#   set: YYYY-MM-DD\n#   due: YYYY-MM-DD\n#   status: open                      # open | achieved | partly-achieved | not-achieved | discontinued\n[]\n".into(),
        ),
        (
            "interventions.yaml",
            "# Interventions and provision received.\n#\n# - id: pt-autumn\n#   provision: precision-teaching     # a catalogue id (or give a name:)\n#   targets: [hfw-40]\n#   start: YYYY-MM-DD\n#   sessions_per_week: 5\n#   minutes: 10\n#   group_size: 1\n#   staff: ta-jones\n[]\n".into(),
        ),
        ("reviews/.gitkeep", String::new()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_text_quotes_what_would_be_misread() {
        assert_eq!(yaml_text("Ava"), "Ava");
        assert_eq!(yaml_text("O'Neil"), "O'Neil");
        assert_eq!(yaml_text("true"), "\"true\"");
        assert_eq!(yaml_text("4B"), "\"4B\"");
        assert_eq!(yaml_text("a: b"), "\"a: b\"");
        assert_eq!(yaml_text("say \"hi\""), "say \"hi\"");
        assert_eq!(yaml_text("-x"), "\"-x\"");
        assert_eq!(yaml_text("a\u{1}b"), "\"a\\u0001b\"");
    }

    #[test]
    fn pupil_yaml_reads_back_whatever_the_names() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for name in ["Smith, Jr", "a}b", "a]b", "a{b", "l1\nsupport: x", "tab\t", "a\u{1}b", "😀 \"q\" #x"] {
            let p = NewPupil {
                id: "zz-test",
                first: name,
                last: name,
                dob: today,
                year: 3,
                level: Level::SenSupport,
                class: Some(name),
                plan_issued: None,
                today,
            };
            let text = pupil_files(&p).into_iter().find(|(f, _)| *f == "pupil.yaml").unwrap().1;
            let node = crate::repo::yaml::parse(&text).unwrap().unwrap();
            let mut cx = crate::repo::decode::Cx::new("pupil.yaml");
            let pupil = <crate::model::Pupil as crate::repo::decode::Decode>::decode(&node, &mut cx).unwrap();
            assert!(cx.findings.is_empty(), "{name:?}: {:?}\n{text}", cx.findings);
            let n = pupil.name.as_ref().unwrap();
            assert_eq!(crate::model::text(&n.first), Some(name), "{text}");
            assert_eq!(crate::model::text(&n.last), Some(name), "{text}");
            assert_eq!(crate::model::text(&pupil.class), Some(name), "{text}");
        }
    }

    #[test]
    fn any_school_name_makes_valid_settings() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for name in
            ["St Mary's \"Star\" School", "a\\b", "x\"\njurisdiction = \"wales", "tab\there\u{7}\u{7f}", "😀 ] school"]
        {
            let s = crate::model::Settings::parse(&settings(name, Jurisdiction::England, today)).unwrap();
            assert_eq!(s.school.name, name);
            assert_eq!(s.school.jurisdiction, Jurisdiction::England);
        }
    }

    #[test]
    fn academic_year_starts_in_september() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(academic_year(d("2026-11-24")), 2026);
        assert_eq!(academic_year(d("2027-03-01")), 2026);
    }
}
