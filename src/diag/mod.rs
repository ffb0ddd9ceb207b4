//! Findings about records, and the renderers that turn them into text.
//!
//! A [`Finding`] is a value: checks return them, nothing here decides what is
//! wrong. The renderers (`human`, `json`, `github`) are the only code that
//! knows how a finding looks to a person or a program.

pub mod render;

use crate::model::span::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One thing `senco check` has to say about the records.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// A stable code from the registry in `check::codes` (kebab-case), or a
    /// rule code from a rule pack (e.g. `ENG-AR-DUE`).
    pub code: &'static str,
    /// Path relative to the repository root, with forward slashes.
    pub file: String,
    /// Where in the file; `None` for findings about a whole file or folder.
    pub span: Option<Span>,
    pub message: String,
    pub hint: Option<String>,
    /// The pupil id the finding is about, if any.
    pub pupil: Option<String>,
}

impl Finding {
    pub fn new(
        severity: Severity,
        code: &'static str,
        file: impl Into<String>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Finding {
        Finding { severity, code, file: file.into(), span, message: message.into(), hint: None, pupil: None }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    pub fn line(&self) -> u32 {
        self.span.map_or(1, |s| s.start.line)
    }

    pub fn column(&self) -> u32 {
        self.span.map_or(1, |s| s.start.column)
    }

    /// The order findings are reported in: file, line, column, code, message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (&self.file, self.line(), self.column(), self.code, &self.message)
    }
}

/// Sorts findings into report order and removes exact duplicates.
pub fn sort(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let mut t = Tally::default();
        for f in findings {
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => t.infos += 1,
            }
        }
        t
    }
}
