//! `senco check`: every check is a plain function from records to findings.
//! Loading already reported what could not be read or decoded; here we check
//! what the decoded records say: identity, references, dates, levels, and the
//! rule packs' deadlines.

pub mod codes;

use crate::diag::{self, Finding, Severity};
use crate::model::settings::Jurisdiction;
use crate::model::span::Span;
use crate::model::{cost, text, val, Level, Provision, ReferralStatus, Session, SessionPupil, Settings, Staff};
use crate::repo::decode::{list, suggest, Spanned};
use crate::repo::{DeliveryFile, PupilRecord, Repo};
use crate::rules::{self, dates};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;

/// What every pupil's checks need to know about the school.
pub struct School<'a> {
    pub settings: &'a Settings,
    pub today: NaiveDate,
    pub staff: HashMap<&'a str, &'a Staff>,
    pub catalogue: HashMap<&'a str, &'a Provision>,
    /// The ids, sorted once, for "did you mean" on a dangling reference.
    pub staff_ids: Vec<&'a str>,
    pub catalogue_ids: Vec<&'a str>,
    /// Delivered sessions that list each pupil: (file, session, the pupil's line).
    pub delivered: HashMap<&'a str, Vec<(&'a DeliveryFile, &'a Session, &'a SessionPupil)>>,
    pub delivery: &'a [DeliveryFile],
    pub calendar: Option<dates::SchoolCalendar>,
}

impl<'a> School<'a> {
    /// The school of a repository (its pupils are not needed).
    pub fn new(repo: &'a Repo, today: NaiveDate) -> School<'a> {
        let (staff, catalogue) = (repo.staff_by_id(), repo.catalogue_by_id());
        let sorted = |mut v: Vec<&'a str>| {
            v.sort_unstable();
            v
        };
        let staff_ids = sorted(staff.keys().copied().collect());
        let catalogue_ids = sorted(catalogue.keys().copied().collect());
        let mut delivered: HashMap<&str, Vec<_>> = HashMap::new();
        for file in &repo.delivery {
            for s in &file.sessions {
                for p in s.pupils.iter().flatten() {
                    if let Some(id) = text(&p.pupil) {
                        delivered.entry(id).or_default().push((file, s, p));
                    }
                }
            }
        }
        School {
            settings: &repo.settings,
            today,
            staff,
            catalogue,
            staff_ids,
            catalogue_ids,
            delivered,
            delivery: &repo.delivery,
            calendar: dates::SchoolCalendar::from_settings(&repo.settings),
        }
    }
}

/// Runs every check over a loaded repository; findings sorted for reporting.
pub fn check(repo: &Repo, today: NaiveDate) -> Vec<Finding> {
    let school = School::new(repo, today);
    let mut findings = repo.findings.clone();
    findings.extend(crate::repo::stray_files(&repo.root));
    school_checks(repo, &mut findings);
    senco_checks(repo, today, &mut findings);
    let per_pupil: Vec<Vec<Finding>> =
        repo.pupils.par_iter().chain(repo.archived.par_iter()).map(|rec| pupil_findings(&school, rec)).collect();
    findings.extend(per_pupil.into_iter().flatten());
    let ids = repo.pupils.iter().chain(&repo.archived).map(|r| (r.rel.clone(), r.dir.clone(), pupil_id(r)));
    duplicate_pupil_ids(ids, &mut findings);
    diag::sort(&mut findings);
    findings
}

/// The findings that are not one pupil's: the top-level files, stray files,
/// the school's settings and pupil ids used twice. With `pupil_findings` of
/// every pupil, the same findings as `check` (unsorted); `senco serve`
/// recomputes only the changed pupils' part.
pub fn school_findings(repo: &Repo) -> Vec<Finding> {
    let mut findings = repo.findings.clone();
    findings.extend(crate::repo::stray_files(&repo.root));
    school_checks(repo, &mut findings);
    let ids = repo.pupils.iter().chain(&repo.archived).map(|r| (r.rel.clone(), r.dir.clone(), pupil_id(r)));
    duplicate_pupil_ids(ids, &mut findings);
    findings
}

/// What `check_root` found, with the text of every file a finding is in
/// (when asked to keep them).
pub struct Report {
    pub findings: Vec<Finding>,
    pub sources: HashMap<String, String>,
    pub pupils: usize,
    pub files: usize,
}

/// Checks the repository at `root` one pupil at a time: each pupil is loaded,
/// checked and dropped on a worker thread, so memory stays small whatever the
/// size of the school. Gives the same findings as `check(&load(root)?)`.
pub fn check_root(root: &std::path::Path, today: NaiveDate, keep_sources: bool) -> Result<Report, crate::error::Error> {
    let head = crate::repo::load_head(root)?;
    let school = School::new(&head, today);
    let mut findings = head.findings.clone();
    findings.extend(crate::repo::stray_files(root));
    school_checks(&head, &mut findings);
    senco_checks(&head, today, &mut findings);
    let mut sources: HashMap<String, String> = HashMap::new();
    let mut ids = Vec::new();
    let (mut pupils, mut files) = (0, head.files.len());
    for folder in ["pupils", "archive"] {
        let results = crate::repo::map_pupils(root, folder, head.settings.limits, |rec| {
            let found = pupil_findings(&school, &rec);
            let id = (rec.rel.clone(), rec.dir.clone(), pupil_id(&rec));
            let nfiles = rec.files.len();
            let texts: Vec<_> =
                rec.files.into_iter().filter(|f| keep_sources && found.iter().any(|x| x.file == f.path)).collect();
            (found, id, texts, nfiles)
        })?;
        pupils += results.len();
        for (found, id, texts, nfiles) in results {
            findings.extend(found);
            ids.push(id);
            sources.extend(texts.into_iter().map(|t| (t.path, t.text)));
            files += nfiles;
        }
    }
    duplicate_pupil_ids(ids.into_iter(), &mut findings);
    if keep_sources {
        for f in head.files {
            sources.insert(f.path, f.text);
        }
    }
    diag::sort(&mut findings);
    Ok(Report { findings, sources, pupils, files })
}

fn pupil_id(rec: &PupilRecord) -> Option<Spanned<String>> {
    rec.pupil.as_ref().and_then(|p| p.id.clone())
}

/// The findings of one pupil folder: what reading it found, then its checks.
pub fn pupil_findings(school: &School, rec: &PupilRecord) -> Vec<Finding> {
    let mut out = rec.findings.clone();
    check_pupil(school, rec, &mut out);
    if !rec.archived {
        delivery_findings(school, rec, &mut out);
    }
    for f in &mut out {
        f.pupil = Some(rec.dir.clone());
    }
    out
}

fn err(code: &'static str, file: &str, span: Option<Span>, message: String) -> Finding {
    Finding::new(Severity::Error, code, file, span, message)
}

/// The delivery files on their own: sessions in their month, with pupils or
/// a reason they were cancelled, by staff and for pupils that exist.
fn delivery_checks(repo: &Repo, out: &mut Vec<Finding>) {
    if repo.delivery.is_empty() {
        return;
    }
    let mut staff_ids: Vec<&str> = repo.staff.iter().filter_map(|s| text(&s.id)).collect();
    staff_ids.sort_unstable();
    let mut pupil_ids: Vec<String> = Vec::new();
    for folder in ["pupils", "archive"] {
        if let Ok(rd) = std::fs::read_dir(repo.root.join(folder)) {
            pupil_ids.extend(
                rd.flatten().filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()),
            );
        }
    }
    pupil_ids.sort_unstable();
    let pupil_refs: Vec<&str> = pupil_ids.iter().map(String::as_str).collect();
    for file in &repo.delivery {
        for s in &file.sessions {
            if let Some(d) = &s.date {
                use chrono::Datelike;
                if (d.value.year(), d.value.month()) != file.month {
                    out.push(
                        Finding::new(
                            Severity::Error,
                            "delivery-date-mismatch",
                            &file.path,
                            Some(d.span),
                            format!(
                                "a session dated {} is in the file for {}-{:02}",
                                d.value, file.month.0, file.month.1
                            ),
                        )
                        .with_hint("move the session to its month's file, or correct the date"),
                    );
                }
            }
            if s.pupils.as_ref().is_none_or(|p| p.is_empty()) && s.cancelled.is_none() {
                out.push(
                    Finding::new(
                        Severity::Error,
                        "delivery-no-pupils",
                        &file.path,
                        Some(Span::point(s.span.start)),
                        "a session lists no pupils and is not marked cancelled",
                    )
                    .with_hint("add `pupils:` with each pupil's `status`, or `cancelled: REASON` if it did not run"),
                );
            }
            if let Some(st) = &s.staff {
                if staff_ids.binary_search(&st.value.as_str()).is_err() {
                    dangling("missing-staff", &file.path, st, "staff member", &staff_ids, out);
                }
            }
            for p in s.pupils.iter().flatten() {
                if let Some(id) = &p.pupil {
                    if pupil_refs.binary_search(&id.value.as_str()).is_err() {
                        dangling("missing-pupil", &file.path, id, "pupil", &pupil_refs, out);
                    }
                }
            }
        }
    }
}

/// A pupil's part of the delivery record: every session naming them joins
/// one of their places, and statutory provision is delivered.
fn delivery_findings(school: &School, rec: &PupilRecord, out: &mut Vec<Finding>) {
    use crate::query::delivery;
    for (file, session, p) in school.delivered.get(rec.dir.as_str()).into_iter().flatten() {
        if delivery::joined_place(rec, &file.place, session, &school.catalogue).is_none() {
            let span = p.pupil.as_ref().map(|x| x.span);
            out.push(
                Finding::new(
                    Severity::Error,
                    "delivery-no-place",
                    &file.path,
                    span,
                    format!("`{}` has no intervention with provision or id `{}`", rec.dir, file.place),
                )
                .with_hint(format!(
                    "add the place to {}, or log the session under the right folder of delivery/",
                    rec.file("interventions.yaml")
                )),
            );
        }
    }
    let (Some(cal), Some((term, from, to))) = (&school.calendar, delivery::term_so_far(school.settings, school.today))
    else {
        return;
    };
    let threshold = school.settings.delivery.warn_below;
    for iv in rec.interventions.iter().filter(|iv| val(&iv.statutory) == Some(true)) {
        let provision = text(&iv.provision).and_then(|p| school.catalogue.get(p).copied());
        let f = delivery::figures(cal, rec, iv, provision, school.delivery, &school.catalogue, from, to);
        let Some(share) = f.share() else { continue };
        if share < threshold {
            out.push(
                warn(
                    "delivery-below",
                    &rec.file("interventions.yaml"),
                    iv.statutory.as_ref().map(|s| s.span),
                    format!(
                        "statutory provision `{}` delivered {} of {} planned minutes in the {term} term so far ({}%, below {}%)",
                        text(&iv.id).unwrap_or("?"),
                        f.delivered_minutes.round(),
                        f.planned_minutes.round(),
                        (share * 100.0).round(),
                        (threshold * 100.0).round()
                    ),
                )
                .with_hint("`senco delivery --pupil` shows the sessions missed and why; log sessions not yet recorded"),
            );
        }
    }
}

fn warn(code: &'static str, file: &str, span: Option<Span>, message: String) -> Finding {
    Finding::new(Severity::Warning, code, file, span, message)
}

/// Reports the second and later uses of each id in a list.
fn unique_ids<'a>(ids: impl Iterator<Item = &'a Spanned<String>>, what: &str, file: &str, out: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for id in ids {
        if let Some(line) = seen.get(id.value.as_str()) {
            out.push(
                err("duplicate-id", file, Some(id.span), format!("{what} id `{}` is used twice", id.value))
                    .with_hint(format!("the first is on line {line}; rename one of them")),
            );
        } else {
            seen.insert(&id.value, id.span.start.line);
        }
    }
}

fn dangling(code: &'static str, file: &str, r: &Spanned<String>, what: &str, known: &[&str], out: &mut Vec<Finding>) {
    let hint = match suggest(&r.value, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if known.is_empty() => format!("there are no {what}s to refer to yet"),
        None if known.len() <= 8 => format!("known {what}s: {}", list(known)),
        None => format!("no {what} has an id like this"),
    };
    out.push(err(code, file, Some(r.span), format!("no {what} with id `{}`", r.value)).with_hint(hint));
}

fn school_checks(repo: &Repo, out: &mut Vec<Finding>) {
    delivery_checks(repo, out);
    for s in &repo.staff {
        number_range(&s.hourly_rate, "hourly_rate", false, "staff.yaml", out);
    }
    for c in &repo.catalogue {
        number_range(&c.default_minutes, "default_minutes", true, "catalogue.yaml", out);
        number_range(&c.default_sessions_per_week, "default_sessions_per_week", true, "catalogue.yaml", out);
        number_range(&c.hourly_rate, "hourly_rate", false, "catalogue.yaml", out);
        number_range(&c.cost_per_pupil, "cost_per_pupil", false, "catalogue.yaml", out);
    }
    unique_ids(repo.staff.iter().filter_map(|s| s.id.as_ref()), "staff", "staff.yaml", out);
    unique_ids(repo.catalogue.iter().filter_map(|s| s.id.as_ref()), "catalogue", "catalogue.yaml", out);
    if repo.settings.school.senco.as_deref().is_none_or(|s| s.trim().is_empty()) {
        let code = match repo.settings.school.jurisdiction {
            Jurisdiction::England => "ENG-SENCO",
            Jurisdiction::Wales => "WAL-ALNCO",
            Jurisdiction::UsIdea => "no-senco",
        };
        let severity =
            rules::rule(code).map_or(Some(Severity::Warning), |r| rules::configured(&repo.settings, code, r.severity));
        if let Some(severity) = severity {
            out.push(
                Finding::new(severity, code, "senco.toml", None, "no SENCO is named in senco.toml")
                    .with_hint("set `senco = \"...\"` under [school]"),
            );
        }
    }
}

/// ENG-SENCO beyond the designation above: the SENCO in staff.yaml is a
/// qualified teacher holding the SENCO qualification in time.
fn senco_checks(repo: &Repo, today: NaiveDate, out: &mut Vec<Finding>) {
    if repo.settings.school.jurisdiction == Jurisdiction::England {
        for o in rules::england::senco_outcomes(&repo.settings, &repo.staff, today) {
            out.extend(rules::outcome_finding(&repo.settings, &o, today));
        }
    }
}

/// Pupil ids must be unique across pupils/ and archive/: (folder path,
/// folder name, `id:`) of each pupil, in order.
fn duplicate_pupil_ids(ids: impl Iterator<Item = (String, String, Option<Spanned<String>>)>, out: &mut Vec<Finding>) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (rel, dir, id) in ids {
        let Some(id) = id else { continue };
        if let Some(first) = seen.get(&id.value) {
            let mut f = err(
                "duplicate-id",
                &format!("{rel}/pupil.yaml"),
                Some(id.span),
                format!("pupil id `{}` is also used by `{first}`", id.value),
            )
            .with_hint("every pupil has their own id; rename this folder and its `id:`");
            f.pupil = Some(dir);
            out.push(f);
        } else {
            seen.insert(id.value, rel);
        }
    }
}

/// A number outside its range: `positive` values must be above 0, the
/// others 0 or more.
fn number_range(field: &Option<Spanned<f64>>, name: &str, positive: bool, file: &str, out: &mut Vec<Finding>) {
    let Some(v) = field else { return };
    let ok = if positive { v.value > 0.0 } else { v.value >= 0.0 };
    if !ok || !v.value.is_finite() {
        let want = if positive { "above 0" } else { "0 or more" };
        out.push(
            err("bad-number", file, Some(v.span), format!("`{name}: {}` must be {want}", v.value))
                .with_hint(format!("`{name}` is {want}; a value like this would make costs and caseloads wrong")),
        );
    }
}

/// The pupil id rules: 3-64 of [a-z0-9-], starting with a letter.
pub fn valid_id(id: &str) -> bool {
    (3..=64).contains(&id.len())
        && id.as_bytes()[0].is_ascii_lowercase()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub use crate::model::census::ENGLAND_TYPES;
const IDEA_TYPES: &[&str] = &[
    "autism",
    "deaf-blindness",
    "deafness",
    "emotional-disturbance",
    "hearing-impairment",
    "intellectual-disability",
    "multiple-disabilities",
    "orthopedic-impairment",
    "other-health-impairment",
    "specific-learning-disability",
    "speech-or-language-impairment",
    "traumatic-brain-injury",
    "visual-impairment",
    "developmental-delay",
];

pub fn check_pupil(school: &School, rec: &PupilRecord, out: &mut Vec<Finding>) {
    let settings = school.settings;
    let today = school.today;
    let pf = rec.file("pupil.yaml");
    let staff_ids = &school.staff_ids;
    let staff_ref = |r: &Spanned<String>, file: &str, out: &mut Vec<Finding>| {
        if !school.staff.contains_key(r.value.as_str()) {
            dangling("missing-staff", file, r, "staff member", staff_ids, out);
        }
    };

    // Identity.
    if !valid_id(&rec.dir) {
        out.push(
            err("bad-id", &pf, None, format!("folder name `{}` is not a valid pupil id", rec.dir))
                .with_hint("ids are 3-64 lowercase letters, digits and `-`, starting with a letter, e.g. `ava-brown`"),
        );
    }
    let Some(pupil) = &rec.pupil else { return };
    if let Some(id) = &pupil.id {
        if id.value != rec.dir {
            out.push(
                err(
                    "id-mismatch",
                    &pf,
                    Some(id.span),
                    format!("`id: {}` differs from the folder name `{}`", id.value, rec.dir),
                )
                .with_hint(format!("rename the folder to `{}` or set `id: {}`", id.value, rec.dir)),
            );
        }
    }

    // Level and plan.
    let juris = settings.school.jurisdiction;
    let level_field = pupil.support.as_ref().and_then(|s| s.level.as_ref());
    let mut level = level_field.map(|l| l.value);
    if let Some(l) = level_field {
        if !juris.levels().contains(&l.value) {
            let allowed: Vec<&str> = juris.levels().iter().map(|l| l.as_str()).collect();
            out.push(
                err(
                    "level-not-allowed",
                    &pf,
                    Some(l.span),
                    format!("level `{}` is not used in {}", l.value, juris.as_str()),
                )
                .with_hint(format!("the levels of {} are {}", juris.as_str(), list(&allowed))),
            );
            level = None;
        }
    }
    if let (Some(l), Some(field)) = (level, level_field) {
        if l.statutory() && pupil.plan().and_then(|p| p.issued.as_ref()).is_none() {
            out.push(
                err(
                    "missing-plan-issued",
                    &pf,
                    Some(field.span),
                    format!("level `{l}` is a statutory plan but `support.plan.issued` is not recorded"),
                )
                .with_hint("add `plan:` with `issued: YYYY-MM-DD` under `support:`"),
            );
        }
    }
    if let Some(kw) = &pupil.key_worker {
        staff_ref(kw, &pf, out);
    }
    if let Some(y) = pupil.year_group.as_ref().filter(|y| !(-2..=15).contains(&y.value)) {
        out.push(
            err("bad-number", &pf, Some(y.span), format!("`year_group: {}` is not a year group", y.value))
                .with_hint("year groups run from -2 (nursery) to 15; Reception is 0, US kindergarten 0"),
        );
    }

    // Needs.
    let nf = rec.file("needs.yaml");
    unique_ids(rec.needs.iter().filter_map(|n| n.id.as_ref()), "need", &nf, out);
    let primaries: Vec<_> = rec.needs.iter().filter(|n| val(&n.primary) == Some(true)).collect();
    if primaries.len() > 1 {
        for n in &primaries[1..] {
            let span = n.primary.as_ref().map(|p| p.span);
            out.push(
                err(
                    "multiple-primary-needs",
                    &nf,
                    span,
                    format!(
                        "need `{}` is marked primary, but so is `{}`",
                        text(&n.id).unwrap_or("?"),
                        text(&primaries[0].id).unwrap_or("?")
                    ),
                )
                .with_hint("exactly one need is primary; set `primary: false` on the others"),
            );
        }
    } else if primaries.is_empty() && !rec.needs.is_empty() {
        out.push(
            warn("no-primary-need", &nf, Some(rec.needs[0].span), "no need is marked `primary: true`".into())
                .with_hint("mark the main need with `primary: true`"),
        );
    }
    let assessment_ids: Vec<&str> = rec.assessments.iter().filter_map(|a| text(&a.id)).collect();
    for n in &rec.needs {
        for e in n.evidence.iter().flatten() {
            if !assessment_ids.contains(&e.value.as_str()) && !rec.is_broken("assessments.yaml") {
                dangling("missing-assessment", &nf, e, "assessment", &assessment_ids, out);
            }
        }
        if let Some(t) = &n.r#type {
            let (codes, ok) = match juris {
                Jurisdiction::England => (ENGLAND_TYPES, ENGLAND_TYPES.contains(&t.value.as_str())),
                Jurisdiction::UsIdea => (IDEA_TYPES, IDEA_TYPES.contains(&t.value.as_str())),
                Jurisdiction::Wales => (&[][..], true),
            };
            if !ok {
                let hint = match suggest(&t.value, codes.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? types are {}", list(codes)),
                    None => format!("types are {}", list(codes)),
                };
                out.push(
                    err(
                        "bad-need-type",
                        &nf,
                        Some(t.span),
                        format!("`{}` is not a need type of {}", t.value, juris.as_str()),
                    )
                    .with_hint(hint),
                );
            } else if juris == Jurisdiction::England
                && t.value == "NSA"
                && level == Some(Level::Ehcp)
                && val(&n.primary) == Some(true)
            {
                out.push(
                    err(
                        "bad-need-type",
                        &nf,
                        Some(t.span),
                        "`NSA` (no specialist assessment) is only used with `sen-support`, not with an EHC plan".into(),
                    )
                    .with_hint("an EHC plan names the assessed type of need"),
                );
            }
        }
    }

    // Assessments, targets, interventions.
    unique_ids(rec.assessments.iter().filter_map(|a| a.id.as_ref()), "assessment", &rec.file("assessments.yaml"), out);
    let tf = rec.file("targets.yaml");
    unique_ids(rec.targets.iter().filter_map(|t| t.id.as_ref()), "target", &tf, out);
    let need_ids: Vec<&str> = rec.needs.iter().filter_map(|n| text(&n.id)).collect();
    let target_ids: Vec<&str> = rec.targets.iter().filter_map(|t| text(&t.id)).collect();
    let on_roll = !rec.archived;
    for t in &rec.targets {
        if let Some(need) = &t.need {
            if !need_ids.contains(&need.value.as_str()) && !rec.is_broken("needs.yaml") {
                dangling("missing-need", &tf, need, "need", &need_ids, out);
            }
        }
        if let Some(owner) = &t.owner {
            staff_ref(owner, &tf, out);
        }
        if let (Some(set), Some(due)) = (&t.set, &t.due) {
            if due.value < set.value {
                out.push(
                    err(
                        "due-before-set",
                        &tf,
                        Some(due.span),
                        format!(
                            "target `{}` is due on {} but was set on {}",
                            text(&t.id).unwrap_or("?"),
                            due.value,
                            set.value
                        ),
                    )
                    .with_hint("one of the two dates is mistyped"),
                );
            }
        }
        if let Some(due) = &t.due {
            if on_roll && t.is_open() && due.value < today {
                out.push(
                    warn(
                        "target-overdue",
                        &tf,
                        Some(due.span),
                        format!(
                            "target `{}` is still open {} days after its due date {}",
                            text(&t.id).unwrap_or("?"),
                            (today - due.value).num_days(),
                            due.value
                        ),
                    )
                    .with_hint("record its outcome in `status:` or agree a new due date"),
                );
            }
        }
    }
    let ivf = rec.file("interventions.yaml");
    unique_ids(rec.interventions.iter().filter_map(|i| i.id.as_ref()), "intervention", &ivf, out);
    let mut yearly_cost = 0.0;
    let catalogue_ids = &school.catalogue_ids;
    for iv in &rec.interventions {
        let ivid = text(&iv.id).unwrap_or("?");
        number_range(&iv.sessions_per_week, "sessions_per_week", true, &ivf, out);
        number_range(&iv.minutes, "minutes", true, &ivf, out);
        number_range(&iv.group_size, "group_size", true, &ivf, out);
        if iv.provision.is_none() && iv.name.is_none() {
            out.push(
                err(
                    "missing-key",
                    &ivf,
                    Some(Span::point(iv.span.start)),
                    format!("intervention `{ivid}` has neither `provision` nor `name`"),
                )
                .with_hint("give a catalogue id in `provision:` or describe it in `name:`"),
            );
        }
        let provision = iv.provision.as_ref().and_then(|p| {
            let found = school.catalogue.get(p.value.as_str()).copied();
            if found.is_none() {
                dangling("missing-provision", &ivf, p, "catalogue entry", catalogue_ids, out);
            }
            found
        });
        let staff = iv.staff.as_ref().and_then(|s| {
            staff_ref(s, &ivf, out);
            school.staff.get(s.value.as_str()).copied()
        });
        for t in iv.targets.iter().flatten() {
            if !target_ids.contains(&t.value.as_str()) && !rec.is_broken("targets.yaml") {
                dangling("missing-target", &ivf, t, "target", &target_ids, out);
            }
        }
        if let (Some(start), Some(end)) = (&iv.start, &iv.end) {
            if end.value < start.value {
                out.push(
                    err(
                        "end-before-start",
                        &ivf,
                        Some(end.span),
                        format!("intervention `{ivid}` ends on {} before it starts on {}", end.value, start.value),
                    )
                    .with_hint("one of the two dates is mistyped"),
                );
            }
        }
        if on_roll
            && iv.targets.as_ref().is_none_or(|t| t.is_empty())
            && iv.end.as_ref().is_none_or(|e| e.value >= today)
        {
            out.push(
                warn(
                    "intervention-no-target",
                    &ivf,
                    iv.id.as_ref().map(|i| i.span),
                    format!("intervention `{ivid}` serves no target"),
                )
                .with_hint("list the target ids it works towards in `targets:`"),
            );
        }
        yearly_cost += cost::yearly(settings, iv, staff, provision);
    }

    // Reviews.
    for r in &rec.reviews {
        if let Some(d) = &r.review.date {
            if r.stem.get(..10) != Some(d.value.to_string().as_str()) {
                out.push(
                    err(
                        "review-date-mismatch",
                        &r.path,
                        Some(d.span),
                        format!("`date: {}` differs from the file name `{}.yaml`", d.value, r.stem),
                    )
                    .with_hint(format!(
                        "rename the file to `{}{}.yaml` or fix the date",
                        d.value,
                        r.stem.get(10..).unwrap_or("")
                    )),
                );
            }
        }
        for tp in r.review.targets.iter().flatten() {
            if let Some(t) = &tp.target {
                if !target_ids.contains(&t.value.as_str()) && !rec.is_broken("targets.yaml") {
                    dangling("missing-target", &r.path, t, "target", &target_ids, out);
                }
            }
        }
        if on_roll {
            for a in r.review.actions.iter().flatten() {
                if let (Some(due), None) = (&a.due, &a.done) {
                    if due.value < today {
                        out.push(
                            warn(
                                "action-overdue",
                                &r.path,
                                Some(due.span),
                                format!(
                                    "action `{}` was due on {} and is not marked done",
                                    crate::repo::decode::shorten(text(&a.action).unwrap_or("?")),
                                    due.value
                                ),
                            )
                            .with_hint("add `done: YYYY-MM-DD` when it is done, or follow it up"),
                        );
                    }
                }
            }
        }
    }

    if on_roll {
        let log_file = rec.file("log.yaml");
        for e in &rec.log {
            if let (Some(due), None) = (&e.follow_up, &e.followed_up) {
                if due.value < today {
                    out.push(
                        warn(
                            "follow-up-overdue",
                            &log_file,
                            Some(due.span),
                            format!(
                                "log entry `{}` was to be followed up by {} and no `followed_up` date is recorded",
                                crate::repo::decode::shorten(text(&e.summary).unwrap_or("?")),
                                due.value
                            ),
                        )
                        .with_hint("add `followed_up: YYYY-MM-DD` to the entry when it is done"),
                    );
                }
            }
            if let (Some(due), Some(date)) = (&e.follow_up, &e.date) {
                if due.value < date.value {
                    out.push(
                        warn(
                            "bad-follow-up",
                            &log_file,
                            Some(due.span),
                            format!("the follow-up date {} is before the entry's date {}", due.value, date.value),
                        )
                        .with_hint("one of the two dates is mistyped"),
                    );
                }
            }
        }
    }

    if !on_roll || !level.is_some_and(Level::on_register) {
        return;
    }
    // Warnings for pupils on the register.
    let level_span = level_field.map(|l| l.span);
    if rec.needs.is_empty() && !rec.is_broken("needs.yaml") {
        out.push(
            warn(
                "no-needs",
                &pf,
                level_span,
                format!("pupil is on the register (`{}`) but has no needs recorded", level.map_or("", |l| l.as_str())),
            )
            .with_hint("add their needs to needs.yaml"),
        );
    }
    if rec.targets.is_empty() && !rec.is_broken("targets.yaml") {
        out.push(
            warn("no-targets", &pf, level_span, "pupil is on the register but has no targets".into())
                .with_hint("add the outcomes they are working towards to targets.yaml"),
        );
    }
    if pupil.consent.as_ref().and_then(|c| c.information_sharing.as_ref()).is_none() {
        out.push(
            warn("consent-not-recorded", &pf, level_span, "consent to share information is not recorded".into())
                .with_hint("add `consent:` with `information_sharing: YYYY-MM-DD` once consent is given"),
        );
    }
    let wait_weeks = settings.reviews.referral_wait_weeks;
    for p in pupil.professionals.iter().flatten() {
        if let (Some(ReferralStatus::Waiting), Some(referred)) = (val(&p.status), &p.referred) {
            let limit = dates::add_weeks(referred.value, wait_weeks);
            if limit < today {
                out.push(
                    warn(
                        "referral-waiting",
                        &pf,
                        Some(referred.span),
                        format!(
                            "referral to {} has been waiting {} weeks (since {})",
                            text(&p.service).unwrap_or("?"),
                            (today - referred.value).num_weeks(),
                            referred.value
                        ),
                    )
                    .with_hint(format!(
                        "chase the service; the school's limit is {wait_weeks} weeks (reviews.referral_wait_weeks)"
                    )),
                );
            }
        }
    }
    // The last review held: one dated later is a meeting still being prepared.
    if let Some(last) = rec.reviews.iter().rev().find(|r| val(&r.review.date).is_some_and(|d| d <= today)) {
        let missing: Vec<&str> = [("pupil", &last.review.pupil_voice), ("parent", &last.review.parent_voice)]
            .into_iter()
            .filter(|(_, v)| v.as_ref().is_none_or(|v| v.value.trim().is_empty()))
            .map(|(w, _)| w)
            .collect();
        if !missing.is_empty() {
            let span = last.review.date.as_ref().map(|d| d.span);
            out.push(
                warn(
                    "no-voice",
                    &last.path,
                    span,
                    format!("the last review records no {} voice", missing.join(" or ")),
                )
                .with_hint("add `pupil_voice:` and `parent_voice:` with what they said"),
            );
        }
    }
    // England's ENG-COST is a rule of the pack (so the checklist shows it too);
    // elsewhere the same threshold gives `cost-above-threshold`.
    let england = juris == Jurisdiction::England;
    if !england && yearly_cost > settings.costs.notional_threshold {
        out.push(
            Finding::new(
                Severity::Warning,
                "cost-above-threshold",
                ivf.clone(),
                None,
                format!(
                    "additional provision costs {:.2} {} a year, above the notional threshold of {:.2}",
                    yearly_cost, settings.costs.currency, settings.costs.notional_threshold
                ),
            )
            .with_hint("consider top-up funding or a request for statutory assessment"),
        );
    }
    for o in rules::eval::evaluate_with_cost(settings, rec, today, england.then_some(yearly_cost)) {
        out.extend(rules::outcome_finding(settings, &o, today));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_and_loaded_checks_agree() {
        let today = crate::repo::decode::parse_date("2026-11-24").unwrap();
        for dir in ["examples/oakfield", "tests/fixtures/bad-duplicate-id", "tests/fixtures/bad-yaml-syntax"] {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let repo = crate::repo::load(&root).unwrap();
            let report = check_root(&root, today, true).unwrap();
            assert_eq!(check(&repo, today), report.findings, "{dir}");
            assert_eq!((repo.pupils.len() + repo.archived.len(), repo.file_count()), (report.pupils, report.files));
        }
    }

    #[test]
    fn ids_follow_the_rules() {
        assert!(valid_id("ava-brown"));
        assert!(valid_id("a12"));
        for bad in ["ab", "Ava", "1ava", "ava_brown", "ava brown", ""] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
