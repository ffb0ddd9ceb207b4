//! `senco serve` over HTTP, without a socket: the router is called with
//! `tower::ServiceExt::oneshot`, as axum's testing example does. Pages are
//! compared with the matching command's output; every form is tried with
//! success, a located validation error, a stale edit, a missing or wrong
//! CSRF token, a foreign Origin and a wrong Host, and each refusal is shown
//! to change nothing on disk.

use super::{copy_dir, fixture, oakfield, senco, senco_in, tree, Run, TODAY};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use senco::web::{self, Options};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

struct Web {
    app: axum::Router,
    shared: web::Shared,
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
    bytes: Vec<u8>,
}

/// The options of a plain `senco serve --today DAY` over `root`.
fn options(root: PathBuf, day: &str) -> Options {
    Options {
        root,
        fixed_today: Some(chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap()),
        readonly: false,
        anonymise: false,
        token: None,
        extra_hosts: vec![],
        commit: false,
    }
}

fn start(from: &Path, tweak: impl FnOnce(&mut Options)) -> Web {
    start_on(from, TODAY, tweak)
}

/// The application over a copy of `from`, every page computed for `day`.
fn start_on(from: &Path, day: &str, tweak: impl FnOnce(&mut Options)) -> Web {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("school");
    copy_dir(from, &root);
    let mut opts = options(root.clone(), day);
    tweak(&mut opts);
    let shared = Arc::new(web::App::new(opts, None).unwrap());
    Web { app: web::router(shared.clone()), shared, _tmp: tmp, root }
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
}

impl Web {
    fn send(&self, req: Request<Body>) -> Reply {
        block(async {
            let resp = self.app.clone().oneshot(req).await.unwrap();
            let status = resp.status();
            let headers = resp.headers().clone();
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
            Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
        })
    }

    fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).header(header::HOST, "127.0.0.1:8411").body(Body::empty()).unwrap())
    }

    /// The CSRF cookie a browser gets with its first page.
    fn session(&self) -> String {
        let r = self.get("/");
        let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        set.split(';').next().unwrap().trim_start_matches("senco_csrf=").to_string()
    }

    fn post_with(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>, origin: Option<&str>) -> Reply {
        let body: Vec<String> =
            fields.iter().map(|(k, v)| format!("{}={}", web::html::url_part(k), web::html::url_part(v))).collect();
        let mut req = Request::post(path)
            .header(header::HOST, "127.0.0.1:8411")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, format!("senco_csrf={c}"));
        }
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        self.send(req.body(Body::from(body.join("&"))).unwrap())
    }

    /// A POST as the browser sends it from one of our pages.
    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.session();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_with(path, &all, Some(&csrf), Some("http://127.0.0.1:8411"))
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    /// A POST from one of our pages that must succeed (a redirect to the saved page).
    fn saved(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let r = self.post(path, fields);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
        r
    }

    /// A page that must answer 200 with a `main` landmark: its body.
    fn page(&self, path: &str) -> String {
        let r = self.get(path);
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(r.body.contains("<main"), "{path} has no main landmark");
        r.body
    }

    /// A command on the served records, for the date the pages are computed for.
    fn cli(&self, args: &[&str]) -> Run {
        let day = self.shared.opts.fixed_today.unwrap().to_string();
        let mut all = vec!["-C", self.root.to_str().unwrap(), "--today", day.as_str()];
        all.extend_from_slice(args);
        senco_in(Path::new(env!("CARGO_MANIFEST_DIR")), &all)
    }

    /// A command's `--format json` output, parsed.
    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let run = self.cli(&all);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", run.all()))
    }

    /// A download that must be the command's `--format csv` output byte for byte.
    fn same_csv(&self, path: &str, args: &[&str]) {
        let r = self.get(path);
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(r.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/csv"), "{path}");
        let mut all = args.to_vec();
        all.extend(["--format", "csv"]);
        let run = self.cli(&all);
        assert_eq!(r.body, run.stdout, "{path} is not `senco {}`", all.join(" "));
    }
}

/// Text as the page templates escape it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

/// The value of a hidden or text input in a page.
fn input_value(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no field {name}"));
    let rest = &page[at..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

const PAGES: &[&str] = &[
    "/",
    "/register",
    "/register?all_levels=1&sort=year&desc=1",
    "/pupil/ava-brown",
    "/pupil/ava-brown/doc/plan",
    "/pupil/ava-brown/doc/profile",
    "/pupil/ava-brown/doc/review",
    "/pupil/ava-brown/doc/checklist",
    "/pupil/ava-brown/doc/progress",
    "/pupil/ava-brown/doc/request",
    "/pupil/ava-brown/doc/chronology",
    "/pupil/ava-brown/review/new",
    "/pupils/new",
    "/classes",
    "/class/4B",
    "/caseloads",
    "/caseload/ta-jones",
    "/provision-map",
    "/impact",
    "/compliance",
    "/compliance?status=all",
    "/findings",
    "/sessions",
    "/sessions/phonics-catch-up",
    "/delivery",
    "/delivery?term=Autumn&provision=phonics-catch-up",
    "/training",
    "/training?expiring=60",
    "/access",
    "/access?expiring=60",
    "/census",
    "/census?term=autumn",
];

#[test]
fn every_page_answers_with_a_main_landmark_a_strict_policy_and_no_script() {
    let w = start(&oakfield(), |_| {});
    for p in PAGES {
        let r = w.get(p);
        assert_eq!(r.status, StatusCode::OK, "{p}: {}", r.body);
        assert!(r.body.contains("<main"), "{p} has no main landmark");
        assert!(!r.body.contains("<script"), "{p} has a script");
        for attr in ["src=\"http", "href=\"http", "url(http", "src=\"//", "href=\"//"] {
            assert!(!r.body.contains(attr), "{p} loads something external");
        }
        let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"), "{p}: {csp}");
        assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    }
    assert_eq!(w.get("/pupil/nobody").status, StatusCode::NOT_FOUND);
    assert_eq!(w.get("/pupil/ava-brown/doc/nothing").status, StatusCode::NOT_FOUND);
    assert_eq!(w.get("/pupil/ava-brown/review/..%2F..%2Fsenco.toml").status, StatusCode::NOT_FOUND);
    let css = w.get("/style.css");
    assert!(css.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/css"));
}

#[test]
fn the_register_csv_is_the_list_command_byte_for_byte_and_the_page_shows_the_same_cells() {
    let w = start(&oakfield(), |_| {});
    for (query, flags) in [
        ("", vec![]),
        ("?all_levels=1", vec!["--all-levels"]),
        ("?year=5&level=sen-support", vec!["--year", "5", "--level", "sen-support"]),
    ] {
        let csv = w.get(&format!("/register.csv{query}"));
        assert_eq!(csv.status, StatusCode::OK);
        let mut args = vec!["list", "--format", "csv"];
        args.extend(flags);
        let cli = senco(&w.root, &args);
        assert_eq!(cli.code, 0, "{}", cli.stderr);
        assert_eq!(csv.body, cli.stdout, "register.csv{query}");
        // Every name of the CSV is on the page.
        let page = w.get(&format!("/register{query}"));
        for line in cli.stdout.lines().skip(1) {
            let name = line.split(',').nth(1).unwrap();
            assert!(page.body.contains(&format!(">{name}</a>")), "{name} missing from /register{query}");
        }
    }
    let bad = w.get("/register?year=four");
    assert!(bad.body.contains("`four` is not a year group"), "{}", bad.body);
}

#[test]
fn the_dashboard_lists_what_review_due_lists() {
    let w = start(&oakfield(), |_| {});
    let page = w.get("/").body;
    let cli = senco(&w.root, &["review-due", "--format", "csv"]);
    let rows: Vec<&str> = cli.stdout.lines().skip(1).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let pupil = row.split(',').next().unwrap();
        assert!(
            page.contains(&format!("href=\"{}\"", esc(&format!("/pupil/{pupil}")))),
            "{pupil} missing from the dashboard"
        );
    }
    let overdue = rows.iter().filter(|r| r.contains(",overdue,")).count();
    assert!(page.contains(&format!("Overdue ({overdue})")), "{page}");
    let check = senco(&w.root, &["check", "--format", "json"]);
    let errors = check.stdout.matches("\"severity\": \"error\"").count()
        + check.stdout.matches("\"severity\":\"error\"").count();
    assert!(page.contains(&format!("{errors} error")), "dashboard error count differs from check ({errors})");
}

#[test]
fn the_pupil_page_has_what_show_has_and_the_pupils_problems() {
    let w = start(&oakfield(), |_| {});
    let page = w.get("/pupil/ava-brown").body;
    let cli = senco(&w.root, &["show", "ava-brown", "--format", "csv"]);
    for line in cli.stdout.lines().skip(1).filter(|l| !l.is_empty() && !l.ends_with('"')) {
        let value = line.rsplit(',').next().unwrap();
        assert!(page.contains(&esc(value)), "`{value}` of `show` missing from the pupil page");
    }
    // A broken file shows on the pupil's page as a located finding.
    std::fs::write(w.root.join("pupils/ava-brown/needs.yaml"), "- id: [unclosed\n").unwrap();
    w.shared.live.touched(&["pupils/ava-brown/needs.yaml".into()]);
    let page = w.get("/pupil/ava-brown");
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&esc("pupils/ava-brown/needs.yaml, line ")), "{}", page.body);
}

#[test]
fn documents_open_in_the_browser_and_download_as_word_and_markdown() {
    let w = start(&oakfield(), |_| {});
    let page = w.get("/pupil/ava-brown/doc/plan");
    let cli = senco(&w.root, &["render", "plan", "ava-brown", "--format", "html"]);
    // The document itself is the command's, with the bar added.
    let first_heading = cli.stdout.lines().find(|l| l.contains("<h1")).unwrap();
    assert!(page.body.contains(first_heading));
    assert!(page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .contains("style-src 'unsafe-inline'"));
    let md = w.get("/pupil/ava-brown/doc/plan?as=md");
    assert_eq!(md.body, senco(&w.root, &["render", "plan", "ava-brown", "--format", "md"]).stdout);
    assert!(md.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("ava-brown-plan.md"));
    // Word: the real document `render --format docx` writes, for every document that has one.
    let out = tempfile::tempdir().unwrap();
    for (path, args, file) in [
        ("/pupil/ava-brown/doc/plan", vec!["render", "plan", "ava-brown"], "ava-brown-plan.docx"),
        ("/pupil/ava-brown/doc/request", vec!["render", "request", "ava-brown"], "ava-brown-request.docx"),
        ("/pupil/ava-brown/doc/chronology", vec!["render", "chronology", "ava-brown"], "ava-brown-chronology.docx"),
        ("/class/4B", vec!["render", "class", "4B"], "class-4B.docx"),
        ("/provision-map", vec!["render", "provision-map"], "provision-map.docx"),
    ] {
        let page = w.get(path).body;
        assert!(page.contains("?as=docx"), "{path}: {page}");
        let doc = w.get(&format!("{path}?as=docx"));
        assert_eq!(doc.status, StatusCode::OK, "{path}");
        assert_eq!(
            doc.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        let disposition = doc.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap();
        assert!(disposition.contains(file), "{disposition}");
        let target = out.path().join(file);
        let mut args = args.clone();
        args.extend(["-o", target.to_str().unwrap()]);
        let cli = senco(&w.root, &args);
        assert_eq!(cli.code, 0, "{}", cli.stderr);
        assert!(doc.bytes.starts_with(b"PK"), "{path}: a zip");
        assert_eq!(doc.bytes, std::fs::read(&target).unwrap(), "{path}: the command's document");
    }
    // The progress charts are HTML only: no Word link.
    assert!(!w.get("/pupil/ava-brown/doc/progress").body.contains("?as=docx"));
}

#[test]
fn hostile_requests_change_nothing() {
    let w = start(&oakfield(), |_| {});
    let before = tree(&w.root);
    let csrf = w.session();
    let fields = [("csrf", csrf.as_str()), ("date", "2026-11-24"), ("kind", "termly"), ("slug", "")];
    // Wrong Host (DNS rebinding).
    let r = w.send(Request::get("/").header(header::HOST, "rebind.example:8411").body(Body::empty()).unwrap());
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST);
    // Foreign Origin.
    let r = w.post_with("/pupil/ava-brown/review/new", &fields, Some(&csrf), Some("http://evil.example"));
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // No CSRF token, a wrong one, no cookie.
    let ours = Some("http://127.0.0.1:8411");
    let r = w.post_with("/pupil/ava-brown/review/new", &fields[1..], Some(&csrf), ours);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let wrong = [("csrf", "0123456789abcdef0123456789abcdef"), ("date", "2026-11-24"), ("kind", "termly")];
    let r = w.post_with("/pupil/ava-brown/review/new", &wrong, Some(&csrf), ours);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.post_with("/pupil/ava-brown/review/new", &fields, None, ours);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A right token with no Origin and no Referer, or a foreign Referer.
    let r = w.post_with("/pupil/ava-brown/review/new", &fields, Some(&csrf), None);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let body = fields.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let foreign_referer = Request::post("/pupil/ava-brown/review/new")
        .header(header::HOST, "127.0.0.1:8411")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("senco_csrf={csrf}"))
        .header(header::REFERER, "http://127.0.0.1:8411.evil.example/x")
        .body(Body::from(body))
        .unwrap();
    let r = w.send(foreign_referer);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Every refusal carries the same protective headers as a page.
    for h in ["content-security-policy", "x-frame-options", "x-content-type-options", "cache-control"] {
        assert!(r.headers.contains_key(h), "{h}");
    }
    assert!(r.body.contains("<main>"));
    // GET on a form's address writes nothing and goes back to the pupil.
    for path in ["/pupil/ava-brown/log", "/pupil/ava-brown/action-done", "/pupil/ava-brown/target-status"] {
        let r = w.get(path);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/pupil/ava-brown");
    }
    assert_eq!(w.get("/favicon.ico").status, StatusCode::NO_CONTENT);
    // Other methods.
    let r = w.send(Request::delete("/pupil/ava-brown").header(header::HOST, "localhost").body(Body::empty()).unwrap());
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(tree(&w.root), before);
}

#[test]
fn off_loopback_every_request_needs_the_access_token() {
    let w = start(&oakfield(), |o| {
        o.token = Some("00112233445566778899aabbccddeeff".into());
        o.readonly = true;
    });
    assert_eq!(w.get("/").status, StatusCode::UNAUTHORIZED);
    assert_eq!(w.get("/register.csv").status, StatusCode::UNAUTHORIZED);
    assert_eq!(w.get("/login?token=wrong").status, StatusCode::UNAUTHORIZED);
    let login = w.get("/login?token=00112233445566778899aabbccddeeff");
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let cookie = login.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let with = w.send(
        Request::get("/")
            .header(header::HOST, "localhost")
            .header(header::COOKIE, cookie.split(';').next().unwrap())
            .body(Body::empty())
            .unwrap(),
    );
    assert_eq!(with.status, StatusCode::OK);
    assert!(with.body.contains("read-only") && !with.body.contains("/pupils/new"));
    // The server itself refuses a non-loopback bind without printing a token: see `senco serve --bind`.
}

#[test]
fn read_only_refuses_every_write() {
    let w = start(&oakfield(), |o| o.readonly = true);
    let before = tree(&w.root);
    let r = w.post("/pupil/ava-brown/review/new", &[("date", "2026-11-24"), ("kind", "termly")]);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!w.get("/pupil/ava-brown").body.contains("Prepare a review"));
    assert_eq!(tree(&w.root), before);
}

#[test]
fn prepare_a_review_writes_what_new_review_writes() {
    let w = start(&oakfield(), |_| {});
    let r = w.saved("/pupil/ava-brown/review/new", &[("date", "2026-11-24"), ("kind", "termly"), ("slug", "")]);
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/pupil/ava-brown/review/2026-11-24?saved=prepared");
    let written = w.read("pupils/ava-brown/reviews/2026-11-24.yaml");
    // The same file as the command writes in another copy of the school.
    let other = tempfile::tempdir().unwrap();
    copy_dir(&oakfield(), other.path());
    let cli = senco(other.path(), &["new-review", "ava-brown", "--date", "2026-11-24", "--kind", "termly"]);
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    assert_eq!(
        written,
        std::fs::read_to_string(other.path().join("pupils/ava-brown/reviews/2026-11-24.yaml")).unwrap()
    );
    // A second one on the same day is refused next to the short-name field, the form keeping what was typed.
    let again = w.post("/pupil/ava-brown/review/new", &[("date", "2026-11-24"), ("kind", "interim"), ("slug", "")]);
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("id=\"slug-error\""), "{}", again.body);
    assert!(again.body.contains("value=\"interim\" selected"));
    // A bad date: located, typed value kept, nothing written.
    let bad = w.post("/pupil/ava-brown/review/new", &[("date", "2026-02-30"), ("kind", "termly")]);
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"date-error\"") && bad.body.contains("value=\"2026-02-30\""), "{}", bad.body);
    assert!(!w.root.join("pupils/ava-brown/reviews/2026-02-30.yaml").exists());
}

#[test]
fn record_an_outcome_changes_only_the_values_typed_and_refuses_a_stale_form() {
    let w = start(&oakfield(), |_| {});
    w.saved("/pupil/ava-brown/review/new", &[("date", "2026-11-24"), ("kind", "termly")]);
    let rel = "pupils/ava-brown/reviews/2026-11-24.yaml";
    let prepared = w.read(rel);
    let form = w.get("/pupil/ava-brown/review/2026-11-24?saved=prepared");
    assert!(form.body.contains("The review is prepared"));
    let hash = input_value(&form.body, "hash");
    let target = prepared
        .lines()
        .find_map(|l| l.trim().strip_prefix("- target: "))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let (pname, nname) = (format!("progress-{target}"), format!("note-{target}"));
    w.saved(
        "/pupil/ava-brown/review/2026-11-24",
        &[
            ("hash", &hash),
            (&pname, "partly-achieved"),
            (&nname, "<script>alert(1)</script> 62 of 100"),
            ("pupil_voice", "I like the word games."),
            ("action1", "Share the word list with home"),
            ("owner1", "ta-jones"),
            ("due1", "2026-12-04"),
        ],
    );
    let after = w.read(rel);
    // Every line of the prepared file is still there, or is one of the lines the form filled.
    let changed: Vec<&str> = prepared.lines().filter(|l| !after.lines().any(|a| a == *l)).collect();
    assert!(
        changed.iter().all(|l| l.contains("progress:")
            || l.contains("note:")
            || l.contains("pupil_voice:")
            || l.contains("actions:")),
        "{changed:?}"
    );
    assert!(after.contains("progress: partly-achieved"));
    assert!(after.contains("pupil_voice: I like the word games."));
    assert!(after.contains("- { action: Share the word list with home, owner: ta-jones, due: 2026-12-04 }"));
    let comments = |t: &str| {
        t.lines().filter(|l| l.contains('#')).map(|l| l[l.find('#').unwrap()..].to_string()).collect::<Vec<_>>()
    };
    assert_eq!(comments(&prepared), comments(&after), "every comment is kept");
    // It still passes check, and the page escapes the value.
    let check = senco(&w.root, &["check", "--format", "json"]);
    assert!(
        !check.stdout.contains("2026-11-24.yaml\",\n      \"line")
            || check.code == 0
            || !check.stdout.contains("\"error\"")
    );
    let page = w.get("/pupil/ava-brown/review/2026-11-24");
    assert!(page.body.contains("&lt;script&gt;") && !page.body.contains("<script>"));
    // A stale form: the file changed on disk since the form was loaded.
    let form = w.get("/pupil/ava-brown/review/2026-11-24");
    let hash = input_value(&form.body, "hash");
    let edited = after.replace("I like the word games.", "I like the word games a lot.");
    std::fs::write(w.root.join(rel), &edited).unwrap();
    let stale =
        w.post("/pupil/ava-brown/review/2026-11-24", &[("hash", &hash), ("parent_voice", "Typed at the meeting")]);
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("changed on disk") && stale.body.contains("Typed at the meeting"), "{}", stale.body);
    assert_eq!(w.read(rel), edited, "a stale form writes nothing");
    // A located validation error.
    let hash = input_value(&w.get("/pupil/ava-brown/review/2026-11-24").body, "hash");
    let bad =
        w.post("/pupil/ava-brown/review/2026-11-24", &[("hash", &hash), ("due2", "next week"), ("owner2", "senco")]);
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("id=\"due2-error\"")
            && bad.body.contains("id=\"action2-error\"")
            && bad.body.contains("value=\"next week\"")
    );
    assert_eq!(w.read(rel), edited);
}

#[test]
fn add_a_pupil_writes_what_new_pupil_writes_and_escapes_names() {
    let w = start(&oakfield(), |_| {});
    let fields = [
        ("first", "Lena"),
        ("last", "Marsh"),
        ("id", "lena-marsh"),
        ("dob", "2019-05-02"),
        ("year", "2"),
        ("class", "2W"),
        ("level", "sen-support"),
        ("plan_issued", ""),
    ];
    w.saved("/pupils/new", &fields);
    let other = tempfile::tempdir().unwrap();
    copy_dir(&oakfield(), other.path());
    let cli = senco(
        other.path(),
        &[
            "new-pupil",
            "--id",
            "lena-marsh",
            "--first",
            "Lena",
            "--last",
            "Marsh",
            "--dob",
            "2019-05-02",
            "--year",
            "2",
            "--class",
            "2W",
            "--level",
            "sen-support",
        ],
    );
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    assert_eq!(tree(&w.root.join("pupils/lena-marsh")), tree(&other.path().join("pupils/lena-marsh")));
    assert!(w.get("/pupil/lena-marsh").body.contains("Lena Marsh"));
    // The same id again: refused next to the field.
    let again = w.post("/pupils/new", &fields);
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("id=\"id-error\""));
    // A name with markup is stored as typed and shown escaped.
    w.saved(
        "/pupils/new",
        &[
            ("first", "<script>x</script>"),
            ("last", "Doe"),
            ("id", "xss-doe"),
            ("dob", "2019-01-01"),
            ("year", "2"),
            ("level", "sen-support"),
        ],
    );
    let page = w.get("/register").body;
    assert!(
        page.contains("&lt;script&gt;x&lt;&#x2f;script&gt;") || page.contains("&lt;script&gt;x&lt;/script&gt;"),
        "not escaped"
    );
    assert!(!page.contains("<script>"));
    // Every field wrong at once: each error next to its field.
    let bad = w.post(
        "/pupils/new",
        &[("first", ""), ("last", "X"), ("id", "9x"), ("dob", "yesterday"), ("year", "x"), ("level", "ehcp")],
    );
    for f in ["first", "id", "dob", "year", "plan_issued"] {
        assert!(bad.body.contains(&format!("id=\"{f}-error\"")), "{f}: {}", bad.body);
    }
}

#[test]
fn anonymised_pages_show_initials() {
    let w = start(&oakfield(), |o| o.anonymise = true);
    let page = w.get("/register").body;
    assert!(!page.contains("Ava Brown") && page.contains("A. B."), "{page}");
    assert!(!w.get("/").body.contains("Ava Brown"));
}

#[test]
fn a_pupil_with_any_unreadable_file_is_named_on_every_page() {
    // Not only a broken pupil.yaml: a broken targets.yaml leaves the pupil on
    // the lists in part, and every page says so, naming the file.
    let tmp = tempfile::tempdir().unwrap();
    let from = tmp.path().join("oak");
    copy_dir(&oakfield(), &from);
    std::fs::write(from.join("pupils/theo-clarke/targets.yaml"), "- id: [broken\n").unwrap();
    let w = start(&from, |_| {});
    for path in ["/", "/register", "/compliance"] {
        let page = w.get(path);
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("1 pupil could not be read in full"), "{path}: {}", page.body);
        assert!(page.body.contains(&esc("pupils/theo-clarke/targets.yaml")), "{path}");
    }
}

#[test]
fn a_document_of_a_pupil_with_one_unreadable_file_says_so_as_the_command_does() {
    // Ava's needs.yaml is broken: her documents are made, with the note
    // `senco render` puts at the top, in the browser and in each download.
    let w = start(&fixture("bad-yaml-syntax"), |_| {});
    let page = w.page("/pupil/ava-brown/doc/plan");
    assert!(page.contains("Part of this pupil's records could not be read"), "{page}");
    let md = w.get("/pupil/ava-brown/doc/plan?as=md");
    assert!(md.body.starts_with("> **Note:** Part of this pupil's records could not be read"), "{}", md.body);
    assert_eq!(md.body, w.cli(&["render", "plan", "ava-brown", "--format", "md"]).stdout);
    let html = w.cli(&["render", "plan", "ava-brown", "--format", "html"]).stdout;
    let note = html.lines().find(|l| l.contains("senco-unreadable")).unwrap();
    assert!(page.contains(note), "{page}");
}

#[test]
fn changes_on_disk_show_on_the_next_page_load() {
    let w = start(&oakfield(), |_| {});
    assert!(w.get("/findings").status == StatusCode::OK);
    let rel = "pupils/ava-brown/pupil.yaml";
    let text = w.read(rel);
    std::fs::write(w.root.join(rel), text.replace("class: 4B", "class: [4B")).unwrap();
    // The watcher sees it within moments; no restart.
    let mut seen = false;
    for _ in 0..50 {
        let page = w.get("/findings").body;
        if page.contains(&esc("pupils/ava-brown/pupil.yaml")) {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(seen, "the broken file never showed as a finding");
    let dash = w.get("/");
    assert_eq!(dash.status, StatusCode::OK);
    assert!(dash.body.contains("could not be read"), "{}", dash.body);
    // A broken senco.toml: the last good records stay, with the error on every page.
    std::fs::write(w.root.join("senco.toml"), "[school\n").unwrap();
    w.shared.live.touched(&["senco.toml".into()]);
    let page = w.get("/register");
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("senco.toml could not be read"), "{}", page.body);
}

#[test]
fn log_a_note_appends_to_the_pupils_log_and_keeps_every_byte() {
    let w = start(&oakfield(), |_| {});
    let rel = "pupils/ava-brown/log.yaml";
    let before = std::fs::read_to_string(w.root.join(rel)).unwrap_or_default();
    let hash = input_value(&w.page("/pupil/ava-brown"), "log_hash");
    w.saved(
        "/pupil/ava-brown/log",
        &[
            ("log_hash", &hash),
            ("log_date", "2026-11-24"),
            ("log_kind", "parent-contact"),
            ("log_with", "parent"),
            ("log_summary", "Mum called: <b>reading</b> at home is going well."),
            ("log_follow_up", ""),
        ],
    );
    let after = w.read(rel);
    assert!(after.starts_with(&before), "what was there is kept byte for byte");
    let page = w.get("/pupil/ava-brown?saved=log").body;
    assert!(page.contains("Added to the log") && page.contains("&lt;b&gt;reading&lt;&#x2f;b&gt;"), "{page}");
    // The same entry through the command, in another copy, gives the same file.
    let other = tempfile::tempdir().unwrap();
    copy_dir(&oakfield(), other.path());
    let cli = senco(
        other.path(),
        &[
            "log",
            "ava-brown",
            "--date",
            "2026-11-24",
            "--kind",
            "parent-contact",
            "--with",
            "parent",
            "Mum called: <b>reading</b> at home is going well.",
        ],
    );
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    assert_eq!(after, std::fs::read_to_string(other.path().join(rel)).unwrap());
    // Errors next to their fields, what was typed kept, nothing written.
    let bad = w.post(
        "/pupil/ava-brown/log",
        &[("log_date", "2026-11-31"), ("log_kind", "meeting"), ("log_summary", ""), ("log_with", "senco")],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("id=\"log_date-error\"")
            && bad.body.contains("id=\"log_summary-error\"")
            && bad.body.contains("value=\"senco\"")
    );
    assert_eq!(w.read(rel), after);
    // The page's fingerprint of the log is the one before the entry: a form
    // loaded then is stale now, refused with what was typed kept.
    let stale = w.post(
        "/pupil/ava-brown/log",
        &[("log_hash", &hash), ("log_date", "2026-11-24"), ("log_kind", "meeting"), ("log_summary", "Second note")],
    );
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("changed on disk") && stale.body.contains("Second note"), "{}", stale.body);
    assert_eq!(w.read(rel), after);
}

#[test]
fn form_values_that_would_break_a_record_are_refused_next_to_their_field() {
    let w = start(&oakfield(), |_| {});
    let hash = input_value(&w.page("/pupil/ava-brown"), "log_hash");
    let long = "word ".repeat(5000);
    let log = |summary: &str| {
        w.post(
            "/pupil/ava-brown/log",
            &[("log_hash", &hash), ("log_date", "2026-11-24"), ("log_kind", "meeting"), ("log_summary", summary)],
        )
    };
    let r = log(&long);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"log_summary-error\"") && r.body.contains("too long"), "{}", r.body);
    // Bytes that are not UTF-8 arrive as U+FFFD: refused, never stored.
    let r = log("bad \u{fffd} bytes");
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("did not arrive as text"), "{}", r.body);
    // A browser's CR LF in a text box is stored as LF.
    let saved = log("Typed in the browser.\r\nSecond line.");
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let text = w.read("pupils/ava-brown/log.yaml");
    assert!(!text.contains('\r') && !text.contains("\\r") && text.contains("Second line."), "{text}");
    let before = tree(&w.root);
    // A new pupil born after today, or a plan issued after today.
    let csrf = w.session();
    let r = w.post_with(
        "/pupils/new",
        &[
            ("csrf", &csrf),
            ("first", "Nia"),
            ("last", "Hughes"),
            ("id", "nia-hughes"),
            ("dob", "2030-01-01"),
            ("year", "3"),
            ("level", "ehcp"),
            ("plan_issued", "2031-01-01"),
        ],
        Some(&csrf),
        Some("http://127.0.0.1:8411"),
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"dob-error\"") && r.body.contains("id=\"plan_issued-error\""), "{}", r.body);
    assert_eq!(tree(&w.root), before, "nothing written");
    // Within each field's limit but past the school's file limit: refused
    // before writing, so the pupil never becomes unreadable.
    let small = tempfile::tempdir().unwrap();
    copy_dir(&oakfield(), small.path());
    let toml = std::fs::read_to_string(small.path().join("senco.toml")).unwrap();
    std::fs::write(small.path().join("senco.toml"), format!("{toml}\n[limits]\nmax_file_kb = 2\n")).unwrap();
    let w = start(small.path(), |_| {});
    let hash = input_value(&w.page("/pupil/ava-brown"), "log_hash");
    let r = w.post(
        "/pupil/ava-brown/log",
        &[("log_hash", &hash), ("log_date", "2026-11-24"), ("log_kind", "meeting"), ("log_summary", &"x".repeat(3000))],
    );
    assert!(r.status == StatusCode::CONFLICT || r.status == StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("more than senco reads"), "{}", r.body);
    assert!(!w.root.join("pupils/ava-brown/log.yaml").exists() || w.read("pupils/ava-brown/log.yaml").len() < 2048);
}

/// One GET over a real socket: status line and body.
fn raw_get(addr: &str, path: &str, cookie: Option<&str>) -> (String, String) {
    use std::io::{Read, Write};
    let hostport = addr.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(hostport).unwrap();
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {hostport}\r\n{cookie}Connection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.lines().next().unwrap_or("").to_string();
    (status, out)
}

#[test]
fn a_non_loopback_bind_prints_a_login_link_and_refuses_requests_without_its_token() {
    use std::io::BufRead;
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&oakfield(), tmp.path());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(["-C", tmp.path().to_str().unwrap(), "--today", TODAY, "serve", "--bind", "0.0.0.0", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let addr = first.trim().strip_prefix("senco serve: ").unwrap().to_string();
    let login = second.trim().rsplit(' ').next().unwrap().to_string();
    assert!(login.contains("/login?token="), "{second}");
    let (status, _) = raw_get(&addr, "/", None);
    assert!(status.contains(" 401 "), "{status}");
    let path = &login[login.find("/login").unwrap()..];
    let (status, resp) = raw_get(&addr, path, None);
    assert!(status.contains(" 303 "), "{status}");
    let cookie = resp.lines().find_map(|l| l.strip_prefix("set-cookie: senco_access=")).unwrap();
    let cookie = format!("senco_access={}", cookie.split(';').next().unwrap());
    let (status, body) = raw_get(&addr, "/", Some(&cookie));
    assert!(status.contains(" 200 "), "{status}");
    // Off loopback the forms are off unless --allow-writes.
    assert!(body.contains("read-only") && !body.contains("href=\"/pupils/new\""));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn mark_an_action_done_writes_done_in_the_review_and_keeps_every_other_byte() {
    let w = start(&oakfield(), |_| {});
    let rel = "pupils/ava-brown/reviews/2026-10-14.yaml";
    let before = w.read(rel);
    let page = w.get("/pupil/ava-brown").body;
    assert!(page.contains("Repeat the YARC") && page.contains("(overdue)"), "{page}");
    let hash = input_value(&page, "hash");
    let form = |done: &str, hash: &str| {
        vec![
            ("review", "2026-10-14".to_string()),
            ("index", "0".into()),
            ("hash", hash.to_string()),
            ("done", done.into()),
        ]
    };
    let post = |fields: Vec<(&str, String)>| {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        w.post("/pupil/ava-brown/action-done", &f)
    };
    // A located error: a date before the review, and one after today; what was typed is kept.
    let bad = post(form("2026-10-01", &hash));
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"done-2026-10-14-0-error\"") && bad.body.contains("value=\"2026-10-01\""));
    assert_eq!(post(form("2026-12-01", &hash)).status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(post(form("2026-13-01", &hash)).status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.read(rel), before);
    // Missing or wrong CSRF token: refused, nothing written.
    let csrf = w.session();
    let fields = [("review", "2026-10-14"), ("index", "0"), ("hash", hash.as_str()), ("done", "2026-11-20")];
    let ours = Some("http://127.0.0.1:8411");
    assert_eq!(w.post_with("/pupil/ava-brown/action-done", &fields, Some(&csrf), ours).status, StatusCode::FORBIDDEN);
    let mut wrong = vec![("csrf", "0123456789abcdef0123456789abcdef")];
    wrong.extend_from_slice(&fields);
    assert_eq!(w.post_with("/pupil/ava-brown/action-done", &wrong, Some(&csrf), ours).status, StatusCode::FORBIDDEN);
    assert_eq!(w.read(rel), before);
    // Success: `done:` added inside the action's `{ ... }`, nothing else changed.
    let ok = post(form("2026-11-20", &hash));
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = w.read(rel);
    assert_eq!(after, before.replacen("due: 2026-11-13 }", "due: 2026-11-13, done: 2026-11-20 }", 1));
    let page = w.get("/pupil/ava-brown?saved=action").body;
    assert!(page.contains("marked done") && !page.contains("Repeat the YARC"), "{page}");
    // A stale form (the file changed since the page was loaded): refused, the date typed kept.
    let stale = w.post(
        "/pupil/ava-brown/action-done",
        &[("review", "2026-10-14"), ("index", "1"), ("hash", hash.as_str()), ("done", "2026-11-21")],
    );
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("changed on disk") && stale.body.contains("value=\"2026-11-21\""), "{}", stale.body);
    assert_eq!(w.read(rel), after);
    // The command's own reading: the action is no longer overdue.
    let due = senco(&w.root, &["review-due", "--format", "json"]);
    assert!(!due.stdout.contains("Repeat the YARC"), "{}", due.stdout);
}

#[test]
fn mark_a_target_achieved_sets_its_status_and_refuses_a_stale_form() {
    let w = start(&oakfield(), |_| {});
    let rel = "pupils/ava-brown/targets.yaml";
    let before = w.read(rel);
    let page = w.get("/pupil/ava-brown").body;
    let at = page.find("name=\"target\" value=\"hfw-100\"").expect("a form for hfw-100");
    let hash = input_value(&page[at..], "hash");
    // A located error: a status that is not one.
    let bad = w.post("/pupil/ava-brown/target-status", &[("target", "hfw-100"), ("hash", &hash), ("status", "done")]);
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"status-hfw-100-error\""), "{}", bad.body);
    // No CSRF token: refused.
    let r = w.post_with(
        "/pupil/ava-brown/target-status",
        &[("target", "hfw-100"), ("hash", &hash), ("status", "achieved")],
        None,
        Some("http://127.0.0.1:8411"),
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.read(rel), before);
    w.saved("/pupil/ava-brown/target-status", &[("target", "hfw-100"), ("hash", &hash), ("status", "achieved")]);
    let after = w.read(rel);
    let at = before.find("- id: hfw-100").unwrap();
    let want = format!("{}{}", &before[..at], before[at..].replacen("status: open", "status: achieved", 1));
    assert_eq!(after, want);
    // The same hash again: the file changed, so the next save is refused, the choice kept.
    let stale = w.post(
        "/pupil/ava-brown/target-status",
        &[("target", "read-aloud"), ("hash", &hash), ("status", "discontinued")],
    );
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("value=\"discontinued\" selected"), "{}", stale.body);
    assert_eq!(w.read(rel), after);
    assert_eq!(senco(&w.root, &["check"]).code, 0);
}

#[test]
fn log_a_session_appends_to_the_months_file_and_refuses_duplicates_and_stale_forms() {
    let w = start(&oakfield(), |_| {});
    let rel = "delivery/phonics-catch-up/2026-11.yaml";
    let before = w.read(rel);
    let list = w.get("/sessions").body;
    assert!(list.contains(&format!("href=\"{}\"", esc("/sessions/phonics-catch-up"))), "{list}");
    let page = w.get("/sessions/phonics-catch-up").body;
    assert!(page.contains("name=\"att-ava-brown\"") && page.contains("name=\"att-jayden-smith\""), "{page}");
    let hash = input_value(&page, "hash");
    let session = |date: &str, minutes: &str, hash: &str| -> Vec<(String, String)> {
        [
            ("hash", hash),
            ("date", date),
            ("minutes", minutes),
            ("staff", "ta-jones"),
            ("att-amara-osei", "attended"),
            ("att-ava-brown", "attended"),
            ("att-jayden-smith", "absent"),
            ("reason-jayden-smith", "illness, <b>then</b> a dentist"),
            ("cancelled", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let post = |fields: &[(String, String)]| {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        w.post("/sessions/phonics-catch-up", &f)
    };
    // Located errors, what was typed kept, nothing written.
    let bad = post(&session("2026-11-24", "twenty", &hash));
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"minutes-error\"") && bad.body.contains("value=\"twenty\""), "{}", bad.body);
    assert!(bad.body.contains("illness, &lt;b&gt;then"), "the reason typed is kept, escaped");
    let future = post(&session("2026-11-30", "20", &hash));
    assert!(future.status == StatusCode::UNPROCESSABLE_ENTITY && future.body.contains("id=\"date-error\""));
    // CSRF missing: refused.
    let csrf = w.session();
    let r = w.post_with(
        "/sessions/phonics-catch-up",
        &[("hash", hash.as_str()), ("date", "2026-11-24")],
        Some(&csrf),
        Some("http://127.0.0.1:8411"),
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.read(rel), before);
    // Success: one entry appended, every byte before it kept.
    let ok = post(&session("2026-11-24", "20", &hash));
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = w.read(rel);
    assert!(after.starts_with(&before));
    assert_eq!(
        &after[before.len()..],
        "- date: 2026-11-24\n  minutes: 20\n  staff: ta-jones\n  pupils:\n    - { pupil: amara-osei, status: attended }\n    - { pupil: ava-brown, status: attended }\n    - { pupil: jayden-smith, status: absent, reason: \"illness, <b>then</b> a dentist\" }\n"
    );
    // The stale form (the folder changed since it was loaded): refused, typed kept.
    let stale = post(&session("2026-11-20", "20", &hash));
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("value=\"2026-11-20\""));
    // The same session again, from a fresh form: a located error on the date.
    let fresh = input_value(&w.get("/sessions/phonics-catch-up").body, "hash");
    let twice = post(&session("2026-11-24", "20", &fresh));
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("id=\"date-error\"") && twice.body.contains("already logged"), "{}", twice.body);
    assert_eq!(w.read(rel), after);
    // A cancelled session in a month with no file yet: a new file with a header.
    let mut cancelled = session("2026-10-20", "", &fresh);
    cancelled.retain(|(k, _)| !k.starts_with("att-"));
    cancelled.push(("cancelled".into(), "Ms Jones covering a class".into()));
    let r = post(&cancelled);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let october = w.read("delivery/phonics-catch-up/2026-10.yaml");
    assert!(
        october.starts_with("# yaml-language-server: $schema=../../schemas/delivery.schema.json\n# Sessions of ")
            && october.ends_with("- date: 2026-10-20\n  staff: ta-jones\n  cancelled: Ms Jones covering a class\n"),
        "{october}"
    );
    // The commands read what the form wrote.
    let check = senco(&w.root, &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let delivery = senco(&w.root, &["delivery", "--format", "json"]);
    assert_eq!(delivery.code, 0, "{}", delivery.stderr);
}

/// Hostile files dropped in while the server runs (issue 13 point 5): the
/// reload reads through the loader's bounded reader with the school's own
/// `[limits]`, so each is a finding on the pages, never a hang.
#[cfg(unix)]
#[test]
fn hostile_files_dropped_in_while_serving_are_findings_never_a_hang() {
    let w = start(&oakfield(), |_| {});
    // The school's limit, in force before the server starts.
    let toml = w.read("senco.toml");
    std::fs::write(w.root.join("senco.toml"), format!("{toml}\n[limits]\nmax_file_kb = 4\n")).unwrap();
    w.shared.live.touched(&["senco.toml".into()]);
    assert_eq!(w.get("/findings").status, StatusCode::OK);
    // Let the watcher's own news of senco.toml arrive and be taken, so what
    // follows is a reload of one pupil's folder, not of everything.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(w.get("/findings").status, StatusCode::OK);
    let dir = w.root.join("pupils/ava-brown");
    // A FIFO in place of a record (an ordinary open would wait for a writer for ever).
    std::fs::remove_file(dir.join("targets.yaml")).unwrap();
    let made = std::process::Command::new("mkfifo").arg(dir.join("targets.yaml")).status().unwrap();
    assert!(made.success());
    // A file over the school's limit (the default limit would read it).
    std::fs::write(dir.join("needs.yaml"), format!("{}[]\n", "# padding\n".repeat(1000))).unwrap();
    // A link out of the repository.
    std::fs::remove_file(dir.join("assessments.yaml")).ok();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("assessments.yaml")).unwrap();
    w.shared.live.touched(&["pupils/ava-brown/targets.yaml".into()]);
    let (tx, rx) = std::sync::mpsc::channel();
    let app = w.app.clone();
    std::thread::spawn(move || {
        let get = |path: &str| {
            let req = Request::get(path).header(header::HOST, "127.0.0.1:8411").body(Body::empty()).unwrap();
            block(async {
                let resp = app.clone().oneshot(req).await.unwrap();
                let status = resp.status();
                let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
                (status, String::from_utf8_lossy(&bytes).into_owned())
            })
        };
        let _ = tx.send((get("/pupil/ava-brown"), get("/")));
    });
    let ((status, page), (dash, _)) =
        rx.recv_timeout(std::time::Duration::from_secs(20)).expect("the pages answer, never hang");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dash, StatusCode::OK);
    assert!(page.contains("named pipe (FIFO)"), "{page}");
    assert!(page.contains("larger than the limit of 4 KB"), "{page}");
    assert!(page.contains(&esc("/etc/passwd")) && page.contains("outside the repository"), "{page}");
}

fn git(root: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn with_commit_each_write_is_one_commit_of_exactly_its_files() {
    // Not a git repository: refused at start, with what to do.
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("school");
    copy_dir(&oakfield(), &plain);
    let opts = Options { commit: true, ..options(plain, TODAY) };
    let Err(e) = web::App::new(opts, None) else { panic!("--commit outside git must be refused") };
    assert!(e.to_string().contains("git repository"), "{e}");
    assert!(e.hint().unwrap_or_default().contains("git init"));

    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("school");
    copy_dir(&oakfield(), &root);
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "the records"]);
    let opts = Options { commit: true, ..options(root.clone(), TODAY) };
    let shared = Arc::new(web::App::new(opts, None).unwrap());
    let w = Web { app: web::router(shared.clone()), shared, _tmp: tmp, root };
    // Someone's own work in progress: one file changed, one staged.
    std::fs::write(w.root.join("staff.yaml"), format!("{}# edited\n", w.read("staff.yaml"))).unwrap();
    std::fs::write(w.root.join("notes.txt"), "draft\n").unwrap();
    git(&w.root, &["add", "notes.txt"]);
    let page = w.get("/pupil/ava-brown").body;
    let hash = input_value(&page, "hash");
    w.saved(
        "/pupil/ava-brown/action-done",
        &[("review", "2026-10-14"), ("index", "0"), ("hash", &hash), ("done", "2026-11-20")],
    );
    let last = git(&w.root, &["log", "-1", "--name-only", "--format=%s"]);
    assert_eq!(
        last.trim(),
        "Action done for Ava Brown (ava-brown): Repeat the YARC to check autumn progress before the next review\n\n\
         pupils/ava-brown/reviews/2026-10-14.yaml"
    );
    // A new file (a month of sessions) is committed too.
    let form = w.get("/sessions/phonics-catch-up").body;
    let hash = input_value(&form, "hash");
    w.saved(
        "/sessions/phonics-catch-up",
        &[("hash", &hash), ("date", "2026-10-20"), ("staff", "ta-jones"), ("cancelled", "Trip")],
    );
    let last = git(&w.root, &["log", "-1", "--name-only", "--format=%s"]);
    assert!(last.ends_with("\n\ndelivery/phonics-catch-up/2026-10.yaml\n"), "{last}");
    assert!(last.starts_with("Session cancelled: Phonics catch-up group on 2026-10-20"), "{last}");
    // The rest stays as it was: changed, staged, uncommitted.
    let status = git(&w.root, &["status", "--porcelain"]);
    assert_eq!(status, "A  notes.txt\n M staff.yaml\n");
    assert_eq!(git(&w.root, &["rev-list", "--count", "HEAD"]).trim(), "3");
}

// ------------------------------------------------------------------ the duties' pages

/// The day the duties' pages are compared with their commands on.
const DUTY_DAY: &str = "2026-11-30";

fn ashdown() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ashdown")
}

/// The cell text of a JSON string field (empty for null).
fn field(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

/// "2026-11-09" as the pages write it: "9 November 2026".
fn long_date(d: &str) -> String {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap().format("%-d %B %Y").to_string()
}

/// The next table row from `at` on whose link reads `name`: the rows must
/// come in the command's order.
fn next_row<'a>(body: &'a str, at: &mut usize, name: &str) -> &'a str {
    let link = format!(">{}</a>", esc(name));
    let found = *at + body[*at..].find(&link).unwrap_or_else(|| panic!("{name} missing or out of order"));
    let from = body[..found].rfind("<tr>").unwrap();
    let row = &body[from..found + body[found..].find("</tr>").unwrap()];
    *at = from + row.len();
    row
}

/// A number cell as the tables print it.
fn num_cell(n: impl std::fmt::Display) -> String {
    format!("<td class=\"num\">{n}</td>")
}

#[test]
fn the_delivery_page_shows_the_figures_of_the_delivery_command() {
    let w = start_on(&oakfield(), DUTY_DAY, |_| {});
    for (query, args) in [
        ("", vec!["delivery"]),
        ("?term=Autumn", vec!["delivery", "--term", "Autumn"]),
        ("?pupil=ava-brown", vec!["delivery", "--pupil", "ava-brown"]),
        ("?provision=phonics-catch-up", vec!["delivery", "--provision", "phonics-catch-up"]),
    ] {
        let page = w.page(&format!("/delivery{query}"));
        let json = w.json(&args);
        let places = json["places"].as_array().unwrap();
        assert!(!places.is_empty(), "{query}");
        // One row per place, in the command's order, each with its figures.
        let body = &page[page.find("Each pupil&#x27;s provision").unwrap()..];
        let mut at = 0;
        for p in places {
            let row = next_row(body, &mut at, &field(p, "name"));
            let planned = num_cell(p["planned_minutes"].as_f64().unwrap().round());
            assert!(row.contains(&planned), "{query}: {row} lacks {planned}");
            let delivered = if p["recorded"].as_bool().unwrap() {
                num_cell(p["delivered_minutes"].as_f64().unwrap().round())
            } else {
                num_cell("not recorded")
            };
            assert!(row.contains(&delivered), "{query}: {row} lacks {delivered}");
            if let Some(share) = p["share"].as_f64() {
                assert!(row.contains(&num_cell(format!("{}%", (share * 100.0).round()))), "{query}: {row}");
            }
            assert!(row.contains(&format!("href=\"{}\"", esc(&format!("/pupil/{}", field(p, "pupil"))))), "{row}");
        }
        assert_eq!(
            body.matches("<tr><td").count(),
            places.len() + json["by_provision"].as_array().unwrap().len() + json["by_staff"].as_array().unwrap().len(),
            "{query}: rows"
        );
        for t in json["by_provision"].as_array().unwrap().iter().chain(json["by_staff"].as_array().unwrap()) {
            let figures = format!(
                "{}{}",
                num_cell(t["planned_minutes"].as_f64().unwrap().round()),
                num_cell(t["delivered_minutes"].as_f64().unwrap().round())
            );
            assert!(body.contains(&figures), "{query}: totals of {} missing", t["key"]);
        }
        w.same_csv(&format!("/delivery.csv{query}"), &args);
    }
    // Plain words: dates and staff by name, not ids.
    let page = w.page("/delivery");
    assert!(page.contains("2 September 2026 to 30 November 2026") && page.contains(">Mrs K. Jones</a>"), "{page}");
    // A term that is not one: said on the page, as the command says it.
    let bad = w.page("/delivery?term=Winter");
    assert!(bad.contains("no term named `Winter`"), "{bad}");
    assert_eq!(w.get("/delivery.csv?term=Winter").status, StatusCode::BAD_REQUEST);
}

#[test]
fn the_training_page_shows_the_rows_of_the_training_command() {
    for school in [oakfield(), ashdown()] {
        let w = start_on(&school, DUTY_DAY, |_| {});
        for (query, args) in [("", vec!["training"]), ("?expiring=60", vec!["training", "--expiring", "60"])] {
            let page = w.page(&format!("/training{query}"));
            let json = w.json(&args);
            let rows = json["rows"].as_array().unwrap();
            assert_eq!(page.matches("<tr><td").count(), rows.len(), "{query}");
            for r in rows {
                assert!(page.contains(&esc(&field(r, "course"))), "{query}: {}", r["course"]);
                if let Some(e) = r["expires"].as_str() {
                    assert!(page.contains(&long_date(e)), "{query}: {e}");
                }
            }
            let lapsed = rows.iter().filter(|r| r["status"] == "expired").count();
            if lapsed > 0 {
                assert!(page.contains(&format!("{lapsed} course")), "{page}");
                assert!(page.contains("Lapsed 21 days ago"), "{page}");
            }
            w.same_csv(&format!("/training.csv{query}"), &args);
        }
        let bad = w.page("/training?expiring=soon");
        assert!(bad.contains("`soon` is not a number of days"), "{bad}");
    }
}

#[test]
fn the_access_page_shows_the_register_of_the_access_command() {
    // Oakfield, a primary school, has none: the page says so in words.
    let w = start_on(&oakfield(), DUTY_DAY, |_| {});
    assert_eq!(w.json(&["access"])["rows"].as_array().unwrap().len(), 0);
    assert!(w.page("/access").contains("No exam access arrangements are recorded"));
    w.same_csv("/access.csv", &["access"]);
    let w = start_on(&ashdown(), DUTY_DAY, |_| {});
    for (query, args) in [("", vec!["access"]), ("?expiring=60", vec!["access", "--expiring", "60"])] {
        let page = w.page(&format!("/access{query}"));
        let json = w.json(&args);
        let rows = json["rows"].as_array().unwrap();
        assert!(!rows.is_empty());
        assert_eq!(page.matches("<tr><td").count(), rows.len(), "{query}");
        let body = &page[page.find("<tbody>").unwrap()..];
        let mut at = 0;
        for r in rows {
            let row = next_row(body, &mut at, &field(r, "name"));
            assert!(row.contains(&long_date(r["expires"].as_str().unwrap())), "{row}");
            let status = match r["status"].as_str().unwrap() {
                "expired" => "Expired",
                "expires-soon" => "Expires soon",
                "current" => "Current",
                _ => "Not recorded",
            };
            assert!(row.contains(&format!("<td>{status}")), "{row}: {status}");
        }
        let n = |s: &str| rows.iter().filter(|r| r["status"] == s).count();
        assert!(page.contains(&format!("{} expired, {} expiring", n("expired"), n("expires-soon"))), "{page}");
        w.same_csv(&format!("/access.csv{query}"), &args);
    }
}

#[test]
fn the_census_page_shows_the_return_of_the_census_command() {
    let w = start_on(&oakfield(), DUTY_DAY, |_| {});
    for (query, args) in [
        ("", vec!["census"]),
        ("?term=autumn", vec!["census", "--term", "autumn"]),
        ("?date=2026-10-01", vec!["census", "--date", "2026-10-01"]),
    ] {
        let page = w.page(&format!("/census{query}"));
        let json = w.json(&args);
        for c in json["by_provision"].as_array().unwrap() {
            let code = c["code"].as_str().unwrap();
            let words = match code {
                "E" => "EHC plan",
                "K" => "SEN support",
                _ => "No SEN provision",
            };
            let cells = format!("<td>{code}: {words}</td>{}", num_cell(&c["pupils"]));
            assert!(page.contains(&cells), "{query}: {cells}");
        }
        for t in json["by_type"].as_array().unwrap() {
            let cells = format!("{}{}", num_cell(&t["primary"]), num_cell(&t["secondary"]));
            let want = format!("({})</td>{cells}", t["type"].as_str().unwrap()).to_lowercase();
            assert!(page.to_lowercase().contains(&want), "{query}: {t}");
        }
        let pupils = json["pupils"].as_array().unwrap();
        for p in pupils {
            assert!(page.contains(&format!(">{}</a>", esc(&field(p, "name")))), "{query}: {}", p["name"]);
        }
        assert!(page.contains(&long_date(json["date"].as_str().unwrap())), "{query}");
        w.same_csv(&format!("/census.csv{query}"), &args);
    }
    // A pupil who cannot be coded: counted and explained, as the command exits 1.
    let needs = w.read("pupils/ava-brown/needs.yaml");
    std::fs::write(w.root.join("pupils/ava-brown/needs.yaml"), needs.replace("primary: true", "primary: false"))
        .unwrap();
    w.shared.live.touched(&["pupils/ava-brown/needs.yaml".into()]);
    let page = w.page("/census");
    assert_eq!(w.cli(&["census"]).code, 1);
    assert!(page.contains("1 pupil cannot be coded") && page.contains("no need is marked `primary: true`"), "{page}");
    // A school in Wales: the page says what the command says, in words.
    let cli = senco_in(&fixture("query-wales"), &["census"]);
    assert!(cli.stderr.contains("England's school census"), "{}", cli.stderr);
    let wales = start_on(&fixture("query-wales"), DUTY_DAY, |_| {});
    let page = wales.page("/census");
    assert!(page.contains("return made here is England") && page.contains("rules for Wales"), "{page}");
    assert_eq!(wales.get("/census.csv").status, StatusCode::BAD_REQUEST);
    // No `[calendar]`: the delivery page says what the command says, and
    // the other pages of the duties still answer.
    let cli = wales.cli(&["delivery"]);
    assert_eq!(cli.code, 2);
    let page = wales.page("/delivery");
    assert!(page.contains("senco.toml has no [calendar]") && page.contains(&esc("docs/format.md")), "{page}");
    for p in ["/training", "/access", "/pupil/gwen-jones"] {
        wales.page(p);
    }
}

#[test]
fn the_pupil_page_shows_their_delivery_and_access_arrangements() {
    let w = start_on(&oakfield(), DUTY_DAY, |_| {});
    let page = w.page("/pupil/ava-brown");
    let json = w.json(&["delivery", "--pupil", "ava-brown"]);
    assert!(
        page.contains("Provision planned and delivered") && page.contains("href=\"&#x2f;delivery?pupil=ava-brown\"")
    );
    for p in json["places"].as_array().unwrap() {
        assert!(page.contains(&num_cell(p["planned_minutes"].as_f64().unwrap().round())), "{}", p["provision"]);
    }
    assert!(!page.contains("Exam access arrangements</h2>"));
    // A pupil with no provision: neither part.
    let none = w.page("/pupil/grace-liu");
    assert!(!none.contains("Provision planned and delivered</h2>") && !none.contains("Exam access arrangements</h2>"));
    let w = start_on(&ashdown(), DUTY_DAY, |_| {});
    let page = w.page("/pupil/dylan-reeves");
    assert!(page.contains("Exam access arrangements</h2>") && page.contains("href=\"&#x2f;access\""), "{page}");
    for r in w.json(&["access"])["rows"].as_array().unwrap().iter().filter(|r| r["pupil"] == "dylan-reeves") {
        assert!(
            page.contains(&esc(&field(r, "arrangement"))) && page.contains(&long_date(r["expires"].as_str().unwrap()))
        );
    }
}

#[test]
fn the_dashboard_flags_lapsed_training_and_expiring_access_arrangements() {
    let w = start_on(&ashdown(), DUTY_DAY, |_| {});
    let page = w.page("/");
    let training = w.json(&["training", "--expiring", "60"]);
    let lapsed = training["rows"].as_array().unwrap().iter().filter(|r| r["status"] == "expired").count();
    assert_eq!(lapsed, 1);
    assert!(page.contains(&format!("Staff training: {lapsed} lapsed")), "{page}");
    assert!(page.contains("href=\"/training?expiring=60\""));
    let access = w.json(&["access", "--expiring", "60"]);
    let n = |s: &str| access["rows"].as_array().unwrap().iter().filter(|r| r["status"] == s).count();
    assert!(page.contains(&format!(
        "Exam access arrangements: {} expired, {} expiring",
        n("expired"),
        n("expires-soon")
    )));
    assert!(page.contains("href=\"/access?expiring=60\""));
    // Nothing flagged: no line.
    let w = start_on(&oakfield(), DUTY_DAY, |_| {});
    assert_eq!(w.json(&["training", "--expiring", "60"])["rows"].as_array().unwrap().len(), 0);
    assert!(!w.page("/").contains("Staff training:"));
}

const DUTY_PAGES: &[&str] = &["/delivery", "/training", "/access", "/census", "/pupil/ava-brown"];

#[test]
fn a_script_in_a_record_is_escaped_on_the_duties_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let from = tmp.path().join("oak");
    copy_dir(&oakfield(), &from);
    let script = "<script>alert(1)</script>";
    let edit = |rel: &str, from_text: &str, to: &str| {
        let path = from.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from_text), "{rel}: {from_text}");
        std::fs::write(&path, text.replacen(from_text, to, 1)).unwrap();
    };
    edit(
        "pupils/ava-brown/pupil.yaml",
        "first: Ava, last: Brown, preferred: Ava",
        &format!("first: \"{script}\", last: Brown"),
    );
    edit(
        "pupils/ava-brown/pupil.yaml",
        "\ncontacts:",
        &format!("\naccess_arrangements:\n  - arrangement: \"{script}\"\n    assessed: 2026-09-01\n    assessor: \"{script}\"\ncontacts:"),
    );
    edit("staff.yaml", "course: Precision teaching", &format!("course: \"{script}\""));
    let w = start_on(&from, DUTY_DAY, |_| {});
    for p in DUTY_PAGES {
        let page = w.page(p);
        assert!(!page.contains("<script"), "{p} has a script");
        assert!(page.contains("&lt;script&gt;"), "{p} lost the value");
    }
    assert!(w.page("/access").contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
}

#[test]
fn anonymised_duties_pages_show_no_full_name() {
    for school in [oakfield(), ashdown()] {
        let w = start_on(&school, DUTY_DAY, |o| o.anonymise = true);
        let list = w.json(&["list", "--all-levels"]);
        let names: Vec<String> = list["pupils"]
            .as_array()
            .or(list["rows"].as_array())
            .unwrap()
            .iter()
            .map(|r| field(r, "name"))
            .filter(|n| !n.is_empty())
            .collect();
        assert!(names.len() > 3);
        let staff: Vec<String> =
            w.json(&["training"])["rows"].as_array().unwrap().iter().map(|r| field(r, "name")).collect();
        for p in DUTY_PAGES.iter().chain(&["/pupil/dylan-reeves", "/"]) {
            let r = w.get(p);
            if r.status == StatusCode::NOT_FOUND {
                continue;
            }
            for n in &names {
                assert!(!r.body.contains(&esc(n)), "{p} shows {n}");
            }
            // The staff and assessors these pages name, too (the pupil page's
            // own parts are `show`'s, which names staff).
            if !p.starts_with("/pupil") && *p != "/" {
                for n in staff.iter().chain(&["Mr D. Osei".to_string()]) {
                    assert!(!r.body.contains(&esc(n)), "{p} shows {n}");
                }
            }
        }
        assert!(w.page("/training").contains(">R. P.</a>") || w.page("/training").contains(">D. O.</a>"));
        // The dashboard's row for a lapsed course names its staff member by initials too.
        let dashboard = w.page("/");
        for n in &staff {
            assert!(!dashboard.contains(&esc(n)), "the dashboard shows {n}");
        }
    }
}

#[test]
fn every_link_on_the_duties_pages_leads_to_a_page() {
    for school in [oakfield(), ashdown()] {
        let w = start_on(&school, DUTY_DAY, |_| {});
        let mut seen = std::collections::BTreeSet::new();
        for p in DUTY_PAGES.iter().chain(&["/", "/pupil/dylan-reeves"]) {
            if w.get(p).status == StatusCode::NOT_FOUND {
                continue;
            }
            let page = w.page(p);
            for part in page.split("href=\"").skip(1) {
                let href = part[..part.find('"').unwrap()].replace("&#x2f;", "/").replace("&amp;", "&");
                if href.starts_with('/') {
                    seen.insert(href);
                }
            }
        }
        for href in &seen {
            if href.starts_with('#') {
                continue;
            }
            assert_eq!(w.get(href).status, StatusCode::OK, "{href} on the duties' pages of {}", school.display());
        }
    }
}

/// Every page and download reachable by following links from the dashboard
/// (GET only; Word files left out: their text is the HTML document's), as
/// (path, body).
fn crawl(w: &Web) -> Vec<(String, String)> {
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec!["/".to_string()];
    let mut out = Vec::new();
    while let Some(path) = todo.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let r = w.get(&path);
        assert!(r.status == StatusCode::OK || r.status == StatusCode::NOT_FOUND, "{path}: {}", r.status);
        let body = r.body.replace("&#x2f;", "/").replace("&amp;", "&");
        for part in body.split("href=\"").skip(1) {
            let link = part.split('"').next().unwrap_or_default();
            let link = link.split('#').next().unwrap_or_default();
            if link.starts_with('/') && !link.contains("as=docx") && !link.starts_with("/style.css") {
                todo.push(link.to_string());
            }
        }
        out.push((path, r.body));
    }
    out
}

#[test]
fn anonymised_no_page_or_download_names_a_pupil_or_their_family() {
    for school in [oakfield(), ashdown()] {
        let w = start(&school, |o| o.anonymise = true);
        // Every word of the pupils', their contacts' and the families' names
        // at reviews (not the staff's, which stay; a surname the family shares
        // with a member of staff is left out here).
        let repo = senco::repo::load(&w.root).unwrap();
        let staff: Vec<String> = repo.staff.iter().filter_map(|s| s.name.as_ref().map(|n| n.value.clone())).collect();
        let mut words = std::collections::BTreeSet::new();
        let mut add = |s: &str| {
            for word in s.split(|c: char| !c.is_alphabetic()) {
                let staff_word = staff.iter().any(|n| n.split(|c: char| !c.is_alphabetic()).any(|x| x == word));
                if word.chars().count() > 2 && !["Mrs", "Miss"].contains(&word) && !staff_word {
                    words.insert(word.to_string());
                }
            }
        };
        for p in repo.pupils.iter().chain(&repo.archived) {
            let pupil = p.pupil.as_ref().unwrap();
            let n = pupil.name.as_ref().unwrap();
            for part in [&n.first, &n.last, &n.preferred].into_iter().flatten() {
                add(&part.value);
            }
            for c in pupil.contacts.iter().flatten() {
                if let Some(x) = c.name.as_ref() {
                    add(&x.value);
                }
            }
            for r in &p.reviews {
                for a in r.review.attendees.iter().chain(&r.review.invited).flatten() {
                    let role = a.role.as_ref().map(|x| x.value.as_str()).unwrap_or_default();
                    if ["parent", "carer", "pupil"].contains(&role) {
                        if let Some(x) = a.name.as_ref() {
                            add(&x.value);
                        }
                    }
                }
            }
        }
        assert!(words.contains("Brown") || words.contains("Okonkwo"), "{words:?}");
        let pages = crawl(&w);
        assert!(pages.len() > 40, "{}", pages.len());
        // Nor an id (they are names) as text: in a link's address only.
        let ids: Vec<&str> = repo.pupils.iter().map(|p| p.dir.as_str()).collect();
        for (path, body) in &pages {
            let text = visible_text(body);
            for id in &ids {
                assert!(!text.contains(id), "{path} shows the id {id}");
            }
        }
        for (path, body) in &pages {
            for word in &words {
                let hit = body.match_indices(word.as_str()).find(|(i, _)| {
                    let before = body[..*i].chars().next_back().is_none_or(|c| !c.is_alphabetic());
                    let after = body[i + word.len()..].chars().next().is_none_or(|c| !c.is_alphabetic());
                    before && after
                });
                if let Some((i, _)) = hit {
                    let from = body.floor_char_boundary(i.saturating_sub(80));
                    panic!("{path} shows {word}: …{}…", &body[from..body.ceil_char_boundary(i + 40)]);
                }
            }
        }
    }
}

#[test]
fn anonymised_the_outcome_form_shows_initials_and_saving_it_keeps_the_names_on_disk() {
    let w = start(&oakfield(), |o| o.anonymise = true);
    let rel = "pupils/theo-clarke/reviews/2026-07-08.yaml";
    let before = w.read(rel);
    let path = "/pupil/theo-clarke/review/2026-07-08";
    let page = w.page(path);
    assert!(!page.contains("Theo is much happier") && page.contains("T. is much happier"), "{page}");
    // Shown as initials, so not editable here: typing over it would lose the names.
    assert!(page.contains("name=\"parent_voice\" rows=\"3\" readonly"), "{page}");
    // The browser sends back what it showed: nothing changes on disk, the
    // hash still matches, and a new action is the only write.
    let fields: Vec<(String, String)> =
        ["hash", "parent_voice", "pupil_voice", "note-independent-moving", "next_review"]
            .iter()
            .map(|n| (n.to_string(), html_unescape(&input_value_or_text(&page, n))))
            .collect();
    let mut send: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    send.push(("action1", "Try a visual timetable"));
    w.saved(path, &send);
    let after = w.read(rel);
    assert!(after.contains("parent_voice: Theo is much happier"), "{after}");
    assert!(after.contains("note: Hall and classroom routes independent"), "{after}");
    assert!(after.contains("Try a visual timetable"));
    assert_eq!(before.lines().filter(|l| !after.contains(*l)).count(), 0, "only added lines:\n{after}");
    // A hand-made request that changes a text shown read-only is refused at the field.
    let page = w.page(path);
    let hash = input_value(&page, "hash");
    let r = w.post(path, &[("hash", &hash), ("parent_voice", "Changed by hand")]);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"parent_voice-error\""), "{}", r.body);
    assert_eq!(w.read(rel), after);
}

/// A form field's current value: an input's `value` or a textarea's text.
fn input_value_or_text(page: &str, name: &str) -> String {
    let open = format!("<textarea id=\"{name}\"");
    if let Some(at) = page.find(&open) {
        let rest = &page[at..];
        let start = rest.find('>').unwrap() + 1;
        return rest[start..rest.find("</textarea>").unwrap()].to_string();
    }
    input_value(page, name)
}

fn html_unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The GET routes of the application, as src/web/mod.rs declares them.
fn get_routes() -> Vec<String> {
    let src = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/mod.rs")).unwrap();
    let mut out = Vec::new();
    for part in src.split(".route(\"").skip(1) {
        let (path, rest) = part.split_once('"').unwrap();
        if rest.trim_start_matches(',').trim_start().starts_with("get(") {
            out.push(path.to_string());
        }
    }
    assert!(out.len() > 20, "{out:?}");
    out
}

/// Whether an address (without its query) is one of a route's.
fn route_matches(route: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap();
    let (r, p): (Vec<&str>, Vec<&str>) = (route.split('/').collect(), path.split('/').collect());
    r.len() == p.len() && r.iter().zip(&p).all(|(r, p)| r.starts_with('{') && !p.is_empty() || r == p)
}

/// The command whose output an address downloads (`?as=md`, `?as=docx`, a
/// CSV), when the address has no filters: the same bytes are expected.
fn command_of(path: &str) -> Option<Vec<String>> {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let format = match query {
        "as=md" => "md",
        "as=docx" => "docx",
        "" if base.ends_with(".csv") => "csv",
        _ => return None,
    };
    let parts: Vec<&str> = base.trim_start_matches('/').split('/').collect();
    let mut args: Vec<String> = match parts.as_slice() {
        ["pupil", id, "doc", kind] => vec!["render".into(), kind.to_string(), id.to_string()],
        ["class", name] => vec!["render".into(), "class".into(), name.to_string()],
        ["provision-map"] => vec!["render".into(), "provision-map".into()],
        ["register.csv"] => vec!["list".into()],
        [csv] => vec![csv.trim_end_matches(".csv").to_string()],
        _ => return None,
    };
    args.extend(["--format".to_string(), format.to_string()]);
    Some(args)
}

#[test]
fn a_pupil_who_cannot_be_read_is_named_by_every_page_and_download() {
    // Ashdown with leah-ford's pupil.yaml broken: every GET route is tried
    // (the links of every page followed, and the addresses of the broken
    // pupil and of a class only she is in added), and each answer names her
    // or says that 1 pupil could not be read; each download is the
    // command's bytes, which say so where the command does.
    let w = start(&fixture("unreadable-pupil"), |_| {});
    let mut todo: Vec<String> = vec!["/".into(), "/class/7S".into(), "/pupil/leah-ford".into()];
    for kind in ["plan", "profile", "review", "checklist", "chronology", "request", "progress"] {
        for q in ["", "?as=md", "?as=docx"] {
            todo.push(format!("/pupil/leah-ford/doc/{kind}{q}"));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let out = tempfile::tempdir().unwrap();
    while let Some(path) = todo.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let r = w.get(&path);
        if path.starts_with("/style.css") {
            continue;
        }
        if path.starts_with("/pupil/leah-ford/doc/") {
            // Refused, as `senco render plan leah-ford` refuses: the file named, the Problems page linked.
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {}", r.body);
            assert!(r.body.contains("<main") && r.body.contains(&esc("pupils/leah-ford/pupil.yaml")), "{path}");
            assert!(r.body.contains("href=\"/findings\""), "{path}");
            assert!(!r.body.contains("Monitoring record"), "{path}: a document of nobody");
            continue;
        }
        assert!([StatusCode::OK, StatusCode::NOT_FOUND].contains(&r.status), "{path}: {}", r.status);
        match command_of(&path) {
            Some(args) if args.last().unwrap() == "docx" => {
                let target = out.path().join("doc.docx");
                let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
                args.extend(["-o", target.to_str().unwrap(), "--force"]);
                let run = w.cli(&args);
                assert_eq!(run.code, 0, "{}", run.stderr);
                assert_eq!(r.bytes, std::fs::read(&target).unwrap(), "{path} is not `senco {}`", args.join(" "));
                continue;
            }
            Some(args) => {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let run = w.cli(&args);
                assert!(run.stderr.contains("warning: pupil `leah-ford` could not be read") || args[0] == "render");
                assert_eq!(r.body, run.stdout, "{path} is not `senco {}`", args.join(" "));
            }
            None => {}
        }
        let single = path.starts_with("/pupil/") && path.contains("/doc/") && path.contains("?as=");
        if single {
            // A document about another pupil: the command's, which names only that pupil.
            continue;
        }
        if path.contains(".csv") {
            let last = r.body.lines().last().unwrap();
            assert!(last.contains("1 pupil could not be read (leah-ford)"), "{path}: {last}");
        } else if path.contains("?as=md") {
            assert!(r.body.contains("The records of 1 pupil could not be read"), "{path}: {}", r.body);
        } else {
            assert!(r.body.contains("<main"), "{path} has no main landmark");
            assert!(
                r.body.contains("leah-ford") && r.body.contains("1 pupil could not be read"),
                "{path} does not name the pupil who could not be read:\n{}",
                r.body
            );
        }
        let body = r.body.replace("&#x2f;", "/").replace("&amp;", "&");
        for part in body.split("href=\"").skip(1) {
            let link = part.split('"').next().unwrap_or_default().split('#').next().unwrap_or_default();
            if link.starts_with('/') {
                todo.push(link.to_string());
            } else if link.starts_with('?') {
                // The bar's downloads: this document as Markdown or for Word.
                todo.push(format!("{}{link}", path.split('?').next().unwrap()));
            }
        }
    }
    // Every GET route was tried, but those with no page of their own: the
    // login link and a form's address (each only redirects), the favicon.
    let no_page = ["/login", "/pupil/{id}/log", "/pupil/{id}/action-done", "/pupil/{id}/target-status", "/favicon.ico"];
    let missed: Vec<String> = get_routes()
        .into_iter()
        .filter(|route| !no_page.contains(&route.as_str()) && !seen.iter().any(|p| route_matches(route, p)))
        .collect();
    assert!(missed.is_empty(), "routes never tried: {missed:?}\ntried: {seen:#?}");
    for must in ["/register.csv", "/delivery.csv", "/training.csv", "/access.csv", "/census.csv", "/impact"] {
        assert!(seen.contains(must), "{must} never tried");
    }
}

#[test]
fn anonymised_a_pupil_who_cannot_be_read_is_counted_without_their_id() {
    let w = start(&fixture("unreadable-pupil"), |o| o.anonymise = true);
    for path in ["/", "/register", "/compliance"] {
        let page = w.page(path);
        assert!(page.contains("1 pupil could not be read"), "{path}: {page}");
        assert!(!page.contains("leah-ford"), "{path} shows the id");
    }
}

#[test]
fn no_page_document_or_download_shows_a_upn_and_a_text_holding_one_is_kept_on_disk() {
    // A UPN for every pupil, in `upn:` and typed into their free texts.
    let (_d, school, upns) = crate::hostile::school_with_upns();
    let w = start(&school, |_| {});
    let mut pages = crawl(&w);
    assert!(pages.len() > 40, "{}", pages.len());
    // Word documents are zips: their parts, read back.
    for path in ["/pupil/ava-brown/doc/plan?as=docx", "/provision-map?as=docx"] {
        let r = w.get(path);
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.bytes)).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut part, &mut text).unwrap();
            pages.push((format!("{path} {}", part.name()), text));
        }
    }
    assert!(pages.iter().any(|(_, body)| body.contains("(UPN hidden)")));
    for (path, body) in &pages {
        for upn in &upns {
            assert!(!body.contains(upn.as_str()), "{path} shows {upn}");
        }
    }
    // The outcome form shows a text holding a UPN hidden, read-only; sent
    // back as shown, it stays on disk as typed.
    let rel = "pupils/ava-brown/reviews/2026-10-14.yaml";
    let before = w.read(rel);
    assert!(before.contains(&format!("note: Only just started in phonics group., ref {}", upns[1])), "{before}");
    let path = "/pupil/ava-brown/review/2026-10-14";
    let page = w.page(path);
    assert!(
        page.contains(
            "name=\"note-spell-blends\" value=\"Only just started in phonics group., ref (UPN hidden)\" readonly"
        ),
        "{page}"
    );
    let fields: Vec<(String, String)> = ["hash", "parent_voice", "pupil_voice", "note-spell-blends", "next_review"]
        .iter()
        .map(|n| (n.to_string(), html_unescape(&input_value_or_text(&page, n))))
        .collect();
    let mut send: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    send.push(("action1", "Try a visual timetable"));
    w.saved(path, &send);
    let after = w.read(rel);
    assert!(after.contains(&format!("ref {}", upns[1])) && after.contains("Try a visual timetable"), "{after}");
    assert_eq!(before.lines().filter(|l| !after.contains(*l)).count(), 0, "only added lines:\n{after}");
    // Typed over by hand, it is refused at the field.
    let page = w.page(path);
    let r = w.post(path, &[("hash", &input_value(&page, "hash")), ("note-spell-blends", "Changed by hand")]);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"note-spell-blends-error\""), "{}", r.body);
    assert_eq!(w.read(rel), after);
}

/// A page's text as a reader sees it: outside its tags (an address, a
/// field's name or value, may hold an id).
fn visible_text(body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    html_unescape(&text)
}

#[test]
fn anonymised_no_refusal_about_a_pupil_shows_their_id_or_name() {
    // Theo's pupil.yaml is broken (his documents are refused); one of Ava's
    // reviews does not parse and another is a folder (its form is refused);
    // her targets, log and a review's actions changed since the page was
    // loaded (each form is refused). Every answer at an address with their
    // id, refusals and 404s included, shows neither the id nor Ava's name.
    let tmp = tempfile::tempdir().unwrap();
    let from = tmp.path().join("oak");
    copy_dir(&oakfield(), &from);
    let theo = from.join("pupils/theo-clarke/pupil.yaml");
    let broken = std::fs::read_to_string(&theo).unwrap().replace("class: 4B", "class: [4B");
    std::fs::write(&theo, broken).unwrap();
    std::fs::write(from.join("pupils/ava-brown/reviews/2026-01-05.yaml"), "date: [2026-01-05\n").unwrap();
    std::fs::create_dir(from.join("pupils/ava-brown/reviews/2026-02-02.yaml")).unwrap();
    for anonymise in [true, false] {
        let w = start(&from, |o| o.anonymise = anonymise);
        let ids: Vec<String> =
            w.shared.live.snapshot(w.shared.today()).repo.pupils.iter().map(|p| p.dir.clone()).collect();
        assert!(ids.contains(&"theo-clarke".to_string()));
        let mut answers: Vec<(String, Reply)> = Vec::new();
        for id in ["ava-brown", "theo-clarke"] {
            let mut paths = vec![
                format!("/pupil/{id}"),
                format!("/pupil/{id}/doc/nonsense"),
                format!("/pupil/{id}/review/new"),
                format!("/pupil/{id}/review/2026-01-05"),
                format!("/pupil/{id}/review/2026-02-02"),
                format!("/pupil/{id}/review/2099-01-01"),
                format!("/pupil/{id}/review/not-a-date"),
                format!("/pupil/{id}/nothing-here"),
            ];
            for kind in ["plan", "profile", "review", "checklist", "chronology", "request", "progress"] {
                paths.push(format!("/pupil/{id}/doc/{kind}"));
                paths.push(format!("/pupil/{id}/doc/{kind}?as=md"));
                paths.push(format!("/pupil/{id}/doc/{kind}?as=docx"));
            }
            for p in paths {
                let r = w.get(&p);
                answers.push((p, r));
            }
            let posts: [(String, Vec<(&str, &str)>); 9] = [
                (format!("/pupil/{id}/review/new"), vec![("date", "yesterday"), ("kind", "annual")]),
                (format!("/pupil/{id}/review/new"), vec![("date", "2026-10-14"), ("kind", "annual")]),
                (format!("/pupil/{id}/review/2026-10-14"), vec![("hash", "stale"), ("next_review", "2027-01-06")]),
                (format!("/pupil/{id}/review/2026-02-02"), vec![("hash", "stale")]),
                (
                    format!("/pupil/{id}/log"),
                    vec![
                        ("log_hash", "stale"),
                        ("log_date", "2026-11-24"),
                        ("log_kind", "meeting"),
                        ("log_summary", "Met"),
                    ],
                ),
                (format!("/pupil/{id}/log"), vec![("log_date", "soon")]),
                (
                    format!("/pupil/{id}/action-done"),
                    vec![("review", "2026-10-14"), ("index", "0"), ("hash", "stale"), ("done", "2026-11-20")],
                ),
                (
                    format!("/pupil/{id}/action-done"),
                    vec![("review", "2026-10-14"), ("index", "9"), ("done", "2026-11-20")],
                ),
                (
                    format!("/pupil/{id}/target-status"),
                    vec![("target", "hfw-50"), ("status", "achieved"), ("hash", "stale")],
                ),
            ];
            for (p, fields) in posts {
                let r = w.post(&p, &fields);
                answers.push((format!("POST {p} {fields:?}"), r));
            }
            let r =
                w.post_with(&format!("/pupil/{id}/log"), &[("log_summary", "x")], None, Some("http://127.0.0.1:8411"));
            answers.push((format!("POST /pupil/{id}/log without a token"), r));
        }
        // And the pages and downloads that name the pupils who could not be read.
        for p in
            ["/impact", "/impact?as=md", "/register.csv", "/delivery.csv", "/training.csv", "/census.csv", "/class/4B"]
        {
            let r = w.get(p);
            answers.push((p.to_string(), r));
        }
        // The refusals this is about were reached.
        let status = |p: &str| answers.iter().find(|(q, _)| q == p).unwrap().1.status;
        assert_eq!(status("/pupil/theo-clarke/doc/plan"), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status("/pupil/ava-brown/review/2026-01-05"), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status("/pupil/ava-brown/review/2026-02-02"), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status("/pupil/ava-brown/doc/nonsense"), StatusCode::NOT_FOUND);
        let refused: Vec<_> = answers.iter().filter(|(p, _)| p.starts_with("POST")).map(|(_, r)| r.status).collect();
        assert!(refused.contains(&StatusCode::CONFLICT) && refused.contains(&StatusCode::FORBIDDEN), "{refused:?}");
        assert!(refused.iter().all(|s| !s.is_success() && !s.is_redirection()), "{refused:?}");
        let unreadable =
            visible_text(&answers.iter().find(|(p, _)| p == "/pupil/theo-clarke/doc/plan").unwrap().1.body);
        if !anonymise {
            // The SENCO needs the file's name to mend it.
            assert!(unreadable.contains("pupils/theo-clarke/pupil.yaml"), "{unreadable}");
            continue;
        }
        assert!(unreadable.contains("pupil.yaml") && unreadable.contains("(id hidden)"), "{unreadable}");
        let mut leaks = Vec::new();
        for (path, r) in &answers {
            // A download's file name shows in the browser's download bar.
            let file = r.headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("");
            if let Some(id) = ids.iter().find(|id| file.contains(id.as_str())) {
                leaks.push(format!("{path} ({}) names its download after {id}: {file}", r.status));
            }
            let text = visible_text(&r.body);
            for word in ids.iter().map(String::as_str).chain(["Ava", "Brown", "Theodore", "Clarke"]) {
                let hit = text.match_indices(word).find(|(i, _)| {
                    let before = text[..*i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                    let after = text[i + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '-');
                    before && after
                });
                if let Some((i, _)) = hit {
                    let from = text.floor_char_boundary(i.saturating_sub(60));
                    let to = text.ceil_char_boundary((i + word.len() + 40).min(text.len()));
                    leaks.push(format!(
                        "{path} ({}) shows {word}: …{}…",
                        r.status,
                        text[from..to].split_whitespace().collect::<Vec<_>>().join(" ")
                    ));
                }
            }
        }
        assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    }
}

/// A UPN-shaped word in a member of staff's name and in a provision's name
/// (`staff.yaml`, `catalogue.yaml`): the forms that copy them into a new
/// file (a prepared review's key worker, the header of a month's sessions)
/// write them as on disk, never the screen's "(UPN hidden)", and no page
/// shows the UPN. Under `--anonymise`, an intervention's name that names
/// the pupil is written as on disk, not with their initial.
#[test]
fn forms_copy_staff_and_provision_names_as_on_disk_and_no_page_shows_a_upn_in_them() {
    let upn = crate::hostile::fictional_upn(41);
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&oakfield(), tmp.path());
    let edit = |rel: &str, from: &str, to: &str| {
        let path = tmp.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("staff.yaml", "name: Mrs K. Jones", &format!("name: Mrs K. Jones {upn}"));
    edit("catalogue.yaml", "name: Phonics catch-up group", &format!("name: Phonics catch-up group {upn}"));
    edit(
        "pupils/freya-hall/interventions.yaml",
        "name: Pre-tutoring of topic vocabulary",
        "name: Pre-tutoring with Freya",
    );
    let w = start(tmp.path(), |_| {});
    // Ava's key worker is ta-jones: the review names her as `new-review` does.
    w.saved("/pupil/ava-brown/review/new", &[("date", "2026-11-24"), ("kind", "termly"), ("slug", "")]);
    let review = w.read("pupils/ava-brown/reviews/2026-11-24.yaml");
    assert!(review.contains(&format!("Mrs K. Jones {upn}")) && !review.contains("(UPN hidden)"), "{review}");
    let other = tempfile::tempdir().unwrap();
    copy_dir(tmp.path(), other.path());
    let cli = senco(other.path(), &["new-review", "ava-brown", "--date", "2026-11-24", "--kind", "termly"]);
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    assert_eq!(review, std::fs::read_to_string(other.path().join("pupils/ava-brown/reviews/2026-11-24.yaml")).unwrap());
    // October has no file of phonics sessions yet: its header names the group.
    let page = w.page("/sessions/phonics-catch-up");
    let hash = input_value(&page, "hash");
    let session = [
        ("hash", hash.as_str()),
        ("date", "2026-10-05"),
        ("minutes", "20"),
        ("staff", "ta-jones"),
        ("att-ava-brown", "attended"),
        ("cancelled", ""),
    ];
    w.saved("/sessions/phonics-catch-up", &session);
    let month = w.read("delivery/phonics-catch-up/2026-10.yaml");
    assert!(month.contains(&format!("# Sessions of Phonics catch-up group {upn} delivered")), "{month}");
    assert!(!month.contains("(UPN hidden)"), "{month}");
    // No page shows the UPN: each shows it hidden.
    let mut pages = crawl(&w);
    for path in ["/pupil/ava-brown/review/2026-11-24", "/sessions/phonics-catch-up", "/caseload/ta-jones"] {
        pages.push((path.to_string(), w.page(path)));
    }
    assert!(pages.iter().any(|(_, body)| body.contains("Mrs K. Jones (UPN hidden)")));
    assert!(pages.iter().any(|(_, body)| body.contains("Phonics catch-up group (UPN hidden)")));
    for (path, body) in &pages {
        assert!(!body.contains(upn.as_str()), "{path} shows {upn}");
    }
    // Anonymised: the screen says "Pre-tutoring with F.", the file what is on disk.
    let w = start(tmp.path(), |o| o.anonymise = true);
    let page = w.page("/sessions/pre-tutoring");
    assert!(page.contains("Pre-tutoring with F.") && !page.contains("Freya"), "{page}");
    let hash = input_value(&page, "hash");
    let session = [("hash", hash.as_str()), ("date", "2026-11-20"), ("att-freya-hall", "attended"), ("cancelled", "")];
    w.saved("/sessions/pre-tutoring", &session);
    let month = w.read("delivery/pre-tutoring/2026-11.yaml");
    assert!(month.contains("# Sessions of Pre-tutoring with Freya delivered"), "{month}");
}
