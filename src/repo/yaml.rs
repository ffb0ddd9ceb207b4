//! The one module that knows which YAML parser we use.
//!
//! We build a small tree over `saphyr-parser`'s event stream. Every node keeps
//! the span of its text (start and end: line, column and character offset), so
//! findings point at the exact value and edits can replace exactly its bytes.
//! Scalars keep their style, so `"4"` (a string) and `4` (a number) differ.
//!
//! Deliberately unsupported, reported as errors rather than guessed at:
//! anchors and aliases, tags, and more than one document per file. Records are
//! hand-edited by non-programmers; these features hide data rather than help.
//!
//! Why not serde: serde stops at the first problem in a file, and we want every
//! problem in a file reported, each at its own line (see docs/design.md for the
//! parser measurements behind this choice).

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as PSpan};
use std::borrow::Cow;

pub use crate::model::span::{Pos, Span};

fn pos(m: saphyr_parser::Marker) -> Pos {
    Pos { offset: m.index() as u32, line: m.line() as u32, column: m.col() as u32 + 1 }
}

fn span(s: PSpan) -> Span {
    Span { start: pos(s.start), end: pos(s.end) }
}

/// How a scalar was written. Only plain scalars are read as numbers, booleans
/// or null; a quoted `"12"` is always text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

/// A scalar; its text borrows from the file's text where it can, so keys and
/// plain values cost no allocation.
#[derive(Clone, Debug)]
pub struct Scalar<'a> {
    pub value: Cow<'a, str>,
    pub style: Style,
    pub span: Span,
}

impl Scalar<'_> {
    /// A plain `~`, `null`, `Null`, `NULL` or an empty value: YAML's null.
    pub fn is_null(&self) -> bool {
        self.style == Style::Plain && matches!(&*self.value, "" | "~" | "null" | "Null" | "NULL")
    }
}

#[derive(Clone, Debug)]
pub enum Node<'a> {
    Scalar(Scalar<'a>),
    Map(Map<'a>),
    Seq(Seq<'a>),
}

#[derive(Clone, Debug)]
pub struct Map<'a> {
    pub entries: Vec<(Scalar<'a>, Node<'a>)>,
    pub span: Span,
    /// `{ ... }` rather than block style.
    pub flow: bool,
}

#[derive(Clone, Debug)]
pub struct Seq<'a> {
    pub items: Vec<Node<'a>>,
    pub span: Span,
    pub flow: bool,
}

impl Node<'_> {
    pub fn span(&self) -> Span {
        match self {
            Node::Scalar(s) => s.span,
            Node::Map(m) => m.span,
            Node::Seq(s) => s.span,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(s) if s.is_null())
    }

    /// A short name of the node's kind for messages: "a list", "a mapping", ...
    pub fn kind_name(&self) -> &'static str {
        match self {
            Node::Scalar(s) if s.is_null() => "an empty value",
            Node::Scalar(_) => "a single value",
            Node::Map(_) => "a mapping (`key: value` lines)",
            Node::Seq(_) => "a list (`- ` items)",
        }
    }
}

impl<'a> Map<'a> {
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
    }
}

/// Why a text could not be read as YAML, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub pos: Pos,
    pub hint: Option<String>,
}

/// Deeper nesting than any record needs is refused, so no input can exhaust
/// the stack (dropping or walking a tree is recursive).
pub const MAX_DEPTH: usize = 64;

enum Frame<'a> {
    Map(Map<'a>, Option<Scalar<'a>>),
    Seq(Seq<'a>),
}

fn scan_error(e: ScanError) -> SyntaxError {
    let info = e.info().to_string();
    let hint = if info.contains("mapping values are not allowed") {
        Some("check this line's indentation against the lines above; a value containing `: ` must be quoted, e.g. `note: \"Aim: read 40 words\"`".to_string())
    } else if info.contains("recursion limit") {
        Some("records are never nested this deep; check the brackets and indentation".to_string())
    } else if info.contains("tab") {
        Some("indent with spaces, not tabs".to_string())
    } else if info.contains("did not find expected key") || info.contains("block mapping") {
        Some("check the indentation of this line against the lines above it".to_string())
    } else {
        None
    };
    SyntaxError { message: info, pos: pos(*e.marker()), hint }
}

/// The parser may place an error past the last character (after a line end
/// it imagines at the end of the file): such an error points at the end.
fn within(mut e: SyntaxError, text: &str) -> SyntaxError {
    let chars = text.chars().count() as u32;
    if e.pos.offset > chars {
        let last_line = text.rsplit('\n').next().unwrap_or("");
        e.pos = Pos {
            offset: chars,
            line: text.matches('\n').count() as u32 + 1,
            column: last_line.chars().count() as u32 + 1,
        };
    }
    e
}

/// Parses one YAML document. An empty document (only comments or blank lines)
/// gives `Ok(None)`.
pub fn parse(text: &str) -> Result<Option<Node<'_>>, SyntaxError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut char_at = CharAt::new(text);
    let mut root: Option<Node> = None;
    let mut documents = 0;
    while let Some(ev) = parser.next_event() {
        let (ev, sp) = ev.map_err(|e| within(scan_error(e), text))?;
        let unsupported = |what: &str, hint: &str| SyntaxError {
            message: format!("{what} are not supported in senco records"),
            pos: pos(sp.start),
            hint: Some(hint.to_string()),
        };
        let node = match ev {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        message: "a second YAML document (`---`) in one file".into(),
                        pos: pos(sp.start),
                        hint: Some("keep one record per file; remove the `---` line and what follows, or move it to its own file".into()),
                    });
                }
                continue;
            }
            Event::Alias(_) => return Err(unsupported("aliases (`*name`)", "write the value out in full")),
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 {
                    return Err(unsupported("anchors (`&name`)", "write the value out in full"));
                }
                if tag.is_some() {
                    return Err(unsupported("tags (`!name`)", "remove the `!` tag"));
                }
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                };
                Node::Scalar(Scalar { value, style, span: span(sp) })
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) if anchor != 0 || tag.is_some() => {
                return Err(if anchor != 0 {
                    unsupported("anchors (`&name`)", "write the value out in full")
                } else {
                    unsupported("tags (`!name`)", "remove the `!` tag")
                });
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(SyntaxError {
                    message: format!("lists and mappings nested more than {MAX_DEPTH} deep"),
                    pos: pos(sp.start),
                    hint: Some("records are never nested this deep; check the brackets and indentation".into()),
                });
            }
            Event::SequenceStart(..) => {
                let flow = char_at.get(sp) == Some('[');
                stack.push(Frame::Seq(Seq { items: Vec::new(), span: span(sp), flow }));
                continue;
            }
            Event::MappingStart(..) => {
                let flow = char_at.get(sp) == Some('{');
                stack.push(Frame::Map(Map { entries: Vec::new(), span: span(sp), flow }, None));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(mut s)) => {
                    // Block collections end where their last item ends (the
                    // end event may sit lines later, after comments).
                    s.span.end = match (s.flow, s.items.last()) {
                        (false, Some(last)) => last.span().end,
                        _ => pos(sp.end),
                    };
                    Node::Seq(s)
                }
                _ => return Err(internal(sp)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(mut m, None)) => {
                    m.span.end = match (m.flow, m.entries.last()) {
                        (false, Some((_, last))) => last.span().end,
                        _ => pos(sp.end),
                    };
                    Node::Map(m)
                }
                _ => return Err(internal(sp)),
            },
        };
        // Attach the finished node to its parent.
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(s)) => s.items.push(node),
            Some(Frame::Map(_, key @ None)) => match node {
                Node::Scalar(k) => *key = Some(k),
                other => {
                    return Err(SyntaxError {
                        message: "a mapping key must be a single value".into(),
                        pos: other.span().start,
                        hint: Some("write keys as plain words, e.g. `name:`".into()),
                    })
                }
            },
            Some(Frame::Map(m, key)) => {
                let k = key.take().ok_or_else(|| internal(sp))?;
                m.entries.push((k, node));
            }
        }
    }
    Ok(root)
}

/// The character at a parser position. Positions count characters, not
/// bytes; events arrive in order, so a cursor moving forward finds each one
/// without rescanning the text (ASCII text needs no cursor at all).
struct CharAt<'t> {
    text: &'t str,
    ascii: bool,
    /// (character index, byte index) of the last position found.
    at: (usize, usize),
}

impl<'t> CharAt<'t> {
    fn new(text: &'t str) -> CharAt<'t> {
        CharAt { text, ascii: text.is_ascii(), at: (0, 0) }
    }

    fn get(&mut self, sp: PSpan) -> Option<char> {
        let idx = sp.start.index();
        if self.ascii {
            return self.text.as_bytes().get(idx).map(|b| *b as char);
        }
        if idx < self.at.0 {
            self.at = (0, 0);
        }
        let (mut ci, mut bi) = self.at;
        let mut chars = self.text.get(bi..)?.chars();
        while ci < idx {
            bi += chars.next()?.len_utf8();
            ci += 1;
        }
        self.at = (ci, bi);
        self.text.get(bi..)?.chars().next()
    }
}

fn internal(sp: PSpan) -> SyntaxError {
    SyntaxError { message: "the YAML structure could not be read".into(), pos: pos(sp.start), hint: None }
}

/// Converts a character offset into a byte offset of `text`.
pub fn byte_offset(text: &str, char_offset: u32) -> usize {
    if text.is_ascii() {
        return (char_offset as usize).min(text.len());
    }
    text.char_indices().nth(char_offset as usize).map_or(text.len(), |(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> Map<'_> {
        match parse(text).unwrap().unwrap() {
            Node::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn scalars_keep_style_and_span() {
        let m = map("a: 12\nb: \"12\"\nc:\n");
        let (k, v) = &m.entries[0];
        assert_eq!(k.value, "a");
        let Node::Scalar(v) = v else { panic!() };
        assert_eq!((v.style, v.span.start.line, v.span.start.column), (Style::Plain, 1, 4));
        assert_eq!((v.span.start.offset, v.span.end.offset), (3, 5));
        let Node::Scalar(b) = &m.entries[1].1 else { panic!() };
        assert_eq!(b.style, Style::Quoted);
        assert_eq!((b.span.start.offset, b.span.end.offset), (9, 13));
        assert!(m.entries[2].1.is_null());
    }

    #[test]
    fn empty_document_is_none() {
        assert!(parse("# only a comment\n\n").unwrap().is_none());
        assert!(parse("").unwrap().is_none());
    }

    #[test]
    fn a_syntax_error_never_points_past_the_end() {
        // Found by the fuzzer: a directive with no document after it.
        let e = parse("%\u{c7}~#").unwrap_err();
        assert_eq!((e.pos.offset, e.pos.line, e.pos.column), (4, 1, 5), "{e:?}");
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(e.pos.line >= 2, "{e:?}");
    }

    #[test]
    fn unsupported_features_are_errors_not_panics() {
        for text in ["a: &x 1\nb: *x\n", "a: !tag 1\n", "a: 1\n---\nb: 2\n", "*x\n", "? [a]\n: 1\n"] {
            assert!(parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("a: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_err());
        let e = parse(&format!("a: {}1{}\n", "[".repeat(100), "]".repeat(100))).unwrap_err();
        assert!(e.message.contains("nested"), "{e:?}");
        assert!(parse(&format!("a: {}1{}\n", "[".repeat(60), "]".repeat(60))).is_ok());
    }

    #[test]
    fn flow_mapping_is_marked() {
        let m = map("entry: { date: 2025-01-01, score: 3 }\n");
        let Node::Map(e) = &m.entries[0].1 else { panic!() };
        assert!(e.flow);
        assert_eq!(e.entries.len(), 2);
    }

    #[test]
    fn flow_style_is_found_after_non_ascii_text() {
        let m = map("a: é\nb: { c: 1 }\nd:\n  - x\ne: [ü]\n");
        let flows: Vec<bool> = m
            .entries
            .iter()
            .filter_map(|(_, v)| match v {
                Node::Map(m) => Some(m.flow),
                Node::Seq(s) => Some(s.flow),
                Node::Scalar(_) => None,
            })
            .collect();
        assert_eq!(flows, [true, false, true]);
    }

    #[test]
    fn byte_offsets_of_non_ascii() {
        let t = "a: é\nb: 1\n";
        assert_eq!(byte_offset(t, 5), 6);
    }
}
