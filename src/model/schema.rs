//! JSON Schemas (draft 2020-12) of the record files and of senco.toml, for
//! editors (`senco schema`, docs/schema.md).
//!
//! The schemas are generated from the same declarations as the decoder: the
//! `record!` and `vocab!` macros (repo::decode) implement [`Schema`] for every
//! record and vocabulary, so a key, a required key or a word added to the
//! model is in the schema too. What the declarations cannot say lives in the
//! tables below: the help text editors show on hover (every key must have
//! one: a test says so), the ranges `check` enforces, and the few fields
//! decoded by a function of their own (`via`). senco.toml is read by serde:
//! its schema is written out here, and a test compares every table's keys
//! with the ones serde accepts.
//!
//! The schemas accept what the decoder accepts, no more and no less, as far
//! as JSON Schema can say it: an empty value (`key:`) is absent, so every
//! optional key may be null; text fields take any single value (`class: 4`);
//! keys starting `x-` are a school's own; any other unknown key is refused.

use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The JSON Schema dialect of every schema written.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The folder, at the root of a records repository, that holds the schemas.
pub const FOLDER: &str = "schemas";

/// A type with a JSON Schema. Records register themselves in `defs` and
/// return a `$ref`; plain types return their schema inline.
pub trait Schema {
    fn schema(defs: &mut Defs) -> Value;
}

/// One key of a record, as `record!` declares it.
pub struct FieldDef {
    pub key: &'static str,
    pub required: bool,
    /// Decoded by a function of its own: its schema is in [`OVERRIDES`].
    pub via: bool,
    pub schema: fn(&mut Defs) -> Value,
}

/// The `$defs` of one schema document, by record type name.
#[derive(Default)]
pub struct Defs {
    map: BTreeMap<String, Value>,
    /// Every (record, key) seen, for the tests.
    seen: Vec<(&'static str, &'static str, bool)>,
}

impl Defs {
    /// Registers a record (once) and returns a reference to it.
    pub fn record(&mut self, name: &'static str, what: &'static str, fields: &[FieldDef]) -> Value {
        let reference = json!({ "$ref": format!("#/$defs/{name}") });
        if self.map.contains_key(name) {
            return reference;
        }
        // A placeholder first, so a record that (one day) contains itself ends.
        self.map.insert(name.to_string(), Value::Null);
        let mut properties = Map::new();
        let mut required = Vec::new();
        for f in fields {
            self.seen.push((name, f.key, f.via));
            let mut s = match override_for(name, f.key) {
                Some(Override::Replace(v)) => v(),
                Some(Override::Merge(v)) => merge((f.schema)(self), v()),
                None => (f.schema)(self),
            };
            if f.required {
                required.push(f.key);
            } else {
                s = nullable(s);
            }
            let help = describe(name, f.key).unwrap_or("");
            s = with_description(s, help);
            properties.insert(f.key.to_string(), s);
        }
        let mut def = json!({
            "title": what,
            "type": "object",
            "properties": properties,
            "patternProperties": { "^x-": { "description": "A school's own key: kept and ignored by senco." } },
            "additionalProperties": false,
        });
        if let Some(help) = describe(name, "") {
            def["description"] = json!(help);
        }
        if !required.is_empty() {
            def["required"] = json!(required);
        }
        if let Some(extra) = record_extra(name) {
            def = merge(def, extra);
        }
        self.map.insert(name.to_string(), def);
        reference
    }

    /// The (record, key, via) of every key registered so far.
    pub fn keys(&self) -> &[(&'static str, &'static str, bool)] {
        &self.seen
    }
}

impl<T: Schema> Schema for super::span::Spanned<T> {
    fn schema(defs: &mut Defs) -> Value {
        T::schema(defs)
    }
}

impl<T: Schema> Schema for Vec<T> {
    fn schema(defs: &mut Defs) -> Value {
        // The decoder skips empty items (`- ` with nothing after it).
        json!({ "type": "array", "items": nullable(T::schema(defs)) })
    }
}

impl Schema for String {
    fn schema(_: &mut Defs) -> Value {
        // Text fields accept any single value: `class: 4` is the text `4`.
        json!({ "type": ["string", "number", "boolean"] })
    }
}

impl Schema for i64 {
    fn schema(_: &mut Defs) -> Value {
        json!({ "type": "integer" })
    }
}

impl Schema for f64 {
    fn schema(_: &mut Defs) -> Value {
        json!({ "type": "number" })
    }
}

impl Schema for bool {
    fn schema(_: &mut Defs) -> Value {
        json!({ "type": "boolean" })
    }
}

impl Schema for NaiveDate {
    fn schema(_: &mut Defs) -> Value {
        date()
    }
}

impl Schema for super::LaDecision {
    fn schema(defs: &mut Defs) -> Value {
        let map = super::LaDecisionMap::schema(defs);
        json!({ "anyOf": [date(), map] })
    }
}

/// `YYYY-MM-DD`. The pattern makes editors that do not check `format` see
/// a misshapen date; `format: date` catches a 13th month.
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// A date. YAML 1.2 (senco, yaml-language-server) reads `2026-01-30` as
/// text; a YAML 1.1 reader (PyYAML) makes it a date object, which is no JSON
/// type at all: the second branch lets such a reader's date through, and
/// can match nothing that is JSON.
fn date() -> Value {
    json!({
        "anyOf": [
            { "type": "string", "format": "date", "pattern": DATE_PATTERN },
            { "not": { "type": ["string", "number", "boolean", "null", "array", "object"] } }
        ]
    })
}

/// A closed list of words; `case_insensitive` ones (roles, `delivery`) also
/// match in any case and with spaces around them, as the decoder reads them.
pub fn vocabulary(words: &[&str], case_insensitive: bool) -> Value {
    // The decoder reads a word as text whatever it looks like, so a word
    // that YAML reads as a number (`wave: 2`) is that number in JSON too.
    let mut values: Vec<Value> = words.iter().map(|w| json!(w)).collect();
    values.extend(words.iter().filter_map(|w| w.parse::<i64>().ok()).map(Value::from));
    let types = if values.iter().any(Value::is_number) { json!(["string", "integer"]) } else { json!("string") };
    if !case_insensitive {
        return json!({ "type": types, "enum": values });
    }
    // Character classes rather than an `(?i)` flag: editors' regular
    // expressions (JavaScript's) have no inline flags.
    let alternatives: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .map(|c| match c {
                    c if c.is_ascii_alphabetic() => format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase()),
                    c if c.is_ascii_alphanumeric() || c == '-' || c == ':' => c.to_string(),
                    c => format!("\\{c}"),
                })
                .collect()
        })
        .collect();
    json!({
        "type": types,
        "anyOf": [
            { "enum": values },
            { "pattern": format!("^\\s*(?:{})\\s*$", alternatives.join("|")) }
        ]
    })
}

/// Lets an optional key be empty (`key:`), which the decoder reads as absent.
pub fn nullable(mut s: Value) -> Value {
    let Some(obj) = s.as_object_mut() else { return s };
    if !obj.contains_key("type") {
        if let Some(Value::Array(any)) = obj.get_mut("anyOf") {
            any.push(json!({ "type": "null" }));
            return s;
        }
    }
    if obj.contains_key("$ref") {
        return json!({ "anyOf": [s, { "type": "null" }] });
    }
    if let Some(Value::Array(words)) = obj.get_mut("enum") {
        words.push(Value::Null);
    }
    match obj.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            obj.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) => types.push(json!("null")),
        _ => return json!({ "anyOf": [s, { "type": "null" }] }),
    }
    if let Some(Value::Array(any)) = obj.get_mut("anyOf") {
        any.push(json!({ "type": "null" }));
    }
    s
}

fn with_description(mut s: Value, help: &str) -> Value {
    if !help.is_empty() {
        if let Some(obj) = s.as_object_mut() {
            obj.insert("description".into(), json!(help));
        }
    }
    s
}

/// `base` with the keys of `extra` added (or replaced).
fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}

// ------------------------------------------------------------ the file kinds

/// A kind of file in a records repository, with its schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Settings,
    Staff,
    Catalogue,
    Pupil,
    Needs,
    Assessments,
    Targets,
    Interventions,
    Log,
    Review,
    Delivery,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Settings,
        Kind::Staff,
        Kind::Catalogue,
        Kind::Pupil,
        Kind::Needs,
        Kind::Assessments,
        Kind::Targets,
        Kind::Interventions,
        Kind::Log,
        Kind::Review,
        Kind::Delivery,
    ];

    /// The word for it on the command line (`senco schema pupil`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Settings => "settings",
            Kind::Staff => "staff",
            Kind::Catalogue => "catalogue",
            Kind::Pupil => "pupil",
            Kind::Needs => "needs",
            Kind::Assessments => "assessments",
            Kind::Targets => "targets",
            Kind::Interventions => "interventions",
            Kind::Log => "log",
            Kind::Review => "review",
            Kind::Delivery => "delivery",
        }
    }

    /// The schema's file name in `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Settings => "senco.toml.schema.json",
            Kind::Staff => "staff.schema.json",
            Kind::Catalogue => "catalogue.schema.json",
            Kind::Pupil => "pupil.schema.json",
            Kind::Needs => "needs.schema.json",
            Kind::Assessments => "assessments.schema.json",
            Kind::Targets => "targets.schema.json",
            Kind::Interventions => "interventions.schema.json",
            Kind::Log => "log.schema.json",
            Kind::Review => "review.schema.json",
            Kind::Delivery => "delivery.schema.json",
        }
    }

    /// The files it describes, as docs/format.md names them.
    pub fn files(self) -> &'static str {
        match self {
            Kind::Settings => "senco.toml",
            Kind::Staff => "staff.yaml",
            Kind::Catalogue => "catalogue.yaml",
            Kind::Pupil => "pupils/<id>/pupil.yaml",
            Kind::Needs => "pupils/<id>/needs.yaml",
            Kind::Assessments => "pupils/<id>/assessments.yaml",
            Kind::Targets => "pupils/<id>/targets.yaml",
            Kind::Interventions => "pupils/<id>/interventions.yaml",
            Kind::Log => "pupils/<id>/log.yaml",
            Kind::Review => "pupils/<id>/reviews/<YYYY-MM-DD>[-<slug>].yaml",
            Kind::Delivery => "delivery/<place>/<YYYY-MM>.yaml",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// The kind of the file at `rel` (relative to the repository root,
    /// forward slashes), as the loader reads it; `None` for other files.
    pub fn of_path(rel: &str) -> Option<Kind> {
        let parts: Vec<&str> = rel.split('/').collect();
        let yaml = |n: &str| n.ends_with(".yaml") || n.ends_with(".yml");
        match parts.as_slice() {
            ["senco.toml"] => Some(Kind::Settings),
            ["staff.yaml"] => Some(Kind::Staff),
            ["catalogue.yaml"] => Some(Kind::Catalogue),
            ["pupils" | "archive", _, name] => match *name {
                "pupil.yaml" => Some(Kind::Pupil),
                "needs.yaml" => Some(Kind::Needs),
                "assessments.yaml" => Some(Kind::Assessments),
                "targets.yaml" => Some(Kind::Targets),
                "interventions.yaml" => Some(Kind::Interventions),
                "log.yaml" => Some(Kind::Log),
                _ => None,
            },
            ["pupils" | "archive", _, "reviews", name] if yaml(name) => Some(Kind::Review),
            ["delivery", _, name] if name.ends_with(".yaml") => Some(Kind::Delivery),
            _ => None,
        }
    }

    /// The first line that points an editor at this kind's schema, for a
    /// file at `rel` (relative to the repository root): the path is
    /// relative to the file, so every clone resolves it. `None` for
    /// senco.toml, whose editors read `#:schema` (see `toml_directive`).
    pub fn modeline(self, rel: &str) -> Option<String> {
        if self == Kind::Settings {
            return None;
        }
        let up = "../".repeat(rel.matches('/').count());
        Some(format!("# yaml-language-server: $schema={up}{FOLDER}/{}", self.file_name()))
    }

    /// The whole schema document of this kind. `rule_codes` are the codes
    /// `[rules]` in senco.toml accepts.
    pub fn schema(self, rule_codes: &[&str]) -> Value {
        let mut defs = Defs::default();
        let (title, body) = match self {
            Kind::Settings => return settings_schema(rule_codes),
            Kind::Staff => ("staff.yaml: the staff directory", list::<super::Staff>(&mut defs)),
            Kind::Catalogue => ("catalogue.yaml: the school's menu of provision", list::<super::Provision>(&mut defs)),
            Kind::Pupil => ("pupil.yaml: who the pupil is, their support level and who is involved", {
                super::Pupil::schema(&mut defs)
            }),
            Kind::Needs => ("needs.yaml: the pupil's needs", list::<super::Need>(&mut defs)),
            Kind::Assessments => {
                ("assessments.yaml: assessment results over time", list::<super::Assessment>(&mut defs))
            }
            Kind::Targets => ("targets.yaml: targets (outcomes)", list::<super::Target>(&mut defs)),
            Kind::Interventions => {
                ("interventions.yaml: interventions and provision received", list::<super::Intervention>(&mut defs))
            }
            Kind::Log => ("log.yaml: the pupil's dated log", list::<super::LogEntry>(&mut defs)),
            Kind::Review => ("A review meeting: reviews/YYYY-MM-DD[-slug].yaml", super::Review::schema(&mut defs)),
            Kind::Delivery => {
                ("delivery/<place>/YYYY-MM.yaml: the sessions delivered", list::<super::Session>(&mut defs))
            }
        };
        document(self, title, body, defs)
    }

    /// Every (record, key, via) this kind's schema holds, for tests.
    pub fn keys(self) -> Vec<(&'static str, &'static str, bool)> {
        let mut defs = Defs::default();
        match self {
            Kind::Settings => return Vec::new(),
            Kind::Staff => drop(super::Staff::schema(&mut defs)),
            Kind::Catalogue => drop(super::Provision::schema(&mut defs)),
            Kind::Pupil => drop(super::Pupil::schema(&mut defs)),
            Kind::Needs => drop(super::Need::schema(&mut defs)),
            Kind::Assessments => drop(super::Assessment::schema(&mut defs)),
            Kind::Targets => drop(super::Target::schema(&mut defs)),
            Kind::Interventions => drop(super::Intervention::schema(&mut defs)),
            Kind::Log => drop(super::LogEntry::schema(&mut defs)),
            Kind::Review => drop(super::Review::schema(&mut defs)),
            Kind::Delivery => drop(super::Session::schema(&mut defs)),
        }
        defs.seen
    }
}

/// The `#:schema` first line of senco.toml (read by Taplo, the TOML
/// language server of the "Even Better TOML" VS Code extension).
pub fn toml_directive() -> String {
    format!("#:schema ./{FOLDER}/{}", Kind::Settings.file_name())
}

fn list<T: Schema>(defs: &mut Defs) -> Value {
    json!({
        "type": "array",
        "items": nullable(T::schema(defs)),
    })
}

fn document(kind: Kind, title: &str, body: Value, defs: Defs) -> Value {
    let mut doc = json!({
        "$schema": DIALECT,
        "$comment": "Written by `senco schema` from the definitions senco decodes with; regenerate, do not edit.",
        "title": title,
        "description": format!(
            "{} ({}). The records format is described in senco's docs/format.md.",
            title,
            kind.files()
        ),
    });
    doc = merge(doc, body);
    let defs: Map<String, Value> = defs.map.into_iter().collect();
    if !defs.is_empty() {
        doc["$defs"] = Value::Object(defs);
    }
    doc
}

// ------------------------------------------------------------- the overrides

/// What the declarations cannot say about a field's value.
enum Override {
    /// The whole schema (a field decoded by a function of its own).
    Replace(fn() -> Value),
    /// Keywords added to the declared type's schema (ranges `check` enforces).
    Merge(fn() -> Value),
}

fn above_zero() -> Value {
    json!({ "exclusiveMinimum": 0 })
}

fn zero_or_more() -> Value {
    json!({ "minimum": 0 })
}

/// Letters in any case, with any spaces between them (the decoder ignores
/// both), as a regular expression without flags.
fn loose(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            c if c.is_ascii_alphabetic() => format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase()),
            '-' => "-".to_string(),
            c => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\\s*")
}

/// `year_group`: a bare whole number, or a year group as schools write it
/// (`model::year::parse`); a number in quotes is refused, as the decoder does.
fn year_group() -> Value {
    let named = [
        "r",
        "rec",
        "reception",
        "yr",
        "k",
        "kindergarten",
        "n",
        "n2",
        "nursery",
        "nursery2",
        "fs1",
        "pk",
        "pre-k",
        "prek",
        "n1",
        "nursery1",
    ];
    let prefixes = ["year", "grade", "yr", "y", "g"];
    let named: Vec<String> = named.iter().map(|w| loose(w)).collect();
    let prefixes: Vec<String> = prefixes.iter().map(|w| loose(w)).collect();
    let pattern = format!("^\\s*(?:{}|(?:{})\\s*\\+?0*(?:[1-9]|1[0-5]))\\s*$", named.join("|"), prefixes.join("|"));
    json!({
        "anyOf": [
            { "type": "integer", "minimum": -2, "maximum": 15 },
            { "type": "string", "pattern": pattern }
        ],
        "examples": [4, "R", "N1", "N2", "Y4", "Year 4"]
    })
}

fn need_type() -> Value {
    json!({
        "type": ["string", "number", "boolean"],
        "examples": ["SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "DS", "OTH", "NSA"]
    })
}

const OVERRIDES: &[(&str, &str, Override)] = &[
    ("Pupil", "year_group", Override::Replace(year_group)),
    ("Need", "type", Override::Replace(need_type)),
    ("Staff", "hourly_rate", Override::Merge(zero_or_more)),
    ("Provision", "hourly_rate", Override::Merge(zero_or_more)),
    ("Provision", "cost_per_pupil", Override::Merge(zero_or_more)),
    ("Provision", "default_minutes", Override::Merge(above_zero)),
    ("Provision", "default_sessions_per_week", Override::Merge(above_zero)),
    ("Intervention", "sessions_per_week", Override::Merge(above_zero)),
    ("Intervention", "minutes", Override::Merge(above_zero)),
    ("Intervention", "group_size", Override::Merge(above_zero)),
];

fn override_for(record: &str, key: &str) -> Option<&'static Override> {
    OVERRIDES.iter().find(|(r, k, _)| *r == record && *k == key).map(|(_, _, o)| o)
}

/// Whole-record constraints the decoder or `check` applies beyond keys.
fn record_extra(record: &str) -> Option<Value> {
    match record {
        // `pupils` is required unless the session was cancelled (delivery-no-pupils).
        "Session" => Some(json!({
            "anyOf": [
                { "required": ["pupils"], "properties": { "pupils": { "type": "array" } } },
                { "required": ["cancelled"], "properties": { "cancelled": { "not": { "type": "null" } } } }
            ]
        })),
        _ => None,
    }
}

// ---------------------------------------------------------------- senco.toml

/// A TOML date: Taplo gives it to the schema as its text; Python's tomllib
/// as a date object, which `date()` also lets through.
fn toml_date() -> Value {
    date()
}

fn table(help: &str, properties: Value, required: &[&str]) -> Value {
    let mut t = json!({
        "type": "object",
        "description": help,
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        t["required"] = json!(required);
    }
    t
}

fn int(help: &str, minimum: i64) -> Value {
    json!({ "type": "integer", "minimum": minimum, "description": help })
}

fn number(help: &str) -> Value {
    json!({ "type": "number", "minimum": 0, "description": help })
}

fn text(help: &str) -> Value {
    json!({ "type": "string", "description": help })
}

fn dated(help: &str) -> Value {
    with_description(toml_date(), help)
}

fn terms() -> Value {
    json!({
        "type": "array",
        "description": "The terms of the year (half terms may be written as separate terms).",
        "items": table("A term: its name and first and last days.", json!({
            "name": text("The term's name, e.g. `Autumn`."),
            "start": dated("The first day of the term."),
            "end": dated("The last day of the term."),
        }), &["name", "start", "end"]),
    })
}

fn closures() -> Value {
    json!({
        "type": "array",
        "description": "Days the school is closed inside its terms: a date, or a range `{ start, end, name }` (both ends included).",
        "items": {
            "anyOf": [
                toml_date(),
                table("A closure: from `start` to `end` (default: `start`), both included.", json!({
                    "start": dated("The first day closed."),
                    "end": dated("The last day closed (default: `start`)."),
                    "name": text("What the closure is, e.g. `Autumn half term`."),
                }), &["start"]),
            ]
        }
    })
}

/// The keys of each table of senco.toml, as `settings_schema` declares them;
/// a test compares them with what serde accepts.
pub const SETTINGS_TABLES: &[(&str, &[&str])] = &[
    ("", &["school", "calendar", "reviews", "jurisdiction", "rules", "costs", "delivery", "limits"]),
    ("school", &["name", "senco", "jurisdiction", "last_year_group", "roll", "urn", "id"]),
    ("calendar", &["year_start", "year_end", "terms", "closures", "past"]),
    ("calendar.past", &["year_start", "year_end", "terms", "closures"]),
    ("calendar.terms", &["name", "start", "end"]),
    ("reviews", &["support_review_weeks", "warn_days", "referral_wait_weeks"]),
    (
        "jurisdiction",
        &[
            "age_of_majority",
            "evaluation_days",
            "evaluation_days_are",
            "retention_years",
            "transition_age",
            "section504_review_months",
        ],
    ),
    ("costs", &["currency", "default_hourly_rate", "weeks_per_year", "notional_threshold"]),
    ("delivery", &["warn_below"]),
    ("limits", &["max_file_kb", "template_mb", "template_seconds"]),
];

/// The schema of senco.toml. `rule_codes`: the codes `[rules]` accepts.
pub fn settings_schema(rule_codes: &[&str]) -> Value {
    let school = table(
        "The school: its name, SENCO and jurisdiction.",
        json!({
            "name": text("The school's name, on every document."),
            "senco": text("The designated SENCO (ALNCo in Wales), named on rendered documents."),
            "jurisdiction": {
                "type": "string",
                "enum": ["england", "wales", "us-idea"],
                "description": "Selects the rule pack and the support levels allowed.",
            },
            "last_year_group": {
                "type": "integer",
                "description": "Pupils in this year group leave at rollover; absent: rollover treats nobody as a leaver.",
            },
            "urn": {
                "description": "England: the school's unique reference number (six digits, from Get Information about Schools), the key of its rows in a trust's combined exports.",
                "anyOf": [
                    { "type": "integer", "minimum": 100000, "maximum": 999999 },
                    { "type": "string", "pattern": "^\\s*[0-9]{6}\\s*$" }
                ]
            },
            "id": {
                "description": "Any other stable school identifier (a Welsh school number, a US NCES id, the trust's own code): the export key when there is no URN.",
                "anyOf": [
                    { "type": "integer" },
                    { "type": "string", "pattern": "^\\s*[A-Za-z0-9._-]{1,64}\\s*$" }
                ]
            },
            "roll": {
                "description": "The number of pupils on the school's roll (all pupils, not only those with records here), or one count per census date.",
                "anyOf": [
                    { "type": "integer", "exclusiveMinimum": 0 },
                    {
                        "type": "array",
                        "items": table("The number on roll on a date.", json!({
                            "date": dated("The census date of the count."),
                            "pupils": { "type": "integer", "exclusiveMinimum": 0, "description": "Pupils on roll." },
                        }), &["date", "pupils"]),
                    }
                ]
            },
        }),
        &["name", "jurisdiction"],
    );
    let past = table(
        "An earlier academic year, kept by rollover.",
        json!({
            "year_start": dated("The first day of that academic year."),
            "year_end": dated("The last day of that academic year."),
            "terms": terms(),
            "closures": closures(),
        }),
        &["year_start", "year_end"],
    );
    let calendar = table(
        "The current academic year: costs, school days and term-based rules are counted from it.",
        json!({
            "year_start": dated("The first day of the academic year."),
            "year_end": dated("The last day of the academic year."),
            "terms": terms(),
            "closures": closures(),
            "past": { "type": "array", "description": "Earlier academic years, kept by rollover (`[[calendar.past]]`).", "items": past },
        }),
        &["year_start", "year_end"],
    );
    let reviews = table(
        "How often reviews fall due, and when check warns.",
        json!({
            "support_review_weeks": int("School-based plans are reviewed at least this often (default 12).", 1),
            "warn_days": int("The \"due soon\" window for review-due and check, in days (default 28).", 0),
            "referral_wait_weeks": int("A referral waiting longer than this is reported (default 18).", 1),
        }),
        &[],
    );
    let jurisdiction = table(
        "Optional knobs of the rule pack.",
        json!({
            "age_of_majority": int("US: the age of majority (default 18).", 0),
            "evaluation_days": int("US: the state's timeline for an initial evaluation (default 60).", 1),
            "evaluation_days_are": {
                "type": "string",
                "enum": ["calendar", "school"],
                "description": "US: whether `evaluation_days` are calendar days or school days (default `calendar`).",
            },
            "retention_years": int("Archived records are kept until date of birth + this (default 31).", 0),
            "transition_age": int("US: transition goals from the IEP in effect at this age (default 16).", 0),
            "section504_review_months": int("US: months between reviews of a Section 504 plan (default 12).", 1),
        }),
        &[],
    );
    let rules = json!({
        "type": "object",
        "description": "Per-rule severity: `off`, `warn` or `error` (`senco rules` lists the codes).",
        "propertyNames": { "enum": rule_codes },
        "additionalProperties": { "type": "string", "enum": ["off", "warn", "error"] },
    });
    let costs = table(
        "Costs of provision.",
        json!({
            "currency": text("The currency of every cost (default `GBP`)."),
            "default_hourly_rate": number("Used when neither the staff member nor the catalogue sets a rate (default 16.50)."),
            "weeks_per_year": { "type": "number", "minimum": 1, "maximum": 53, "description": "Weeks of provision a year (default 38)." },
            "notional_threshold": number("Yearly additional cost per pupil above which check warns (default 6000)."),
        }),
        &[],
    );
    let delivery = table(
        "Delivery of statutory provision.",
        json!({
            "warn_below": { "type": "number", "minimum": 0, "description": "A statutory intervention delivered below this share of its planned minutes is reported (default 0.9)." },
        }),
        &[],
    );
    let limits = table(
        "Bounds on the work hostile or mistaken input can cause.",
        json!({
            "max_file_kb": { "type": "integer", "minimum": 0, "description": "The largest record file read, in KB (default 1024)." },
            "template_mb": { "type": "integer", "minimum": 0, "description": "The memory the school's own templates may use for one document, in MB (default 2048; at least 256 is used)." },
            "template_seconds": { "type": "integer", "minimum": 1, "description": "The time the school's own templates may take for one document, in seconds (default 60)." },
        }),
        &[],
    );
    json!({
        "$schema": DIALECT,
        "$comment": "Written by `senco schema`; regenerate, do not edit.",
        "title": "senco.toml: the school's settings",
        "description": "The settings of a senco records repository (senco.toml). Every key is described in senco's docs/format.md.",
        "type": "object",
        "properties": {
            "school": school,
            "calendar": calendar,
            "reviews": reviews,
            "jurisdiction": jurisdiction,
            "rules": rules,
            "costs": costs,
            "delivery": delivery,
            "limits": limits,
        },
        "required": ["school"],
        "additionalProperties": false,
    })
}

// ----------------------------------------------------------- the help texts

/// The help text of a record (`key` empty) or of one of its keys.
pub fn describe(record: &str, key: &str) -> Option<&'static str> {
    HELP.iter().find(|(r, k, _)| *r == record && *k == key).map(|(_, _, h)| *h)
}

/// Help shown on hover, in docs/format.md's words. Every key of every record
/// has one (a test says so).
#[rustfmt::skip]
const HELP: &[(&str, &str, &str)] = &[
    // staff.yaml
    ("Staff", "", "A member of staff who delivers or oversees SEN provision."),
    ("Staff", "id", "A short id other files refer to, e.g. `ta-jones`."),
    ("Staff", "name", "The name as documents show it, e.g. `Mrs K. Jones`."),
    ("Staff", "role", "teacher | teaching-assistant | senco | specialist | external | leader."),
    ("Staff", "hourly_rate", "Hourly rate for provision costs (0 or more)."),
    ("Staff", "training", "CPD record: courses taken, with dates and expiry."),
    ("Staff", "qualified_teacher", "The SENCO is a qualified teacher (ENG-SENCO)."),
    ("Staff", "appointed", "The date they became SENCO: the qualification is due by the third anniversary."),
    ("Staff", "senco_qualification", "The SENCO qualification: `{ award: nasenco | npq-senco, date }`."),
    ("Training", "", "A course taken."),
    ("Training", "course", "The course's name."),
    ("Training", "provider", "Who ran it."),
    ("Training", "date", "The day it was completed."),
    ("Training", "expires", "The day it lapses; without it (or `valid_months`) it never lapses."),
    ("Training", "valid_months", "Instead of `expires`: it lapses this many months after `date`."),
    ("Training", "certificate", "A certificate reference."),
    ("SencoQualification", "", "The SENCO qualification (England)."),
    ("SencoQualification", "award", "nasenco (counts when completed before 1 September 2027) | npq-senco."),
    ("SencoQualification", "date", "The day it was awarded."),
    // catalogue.yaml
    ("Provision", "", "An entry of the school's menu of provision."),
    ("Provision", "id", "A short id interventions refer to with `provision:`."),
    ("Provision", "name", "The provision's name, as documents show it."),
    ("Provision", "area", "The area of need: communication-and-interaction | cognition-and-learning | social-emotional-mental-health | sensory-and-physical."),
    ("Provision", "delivery", "1:1 | group | whole-class | external (quote \"1:1\" for other YAML readers)."),
    ("Provision", "wave", "The wave on the provision map: 1 quality-first teaching for all, 2 targeted small-group catch-up, 3 individual or specialist provision."),
    ("Provision", "default_minutes", "Minutes a session, when an intervention gives none (above 0)."),
    ("Provision", "default_sessions_per_week", "Sessions a week, when an intervention gives none (above 0)."),
    ("Provision", "hourly_rate", "Hourly rate, when the staff member has none (0 or more)."),
    ("Provision", "cost_per_pupil", "A fixed cost per pupil per year: resources, licences (0 or more)."),
    ("Provision", "evidence", "The evidence for it, e.g. the EEF toolkit's rating."),
    // pupil.yaml
    ("Pupil", "", "Who the pupil is, their support level and who is involved."),
    ("Pupil", "id", "The pupil's record id: the folder name (lowercase letters, digits and `-`). Never the UPN."),
    ("Pupil", "name", "`{ first, last, preferred }`."),
    ("Pupil", "date_of_birth", "The date of birth."),
    ("Pupil", "year_group", "A number (Reception = 0, nursery = -1, N1 = -2; US: K = 0), or as schools write it: R, N1, N2, Y4, \"Year 4\"."),
    ("Pupil", "class", "The class, e.g. `4B`."),
    ("Pupil", "upn", "The official pupil number; never shown unless asked."),
    ("Pupil", "gender", "Free text."),
    ("Pupil", "first_language", "The pupil's first language."),
    ("Pupil", "joined", "The date the pupil joined the school."),
    ("Pupil", "support", "The support level, since when, the plan, requests for assessment."),
    ("Pupil", "key_worker", "A staff id from staff.yaml."),
    ("Pupil", "profile", "The one-page profile, in the pupil's voice where possible."),
    ("Pupil", "contacts", "Parents, carers and other contacts."),
    ("Pupil", "professionals", "Multi-agency involvement and referrals."),
    ("Pupil", "consent", "Consents given, by date."),
    ("Pupil", "left", "The date the pupil left (set by `senco archive`)."),
    ("Pupil", "destination", "Where the pupil went (set by `senco archive`)."),
    ("Pupil", "transition", "The next setting: `{ next_setting, date, phase }`."),
    ("Pupil", "file_transferred", "Archived pupils (England): the date the educational record and SEN file were sent to `destination`."),
    ("Pupil", "last_school", "Archived pupils: this was the last school, so the file is kept, not transferred."),
    ("Pupil", "access_arrangements", "England: JCQ exam access arrangements."),
    ("Name", "", "The pupil's name."),
    ("Name", "first", "First name."),
    ("Name", "last", "Last name."),
    ("Name", "preferred", "The name the pupil goes by, when not the first name."),
    ("Support", "", "The pupil's support level and its history."),
    ("Support", "level", "The support level: england monitoring | sen-support | ehcp; wales monitoring | school-idp | la-idp; us-idea monitoring | section-504 | iep."),
    ("Support", "since", "The date support at this level began: review clocks run from it."),
    ("Support", "plan", "The statutory plan (required for ehcp, la-idp, iep)."),
    ("Support", "request", "A request for statutory assessment in progress or done."),
    ("Support", "requests", "Earlier requests, each as `request`."),
    ("Support", "history", "The levels before the current one, oldest first: `{ level, from }`."),
    ("Support", "parents_informed", "England: parents told that SEN provision is made (ENG-SUP-NOTIFY)."),
    ("Support", "sen_unit", "Census: a member of an SEN unit the LA recognises."),
    ("Support", "resourced_provision", "Census: a member of resourced provision the LA recognises."),
    ("Plan", "", "The statutory plan: EHC plan, local-authority IDP or IEP."),
    ("Plan", "issued", "The date the current statutory plan was issued or finalised."),
    ("Plan", "authority", "The local authority (or district) responsible."),
    ("Plan", "amended", "The last amendment issued."),
    ("Plan", "named_setting", "The setting named in the plan."),
    ("Plan", "next_reevaluation", "US: a reevaluation planned earlier than 3 years after the last evaluation."),
    ("Plan", "progress_reporting", "US: how often parents get progress reports."),
    ("Plan", "accommodations", "US: test accommodations."),
    ("Plan", "participation", "US: time outside general education."),
    ("Plan", "rights_transfer_informed", "US: the date told of the rights that transfer at the age of majority."),
    ("Plan", "initial_issued", "US: the first IEP (US-IEP-30)."),
    ("Plan", "last_evaluation", "US: the last (re)evaluation, when no assessment records it."),
    ("Plan", "reevaluation_waived", "US: parent and district agreed a reevaluation is unnecessary."),
    ("Plan", "safeguards_notice", "US: the procedural safeguards notice last given."),
    ("Request", "", "A request for statutory assessment (or a US referral for evaluation)."),
    ("Request", "for", "US: iep (an IDEA evaluation) | section-504."),
    ("Request", "requested", "The request for assessment or referral: the clock starts (Wales: a possible ALN brought to the school's attention)."),
    ("Request", "consent", "US: consent to evaluate."),
    ("Request", "decision", "The decision whether to assess."),
    ("Request", "evaluated", "US: the evaluation completed."),
    ("Request", "eligible", "US: eligibility determined."),
    ("Request", "issued", "The final plan issued."),
    ("Request", "outcome", "assessing | refused | no-plan | plan-issued | not-eligible | no-aln | referred-to-la | withdrawn."),
    ("Request", "outcome_date", "When it ended: the notice of a refusal, a no-plan decision or a withdrawal."),
    ("Request", "exception", "A statutory exception to the time limit, with its reason: `{ reason, from, to }`."),
    ("Request", "advice_requested", "England: the LA asked the school for advice (ENG-ADVICE)."),
    ("Request", "advice_sent", "England: the school's advice sent (6 weeks)."),
    ("Exception", "", "A recorded exception to a statutory time limit."),
    ("Exception", "reason", "Why the exception applies, e.g. `school closed for 4 weeks or more`."),
    ("Exception", "from", "The first day of the exception."),
    ("Exception", "to", "The last day of the exception (US: the completion date agreed with the parent)."),
    ("LevelFrom", "", "A support level the pupil had before the current one."),
    ("LevelFrom", "level", "The support level then."),
    ("LevelFrom", "from", "The date it applied from."),
    ("Profile", "", "The one-page profile."),
    ("Profile", "about_me", "About the pupil, in their own words where possible."),
    ("Profile", "strengths", "What the pupil is good at."),
    ("Profile", "what_helps", "What helps the pupil."),
    ("Profile", "what_doesnt_help", "What does not help."),
    ("Profile", "triggers", "What is known to upset or overwhelm the pupil."),
    ("Profile", "medical", "Medical needs every adult should know (e.g. an inhaler)."),
    ("Profile", "access", "Access needs: seating, hearing loop, movement breaks."),
    ("Contact", "", "A parent, carer or other contact."),
    ("Contact", "name", "The contact's name."),
    ("Contact", "relationship", "e.g. mother, father, foster carer."),
    ("Contact", "parental_responsibility", "Whether they have parental responsibility."),
    ("Contact", "phone", "Phone number; quote it, e.g. \"07700 900123\"."),
    ("Contact", "email", "E-mail address."),
    ("Professional", "", "A service involved with the pupil, or referred to."),
    ("Professional", "service", "The service, e.g. Speech and language therapy."),
    ("Professional", "name", "The team or person."),
    ("Professional", "referred", "The date of the referral."),
    ("Professional", "status", "waiting | active | discharged | declined."),
    ("Professional", "next_contact", "The next appointment or contact."),
    ("Consent", "", "Consents given; absent = not recorded."),
    ("Consent", "information_sharing", "The date consent to share information was given."),
    ("Transition", "", "The pupil's next setting."),
    ("Transition", "next_setting", "The setting the pupil moves to."),
    ("Transition", "date", "The date of the move."),
    ("Transition", "phase", "infant-junior | primary-secondary | secondary-post16 | post16-post16 | other."),
    ("AccessArrangement", "", "An exam access arrangement (England, JCQ): valid 26 months from approval."),
    ("AccessArrangement", "arrangement", "The arrangement, e.g. 25% extra time."),
    ("AccessArrangement", "percent", "Extra time, per cent."),
    ("AccessArrangement", "assessed", "The assessment: no earlier than the start of Year 9."),
    ("AccessArrangement", "assessor", "Who assessed."),
    ("AccessArrangement", "approved", "Access Arrangements Online approval: valid 26 months."),
    ("AccessArrangement", "evidence", "The evidence of need."),
    ("AccessArrangement", "normal_way_of_working", "How it is the pupil's normal way of working."),
    // needs.yaml
    ("Need", "", "A need of the pupil."),
    ("Need", "id", "A short id, unique within the pupil, e.g. `reading`."),
    ("Need", "area", "communication-and-interaction | cognition-and-learning | social-emotional-mental-health | sensory-and-physical."),
    ("Need", "type", "England census code (SPLD MLD SLD PMLD SEMH SLCN HI VI MSI PD ASD DS OTH NSA) or US IDEA category slug; Wales: free text."),
    ("Need", "primary", "Exactly one need is primary when any need exists."),
    ("Need", "identified", "The date the need was identified."),
    ("Need", "description", "What the need is."),
    ("Need", "evidence", "Assessment ids that evidence it."),
    ("Need", "strategies", "What every adult working with the pupil should do."),
    // assessments.yaml
    ("Assessment", "", "An assessment result."),
    ("Assessment", "id", "A short id, unique within the pupil, e.g. `yarc-2024`."),
    ("Assessment", "date", "The day of the assessment."),
    ("Assessment", "tool", "The test or tool used."),
    ("Assessment", "measure", "What was measured, e.g. reading accuracy."),
    ("Assessment", "score", "The score, as a number."),
    ("Assessment", "scale", "standard-score | scaled-score | percentile | age-months | raw | level."),
    ("Assessment", "assessor", "Who assessed."),
    ("Assessment", "notes", "Notes."),
    ("Assessment", "kind", "evaluation | reevaluation | screening | progress (US-REEVAL reads the first two)."),
    ("Assessment", "agreed", "US: parent and district agreed to this evaluation within a year of the last."),
    // targets.yaml
    ("Target", "", "A target (outcome) serving a need."),
    ("Target", "id", "A short id, unique within the pupil, e.g. `hfw-40`."),
    ("Target", "need", "The need id (needs.yaml) it serves."),
    ("Target", "outcome", "What the pupil will achieve."),
    ("Target", "baseline", "Where the pupil starts."),
    ("Target", "success_criteria", "How achievement is judged."),
    ("Target", "set", "The date the target was set."),
    ("Target", "due", "The date it is due."),
    ("Target", "owner", "A staff id from staff.yaml."),
    ("Target", "status", "open | achieved | partly-achieved | not-achieved | discontinued (absent: open)."),
    ("Target", "transition", "US: a postsecondary (transition) goal."),
    // interventions.yaml
    ("Intervention", "", "An intervention or provision the pupil receives."),
    ("Intervention", "id", "A short id, unique within the pupil, e.g. `pt-autumn`."),
    ("Intervention", "provision", "A catalogue id; else `name` is required."),
    ("Intervention", "name", "The intervention's name (optional when `provision` is given)."),
    ("Intervention", "targets", "Target ids it serves."),
    ("Intervention", "start", "The first day."),
    ("Intervention", "end", "The last day; absent = ongoing."),
    ("Intervention", "sessions_per_week", "Sessions a week (above 0); default: the catalogue's."),
    ("Intervention", "minutes", "Minutes a session (above 0); default: the catalogue's."),
    ("Intervention", "group_size", "Pupils sharing the session: the cost is shared (above 0)."),
    ("Intervention", "staff", "A staff id from staff.yaml."),
    ("Intervention", "entry", "Entry data: `{ date, score, measure, scale }`."),
    ("Intervention", "exit", "Exit data: `{ date, score, measure, scale }`."),
    ("Intervention", "transition", "US: a transition service (US-TRANSITION-16)."),
    ("Intervention", "statutory", "EHC plan section F / IEP services: its delivery is checked."),
    ("Measurement", "", "Entry or exit data: compare like with like."),
    ("Measurement", "date", "The day it was measured."),
    ("Measurement", "score", "The score."),
    ("Measurement", "measure", "What was measured."),
    ("Measurement", "scale", "standard-score | scaled-score | percentile | age-months | raw | level."),
    // log.yaml
    ("LogEntry", "", "A dated entry of the pupil's log."),
    ("LogEntry", "date", "The day it happened."),
    ("LogEntry", "kind", "meeting | parent-contact | phone | email | parents-informed | observation | concern | agency-contact | progress-report | other."),
    ("LogEntry", "with", "Who was involved: parent, carer, pupil, staff ids, or a service's name."),
    ("LogEntry", "summary", "A sentence or two: what happened, what was agreed."),
    ("LogEntry", "follow_up", "A date to follow up by: review-due lists it until followed up."),
    ("LogEntry", "followed_up", "The date it was followed up."),
    // reviews
    ("Review", "", "The record of a review meeting."),
    ("Review", "date", "The meeting's date: must equal the date in the file name."),
    ("Review", "kind", "termly | annual | interim | transition | initial."),
    ("Review", "attendees", "Who attended: `{ name, role }`."),
    ("Review", "pupil_voice", "The pupil's views."),
    ("Review", "parent_voice", "The parents' views."),
    ("Review", "targets", "Progress on each target reviewed."),
    ("Review", "actions", "Actions agreed: `{ action, owner, due, done }`."),
    ("Review", "next_review", "The next review's date; else the rule pack's default."),
    ("Review", "invited", "Statutory reviews: who was invited, `{ name, role, responded }`."),
    ("Review", "invitations_sent", "Statutory reviews: the date invitations were sent."),
    ("Review", "papers_circulated", "Statutory reviews: the date the papers were circulated."),
    ("Review", "report_sent", "Statutory reviews: the date the report was sent."),
    ("Review", "la_decision", "The LA's decision: a date, or `{ date, outcome: keep | amend | cease }`."),
    ("Review", "amendment_notice", "England: the LA's amendment notice after a decision to amend."),
    ("Review", "given", "Wales, annual reviews: the date the revised IDP, or the notice that it is not revised, was given."),
    ("Review", "preparing_for_adulthood", "Preparing for adulthood: what was discussed."),
    ("Review", "pupil_aspirations", "The pupil's aspirations."),
    ("Review", "parent_aspirations", "The parents' aspirations."),
    ("Review", "at_home", "Support at home."),
    ("Review", "advice", "Advice and information received: `{ from, received, summary }`."),
    ("Review", "changes", "Changes since the plan: `{ needs, health, social_care }`."),
    ("Review", "recommendation", "keep | amend | cease: the recommendation to the local authority."),
    ("Review", "proposed_amendments", "The amendments proposed."),
    ("Review", "signed", "Who signed the review report: `{ name, role, date }`."),
    ("Attendee", "", "A person at (or invited to) the review."),
    ("Attendee", "name", "Their name."),
    ("Attendee", "role", "parent | carer | pupil | senco | teacher | teaching-assistant | school-leader | local-authority | health | social-care | educational-psychologist | therapist | other (any case)."),
    ("Attendee", "responded", "Invitees: whether they replied."),
    ("TargetProgress", "", "Progress on one target."),
    ("TargetProgress", "target", "The target id (targets.yaml)."),
    ("TargetProgress", "progress", "open | achieved | partly-achieved | not-achieved | discontinued; leave empty until rated."),
    ("TargetProgress", "note", "A note on the progress."),
    ("Action", "", "An action agreed at the review."),
    ("Action", "action", "What is to be done."),
    ("Action", "owner", "Who does it."),
    ("Action", "due", "The date it is due."),
    ("Action", "done", "The date it was done."),
    ("Advice", "", "Advice or information received for the review."),
    ("Advice", "from", "Who gave it."),
    ("Advice", "received", "The date it was received."),
    ("Advice", "summary", "What it says."),
    ("Changes", "", "Changes since the plan, by EHC plan section."),
    ("Changes", "needs", "Section B: needs."),
    ("Changes", "health", "Sections C and G: health."),
    ("Changes", "social_care", "Sections D and H: social care."),
    ("Signature", "", "A signature on the review report."),
    ("Signature", "name", "Who signed."),
    ("Signature", "role", "Their role."),
    ("Signature", "date", "The date signed."),
    ("LaDecisionMap", "", "The local authority's decision after an annual review."),
    ("LaDecisionMap", "date", "The date of the decision."),
    ("LaDecisionMap", "outcome", "keep | amend | cease."),
    // delivery/<place>/YYYY-MM.yaml
    ("Session", "", "A session delivered (or cancelled), logged once for all its pupils: `pupils` unless `cancelled`."),
    ("Session", "date", "The day of the session, in the file's month."),
    ("Session", "minutes", "The whole session's length; default: the place's `minutes`."),
    ("Session", "staff", "Who ran it: a staff id from staff.yaml."),
    ("Session", "pupils", "Each pupil: `{ pupil, status: attended | absent | cancelled, reason }`."),
    ("Session", "cancelled", "The reason the session did not run."),
    ("SessionPupil", "", "One pupil at a session."),
    ("SessionPupil", "pupil", "The pupil's id (folder name)."),
    ("SessionPupil", "status", "attended | absent | cancelled."),
    ("SessionPupil", "reason", "Why absent or cancelled."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_help_and_every_help_a_key() {
        let mut keys = Vec::new();
        for kind in Kind::ALL {
            keys.extend(kind.keys());
        }
        for (record, key, _) in &keys {
            assert!(
                describe(record, key).is_some(),
                "add the help text of `{key}` in {record} to HELP in src/model/schema.rs"
            );
            assert!(describe(record, "").is_some(), "add the help text of {record} to HELP in src/model/schema.rs");
        }
        for (record, key, _) in HELP {
            assert!(
                key.is_empty() || keys.iter().any(|(r, k, _)| r == record && k == key),
                "HELP has `{key}` in {record}, which the decoder does not read"
            );
        }
    }

    #[test]
    fn every_record_has_exactly_the_keys_it_decodes() {
        use crate::model::*;
        let records: &[(&str, &[&str], Kind)] = &[
            ("Staff", Staff::KEYS, Kind::Staff),
            ("Training", Training::KEYS, Kind::Staff),
            ("Provision", Provision::KEYS, Kind::Catalogue),
            ("Pupil", Pupil::KEYS, Kind::Pupil),
            ("Support", Support::KEYS, Kind::Pupil),
            ("Plan", Plan::KEYS, Kind::Pupil),
            ("Request", Request::KEYS, Kind::Pupil),
            ("Need", Need::KEYS, Kind::Needs),
            ("Assessment", Assessment::KEYS, Kind::Assessments),
            ("Target", Target::KEYS, Kind::Targets),
            ("Intervention", Intervention::KEYS, Kind::Interventions),
            ("LogEntry", LogEntry::KEYS, Kind::Log),
            ("Review", Review::KEYS, Kind::Review),
            ("Attendee", Attendee::KEYS, Kind::Review),
            ("Session", Session::KEYS, Kind::Delivery),
            ("SessionPupil", SessionPupil::KEYS, Kind::Delivery),
        ];
        for (name, keys, kind) in records {
            let schema = kind.schema(&[]);
            let def = &schema["$defs"][*name];
            let mut props: Vec<&str> = def["properties"].as_object().unwrap().keys().map(String::as_str).collect();
            props.sort_unstable();
            let mut keys = keys.to_vec();
            keys.sort_unstable();
            assert_eq!(props, keys, "{name}");
            assert_eq!(def["additionalProperties"], json!(false), "{name}");
        }
    }

    #[test]
    fn fields_decoded_by_their_own_function_have_their_own_schema() {
        for kind in Kind::ALL {
            for (record, key, via) in kind.keys() {
                if via {
                    assert!(
                        matches!(override_for(record, key), Some(Override::Replace(_))),
                        "`{key}` in {record} is decoded `via` a function: give its schema in OVERRIDES"
                    );
                }
            }
        }
        for (record, key, _) in OVERRIDES {
            assert!(
                Kind::ALL.iter().any(|k| k.keys().iter().any(|(r, kk, _)| r == record && kk == key)),
                "OVERRIDES has `{key}` in {record}, which the decoder does not read"
            );
        }
    }

    #[test]
    fn optional_keys_may_be_empty_and_required_ones_may_not() {
        let s = Kind::Targets.schema(&[]);
        let target = &s["$defs"]["Target"];
        assert_eq!(target["required"], json!(["id", "need", "outcome"]));
        assert_eq!(target["properties"]["status"]["enum"].as_array().unwrap().last(), Some(&Value::Null));
        assert_eq!(target["properties"]["id"]["type"], json!(["string", "number", "boolean"]));
        assert_eq!(target["additionalProperties"], json!(false));
    }

    #[test]
    fn case_insensitive_words_match_in_any_case() {
        let v = vocabulary(&["1:1", "whole-class"], true);
        let p = v["anyOf"][1]["pattern"].as_str().unwrap();
        assert_eq!(p, "^\\s*(?:1:1|[wW][hH][oO][lL][eE]-[cC][lL][aA][sS][sS])\\s*$");
    }

    #[test]
    fn modelines_are_relative_to_the_file() {
        let line = |rel| Kind::of_path(rel).and_then(|k| k.modeline(rel));
        assert_eq!(line("staff.yaml").unwrap(), "# yaml-language-server: $schema=schemas/staff.schema.json");
        assert_eq!(
            line("pupils/ava-brown/pupil.yaml").unwrap(),
            "# yaml-language-server: $schema=../../schemas/pupil.schema.json"
        );
        assert_eq!(
            line("archive/ava-brown/reviews/2026-01-02-annual.yaml").unwrap(),
            "# yaml-language-server: $schema=../../../schemas/review.schema.json"
        );
        assert_eq!(
            line("delivery/salt/2026-11.yaml").unwrap(),
            "# yaml-language-server: $schema=../../schemas/delivery.schema.json"
        );
        assert_eq!(line("senco.toml"), None);
        assert_eq!(line("pupils/ava-brown/notes.yaml"), None);
    }
}
