//! `senco new-review`: the record of a review meeting, pre-filled from the
//! pupil's records so the meeting only fills the gaps.

use super::upkeep::{done_message, guard_git};
use super::{eprint, Ctx};
use crate::cli::NewReviewArgs;
use crate::edit::batch::Batch;
use crate::edit::review::{self, NewReview};
use crate::error::Error;
use crate::model::{Review, ReviewKind};
use crate::repo::decode::{Cx, Decode};

fn valid_slug(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

pub fn run(ctx: &Ctx, args: &NewReviewArgs) -> Result<u8, Error> {
    let repo = ctx.load()?;
    let rec = repo.resolve_pupil(&args.id)?;
    let fix_first = |name: &str| {
        Error::usage(
            format!("`{}` could not be read, so the review cannot be prepared from it", rec.file(name)),
            Some("`senco check` shows what is wrong with it; fix it, then run new-review again".into()),
        )
    };
    let Some(pupil) = &rec.pupil else { return Err(fix_first("pupil.yaml")) };
    if rec.is_broken("targets.yaml") {
        return Err(fix_first("targets.yaml"));
    }
    if let Some(slug) = &args.slug {
        if !valid_slug(slug) {
            return Err(Error::usage(
                format!("`{slug}` is not a valid review slug"),
                Some("use lowercase letters, digits and `-`, e.g. `--slug annual` or `--slug year6-transition`".into()),
            ));
        }
    }
    let date = args.date.unwrap_or(ctx.today);
    let kind = match &args.kind {
        Some(k) => ReviewKind::parse(k).ok_or_else(|| Error::usage(format!("`{k}` is not a review kind"), None))?,
        None => review::default_kind(pupil.level()),
    };
    let name = match &args.slug {
        Some(s) => format!("{date}-{s}.yaml"),
        None => format!("{date}.yaml"),
    };
    let rel = format!("{}/reviews/{name}", rec.rel);
    if repo.root.join(&rel).exists() {
        return Err(Error::usage(
            format!("`{rel}` already exists; not overwriting it"),
            Some("edit that file, or give this review its own name with `--slug`, e.g. `--slug interim`".into()),
        ));
    }
    let text = review::review_text(&NewReview {
        settings: &repo.settings,
        staff: &repo.staff,
        rec,
        date,
        kind,
        today: ctx.today,
    });
    // What we write must read back without a single finding.
    let mut cx = Cx::new(&rel);
    let node = crate::repo::yaml::parse(&text).ok().flatten();
    if node.as_ref().and_then(|n| Review::decode(n, &mut cx)).is_none() || !cx.findings.is_empty() {
        return Err(Error::usage(
            format!(
                "senco prepared a review for `{}` that it cannot read back; nothing was written",
                super::shown(&rec.dir)
            ),
            Some(
                "this is a bug in senco: please report it with the pupil's pupil.yaml and targets.yaml (names removed)"
                    .into(),
            ),
        ));
    }
    let mut batch = Batch::new(&repo.root);
    batch.set_command("new-review");
    batch.create(rel, text);
    guard_git(&repo.root, &batch, &args.safety)?;
    let done = batch.apply()?;
    let open = rec.targets.iter().filter(|t| t.is_open()).count();
    eprint(&format!(
        "{}{kind} review for {} on {date}: {open} open target(s) to rate; fill in the gaps at the meeting\n",
        done_message(&done),
        super::shown(&rec.dir)
    ));
    Ok(0)
}
