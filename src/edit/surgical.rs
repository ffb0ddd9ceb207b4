//! Surgical edits of hand-written files: change exactly the bytes of the
//! values a command must change, and nothing else.
//!
//! Records are edited by people for years; their comments, key order,
//! quoting, blank lines, line endings and `x-` keys are theirs. So we never
//! re-serialise a file: the YAML layer (`repo::yaml`) gives the span of every
//! value, and an [`Edit`] replaces exactly those bytes. Inserting a key adds
//! one line after the mapping's last entry at its indentation; removing a key
//! removes exactly its line(s). `senco.toml` is edited the same way with the
//! spans of the `toml` crate's `DeTable`.
//!
//! Every function here is pure: text in, text out. `edit::batch` writes.

use crate::repo::yaml::{self, Map, Node, Scalar, Style};
use chrono::NaiveDate;

/// Why an edit cannot be made safely. The command turns it into a usage
/// error naming the file.
pub type Refusal = String;

/// Replace the bytes `start..end` of a text with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Applies non-overlapping edits to `text`. Refuses overlapping edits or
/// edits that do not fall on character boundaries.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> Result<String, Refusal> {
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in &edits {
        if e.start < at || e.end < e.start || e.end > text.len() {
            return Err("two changes overlap in the same place of the file".into());
        }
        let (Some(keep), Some(_)) = (text.get(at..e.start), text.get(e.start..e.end)) else {
            return Err("a change does not fall on a character boundary".into());
        };
        out.push_str(keep);
        out.push_str(&e.text);
        at = e.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Ok(out)
}

/// The line ending the file uses: CRLF when any line ends so, else LF.
pub fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// A file's text with its byte-order mark split off (the YAML layer's spans
/// count from after it); `join_bom` puts it back.
pub fn split_bom(text: &str) -> (bool, &str) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (true, rest),
        None => (false, text),
    }
}

pub fn join_bom(bom: bool, text: String) -> String {
    if bom {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

/// Refuses a text with a carriage return that ends a line alone: YAML takes
/// it for a line break, the editors do not (found by the fuzzer: a new line
/// after `\r ` changed a folded value).
fn lone_cr(text: &str) -> Result<(), Refusal> {
    if text.as_bytes().windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n') || text.ends_with('\r') {
        return Err(
            "the file has a line ended by a carriage return alone (CR): save it with LF or CRLF line endings".into()
        );
    }
    Ok(())
}

/// Parses a YAML file whose top level must be a block mapping.
pub fn top_map(text: &str) -> Result<Map<'_>, Refusal> {
    lone_cr(text)?;
    match yaml::parse(text) {
        Ok(Some(Node::Map(m))) if !m.flow => Ok(m),
        Ok(Some(_)) | Ok(None) => Err("the file is not a mapping of `key: value` lines".into()),
        Err(e) => Err(format!("the file is not valid YAML (line {}: {})", e.pos.line, e.message)),
    }
}

/// The one entry with this key; refuses a key written twice, since either
/// edit would leave the other value in place.
pub fn entry<'m, 'a>(map: &'m Map<'a>, key: &str) -> Result<Option<&'m (Scalar<'a>, Node<'a>)>, Refusal> {
    let mut found = map.entries.iter().filter(|(k, _)| k.value == key);
    let first = found.next();
    if first.is_some() && found.next().is_some() {
        return Err(format!("`{key}` is written twice"));
    }
    Ok(first)
}

fn bytes_of(text: &str, s: yaml::Span) -> (usize, usize) {
    (yaml::byte_offset(text, s.start.offset), yaml::byte_offset(text, s.end.offset))
}

/// Replaces a plain scalar's text. The span is verified against the text
/// first, so an edit can never land beside its value.
pub fn replace_scalar(text: &str, value: &Scalar, new: &str) -> Result<Edit, Refusal> {
    lone_cr(text)?;
    if value.style != Style::Plain || value.is_null() {
        return Err("the value is not a plain, non-empty value".into());
    }
    let (start, end) = bytes_of(text, value.span);
    // A tab before the value: the parser reads some values after a tab and
    // not others, so the new one might not read back.
    let before = text.get(..start).map_or("", |t| t.rsplit('\n').next().unwrap_or(""));
    if before.trim_end_matches(' ').ends_with('\t') {
        return Err("a tab separates the value from its key".into());
    }
    match text.get(start..end) {
        Some(found) if found.trim_end() == value.value => {
            Ok(Edit { start, end: start + found.trim_end().len(), text: new.to_string() })
        }
        _ => Err("the value could not be located exactly in the file".into()),
    }
}

/// Where a new line can go after `node`: the start of the line after the
/// one it ends on. `None` when the node ends on the file's last line and
/// that line has no line ending.
fn line_after(text: &str, end: usize) -> Option<usize> {
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        return Some(end);
    }
    text.get(end..)?.find('\n').map(|i| end + i + 1)
}

/// The byte where an entry's text ends: its value, or its key when the value
/// is empty (an empty value's span may sit on a later line).
fn entry_end(text: &str, key: &Scalar, value: &Node) -> Result<usize, Refusal> {
    let key_end = bytes_of(text, key.span).1;
    // Nothing written: the entry ends with its key. A null that is written
    // (`~`, `null`) may stand on the next line (found by the fuzzer).
    // Only a plain one: `>` or `''` on the next line with nothing after it is
    // an empty value written there, which the new key must follow (both
    // found by the fuzzer).
    if matches!(value, Node::Scalar(s) if s.value.is_empty() && s.style == Style::Plain) {
        return Ok(key_end);
    }
    let (start, end) = bytes_of(text, value.span());
    let mut end = end.max(key_end);
    // A block scalar's span runs over the blank lines after it; a new line
    // belongs right after its text (unless `+` keeps those blank lines).
    let keep = keeps_trailing_lines(text, value);
    let last_block = match value {
        Node::Scalar(s) => s.style == Style::Block,
        Node::Map(m) => matches!(m.entries.last(), Some((_, Node::Scalar(s))) if s.style == Style::Block),
        Node::Seq(q) => matches!(q.items.last(), Some(Node::Scalar(s)) if s.style == Style::Block),
    };
    if last_block && !keep {
        let body = text.get(start..end).unwrap_or("");
        let trimmed = body.trim_end().len();
        // The lines cut off must be empty for the block: spaces no deeper
        // than its text's indentation. A deeper line of spaces is text
        // (found by the fuzzer: `  s` then `   ` at the end of the file).
        // The span starts at the header or at the text: at the text when
        // the header (`|`, `>-`, ...) ends the code before it, on the key's
        // line or a line of its own. A text that itself begins `>-` is not a
        // header (found by the fuzzer).
        let line_start = text.get(..start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        let at_header = body.starts_with(['|', '>']) && !header_before(text, start);
        let indent = if at_header {
            body.lines().skip(1).find(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len())
        } else {
            // The span starts at the text, on its first line.
            Some(start - line_start)
        };
        let tail = &body[trimmed..];
        if tail.contains('\t') || tail.lines().any(|l| indent.is_some_and(|n| l.trim_end_matches('\r').len() > n)) {
            return Err("the last value ends with lines of spaces that belong to it".into());
        }
        // A line of spaces that ends the file with no line break after it:
        // readers differ on whether it adds a line to the value (found by
        // the fuzzer), so a new line is not put before it.
        if end >= text.len() && !text.ends_with('\n') && tail.rsplit('\n').next().is_some_and(|l| !l.is_empty()) {
            return Err("the last value ends the file with a line of spaces and no line break".into());
        }
        end = (start + trimmed).max(key_end);
    }
    Ok(end)
}

/// Whether the last token of the code before byte `start` (comments and
/// blank lines skipped) is a block scalar's header: then `start` is its text.
fn header_before(text: &str, start: usize) -> bool {
    last_token_before(text, start).is_some_and(|t| t.starts_with('|') || t.starts_with('>'))
}

/// The last token of the code before byte `start`, comments and blank lines skipped.
fn last_token_before(text: &str, start: usize) -> Option<&str> {
    let before = text.get(..start).unwrap_or("");
    for line in before.rsplit('\n') {
        let code = line.split(" #").next().unwrap_or("");
        let code = if code.trim_start().starts_with('#') { "" } else { code.trim_end_matches(['\r', ' ', '\t']) };
        if code.trim().is_empty() {
            continue;
        }
        return code.rsplit([' ', '\t']).next();
    }
    None
}

/// Whether the block scalar whose text starts at byte `start` has `+`
/// chomping. Its header (`|+`, `>+2`, ...) is the last token before its
/// text, on the line before it; or `start` is the header itself (the parser
/// marks it so when the text is only blank lines).
fn block_keeps(text: &str, start: usize) -> bool {
    let at = text.get(start..).unwrap_or("");
    if at.starts_with(['|', '>']) {
        return at.split([' ', '\t', '\r', '\n']).next().unwrap_or("").contains('+');
    }
    header_before(text, start) && last_token_before(text, start).is_some_and(|t| t.contains('+'))
}

/// Whether the last scalar of `node` is a block scalar with `+` chomping.
fn keeps_trailing_lines(text: &str, node: &Node) -> bool {
    match node {
        Node::Scalar(s) if s.style == Style::Block => block_keeps(text, bytes_of(text, s.span).0),
        Node::Scalar(_) => false,
        Node::Map(m) => m.entries.last().is_some_and(|(_, v)| keeps_trailing_lines(text, v)),
        Node::Seq(q) => q.items.last().is_some_and(|v| keeps_trailing_lines(text, v)),
    }
}

/// Adds `key: value` as a new line after the last entry of a block mapping,
/// at the indentation of its keys, with the file's line ending. `value` must
/// already be YAML text (see `yaml_text`).
pub fn insert_entry(text: &str, map: &Map, key: &str, value: &str) -> Result<Edit, Refusal> {
    lone_cr(text)?;
    if map.flow {
        return Err("the mapping is written `{ ... }` on one line".into());
    }
    if entry(map, key)?.is_some() {
        return Err(format!("`{key}` is already there"));
    }
    let Some(((first, _), (last_k, last_v))) = map.entries.first().zip(map.entries.last()) else {
        return Err("the mapping is empty".into());
    };
    if keeps_trailing_lines(text, last_v) {
        // `|+` or `>+` keeps the blank lines after it as part of its value:
        // a new line after them would change that value.
        return Err("the last value keeps its trailing blank lines (`|+` or `>+`)".into());
    }
    if map.entries.iter().any(|(k, _)| k.value.is_empty()) {
        // A bare `:` or a `?` alone has an empty key whose mark may sit
        // before its line or after its value, so the new line could land in
        // the wrong place: refuse rather than reorder (found by the fuzzer).
        return Err("an entry has no key (a bare `:` or `?`)".into());
    }
    // The first and last keys must start their lines (after the `- ` of a
    // list item at most; not `? key`), so the new line can take their
    // indentation and follow the last.
    for k in [first, last_k] {
        let start = bytes_of(text, k.span).0;
        let line_start = text.get(..start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        if !text.get(line_start..start).is_some_and(|t| t.bytes().all(|b| b == b' ' || b == b'-')) {
            return Err(format!("`{}` does not start its own line", k.value));
        }
        if explicit_above(text, line_start) {
            return Err(format!("`{}` is written as an explicit `?` key", k.value));
        }
    }
    if first.span.start.column != last_k.span.start.column {
        return Err("the first and last keys are not lined up".into());
    }
    let indent = " ".repeat(first.span.start.column.saturating_sub(1) as usize);
    let nl = eol(text);
    let end = entry_end(text, last_k, last_v)?;
    let line = format!("{indent}{key}: {value}");
    Ok(match line_after(text, end) {
        Some(at) => Edit { start: at, end: at, text: format!("{line}{nl}") },
        None => {
            // The file ends without a line break: a block value (`|`, `>`)
            // that ends it would gain one, so its value would change.
            let mut last = last_v;
            loop {
                match last {
                    Node::Map(m) => match m.entries.last() {
                        Some((_, v)) => last = v,
                        None => break,
                    },
                    Node::Seq(q) => match q.items.last() {
                        Some(v) => last = v,
                        None => break,
                    },
                    Node::Scalar(_) => break,
                }
            }
            if matches!(last, Node::Scalar(s) if s.style == Style::Block) {
                return Err("the file ends inside a block value (`|` or `>`) with no line break after it: adding a line would change that value; save the file with a final line break".into());
            }
            Edit { start: text.len(), end: text.len(), text: format!("{nl}{line}") }
        }
    })
}

/// Whether the last line above the one starting at `line_start` that is
/// not blank or a comment ends with an explicit-key `?`, so the key on this
/// line belongs to it (found by the fuzzer, with blank lines between too).
fn explicit_above(text: &str, line_start: usize) -> bool {
    let above = text.get(..line_start.saturating_sub(1)).unwrap_or("");
    let Some(line) = above.rsplit('\n').map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')) else {
        return false;
    };
    let line = line.find(" #").map_or(line, |i| line[..i].trim_end());
    line == "?" || line.ends_with(" ?") || line.ends_with("\t?")
}

/// The lines of the entry `key` of a block mapping: from the start of its
/// key's line to the end of its value's line (comment and line ending
/// included). `Ok(None)` when absent.
fn entry_lines(text: &str, map: &Map, key: &str) -> Result<Option<std::ops::Range<usize>>, Refusal> {
    let Some((k, v)) = entry(map, key)? else { return Ok(None) };
    if map.flow {
        return Err("the mapping is written `{ ... }` on one line".into());
    }
    if k.value.is_empty() {
        // `?` or `:` alone: an empty key has no place of its own to remove.
        return Err("the entry has no key".into());
    }
    let key_start = bytes_of(text, k.span).0;
    let line_start = text.get(..key_start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    if !text.get(line_start..key_start).is_some_and(|t| t.bytes().all(|b| b == b' ')) {
        return Err(format!("`{key}` does not start its own line"));
    }
    if explicit_above(text, line_start) {
        return Err(format!("`{key}` is written as an explicit `?` key"));
    }
    let end = entry_end(text, k, v)?;
    let rest_of_line = text.get(end..).map_or("", |t| t.split('\n').next().unwrap_or(""));
    let rest = rest_of_line.trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return Err(format!("something else follows `{key}` on its line"));
    }
    Ok(Some(line_start..line_after(text, end).unwrap_or(text.len())))
}

/// Removes the whole lines of the entries `keys` of a block mapping; the
/// inverse of `insert_entry`, byte for byte. Absent keys are skipped.
pub fn remove_entries(text: &str, map: &Map, keys: &[&str]) -> Result<Vec<Edit>, Refusal> {
    lone_cr(text)?;
    let mut ranges = Vec::new();
    for key in keys {
        ranges.extend(entry_lines(text, map, key)?);
    }
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    Ok(merged
        .into_iter()
        .map(|r| {
            let mut start = r.start;
            // The file's last lines, without a final line ending: take the
            // line ending before them instead.
            if r.end == text.len() && !text.ends_with('\n') {
                let before = text.get(..start).unwrap_or("");
                start = before.strip_suffix("\r\n").or_else(|| before.strip_suffix('\n')).map_or(start, str::len);
            }
            Edit { start, end: r.end, text: String::new() }
        })
        .collect())
}

/// `remove_entries` for one key; `Ok(None)` when absent.
pub fn remove_entry(text: &str, map: &Map, key: &str) -> Result<Option<Edit>, Refusal> {
    Ok(remove_entries(text, map, &[key])?.pop())
}

/// Text for a YAML block context (`key: VALUE`), quoted when a plain scalar
/// would be misread.
pub fn yaml_text(s: &str) -> String {
    crate::edit::scaffold::yaml_text(s)
}

/// Text for a YAML flow context (`{ name: VALUE }`), where `,` `[` `]` `{`
/// `}` also end a plain value.
pub fn yaml_flow_text(s: &str) -> String {
    let quoted = yaml_text(s);
    if quoted.starts_with('"') || !s.contains([',', '[', ']', '{', '}']) {
        return quoted;
    }
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

// ------------------------------------------------------------------ TOML

/// Where a TOML value is: its byte range in the text.
pub type TomlSpan = std::ops::Range<usize>;

/// Replaces a TOML date value, verifying that the span holds the old date.
pub fn replace_toml_date(text: &str, span: TomlSpan, old: NaiveDate, new: NaiveDate) -> Result<Edit, Refusal> {
    match text.get(span.clone()) {
        Some(found) if found.trim() == old.to_string() => {
            Ok(Edit { start: span.start, end: span.end, text: new.to_string() })
        }
        _ => Err(format!("the date {old} could not be located exactly in senco.toml")),
    }
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ins(text: &str, key: &str, value: &str) -> String {
        let m = top_map(text).unwrap();
        apply(text, vec![insert_entry(text, &m, key, value).unwrap()]).unwrap()
    }

    fn rm(text: &str, key: &str) -> String {
        let m = top_map(text).unwrap();
        apply(text, remove_entry(text, &m, key).unwrap().into_iter().collect()).unwrap()
    }

    #[test]
    fn replace_keeps_comment_and_everything_else() {
        let t = "# head\nid: a\nyear_group: 3        # moved up each July\nx-house: \"Oak\"\r\n";
        let m = top_map(t).unwrap();
        let Some((_, Node::Scalar(v))) = entry(&m, "year_group").unwrap() else { panic!() };
        let out = apply(t, vec![replace_scalar(t, v, "4").unwrap()]).unwrap();
        assert_eq!(out, t.replace("year_group: 3 ", "year_group: 4 "));
    }

    #[test]
    fn replace_refuses_quoted_or_mislocated() {
        let t = "year_group: \"3\"\n";
        let m = top_map(t).unwrap();
        let Some((_, Node::Scalar(v))) = entry(&m, "year_group").unwrap() else { panic!() };
        assert!(replace_scalar(t, v, "4").is_err());
        let mut wrong = v.clone();
        wrong.style = Style::Plain;
        wrong.value = "9".into();
        assert!(replace_scalar(t, &wrong, "4").is_err());
    }

    #[test]
    fn an_explicit_key_with_blank_lines_or_a_comment_before_it_is_refused() {
        // Found by the fuzzer (run 13, after 27,865 inputs).
        let t = "?\n\n\n id4\nclass: 5C\npport:ft: 202nc?\n? 4\nclass: ";
        let m = top_map(t).unwrap();
        assert!(remove_entry(t, &m, "id4").unwrap_err().contains("explicit"));
        let t = "? # the key below\n\n  id4\nclass: 5C\n";
        let m = top_map(t).unwrap();
        assert!(remove_entry(t, &m, "id4").unwrap_err().contains("explicit"));
        assert!(insert_entry(t, &m, "x", "1").unwrap_err().contains("explicit"));
    }

    #[test]
    fn insert_refuses_beside_an_explicit_key() {
        // Found by the fuzzer: `? key` puts the key two columns in.
        let t = "? a\nb: 1\n";
        let m = top_map(t).unwrap();
        assert!(insert_entry(t, &m, "x", "1").unwrap_err().contains("own line"));
        // `?` on a line of its own, the key below it: found by the fuzzer.
        let t = "?\n 0-9-zzzal\nttendee: >1-";
        let m = top_map(t).unwrap();
        assert!(insert_entry(t, &m, "x", "1").unwrap_err().contains("explicit"));
        // A list item's mapping is fine: the new key lines up under the first.
        let t = "- a: 1\n  b: 2\n";
        let Some(Node::Seq(q)) = crate::repo::yaml::parse(t).unwrap() else { panic!() };
        let Node::Map(m) = &q.items[0] else { panic!() };
        let out = apply(t, vec![insert_entry(t, m, "x", "1").unwrap()]).unwrap();
        assert_eq!(out, "- a: 1\n  b: 2\n  x: 1\n");
    }

    #[test]
    fn remove_refuses_an_empty_key() {
        // Found by the fuzzer: `?` alone.
        for t in ["?\n", "a: 1\n:\n"] {
            let m = top_map(t).unwrap();
            assert!(remove_entry(t, &m, "").is_err(), "{t:?}");
        }
        let t = "\n?\n 0-9-zzzal\nttendee: >1-";
        let m = top_map(t).unwrap();
        assert!(remove_entry(t, &m, "0-9-zzzal").unwrap_err().contains("explicit"));
    }

    #[test]
    fn replace_refuses_a_value_after_a_tab() {
        // Found by the fuzzer: `key:\t=` read, `key:\tfuzz-value` did not.
        let t = "pupil_voice:\t=";
        let m = top_map(t).unwrap();
        let Some((_, Node::Scalar(v))) = entry(&m, "pupil_voice").unwrap() else { panic!() };
        assert!(replace_scalar(t, v, "fuzz-value").unwrap_err().contains("tab"));
    }

    #[test]
    fn insert_refuses_after_a_kept_block_scalar() {
        // Found by the fuzzer: a line after `>+` text changes its value.
        // And again with only blank lines for text (the parser then marks the header).
        for t in ["a: 1\nb: >+\n  text\n\n", "a:\n  b: |+\n    text\n\n", "a: 1\nb: >+\n  \n", "a: 1\nb: |+ # c\n\n"] {
            let m = top_map(t).unwrap();
            assert!(insert_entry(t, &m, "x", "1").unwrap_err().contains("+"), "{t:?}");
        }
    }

    #[test]
    fn editors_refuse_a_lone_carriage_return() {
        // Found by the fuzzer: `>\r\n text >\r ` then a new line read back with one more line break.
        for t in ["cription: >\r\n text >\r ", "a: 1\rb: 2\r", "a: 1\r"] {
            assert!(top_map(t).unwrap_err().contains("carriage return"), "{t:?}");
        }
        assert!(top_map("a: 1\r\nb: 2\r\n").is_ok());
    }

    #[test]
    fn insert_goes_after_a_written_null_on_the_next_line() {
        // Found by the fuzzer: the new key landed between `at_home:` and its `null`.
        for (t, want) in [
            ("a: 3\nb:\n  null\n", "a: 3\nb:\n  null\nx: 1\n"),
            ("a: 3\nb:\n  ~\n", "a: 3\nb:\n  ~\nx: 1\n"),
            ("a: 3\nb: null\n", "a: 3\nb: null\nx: 1\n"),
            ("a: 3\nb:\n", "a: 3\nb:\nx: 1\n"),
        ] {
            let m = top_map(t).unwrap();
            let e = insert_entry(t, &m, "x", "1").unwrap();
            assert_eq!(apply(t, vec![e]).unwrap(), want);
        }
        let t = "b:\n  null\nc: 2\n";
        let m = top_map(t).unwrap();
        let e = remove_entry(t, &m, "b").unwrap().unwrap();
        assert_eq!(apply(t, vec![e]).unwrap(), "c: 2\n");
    }

    #[test]
    fn insert_refuses_after_a_block_that_ends_in_deeper_spaces() {
        // Found by the fuzzer: a line of spaces deeper than the text is part of it.
        let t = "k: >-\n  s\n   ";
        let m = top_map(t).unwrap();
        assert!(insert_entry(t, &m, "x", "1").unwrap_err().contains("spaces"));
        // Blank lines no deeper than the text are not: the new key goes after the text.
        for (t, want) in [("k: >-\n  s\n  \n", "k: >-\n  s\nx: 1\n  \n"), ("k: |\n  s\n\n", "k: |\n  s\nx: 1\n\n")] {
            let m = top_map(t).unwrap();
            let e = insert_entry(t, &m, "x", "1").unwrap();
            assert_eq!(apply(t, vec![e]).unwrap(), want);
        }
    }

    #[test]
    fn insert_refuses_after_a_bare_colon() {
        // Found by the fuzzer: the empty key's mark sits before the colon.
        let t = "id: a\n:\n";
        let m = top_map(t).unwrap();
        assert!(insert_entry(t, &m, "x", "1").unwrap_err().contains("no key"));
        // And a `?` alone, its key on the next line (found by the fuzzer).
        let t = "\n?\n :?> :>+0-0-";
        let m = top_map(t).unwrap();
        assert!(insert_entry(t, &m, "x", "1").unwrap_err().contains("explicit"));
    }

    #[test]
    fn insert_then_remove_is_identity() {
        let cases = [
            "id: a\nname: { first: A, last: B }\n",
            "id: a\r\ncontacts:\r\n  - name: X   # mum\r\n    phone: \"07700 900123\"\r\n\r\n# trailing comment\r\n",
            "id: a\nno_newline_at_end: 1",
            "id: a\nabout: >-\n  folded text\n  more\n",
            "id: a\nabout: |\n  literal\n\n# after\n",
            "id: a\nabout: |+\n  kept\n\nz: 1\n",
            "id: a\np:\n  about: >-\n    folded\n\n\n",
            "id: a\nlast_empty:\n",
            "\u{e9}t\u{e9}: caf\u{e9}\nnote: \u{e9}\n",
        ];
        for t in cases {
            let with = ins(t, "left", "2027-07-21");
            assert!(with.contains("left: 2027-07-21"), "{with:?}");
            let m = top_map(&with).unwrap();
            assert!(entry(&m, "left").unwrap().is_some(), "{with:?}");
            // The rest of the file reads the same.
            let before = top_map(t).unwrap();
            assert_eq!(m.entries.len(), before.entries.len() + 1, "{with:?}");
            for ((k1, v1), (k2, v2)) in before.entries.iter().zip(&m.entries) {
                assert_eq!(k1.value, k2.value);
                if let (Node::Scalar(a), Node::Scalar(b)) = (v1, v2) {
                    assert_eq!(a.value, b.value, "value of `{}` changed in {with:?}", k1.value);
                }
            }
            assert_eq!(rm(&with, "left"), t, "{with:?}");
            // Two lines, as archive writes them, removed together.
            let both = ins(&with, "destination", "Northfield High School, Year 7");
            let m = top_map(&both).unwrap();
            let out = apply(&both, remove_entries(&both, &m, &["left", "destination"]).unwrap()).unwrap();
            assert_eq!(out, t, "{both:?}");
        }
    }

    #[test]
    fn insert_goes_right_after_a_block_scalar() {
        assert_eq!(ins("a: >-\n  folded\n\n# c\n", "left", "x"), "a: >-\n  folded\nleft: x\n\n# c\n");
    }

    #[test]
    fn insert_uses_indentation_and_line_ending() {
        let t = "a: 1\r\nb:\r\n  c: 2\r\n  d: 3  # note\r\ne: 4\r\n";
        let m = top_map(t).unwrap();
        let Some((_, Node::Map(inner))) = entry(&m, "b").unwrap() else { panic!() };
        let out = apply(t, vec![insert_entry(t, inner, "z", "9").unwrap()]).unwrap();
        assert_eq!(out, "a: 1\r\nb:\r\n  c: 2\r\n  d: 3  # note\r\n  z: 9\r\ne: 4\r\n");
    }

    #[test]
    fn insert_refuses_existing_or_flow() {
        let t = "left: 2020-01-01\nname: { a: 1 }\n";
        let m = top_map(t).unwrap();
        assert!(insert_entry(t, &m, "left", "x").is_err());
        let Some((_, Node::Map(flow))) = entry(&m, "name").unwrap() else { panic!() };
        assert!(insert_entry(t, flow, "b", "2").is_err());
        assert!(top_map("a: 1\na: 2\n").and_then(|m| entry(&m, "a").map(|_| ())).is_err());
    }

    #[test]
    fn flow_text_quotes_commas() {
        assert_eq!(yaml_flow_text("Ms F. Morgan, SALT"), "\"Ms F. Morgan, SALT\"");
        assert_eq!(yaml_flow_text("Mrs K. Jones"), "Mrs K. Jones");
        let t = format!("a: {{ name: {} }}\n", yaml_flow_text("x, \"y\" {z}"));
        let m = top_map(&t).unwrap();
        let Some((_, Node::Map(inner))) = entry(&m, "a").unwrap() else { panic!() };
        let Some(Node::Scalar(s)) = inner.get("name") else { panic!() };
        assert_eq!(s.value, "x, \"y\" {z}");
    }

    #[test]
    fn toml_strings_escape() {
        assert_eq!(toml_string("Autumn \"1\""), "\"Autumn \\\"1\\\"\"");
    }
}
