//! `senco impact`: what each intervention achieved, like with like.

use super::{emit, Ctx};
use crate::cli::ImpactArgs;
use crate::error::Error;
use crate::model::text;
use crate::query::parse_areas;
use crate::repo::decode::{list, suggest};
use crate::repo::Repo;
use crate::report::impact::{self, Filter};

/// A catalogue id, or a unique prefix of one.
fn resolve_provision(repo: &Repo, word: &str) -> Result<String, Error> {
    let ids: Vec<&str> = repo.catalogue.iter().filter_map(|c| text(&c.id)).collect();
    if ids.contains(&word) {
        return Ok(word.to_string());
    }
    let matches: Vec<&str> = ids.iter().copied().filter(|i| i.starts_with(word)).collect();
    match matches.as_slice() {
        [one] => Ok(one.to_string()),
        [] => Err(Error::usage(
            format!("no catalogue entry with id `{word}` in catalogue.yaml"),
            Some(match suggest(word, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if ids.is_empty() => "catalogue.yaml lists no provision".to_string(),
                None => format!("catalogue ids are {}", list(&ids)),
            }),
        )),
        many => Err(Error::usage(
            format!("`{word}` matches {} catalogue entries: {}", many.len(), list(many)),
            Some("type more of the id".to_string()),
        )),
    }
}

pub fn run(ctx: &Ctx, args: &ImpactArgs) -> Result<u8, Error> {
    let html = emit::wants_html(&args.out);
    if html {
        emit::check_html(&args.out)?;
    } else {
        emit::format(&args.out)?;
    }
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            return Err(Error::usage(
                format!("`--from {from}` is after `--to {to}`"),
                Some("give the earlier date to `--from`".into()),
            ));
        }
    }
    let area = match &args.area {
        Some(a) => parse_areas(std::slice::from_ref(a))?.into_iter().next(),
        None => None,
    };
    let repo = ctx.load()?;
    let provision = args.provision.as_deref().map(|p| resolve_provision(&repo, p)).transpose()?;
    let filter = Filter { provision, area, year: args.year, from: args.from, to: args.to };
    let report = impact::report(&repo, &filter, ctx.today);
    if html {
        let templates = crate::render::Templates::load(&repo.root)?;
        let cx = crate::render::views::Ctx::new(&repo, ctx.today);
        let page = templates.render("impact.html.j2", &crate::render::views::evidence::impact(&cx, &report))?;
        return emit::emit_html(ctx, &args.out, &page);
    }
    emit::emit(ctx, &args.out, &impact::document(&report), &report)
}
