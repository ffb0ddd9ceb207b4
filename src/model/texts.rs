//! Every free text of a record, reachable for rewriting in memory: `senco
//! serve --anonymise` turns the people's names in them into initials. The
//! `record!` and `vocab!` macros implement [`Texts`] for each record and
//! vocabulary from the same declaration as their decoding, so a new text
//! field cannot be missed.

use chrono::NaiveDate;

/// A value whose texts can be visited (and changed) one by one.
pub trait Texts {
    /// Calls `f` on each text held, in declaration order. Values with no
    /// text (dates, numbers, vocabulary words) hold none.
    fn texts(&mut self, _f: &mut dyn FnMut(&mut String)) {}
}

impl Texts for String {
    fn texts(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(self)
    }
}

impl<T: Texts> Texts for super::span::Spanned<T> {
    fn texts(&mut self, f: &mut dyn FnMut(&mut String)) {
        self.value.texts(f)
    }
}

impl<T: Texts> Texts for Vec<T> {
    fn texts(&mut self, f: &mut dyn FnMut(&mut String)) {
        for v in self {
            v.texts(f)
        }
    }
}

impl<T: Texts> Texts for Option<T> {
    fn texts(&mut self, f: &mut dyn FnMut(&mut String)) {
        if let Some(v) = self {
            v.texts(f)
        }
    }
}

impl Texts for i64 {}
impl Texts for f64 {}
impl Texts for bool {}
impl Texts for NaiveDate {}
impl Texts for super::LaDecision {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Review;
    use crate::repo::decode::Decode;

    #[test]
    fn every_text_of_a_review_is_visited_dates_and_words_are_not() {
        let text = "date: 2026-10-01\nkind: annual\nattendees:\n  - { name: Mrs A. Okonkwo, role: parent }\npupil_voice: I like maths\nsigned:\n  - { name: Mr D. Osei, role: SENCO, date: 2026-10-02 }\nadvice:\n  - { from: Ann Lee, summary: Reads well }\n";
        let doc = crate::repo::yaml::parse(text).unwrap().unwrap();
        let mut cx = crate::repo::decode::Cx::new("r.yaml");
        let mut r = Review::decode(&doc, &mut cx).unwrap();
        let mut seen = Vec::new();
        r.texts(&mut |s| seen.push(s.clone()));
        assert_eq!(seen, ["Mrs A. Okonkwo", "I like maths", "Ann Lee", "Reads well", "Mr D. Osei", "SENCO"]);
        r.texts(&mut |s| *s = s.to_uppercase());
        assert_eq!(r.pupil_voice.unwrap().value, "I LIKE MATHS");
    }
}
