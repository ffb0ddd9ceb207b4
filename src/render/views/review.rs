//! `review.*.j2`: the pack for the next review meeting. For an EHC plan's
//! annual review it carries every section the SEND Regulations 2014 (reg.
//! 20-21) and the Code of Practice (9.166-9.185) ask for. A review file dated
//! after today is the meeting being prepared (`senco new-review --date`): its
//! date, invitees, targets and any facts already gathered fill the pack, and
//! the actions come from the last review *held*. Every fact the records do
//! not hold is `None` (an empty answer box), never invented text.

use super::{
    due, interventions, pupil_view, review_view, targets, Ctx, DueView, InterventionView, PupilView, ReviewView,
    SchoolView, TargetView, Terms,
};
use crate::model::settings::Jurisdiction;
use crate::model::{text, val, Level, Recommendation, ReviewKind};
use crate::repo::PupilRecord;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Serialize)]
pub struct ReviewPack {
    pub school: SchoolView,
    pub pupil: PupilView,
    /// The date the next review is due, from `due`.
    pub next_review: Option<String>,
    pub due: Vec<DueView>,
    /// `annual` when a statutory plan's yearly review is next (or the
    /// prepared meeting is an annual review), else `termly`.
    pub kind: &'static str,
    /// `Annual review`, `Review meeting`, `Transition review`, ...
    pub title: &'static str,
    /// The pupil has an EHC plan (England): the plan's sections B to H apply.
    pub ehcp: bool,
    /// The meeting prepared with `senco new-review --date` (a review file dated
    /// after today), if any.
    pub prepared: Option<ReviewView>,
    /// The meeting date: the prepared review's, else none (a box to fill in).
    pub meeting_date: Option<String>,
    /// The latest review held by today.
    pub last_review: Option<ReviewView>,
    /// Actions of the last review held that are not marked done.
    pub open_actions: Vec<super::ActionView>,
    /// The targets to rate: those the prepared meeting lists, else the open ones.
    pub targets: Vec<TargetView>,
    /// Interventions running since the last review (or now), with entry and exit data.
    pub interventions: Vec<InterventionView>,
    /// Provision specified against provision delivered, one row per intervention.
    pub provision: Vec<ProvisionRow>,
    /// People invited: the prepared review's `invited` (else its attendees),
    /// else parents with parental responsibility, key worker, coordinator, the pupil.
    pub invitees: Vec<InviteeView>,
    /// Advice and information received for the meeting.
    pub advice: Vec<AdviceView>,
    pub pupil_voice: Option<String>,
    pub parent_voice: Option<String>,
    pub pupil_aspirations: Option<String>,
    pub parent_aspirations: Option<String>,
    pub at_home: Option<String>,
    /// Changes since the plan: needs (section B), health (C, G), social care (D, H).
    pub changes: ChangesView,
    /// `Keep the plan as it is`, `Amend the plan`, `Cease the plan`; none when not recorded.
    pub recommendation: Option<&'static str>,
    /// `keep`, `amend`, `cease`.
    pub recommendation_code: Option<&'static str>,
    pub proposed_amendments: Option<String>,
    /// An EHC plan (England) in a transfer year: a transfer recorded within
    /// 12 months (ENG-PHASE applies) or the last year of a phase. The plan
    /// must name the new setting in time. None for every other pupil.
    pub phase_transfer: Option<PhaseTransferView>,
    /// Year 9 and above in England: preparing-for-adulthood questions apply.
    pub preparing_for_adulthood: bool,
    /// What the prepared review records about preparing for adulthood.
    pub preparing_for_adulthood_notes: Option<String>,
    /// Dates of the paperwork around the meeting, when recorded.
    pub invitations_sent: Option<String>,
    pub papers_circulated: Option<String>,
    pub report_sent: Option<String>,
    pub signed: Vec<SignatureView>,
}

#[derive(Serialize)]
pub struct InviteeView {
    pub name: String,
    pub role: Option<&'static str>,
    /// Replied, as recorded; none when not recorded.
    pub responded: Option<bool>,
}

#[derive(Serialize)]
pub struct AdviceView {
    pub from: String,
    pub received: Option<String>,
    pub summary: Option<String>,
}

#[derive(Serialize, Default)]
pub struct ChangesView {
    pub needs: Option<String>,
    pub health: Option<String>,
    pub social_care: Option<String>,
}

#[derive(Serialize)]
pub struct ProvisionRow {
    pub name: String,
    /// What the plan specifies, in words: `5 sessions of 10 minutes a week, 1:1`.
    pub specified: String,
    pub staff: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// What was delivered: not recorded until delivery records exist.
    pub delivered: Option<String>,
}

#[derive(Serialize)]
pub struct PhaseTransferView {
    pub next_setting: Option<String>,
    pub date: Option<String>,
    pub phase_label: Option<&'static str>,
    /// The date by which the plan must be amended to name the new setting
    /// (15 February; 31 March for post-16), when the rule pack gives one.
    pub deadline: Option<String>,
    /// The provision the deadline rests on.
    pub source: &'static str,
}

#[derive(Serialize)]
pub struct SignatureView {
    pub name: String,
    pub role: Option<String>,
    pub date: Option<String>,
}

pub fn review_pack(cx: &Ctx, rec: &PupilRecord) -> ReviewPack {
    let j = cx.settings.school.jurisdiction;
    let pupil = pupil_view(cx, rec);
    let due = due(cx, rec);
    let level = rec.pupil.as_ref().and_then(|p| p.level());
    let is_held = |r: &&crate::repo::ReviewFile| val(&r.review.date).is_some_and(|d| d <= cx.today);
    let last_file = rec.reviews.iter().rev().find(is_held);
    let prepared_file = rec
        .reviews
        .iter()
        .filter(|r| val(&r.review.date).is_some_and(|d| d > cx.today))
        .min_by_key(|r| val(&r.review.date));
    let last_review = last_file.map(|r| review_view(cx, rec, r));
    let prepared = prepared_file.map(|r| review_view(cx, rec, r));
    let pr = prepared_file.map(|r| &r.review);
    let since = last_review.as_ref().map(|r| r.date.clone());
    let interventions: Vec<InterventionView> = interventions(cx, rec)
        .into_iter()
        .filter(|i| {
            i.current
                || match (&i.end, &since) {
                    (Some(end), Some(since)) => end >= since,
                    _ => false,
                }
        })
        .collect();
    let since_date = last_file.and_then(|r| val(&r.review.date));
    let provision = interventions
        .iter()
        .map(|i| ProvisionRow {
            name: i.name.clone(),
            specified: specified(i),
            staff: i.staff.clone(),
            start: i.start.clone(),
            end: i.end.clone(),
            delivered: delivered(cx, rec, &i.id, since_date),
        })
        .collect();

    let invitees = match pr {
        Some(rv) if rv.invited.as_ref().is_some_and(|v| !v.is_empty()) || rv.attendees.is_some() => {
            let mut list: Vec<InviteeView> = Vec::new();
            for a in rv.invited.iter().flatten().chain(rv.attendees.iter().flatten()) {
                let name = text(&a.name).unwrap_or_default().to_string();
                if list.iter().any(|x| x.name == name) {
                    continue;
                }
                list.push(InviteeView {
                    name,
                    role: val(&a.role).map(super::role_label),
                    responded: val(&a.responded),
                });
            }
            list
        }
        _ => default_invitees(cx, &pupil),
    };

    let all_targets = targets(cx, rec);
    let targets: Vec<TargetView> = match &prepared {
        Some(p) if !p.targets.is_empty() => {
            let ids: Vec<&str> = p.targets.iter().map(|t| t.target.as_str()).collect();
            all_targets.into_iter().filter(|t| ids.contains(&t.id.as_str())).collect()
        }
        _ => all_targets.into_iter().filter(|t| t.open).collect(),
    };

    let kind_of = pr.and_then(|rv| val(&rv.kind));
    let annual = match kind_of {
        Some(k) => k == ReviewKind::Annual,
        None => due.iter().any(|d| d.kind == "annual-review"),
    };
    let title = match kind_of {
        Some(ReviewKind::Annual) => "Annual review",
        Some(ReviewKind::Transition) => "Transition review",
        Some(ReviewKind::Interim) => "Interim review",
        Some(ReviewKind::Initial) => "Initial meeting",
        _ if annual => "Annual review",
        _ => "Review meeting",
    };
    let ehcp = level == Some(Level::Ehcp);
    let recommendation = pr.and_then(|rv| val(&rv.recommendation));
    let phase_transfer = phase_transfer(cx, rec, &pupil);
    let open_actions = last_review
        .as_ref()
        .map_or_else(Vec::new, |r| r.actions.iter().filter(|a| a.done.is_none()).cloned().collect());
    let opt = |f: fn(&crate::model::Review) -> Option<&str>| pr.and_then(f).map(str::to_string);
    let date = |f: fn(&crate::model::Review) -> Option<chrono::NaiveDate>| pr.and_then(f).map(|d| d.to_string());
    ReviewPack {
        school: cx.school(),
        next_review: due.first().map(|d| d.due.clone()),
        kind: if annual { "annual" } else { "termly" },
        title,
        ehcp,
        meeting_date: prepared.as_ref().map(|p| p.date.clone()),
        preparing_for_adulthood: j == Jurisdiction::England && pupil.year_group.is_some_and(|y| y >= 9),
        preparing_for_adulthood_notes: opt(|r| text(&r.preparing_for_adulthood)),
        pupil_voice: opt(|r| text(&r.pupil_voice)),
        parent_voice: opt(|r| text(&r.parent_voice)),
        pupil_aspirations: opt(|r| text(&r.pupil_aspirations)),
        parent_aspirations: opt(|r| text(&r.parent_aspirations)),
        at_home: opt(|r| text(&r.at_home)),
        proposed_amendments: opt(|r| text(&r.proposed_amendments)),
        invitations_sent: date(|r| val(&r.invitations_sent)),
        papers_circulated: date(|r| val(&r.papers_circulated)),
        report_sent: date(|r| val(&r.report_sent)),
        changes: pr.and_then(|r| r.changes.as_ref()).map_or_else(ChangesView::default, |c| ChangesView {
            needs: text(&c.needs).map(str::to_string),
            health: text(&c.health).map(str::to_string),
            social_care: text(&c.social_care).map(str::to_string),
        }),
        advice: pr
            .map(|r| {
                let mut v: Vec<AdviceView> = r
                    .advice
                    .iter()
                    .flatten()
                    .map(|a| AdviceView {
                        from: text(&a.from).unwrap_or_default().to_string(),
                        received: val(&a.received).map(|d| d.to_string()),
                        summary: text(&a.summary).map(str::to_string),
                    })
                    .collect();
                v.sort_by(|a, b| a.received.cmp(&b.received).then(a.from.cmp(&b.from)));
                v
            })
            .unwrap_or_default(),
        signed: pr
            .map(|r| {
                r.signed
                    .iter()
                    .flatten()
                    .map(|s| SignatureView {
                        name: text(&s.name).unwrap_or_default().to_string(),
                        // A recorded role in the invitee table's words ("parent" is
                        // "Parent"); any other role as written.
                        role: text(&s.role).map(|r| {
                            crate::model::Role::parse(r)
                                .map_or_else(|| r.to_string(), |r| super::role_label(r).to_string())
                        }),
                        date: val(&s.date).map(|d| d.to_string()),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        recommendation: recommendation.map(|r| match r {
            Recommendation::Keep => "Keep the plan as it is",
            Recommendation::Amend => "Amend the plan",
            Recommendation::Cease => "Cease the plan",
        }),
        recommendation_code: recommendation.map(|r| r.as_str()),
        phase_transfer,
        pupil,
        due,
        prepared,
        last_review,
        open_actions,
        targets,
        interventions,
        provision,
        invitees,
    }
}

/// Parents with parental responsibility, key worker, coordinator, the pupil.
fn default_invitees(cx: &Ctx, pupil: &PupilView) -> Vec<InviteeView> {
    let mut invitees: Vec<InviteeView> = pupil
        .contacts
        .iter()
        .filter(|c| c.parental_responsibility)
        .map(|c| InviteeView { name: c.name.clone(), role: Some("Parent"), responded: None })
        .collect();
    if let Some(k) = &pupil.key_worker {
        invitees.push(InviteeView { name: k.clone(), role: Some("Key worker"), responded: None });
    }
    if let Some(s) = &cx.settings.school.senco {
        invitees.push(InviteeView {
            name: s.clone(),
            role: Some(Terms::of(cx.settings.school.jurisdiction).coordinator),
            responded: None,
        });
    }
    invitees.push(InviteeView { name: pupil.name.clone(), role: Some("Pupil"), responded: None });
    invitees
}

/// What the place received, in words, from the delivery records
/// (`super::delivered`, the request pack's figures too): since the last
/// review held (else since it started, or since its sessions were first
/// logged) to its end or today. `None` ("Not recorded") when its provision
/// has no delivery records for that span.
pub fn delivered(cx: &Ctx, rec: &PupilRecord, id: &str, since: Option<NaiveDate>) -> Option<String> {
    let iv = rec.interventions.iter().find(|iv| text(&iv.id) == Some(id))?;
    let d = super::delivered::delivered(cx, rec, iv, since).filter(|d| d.recorded)?;
    let n = |m: f64| crate::render::fmt_num(m.round());
    let f = &d.figures;
    let period = d.period();
    let mut out = match (d.planned_minutes.filter(|p| *p > 0.0), d.percent()) {
        (Some(planned), Some(share)) => format!(
            "{} of {} planned minutes received {period} ({}%)",
            n(f.delivered_minutes),
            n(planned),
            crate::render::fmt_num(share)
        ),
        _ => format!("{} minutes received {period}", n(f.delivered_minutes)),
    };
    let missed = d.missed();
    if !missed.is_empty() {
        out.push_str(&format!(". Missed: {}", missed.join("; ")));
    }
    out.push('.');
    if d.unread {
        out.push_str(" Some records of sessions could not be read, so this may be too few.");
    }
    Some(out)
}

/// `5 sessions of 10 minutes a week, in a group of 4`.
pub fn specified(i: &InterventionView) -> String {
    let n = crate::render::fmt_num;
    let sessions = if i.sessions_per_week == 1.0 {
        "1 session".to_string()
    } else {
        format!("{} sessions", n(i.sessions_per_week))
    };
    let mut s = format!("{sessions} of {} minutes a week", n(i.minutes));
    if i.group_size > 1.0 {
        s.push_str(&format!(", in a group of {}", n(i.group_size)));
    } else if i.delivery == Some("1:1") {
        s.push_str(", one to one");
    }
    s
}

fn phase_transfer(cx: &Ctx, rec: &PupilRecord, pupil: &PupilView) -> Option<PhaseTransferView> {
    // Reg. 18 is a duty of an EHC plan in England: the section shows only in
    // a transfer year, when ENG-PHASE applies (a transfer recorded within the
    // coming 12 months) or the pupil is in the last year of a phase. The rule
    // pack answers for every pupil, so a not-applicable outcome is no answer.
    if cx.settings.school.jurisdiction != Jurisdiction::England
        || rec.pupil.as_ref().and_then(|p| p.level()) != Some(Level::Ehcp)
    {
        return None;
    }
    let outcome = crate::rules::eval::evaluate(cx.settings, rec, cx.today)
        .into_iter()
        .find(|o| o.rule.code == "ENG-PHASE" && o.status != crate::rules::eval::Status::NotApplicable);
    let end_of_phase =
        pupil.year_group.is_some_and(|y| y == 2 || y == 6 || y == 11 || Some(y) == cx.settings.school.last_year_group);
    if outcome.is_none() && !end_of_phase {
        return None;
    }
    let t = pupil.transition.as_ref();
    Some(PhaseTransferView {
        next_setting: t.and_then(|t| t.next_setting.clone()),
        date: t.and_then(|t| t.date.clone()),
        phase_label: t.and_then(|t| t.phase_label),
        deadline: outcome.as_ref().and_then(|o| o.due).map(|d| d.to_string()),
        source: outcome.as_ref().map_or("SEND Regulations 2014, reg. 18", |o| o.rule.source),
    })
}

#[cfg(test)]
mod tests {
    use super::super::words;

    #[test]
    fn words_module_is_reachable() {
        assert_eq!(words::months(12.0), "1 year 0 months");
    }
}
