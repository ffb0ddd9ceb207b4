//! Recording a review's outcome in its file: target ratings and notes, the
//! pupil's and parents' views, new actions and the next review date.
//!
//! Pure and surgical like `surgical`: only the values given and different
//! from the file's are touched; comments, order, quoting and every other
//! byte stay. Used by `senco serve`'s outcome form.

use super::surgical::{
    self, entry, eol, insert_entry, replace_scalar, top_map, yaml_flow_text, yaml_text, Edit, Refusal,
};
use crate::repo::yaml::{self, Map, Node, Scalar, Style};
use chrono::NaiveDate;

/// A new action agreed at the meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAction {
    pub action: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
}

/// What the meeting decided; `None` leaves a value as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Target id, its progress word, its note.
    pub ratings: Vec<(String, Option<String>, Option<String>)>,
    pub pupil_voice: Option<String>,
    pub parent_voice: Option<String>,
    pub actions: Vec<NewAction>,
    pub next_review: Option<NaiveDate>,
}

fn bytes(text: &str, s: yaml::Span) -> (usize, usize) {
    (yaml::byte_offset(text, s.start.offset), yaml::byte_offset(text, s.end.offset))
}

/// Sets `key` of a block mapping to `value` (already YAML text), or adds
/// it; `None` when it holds this value already.
fn set(text: &str, map: &Map, key: &str, plain: &str, value: &str) -> Result<Option<Edit>, Refusal> {
    let Some((k, v)) = entry(map, key)? else {
        return insert_entry(text, map, key, value).map(Some);
    };
    match v {
        Node::Scalar(s) if s.is_null() => {
            // `key:` with nothing (maybe a comment) after it: the value goes after the colon.
            let (_, kend) = bytes(text, k.span);
            let rest = text.get(kend..).unwrap_or("");
            let Some(colon) = rest.find(':') else { return Err(format!("`{key}` has no `:`")) };
            if !rest[..colon].trim().is_empty() {
                return Err(format!("`{key}` could not be located exactly"));
            }
            let at = kend + colon + 1;
            let after = text.get(at..).unwrap_or("");
            let line_rest = after.split('\n').next().unwrap_or("").trim_end_matches('\r');
            let rest_trim = line_rest.trim();
            if !(rest_trim.is_empty()
                || rest_trim.starts_with('#')
                || matches!(rest_trim, "~" | "null" | "Null" | "NULL"))
            {
                return Err(format!("something else follows `{key}` on its line"));
            }
            if matches!(rest_trim.split_whitespace().next(), Some("~" | "null" | "Null" | "NULL")) {
                let word = rest_trim.split_whitespace().next().unwrap_or("");
                let start = at + after.find(word).unwrap_or(0);
                return Ok(Some(Edit { start, end: start + word.len(), text: value.to_string() }));
            }
            let spaces = line_rest.len() - line_rest.trim_start().len();
            if rest_trim.is_empty() {
                return Ok(Some(Edit { start: at, end: at + line_rest.len(), text: format!(" {value}") }));
            }
            // A comment follows: keep its column when there is room.
            let pad = spaces.saturating_sub(value.chars().count() + 1).max(1);
            Ok(Some(Edit { start: at, end: at + spaces, text: format!(" {value}{}", " ".repeat(pad)) }))
        }
        Node::Scalar(s) if s.value == plain => Ok(None),
        Node::Scalar(s) if s.style == Style::Plain => replace_scalar(text, s, value).map(Some),
        Node::Scalar(s) if s.style == Style::Quoted => replace_quoted(text, s, value),
        _ => Err(format!("`{key}` is written over several lines or as a list; change it in the file itself")),
    }
}

fn replace_quoted(text: &str, s: &Scalar, value: &str) -> Result<Option<Edit>, Refusal> {
    let (start, _) = bytes(text, s.span);
    // The closing quote, found by reading the quoted text itself (a span's
    // end is not to be trusted past escapes): `\"` escapes in double quotes,
    // `''` in single quotes. Only on one line, and nothing but a comment after.
    let rest = text.get(start..).unwrap_or("");
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let close = match line.chars().next() {
        Some('"') => {
            let mut escaped = false;
            line.char_indices().skip(1).find(|&(_, c)| {
                let end = !escaped && c == '"';
                escaped = !escaped && c == '\\';
                end
            })
        }
        Some('\'') => {
            let b = line.as_bytes();
            let mut i = 1;
            let mut found = None;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    found = Some((i, '\''));
                    break;
                }
                i += 1;
            }
            found
        }
        _ => None,
    };
    let after = close.map(|(i, _)| line[i + 1..].trim_start());
    match (close, after) {
        (Some((i, _)), Some(after)) if after.is_empty() || after.starts_with('#') => {
            Ok(Some(Edit { start, end: start + i + 1, text: value.to_string() }))
        }
        _ => Err("a quoted value could not be located exactly in the file".into()),
    }
}

/// The start of the line after byte `end` (or the text's end).
fn next_line(text: &str, end: usize) -> usize {
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        return end;
    }
    text.get(end..).and_then(|t| t.find('\n')).map_or(text.len(), |i| end + i + 1)
}

fn action_text(a: &NewAction) -> String {
    let mut s = format!("{{ action: {}", yaml_flow_text(&a.action));
    if let Some(o) = &a.owner {
        s.push_str(&format!(", owner: {}", yaml_flow_text(o)));
    }
    if let Some(d) = a.due {
        s.push_str(&format!(", due: {d}"));
    }
    s.push_str(" }");
    s
}

fn add_actions(text: &str, map: &Map, actions: &[NewAction]) -> Result<Vec<Edit>, Refusal> {
    if actions.is_empty() {
        return Ok(vec![]);
    }
    let nl = eol(text);
    let key_indent = map.entries.first().map_or(0, |(k, _)| k.span.start.column.saturating_sub(1) as usize);
    let items: Vec<String> = actions.iter().map(action_text).collect();
    let block =
        |indent: usize| -> String { items.iter().map(|i| format!("{}- {i}{nl}", " ".repeat(indent))).collect() };
    let Some((k, v)) = entry(map, "actions")? else {
        return Ok(vec![insert_entry(text, map, "actions", &format!("[{}]", items.join(", ")))?]);
    };
    let (_, kend) = bytes(text, k.span);
    match v {
        Node::Scalar(s) if s.is_null() => {
            let at = next_line(text, kend);
            let mut add = block(key_indent + 2);
            if at == text.len() && !text.ends_with('\n') {
                add = format!("{nl}{}", add.trim_end_matches(['\r', '\n']));
            }
            Ok(vec![Edit { start: at, end: at, text: add }])
        }
        Node::Seq(q) if q.flow && q.items.is_empty() => {
            // `actions: []`: drop the brackets, the items go on the lines below.
            let (start, _) = bytes(text, q.span);
            let rest = text.get(start..).unwrap_or("");
            let Some(close) = rest.find(']') else { return Err("`actions: []` could not be located exactly".into()) };
            if !rest.starts_with('[') || !rest[1..close].trim().is_empty() {
                return Err("`actions: []` could not be located exactly".into());
            }
            // Also the space before `[`.
            let before = text.get(..start).unwrap_or("");
            let from = before.trim_end_matches(' ').len();
            let mut edits = vec![Edit { start: from, end: start + close + 1, text: String::new() }];
            let at = next_line(text, start + close + 1);
            let mut add = block(key_indent + 2);
            if at == text.len() && !text.ends_with('\n') {
                add = format!("{nl}{}", add.trim_end_matches(['\r', '\n']));
            }
            edits.push(Edit { start: at, end: at, text: add });
            Ok(edits)
        }
        Node::Seq(q) if !q.flow && !q.items.is_empty() => {
            let indent = q.span.start.column.saturating_sub(1) as usize;
            let last_end = q.items.last().map(|i| bytes(text, i.span()).1).unwrap_or(kend);
            let at = next_line(text, last_end);
            let mut add = block(indent);
            if at == text.len() && !text.ends_with('\n') {
                add = format!("{nl}{}", add.trim_end_matches(['\r', '\n']));
            }
            Ok(vec![Edit { start: at, end: at, text: add }])
        }
        Node::Seq(q) if q.flow => {
            // `[ {...} ]` on one line: add before the closing bracket.
            let (_, end) = bytes(text, q.span);
            let found = text.get(..end).unwrap_or("");
            let Some(close) = found.rfind(']') else { return Err("`actions` could not be located exactly".into()) };
            Ok(vec![Edit { start: close, end: close, text: format!(", {}", items.join(", ")) }])
        }
        _ => Err("`actions` is not a list".into()),
    }
}

/// The review file's text with the outcome written in.
pub fn apply(text: &str, o: &Outcome) -> Result<String, Refusal> {
    let (bom, body) = surgical::split_bom(text);
    let map = top_map(body)?;
    let mut edits = Vec::new();
    if let Some(t) = &o.pupil_voice {
        edits.extend(set(body, &map, "pupil_voice", t, &yaml_text(t))?);
    }
    if let Some(t) = &o.parent_voice {
        edits.extend(set(body, &map, "parent_voice", t, &yaml_text(t))?);
    }
    if let Some(d) = o.next_review {
        let d = d.to_string();
        edits.extend(set(body, &map, "next_review", &d, &d)?);
    }
    if o.ratings.iter().any(|(_, p, n)| p.is_some() || n.is_some()) {
        let Some((_, Node::Seq(targets))) = entry(&map, "targets")? else {
            return Err("the review lists no targets to rate".into());
        };
        for (id, progress, note) in &o.ratings {
            let item = targets.items.iter().find_map(|i| match i {
                Node::Map(m)
                    if m.get("target").is_some_and(|t| matches!(t, Node::Scalar(s) if s.value == id.as_str())) =>
                {
                    Some(m)
                }
                _ => None,
            });
            let Some(m) = item else { return Err(format!("target `{id}` is not in this review")) };
            if m.flow {
                return Err(format!("target `{id}` is written `{{ ... }}` on one line; rate it in the file itself"));
            }
            if let Some(p) = progress {
                edits.extend(set(body, m, "progress", p, &yaml_text(p))?);
            }
            if let Some(n) = note {
                edits.extend(set(body, m, "note", n, &yaml_text(n))?);
            }
        }
    }
    edits.extend(add_actions(body, &map, &o.actions)?);
    let out = surgical::apply(body, edits)?;
    Ok(surgical::join_bom(bom, out))
}

/// Adds `key: value` to a `{ ... }` mapping, after its last entry.
fn flow_add(text: &str, map: &Map, key: &str, value: &str) -> Result<Edit, Refusal> {
    let Some((_, last)) = map.entries.last() else { return Err("the mapping `{ }` is empty".into()) };
    let (start, end) = bytes(text, last.span());
    let end = start + text.get(start..end).map_or(0, |t| t.trim_end().len());
    // Only blanks, maybe a comma, then the closing brace may follow.
    let rest = text.get(end..).unwrap_or("");
    let after = rest.trim_start().strip_prefix(',').unwrap_or(rest.trim_start()).trim_start();
    if !after.starts_with('}') {
        return Err("a `{ ... }` mapping could not be located exactly in the file".into());
    }
    Ok(Edit { start: end, end, text: format!(", {key}: {value}") })
}

/// Sets `key` in a block or `{ ... }` mapping; `None` when it holds this value already.
fn set_any(text: &str, map: &Map, key: &str, plain: &str, value: &str) -> Result<Option<Edit>, Refusal> {
    if map.flow {
        return match entry(map, key)? {
            None => flow_add(text, map, key, value).map(Some),
            Some((_, Node::Scalar(s))) if s.value == plain => Ok(None),
            Some((_, Node::Scalar(s))) if s.style == Style::Plain && !s.is_null() => {
                replace_scalar(text, s, value).map(Some)
            }
            Some(_) => {
                Err(format!("`{key}` could not be changed in a `{{ ... }}` mapping; change it in the file itself"))
            }
        };
    }
    set(text, map, key, plain, value)
}

/// The review file's text with its action number `index` (0-based, in file
/// order) marked done on `date`: `done: DATE` added to (or set in) the
/// action, every other byte kept.
pub fn mark_action_done(text: &str, index: usize, date: NaiveDate) -> Result<String, Refusal> {
    let (bom, body) = surgical::split_bom(text);
    let map = top_map(body)?;
    let Some((_, Node::Seq(actions))) = entry(&map, "actions")? else {
        return Err("the review lists no actions".into());
    };
    let Some(Node::Map(action)) = actions.items.get(index) else {
        return Err(format!("the review has no action number {}", index + 1));
    };
    let d = date.to_string();
    let edits: Vec<Edit> = set_any(body, action, "done", &d, &d)?.into_iter().collect();
    let out = surgical::apply(body, edits)?;
    Ok(surgical::join_bom(bom, out))
}

/// `targets.yaml`'s text with the target `id`'s `status` set to `status`
/// (a target status word), every other byte kept.
pub fn set_target_status(text: &str, id: &str, status: &str) -> Result<String, Refusal> {
    let (bom, body) = surgical::split_bom(text);
    let targets = match yaml::parse(body) {
        Ok(Some(Node::Seq(q))) => q,
        Ok(_) => return Err("the file is not a list of targets".into()),
        Err(e) => return Err(format!("the file is not valid YAML (line {}: {})", e.pos.line, e.message)),
    };
    let mut found = targets.items.iter().filter_map(|i| match i {
        Node::Map(m) if matches!(m.get("id"), Some(Node::Scalar(s)) if s.value == id) => Some(m),
        _ => None,
    });
    let Some(m) = found.next() else { return Err(format!("there is no target `{id}`")) };
    if found.next().is_some() {
        return Err(format!("two targets have the id `{id}`"));
    }
    let edits: Vec<Edit> = set_any(body, m, "status", status, &yaml_text(status))?.into_iter().collect();
    let out = surgical::apply(body, edits)?;
    Ok(surgical::join_bom(bom, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREPARED: &str = r#"# Termly review for Ava Brown, held on 2026-03-02.
date: 2026-03-02
kind: termly                         # termly | annual
pupil_voice:                         # what the pupil said
parent_voice:                        # what the parents or carers said
targets:                             # progress: achieved | partly-achieved
  - target: hfw-40                   # Read 40 words
    progress:
    note:
  - target: count-20
    progress:
    note:
actions: []                          # add `- { action: ..., owner: ..., due: YYYY-MM-DD }`
next_review: 2026-05-25              # 12 weeks
"#;

    #[test]
    fn fills_the_gaps_and_keeps_every_other_byte() {
        let o = Outcome {
            ratings: vec![
                ("hfw-40".into(), Some("partly-achieved".into()), Some("28 of 40: secure".into())),
                ("count-20".into(), None, None),
            ],
            pupil_voice: Some("I like reading with Mrs Jones.".into()),
            parent_voice: None,
            actions: vec![NewAction {
                action: "Refer to SALT, urgently".into(),
                owner: Some("senco".into()),
                due: NaiveDate::from_ymd_opt(2026, 4, 1),
            }],
            next_review: NaiveDate::from_ymd_opt(2026, 6, 1),
        };
        let out = apply(PREPARED, &o).unwrap();
        let want = r#"# Termly review for Ava Brown, held on 2026-03-02.
date: 2026-03-02
kind: termly                         # termly | annual
pupil_voice: I like reading with Mrs Jones. # what the pupil said
parent_voice:                        # what the parents or carers said
targets:                             # progress: achieved | partly-achieved
  - target: hfw-40                   # Read 40 words
    progress: partly-achieved
    note: "28 of 40: secure"
  - target: count-20
    progress:
    note:
actions:                          # add `- { action: ..., owner: ..., due: YYYY-MM-DD }`
  - { action: "Refer to SALT, urgently", owner: senco, due: 2026-04-01 }
next_review: 2026-06-01              # 12 weeks
"#;
        assert_eq!(out, want);
        // It reads back, and a second save of the same values changes nothing.
        let again = apply(&out, &Outcome { actions: vec![], ..o }).unwrap();
        assert_eq!(again, out);
    }

    #[test]
    fn adds_to_a_block_list_and_refuses_unknown_targets() {
        let text = "date: 2026-03-02\nkind: termly\nactions:\n  - { action: A, owner: senco }\n";
        let o =
            Outcome { actions: vec![NewAction { action: "B".into(), owner: None, due: None }], ..Default::default() };
        assert_eq!(
            apply(text, &o).unwrap(),
            "date: 2026-03-02\nkind: termly\nactions:\n  - { action: A, owner: senco }\n  - { action: B }\n"
        );
        let bad = Outcome { ratings: vec![("nope".into(), Some("achieved".into()), None)], ..Default::default() };
        assert!(apply(PREPARED, &bad).unwrap_err().contains("`nope`"));
        let crlf = PREPARED.replace('\n', "\r\n");
        let out =
            apply(&crlf, &Outcome { next_review: NaiveDate::from_ymd_opt(2026, 6, 1), ..Default::default() }).unwrap();
        assert_eq!(out, crlf.replace("2026-05-25", "2026-06-01"));
    }

    #[test]
    fn marks_an_action_done_in_flow_and_block_style() {
        let text = "# kept\ndate: 2026-03-02\nkind: termly\nactions:\n  - { action: \"A, b\", owner: senco }   # note\n  - action: B\n    due: 2026-04-01\n";
        let d = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
        let one = mark_action_done(text, 0, d).unwrap();
        assert_eq!(one, text.replace("owner: senco }", "owner: senco, done: 2026-04-02 }"));
        let two = mark_action_done(&one, 1, d).unwrap();
        assert_eq!(two, format!("{one}    done: 2026-04-02\n"));
        // Again: nothing changes; another date replaces the first.
        assert_eq!(mark_action_done(&two, 1, d).unwrap(), two);
        let later = NaiveDate::from_ymd_opt(2026, 4, 3).unwrap();
        assert_eq!(mark_action_done(&two, 0, later).unwrap(), two.replacen("done: 2026-04-02", "done: 2026-04-03", 1));
        assert!(mark_action_done(text, 2, d).unwrap_err().contains("number 3"));
        assert!(mark_action_done("date: 2026-03-02\n", 0, d).is_err());
    }

    #[test]
    fn sets_a_targets_status_and_keeps_every_other_byte() {
        let text = "# targets\n- id: a\n  need: reading\n  outcome: x\n  status: open    # open | achieved\n\n- { id: b, need: reading, outcome: y }\n- id: c\n  need: reading\n  outcome: z\n";
        let a = set_target_status(text, "a", "achieved").unwrap();
        assert_eq!(a, text.replace("status: open    #", "status: achieved    #"));
        let b = set_target_status(&a, "b", "achieved").unwrap();
        assert_eq!(b, a.replace("outcome: y }", "outcome: y, status: achieved }"));
        let c = set_target_status(&b, "c", "partly-achieved").unwrap();
        assert_eq!(c, format!("{b}  status: partly-achieved\n"));
        assert_eq!(set_target_status(&c, "c", "partly-achieved").unwrap(), c);
        assert!(set_target_status(text, "nope", "achieved").unwrap_err().contains("`nope`"));
        assert!(set_target_status("- id: a\n- id: a\n", "a", "achieved").unwrap_err().contains("two"));
    }
}

#[cfg(test)]
mod requoted {
    use super::*;

    #[test]
    fn a_value_it_wrote_quoted_with_escapes_can_be_changed_again() {
        let o = |v: &str| Outcome { pupil_voice: Some(v.into()), ..Outcome::default() };
        let once = apply(tests_prepared(), &o(r#"The pen helps: "I can read it myself"."#)).unwrap();
        assert!(once.contains(r#"pupil_voice: "The pen helps: \"I can read it myself\".""#), "{once}");
        let twice = apply(&once, &o("changed")).unwrap();
        assert!(twice.contains("pupil_voice: changed"), "{twice}");
        let back = apply(&twice, &o("it's 'single': quoted")).unwrap();
        let again = apply(&back, &o("done")).unwrap();
        assert!(again.contains("pupil_voice: done"), "{again}");
    }

    fn tests_prepared() -> &'static str {
        "date: 2026-03-02\nkind: termly\npupil_voice:                         # what the pupil said\nnext_review: 2026-05-25\n"
    }
}
