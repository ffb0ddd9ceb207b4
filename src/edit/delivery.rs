//! Appending a delivered session to `delivery/<place>/YYYY-MM.yaml`
//! (docs/format.md, "delivery/"). Like the pupil's log, the file only grows:
//! the session is added after the last byte, so every session, comment and
//! quirk already there stays exactly as it was (the one exception: a file
//! that is just `[]` has that empty list replaced by the session).

use crate::edit::log::AppendError;
use crate::edit::surgical::{yaml_flow_text, yaml_text};
use crate::model::{Attendance, Session};
use chrono::NaiveDate;

/// One session as logged for its group.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub date: NaiveDate,
    /// The whole session's length; `None`: the place's planned minutes.
    pub minutes: Option<u32>,
    pub staff: Option<String>,
    /// Each pupil, what happened, an optional reason.
    pub pupils: Vec<(String, Attendance, Option<String>)>,
    /// The session did not run: why (then `pupils` is empty: the whole group missed it).
    pub cancelled: Option<String>,
}

/// The session as YAML lines ending in `nl`.
fn session_text(s: &NewSession, nl: &str) -> String {
    let mut out = format!("- date: {}{nl}", s.date);
    if let Some(m) = s.minutes {
        out.push_str(&format!("  minutes: {m}{nl}"));
    }
    if let Some(st) = &s.staff {
        out.push_str(&format!("  staff: {}{nl}", yaml_text(st)));
    }
    if let Some(why) = &s.cancelled {
        out.push_str(&format!("  cancelled: {}{nl}", yaml_text(why.trim())));
    }
    if !s.pupils.is_empty() {
        out.push_str(&format!("  pupils:{nl}"));
        for (p, status, reason) in &s.pupils {
            out.push_str(&format!("    - {{ pupil: {}, status: {}", yaml_flow_text(p), status.as_str()));
            if let Some(r) = reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                out.push_str(&format!(", reason: {}", yaml_flow_text(r)));
            }
            out.push_str(&format!(" }}{nl}"));
        }
    }
    out
}

/// The header of a new month's file.
pub fn new_file_header(place: &str) -> String {
    crate::edit::log::file_header(crate::model::schema::Kind::Delivery, "delivery/p/m.yaml", place, |place| {
        format!(
            "# Sessions of {place} delivered this month, one entry per session, logged once for every pupil in it\n\
             # (docs/format.md, delivery/). `minutes` is the whole session's length.\n"
        )
    })
}

/// `old` (the file as read, or a new file's header) with the session
/// appended; read back before it is returned.
pub fn append(old: &str, session: &NewSession) -> Result<String, AppendError> {
    crate::edit::log::append_item::<Session>(old, |nl| session_text(session, nl), "delivery.yaml", "sessions")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> NewSession {
        NewSession {
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            minutes: Some(20),
            staff: Some("ta-jones".into()),
            pupils: vec![
                ("ava-brown".into(), Attendance::Attended, None),
                ("jayden-smith".into(), Attendance::Absent, Some("illness, then a dentist".into())),
            ],
            cancelled: None,
        }
    }

    #[test]
    fn appends_after_every_existing_byte() {
        let old = "# kept\n- date: 2026-11-02   # odd\n  staff: ta-jones\n  cancelled: trip";
        let new = append(old, &session()).unwrap();
        assert!(new.starts_with(old));
        assert_eq!(
            &new[old.len()..],
            "\n- date: 2026-11-24\n  minutes: 20\n  staff: ta-jones\n  pupils:\n    - { pupil: ava-brown, status: attended }\n    - { pupil: jayden-smith, status: absent, reason: \"illness, then a dentist\" }\n"
        );
    }

    #[test]
    fn a_new_file_an_empty_list_a_cancelled_session_and_a_flow_list() {
        let header = new_file_header("phonics\ncatch-up");
        assert!(!header.contains("phonics\ncatch"));
        let cancelled =
            NewSession { pupils: vec![], cancelled: Some("Ms Jones covering: a class".into()), ..session() };
        let new = append(&header, &cancelled).unwrap();
        assert!(new.ends_with("  staff: ta-jones\n  cancelled: \"Ms Jones covering: a class\"\n"), "{new}");
        let new = append("# x\r\n[]\r\n", &session()).unwrap();
        assert!(new.starts_with("# x\r\n- date: 2026-11-24\r\n"));
        assert_eq!(append("[{ date: 2026-11-02, cancelled: x }]\n", &session()), Err(AppendError::Shape));
    }
}
