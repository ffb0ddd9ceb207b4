//! England's school census SEN figures (ENG-CENSUS): per pupil the SEN
//! provision code (E for an EHC plan, K for SEN support, N otherwise) and the
//! primary and secondary SEN types by rank.

use crate::model::{text, val, Level};
use crate::repo::Repo;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CensusRow {
    pub pupil: String,
    pub name: String,
    pub year_group: Option<i64>,
    /// `E`, `K` or `N`.
    pub provision: &'static str,
    /// The primary need's type: SEN type rank 1.
    pub primary_type: Option<String>,
    /// The first other need with a type, in needs.yaml order: rank 2.
    pub secondary_type: Option<String>,
    /// Why the pupil cannot be coded, if they cannot.
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Census {
    pub rows: Vec<CensusRow>,
    /// Pupils per provision code.
    pub by_provision: BTreeMap<&'static str, usize>,
    /// Pupils per primary SEN type, for E and K.
    pub by_primary_type: BTreeMap<String, usize>,
    pub errors: usize,
}

/// The census figures of the pupils on roll (only `england` has codes; other
/// jurisdictions get `N` throughout and no errors).
pub fn census(repo: &Repo) -> Census {
    let mut out = Census::default();
    for rec in &repo.pupils {
        let Some(p) = &rec.pupil else { continue };
        let provision = match p.level() {
            Some(Level::Ehcp) => "E",
            Some(Level::SenSupport) => "K",
            _ => "N",
        };
        let primary = rec.needs.iter().find(|n| val(&n.primary) == Some(true));
        let primary_type = primary.and_then(|n| text(&n.r#type)).map(str::to_string);
        let secondary_type = rec
            .needs
            .iter()
            .filter(|n| val(&n.primary) != Some(true))
            .find_map(|n| text(&n.r#type))
            .filter(|t| Some(*t) != primary_type.as_deref())
            .map(str::to_string);
        let error = match (provision, &primary_type) {
            ("N", _) => None,
            (_, None) if primary.is_none() => Some("no primary need is recorded".to_string()),
            (_, None) => Some("the primary need has no `type`".to_string()),
            ("E", Some(t)) if t == "NSA" => Some("`NSA` is only used with SEN support (K)".to_string()),
            _ => None,
        };
        *out.by_provision.entry(provision).or_default() += 1;
        if provision != "N" {
            if let Some(t) = &primary_type {
                *out.by_primary_type.entry(t.clone()).or_default() += 1;
            }
        }
        out.errors += usize::from(error.is_some());
        out.rows.push(CensusRow {
            pupil: rec.dir.clone(),
            name: p.display_name(),
            year_group: val(&p.year_group),
            provision,
            primary_type: if provision == "N" { None } else { primary_type },
            secondary_type: if provision == "N" { None } else { secondary_type },
            error,
        });
    }
    out
}
