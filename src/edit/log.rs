//! Appending to a pupil's dated log (`log.yaml`). The log only grows: a new
//! entry is added after the last byte of the file, so every entry, comment and
//! quirk of what is already there stays exactly as it was (the one exception:
//! a file that is just `[]` has that empty list replaced by the entry).

use crate::edit::scaffold::yaml_text;
use crate::edit::surgical::yaml_flow_text;
use crate::model::{LogEntry, LogKind};
use crate::repo::decode::{Cx, Decode};
use chrono::NaiveDate;

/// What a new log entry says.
#[derive(Clone, Debug)]
pub struct NewEntry<'a> {
    pub date: NaiveDate,
    pub kind: LogKind,
    pub with: &'a [String],
    pub summary: &'a str,
    pub follow_up: Option<NaiveDate>,
}

/// Why an entry could not be appended.
#[derive(Debug, PartialEq)]
pub enum AppendError {
    /// The file is written in a shape senco does not append to (a flow list).
    Shape,
    /// The result would not read back as the old entries plus the new one.
    ReadBack(String),
}

/// The entry as YAML lines ending in `nl`.
fn entry_text(e: &NewEntry, nl: &str) -> String {
    let mut out = format!("- date: {}{nl}  kind: {}{nl}", e.date, e.kind.as_str());
    let with: Vec<String> = e.with.iter().map(|w| w.trim()).filter(|w| !w.is_empty()).map(yaml_flow_text).collect();
    if !with.is_empty() {
        out.push_str(&format!("  with: [{}]{nl}", with.join(", ")));
    }
    out.push_str(&format!("  summary: {}{nl}", yaml_text(e.summary.trim())));
    if let Some(f) = e.follow_up {
        out.push_str(&format!("  follow_up: {f}{nl}"));
    }
    out
}

/// The header of a new log file.
pub fn new_file_header(name: &str) -> String {
    file_header(crate::model::schema::Kind::Log, "pupils/p/log.yaml", name, |name| {
        format!(
            "# The dated log of {name}: meetings, contacts with the family and agencies, concerns,\n\
             # observations, progress reports. Newest last; add entries with `senco log` or by hand\n\
             # (docs/format.md, log.yaml). Entries are never edited away: correct with a new entry.\n"
        )
    })
}

/// The header of a new file that only grows: the line that points editors
/// at the schema of `kind` (docs/schema.md; `rel` is a path of that kind),
/// then the comment `comment` writes about what the file holds, given
/// `name` (a pupil's, a place's) with every control character made a space
/// so it stays in its comment line.
pub(crate) fn file_header(
    kind: crate::model::schema::Kind,
    rel: &str,
    name: &str,
    comment: impl FnOnce(&str) -> String,
) -> String {
    let name: String = name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    format!("{}\n{}", kind.modeline(rel).unwrap_or_default(), comment(&name))
}

/// `old` (the file as read, or the new file's header) with the entry
/// appended; read back before it is returned.
pub fn append(old: &str, entry: &NewEntry) -> Result<String, AppendError> {
    append_item::<LogEntry>(old, |nl| entry_text(entry, nl), "log.yaml", "entries")
}

/// `old`, a YAML list of `T` that only grows (a pupil's log, a month of
/// delivered sessions) or a new file's header, with one item appended: the
/// lines `item` writes for the file's line ending (`\n` or `\r\n`). Every
/// byte of `old` stays; the one exception is a file that is just `[]`, whose
/// empty list is replaced by the item. A flow list is [`AppendError::Shape`].
/// The result is read back before it is returned: it must decode as `file`
/// without a finding, holding the old items (`noun`, in the message) and one more.
pub(crate) fn append_item<T>(
    old: &str,
    item: impl Fn(&str) -> String,
    file: &str,
    noun: &str,
) -> Result<String, AppendError>
where
    Vec<T>: Decode,
{
    let nl = if old.contains("\r\n") { "\r\n" } else { "\n" };
    let body: Vec<&str> =
        old.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#') && *l != "---").collect();
    let new = if body == ["[]"] {
        // An empty flow list: the one case where a byte changes.
        let at = old.find("[]").ok_or(AppendError::Shape)?;
        let line_start = old[..at].rfind('\n').map_or(0, |i| i + 1);
        if !old[line_start..at].trim().is_empty() {
            return Err(AppendError::Shape);
        }
        let line_end = old[at..].find('\n').map_or(old.len(), |i| at + i + 1);
        format!("{}{}{}", &old[..line_start], item(nl), &old[line_end..])
    } else if body.is_empty() || body[0].starts_with("- ") || body[0] == "-" {
        let mut s = old.to_string();
        if !s.is_empty() && !s.ends_with('\n') {
            s.push_str(nl);
        }
        s.push_str(&item(nl));
        s
    } else {
        return Err(AppendError::Shape);
    };
    let count = |text: &str| -> Result<usize, String> {
        let mut cx = Cx::new(file);
        let items = match crate::repo::yaml::parse(crate::edit::surgical::split_bom(text).1) {
            Ok(Some(node)) => Vec::<T>::decode(&node, &mut cx).unwrap_or_default(),
            Ok(None) => Vec::new(),
            Err(e) => return Err(e.message),
        };
        match cx.findings.first() {
            Some(f) => Err(f.message.clone()),
            None => Ok(items.len()),
        }
    };
    let before = count(old).map_err(AppendError::ReadBack)?;
    let after = count(&new).map_err(AppendError::ReadBack)?;
    if after != before + 1 {
        return Err(AppendError::ReadBack(format!("{before} {noun} became {after}")));
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::repo::decode::parse_date(s).unwrap()
    }

    fn entry<'a>(with: &'a [String], summary: &'a str) -> NewEntry<'a> {
        NewEntry {
            date: d("2026-11-30"),
            kind: LogKind::ParentContact,
            with,
            summary,
            follow_up: Some(d("2026-12-14")),
        }
    }

    #[test]
    fn appends_after_every_existing_byte() {
        let old = "# kept\n- date: 2026-10-01   # odd spacing kept\n  kind: phone\n  summary: 'Called mum'\n";
        let with = vec!["parent".to_string(), "ta-jones".to_string()];
        let new = append(old, &entry(&with, "Talked about reading: at home")).unwrap();
        assert!(new.starts_with(old));
        assert_eq!(
            &new[old.len()..],
            "- date: 2026-11-30\n  kind: parent-contact\n  with: [parent, ta-jones]\n  summary: \"Talked about reading: at home\"\n  follow_up: 2026-12-14\n"
        );
    }

    #[test]
    fn a_file_without_a_final_newline_or_with_crlf() {
        let with = vec![];
        let new = append("- date: 2026-10-01\n  kind: phone\n  summary: x", &entry(&with, "y")).unwrap();
        assert!(new.starts_with("- date: 2026-10-01\n  kind: phone\n  summary: x\n- date: 2026-11-30\n"));
        let crlf = "- date: 2026-10-01\r\n  kind: phone\r\n  summary: x\r\n";
        let new = append(crlf, &entry(&with, "y")).unwrap();
        assert!(new.starts_with(crlf) && new[crlf.len()..].contains("\r\n") && !new[crlf.len()..].contains("\r\n\r"));
    }

    #[test]
    fn an_empty_list_a_header_and_hostile_text() {
        let with = vec!["parent".to_string()];
        let new = append("# log\n[]\n", &entry(&with, "y")).unwrap();
        assert!(new.starts_with("# log\n- date: 2026-11-30\n"));
        let header = new_file_header("Ava\nBrown");
        let new = append(&header, &entry(&with, "- [x]: #not a comment\n\u{1b}[31m")).unwrap();
        assert!(new.starts_with(&header));
        assert!(!header.contains("Ava\nBrown"));
        let flow = "[{ date: 2026-10-01, kind: phone, summary: x }]\n";
        assert_eq!(append(flow, &entry(&with, "y")), Err(AppendError::Shape));
    }
}
