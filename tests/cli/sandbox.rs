//! A school's own templates render in a child process with a memory limit
//! (`src/render/sandbox.rs`): the same bytes as in process, and a runaway
//! template is a clean error, never an abort of senco.

use crate::*;

/// Every document kind, and the two evidence pages, as `senco` arguments.
const DOCS: &[&[&str]] = &[
    &["render", "plan", "ava-brown"],
    &["render", "plan", "theo"],
    &["render", "profile", "ava-brown"],
    &["render", "review", "amara-osei"],
    &["render", "request", "ava-brown"],
    &["render", "chronology", "theo"],
    &["render", "class", "4B"],
    &["render", "checklist"],
    &["render", "checklist", "theo-clarke"],
    &["render", "provision-map"],
];

/// A server stopped when the test ends, passed or failed.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = (self.0.kill(), self.0.wait());
    }
}

/// `senco serve` on `repo`, stopped when the first value is dropped, and a
/// GET over a real socket (status line, headers and body).
fn serve(repo: &std::path::Path) -> (Stopped, impl Fn(&str) -> String + Clone + Send + 'static) {
    use std::io::{BufRead, Read, Write};
    let mut child = Stopped(
        std::process::Command::new(env!("CARGO_BIN_EXE_senco"))
            .args(["-C", repo.to_str().unwrap(), "--today", TODAY, "serve", "--port", "0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    std::io::BufReader::new(child.0.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let addr = first.trim().strip_prefix("senco serve: ").unwrap().trim_end_matches('/').to_string();
    let hostport = addr.trim_start_matches("http://").to_string();
    let get = move |path: &str| {
        let mut s = std::net::TcpStream::connect(&hostport).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    (child, get)
}

fn oakfield_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("oakfield");
    copy_dir(&oakfield(), &repo);
    (tmp, repo)
}

fn outputs(repo: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for args in DOCS {
        for format in ["md", "html"] {
            let mut a = args.to_vec();
            a.extend(["--format", format]);
            let r = senco(repo, &a);
            assert_eq!(r.code, 0, "{args:?} {format}: {}", r.stderr);
            out.push(r.stdout);
        }
    }
    for args in [&["impact", "--format", "html"][..], &["progress", "ava-brown", "--format", "html"][..]] {
        let r = senco(repo, args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        out.push(r.stdout);
    }
    out
}

#[test]
fn the_built_in_templates_as_the_schools_own_render_the_same_bytes() {
    let (_tmp, repo) = oakfield_copy();
    let before = outputs(&repo);
    let dest = repo.join("templates");
    let r = senco(&repo, &["templates", "export", dest.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Every template is now the school's, so every document renders in the worker.
    let after = outputs(&repo);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert!(b == a, "a document differs when rendered in the worker:\n{}", &a[..a.len().min(400)]);
    }
}

fn with_limit(repo: &std::path::Path, mb: u64) {
    with_limits(repo, mb, 60);
}

fn with_limits(repo: &std::path::Path, mb: u64, seconds: u64) {
    let settings = repo.join("senco.toml");
    let mut text = std::fs::read_to_string(&settings).unwrap();
    assert!(!text.contains("[limits]"));
    text.push_str(&format!("\n[limits]\ntemplate_mb = {mb}\ntemplate_seconds = {seconds}\n"));
    std::fs::write(settings, text).unwrap();
}

#[test]
fn a_template_that_doubles_a_text_or_a_list_stops_with_an_error_naming_it() {
    let (_tmp, repo) = oakfield_copy();
    with_limit(&repo, 256);
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    let bombs = [
        // A text doubled in a loop: 40 steps of work, 8 TB of text.
        "{% set ns = namespace(s=\"abcdefgh\") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}\n",
        // The same without a loop.
        &format!("{{% set s = \"abcdefgh\" %}}{}{{{{ s|length }}}}\n", "{% set s = s ~ s %}".repeat(40)),
        // A list doubled.
        "{% set ns = namespace(l=[1, 2, 3, 4]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}\n",
    ];
    for bomb in bombs {
        std::fs::write(repo.join("templates/profile.md.j2"), bomb).unwrap();
        let r = senco(&repo, &["render", "profile", "ava-brown"]);
        assert_eq!(r.code, 2, "{}", r.all());
        assert!(r.stdout.is_empty(), "{}", r.all());
        assert!(
            r.stderr.contains("rendering `profile.md.j2` with the school's templates asked for more than 256 MB")
                && r.stderr.contains("template_mb")
                && r.stderr.contains("hint:"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("memory allocation"), "the worker's own abort message is not shown: {}", r.stderr);
        // The other documents are unharmed.
        let plan = senco(&repo, &["render", "plan", "ava-brown"]);
        assert_eq!(plan.code, 0, "{}", plan.stderr);
    }
}

#[test]
fn render_all_names_the_runaway_template_and_stops_there() {
    let (tmp, repo) = oakfield_copy();
    with_limit(&repo, 256);
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    // Runs away for one pupil only: the worker that died is replaced for the next.
    std::fs::write(
        repo.join("templates/profile.md.j2"),
        "{% if pupil.full_name is startingwith(\"Ava\") %}{% set ns = namespace(s=\"ab\") %}{% for i in range(44) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}{% endif %}{{ pupil.full_name }}\n",
    )
    .unwrap();
    let all = tmp.path().join("all");
    let r = senco(&repo, &["render", "--all", "plan", "--out-dir", all.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pupils = std::fs::read_dir(&all).unwrap().count();
    let out = tmp.path().join("out");
    let r = senco(&repo, &["render", "--all", "profile", "--out-dir", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains(
            "profile for `ava-brown`: rendering `profile.md.j2` with the school's templates asked for more than 256 MB"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("render --all stopped there, so not every profile was written"), "{}", r.stderr);
    // The first runaway stops the rest: never a minute or 256 MB per pupil.
    assert!(std::fs::read_dir(&out).unwrap().count() < pupils, "{}", r.all());
}

#[test]
fn a_page_template_that_runs_away_is_an_error_page_and_the_server_goes_on() {
    let (_tmp, repo) = oakfield_copy();
    with_limit(&repo, 256);
    std::fs::create_dir_all(repo.join("templates/web")).unwrap();
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/web/dashboard.html.j2"),
    )
    .unwrap();
    let bomb =
        "{% set ns = namespace(s=\"abcdefgh\") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}";
    std::fs::write(repo.join("templates/web/dashboard.html.j2"), format!("{bomb}{page}")).unwrap();
    let (child, get) = serve(&repo);
    let dash = get("/");
    // The server goes on: another page (the built-in register) answers.
    let register = get("/register");
    drop(child);
    let status = dash.lines().next().unwrap_or("").to_string();
    assert!(status.contains(" 500 "), "{status}");
    assert!(dash.contains("asked for more than 256 MB"), "{dash}");
    assert!(register.lines().next().unwrap_or("").contains(" 200 "), "{register}");
}

#[test]
fn a_template_nested_thousands_deep_is_an_error_not_a_stack_overflow() {
    let (_tmp, repo) = oakfield_copy();
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    for deep in
        [format!("{{{{ {}true }}}}\n", "not ".repeat(30_000)), format!("{{{{ 1{} }}}}\n", " + 1".repeat(50_000))]
    {
        std::fs::write(repo.join("templates/plan.md.j2"), &deep).unwrap();
        for args in [&["render", "plan", "ava-brown"][..], &["templates", "list"][..]] {
            let r = senco(&repo, args);
            assert_eq!(r.code, 2, "{args:?}: {}", r.all());
            assert!(r.stderr.contains("nests deeper than senco can read"), "{}", r.stderr);
            assert!(!r.stderr.contains("overflowed"), "{}", r.stderr);
        }
    }
    // A syntax error is still found before anything is rendered, with its line.
    std::fs::write(repo.join("templates/plan.md.j2"), "line one\n{% if %}\n").unwrap();
    let r = senco(&repo, &["templates", "list"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("template `templates/plan.md.j2` line 2: syntax error"), "{}", r.stderr);
}

#[test]
fn a_template_that_takes_too_long_is_stopped_after_the_schools_limit() {
    let (_tmp, repo) = oakfield_copy();
    with_limits(&repo, 2048, 1);
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    // Each comparison of two long texts is one step of work, however long they are.
    std::fs::write(
        repo.join("templates/plan.md.j2"),
        "{% set s = \"x\" * 50000000 %}{% set t = \"x\" * 50000000 %}{% for i in range(1000) %}{% for j in range(1000) %}{% if s == t %}{% endif %}{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let r = senco(&repo, &["render", "plan", "ava-brown"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("took more than 1 seconds (`[limits] template_seconds`"), "{}", r.stderr);
}

#[test]
fn a_word_document_of_a_runaway_page_runs_out_in_the_worker_not_in_senco() {
    let (_tmp, repo) = oakfield_copy();
    with_limit(&repo, 256);
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    // 8 MB of HTML, far under the 64 MB a worker may send back; Word needs
    // hundreds of times that for so many paragraphs.
    std::fs::write(
        repo.join("templates/plan.html.j2"),
        "<html><body>{% for i in range(1000) %}{% for j in range(1000) %}<p>x</p>{% endfor %}{% endfor %}</body></html>\n",
    )
    .unwrap();
    let out = repo.join("plan.docx");
    let r = senco(&repo, &["render", "plan", "ava-brown", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("making the Word document of the school's template asked for more than 256 MB"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

#[test]
fn a_slow_school_document_never_holds_the_other_pages() {
    let (_tmp, repo) = oakfield_copy();
    with_limits(&repo, 2048, 5);
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    std::fs::write(
        repo.join("templates/plan.html.j2"),
        "{% set s = \"x\" * 50000000 %}{% set t = \"x\" * 50000000 %}{% for i in range(1000) %}{% for j in range(1000) %}{% if s == t %}{% endif %}{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    // The school's own page layout too (a copy of the built-in one), so
    // every page needs a worker of its own.
    std::fs::create_dir_all(repo.join("templates/web")).unwrap();
    let layout = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/web/layout.html.j2");
    std::fs::copy(layout, repo.join("templates/web/layout.html.j2")).unwrap();
    let (child, get) = serve(&repo);
    let (done, finished) = std::sync::mpsc::channel();
    // Four tabs open on the slow document, as many as the server has threads.
    let docs: Vec<_> = ["ava-brown", "theo-clarke", "amara-osei", "leo-nowak"]
        .into_iter()
        .map(|id| {
            let (slow, done) = (get.clone(), done.clone());
            std::thread::spawn(move || {
                let page = slow(&format!("/pupil/{id}/doc/plan"));
                done.send(()).unwrap();
                page
            })
        })
        .collect();
    // The documents are being rendered (each runs until its 5-second limit)...
    std::thread::sleep(std::time::Duration::from_millis(500));
    // ...and the other pages answer all the same.
    for path in ["/", "/register", "/pupil/theo-clarke"] {
        let page = get(path);
        assert!(page.lines().next().unwrap_or("").contains(" 200 "), "{path}: {page}");
    }
    assert!(finished.try_recv().is_err(), "the slow documents were not still being rendered");
    // Two render at once, each to its limit; the others ran after them, or
    // gave up waiting for a turn after the same limit.
    for doc in docs {
        let page = doc.join().unwrap();
        assert!(
            page.contains("took more than 5 seconds")
                || page.contains("every template renderer was busy for 5 seconds"),
            "{page}"
        );
    }
    drop(child);
}

#[test]
fn templates_list_shows_and_checks_the_schools_page_templates() {
    let (_tmp, repo) = oakfield_copy();
    std::fs::create_dir_all(repo.join("templates/web")).unwrap();
    std::fs::write(repo.join("templates/web/dashboard.html.j2"), "{% extends \"layout.html.j2\" %}\n").unwrap();
    std::fs::write(repo.join("templates/web/ours.html.j2"), "ours\n").unwrap();
    let r = senco(&repo, &["templates", "list"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("the pages of `senco serve` (templates/web/):\n"), "{}", r.stdout);
    assert!(r.stdout.contains("dashboard.html.j2   overridden by templates/web/dashboard.html.j2\n"), "{}", r.stdout);
    assert!(r.stdout.contains("ours.html.j2        school's own, templates/web/ours.html.j2\n"), "{}", r.stdout);
    assert!(r.stdout.contains("register.html.j2    built in\n"), "{}", r.stdout);
    // One that does not parse, or nests too deep, is named.
    std::fs::write(repo.join("templates/web/dashboard.html.j2"), "{{ foo( }}\n").unwrap();
    let r = senco(&repo, &["templates", "list"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("`templates/web/dashboard.html.j2`, line 1"), "{}", r.stderr);
    std::fs::write(repo.join("templates/web/dashboard.html.j2"), format!("{{{{ {}true }}}}\n", "not ".repeat(30_000)))
        .unwrap();
    let r = senco(&repo, &["templates", "list"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("nests deeper than senco can read") && r.stderr.contains("templates/web/"),
        "{}",
        r.stderr
    );
}
