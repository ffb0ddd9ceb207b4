//! `senco import roster FILE.csv`: reconcile the pupils on record with a
//! roster exported from the MIS (docs/import.md). A dry run by default;
//! `--apply` writes the year group, class and name changes (and, with
//! `--create`, skeletons for new SEN pupils) in one all-or-nothing batch,
//! then reads the records back and reconciles again.

use super::upkeep::guard_git;
use super::{eprint, print, Ctx};
use crate::cli::SafetyArgs;
use crate::error::Error;
use crate::model::settings::Jurisdiction;
use crate::output::{self, Block, Column, Document, Format, Table};
use crate::query::roster::{self, Located, MisPupil, Reconciliation, RosterMap};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// Reconcile the pupils with a roster exported from the MIS (CSV): new SEN pupils, moves, name changes,
    /// leavers, SEN status differences. Writes nothing unless --apply.
    Roster(RosterArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RosterArgs {
    /// The roster: a CSV file exported from the MIS, with a header line naming the columns.
    pub file: PathBuf,
    /// A TOML file naming the roster's columns, its date format and its SEN status words (docs/import.md).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// The column names of an MIS export to start from [default: the preset whose columns the roster has].
    #[arg(long, value_name = "NAME", value_parser = roster::PRESETS)]
    pub preset: Option<String>,
    /// Write the year group, class and name changes, all or nothing (never deletes or archives).
    #[arg(long)]
    pub apply: bool,
    /// With --apply: also create a records folder for each new SEN pupil, as `senco new-pupil` does.
    #[arg(long)]
    pub create: bool,
    /// A dry run that also prints, after the report, what --apply (with --create: and --create) would write,
    /// as a unified diff (UPNs hidden).
    #[arg(long, conflicts_with = "apply")]
    pub diff: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ImportFormat::Table)]
    pub format: ImportFormat,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

pub fn run(ctx: &Ctx, cmd: &ImportCommand) -> Result<u8, Error> {
    match cmd {
        ImportCommand::Roster(args) => run_roster(ctx, args),
    }
}

/// `FILE:LINE:COL: message`, the hint kept.
fn located(file: &Path, l: &Located) -> (String, Option<String>) {
    (format!("{}:{}:{}: {}", file.display(), l.line, l.column, l.message), l.hint.clone())
}

fn one_error(file: &Path, l: &Located) -> Error {
    let (m, h) = located(file, l);
    Error::usage(m, h)
}

/// How many problems of a roster are listed before "and N more".
const MAX_LISTED: usize = 50;

fn many_errors(file: &Path, list: &[Located]) -> Error {
    if let [one] = list {
        return one_error(file, one);
    }
    let mut msg = format!("the roster `{}` has {} problems:", file.display(), list.len());
    for l in list.iter().take(MAX_LISTED) {
        let (m, h) = located(file, l);
        msg.push_str(&format!("\n  {m}"));
        if let Some(h) = h {
            msg.push_str(&format!("\n    hint: {h}"));
        }
    }
    if list.len() > MAX_LISTED {
        msg.push_str(&format!("\n  and {} more", list.len() - MAX_LISTED));
    }
    Error::usage(
        msg,
        Some("correct them (in the MIS, or in the map) and run the import again; nothing was changed".into()),
    )
}

/// The roster's bytes: a regular file only (a named pipe would block).
fn read_roster_file(path: &Path) -> Result<Vec<u8>, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::usage(
            format!("`{}` is not a regular file", path.display()),
            Some("give the CSV file the MIS exported".into()),
        ));
    }
    if meta.len() > MAX_BYTES {
        return Err(Error::usage(
            format!(
                "`{}` is {} MB, more than a roster of any school ({} MB at most)",
                path.display(),
                meta.len() >> 20,
                MAX_BYTES >> 20
            ),
            Some("export only the pupils on roll, with the columns docs/import.md lists".into()),
        ));
    }
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// The largest roster (or map) read: a roster of 3,000 pupils is under 1 MB.
const MAX_BYTES: u64 = 64 << 20;

/// The map: `--map` (over `--preset`), `--preset`, or the preset whose
/// columns the roster's header has.
fn choose_map(args: &RosterArgs, header: Option<&roster::CsvRow>) -> Result<RosterMap, Error> {
    let base = args.preset.as_deref().and_then(roster::preset);
    if let Some(path) = &args.map {
        let bytes = read_roster_file(path)?;
        let text = roster::utf8_text(&bytes).map_err(|l| one_error(path, &l))?;
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        return roster::read_map(text.trim_start_matches('\u{feff}'), &name, base).map_err(|l| one_error(path, &l));
    }
    if let Some(b) = base {
        return Ok(b);
    }
    // The preset with the three needed columns and most of the others.
    let best = roster::PRESETS
        .iter()
        .filter_map(|n| roster::preset(n))
        .filter_map(|m| {
            let (required, optional) = header.map_or((false, 0), |h| roster::fit(h, &m));
            required.then_some((optional, m))
        })
        .fold(None::<(usize, RosterMap)>, |best, (n, m)| match best {
            Some((b, bm)) if b >= n => Some((b, bm)),
            _ => Some((n, m)),
        });
    if let Some((_, m)) = best {
        return Ok(m);
    }
    Err(Error::usage(
        format!(
            "{}:1:1: the roster's columns are not those of any preset ({}), so senco cannot tell which column is which",
            args.file.display(),
            crate::repo::decode::list(&roster::PRESETS)
        ),
        Some("name the columns in a map file and give it with `--map FILE` (docs/import.md), or start from a preset with `--preset NAME`".into()),
    ))
}

/// The JSON report (docs/json.md).
#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    roster: String,
    map: &'a str,
    dry_run: bool,
    /// Optional columns of the preset that the roster lacks: not read.
    missing_columns: &'a [roster::MissingColumn],
    #[serde(flatten)]
    reconciliation: &'a Reconciliation,
    #[serde(skip_serializing_if = "Option::is_none")]
    applied: Option<Applied>,
}

#[derive(Serialize, Default)]
struct Applied {
    /// One line per pupil changed: `ava-brown: year group 4 -> 5`.
    changed: Vec<String>,
    /// One line per records folder created.
    created: Vec<String>,
    /// New SEN pupils not created, and why.
    not_created: Vec<String>,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or(String::new(), T::to_string)
}

fn document(file: &Path, map: &str, r: &Reconciliation, applied: Option<&Applied>, j: Jurisdiction) -> Document {
    let year = |y: Option<i64>| crate::query::year_cell(j, y);
    let s = &r.summary;
    let mut doc =
        Document { title: Some(format!("Roster {} (columns: {map})", file.display())), ..Document::default() };
    doc.section(
        "Summary",
        Block::Fields(vec![
            ("pupils on the roster".into(), s.roster_pupils.to_string()),
            ("pupils on record".into(), s.recorded_pupils.to_string()),
            (
                "matched".into(),
                format!(
                    "{} ({} by UPN, {} by name and date of birth)",
                    s.matched,
                    s.matched_by_upn,
                    s.matched - s.matched_by_upn
                ),
            ),
            ("new SEN pupils without records".into(), s.new_sen.to_string()),
            ("year group and class changes".into(), s.moves.to_string()),
            ("name changes".into(), s.name_changes.to_string()),
            ("on record, not on the roll".into(), s.not_on_roll.to_string()),
            ("SEN status differences".into(), s.level_differences.to_string()),
            ("ambiguous (not matched)".into(), s.ambiguous.to_string()),
        ]),
    );
    let mut t = Table::new(
        vec![
            Column::right("line"),
            Column::left("name"),
            Column::left("born"),
            Column::right("year"),
            Column::left("class"),
            Column::left("MIS SEN status"),
            Column::left("id for --create"),
        ],
        "none",
    );
    for n in &r.new_sen {
        let id = match &n.archived_record {
            Some(a) => format!("(archived as {a})"),
            None => n.suggested_id.clone(),
        };
        t.push(vec![
            n.line.to_string(),
            n.name.clone(),
            n.date_of_birth.to_string(),
            year(n.year_group),
            opt(&n.class),
            n.mis_sen.clone(),
            id,
        ]);
    }
    doc.section("New SEN pupils without records", Block::Table(t));
    let mut t = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("name"),
            Column::left("year group"),
            Column::left("class"),
            Column::right("line"),
        ],
        "none",
    );
    for m in &r.moves {
        let y =
            m.year_group.as_ref().map_or(String::new(), |c| format!("{} -> {}", year(Some(c.from)), year(Some(c.to))));
        let c = m.class.as_ref().map_or(String::new(), |c| {
            format!("{} -> {}", c.from.as_deref().unwrap_or("(none)"), c.to.as_deref().unwrap_or(""))
        });
        t.push(vec![m.pupil.clone(), m.name.clone(), y, c, m.line.to_string()]);
    }
    doc.section("Year group and class changes", Block::Table(t));
    let mut t = Table::new(
        vec![Column::left("pupil"), Column::left("on record"), Column::left("on the roster"), Column::right("line")],
        "none",
    );
    let show = |p: &roster::PersonName| {
        let pref = p.preferred.as_deref().map(|x| format!(" ({x})")).unwrap_or_default();
        format!("{}{pref} {}", p.first, p.last)
    };
    for n in &r.name_changes {
        t.push(vec![n.pupil.clone(), show(&n.from), show(&n.to), n.line.to_string()]);
    }
    doc.section("Name changes", Block::Table(t));
    let mut t = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("name"),
            Column::right("year"),
            Column::left("class"),
            Column::left("level"),
        ],
        "none",
    );
    for p in &r.not_on_roll {
        t.push(vec![p.pupil.clone(), p.name.clone(), year(p.year_group), opt(&p.class), opt(&p.level)]);
    }
    doc.section("On record but not on the roll (likely leavers)", Block::Table(t));
    let mut t = Table::new(
        vec![
            Column::left("pupil"),
            Column::left("name"),
            Column::left("recorded level"),
            Column::left("MIS SEN status"),
            Column::right("line"),
        ],
        "none",
    );
    for d in &r.level_differences {
        t.push(vec![
            d.pupil.clone(),
            d.name.clone(),
            d.recorded.clone().unwrap_or_else(|| "not recorded".into()),
            d.mis.clone(),
            d.line.to_string(),
        ]);
    }
    doc.section("SEN status on the roster differs from the recorded level", Block::Table(t));
    let mut t = Table::new(
        vec![Column::left("lines"), Column::left("records"), Column::left("name"), Column::left("why not matched")],
        "none",
    );
    for a in &r.ambiguous {
        let lines: Vec<String> = a.lines.iter().map(u32::to_string).collect();
        t.push(vec![lines.join(", "), a.pupils.join(", "), a.name.clone(), a.reason.clone()]);
    }
    doc.section("Ambiguous: listed, not matched", Block::Table(t));
    if !r.sen_status_given {
        doc.notes.push(
            "The roster has no SEN status column: no pupil is listed as new SEN and no level is compared.".into(),
        );
    }
    if !r.not_on_roll.is_empty() {
        doc.notes.push(
            "Pupils not on the roll are never archived by the import: archive each leaver with `senco archive ID --left DATE`.".into(),
        );
    }
    if !r.level_differences.is_empty() {
        doc.notes
            .push("Levels are never changed by the import: check each difference and edit `support:` by hand.".into());
    }
    match applied {
        None => doc.notes.push(
            "Dry run: nothing was written. `--apply` writes the year group, class and name changes; `--apply --create` also creates records for the new SEN pupils.".into(),
        ),
        Some(a) => {
            let mut items: Vec<String> = a.changed.iter().map(|c| format!("changed {}", super::shown(c))).collect();
            items.extend(a.created.iter().map(|c| format!("created {}", super::shown(c))));
            items.extend(a.not_created.iter().map(|c| format!("not created: {}", super::shown(c))));
            if items.is_empty() {
                items.push("nothing to write".into());
            }
            doc.section("Written", Block::List(items));
        }
    }
    doc
}

fn run_roster(ctx: &Ctx, args: &RosterArgs) -> Result<u8, Error> {
    if args.create && !args.apply && !args.diff {
        return Err(Error::usage(
            "`--create` is for `--apply`: it creates records",
            Some("add `--apply` to write (or `--diff` to see what would be written)".into()),
        ));
    }
    if args.diff && args.format == ImportFormat::Json {
        return Err(Error::usage(
            "`--diff` prints a unified diff after the table, so it does not go with `--format json`",
            Some("drop `--format json`, or drop `--diff`".into()),
        ));
    }
    let repo = ctx.load()?;
    let file = &args.file;
    let bytes = read_roster_file(file)?;
    let text = roster::utf8_text(&bytes).map_err(|l| one_error(file, &l))?;
    let rows = roster::parse_csv(text).map_err(|l| one_error(file, &l))?;
    let map = choose_map(args, rows.first())?;
    let jurisdiction = repo.settings.school.jurisdiction;
    let pupils: Vec<MisPupil> =
        roster::read_roster(&rows, &map, jurisdiction).map_err(|list| many_errors(file, &list))?;
    let missing = rows.first().map(|h| roster::missing_columns(h, &map)).unwrap_or_default();
    let rec = roster::reconcile(&repo, &pupils);
    // A pupil whose pupil.yaml cannot be read cannot be matched by UPN: a
    // "new SEN pupil" may be them, and a second record would be made.
    let unidentified: Vec<String> = repo
        .pupils
        .iter()
        .chain(&repo.archived)
        .filter(|p| p.pupil.is_none() || p.is_broken("pupil.yaml"))
        .map(|p| format!("`{}`", p.file("pupil.yaml")))
        .collect();
    if args.create && !unidentified.is_empty() {
        return Err(Error::usage(
            format!(
                "`--create` would make records for new SEN pupils, but {} cannot be read, so senco cannot tell whether a new pupil on the roster is already on record: {}",
                if unidentified.len() == 1 { "one pupil's pupil.yaml" } else { "some pupils' pupil.yaml files" },
                unidentified.join(", ")
            ),
            Some("fix them first (`senco check` shows what is wrong), or run without `--create`".into()),
        ));
    }
    let applied = if args.apply {
        let plan = crate::edit::roster::plan_import(&repo, &rec, &pupils, args.create, ctx.today)?;
        let (changed, created, not_created) = (plan.changes, plan.created, plan.not_created);
        if !plan.batch.ops.is_empty() {
            guard_git(&repo.root, &plan.batch, &args.safety)?;
            let done = plan.batch.apply()?;
            // Every file written, as rollover and archive say it (warnings included).
            eprint(&super::upkeep::done_message(&done));
            read_back(ctx, &pupils, &rec)?;
        }
        Some(Applied { changed, created, not_created })
    } else {
        None
    };
    ctx.warn_unreadable();
    let format = match args.format {
        ImportFormat::Table => Format::Table,
        ImportFormat::Json => Format::Json,
    };
    let report = Report {
        version: crate::query::VERSION,
        roster: file.display().to_string(),
        map: &map.source,
        dry_run: !args.apply,
        missing_columns: &missing,
        reconciliation: &rec,
        applied,
    };
    let mut doc = document(file, &map.source, &rec, report.applied.as_ref(), jurisdiction);
    for (i, m) in missing.iter().enumerate() {
        doc.notes.insert(
            i,
            format!(
                "The roster has no column `{}` (the `{}` of {}): it is not read. Name the right column in a map file (--map) if the export has it under another name.",
                m.header, m.key, map.source
            ),
        );
    }
    let mut out = output::render_with_unreadable(
        format,
        &doc,
        &report,
        super::emit::layout_for(false),
        false,
        &ctx.unreadable.borrow(),
    );
    if args.diff {
        let plan = crate::edit::roster::plan_import(&repo, &rec, &pupils, args.create, ctx.today)?;
        out.push_str(&format!("\nWhat --apply{} would write\n", if args.create { " --create" } else { "" }));
        match plan.batch.ops.is_empty() {
            true => out.push_str("nothing\n"),
            false => out.push_str(&plan.batch.diff()),
        }
    }
    print(&out)?;
    Ok(0)
}

/// After `--apply`: the records, read again, must match the roster in every
/// change just written (and every new folder must be read as a pupil).
fn read_back(ctx: &Ctx, pupils: &[MisPupil], before: &Reconciliation) -> Result<(), Error> {
    let repo = ctx.load()?;
    let after = roster::reconcile(&repo, pupils);
    let left: Vec<&str> = after
        .moves
        .iter()
        .map(|m| m.pupil.as_str())
        .chain(after.name_changes.iter().map(|n| n.pupil.as_str()))
        .filter(|id| before.moves.iter().any(|m| m.pupil == *id) || before.name_changes.iter().any(|n| n.pupil == *id))
        .collect();
    if !left.is_empty() {
        return Err(Error::usage(
            format!("read back after writing, these records still differ from the roster: {}", left.join(", ")),
            Some("`git diff` shows what was written; please report this, with the roster's header line".into()),
        ));
    }
    Ok(())
}
