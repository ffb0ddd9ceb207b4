//! `senco serve`: the records in a browser, a second face beside `cmd`.
//!
//! Like fava and hledger-web, the text files stay the truth and this layer
//! stays thin: every page calls the same library functions as the matching
//! command (`query::*`, `check`, `rules::eval`, `render`, `report`) and
//! renders their result; every form writes through `edit`, refusing a file
//! that changed since the form was loaded. Pages are minijinja templates
//! embedded in the binary (`templates/web/`), which a school may override in
//! its repository's `templates/web/` folder.
//!
//! - [`live`] keeps the loaded records and reloads only what changed on disk,
//!   with [`scan`] to find what changed when the file watcher lost track;
//! - [`guard`] is the safety layer: Host and Origin checks, access token,
//!   CSRF token, Content-Security-Policy;
//! - [`html`] holds the page templates and the views they receive;
//! - [`pages`] the read-only pages, [`duties`] the pages of the duties'
//!   queries (delivery, training, access arrangements, census), [`forms`]
//!   the forms.

pub mod duties;
pub mod forms;
pub mod guard;
pub mod html;
pub mod live;
pub mod pages;
pub mod scan;
pub mod sessions;

use crate::error::Error;
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// What `senco serve` was asked for, resolved.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    /// `--today`: every page computed for this date; else the clock's date at each request.
    pub fixed_today: Option<NaiveDate>,
    pub readonly: bool,
    pub anonymise: bool,
    /// Required (as the `senco_access` cookie) on every request when set: a non-loopback bind.
    pub token: Option<String>,
    /// Host names accepted besides loopback names and the bound address.
    pub extra_hosts: Vec<String>,
    /// `--commit`: each write is one git commit of exactly the files it changed.
    pub commit: bool,
}

/// The application: options, the live records, the page templates.
pub struct App {
    pub opts: Options,
    pub live: live::Live,
    /// Host header values accepted (lowercase, with and without the port).
    pub hosts: Vec<String>,
    /// Whether the port is known (a real server), so a Host header must carry it.
    pub port_known: bool,
    /// Bound to every address with an access token: any IP address with our port is a Host of ours.
    pub any_ip: bool,
    pub port: Option<u16>,
}

impl App {
    /// Loads the records (an unreadable `senco.toml` is an error here, as for
    /// every command) and starts watching the folder.
    pub fn new(opts: Options, bound: Option<SocketAddr>) -> Result<App, Error> {
        if opts.commit {
            if let Some(why) = crate::edit::git::not_a_work_tree(&opts.root) {
                return Err(Error::usage(
                    format!("`--commit` needs the records in a git repository: {why}"),
                    Some(
                        "run `git init` in the records folder first (and commit what is there), or drop `--commit`"
                            .into(),
                    ),
                ));
            }
        }
        let today = opts.fixed_today.unwrap_or_else(|| chrono::Local::now().date_naive());
        let live = live::Live::new(&opts.root, opts.anonymise, today)?;
        let hosts = guard::allowed_hosts(bound, &opts.extra_hosts);
        // Bound to every address (`--bind 0.0.0.0`): reached by any of the
        // computer's addresses, which cannot all be known, so any address
        // written as an IP is let through; a name still needs --allow-host.
        // The access token guards such a server (a rebinding page lacks it).
        let any_ip = bound.is_some_and(|b| b.ip().is_unspecified()) && opts.token.is_some();
        Ok(App { opts, live, hosts, port_known: bound.is_some(), any_ip, port: bound.map(|b| b.port()) })
    }

    /// With `--commit`, commits the files a form just wrote. The write has
    /// happened either way; a commit that fails is said on the terminal
    /// (never with record contents) and the files stay for the next commit.
    pub fn committed(&self, paths: &[String], message: &str) {
        if !self.opts.commit {
            return;
        }
        if let Err(why) = crate::edit::git::commit_paths(&self.opts.root, paths, message) {
            // git's own words may quote a folder name: escaped for the terminal.
            let first = crate::diag::render::escape_controls(why.lines().next().unwrap_or("")).into_owned();
            eprintln!("warning: the change was saved, but git did not commit it: {first}");
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.opts.fixed_today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

pub type Shared = Arc<App>;

/// Every route of the application, behind the guard.
pub fn router(app: Shared) -> Router {
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/register", get(pages::register))
        .route("/register.csv", get(pages::register_csv))
        .route("/pupil/{id}", get(pages::pupil))
        .route("/pupil/{id}/doc/{kind}", get(pages::pupil_document))
        .route("/pupil/{id}/review/new", get(forms::new_review_form).post(forms::new_review_post))
        .route("/pupil/{id}/review/{stem}", get(forms::outcome_form).post(forms::outcome_post))
        // A form's address left in the browser after a refused save (a
        // reload, a bookmark) goes back to the pupil's page, never a blank one.
        .route("/pupil/{id}/log", get(forms::back_to_pupil).post(forms::log_post))
        .route("/pupil/{id}/action-done", get(forms::back_to_pupil).post(forms::action_done_post))
        .route("/pupil/{id}/target-status", get(forms::back_to_pupil).post(forms::target_status_post))
        .route("/pupils/new", get(forms::new_pupil_form).post(forms::new_pupil_post))
        .route("/sessions", get(sessions::sessions))
        .route("/sessions/{place}", get(sessions::session_form).post(sessions::session_post))
        .route("/classes", get(pages::classes))
        .route("/class/{name}", get(pages::class))
        .route("/caseloads", get(pages::caseloads))
        .route("/caseload/{staff}", get(pages::caseload))
        .route("/provision-map", get(pages::provision_map))
        .route("/impact", get(pages::impact))
        .route("/compliance", get(pages::compliance))
        .route("/findings", get(pages::findings))
        .route("/delivery", get(duties::delivery_page))
        .route("/delivery.csv", get(duties::delivery_csv))
        .route("/training", get(duties::training_page))
        .route("/training.csv", get(duties::training_csv))
        .route("/access", get(duties::access_page))
        .route("/access.csv", get(duties::access_csv))
        .route("/census", get(duties::census_page))
        .route("/census.csv", get(duties::census_csv))
        .route("/style.css", get(pages::stylesheet))
        // Browsers ask for it on every page: nothing, rather than a 404 in their console.
        .route("/favicon.ico", get(|| async { axum::http::StatusCode::NO_CONTENT }))
        .route("/login", get(guard::login))
        .route("/logout", post(guard::logout))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard::guard))
        .with_state(app)
}

/// A bound listener with its application, ready to run.
pub struct Server {
    pub app: Shared,
    listener: std::net::TcpListener,
    addr: SocketAddr,
}

impl Server {
    pub fn bind(opts: Options, ip: IpAddr, port: u16) -> Result<Server, Error> {
        let want = SocketAddr::new(ip, port);
        let listener = std::net::TcpListener::bind(want).map_err(|e| {
            Error::usage(
                format!("cannot listen on {want}: {e}"),
                Some("another program may use this port: choose another with `--port`, e.g. `--port 8412`".into()),
            )
        })?;
        let addr = listener.local_addr().map_err(|e| Error::usage(format!("cannot listen on {want}: {e}"), None))?;
        let app = Arc::new(App::new(opts, Some(addr))?);
        Ok(Server { app, listener, addr })
    }

    pub fn url(&self) -> String {
        // Bound to every address: the one other computers most likely reach
        // this one by (the address of the default route's interface: asking
        // the kernel sends nothing), else this computer's own.
        let outward = |probe: &str| {
            std::net::UdpSocket::bind(if probe.starts_with('[') { "[::]:0" } else { "0.0.0.0:0" })
                .and_then(|u| u.connect(probe).and_then(|_| u.local_addr()))
                .ok()
                .map(|a| a.ip().to_canonical())
                .filter(|ip| !ip.is_unspecified() && !ip.is_loopback())
        };
        let host = match self.addr.ip() {
            IpAddr::V4(v4) if v4.is_unspecified() => {
                outward("192.0.2.1:9").map_or_else(|| "127.0.0.1".to_string(), |ip| ip.to_string())
            }
            IpAddr::V6(v6) if v6.is_unspecified() => {
                outward("[2001:db8::1]:9").map_or_else(|| "[::1]".to_string(), |ip| format!("[{ip}]"))
            }
            IpAddr::V6(v6) => format!("[{v6}]"),
            IpAddr::V4(v4) => v4.to_string(),
        };
        format!("http://{host}:{}/", self.addr.port())
    }

    pub fn login_url(&self) -> Option<String> {
        self.app.opts.token.as_ref().map(|t| format!("{}login?token={t}", self.url()))
    }

    pub fn watch_error(&self) -> Option<String> {
        self.app.live.watch_error()
    }

    /// Serves until the process is stopped. Four threads answer requests, so
    /// one slow answer (a school's template running up to its time limit, a
    /// large document) never holds the others; the library itself uses every
    /// core for the heavy pages.
    pub fn run(self) -> Result<(), Error> {
        let io = |e: std::io::Error| Error::usage(format!("the web server stopped: {e}"), None);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_io().build().map_err(io)?;
        self.listener.set_nonblocking(true).map_err(io)?;
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)?;
            axum::serve(listener, router(self.app)).await
        })
        .map_err(io)
    }
}
