//! The text of new files: `senco init` and `senco new-pupil`. Comments teach
//! the format to whoever opens the file next; every file written here passes
//! `senco check` as it stands.

use crate::model::settings::Jurisdiction;
use crate::model::Level;
use chrono::{Datelike, NaiveDate, Weekday};

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
    let calendar = match jurisdiction {
        Jurisdiction::England | Jurisdiction::Wales => uk_calendar(y),
        Jurisdiction::UsIdea => us_calendar(y),
    };
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

{calendar}
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

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(chrono::Duration::days(days)).unwrap_or(d)
}

/// The `n`th Monday (or other weekday) of a month; `n = 0` is the last.
fn weekday_of_month(y: i32, m: u32, w: Weekday, n: u8) -> NaiveDate {
    if n > 0 {
        return NaiveDate::from_weekday_of_month_opt(y, m, w, n).unwrap_or(NaiveDate::MIN);
    }
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let mut d = ymd(ny, nm, 1).pred_opt().unwrap_or(NaiveDate::MIN);
    while d.weekday() != w {
        d = d.pred_opt().unwrap_or(NaiveDate::MIN);
    }
    d
}

/// Easter Sunday (Gregorian; the anonymous algorithm of 1876).
pub fn easter_sunday(y: i32) -> NaiveDate {
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

/// The first day of a term from `d`: that day, or the next Monday when it
/// falls on a Friday or a weekend.
fn term_start(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Fri => plus(d, 3),
        Weekday::Sat => plus(d, 2),
        Weekday::Sun => plus(d, 1),
        _ => d,
    }
}

/// The bank holidays of England and Wales between September of `y` and
/// August of `y + 1` that can fall on a school day, with their names.
pub fn bank_holidays(y: i32) -> Vec<(NaiveDate, &'static str)> {
    let n = y + 1;
    let new_year = match ymd(n, 1, 1).weekday() {
        Weekday::Sat => ymd(n, 1, 3),
        Weekday::Sun => ymd(n, 1, 2),
        _ => ymd(n, 1, 1),
    };
    let easter = easter_sunday(n);
    vec![
        (new_year, "New Year's Day bank holiday"),
        (plus(easter, -2), "Good Friday"),
        (plus(easter, 1), "Easter Monday"),
        (weekday_of_month(n, 5, Weekday::Mon, 1), "Early May bank holiday"),
        (weekday_of_month(n, 5, Weekday::Mon, 0), "Spring bank holiday"),
    ]
}

/// A plausible English or Welsh year from September of `y`: three terms,
/// the half terms as closures (the week of the last Monday in October, of the
/// third Monday in February, and of the spring bank holiday), two weeks at
/// Easter, and the bank holidays that fall in term. A school replaces them
/// with its local authority's dates.
pub struct UkYear {
    pub terms: [(&'static str, NaiveDate, NaiveDate); 3],
    pub half_terms: [(&'static str, NaiveDate, NaiveDate); 3],
    pub bank_holidays: Vec<(NaiveDate, &'static str)>,
}

pub fn uk_year(y: i32) -> UkYear {
    let n = y + 1;
    let week = |monday: NaiveDate| (monday, plus(monday, 4));
    let autumn_start = term_start(ymd(y, 9, 1));
    let mut autumn_end = ymd(y, 12, 21);
    while autumn_end.weekday() != Weekday::Fri {
        autumn_end = plus(autumn_end, -1);
    }
    let easter = easter_sunday(n);
    let mut summer_end = ymd(n, 7, 22);
    while matches!(summer_end.weekday(), Weekday::Sat | Weekday::Sun) {
        summer_end = plus(summer_end, -1);
    }
    let terms = [
        ("Autumn", autumn_start, autumn_end),
        ("Spring", term_start(ymd(n, 1, 4)), plus(easter, -9)),
        ("Summer", plus(easter, 8), summer_end),
    ];
    let half = [
        week(weekday_of_month(y, 10, Weekday::Mon, 0)),
        week(weekday_of_month(n, 2, Weekday::Mon, 3)),
        week(weekday_of_month(n, 5, Weekday::Mon, 0)),
    ];
    let half_terms = [
        ("Autumn half term", half[0].0, half[0].1),
        ("Spring half term", half[1].0, half[1].1),
        ("Summer half term", half[2].0, half[2].1),
    ];
    let bank_holidays = bank_holidays(y)
        .into_iter()
        .filter(|(d, _)| terms.iter().any(|t| t.1 <= *d && *d <= t.2))
        .filter(|(d, _)| !half_terms.iter().any(|h| h.1 <= *d && *d <= h.2))
        .collect();
    UkYear { terms, half_terms, bank_holidays }
}

fn uk_calendar(y: i32) -> String {
    let year = uk_year(y);
    let [autumn, spring, summer] = year.terms;
    let mut s = format!(
        "[calendar]                          # the current academic year: replace these plausible dates with your school's\n\
         year_start = {}\n\
         year_end = {}\n\
         terms = [\n",
        autumn.1, summer.2
    );
    for (name, start, end) in year.terms {
        s.push_str(&format!("  {{ name = \"{name}\", start = {start}, end = {end} }},\n"));
    }
    s.push_str(
        "]\n\
         # Days the school is closed inside its terms: not school days for deadlines counted in school days.\n\
         # A date, or a range { start = ..., end = ..., name = \"...\" }; one list may mix both.\n\
         closures = [\n",
    );
    for (name, start, end) in year.half_terms {
        s.push_str(&format!("  {{ name = \"{name}\", start = {start}, end = {end} }},\n"));
    }
    s.push_str("  # Bank holidays of England and Wales that fall in term:\n");
    for (d, name) in &year.bank_holidays {
        s.push_str(&format!("  {d},{:pad$}# {name}\n", "", pad = 14));
    }
    s.push_str("  # Your INSET days and other closures, for example:\n");
    s.push_str(&format!("  # {},{:pad$}# INSET day\n", autumn.1, "", pad = 12));
    s.push_str(&format!("  # {},{:pad$}# INSET day\n", spring.1, "", pad = 12));
    s.push_str("]\n");
    s
}

fn us_calendar(y: i32) -> String {
    let n = y + 1;
    format!(
        r#"[calendar]                          # the current academic year: adjust to your district's dates
year_start = {y}-09-01
year_end = {n}-06-18
terms = [
  {{ name = "Fall", start = {y}-09-01, end = {y}-12-18 }},
  {{ name = "Spring", start = {n}-01-05, end = {n}-06-18 }},
]
# Days the school is closed inside its terms (holidays, breaks, professional days): a date, or a
# range {{ start = ..., end = ..., name = "..." }}; one list may mix both.
closures = [
  # {y}-11-26,                      # Thanksgiving
]
"#
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

/// Everything senco writes by default stays out of git: these files hold
/// personal data copied out of the records, and the records are the truth.
pub const GITIGNORE: &str = "# senco's outputs are copies of personal data made from the records: keep only the
# records in git. Write outputs into out/ (`senco render plan ava -o out/ava.html`).
/out/
# Registers, census returns, exports, SARIF reports and rendered documents
# written at the top of the repository (`-o register.csv`, `export x.sqlite`).
/*.csv
/*.json
/*.sarif
/*.sqlite
/*.sqlite3
/*.db
/*.html
/*.htm
/*.txt
/*.md
!/README.md
# senco's lock and the journal of a change in progress (docs/upkeep.md): never commit them.
/.senco/
";

pub const WORKFLOW: &str = r#"# Checks the records on every push and pull request; problems appear as
# annotations on the changed lines. This repository holds personal data about
# children: keep it private, and give access only to staff who need it.
name: senco
on: [push, pull_request]
permissions:
  contents: read
env:
  # Where senco comes from, pinned to one version (a tag or a commit), so a
  # new release never changes what CI accepts without a review. Installed as
  # senco's README installs it, with cargo; set these to your school's copy.
  SENCO_GIT: https://github.com/your-trust/senco
  SENCO_TAG: v0.1.0                 # or pin a commit: replace `--tag "$SENCO_TAG"` below with `--rev <commit>`
  RUST_TOOLCHAIN: "1.89"
  # The folder holding senco.toml, relative to the repository root (annotations
  # then name files from the root, so they land on the right lines).
  RECORDS: .
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/senco
          key: senco-${{ env.SENCO_TAG }}-${{ env.RUST_TOOLCHAIN }}-${{ runner.os }}
      # A C compiler (for the bundled SQLite) is already on GitHub's Ubuntu runners.
      - name: Install senco
        run: |
          if ! command -v senco >/dev/null; then
            rustup toolchain install "$RUST_TOOLCHAIN" --profile minimal
            cargo +"$RUST_TOOLCHAIN" install --locked --git "$SENCO_GIT" --tag "$SENCO_TAG" senco
          fi
      - name: Check the records
        run: senco -C "$RECORDS" check --format github
"#;

/// The optional keys of `support.plan`, commented, under `issued:`.
const PLAN_OPTIONAL: &str = "    # authority: ...                 # the local authority that issued it
    # amended: YYYY-MM-DD            # optional: last amendment issued
    # named_setting: ...             # optional: the setting named in the plan
";

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
    /// `support.since`: today, or when support began (`--since`).
    pub since: NaiveDate,
}

/// Quotes text for YAML when a plain scalar would be misread (in a block;
/// inside a flow map use `surgical::yaml_flow_text`).
pub fn yaml_text(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c) || c.is_ascii_digit())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':', '-', '?', '\t'])
        && !matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off")
        && !s.chars().any(|c| c.is_control() || invisible(c));
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
                c if c.is_control() || invisible(c) => format!("\\u{:04X}", c as u32).chars().collect(),
                c => vec![c],
            })
            .collect();
        format!("\"{escaped}\"")
    }
}

/// Characters that do not show: a byte-order mark pasted into a name (which
/// YAML refuses inside a document), zero-width spaces and joiners, direction
/// marks, line and paragraph separators. Written as `\uXXXX` escapes.
pub fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Text for a `#` comment: control characters (a newline would end the
/// comment and let the rest be read as YAML) become spaces.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() || invisible(c) { ' ' } else { c }).collect()
}

pub fn pupil_files(p: &NewPupil) -> Vec<(&'static str, String)> {
    let class = p.class.map_or("# class: 4B\n".to_string(), |c| format!("class: {}\n", yaml_text(c)));
    let plan = match p.plan_issued {
        Some(d) => format!(
            "  plan:\n    issued: {d}                # date the current statutory plan was issued\n{PLAN_OPTIONAL}"
        ),
        None => format!(
            "  # plan:                          # required for statutory plans\n  #   issued: YYYY-MM-DD\n{PLAN_OPTIONAL}"
        )
        .replace("\n    # ", "\n  #   "),
    };
    let pupil = format!(
        r#"# {first} {last}: who the pupil is, their support level and who is involved.
# The format is described in senco's docs/format.md.
id: {id}
name: {{ first: {f}, last: {l} }}        # optional `preferred: ...`: the name the pupil goes by
date_of_birth: {dob}
year_group: {year}                     # a number (Reception = 0, nursery = -1), or R, N1, N2, Y5
{class}# upn: A123456789012               # optional official number; never shown unless asked
# gender: ...                         # optional, free text
# first_language: English             # optional
# joined: YYYY-MM-DD                  # optional: the date the pupil joined the school
support:
  level: {level}
  since: {since}                  # the date support at this level began: review clocks run from it
{plan}  # request:                        # optional: a statutory assessment in progress or done
  #   requested: YYYY-MM-DD
  #   decision: YYYY-MM-DD
  #   issued: YYYY-MM-DD
# key_worker: ta-jones                # a staff id from staff.yaml
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
# professionals:                     # multi-agency involvement and referrals
#   - service: Speech and language therapy
#     name: ...                       # optional
#     referred: YYYY-MM-DD            # optional
#     status: waiting                 # waiting | active | discharged | declined
#     next_contact: YYYY-MM-DD        # optional
# consent:
#   information_sharing: YYYY-MM-DD   # date consent to share information was given
# transition:                         # optional: the next setting
#   next_setting: ...
#   date: YYYY-MM-DD
# (left: and destination: are written by `senco archive`.)
"#,
        first = one_line(p.first),
        last = one_line(p.last),
        id = p.id,
        f = super::surgical::yaml_flow_text(p.first),
        l = super::surgical::yaml_flow_text(p.last),
        dob = p.dob,
        year = p.year,
        level = p.level,
        since = p.since,
    );
    let files = vec![
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
    ];
    // The first line of each record file points editors at its schema (docs/schema.md).
    files
        .into_iter()
        .map(|(rel, text)| (rel, crate::repo::schema::with_modeline(&format!("pupils/{}/{rel}", p.id), &text)))
        .collect()
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
        assert_eq!(yaml_text("\u{feff}Jo"), "\"\\uFEFFJo\"");
        assert_eq!(yaml_text("Jo -"), "\"Jo -\"");
        assert_eq!(yaml_text("Jo\u{200b}"), "\"Jo\\u200B\"");
    }

    #[test]
    fn pupil_yaml_reads_back_whatever_the_names() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for name in [
            "\u{feff}Jo",
            "Jo -",
            "Jo ",
            "Jo?",
            "a\u{2028}b",
            "Smith, Jr",
            "a}b",
            "a]b",
            "a{b",
            "l1\nsupport: x",
            "tab\t",
            "a\u{1}b",
            "😀 \"q\" #x",
        ] {
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
                since: today,
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
    fn easter_and_bank_holidays_are_the_published_ones() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for (y, e) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(y), d(e));
        }
        // 2026-27 (gov.uk): 1 Jan, 26 Mar, 29 Mar, 3 May, 31 May 2027.
        let days: Vec<_> = bank_holidays(2026).into_iter().map(|(d, _)| d.to_string()).collect();
        assert_eq!(days, ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31"]);
        // 1 January 2028 is a Saturday: the holiday is Monday 3 January.
        assert_eq!(bank_holidays(2027)[0].0, d("2028-01-03"));
    }

    #[test]
    fn init_writes_half_terms_and_bank_holidays_as_closures() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        for j in [Jurisdiction::England, Jurisdiction::Wales] {
            let s = crate::model::Settings::parse(&settings("School", j, today)).unwrap();
            let cal = s.calendar.as_ref().unwrap();
            let terms: Vec<_> = cal.terms.iter().map(|t| format!("{} {} {}", t.name, t.start, t.end)).collect();
            // Worked by hand for 2026-27: Tue 1 Sep; the Friday before
            // Christmas 18 Dec; Mon 4 Jan; Easter Sunday 28 Mar 2027, so the
            // break is Mon 22 Mar to Fri 2 Apr; the summer term ends Thu 22 Jul.
            assert_eq!(
                terms,
                ["Autumn 2026-09-01 2026-12-18", "Spring 2027-01-04 2027-03-19", "Summer 2027-04-05 2027-07-22"]
            );
            let closures: Vec<_> = cal.closures.iter().map(|c| format!("{} {}", c.start, c.end)).collect();
            // Half terms: the weeks of the last Monday in October, the third
            // Monday in February, the last Monday in May (the spring bank
            // holiday); the Early May bank holiday is the only one in term.
            assert_eq!(
                closures,
                ["2026-10-26 2026-10-30", "2027-02-15 2027-02-19", "2027-05-31 2027-06-04", "2027-05-03 2027-05-03"]
            );
        }
        // Any year makes a valid calendar: terms in order, closures inside terms.
        for y in 2020..2060 {
            let today = NaiveDate::from_ymd_opt(y, 10, 1).unwrap();
            let s = crate::model::Settings::parse(&settings("School", Jurisdiction::England, today)).unwrap();
            let cal = s.calendar.as_ref().unwrap();
            assert!(cal.terms.windows(2).all(|w| w[0].end < w[1].start && w[0].start < w[0].end), "{y}");
            assert!(cal.terms[1].end > cal.terms[1].start + chrono::Duration::days(30), "{y}");
            for c in &cal.closures {
                assert!(cal.terms.iter().any(|t| t.start <= c.start && c.end <= t.end), "{y}: {c:?}");
            }
            assert!(crate::rules::dates::SchoolCalendar::from_settings(&s).is_some());
        }
        let us = crate::model::Settings::parse(&settings("School", Jurisdiction::UsIdea, today)).unwrap();
        assert!(us.calendar.unwrap().closures.is_empty());
    }

    #[test]
    fn academic_year_starts_in_september() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(academic_year(d("2026-11-24")), 2026);
        assert_eq!(academic_year(d("2027-03-01")), 2026);
    }
}
