//! `senco delivery` and the delivery checks, on the example school with the
//! figures worked by hand.

use crate::{copy_dir, oakfield, senco};

fn scratch() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("oakfield");
    copy_dir(&oakfield(), &repo);
    (dir, repo)
}

fn place<'v>(v: &'v serde_json::Value, pupil: &str, provision: &str) -> &'v serde_json::Value {
    v["places"].as_array().unwrap().iter().find(|p| p["pupil"] == pupil && p["provision"] == provision).unwrap()
}

#[test]
fn planned_and_delivered_minutes_worked_by_hand() {
    let run = senco(&oakfield(), &["delivery", "--term", "autumn", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["from"], "2026-09-02");
    assert_eq!(v["to"], "2026-11-24");
    // Amara's direct SALT, 1 x 45 min a week from Mon 21 Sep: school days to Tue 24 Nov are
    // 21 Sep-23 Oct (25), half term closed, 2-20 Nov (15), 23-24 Nov (2) = 42 = 8.4 weeks,
    // so 8.4 x 45 = 378 planned. Logged: 22 and 29 Sep, 6 and 20 Oct, 3, 10, 17, 24 Nov
    // attended (8 x 45 = 360); 13 Oct cancelled.
    let salt = place(&v, "amara-osei", "salt-therapy");
    assert_eq!(salt["planned_minutes"], 378.0);
    assert_eq!(salt["delivered_minutes"], 360.0);
    assert_eq!(salt["cancelled_minutes"], 45.0);
    assert_eq!(salt["statutory"], true);
    // Phonics, 4 x 20 min a week from Mon 28 Sep: 37 school days = 7.4 weeks x 80 = 592.
    // November: 13 sessions logged, one cancelled (12 x 20 = 240); Jayden absent twice (200).
    let ph = place(&v, "ava-brown", "phonics-catch-up");
    assert_eq!(ph["planned_minutes"], 592.0);
    assert_eq!(ph["delivered_minutes"], 240.0);
    let jay = place(&v, "jayden-smith", "phonics-catch-up");
    assert_eq!(jay["delivered_minutes"], 200.0);
    assert_eq!(jay["absent_minutes"], 40.0);
    assert_eq!(jay["reasons"]["absent: illness"], 2);
    // A provision nobody logs is not recorded, never 0% delivered.
    let pt = place(&v, "ava-brown", "precision-teaching");
    assert_eq!(pt["recorded"], false);
    assert_eq!(pt["share"], serde_json::Value::Null);
    // The group is one session for ta-jones: 592 planned, 12 x 20 = 240 delivered.
    let staff = v["by_staff"].as_array().unwrap().iter().find(|s| s["key"] == "ta-jones").unwrap();
    assert_eq!(staff["planned_minutes"], 592.0);
    assert_eq!(staff["delivered_minutes"], 240.0);
    let table = senco(&oakfield(), &["delivery", "--pupil", "amara"]);
    assert!(table.stdout.contains("Amara Osei (statutory)"), "{}", table.stdout);
}

#[test]
fn statutory_provision_below_the_threshold_warns() {
    let (_dir, repo) = scratch();
    let check = senco(&repo, &["check"]);
    assert!(!check.stdout.contains("delivery-below"), "{}", check.stdout);
    // Without the 24 November session: 315 of 378 = 83%, below 90%.
    let nov = repo.join("delivery/salt-therapy/2026-11.yaml");
    let text = std::fs::read_to_string(&nov).unwrap();
    let cut = text.find("- date: 2026-11-24").unwrap();
    std::fs::write(&nov, &text[..cut]).unwrap();
    let check = senco(&repo, &["check"]);
    assert!(
        check.stdout.contains("pupils/amara-osei/interventions.yaml:")
            && check.stdout.contains("warning[delivery-below]: statutory provision `salt-direct-autumn` delivered 315 of 378 planned minutes in the Autumn term so far (83%, below 90%)"),
        "{}",
        check.stdout
    );
}

#[test]
fn bad_delivery_records_are_located_errors() {
    let (_dir, repo) = scratch();
    let dir = repo.join("delivery/elsa");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("2026-11.yaml"),
        "- date: 2026-11-03\n  minutes: 30\n  staff: ta-walsh\n  pupils:\n    - { pupil: ava-brown, status: attended }\n    - { pupil: nobody-here, status: attended }\n- date: 2026-10-03\n  staff: ta-wlash\n",
    )
    .unwrap();
    std::fs::write(dir.join("november.yaml"), "[]\n").unwrap();
    let run = senco(&repo, &["check"]);
    assert_eq!(run.code, 1);
    for want in [
        "delivery/elsa/2026-11.yaml:5:16: error[delivery-no-place]: `ava-brown` has no intervention with provision or id `elsa`",
        "delivery/elsa/2026-11.yaml:6:16: error[missing-pupil]",
        "delivery/elsa/2026-11.yaml:7:9: error[delivery-date-mismatch]",
        "delivery/elsa/2026-11.yaml:7:3: error[delivery-no-pupils]",
        "delivery/elsa/2026-11.yaml:8:10: error[missing-staff]",
        "delivery/elsa/november.yaml: error[bad-delivery-filename]",
    ] {
        assert!(run.stdout.contains(want), "{want}\n{}", run.stdout);
    }
}

#[test]
fn impact_shows_the_minutes_received_beside_each_gain() {
    let run = senco(&oakfield(), &["impact", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let place = |pupil: &str, iv_provision: &str| {
        v["places"].as_array().unwrap().iter().find(|p| p["pupil"] == pupil && p["provision"] == iv_provision).unwrap()
    };
    // The same minutes as `senco delivery` over the place's run to today (worked above).
    let salt = place("amara-osei", "salt-therapy");
    assert_eq!((salt["minutes_received"].clone(), salt["minutes_planned"].clone()), (360.0.into(), 378.0.into()));
    let ph = place("ava-brown", "phonics-catch-up");
    assert_eq!((ph["minutes_received"].clone(), ph["minutes_planned"].clone()), (240.0.into(), 592.0.into()));
    // No delivery records for precision teaching: not recorded, never 0.
    for p in v["places"].as_array().unwrap().iter().filter(|p| p["provision"] == "precision-teaching") {
        assert_eq!(p["minutes_received"], serde_json::Value::Null, "{p}");
    }
    let group = v["by_provision"].as_array().unwrap().iter().find(|g| g["key"] == "precision-teaching").unwrap();
    assert_eq!(
        (group["places_with_delivery"].clone(), group["median_minutes_received"].clone()),
        (0.into(), serde_json::Value::Null)
    );
    // The table and the HTML page say so too.
    let table = senco(&oakfield(), &["impact", "--provision", "precision-teaching"]);
    assert!(table.stdout.contains("minutes received") && table.stdout.contains("not recorded"), "{}", table.stdout);
    let html = senco(&oakfield(), &["impact", "--format", "html"]);
    assert!(
        html.stdout.contains("Minutes received (median)")
            && html.stdout.contains("<td class=\"num\">not recorded</td>")
    );
    let phonics = senco(&oakfield(), &["impact", "--provision", "phonics-catch-up", "--format", "html"]);
    assert!(phonics.stdout.contains("<td class=\"num\">240</td>"), "{}", phonics.stdout);
}

#[test]
fn a_delivery_file_that_cannot_be_read_is_named_never_a_silent_shortfall() {
    let (_dir, repo) = scratch();
    // October's SALT sessions (6 and 20 Oct attended, 13 Oct cancelled) in a file that no longer parses.
    std::fs::write(repo.join("delivery/salt-therapy/2026-10.yaml"), "- date: 2026-10-06\n  minutes: [45\n").unwrap();
    let run = senco(&repo, &["delivery", "--term", "autumn", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["unread_files"], serde_json::json!(["delivery/salt-therapy/2026-10.yaml"]));
    // 360 less the two attended October sessions: short, and said so.
    assert_eq!(place(&v, "amara-osei", "salt-therapy")["delivered_minutes"], 270.0);
    assert!(
        run.stderr
            .contains("warning: 1 delivery file could not be read in full (`delivery/salt-therapy/2026-10.yaml`)"),
        "{}",
        run.stderr
    );
    let table = senco(&repo, &["delivery", "--term", "autumn"]);
    assert!(table.stdout.contains("so the sessions delivered may be too few"), "{}", table.stdout);
    // The review pack says it in words, without the file's name.
    let pack = senco(&repo, &["render", "review", "amara-osei"]);
    assert!(
        pack.stdout.contains("Some records of sessions could not be read, so this may be too few."),
        "{}",
        pack.stdout
    );
    assert!(!pack.stdout.contains("2026-10.yaml"));
    // The export names it in its `unreadable` table.
    let out = _dir.path().join("export");
    let run = senco(&repo, &["export", "--format", "csv", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    let csv = std::fs::read_to_string(out.join("unreadable.csv")).unwrap();
    assert!(csv.contains("delivery/salt-therapy/2026-10.yaml"), "{csv}");
    // Untouched records name nothing.
    let clean = senco(&oakfield(), &["delivery", "--format", "json"]);
    assert!(!clean.stdout.contains("unread_files") && !clean.stderr.contains("could not be read"), "{}", clean.all());
}

/// Issue 14.12 (review defect 12): a session logged without `minutes` ran
/// for the place's minutes, for its staff member as for its pupils.
#[test]
fn a_session_without_minutes_counts_the_places_minutes_for_its_staff() {
    let run = senco(&crate::fixture("paperwork"), &["delivery", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // mentoring/2026-11.yaml: 4 and 11 November held (30 minutes each, Shiv's place), 18 cancelled.
    let cole = v["by_staff"].as_array().unwrap().iter().find(|s| s["key"] == "mentor-cole").unwrap();
    assert_eq!(cole["delivered_minutes"], 60.0, "{cole}");
    let shiv = place(&v, "siobhan-oconnor-fitzgerald", "mentoring");
    assert_eq!(shiv["delivered_minutes"], 30.0, "the pupil attended one of them: {shiv}");
}
