//! Planning `senco import roster --apply`: the year group, class and name
//! changes of a reconciliation as surgical edits of each `pupil.yaml`
//! (comments, key order, quoting and line endings kept), and with
//! `--create` a skeleton folder for each new SEN pupil, as `new-pupil`
//! writes it, all in one [`Batch`]. Nothing is deleted or archived; nothing
//! is written here.

use super::batch::Batch;
use super::surgical::{self, Edit, Refusal};
use super::upkeep::read;
use crate::error::Error;
use crate::model::Level;
use crate::query::roster::{MisPupil, NewSen, Reconciliation};
use crate::repo::yaml::{self, Map, Node, Scalar, Style};
use crate::repo::Repo;
use chrono::NaiveDate;

/// The plan and what it means, one line per pupil, for the command's message.
pub struct RosterPlan {
    pub batch: Batch,
    /// `ava-brown: year group 4 -> 5; class 4B -> 5B`, by pupil id.
    pub changes: Vec<String>,
    /// `created pupils/zara-khan/ (line 7)`.
    pub created: Vec<String>,
    /// New SEN pupils not created, and why (`--create`).
    pub not_created: Vec<String>,
}

/// Replaces a scalar value, plain or quoted, with `new` (YAML text).
fn replace_value(text: &str, s: &Scalar, new: &str) -> Result<Edit, Refusal> {
    if s.style == Style::Plain {
        return surgical::replace_scalar(text, s, new);
    }
    if s.style == Style::Quoted {
        let (a, b) = (yaml::byte_offset(text, s.span.start.offset), yaml::byte_offset(text, s.span.end.offset));
        if let Some(found) = text.get(a..b).map(str::trim_end) {
            if let Some(q) = found.chars().next().filter(|q| *q == '"' || *q == '\'') {
                if found.len() >= 2 && found.ends_with(q) {
                    return Ok(Edit { start: a, end: a + found.len(), text: new.to_string() });
                }
            }
        }
    }
    Err("the value is written over several lines".into())
}

fn scalar<'m, 'a>(map: &'m Map<'a>, key: &str) -> Result<Option<&'m Scalar<'a>>, Refusal> {
    match surgical::entry(map, key)? {
        None => Ok(None),
        Some((_, Node::Scalar(s))) if s.is_null() => Err(format!("`{key}:` is empty")),
        Some((_, Node::Scalar(s))) => Ok(Some(s)),
        Some(_) => Err(format!("`{key}` is not a single value")),
    }
}

/// YAML text for `new` in the style of the value it replaces: a class the
/// school writes plain (`class: 4B`) stays plain (`5B`), though a new value
/// would be quoted for starting with a digit.
fn like(old: &Scalar, new: &str) -> String {
    let quoted = surgical::yaml_text(new);
    let only_the_digit =
        new.starts_with(|c: char| c.is_ascii_digit()) && surgical::yaml_text(&format!("x{new}")) == format!("x{new}");
    if old.style == Style::Plain && only_the_digit {
        new.to_string()
    } else {
        quoted
    }
}

/// A new line `key: value` right after the line holding `after`'s value, at
/// the indentation of the mapping's keys.
fn insert_after(text: &str, map: &Map, after: &Scalar, key: &str, value: &str) -> Result<Edit, Refusal> {
    if map.flow {
        return Err("the mapping is written `{ ... }` on one line".into());
    }
    let indent = map.entries.first().map_or(0, |(k, _)| k.span.start.column.saturating_sub(1) as usize);
    let end = yaml::byte_offset(text, after.span.end.offset);
    let nl = surgical::eol(text);
    let line = format!("{}{key}: {value}", " ".repeat(indent));
    Ok(match text.get(end..).and_then(|t| t.find('\n')) {
        Some(i) => Edit { start: end + i + 1, end: end + i + 1, text: format!("{line}{nl}") },
        None => Edit { start: text.len(), end: text.len(), text: format!("{nl}{line}") },
    })
}

/// The edits of one pupil.yaml: year group, class, name.
fn pupil_edits(
    text: &str,
    year: Option<i64>,
    class: Option<&str>,
    name: Option<&crate::query::roster::PersonName>,
) -> Result<Vec<Edit>, Refusal> {
    let map = surgical::top_map(text)?;
    let mut edits = Vec::new();
    let year_scalar = scalar(&map, "year_group")?;
    if let Some(y) = year {
        let s = year_scalar.ok_or("it has no `year_group`")?;
        if s.style != Style::Plain {
            return Err(format!("`year_group` is written in quotes, as text; write it as a number: `year_group: {y}`"));
        }
        edits.push(surgical::replace_scalar(text, s, &crate::model::year::written_like(&s.value, y))?);
    }
    if let Some(c) = class {
        match scalar(&map, "class")? {
            Some(s) => edits.push(replace_value(text, s, &like(s, c))?),
            None => {
                let after = year_scalar.ok_or("it has no `year_group`")?;
                edits.push(insert_after(text, &map, after, "class", &surgical::yaml_text(c))?);
            }
        }
    }
    if let Some(n) = name {
        let Some((_, Node::Map(m))) = surgical::entry(&map, "name")? else {
            return Err("`name` is not a mapping of `first:` and `last:`".into());
        };
        let quote = |s: &str| if m.flow { surgical::yaml_flow_text(s) } else { surgical::yaml_text(s) };
        for (key, value) in [("first", Some(&n.first)), ("last", Some(&n.last)), ("preferred", n.preferred.as_ref())] {
            let Some(value) = value else { continue };
            match scalar(m, key)? {
                Some(s) if s.value.trim() == value.as_str() => {}
                Some(s) => edits.push(replace_value(text, s, &quote(value))?),
                None if m.flow => {
                    let (_, last) = m.entries.last().ok_or("`name` is empty")?;
                    let at = yaml::byte_offset(text, last.span().end.offset);
                    let at = at - text[..at].len() + text[..at].trim_end().len();
                    edits.push(Edit { start: at, end: at, text: format!(", {key}: {}", quote(value)) });
                }
                None => edits.push(surgical::insert_entry(text, m, key, &quote(value))?),
            }
        }
    }
    Ok(edits)
}

/// The skeleton files of a new SEN pupil, as `new-pupil` writes them, with
/// the preferred name, and the UPN when the school records UPNs.
fn skeleton(n: &NewSen, level: Level, upn: Option<&str>, today: NaiveDate) -> Vec<(&'static str, String)> {
    let mut files = super::scaffold::pupil_files(&super::scaffold::NewPupil {
        id: &n.suggested_id,
        first: &n.first,
        last: &n.last,
        dob: n.date_of_birth,
        year: n.year_group.unwrap_or(0),
        level,
        class: n.class.as_deref(),
        plan_issued: None,
        today,
        since: today,
    });
    if let Some((_, pupil)) = files.iter_mut().find(|(f, _)| *f == "pupil.yaml") {
        if let Some(p) = &n.preferred {
            let names = format!("last: {} }}", surgical::yaml_flow_text(&n.last));
            let with =
                format!("last: {}, preferred: {} }}", surgical::yaml_flow_text(&n.last), surgical::yaml_flow_text(p));
            *pupil = pupil.replacen(&names, &with, 1);
        }
        if let Some(u) = upn {
            *pupil = pupil.replacen("# upn: A123456789012  ", &format!("upn: {:<21}", surgical::yaml_text(u)), 1);
        }
    }
    files
}

/// Plans the writes of `--apply` (and `--create`).
pub fn plan_import(
    repo: &Repo,
    rec: &Reconciliation,
    roster: &[MisPupil],
    create: bool,
    today: NaiveDate,
) -> Result<RosterPlan, Error> {
    let mut batch = Batch::new(&repo.root);
    batch.set_command("import roster");
    let mut ids: Vec<&str> = rec.moves.iter().map(|m| m.pupil.as_str()).collect();
    ids.extend(rec.name_changes.iter().map(|n| n.pupil.as_str()));
    ids.sort();
    ids.dedup();
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    for id in ids {
        let Some(p) = repo.pupil(id) else { continue };
        let mv = rec.moves.iter().find(|m| m.pupil == id);
        let nc = rec.name_changes.iter().find(|n| n.pupil == id);
        let year = mv.and_then(|m| m.year_group.as_ref()).map(|c| c.to);
        let class = mv.and_then(|m| m.class.as_ref()).and_then(|c| c.to.as_deref());
        let rel = p.file("pupil.yaml");
        let f = match read(&repo.root, &rel, repo.settings.limits) {
            Ok(f) => f,
            Err(e) => {
                problems.push(format!("`{rel}`: {e}"));
                continue;
            }
        };
        match pupil_edits(&f.text, year, class, nc.map(|n| &n.to)) {
            Ok(edits) => batch.change(rel, f.raw.clone(), f.edited(edits)?),
            Err(why) => {
                problems.push(format!("`{rel}`: {why}"));
                continue;
            }
        }
        let mut what = Vec::new();
        if let Some(c) = mv.and_then(|m| m.year_group.as_ref()) {
            let j = repo.settings.school.jurisdiction;
            what.push(format!(
                "year group {} -> {}",
                crate::model::year::short(j, c.from),
                crate::model::year::short(j, c.to)
            ));
        }
        if let Some(c) = mv.and_then(|m| m.class.as_ref()) {
            what.push(format!("class {} -> {}", c.from.as_deref().unwrap_or("(none)"), c.to.as_deref().unwrap_or("")));
        }
        if let Some(n) = nc {
            let show = |p: &crate::query::roster::PersonName| {
                let pref = p.preferred.as_deref().map(|x| format!(" ({x})")).unwrap_or_default();
                format!("{}{pref} {}", p.first, p.last)
            };
            what.push(format!("name {} -> {}", show(&n.from), show(&n.to)));
        }
        changes.push(format!("{id}: {}", what.join("; ")));
    }
    if !problems.is_empty() {
        return Err(Error::usage(
            format!(
                "import would have to edit records that cannot be edited safely, so nothing was changed:\n  {}",
                problems.join("\n  ")
            ),
            Some("fix these records by hand (`senco check` shows their problems), then run the import again".into()),
        ));
    }
    let (mut created, mut not_created) = (Vec::new(), Vec::new());
    if create {
        let records_upns =
            repo.pupils.iter().chain(&repo.archived).any(|p| p.pupil.as_ref().is_some_and(|x| x.upn.is_some()));
        for n in &rec.new_sen {
            let level = Level::parse(&n.mis_sen);
            let why = match (&n.archived_record, level, n.year_group) {
                (Some(a), _, _) => Some(format!("has an archived record `{a}`: `senco restore {a}` brings it back")),
                (_, None, _) => Some("no support level".to_string()),
                (_, Some(l), _) if l.statutory() => Some(format!(
                    "`{l}` is a statutory plan, which needs the date it was issued: create the record with `senco new-pupil --id {} --level {l} --plan-issued DATE ...`",
                    n.suggested_id
                )),
                (_, _, None) => Some("the roster gives no year group".to_string()),
                _ => None,
            };
            if let Some(why) = why {
                not_created.push(format!("{} (line {}): {why}", n.name, n.line));
                continue;
            }
            let Some(level) = level else { continue };
            let row = roster.iter().find(|m| m.line == n.line);
            let upn = if records_upns { row.and_then(|m| m.upn.as_deref()) } else { None };
            for (rel, text) in skeleton(n, level, upn, today) {
                batch.create(format!("pupils/{}/{rel}", n.suggested_id), text.into_bytes());
            }
            created.push(format!("pupils/{}/ ({}, line {}, {level})", n.suggested_id, n.name, n.line));
        }
    }
    Ok(RosterPlan { batch, changes, created, not_created })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::roster::PersonName;

    const PUPIL: &str = "# Ava's record\nid: ava-brown\nname: { first: Ava, last: Brown }   # legal name\ndate_of_birth: 2016-03-14\nyear_group: Y4   # moves up in July\nclass: \"4B\"\nsupport:\n  level: sen-support\n";

    fn apply(text: &str, year: Option<i64>, class: Option<&str>, name: Option<&PersonName>) -> String {
        surgical::apply(text, pupil_edits(text, year, class, name).unwrap()).unwrap()
    }

    #[test]
    fn year_class_and_name_change_in_place_keeping_comments() {
        let to = PersonName { first: "Ava".into(), last: "Brown-Smith".into(), preferred: Some("Avie".into()) };
        let out = apply(PUPIL, Some(5), Some("5B"), Some(&to));
        assert_eq!(
            out,
            "# Ava's record\nid: ava-brown\nname: { first: Ava, last: Brown-Smith, preferred: Avie }   # legal name\ndate_of_birth: 2016-03-14\nyear_group: Y5   # moves up in July\nclass: \"5B\"\nsupport:\n  level: sen-support\n"
        );
        let block = "id: a\nname:\n  first: Ava\n  last: Brown\nyear_group: 4\n";
        let out = apply(block, None, Some("4 Oak"), Some(&to));
        assert_eq!(
            out,
            "id: a\nname:\n  first: Ava\n  last: Brown-Smith\n  preferred: Avie\nyear_group: 4\nclass: \"4 Oak\"\n"
        );
    }

    #[test]
    fn a_missing_class_goes_after_the_year_group_and_a_bad_year_is_refused() {
        let text = "id: a\r\nyear_group: 4 # c\r\nsupport:\r\n  level: monitoring\r\n";
        assert_eq!(
            apply(text, None, Some("4B"), None),
            "id: a\r\nyear_group: 4 # c\r\nclass: \"4B\"\r\nsupport:\r\n  level: monitoring\r\n"
        );
        // A class written plain stays plain; a quoted one stays quoted.
        assert_eq!(apply("class: 4B # x\n", None, Some("5B"), None), "class: 5B # x\n");
        assert_eq!(apply("class: 4B\n", None, Some("5 #B"), None), "class: \"5 #B\"\n");
        assert_eq!(apply("class: '4B'\n", None, Some("5B"), None), "class: \"5B\"\n");
        assert!(pupil_edits("year_group: \"4\"\n", Some(5), None, None).unwrap_err().contains("quotes"));
        assert!(pupil_edits("id: a\n", Some(5), None, None).unwrap_err().contains("no `year_group`"));
    }
}
