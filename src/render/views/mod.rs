//! The views templates receive: plain serialisable data built from the model,
//! with labels resolved (staff names, need areas), dates as `YYYY-MM-DD`
//! strings and money as unrounded numbers (templates round with `| money`).
//! Every field is documented in `docs/templates.md`; renaming one breaks
//! schools' templates, so add fields rather than change them.

pub mod chart;
pub mod checklist;
pub mod chronology;
pub mod delivered;
pub mod evidence;
pub mod provision;
pub mod request;
pub mod review;
pub mod words;

pub use review::{review_pack, ReviewPack};

use crate::model::settings::Jurisdiction;
use crate::model::{cost, text, val, Area, Level, Need, Provision, ReviewKind, Role, Settings, Staff, Status};
use crate::repo::{PupilRecord, Repo};
use chart::{EntryExitChart, LineChart};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// Lookups every view needs: settings, today, staff and catalogue by id.
pub struct Ctx<'a> {
    pub repo: &'a Repo,
    pub settings: &'a Settings,
    pub today: NaiveDate,
    pub staff: HashMap<&'a str, &'a Staff>,
    pub catalogue: HashMap<&'a str, &'a Provision>,
}

impl<'a> Ctx<'a> {
    pub fn new(repo: &'a Repo, today: NaiveDate) -> Ctx<'a> {
        Ctx { repo, settings: &repo.settings, today, staff: repo.staff_by_id(), catalogue: repo.catalogue_by_id() }
    }

    /// A staff member's name, else the id as written.
    pub fn staff_name(&self, id: Option<&str>) -> Option<String> {
        let id = id?;
        Some(self.staff.get(id).and_then(|s| text(&s.name)).unwrap_or(id).to_string())
    }

    pub fn school(&self) -> SchoolView {
        let s = &self.settings;
        let j = s.school.jurisdiction;
        SchoolView {
            name: s.school.name.clone(),
            senco: s.school.senco.clone(),
            jurisdiction: j.as_str(),
            currency: s.costs.currency.clone(),
            today: self.today.to_string(),
            terms: Terms::of(j),
        }
    }
}

/// The school, in every view as `school`.
#[derive(Serialize)]
pub struct SchoolView {
    pub name: String,
    pub senco: Option<String>,
    /// `england`, `wales` or `us-idea`.
    pub jurisdiction: &'static str,
    pub currency: String,
    /// The date the document is produced for (`--today`).
    pub today: String,
    pub terms: Terms,
}

/// The words of the school's jurisdiction.
#[derive(Serialize)]
pub struct Terms {
    /// `SENCO`, `ALNCo`, `Special education coordinator`.
    pub coordinator: &'static str,
    /// `pupil`, `learner`, `student`.
    pub pupil: &'static str,
    /// `Targets`, `Outcomes`, `Annual goals`.
    pub targets: &'static str,
    /// `Provision`, `Additional learning provision`, `Services`.
    pub provision: &'static str,
    /// `SEN register`, `ALN register`, `special education caseload`.
    pub register: &'static str,
}

impl Terms {
    pub fn of(j: Jurisdiction) -> Terms {
        match j {
            Jurisdiction::England => Terms {
                coordinator: "SENCO",
                pupil: "pupil",
                targets: "Targets",
                provision: "Provision",
                register: "SEN register",
            },
            Jurisdiction::Wales => Terms {
                coordinator: "ALNCo",
                pupil: "learner",
                targets: "Outcomes",
                provision: "Additional learning provision",
                register: "ALN register",
            },
            Jurisdiction::UsIdea => Terms {
                coordinator: "Special education coordinator",
                pupil: "student",
                targets: "Annual goals",
                provision: "Services",
                register: "special education caseload",
            },
        }
    }
}

// ------------------------------------------------------------------ labels

pub fn level_label(level: Level) -> &'static str {
    match level {
        Level::Monitoring => "Monitoring (not on the register)",
        Level::SenSupport => "SEN support",
        Level::Ehcp => "EHC plan",
        Level::SchoolIdp => "IDP (school)",
        Level::LaIdp => "IDP (local authority)",
        Level::Section504 => "Section 504 plan",
        Level::Iep => "IEP",
    }
}

/// The title of a pupil's plan for the level and jurisdiction.
pub fn plan_title(j: Jurisdiction, level: Option<Level>) -> &'static str {
    match (j, level) {
        (_, None | Some(Level::Monitoring)) => "Monitoring record",
        (_, Some(Level::SenSupport)) => "SEN support plan",
        (_, Some(Level::Ehcp)) => "EHC plan outcomes summary",
        (_, Some(Level::SchoolIdp)) => "Individual development plan (IDP)",
        (_, Some(Level::LaIdp)) => "Individual development plan (IDP, maintained by the local authority)",
        (_, Some(Level::Section504)) => "Section 504 plan",
        (_, Some(Level::Iep)) => "Individualized Education Program (IEP)",
    }
}

pub fn area_label(a: Area) -> &'static str {
    match a {
        Area::CommunicationAndInteraction => "Communication and interaction",
        Area::CognitionAndLearning => "Cognition and learning",
        Area::SocialEmotionalMentalHealth => "Social, emotional and mental health",
        Area::SensoryAndPhysical => "Sensory and/or physical",
    }
}

pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Open => "Open",
        Status::Achieved => "Achieved",
        Status::PartlyAchieved => "Partly achieved",
        Status::NotAchieved => "Not achieved",
        Status::Discontinued => "Discontinued",
    }
}

pub fn role_label(r: Role) -> &'static str {
    match r {
        Role::Parent => "Parent",
        Role::Carer => "Carer",
        Role::Pupil => "Pupil",
        Role::Senco => "SENCO",
        Role::Teacher => "Teacher",
        Role::TeachingAssistant => "Teaching assistant",
        Role::SchoolLeader => "School leader",
        Role::LocalAuthority => "Local authority",
        Role::Health => "Health",
        Role::SocialCare => "Social care",
        Role::EducationalPsychologist => "Educational psychologist",
        Role::Therapist => "Therapist",
        Role::Other => "Other",
    }
}

pub fn kind_label(k: ReviewKind) -> &'static str {
    match k {
        ReviewKind::Termly => "Termly review",
        ReviewKind::Annual => "Annual review",
        ReviewKind::Interim => "Interim review",
        ReviewKind::Transition => "Transition review",
        ReviewKind::Initial => "Initial meeting",
    }
}

pub fn year_label(j: Jurisdiction, year: i64) -> String {
    match (j, year) {
        (Jurisdiction::UsIdea, n) if n < 0 => "Pre-K".into(),
        (Jurisdiction::UsIdea, 0) => "Kindergarten".into(),
        (Jurisdiction::UsIdea, n) => format!("Grade {n}"),
        // Both nursery years (N1, N2): "Nursery" in documents, no code.
        (_, n) if n < 0 => "Nursery".into(),
        (_, 0) => "Reception".into(),
        (_, n) => format!("Year {n}"),
    }
}

fn d(x: Option<NaiveDate>) -> Option<String> {
    x.map(|d| d.to_string())
}

fn t(x: &Option<crate::model::span::Spanned<String>>) -> Option<String> {
    text(x).map(str::to_string)
}

fn list(x: &Option<Vec<crate::model::span::Spanned<String>>>) -> Vec<String> {
    x.iter().flatten().map(|s| s.value.clone()).collect()
}

/// Whole years from `dob` to `today`.
pub fn age(dob: NaiveDate, today: NaiveDate) -> i64 {
    let mut years = (today.year() - dob.year()) as i64;
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}

/// Whole months from `dob` to `today`.
pub fn age_months(dob: NaiveDate, today: NaiveDate) -> i64 {
    let mut m = (today.year() - dob.year()) as i64 * 12 + today.month() as i64 - dob.month() as i64;
    if today.day() < dob.day() {
        m -= 1;
    }
    m
}

// ------------------------------------------------------------------- pupil

/// Who the pupil is: `pupil` in every per-pupil view. The UPN is never shown.
#[derive(Serialize)]
pub struct PupilView {
    pub id: String,
    /// Preferred (else first) name and last name: the name running text uses.
    pub name: String,
    /// The legal first and last name (`Ffion-Mererid D'Arcy`), else `name`.
    pub legal_name: String,
    /// The legal name and, when a preferred name differs from the legal first
    /// name, "known as" it (`Ffion-Mererid D'Arcy, known as Ffi`): the name in
    /// a document's identifying details.
    pub full_name: String,
    pub first: Option<String>,
    pub last: Option<String>,
    pub preferred: Option<String>,
    pub date_of_birth: Option<String>,
    pub age: Option<i64>,
    /// The age in words: `8 years 8 months`.
    pub age_words: Option<String>,
    pub year_group: Option<i64>,
    /// `Year 4`, `Reception`, `Grade 3`, `Kindergarten`.
    pub year_label: Option<String>,
    pub class: Option<String>,
    pub gender: Option<String>,
    pub first_language: Option<String>,
    pub joined: Option<String>,
    /// `sen-support`, `ehcp`, ...
    pub level: Option<&'static str>,
    /// `SEN support`, `EHC plan`, ...
    pub level_label: Option<&'static str>,
    pub on_register: bool,
    pub statutory: bool,
    /// The date support at this level began.
    pub since: Option<String>,
    pub plan: Option<PlanInfo>,
    pub key_worker: Option<String>,
    /// The primary need in words, as `Specific learning difficulty (SpLD)`
    /// (the area of need when no type is recorded).
    pub primary_need: Option<String>,
    pub profile: ProfileView,
    pub contacts: Vec<ContactView>,
    pub professionals: Vec<ProfessionalView>,
    /// Date consent to share information was given.
    pub consent_information_sharing: Option<String>,
    pub transition: Option<TransitionView>,
}

#[derive(Serialize)]
pub struct PlanInfo {
    pub issued: Option<String>,
    pub authority: Option<String>,
    pub amended: Option<String>,
    pub named_setting: Option<String>,
}

#[derive(Serialize)]
pub struct ProfileView {
    pub about_me: Option<String>,
    pub strengths: Vec<String>,
    pub what_helps: Vec<String>,
    pub what_doesnt_help: Vec<String>,
    /// What is known to upset or overwhelm.
    pub triggers: Vec<String>,
    /// Medical needs every adult should know.
    pub medical: Vec<String>,
    /// Access needs.
    pub access: Vec<String>,
    /// Nothing recorded at all.
    pub empty: bool,
}

#[derive(Serialize)]
pub struct ContactView {
    pub name: String,
    pub relationship: Option<String>,
    pub parental_responsibility: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Serialize)]
pub struct ProfessionalView {
    pub service: String,
    pub name: Option<String>,
    pub referred: Option<String>,
    /// `waiting`, `active`, `discharged`, `declined`.
    pub status: Option<&'static str>,
    /// `Waiting`, `Involved now`, `Discharged`, `Declined`.
    pub status_label: Option<&'static str>,
    pub next_contact: Option<String>,
}

#[derive(Serialize)]
pub struct TransitionView {
    pub next_setting: Option<String>,
    pub date: Option<String>,
    pub phase: Option<&'static str>,
    /// `Primary to secondary school`, ...
    pub phase_label: Option<&'static str>,
}

pub fn pupil_view(cx: &Ctx, rec: &PupilRecord) -> PupilView {
    let j = cx.settings.school.jurisdiction;
    let p = rec.pupil.as_ref();
    let level = p.and_then(|p| p.level());
    let name = p.map(|p| p.display_name()).filter(|n| !n.is_empty()).unwrap_or_else(|| rec.dir.clone());
    let n = p.and_then(|p| p.name.as_ref());
    let profile = p.and_then(|p| p.profile.as_ref());
    let profile = ProfileView {
        about_me: profile.and_then(|x| t(&x.about_me)),
        strengths: profile.map(|x| list(&x.strengths)).unwrap_or_default(),
        what_helps: profile.map(|x| list(&x.what_helps)).unwrap_or_default(),
        what_doesnt_help: profile.map(|x| list(&x.what_doesnt_help)).unwrap_or_default(),
        triggers: profile.map(|x| list(&x.triggers)).unwrap_or_default(),
        medical: profile.map(|x| list(&x.medical)).unwrap_or_default(),
        access: profile.map(|x| list(&x.access)).unwrap_or_default(),
        empty: true,
    };
    let profile = ProfileView {
        empty: profile.about_me.is_none()
            && profile.strengths.is_empty()
            && profile.what_helps.is_empty()
            && profile.what_doesnt_help.is_empty(),
        ..profile
    };
    let primary = rec.needs.iter().find(|n| val(&n.primary) == Some(true)).or(rec.needs.first());
    let legal_name = p.map(|p| p.legal_name()).filter(|n| !n.is_empty()).unwrap_or_else(|| name.clone());
    let full_name = match p.and_then(|p| p.known_as()) {
        Some(known) => format!("{legal_name}, known as {known}"),
        None => legal_name.clone(),
    };
    PupilView {
        id: rec.dir.clone(),
        name,
        legal_name,
        full_name,
        first: n.and_then(|n| t(&n.first)),
        last: n.and_then(|n| t(&n.last)),
        preferred: n.and_then(|n| t(&n.preferred)),
        date_of_birth: d(p.and_then(|p| val(&p.date_of_birth))),
        age: p.and_then(|p| val(&p.date_of_birth)).map(|dob| age(dob, cx.today)),
        age_words: p.and_then(|p| val(&p.date_of_birth)).map(|dob| words::months(age_months(dob, cx.today) as f64)),
        year_group: p.and_then(|p| val(&p.year_group)),
        year_label: p.and_then(|p| val(&p.year_group)).map(|y| year_label(j, y)),
        class: p.and_then(|p| t(&p.class)),
        gender: p.and_then(|p| t(&p.gender)),
        first_language: p.and_then(|p| t(&p.first_language)),
        joined: d(p.and_then(|p| val(&p.joined))),
        level: level.map(|l| l.as_str()),
        level_label: level.map(level_label),
        on_register: level.is_some_and(|l| l.on_register()),
        statutory: level.is_some_and(|l| l.statutory()),
        since: d(p.and_then(|p| p.support.as_ref()).and_then(|s| val(&s.since))),
        plan: p.and_then(|p| p.plan()).map(|pl| PlanInfo {
            issued: d(val(&pl.issued)),
            authority: t(&pl.authority),
            amended: d(val(&pl.amended)),
            named_setting: t(&pl.named_setting),
        }),
        key_worker: cx.staff_name(p.and_then(|p| text(&p.key_worker))),
        primary_need: primary.map(|n| need_label(j, n)),
        profile,
        contacts: p
            .map(|p| {
                p.contacts
                    .iter()
                    .flatten()
                    .map(|c| ContactView {
                        name: text(&c.name).unwrap_or_default().to_string(),
                        relationship: t(&c.relationship),
                        parental_responsibility: val(&c.parental_responsibility).unwrap_or(false),
                        phone: t(&c.phone),
                        email: t(&c.email),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        professionals: p
            .map(|p| {
                p.professionals
                    .iter()
                    .flatten()
                    .map(|x| ProfessionalView {
                        service: text(&x.service).unwrap_or_default().to_string(),
                        name: t(&x.name),
                        referred: d(val(&x.referred)),
                        status: val(&x.status).map(|s| s.as_str()),
                        status_label: val(&x.status).map(words::referral_status),
                        next_contact: d(val(&x.next_contact)),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        consent_information_sharing: d(p.and_then(|p| p.consent.as_ref()).and_then(|c| val(&c.information_sharing))),
        transition: p.and_then(|p| p.transition.as_ref()).map(|x| TransitionView {
            next_setting: t(&x.next_setting),
            date: d(val(&x.date)),
            phase: val(&x.phase).map(|p| p.as_str()),
            phase_label: val(&x.phase).map(words::phase),
        }),
    }
}

/// `Specific learning difficulty (SpLD)`, else the area of need.
fn need_label(j: Jurisdiction, n: &Need) -> String {
    match text(&n.r#type) {
        Some(ty) => words::need_type(j, ty),
        None => val(&n.area).map_or("Need", area_label).to_string(),
    }
}

// ------------------------------------------------------------------- needs

#[derive(Serialize)]
pub struct NeedView {
    pub id: String,
    /// `cognition-and-learning`, ...
    pub area: Option<&'static str>,
    /// `Cognition and learning`, ...
    pub area_label: Option<&'static str>,
    /// Census code or IDEA category, as written.
    pub r#type: Option<String>,
    /// The type in words with the guidance abbreviation:
    /// `Specific learning difficulty (SpLD)`.
    pub type_label: Option<String>,
    /// `type_label`, else `area_label`: how documents name the need.
    pub label: String,
    pub primary: bool,
    pub identified: Option<String>,
    pub description: Option<String>,
    pub strategies: Vec<String>,
}

/// Needs, the primary one first, then in file order.
pub fn needs(cx: &Ctx, rec: &PupilRecord) -> Vec<NeedView> {
    let j = cx.settings.school.jurisdiction;
    let mut out: Vec<NeedView> = rec
        .needs
        .iter()
        .map(|n| NeedView {
            id: text(&n.id).unwrap_or_default().to_string(),
            area: val(&n.area).map(|a| a.as_str()),
            area_label: val(&n.area).map(area_label),
            r#type: t(&n.r#type),
            type_label: text(&n.r#type).map(|ty| words::need_type(j, ty)),
            label: need_label(j, n),
            primary: val(&n.primary).unwrap_or(false),
            identified: d(val(&n.identified)),
            description: t(&n.description),
            strategies: list(&n.strategies),
        })
        .collect();
    out.sort_by_key(|n| !n.primary);
    out
}

// ----------------------------------------------------------------- targets

#[derive(Serialize)]
pub struct TargetView {
    pub id: String,
    /// The need id it serves.
    pub need: String,
    pub need_area_label: Option<&'static str>,
    /// The need in words (`NeedView::label`).
    pub need_label: Option<String>,
    pub outcome: String,
    pub baseline: Option<String>,
    pub success_criteria: Option<String>,
    pub set: Option<String>,
    pub due: Option<String>,
    pub owner: Option<String>,
    /// `open`, `achieved`, ...; absent means open.
    pub status: &'static str,
    pub status_label: &'static str,
    pub open: bool,
    /// Open and past its due date.
    pub overdue: bool,
    pub transition: bool,
    /// The latest review that rated it.
    pub latest_progress: Option<ProgressView>,
    /// The provision that serves it: the names of the interventions that
    /// list it, current ones first.
    pub provision: Vec<String>,
}

#[derive(Serialize)]
pub struct ProgressView {
    /// The review's date.
    pub date: String,
    pub rating: Option<&'static str>,
    pub rating_label: Option<&'static str>,
    pub note: Option<String>,
}

pub fn targets(cx: &Ctx, rec: &PupilRecord) -> Vec<TargetView> {
    rec.targets
        .iter()
        .map(|tg| {
            let id = text(&tg.id).unwrap_or_default().to_string();
            let need = text(&tg.need).unwrap_or_default().to_string();
            let status = val(&tg.status).unwrap_or(Status::Open);
            let due = val(&tg.due);
            // A review held by today that recorded a rating or a note for it:
            // a meeting being prepared (dated after today, or nothing recorded
            // yet) is no rating.
            let latest_progress = rec.reviews.iter().rev().find_map(|r| {
                if val(&r.review.date).is_none_or(|x| x > cx.today) {
                    return None;
                }
                let tp = r.review.targets.iter().flatten().find(|p| text(&p.target) == Some(id.as_str()))?;
                if tp.progress.is_none() && t(&tp.note).is_none() {
                    return None;
                }
                Some(ProgressView {
                    date: val(&r.review.date).map_or_else(|| r.stem.clone(), |d| d.to_string()),
                    rating: val(&tp.progress).map(|s| s.as_str()),
                    rating_label: val(&tp.progress).map(status_label),
                    note: t(&tp.note),
                })
            });
            let mut serving: Vec<(bool, String)> = rec
                .interventions
                .iter()
                .filter(|iv| iv.targets.iter().flatten().any(|x| x.value == id))
                .map(|iv| {
                    let prov = text(&iv.provision).and_then(|p| cx.catalogue.get(p).copied());
                    let ended = val(&iv.end).is_some_and(|e| e < cx.today);
                    let name = text(&iv.name)
                        .or_else(|| prov.and_then(|p| text(&p.name)))
                        .unwrap_or("An intervention")
                        .to_string();
                    (ended, name)
                })
                .collect();
            serving.sort_by_key(|x| x.0);
            let mut provision: Vec<String> = Vec::new();
            for (_, n) in serving {
                if !provision.contains(&n) {
                    provision.push(n);
                }
            }
            TargetView {
                provision,
                need_label: rec
                    .needs
                    .iter()
                    .find(|n| text(&n.id) == Some(need.as_str()))
                    .map(|n| need_label(cx.settings.school.jurisdiction, n)),
                need_area_label: rec
                    .needs
                    .iter()
                    .find(|n| text(&n.id) == Some(need.as_str()))
                    .and_then(|n| val(&n.area))
                    .map(area_label),
                id,
                need,
                outcome: text(&tg.outcome).unwrap_or_default().to_string(),
                baseline: t(&tg.baseline),
                success_criteria: t(&tg.success_criteria),
                set: d(val(&tg.set)),
                due: d(due),
                owner: cx.staff_name(text(&tg.owner)),
                status: status.as_str(),
                status_label: status_label(status),
                open: tg.is_open(),
                overdue: tg.is_open() && due.is_some_and(|d| d < cx.today),
                transition: val(&tg.transition).unwrap_or(false),
                latest_progress,
            }
        })
        .collect()
}

// ----------------------------------------------------------- interventions

#[derive(Serialize)]
pub struct InterventionView {
    pub id: String,
    /// The intervention's name, else the catalogue entry's, else its id.
    pub name: String,
    /// Catalogue id.
    pub provision: Option<String>,
    pub area_label: Option<&'static str>,
    /// `1:1`, `group`, `whole-class`, `external`.
    pub delivery: Option<&'static str>,
    /// Target ids it serves.
    pub targets: Vec<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub ongoing: bool,
    /// Running on `today`.
    pub current: bool,
    pub sessions_per_week: f64,
    pub minutes: f64,
    /// sessions × minutes.
    pub minutes_per_week: f64,
    pub group_size: f64,
    pub staff: Option<String>,
    /// This pupil's share of the cost, unrounded (`model::cost`).
    pub weekly_cost: f64,
    pub yearly_cost: f64,
    pub entry: Option<MeasureView>,
    pub exit: Option<MeasureView>,
    /// exit − entry, when both are recorded on the same measure and scale.
    pub gain: Option<f64>,
    /// Whether the exit can be set against the entry
    /// (`Intervention::comparable`, the rule `impact` counts by).
    pub comparable: bool,
    /// When it cannot: why, in words, to print beside the exit
    /// ("another measure: cannot be compared with the start").
    pub not_comparable: Option<&'static str>,
}

#[derive(Serialize)]
pub struct MeasureView {
    pub date: Option<String>,
    pub score: f64,
    pub measure: Option<String>,
    pub scale: Option<&'static str>,
    /// The score in words with its scale (see `AssessmentView::result`).
    pub result: String,
}

pub fn interventions(cx: &Ctx, rec: &PupilRecord) -> Vec<InterventionView> {
    rec.interventions
        .iter()
        .map(|iv| {
            let prov = text(&iv.provision).and_then(|p| cx.catalogue.get(p).copied());
            let staff = text(&iv.staff).and_then(|s| cx.staff.get(s).copied());
            let (sessions, minutes) = cost::sessions_and_minutes(iv, prov);
            let start = val(&iv.start);
            let end = val(&iv.end);
            // An exit that names no measure or scale was taken on the entry's
            // (docs/format.md), so it is read, and said in words, on that scale.
            let m = |x: &Option<crate::model::Measurement>, like: Option<&crate::model::Measurement>| {
                x.as_ref().and_then(|m| {
                    let scale = val(&m.scale).or_else(|| like.and_then(|e| val(&e.scale)));
                    Some(MeasureView {
                        date: d(val(&m.date)),
                        score: val(&m.score)?,
                        measure: t(&m.measure).or_else(|| like.and_then(|e| t(&e.measure))),
                        scale: scale.map(|s| s.as_str()),
                        result: words::score(val(&m.score)?, scale),
                    })
                })
            };
            let entry = m(&iv.entry, None);
            let exit = m(&iv.exit, iv.entry.as_ref());
            let comparable = iv.comparable();
            let id = text(&iv.id).unwrap_or_default().to_string();
            InterventionView {
                name: text(&iv.name)
                    .or_else(|| prov.and_then(|p| text(&p.name)))
                    .map_or_else(|| id.clone(), str::to_string),
                id,
                provision: t(&iv.provision),
                area_label: area_of(rec, iv, prov).map(area_label),
                delivery: prov.and_then(|p| val(&p.delivery)).map(|d| d.as_str()),
                targets: list(&iv.targets),
                start: d(start),
                end: d(end),
                ongoing: end.is_none(),
                current: start.is_some_and(|s| s <= cx.today) && end.is_none_or(|e| e >= cx.today),
                sessions_per_week: sessions,
                minutes,
                minutes_per_week: sessions * minutes,
                group_size: val(&iv.group_size).filter(|g| *g > 0.0).unwrap_or(1.0),
                staff: cx.staff_name(text(&iv.staff)),
                weekly_cost: cost::weekly(cx.settings, iv, staff, prov),
                yearly_cost: cost::yearly(cx.settings, iv, staff, prov),
                gain: match (&entry, &exit) {
                    (Some(a), Some(b)) if comparable => Some(b.score - a.score),
                    _ => None,
                },
                comparable,
                not_comparable: (!comparable).then(|| words::not_comparable(entry.as_ref(), exit.as_ref())),
                entry,
                exit,
            }
        })
        .collect()
}

/// The need area of an intervention: its catalogue entry's, else the area of
/// the need of its first target.
pub fn area_of(rec: &PupilRecord, iv: &crate::model::Intervention, prov: Option<&Provision>) -> Option<Area> {
    prov.and_then(|p| val(&p.area)).or_else(|| {
        let first = iv.targets.as_ref()?.first()?;
        let target = rec.targets.iter().find(|t| text(&t.id) == Some(first.value.as_str()))?;
        let need = rec.needs.iter().find(|n| text(&n.id) == text(&target.need))?;
        val(&need.area)
    })
}

// ------------------------------------------------------------- assessments

#[derive(Serialize)]
pub struct AssessmentView {
    pub id: String,
    pub date: Option<String>,
    pub tool: Option<String>,
    pub measure: Option<String>,
    pub score: Option<f64>,
    pub scale: Option<&'static str>,
    /// `standard score`, `age equivalent`, ...
    pub scale_label: Option<&'static str>,
    /// The score in words with its scale: `84 (standard score)`,
    /// `7 years 0 months`, `45th percentile`.
    pub result: Option<String>,
    pub assessor: Option<String>,
    pub notes: Option<String>,
}

pub fn assessments(rec: &PupilRecord) -> Vec<AssessmentView> {
    let mut out: Vec<AssessmentView> = rec
        .assessments
        .iter()
        .map(|a| AssessmentView {
            id: text(&a.id).unwrap_or_default().to_string(),
            date: d(val(&a.date)),
            tool: t(&a.tool),
            measure: t(&a.measure),
            score: val(&a.score),
            scale: val(&a.scale).map(|s| s.as_str()),
            scale_label: val(&a.scale).map(words::scale),
            result: val(&a.score).map(|v| words::score(v, val(&a.scale))),
            assessor: t(&a.assessor),
            notes: t(&a.notes),
        })
        .collect();
    out.sort_by(|a, b| a.date.cmp(&b.date));
    out
}

// ----------------------------------------------------------------- reviews

#[derive(Serialize)]
pub struct ReviewView {
    pub date: String,
    /// `termly`, `annual`, ...
    pub kind: Option<&'static str>,
    pub kind_label: Option<&'static str>,
    pub attendees: Vec<AttendeeView>,
    pub pupil_voice: Option<String>,
    pub parent_voice: Option<String>,
    /// Held by `today` (a later date is a meeting being prepared).
    pub held: bool,
    pub pupil_aspirations: Option<String>,
    pub parent_aspirations: Option<String>,
    /// What the family will do at home.
    pub at_home: Option<String>,
    pub preparing_for_adulthood: Option<String>,
    pub targets: Vec<ReviewTargetView>,
    pub actions: Vec<ActionView>,
    pub next_review: Option<String>,
}

#[derive(Serialize)]
pub struct AttendeeView {
    pub name: String,
    pub role: Option<&'static str>,
}

#[derive(Serialize)]
pub struct ReviewTargetView {
    pub target: String,
    pub outcome: Option<String>,
    pub progress: Option<&'static str>,
    pub progress_label: Option<&'static str>,
    pub note: Option<String>,
}

#[derive(Clone, Serialize)]
pub struct ActionView {
    pub action: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub done: Option<String>,
}

/// Reviews, oldest first.
pub fn reviews(cx: &Ctx, rec: &PupilRecord) -> Vec<ReviewView> {
    rec.reviews.iter().map(|r| review_view(cx, rec, r)).collect()
}

/// One review file as a view.
pub fn review_view(cx: &Ctx, rec: &PupilRecord, r: &crate::repo::ReviewFile) -> ReviewView {
    let att = |a: &Option<Vec<crate::model::Attendee>>| {
        a.iter()
            .flatten()
            .map(|a| AttendeeView {
                name: text(&a.name).unwrap_or_default().to_string(),
                role: val(&a.role).map(role_label),
            })
            .collect()
    };
    {
        {
            let rv = &r.review;
            ReviewView {
                held: val(&rv.date).is_some_and(|x| x <= cx.today),
                pupil_aspirations: t(&rv.pupil_aspirations),
                parent_aspirations: t(&rv.parent_aspirations),
                at_home: t(&rv.at_home),
                preparing_for_adulthood: t(&rv.preparing_for_adulthood),
                date: val(&rv.date).map_or_else(|| r.stem.clone(), |d| d.to_string()),
                kind: val(&rv.kind).map(|k| k.as_str()),
                kind_label: val(&rv.kind).map(kind_label),
                attendees: att(&rv.attendees),
                pupil_voice: t(&rv.pupil_voice),
                parent_voice: t(&rv.parent_voice),
                targets: rv
                    .targets
                    .iter()
                    .flatten()
                    .map(|p| {
                        let id = text(&p.target).unwrap_or_default().to_string();
                        ReviewTargetView {
                            outcome: rec
                                .targets
                                .iter()
                                .find(|t| text(&t.id) == Some(id.as_str()))
                                .and_then(|t| t.outcome.as_ref().map(|o| o.value.clone())),
                            target: id,
                            progress: val(&p.progress).map(|s| s.as_str()),
                            progress_label: val(&p.progress).map(status_label),
                            note: t(&p.note),
                        }
                    })
                    .collect(),
                actions: rv
                    .actions
                    .iter()
                    .flatten()
                    .map(|a| ActionView {
                        action: text(&a.action).unwrap_or_default().to_string(),
                        owner: cx.staff_name(text(&a.owner)),
                        due: d(val(&a.due)),
                        done: d(val(&a.done)),
                    })
                    .collect(),
                next_review: d(val(&rv.next_review)),
            }
        }
    }
}

// ---------------------------------------------------------------- due items

/// A statutory or school review date from `rules::due_items`.
#[derive(Serialize)]
pub struct DueView {
    /// Rule code, e.g. `ENG-SUP-REVIEW`.
    pub rule: &'static str,
    /// `support-review`, `annual-review`, `reevaluation`.
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub due: String,
    /// What the date rests on, in words.
    pub basis: String,
    /// The rule's statement and its legal source.
    pub statement: &'static str,
    pub source: &'static str,
    /// `met` (not yet due), `due` (within `reviews.warn_days`), `overdue`.
    pub status: &'static str,
    /// Days from today to the due date (negative when overdue).
    pub days: i64,
}

pub fn due(cx: &Ctx, rec: &PupilRecord) -> Vec<DueView> {
    let mut out: Vec<DueView> = crate::rules::due_items(cx.settings, rec, cx.today)
        .into_iter()
        .map(|item| {
            let rule = crate::rules::rule(item.rule);
            let days = (item.due - cx.today).num_days();
            DueView {
                rule: item.rule,
                kind: item.kind,
                kind_label: match item.kind {
                    "support-review" => "SEN support review",
                    "annual-review" => "Annual review",
                    "reevaluation" => "Reevaluation",
                    other => other,
                },
                due: item.due.to_string(),
                basis: words::dates_in_words(&item.basis),
                statement: rule.map_or("", |r| r.statement),
                source: rule.map_or("", |r| r.source),
                status: due_status(days, cx.settings.reviews.warn_days),
                days,
            }
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then(a.rule.cmp(b.rule)));
    out
}

/// `overdue` before today, `due` within `warn_days`, else `met`.
pub fn due_status(days: i64, warn_days: u32) -> &'static str {
    if days < 0 {
        "overdue"
    } else if days <= warn_days as i64 {
        "due"
    } else {
        "met"
    }
}

// -------------------------------------------------------------- documents

/// `plan.*.j2`: the pupil's support plan.
#[derive(Serialize)]
pub struct PlanView {
    pub school: SchoolView,
    /// `SEN support plan`, `EHC plan outcomes summary`, `IEP`, ...
    pub title: &'static str,
    pub pupil: PupilView,
    pub needs: Vec<NeedView>,
    pub targets: Vec<TargetView>,
    pub interventions: Vec<InterventionView>,
    pub assessments: Vec<AssessmentView>,
    /// Reviews held by today, oldest first.
    pub reviews: Vec<ReviewView>,
    /// The latest review held by today: the views, aspirations and home
    /// support the plan carries come from it.
    pub latest_review: Option<ReviewView>,
    /// The date of the next meeting being prepared (the earliest review file
    /// dated after today), if any: a meeting to come, not a review held.
    pub next_meeting: Option<String>,
    pub due: Vec<DueView>,
    /// The earliest due date, from `due`.
    pub next_review: Option<String>,
    /// One line chart per assessment measure, in order of first date.
    pub assessment_charts: Vec<LineChart>,
    /// Entry and exit scores of the interventions that have both.
    pub entry_exit_chart: Option<EntryExitChart>,
}

pub fn plan(cx: &Ctx, rec: &PupilRecord) -> PlanView {
    let j = cx.settings.school.jurisdiction;
    let pupil = pupil_view(cx, rec);
    let assessments = assessments(rec);
    let interventions = interventions(cx, rec);
    let due = due(cx, rec);
    PlanView {
        school: cx.school(),
        title: plan_title(j, rec.pupil.as_ref().and_then(|p| p.level())),
        next_review: due.first().map(|d| d.due.clone()),
        assessment_charts: chart::assessment_charts(&assessments),
        entry_exit_chart: chart::entry_exit(&interventions),
        pupil,
        needs: needs(cx, rec),
        targets: targets(cx, rec),
        interventions,
        assessments,
        latest_review: rec
            .reviews
            .iter()
            .rev()
            .find(|r| val(&r.review.date).is_some_and(|x| x <= cx.today))
            .map(|r| review_view(cx, rec, r)),
        reviews: reviews(cx, rec).into_iter().filter(|r| r.held).collect(),
        next_meeting: rec
            .reviews
            .iter()
            .filter_map(|r| val(&r.review.date))
            .filter(|x| *x > cx.today)
            .min()
            .map(|x| x.to_string()),
        due,
    }
}

/// `profile.*.j2`: the one-page profile.
#[derive(Serialize)]
pub struct ProfileDoc {
    pub school: SchoolView,
    pub pupil: PupilView,
    /// Strategies of every need, primary need first, without repeats.
    pub strategies: Vec<String>,
}

pub fn profile(cx: &Ctx, rec: &PupilRecord) -> ProfileDoc {
    let needs = needs(cx, rec);
    ProfileDoc { school: cx.school(), pupil: pupil_view(cx, rec), strategies: strategies(&needs) }
}

fn strategies(needs: &[NeedView]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in needs.iter().flat_map(|n| &n.strategies) {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// `class.*.j2`: the class strategy sheet.
#[derive(Serialize)]
pub struct ClassView {
    pub school: SchoolView,
    /// The class as asked for.
    pub class: String,
    /// Pupils of the class on the register or the watch list, by id.
    pub pupils: Vec<ClassPupil>,
}

#[derive(Serialize)]
pub struct ClassPupil {
    pub pupil: PupilView,
    /// On the watch list (monitoring), not the register.
    pub watch_list: bool,
    pub needs: Vec<NeedView>,
    /// Strategies of every need, primary first, without repeats.
    pub strategies: Vec<String>,
    /// What helps, for the sheet: every item of the pupil's own profile
    /// (never cut), then the strategies of their needs while the list holds
    /// fewer than 6.
    pub what_helps: Vec<String>,
    /// Open targets.
    pub targets: Vec<TargetView>,
    /// Interventions running on `today`.
    pub interventions: Vec<InterventionView>,
    /// The row is likely taller than a landscape page: it may break across
    /// pages (`class="tall"`), where a short row is kept whole.
    pub tall: bool,
}

/// The class sheet's "what helps": the pupil's own items, all of them, then
/// the needs' strategies up to 6 items in all, without repeats.
fn what_helps(own: &[String], strategies: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in own {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    for s in strategies {
        if out.len() >= 6 {
            break;
        }
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// Whether a class sheet row is likely taller than a landscape A4 page: its
/// tallest cell, at about 25 characters a line in a 7-column grid at 8.5pt,
/// over 30 lines (a page holds about 44 under the header). Chromium moves a
/// row it may not break to the next page and splits it there anyway,
/// leaving a blank page; a row this tall is let break instead.
fn tall_row(cells: &[Vec<String>]) -> bool {
    const CHARS_PER_LINE: usize = 25;
    let lines = |items: &Vec<String>| -> usize {
        items.iter().map(|s| s.chars().count().div_ceil(CHARS_PER_LINE).max(1)).sum()
    };
    cells.iter().map(lines).max().unwrap_or(0) > 30
}

/// The classes of pupils on the register, sorted.
pub fn classes(repo: &Repo) -> Vec<String> {
    let mut out: Vec<String> = repo
        .pupils
        .iter()
        .filter_map(|r| r.pupil.as_ref())
        .filter(|p| p.level().is_some())
        .filter_map(|p| text(&p.class).map(str::to_string))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Pupils on the register or the watch list whose class is `class` (case-insensitive).
pub fn class(cx: &Ctx, class: &str) -> ClassView {
    let pupils: Vec<ClassPupil> = cx
        .repo
        .pupils
        .iter()
        .filter(|r| {
            r.pupil
                .as_ref()
                .is_some_and(|p| p.level().is_some() && text(&p.class).is_some_and(|c| c.eq_ignore_ascii_case(class)))
        })
        .map(|rec| {
            let needs = needs(cx, rec);
            let pupil = pupil_view(cx, rec);
            let strategies = strategies(&needs);
            let what_helps = what_helps(&pupil.profile.what_helps, &strategies);
            let targets: Vec<TargetView> = targets(cx, rec).into_iter().filter(|t| t.open).collect();
            let interventions: Vec<InterventionView> =
                interventions(cx, rec).into_iter().filter(|i| i.current).collect();
            // Each cell as the sheet prints it (a date in words is about as
            // long as "24 November 2026", the sessions as "5 × 30 min").
            let p = &pupil.profile;
            let tall = tall_row(&[
                needs.iter().map(|n| n.label.clone()).collect(),
                what_helps.clone(),
                p.what_doesnt_help.iter().chain(&p.triggers).cloned().collect(),
                p.medical.iter().chain(&p.access).cloned().collect(),
                targets.iter().map(|t| format!("{} (by 24 November 2026)", t.outcome)).collect(),
                interventions
                    .iter()
                    .map(|i| format!("{} (5 × 30 min, {})", i.name, i.staff.as_deref().unwrap_or("")))
                    .collect(),
            ]);
            ClassPupil {
                watch_list: !pupil.on_register,
                pupil,
                strategies,
                what_helps,
                needs,
                targets,
                interventions,
                tall,
            }
        })
        .collect();
    let class = pupils.iter().find_map(|p: &ClassPupil| p.pupil.class.clone()).unwrap_or_else(|| class.to_string());
    ClassView { school: cx.school(), class, pupils }
}
