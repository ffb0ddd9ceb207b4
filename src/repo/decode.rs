//! Typed decoding of the YAML tree into the model, reporting every problem.
//!
//! Unlike serde, decoding never stops at the first problem: a wrong type in
//! one field is reported and the field left empty, and decoding goes on, so a
//! file with three mistakes gives three findings. Record structs are declared
//! with the `record!` macro in `model`, which generates their `Decode`.

use super::yaml::{Node, Scalar, Span, Style};
use crate::diag::{Finding, Severity};
use chrono::NaiveDate;

/// Decoding context for one file: where we are and what we found.
pub struct Cx<'a> {
    pub file: &'a str,
    pub findings: Vec<Finding>,
    /// The records whose keys an unknown-key hint has listed in this file:
    /// listed once, so a file of many bad keys gives output in proportion.
    listed: Vec<&'static str>,
}

impl<'a> Cx<'a> {
    pub fn new(file: &'a str) -> Cx<'a> {
        Cx { file, findings: Vec::new(), listed: Vec::new() }
    }

    pub fn error(&mut self, code: &'static str, span: Span, message: String, hint: Option<String>) {
        let mut f = Finding::new(Severity::Error, code, self.file, Some(span), message);
        f.hint = hint;
        self.findings.push(f);
    }

    pub fn wrong_type(&mut self, node: &Node, expected: &str, hint: Option<String>) {
        let found = match node {
            Node::Scalar(s) if !s.is_null() => format!("`{}`", shorten(&s.value)),
            other => other.kind_name().to_string(),
        };
        self.error("wrong-type", node.span(), format!("expected {expected}, found {found}"), hint);
    }

    pub fn unknown_key(&mut self, key: &Scalar, known: &[&str], what: &'static str) {
        let shown = shorten(&key.value);
        let hint = match suggest(&key.value, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? (a school's own keys start with `x-`, e.g. `x-{shown}`)"),
            None if self.listed.contains(&what) => {
                format!(
                    "not a {what} key (the first unknown key above lists them); a school's own keys start with `x-`"
                )
            }
            None => {
                self.listed.push(what);
                format!("{what} keys are: {}; a school's own keys start with `x-`", list(known))
            }
        };
        self.error("unknown-key", key.span, format!("unknown key `{shown}` in {what}"), Some(hint));
    }
}

/// Words longer than this get no "did you mean": no key, id or vocabulary
/// word is this long, and the edit distance costs the product of the lengths.
pub const SUGGEST_MAX_LEN: usize = 64;

/// At most this many candidates are compared, so a "did you mean" never
/// costs more than a bounded amount of work, however large the list.
pub const SUGGEST_MAX_CANDIDATES: usize = 10_000;

/// The closest candidate to `word`, if it is close enough to be a likely typo.
/// Bounded work: long words and long candidates are skipped, candidates too
/// different in length are rejected before any distance is computed, and at
/// most `SUGGEST_MAX_CANDIDATES` are looked at.
pub fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    if word.len() > SUGGEST_MAX_LEN * 4 || word.chars().count() > SUGGEST_MAX_LEN {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let wlen = lower.chars().count();
    candidates
        .into_iter()
        .take(SUGGEST_MAX_CANDIDATES)
        .filter(|c| c.len() <= SUGGEST_MAX_LEN * 4)
        .filter(|c| {
            // The distance is at least the difference in length: skip what cannot pass.
            let clen = c.chars().count();
            clen <= SUGGEST_MAX_LEN
                && (clen.abs_diff(wlen) <= (clen.max(wlen) / 3).max(1)
                    || (clen > 3 && lower.contains(&c.to_ascii_lowercase())))
        })
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| {
            *d <= (c.len().max(word.len()) / 3).max(1) || (c.len() > 3 && lower.contains(&c.to_ascii_lowercase()))
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// `a`, `b`, `c` for messages.
pub fn list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

pub fn shorten(s: &str) -> String {
    let one_line = s.lines().next().unwrap_or("");
    if one_line.chars().count() > 40 || one_line.len() != s.len() {
        let cut: String = one_line.chars().take(37).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}

/// For each entry of a mapping, the line of the first earlier entry with the
/// same key, if there is one. Linear time (a hash map) for large mappings, so
/// 100,000 keys cost no more than reading them; a plain scan for small ones.
pub fn earlier_duplicates(map: &super::yaml::Map) -> Vec<Option<u32>> {
    let entries = &map.entries;
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .map(|(i, (k, _))| entries[..i].iter().find(|(p, _)| p.value == k.value).map(|(p, _)| p.span.start.line))
            .collect();
    }
    let mut first: std::collections::HashMap<&str, u32> = std::collections::HashMap::with_capacity(entries.len());
    entries
        .iter()
        .map(|(k, _)| match first.entry(&k.value) {
            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(k.span.start.line);
                None
            }
        })
        .collect()
}

pub use crate::model::span::Spanned;

pub trait Decode: Sized {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self>;
}

impl<T: Decode> Decode for Spanned<T> {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        T::decode(node, cx).map(|value| Spanned { value, span: node.span() })
    }
}

fn scalar<'n>(node: &'n Node<'n>, cx: &mut Cx, expected: &str, hint: Option<String>) -> Option<&'n Scalar<'n>> {
    match node {
        Node::Scalar(s) if !s.is_null() => Some(s),
        _ => {
            cx.wrong_type(node, expected, hint);
            None
        }
    }
}

impl Decode for String {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let hint = match node {
            Node::Seq(_) => Some("write the items as one piece of text, or check the indentation".to_string()),
            Node::Map(_) => {
                Some("a `key: value` inside text must be quoted, e.g. `\"Aim: read 40 words\"`".to_string())
            }
            _ => None,
        };
        scalar(node, cx, "text", hint).map(|s| s.value.to_string())
    }
}

fn plain_number<'n>(node: &'n Node<'n>, cx: &mut Cx, expected: &str, example: &str) -> Option<&'n str> {
    let s = scalar(node, cx, expected, Some(format!("write a number, e.g. `{example}`")))?;
    if s.style != Style::Plain {
        cx.wrong_type(node, expected, Some(format!("remove the quotes: numbers are written bare, e.g. `{example}`")));
        return None;
    }
    Some(s.value.trim())
}

impl Decode for i64 {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let v = plain_number(node, cx, "a whole number", "4")?;
        match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                cx.wrong_type(node, "a whole number", Some("write a whole number in digits, e.g. `4`".into()));
                None
            }
        }
    }
}

/// `year_group`: a whole number written bare (`4`, `-1`), or a year group as
/// schools write it, `R`, `N1`, `N2`, `Y5`, `Year 5` (`model::year`).
pub fn year_group(node: &Node, cx: &mut Cx) -> Option<Spanned<i64>> {
    if let Node::Scalar(s) = node {
        let t = s.value.trim();
        if t.parse::<i64>().is_err() {
            if let Some(y) = crate::model::year::parse(t) {
                return Some(Spanned { value: y, span: node.span() });
            }
            if !s.is_null() {
                cx.wrong_type(
                    node,
                    "a year group",
                    Some(format!(
                        "write a year group as a number or as schools write it: {}",
                        crate::model::year::EXAMPLES
                    )),
                );
                return None;
            }
        }
    }
    <Spanned<i64> as Decode>::decode(node, cx)
}

/// A need's `type`: text; a census SEN type code in any case (`SpLD`,
/// `asd`) is read as the code, upper-case, as the census writes it.
pub fn need_type(node: &Node, cx: &mut Cx) -> Option<Spanned<String>> {
    let mut t = <Spanned<String> as Decode>::decode(node, cx)?;
    let upper = t.value.trim().to_ascii_uppercase();
    if crate::model::census::ENGLAND_TYPES.contains(&upper.as_str()) {
        t.value = upper;
    }
    Some(t)
}

impl Decode for f64 {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let v = plain_number(node, cx, "a number", "15.20")?;
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                cx.wrong_type(
                    node,
                    "a number",
                    Some("write a number in digits with a `.` for decimals, e.g. `15.20`".into()),
                );
                None
            }
        }
    }
}

impl Decode for bool {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let hint = Some("write `true` or `false`".to_string());
        let s = scalar(node, cx, "`true` or `false`", hint.clone())?;
        match (s.style, &*s.value) {
            (Style::Plain, "true" | "True" | "TRUE") => Some(true),
            (Style::Plain, "false" | "False" | "FALSE") => Some(false),
            _ => {
                cx.wrong_type(node, "`true` or `false`", hint);
                None
            }
        }
    }
}

/// Parses a strict `YYYY-MM-DD` date; `Err` says what is wrong with it.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err("dates are written `YYYY-MM-DD`, e.g. `2026-01-30`".into());
    }
    let (y, m, d) = (
        text[0..4].parse::<i32>().unwrap_or(0),
        text[5..7].parse::<u32>().unwrap_or(0),
        text[8..10].parse::<u32>().unwrap_or(0),
    );
    if !(1..=12).contains(&m) {
        return Err(format!("there is no month {m}; months run from 01 to 12"));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        let last = (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(y, m, *d).is_some()).unwrap_or(28);
        format!("day {d} does not exist in that month (its last day is {last})")
    })
}

impl Decode for NaiveDate {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        let s = scalar(
            node,
            cx,
            "a date (`YYYY-MM-DD`)",
            Some("dates are written `YYYY-MM-DD`, e.g. `2026-01-30`".into()),
        )?;
        match parse_date(s.value.trim()) {
            Ok(d) => Some(d),
            Err(why) => {
                cx.error("bad-date", s.span, format!("`{}` is not a valid date", shorten(&s.value)), Some(why));
                None
            }
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(node: &Node, cx: &mut Cx) -> Option<Self> {
        match node {
            Node::Seq(seq) => {
                Some(seq.items.iter().filter(|n| !n.is_null()).filter_map(|n| T::decode(n, cx)).collect())
            }
            other => {
                cx.wrong_type(
                    other,
                    "a list",
                    Some("write each item on its own line starting with `- `, or as `[a, b]`".into()),
                );
                None
            }
        }
    }
}

/// Declares a closed vocabulary (an enum of kebab-case words) with decoding
/// that suggests the nearest word.
#[macro_export]
macro_rules! vocab {
    ($(#[$m:meta])* $name:ident ($what:literal, case_insensitive = $ci:expr) { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub const WORDS: &'static [&'static str] = &[$($s),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($s => Some($name::$var),)+
                    other if $ci => {
                        let lower = other.trim().to_ascii_lowercase();
                        $name::ALL.iter().copied().find(|v| v.as_str() == lower)
                    }
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $crate::model::schema::Schema for $name {
            fn schema(_: &mut $crate::model::schema::Defs) -> serde_json::Value {
                $crate::model::schema::vocabulary($name::WORDS, $ci)
            }
        }

        impl $crate::model::texts::Texts for $name {}

        impl $crate::repo::decode::Decode for $name {
            fn decode(node: &$crate::repo::yaml::Node, cx: &mut $crate::repo::decode::Cx) -> Option<Self> {
                let text = <String as $crate::repo::decode::Decode>::decode(node, cx)?;
                if let Some(v) = $name::parse(&text) {
                    return Some(v);
                }
                let hint = match $crate::repo::decode::suggest(&text, $name::WORDS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? ({} is one of {})", $what, $crate::repo::decode::list($name::WORDS)),
                    None => format!("{} is one of {}", $what, $crate::repo::decode::list($name::WORDS)),
                };
                cx.error("bad-value", node.span(), format!("`{}` is not a known {}", $crate::repo::decode::shorten(&text), $what), Some(hint));
                None
            }
        }
    };
}

/// Declares a record (a YAML mapping) with its keys. Every field is optional in
/// the struct so that a record with a missing or broken field is still loaded
/// (its other fields checked); `required` fields give a `missing-key` finding.
#[macro_export]
macro_rules! record {
    (@decode $v:ident, $cx:ident, $ty:ty) => { <$ty as $crate::repo::decode::Decode>::decode($v, $cx) };
    (@decode $v:ident, $cx:ident, $ty:ty, $dec:path) => { $dec($v, $cx) };
    (@required $req:ident) => { true };
    (@required) => { false };
    (@via $dec:path) => { true };
    (@via) => { false };
    ($(#[$m:meta])* $name:ident ($what:literal) { $( $(#[$fm:meta])* $field:ident : $ty:ty = $key:literal $([$req:ident])? $(via $dec:path)? ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            $( $(#[$fm])* pub $field: Option<$ty>, )*
            /// Where the whole mapping is.
            pub span: $crate::repo::yaml::Span,
        }

        impl $name {
            pub const KEYS: &'static [&'static str] = &[$($key),*];
        }

        // The JSON Schema of this record (`senco schema`), from the same
        // declaration as its decoding, so the two cannot drift.
        impl $crate::model::schema::Schema for $name {
            fn schema(defs: &mut $crate::model::schema::Defs) -> serde_json::Value {
                defs.record(stringify!($name), $what, &[$(
                    $crate::model::schema::FieldDef {
                        key: $key,
                        required: $crate::record!(@required $($req)?),
                        via: $crate::record!(@via $($dec)?),
                        schema: <$ty as $crate::model::schema::Schema>::schema,
                    },
                )*])
            }
        }

        impl $crate::model::texts::Texts for $name {
            fn texts(&mut self, f: &mut dyn FnMut(&mut String)) {
                $( $crate::model::texts::Texts::texts(&mut self.$field, f); )*
            }
        }

        impl $crate::repo::decode::Decode for $name {
            fn decode(node: &$crate::repo::yaml::Node, cx: &mut $crate::repo::decode::Cx) -> Option<Self> {
                use $crate::repo::yaml::Node;
                let map = match node {
                    Node::Map(m) => m,
                    other => {
                        cx.wrong_type(other, concat!($what, " (`key: value` lines)"), Some(format!("{} keys are: {}", $what, $crate::repo::decode::list(Self::KEYS))));
                        return None;
                    }
                };
                let mut out = $name { span: map.span, ..Default::default() };
                let duplicates = $crate::repo::decode::earlier_duplicates(map);
                for ((k, v), dup) in map.entries.iter().zip(duplicates) {
                    if let Some(first) = dup {
                        let shown = $crate::repo::decode::shorten(&k.value);
                        cx.error("duplicate-key", k.span, format!("key `{shown}` appears twice in this {}", $what), Some(format!("the first `{shown}` is on line {first}; keep one of them, or the other is lost")));
                        continue;
                    }
                    match &*k.value {
                        $( $key => if !v.is_null() { out.$field = $crate::record!(@decode v, cx, $ty $(, $dec)?); }, )*
                        other if other.starts_with("x-") => {}
                        _ => cx.unknown_key(k, Self::KEYS, $what),
                    }
                }
                $( $(
                    let _ = stringify!($req);
                    if map.get($key).is_none_or(|v| v.is_null()) {
                        let (span, msg) = match map.entries.iter().find(|(k, _)| k.value == $key) {
                            Some((k, _)) => (k.span, format!("`{}` is empty in {}", $key, $what)),
                            None => (map.span, format!("{} is missing `{}`", $what, $key)),
                        };
                        cx.error("missing-key", $crate::repo::yaml::Span::point(span.start), msg, Some(format!("add `{}: ...`", $key)));
                    }
                )? )*
                Some(out)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::yaml::{parse, Node};

    #[test]
    fn duplicate_keys_are_found_in_linear_time() {
        let mut text: String = (0..100_000).map(|i| format!("k{i}: v\n")).collect();
        text.push_str("k7: again\n");
        let Some(Node::Map(map)) = parse(&text).unwrap() else { panic!() };
        let t0 = std::time::Instant::now();
        let dups = earlier_duplicates(&map);
        assert!(t0.elapsed().as_secs() < 5, "{:?}", t0.elapsed());
        assert_eq!(dups.iter().filter(|d| d.is_some()).count(), 1);
        assert_eq!(dups[100_000], Some(8));
        let Some(Node::Map(small)) = parse("a: 1\nb: 2\na: 3\n").unwrap() else { panic!() };
        assert_eq!(earlier_duplicates(&small), [None, None, Some(1)]);
    }

    #[test]
    fn an_unknown_key_hint_lists_the_keys_once_per_file() {
        let text: String = (0..1000).map(|i| format!("zz{i}: v\n")).collect();
        let doc = parse(&text).unwrap().unwrap();
        let mut cx = Cx::new("p.yaml");
        crate::model::Pupil::decode(&doc, &mut cx);
        let hints: Vec<&str> =
            cx.findings.iter().filter(|f| f.code == "unknown-key").filter_map(|f| f.hint.as_deref()).collect();
        assert_eq!(hints.len(), 1000);
        assert_eq!(hints.iter().filter(|h| h.contains(" keys are: ")).count(), 1, "{:?}", &hints[..2]);
        // The output grows with the file, not with the file times the key list.
        let total: usize = hints.iter().map(|h| h.len()).sum();
        assert!(total < 1000 * 120, "{total}");
    }

    #[test]
    fn suggestions_are_bounded() {
        assert_eq!(suggest("naem", ["name", "class"]), Some("name"));
        let long = "n".repeat(100_000);
        assert_eq!(suggest(&long, ["name"]), None);
        let many: Vec<String> = (0..50_000).map(|i| format!("id-{i:05}")).collect();
        let t0 = std::time::Instant::now();
        for _ in 0..20 {
            suggest("id-0001x", many.iter().map(String::as_str));
        }
        assert!(t0.elapsed().as_secs() < 10, "{:?}", t0.elapsed());
    }
}
