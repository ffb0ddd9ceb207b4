//! Documents for parents and local authorities speak plain words: every
//! document of every example pupil (and every class, and the provision map)
//! is rendered in Markdown and HTML, and no id, slug, file name, rule code,
//! ISO date or raw vocabulary value of the records format may appear in it.
//! The guidance abbreviations ("Specific learning difficulty (SpLD)") are
//! allowed only in brackets after the words they abbreviate.

use crate::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Raw values of the records format's vocabularies that are not words.
const RAW_VALUES: &[&str] = &[
    "sen-support",
    "school-idp",
    "la-idp",
    "section-504",
    "communication-and-interaction",
    "cognition-and-learning",
    "social-emotional-mental-health",
    "sensory-and-physical",
    "teaching-assistant",
    "standard-score",
    "scaled-score",
    "age-months",
    "partly-achieved",
    "not-achieved",
    "school-leader",
    "local-authority",
    "social-care",
    "educational-psychologist",
    "infant-junior",
    "primary-secondary",
    "secondary-post16",
    "support-review",
    "annual-review",
    "not-met",
    "not-recorded",
];

/// Census type codes: allowed only as `(CODE)` after their words.
const CENSUS: &[(&str, &str)] = &[
    ("SPLD", ""),
    ("MLD", "Moderate learning difficulty"),
    ("SLD", "Severe learning difficulty"),
    ("PMLD", "Profound and multiple learning difficulty"),
    ("SEMH", "Social, emotional and mental health"),
    ("SLCN", "Speech, language and communication needs"),
    ("HI", "Hearing impairment"),
    ("VI", "Visual impairment"),
    ("MSI", "Multi-sensory impairment"),
    ("PD", "Physical disability"),
    ("ASD", "Autistic spectrum disorder"),
    ("DS", "Down syndrome"),
    ("OTH", "Other difficulty or disability"),
    ("NSA", "No specialist assessment of the type of need"),
];

/// Ids written in the records (`id:`, `target:`, `provision:`, `staff:`,
/// `need:`, `owner:`, `key_worker:` values), pupil folder names and review
/// file stems: every one with a `-` or a digit (plain words like `reading`
/// may be ids and words alike).
fn record_ids(repo: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    // Pupil folders and review files: always ids.
    let mut names = BTreeSet::new();
    // Hyphenated words of the records' own free text (`turn-taking`) are words, even where an id is spelt alike.
    let mut words = BTreeSet::new();
    let keys = ["id", "target", "provision", "staff", "need", "owner", "key_worker", "pupil"];
    let mut stack = vec![repo.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if dir.ends_with("pupils") || dir.ends_with("archive") {
                    names.insert(name.clone());
                }
                stack.push(path);
                continue;
            }
            if !name.ends_with(".yaml") {
                continue;
            }
            if dir.ends_with("reviews") {
                names.insert(name.trim_end_matches(".yaml").to_string());
            }
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let line = line.split(" #").next().unwrap().trim();
                let item = line.strip_prefix("- ").map(str::trim);
                let line = item.unwrap_or(line).trim_start_matches('{');
                for part in line.split(", ") {
                    let part = part.trim().trim_start_matches('{').trim_end_matches('}').trim();
                    let (k, v) = match part.split_once(": ") {
                        Some((k, v)) if !k.contains(' ') => (k.trim(), v.trim()),
                        _ if item.is_some() => ("", part),
                        _ => continue,
                    };
                    let v = v.trim_matches(|c| c == '"' || c == '\'' || c == '[' || c == ']');
                    if keys.contains(&k) || k == "targets" || (k.is_empty() && !v.contains(' ')) {
                        for id in v.split(',').map(str::trim) {
                            if id.contains('-') || id.chars().any(|c| c.is_ascii_digit()) {
                                ids.insert(id.to_string());
                            }
                        }
                    } else {
                        for w in v.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
                            words.insert(w.to_string());
                        }
                    }
                }
            }
        }
    }
    ids.retain(|i| i.len() >= 3 && !words.contains(i));
    ids.extend(names);
    ids
}

/// The visible text of an HTML page: no style element, no tags, entities decoded.
fn html_text(html: &str) -> String {
    let mut s = html.to_string();
    while let (Some(a), Some(b)) = (s.find("<style>"), s.find("</style>")) {
        s.replace_range(a..b + 8, " ");
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
}

/// Every code-shaped token in `text`, with a few characters around it.
pub fn code_tokens(text: &str, ids: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let is_tok = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '@' | ':');
    let mut i = 0;
    while i < chars.len() {
        if !is_tok(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_tok(chars[i]) {
            i += 1;
        }
        let raw: String = chars[start..i].iter().collect();
        let tok = raw.trim_end_matches(['.', ':', '-']).trim_start_matches(['.', ':', '-']);
        // A line to write on, in Markdown escaped or not.
        if tok.chars().all(|c| c == '_' || c == '\\') {
            continue;
        }
        let context = || {
            let a = start.saturating_sub(30);
            let b = (i + 30).min(chars.len());
            format!("`{tok}` in \"{}\"", chars[a..b].iter().collect::<String>().replace('\n', " "))
        };
        let before: String = chars[start.saturating_sub(60)..start].iter().collect();
        let bracketed = start > 0 && chars[start - 1] == '(' && chars.get(start + tok.len()) == Some(&')');
        let bad = is_iso_date(tok)
            || (tok.contains('_') && !tok.contains('@'))
            || [".yaml", ".yml", ".toml", ".j2"].iter().any(|x| tok.ends_with(x))
            || is_rule_code(tok)
            || RAW_VALUES.contains(&tok)
            || ids.contains(tok)
            || CENSUS.iter().any(|(code, words)| {
                tok == *code
                    && !(bracketed && !words.is_empty() && before.trim_end_matches('(').trim_end().ends_with(words))
            });
        if bad {
            found.push(context());
        }
    }
    found
}

fn is_iso_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// `ENG-SUP-REVIEW`, `US-IEP-30`, `WAL-ALNCO`.
fn is_rule_code(t: &str) -> bool {
    let mut parts = t.split('-');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    first.len() >= 2
        && first.chars().all(|c| c.is_ascii_uppercase())
        && rest.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        && rest.iter().any(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_uppercase()))
}

#[test]
fn the_token_test_catches_codes() {
    let ids: BTreeSet<String> = ["hfw-100".to_string(), "ava-brown".to_string()].into();
    for bad in [
        "target hfw-100 met",
        "see ENG-SUP-REVIEW",
        "on 2026-10-14.",
        "file 2026-10-07-annual.yaml",
        "rated partly-achieved",
        "84 age-months",
        "primary need SPLD",
        "Cognition and learning (SPLD)",
        "the key_worker field",
        "pupil ava-brown",
    ] {
        assert!(!code_tokens(bad, &ids).is_empty(), "{bad}");
    }
    for good in [
        "Specific learning difficulty (SpLD)",
        "Speech, language and communication needs (SLCN)",
        "SEND Code of Practice 0-25 (2015), 6.44-6.56",
        "high-frequency words, self-correcting; 14 October 2026",
        "s.brown@example.org, 07700 900101",
        "SENCO, EHC plan, YARC, CELF-5 UK, Movement ABC-2",
    ] {
        assert_eq!(code_tokens(good, &ids), Vec::<String>::new(), "{good}");
    }
}

/// Every parent-facing document of a repository: (name, args).
pub fn documents(repo: &Path) -> Vec<(String, Vec<String>)> {
    let mut docs = Vec::new();
    let mut classes = BTreeSet::new();
    let mut pupils: Vec<String> = std::fs::read_dir(repo.join("pupils"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    pupils.sort();
    for p in &pupils {
        let yaml = std::fs::read_to_string(repo.join("pupils").join(p).join("pupil.yaml")).unwrap_or_default();
        let on_register = !yaml.contains("level: monitoring");
        if let Some(c) = yaml.lines().find_map(|l| l.trim().strip_prefix("class:")) {
            if on_register {
                classes.insert(c.split('#').next().unwrap().trim().trim_matches('"').to_string());
            }
        }
        for kind in ["plan", "profile", "review", "checklist", "request", "chronology"] {
            docs.push((format!("{kind} {p}"), vec!["render".into(), kind.into(), p.clone()]));
        }
    }
    for c in classes {
        docs.push((format!("class {c}"), vec!["render".into(), "class".into(), c]));
    }
    docs
}

#[test]
fn every_document_of_every_example_pupil_speaks_plain_words() {
    let repo = oakfield();
    let ids = record_ids(&repo);
    assert!(ids.contains("hfw-100") && ids.contains("ava-brown"), "{ids:?}");
    let mut problems = Vec::new();
    for (name, args) in documents(&repo) {
        for format in ["md", "html"] {
            let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
            a.extend(["--format", format]);
            let run = senco(&repo, &a);
            assert_eq!(run.code, 0, "{name} {format}: {}", run.all());
            let text = match format {
                "html" => html_text(&run.stdout),
                _ => run.stdout.clone(),
            };
            for t in code_tokens(&text, &ids) {
                problems.push(format!("{name} ({format}): {t}"));
            }
        }
    }
    assert!(problems.is_empty(), "{} code-shaped token(s):\n{}", problems.len(), problems.join("\n"));
}

/// The text of a Word document: every `w:t`, paragraphs on their own lines.
pub fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a Word document is a zip package");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).unwrap();
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find('<') {
        let Some(j) = rest[i..].find('>') else { break };
        let tag = &rest[i + 1..i + j];
        rest = &rest[i + j + 1..];
        if tag == "/w:p" || tag == "/w:tc" {
            out.push('\n');
        } else if tag.starts_with("w:t ") || tag == "w:t" {
            let end = rest.find("</w:t>").unwrap_or(rest.len());
            out.push_str(
                &rest[..end]
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'"),
            );
            rest = &rest[end..];
        }
    }
    out
}

/// Word documents carry the same plain words, read back from the document
/// XML: every pupil's plan, profile, review pack, request pack, checklist and
/// chronology, and the class sheets, of both example schools.
#[test]
fn word_documents_speak_plain_words_too() {
    for repo in [oakfield(), std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ashdown")] {
        word_documents_of(&repo);
    }
}

fn word_documents_of(repo: &Path) {
    let repo = repo.to_path_buf();
    let ids = record_ids(&repo);
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for (name, args) in documents(&repo) {
        let out = dir.path().join(format!("{}.docx", name.replace(' ', "-")));
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        a.extend(["-o", out.to_str().unwrap()]);
        let run = senco(&repo, &a);
        assert_eq!(run.code, 0, "{name} docx: {}", run.all());
        let text = docx_text(&std::fs::read(&out).unwrap());
        assert!(text.len() > 150, "{name}: {text}");
        for t in code_tokens(&text, &ids) {
            problems.push(format!("{name} (docx): {t}"));
        }
    }
    assert!(problems.is_empty(), "{} code-shaped token(s):\n{}", problems.len(), problems.join("\n"));
}

/// The second example, a secondary school: its documents (the chronology
/// with exam access arrangements among them) speak plain words too.
#[test]
fn the_secondary_example_speaks_plain_words() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ashdown");
    let ids = record_ids(&repo);
    assert!(ids.contains("dylan-reeves"), "{ids:?}");
    let mut problems = Vec::new();
    for (name, args) in documents(&repo) {
        if !(name.starts_with("chronology") || name.starts_with("review") || name.starts_with("plan")) {
            continue;
        }
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        a.extend(["--format", "html"]);
        let run = senco(&repo, &a);
        assert_eq!(run.code, 0, "{name}: {}", run.all());
        for t in code_tokens(&html_text(&run.stdout), &ids) {
            problems.push(format!("{name}: {t}"));
        }
    }
    assert!(problems.is_empty(), "{} code-shaped token(s):\n{}", problems.len(), problems.join("\n"));
}

/// Issue 14: the paperwork review's school (every census SEN type, long
/// names, every optional review field, delivery logs): every document of
/// every pupil, and every class sheet, in plain words.
#[test]
fn the_paperwork_review_school_speaks_plain_words() {
    let repo = crate::fixture("paperwork");
    let ids = record_ids(&repo);
    let mut problems = Vec::new();
    for (name, args) in documents(&repo) {
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        a.extend(["--format", "html"]);
        let run = senco(&repo, &a);
        assert_eq!(run.code, 0, "{name}: {}", run.all());
        for t in code_tokens(&html_text(&run.stdout), &ids) {
            problems.push(format!("{name}: {t}"));
        }
    }
    assert!(problems.is_empty(), "{} code-shaped token(s):\n{}", problems.len(), problems.join("\n"));
}
