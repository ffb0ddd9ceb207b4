//! `senco new-pupil`: create a pupil's folder, all files at once or none.

use super::{eprint, Ctx};
use crate::check::valid_id;
use crate::cli::NewPupilArgs;
use crate::edit::batch::Batch;
use crate::edit::scaffold;
use crate::error::Error;
use crate::model::settings::Jurisdiction;
use crate::model::Level;
use crate::repo::decode::{list, parse_date};
use chrono::NaiveDate;
use std::io::{BufRead, IsTerminal, Write};

/// Every answer `new-pupil` needs, from the flags or asked for.
struct Filled {
    id: String,
    first: String,
    last: String,
    dob: NaiveDate,
    year: i64,
    level: String,
    class: Option<String>,
    plan_issued: Option<NaiveDate>,
}

/// Asks `question` until `parse` accepts the answer; `None` at end of input.
fn ask<T>(
    input: &mut impl BufRead,
    out: &mut impl Write,
    question: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    loop {
        let _ = write!(out, "{question}: ");
        let _ = out.flush();
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        match parse(line.trim()) {
            Ok(v) => return Some(v),
            Err(why) => {
                let _ = writeln!(out, "  {why}");
            }
        }
    }
}

fn text_answer(s: &str) -> Result<String, String> {
    if s.is_empty() {
        Err("please type something".into())
    } else {
        Ok(s.to_string())
    }
}

/// The flags, with whatever is missing asked for on a terminal. Without a
/// terminal (a script, CI) nothing is ever asked: missing flags are an error.
fn fill(
    args: &NewPupilArgs,
    juris: Jurisdiction,
    input: &mut impl BufRead,
    out: &mut impl Write,
    interactive: bool,
) -> Result<Filled, Error> {
    let missing: Vec<&str> = [
        ("--id", args.id.is_none()),
        ("--first", args.first.is_none()),
        ("--last", args.last.is_none()),
        ("--dob", args.dob.is_none()),
        ("--year", args.year.is_none()),
        ("--level", args.level.is_none()),
    ]
    .into_iter()
    .filter(|(_, m)| *m)
    .map(|(f, _)| f)
    .collect();
    if !missing.is_empty() && !interactive {
        return Err(Error::usage(
            format!("missing {}", list(&missing)),
            Some("give every flag (see `senco new-pupil --help`), or run it on a terminal to be asked".into()),
        ));
    }
    let eof = || Error::usage("new-pupil was not finished: the input ended", None);
    let levels: Vec<&str> = juris.levels().iter().map(|l| l.as_str()).collect();
    let id = match &args.id {
        Some(v) => v.clone(),
        None => ask(input, out, "Record id (e.g. ava-brown)", |s| {
            if valid_id(s) {
                Ok(s.to_string())
            } else {
                Err("3-64 lowercase letters, digits and `-`, starting with a letter".into())
            }
        })
        .ok_or_else(eof)?,
    };
    let first = match &args.first {
        Some(v) => v.clone(),
        None => ask(input, out, "First name", text_answer).ok_or_else(eof)?,
    };
    let last = match &args.last {
        Some(v) => v.clone(),
        None => ask(input, out, "Last name", text_answer).ok_or_else(eof)?,
    };
    let dob = match args.dob {
        Some(v) => v,
        None => ask(input, out, "Date of birth (YYYY-MM-DD)", parse_date).ok_or_else(eof)?,
    };
    let year = match args.year {
        Some(v) => v,
        None => ask(input, out, "Year group (e.g. 4, Y4, R for Reception, N2 for nursery)", crate::cli::parse_year)
            .ok_or_else(eof)?,
    };
    // The class is optional: asked for on a terminal, an empty answer skips it.
    let class = match &args.class {
        Some(c) => Some(c.clone()),
        None if interactive && !missing.is_empty() => {
            ask(input, out, "Class or form (e.g. 4B; Enter to leave it out)", |s| Ok::<_, String>(s.to_string()))
                .ok_or_else(eof)?
                .into()
        }
        None => None,
    }
    .filter(|c: &String| !c.trim().is_empty());
    let level = match &args.level {
        Some(v) => v.clone(),
        None => ask(input, out, &format!("Support level ({})", levels.join(", ")), |s| {
            if levels.contains(&s) {
                Ok(s.to_string())
            } else {
                Err(match crate::repo::decode::suggest(s, levels.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`? one of {}", levels.join(", ")),
                    None => format!("one of {}", levels.join(", ")),
                })
            }
        })
        .ok_or_else(eof)?,
    };
    let statutory = Level::parse(&level).is_some_and(Level::statutory);
    let plan_issued = match args.plan_issued {
        None if statutory && interactive => {
            Some(ask(input, out, "Date the current plan was issued (YYYY-MM-DD)", parse_date).ok_or_else(eof)?)
        }
        other => other,
    };
    Ok(Filled { id, first, last, dob, year, level, class, plan_issued })
}

/// A name as typed or pasted, without the spaces and invisible characters
/// (a byte-order mark, a zero-width space) that copying from a document or
/// a spreadsheet leaves around it.
fn tidy(s: &str, flag: &str) -> Result<String, Error> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c.is_control() || scaffold::invisible(c));
    if t.is_empty() {
        return Err(Error::usage(format!("{flag} is empty"), Some(format!("give {flag} a value, e.g. {flag} Ava"))));
    }
    Ok(t.to_string())
}

pub fn run(ctx: &Ctx, args: &NewPupilArgs) -> Result<u8, Error> {
    let root = ctx.root()?;
    let settings_text = crate::repo::read::read_school_text(&root, crate::repo::SETTINGS_FILE)?;
    let settings = crate::model::Settings::parse(&settings_text).map_err(|e| Error::settings(&settings_text, &e))?;
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut filled =
        fill(args, settings.school.jurisdiction, &mut std::io::stdin().lock(), &mut std::io::stderr(), interactive)?;
    filled.first = tidy(&filled.first, "--first")?;
    filled.last = tidy(&filled.last, "--last")?;
    filled.class = filled.class.as_deref().map(|c| tidy(c, "--class")).transpose()?;
    let since = args.since.unwrap_or(ctx.today);
    if since > ctx.today {
        return Err(Error::usage(
            format!("`--since {since}` is in the future (today is {})", ctx.today),
            Some("give the date support at this level began, on or before today".into()),
        ));
    }
    if since < filled.dob {
        return Err(Error::usage(
            format!("`--since {since}` is before the date of birth {}", filled.dob),
            Some("give the date support at this level began".into()),
        ));
    }
    let args = &filled;
    if !valid_id(&args.id) {
        return Err(Error::usage(
            format!("`{}` is not a valid pupil id", args.id),
            Some(
                "ids are 3-64 lowercase letters, digits and `-`, starting with a letter, e.g. `ava-brown`; never a UPN"
                    .into(),
            ),
        ));
    }
    let juris = settings.school.jurisdiction;
    let allowed: Vec<&str> = juris.levels().iter().map(|l| l.as_str()).collect();
    let level = Level::parse(&args.level).filter(|l| juris.levels().contains(l)).ok_or_else(|| {
        Error::usage(
            format!("`{}` is not a support level of {}", args.level, juris.as_str()),
            Some(format!("use one of {}", list(&allowed))),
        )
    })?;
    if level.statutory() && args.plan_issued.is_none() {
        return Err(Error::usage(
            format!("level `{level}` is a statutory plan and needs the date it was issued"),
            Some("add `--plan-issued YYYY-MM-DD`".into()),
        ));
    }
    if let Some(d) = args.plan_issued.filter(|d| *d > ctx.today) {
        return Err(Error::usage(
            format!("`--plan-issued {d}` is in the future (today is {})", ctx.today),
            Some("give the date the plan was issued, on or before today".into()),
        ));
    }
    for folder in ["pupils", "archive"] {
        if root.join(folder).join(&args.id).exists() {
            return Err(Error::usage(
                format!("a pupil with id `{}` already exists in {folder}/", args.id),
                Some("choose another id, e.g. add a number: `ava-brown-2`".into()),
            ));
        }
    }
    let files = scaffold::pupil_files(&scaffold::NewPupil {
        id: &args.id,
        first: &args.first,
        last: &args.last,
        dob: args.dob,
        year: args.year,
        level,
        class: args.class.as_deref(),
        plan_issued: args.plan_issued,
        today: ctx.today,
        since,
    });
    // Through a batch: the lock, the journal, and every file read back
    // before anything is written (a name senco could not read is refused).
    let mut batch = Batch::new(&root);
    batch.set_command("new-pupil");
    for (rel, text) in &files {
        batch.create(format!("pupils/{}/{rel}", args.id), text.as_bytes());
    }
    let done = batch.apply()?;
    let mut msg = format!("created pupils/{}/:\n", args.id);
    for rel in &done.created {
        msg.push_str(&format!("  created {rel}\n"));
    }
    eprint(&msg);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(flags: &[&str]) -> NewPupilArgs {
        let mut all = vec!["senco", "new-pupil"];
        all.extend_from_slice(flags);
        match crate::cli::Cli::parse_from(all).command {
            crate::cli::Command::NewPupil(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn missing_flags_are_asked_for_on_a_terminal_and_bad_answers_asked_again() {
        let a = args(&["--id", "leo-ward", "--class", "2W"]);
        let mut input = std::io::Cursor::new("Leo\nWard\n2019-13-01\n2019-05-02\ntwo\n2\nehcp\n2026-06-01\n");
        let mut out = Vec::new();
        let f = fill(&a, Jurisdiction::England, &mut input, &mut out, true).unwrap();
        assert_eq!((f.first.as_str(), f.last.as_str(), f.year, f.level.as_str()), ("Leo", "Ward", 2, "ehcp"));
        assert_eq!(f.dob.to_string(), "2019-05-02");
        assert_eq!(f.plan_issued.map(|d| d.to_string()).as_deref(), Some("2026-06-01"));
        let said = String::from_utf8(out).unwrap();
        assert!(said.contains("there is no month 13") && said.contains("`two` is not a year group"), "{said}");
    }

    #[test]
    fn the_class_is_asked_for_and_may_be_left_out() {
        let a = args(&["--id", "leo-ward"]);
        let input = "Leo\nWard\n2019-05-02\nR\n\nsen-support\n";
        let f = fill(&a, Jurisdiction::England, &mut std::io::Cursor::new(input), &mut Vec::new(), true).unwrap();
        assert_eq!((f.year, f.class.as_deref()), (0, None));
        let input = "Leo\nWard\n2019-05-02\nY2\n2W\nsen-support\n";
        let mut out = Vec::new();
        let f = fill(&a, Jurisdiction::England, &mut std::io::Cursor::new(input), &mut out, true).unwrap();
        assert_eq!((f.year, f.class.as_deref()), (2, Some("2W")));
        assert!(String::from_utf8(out).unwrap().contains("Class or form"));
    }

    #[test]
    fn pasted_names_lose_their_invisible_edges() {
        assert_eq!(tidy("\u{feff}Jo \u{200b}", "--first").unwrap(), "Jo");
        assert_eq!(tidy("Jo -", "--first").unwrap(), "Jo -");
        assert!(tidy(" \u{feff} ", "--last").unwrap_err().to_string().contains("--last is empty"));
    }

    #[test]
    fn without_a_terminal_nothing_is_asked() {
        let a = args(&["--id", "leo-ward"]);
        let mut out = Vec::new();
        let e = fill(&a, Jurisdiction::England, &mut std::io::Cursor::new("Leo\n"), &mut out, false).err().unwrap();
        assert!(e.to_string().contains("`--first`, `--last`, `--dob`, `--year`, `--level`"), "{e}");
        assert!(out.is_empty());
        let ended = fill(&a, Jurisdiction::England, &mut std::io::Cursor::new("Leo\n"), &mut out, true).err().unwrap();
        assert!(ended.to_string().contains("input ended"), "{ended}");
    }
}
