//! The text of a new review file (`senco new-review`): pre-filled from the
//! pupil's records so the meeting only fills the gaps.
//!
//! Gaps are empty values (`progress:` with nothing after it). The loader reads
//! an empty value as absent, so a fresh review passes `senco check` as it is
//! and nothing false is recorded before the meeting happens.

use super::surgical::{yaml_flow_text, yaml_text};
use crate::model::settings::Jurisdiction;
use crate::model::{text, val, Level, ReviewKind, Role, Settings, Staff, StaffRole};
use crate::repo::PupilRecord;
use crate::rules::dates::{add_days, add_weeks, within_12_months};
use chrono::{Datelike, NaiveDate};

/// The attendee role for a staff member's role.
pub fn attendee_role(role: StaffRole) -> Role {
    match role {
        StaffRole::Teacher => Role::Teacher,
        StaffRole::TeachingAssistant => Role::TeachingAssistant,
        StaffRole::Senco => Role::Senco,
        StaffRole::Specialist => Role::Therapist,
        StaffRole::External => Role::Other,
        StaffRole::Leader => Role::SchoolLeader,
    }
}

/// `parent` for a mother, father or parent; `carer` for anyone else with
/// parental responsibility (foster carer, guardian, grandparent, ...).
pub fn contact_role(relationship: Option<&str>) -> Role {
    let r = relationship.unwrap_or("").to_ascii_lowercase();
    let other = ["grand", "foster", "guardian", "carer", "aunt", "uncle"];
    let parent = ["mother", "father", "parent", "mum", "dad"];
    if !other.iter().any(|w| r.contains(w)) && parent.iter().any(|w| r.contains(w)) {
        Role::Parent
    } else {
        Role::Carer
    }
}

/// The default kind: the statutory review for a statutory plan, else termly.
pub fn default_kind(level: Option<Level>) -> ReviewKind {
    if level.is_some_and(Level::statutory) {
        ReviewKind::Annual
    } else {
        ReviewKind::Termly
    }
}

/// When the next review falls due after one held on `date`, and why.
pub fn next_review(
    settings: &Settings,
    rec: &PupilRecord,
    date: NaiveDate,
    kind: ReviewKind,
) -> Option<(NaiveDate, String)> {
    let pupil = rec.pupil.as_ref()?;
    let level = pupil.level()?;
    let juris = settings.school.jurisdiction;
    if !juris.levels().contains(&level) || !level.on_register() {
        return None;
    }
    if juris == Jurisdiction::England && level == Level::SenSupport {
        let w = settings.reviews.support_review_weeks;
        return Some((add_weeks(date, w), format!("{w} weeks after this review (reviews.support_review_weeks)")));
    }
    if level.statutory() && kind != ReviewKind::Annual {
        // An interim or termly review does not move the statutory review:
        // keep the date the rule pack already has, when it is still ahead.
        let pending = crate::rules::due_items(settings, rec, date)
            .into_iter()
            .find(|i| i.kind == "annual-review" && i.due > date)
            .map(|i| (i.due, format!("the plan's annual review, {}", i.basis)));
        if pending.is_some() {
            return pending;
        }
    }
    Some((within_12_months(date), "within 12 months of this review".into()))
}

/// Everything `review_text` needs.
pub struct NewReview<'a> {
    pub settings: &'a Settings,
    pub staff: &'a [Staff],
    pub rec: &'a PupilRecord,
    pub date: NaiveDate,
    pub kind: ReviewKind,
    pub today: NaiveDate,
}

/// Aligns trailing comments at column 38 like the format's examples.
fn line(out: &mut String, code: &str, comment: &str) {
    if comment.is_empty() {
        out.push_str(code);
    } else {
        let pad = 37usize.saturating_sub(code.chars().count()).max(1);
        out.push_str(&format!("{code}{}# {comment}", " ".repeat(pad)));
    }
    out.push('\n');
}

/// One line of text for a comment: no line breaks, at most `max` characters.
fn comment_text(s: &str, max: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > max {
        format!("{}...", one.chars().take(max.saturating_sub(3)).collect::<String>())
    } else {
        one
    }
}

pub fn review_text(r: &NewReview) -> String {
    let NewReview { settings, staff, rec, date, kind, today } = *r;
    let pupil = rec.pupil.as_ref();
    let name = pupil.map(|p| p.display_name()).filter(|n| !n.is_empty()).unwrap_or_else(|| rec.dir.clone());
    let level = pupil.and_then(|p| p.level());
    let statutory = level.is_some_and(Level::statutory);
    // The first line points editors at the review schema (docs/schema.md).
    let mut o = crate::model::schema::Kind::Review.modeline(&format!("{}/reviews/r.yaml", rec.rel)).unwrap_or_default();
    o.push('\n');
    let kind_word = kind.as_str();
    let heading: String =
        kind_word.chars().take(1).flat_map(char::to_uppercase).chain(kind_word.chars().skip(1)).collect();
    o.push_str(&format!("# {heading} review for {name}, held on {date}.\n"));
    o.push_str(&format!(
        "# Prepared by `senco new-review` on {today}. Fill in the gaps at the meeting: an empty value\n\
         # means \"not recorded yet\", so this file passes `senco check` as it is.\n"
    ));
    line(&mut o, &format!("date: {date}"), "");
    line(&mut o, &format!("kind: {kind}"), "termly | annual | interim | transition | initial");

    // Attendees: the key worker, then everyone with parental responsibility.
    let mut attendees: Vec<(String, Role, String)> = Vec::new();
    if let Some(kw) = pupil.and_then(|p| text(&p.key_worker)) {
        if let Some(s) = staff.iter().find(|s| text(&s.id) == Some(kw)) {
            if let (Some(n), Some(role)) = (text(&s.name), val(&s.role)) {
                attendees.push((n.to_string(), attendee_role(role), "key worker".into()));
            }
        }
    }
    for c in pupil.and_then(|p| p.contacts.as_ref()).into_iter().flatten() {
        if val(&c.parental_responsibility) == Some(true) {
            if let Some(n) = text(&c.name) {
                let rel = text(&c.relationship);
                attendees.push((
                    n.to_string(),
                    contact_role(rel),
                    rel.map(|r| comment_text(r, 30)).unwrap_or_default(),
                ));
            }
        }
    }
    if attendees.is_empty() {
        line(&mut o, "attendees: []", "add `- { name: ..., role: ... }` for each person at the meeting");
    } else {
        line(&mut o, "attendees:", "remove anyone who did not come; add others");
        for (n, role, why) in &attendees {
            line(&mut o, &format!("  - {{ name: {}, role: {role} }}", yaml_flow_text(n)), why);
        }
    }
    line(&mut o, "pupil_voice:", "what the pupil said, in their words where possible");
    line(&mut o, "parent_voice:", "what the parents or carers said");

    // Every open target, to rate.
    let open: Vec<_> = rec.targets.iter().filter(|t| t.is_open()).filter_map(|t| Some((text(&t.id)?, t))).collect();
    if open.is_empty() {
        line(&mut o, "targets: []", "no open targets; add `- target: ID` to rate one");
    } else {
        line(&mut o, "targets:", "progress: achieved | partly-achieved | not-achieved | discontinued | open");
        for (id, t) in open {
            let outcome = text(&t.outcome).map(|s| comment_text(s, 60)).unwrap_or_default();
            line(&mut o, &format!("  - target: {}", yaml_text(id)), &outcome);
            line(&mut o, "    progress:", "");
            line(&mut o, "    note:", "");
        }
    }
    line(&mut o, "actions: []", "add `- { action: ..., owner: ..., due: YYYY-MM-DD }`");
    // A date past 9999-12-31 cannot be written YYYY-MM-DD, so it is left for the meeting to agree.
    match next_review(settings, rec, date, kind).filter(|(d, _)| d.year() <= 9999) {
        Some((d, why)) => line(&mut o, &format!("next_review: {d}"), &why),
        None => line(&mut o, "next_review:", "optional: the date agreed for the next review"),
    }

    // The statutory annual review of an EHC plan (SEND Regulations 2014, reg. 20).
    if kind == ReviewKind::Annual && statutory && settings.school.jurisdiction == Jurisdiction::England {
        o.push_str("# Statutory annual review (SEND Regulations 2014, reg. 20): fill in each date when it is done.\n");
        line(&mut o, "invited:", "reg. 20(2): parent, school, local authority, health, social care");
        for (n, role, _) in attendees.iter().filter(|(_, role, _)| matches!(role, Role::Parent | Role::Carer)) {
            line(&mut o, &format!("  - {{ name: {}, role: {role} }}", yaml_flow_text(n)), "");
        }
        match settings.school.senco.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => line(&mut o, &format!("  - {{ name: {}, role: senco }}", yaml_flow_text(s)), "the school"),
            None => line(&mut o, "  # - { name: ..., role: school-leader }", "the school: name the head or delegate"),
        }
        match pupil.and_then(|p| p.plan()).and_then(|p| text(&p.authority)) {
            Some(a) => line(
                &mut o,
                &format!("  - {{ name: {}, role: local-authority }}", yaml_flow_text(a)),
                "name the SEN caseworker",
            ),
            None => line(&mut o, "  # - { name: ..., role: local-authority }", "name the SEN caseworker"),
        }
        line(&mut o, "  # - { name: ..., role: health }", "name the health contact");
        line(&mut o, "  # - { name: ..., role: social-care }", "name the social care contact");
        let before = date.checked_sub_days(chrono::Days::new(14)).unwrap_or(date);
        line(&mut o, "invitations_sent:", &format!("by {before}: at least 2 weeks before the meeting, reg. 20(3)"));
        line(&mut o, "papers_circulated:", &format!("by {before}: advice sent 2 weeks before the meeting, reg. 20(4)"));
        line(&mut o, "report_sent:", &format!("by {}: within 2 weeks of the meeting, reg. 20(7)", add_days(date, 14)));
        line(&mut o, "la_decision:", &format!("by {}: the LA decides within 4 weeks, reg. 20(10)", add_days(date, 28)));
        if pupil.and_then(|p| val(&p.year_group)).is_some_and(|y| y >= 9) {
            line(
                &mut o,
                "preparing_for_adulthood:",
                "Year 9 and above: employment, independent living, community, health; reg. 20(6)",
            );
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        assert_eq!(contact_role(Some("Mother")), Role::Parent);
        assert_eq!(contact_role(Some("foster carer")), Role::Carer);
        assert_eq!(contact_role(Some("grandmother")), Role::Carer);
        assert_eq!(contact_role(Some("step-father")), Role::Parent);
        assert_eq!(contact_role(None), Role::Carer);
        assert_eq!(attendee_role(StaffRole::Leader), Role::SchoolLeader);
    }
}
