//! Planning the records upkeep commands (`rollover`, `archive`, `restore`):
//! each reads the files it must change, works out the surgical edits, and
//! returns a [`Batch`] to show (`--dry-run`) or apply. Nothing is written
//! here; a record that cannot be edited safely refuses the whole plan.

use super::batch::Batch;
use super::surgical::{self, Edit, Refusal};
use crate::error::Error;
use crate::model::settings::Limits;
use crate::model::settings::{Calendar, Closure, Settings, Term};
use crate::repo::yaml::Node;
use crate::repo::{PupilRecord, Repo};
use chrono::NaiveDate;
use std::path::Path;

/// A file's bytes and text (byte-order mark split off).
pub struct FileText {
    pub rel: String,
    pub raw: Vec<u8>,
    pub bom: bool,
    /// The file ends its lines with a lone carriage return (old Mac style):
    /// `text` has them as `\n`, and `edited` puts them back.
    pub cr_only: bool,
    pub text: String,
}

pub fn read(root: &Path, rel: &str, limits: Limits) -> Result<FileText, Error> {
    // The loader's bounded reader: a regular file inside the repository,
    // within `[limits] max_file_kb`; a FIFO or a device is refused, never
    // opened (it would block for ever), and so is a link leading outside.
    let raw = match crate::repo::read::read_record(root, rel, limits) {
        Ok(Some(raw)) => raw,
        Ok(None) => {
            let path = root.join(rel);
            return Err(Error::io(&path, std::io::Error::from(std::io::ErrorKind::NotFound)));
        }
        Err(f) => {
            return Err(Error::usage(
                format!("`{rel}`: {}, so senco will not edit it", f.message),
                f.hint.clone().or_else(|| Some("`senco check` shows the problem".into())),
            ))
        }
    };
    FileText::from_bytes(rel, raw)
}

impl FileText {
    /// A file's text from bytes already read (a transfer pack's record).
    pub fn from_bytes(rel: &str, raw: Vec<u8>) -> Result<FileText, Error> {
        let text = String::from_utf8(raw.clone()).map_err(|_| {
            Error::usage(
                format!("`{rel}` is not UTF-8 text, so senco will not edit it"),
                Some("`senco check` shows where; save the file as UTF-8 first".into()),
            )
        })?;
        let (bom, body) = surgical::split_bom(&text);
        let lone_cr = body.replace("\r\n", "").contains('\r');
        let cr_only = lone_cr && !body.contains('\n');
        if lone_cr && !cr_only {
            return Err(Error::usage(
            format!("`{rel}` mixes line endings (some lines end with a lone carriage return), so senco will not edit it"),
            Some("save the file with one kind of line ending (any editor's \"line endings\" setting), then run the command again".into()),
        ));
        }
        let text = if cr_only { body.replace('\r', "\n") } else { body.to_string() };
        Ok(FileText { rel: rel.to_string(), raw, bom, cr_only, text })
    }

    /// The file with `edits` applied, byte-order mark kept.
    pub fn edited(&self, edits: Vec<Edit>) -> Result<Vec<u8>, Error> {
        let mut out = surgical::apply(&self.text, edits).map_err(|why| refuse(&self.rel, why))?;
        if self.cr_only {
            out = out.replace('\n', "\r");
        }
        Ok(surgical::join_bom(self.bom, out).into_bytes())
    }
}

/// The usage error for a record senco will not edit.
pub fn refuse(rel: &str, why: Refusal) -> Error {
    Error::usage(
        format!("will not edit `{rel}`: {why}"),
        Some("fix the record by hand (`senco check` shows its problems), then run the command again; nothing was changed".into()),
    )
}

// ------------------------------------------------------------------ archive

/// Plans `senco archive`: insert `left:` (and `destination:`) into the
/// pupil's `pupil.yaml`, then move `pupils/ID/` to `archive/ID/`.
pub fn plan_archive(
    batch: &mut Batch,
    root: &Path,
    rec: &PupilRecord,
    left: NaiveDate,
    destination: Option<&str>,
    limits: Limits,
) -> Result<(), Error> {
    let to = format!("archive/{}", rec.dir);
    if root.join(&to).exists() {
        return Err(Error::usage(
            format!("`{to}/` already exists, so `{}/` cannot be archived", rec.rel),
            Some("an archived record with this id is already there: compare the two folders by hand".into()),
        ));
    }
    let f = read(root, &rec.file("pupil.yaml"), limits)?;
    let map = surgical::top_map(&f.text).map_err(|why| refuse(&f.rel, why))?;
    for key in ["left", "destination"] {
        if surgical::entry(&map, key).map_err(|why| refuse(&f.rel, why))?.is_some() {
            return Err(Error::usage(
                format!("`{}` already has a `{key}:` line, but the pupil is on roll", f.rel),
                Some(format!("remove the `{key}:` line (senco archive writes it), then archive again")),
            ));
        }
    }
    let mut edits =
        vec![surgical::insert_entry(&f.text, &map, "left", &left.to_string()).map_err(|w| refuse(&f.rel, w))?];
    if let Some(d) = destination {
        // Both insertions are at the same place; `apply` keeps their order.
        let dest = surgical::yaml_text(d);
        edits.push(surgical::insert_entry(&f.text, &map, "destination", &dest).map_err(|w| refuse(&f.rel, w))?);
    }
    let new = f.edited(edits)?;
    batch.change(f.rel.clone(), f.raw.clone(), new);
    batch.move_dir(rec.rel.clone(), to);
    Ok(())
}

/// Plans `senco restore`: remove the `left:` and `destination:` lines that
/// `archive` added, then move `archive/ID/` back to `pupils/ID/`.
pub fn plan_restore(batch: &mut Batch, root: &Path, rec: &PupilRecord, limits: Limits) -> Result<(), Error> {
    let to = format!("pupils/{}", rec.dir);
    if root.join(&to).exists() {
        return Err(Error::usage(
            format!("`{to}/` already exists, so `{}/` cannot be restored", rec.rel),
            Some("a pupil on roll already has this id: compare the two folders by hand".into()),
        ));
    }
    let f = read(root, &rec.file("pupil.yaml"), limits)?;
    let map = surgical::top_map(&f.text).map_err(|why| refuse(&f.rel, why))?;
    let edits = surgical::remove_entries(&f.text, &map, &["left", "destination"]).map_err(|w| refuse(&f.rel, w))?;
    if !edits.is_empty() {
        let new = f.edited(edits)?;
        batch.change(f.rel.clone(), f.raw.clone(), new);
    }
    batch.move_dir(rec.rel.clone(), to);
    Ok(())
}

// ----------------------------------------------------------------- rollover

/// A date of the new calendar and whether senco guessed it (old + 52 weeks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewDate {
    pub date: NaiveDate,
    pub guessed: bool,
}

#[derive(Clone, Debug)]
pub struct NewCalendar {
    pub year_start: NewDate,
    pub year_end: NewDate,
    pub terms: Vec<Term>,
    pub terms_guessed: bool,
    /// The new year's closures: given, or the old ones + 52 weeks that fall
    /// inside the new year (guessed: bank holidays at Easter move more).
    pub closures: Vec<Closure>,
    pub closures_guessed: bool,
    /// Old closures that fell outside the new year once moved, so are not
    /// carried over (they stay in the kept year).
    pub closures_dropped: usize,
}

/// 52 weeks keep the day of the week: a Wednesday start stays a Wednesday.
pub fn shift(d: NaiveDate) -> NaiveDate {
    crate::rules::dates::add_weeks(d, 52)
}

impl NewCalendar {
    pub fn from(old: &Calendar, start: Option<NaiveDate>, end: Option<NaiveDate>, terms: Option<Vec<Term>>) -> Self {
        let pick = |given: Option<NaiveDate>, old: NaiveDate| match given {
            Some(date) => NewDate { date, guessed: false },
            None => NewDate { date: shift(old), guessed: true },
        };
        let terms_guessed = terms.is_none();
        let terms = terms.unwrap_or_else(|| {
            old.terms.iter().map(|t| Term { name: t.name.clone(), start: shift(t.start), end: shift(t.end) }).collect()
        });
        let (year_start, year_end) = (pick(start, old.year_start), pick(end, old.year_end));
        let from = terms.iter().map(|t| t.start).chain([year_start.date]).min().unwrap_or(year_start.date);
        let to = terms.iter().map(|t| t.end).chain([year_end.date]).max().unwrap_or(year_end.date);
        let moved: Vec<Closure> = old
            .closures
            .iter()
            .map(|c| Closure { start: shift(c.start), end: shift(c.end), name: c.name.clone(), at: c.at })
            .collect();
        let closures: Vec<Closure> = moved.iter().filter(|c| from <= c.start && c.end <= to).cloned().collect();
        let closures_dropped = moved.len() - closures.len();
        NewCalendar { year_start, year_end, terms, terms_guessed, closures, closures_guessed: true, closures_dropped }
    }

    /// The new year's closures as given (`rollover --terms FILE`).
    pub fn with_closures(mut self, closures: Vec<Closure>) -> Self {
        self.closures = closures;
        self.closures_guessed = false;
        self.closures_dropped = 0;
        self
    }
}

/// The surgical edits that move `[calendar]` in senco.toml to `new`, and
/// whether the `terms` list had to be written afresh (its number of terms
/// changed), losing any comments inside it.
///
/// The year that ends is kept, as the last `[[calendar.past]]` table at the
/// end of the file, so that school days counted back into it stay known.
pub fn calendar_edits(text: &str, old: &Calendar, new: &NewCalendar) -> Result<(Vec<Edit>, bool), Refusal> {
    let (mut edits, rewritten) = move_calendar(text, old, new)?;
    let nl = surgical::eol(text);
    let lead = if text.is_empty() || text.ends_with('\n') { "" } else { nl };
    edits.push(Edit { start: text.len(), end: text.len(), text: format!("{lead}{}", past_table(old, nl)) });
    Ok((edits, rewritten))
}

fn move_calendar(text: &str, old: &Calendar, new: &NewCalendar) -> Result<(Vec<Edit>, bool), Refusal> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).map_err(|e| format!("senco.toml could not be read: {}", e.message()))?;
    let cal = match doc.get_ref().get("calendar").map(|v| v.get_ref()) {
        Some(DeValue::Table(t)) => t,
        _ => return Err("senco.toml has no [calendar] table".into()),
    };
    let span_of = |t: &DeTable, key: &str| t.get(key).map(|v| v.span());
    let mut edits = Vec::new();
    let start = span_of(cal, "year_start").ok_or("[calendar] has no year_start")?;
    edits.push(surgical::replace_toml_date(text, start.clone(), old.year_start, new.year_start.date)?);
    let end = span_of(cal, "year_end").ok_or("[calendar] has no year_end")?;
    edits.push(surgical::replace_toml_date(text, end.clone(), old.year_end, new.year_end.date)?);
    let nl = surgical::eol(text);
    edits.extend(closure_edits(text, cal, old, new, start.start)?);
    match cal.get("terms") {
        Some(v) => {
            let DeValue::Array(items) = v.get_ref() else { return Err("[calendar] terms is not a list".into()) };
            if items.len() == new.terms.len() && items.len() == old.terms.len() {
                // Same number of terms: change each date (and name) in place,
                // keeping any comments between them.
                for ((item, o), n) in items.iter().zip(&old.terms).zip(&new.terms) {
                    let DeValue::Table(t) = item.get_ref() else { return Err("a term is not a table".into()) };
                    let s = span_of(t, "start").ok_or("a term has no start")?;
                    edits.push(surgical::replace_toml_date(text, s, o.start, n.start)?);
                    let e = span_of(t, "end").ok_or("a term has no end")?;
                    edits.push(surgical::replace_toml_date(text, e, o.end, n.end)?);
                    if o.name != n.name {
                        let ns = span_of(t, "name").ok_or("a term has no name")?;
                        edits.push(Edit { start: ns.start, end: ns.end, text: surgical::toml_string(&n.name) });
                    }
                }
            } else {
                let span = v.span();
                if text.get(span.clone()).is_none_or(|t| !t.starts_with('[')) {
                    return Err(
                        "the number of terms changes, and [calendar] terms is not written `terms = [...]`".into()
                    );
                }
                edits.push(Edit { start: span.start, end: span.end, text: terms_array(&new.terms, nl) });
                return Ok((edits, true));
            }
        }
        None if new.terms.is_empty() => {}
        None => {
            // After the line holding year_end.
            let at = text.get(end.end..).and_then(|t| t.find('\n')).map_or(text.len(), |i| end.end + i + 1);
            let lead = if at == text.len() && !text.ends_with('\n') { nl } else { "" };
            edits.push(Edit { start: at, end: at, text: format!("{lead}terms = {}{nl}", terms_array(&new.terms, nl)) });
        }
    }
    Ok((edits, false))
}

/// The edits that move `[calendar] closures` to the new year: date by date
/// in place (keeping comments) when every old closure moved by 52 weeks is
/// carried over, else the list written afresh.
fn closure_edits(
    text: &str,
    cal: &toml::de::DeTable,
    old: &Calendar,
    new: &NewCalendar,
    year_start_at: usize,
) -> Result<Vec<Edit>, Refusal> {
    use toml::de::DeValue;
    let nl = surgical::eol(text);
    let Some(v) = cal.get("closures") else {
        if new.closures.is_empty() {
            return Ok(Vec::new());
        }
        // At the start of the year_start line: keys of a table may come in any order.
        let at = text[..year_start_at].rfind('\n').map_or(0, |i| i + 1);
        return Ok(vec![Edit {
            start: at,
            end: at,
            text: format!("closures = {}{nl}", closures_array(&new.closures, nl)),
        }]);
    };
    let DeValue::Array(items) = v.get_ref() else { return Err("[calendar] closures is not a list".into()) };
    let in_place = new.closures_guessed && new.closures_dropped == 0 && items.len() == old.closures.len();
    if !in_place {
        let span = v.span();
        if text.get(span.clone()).is_none_or(|t| !t.starts_with('[')) {
            return Err("[calendar] closures changes, and is not written `closures = [...]`".into());
        }
        return Ok(vec![Edit { start: span.start, end: span.end, text: closures_array(&new.closures, nl) }]);
    }
    let mut edits = Vec::new();
    for ((item, o), n) in items.iter().zip(&old.closures).zip(&new.closures) {
        match item.get_ref() {
            DeValue::Table(t) => {
                let s = t.get("start").ok_or("a closure has no start")?.span();
                edits.push(surgical::replace_toml_date(text, s, o.start, n.start)?);
                if let Some(e) = t.get("end") {
                    edits.push(surgical::replace_toml_date(text, e.span(), o.end, n.end)?);
                }
            }
            _ => edits.push(surgical::replace_toml_date(text, item.span(), o.start, n.start)?),
        }
    }
    Ok(edits)
}

fn closures_array(closures: &[Closure], nl: &str) -> String {
    let mut s = format!("[{nl}");
    for c in closures {
        let name = c.name.as_deref().map(|n| format!("name = {}, ", surgical::toml_string(n))).unwrap_or_default();
        if name.is_empty() && c.start == c.end {
            s.push_str(&format!("  {},{nl}", c.start));
        } else {
            s.push_str(&format!("  {{ {name}start = {}, end = {} }},{nl}", c.start, c.end));
        }
    }
    s.push(']');
    s
}

/// The year that ends, as a `[[calendar.past]]` table.
fn past_table(old: &Calendar, nl: &str) -> String {
    let mut s = format!(
        "{nl}[[calendar.past]]                   # kept by rollover: school days counted back into this year{nl}\
         year_start = {}{nl}year_end = {}{nl}",
        old.year_start, old.year_end
    );
    if !old.terms.is_empty() {
        s.push_str(&format!("terms = {}{nl}", terms_array(&old.terms, nl)));
    }
    if !old.closures.is_empty() {
        s.push_str(&format!("closures = {}{nl}", closures_array(&old.closures, nl)));
    }
    s
}

fn terms_array(terms: &[Term], nl: &str) -> String {
    let mut s = format!("[{nl}");
    for t in terms {
        s.push_str(&format!(
            "  {{ name = {}, start = {}, end = {} }},{nl}",
            surgical::toml_string(&t.name),
            t.start,
            t.end
        ));
    }
    s.push(']');
    s
}

/// One pupil moving up a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promotion {
    pub id: String,
    pub from: i64,
    pub to: i64,
}

/// The rollover plan and what it means, for the command's message.
pub struct Rollover {
    pub batch: Batch,
    pub calendar: NewCalendar,
    pub promoted: Vec<Promotion>,
    /// Pupils in `school.last_year_group`, sorted by id; `None` when that
    /// setting is absent (nobody is a leaver).
    pub leavers: Option<Vec<(String, i64)>>,
    pub archived: bool,
    /// The `terms` list was written afresh (see `calendar_edits`).
    pub terms_rewritten: bool,
    /// Classes renamed by the `--classes` mapping: (old, new, pupils).
    pub renamed_classes: Vec<(String, String, usize)>,
    /// Classes of promoted pupils that look named after their old year group
    /// and were not mapped: (class, old year group, pupils).
    pub stale_classes: Vec<(String, i64, usize)>,
}

/// Whether a class name looks named after year group `year`: `3S`, `3`,
/// `Y3S` for Year 3, `RW` for Reception, `N2B` for nursery.
pub fn class_of_year(class: &str, year: i64) -> bool {
    let c = class.trim().to_ascii_uppercase();
    let after = |prefix: &str| c.strip_prefix(prefix).map(|rest| !rest.starts_with(|ch: char| ch.is_ascii_digit()));
    let number = |n: i64| {
        let n = n.to_string();
        after(&n)
            .or_else(|| {
                c.strip_prefix('Y')
                    .and_then(|r| r.strip_prefix(n.as_str()))
                    .map(|rest| !rest.starts_with(|ch: char| ch.is_ascii_digit()))
            })
            .unwrap_or(false)
    };
    match year {
        0 => c.starts_with('R') || number(0),
        -1 => after("N2").unwrap_or(false) || (c.starts_with('N') && !c.starts_with("N1")),
        -2 => after("N1").unwrap_or(false),
        n if n > 0 => number(n),
        _ => false,
    }
}

/// Plans the move to the next academic year.
pub fn plan_rollover(repo: &Repo, new: NewCalendar, archive_leavers: bool) -> Result<Rollover, Error> {
    plan_rollover_with_classes(repo, new, archive_leavers, &std::collections::BTreeMap::new())
}

/// [`plan_rollover`], renaming classes named after a year group as
/// `classes` maps them (old name to new, exactly as written), in the same
/// batch. Classes that look named after a pupil's old year group and are not
/// mapped are listed in [`Rollover::stale_classes`].
pub fn plan_rollover_with_classes(
    repo: &Repo,
    new: NewCalendar,
    archive_leavers: bool,
    classes: &std::collections::BTreeMap<String, String>,
) -> Result<Rollover, Error> {
    let root = &repo.root;
    let Some(old) = &repo.settings.calendar else {
        return Err(Error::usage(
            "senco.toml has no [calendar], so there is no academic year to move on from",
            Some("add [calendar] with year_start, year_end and terms for the current year (docs/format.md)".into()),
        ));
    };
    let limits = repo.settings.limits;
    // senco.toml is read by every command whatever the records' limit.
    let toml_limits = Limits { max_file_kb: limits.max_file_kb.max(Limits::DEFAULT_MAX_FILE_KB), ..limits };
    let settings = read(root, crate::repo::SETTINGS_FILE, toml_limits)?;
    let (cal_edits, terms_rewritten) =
        calendar_edits(&settings.text, old, &new).map_err(|w| refuse(&settings.rel, w))?;
    let new_settings = settings.edited(cal_edits)?;
    // What rollover writes must read back: a date past 9999-12-31 would not.
    let reread = String::from_utf8_lossy(&new_settings);
    let reread = reread.trim_start_matches('\u{feff}');
    match Settings::parse(reread) {
        Err(e) => {
            return Err(refuse(
                &settings.rel,
                format!("the new calendar could not be written readably: {}", e.message()),
            ))
        }
        Ok(s) => {
            if let Err(e) = crate::rules::dates::validate_calendar(&s, reread) {
                return Err(refuse(&settings.rel, format!("the new calendar would not be valid: {e} (check the dates given to rollover: --year-start, --year-end, --terms)")));
            }
        }
    }
    let mut batch = Batch::new(root);
    batch.set_command("rollover");
    batch.change(settings.rel.clone(), settings.raw.clone(), new_settings);

    let last = repo.settings.school.last_year_group;
    let mut promoted = Vec::new();
    let mut leavers = last.map(|_| Vec::new());
    let mut problems = Vec::new();
    let mut to_archive = Vec::new();
    let (mut renamed, mut stale) = (Vec::new(), Vec::new());
    for rec in &repo.pupils {
        let rel = rec.file("pupil.yaml");
        let f = match read(root, &rel, limits) {
            Ok(f) => f,
            Err(e) => {
                problems.push(format!("`{rel}`: {e}"));
                continue;
            }
        };
        let year = surgical::top_map(&f.text).and_then(|m| match surgical::entry(&m, "year_group")? {
            Some((_, Node::Scalar(s))) => match s.value.trim().parse::<i64>() {
                Ok(y) if s.style == crate::repo::yaml::Style::Plain => Ok((y, s.clone())),
                Ok(y) => {
                    Err(format!("`year_group` is written in quotes, as text; write it as a number: `year_group: {y}`"))
                }
                // `R`, `N1`, `Y5`: moved up in the same style (`Y1`, `N2`, `Y6`).
                Err(_) => match crate::model::year::parse(&s.value) {
                    Some(y) => Ok((y, s.clone())),
                    None => Err(format!("`year_group: {}` is not a year group", s.value)),
                },
            },
            Some(_) => Err("`year_group` is not a single number".into()),
            None => Err("it has no `year_group`".into()),
        });
        let (year, scalar) = match year {
            Ok(v) => v,
            Err(why) => {
                problems.push(format!("`{rel}`: {why}"));
                continue;
            }
        };
        if Some(year) == last {
            if let Some(l) = leavers.as_mut() {
                l.push((rec.dir.clone(), year));
            }
            if archive_leavers {
                to_archive.push(rec);
            }
            continue;
        }
        let Some(next) = year.checked_add(1) else {
            problems.push(format!("`{rel}`: `year_group: {year}` is too large to move up a year"));
            continue;
        };
        let written = crate::model::year::written_like(&scalar.value, next);
        let edit = match surgical::replace_scalar(&f.text, &scalar, &written) {
            Ok(e) => e,
            Err(why) => {
                problems.push(format!("`{rel}`: {why}"));
                continue;
            }
        };
        let mut edits = vec![edit];
        let class = surgical::top_map(&f.text).ok().and_then(|m| match surgical::entry(&m, "class") {
            Ok(Some((_, Node::Scalar(s)))) => Some(s.clone()),
            _ => None,
        });
        if let Some(c) = class {
            let name = c.value.trim().to_string();
            if let Some(to) = classes.get(&name) {
                match surgical::replace_scalar(&f.text, &c, &crate::edit::scaffold::yaml_text(to)) {
                    Ok(e) => edits.push(e),
                    Err(why) => {
                        problems.push(format!("`{rel}`: {why}"));
                        continue;
                    }
                }
                match renamed.iter_mut().find(|(o, _, _): &&mut (String, String, usize)| *o == name) {
                    Some(r) => r.2 += 1,
                    None => renamed.push((name, to.clone(), 1)),
                }
            } else if class_of_year(&name, year) {
                match stale.iter_mut().find(|(o, _, _): &&mut (String, i64, usize)| *o == name) {
                    Some(r) => r.2 += 1,
                    None => stale.push((name, year, 1)),
                }
            }
        }
        batch.change(rel, f.raw.clone(), f.edited(edits)?);
        promoted.push(Promotion { id: rec.dir.clone(), from: year, to: next });
    }
    for rec in to_archive {
        if let Err(e) = plan_archive(&mut batch, root, rec, old.year_end, None, limits) {
            problems.push(format!("`{}`: {e}", rec.rel));
        }
    }
    if !problems.is_empty() {
        return Err(Error::usage(
            format!(
                "rollover would have to edit records that cannot be edited safely, so nothing was changed:\n  {}",
                problems.join("\n  ")
            ),
            Some("fix these records by hand (`senco check` shows their problems), then run rollover again".into()),
        ));
    }
    let unused: Vec<&String> = classes.keys().filter(|k| !renamed.iter().any(|(o, _, _)| o == *k)).collect();
    if !unused.is_empty() {
        let names: Vec<String> = unused.iter().map(|k| format!("`{k}`")).collect();
        return Err(Error::usage(
            format!("the classes file maps {}, which no pupil moving up is in; nothing was changed", names.join(", ")),
            Some("class names are matched exactly as written in pupil.yaml: check the spelling".into()),
        ));
    }
    renamed.sort();
    stale.sort();
    Ok(Rollover {
        batch,
        calendar: new,
        promoted,
        leavers,
        archived: archive_leavers,
        terms_rewritten,
        renamed_classes: renamed,
        stale_classes: stale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TOML: &str = "[school]\nname = \"X\"\njurisdiction = \"england\"\n\n[calendar]   # this year\nyear_start = 2025-09-03\nyear_end = 2026-07-22 # last day\nterms = [\n  # autumn first\n  { name = \"Autumn\", start = 2025-09-03, end = 2025-12-19 },\n  { name = \"Summer\", start = 2026-04-13, end = 2026-07-22 },\n]\n";

    fn old() -> Calendar {
        crate::model::Settings::parse(TOML).unwrap().calendar.unwrap()
    }

    #[test]
    fn calendar_moves_52_weeks_keeping_comments() {
        let new = NewCalendar::from(&old(), None, None, None);
        assert!(new.year_start.guessed && new.terms_guessed);
        let out = surgical::apply(TOML, calendar_edits(TOML, &old(), &new).unwrap().0).unwrap();
        let past = "\n[[calendar.past]]                   # kept by rollover: school days counted back into this year\nyear_start = 2025-09-03\nyear_end = 2026-07-22\nterms = [\n  { name = \"Autumn\", start = 2025-09-03, end = 2025-12-19 },\n  { name = \"Summer\", start = 2026-04-13, end = 2026-07-22 },\n]\n";
        assert_eq!(
            out,
            TOML.replace("2025-09-03", "2026-09-02")
                .replace("2026-07-22", "2027-07-21")
                .replace("2025-12-19", "2026-12-18")
                .replace("2026-04-13", "2027-04-12")
                + past
        );
    }

    #[test]
    fn closures_move_in_place_and_the_old_year_is_kept() {
        let text = TOML.replace(
            "\n]\n",
            "\n]\nclosures = [\n  2025-09-03,   # INSET\n  { name = \"Half term\", start = 2025-10-27, end = 2025-10-31 },\n  { start = 2026-05-04 },\n]\n\n[costs]\ncurrency = \"GBP\"\n",
        );
        let old = crate::model::Settings::parse(&text).unwrap().calendar.unwrap();
        let new = NewCalendar::from(&old, None, None, None);
        assert!(new.closures_guessed && new.closures_dropped == 0);
        let out = surgical::apply(&text, calendar_edits(&text, &old, &new).unwrap().0).unwrap();
        // Each date + 52 weeks, comments kept: Wed 3 Sep 2025 -> Wed 2 Sep 2026.
        assert!(out.contains("closures = [\n  2026-09-02,   # INSET\n  { name = \"Half term\", start = 2026-10-26, end = 2026-10-30 },\n  { start = 2027-05-03 },\n]\n\n[costs]\n"), "{out}");
        let settings = crate::model::Settings::parse(&out).unwrap();
        crate::rules::dates::validate_calendar(&settings, &out).unwrap();
        let cal = settings.calendar.unwrap();
        assert_eq!(cal.past.len(), 1);
        let kept = &cal.past[0];
        assert_eq!((kept.year_start, kept.year_end), (d("2025-09-03"), d("2026-07-22")));
        let closures: Vec<_> = kept.closures.iter().map(|c| (c.start, c.end, c.name.clone())).collect();
        assert_eq!(
            closures,
            [
                (d("2025-09-03"), d("2025-09-03"), None),
                (d("2025-10-27"), d("2025-10-31"), Some("Half term".into())),
                (d("2026-05-04"), d("2026-05-04"), None)
            ]
        );
        // A second rollover keeps both years, oldest first.
        let new2 = NewCalendar::from(&cal, None, None, None);
        let out2 = surgical::apply(&out, calendar_edits(&out, &cal, &new2).unwrap().0).unwrap();
        let cal2 = crate::model::Settings::parse(&out2).unwrap().calendar.unwrap();
        let starts: Vec<_> = cal2.past.iter().map(|p| p.year_start).collect();
        assert_eq!(starts, [d("2025-09-03"), d("2026-09-02")]);
    }

    #[test]
    fn closures_given_or_moved_outside_the_new_year_are_written_afresh() {
        let text = TOML.replace("\n]\n", "\n]\nclosures = [2025-09-03, 2026-07-22]\n");
        let old = crate::model::Settings::parse(&text).unwrap().calendar.unwrap();
        // The new year starts a week later: the INSET day + 52 weeks falls before it.
        let terms = vec![
            Term { name: "Autumn".into(), start: d("2026-09-09"), end: d("2026-12-18") },
            Term { name: "Summer".into(), start: d("2027-04-12"), end: d("2027-07-21") },
        ];
        let new = NewCalendar::from(&old, Some(d("2026-09-09")), None, Some(terms));
        assert_eq!((new.closures.len(), new.closures_dropped), (1, 1));
        let out = surgical::apply(&text, calendar_edits(&text, &old, &new).unwrap().0).unwrap();
        assert!(out.contains("closures = [\n  2027-07-21,\n]\n"), "{out}");
        // Given closures replace them.
        let given =
            vec![Closure { start: d("2026-10-26"), end: d("2026-10-30"), name: Some("Half \"term\"".into()), at: 0 }];
        let new = NewCalendar::from(&old, None, None, None).with_closures(given);
        let out = surgical::apply(&text, calendar_edits(&text, &old, &new).unwrap().0).unwrap();
        let cal = crate::model::Settings::parse(&out).unwrap().calendar.unwrap();
        assert_eq!(cal.closures.len(), 1);
        assert_eq!(cal.closures[0].name.as_deref(), Some("Half \"term\""));
    }

    #[test]
    fn calendar_with_given_terms_of_another_count() {
        let terms = vec![
            Term { name: "Autumn".into(), start: d("2026-09-02"), end: d("2026-12-18") },
            Term { name: "Spring".into(), start: d("2027-01-04"), end: d("2027-03-26") },
            Term { name: "Summer".into(), start: d("2027-04-12"), end: d("2027-07-21") },
        ];
        let new = NewCalendar::from(&old(), Some(d("2026-09-02")), Some(d("2027-07-21")), Some(terms));
        let out = surgical::apply(TOML, calendar_edits(TOML, &old(), &new).unwrap().0).unwrap();
        let c = crate::model::Settings::parse(&out).unwrap().calendar.unwrap();
        assert_eq!(c.terms.len(), 3);
        assert_eq!(c.year_start, d("2026-09-02"));
        assert!(out.starts_with("[school]\nname = \"X\"\njurisdiction = \"england\"\n\n[calendar]   # this year\n"));
        assert!(out.contains("year_end = 2027-07-21 # last day\n"));
    }

    #[test]
    fn byte_order_mark_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.yaml"), "\u{feff}year_group: 3 # c\n").unwrap();
        let f = read(dir.path(), "p.yaml", Limits::default()).unwrap();
        assert!(f.bom);
        let m = surgical::top_map(&f.text).unwrap();
        let Some((_, Node::Scalar(s))) = surgical::entry(&m, "year_group").unwrap() else { panic!() };
        let out = f.edited(vec![surgical::replace_scalar(&f.text, s, "4").unwrap()]).unwrap();
        assert_eq!(out, "\u{feff}year_group: 4 # c\n".as_bytes());
    }

    #[test]
    fn cr_only_files_keep_their_line_endings() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.yaml"), "# c\ryear_group: 3\rsupport:\r  level: monitoring\r").unwrap();
        let f = read(dir.path(), "p.yaml", Limits::default()).unwrap();
        assert!(f.cr_only);
        let m = surgical::top_map(&f.text).unwrap();
        let out = f.edited(vec![surgical::insert_entry(&f.text, &m, "left", "2026-07-22").unwrap()]).unwrap();
        assert_eq!(out, b"# c\ryear_group: 3\rsupport:\r  level: monitoring\rleft: 2026-07-22\r");
        std::fs::write(dir.path().join("m.yaml"), "a: 1\rb: 2\n").unwrap();
        assert!(read(dir.path(), "m.yaml", Limits::default())
            .err()
            .unwrap()
            .to_string()
            .contains("mixes line endings"));
    }

    #[test]
    fn calendar_gains_terms_when_it_had_none() {
        let t = "[school]\r\nname = \"X\"\r\njurisdiction = \"england\"\r\n[calendar]\r\nyear_start = 2025-09-03\r\nyear_end = 2026-07-22\r\n";
        let old = crate::model::Settings::parse(t).unwrap().calendar.unwrap();
        let terms = vec![Term { name: "All".into(), start: d("2026-09-02"), end: d("2027-07-21") }];
        let new = NewCalendar::from(&old, None, None, Some(terms));
        let out = surgical::apply(t, calendar_edits(t, &old, &new).unwrap().0).unwrap();
        assert!(out.contains("year_end = 2027-07-21\r\nterms = [\r\n  { name = \"All\", start = 2026-09-02, end = 2027-07-21 },\r\n]\r\n"), "{out:?}");
        assert!(out.ends_with("\r\n[[calendar.past]]                   # kept by rollover: school days counted back into this year\r\nyear_start = 2025-09-03\r\nyear_end = 2026-07-22\r\n"), "{out:?}");
        assert_eq!(crate::model::Settings::parse(&out).unwrap().calendar.unwrap().terms.len(), 1);
    }
}
