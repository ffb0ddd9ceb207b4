//! `senco render KIND [ID|CLASS]`: documents from templates, to standard
//! output, a file, or one file per pupil (`--all --out-dir DIR`).

use super::{eprint, print, Ctx};
use crate::cli::{DocFormat, RenderArgs, RenderKind};
use crate::edit;
use crate::error::Error;
use crate::render::views::{self, checklist, provision};
use crate::render::{template_name, Format, Templates};
use crate::repo::decode::{list, suggest};
use crate::repo::PupilRecord;
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

fn kind_name(k: RenderKind) -> &'static str {
    match k {
        RenderKind::Plan => "plan",
        RenderKind::Profile => "profile",
        RenderKind::ProvisionMap => "provision-map",
        RenderKind::Class => "class",
        RenderKind::Review => "review",
        RenderKind::Checklist => "checklist",
        RenderKind::Request => "request",
        RenderKind::Chronology => "chronology",
    }
}

pub fn run(ctx: &Ctx, args: &RenderArgs) -> Result<u8, Error> {
    let kind = kind_name(args.kind);
    validate(args, kind)?;
    let format = doc_format(args.format, args.output.as_deref())?;
    let repo = ctx.load()?;
    let templates = Templates::load(&repo.root)?;
    let cx = views::Ctx::new(&repo, ctx.today);
    let tname = template_name(kind, format);

    if args.all {
        let Some(dir) = &args.out_dir else {
            return Err(Error::usage(
                "`--all` writes one file per pupil and needs `--out-dir DIR`",
                Some(format!("e.g. `senco render {kind} --all --out-dir {kind}s`")),
            ));
        };
        let pupils = checklist::register(&cx);
        ctx.warn_unreadable();
        return render_all(&cx, &templates, &tname, args.kind, &pupils, dir, format, args.force);
    }

    let (text, file_stem) = match args.kind {
        RenderKind::Plan | RenderKind::Profile | RenderKind::Review | RenderKind::Request | RenderKind::Chronology => {
            let rec = repo.resolve_pupil(need_target(args, kind)?)?;
            ctx.only_pupil(rec);
            ctx.need_readable(rec)?;
            (render_pupil(&cx, &templates, &tname, args.kind, rec)?, format!("{}-{kind}", rec.dir))
        }
        RenderKind::Checklist => match &args.target {
            Some(id) => {
                let rec = repo.resolve_pupil(id)?;
                ctx.only_pupil(rec);
                ctx.need_readable(rec)?;
                let view = checklist::pupil_checklist(&cx, rec);
                (templates.render(&tname, &view)?, format!("{}-checklist", rec.dir))
            }
            None => (templates.render(&tname, &checklist::checklist(&cx, &checklist::register(&cx)))?, kind.into()),
        },
        RenderKind::Class => {
            let class = need_target(args, kind)?;
            let view = views::class(&cx, class);
            if view.pupils.is_empty() {
                let classes = views::classes(&repo);
                let names: Vec<&str> = classes.iter().map(String::as_str).collect();
                let hint = match suggest(class, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? classes with pupils on the register: {}", list(&names)),
                    None if names.is_empty() => "no pupil on the register has a `class` in pupil.yaml".to_string(),
                    None => format!("classes with pupils on the register: {}", list(&names)),
                };
                // A pupil who could not be read may be in this class: never
                // let "nobody" stand without naming them.
                ctx.warn_unreadable();
                let message = match crate::output::unreadable_class_note(&ctx.unreadable.borrow()) {
                    Some(note) => format!("no pupil on the register is in class `{class}`, but {note}"),
                    None => format!("no pupil on the register is in class `{class}`"),
                };
                return Err(Error::usage(message, Some(hint)));
            }
            (templates.render(&tname, &view)?, format!("class-{}", file_safe(class)))
        }
        RenderKind::ProvisionMap => {
            let term = match &args.term {
                Some(name) => Some(find_term(&repo.settings, name)?),
                None => None,
            };
            let filter = provision::Filter { term, year: args.year, class: args.class.as_deref() };
            (templates.render(&tname, &provision::provision_map(&cx, &filter))?, kind.into())
        }
    };
    ctx.warn_unreadable();
    let one_pupil = matches!(
        args.kind,
        RenderKind::Plan | RenderKind::Profile | RenderKind::Review | RenderKind::Request | RenderKind::Chronology
    ) || (args.kind == RenderKind::Checklist && args.target.is_some());
    let text = crate::render::noted(&text, format, &ctx.unreadable.borrow(), one_pupil);
    let target = match (&args.output, &args.out_dir) {
        (Some(file), _) => Some(file.clone()),
        (None, Some(dir)) => {
            edit::create_dirs(dir)?;
            Some(dir.join(format!("{file_stem}.{}", format.ext())))
        }
        (None, None) => None,
    };
    let bytes = templates.finish(text, format)?;
    match target {
        Some(path) => {
            edit::write_file(&path, &bytes, args.force).map_err(|e| with_force_hint(e, &path))?;
            eprint(&format!("wrote {}\n", path.display()));
        }
        None if format == Format::Docx => {
            if std::io::stdout().is_terminal() {
                return Err(Error::usage(
                    "a Word document is not text and is not printed to the terminal",
                    Some(format!("write it to a file: `senco render {kind} ... -o {kind}.docx`")),
                ));
            }
            super::write_stdout_bytes(&bytes)?;
        }
        None => print(&String::from_utf8_lossy(&bytes))?,
    }
    Ok(0)
}

/// The document format: `--format`, else the `-o` file's extension, else
/// Markdown. An extension that names the other format than `--format` is
/// refused: `-o plan.html` holding Markdown would open as a wall of text.
fn doc_format(asked: Option<DocFormat>, file: Option<&Path>) -> Result<Format, Error> {
    let from_file = file.map(|path| {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        (
            path,
            ext.as_deref().and_then(|e| match e {
                "html" | "htm" => Some(Format::Html),
                "docx" => Some(Format::Docx),
                "md" | "markdown" | "txt" => Some(Format::Markdown),
                _ => None,
            }),
        )
    });
    let asked = asked.map(|f| match f {
        DocFormat::Md => Format::Markdown,
        DocFormat::Html => Format::Html,
        DocFormat::Docx => Format::Docx,
    });
    let word = |f: Format| match f {
        Format::Html => "html",
        Format::Docx => "docx",
        Format::Markdown => "md",
    };
    match (asked, from_file) {
        (Some(a), Some((path, Some(named)))) if a != named => {
            Err(crate::output::contradiction(word(a), word(named), path))
        }
        (Some(a), _) => Ok(a),
        (None, Some((_, Some(named)))) => Ok(named),
        (None, Some((path, None))) => Err(Error::usage(
            format!("cannot tell the document format from the file name `{}`", path.display()),
            Some("name the file `.html` (to print or open in a browser), `.docx` (Word) or `.md`, or add `--format html|docx|md`".into()),
        )),
        (None, None) => Ok(Format::Markdown),
    }
}

fn validate(args: &RenderArgs, kind: &str) -> Result<(), Error> {
    if args.kind != RenderKind::ProvisionMap {
        for (set, flag) in
            [(args.term.is_some(), "--term"), (args.year.is_some(), "--year"), (args.class.is_some(), "--class")]
        {
            if set {
                return Err(Error::usage(
                    format!("`{flag}` applies only to `senco render provision-map`"),
                    Some(if args.kind == RenderKind::Class {
                        "give the class as the argument: `senco render class 4B`".into()
                    } else {
                        format!("remove `{flag}`")
                    }),
                ));
            }
        }
    }
    if args.all
        && !matches!(
            args.kind,
            RenderKind::Plan | RenderKind::Profile | RenderKind::Review | RenderKind::Request | RenderKind::Chronology
        )
    {
        return Err(Error::usage(
            format!("`--all` applies to plan, profile, review, request and chronology, not to `{kind}`"),
            Some(format!("`senco render {kind}` already covers the whole school")),
        ));
    }
    if args.kind == RenderKind::ProvisionMap && args.target.is_some() {
        return Err(Error::usage(
            "`senco render provision-map` takes no pupil or class",
            Some("narrow it with `--term NAME`, `--year N` or `--class CLASS`".into()),
        ));
    }
    Ok(())
}

fn need_target<'a>(args: &'a RenderArgs, kind: &str) -> Result<&'a str, Error> {
    args.target.as_deref().ok_or_else(|| {
        let (what, eg) = if kind == "class" { ("a class", "4B") } else { ("a pupil id", "ava-brown") };
        let all =
            if kind == "class" { String::new() } else { ", or every pupil with `--all --out-dir DIR`".to_string() };
        Error::usage(
            format!("`senco render {kind}` needs {what}"),
            Some(format!("e.g. `senco render {kind} {eg}`{all}")),
        )
    })
}

fn find_term<'s>(settings: &'s crate::model::Settings, name: &str) -> Result<&'s crate::model::settings::Term, Error> {
    let terms: &[crate::model::settings::Term] = settings.calendar.as_ref().map_or(&[], |c| c.terms.as_slice());
    terms.iter().find(|t| t.name.eq_ignore_ascii_case(name)).ok_or_else(|| {
        let names: Vec<&str> = terms.iter().map(|t| t.name.as_str()).collect();
        let hint = if names.is_empty() {
            "add the terms to `[calendar] terms` in senco.toml".to_string()
        } else {
            format!("the terms in senco.toml are {}", list(&names))
        };
        Error::usage(format!("no term `{name}` in senco.toml"), Some(hint))
    })
}

fn render_pupil(
    cx: &views::Ctx,
    templates: &Templates,
    tname: &str,
    kind: RenderKind,
    rec: &PupilRecord,
) -> Result<String, Error> {
    match kind {
        RenderKind::Plan => templates.render(tname, &views::plan(cx, rec)),
        RenderKind::Profile => templates.render(tname, &views::profile(cx, rec)),
        RenderKind::Request => templates.render(tname, &views::request::request_pack(cx, rec)),
        RenderKind::Chronology => templates.render(tname, &views::chronology::chronology(cx, rec)),
        _ => templates.render(tname, &views::review_pack(cx, rec)),
    }
}

/// One pupil's file of `render --all`.
#[allow(clippy::too_many_arguments)]
fn render_one(
    cx: &views::Ctx,
    templates: &Templates,
    tname: &str,
    kind: RenderKind,
    rec: &PupilRecord,
    path: &Path,
    format: Format,
    force: bool,
    bar: &indicatif::ProgressBar,
) -> Result<(), Error> {
    let text = render_pupil(cx, templates, tname, kind, rec)?;
    let text = crate::render::noted(&text, format, &rec.unreadable().into_iter().collect::<Vec<_>>(), true);
    let bytes = templates.finish(text, format)?;
    edit::write_file(path, &bytes, force).map_err(|e| with_force_hint(e, path))?;
    bar.inc(1);
    Ok(())
}

/// One file per pupil, rendered in parallel. Refuses before writing anything
/// when a file exists and `--force` is not given.
#[allow(clippy::too_many_arguments)]
fn render_all(
    cx: &views::Ctx,
    templates: &Templates,
    tname: &str,
    kind: RenderKind,
    pupils: &[&PupilRecord],
    dir: &Path,
    format: Format,
    force: bool,
) -> Result<u8, Error> {
    let k = kind_name(kind);
    let jobs: Vec<(&PupilRecord, PathBuf)> =
        pupils.iter().map(|rec| (*rec, dir.join(format!("{}-{k}.{}", rec.dir, format.ext())))).collect();
    if !force {
        let existing: Vec<String> =
            jobs.iter().filter(|(_, p)| p.exists()).map(|(_, p)| p.display().to_string()).collect();
        if let Some(first) = existing.first() {
            return Err(Error::usage(
                format!("{} output file(s) already exist, e.g. `{first}`; not overwriting them", existing.len()),
                Some("add `--force` to replace them, or choose another `--out-dir`".into()),
            ));
        }
    }
    edit::create_dirs(dir)?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar.set_message(format!("{k}s"));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    // The first failure stops the rest: a school's template that runs away
    // (up to a minute or `[limits] template_mb` each) is not run for every pupil.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let results: Vec<Option<Result<(), Error>>> = jobs
        .par_iter()
        .map(|(rec, path)| {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return None;
            }
            let done = render_one(cx, templates, tname, kind, rec, path, format, force, &bar);
            if done.is_err() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            Some(done)
        })
        .collect();
    bar.finish_and_clear();
    // The first failure in pupil order, so the message is deterministic.
    let failed: Vec<(&PupilRecord, Error)> =
        jobs.iter().zip(results).filter_map(|((rec, _), r)| r.and_then(Result::err).map(|e| (*rec, e))).collect();
    if let Some((rec, e)) = failed.into_iter().next() {
        return Err(Error::usage(
            format!("{k} for `{}`: {e}; render --all stopped there, so not every {k} was written", rec.dir),
            e.hint(),
        ));
    }
    // The pupils who could not be read have no file: said again with the count.
    let missing = match std::num::NonZeroUsize::new(cx.repo.pupils.iter().filter(|r| r.pupil.is_none()).count()) {
        Some(n) => format!("; none for {n} pupil(s) who could not be read (named above): see `senco check`"),
        None => String::new(),
    };
    eprint(&format!("wrote {} {k} file(s) to {}{missing}\n", jobs.len(), dir.display()));
    Ok(0)
}

fn with_force_hint(e: Error, path: &Path) -> Error {
    match e {
        Error::Usage { message, hint: None } if path.exists() => {
            Error::Usage { message, hint: Some("add `--force` to replace it".into()) }
        }
        other => other,
    }
}

/// A class name as part of a file name: letters, digits and `-` only.
fn file_safe(s: &str) -> String {
    let out: String = s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    if out.is_empty() {
        "class".into()
    } else {
        out
    }
}
