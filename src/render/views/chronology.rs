//! `chronology.*.j2`: the dated chronology a local authority or a tribunal
//! asks for. Every dated event of one pupil's records, up to today, merged
//! into one list in date order: the pupil's log (meetings, contacts,
//! concerns, progress reports), support levels and plan events (requests
//! for assessment and their milestones, plans issued and amended), needs
//! identified, assessments, referrals, provision started and ended, exam
//! access arrangements, and reviews with their paperwork.
//!
//! Events of one day keep a fixed order (docs/templates.md, "chronology"):
//! joining the school and consent; support and plan events; needs;
//! assessments; referrals; provision; access arrangements; reviews; log
//! entries; each in file order. Everything is in plain words: staff by
//! name, levels and kinds as labels, dates inside texts in words.

use super::{area_label, kind_label, level_label, pupil_view, role_label, words, Ctx, PupilView, SchoolView};
use crate::model::settings::Jurisdiction;
use crate::model::{text, val, Level, LogEntry, LogKind, Pupil, ReferralStatus, Request, RequestFor, RequestOutcome};
use crate::repo::PupilRecord;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Serialize)]
pub struct Chronology {
    pub school: SchoolView,
    pub pupil: PupilView,
    /// `Chronology`.
    pub title: &'static str,
    /// Every dated event up to today, oldest first.
    pub events: Vec<EventView>,
    /// The date of the first event, if any.
    pub from: Option<String>,
}

/// One dated event.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct EventView {
    /// `YYYY-MM-DD` (templates write it with `| longdate`).
    pub date: String,
    /// Where it comes from: `school`, `support`, `need`, `assessment`,
    /// `referral`, `provision`, `access`, `review` or `log` (also the
    /// same-day order).
    pub source: &'static str,
    /// What happened, in words: `Meeting`, `Annual review`, `EHC plan issued`.
    pub what: String,
    /// The details, in plain words; empty when there are none.
    pub detail: String,
    /// Who was involved, in words; empty when not recorded.
    pub who: String,
}

/// The same-day order of the sources.
const ORDER: &[&str] = &["school", "support", "need", "assessment", "referral", "provision", "access", "review", "log"];

struct Events<'a> {
    cx: &'a Ctx<'a>,
    list: Vec<(NaiveDate, usize, EventView)>,
}

impl Events<'_> {
    fn push(&mut self, date: Option<NaiveDate>, source: &'static str, what: String, detail: String, who: String) {
        let Some(date) = date else { return };
        if date > self.cx.today {
            return;
        }
        // The same fact recorded twice (a request's `issued` and the plan's
        // `issued`) is one event.
        let detail = words::dates_in_words(detail.trim());
        if let Some((_, _, e)) = self.list.iter_mut().find(|(d, _, e)| *d == date && e.what == what) {
            if e.detail.is_empty() {
                e.detail = detail;
            }
            return;
        }
        let rank = ORDER.iter().position(|s| *s == source).unwrap_or(ORDER.len());
        self.list.push((date, rank, EventView { date: date.to_string(), source, what, detail, who }));
    }
}

pub fn chronology(cx: &Ctx, rec: &PupilRecord) -> Chronology {
    let mut ev = Events { cx, list: Vec::new() };
    if let Some(p) = &rec.pupil {
        school_events(&mut ev, p);
        support_events(&mut ev, p);
    }
    let j = cx.settings.school.jurisdiction;
    for n in &rec.needs {
        let label = match text(&n.r#type) {
            Some(ty) => words::need_type(j, ty),
            None => val(&n.area).map_or("a need", area_label).to_string(),
        };
        let detail = text(&n.description).unwrap_or_default().to_string();
        ev.push(val(&n.identified), "need", format!("Need identified: {label}"), detail, String::new());
    }
    for a in &rec.assessments {
        let what = match text(&a.tool) {
            Some(tool) => format!("Assessment: {}", tool.trim()),
            None => "Assessment".to_string(),
        };
        let result = val(&a.score).map(|v| words::score(v, val(&a.scale)));
        let detail = match (text(&a.measure), result) {
            (Some(m), Some(r)) => format!("{}: {r}", words::sentence(m.trim())),
            (Some(m), None) => words::sentence(m.trim()),
            (None, Some(r)) => format!("Result: {r}"),
            (None, None) => String::new(),
        };
        let who = text(&a.assessor).unwrap_or_default().trim().to_string();
        ev.push(val(&a.date), "assessment", what, detail, who);
    }
    if let Some(p) = &rec.pupil {
        for x in p.professionals.iter().flatten() {
            let service = text(&x.service).unwrap_or("a service").trim();
            let detail = val(&x.status)
                .map(|s| {
                    match s {
                        ReferralStatus::Waiting => "Still waiting",
                        ReferralStatus::Active => "Involved now",
                        ReferralStatus::Discharged => "Since discharged",
                        ReferralStatus::Declined => "Declined",
                    }
                    .to_string()
                })
                .unwrap_or_default();
            let who = text(&x.name).unwrap_or_default().trim().to_string();
            ev.push(val(&x.referred), "referral", format!("Referred to {service}"), detail, who);
        }
    }
    provision_events(&mut ev, rec);
    if let Some(p) = &rec.pupil {
        access_events(&mut ev, p);
    }
    review_events(&mut ev, rec);
    for e in &rec.log {
        log_event(&mut ev, e);
    }
    ev.list.sort_by_key(|(d, rank, _)| (*d, *rank));
    let events: Vec<EventView> = ev.list.into_iter().map(|(_, _, e)| e).collect();
    Chronology {
        school: cx.school(),
        pupil: pupil_view(cx, rec),
        title: "Chronology",
        from: events.first().map(|e| e.date.clone()),
        events,
    }
}

fn school_events(ev: &mut Events, p: &Pupil) {
    ev.push(val(&p.joined), "school", "Joined the school".into(), String::new(), String::new());
    if let Some(c) = &p.consent {
        ev.push(
            val(&c.information_sharing),
            "school",
            "Consent to share information given".into(),
            String::new(),
            String::new(),
        );
    }
}

/// The name of the statutory plan in the school's jurisdiction.
fn plan_name(j: Jurisdiction) -> &'static str {
    match j {
        Jurisdiction::England => "EHC plan",
        Jurisdiction::Wales => "Individual development plan",
        Jurisdiction::UsIdea => "IEP",
    }
}

fn support_events(ev: &mut Events, p: &Pupil) {
    let j = ev.cx.settings.school.jurisdiction;
    let Some(s) = &p.support else { return };
    for h in s.history.iter().flatten() {
        if let Some(level) = val(&h.level) {
            ev.push(val(&h.from), "support", support_words(level), String::new(), String::new());
        }
    }
    if let Some(level) = val(&s.level) {
        ev.push(val(&s.since), "support", support_words(level), String::new(), String::new());
    }
    ev.push(
        val(&s.parents_informed),
        "support",
        "Parents told that special educational provision is being made".into(),
        String::new(),
        String::new(),
    );
    for r in s.all_requests() {
        request_events(ev, j, r, p.level());
    }
    if let Some(plan) = &s.plan {
        let name = plan_name(j);
        let by = text(&plan.authority).map(|a| format!("By {}", a.trim())).unwrap_or_default();
        ev.push(val(&plan.initial_issued), "support", format!("First {name} issued"), String::new(), String::new());
        ev.push(val(&plan.issued), "support", format!("{name} issued"), by.clone(), String::new());
        let setting = text(&plan.named_setting).map(|n| format!("Names {}", n.trim())).unwrap_or_default();
        ev.push(val(&plan.amended), "support", format!("{name} amended"), setting, String::new());
        ev.push(val(&plan.last_evaluation), "support", "Evaluation completed".into(), String::new(), String::new());
        ev.push(
            val(&plan.reevaluation_waived),
            "support",
            "Parent and school agreed a reevaluation is not needed".into(),
            String::new(),
            String::new(),
        );
        ev.push(
            val(&plan.safeguards_notice),
            "support",
            "Procedural safeguards notice given to the parents".into(),
            String::new(),
            String::new(),
        );
        ev.push(
            val(&plan.rights_transfer_informed),
            "support",
            "Told of the rights that transfer at the age of majority".into(),
            String::new(),
            String::new(),
        );
    }
}

fn support_words(level: Level) -> String {
    match level {
        Level::Monitoring => "Placed on the watch list (monitoring, not on the register)".into(),
        other => format!("Support level: {}", level_label(other)),
    }
}

fn request_events(ev: &mut Events, j: Jurisdiction, r: &Request, level: Option<Level>) {
    let none = String::new;
    let section504 =
        val(&r.r#for) == Some(RequestFor::Section504) || (r.r#for.is_none() && level == Some(Level::Section504));
    let requested = match j {
        Jurisdiction::England => "Request for an EHC needs assessment",
        Jurisdiction::Wales => "A possible additional learning need brought to the school's attention",
        Jurisdiction::UsIdea if section504 => "Referral for a Section 504 evaluation",
        Jurisdiction::UsIdea => "Referral for a special education evaluation",
    };
    ev.push(val(&r.requested), "support", requested.into(), none(), none());
    ev.push(val(&r.consent), "support", "Parent consent to evaluate given".into(), none(), none());
    let decision = match (j, val(&r.outcome)) {
        (Jurisdiction::England, Some(RequestOutcome::Refused)) => "The local authority decided not to assess",
        (Jurisdiction::England, _) => "The local authority decided to carry out an EHC needs assessment",
        (Jurisdiction::Wales, _) => "The local authority's decision on the request",
        (Jurisdiction::UsIdea, _) => "Decision on the referral",
    };
    ev.push(val(&r.decision), "support", decision.into(), none(), none());
    ev.push(
        val(&r.advice_requested),
        "support",
        "The local authority asked the school for advice".into(),
        none(),
        none(),
    );
    ev.push(val(&r.advice_sent), "support", "The school's advice sent to the local authority".into(), none(), none());
    ev.push(val(&r.evaluated), "support", "Evaluation completed".into(), none(), none());
    ev.push(val(&r.eligible), "support", "Eligibility decided".into(), none(), none());
    if let Some(x) = &r.exception {
        let reason = text(&x.reason).unwrap_or_default().trim().to_string();
        ev.push(val(&x.from), "support", "An exception to the time limit began".into(), reason, none());
    }
    let outcome = val(&r.outcome).and_then(|o| match o {
        RequestOutcome::Assessing => None,
        RequestOutcome::Refused => Some("Request refused".to_string()),
        RequestOutcome::NoPlan => Some("The local authority decided not to issue a plan".to_string()),
        RequestOutcome::PlanIssued => Some(format!("{} issued", plan_name(j))),
        RequestOutcome::NotEligible => Some("Found not eligible".to_string()),
        RequestOutcome::NoAln => Some("Notice that there are no additional learning needs".to_string()),
        RequestOutcome::ReferredToLa => Some("Referred to the local authority".to_string()),
        RequestOutcome::Withdrawn => Some("Request withdrawn".to_string()),
    });
    if let Some(o) = outcome {
        ev.push(val(&r.outcome_date), "support", o, none(), none());
    }
    ev.push(val(&r.issued), "support", format!("{} issued", plan_name(j)), none(), none());
}

fn provision_events(ev: &mut Events, rec: &PupilRecord) {
    let cx = ev.cx;
    for iv in &rec.interventions {
        let prov = text(&iv.provision).and_then(|p| cx.catalogue.get(p).copied());
        let name = text(&iv.name).or_else(|| prov.and_then(|p| text(&p.name))).unwrap_or("Provision").trim();
        let (sessions, minutes) = crate::model::cost::sessions_and_minutes(iv, prov);
        let n = crate::render::fmt_num;
        let mut detail = if sessions > 0.0 && minutes > 0.0 {
            let s = if sessions == 1.0 { "1 session".to_string() } else { format!("{} sessions", n(sessions)) };
            format!("{s} of {} minutes a week", n(minutes))
        } else {
            String::new()
        };
        if let Some(g) = val(&iv.group_size).filter(|g| *g > 1.0) {
            detail.push_str(&format!(", in a group of {}", n(g)));
        }
        let who = cx.staff_name(text(&iv.staff)).unwrap_or_default();
        ev.push(val(&iv.start), "provision", format!("Provision began: {name}"), detail, who.clone());
        let exit = iv.exit.as_ref().and_then(|m| {
            let r = words::score(val(&m.score)?, val(&m.scale));
            Some(match text(&m.measure) {
                Some(measure) => format!("Exit result: {r} ({})", measure.trim()),
                None => format!("Exit result: {r}"),
            })
        });
        ev.push(val(&iv.end), "provision", format!("Provision ended: {name}"), exit.unwrap_or_default(), who);
    }
}

fn access_events(ev: &mut Events, p: &Pupil) {
    for a in p.access_arrangements.iter().flatten() {
        let name = text(&a.arrangement).unwrap_or("an arrangement").trim();
        let evidence = text(&a.evidence).map(|e| format!("Evidence: {}", e.trim())).unwrap_or_default();
        let assessor = text(&a.assessor).unwrap_or_default().trim().to_string();
        ev.push(
            val(&a.assessed),
            "access",
            format!("Assessed for exam access arrangements: {name}"),
            evidence,
            assessor,
        );
        let expires = crate::query::review_due::access_expiry(a);
        let until = expires.map(|e| format!("Valid until {}", words::long_date(e))).unwrap_or_default();
        ev.push(val(&a.approved), "access", format!("Exam access arrangement approved: {name}"), until, String::new());
        if let Some(e) = expires {
            // The last valid day; it lapses the day after.
            ev.push(
                e.succ_opt(),
                "access",
                format!("Exam access arrangement lapsed: {name}"),
                String::new(),
                String::new(),
            );
        }
    }
}

fn review_events(ev: &mut Events, rec: &PupilRecord) {
    for r in &rec.reviews {
        let rv = &r.review;
        let kind = val(&rv.kind).map_or("Review meeting", kind_label);
        let what = match val(&rv.kind) {
            Some(_) => format!("{kind} meeting"),
            None => kind.to_string(),
        };
        ev.push(
            val(&rv.invitations_sent),
            "review",
            format!("Invitations sent for the {}", lower(kind)),
            String::new(),
            String::new(),
        );
        ev.push(
            val(&rv.papers_circulated),
            "review",
            format!("Papers circulated for the {}", lower(kind)),
            String::new(),
            String::new(),
        );
        for a in rv.advice.iter().flatten() {
            let from = text(&a.from).unwrap_or("a professional").trim();
            let summary = text(&a.summary).unwrap_or_default().to_string();
            ev.push(val(&a.received), "review", format!("Advice received from {from}"), summary, String::new());
        }
        let who: Vec<String> = rv
            .attendees
            .iter()
            .flatten()
            .map(|a| {
                let name = text(&a.name).unwrap_or_default().trim().to_string();
                match val(&a.role) {
                    Some(role) => format!("{name} ({})", lower(role_label(role))),
                    None => name,
                }
            })
            .collect();
        let mut counts: Vec<(crate::model::Status, usize)> = Vec::new();
        let mut reviewed = 0;
        for p in rv.targets.iter().flatten() {
            reviewed += 1;
            if let Some(s) = val(&p.progress) {
                match counts.iter_mut().find(|(k, _)| *k == s) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((s, 1)),
                }
            }
        }
        let mut detail = Vec::new();
        if reviewed > 0 {
            let noun = if reviewed == 1 { "target" } else { "targets" };
            let rated: Vec<String> =
                counts.iter().map(|(s, n)| format!("{n} {}", super::status_label(*s).to_lowercase())).collect();
            let rated = if rated.is_empty() { String::new() } else { format!(" ({})", rated.join(", ")) };
            detail.push(format!("{reviewed} {noun} reviewed{rated}"));
        }
        let actions = rv.actions.as_ref().map_or(0, Vec::len);
        if actions > 0 {
            detail.push(format!("{actions} action{} agreed", if actions == 1 { "" } else { "s" }));
        }
        let detail =
            if detail.is_empty() { String::new() } else { format!("{}.", words::sentence(&detail.join("; "))) };
        ev.push(val(&rv.date), "review", what, detail, who.join(", "));
        ev.push(
            val(&rv.report_sent),
            "review",
            format!("Report of the {} sent", lower(kind)),
            String::new(),
            String::new(),
        );
        if let Some(dec) = &rv.la_decision {
            let outcome = val(&dec.outcome).map(|o| match o {
                crate::model::DecisionOutcome::Keep => "Keep the plan as it is",
                crate::model::DecisionOutcome::Amend => "Amend the plan",
                crate::model::DecisionOutcome::Cease => "Cease the plan",
            });
            ev.push(
                val(&dec.date),
                "review",
                format!("The local authority's decision after the {}", lower(kind)),
                outcome.unwrap_or_default().to_string(),
                String::new(),
            );
        }
        ev.push(
            val(&rv.amendment_notice),
            "review",
            "Amendment notice from the local authority".into(),
            String::new(),
            String::new(),
        );
        ev.push(
            val(&rv.given),
            "review",
            "Revised plan (or notice that it is not revised) given".into(),
            String::new(),
            String::new(),
        );
    }
}

/// The first letter in lower case, unless the word is an abbreviation (`SENCO`).
fn lower(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), s.chars().nth(1)) {
        (Some(_), Some(second)) if second.is_uppercase() => s.to_string(),
        (Some(f), _) => f.to_lowercase().chain(c).collect(),
        (None, _) => String::new(),
    }
}

/// A log entry's kind in words.
pub fn log_kind_label(k: LogKind) -> &'static str {
    match k {
        LogKind::Meeting => "Meeting",
        LogKind::ParentContact => "Contact with the family",
        LogKind::Phone => "Phone call",
        LogKind::Email => "E-mail",
        LogKind::ParentsInformed => "Parents told that special educational provision is being made",
        LogKind::Observation => "Observation",
        LogKind::Concern => "Concern raised",
        LogKind::AgencyContact => "Contact with an agency",
        LogKind::ProgressReport => "Progress report sent to the parents",
        LogKind::Other => "Note",
    }
}

fn log_event(ev: &mut Events, e: &LogEntry) {
    let cx = ev.cx;
    let what = val(&e.kind).map_or("Note", log_kind_label).to_string();
    let mut detail = text(&e.summary).unwrap_or_default().trim().to_string();
    if let Some(f) = val(&e.follow_up) {
        if !detail.is_empty() && !detail.ends_with(['.', '!', '?']) {
            detail.push('.');
        }
        let done = match val(&e.followed_up) {
            Some(done) => format!(", followed up on {}", words::long_date(done)),
            None => String::new(),
        };
        detail.push_str(&format!(" To follow up by {}{done}.", words::long_date(f)));
    }
    let who: Vec<String> = e.with.iter().flatten().map(|w| who_words(cx, w.value.trim())).collect();
    ev.push(val(&e.date), "log", what, detail, who.join(", "));
}

/// A `with` value in words: staff by name, the roles as words, a service as written.
fn who_words(cx: &Ctx, w: &str) -> String {
    if let Some(name) = cx.staff.get(w).and_then(|s| text(&s.name)) {
        return name.trim().to_string();
    }
    match w.to_ascii_lowercase().as_str() {
        "parent" | "parents" => "parent".into(),
        "carer" | "carers" => "carer".into(),
        "pupil" => "the pupil".into(),
        "senco" => match &cx.settings.school.senco {
            Some(n) => format!("{n} ({})", super::Terms::of(cx.settings.school.jurisdiction).coordinator),
            None => super::Terms::of(cx.settings.school.jurisdiction).coordinator.to_string(),
        },
        "teacher" => "class teacher".into(),
        "teaching-assistant" => "teaching assistant".into(),
        _ => match crate::model::Role::parse(w) {
            Some(r) => lower(role_label(r)),
            None => w.to_string(),
        },
    }
}
