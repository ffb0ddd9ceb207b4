//! `senco render` and `senco templates`: every document kind in both formats,
//! snapshotted from the example school and from `render-small` (a Welsh
//! fixture with hand-worked costs and values that must be escaped).

use crate::*;
use std::path::Path;

fn ok(repo: &Path, args: &[&str]) -> String {
    let run = senco(repo, args);
    assert_eq!(run.code, 0, "senco {args:?} failed:\n{}", run.all());
    run.stdout
}

fn small() -> std::path::PathBuf {
    fixture("render-small")
}

const OAKFIELD_DOCS: &[(&str, &[&str])] = &[
    ("plan-ava", &["render", "plan", "ava-brown"]),
    ("plan-theo-ehcp", &["render", "plan", "theo"]),
    ("profile-ava", &["render", "profile", "ava-brown"]),
    ("review-ava", &["render", "review", "ava-brown"]),
    ("review-amara-annual", &["render", "review", "amara-osei"]),
    ("request-ava", &["render", "request", "ava-brown"]),
    ("class-4b", &["render", "class", "4B"]),
    ("checklist", &["render", "checklist"]),
    ("checklist-theo", &["render", "checklist", "theo-clarke"]),
    ("provision-map", &["render", "provision-map"]),
    ("provision-map-autumn-year4", &["render", "provision-map", "--term", "autumn", "--year", "4"]),
];

const SMALL_DOCS: &[(&str, &[&str])] = &[
    ("plan", &["render", "plan", "cai"]),
    ("profile", &["render", "profile", "cai-evans"]),
    ("review", &["render", "review", "cai-evans"]),
    ("request", &["render", "request", "cai-evans"]),
    ("class", &["render", "class", "4|e"]),
    ("checklist", &["render", "checklist"]),
    ("provision-map", &["render", "provision-map"]),
];

#[test]
fn oakfield_documents_in_markdown_and_html() {
    for (name, args) in OAKFIELD_DOCS {
        insta::assert_snapshot!(format!("oakfield-{name}-md"), ok(&oakfield(), args));
        let mut html = args.to_vec();
        html.extend(["--format", "html"]);
        insta::assert_snapshot!(format!("oakfield-{name}-html"), ok(&oakfield(), &html));
    }
}

#[test]
fn small_fixture_documents_in_markdown_and_html() {
    for (name, args) in SMALL_DOCS {
        insta::assert_snapshot!(format!("small-{name}-md"), ok(&small(), args));
        let mut html = args.to_vec();
        html.extend(["--format", "html"]);
        insta::assert_snapshot!(format!("small-{name}-html"), ok(&small(), &html));
    }
}

#[test]
fn plan_titles_follow_level_and_jurisdiction() {
    assert!(ok(&oakfield(), &["render", "plan", "ava-brown"]).starts_with("# SEN support plan: Ava Brown\n"));
    assert!(ok(&oakfield(), &["render", "plan", "theo-clarke"])
        .starts_with("# EHC plan outcomes summary: Theodore Clarke, known as Theo\n"));
    assert!(
        ok(&small(), &["render", "plan", "cai-evans"]).starts_with("# Individual development plan (IDP): Cai Evans\n")
    );
}

#[test]
fn html_escapes_every_record_value() {
    for kind in [&["render", "plan", "cai-evans"][..], &["render", "profile", "cai-evans"], &["render", "class", "4|E"]]
    {
        let mut args = kind.to_vec();
        args.extend(["--format", "html"]);
        let html = ok(&small(), &args);
        assert!(!html.contains("<script"), "raw script tag in {kind:?}");
        assert!(!html.contains("<b>bold"), "raw markup from a record in {kind:?}");
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2f;script&gt;") || kind[1] == "class");
        assert!(html.contains("&lt;b&gt;bold&lt;&#x2f;b&gt;") || kind[1] == "class");
        assert!(html.contains("Ysgol &lt;Fictional&gt; &amp; Co"));
        // Self-contained and accessible.
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
        assert!(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"));
        assert!(html.contains("@page {\n  size: A4;") || html.contains("@page {\n  size: A4 landscape;"));
        assert!(html.contains("@bottom-center { content: \"Confidential\""));
        assert!(html.contains("counter(page) \" of \" counter(pages)"));
        assert!(html.contains("thead { display: table-header-group; }"));
    }
    let plan = ok(&small(), &["render", "plan", "cai-evans", "--format", "html"]);
    assert!(plan.contains("<th scope=\"row\">"));
    assert!(plan.contains("<svg role=\"img\""), "charts are inline SVG");
    assert!(plan.contains("<title>word reading (standard score): scores over time</title>"));
}

#[test]
fn markdown_escapes_tables_and_raw_html() {
    let md = ok(&small(), &["render", "profile", "cai-evans"]);
    assert!(md.contains(r#"I like \<script\>alert("x")\</script\> and \*stars\* \| pipes."#), "{md}");
    let map = ok(&small(), &["render", "provision-map"]);
    assert!(map.contains("| Cai Evans | Year 4 | 4\\|E | IDP (school) |"), "{map}");
    for line in map.lines().filter(|l| l.starts_with('|')) {
        assert_eq!(line.matches('|').count() - line.matches("\\|").count(), line_columns(&map, line) + 1, "{line}");
    }
}

/// The number of columns of the table a row belongs to (from its header row).
fn line_columns(doc: &str, row: &str) -> usize {
    let lines: Vec<&str> = doc.lines().collect();
    let i = lines.iter().position(|l| *l == row).unwrap();
    let start = (0..=i).rev().take_while(|j| lines[*j].starts_with('|')).last().unwrap();
    lines[start].matches('|').count() - 1
}

#[test]
fn provision_map_cost_matches_the_formula_to_the_penny() {
    // 3×40/60×18.00/2 = 18.00; 3×25/60×17.30/3 = 7.2083…; 1×10/60×16.50/4 = 0.6875.
    let weekly: f64 = 3.0 * 40.0 / 60.0 * 18.00 / 2.0 + 3.0 * 25.0 / 60.0 * 17.30 / 3.0 + 10.0 / 60.0 * 16.50 / 4.0;
    assert_eq!(format!("{weekly:.2}"), "25.90");
    let map = ok(&small(), &["render", "provision-map"]);
    assert!(map.contains("| Cai Evans | Year 4 | 4\\|E | IDP (school) | 3 | 25.90 | 784.28 | yes |"), "{map}");
    assert!(
        // Staff time counts the group session whole: 3 × 40 = 120 min, though only Cai is recorded.
        map.contains("| Word work | Cognition and learning | Mr G. Rees | Cai Evans | 3 × 40 min | 120 | 2 | 18.00 |")
    );
    assert!(map.contains(
        "| Reading group | Cognition and learning | Not recorded | Cai Evans | 3 × 25 min | 75 | 1.25 | 7.21 |"
    ));
    assert!(map.contains(
        "| Reading buddy | Cognition and learning | Not recorded | Cai Evans | 1 × 10 min | 10 | 0.17 | 0.69 |"
    ));
    // Oakfield, Ava: 5×10/60×15.20 + 4×20/60×15.20/4 = 12.666… + 5.066… = 17.73.
    let oak = ok(&oakfield(), &["render", "provision-map"]);
    assert!(oak.contains("| Ava Brown | Year 4 | 4B | SEN support | 2 | 17.73 |"), "{oak}");
}

#[test]
fn school_override_template_wins() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    copy_dir(&small(), &repo);
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    std::fs::write(
        repo.join("templates/profile.md.j2"),
        "OUR PROFILE for {{ pupil.name }}\n{% include \"extra.md.j2\" %}",
    )
    .unwrap();
    std::fs::write(repo.join("templates/extra.md.j2"), "from {{ school.name }}\n").unwrap();
    assert_eq!(
        ok(&repo, &["render", "profile", "cai"]),
        "OUR PROFILE for Cai Evans\nfrom Ysgol \\<Fictional\\> & Co\n"
    );
    // The other format and other kinds still use the built-ins.
    assert!(ok(&repo, &["render", "profile", "cai", "--format", "html"]).contains("<h1>All about me: Cai Evans</h1>"));
    let list = ok(&repo, &["templates", "list"]);
    assert!(list.contains("profile.md.j2          overridden by templates/profile.md.j2\n"), "{list}");
    assert!(list.contains("extra.md.j2            school's own, templates/extra.md.j2\n"), "{list}");
    assert!(list.contains("plan.md.j2             built in\n"), "{list}");
}

#[test]
fn broken_template_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("school");
    copy_dir(&small(), &repo);
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    // A syntax error on line 3.
    std::fs::write(repo.join("templates/plan.md.j2"), "# {{ title }}\n\n{% if pupil.name %}\nno endif\n").unwrap();
    let run = senco(&repo, &["render", "plan", "cai"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!("broken-template-syntax", run.all());
    // An undefined (misspelt) variable on line 2 is an error too.
    std::fs::write(repo.join("templates/plan.md.j2"), "# {{ title }}\n{{ pupil.nmae }}\n").unwrap();
    let run = senco(&repo, &["render", "plan", "cai"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("template `templates/plan.md.j2` line 2: undefined value"), "{}", run.stderr);
}

#[test]
fn all_writes_one_file_per_pupil_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plans");
    let out_s = out.to_str().unwrap();
    let run = senco(&oakfield(), &["render", "plan", "--all", "--out-dir", out_s, "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let files = tree(&out);
    // The 13 pupils of Oakfield on the SEN register (4 are monitoring only).
    assert_eq!(files.len(), 13, "{:?}", files.keys());
    assert!(files.contains_key("ava-brown-plan.html"));
    assert!(!files.contains_key("grace-liu-plan.html"), "monitoring pupils have no plan");
    let ava = String::from_utf8(files["ava-brown-plan.html"].clone()).unwrap();
    assert_eq!(ava, ok(&oakfield(), &["render", "plan", "ava-brown", "--format", "html"]));

    let again = senco(&oakfield(), &["render", "plan", "--all", "--out-dir", out_s, "--format", "html"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("13 output file(s) already exist"), "{}", again.stderr);
    assert!(again.stderr.contains("--force"));
    assert_eq!(tree(&out), files, "nothing changed");
    let forced = senco(&oakfield(), &["render", "plan", "--all", "--out-dir", out_s, "--format", "html", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.all());

    let profiles = senco(&oakfield(), &["render", "profile", "--all", "--out-dir", out_s]);
    assert_eq!(profiles.code, 0, "{}", profiles.all());
    assert_eq!(tree(&out).keys().filter(|k| k.ends_with("-profile.md")).count(), 13);
}

#[test]
fn single_document_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ava.md");
    let f = file.to_str().unwrap();
    assert_eq!(senco(&oakfield(), &["render", "profile", "ava", "-o", f]).code, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), ok(&oakfield(), &["render", "profile", "ava"]));
    let again = senco(&oakfield(), &["render", "profile", "ava", "-o", f]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists; not overwriting it"), "{}", again.stderr);
    let out_dir = dir.path().join("maps");
    let run = senco(&oakfield(), &["render", "provision-map", "--out-dir", out_dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(out_dir.join("provision-map.md").is_file());
}

#[test]
fn usage_errors_say_how_to_fix_them() {
    let cases: &[(&str, &[&str])] = &[
        ("no-pupil", &["render", "plan"]),
        ("unknown-pupil", &["render", "plan", "ava-brwn"]),
        ("unknown-class", &["render", "class", "4C"]),
        ("unknown-term", &["render", "provision-map", "--term", "winter"]),
        ("term-not-for-plan", &["render", "plan", "ava", "--term", "autumn"]),
        ("all-without-out-dir", &["render", "plan", "--all"]),
        ("all-for-provision-map", &["render", "provision-map", "--all", "--out-dir", "x"]),
    ];
    for (name, args) in cases {
        let run = senco(&oakfield(), args);
        assert_eq!(run.code, 2, "{name}");
        insta::assert_snapshot!(format!("usage-{name}"), run.all());
    }
}

#[test]
fn templates_export_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t");
    let o = out.to_str().unwrap();
    let run = senco(&oakfield(), &["templates", "export", o]);
    assert_eq!(run.code, 0, "{}", run.all());
    let files = tree(&out);
    assert_eq!(files.len(), 21);
    assert!(files.contains_key("plan.html.j2") && files.contains_key("layout.html.j2"));
    let again = senco(&oakfield(), &["templates", "export", o]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("21 template file(s) already exist"), "{}", again.stderr);
    assert_eq!(tree(&out), files);
}

/// Issue 12.1: after `new-review --date D` (D after today) the review pack is
/// the pack for that meeting, with the open actions of the last review held,
/// and `show` tells the last held review from the prepared one.
#[test]
fn a_prepared_review_is_the_next_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("oak");
    copy_dir(&oakfield(), &repo);
    let made = senco(&repo, &["new-review", "ava", "--date", "2027-01-05"]);
    assert_eq!(made.code, 0, "{}", made.all());
    let pack = ok(&repo, &["render", "review", "ava"]);
    assert!(pack.contains("Meeting date: 5 January 2027"), "{pack}");
    assert!(pack.contains("## Since the last review (14 October 2026)"), "{pack}");
    assert!(pack.contains("Repeat the YARC to check autumn progress before the next review"), "{pack}");
    assert!(!pack.contains("No actions were recorded at the last review"));
    // The attendees the meeting was prepared with, and its targets.
    assert!(pack.contains("| Mrs K. Jones | Teaching assistant |"), "{pack}");
    assert!(pack.contains("### 1. Ava will read all of the first 100 high-frequency words on sight."));
    let html = ok(&repo, &["render", "review", "ava", "--format", "html"]);
    assert!(html.contains("<tr><th scope=\"row\">Meeting date</th><td>5 January 2027</td></tr>"));
    let show = ok(&repo, &["show", "ava"]);
    assert!(show.contains("2026-10-14 (termly)"), "{show}");
    assert!(show.lines().any(|l| l.contains("Next review") && l.contains("2027-01-05 (prepared)")), "{show}");
    let json = ok(&repo, &["show", "ava", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["last_review"]["date"], "2026-10-14");
    assert_eq!(v["prepared_review"]["date"], "2027-01-05");
}

/// The annual review pack carries every statutory section, filled from the
/// review file where the records hold the fact, an empty box where not.
#[test]
fn the_annual_review_pack_has_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("oak");
    copy_dir(&oakfield(), &repo);
    let empty = ok(&repo, &["render", "review", "amara"]);
    for heading in [
        "# Annual review: Amara Osei",
        "## Who was invited, and who responded",
        "## Advice and information received",
        "## Since the last review",
        "## Amara's views",
        "## The parent's or carer's views",
        "## Progress towards the outcomes (section E)",
        "## Provision specified (section F) and provision delivered",
        "## Changes since the plan was written",
        "- Special educational needs (section B): ____",
        "- Health (sections C and G): ____",
        "- Social care (sections D and H): ____",
        "## Recommendation to the local authority",
        "- [ ] Amend the plan",
        "## Signed",
    ] {
        assert!(empty.contains(heading), "missing `{heading}`:\n{empty}");
    }
    assert!(empty.contains("| Not recorded |"), "provision delivered is not recorded until delivery records exist");
    let made = senco(&repo, &["new-review", "amara", "--date", "2026-12-09", "--kind", "annual"]);
    assert_eq!(made.code, 0, "{}", made.all());
    let file = repo.join("pupils/amara-osei/reviews/2026-12-09.yaml");
    let mut text = std::fs::read_to_string(&file).unwrap().replace(
        "{ name: Northshire County Council, role: local-authority }",
        "{ name: Ms L. Grant, role: local-authority, responded: true }",
    );
    text.push_str(
        "advice:\n  - { from: Northshire Speech and Language Therapy, received: 2026-11-20, summary: Good progress with narrative. }\n\
         changes:\n  needs: Narrative skills now secure.\n  health: No change.\n\
         recommendation: amend\nproposed_amendments: Add a narrative target to section E.\n\
         pupil_aspirations: To be a vet.\n",
    );
    std::fs::write(&file, text).unwrap();
    let pack = ok(&repo, &["render", "review", "amara"]);
    assert!(pack.contains("Meeting date: 9 December 2026"), "{pack}");
    assert!(pack.contains("| Ms L. Grant | Local authority | Yes |"), "{pack}");
    assert!(
        pack.contains("| Northshire Speech and Language Therapy | 20 November 2026 | Good progress with narrative. |")
    );
    assert!(pack.contains("- Special educational needs (section B): Narrative skills now secure."));
    assert!(pack.contains("- Social care (sections D and H): ____"), "absent facts stay boxes");
    assert!(pack.contains("- [x] Amend the plan"));
    assert!(pack.contains("Proposed amendments: Add a narrative target to section E."));
    assert!(pack.contains("Hopes and aspirations: To be a vet."));
}

fn zip_part(bytes: &[u8], part: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut s = String::new();
    zip.by_name(part).expect(part).read_to_string(&mut s).unwrap();
    s
}

/// `--format docx` (or `-o FILE.docx`) for every document kind: Word heading
/// styles, real tables, A4, and the printed page's footer. Where LibreOffice
/// is installed the documents must also convert to PDF (opened without repair).
#[test]
fn word_documents_for_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[&str], &str)] = &[
        ("plan", &["render", "plan", "ava"], "Ava Brown"),
        ("profile", &["render", "profile", "ava"], "Ava Brown"),
        ("review", &["render", "review", "amara"], "Amara Osei"),
        ("checklist", &["render", "checklist", "theo"], "Theo Clarke"),
        ("class", &["render", "class", "4B"], "Class 4B"),
        ("provision-map", &["render", "provision-map"], "Oakfield Primary School"),
    ];
    let mut files = Vec::new();
    for (name, args, footer) in cases {
        let out = dir.path().join(format!("{name}.docx"));
        let mut a = args.to_vec();
        a.extend(["-o", out.to_str().unwrap()]);
        let run = senco(&oakfield(), &a);
        assert_eq!(run.code, 0, "{name}: {}", run.all());
        let bytes = std::fs::read(&out).unwrap();
        let doc = zip_part(&bytes, "word/document.xml");
        assert!(doc.contains("<w:pStyle w:val=\"Heading1\" />"), "{name}: no Word heading");
        assert!(doc.contains("<w:tbl>") || *name == "profile", "{name}: no table");
        assert!(doc.contains("w:w=\"11906\"") || doc.contains("w:w=\"16838\""), "{name}: not A4");
        let foot = zip_part(&bytes, "word/footer1.xml");
        assert!(foot.contains(footer) && foot.contains("Confidential") && foot.contains("NUMPAGES"), "{name}: {foot}");
        files.push(out);
    }
    // The same document by --format and by the file's extension.
    let by_flag = senco(&oakfield(), &["render", "plan", "ava", "--format", "docx"]);
    assert_eq!(by_flag.code, 0);
    let clash = senco(&oakfield(), &["render", "plan", "ava", "--format", "html", "-o", "x.docx"]);
    assert_eq!(clash.code, 2, "{}", clash.all());

    let office = ["libreoffice", "soffice"]
        .into_iter()
        .find(|b| std::process::Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()));
    let Some(office) = office else {
        eprintln!("LibreOffice is not installed: skipping the conversion check");
        return;
    };
    let pdfs = dir.path().join("pdf");
    let profile = dir.path().join("lo-profile");
    let mut cmd = std::process::Command::new(office);
    cmd.args(["--headless", "--norestore"])
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&pdfs)
        .args(&files);
    let out = cmd.output().expect("run LibreOffice");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in &files {
        let pdf = pdfs.join(f.with_extension("pdf").file_name().unwrap());
        let bytes = std::fs::read(&pdf).unwrap_or_default();
        assert!(bytes.starts_with(b"%PDF") && bytes.len() > 2000, "{} did not convert", f.display());
    }
}

/// The request pack's cost per academic year, worked by hand. Word work ran
/// 3 × 40 minutes a week with Mr G. Rees (£18.00 an hour) in a group of 2:
/// £18.00 a week. From 7 September 2026 to today (24 November 2026) is 79
/// days; 79 / 365 of the fixture's 38 school weeks is 8.2247 weeks, so
/// £148.04 in 2026 to 2027.
#[test]
fn request_pack_costs_each_academic_year_by_hand() {
    let md = ok(&small(), &["render", "request", "cai-evans"]);
    assert!(md.contains("| Word work | 8.2 | 120 | £148.04 |"), "{md}");
    // The year still running is costed to today, and says so.
    assert!(md.contains("| 2026 to 2027, so far (to 24 November 2026) | Weeks | Minutes a week | Cost |"), "{md}");
    // Wales: the request is for the local authority to decide on an IDP, not an EHC assessment.
    assert!(md.starts_with("# Request to the local authority to decide on an individual development plan"), "{md}");
    // Ava's precision teaching ran in two academic years: one table each.
    let ava = ok(&oakfield(), &["render", "request", "ava-brown"]);
    assert!(ava.contains("| 2025 to 2026 |") && ava.contains("| 2026 to 2027, so far"), "{ava}");
    for section in [
        "needs and their history",
        "assess, plan, do, review",
        "The cost of provision",
        "Assessments over time",
        "Advice from professionals",
        "Ava's views",
        "The parent's or carer's views",
        "What the school cannot provide from its own resources",
    ] {
        assert!(ava.contains(section), "missing `{section}`:\n{ava}");
    }
}

/// Advice recorded on any review file reaches the request pack, by date.
#[test]
fn request_pack_lists_advice_received() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&small(), dir.path());
    let review = dir.path().join("pupils/cai-evans/reviews/2026-10-05.yaml");
    let mut text = std::fs::read_to_string(&review).unwrap();
    text.push_str(
        "advice:\n  - from: Speech and language therapy\n    received: 2026-09-30\n    summary: Needs visual prompts.\n",
    );
    std::fs::write(&review, text).unwrap();
    let md = ok(dir.path(), &["render", "request", "cai-evans"]);
    assert!(md.contains("| Speech and language therapy | 30 September 2026 | Needs visual prompts. |"), "{md}");
}

/// The rules that keep printed pages together, in the layout every HTML
/// document extends: headings stay with what follows, table headers repeat
/// and rows are not split, the footer counts pages.
#[test]
fn printed_pages_hold_together_in_the_layout() {
    let plan = ok(&oakfield(), &["render", "plan", "ava-brown", "--format", "html"]);
    for rule in [
        "size: A4;",
        "break-after: avoid",
        "thead { display: table-header-group; }",
        "tr { break-inside: avoid;",
        "counter(page) \" of \" counter(pages)",
        "@bottom-center { content: \"Confidential\"",
    ] {
        assert!(plan.contains(rule), "the plan's print CSS lacks `{rule}`");
    }
    let map = ok(&oakfield(), &["render", "provision-map", "--format", "html"]);
    assert!(map.contains("size: A4 landscape;"), "the provision map prints in landscape");
}

fn on_path(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

/// Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1).filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's').count()
}

/// Decodes standard base64 (the PDF WebDriver's print returns).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()).map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64("JVBERi0xLjQ="), b"%PDF-1.4");
    assert_eq!(base64("YWJj"), b"abc");
    assert_eq!(base64("YQ=="), b"a");
}

/// Every plan of the example school, printed by Chromium on A4 as
/// docs/templates.md says, fits in 3 pages (the plans of pupils with few
/// records in 2). One browser prints them all, through chromedriver's
/// W3C print (A4, the page's own CSS margins); without chromedriver each
/// plan is printed with the documented one-line command. Under CI (`CI`
/// set) a missing browser fails; elsewhere the test is skipped without one.
#[test]
fn every_example_plan_prints_on_at_most_three_pages() {
    let Some(chromium) = on_path("chromium").or_else(|| on_path("chromium-browser")) else {
        assert!(std::env::var_os("CI").is_none(), "under CI the print test must run: install Debian's `chromium`");
        eprintln!("skipped: no chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut pupils: Vec<String> = std::fs::read_dir(oakfield().join("pupils"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pupils.sort();
    assert!(pupils.len() >= 15, "the example school's pupils: {pupils:?}");
    let mut files = Vec::new();
    for pupil in &pupils {
        let html = dir.path().join(format!("{pupil}-plan.html"));
        ok(&oakfield(), &["render", "plan", pupil, "-o", html.to_str().unwrap()]);
        files.push((pupil.as_str(), html));
    }
    let mut pages = Vec::new();
    if let Some(driver) = on_path("chromedriver") {
        let browser = crate::browser::Browser::start(&driver, &chromium);
        for (pupil, html) in &files {
            browser.go(&format!("file://{}", html.display()));
            // A4 in centimetres; margins 0 so the page's `@page` margins and footer apply.
            let print = serde_json::json!({
                "page": {"width": 21.0, "height": 29.7},
                "margin": {"top": 0, "bottom": 0, "left": 0, "right": 0},
                "shrinkToFit": false,
                "background": true
            });
            let pdf = browser.cmd("POST", "/print", Some(print));
            pages.push((*pupil, pdf_pages(&base64(pdf.as_str().expect("base64 PDF")))));
        }
    } else {
        for (pupil, html) in &files {
            let pdf = html.with_extension("pdf");
            let run = std::process::Command::new(&chromium)
                .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
                .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
                .arg(format!("--print-to-pdf={}", pdf.display()))
                .arg(html)
                .output()
                .unwrap();
            let bytes = std::fs::read(&pdf)
                .unwrap_or_else(|e| panic!("chromium printed no PDF ({e}):\n{}", String::from_utf8_lossy(&run.stderr)));
            pages.push((*pupil, pdf_pages(&bytes)));
        }
    }
    let long: Vec<_> = pages.iter().filter(|(_, n)| !(2..=3).contains(n)).collect();
    assert!(long.is_empty(), "plans that print on other than 2 or 3 pages: {long:?} (all: {pages:?})");
}

/// The provision map's pupil-by-provision grid: provision grouped by wave,
/// minutes a week in the cells, a column per term, impact where measured;
/// in Word, the provision names run bottom to top and the wave headings
/// span their columns.
#[test]
fn provision_map_grid_by_wave_with_terms_and_impact() {
    let md = ok(&oakfield(), &["render", "provision-map"]);
    let header = md.lines().find(|l| l.starts_with("| Pupil |")).expect("the grid's header");
    let cols: Vec<&str> = header.split('|').map(str::trim).collect();
    let wave2 = cols.iter().position(|c| *c == "Phonics catch-up group (wave 2)").expect("wave 2 column");
    let wave3 = cols.iter().position(|c| *c == "Precision Teaching (wave 3)").expect("wave 3 column");
    assert!(wave2 < wave3, "wave 2 before wave 3: {header}");
    for t in ["Autumn term", "Spring term", "Summer term"] {
        assert!(cols.contains(&t), "a column per term: {header}");
    }
    let ava: Vec<&str> = md.lines().find(|l| l.starts_with("| Ava Brown")).unwrap().split('|').map(str::trim).collect();
    assert_eq!((ava[wave2], ava[wave3]), ("80", "50"), "4 × 20 and 5 × 10 minutes a week");
    let freya = md.lines().find(|l| l.starts_with("| Freya Hall")).unwrap();
    assert!(freya.contains("Listening skills group (Teacher of the Deaf programme): 2 to 6"), "{freya}");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.docx");
    ok(&oakfield(), &["render", "provision-map", "-o", out.to_str().unwrap()]);
    let doc = zip_part(&std::fs::read(&out).unwrap(), "word/document.xml");
    assert!(doc.contains("w:textDirection w:val=\"btLr\""), "provision names bottom to top");
    assert!(doc.contains("<w:gridSpan w:val=\"4\" />"), "wave 2's heading spans its 4 columns");
}

/// The request pack carries the provision actually delivered (from
/// `delivery/`) and every request for assessment on record; what the
/// records do not hold says "Not recorded", never an invented figure.
#[test]
fn request_pack_has_provision_delivered_and_requests_on_record() {
    let amara = ok(&oakfield(), &["render", "request", "amara-osei"]);
    let delivered = &amara[amara.find("### Provision delivered").unwrap()..amara.find("### Reviews").unwrap()];
    let therapy = delivered.lines().find(|l| l.starts_with("| Speech and language therapy")).unwrap();
    // 21 September to 24 November: 47 weekdays less the 5 of half term = 42 school days, 8.4 weeks
    // of 1 × 45 minutes = 378 planned; 8 sessions attended × 45 = 360 delivered; 95%.
    assert!(therapy.contains("| 378 | 360 | 95% |") && therapy.contains("Therapist unwell"), "{therapy}");
    let programme = delivered.lines().find(|l| l.starts_with("| Speech and language programme")).unwrap();
    assert!(programme.contains("| Not recorded |"), "a provision the school does not log: {programme}");
    // Logged from November only: the weeks before the log are not counted as missed.
    assert!(delivered.contains("| Phonics catch-up group | 1 November 2026 |"), "{delivered}");

    let isla = ok(&oakfield(), &["render", "request", "isla-mcdonald"]);
    assert!(isla.contains("| 15 September 2026 | 20 October 2026 | Not recorded |"), "the request on record");
    assert!(isla.contains("Not recorded: the school keeps no delivery records for Isla's provision."));
    let html = ok(&oakfield(), &["render", "request", "amara-osei", "--format", "html"]);
    assert!(
        html.contains("<h3>Provision delivered</h3>") && html.contains("<h2>Requests for assessment on record</h2>")
    );
}

/// Issue 14.1: the phase transfer section is for an EHC plan in a transfer
/// year (a transfer recorded within 12 months, or the last year of a phase),
/// never for every pupil because the rule pack answered "not applicable".
#[test]
fn phase_transfer_only_in_an_ehc_plans_transfer_year() {
    let ashdown = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ashdown");
    let moving = "Moving to a new school or setting";
    for (repo, id, shown) in [
        (&ashdown, "maya-okonkwo", false),    // SEN support, Year 11
        (&ashdown, "priya-shah", false),      // EHC plan, Year 10
        (&ashdown, "leah-ford", false),       // watch list
        (&oakfield(), "amara-osei", false),   // EHC plan, Year 3
        (&oakfield(), "oliver-green", false), // SEN support with a transition recorded
        (&oakfield(), "leo-nowak", true),     // EHC plan, Year 6, moving to secondary
    ] {
        for format in ["md", "html"] {
            let pack = ok(repo, &["render", "review", id, "--format", format]);
            assert_eq!(pack.contains(moving), shown, "{id} ({format}):\n{pack}");
        }
    }
}

fn paperwork() -> std::path::PathBuf {
    fixture("paperwork")
}

/// Issue 14.2: the review and request packs figure provision delivered with
/// one function, so for the same place over the same span they agree; weeks
/// before a place's log began are never counted as minutes missed; a place
/// that ended before its log began is "Not recorded", its dates in order.
#[test]
fn review_and_request_packs_agree_on_provision_delivered() {
    let cells = |l: &str| l.split('|').map(|c| c.trim().to_string()).collect::<Vec<_>>();
    let mut compared = 0;
    for id in ["siobhan-oconnor-fitzgerald", "amelia-rose-st-john-smith"] {
        let review = ok(&paperwork(), &["render", "review", id]);
        let request = ok(&paperwork(), &["render", "request", id]);
        let table = &request[request.find("### Provision delivered").unwrap()..request.find("### Reviews").unwrap()];
        for row in review.lines().filter(|l| l.contains("planned minutes received")) {
            let c = cells(row);
            let (name, said) = (&c[1], &c[5]);
            let words: Vec<&str> = said.split(' ').collect();
            let (got, planned) = (words[0], words[2]);
            // Both spans start at the log's first month: the figures must be the same.
            assert!(said.contains("since its sessions were first logged"), "{said}");
            let same = table.lines().map(cells).find(|r| r.len() > 6 && &r[1] == name && r[4] != "Not recorded");
            let same = same.unwrap_or_else(|| panic!("{name} missing from the request pack:\n{table}"));
            assert_eq!((same[4].as_str(), same[5].as_str()), (planned, got), "{id}: {name}\n{row}\n{table}");
            assert!(said.contains(&format!("({})", same[6])), "{said} against {}", same[6]);
            if same[7] != "None" {
                assert!(said.contains(&same[7]), "missed sessions in the same words: {said} against {}", same[7]);
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 4, "the mentoring and travel places of Siobhan, the mentoring and literacy of Amelia");
    let review = ok(&paperwork(), &["render", "review", "siobhan"]);
    // Her literacy place ended in July 2026; its log began in November 2026.
    assert!(review.contains("| 8 September 2025 to 17 July 2026 | Not recorded |"), "{review}");
    let request = ok(&paperwork(), &["render", "request", "amelia"]);
    assert!(
        request.contains("| Learning mentor sessions | 6 October 2025 | 27 March 2026 | Not recorded |"),
        "{request}"
    );
}

/// Issue 14.3: an exit score without its own `scale` is on the entry's scale
/// (docs/format.md), so it is said in words like the entry, never raw.
#[test]
fn an_exit_score_borrows_the_entrys_scale() {
    for kind in ["plan", "review", "request"] {
        for format in ["md", "html"] {
            let doc = ok(&paperwork(), &["render", kind, "siobhan", "--format", format]);
            // entry { score: 124, scale: age-months }, exit { score: 131 }
            assert!(doc.contains("10 years 4 months") && doc.contains("10 years 11 months"), "{kind} {format}:\n{doc}");
            // (The HTML plan's chart of entry and exit keeps its bare figures, on screen only.)
            assert!(!doc.contains("131 (") && !doc.contains("| 131 |"), "{kind} {format}: a raw exit score\n{doc}");
        }
    }
}

/// Issue 14.4: a meeting being prepared (a review file dated after today) is
/// not a review held: no target takes its "rating" from it, and the plan's
/// reviews table leaves it out, naming it as the next meeting instead.
#[test]
fn a_meeting_being_prepared_is_not_a_rating() {
    for format in ["md", "html"] {
        let plan = ok(&paperwork(), &["render", "plan", "siobhan", "--format", format]);
        assert!(!plan.contains("at the review of 15 January 2027"), "{plan}");
        assert!(plan.contains("Next meeting: 15 January 2027 (being prepared)."), "{plan}");
        assert_eq!(plan.matches("15 January 2027").count(), 1, "only as the next meeting:\n{plan}");
        // A partly achieved target is an earlier one, in every format (round 2, C).
        assert!(plan.contains("Partly achieved: "), "{plan}");
        let review = ok(&paperwork(), &["render", "review", "siobhan", "--format", format]);
        assert!(!review.contains("Not rated (15 January 2027)"), "{review}");
        assert!(review.contains("Not yet reviewed"), "{review}");
    }
}

/// Issue 14.5-14.7: documents for parents name every census SEN type in
/// words (DS too), the pupil's checklist says roles, money and census
/// returns in words (no negative zero, no currency code), and the review
/// pack's sign-off gives roles in the invitee table's words.
#[test]
fn parents_read_needs_roles_and_money_in_words() {
    for format in ["md", "html"] {
        let plan = ok(&paperwork(), &["render", "plan", "kai-o-neill", "--format", format]);
        assert!(plan.contains("Down syndrome (DS)"), "{plan}");
        let list = ok(&paperwork(), &["render", "checklist", "kai-o-neill", "--format", format]);
        for raw in [
            "local-authority",
            "social-care",
            "GBP",
            "-0.00",
            "census code E",
            "types DS",
            "6000.00",
            // The census rule's own statement speaks codes: parents read its plain one (round 2, point 6).
            "SEN provision E",
            "rank-1",
            "NSA only",
        ] {
            assert!(!list.contains(raw), "`{raw}` in the pupil's checklist ({format}):\n{list}");
        }
        assert!(list.contains("records no invitee or attendee for: local authority, health, social care"), "{list}");
        assert!(list.contains("costs £0.00 this academic year"), "{list}");
        assert!(list.contains("notional threshold of £6,000.00"), "{list}");
        assert!(list.contains("main need Down syndrome (DS) and second need Multi-sensory impairment (MSI)"), "{list}");
        assert!(list.contains("special educational needs support as on census day"), "{list}");
        let review = ok(&paperwork(), &["render", "review", "siobhan", "--format", format]);
        let signed = &review[review.rfind("Signed").unwrap()..];
        assert!(!signed.contains("parent"), "a raw role in the sign-off: {signed}");
        assert!(signed.contains("Parent"), "{signed}");
    }
    // The school's own checklist keeps the codes, behind their label.
    let school = ok(&paperwork(), &["render", "checklist"]);
    assert!(school.contains("census code E, types DS and MSI"), "{school}");
    assert!(school.contains("The census codes SEN provision E (EHC plan)"), "{school}");
}

/// Issue 14.8-14.9: the Markdown review pack's phase transfer is a list, one
/// fact a line; the class sheet never cuts a pupil's own "what helps" (they
/// come first, the needs' strategies fill up to 6 after them).
#[test]
fn review_bullets_stand_apart_and_the_class_sheet_keeps_what_helps() {
    let review = ok(&paperwork(), &["render", "review", "siobhan"]);
    assert!(
        review.contains(
            "- The move: Secondary school to post-16\n- New school or setting: Northshire College of Further Education\n\
             - Date of the move: 6 September 2027\n- Plan to name the new setting by: 30 March 2027"
        ),
        "{review}"
    );
    for format in ["md", "html"] {
        let sheet = ok(&paperwork(), &["render", "class", "11R", "--format", format]);
        for own in [
            "Instructions broken into steps",
            "A hearing loop in lessons",
            "Sitting near the front on the left",
            "Notes printed in 16pt",
            // Eight of her own, more than the 6 the needs' strategies fill up to (round 2, point 9).
            "Subtitles on every video",
            "A copy of the board notes",
            "Movement breaks every 20 minutes",
            "A fidget tool",
        ] {
            assert!(sheet.contains(own), "`{own}` cut from the class sheet ({format}):\n{sheet}");
        }
    }
}

/// Issue 14.10, 14.12: a class sheet row taller than a page may break across
/// pages (else Chromium leaves the first page blank and splits it anyway);
/// short rows stay whole. The plan's sign-off keeps to the section before.
#[test]
fn a_tall_class_row_breaks_instead_of_leaving_a_blank_page() {
    let html = ok(&paperwork(), &["render", "class", "8K", "--format", "html"]);
    assert!(html.contains("<tr class=\"tall\">") && html.contains("tr.tall { break-inside: auto;"), "{html}");
    let short = ok(&paperwork(), &["render", "class", "11R", "--format", "html"]);
    assert!(!short.contains("class=\"tall\""), "short rows stay whole");
    // Round 2, point 13: the sign-off keeps with the Reviews section only when it is short, and
    // then the section is kept whole (never one stray line of it carried to the last page).
    let plan = ok(&paperwork(), &["render", "plan", "zoe-ann-o-reilly", "--format", "html"]);
    assert!(plan.contains("<section class=\"with-previous\">\n<h2>Agreed by</h2>"), "{plan}");
    assert!(plan.contains("<section class=\"keep\">\n<h2>Reviews</h2>"), "{plan}");
    let long = tempfile::tempdir().unwrap();
    copy_dir(&paperwork(), long.path());
    let reviews = long.path().join("pupils/amelia-rose-st-john-smith/reviews");
    for date in ["2026-01-20", "2026-05-11", "2026-07-06"] {
        std::fs::write(reviews.join(format!("{date}.yaml")), format!("date: {date}\nkind: termly\n")).unwrap();
    }
    let plan_long = ok(long.path(), &["render", "plan", "amelia", "--format", "html"]);
    assert!(plan_long.contains("<section>\n<h2>Agreed by</h2>") && plan_long.contains("<section>\n<h2>Reviews</h2>"));
    let Some(chromium) = on_path("chromium").or_else(|| on_path("chromium-browser")) else {
        assert!(std::env::var_os("CI").is_none(), "under CI the print test must run: install Debian's `chromium`");
        eprintln!("skipped: no chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("class-8k.html");
    std::fs::write(&file, &html).unwrap();
    let pdf = dir.path().join("class-8k.pdf");
    let run = std::process::Command::new(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&file)
        .output()
        .unwrap();
    let bytes = std::fs::read(&pdf)
        .unwrap_or_else(|e| panic!("chromium printed no PDF ({e}):\n{}", String::from_utf8_lossy(&run.stderr)));
    // The row starts on page 1 and runs onto page 2 (kept whole, it printed on 3: a blank first page).
    assert_eq!(pdf_pages(&bytes), 2);
    // Zoë-Ann's plan: the Reviews section and the sign-off on page 2 together, 2 pages in all.
    let file = dir.path().join("plan-zoe.html");
    std::fs::write(&file, &plan).unwrap();
    let pdf = dir.path().join("plan-zoe.pdf");
    std::process::Command::new(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(pdf_pages(&std::fs::read(&pdf).unwrap()), 2);
}

/// Issue 14.12: the Markdown plan's reviews table does not write ".:" after
/// an outcome; the request pack's targets show their latest rating.
#[test]
fn plan_reviews_and_request_targets_read_cleanly() {
    let plan = ok(&paperwork(), &["render", "plan", "siobhan"]);
    assert!(!plan.contains(".:"), "{plan}");
    for format in ["md", "html"] {
        let request = ok(&paperwork(), &["render", "request", "siobhan", "--format", format]);
        assert!(
            request.contains("Partly achieved at the review of 18 May 2026: Uses the reader pen in mocks."),
            "{request}"
        );
    }
}

/// Issue 14, round 2 (A): an entry and an exit on different measures are
/// never one before-and-after: every document names the exit's own measure
/// and says they cannot be compared, by the rule `impact` counts by.
#[test]
fn an_exit_on_another_measure_is_not_a_before_and_after() {
    let note = "another measure: cannot be compared with the start";
    for kind in ["plan", "review", "request"] {
        for format in ["md", "html"] {
            let doc = ok(&paperwork(), &["render", kind, "jean-luc", "--format", format]);
            let at = doc.find("40th percentile").unwrap_or_else(|| panic!("{kind} {format}:\n{doc}"));
            let exit = &doc[at..doc[at..].find('\n').map_or(doc.len(), |n| at + n)];
            assert!(exit.contains("core language") && exit.contains(note), "{kind} {format}: {exit}");
        }
    }
    let json = ok(&paperwork(), &["impact", "--format", "json"]);
    let impact: serde_json::Value = serde_json::from_str(&json).unwrap();
    let place = impact["places"].as_array().unwrap().iter().find(|p| p["intervention"] == "salt-block").unwrap();
    assert_eq!(place["status"], "not-comparable", "{place}");
}

/// Issue 14, round 2 (C): the Markdown, HTML and Word plans agree on which
/// targets are current (open) and which are earlier (achieved, partly or
/// not achieved, discontinued).
#[test]
fn every_plan_format_splits_current_and_earlier_targets_alike() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("plan.docx");
    let run = senco(&paperwork(), &["render", "plan", "amelia", "-o", docx.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    let docs = [
        ("md", ok(&paperwork(), &["render", "plan", "amelia"])),
        ("html", ok(&paperwork(), &["render", "plan", "amelia", "--format", "html"])),
        ("docx", crate::plain::docx_text(&std::fs::read(&docx).unwrap())),
    ];
    // Goals 3, 4, 5, 6 and 10 are closed (targets.yaml); the rest are open.
    let current_goals: Vec<u32> = (1..=12).filter(|n| ![3, 4, 5, 6, 10].contains(n)).collect();
    let mut seen = Vec::new();
    for (format, doc) in &docs {
        let from = doc.find("Targets").unwrap();
        let to = doc.find("Earlier targets").unwrap_or_else(|| panic!("{format}: no earlier targets\n{doc}"));
        let current = &doc[from..to];
        let earlier = &doc[to..to + doc[to..].find("Provision").unwrap()];
        let shown: Vec<u32> = (1..=12).filter(|n| current.contains(&format!("goal number {n},"))).collect();
        assert_eq!(shown, current_goals, "{format}: current targets");
        for n in (1..=12).filter(|n| !current_goals.contains(n)) {
            assert!(earlier.contains(&format!("goal number {n},")), "{format}: goal {n} not under earlier targets");
        }
        seen.push(shown);
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

/// Issue 14, round 2 (B): with a preferred name, the identifying details of
/// every document for the local authority or a parent give the legal name,
/// "known as" the preferred one; running text keeps the preferred name.
#[test]
fn identifying_details_give_the_legal_name_known_as_the_preferred() {
    let full = "Amelia-Rose St John-Smith, known as Millie";
    for kind in ["plan", "review", "request", "profile", "chronology"] {
        for format in ["md", "html"] {
            let doc = ok(&paperwork(), &["render", kind, "amelia", "--format", format]);
            let heading = doc.lines().find(|l| l.starts_with("# ") || l.starts_with("<h1>")).unwrap();
            assert!(heading.contains(full), "{kind} {format}: {heading}");
        }
    }
    let plan = ok(&paperwork(), &["render", "plan", "amelia"]);
    assert!(plan.contains(&format!("| Name | {full} |")) && plan.contains("## About Millie"), "{plan}");
    // Without a preferred name, the legal name alone.
    let plan = ok(&paperwork(), &["render", "plan", "jean-luc"]);
    assert!(plan.contains("| Name | Jean-Luc Dubois-McKenzie |"), "{plan}");
}

/// Issue 14, round 2 (I, E): the request pack's requests on record carry a
/// recorded exception to the time limits and its reason; its money uses the
/// checklist's one formatter, with the currency's sign (never `EUR 104.10`).
#[test]
fn request_pack_shows_exceptions_and_money_like_the_checklist() {
    for format in ["md", "html"] {
        let request = ok(&paperwork(), &["render", "request", "amelia", "--format", format]);
        assert!(
            request.contains(
                "Exception to the time limits: The school was closed for four weeks after a flood, \
                 from 9 November 2026 to 7 December 2026"
            ),
            "{request}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&paperwork(), dir.path());
    let toml = dir.path().join("senco.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    assert!(settings.contains("currency = \"GBP\""), "{settings}");
    let settings = settings.replace("currency = \"GBP\"", "currency = \"EUR\"");
    std::fs::write(&toml, settings).unwrap();
    let request = ok(dir.path(), &["render", "request", "siobhan"]);
    let list = ok(dir.path(), &["render", "checklist", "siobhan"]);
    assert!(!request.contains("EUR") && request.contains("| €"), "{request}");
    assert!(list.contains('€') && !list.contains("EUR"), "{list}");
}
