#![forbid(unsafe_code)]
//! Writes a realistic synthetic records repository, for benchmarks and load tests.
//!
//! ```text
//! cargo run --release --example gen -- DIR --pupils N [--seed S] [--jurisdiction england]
//! ```
//!
//! The output follows the records format (`records-format.md`) and is valid: every
//! id is unique and well formed, every reference resolves, every date is a real
//! school day in 2023-2027 (dates of birth excepted) and every interval is in
//! order. It is *not* free of warnings: like real records, some reviews are
//! overdue, some targets are past their due date, some consents are missing.
//!
//! The records read as if written on [`AS_OF`] (2026-11-20), in the academic year
//! 2026-27, so that `--today 2026-11-24` finds a realistic mix of reviews due
//! soon and overdue. Per pupil the repository holds about 6.3 files and 2.7 KB:
//! about 15% of pupils are `monitoring` (only `pupil.yaml` and `needs.yaml`),
//! 75% are on school-based support and 10% have a statutory plan.
//!
//! The generator uses only `std`. Output is a pure function of the seed and the
//! pupil count: each pupil draws from its own random stream, so the pupils can
//! be written by several threads without changing a byte.

use std::fmt::{self, Write as _};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// `writeln!` into a `String`, which cannot fail.
macro_rules! ln {
    ($buf:expr) => {{
        $buf.push('\n');
    }};
    ($buf:expr, $($arg:tt)*) => {{
        let _ = writeln!($buf, $($arg)*);
    }};
}

/// `write!` into a `String`, which cannot fail.
macro_rules! wr {
    ($buf:expr, $($arg:tt)*) => {{
        let _ = write!($buf, $($arg)*);
    }};
}

const USAGE: &str = "\
usage: gen DIR --pupils N [--seed S] [--jurisdiction england|wales|us-idea]

Writes a synthetic records repository into DIR (which must be absent or empty).
  --pupils N          number of pupils on roll (required)
  --seed S            random seed (default 1); the same seed gives the same bytes
  --jurisdiction J    england (default), wales or us-idea";

// ---------------------------------------------------------------------------
// Dates

/// A calendar date, as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Date(i32);

impl Date {
    /// Days from the civil date (Howard Hinnant's algorithm).
    const fn ymd(y: i32, m: u32, d: u32) -> Date {
        let y = if m <= 2 { y - 1 } else { y };
        let era = (if y >= 0 { y } else { y - 399 }) / 400;
        let yoe = y - era * 400;
        let mp = (if m > 2 { m - 3 } else { m + 9 }) as i32;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    fn civil(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = (if z >= 0 { z } else { z - 146_096 }) / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    fn plus(self, days: i64) -> Date {
        Date(self.0 + days as i32)
    }

    fn days_until(self, later: Date) -> i64 {
        i64::from(later.0 - self.0)
    }

    /// Monday = 0 ... Sunday = 6.
    fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The same day-of-month `months` later, clamped to the month's last day.
    fn add_months(self, months: i32) -> Date {
        let (y, m, d) = self.civil();
        let total = y * 12 + (m as i32 - 1) + months;
        let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        let last =
            Date::ymd(if nm == 12 { ny + 1 } else { ny }, if nm == 12 { 1 } else { nm + 1 }, 1).plus(-1).civil().2;
        Date::ymd(ny, nm, d.min(last))
    }

    fn year(self) -> i32 {
        self.civil().0
    }

    /// A short term label for ids: `aut26`, `spr27`, `sum26`.
    fn term_label(self) -> String {
        let (y, m, _) = self.civil();
        let season = match m {
            9..=12 => "aut",
            1..=3 => "spr",
            _ => "sum",
        };
        format!("{season}{:02}", y % 100)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// The day the synthetic records were last edited.
const AS_OF: Date = Date::ymd(2026, 11, 20);
/// Nothing in the records (dates of birth aside) is earlier than this.
const EARLIEST: Date = Date::ymd(2023, 1, 3);
/// Start of the current academic year.
const YEAR_START: Date = Date::ymd(2026, 9, 2);
/// The usual start date at the next school, for transitions.
const NEXT_SETTING_START: Date = Date::ymd(2027, 9, 1);

/// English term dates, 2022-23 to 2026-27 (half terms ignored).
const TERMS: [(Date, Date); 15] = [
    (Date::ymd(2022, 9, 5), Date::ymd(2022, 12, 16)),
    (Date::ymd(2023, 1, 3), Date::ymd(2023, 3, 31)),
    (Date::ymd(2023, 4, 17), Date::ymd(2023, 7, 21)),
    (Date::ymd(2023, 9, 5), Date::ymd(2023, 12, 20)),
    (Date::ymd(2024, 1, 4), Date::ymd(2024, 3, 28)),
    (Date::ymd(2024, 4, 15), Date::ymd(2024, 7, 23)),
    (Date::ymd(2024, 9, 4), Date::ymd(2024, 12, 20)),
    (Date::ymd(2025, 1, 6), Date::ymd(2025, 4, 4)),
    (Date::ymd(2025, 4, 22), Date::ymd(2025, 7, 22)),
    (Date::ymd(2025, 9, 3), Date::ymd(2025, 12, 19)),
    (Date::ymd(2026, 1, 5), Date::ymd(2026, 3, 27)),
    (Date::ymd(2026, 4, 13), Date::ymd(2026, 7, 22)),
    (Date::ymd(2026, 9, 2), Date::ymd(2026, 12, 18)),
    (Date::ymd(2027, 1, 4), Date::ymd(2027, 3, 26)),
    (Date::ymd(2027, 4, 12), Date::ymd(2027, 7, 21)),
];

fn in_term(d: Date) -> bool {
    TERMS.iter().any(|&(s, e)| s <= d && d <= e)
}

/// The latest school day on or before `d`.
fn school_day_on_or_before(mut d: Date) -> Date {
    for _ in 0..400 {
        if in_term(d) {
            if d.weekday() < 5 {
                return d;
            }
            d = d.plus(-1);
        } else {
            match TERMS.iter().rev().find(|&&(_, e)| e < d) {
                Some(&(_, e)) => d = e,
                None => return d,
            }
        }
    }
    d
}

/// The earliest school day on or after `d`.
fn school_day_on_or_after(mut d: Date) -> Date {
    for _ in 0..400 {
        if in_term(d) {
            if d.weekday() < 5 {
                return d;
            }
            d = d.plus(1);
        } else {
            match TERMS.iter().find(|&&(s, _)| s > d) {
                Some(&(s, _)) => d = s,
                None => return d,
            }
        }
    }
    d
}

// ---------------------------------------------------------------------------
// Randomness

/// `SplitMix64`: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` below 2^32).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// An index into `weights`, with probability proportional to its weight.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut x = self.below(weights.iter().sum());
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// `k` distinct items of `xs`, in a random order.
    fn sample<T: Copy>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut pool: Vec<T> = xs.to_vec();
        let mut out = Vec::with_capacity(k);
        while out.len() < k && !pool.is_empty() {
            out.push(pool.swap_remove(self.below(pool.len())));
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Jurisdictions

#[derive(Clone, Copy, PartialEq, Eq)]
enum Jurisdiction {
    England,
    Wales,
    UsIdea,
}

impl Jurisdiction {
    fn parse(s: &str) -> Option<Jurisdiction> {
        match s {
            "england" => Some(Jurisdiction::England),
            "wales" => Some(Jurisdiction::Wales),
            "us-idea" => Some(Jurisdiction::UsIdea),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Jurisdiction::England => "england",
            Jurisdiction::Wales => "wales",
            Jurisdiction::UsIdea => "us-idea",
        }
    }

    /// Support levels, lowest to highest; the last is the statutory plan.
    fn levels(self) -> [&'static str; 3] {
        match self {
            Jurisdiction::England => ["monitoring", "sen-support", "ehcp"],
            Jurisdiction::Wales => ["monitoring", "school-idp", "la-idp"],
            Jurisdiction::UsIdea => ["monitoring", "section-504", "iep"],
        }
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

const AREAS: [&str; 4] = [
    "communication-and-interaction",
    "cognition-and-learning",
    "social-emotional-mental-health",
    "sensory-and-physical",
];

/// (display, slug) pairs, so that names may carry accents and apostrophes.
const GIRLS: &[(&str, &str)] = &[
    ("Ava", "ava"),
    ("Amelia", "amelia"),
    ("Isla", "isla"),
    ("Olivia", "olivia"),
    ("Mia", "mia"),
    ("Freya", "freya"),
    ("Lily", "lily"),
    ("Sophia", "sophia"),
    ("Grace", "grace"),
    ("Ivy", "ivy"),
    ("Zoë", "zoe"),
    ("Aisha", "aisha"),
    ("Maja", "maja"),
    ("Chloe", "chloe"),
    ("Fatima", "fatima"),
    ("Priya", "priya"),
    ("Sienna", "sienna"),
    ("Nia", "nia"),
    ("Ellie", "ellie"),
    ("Hana", "hana"),
    ("Amara", "amara"),
    ("Ruby", "ruby"),
    ("Poppy", "poppy"),
    ("Evie", "evie"),
    ("Maryam", "maryam"),
    ("Zuzanna", "zuzanna"),
    ("Erin", "erin"),
    ("Layla", "layla"),
    ("Niamh", "niamh"),
    ("Willow", "willow"),
];

const BOYS: &[(&str, &str)] = &[
    ("Oliver", "oliver"),
    ("George", "george"),
    ("Noah", "noah"),
    ("Arthur", "arthur"),
    ("Leo", "leo"),
    ("Muhammad", "muhammad"),
    ("Harry", "harry"),
    ("Oscar", "oscar"),
    ("Jack", "jack"),
    ("Theo", "theo"),
    ("Yusuf", "yusuf"),
    ("Łukasz", "lukasz"),
    ("Ethan", "ethan"),
    ("Kofi", "kofi"),
    ("Arjun", "arjun"),
    ("Reuben", "reuben"),
    ("Dylan", "dylan"),
    ("Callum", "callum"),
    ("Mateo", "mateo"),
    ("Finley", "finley"),
    ("Ibrahim", "ibrahim"),
    ("Alfie", "alfie"),
    ("Jacob", "jacob"),
    ("Rhys", "rhys"),
    ("Tomasz", "tomasz"),
    ("Kai", "kai"),
    ("Zain", "zain"),
    ("Samuel", "samuel"),
    ("Louis", "louis"),
    ("Ayaan", "ayaan"),
];

const SURNAMES: &[(&str, &str)] = &[
    ("Brown", "brown"),
    ("Smith", "smith"),
    ("Jones", "jones"),
    ("Taylor", "taylor"),
    ("Williams", "williams"),
    ("Davies", "davies"),
    ("Evans", "evans"),
    ("Wilson", "wilson"),
    ("Thomas", "thomas"),
    ("Johnson", "johnson"),
    ("Roberts", "roberts"),
    ("Robinson", "robinson"),
    ("Wright", "wright"),
    ("Walker", "walker"),
    ("Patel", "patel"),
    ("Khan", "khan"),
    ("Ali", "ali"),
    ("Hussain", "hussain"),
    ("Begum", "begum"),
    ("Kowalski", "kowalski"),
    ("Nowak", "nowak"),
    ("O'Neill", "oneill"),
    ("Okafor", "okafor"),
    ("Mensah", "mensah"),
    ("Murphy", "murphy"),
    ("Clarke", "clarke"),
    ("Hughes", "hughes"),
    ("Edwards", "edwards"),
    ("Green", "green"),
    ("Hall", "hall"),
    ("Wood", "wood"),
    ("Harris", "harris"),
    ("Lewis", "lewis"),
    ("Martin", "martin"),
    ("Jackson", "jackson"),
    ("Turner", "turner"),
    ("Hill", "hill"),
    ("Scott", "scott"),
    ("Cooper", "cooper"),
    ("Morris", "morris"),
    ("Ward", "ward"),
    ("Moore", "moore"),
    ("King", "king"),
    ("Baker", "baker"),
    ("Nguyen", "nguyen"),
    ("Da Silva", "da-silva"),
    ("Popescu", "popescu"),
    ("Ahmed", "ahmed"),
    ("Sharma", "sharma"),
    ("Kaur", "kaur"),
    ("Singh", "singh"),
    ("Campbell", "campbell"),
    ("Stewart", "stewart"),
    ("Doherty", "doherty"),
    ("Adeyemi", "adeyemi"),
];

const INITIALS: &[u8] = b"ABCDEFGHJKLMNPRSTW";

const LANGUAGES: &[&str] = &[
    "Polish",
    "Urdu",
    "Bengali",
    "Arabic",
    "Romanian",
    "Somali",
    "Portuguese",
    "Punjabi",
    "Twi",
    "Spanish",
    "Lithuanian",
    "Tamil",
];

const ABOUT_ME: &[&str] = &[
    "I love drawing and making comics.",
    "I like football and playing tag at lunchtime.",
    "I have a dog called Biscuit and I help to walk him.",
    "I like building things with Lego.",
    "My favourite thing is going swimming with my family.",
    "I like singing and I am in the school choir.",
    "I love animals, especially horses.",
    "I like riding my scooter at the park.",
    "I am good at looking after my little sister.",
    "I like cooking with my nan at the weekend.",
    "I love dinosaurs and know lots of facts about them.",
    "I like Minecraft and making up stories.",
    "I like being outside and looking for bugs in the garden.",
    "I am proud of my swimming badges.",
];

const STRENGTHS: &[&str] = &[
    "Kind and caring to others",
    "Good at drawing",
    "Enjoys practical tasks",
    "Great sense of humour",
    "Works hard when interested",
    "Good at sport",
    "Helpful in the classroom",
    "Remembers facts about favourite topics",
    "Creative and imaginative",
    "Confident speaking to adults",
    "Good at building and making things",
    "Loves music and rhythm",
];

const WHAT_HELPS: &[&str] = &[
    "A visual timetable on my desk",
    "Being told what is happening next",
    "Working with a partner I trust",
    "Short tasks with a break in between",
    "Having the words I need written down",
    "A quiet place to go when it is noisy",
    "Being shown how to do it first",
    "Extra time to finish my work",
    "Sitting near the front",
    "Movement breaks",
    "A calm voice",
    "Praise when I try hard",
];

const WHAT_DOESNT_HELP: &[&str] = &[
    "Loud noises in the hall",
    "Being rushed",
    "Lots of instructions at once",
    "Being asked to read aloud in front of the class",
    "Changes I don't know about",
    "Crowded corridors",
    "Being told off in front of others",
    "Long periods of sitting still",
];

/// The second contact: (relationship, title choices, parental responsibility).
/// `parent` becomes whichever of mother or father the first contact is not.
const SECOND_CONTACTS: &[(&str, &[&str], bool)] = &[
    ("parent", &[], true),
    ("parent", &[], true),
    ("parent", &[], true),
    ("carer", &["Mrs", "Mr", "Ms"], true),
    ("grandmother", &["Mrs"], false),
    ("stepfather", &["Mr"], false),
    ("aunt", &["Ms", "Mrs"], false),
];

/// (service, team name, area index or 9 for any)
const SERVICES: &[(&str, &str, usize)] = &[
    ("Speech and language therapy", "NHS SALT team", 0),
    ("Educational psychology", "Northshire Educational Psychology Service", 1),
    ("Specialist teacher", "Learning Support Service", 1),
    ("CAMHS", "Northshire CAMHS", 2),
    ("Early Help", "Family support worker", 2),
    ("Occupational therapy", "Children's OT service", 3),
    ("Sensory support", "Hearing and Vision Support Service", 3),
    ("Community paediatrics", "Child Development Centre", 9),
    ("School nursing", "School nurse team", 9),
];

const PROF_STATUS: &[&str] = &["waiting", "active", "active", "discharged", "declined"];

const PUPIL_VOICE: &[&str] = &[
    "Reading is getting easier.",
    "I like the games we play in my group.",
    "I don't like it when the classroom is noisy.",
    "I can do my number bonds now!",
    "My calm box helps me.",
    "I want to get better at writing.",
    "Sometimes the work is too hard and I get cross.",
    "I like working with my helper.",
    "I like it when I know what is happening next.",
    "I am proud of my spelling.",
    "Playtimes are better now.",
    "I would like more time on the computer.",
];

const PARENT_VOICE: &[&str] = &[
    "Reading at home is improving.",
    "We have noticed mornings are calmer.",
    "Homework is still a struggle.",
    "Happy with progress this term.",
    "Would like more ideas to help at home.",
    "Sleep has been difficult, which affects mornings.",
    "Pleased with the support in class.",
    "Worried about the move to the next class.",
    "Still waiting to hear from the health service.",
];

const ACTIONS: &[&str] = &[
    "Refer to SALT",
    "Share strategies with the class teacher",
    "Send home reading games",
    "Request EP consultation",
    "Update the one-page profile",
    "Book a hearing check",
    "Parent to attend phonics workshop",
    "Review the seating plan",
    "Chase the CAMHS referral",
    "Add a movement break timetable",
];

const PROGRESS_NOTES: &[(&str, &[&str])] = &[
    ("open", &["Working towards; keep going.", "Early days; intervention started this term."]),
    ("partly-achieved", &["Good progress but not yet secure.", "Secure with adult support, not yet independently."]),
    ("achieved", &["Secure across three probes.", "Met and maintained; well done."]),
    ("not-achieved", &["Little change; try a different approach.", "Attendance affected the sessions."]),
    ("discontinued", &["No longer a priority after discussion with parents."]),
];

const NEXT_SETTINGS: &[&str] =
    &["Northfield High School", "Oakfield Academy", "St Mary's Catholic High School", "Riverside Academy"];

const AUTHORITIES: &[&str] = &["Northshire County Council", "Riverside Borough Council", "Westvale City Council"];

const COURSES: &[(&str, bool)] = &[
    ("Precision teaching", false),
    ("Team Teach", true),
    ("ELSA training", false),
    ("Makaton level 1", false),
    ("Autism awareness", false),
    ("Paediatric first aid", true),
    ("Talk Boost", false),
    ("Zones of Regulation", false),
];

// ---------------------------------------------------------------------------
// Needs, assessments, targets and provision

struct AssessTpl {
    slug: &'static str,
    tool: &'static str,
    measure: &'static str,
    scale: &'static str,
    lo: i64,
    hi: i64,
    assessor: &'static str,
}

struct TargetTpl {
    slug: &'static str,
    /// Follows the pupil's first name: "Ava will ..."
    outcome: &'static str,
    /// The baseline sentence, split around the baseline score.
    baseline: (&'static str, &'static str),
    criteria: &'static str,
    measure: &'static str,
    base: (i64, i64),
    gain: (i64, i64),
}

struct NeedTpl {
    id: &'static str,
    area: usize,
    eng_types: &'static [&'static str],
    us_type: &'static str,
    descriptions: &'static [&'static str],
    strategies: &'static [&'static str],
    assessments: &'static [AssessTpl],
    targets: &'static [TargetTpl],
    /// Catalogue ids that fit this need.
    provisions: &'static [&'static str],
    /// School-made provision that is not in the catalogue.
    custom: &'static [&'static str],
}

const fn a(
    slug: &'static str,
    tool: &'static str,
    measure: &'static str,
    scale: &'static str,
    lo: i64,
    hi: i64,
    assessor: &'static str,
) -> AssessTpl {
    AssessTpl { slug, tool, measure, scale, lo, hi, assessor }
}

const fn t(
    slug: &'static str,
    outcome: &'static str,
    baseline: (&'static str, &'static str),
    criteria: &'static str,
    measure: &'static str,
    base: (i64, i64),
    gain: (i64, i64),
) -> TargetTpl {
    TargetTpl { slug, outcome, baseline, criteria, measure, base, gain }
}

const NEEDS: &[NeedTpl] = &[
    NeedTpl {
        id: "reading",
        area: 1,
        eng_types: &["SPLD", "SPLD", "MLD"],
        us_type: "specific-learning-disability",
        descriptions: &[
            "Decoding well below age-related expectations.",
            "Slow, effortful reading; relies on guessing from pictures.",
            "Phonic knowledge insecure beyond phase 3.",
        ],
        strategies: &[
            "Pre-teach key vocabulary",
            "Give printed copies of board work",
            "Use a reading ruler or coloured overlay",
            "Allow extra time to read instructions",
            "Read questions aloud in tests where allowed",
        ],
        assessments: &[
            a(
                "yarc",
                "York Assessment of Reading for Comprehension",
                "reading accuracy",
                "standard-score",
                70,
                92,
                "SENCO",
            ),
            a("phonics-check", "Phonics screening check", "phonics check mark", "raw", 10, 30, "Class teacher"),
            a("salford", "Salford Sentence Reading Test", "reading age", "age-months", 60, 100, "SENCO"),
        ],
        targets: &[
            t(
                "hfw-40",
                "will read 40 of the first 100 high-frequency words.",
                ("Reads ", " of 100 on sight."),
                "40 words read correctly on three consecutive probes.",
                "HFW read",
                (8, 25),
                (8, 25),
            ),
            t(
                "blend-cvc",
                "will blend and read CVC words independently.",
                ("Blends ", " of 20 CVC words."),
                "18 of 20 CVC words read on two probes.",
                "CVC words read",
                (3, 10),
                (4, 10),
            ),
            t(
                "fluency-60",
                "will read a book-band text at 60 words per minute.",
                ("Reads ", " words per minute."),
                "60 words per minute on an unseen book-band text.",
                "words per minute",
                (25, 45),
                (5, 20),
            ),
        ],
        provisions: &["precision-teaching", "phonics-catch-up", "paired-reading"],
        custom: &["Daily reading with a reading buddy", "Nessy online programme"],
    },
    NeedTpl {
        id: "writing",
        area: 1,
        eng_types: &["SPLD"],
        us_type: "specific-learning-disability",
        descriptions: &[
            "Spelling and letter formation well below peers; avoids writing.",
            "Can say sentences aloud but struggles to record them.",
        ],
        strategies: &[
            "Provide word banks and sentence starters",
            "Accept other ways of recording, such as voice notes",
            "Mark the spelling of key words only",
            "Give a writing frame for longer pieces",
        ],
        assessments: &[
            a("swst", "Single Word Spelling Test", "spelling age", "age-months", 60, 96, "SENCO"),
            a("vernon", "Vernon Graded Word Spelling Test", "spelling quotient", "standard-score", 70, 90, "SENCO"),
        ],
        targets: &[
            t(
                "spell-cew",
                "will spell 20 common exception words for their year group.",
                ("Spells ", " of 20 common exception words."),
                "20 words spelt correctly in independent writing.",
                "CEW spelt",
                (3, 10),
                (4, 12),
            ),
            t(
                "sentences",
                "will write two sentences with capital letters and full stops.",
                ("Writes ", " correctly punctuated sentences in a piece."),
                "Two punctuated sentences in three pieces of work.",
                "punctuated sentences",
                (0, 1),
                (1, 3),
            ),
        ],
        provisions: &["precision-teaching", "phonics-catch-up"],
        custom: &["Spelling practice with Look Say Cover Write", "Word processing club"],
    },
    NeedTpl {
        id: "maths",
        area: 1,
        eng_types: &["MLD", "SPLD"],
        us_type: "specific-learning-disability",
        descriptions: &[
            "Number sense insecure; counts all rather than counting on.",
            "Difficulty recalling number bonds and times tables.",
        ],
        strategies: &[
            "Use concrete apparatus such as Numicon and bead strings",
            "Give a number line or hundred square",
            "Break calculations into small steps",
            "Check understanding before moving on",
        ],
        assessments: &[
            a("sent", "Sandwell Early Numeracy Test", "numeracy", "standard-score", 68, 90, "SENCO"),
            a("bonds-probe", "Number bonds probe", "bonds to 10 recalled", "raw", 2, 7, "Teaching assistant"),
        ],
        targets: &[
            t(
                "bonds-10",
                "will recall number bonds to 10 within three seconds.",
                ("Recalls ", " of 11 bonds to 10."),
                "All bonds to 10 recalled on three probes.",
                "bonds to 10 recalled",
                (2, 6),
                (3, 5),
            ),
            t(
                "count-on",
                "will count on from a given number to add.",
                ("Counts on correctly in ", " of 10 additions."),
                "8 of 10 additions solved by counting on.",
                "additions by counting on",
                (1, 4),
                (3, 6),
            ),
            t(
                "tables-2-5-10",
                "will recall the 2, 5 and 10 times tables.",
                ("Recalls ", " of 36 facts."),
                "32 of 36 facts in a timed check.",
                "tables facts recalled",
                (6, 18),
                (6, 15),
            ),
        ],
        provisions: &["number-sense", "precision-teaching"],
        custom: &["Maths pre-teaching", "Times tables practice"],
    },
    NeedTpl {
        id: "memory",
        area: 1,
        eng_types: &["MLD"],
        us_type: "intellectual-disability",
        descriptions: &["Working memory difficulties; loses track of multi-step instructions."],
        strategies: &[
            "Give one instruction at a time",
            "Use visual checklists",
            "Ask the pupil to repeat instructions back",
        ],
        assessments: &[a(
            "wmrs",
            "Working Memory Rating Scale",
            "working memory",
            "percentile",
            2,
            16,
            "Educational Psychology Service",
        )],
        targets: &[t(
            "instructions",
            "will follow a three-part instruction in class.",
            ("Follows ", " of 5 three-part instructions."),
            "4 of 5 three-part instructions followed over a week.",
            "instructions followed",
            (0, 2),
            (1, 3),
        )],
        provisions: &["precision-teaching"],
        custom: &["Memory games group"],
    },
    NeedTpl {
        id: "speech",
        area: 0,
        eng_types: &["SLCN"],
        us_type: "speech-or-language-impairment",
        descriptions: &["Speech sounds not yet established; hard for unfamiliar adults to understand."],
        strategies: &[
            "Model correct sounds without asking the pupil to repeat",
            "Give time to respond",
            "Use visual supports alongside speech",
        ],
        assessments: &[
            a("wellcomm", "WellComm", "language screen band", "level", 1, 5, "Teaching assistant"),
            a("sound-screen", "Speech sound screen", "sounds correct", "raw", 10, 30, "Speech and language therapist"),
        ],
        targets: &[t(
            "sounds-k-g",
            "will use /k/ and /g/ correctly in single words.",
            ("Says ", " of 20 target words correctly."),
            "18 of 20 words correct in a picture naming task.",
            "target words correct",
            (2, 8),
            (5, 12),
        )],
        provisions: &["talk-boost", "language-link"],
        custom: &["SALT programme delivered by TA"],
    },
    NeedTpl {
        id: "language",
        area: 0,
        eng_types: &["SLCN"],
        us_type: "speech-or-language-impairment",
        descriptions: &[
            "Understanding of spoken language below age expectations.",
            "Limited vocabulary; finds it hard to retell events in order.",
        ],
        strategies: &[
            "Pre-teach topic vocabulary",
            "Use a visual timetable and now-and-next board",
            "Keep instructions short and check understanding",
            "Give thinking time before expecting an answer",
        ],
        assessments: &[a("celf", "CELF-5", "core language", "standard-score", 65, 85, "Speech and language therapist")],
        targets: &[
            t(
                "topic-words",
                "will learn and use 10 new topic words each half term.",
                ("Uses ", " of 10 topic words."),
                "8 of 10 words used correctly in context.",
                "topic words used",
                (1, 4),
                (3, 6),
            ),
            t(
                "wh-questions",
                "will answer who, what and where questions about a story.",
                ("Answers ", " of 10 questions."),
                "8 of 10 questions answered over three sessions.",
                "story questions answered",
                (2, 5),
                (2, 5),
            ),
        ],
        provisions: &["talk-boost", "language-link"],
        custom: &["Colourful semantics group"],
    },
    NeedTpl {
        id: "social-communication",
        area: 0,
        eng_types: &["ASD"],
        us_type: "autism",
        descriptions: &[
            "Diagnosed autism; finds unstructured times and changes to routine difficult.",
            "Awaiting autism assessment; prefers to play alone and finds group work hard.",
        ],
        strategies: &[
            "Warn in advance of any change to routine",
            "Provide a quiet space to go to",
            "Use the pupil's name before giving an instruction",
            "Offer a visual timetable",
            "Allow ear defenders in assemblies",
        ],
        assessments: &[a(
            "apf",
            "Autism Progression Framework",
            "social communication steps",
            "raw",
            5,
            20,
            "Specialist teacher",
        )],
        targets: &[
            t(
                "turn-taking",
                "will take turns in a structured game with two peers.",
                ("Takes turns in ", " of 5 observed games."),
                "4 of 5 games with turn-taking and no adult prompt.",
                "games with turn-taking",
                (0, 2),
                (1, 3),
            ),
            t(
                "transitions",
                "will move between activities using a now-and-next board.",
                ("Manages ", " of 10 transitions calmly."),
                "8 of 10 transitions calm over a week.",
                "calm transitions",
                (2, 5),
                (2, 5),
            ),
        ],
        provisions: &["lego-therapy", "sensory-circuit"],
        custom: &["Social stories", "Lunchtime club"],
    },
    NeedTpl {
        id: "emotional-regulation",
        area: 2,
        eng_types: &["SEMH"],
        us_type: "emotional-disturbance",
        descriptions: &[
            "Strong emotional responses when frustrated; can leave the classroom.",
            "Finds it hard to calm down after playtimes.",
        ],
        strategies: &[
            "Use the agreed calm-down plan",
            "Give a job or movement break before tasks get hard",
            "Praise privately rather than in front of the class",
            "Use a consistent, calm tone",
        ],
        assessments: &[
            a("sdq", "Strengths and Difficulties Questionnaire", "total difficulties", "raw", 17, 30, "SENCO"),
            a("boxall", "Boxall Profile", "developmental strands", "raw", 40, 80, "Class teacher"),
        ],
        targets: &[
            t(
                "calm-plan",
                "will use their calm-down plan to return to learning within 10 minutes.",
                ("Returns within 10 minutes on ", " of 10 occasions."),
                "8 of 10 occasions logged over half a term.",
                "calm returns",
                (2, 5),
                (2, 5),
            ),
            t(
                "name-feelings",
                "will name how they are feeling using the Zones of Regulation.",
                ("Names feelings in ", " of 10 check-ins."),
                "8 of 10 check-ins over two weeks.",
                "feelings named",
                (2, 5),
                (2, 5),
            ),
        ],
        provisions: &["elsa", "zones-of-regulation"],
        custom: &["Morning check-in", "Lunchtime nurture group"],
    },
    NeedTpl {
        id: "anxiety",
        area: 2,
        eng_types: &["SEMH"],
        us_type: "emotional-disturbance",
        descriptions: &["Anxiety about coming into school; often arrives late and upset."],
        strategies: &[
            "Meet and greet at the gate",
            "Keep a predictable morning routine",
            "Offer a worry box or journal",
        ],
        assessments: &[a(
            "scas",
            "Spence Children's Anxiety Scale",
            "total anxiety",
            "raw",
            30,
            60,
            "Educational Psychology Service",
        )],
        targets: &[t(
            "calm-mornings",
            "will come into class calmly each morning.",
            ("Calm arrival on ", " of 10 days."),
            "9 of 10 days over two weeks.",
            "calm arrivals",
            (2, 6),
            (2, 4),
        )],
        provisions: &["elsa"],
        custom: &["Morning check-in"],
    },
    NeedTpl {
        id: "attention",
        area: 2,
        eng_types: &["SEMH", "OTH"],
        us_type: "other-health-impairment",
        descriptions: &["Diagnosed ADHD; finds it hard to attend or sit still for more than a few minutes."],
        strategies: &[
            "Seat near the teacher away from the door",
            "Give movement breaks",
            "Chunk tasks and use a timer",
            "Allow a fiddle toy",
        ],
        assessments: &[a("conners", "Conners 3 (teacher)", "inattention", "raw", 60, 85, "Community paediatrics")],
        targets: &[t(
            "on-task",
            "will stay on task for 10 minutes with a timer.",
            ("On task for ", " minutes on average."),
            "10 minutes on task in four of five lessons.",
            "minutes on task",
            (2, 5),
            (3, 6),
        )],
        provisions: &["sensory-circuit", "zones-of-regulation"],
        custom: &["Movement breaks timetable"],
    },
    NeedTpl {
        id: "hearing",
        area: 3,
        eng_types: &["HI"],
        us_type: "hearing-impairment",
        descriptions: &["Moderate bilateral hearing loss; wears hearing aids."],
        strategies: &[
            "Face the pupil when speaking",
            "Use the radio aid in all lessons",
            "Reduce background noise",
            "Check the aids are working each morning",
        ],
        assessments: &[a(
            "audiology",
            "Audiology report",
            "hearing level in the better ear (dB)",
            "raw",
            40,
            60,
            "Paediatric audiology",
        )],
        targets: &[t(
            "aid-check",
            "will tell an adult when their hearing aid is not working.",
            ("Reports a fault in ", " of 5 checks."),
            "5 of 5 checks over half a term.",
            "faults reported",
            (0, 2),
            (2, 3),
        )],
        provisions: &["talk-boost"],
        custom: &["Teacher of the Deaf visits"],
    },
    NeedTpl {
        id: "vision",
        area: 3,
        eng_types: &["VI"],
        us_type: "visual-impairment",
        descriptions: &["Visual impairment; needs enlarged print (N24) and good lighting."],
        strategies: &[
            "Enlarge print to N24",
            "Seat near the board with their back to the window",
            "Provide a personal copy of displays",
        ],
        assessments: &[a(
            "fva",
            "Functional vision assessment",
            "near acuity (N)",
            "raw",
            18,
            36,
            "Qualified teacher of the visually impaired",
        )],
        targets: &[t(
            "magnifier",
            "will use a tablet magnifier independently.",
            ("Uses the magnifier independently in ", " of 10 lessons."),
            "8 of 10 lessons over two weeks.",
            "lessons using magnifier",
            (1, 4),
            (3, 5),
        )],
        provisions: &["fine-motor-group"],
        custom: &["Touch typing programme"],
    },
    NeedTpl {
        id: "fine-motor",
        area: 3,
        eng_types: &["PD"],
        us_type: "orthopedic-impairment",
        descriptions: &["Fine motor difficulties affect handwriting and dressing."],
        strategies: &[
            "Provide a writing slope and pencil grip",
            "Allow extra time to change for PE",
            "Offer a laptop for longer writing",
        ],
        assessments: &[a(
            "beery",
            "Beery VMI",
            "visual-motor integration",
            "standard-score",
            70,
            88,
            "Occupational therapist",
        )],
        targets: &[
            t(
                "letter-formation",
                "will form all lowercase letters correctly.",
                ("Forms ", " of 26 lowercase letters correctly."),
                "24 of 26 letters formed correctly in a handwriting check.",
                "letters formed correctly",
                (8, 16),
                (5, 10),
            ),
            t(
                "buttons",
                "will do up their own coat and buttons.",
                ("Manages ", " of 5 fastenings alone."),
                "All 5 fastenings on three days running.",
                "fastenings done alone",
                (1, 2),
                (1, 3),
            ),
        ],
        provisions: &["fine-motor-group", "sensory-circuit"],
        custom: &["Handwriting practice", "Theraputty exercises"],
    },
    NeedTpl {
        id: "physical",
        area: 3,
        eng_types: &["PD", "MSI"],
        us_type: "orthopedic-impairment",
        descriptions: &["Cerebral palsy affecting mobility; uses a walking frame."],
        strategies: &[
            "Leave the classroom two minutes early to avoid crowds",
            "Keep walkways clear",
            "Follow the physiotherapy programme daily",
        ],
        assessments: &[a(
            "gmfcs",
            "Physiotherapy review",
            "gross motor function level",
            "level",
            1,
            4,
            "Paediatric physiotherapy",
        )],
        targets: &[t(
            "stairs",
            "will climb the stairs to the library using the handrail.",
            ("Climbs ", " of 14 steps with the handrail."),
            "All 14 steps safely on three occasions.",
            "steps climbed",
            (3, 8),
            (3, 6),
        )],
        provisions: &["sensory-circuit"],
        custom: &["Daily physiotherapy programme"],
    },
];

/// Weights for the area of the primary need, in [`AREAS`] order.
const AREA_WEIGHTS: [usize; 4] = [25, 40, 25, 10];

struct Provision {
    id: &'static str,
    name: &'static str,
    area: usize,
    delivery: &'static str,
    minutes: u32,
    sessions: u32,
    hourly_rate: Option<&'static str>,
    cost_per_pupil: Option<&'static str>,
    evidence: Option<&'static str>,
}

const CATALOGUE: &[Provision] = &[
    Provision {
        id: "precision-teaching",
        name: "Precision Teaching",
        area: 1,
        delivery: "1:1",
        minutes: 10,
        sessions: 5,
        hourly_rate: Some("15.20"),
        cost_per_pupil: None,
        evidence: Some("EEF toolkit: individualised instruction, moderate impact"),
    },
    Provision {
        id: "phonics-catch-up",
        name: "Phonics catch-up",
        area: 1,
        delivery: "group",
        minutes: 20,
        sessions: 3,
        hourly_rate: None,
        cost_per_pupil: None,
        evidence: Some("EEF toolkit: phonics, high impact for early readers"),
    },
    Provision {
        id: "paired-reading",
        name: "Paired reading",
        area: 1,
        delivery: "1:1",
        minutes: 15,
        sessions: 3,
        hourly_rate: None,
        cost_per_pupil: None,
        evidence: None,
    },
    Provision {
        id: "number-sense",
        name: "Number Sense intervention",
        area: 1,
        delivery: "group",
        minutes: 30,
        sessions: 2,
        hourly_rate: None,
        cost_per_pupil: Some("12"),
        evidence: None,
    },
    Provision {
        id: "individual-support",
        name: "Individual teaching assistant support",
        area: 1,
        delivery: "1:1",
        minutes: 180,
        sessions: 5,
        hourly_rate: Some("14.80"),
        cost_per_pupil: None,
        evidence: None,
    },
    Provision {
        id: "talk-boost",
        name: "Talk Boost",
        area: 0,
        delivery: "group",
        minutes: 30,
        sessions: 3,
        hourly_rate: None,
        cost_per_pupil: Some("25"),
        evidence: Some("Speech and Language UK: evaluated programme"),
    },
    Provision {
        id: "language-link",
        name: "Language Link",
        area: 0,
        delivery: "group",
        minutes: 20,
        sessions: 2,
        hourly_rate: None,
        cost_per_pupil: Some("40"),
        evidence: None,
    },
    Provision {
        id: "lego-therapy",
        name: "LEGO-based therapy",
        area: 0,
        delivery: "group",
        minutes: 30,
        sessions: 1,
        hourly_rate: None,
        cost_per_pupil: None,
        evidence: None,
    },
    Provision {
        id: "elsa",
        name: "ELSA sessions",
        area: 2,
        delivery: "1:1",
        minutes: 30,
        sessions: 1,
        hourly_rate: Some("16.80"),
        cost_per_pupil: None,
        evidence: Some("ELSA Network: emotional literacy support"),
    },
    Provision {
        id: "zones-of-regulation",
        name: "Zones of Regulation",
        area: 2,
        delivery: "whole-class",
        minutes: 30,
        sessions: 1,
        hourly_rate: None,
        cost_per_pupil: None,
        evidence: None,
    },
    Provision {
        id: "fine-motor-group",
        name: "Fine motor skills group",
        area: 3,
        delivery: "group",
        minutes: 15,
        sessions: 4,
        hourly_rate: None,
        cost_per_pupil: None,
        evidence: None,
    },
    Provision {
        id: "sensory-circuit",
        name: "Sensory circuit",
        area: 3,
        delivery: "group",
        minutes: 15,
        sessions: 5,
        hourly_rate: None,
        cost_per_pupil: Some("5"),
        evidence: None,
    },
];

fn provision(id: &str) -> &'static Provision {
    CATALOGUE.iter().find(|p| p.id == id).expect("every provision id is in the catalogue")
}

// ---------------------------------------------------------------------------
// Staff

struct Staff {
    id: String,
    name: String,
}

struct StaffDir {
    all: Vec<Staff>,
    teachers: Vec<usize>,
    tas: Vec<usize>,
    /// ELSA and other specialist staff.
    specialists: Vec<usize>,
    senco: usize,
}

/// Builds the staff directory and its YAML. About `pupils / 100 + 10` people.
fn build_staff(seed: u64, pupils: usize, buf: &mut String) -> StaffDir {
    let mut rng = Rng::new(seed, u64::MAX);
    let total = pupils / 100 + 10;
    let mut dir =
        StaffDir { all: Vec::new(), teachers: Vec::new(), tas: Vec::new(), specialists: Vec::new(), senco: 0 };
    ln!(buf, "# Staff directory. Ids are referred to by key_worker, owner and staff.");
    ln!(buf, "# Keep leavers until their pupils' records no longer name them.");
    let mut used: Vec<String> = Vec::new();
    for i in 0..total {
        let (prefix, role, titles): (&str, &str, &[&str]) = match i {
            0 => ("senco", "senco", &["Ms"]),
            1 => ("head", "leader", &["Mrs", "Mr", "Dr"]),
            2 => ("elsa", "specialist", &["Mrs", "Ms"]),
            3 => ("ep", "external", &["Dr"]),
            _ if i % 5 < 2 => ("teacher", "teacher", &["Mrs", "Mr", "Ms", "Miss"]),
            _ => ("ta", "teaching-assistant", &["Mrs", "Ms", "Mr", "Miss"]),
        };
        let (surname, slug) = *rng.pick(SURNAMES);
        let name = format!("{} {}. {}", rng.pick(titles), INITIALS[rng.below(INITIALS.len())] as char, surname);
        let id = if i == 0 { "senco".to_string() } else { unique_id(&mut used, &format!("{prefix}-{slug}")) };
        if i == 0 {
            used.push(id.clone());
            ln!(buf, "- id: {id}   # named on documents as the school's SENCO");
            ln!(buf, "  name: Ms R. Patel");
        } else {
            ln!(buf, "- id: {id}");
            ln!(buf, "  name: {name}");
        }
        ln!(buf, "  role: {role}");
        match role {
            "teaching-assistant" => ln!(buf, "  hourly_rate: {}", money(rng.range(1420, 1690))),
            "specialist" => ln!(buf, "  hourly_rate: {}", money(rng.range(1650, 1890))),
            "external" => ln!(buf, "  hourly_rate: 68.00   # traded service rate"),
            "teacher" if rng.chance(30) => ln!(buf, "  hourly_rate: {}", money(rng.range(2900, 3600))),
            _ => {}
        }
        let courses = match role {
            "teaching-assistant" | "specialist" | "senco" => rng.range(0, 3) as usize,
            "teacher" => rng.range(0, 1) as usize,
            _ => 0,
        };
        if courses > 0 {
            ln!(buf, "  training:");
            for idx in rng.sample(&(0..COURSES.len()).collect::<Vec<_>>(), courses) {
                let (course, expires) = COURSES[idx];
                let date = school_day_on_or_before(Date::ymd(2023, 9, 4).plus(rng.range(0, 1150)));
                ln!(buf, "    - course: {course}");
                ln!(buf, "      date: {date}");
                if expires {
                    ln!(buf, "      expires: {}", date.add_months(36));
                }
            }
        }
        let index = dir.all.len();
        match role {
            "teacher" => dir.teachers.push(index),
            "teaching-assistant" => dir.tas.push(index),
            "specialist" => dir.specialists.push(index),
            "senco" => dir.senco = index,
            _ => {}
        }
        let name = if i == 0 { "Ms R. Patel".to_string() } else { name };
        dir.all.push(Staff { id, name });
    }
    if dir.teachers.is_empty() {
        dir.teachers.push(dir.senco);
    }
    if dir.tas.is_empty() {
        dir.tas.push(dir.senco);
    }
    dir
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// `base`, or `base-2`, `base-3`, ... whichever is not yet in `used`; records it.
fn unique_id(used: &mut Vec<String>, base: &str) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.push(id.clone());
    id
}

// ---------------------------------------------------------------------------
// Top-level files

fn settings_toml(j: Jurisdiction) -> String {
    let mut s = String::new();
    ln!(s, "# School settings for senco. This file marks the root of the records repository.");
    ln!(s, "[school]");
    ln!(s, "name = \"Synthetic School\"");
    ln!(s, "senco = \"Ms R. Patel\"              # named on rendered documents");
    ln!(s, "jurisdiction = \"{}\"", j.name());
    ln!(s, "last_year_group = 6                # Year 6 leave at rollover");
    ln!(s);
    ln!(s, "[calendar]                          # the current academic year");
    ln!(s, "year_start = 2026-09-02");
    ln!(s, "year_end = 2027-07-21");
    ln!(s, "terms = [");
    ln!(s, "  {{ name = \"Autumn\", start = 2026-09-02, end = 2026-12-18 }},");
    ln!(s, "  {{ name = \"Spring\", start = 2027-01-04, end = 2027-03-26 }},");
    ln!(s, "  {{ name = \"Summer\", start = 2027-04-12, end = 2027-07-21 }},");
    ln!(s, "]");
    ln!(s);
    ln!(s, "[reviews]");
    ln!(s, "support_review_weeks = 12");
    ln!(s, "warn_days = 28");
    ln!(s);
    ln!(s, "[jurisdiction]");
    match j {
        Jurisdiction::UsIdea => {
            ln!(s, "age_of_majority = 18");
            ln!(s, "evaluation_days = 60");
        }
        _ => ln!(s, "retention_years = 31"),
    }
    ln!(s);
    ln!(s, "[rules]");
    ln!(s, "# ENG-SUP-PARENTS = \"off\"");
    ln!(s);
    ln!(s, "[costs]");
    ln!(s, "currency = \"{}\"", if j == Jurisdiction::UsIdea { "USD" } else { "GBP" });
    ln!(s, "default_hourly_rate = 16.50");
    ln!(s, "weeks_per_year = 38");
    ln!(s, "notional_threshold = 6000");
    s
}

fn catalogue_yaml() -> String {
    let mut s = String::new();
    ln!(s, "# The school's menu of provision. Rates are per hour of staff time.");
    for p in CATALOGUE {
        ln!(s, "- id: {}", p.id);
        ln!(s, "  name: {}", p.name);
        ln!(s, "  area: {}", AREAS[p.area]);
        ln!(s, "  delivery: \"{}\"", p.delivery);
        ln!(s, "  default_minutes: {}", p.minutes);
        ln!(s, "  default_sessions_per_week: {}", p.sessions);
        if let Some(rate) = p.hourly_rate {
            ln!(s, "  hourly_rate: {rate}");
        }
        if let Some(cost) = p.cost_per_pupil {
            ln!(s, "  cost_per_pupil: {cost}   # licence and resources");
        }
        if let Some(evidence) = p.evidence {
            ln!(s, "  evidence: \"{evidence}\"");
        }
    }
    s
}

// ---------------------------------------------------------------------------
// Pupils

struct Ctx {
    root: PathBuf,
    seed: u64,
    jurisdiction: Jurisdiction,
    staff: StaffDir,
}

#[derive(Default)]
struct Stats {
    files: usize,
    bytes: u64,
    levels: [usize; 3],
}

struct Need {
    id: String,
    tpl: &'static NeedTpl,
    identified: Date,
    /// Indexes into the pupil's assessments.
    evidence: Vec<usize>,
}

struct Assessment {
    id: String,
    tpl: &'static AssessTpl,
    date: Date,
    score: i64,
}

struct Target {
    id: String,
    tpl: &'static TargetTpl,
    /// Index into the pupil's needs.
    need: usize,
    set: Date,
    due: Date,
    owner: Option<usize>,
    status: &'static str,
    base: i64,
    gain: i64,
}

struct Intervention {
    id: String,
    provision: Option<&'static Provision>,
    name: Option<&'static str>,
    /// Indexes into the pupil's targets.
    targets: Vec<usize>,
    start: Date,
    end: Option<Date>,
    exit: Option<Date>,
    sessions: u32,
    minutes: u32,
    group: u32,
    staff: Option<usize>,
    entry: bool,
}

struct Review {
    date: Date,
    kind: &'static str,
}

struct Contact {
    name: String,
    relationship: &'static str,
    parental_responsibility: bool,
}

/// The statutory milestones of a pupil with a statutory plan.
struct Plan {
    requested: Date,
    decision: Date,
    issued: Date,
}

/// Support levels, as indexes into [`Jurisdiction::levels`].
const MONITORING: usize = 0;
const SUPPORT: usize = 1;
const STATUTORY: usize = 2;

/// One pupil: everything that more than one of their files refers to.
struct Pupil {
    index: usize,
    id: String,
    first: &'static str,
    last: &'static str,
    girl: bool,
    year_group: i32,
    dob: Date,
    joined: Option<Date>,
    /// No event in the pupil's records (except the plan) is before this.
    earliest: Date,
    level: usize,
    since: Date,
    /// The day the current targets were agreed.
    set: Date,
    plan: Option<Plan>,
    key_worker: usize,
    contacts: Vec<Contact>,
    needs: Vec<Need>,
    assessments: Vec<Assessment>,
    targets: Vec<Target>,
    interventions: Vec<Intervention>,
    reviews: Vec<Review>,
    /// Ids already used inside this pupil's files.
    used: Vec<String>,
}

/// A school day chosen uniformly-ish in `lo..=hi`, never before `lo` or after `hi`.
fn day_between(rng: &mut Rng, lo: Date, hi: Date) -> Date {
    if hi <= lo {
        return lo;
    }
    let d = school_day_on_or_before(lo.plus(rng.range(0, lo.days_until(hi))));
    if d < lo {
        lo
    } else {
        d
    }
}

/// Writes one file and counts it.
fn put(path: &Path, text: &str, stats: &mut Stats) -> io::Result<()> {
    fs::write(path, text)?;
    stats.files += 1;
    stats.bytes += text.len() as u64;
    Ok(())
}

/// Draws who the pupil is and the shape of their support; files are written later.
fn plan_pupil(ctx: &Ctx, index: usize, rng: &mut Rng) -> Pupil {
    let girl = rng.chance(48);
    let (first, first_slug) = *rng.pick(if girl { GIRLS } else { BOYS });
    let (last, last_slug) = *rng.pick(SURNAMES);
    let year_group = rng.range(0, 6) as i32;
    let reception_start = Date::ymd(2026 - year_group, 9, 2);
    let joined = if reception_start >= EARLIEST {
        Some(school_day_on_or_after(reception_start))
    } else if rng.chance(15) {
        Some(day_between(rng, Date::ymd(2023, 9, 5), Date::ymd(2026, 6, 30)))
    } else {
        None
    };
    let level = match rng.below(100) {
        0..=14 => MONITORING,
        15..=89 => SUPPORT,
        _ => STATUTORY,
    };
    let mut p = Pupil {
        index,
        id: format!("p{:06}-{first_slug}-{last_slug}", index + 1),
        first,
        last,
        girl,
        year_group,
        dob: Date::ymd(2021 - year_group, 9, 1).plus(rng.range(0, 364)),
        joined,
        earliest: joined.unwrap_or(Date::ymd(2023, 9, 5)),
        level,
        since: AS_OF,
        set: AS_OF,
        plan: None,
        key_worker: *rng.pick(&ctx.staff.tas),
        contacts: Vec::new(),
        needs: Vec::new(),
        assessments: Vec::new(),
        targets: Vec::new(),
        interventions: Vec::new(),
        reviews: Vec::new(),
        used: Vec::new(),
    };
    plan_contacts(&mut p, rng);
    plan_timeline(&mut p, rng);
    plan_needs(&mut p, rng);
    if level != MONITORING {
        plan_targets(&mut p, rng, &ctx.staff);
        plan_interventions(&mut p, rng, &ctx.staff);
    }
    p
}

fn plan_contacts(p: &mut Pupil, rng: &mut Rng) {
    let count = 1 + usize::from(rng.chance(35));
    let first_is_mother = rng.chance(70);
    for c in 0..count {
        let (relationship, titles, parental_responsibility): (&str, &[&str], bool) = match c {
            0 if first_is_mother => ("mother", &["Mrs", "Ms", "Miss"], true),
            0 => ("father", &["Mr"], true),
            _ => *rng.pick(SECOND_CONTACTS),
        };
        let relationship = if c > 0 && relationship == "parent" {
            if first_is_mother {
                "father"
            } else {
                "mother"
            }
        } else {
            relationship
        };
        let titles: &[&str] = if relationship == "father" {
            &["Mr"]
        } else if relationship == "mother" {
            &["Mrs", "Ms"]
        } else {
            titles
        };
        let surname = if rng.chance(80) { p.last } else { rng.pick(SURNAMES).0 };
        let name = format!("{} {}. {}", rng.pick(titles), INITIALS[rng.below(INITIALS.len())] as char, surname);
        p.contacts.push(Contact { name, relationship, parental_responsibility });
    }
}

/// The review history, the plan (for statutory pupils), the day targets were set
/// and the support start date.
fn plan_timeline(p: &mut Pupil, rng: &mut Rng) {
    if p.level == STATUTORY {
        let lo = Date::ymd(2023, 10, 2).max(p.dob.plus(3 * 365 + 150));
        let issued = day_between(rng, lo, Date::ymd(2026, 6, 30));
        // Snapped forward, so that holidays never lengthen the statutory gaps.
        let requested = school_day_on_or_after(issued.plus(-rng.range(98, 145)).max(EARLIEST));
        let decision = school_day_on_or_before(requested.plus(rng.range(25, 45))).max(requested);
        p.plan = Some(Plan { requested, decision, issued });
        // Annual reviews, each within 12 months of the last.
        let mut annual = school_day_on_or_before(issued.add_months(12).plus(-rng.range(14, 45)));
        while annual <= AS_OF {
            if annual >= p.earliest.plus(20) {
                p.reviews.push(Review { date: annual, kind: "annual" });
            }
            annual = school_day_on_or_before(annual.add_months(12).plus(-rng.range(7, 40)));
        }
    }
    let issued = p.plan.as_ref().map(|plan| plan.issued);
    if p.level != MONITORING {
        // School-based reviews about a term apart, the latest mostly within 12 weeks.
        let wanted = 1 + if p.level == STATUTORY { rng.weighted(&[15, 40, 45]) } else { rng.weighted(&[18, 42, 40]) };
        let lo = p.earliest.plus(30).max(issued.map_or(EARLIEST, |i| i.plus(30)));
        let last = if rng.chance(90) { AS_OF.plus(-rng.range(3, 75)) } else { AS_OF.plus(-rng.range(75, 200)) };
        let last = school_day_on_or_before(last).max(school_day_on_or_after(lo)).min(AS_OF);
        let mut d = last;
        while p.reviews.len() < wanted && d >= lo {
            if !p.reviews.iter().any(|r| r.date.days_until(d).abs() < 21) {
                let kind = match rng.below(10) {
                    0 => "interim",
                    1 if p.year_group == 6 => "transition",
                    _ => "termly",
                };
                p.reviews.push(Review { date: d, kind });
            }
            d = school_day_on_or_before(d.plus(-rng.range(70, 100)));
        }
        if p.reviews.is_empty() {
            p.reviews.push(Review { date: last, kind: "termly" });
        }
        p.reviews.sort_by_key(|r| r.date);
        let surplus = p.reviews.len().saturating_sub(3);
        p.reviews.drain(..surplus);
        if p.level == SUPPORT && p.reviews.len() == 1 && rng.chance(30) {
            p.reviews[0].kind = "initial";
        }
    }
    let set_lo = school_day_on_or_after(p.earliest.plus(7).max(issued.unwrap_or(EARLIEST)));
    p.set = match (p.reviews.first(), p.reviews.last()) {
        (Some(first), Some(last)) => school_day_on_or_before(first.date.plus(-rng.range(35, 80)))
            .max(set_lo)
            .min(school_day_on_or_before(last.date.plus(-14)))
            .max(EARLIEST),
        _ => day_between(rng, set_lo.min(AS_OF.plus(-20)), AS_OF.plus(-7)),
    };
    p.since = match issued {
        Some(issued) => issued,
        None => day_between(rng, p.earliest.max(p.set.plus(-300)), p.set),
    };
}

/// One primary need, maybe one or two more; assessments as their evidence.
fn plan_needs(p: &mut Pupil, rng: &mut Rng) {
    let primary_area = rng.weighted(&AREA_WEIGHTS);
    let fitting: Vec<usize> = (0..NEEDS.len()).filter(|&i| NEEDS[i].area == primary_area).collect();
    let mut chosen = vec![*rng.pick(&fitting)];
    let extra = if p.level == MONITORING { usize::from(rng.chance(15)) } else { rng.weighted(&[62, 30, 8]) };
    while chosen.len() < 1 + extra {
        let k = rng.below(NEEDS.len());
        if !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    let last_review = p.reviews.last().map(|r| r.date);
    for (n, &k) in chosen.iter().enumerate() {
        let tpl = &NEEDS[k];
        let mut evidence = Vec::new();
        if p.level != MONITORING && (n == 0 || rng.chance(50)) {
            let at = rng.pick(tpl.assessments);
            let date = day_between(rng, p.earliest.max(p.set.plus(-70)), p.set);
            let id = unique_id(&mut p.used, &format!("{}-{}", at.slug, date.year()));
            if rng.chance(80) {
                evidence.push(p.assessments.len());
            }
            p.assessments.push(Assessment { id, tpl: at, date, score: rng.range(at.lo, at.hi) });
            // Sometimes a re-test after the intervention has run for a while.
            if let Some(l) = last_review.filter(|l| n == 0 && p.set.plus(40) < *l && rng.chance(25)) {
                let date = day_between(rng, p.set.plus(40), l);
                let id = unique_id(&mut p.used, &format!("{}-{}", at.slug, date.year()));
                let score = (rng.range(at.lo, at.hi) + 4).min(at.hi);
                p.assessments.push(Assessment { id, tpl: at, date, score });
            }
        }
        let lo = p.earliest.max(p.since.plus(-60)).min(p.set);
        let hi = p.set.min(p.since.plus(20)).max(p.earliest);
        let identified = day_between(rng, lo, hi);
        let id = unique_id(&mut p.used, tpl.id);
        p.needs.push(Need { id, tpl, identified, evidence });
    }
    // Evidence indexes must follow the sort.
    let order: Vec<String> = p.assessments.iter().map(|a| a.id.clone()).collect();
    p.assessments.sort_by_key(|a| a.date);
    for need in &mut p.needs {
        for e in &mut need.evidence {
            let id = &order[*e];
            *e = p.assessments.iter().position(|a| a.id == *id).unwrap_or(0);
        }
    }
}

/// One or two targets for the primary need, maybe one for each other need.
fn plan_targets(p: &mut Pupil, rng: &mut Rng, staff: &StaffDir) {
    const FINAL: [&str; 7] =
        ["achieved", "achieved", "achieved", "partly-achieved", "partly-achieved", "not-achieved", "discontinued"];
    let last_review = p.reviews.last().map(|r| r.date);
    for n in 0..p.needs.len() {
        let tpl = p.needs[n].tpl;
        let count = if n == 0 { 1 + usize::from(rng.chance(35)) } else { usize::from(rng.chance(35)) };
        for tt in rng.sample(&(0..tpl.targets.len()).collect::<Vec<_>>(), count) {
            let tpl = &tpl.targets[tt];
            let days = if p.level == STATUTORY { rng.range(200, 380) } else { rng.range(70, 150) };
            let due = school_day_on_or_after(p.set.plus(days));
            let status = match last_review {
                Some(l) if due <= l => FINAL[rng.below(FINAL.len())],
                _ => "open",
            };
            let owner = match rng.below(10) {
                0..=3 => Some(p.key_worker),
                4..=5 => Some(*rng.pick(&staff.tas)),
                6..=7 => Some(*rng.pick(&staff.teachers)),
                8 => Some(staff.senco),
                _ => None,
            };
            p.targets.push(Target {
                id: unique_id(&mut p.used, tpl.slug),
                tpl,
                need: n,
                set: p.set,
                due,
                owner,
                status,
                base: rng.range(tpl.base.0, tpl.base.1),
                gain: rng.range(tpl.gain.0, tpl.gain.1),
            });
        }
    }
}

/// One block of provision per need with targets, sometimes a follow-up block,
/// and full-time support for most pupils with a statutory plan.
fn plan_interventions(p: &mut Pupil, rng: &mut Rng, staff: &StaffDir) {
    for n in 0..p.needs.len() {
        let tpl = p.needs[n].tpl;
        let served: Vec<usize> = (0..p.targets.len()).filter(|&t| p.targets[t].need == n).collect();
        if served.is_empty() {
            continue;
        }
        let mut start = school_day_on_or_after(p.set.plus(rng.range(3, 20))).min(school_day_on_or_before(AS_OF));
        for block in 0..2 {
            let prov = if rng.chance(80) { Some(provision(rng.pick::<&str>(tpl.provisions))) } else { None };
            let name = if prov.is_none() || rng.chance(15) { Some(*rng.pick(tpl.custom)) } else { None };
            let slug = prov.map_or("school", |pr| pr.id);
            let id = unique_id(&mut p.used, &format!("{slug}-{}", start.term_label()));
            let (sessions, minutes) = match prov {
                Some(pr) if rng.chance(85) => (pr.sessions, pr.minutes),
                Some(pr) => (pr.sessions.saturating_sub(1).max(1), pr.minutes + 5),
                None => (rng.range(1, 5) as u32, [10, 15, 20, 30][rng.below(4)]),
            };
            let group = match prov.map(|pr| pr.delivery) {
                Some("1:1") => 1,
                Some("whole-class") => rng.range(24, 30) as u32,
                Some(_) => rng.range(2, 6) as u32,
                None => rng.range(1, 4) as u32,
            };
            let planned_end = school_day_on_or_before(start.plus(rng.range(42, 98)));
            let (end, exit) = match rng.below(100) {
                0..=44 if planned_end <= AS_OF => {
                    let exit = school_day_on_or_before(planned_end.plus(-rng.range(0, 4))).max(start);
                    (Some(planned_end), Some(exit))
                }
                // Planned to run to the end of this term.
                45..=64 if start >= YEAR_START.plus(-120) => (Some(Date::ymd(2026, 12, 18).max(planned_end)), None),
                _ => (None, None),
            };
            let who = match prov.map(|pr| pr.id) {
                Some("elsa") if !staff.specialists.is_empty() => Some(*rng.pick(&staff.specialists)),
                _ if rng.chance(70) => Some(p.key_worker),
                _ if rng.chance(80) => Some(*rng.pick(&staff.tas)),
                _ => None,
            };
            p.interventions.push(Intervention {
                id,
                provision: prov,
                name,
                targets: served.clone(),
                start,
                end,
                exit,
                sessions,
                minutes,
                group,
                staff: who,
                entry: rng.chance(60),
            });
            // A second block follows some finished ones.
            let Some(e) = exit else { break };
            let next = school_day_on_or_after(e.plus(rng.range(7, 21)));
            if block > 0 || next > AS_OF.plus(-7) || !rng.chance(40) {
                break;
            }
            start = next;
        }
    }
    if p.level == STATUTORY && rng.chance(80) {
        let start = school_day_on_or_after(p.set.plus(rng.range(0, 10))).min(school_day_on_or_before(AS_OF));
        p.interventions.push(Intervention {
            id: unique_id(&mut p.used, "one-to-one"),
            provision: Some(provision("individual-support")),
            name: None,
            targets: (0..p.targets.len()).collect(),
            start,
            end: None,
            exit: None,
            sessions: 5,
            minutes: [120, 150, 180, 240, 300][rng.below(5)],
            group: 1,
            staff: Some(p.key_worker),
            entry: false,
        });
    }
}

fn pupil_yaml(ctx: &Ctx, p: &Pupil, rng: &mut Rng, buf: &mut String) {
    let (first, last) = (p.first, p.last);
    buf.clear();
    if rng.chance(15) {
        ln!(buf, "# {first} {last}: pupil record. Keep contact details up to date each September.");
    }
    ln!(buf, "id: {}", p.id);
    let preferred = match first {
        "Oliver" => Some("Olly"),
        "Alfie" => Some("Alf"),
        "Samuel" => Some("Sam"),
        "Muhammad" => Some("Mo"),
        "Zuzanna" => Some("Zuza"),
        _ => None,
    };
    match preferred {
        Some(pref) if rng.chance(60) => ln!(buf, "name: {{ first: {first}, last: {last}, preferred: {pref} }}"),
        _ => ln!(buf, "name: {{ first: {first}, last: {last} }}"),
    }
    ln!(buf, "date_of_birth: {}", p.dob);
    ln!(buf, "year_group: {}", p.year_group);
    let form = ['A', 'B', 'C'][rng.below(3)];
    if p.year_group == 0 {
        ln!(buf, "class: R{form}");
    } else {
        ln!(buf, "class: {}{form}", p.year_group);
    }
    if rng.chance(70) {
        wr!(buf, "upn: {}", INITIALS[rng.below(INITIALS.len())] as char);
        for _ in 0..12 {
            wr!(buf, "{}", rng.below(10));
        }
        ln!(buf);
    }
    ln!(buf, "gender: {}", if p.girl { "female" } else { "male" });
    let language = if rng.chance(80) { "English" } else { rng.pick(LANGUAGES) };
    ln!(buf, "first_language: {language}");
    if let Some(joined) = p.joined {
        ln!(buf, "joined: {joined}");
    }
    ln!(buf, "support:");
    ln!(buf, "  level: {}", ctx.jurisdiction.levels()[p.level]);
    if rng.chance(20) {
        ln!(buf, "  since: {}   # agreed at the pupil progress meeting", p.since);
    } else {
        ln!(buf, "  since: {}", p.since);
    }
    let next_setting = (p.year_group == 6).then(|| *rng.pick(NEXT_SETTINGS));
    if let Some(plan) = &p.plan {
        plan_yaml(ctx, p, plan, next_setting, rng, buf);
    } else if p.level == SUPPORT && rng.chance(4) {
        let requested = day_between(rng, AS_OF.plus(-100), AS_OF.plus(-5));
        ln!(buf, "  request:                # statutory assessment requested");
        ln!(buf, "    requested: {requested}");
        let decision = school_day_on_or_after(requested.plus(rng.range(28, 45)));
        if decision <= AS_OF {
            ln!(buf, "    decision: {decision}");
        }
    }
    if p.level != MONITORING || rng.chance(30) {
        let kw = &ctx.staff.all[p.key_worker].id;
        if rng.chance(15) {
            ln!(buf, "key_worker: {kw}   # also runs the morning check-in");
        } else {
            ln!(buf, "key_worker: {kw}");
        }
    }
    if rng.chance(if p.level == MONITORING { 20 } else { 60 }) {
        ln!(buf, "profile:");
        ln!(buf, "  about_me: {}", rng.pick(ABOUT_ME));
        for (key, pool) in
            [("strengths", STRENGTHS), ("what_helps", WHAT_HELPS), ("what_doesnt_help", WHAT_DOESNT_HELP)]
        {
            ln!(buf, "  {key}:");
            let k = 1 + rng.below(2);
            for s in rng.sample(pool, k) {
                ln!(buf, "    - {s}");
            }
        }
    }
    contacts_yaml(p, rng, buf);
    professionals_yaml(p, rng, buf);
    if rng.chance(88) {
        ln!(buf, "consent:");
        ln!(buf, "  information_sharing: {}", day_between(rng, p.earliest, p.since.max(p.earliest)));
    }
    if let Some(setting) = next_setting {
        ln!(buf, "transition:");
        ln!(buf, "  next_setting: {setting}");
        ln!(buf, "  date: {NEXT_SETTING_START}");
        ln!(buf, "  phase: primary-secondary");
    } else if p.year_group == 2 && rng.chance(10) {
        ln!(buf, "transition:");
        ln!(buf, "  next_setting: Hillside Junior School");
        ln!(buf, "  date: {NEXT_SETTING_START}");
        ln!(buf, "  phase: infant-junior");
    }
    if rng.chance(10) {
        ln!(buf, "x-mis-id: {}", 40_000 + p.index);
    }
}

fn contacts_yaml(p: &Pupil, rng: &mut Rng, buf: &mut String) {
    ln!(buf, "contacts:");
    for (c, contact) in p.contacts.iter().enumerate() {
        ln!(buf, "  - name: {}", contact.name);
        ln!(buf, "    relationship: {}", contact.relationship);
        ln!(buf, "    parental_responsibility: {}", contact.parental_responsibility);
        ln!(buf, "    phone: \"07700 900{:03}\"", rng.below(1000));
        if (c == 0 && rng.chance(85)) || rng.chance(30) {
            let mut words = contact.name.split(' ').skip(1);
            let initial = words.next().unwrap_or("x").trim_end_matches('.').to_ascii_lowercase();
            let surname: String = words.last().unwrap_or("parent").chars().filter(char::is_ascii_alphabetic).collect();
            ln!(buf, "    email: {initial}.{}@example.org", surname.to_ascii_lowercase());
        }
    }
}

/// `support.plan` and `support.request` of a pupil with a statutory plan.
fn plan_yaml(ctx: &Ctx, p: &Pupil, plan: &Plan, next_setting: Option<&str>, rng: &mut Rng, buf: &mut String) {
    let issued = plan.issued;
    ln!(buf, "  plan:");
    ln!(buf, "    issued: {issued}");
    ln!(buf, "    authority: {}", rng.pick(AUTHORITIES));
    if ctx.jurisdiction == Jurisdiction::UsIdea {
        let lo = AS_OF.plus(30).max(issued.add_months(12));
        ln!(buf, "    next_reevaluation: {}", day_between(rng, lo, Date::ymd(2027, 12, 10)));
        ln!(buf, "    progress_reporting: quarterly");
        ln!(buf, "    accommodations: [extra time, separate room, read aloud]");
        ln!(buf, "    participation: 30 minutes a day in the resource room for reading.");
    } else if let (Some(setting), true) = (next_setting, rng.chance(50)) {
        // Amended for the phase transfer, naming the secondary school.
        let amended = day_between(rng, YEAR_START.max(issued.plus(1)), AS_OF);
        ln!(buf, "    amended: {amended}   # phase transfer");
        ln!(buf, "    named_setting: {setting}");
    } else {
        let last_review = p.reviews.last().map(|r| r.date);
        if let Some(l) = last_review.filter(|l| *l > issued.plus(60) && rng.chance(40)) {
            ln!(buf, "    amended: {}", school_day_on_or_after(l.plus(rng.range(20, 40))).min(AS_OF).max(l));
        }
        ln!(buf, "    named_setting: Synthetic School");
    }
    ln!(buf, "  request:");
    ln!(buf, "    requested: {}", plan.requested);
    ln!(buf, "    decision: {}", plan.decision);
    ln!(buf, "    issued: {issued}");
}

fn professionals_yaml(p: &Pupil, rng: &mut Rng, buf: &mut String) {
    let count = match p.level {
        MONITORING => usize::from(rng.chance(10)),
        SUPPORT => rng.weighted(&[60, 32, 8]),
        _ => 1 + rng.weighted(&[30, 50, 20]),
    };
    if count == 0 {
        return;
    }
    let area = p.needs[0].tpl.area;
    let fitting: Vec<usize> = (0..SERVICES.len()).filter(|&s| SERVICES[s].2 == area || SERVICES[s].2 == 9).collect();
    if rng.chance(25) {
        ln!(buf, "professionals:   # multi-agency involvement");
    } else {
        ln!(buf, "professionals:");
    }
    for s in rng.sample(&fitting, count) {
        let (service, team, _) = SERVICES[s];
        ln!(buf, "  - service: {service}");
        if rng.chance(50) {
            ln!(buf, "    name: {team}");
        }
        ln!(buf, "    referred: {}", day_between(rng, p.earliest.max(AS_OF.plus(-700)), AS_OF.plus(-10)));
        let status = *rng.pick(PROF_STATUS);
        ln!(buf, "    status: {status}");
        if (status == "waiting" || status == "active") && rng.chance(60) {
            ln!(buf, "    next_contact: {}", school_day_on_or_after(AS_OF.plus(rng.range(7, 120))));
        }
    }
}

fn needs_yaml(ctx: &Ctx, p: &Pupil, rng: &mut Rng, buf: &mut String) {
    buf.clear();
    if rng.chance(15) {
        ln!(buf, "# Needs for {}. The primary need comes first.", p.first);
    }
    for (n, need) in p.needs.iter().enumerate() {
        let tpl = need.tpl;
        ln!(buf, "- id: {}", need.id);
        ln!(buf, "  area: {}", AREAS[tpl.area]);
        match ctx.jurisdiction {
            Jurisdiction::England if p.level != MONITORING || rng.chance(20) => {
                ln!(buf, "  type: {}", rng.pick(tpl.eng_types));
            }
            Jurisdiction::UsIdea if p.level != MONITORING => ln!(buf, "  type: {}", tpl.us_type),
            _ => {}
        }
        if n == 0 {
            if rng.chance(20) {
                ln!(buf, "  primary: true   # main barrier to learning");
            } else {
                ln!(buf, "  primary: true");
            }
        } else if rng.chance(50) {
            ln!(buf, "  primary: false");
        }
        ln!(buf, "  identified: {}", need.identified);
        let description = rng.pick(tpl.descriptions);
        if rng.chance(8) {
            ln!(buf, "  description: >");
            ln!(buf, "    {description}");
            ln!(buf, "    Discussed with parents, who see the same at home.");
        } else {
            ln!(buf, "  description: {description}");
        }
        if !need.evidence.is_empty() {
            let ids: Vec<&str> = need.evidence.iter().map(|&e| p.assessments[e].id.as_str()).collect();
            ln!(buf, "  evidence: [{}]", ids.join(", "));
        }
        ln!(buf, "  strategies:");
        let k = if n > 0 || p.level == MONITORING {
            1 + usize::from(rng.chance(50))
        } else {
            2 + usize::from(rng.chance(35))
        };
        for s in rng.sample(tpl.strategies, k) {
            ln!(buf, "    - {s}");
        }
    }
}

fn assessments_yaml(p: &Pupil, rng: &mut Rng, buf: &mut String) {
    buf.clear();
    if p.assessments.is_empty() {
        ln!(buf, "# No standardised assessments yet.");
        ln!(buf, "[]");
    }
    for a in &p.assessments {
        ln!(buf, "- id: {}", a.id);
        ln!(buf, "  date: {}", a.date);
        ln!(buf, "  tool: {}", a.tpl.tool);
        ln!(buf, "  measure: {}", a.tpl.measure);
        ln!(buf, "  score: {}", a.score);
        ln!(buf, "  scale: {}", a.tpl.scale);
        ln!(buf, "  assessor: {}", a.tpl.assessor);
        match rng.below(10) {
            0..=1 => ln!(buf, "  notes: Completed in a quiet room over two short sessions."),
            2 => {
                ln!(buf, "  notes: |");
                ln!(buf, "    Tired by the end; may underestimate.");
                ln!(buf, "    Re-test next term.");
            }
            _ => {}
        }
    }
}

fn targets_yaml(ctx: &Ctx, p: &Pupil, rng: &mut Rng, buf: &mut String) {
    buf.clear();
    if rng.chance(15) {
        ln!(buf, "# Outcomes agreed with {} and family on {}.", p.first, p.set);
    }
    for t in &p.targets {
        ln!(buf, "- id: {}", t.id);
        ln!(buf, "  need: {}", p.needs[t.need].id);
        ln!(buf, "  outcome: {} {}", p.first, t.tpl.outcome);
        ln!(buf, "  baseline: {}{}{}", t.tpl.baseline.0, t.base, t.tpl.baseline.1);
        ln!(buf, "  success_criteria: {}", t.tpl.criteria);
        ln!(buf, "  set: {}", t.set);
        ln!(buf, "  due: {}", t.due);
        if let Some(o) = t.owner {
            ln!(buf, "  owner: {}", ctx.staff.all[o].id);
        }
        ln!(buf, "  status: {}", t.status);
        if ctx.jurisdiction == Jurisdiction::UsIdea {
            ln!(buf, "  transition: false");
        }
    }
}

fn interventions_yaml(ctx: &Ctx, p: &Pupil, rng: &mut Rng, buf: &mut String) {
    buf.clear();
    if p.interventions.is_empty() {
        ln!(buf, "[]");
    }
    for iv in &p.interventions {
        ln!(buf, "- id: {}", iv.id);
        if let Some(pr) = iv.provision {
            ln!(buf, "  provision: {}", pr.id);
        }
        if let Some(name) = iv.name {
            ln!(buf, "  name: {name}");
        }
        let ids: Vec<&str> = iv.targets.iter().map(|&t| p.targets[t].id.as_str()).collect();
        ln!(buf, "  targets: [{}]", ids.join(", "));
        ln!(buf, "  start: {}", iv.start);
        if let Some(e) = iv.end {
            ln!(buf, "  end: {e}");
        }
        ln!(buf, "  sessions_per_week: {}", iv.sessions);
        ln!(buf, "  minutes: {}", iv.minutes);
        if iv.group > 1 && rng.chance(15) {
            ln!(buf, "  group_size: {}   # shared with pupils from other classes", iv.group);
        } else {
            ln!(buf, "  group_size: {}", iv.group);
        }
        if let Some(s) = iv.staff {
            ln!(buf, "  staff: {}", ctx.staff.all[s].id);
        }
        if iv.entry {
            let t = &p.targets[iv.targets[0]];
            let measure = t.tpl.measure;
            ln!(buf, "  entry: {{ date: {}, score: {}, measure: {measure}, scale: raw }}", iv.start, t.base);
            if let Some(x) = iv.exit {
                ln!(buf, "  exit: {{ date: {x}, score: {}, measure: {measure}, scale: raw }}", t.base + t.gain);
            }
        }
    }
}

fn review_yaml(ctx: &Ctx, p: &Pupil, r: usize, rng: &mut Rng, buf: &mut String) {
    let review = &p.reviews[r];
    let staff = &ctx.staff;
    let teacher = &staff.all[staff.teachers[(p.year_group as usize * 3 + r) % staff.teachers.len()]].name;
    buf.clear();
    if rng.chance(15) {
        ln!(buf, "# {} review for {} {}.", review.kind, p.first, p.last);
    }
    ln!(buf, "date: {}", review.date);
    ln!(buf, "kind: {}", review.kind);
    ln!(buf, "attendees:");
    ln!(buf, "  - {{ name: {}, role: SENCO }}", staff.all[staff.senco].name);
    // The last review is the one that counts for the voice rules: mostly complete.
    let last = r + 1 == p.reviews.len();
    let parent_there = rng.chance(if last { 92 } else { 85 });
    if parent_there {
        let c = &p.contacts[rng.below(p.contacts.len())];
        let role = if c.relationship == "carer" { "carer" } else { "parent" };
        ln!(buf, "  - {{ name: {}, role: {role} }}", c.name);
    }
    if rng.chance(70) {
        ln!(buf, "  - {{ name: {teacher}, role: teacher }}");
    }
    if rng.chance(25) {
        ln!(buf, "  - {{ name: {}, role: pupil }}", p.first);
    }
    let annual = review.kind == "annual";
    if annual {
        ln!(buf, "  - {{ name: Northshire SEN officer, role: local-authority }}");
        if rng.chance(50) {
            ln!(buf, "  - {{ name: NHS SALT team, role: therapist }}");
        }
    }
    if rng.chance(if last { 90 } else { 65 }) {
        ln!(buf, "pupil_voice: {}", rng.pick(PUPIL_VOICE));
    }
    if parent_there && rng.chance(if last { 92 } else { 85 }) {
        ln!(buf, "parent_voice: {}", rng.pick(PARENT_VOICE));
    }
    let mut header = false;
    for t in p.targets.iter().filter(|t| t.set < review.date) {
        if !header {
            ln!(buf, "targets:");
            header = true;
        }
        let progress = if t.due <= review.date {
            t.status
        } else if rng.chance(50) {
            "open"
        } else {
            "partly-achieved"
        };
        ln!(buf, "  - target: {}", t.id);
        ln!(buf, "    progress: {progress}");
        let notes = PROGRESS_NOTES.iter().find(|n| n.0 == progress).map_or(&[][..], |n| n.1);
        if !notes.is_empty() && rng.chance(40) {
            ln!(buf, "    note: {}", rng.pick(notes));
        }
    }
    let actions = rng.weighted(&[50, 40, 10]);
    if actions > 0 {
        ln!(buf, "actions:");
        for action in rng.sample(ACTIONS, actions) {
            let due = school_day_on_or_after(review.date.plus(rng.range(7, 42)));
            wr!(buf, "  - {{ action: {action}, owner: senco, due: {due}");
            // Most actions that have fallen due are done (`done` is senco's documented extension).
            if due < AS_OF && rng.chance(85) {
                wr!(buf, ", done: {}", day_between(rng, review.date.plus(1), due.plus(10).min(AS_OF)));
            }
            ln!(buf, " }}");
        }
    }
    let next =
        if annual { review.date.add_months(12).plus(-rng.range(20, 40)) } else { review.date.plus(rng.range(70, 84)) };
    if rng.chance(85) {
        ln!(buf, "next_review: {}", school_day_on_or_after(next));
    }
    if annual {
        annual_review_yaml(review.date, rng, buf);
    }
}

/// The statutory fields of an annual review: invitations, papers, report, decision.
fn annual_review_yaml(date: Date, rng: &mut Rng, buf: &mut String) {
    ln!(buf, "invited:");
    ln!(buf, "  - {{ name: Northshire SEN officer, role: local-authority }}");
    ln!(buf, "  - {{ name: School nurse, role: health }}");
    if rng.chance(75) {
        ln!(buf, "  - {{ name: Social worker, role: social-care }}");
    }
    // A few are late, so that the notice rules have something to find.
    let late = rng.chance(8);
    let sent = school_day_on_or_before(date.plus(-rng.range(if late { 7 } else { 21 }, 28)));
    ln!(buf, "invitations_sent: {sent}");
    let papers = school_day_on_or_before(date.plus(-rng.range(if late { 5 } else { 14 }, 20))).max(sent);
    ln!(buf, "papers_circulated: {papers}");
    let report = if late {
        school_day_on_or_after(date.plus(rng.range(15, 25)))
    } else {
        school_day_on_or_before(date.plus(rng.range(3, 13))).max(date)
    };
    if report <= AS_OF {
        ln!(buf, "report_sent: {report}");
    }
    let decision = date.plus(rng.range(14, 27));
    if decision <= AS_OF {
        ln!(buf, "la_decision: {}", school_day_on_or_before(decision).max(date));
    }
}

/// Generates and writes pupil number `index` (0-based).
fn write_pupil(ctx: &Ctx, index: usize, buf: &mut String, stats: &mut Stats) -> io::Result<()> {
    let mut rng = Rng::new(ctx.seed, index as u64 + 1);
    let p = plan_pupil(ctx, index, &mut rng);
    stats.levels[p.level] += 1;
    let dir = ctx.root.join("pupils").join(&p.id);
    fs::create_dir(&dir)?;
    pupil_yaml(ctx, &p, &mut rng, buf);
    put(&dir.join("pupil.yaml"), buf, stats)?;
    needs_yaml(ctx, &p, &mut rng, buf);
    put(&dir.join("needs.yaml"), buf, stats)?;
    if p.level == MONITORING {
        return Ok(());
    }
    assessments_yaml(&p, &mut rng, buf);
    put(&dir.join("assessments.yaml"), buf, stats)?;
    targets_yaml(ctx, &p, &mut rng, buf);
    put(&dir.join("targets.yaml"), buf, stats)?;
    interventions_yaml(ctx, &p, &mut rng, buf);
    put(&dir.join("interventions.yaml"), buf, stats)?;
    let reviews = dir.join("reviews");
    fs::create_dir(&reviews)?;
    for r in 0..p.reviews.len() {
        review_yaml(ctx, &p, r, &mut rng, buf);
        put(&reviews.join(format!("{}.yaml", p.reviews[r].date)), buf, stats)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Driver

struct Args {
    dir: PathBuf,
    pupils: usize,
    seed: u64,
    jurisdiction: Jurisdiction,
}

fn parse_args() -> Result<Args, String> {
    let mut dir = None;
    let mut pupils = None;
    let mut seed = 1u64;
    let mut jurisdiction = Jurisdiction::England;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| inline.clone().or_else(|| args.next()).ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--pupils" => pupils = Some(value("--pupils")?.parse::<usize>().map_err(|e| format!("--pupils: {e}"))?),
            "--seed" => seed = value("--seed")?.parse::<u64>().map_err(|e| format!("--seed: {e}"))?,
            "--jurisdiction" => {
                let v = value("--jurisdiction")?;
                jurisdiction =
                    Jurisdiction::parse(&v).ok_or(format!("unknown jurisdiction `{v}` (england, wales, us-idea)"))?;
            }
            f if f.starts_with('-') => return Err(format!("unknown option `{f}`")),
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    let dir = dir.ok_or("missing DIR")?;
    let pupils = pupils.ok_or("missing --pupils N")?;
    if pupils > 999_999 {
        return Err("--pupils must be at most 999999".into());
    }
    Ok(Args { dir, pupils, seed, jurisdiction })
}

fn run(args: Args) -> io::Result<Stats> {
    if args.dir.exists() && fs::read_dir(&args.dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{}` exists and is not empty; refusing to write into it", args.dir.display()),
        ));
    }
    fs::create_dir_all(args.dir.join("pupils"))?;
    let mut stats = Stats::default();
    put(&args.dir.join("senco.toml"), &settings_toml(args.jurisdiction), &mut stats)?;
    put(&args.dir.join("catalogue.yaml"), &catalogue_yaml(), &mut stats)?;
    let mut staff_yaml = String::new();
    let staff = build_staff(args.seed, args.pupils, &mut staff_yaml);
    put(&args.dir.join("staff.yaml"), &staff_yaml, &mut stats)?;

    let ctx = Ctx { root: args.dir, seed: args.seed, jurisdiction: args.jurisdiction, staff };
    let next = AtomicUsize::new(0);
    let total = Mutex::new(stats);
    let threads = std::thread::available_parallelism().map_or(4, std::num::NonZero::get).min(16);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> io::Result<()> {
                    let mut mine = Stats::default();
                    let mut buf = String::with_capacity(8192);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= args.pupils {
                            break;
                        }
                        write_pupil(&ctx, i, &mut buf, &mut mine)?;
                    }
                    let mut t = total.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    t.files += mine.files;
                    t.bytes += mine.bytes;
                    for (sum, n) in t.levels.iter_mut().zip(mine.levels) {
                        *sum += n;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|_| Err(io::Error::other("a writer thread panicked"))))
    })?;
    Ok(total.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("gen: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (pupils, dir) = (args.pupils, args.dir.clone());
    let started = Instant::now();
    match run(args) {
        Ok(stats) => {
            let secs = started.elapsed().as_secs_f64();
            let [monitoring, support, statutory] = stats.levels;
            let levels = format!("{monitoring} monitoring, {support} support, {statutory} statutory");
            eprintln!(
                "gen: {pupils} pupils ({levels}), {} files, {} bytes ({:.1} MB) in {secs:.2}s -> {}",
                stats.files,
                stats.bytes,
                stats.bytes as f64 / 1e6,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::from(2)
        }
    }
}
