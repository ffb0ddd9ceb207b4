//! `senco list` (alias `register`): the SEN register.

use super::{emit, Ctx};
use crate::cli::ListArgs;
use crate::error::Error;
use crate::model::text;
use crate::query::register::{self, Options};
use crate::query::{parse_areas, resolve_staff, PupilFilter};

pub fn run(ctx: &Ctx, args: &ListArgs) -> Result<u8, Error> {
    emit::format(&args.out)?;
    let columns = register::parse_columns(args.columns.as_deref(), args.show_upn)?;
    let repo = ctx.load()?;
    if args.archived {
        ctx.include_archive(&repo, true);
    }
    let filter = PupilFilter::new(&repo.settings, &args.level, &args.groups.year, &args.groups.class)?;
    let nobody = if args.archived { None } else { filter.nobody_note(&repo) };
    let mut staff = Vec::new();
    for s in &args.staff {
        staff.push(text(&resolve_staff(&repo, s)?.id).unwrap_or(s).to_string());
    }
    register::check_need_codes(&repo, &args.need)?;
    let opts = Options {
        filter,
        all_levels: args.all_levels,
        areas: parse_areas(&args.area)?,
        needs: args.need.clone(),
        staff,
        with_plan: args.with_ehcp,
        archived: args.archived,
        show_upn: args.show_upn,
    };
    let rows = register::query(&repo, ctx.today, &opts);
    let other_filters = !(args.area.is_empty() && args.need.is_empty() && args.staff.is_empty() && !args.with_ehcp);
    match nobody {
        Some(note) => super::eprint(&note),
        None if rows.is_empty() && (other_filters || opts.filter.describe().is_some()) => {
            super::eprint("note: no pupil matches these filters together\n")
        }
        None => {}
    }
    let mut doc = register::document(&rows, &columns, repo.settings.school.jurisdiction);
    doc.show_upn = args.show_upn;
    emit::emit(ctx, &args.out, &doc, &register::report(ctx.today, rows))
}
