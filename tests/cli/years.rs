//! How year groups are shown to a person: what the school calls the year
//! (`R` for Reception, `N2` and `N1` for nursery, `K` and `PK` in the US) in
//! tables, CSV, Markdown and the browser; JSON keeps the number.

use super::{copy_dir, fixture, senco, TODAY};
use axum::body::Body;
use axum::http::{header, Request};
use tower::ServiceExt;

/// The year cell of `pupil`'s row in a CSV whose header names a `year` column.
fn year_in_csv(csv: &str, pupil: &str) -> String {
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = head.iter().position(|c| *c == "year").unwrap_or_else(|| panic!("no year column: {csv}"));
    let row = lines.find(|l| l.split(',').next() == Some(pupil)).unwrap_or_else(|| panic!("no {pupil}: {csv}"));
    row.split(',').nth(col).unwrap().to_string()
}

const PUPILS: [(&str, &str, i64); 4] =
    [("isla-moss", "N1", -2), ("noah-pike", "N2", -1), ("rosie-hart", "R", 0), ("sam-cole", "2", 2)];

#[test]
fn tables_say_r_for_reception_and_n1_n2_for_nursery_and_json_keeps_the_number() {
    let repo = fixture("early-years");
    for cmd in ["list", "review-due"] {
        let csv = senco(&repo, &[cmd, "--format", "csv"]);
        assert_eq!(csv.code, 0, "{}", csv.all());
        for (id, shown, _) in PUPILS {
            assert_eq!(year_in_csv(&csv.stdout, id), shown, "{cmd}: {id}");
        }
        let table = senco(&repo, &[cmd]).stdout;
        assert!(table.lines().any(|l| l.starts_with("rosie-hart") && l.contains("  R  ")), "{cmd}:\n{table}");
        assert!(!table.lines().any(|l| l.contains("  0  ") || l.contains("  -1  ")), "{cmd}:\n{table}");
        let md = senco(&repo, &[cmd, "--format", "markdown"]).stdout;
        assert!(md.lines().any(|l| l.contains("rosie-hart") && l.contains("| R |")), "{cmd}:\n{md}");
        let json: serde_json::Value = serde_json::from_str(&senco(&repo, &[cmd, "--format", "json"]).stdout).unwrap();
        let rows = json.get("pupils").or_else(|| json.get("items")).unwrap().as_array().unwrap();
        for (id, _, number) in PUPILS {
            let row = rows.iter().find(|r| r["pupil"] == id || r["id"] == id).unwrap();
            assert_eq!(row["year_group"], number, "{cmd} JSON: {id}");
        }
    }
    let stats = senco(&repo, &["stats"]).stdout;
    let years: Vec<&str> = stats
        .split("By year group (register)\n")
        .nth(1)
        .unwrap()
        .lines()
        .skip(2)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(years, ["N1", "N2", "R", "2"], "{stats}");
    let json: serde_json::Value = serde_json::from_str(&senco(&repo, &["stats", "--format", "json"]).stdout).unwrap();
    let keys: Vec<&str> =
        json["by_year_group"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["-2", "-1", "0", "2"]);
    let show = senco(&repo, &["show", "rosie-hart"]).stdout;
    assert!(show.lines().any(|l| l.contains("Year group") && l.trim_end().ends_with(" R")), "{show}");
}

#[test]
fn wales_says_r_too_and_the_us_says_k_and_pk() {
    for (jurisdiction, level, expect) in [
        ("wales", "school-idp", [("isla-moss", "N1"), ("noah-pike", "N2"), ("rosie-hart", "R")]),
        ("us-idea", "iep", [("isla-moss", "-2"), ("noah-pike", "PK"), ("rosie-hart", "K")]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&fixture("early-years"), tmp.path());
        let toml = tmp.path().join("senco.toml");
        let text = std::fs::read_to_string(&toml).unwrap().replace("\"england\"", &format!("\"{jurisdiction}\""));
        std::fs::write(&toml, text).unwrap();
        for (id, _) in expect {
            let p = tmp.path().join(format!("pupils/{id}/pupil.yaml"));
            let text = std::fs::read_to_string(&p).unwrap().replace("sen-support", level);
            std::fs::write(&p, text).unwrap();
        }
        let csv = senco(tmp.path(), &["list", "--format", "csv", "--all-levels"]);
        for (id, shown) in expect {
            assert_eq!(year_in_csv(&csv.stdout, id), shown, "{jurisdiction}: {id}\n{}", csv.all());
        }
    }
}

#[test]
fn the_browser_shows_r_on_the_dashboard_and_the_register() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("school");
    copy_dir(&fixture("early-years"), &root);
    let opts = senco::web::Options {
        root,
        fixed_today: Some(chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()),
        readonly: true,
        anonymise: false,
        token: None,
        extra_hosts: vec![],
        commit: false,
    };
    let app = senco::web::router(std::sync::Arc::new(senco::web::App::new(opts, None).unwrap()));
    let get = |path: &str| {
        let req = Request::get(path).header(header::HOST, "127.0.0.1:8411").body(Body::empty()).unwrap();
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
            let resp = app.clone().oneshot(req).await.unwrap();
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    for path in ["/", "/register"] {
        let page = get(path);
        assert!(page.contains(">R</td>"), "{path}:\n{page}");
        assert!(page.contains(">N2</td>") && page.contains(">N1</td>"), "{path}:\n{page}");
        assert!(!page.contains(">0</td>") && !page.contains(">-1</td>"), "{path}:\n{page}");
    }
    // The register's filter takes the year as the column writes it.
    let page = get("/register?year=R%2CN2");
    assert!(page.contains("rosie-hart") && page.contains("noah-pike"), "{page}");
    assert!(!page.contains("isla-moss") && !page.contains("sam-cole"), "{page}");
    assert_eq!(
        get("/register?year=0").matches("rosie-hart").count(),
        get("/register?year=R").matches("rosie-hart").count()
    );
    let page = get("/pupil/rosie-hart");
    assert!(page.contains("<dt>Year group</dt><dd>R</dd>"), "{page}");
}
