//! `senco show ID`: everything about one pupil on one screen. The UPN is left
//! out unless asked for.

use super::{cell, date, is_current, staff_name, VERSION};
use crate::model::{cost, text, val};
use crate::output::{money, num, Block, Column, Document, Table};
use crate::repo::{PupilRecord, Repo};
use crate::rules;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub today: String,
    pub pupil: PupilInfo,
    pub profile: ProfileInfo,
    pub needs: Vec<NeedInfo>,
    /// Open targets only.
    pub targets: Vec<TargetInfo>,
    /// Current interventions only (started, not ended, as of today).
    pub interventions: Vec<InterventionInfo>,
    pub costs: Costs,
    /// The latest review held by `today` (a review file dated later is a
    /// meeting being prepared, not one held).
    pub last_review: Option<ReviewInfo>,
    /// The earliest review file dated after `today`: the meeting being prepared
    /// (`senco new-review --date`).
    pub prepared_review: Option<ReviewInfo>,
    pub next_reviews: Vec<DueInfo>,
    pub contacts: Vec<ContactInfo>,
    pub professionals: Vec<ProfessionalInfo>,
}

#[derive(Debug, Serialize)]
pub struct PupilInfo {
    pub id: String,
    pub name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub preferred_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub year_group: Option<i64>,
    pub class: Option<String>,
    pub gender: Option<String>,
    pub first_language: Option<String>,
    pub joined: Option<String>,
    pub level: Option<String>,
    pub since: Option<String>,
    pub plan: Option<PlanInfo>,
    pub key_worker: Option<StaffRef>,
    pub archived: bool,
    pub left: Option<String>,
    pub destination: Option<String>,
    /// Always null unless `--show-upn`.
    pub upn: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PlanInfo {
    pub issued: Option<String>,
    pub authority: Option<String>,
    pub amended: Option<String>,
    pub named_setting: Option<String>,
    pub next_reevaluation: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct StaffRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct ProfileInfo {
    pub about_me: Option<String>,
    pub strengths: Vec<String>,
    pub what_helps: Vec<String>,
    pub what_doesnt_help: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct NeedInfo {
    pub id: String,
    pub area: Option<String>,
    pub r#type: Option<String>,
    pub primary: bool,
    pub identified: Option<String>,
    pub description: Option<String>,
    pub strategies: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TargetInfo {
    pub id: String,
    pub need: Option<String>,
    pub outcome: Option<String>,
    pub success_criteria: Option<String>,
    pub set: Option<String>,
    pub due: Option<String>,
    pub owner: Option<String>,
    /// The rating at the latest review that rated this target.
    pub last_progress: Option<String>,
    pub last_progress_date: Option<String>,
    pub last_progress_note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct InterventionInfo {
    pub id: String,
    pub name: String,
    pub provision: Option<String>,
    pub staff: Option<StaffRef>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub sessions_per_week: f64,
    pub minutes: f64,
    pub group_size: f64,
    /// sessions_per_week × minutes: the pupil's time, whole minutes.
    pub weekly_minutes: f64,
    /// The pupil's share a week while it runs (`cost::weekly`), 2 decimals.
    pub weekly_cost: f64,
    /// Its cost this academic year (`cost::yearly`), 2 decimals.
    pub yearly_cost: f64,
    pub targets: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Costs {
    pub currency: String,
    /// Σ over the current interventions, whole minutes.
    pub weekly_minutes: f64,
    /// Σ weekly cost over the current interventions.
    pub weekly: f64,
    /// Σ yearly cost over the current interventions.
    pub yearly_current: f64,
    /// The pupil's additional provision this academic year, every
    /// intervention of the record (ended ones included; `cost::pupil_yearly`):
    /// the figure `check` (ENG-COST) and the provision map give.
    pub yearly: f64,
    /// The academic year `yearly` covers (senco.toml `[calendar]`), or null.
    pub year_start: Option<String>,
    pub year_end: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReviewInfo {
    pub date: String,
    pub kind: Option<String>,
    pub file: String,
}

#[derive(Debug, Serialize)]
pub struct DueInfo {
    pub kind: &'static str,
    pub due: String,
    pub days: i64,
    pub basis: String,
}

#[derive(Debug, Serialize)]
pub struct ContactInfo {
    pub name: String,
    pub relationship: Option<String>,
    pub parental_responsibility: Option<bool>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ProfessionalInfo {
    pub service: String,
    pub name: Option<String>,
    pub referred: Option<String>,
    pub status: Option<String>,
    pub next_contact: Option<String>,
}

fn s(f: &Option<crate::model::span::Spanned<String>>) -> Option<String> {
    text(f).map(|t| t.trim().to_string())
}

fn texts(v: &Option<Vec<crate::model::span::Spanned<String>>>) -> Vec<String> {
    v.iter().flatten().map(|t| t.value.trim().to_string()).collect()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn staff_ref(repo: &Repo, id: Option<&str>) -> Option<StaffRef> {
    id.map(|id| StaffRef { id: id.to_string(), name: staff_name(repo, id) })
}

pub fn query(repo: &Repo, rec: &PupilRecord, today: NaiveDate, show_upn: bool) -> Option<Report> {
    let p = rec.pupil.as_ref()?;
    let name = p.name.as_ref();
    let support = p.support.as_ref();
    let pupil = PupilInfo {
        id: rec.dir.clone(),
        name: p.display_name(),
        first_name: name.and_then(|n| s(&n.first)),
        last_name: name.and_then(|n| s(&n.last)),
        preferred_name: name.and_then(|n| s(&n.preferred)),
        date_of_birth: date(val(&p.date_of_birth)),
        year_group: val(&p.year_group),
        class: s(&p.class),
        gender: s(&p.gender),
        first_language: s(&p.first_language),
        joined: date(val(&p.joined)),
        level: p.level().map(|l| l.as_str().to_string()),
        since: date(support.and_then(|s| val(&s.since))),
        plan: p.plan().map(|pl| PlanInfo {
            issued: date(val(&pl.issued)),
            authority: s(&pl.authority),
            amended: date(val(&pl.amended)),
            named_setting: s(&pl.named_setting),
            next_reevaluation: date(val(&pl.next_reevaluation)),
        }),
        key_worker: staff_ref(repo, text(&p.key_worker)),
        archived: rec.archived,
        left: date(val(&p.left)),
        destination: s(&p.destination),
        upn: if show_upn { s(&p.upn) } else { None },
    };
    let profile = match &p.profile {
        Some(pr) => ProfileInfo {
            about_me: s(&pr.about_me),
            strengths: texts(&pr.strengths),
            what_helps: texts(&pr.what_helps),
            what_doesnt_help: texts(&pr.what_doesnt_help),
        },
        None => ProfileInfo { about_me: None, strengths: vec![], what_helps: vec![], what_doesnt_help: vec![] },
    };
    let needs = rec
        .needs
        .iter()
        .map(|n| NeedInfo {
            id: cell(text(&n.id)),
            area: val(&n.area).map(|a| a.as_str().to_string()),
            r#type: s(&n.r#type),
            primary: val(&n.primary) == Some(true),
            identified: date(val(&n.identified)),
            description: s(&n.description),
            strategies: texts(&n.strategies),
        })
        .collect();
    let targets = rec
        .targets
        .iter()
        .filter(|t| t.is_open())
        .map(|t| {
            let id = cell(text(&t.id));
            let rated = rec.reviews.iter().rev().find_map(|r| {
                r.review
                    .targets
                    .iter()
                    .flatten()
                    .find(|tp| text(&tp.target) == Some(id.as_str()) && tp.progress.is_some())
                    .map(|tp| (r, tp))
            });
            TargetInfo {
                need: s(&t.need),
                outcome: s(&t.outcome),
                success_criteria: s(&t.success_criteria),
                set: date(val(&t.set)),
                due: date(val(&t.due)),
                owner: s(&t.owner),
                last_progress: rated.and_then(|(_, tp)| val(&tp.progress)).map(|p| p.as_str().to_string()),
                last_progress_date: rated.and_then(|(r, _)| val(&r.review.date)).map(|d| d.to_string()),
                last_progress_note: rated.and_then(|(_, tp)| s(&tp.note)),
                id,
            }
        })
        .collect();

    let settings = &repo.settings;
    let find_staff = |iv: &crate::model::Intervention| {
        text(&iv.staff).and_then(|id| repo.staff.iter().find(|st| text(&st.id) == Some(id)))
    };
    let find_provision = |iv: &crate::model::Intervention| {
        text(&iv.provision).and_then(|id| repo.catalogue.iter().find(|c| text(&c.id) == Some(id)))
    };
    let mut costs = Costs {
        currency: settings.costs.currency.clone(),
        weekly_minutes: 0.0,
        weekly: 0.0,
        yearly_current: 0.0,
        yearly: cost::round_money(cost::pupil_yearly(settings, &rec.interventions, find_staff, find_provision)),
        year_start: settings.calendar.as_ref().map(|c| c.year_start.to_string()),
        year_end: settings.calendar.as_ref().map(|c| c.year_end.to_string()),
    };
    let interventions = rec
        .interventions
        .iter()
        .filter(|iv| is_current(iv, today))
        .map(|iv| {
            let provision = text(&iv.provision).and_then(|id| repo.catalogue.iter().find(|c| text(&c.id) == Some(id)));
            let staff = text(&iv.staff).and_then(|id| repo.staff.iter().find(|st| text(&st.id) == Some(id)));
            let (sessions, minutes) = cost::sessions_and_minutes(iv, provision);
            let weekly = cost::weekly(settings, iv, staff, provision);
            let yearly = cost::yearly(settings, iv, staff, provision);
            costs.weekly_minutes += sessions * minutes;
            costs.weekly += weekly;
            costs.yearly_current += yearly;
            InterventionInfo {
                id: cell(text(&iv.id)),
                name: s(&iv.name)
                    .or_else(|| provision.and_then(|p| s(&p.name)))
                    .or_else(|| s(&iv.provision))
                    .unwrap_or_default(),
                provision: s(&iv.provision),
                staff: staff_ref(repo, text(&iv.staff)),
                start: date(val(&iv.start)),
                end: date(val(&iv.end)),
                sessions_per_week: sessions,
                minutes,
                group_size: val(&iv.group_size).filter(|g| *g > 0.0).unwrap_or(1.0),
                weekly_minutes: cost::round_minutes(sessions * minutes),
                weekly_cost: round2(weekly),
                yearly_cost: round2(yearly),
                targets: texts(&iv.targets),
            }
        })
        .collect();
    costs.weekly = round2(costs.weekly);
    costs.yearly_current = round2(costs.yearly_current);
    costs.weekly_minutes = cost::round_minutes(costs.weekly_minutes);

    let info = |r: &crate::repo::ReviewFile, d: NaiveDate| ReviewInfo {
        date: d.to_string(),
        kind: val(&r.review.kind).map(|k| k.as_str().to_string()),
        file: r.path.clone(),
    };
    let last_review =
        rec.reviews.iter().rev().find_map(|r| val(&r.review.date).filter(|d| *d <= today).map(|d| info(r, d)));
    let prepared_review = rec
        .reviews
        .iter()
        .filter_map(|r| val(&r.review.date).filter(|d| *d > today).map(|d| (d, r)))
        .min_by_key(|(d, _)| *d)
        .map(|(d, r)| info(r, d));
    let mut next_reviews: Vec<DueInfo> = if rec.archived {
        Vec::new()
    } else {
        rules::due_items(settings, rec, today)
            .into_iter()
            .map(|d| DueInfo { kind: d.kind, due: d.due.to_string(), days: (d.due - today).num_days(), basis: d.basis })
            .collect()
    };
    next_reviews.sort_by(|a, b| (&a.due, a.kind).cmp(&(&b.due, b.kind)));
    let contacts = p
        .contacts
        .iter()
        .flatten()
        .map(|c| ContactInfo {
            name: cell(text(&c.name)),
            relationship: s(&c.relationship),
            parental_responsibility: val(&c.parental_responsibility),
            phone: s(&c.phone),
            email: s(&c.email),
        })
        .collect();
    let professionals = p
        .professionals
        .iter()
        .flatten()
        .map(|x| ProfessionalInfo {
            service: cell(text(&x.service)),
            name: s(&x.name),
            referred: date(val(&x.referred)),
            status: val(&x.status).map(|st| st.as_str().to_string()),
            next_contact: date(val(&x.next_contact)),
        })
        .collect();
    Some(Report {
        version: VERSION,
        today: today.to_string(),
        pupil,
        profile,
        needs,
        targets,
        interventions,
        costs,
        last_review,
        prepared_review,
        next_reviews,
        contacts,
        professionals,
    })
}

fn o(x: &Option<String>) -> String {
    x.clone().unwrap_or_default()
}

fn days_words(days: i64) -> String {
    match days {
        d if d < 0 => format!("overdue by {} days", -d),
        0 => "due today".to_string(),
        d => format!("in {d} days"),
    }
}

/// The pupil's page; `j` says how the year group is written (`R` for Reception).
pub fn document(r: &Report, j: crate::model::settings::Jurisdiction) -> Document {
    let p = &r.pupil;
    let mut d = Document {
        title: Some(format!("{} ({})", p.name, crate::diag::render::escape_controls(&p.id))),
        ..Default::default()
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut field = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            fields.push((k.to_string(), v));
        }
    };
    field("Name", Some(format!("{} {}", o(&p.first_name), o(&p.last_name)).trim().to_string()));
    field("Preferred name", p.preferred_name.clone());
    field("Date of birth", p.date_of_birth.clone());
    field("Year group", p.year_group.map(|y| super::year_cell(j, Some(y))));
    field("Class", p.class.clone());
    field("Support level", p.level.clone());
    field("Since", p.since.clone());
    if let Some(plan) = &p.plan {
        field("Plan issued", plan.issued.clone());
        field("Plan amended", plan.amended.clone());
        field("Local authority", plan.authority.clone());
        field("Named setting", plan.named_setting.clone());
        field("Next reevaluation", plan.next_reevaluation.clone());
    }
    field("Key worker", p.key_worker.as_ref().map(|k| format!("{} ({})", k.name, k.id)));
    field("Gender", p.gender.clone());
    field("First language", p.first_language.clone());
    field("Joined", p.joined.clone());
    if p.archived {
        field("Left", p.left.clone());
        field("Destination", p.destination.clone());
    }
    field("UPN", p.upn.clone());
    d.section("Pupil", Block::Fields(fields));

    let pr = &r.profile;
    if let Some(about) = &pr.about_me {
        d.section("About me", Block::List(vec![about.clone()]));
    }
    for (title, items) in
        [("Strengths", &pr.strengths), ("What helps", &pr.what_helps), ("What doesn't help", &pr.what_doesnt_help)]
    {
        if !items.is_empty() {
            d.section(title, Block::List(items.clone()));
        }
    }

    let mut t = Table::new(
        vec![
            Column::left("need"),
            Column::left("area"),
            Column::left("type"),
            Column::left("primary"),
            Column::left("description"),
        ],
        "No needs recorded.",
    );
    for n in &r.needs {
        t.push(vec![
            n.id.clone(),
            o(&n.area),
            o(&n.r#type),
            if n.primary { "yes".into() } else { String::new() },
            o(&n.description),
        ]);
    }
    d.section("Needs", Block::Table(t));
    let strategies: Vec<String> =
        r.needs.iter().flat_map(|n| n.strategies.iter().map(move |st| format!("{}: {st}", n.id))).collect();
    if !strategies.is_empty() {
        d.section("Strategies", Block::List(strategies));
    }

    let mut t = Table::new(
        vec![
            Column::left("target"),
            Column::left("need"),
            Column::left("outcome"),
            Column::left("due"),
            Column::left("owner"),
            Column::left("last progress"),
        ],
        "No open targets.",
    );
    for x in &r.targets {
        let progress = match (&x.last_progress, &x.last_progress_date) {
            (Some(p), Some(d)) => format!("{p} ({d})"),
            (Some(p), None) => p.clone(),
            _ => "not yet rated".to_string(),
        };
        t.push(vec![x.id.clone(), o(&x.need), o(&x.outcome), o(&x.due), o(&x.owner), progress]);
    }
    d.section("Open targets", Block::Table(t));

    let cur = &r.costs.currency;
    let mut t = Table::new(
        vec![
            Column::left("intervention"),
            Column::left("name"),
            Column::left("staff"),
            Column::right("sessions/wk"),
            Column::right("minutes"),
            Column::right("group"),
            Column::right("pupil min/wk"),
            Column::right(&format!("{cur}/wk (share)")),
            Column::right(&format!("{cur} this year")),
        ],
        "No current interventions.",
    );
    for iv in &r.interventions {
        t.push(vec![
            iv.id.clone(),
            iv.name.clone(),
            iv.staff.as_ref().map_or(String::new(), |st| st.id.clone()),
            num(iv.sessions_per_week),
            num(iv.minutes),
            num(iv.group_size),
            num(iv.weekly_minutes),
            money(iv.weekly_cost),
            money(iv.yearly_cost),
        ]);
    }
    if !r.interventions.is_empty() {
        t.push(vec![
            "total".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            num(r.costs.weekly_minutes),
            money(r.costs.weekly),
            money(r.costs.yearly_current),
        ]);
    }
    d.section("Current interventions", Block::Table(t));
    d.notes.push(match (&r.costs.year_start, &r.costs.year_end) {
        (Some(a), Some(b)) => format!(
            "Costs: a place's weekly cost is the pupil's share (hourly rate x hours a week / group size); \
             \"this year\" is the academic year {a} to {b}, in proportion to the days the place runs in it. \
             All additional provision this academic year, ended interventions included: {} {cur} \
             (the figure `senco check` compares with the notional threshold and the provision map shows).",
            money(r.costs.yearly)
        ),
        _ => "Costs: without a [calendar] in senco.toml, yearly costs cover no days (only fixed costs per pupil)."
            .to_string(),
    });

    let mut fields = vec![(
        "Last review".to_string(),
        match &r.last_review {
            Some(l) => format!("{} ({})", l.date, l.kind.as_deref().unwrap_or("?")),
            None => "none recorded".to_string(),
        },
    )];
    if let Some(n) = &r.prepared_review {
        fields.push(("Next review".to_string(), format!("{} (prepared)", n.date)));
    }
    for n in &r.next_reviews {
        fields.push((format!("Next {}", n.kind), format!("{}, {} ({})", n.due, days_words(n.days), n.basis)));
    }
    if r.next_reviews.is_empty() && !p.archived {
        fields.push(("Next review".into(), "no statutory or school review date applies".into()));
    }
    d.section("Reviews", Block::Fields(fields));

    let mut t = Table::new(
        vec![
            Column::left("contact"),
            Column::left("relationship"),
            Column::left("parental responsibility"),
            Column::left("phone"),
            Column::left("email"),
        ],
        "No contacts recorded.",
    );
    for c in &r.contacts {
        let pr = match c.parental_responsibility {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        t.push(vec![c.name.clone(), o(&c.relationship), pr.into(), o(&c.phone), o(&c.email)]);
    }
    d.section("Contacts", Block::Table(t));

    let mut t = Table::new(
        vec![
            Column::left("service"),
            Column::left("name"),
            Column::left("referred"),
            Column::left("status"),
            Column::left("next contact"),
        ],
        "No professionals involved.",
    );
    for x in &r.professionals {
        t.push(vec![x.service.clone(), o(&x.name), o(&x.referred), o(&x.status), o(&x.next_contact)]);
    }
    d.section("Professionals", Block::Table(t));
    d
}
