//! `senco progress ID`: one pupil's results and target ratings over time.

use super::{emit, Ctx};
use crate::cli::ProgressArgs;
use crate::error::Error;
use crate::report::progress;

pub fn run(ctx: &Ctx, args: &ProgressArgs) -> Result<u8, Error> {
    let html = emit::wants_html(&args.out);
    if html {
        emit::check_html(&args.out)?;
    } else {
        emit::format(&args.out)?;
    }
    let repo = ctx.load()?;
    let rec = repo.resolve_pupil(&args.id)?;
    ctx.only_pupil(rec);
    ctx.need_readable(rec)?;
    let report = progress::progress(rec, ctx.today);
    if html {
        let templates = crate::render::Templates::load(&repo.root)?;
        let cx = crate::render::views::Ctx::new(&repo, ctx.today);
        let page = templates.render("progress.html.j2", &crate::render::views::evidence::progress(&cx, &report))?;
        return emit::emit_html(ctx, &args.out, &page);
    }
    emit::emit(ctx, &args.out, &progress::document(&report), &report)
}
