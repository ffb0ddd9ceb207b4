//! `senco serve`: the records in a browser. Resolves the arguments into
//! `web::Options`, prints the address (and, off loopback, the login link),
//! and runs the server until it is stopped.

use super::{eprint, print, Ctx};
use crate::cli::ServeArgs;
use crate::error::Error;
use crate::web;
use chrono::NaiveDate;

pub fn run(ctx: &Ctx, args: &ServeArgs, fixed_today: Option<NaiveDate>) -> Result<u8, Error> {
    let root = ctx.root()?;
    let loopback = args.bind.is_loopback();
    if args.allow_writes && loopback {
        return Err(Error::usage(
            "`--allow-writes` is for a non-loopback `--bind`; on this computer the forms are on already",
            Some("drop `--allow-writes` (or add `--readonly` to turn the forms off)".into()),
        ));
    }
    if args.allow_writes && args.readonly {
        return Err(Error::usage("`--allow-writes` and `--readonly` contradict each other", Some("keep one".into())));
    }
    let opts = web::Options {
        root,
        fixed_today,
        readonly: args.readonly || (!loopback && !args.allow_writes),
        anonymise: args.anonymise,
        token: (!loopback).then(web::guard::random_token),
        extra_hosts: args.allow_host.clone(),
        commit: args.commit,
    };
    let server = web::Server::bind(opts, args.bind, args.port)?;
    let url = server.url();
    match server.login_url() {
        Some(login) => {
            print(&format!("senco serve: {url}\nlog in once with this link (keep it private): {login}\n"))?;
        }
        None => print(&format!("senco serve: {url}\n"))?,
    }
    if args.commit && server.app.opts.readonly {
        eprint("note: `--commit` has nothing to commit on a read-only server\n");
    }
    if server.app.opts.readonly {
        eprint("read-only: the forms are off\n");
    }
    if let Some(why) = server.watch_error() {
        eprint(&format!("warning: changes on disk are picked up only on a page load ({why})\n"));
    }
    if args.open {
        open_browser(&url);
    }
    eprint("press Ctrl+C to stop\n");
    server.run()?;
    Ok(0)
}

/// Opens the address in the desktop's browser; failing that, the address is printed already.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(cmd)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
