//! Failures of the tool itself (as opposed to findings about the records):
//! not in a repository, unreadable settings, I/O, bad arguments. Each maps to
//! exit code 2 and renders with a hint.

use crate::diag::{Finding, Severity};
use crate::model::span::{Pos, Span};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// No `senco.toml` here or above.
    NotARepo(PathBuf),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `senco.toml` is invalid: a located finding with the file's text.
    Settings {
        finding: Box<Finding>,
        text: String,
    },
    /// A command was used wrongly; the message says how to use it.
    Usage {
        message: String,
        hint: Option<String>,
    },
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.to_path_buf(), source }
    }

    pub fn usage(message: impl Into<String>, hint: Option<String>) -> Error {
        Error::Usage { message: message.into(), hint }
    }

    pub fn settings_at(text: &str, byte: usize, message: String, hint: Option<String>) -> Error {
        let before = &text[..byte.min(text.len())];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        let pos = Pos { offset: before.chars().count() as u32, line, column };
        let mut finding =
            Finding::new(Severity::Error, "bad-settings", crate::repo::SETTINGS_FILE, Some(Span::point(pos)), message);
        finding.hint = hint;
        Error::Settings { finding: Box::new(finding), text: text.to_string() }
    }

    /// A TOML error from reading senco.toml, located and explained.
    pub fn settings(text: &str, e: &toml::de::Error) -> Error {
        let byte = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().replace('\n', " ");
        let hint = unknown_field_hint(&message).or_else(|| {
            Some("senco.toml is described in docs/format.md; `senco init` writes a commented example".into())
        });
        Error::settings_at(text, byte, format!("invalid senco.toml: {message}"), hint)
    }

    pub fn exit_code(&self) -> u8 {
        2
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": did you mean.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let s = crate::repo::decode::suggest(field, expected.iter().copied())?;
    Some(format!("did you mean `{s}`?"))
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotARepo(p) => {
                write!(f, "not a senco records repository: no `senco.toml` in `{}` or any folder above it", p.display())
            }
            Error::Io { path, source } => write!(f, "cannot read or write `{}`: {source}", path.display()),
            Error::Settings { finding, .. } => write!(f, "{}", finding.message),
            Error::Usage { message, .. } => f.write_str(message),
        }
    }
}

impl Error {
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotARepo(_) => Some("run senco inside a records repository, point to one with `-C DIR`, or create one with `senco init DIR`".into()),
            Error::Io { .. } => None,
            Error::Settings { finding, .. } => finding.hint.clone(),
            Error::Usage { hint, .. } => hint.clone(),
        }
    }
}
