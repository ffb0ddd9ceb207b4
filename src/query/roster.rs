//! `senco import roster`: reconciling the pupils on record with a roster
//! exported from the school's MIS (SIMS, Arbor, Bromcom, ScholarPack).
//!
//! Three pure steps, each tested here:
//! 1. [`parse_csv`]: RFC 4180 text (quoted fields, doubled quotes, line breaks
//!    inside quotes, CRLF, a byte-order mark) into rows of located cells;
//! 2. [`RosterMap`] + [`read_roster`]: the map (a preset, or a small TOML
//!    file, docs/import.md) names the columns and the date format; every cell
//!    that cannot be read is a located error (file, line, column), never a
//!    silent non-match;
//! 3. [`reconcile`]: the roster against the records: new SEN pupils with no
//!    folder, year group and class changes, name changes, pupils on record
//!    but not on the roll, SEN status against the recorded level, and
//!    ambiguous matches (listed, never guessed).
//!
//! The UPN is used to match and nothing else: no message, row or field here
//! carries it (only [`MisPupil::upn`], which `edit::roster` writes into a new
//! skeleton when the school already records UPNs).

use crate::model::settings::Jurisdiction;
use crate::model::{text, Level, Pupil};
use crate::repo::Repo;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

// ---------------------------------------------------------------- locations

/// A problem at a place in the roster or the map: the command names the
/// file, so a message reads `roster.csv:5:12: ...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub hint: Option<String>,
}

impl Located {
    fn new(line: u32, column: u32, message: impl Into<String>, hint: Option<String>) -> Located {
        Located { line, column, message: message.into(), hint }
    }
}

// ---------------------------------------------------------------------- CSV

/// One cell with where it starts (1-based line and character column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub line: u32,
    pub column: u32,
}

/// One record of the CSV file (it may span lines when a quoted cell holds a
/// line break).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvRow {
    pub line: u32,
    pub cells: Vec<Cell>,
}

/// Where an invalid UTF-8 byte sits, as a located error.
pub fn utf8_text(bytes: &[u8]) -> Result<&str, Located> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
        let line = good.matches('\n').count() as u32 + 1;
        let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        Located::new(
            line,
            column,
            "the file is not UTF-8 text (an MIS often exports in the Windows character set)",
            Some(
                "save it again as \"CSV UTF-8\" (Excel: File > Save As > CSV UTF-8), then run the import again".into(),
            ),
        )
    })
}

/// Parses CSV text (RFC 4180; a leading byte-order mark, LF, CRLF or lone CR
/// line endings). Blank lines are skipped. A quoted cell may hold commas,
/// doubled quotes and line breaks; a quote left open, or text after a
/// closing quote, is a located error.
pub fn parse_csv(text: &str) -> Result<Vec<CsvRow>, Located> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut chars = text.chars().peekable();
    let (mut line, mut col) = (1u32, 1u32);
    let mut rows = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut row_line = 1;
    loop {
        let (start_line, start_col) = (line, col);
        let mut cell = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            col += 1;
            loop {
                match chars.next() {
                    None => return Err(Located::new(
                        start_line,
                        start_col,
                        "a quoted cell is never closed: the file ends inside it",
                        Some(
                            "a cell that starts with `\"` ends with `\"`; a quote inside it is written twice (`\"\"`)"
                                .into(),
                        ),
                    )),
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        col += 2;
                        cell.push('"');
                    }
                    Some('"') => {
                        col += 1;
                        break;
                    }
                    Some('\r') => {
                        if chars.peek() == Some(&'\n') {
                            chars.next();
                        }
                        cell.push('\n');
                        (line, col) = (line + 1, 1);
                    }
                    Some('\n') => {
                        cell.push('\n');
                        (line, col) = (line + 1, 1);
                    }
                    Some(c) => {
                        cell.push(c);
                        col += 1;
                    }
                }
            }
            if let Some(&c) = chars.peek() {
                if !matches!(c, ',' | '\r' | '\n') {
                    return Err(Located::new(
                        line,
                        col,
                        format!("`{}` follows the closing quote of a cell", c.escape_default()),
                        Some(
                            "a quote inside a quoted cell is written twice (`\"\"`); a cell ends at its closing quote"
                                .into(),
                        ),
                    ));
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if matches!(c, ',' | '\r' | '\n') {
                    break;
                }
                cell.push(c);
                chars.next();
                col += 1;
            }
        }
        cells.push(Cell { text: cell, line: start_line, column: start_col });
        match chars.next() {
            Some(',') => col += 1,
            end => {
                if end == Some('\r') && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                let blank = cells.len() == 1 && cells[0].text.is_empty();
                if !blank {
                    rows.push(CsvRow { line: row_line, cells: std::mem::take(&mut cells) });
                }
                cells.clear();
                if end.is_none() {
                    return Ok(rows);
                }
                (line, col) = (line + 1, 1);
                row_line = line;
            }
        }
    }
}

// ---------------------------------------------------------------------- map

/// How the roster writes dates of birth. ISO `YYYY-MM-DD` is always read too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateFormat {
    /// Day, month, year: the UK presets (`dd/mm/yyyy`).
    Dmy(char),
    /// Month, day, year (`mm/dd/yyyy`).
    Mdy(char),
    /// Year, month, day (`yyyy-mm-dd`, `yyyy/mm/dd`).
    Ymd(char),
}

impl DateFormat {
    pub const NAMES: [&'static str; 8] = [
        "dd/mm/yyyy",
        "dd-mm-yyyy",
        "dd.mm.yyyy",
        "mm/dd/yyyy",
        "mm-dd-yyyy",
        "yyyy-mm-dd",
        "yyyy/mm/dd",
        "yyyy.mm.dd",
    ];

    pub fn parse(s: &str) -> Option<DateFormat> {
        // strftime's spelling too: `%d/%m/%Y`.
        let s = s.trim().to_ascii_lowercase().replace("%d", "dd").replace("%m", "mm").replace("%y", "yyyy");
        if !DateFormat::NAMES.contains(&s.as_str()) {
            return None;
        }
        let s = s.replace("dd", "d").replace("mm", "m").replace("yyyy", "y");
        let b: Vec<char> = s.chars().collect();
        if b.len() != 5 || b[1] != b[3] || !matches!(b[1], '/' | '-' | '.') {
            return None;
        }
        let sep = b[1];
        match (b[0], b[2], b[4]) {
            ('d', 'm', 'y') => Some(DateFormat::Dmy(sep)),
            ('m', 'd', 'y') => Some(DateFormat::Mdy(sep)),
            ('y', 'm', 'd') => Some(DateFormat::Ymd(sep)),
            _ => None,
        }
    }

    pub fn name(self) -> String {
        match self {
            DateFormat::Dmy(s) => format!("dd{s}mm{s}yyyy"),
            DateFormat::Mdy(s) => format!("mm{s}dd{s}yyyy"),
            DateFormat::Ymd(s) => format!("yyyy{s}mm{s}dd"),
        }
    }

    /// Reads a date as the roster writes it. A time of midnight after the
    /// date (`14/03/2016 00:00:00`, as some exports add) is allowed.
    pub fn read(self, cell: &str) -> Result<NaiveDate, String> {
        let t = cell.trim();
        let t = t.strip_suffix(" 00:00:00").or_else(|| t.strip_suffix(" 00:00")).unwrap_or(t).trim();
        if let Ok(d) = crate::repo::decode::parse_date(t) {
            return Ok(d);
        }
        let sep = match self {
            DateFormat::Dmy(s) | DateFormat::Mdy(s) | DateFormat::Ymd(s) => s,
        };
        let parts: Vec<&str> = t.split(sep).collect();
        let shape = format!("it is not written {} (the map's date format) or YYYY-MM-DD", self.name());
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(shape);
        }
        let (y, m, d) = match self {
            DateFormat::Dmy(_) => (parts[2], parts[1], parts[0]),
            DateFormat::Mdy(_) => (parts[2], parts[0], parts[1]),
            DateFormat::Ymd(_) => (parts[0], parts[1], parts[2]),
        };
        if y.len() != 4 || m.len() > 2 || d.len() > 2 {
            return Err(format!("{shape}; the year needs four digits"));
        }
        let (y, m, d) = (y.parse::<i32>().unwrap_or(0), m.parse::<u32>().unwrap_or(0), d.parse::<u32>().unwrap_or(0));
        if !(1..=12).contains(&m) {
            return Err(format!("there is no month {m} (read as {})", self.name()));
        }
        NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("day {d} does not exist in month {m} of {y}"))
    }
}

/// The columns of a roster, by their header text (matched ignoring case and
/// surrounding spaces). `None`: the export has no such column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    pub upn: Option<String>,
    pub first_name: String,
    pub preferred_name: Option<String>,
    pub last_name: String,
    pub date_of_birth: String,
    pub year_group: Option<String>,
    pub class: Option<String>,
    pub sen_status: Option<String>,
}

/// What the roster's columns are called and how its cells are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterMap {
    /// `sims`, ..., or the map file's name: said in the output.
    pub source: String,
    pub columns: Columns,
    pub date_format: DateFormat,
    /// SEN status cells (normalised: lowercase letters and digits) to a
    /// level; `None`: no SEN. Added to (and overriding) the defaults.
    pub sen_values: BTreeMap<String, Option<Level>>,
    /// The optional columns a map file names itself (`[columns]`): a roster
    /// without them is an error. A preset's optional columns the roster
    /// lacks are not read, and the report says so ([`missing_columns`]).
    pub named: BTreeSet<String>,
}

/// The presets: column names of common MIS exports. Starting points: a
/// school's own export may name columns differently (docs/import.md).
pub const PRESETS: [&str; 4] = ["sims", "arbor", "bromcom", "scholarpack"];

pub fn preset(name: &str) -> Option<RosterMap> {
    #[allow(clippy::type_complexity)]
    let (upn, first, preferred, last, dob, year, class, sen): (&str, &str, &str, &str, &str, &str, &str, &str) =
        match name.trim().to_ascii_lowercase().as_str() {
            "sims" => (
                "UPN",
                "Legal Forename",
                "Preferred Forename",
                "Legal Surname",
                "DOB",
                "Year",
                "Reg Group",
                "SEN Status",
            ),
            "arbor" => (
                "UPN",
                "Legal First Name",
                "Preferred First Name",
                "Legal Last Name",
                "Date of Birth",
                "Year Group",
                "Registration Form",
                "SEN Status",
            ),
            "bromcom" => (
                "UPN",
                "Forename",
                "Preferred Name",
                "Surname",
                "Date Of Birth",
                "Year Group",
                "Tutor Group",
                "SEN Status",
            ),
            "scholarpack" => ("UPN", "Forename", "Preferred Name", "Surname", "DOB", "Year", "Class", "SEN Status"),
            _ => return None,
        };
    let s = |v: &str| Some(v.to_string());
    Some(RosterMap {
        source: name.trim().to_ascii_lowercase(),
        columns: Columns {
            upn: s(upn),
            first_name: first.into(),
            preferred_name: s(preferred),
            last_name: last.into(),
            date_of_birth: dob.into(),
            year_group: s(year),
            class: s(class),
            sen_status: s(sen),
        },
        date_format: DateFormat::Dmy('/'),
        sen_values: BTreeMap::new(),
        named: BTreeSet::new(),
    })
}

/// A map file: `preset`, `date_format`, `[columns]`, `[sen_values]`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    preset: Option<toml::Spanned<String>>,
    date_format: Option<toml::Spanned<String>>,
    columns: Option<ColumnsFile>,
    #[serde(default)]
    sen_values: BTreeMap<String, toml::Spanned<String>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnsFile {
    upn: Option<String>,
    first_name: Option<String>,
    preferred_name: Option<String>,
    last_name: Option<String>,
    date_of_birth: Option<String>,
    year_group: Option<String>,
    class: Option<String>,
    sen_status: Option<String>,
}

fn at_byte(text: &str, byte: usize, message: String, hint: Option<String>) -> Located {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Located::new(line, column, message, hint)
}

/// The words an SEN status cell may hold: `none`, or a support level.
fn sen_level(word: &str) -> Option<Option<Level>> {
    if word.trim() == "none" {
        return Some(None);
    }
    Level::parse(word.trim()).map(Some)
}

/// Reads a map file (`--map`), starting from `base` (from `--preset`) or
/// from its own `preset = "..."`. Every problem is located in the map file.
pub fn read_map(text: &str, name: &str, base: Option<RosterMap>) -> Result<RosterMap, Located> {
    let file: MapFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        let hint = message
            .strip_prefix("unknown field `")
            .and_then(|r| r.split_once('`'))
            .and_then(|(f, rest)| {
                let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
                crate::repo::decode::suggest(f, expected.iter().copied()).map(|s| format!("did you mean `{s}`?"))
            })
            .or_else(|| Some("the map file is described in docs/import.md".into()));
        at_byte(text, e.span().map_or(0, |s| s.start), format!("the map could not be read: {message}"), hint)
    })?;
    let mut map = match (&file.preset, base) {
        (Some(p), _) => preset(p.get_ref()).ok_or_else(|| {
            at_byte(
                text,
                p.span().start,
                format!("`{}` is not a preset", p.get_ref()),
                Some(format!("the presets are {}", crate::repo::decode::list(&PRESETS))),
            )
        })?,
        (None, Some(b)) => b,
        (None, None) => {
            let Some(c) = &file.columns else {
                return Err(Located::new(
                    1,
                    1,
                    "the map names no columns and no preset",
                    Some("add `preset = \"sims\"` (or arbor, bromcom, scholarpack), or a [columns] table".into()),
                ));
            };
            let need = |v: &Option<String>, key: &str| {
                v.clone().filter(|v| !v.trim().is_empty()).ok_or_else(|| {
                    Located::new(
                        1,
                        1,
                        format!("the map's [columns] has no `{key}`, and no preset gives one"),
                        Some(format!("add `{key} = \"...\"` under [columns]: the header of that column in the export")),
                    )
                })
            };
            RosterMap {
                source: String::new(),
                columns: Columns {
                    upn: None,
                    first_name: need(&c.first_name, "first_name")?,
                    preferred_name: None,
                    last_name: need(&c.last_name, "last_name")?,
                    date_of_birth: need(&c.date_of_birth, "date_of_birth")?,
                    year_group: None,
                    class: None,
                    sen_status: None,
                },
                date_format: DateFormat::Dmy('/'),
                sen_values: BTreeMap::new(),
                named: BTreeSet::new(),
            }
        }
    };
    map.source = name.to_string();
    if let Some(c) = file.columns {
        for (key, v) in [
            ("upn", &c.upn),
            ("preferred_name", &c.preferred_name),
            ("year_group", &c.year_group),
            ("class", &c.class),
            ("sen_status", &c.sen_status),
        ] {
            if v.as_ref().is_some_and(|v| !v.trim().is_empty()) {
                map.named.insert(key.to_string());
            }
        }
        let opt = |v: Option<String>, old: &mut Option<String>| {
            if let Some(v) = v {
                *old = Some(v).filter(|v| !v.trim().is_empty());
            }
        };
        let req = |v: Option<String>, old: &mut String| {
            if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
                *old = v;
            }
        };
        opt(c.upn, &mut map.columns.upn);
        req(c.first_name, &mut map.columns.first_name);
        opt(c.preferred_name, &mut map.columns.preferred_name);
        req(c.last_name, &mut map.columns.last_name);
        req(c.date_of_birth, &mut map.columns.date_of_birth);
        opt(c.year_group, &mut map.columns.year_group);
        opt(c.class, &mut map.columns.class);
        opt(c.sen_status, &mut map.columns.sen_status);
    }
    if let Some(f) = &file.date_format {
        map.date_format = DateFormat::parse(f.get_ref()).ok_or_else(|| {
            at_byte(
                text,
                f.span().start,
                format!("`{}` is not a date format senco knows", f.get_ref()),
                Some(format!("use one of {}", crate::repo::decode::list(&DateFormat::NAMES))),
            )
        })?;
    }
    for (k, v) in &file.sen_values {
        let level = sen_level(v.get_ref()).ok_or_else(|| {
            at_byte(
                text,
                v.span().start,
                format!("`{}` is not a support level", v.get_ref()),
                Some("write `none` (no SEN) or a support level of docs/format.md, e.g. `sen-support`, `ehcp`".into()),
            )
        })?;
        map.sen_values.insert(norm_word(k), level);
    }
    Ok(map)
}

/// Lowercase letters and digits only: `EHC Plan` and `ehc-plan` are one word.
fn norm_word(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The SEN status words every map reads (before its own `[sen_values]`):
/// England's census codes and the words exports use for them; elsewhere,
/// only "no SEN".
fn default_sen(j: Jurisdiction, word: &str) -> Option<Option<Level>> {
    match word {
        "" | "n" | "no" | "none" | "nosen" | "notsen" | "nosend" | "nnosen" | "nosenn" | "nnone" => return Some(None),
        _ => {}
    }
    if j != Jurisdiction::England {
        return None;
    }
    match word {
        // Also with the code before or after the words: `K - SEN Support`, `EHC Plan (E)`.
        "k" | "sensupport" | "support" | "sen" | "schoolsupport" | "ksensupport" | "sensupportk" => {
            Some(Some(Level::SenSupport))
        }
        "e"
        | "ehcp"
        | "ehc"
        | "ehcplan"
        | "educationhealthandcareplan"
        | "statement"
        | "s"
        | "eehcp"
        | "ehcpe"
        | "eehcplan"
        | "ehcplane"
        | "eeducationhealthandcareplan" => Some(Some(Level::Ehcp)),
        _ => None,
    }
}

// ------------------------------------------------------------------- roster

/// The MIS's SEN status of a pupil.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MisSen {
    /// The roster has no SEN status column.
    NotGiven,
    /// No SEN.
    No,
    Level(Level),
}

impl MisSen {
    pub fn word(self) -> &'static str {
        match self {
            MisSen::NotGiven => "not given",
            MisSen::No => "none",
            MisSen::Level(l) => l.as_str(),
        }
    }
}

/// One pupil of the roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MisPupil {
    /// The line of the CSV file the pupil's row starts on.
    pub line: u32,
    /// For matching (and a new skeleton, when the school records UPNs): never shown.
    pub upn: Option<String>,
    pub first: String,
    pub preferred: Option<String>,
    pub last: String,
    pub dob: NaiveDate,
    pub year: Option<i64>,
    pub class: Option<String>,
    pub sen: MisSen,
}

impl MisPupil {
    /// The name the pupil goes by, then the surname.
    pub fn name(&self) -> String {
        format!("{} {}", self.preferred.as_deref().unwrap_or(&self.first), self.last)
    }
}

/// A cell as text: trimmed, with the invisible characters a spreadsheet
/// leaves around pasted names taken off.
fn tidy(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c.is_control() || crate::edit::scaffold::invisible(c))
}

/// A column of a preset that the roster does not have: not read.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct MissingColumn {
    /// The map key: `preferred_name`, `sen_status`, ...
    pub key: String,
    /// The header the preset looks for.
    pub header: String,
}

/// The optional columns of a preset that the roster's header lacks (and no
/// map file names): they are not read. Required columns, and columns a map
/// file names, are errors instead (`read_roster`).
pub fn missing_columns(header: &CsvRow, map: &RosterMap) -> Vec<MissingColumn> {
    let names: Vec<String> = header.cells.iter().map(|c| tidy(&c.text).to_lowercase()).collect();
    let c = &map.columns;
    [
        ("upn", &c.upn),
        ("preferred_name", &c.preferred_name),
        ("year_group", &c.year_group),
        ("class", &c.class),
        ("sen_status", &c.sen_status),
    ]
    .into_iter()
    .filter_map(|(key, want)| {
        let want = want.as_ref()?;
        let absent = !names.contains(&tidy(want).to_lowercase());
        (absent && !map.named.contains(key)).then(|| MissingColumn { key: key.into(), header: want.clone() })
    })
    .collect()
}

/// How many of a map's columns the header has, and whether it has the
/// three every roster needs: for choosing a preset.
pub fn fit(header: &CsvRow, map: &RosterMap) -> (bool, usize) {
    let names: Vec<String> = header.cells.iter().map(|c| tidy(&c.text).to_lowercase()).collect();
    let has = |w: &str| names.contains(&tidy(w).to_lowercase());
    let c = &map.columns;
    let required = has(&c.first_name) && has(&c.last_name) && has(&c.date_of_birth);
    let optional = [&c.upn, &c.preferred_name, &c.year_group, &c.class, &c.sen_status]
        .into_iter()
        .filter(|w| w.as_deref().is_some_and(has))
        .count();
    (required, optional)
}

/// Reads the roster's rows through the map. Every problem is returned (all
/// of them, in file order), each located at its cell.
pub fn read_roster(rows: &[CsvRow], map: &RosterMap, j: Jurisdiction) -> Result<Vec<MisPupil>, Vec<Located>> {
    let Some(header) = rows.first() else {
        return Err(vec![Located::new(
            1,
            1,
            "the roster is empty: it has no header line",
            Some("export the roster again from the MIS, with a header line naming the columns".into()),
        )]);
    };
    let names: Vec<String> = header.cells.iter().map(|c| tidy(&c.text).to_lowercase()).collect();
    let mut errors = Vec::new();
    let find = |want: &str, errors: &mut Vec<Located>, key: &str| -> Option<usize> {
        let w = tidy(want).to_lowercase();
        let found: Vec<usize> = names.iter().enumerate().filter(|(_, n)| **n == w).map(|(i, _)| i).collect();
        match found.as_slice() {
            [i] => Some(*i),
            [] => {
                let heads: Vec<&str> = header.cells.iter().map(|c| tidy(&c.text)).collect();
                let near = crate::repo::decode::suggest(want, heads.iter().copied());
                errors.push(Located::new(
                    header.line,
                    1,
                    format!("the roster has no column `{want}` (the map's `{key}`, from {})", map.source),
                    Some(match near {
                        Some(n) => format!("did you mean `{n}`? set `{key} = \"{n}\"` under [columns] in a map file (--map)"),
                        None => format!(
                            "its columns are {}; name the right one with `{key} = \"...\"` under [columns] in a map file (--map)",
                            crate::repo::decode::list(&heads)
                        ),
                    }),
                ));
                None
            }
            [_, second, ..] => {
                errors.push(Located::new(
                    header.line,
                    header.cells[*second].column,
                    format!("the roster has two columns named `{want}`"),
                    Some("rename one of them in the export, so senco knows which to read".into()),
                ));
                None
            }
        }
    };
    let c = &map.columns;
    let first = find(&c.first_name, &mut errors, "first_name");
    let last = find(&c.last_name, &mut errors, "last_name");
    let dob = find(&c.date_of_birth, &mut errors, "date_of_birth");
    let soft = missing_columns(header, map);
    let mut opt = |name: &Option<String>, key: &str| {
        if soft.iter().any(|m| m.key == key) {
            return None;
        }
        name.as_ref().and_then(|n| find(n, &mut errors, key))
    };
    let upn = opt(&c.upn, "upn");
    let preferred = opt(&c.preferred_name, "preferred_name");
    let year = opt(&c.year_group, "year_group");
    let class = opt(&c.class, "class");
    let sen = opt(&c.sen_status, "sen_status");
    let (Some(first), Some(last), Some(dob)) = (first, last, dob) else { return Err(errors) };
    if !errors.is_empty() {
        return Err(errors);
    }
    let width = header.cells.len();
    let mut out = Vec::new();
    for row in &rows[1..] {
        if row.cells.len() != width {
            // Cells past the header's that are all empty (a spreadsheet's
            // trailing commas) are harmless; anything else shifts columns.
            let extra_empty = row.cells.len() > width && row.cells[width..].iter().all(|c| c.text.trim().is_empty());
            if !extra_empty {
                let at = row.cells.get(width).or(row.cells.last()).map_or((row.line, 1), |c| (c.line, c.column));
                errors.push(Located::new(
                    at.0,
                    at.1,
                    format!("this row has {} cells, but the header has {width}", row.cells.len()),
                    Some(
                        "a cell holding a comma must be in double quotes; export the roster again from the MIS".into(),
                    ),
                ));
                continue;
            }
        }
        let cell = |i: usize| &row.cells[i];
        let text_of = |i: Option<usize>| i.map(|i| tidy(&cell(i).text).to_string()).filter(|t| !t.is_empty());
        let mut required = |i: usize, what: &str| {
            let t = tidy(&cell(i).text).to_string();
            if t.is_empty() {
                errors.push(Located::new(
                    cell(i).line,
                    cell(i).column,
                    format!("the {what} is empty"),
                    Some(format!("every pupil on the roster needs a {what}: fill it in the MIS, then export again")),
                ));
            }
            t
        };
        let first_t = required(first, "first name");
        let last_t = required(last, "last name");
        let dob_t = required(dob, "date of birth");
        let dob_v = if dob_t.is_empty() {
            None
        } else {
            match map.date_format.read(&dob_t) {
                Ok(d) => Some(d),
                Err(why) => {
                    errors.push(Located::new(
                        cell(dob).line,
                        cell(dob).column,
                        format!("the date of birth `{}` cannot be read: {why}", crate::diag::render::escape_controls(&dob_t)),
                        Some(format!(
                            "write it {} or YYYY-MM-DD; if the export writes dates another way, set `date_format` in a map file (--map, docs/import.md)",
                            map.date_format.name()
                        )),
                    ));
                    None
                }
            }
        };
        let year_v = match text_of(year) {
            None => None,
            Some(t) => match roster_year(&t) {
                Some(y) => Some(y),
                None => {
                    let y = cell(year.unwrap_or(0));
                    errors.push(Located::new(
                        y.line,
                        y.column,
                        format!("the year group `{}` cannot be read", crate::diag::render::escape_controls(&t)),
                        Some(format!(
                            "write it as {}, or `Year 5`, `Reception`, `Nursery`",
                            crate::model::year::EXAMPLES
                        )),
                    ));
                    None
                }
            },
        };
        let sen_v = match sen {
            None => MisSen::NotGiven,
            Some(i) => {
                let w = norm_word(&cell(i).text);
                match map.sen_values.get(&w).copied().or_else(|| default_sen(j, &w)) {
                    Some(None) => MisSen::No,
                    Some(Some(l)) if j.levels().contains(&l) => MisSen::Level(l),
                    found => {
                        let t = tidy(&cell(i).text);
                        let why = match found {
                            Some(Some(l)) => {
                                format!("it is read as `{l}`, which is not a support level of {}", j.as_str())
                            }
                            _ => "it is not a status senco knows".into(),
                        };
                        errors.push(Located::new(
                            cell(i).line,
                            cell(i).column,
                            format!("the SEN status `{}` cannot be read: {why}", crate::diag::render::escape_controls(t)),
                            Some(format!(
                                "say what it means in a map file (--map): under [sen_values], `\"{t}\" = \"sen-support\"` (or `none`, or another level: {})",
                                j.levels().iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")
                            )),
                        ));
                        MisSen::NotGiven
                    }
                }
            }
        };
        let upn_v = text_of(upn).map(|u| u.to_ascii_uppercase());
        let preferred_v = text_of(preferred).filter(|p| norm_name(p) != norm_name(&first_t));
        if let (false, false, Some(dob_v)) = (first_t.is_empty(), last_t.is_empty(), dob_v) {
            out.push(MisPupil {
                line: row.line,
                upn: upn_v,
                first: first_t,
                preferred: preferred_v,
                last: last_t,
                dob: dob_v,
                year: year_v,
                class: text_of(class),
                sen: sen_v,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A year group as MIS exports write it: as in pupil.yaml (`5`, `Y5`,
/// `R`, `N1`), and also `Year R`, `Year 0`, `Year N2`, `NC Year 5`.
fn roster_year(t: &str) -> Option<i64> {
    let in_range = |y: i64| (-2..=15).contains(&y);
    if let Some(y) = crate::model::year::parse(t).filter(|y| in_range(*y)) {
        return Some(y);
    }
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    let rest = ["ncyear", "year", "yr", "y"].iter().find_map(|p| t.strip_prefix(p))?;
    crate::model::year::parse(rest).filter(|y| in_range(*y))
}

// ---------------------------------------------------------------- reconcile

/// Names compared ignoring case, accents aside, spaces and punctuation
/// (`O'Neil` = `ONEIL`, `Mary-Jane` = `Mary Jane`): exports differ in these.
fn norm_name(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A pupil on record, as the reconciliation sees them.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Recorded {
    pub pupil: String,
    pub name: String,
    pub year_group: Option<i64>,
    pub class: Option<String>,
    pub level: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct NewSen {
    pub line: u32,
    pub name: String,
    pub first: String,
    pub preferred: Option<String>,
    pub last: String,
    pub date_of_birth: NaiveDate,
    pub year_group: Option<i64>,
    pub class: Option<String>,
    pub mis_sen: String,
    /// A free record id for `--create`.
    pub suggested_id: String,
    /// An archived record with the same name and date of birth: a returner
    /// (`senco restore`), not a new pupil.
    pub archived_record: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Change<T> {
    pub from: T,
    pub to: T,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Move {
    pub pupil: String,
    pub name: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year_group: Option<Change<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<Change<Option<String>>>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PersonName {
    pub first: String,
    pub last: String,
    pub preferred: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct NameChange {
    pub pupil: String,
    pub line: u32,
    pub from: PersonName,
    pub to: PersonName,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LevelDifference {
    pub pupil: String,
    pub name: String,
    pub line: u32,
    /// The level on record (`None`: not recorded).
    pub recorded: Option<String>,
    /// `none` or a level.
    pub mis: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Ambiguous {
    /// The roster lines involved.
    pub lines: Vec<u32>,
    /// The records involved.
    pub pupils: Vec<String>,
    pub name: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub roster_pupils: usize,
    pub recorded_pupils: usize,
    pub matched: usize,
    pub matched_by_upn: usize,
    pub new_sen: usize,
    pub moves: usize,
    pub name_changes: usize,
    pub not_on_roll: usize,
    pub level_differences: usize,
    pub ambiguous: usize,
}

/// A matched pair: a pupil on record and their roster row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched {
    pub record: usize,
    pub row: usize,
    pub by_upn: bool,
}

/// The reconciliation (the JSON contract of docs/json.md, fields in order).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Reconciliation {
    pub summary: Summary,
    /// Whether the roster had an SEN status column (without it, no pupil is
    /// listed as new SEN and no level is compared).
    pub sen_status_given: bool,
    pub new_sen: Vec<NewSen>,
    pub moves: Vec<Move>,
    pub name_changes: Vec<NameChange>,
    pub not_on_roll: Vec<Recorded>,
    pub level_differences: Vec<LevelDifference>,
    pub ambiguous: Vec<Ambiguous>,
    #[serde(skip)]
    pub matched: Vec<Matched>,
}

fn recorded(rec: &crate::repo::PupilRecord, p: &Pupil) -> Recorded {
    Recorded {
        pupil: rec.dir.clone(),
        name: p.display_name(),
        year_group: p.year_group.as_ref().map(|y| y.value),
        class: text(&p.class).map(|c| c.trim().to_string()),
        level: p.level().map(|l| l.as_str().to_string()),
    }
}

struct Rec<'r> {
    dir: &'r str,
    pupil: &'r Pupil,
    first: String,
    preferred: Option<String>,
    last: String,
    dob: Option<NaiveDate>,
    upn: Option<String>,
}

impl Rec<'_> {
    fn firsts(&self) -> Vec<&str> {
        let mut v = vec![self.first.as_str()];
        v.extend(self.preferred.as_deref());
        v
    }
}

fn firsts(m: &MisPupil) -> Vec<String> {
    let mut v = vec![norm_name(&m.first)];
    v.extend(m.preferred.as_deref().map(norm_name));
    v
}

fn same_person(r: &Rec, m: &MisPupil) -> bool {
    r.dob == Some(m.dob)
        && r.last == norm_name(&m.last)
        && firsts(m).iter().any(|f| r.firsts().contains(&f.as_str()))
        && !matches!((&r.upn, &m.upn), (Some(a), Some(b)) if a != b)
}

/// Reconciles the pupils on roll with the roster.
pub fn reconcile(repo: &Repo, roster: &[MisPupil]) -> Reconciliation {
    // UPNs compared as written on the UPN itself: capitals, no spaces.
    let roster: Vec<MisPupil> = roster
        .iter()
        .cloned()
        .map(|mut m| {
            m.upn = m.upn.map(|u| u.trim().to_ascii_uppercase()).filter(|u| !u.is_empty());
            m
        })
        .collect();
    let roster = roster.as_slice();
    let recs: Vec<Rec> = repo
        .pupils
        .iter()
        .filter_map(|r| {
            let p = r.pupil.as_ref()?;
            let n = p.name.as_ref();
            let first = n.and_then(|n| text(&n.first)).map(norm_name).unwrap_or_default();
            Some(Rec {
                dir: &r.dir,
                pupil: p,
                preferred: n.and_then(|n| text(&n.preferred)).map(norm_name).filter(|x| *x != first),
                first,
                last: n.and_then(|n| text(&n.last)).map(norm_name).unwrap_or_default(),
                dob: p.date_of_birth.as_ref().map(|d| d.value),
                upn: text(&p.upn).map(|u| u.trim().to_ascii_uppercase()).filter(|u| !u.is_empty()),
            })
        })
        .collect();
    let mut rec_done = vec![false; recs.len()];
    let mut row_done = vec![false; roster.len()];
    let mut matched = Vec::new();
    let mut ambiguous = Vec::new();

    // 1. The UPN, when both sides have it. A UPN on two rows (or two
    //    records) matches nothing: listed.
    let mut rows_by_upn: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in roster.iter().enumerate() {
        if let Some(u) = &m.upn {
            rows_by_upn.entry(u.as_str()).or_default().push(i);
        }
    }
    let mut recs_by_upn: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in recs.iter().enumerate() {
        if let Some(u) = &r.upn {
            recs_by_upn.entry(u.as_str()).or_default().push(i);
        }
    }
    let mut upns: Vec<&&str> = recs_by_upn.keys().collect();
    upns.sort();
    for u in upns {
        let ri = &recs_by_upn[*u];
        let Some(mi) = rows_by_upn.get(*u) else { continue };
        if ri.len() == 1 && mi.len() == 1 {
            matched.push(Matched { record: ri[0], row: mi[0], by_upn: true });
        } else {
            let reason = if ri.len() > 1 {
                "these records hold the same UPN: correct the wrong one".to_string()
            } else {
                "these roster lines hold the same UPN: check the export".to_string()
            };
            ambiguous.push(Ambiguous {
                lines: mi.iter().map(|&i| roster[i].line).collect(),
                pupils: ri.iter().map(|&i| recs[i].dir.to_string()).collect(),
                name: roster[mi[0]].name(),
                reason,
            });
        }
        ri.iter().for_each(|&i| rec_done[i] = true);
        mi.iter().for_each(|&i| row_done[i] = true);
    }
    // Duplicate UPNs among the roster lines no record holds.
    let mut dup: Vec<&Vec<usize>> =
        rows_by_upn.values().filter(|v| v.len() > 1 && v.iter().all(|&i| !row_done[i])).collect();
    dup.sort();
    for mi in dup {
        ambiguous.push(Ambiguous {
            lines: mi.iter().map(|&i| roster[i].line).collect(),
            pupils: vec![],
            name: roster[mi[0]].name(),
            reason: "these roster lines hold the same UPN: check the export".into(),
        });
        mi.iter().for_each(|&i| row_done[i] = true);
    }

    // 2. Name and date of birth: the surname, and the first or preferred
    //    name of one side matching either of the other's. Matched only when
    //    the pair is unique both ways; otherwise listed, never guessed.
    let mut rows_by_key: HashMap<(String, NaiveDate), Vec<usize>> = HashMap::new();
    for (i, m) in roster.iter().enumerate().filter(|(i, _)| !row_done[*i]) {
        rows_by_key.entry((norm_name(&m.last), m.dob)).or_default().push(i);
    }
    let cands = |r: &Rec, row_done: &[bool]| -> Vec<usize> {
        let Some(dob) = r.dob else { return vec![] };
        rows_by_key
            .get(&(r.last.clone(), dob))
            .map(|v| v.iter().copied().filter(|&i| !row_done[i] && same_person(r, &roster[i])).collect())
            .unwrap_or_default()
    };
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut pairs = Vec::new();
    for (ri, r) in recs.iter().enumerate().filter(|(i, _)| !rec_done[*i]) {
        let rows = cands(r, &row_done);
        if rows.is_empty() {
            continue;
        }
        // The records this pupil's rows could also be.
        let others: Vec<usize> = recs
            .iter()
            .enumerate()
            .filter(|(j, o)| !rec_done[*j] && rows.iter().any(|&m| same_person(o, &roster[m])))
            .map(|(j, _)| j)
            .collect();
        if rows.len() == 1 && others == [ri] {
            pairs.push(Matched { record: ri, row: rows[0], by_upn: false });
        } else {
            match groups.iter_mut().find(|(rs, ms)| rs.contains(&ri) || rows.iter().any(|m| ms.contains(m))) {
                Some((rs, ms)) => {
                    rs.extend(others);
                    ms.extend(rows);
                }
                None => groups.push((others, rows)),
            }
        }
    }
    for p in pairs {
        rec_done[p.record] = true;
        row_done[p.row] = true;
        matched.push(p);
    }
    for (mut rs, mut ms) in groups {
        rs.sort();
        rs.dedup();
        ms.sort();
        ms.dedup();
        let reason = if ms.len() > 1 && rs.len() > 1 {
            "several records and several roster lines have this name and date of birth"
        } else if ms.len() > 1 {
            "several roster lines have this name and date of birth, and the record has no UPN to tell them apart"
        } else {
            "several records have this name and date of birth"
        };
        ambiguous.push(Ambiguous {
            lines: ms.iter().map(|&i| roster[i].line).collect(),
            pupils: rs.iter().map(|&i| recs[i].dir.to_string()).collect(),
            name: roster[ms[0]].name(),
            reason: format!("{reason}: matched to none; add the UPN to the right record, or check by hand"),
        });
        rs.iter().for_each(|&i| rec_done[i] = true);
        ms.iter().for_each(|&i| row_done[i] = true);
    }

    // 3. Possible matches: same date of birth and one of the names (a
    //    surname changed, a different first name), or same name and date of
    //    birth with another UPN. Listed for a person to decide.
    for (ri, r) in recs.iter().enumerate() {
        if rec_done[ri] {
            continue;
        }
        let near: Vec<usize> = roster
            .iter()
            .enumerate()
            .filter(|(i, m)| {
                !row_done[*i]
                    && r.dob == Some(m.dob)
                    && (r.last == norm_name(&m.last) || firsts(m).iter().any(|f| r.firsts().contains(&f.as_str())))
            })
            .map(|(i, _)| i)
            .collect();
        if near.is_empty() {
            continue;
        }
        let m0 = &roster[near[0]];
        let upn_differs = near.len() == 1 && matches!((&r.upn, &m0.upn), (Some(a), Some(b)) if a != b);
        let names_same = near.len() == 1 && same_person(&Rec { upn: None, ..clone_rec(r) }, m0);
        let reason = if upn_differs && names_same {
            "the same name and date of birth, but a different UPN: a mistyped UPN, or another pupil?".to_string()
        } else {
            "the same date of birth and a name in common, but not the same name: a name change, or another pupil?"
                .to_string()
        };
        ambiguous.push(Ambiguous {
            lines: near.iter().map(|&i| roster[i].line).collect(),
            pupils: vec![r.dir.to_string()],
            name: r.pupil.display_name(),
            reason: format!("{reason} Matched to none: check by hand"),
        });
        rec_done[ri] = true;
        near.iter().for_each(|&i| row_done[i] = true);
    }

    matched.sort_by(|a, b| recs[a.record].dir.cmp(recs[b.record].dir));
    let mut out = Reconciliation {
        summary: Summary {
            roster_pupils: roster.len(),
            recorded_pupils: recs.len(),
            matched: matched.len(),
            matched_by_upn: matched.iter().filter(|m| m.by_upn).count(),
            new_sen: 0,
            moves: 0,
            name_changes: 0,
            not_on_roll: 0,
            level_differences: 0,
            ambiguous: 0,
        },
        sen_status_given: roster.iter().any(|m| m.sen != MisSen::NotGiven),
        new_sen: vec![],
        moves: vec![],
        name_changes: vec![],
        not_on_roll: vec![],
        level_differences: vec![],
        ambiguous,
        matched: vec![],
    };
    for mt in &matched {
        let (r, m) = (&recs[mt.record], &roster[mt.row]);
        let p = r.pupil;
        let year = p.year_group.as_ref().map(|y| y.value);
        let class = text(&p.class).map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
        let year_change = match (year, m.year) {
            (Some(a), Some(b)) if a != b => Some(Change { from: a, to: b }),
            _ => None,
        };
        let class_change = match &m.class {
            Some(c) if class.as_deref() != Some(c.as_str()) => {
                Some(Change { from: class.clone(), to: Some(c.clone()) })
            }
            _ => None,
        };
        if year_change.is_some() || class_change.is_some() {
            out.moves.push(Move {
                pupil: r.dir.to_string(),
                name: p.display_name(),
                line: m.line,
                year_group: year_change,
                class: class_change,
            });
        }
        let n = p.name.as_ref();
        let from = PersonName {
            first: n.and_then(|n| text(&n.first)).unwrap_or("").to_string(),
            last: n.and_then(|n| text(&n.last)).unwrap_or("").to_string(),
            preferred: n.and_then(|n| text(&n.preferred)).map(str::to_string),
        };
        let first_changed = norm_name(&from.first) != norm_name(&m.first);
        let last_changed = norm_name(&from.last) != norm_name(&m.last);
        // A preferred name is compared only when the roster gives one.
        let goes_by = from.preferred.as_deref().unwrap_or(&from.first);
        let preferred_changed = m.preferred.as_deref().is_some_and(|p| norm_name(p) != norm_name(goes_by));
        if first_changed || last_changed || preferred_changed {
            let to = PersonName {
                first: if first_changed { m.first.clone() } else { from.first.clone() },
                last: if last_changed { m.last.clone() } else { from.last.clone() },
                preferred: if preferred_changed { m.preferred.clone() } else { from.preferred.clone() },
            };
            out.name_changes.push(NameChange { pupil: r.dir.to_string(), line: m.line, from, to });
        }
        let level = p.level();
        let differs = match m.sen {
            MisSen::NotGiven => false,
            MisSen::No => level.is_some_and(Level::on_register) || level.is_none(),
            MisSen::Level(l) => level != Some(l),
        };
        if differs {
            out.level_differences.push(LevelDifference {
                pupil: r.dir.to_string(),
                name: p.display_name(),
                line: m.line,
                recorded: level.map(|l| l.as_str().to_string()),
                mis: m.sen.word().to_string(),
            });
        }
    }
    for (ri, r) in recs.iter().enumerate() {
        if !rec_done[ri] {
            if let Some(rec) = repo.pupil(r.dir) {
                out.not_on_roll.push(recorded(rec, r.pupil));
            }
        }
    }
    let mut taken: BTreeSet<String> = repo.pupils.iter().chain(&repo.archived).map(|p| p.dir.clone()).collect();
    for (i, m) in roster.iter().enumerate() {
        let MisSen::Level(l) = m.sen else { continue };
        if row_done[i] || !l.on_register() {
            continue;
        }
        let archived_record = repo
            .archived
            .iter()
            .filter_map(|a| Some((a, a.pupil.as_ref()?)))
            .find(|(a, p)| {
                let n = p.name.as_ref();
                let first = n.and_then(|n| text(&n.first)).map(norm_name).unwrap_or_default();
                let rec = Rec {
                    dir: &a.dir,
                    pupil: p,
                    preferred: n.and_then(|n| text(&n.preferred)).map(norm_name).filter(|x| *x != first),
                    first,
                    last: n.and_then(|n| text(&n.last)).map(norm_name).unwrap_or_default(),
                    dob: p.date_of_birth.as_ref().map(|d| d.value),
                    upn: text(&p.upn).map(|u| u.trim().to_ascii_uppercase()).filter(|u| !u.is_empty()),
                };
                match (&rec.upn, &m.upn) {
                    (Some(a), Some(b)) => a == b,
                    _ => same_person(&rec, m),
                }
            })
            .map(|(a, _)| a.dir.clone());
        let id = free_id(&m.preferred.clone().unwrap_or_else(|| m.first.clone()), &m.last, &taken);
        taken.insert(id.clone());
        out.new_sen.push(NewSen {
            line: m.line,
            name: m.name(),
            first: m.first.clone(),
            preferred: m.preferred.clone(),
            last: m.last.clone(),
            date_of_birth: m.dob,
            year_group: m.year,
            class: m.class.clone(),
            mis_sen: l.as_str().to_string(),
            suggested_id: id,
            archived_record,
        });
    }
    out.ambiguous.sort_by(|a, b| (a.lines.first(), &a.pupils).cmp(&(b.lines.first(), &b.pupils)));
    out.summary.new_sen = out.new_sen.len();
    out.summary.moves = out.moves.len();
    out.summary.name_changes = out.name_changes.len();
    out.summary.not_on_roll = out.not_on_roll.len();
    out.summary.level_differences = out.level_differences.len();
    out.summary.ambiguous = out.ambiguous.len();
    out.matched = matched;
    out
}

fn clone_rec<'r>(r: &Rec<'r>) -> Rec<'r> {
    Rec {
        dir: r.dir,
        pupil: r.pupil,
        first: r.first.clone(),
        preferred: r.preferred.clone(),
        last: r.last.clone(),
        dob: r.dob,
        upn: r.upn.clone(),
    }
}

/// A record id from a name (`Zoë O'Neil` -> `zoe-oneil`), made unique
/// against `taken` with `-2`, `-3`, ... Never the UPN.
pub fn free_id(first: &str, last: &str, taken: &BTreeSet<String>) -> String {
    let slug = |s: &str| -> String {
        let mut out = String::new();
        for c in s.chars() {
            let c = fold(c);
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if (c == ' ' || c == '-' || c == '_') && !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    };
    let mut base = format!("{}-{}", slug(first), slug(last)).trim_matches('-').to_string();
    if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base = format!("pupil-{base}").trim_end_matches('-').to_string();
    }
    base.truncate(58);
    let base = base.trim_end_matches('-').to_string();
    if !taken.contains(&base) && crate::check::valid_id(&base) {
        return base;
    }
    (2..).map(|n| format!("{base}-{n}")).find(|id| !taken.contains(id)).unwrap_or(base)
}

/// Latin letters with accents to their base letter, for ids.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'a',
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'ń' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ś' | 'š' | 'Ś' | 'Š' => 's',
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => 'z',
        'ł' | 'Ł' => 'l',
        '\'' | '’' => '\0',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn csv_quotes_crlf_bom_and_blank_lines() {
        let text = "\u{feff}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\n1,,3";
        let rows = parse_csv(text).unwrap();
        assert_eq!(rows.len(), 3);
        let texts: Vec<&str> = rows[1].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["x, y", "say \"hi\"", "two\nlines"]);
        assert_eq!((rows[1].line, rows[1].cells[1].column), (2, 8));
        assert_eq!(rows[2].line, 5);
        assert_eq!(rows[2].cells[1].text, "");
        assert_eq!((rows[2].cells[2].line, rows[2].cells[2].column), (5, 4));
        // Lone CR endings (old Mac exports) and a final newline.
        assert_eq!(parse_csv("a,b\rc,d\r").unwrap().len(), 2);
    }

    #[test]
    fn csv_errors_are_located() {
        let e = parse_csv("a,b\n\"open,x\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("never closed"));
        let e = parse_csv("a,b\n\"x\"y,z\n").unwrap_err();
        assert_eq!((e.line, e.column, e.message.as_str()), (2, 4, "`y` follows the closing quote of a cell"));
        let e = utf8_text(b"a,b\nJos\xe9,c\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 4));
    }

    #[test]
    fn dates_in_the_declared_format_and_iso() {
        let uk = DateFormat::parse("dd/mm/yyyy").unwrap();
        assert_eq!(uk.read("14/03/2016"), Ok(d("2016-03-14")));
        assert_eq!(uk.read("4/3/2016"), Ok(d("2016-03-04")));
        assert_eq!(uk.read("2016-03-14"), Ok(d("2016-03-14")));
        assert_eq!(uk.read("14/03/2016 00:00:00"), Ok(d("2016-03-14")));
        assert!(uk.read("03/14/2016").unwrap_err().contains("no month 14"));
        assert!(uk.read("31/02/2016").unwrap_err().contains("day 31 does not exist"));
        assert!(uk.read("14/03/16").unwrap_err().contains("four digits"));
        assert!(uk.read("14 March 2016").unwrap_err().contains("dd/mm/yyyy"));
        let us = DateFormat::parse("MM-DD-YYYY").unwrap();
        assert_eq!(us.read("03-14-2016"), Ok(d("2016-03-14")));
        assert_eq!(DateFormat::parse("yyyy/mm/dd").map(|f| f.name()), Some("yyyy/mm/dd".into()));
        assert_eq!(DateFormat::parse("dd/mm/yy"), None);
        assert_eq!(DateFormat::parse("%d/%m/%Y"), Some(DateFormat::Dmy('/')));
    }

    #[test]
    fn a_map_file_overrides_its_preset_and_its_errors_are_located() {
        let m = read_map(
            "preset = \"sims\"\ndate_format = \"yyyy-mm-dd\"\n[columns]\nclass = \"Form\"\nupn = \"\"\n[sen_values]\n\"Support Plan\" = \"sen-support\"\n",
            "map.toml",
            None,
        )
        .unwrap();
        assert_eq!(m.columns.class.as_deref(), Some("Form"));
        assert_eq!(m.columns.upn, None);
        assert_eq!(m.columns.first_name, "Legal Forename");
        assert_eq!(m.date_format, DateFormat::Ymd('-'));
        assert_eq!(m.sen_values.get("supportplan"), Some(&Some(Level::SenSupport)));
        let e = read_map("preset = \"sims\"\n[columns]\nfirstname = \"X\"\n", "m", None).unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.hint.as_deref(), Some("did you mean `first_name`?"));
        let e = read_map("preset = \"sims\"\ndate_format = \"d/m/y\"\n", "m", None).unwrap_err();
        assert_eq!((e.line, e.column), (2, 15));
        let e = read_map("preset = \"capita\"\n", "m", None).unwrap_err();
        assert!(e.message.contains("not a preset"), "{e:?}");
        let e = read_map("[sen_values]\nK = \"support\"\n", "m", preset("arbor")).unwrap_err();
        assert_eq!(e.line, 2);
        let own =
            read_map("[columns]\nfirst_name = \"F\"\nlast_name = \"L\"\ndate_of_birth = \"B\"\n", "m", None).unwrap();
        assert_eq!((own.columns.upn, own.columns.sen_status), (None, None));
    }

    fn roster(text: &str) -> Result<Vec<MisPupil>, Vec<Located>> {
        read_roster(&parse_csv(text).unwrap(), &preset("sims").unwrap(), Jurisdiction::England)
    }

    const HEAD: &str = "UPN,Legal Forename,Preferred Forename,Legal Surname,DOB,Year,Reg Group,SEN Status\n";

    #[test]
    fn roster_rows_are_read_through_the_map() {
        let r =
            roster(&format!("{HEAD}a123, Ava ,Ava,Brown,14/03/2016,Year 4,4B,K\n,Ben,Benji,Carter,2017-01-02,R,,\n"))
                .unwrap();
        assert_eq!(r[0].upn.as_deref(), Some("A123"));
        assert_eq!((r[0].first.as_str(), r[0].preferred.as_deref()), ("Ava", None));
        assert_eq!(
            (r[0].year, r[0].class.as_deref(), r[0].sen),
            (Some(4), Some("4B"), MisSen::Level(Level::SenSupport))
        );
        assert_eq!((r[1].upn.as_deref(), r[1].year, r[1].sen, r[1].line), (None, Some(0), MisSen::No, 3));
        assert_eq!(r[1].name(), "Benji Carter");
    }

    #[test]
    fn every_unreadable_cell_is_a_located_error() {
        let e = roster(&format!(
            "{HEAD}X1,Ava,,Brown,31/02/2016,4,4B,K\nX2,Ben,,,01/01/2017,Y9X,4B,Maybe\nX3,Cy,,Dee,01/01/2017,4\n"
        ))
        .unwrap_err();
        let at: Vec<(u32, u32)> = e.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(at, [(2, 15), (3, 9), (3, 21), (3, 28), (4, 23)], "{e:#?}");
        assert!(e[0].message.contains("`31/02/2016` cannot be read"));
        assert!(e[3].hint.as_deref().unwrap().contains("[sen_values]"));
        // A UPN cell is never quoted in a message.
        assert!(e.iter().all(|l| !l.message.contains("X1") && !l.message.contains("X2")));
        // A preset's optional column the roster lacks is not read (and said);
        // one a map file names is an error.
        let header = &parse_csv("Legal Forename,Legal Surname,DOB,Year\n").unwrap()[0];
        let keys: Vec<String> = missing_columns(header, &preset("sims").unwrap()).into_iter().map(|m| m.key).collect();
        assert_eq!(keys, ["upn", "preferred_name", "class", "sen_status"]);
        let ok = roster("Legal Forename,Legal Surname,DOB,Year\nAva,Brown,14/03/2016,4\n").unwrap();
        assert_eq!((ok[0].sen, ok[0].class.as_deref(), ok[0].year), (MisSen::NotGiven, None, Some(4)));
        let named = read_map("preset = \"sims\"\n[columns]\nclass = \"Form\"\n", "m", None).unwrap();
        let e = read_roster(
            &parse_csv("Legal Forename,Legal Surname,DOB\nAva,Brown,14/03/2016\n").unwrap(),
            &named,
            Jurisdiction::England,
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("no column `Form` (the map's `class`"), "{e:?}");
        let e = roster("Forename,Surname\nA,B\n").unwrap_err();
        assert!(e[0].message.contains("no column `Legal Forename`"), "{e:?}");
        assert!(e[0].hint.as_deref().unwrap().contains("did you mean `Forename`"), "{e:?}");
    }

    fn school() -> Repo {
        crate::repo::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster-school"))
            .unwrap()
    }

    fn row(
        line: u32,
        upn: Option<&str>,
        (first, last): (&str, &str),
        dob: &str,
        year: i64,
        class: &str,
        sen: MisSen,
    ) -> MisPupil {
        MisPupil {
            line,
            upn: upn.map(str::to_string),
            first: first.into(),
            preferred: None,
            last: last.into(),
            dob: d(dob),
            year: Some(year),
            class: Some(class.into()),
            sen,
        }
    }

    #[test]
    fn reconcile_by_upn_then_name_and_date_of_birth_never_guessing() {
        let k = MisSen::Level(Level::SenSupport);
        let rows = vec![
            // ava-brown by UPN, though the roster spells her name otherwise: a name change.
            row(2, Some("A100000000001"), ("Ava", "Browne"), "2017-03-14", 5, "5B", k),
            // ben-carter has no UPN: by name and date of birth, case and punctuation aside.
            row(3, Some("A100000000002"), ("BEN", "carter"), "2017-06-02", 5, "5B", k),
            // cara-diaz's UPN differs: same name and birthday is not enough.
            row(4, Some("A999999999999"), ("Cara", "Diaz"), "2018-01-20", 4, "4W", MisSen::Level(Level::Ehcp)),
            // eli-ford (Elijah) goes by Eli: the preferred name matches.
            row(5, None, ("Eli", "Ford"), "2018-05-05", 4, "4W", MisSen::No),
            // Two Sam Joneses born the same day: ambiguous.
            row(6, None, ("Sam", "Jones"), "2017-09-09", 4, "4B", k),
            row(7, None, ("Sam", "Jones"), "2017-09-09", 4, "4C", k),
            // gus-hill: the same UPN (case aside); the MIS says no SEN.
            row(8, Some("a100000000007"), ("Gus", "Hill"), "2016-10-10", 5, "5B", MisSen::No),
            // A new SEN pupil, and a pupil without SEN (not listed).
            row(9, Some("A100000000009"), ("Zara", "Khan"), "2019-02-02", 3, "3A", k),
            row(10, None, ("Tom", "Lee"), "2019-03-03", 3, "3A", MisSen::No),
        ];
        let r = reconcile(&school(), &rows);
        let pairs: Vec<(&str, u32, bool)> =
            r.matched.iter().map(|m| (school_dir(m.record), rows[m.row].line, m.by_upn)).collect();
        assert_eq!(pairs.len(), 4, "{pairs:?}");
        assert_eq!(r.summary.matched_by_upn, 2);
        let names: Vec<(&str, &str, &str)> =
            r.name_changes.iter().map(|n| (n.pupil.as_str(), n.to.first.as_str(), n.to.last.as_str())).collect();
        // Eli was matched through his preferred name; the roster's first name differs from his recorded one.
        assert_eq!(names, [("ava-brown", "Ava", "Browne"), ("eli-ford", "Eli", "Ford")]);
        let moved: Vec<&str> = r.moves.iter().map(|m| m.pupil.as_str()).collect();
        assert_eq!(moved, ["ava-brown", "eli-ford"]);
        let leavers: Vec<&str> = r.not_on_roll.iter().map(|p| p.pupil.as_str()).collect();
        assert_eq!(leavers, ["dan-evans"]);
        let amb: Vec<(Vec<u32>, Vec<String>)> =
            r.ambiguous.iter().map(|a| (a.lines.clone(), a.pupils.clone())).collect();
        assert_eq!(amb, [(vec![4], vec!["cara-diaz".to_string()]), (vec![6, 7], vec!["sam-jones".to_string()])]);
        assert!(r.ambiguous[0].reason.contains("different UPN"));
        let new: Vec<(&str, u32)> = r.new_sen.iter().map(|n| (n.suggested_id.as_str(), n.line)).collect();
        assert_eq!(new, [("zara-khan", 9)]);
        let diff: Vec<(&str, Option<&str>, &str)> =
            r.level_differences.iter().map(|d| (d.pupil.as_str(), d.recorded.as_deref(), d.mis.as_str())).collect();
        assert_eq!(diff, [("gus-hill", Some("sen-support"), "none")]);
        assert!(diff.iter().all(|d| d.0 != "eli-ford"), "monitoring and no SEN agree: {diff:?}");
        // Nothing the reconciliation says carries a UPN.
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("A1000") && !json.contains("a1000") && !json.contains("A9999"), "{json}");
    }

    fn school_dir(i: usize) -> &'static str {
        ["ava-brown", "ben-carter", "cara-diaz", "dan-evans", "eli-ford", "gus-hill", "sam-jones"][i]
    }

    #[test]
    fn year_groups_as_exports_write_them() {
        let cases = [("Year 5", 5), ("Y5", 5), ("5", 5), ("Year R", 0), ("Year 0", 0), ("Reception", 0), ("R", 0)];
        for (t, y) in cases {
            assert_eq!(roster_year(t), Some(y), "{t}");
        }
        assert_eq!((roster_year("Year N1"), roster_year("N2"), roster_year("Nursery")), (Some(-2), Some(-1), Some(-1)));
        assert_eq!((roster_year("NC Year 11"), roster_year("Year 16"), roster_year("Y9X")), (Some(11), None, None));
    }

    #[test]
    fn sen_status_words_by_jurisdiction() {
        assert_eq!(default_sen(Jurisdiction::England, &norm_word("EHC Plan")), Some(Some(Level::Ehcp)));
        assert_eq!(default_sen(Jurisdiction::England, &norm_word("SEN Support")), Some(Some(Level::SenSupport)));
        assert_eq!(default_sen(Jurisdiction::Wales, &norm_word("No SEN")), Some(None));
        assert_eq!(default_sen(Jurisdiction::England, &norm_word("K - SEN Support")), Some(Some(Level::SenSupport)));
        assert_eq!(default_sen(Jurisdiction::England, &norm_word("EHC Plan (E)")), Some(Some(Level::Ehcp)));
        assert_eq!(default_sen(Jurisdiction::Wales, "k"), None);
        let e = read_roster(
            &parse_csv(&format!("{HEAD}X,Ava,,Brown,14/03/2016,4,4B,K\n")).unwrap(),
            &preset("sims").unwrap(),
            Jurisdiction::UsIdea,
        )
        .unwrap_err();
        assert!(e[0].message.contains("`K` cannot be read"), "{e:?}");
        assert!(e[0].hint.as_deref().unwrap().contains("monitoring, section-504, iep"), "{e:?}");
    }

    #[test]
    fn ids_from_names() {
        let taken: BTreeSet<String> = ["ava-brown".to_string()].into();
        assert_eq!(free_id("Ava", "Brown", &taken), "ava-brown-2");
        assert_eq!(free_id("Zoë", "O'Neil", &taken), "zoe-oneil");
        assert_eq!(free_id("Mary Jane", "Smith-Jones", &taken), "mary-jane-smith-jones");
        assert_eq!(free_id("李", "王", &taken), "pupil");
        assert!(crate::check::valid_id(&free_id("1", "2", &taken)));
    }
}
