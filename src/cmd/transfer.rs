//! `senco transfer out ID -o DIR|FILE.zip` and `senco transfer in PACK`:
//! a pupil's records moved between schools (docs/transfer.md). The pack's
//! format, its bounded reading and the placing batch are `edit::transfer`.

use super::upkeep::{done_message, guard_git};
use super::{eprint, print, Ctx};
use crate::cli::SafetyArgs;
use crate::edit::batch::Batch;
use crate::edit::transfer::{self as pack, EntryOutcome, PupilInfo, SchoolInfo};
use crate::error::Error;
use crate::model::{text, val};
use crate::render::{template_name, Format, Templates};
use crate::repo::{PupilRecord, Repo};
use clap::{Args, Subcommand};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum TransferCommand {
    /// Write a transfer pack for a pupil moving to another school: their records as they are, the staff and
    /// catalogue entries they refer to, the rendered plan, profile and review history, and a manifest with checksums.
    Out(OutArgs),
    /// Read a transfer pack from another school: verify it, place the records under pupils/, add the staff and
    /// catalogue entries they need, all or nothing.
    In(InArgs),
}

#[derive(Debug, Args)]
pub struct OutArgs {
    /// The pupil's id (or a unique prefix of it), on roll or in the archive.
    pub id: String,
    /// Where to write the pack: a new folder, or a file whose name ends `.zip`.
    #[arg(short = 'o', long = "output", value_name = "DIR|FILE.zip")]
    pub output: PathBuf,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Args)]
pub struct InArgs {
    /// The pack: the folder or `.zip` file `senco transfer out` wrote.
    pub pack: PathBuf,
    /// The pupil's id here (default: their id at the sending school, or the next free `ID-2`, `ID-3`, ...).
    #[arg(long = "as", value_name = "NEWID")]
    pub as_id: Option<String>,
    /// Show what would be placed and changed, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

pub fn run(ctx: &Ctx, cmd: &TransferCommand) -> Result<u8, Error> {
    match cmd {
        TransferCommand::Out(args) => out(ctx, args),
        TransferCommand::In(args) => take_in(ctx, args),
    }
}

// ---------------------------------------------------------------------- out

/// The pupil on roll, else in the archive.
fn find<'r>(repo: &'r Repo, id: &str) -> Result<&'r PupilRecord, Error> {
    match repo.resolve_pupil(id) {
        Ok(rec) => Ok(rec),
        Err(e) => repo.resolve_archived(id).map_err(|_| e),
    }
}

/// The documents of the pack (file name, template kind), each as HTML and Word.
const DOCUMENTS: &[(&str, &str)] =
    &[("plan", "plan"), ("profile", "profile"), ("review-history", "reviews"), ("chronology", "chronology")];

fn out(ctx: &Ctx, args: &OutArgs) -> Result<u8, Error> {
    let repo = ctx.load()?;
    let rec = find(&repo, &args.id)?;
    ctx.only_pupil(rec);
    ctx.need_readable(rec)?;
    let broken = rec.unreadable_files();
    if let Some(first) = broken.first() {
        return Err(Error::usage(
            format!(
                "`{}` could not be read, so no pack was written",
                crate::diag::render::escape_controls(first)
            ),
            Some("run `senco check`, fix the file, then write the pack again: the receiving school could not read it either".into()),
        ));
    }
    let zip = args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    // A pack inside the records would be committed with them: a second copy
    // of the pupil's data (the UPN included) in the school's history.
    let inside = std::path::absolute(&args.output)
        .ok()
        .and_then(|o| Some((o, std::fs::canonicalize(&repo.root).ok()?)))
        .and_then(|(o, root)| {
            let parent = std::fs::canonicalize(o.parent()?).ok()?;
            Some(parent.starts_with(&root))
        })
        .unwrap_or(false);
    if std::fs::symlink_metadata(&args.output).is_ok() {
        return Err(Error::usage(
            format!("`{}` already exists; not overwriting it", args.output.display()),
            Some("choose a new folder or .zip file name for the pack".into()),
        ));
    }

    // The record files, byte for byte.
    let limits = repo.settings.limits;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut names: Vec<String> = crate::repo::PUPIL_FILES.iter().map(|n| n.to_string()).collect();
    let reviews_dir = repo.root.join(&rec.rel).join("reviews");
    if reviews_dir.is_dir() {
        let mut r: Vec<String> = std::fs::read_dir(&reviews_dir)
            .map_err(|e| Error::io(&reviews_dir, e))?
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| !n.starts_with('.') && (n.ends_with(".yaml") || n.ends_with(".yml")))
            .map(|n| format!("reviews/{n}"))
            .collect();
        r.sort();
        names.extend(r);
    }
    for name in &names {
        let rel = rec.file(name);
        let bytes = crate::repo::read::read_record(&repo.root, &rel, limits).map_err(|f| {
            Error::usage(
                format!("`{}` cannot be read: {}", crate::diag::render::escape_controls(&rel), f.message),
                f.hint.clone(),
            )
        })?;
        let Some(bytes) = bytes else { continue };
        pack::allowed_name(&format!("records/{name}")).map_err(|why| {
            Error::usage(
                format!("cannot put `{rel}` in a pack: {why}"),
                Some("rename the review file `YYYY-MM-DD[-slug].yaml`".into()),
            )
        })?;
        texts.insert(name.clone(), String::from_utf8_lossy(&bytes).into_owned());
        files.insert(format!("records/{name}"), bytes);
    }

    // The staff and catalogue entries the records refer to.
    let (staff_ids, cat_ids) = pack::referenced_ids(&texts);
    let mut staff_text = String::new();
    let mut missing = Vec::new();
    let staff_by_id = repo.staff_by_id();
    for id in &staff_ids {
        if let Some(s) = staff_by_id.get(id.as_str()) {
            let role = val(&s.role).map(|r| r.as_str());
            staff_text.push_str(&pack::staff_entry(id, text(&s.name), role, val(&s.hourly_rate)));
        }
    }
    if !staff_text.is_empty() {
        files.insert(
            pack::STAFF.into(),
            format!("# Staff named in the records of this pack.\n{staff_text}").into_bytes(),
        );
    }
    if !cat_ids.is_empty() {
        // The bounded reader: a FIFO or a link outside is refused, never read.
        let source = match crate::repo::read::read_record(&repo.root, "catalogue.yaml", repo.settings.limits) {
            Ok(b) => b.unwrap_or_default(),
            Err(f) => {
                return Err(Error::usage(
                    format!("`catalogue.yaml` cannot be read: {}", f.message),
                    Some("run `senco check`".into()),
                ))
            }
        };
        let (entries, not_found) = pack::pick_entries(&String::from_utf8_lossy(&source), &cat_ids).map_err(|why| {
            Error::usage(format!("`catalogue.yaml` cannot be read: {why}"), Some("run `senco check`".into()))
        })?;
        missing.extend(not_found.into_iter().map(|id| format!("catalogue entry `{id}`")));
        if !entries.is_empty() {
            files.insert(
                pack::CATALOGUE.into(),
                format!("# Provision named in the records of this pack.\n{entries}").into_bytes(),
            );
        }
    }
    // A log's `with` and a review action's `owner` name people and services
    // as well as staff ids: only the fields `check` holds to a staff id
    // (key worker, target owner, intervention staff) are worth a warning.
    let no_log: BTreeMap<String, String> = texts
        .iter()
        .filter(|(n, _)| n.as_str() != "log.yaml" && !n.starts_with("reviews/"))
        .map(|(n, t)| (n.clone(), t.clone()))
        .collect();
    let (must_be_staff, _) = pack::referenced_ids(&no_log);
    missing.extend(
        must_be_staff.iter().filter(|i| !staff_by_id.contains_key(i.as_str())).map(|id| format!("staff member `{id}`")),
    );

    // The documents, through the render layer.
    let templates = Templates::load(&repo.root)?;
    let cx = crate::render::views::Ctx::new(&repo, ctx.today);
    let plan_view = crate::render::views::plan(&cx, rec);
    for (file, kind) in DOCUMENTS {
        let html = match *kind {
            "profile" => {
                templates.render(&template_name(kind, Format::Html), &crate::render::views::profile(&cx, rec))?
            }
            "chronology" => templates
                .render(&template_name(kind, Format::Html), &crate::render::views::chronology::chronology(&cx, rec))?,
            _ => templates.render(&template_name(kind, Format::Html), &plan_view)?,
        };
        let docx = crate::render::finish(html.clone(), Format::Docx)?;
        files.insert(format!("documents/{file}.html"), crate::render::finish(html, Format::Html)?);
        files.insert(format!("documents/{file}.docx"), docx);
    }

    let manifest = pack::manifest(
        &files,
        SchoolInfo {
            name: repo.settings.school.name.clone(),
            jurisdiction: repo.settings.school.jurisdiction.as_str().into(),
        },
        PupilInfo { id: rec.dir.clone(), archived: rec.archived },
        &ctx.today.to_string(),
    );
    let all = pack::with_manifest(files, &manifest);

    // For an archived leaver, the day their file went (ENG-FILE-TRANSFER):
    // planned before the pack is written, so a record that cannot be edited
    // stops everything; applied after, so it is never recorded for a pack
    // that was not written.
    let mut batch = Batch::new(&repo.root);
    batch.set_command("transfer out");
    let already = if rec.archived {
        pack::plan_file_transferred(&mut batch, &repo.root, &rec.file("pupil.yaml"), ctx.today, repo.settings.limits)?
    } else {
        None
    };
    if !batch.ops.is_empty() {
        guard_git(&repo.root, &batch, &args.safety)?;
    }

    if zip {
        let bytes =
            pack::zip_bytes(&all).map_err(|e| Error::usage(format!("cannot write the .zip file: {e}"), None))?;
        crate::edit::write_file(&args.output, &bytes, false)?;
    } else {
        let list: Vec<(&str, &[u8])> = all.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
        crate::edit::create_dir_with_bytes(&args.output, &list)?;
    }

    let records = all.keys().filter(|k| k.starts_with("records/")).count();
    let mut msg = format!(
        "wrote the transfer pack {}: {records} record file(s), {} staff and {} catalogue entr(ies), {} documents, manifest.json with checksums\n",
        args.output.display(),
        staff_ids.iter().filter(|i| staff_by_id.contains_key(i.as_str())).count(),
        cat_ids.len() - missing.iter().filter(|m| m.starts_with("catalogue")).count(),
        DOCUMENTS.len() * 2,
    );
    for m in &missing {
        msg.push_str(&format!(
            "warning: the records refer to {m}, which is not in this school's files, so the pack cannot carry it (`senco check` reports it)\n"
        ));
    }
    if inside {
        msg.push_str("warning: the pack is inside the records repository: move it out before `git add`, so the pupil's data is not committed twice\n");
    }
    msg.push_str("the pack holds the pupil's personal data (the UPN included): send it only by your school's secure transfer route (e.g. the DfE's School to School service or secure e-mail)\n");
    if rec.archived {
        match already {
            Some(date) => {
                msg.push_str(&format!("`file_transferred: {date}` was already recorded for {}; it is kept\n", rec.dir))
            }
            None => {
                let done = batch.apply()?;
                msg.push_str(&done_message(&done));
                msg.push_str(&format!(
                    "recorded `file_transferred: {}` for {} (the day the file went to the next school)\n",
                    ctx.today,
                    super::shown(&rec.dir)
                ));
            }
        }
    } else {
        msg.push_str(&format!(
            "{} is still on roll here: when they leave, `senco archive {} --left DATE --destination SCHOOL`; a pack written after that records the day the file was sent\n",
            super::shown(&rec.dir),
            super::shown(&rec.dir)
        ));
    }
    eprint(&msg);
    Ok(0)
}

// ----------------------------------------------------------------------- in

fn take_in(ctx: &Ctx, args: &InArgs) -> Result<u8, Error> {
    let repo = ctx.load()?;
    let limits = pack::Limits::new(repo.settings.limits.max_file_kb);
    let p = pack::read_pack(&args.pack, &limits)?;
    let plan = pack::plan_in(&repo, &p, args.as_id.as_deref())?;
    let from = crate::diag::render::escape_controls(&p.manifest.school.name).into_owned();
    let mut summary = summary(&plan, &p.manifest.pupil.id, &from);
    for (id, place) in same_upn(&repo, &p) {
        summary.push_str(&format!(
            "warning: `{id}` ({place}) has the same UPN as the pack's pupil: the pack may be a second record of the same child; compare the two folders and keep one\n"
        ));
    }
    if args.dry_run {
        let mut out = String::new();
        for f in &plan.files {
            out.push_str(&format!("create {f}\n"));
        }
        // The school files' changes in full; the pupil's files are the pack's.
        let mut changes = Batch::new(&repo.root);
        for op in &plan.batch.ops {
            if let crate::edit::batch::Op::Write { rel, old, new } = op {
                if !rel.starts_with("pupils/") {
                    match old {
                        Some(o) => changes.change(rel.clone(), o.clone(), new.clone()),
                        None => changes.create(rel.clone(), new.clone()),
                    }
                }
            }
        }
        out.push_str(&changes.diff());
        print(&out)?;
        eprint(&format!("{summary}dry run: nothing was written\n"));
        return Ok(0);
    }
    guard_git(&repo.root, &plan.batch, &args.safety)?;
    let planned: Vec<(String, Vec<u8>)> = plan
        .batch
        .ops
        .iter()
        .filter_map(|op| match op {
            crate::edit::batch::Op::Write { rel, new, .. } => Some((rel.clone(), new.clone())),
            _ => None,
        })
        .collect();
    let done = plan.batch.apply()?;

    // Read back what was placed, then check it as `senco check` would.
    for (rel, bytes) in &planned {
        let now = std::fs::read(repo.root.join(rel)).map_err(|e| Error::io(&repo.root.join(rel), e))?;
        if &now != bytes {
            return Err(Error::usage(
                format!("`{rel}` does not hold what senco wrote there: another program changed it meanwhile"),
                Some("run `senco check` and compare it with the pack".into()),
            ));
        }
    }
    let after = crate::repo::load(&repo.root)?;
    let dir = format!("pupils/{}/", plan.id);
    let errors: Vec<crate::diag::Finding> = crate::check::check(&after, ctx.today)
        .into_iter()
        .filter(|f| f.severity == crate::diag::Severity::Error)
        .filter(|f| f.file.starts_with(&dir) || f.file == "staff.yaml" || f.file == "catalogue.yaml")
        .collect();
    let mut msg = format!("{}{summary}", done_message(&done));
    if errors.is_empty() {
        msg.push_str(&format!("`senco check` finds no errors in {dir}\n"));
        eprint(&msg);
        Ok(0)
    } else {
        msg.push_str(&format!("`senco check` finds {} error(s) in what was placed:\n", errors.len()));
        for f in &errors {
            let at = f.span.map_or(String::new(), |s| format!(":{}:{}", s.start.line, s.start.column));
            let message = match (f.span, after.source(&f.file)) {
                (Some(s), Some(text)) => pack::upn_safe(text, s.start.line, &f.message),
                _ => f.message.clone(),
            };
            msg.push_str(&format!(
                "  {}{at}: {} ({})\n",
                crate::diag::render::escape_controls(&f.file),
                crate::diag::render::escape_controls(&message),
                f.code
            ));
        }
        eprint(&msg);
        Ok(1)
    }
}

/// Pupils here with the UPN of the pack's pupil (the UPN itself is never shown).
fn same_upn<'r>(repo: &'r Repo, p: &pack::Pack) -> Vec<(&'r str, &'static str)> {
    let Some(bytes) = p.files.get("records/pupil.yaml") else { return Vec::new() };
    let source = String::from_utf8_lossy(bytes);
    let upn = match crate::repo::yaml::parse(source.trim_start_matches('\u{feff}')) {
        Ok(Some(crate::repo::yaml::Node::Map(m))) => match m.get("upn") {
            Some(crate::repo::yaml::Node::Scalar(s)) if !s.is_null() => s.value.trim().to_ascii_uppercase(),
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let on_roll = repo.pupils.iter().map(|r| (r, "on roll"));
    let archived = repo.archived.iter().map(|r| (r, "in the archive"));
    on_roll
        .chain(archived)
        .filter(|(r, _)| {
            r.pupil.as_ref().and_then(|p| text(&p.upn)).is_some_and(|u| u.trim().to_ascii_uppercase() == upn)
        })
        .map(|(r, place)| (r.dir.as_str(), place))
        .collect()
}

fn summary(plan: &pack::InPlan, from_id: &str, school: &str) -> String {
    let mut out = if plan.renamed {
        format!("{from_id} from {school} placed as {} (`{from_id}` is taken here or `--as` was given)\n", plan.id)
    } else {
        format!("{} from {school} placed under pupils/{}/\n", plan.id, plan.id)
    };
    if !plan.removed_keys.is_empty() {
        let keys: Vec<String> = plan.removed_keys.iter().map(|k| format!("`{k}`")).collect();
        out.push_str(&format!("  removed the sending school's leaving record from pupil.yaml: {}\n", keys.join(", ")));
    }
    for (what, entries) in [("staff", &plan.staff), ("catalogue", &plan.catalogue)] {
        for e in entries.iter() {
            out.push_str(&match e.outcome {
                EntryOutcome::Added => format!("  {what}: added `{}`\n", e.to),
                EntryOutcome::Prefixed => {
                    format!(
                        "  {what}: added `{}` as `{}` (`{}` is another entry here); the records refer to it so\n",
                        e.from, e.to, e.from
                    )
                }
                EntryOutcome::Same if e.from == e.to => format!("  {what}: `{}` is already here\n", e.to),
                EntryOutcome::Same => {
                    format!("  {what}: `{}` is already here as `{}`; the records refer to it so\n", e.from, e.to)
                }
            });
        }
    }
    out
}
