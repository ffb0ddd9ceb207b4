//! The schema files of a records repository (`schemas/`), and record files
//! as JSON values, as a JSON Schema validator sees them (for the tests, and
//! for anyone who checks records with another tool).

use super::yaml::{Node, Scalar, Style};
use crate::model::schema::Kind;
use serde_json::Value;

/// Every schema file: (file name, text), in `Kind::ALL` order. The text is
/// pretty-printed JSON with a final newline, the same bytes on every run.
pub fn files() -> Vec<(&'static str, String)> {
    let codes: Vec<&str> = crate::rules::RULES.iter().map(|r| r.code).collect();
    Kind::ALL
        .iter()
        .map(|k| {
            let mut text = serde_json::to_string_pretty(&k.schema(&codes)).unwrap_or_default();
            text.push('\n');
            (k.file_name(), text)
        })
        .collect()
}

/// `text` with the editor's schema line for the file at `rel` put first,
/// unless it already has one (a byte-order mark stays in front).
pub fn with_modeline(rel: &str, text: &str) -> String {
    let Some(kind) = Kind::of_path(rel) else { return text.to_string() };
    let line = match kind.modeline(rel) {
        Some(l) => l,
        None => crate::model::schema::toml_directive(),
    };
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let first = body.lines().next().unwrap_or("");
    if first.starts_with("# yaml-language-server:") || first.starts_with("#:schema") {
        return text.to_string();
    }
    format!("{bom}{line}\n{body}")
}

/// A YAML tree as JSON, reading plain scalars by YAML 1.2's core schema (as
/// yaml-language-server does): `~`/`null`/empty are null, `true`/`false`
/// booleans, digits numbers; anything quoted, and dates, are text.
pub fn to_json(node: &Node) -> Value {
    match node {
        Node::Scalar(s) => scalar(s),
        Node::Seq(seq) => Value::Array(seq.items.iter().map(to_json).collect()),
        Node::Map(map) => Value::Object(map.entries.iter().map(|(k, v)| (k.value.to_string(), to_json(v))).collect()),
    }
}

fn scalar(s: &Scalar) -> Value {
    if s.style != Style::Plain {
        return Value::String(s.value.to_string());
    }
    if s.is_null() {
        return Value::Null;
    }
    let v = &*s.value;
    match v {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let int_like = {
        let d = v.strip_prefix(['-', '+']).unwrap_or(v);
        !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
    };
    if int_like {
        if let Ok(n) = v.parse::<i64>() {
            return Value::from(n);
        }
    }
    let float_like = {
        let d = v.strip_prefix(['-', '+']).unwrap_or(v);
        let (mantissa, exp) = match d.find(['e', 'E']) {
            Some(i) => (&d[..i], Some(&d[i + 1..])),
            None => (d, None),
        };
        let mantissa_ok = mantissa.bytes().any(|b| b.is_ascii_digit())
            && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && mantissa.matches('.').count() <= 1;
        let exp_ok = exp.is_none_or(|e| {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
        });
        mantissa_ok && exp_ok
    };
    if float_like {
        if let Some(n) = v.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_of(text: &str) -> Value {
        to_json(&crate::repo::yaml::parse(text).unwrap().unwrap())
    }

    #[test]
    fn plain_scalars_are_read_by_the_core_schema() {
        let v =
            json_of("a: 4\nb: \"4\"\nc: 2026-01-30\nd:\ne: true\nf: 15.20\ng: 1:1\nh: [~, null, x]\ni: -2\nj: 1e3\n");
        assert_eq!(
            v,
            json!({"a": 4, "b": "4", "c": "2026-01-30", "d": null, "e": true, "f": 15.2, "g": "1:1",
                   "h": [null, null, "x"], "i": -2, "j": 1000.0})
        );
    }

    #[test]
    fn the_modeline_goes_first_once() {
        let t = with_modeline("pupils/ava/pupil.yaml", "\u{feff}id: ava\n");
        assert_eq!(t, "\u{feff}# yaml-language-server: $schema=../../schemas/pupil.schema.json\nid: ava\n");
        assert_eq!(with_modeline("pupils/ava/pupil.yaml", &t), t);
        assert_eq!(with_modeline("senco.toml", "[school]\n"), "#:schema ./schemas/senco.toml.schema.json\n[school]\n");
        assert_eq!(with_modeline("notes.yaml", "a: 1\n"), "a: 1\n");
    }

    #[test]
    fn schema_files_are_stable() {
        assert_eq!(files(), files());
        assert_eq!(files().len(), Kind::ALL.len());
    }
}
