//! A school's own templates render in a child process with limits.
//!
//! The work limit (minijinja's fuel) counts steps, not bytes: a template can
//! double a text in a few dozen steps (`{% set s = s ~ s %}`) and ask for
//! more memory than the machine has, which no step count stops and which
//! would end senco with an abort. So when a school's templates take part in
//! a render, senco sends the templates and the view (as JSON) to a child of
//! its own executable, run as `senco __template-worker`, whose address space
//! and CPU time are limited by the operating system. A child that runs out
//! becomes a clean error naming the template; the records and senco itself
//! are untouched. The built-in templates are senco's own and render in
//! process, as does everything when the library is used without the binary
//! (which calls [`enable`]).

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The argument that makes the `senco` binary a template worker.
pub const WORKER_ARG: &str = "__template-worker";

/// The worker's address space, from `[limits] template_mb` (default 2 GB:
/// far more than the largest document needs, a 10,000-pupil provision map
/// at about 300 MB, far less than a runaway template takes). Set by
/// `repo::load_head` as it reads senco.toml.
static MEMORY_LIMIT_MB: AtomicU64 = AtomicU64::new(crate::model::settings::Limits::DEFAULT_TEMPLATE_MB);

/// The least memory a worker is given, whatever senco.toml says: the
/// program itself and its templates need it.
pub const MEMORY_FLOOR_MB: u64 = 256;

/// Sets the workers' memory limit (`[limits] template_mb`).
pub fn set_memory_limit_mb(mb: u64) {
    MEMORY_LIMIT_MB.store(mb.max(MEMORY_FLOOR_MB), Ordering::Relaxed);
}

/// The worker's CPU time in seconds (the fuel stops loops long before).
pub const CPU_LIMIT_SECONDS: u64 = 300;

/// The largest document the worker may send back: 8 times a 10,000-pupil
/// provision map (HTML), so converting it to Word stays within reason.
pub const OUTPUT_LIMIT_BYTES: u64 = 64 << 20;

static WORKER: OnceLock<PathBuf> = OnceLock::new();

/// Which template environment the worker builds.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Set {
    /// Documents (`templates/`).
    Documents,
    /// `senco serve`'s pages (`templates/web/`).
    Pages,
}

/// Called by the `senco` binary: school templates from now on render in a
/// child of this executable.
pub fn enable() {
    // On Linux, /proc/self/exe still runs this binary after an upgrade has
    // replaced the file (a long-running `senco serve`).
    let exe = if cfg!(target_os = "linux") && std::path::Path::new("/proc/self/exe").exists() {
        Some(PathBuf::from("/proc/self/exe"))
    } else {
        std::env::current_exe().ok()
    };
    if let Some(exe) = exe {
        let _ = WORKER.set(exe);
    }
}

/// The first request to a worker: the environment it builds once.
#[derive(Serialize, Deserialize)]
struct Setup {
    set: Set,
    school: Vec<(String, String)>,
    fuel: u64,
}

/// One document to render.
#[derive(Serialize)]
struct RequestOut<'a, V: Serialize> {
    name: &'a str,
    context: &'a V,
}

#[derive(Deserialize)]
struct RequestIn {
    name: String,
    context: serde_json::Value,
}

#[derive(Serialize, Deserialize, Debug)]
enum Response {
    Ok(String),
    Err { message: String, hint: Option<String> },
}

/// A running worker, kept by the thread that started it for its next
/// document with the same templates (starting one costs milliseconds).
struct Live {
    key: u64,
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    stdout: std::process::ChildStdout,
}

impl Drop for Live {
    fn drop(&mut self) {
        // End of input ends the worker; wait so no zombie is left.
        self.stdin = None;
        let _ = self.child.wait();
    }
}

thread_local! {
    static LIVE: std::cell::RefCell<Option<Live>> = const { std::cell::RefCell::new(None) };
}

/// Renders `name` with the school's templates in the worker: `None` when
/// there is no worker (the library used on its own, or not on Unix), so the
/// caller renders in process.
pub fn render<V: Serialize>(
    set: Set,
    school: &[(String, String)],
    fuel: u64,
    name: &str,
    view: &V,
) -> Option<Result<String, Error>> {
    if !cfg!(unix) {
        return None;
    }
    let exe = WORKER.get()?;
    let request = match serde_json::to_vec(&RequestOut { name, context: view }) {
        Ok(r) => r,
        Err(e) => return Some(Err(Error::usage(format!("cannot hand `{name}` to the template renderer: {e}"), None))),
    };
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (set == Set::Pages, school, fuel, MEMORY_LIMIT_MB.load(Ordering::Relaxed)).hash(&mut h);
        h.finish()
    };
    Some(LIVE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|l| l.key != key) {
            *slot = None;
            let setup = Setup { set, school: school.to_vec(), fuel };
            *slot = Some(start(exe, key, &setup)?);
        }
        let Some(live) = slot.as_mut() else { unreachable!("a worker was just started") };
        let result = exchange(live, &request);
        match result {
            Ok(Some(response)) => match response {
                Response::Ok(text) => Ok(text),
                Response::Err { message, hint } => Err(Error::usage(message, hint)),
            },
            Ok(None) => {
                let _ = live.child.kill();
                *slot = None;
                Err(Error::usage(
                    format!(
                        "rendering `{name}` made more than {} MB of text, so it was stopped",
                        OUTPUT_LIMIT_BYTES >> 20
                    ),
                    runaway_hint(),
                ))
            }
            Err(()) => {
                // The worker died: say why, and start a new one next time.
                let Some(mut dead) = slot.take() else { unreachable!("the worker is in its slot") };
                dead.stdin = None;
                let status = dead.child.wait();
                let mut err = Vec::new();
                if let Some(stderr) = dead.child.stderr.take() {
                    use std::io::Read;
                    let _ = stderr.take(64 << 10).read_to_end(&mut err);
                }
                Err(died(name, status.ok(), &String::from_utf8_lossy(&err)))
            }
        }
    }))
}

fn runaway_hint() -> Option<String> {
    Some(
        "a template of the school's (in `templates/`) builds a text or a list far larger than any document \
         (e.g. a text doubled in a loop); fix it, or remove it to use the built-in one (`senco templates list` \
         shows which templates are the school's)"
            .to_string(),
    )
}

fn start(exe: &std::path::Path, key: u64, setup: &Setup) -> Result<Live, Error> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .arg(MEMORY_LIMIT_MB.load(Ordering::Relaxed).to_string())
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::usage(
                format!("cannot start senco's template renderer (`{}`): {e}", exe.display()),
                Some("the school's own templates render in a child process; check that senco's executable is still there".into()),
            )
        })?;
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Error::usage("cannot talk to senco's template renderer", None));
    };
    let mut live = Live { key, child, stdin: Some(stdin), stdout };
    let setup = serde_json::to_vec(setup)
        .map_err(|e| Error::usage(format!("cannot set up the template renderer: {e}"), None))?;
    if let Some(stdin) = live.stdin.as_mut() {
        // A failure shows at the first exchange.
        let _ = write_frame(stdin, &setup);
    }
    Ok(live)
}

/// Sends one request and reads its response: `Ok(None)` when the response
/// is over the output limit, `Err` when the worker is gone.
fn exchange(live: &mut Live, request: &[u8]) -> Result<Option<Response>, ()> {
    let stdin = live.stdin.as_mut().ok_or(())?;
    write_frame(stdin, request).map_err(|_| ())?;
    match read_frame(&mut live.stdout, OUTPUT_LIMIT_BYTES).map_err(|_| ())? {
        Frame::Data(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|_| ()),
        Frame::TooLarge => Ok(None),
        Frame::End => Err(()),
    }
}

fn write_frame(w: &mut impl std::io::Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(bytes)?;
    w.flush()
}

enum Frame {
    Data(Vec<u8>),
    TooLarge,
    End,
}

fn read_frame(r: &mut impl std::io::Read, limit: u64) -> std::io::Result<Frame> {
    use std::io::Read;
    let mut len = [0u8; 8];
    if let Err(e) = r.read_exact(&mut len) {
        return if e.kind() == std::io::ErrorKind::UnexpectedEof { Ok(Frame::End) } else { Err(e) };
    }
    let len = u64::from_le_bytes(len);
    if len > limit {
        return Ok(Frame::TooLarge);
    }
    let mut bytes = Vec::new();
    r.by_ref().take(len).read_to_end(&mut bytes)?;
    if (bytes.len() as u64) < len {
        return Ok(Frame::End);
    }
    Ok(Frame::Data(bytes))
}

/// Why a worker ended, as an error about the document it was rendering.
fn died(name: &str, status: Option<std::process::ExitStatus>, stderr: &str) -> Error {
    let sig = status.as_ref().and_then(signal);
    let what = if stderr.contains("memory allocation") {
        format!(
            "asked for more than {} MB of memory (`[limits] template_mb` in senco.toml), so it was stopped",
            MEMORY_LIMIT_MB.load(Ordering::Relaxed)
        )
    } else if sig == Some(24) || sig == Some(9) {
        format!("took more than {CPU_LIMIT_SECONDS} seconds, so it was stopped")
    } else {
        match status {
            Some(s) => format!("stopped the template renderer ({s})"),
            None => "stopped the template renderer".to_string(),
        }
    };
    Error::usage(format!("rendering `{name}` with the school's templates {what}"), runaway_hint())
}

#[cfg(unix)]
fn signal(status: &std::process::ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
fn signal(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// The worker: limits itself, reads its setup, then renders one request
/// after another until its input ends.
pub fn worker_main() -> std::process::ExitCode {
    let mb = std::env::args()
        .nth(2)
        .and_then(|a| a.parse::<u64>().ok())
        .unwrap_or(crate::model::settings::Limits::DEFAULT_TEMPLATE_MB)
        .max(MEMORY_FLOOR_MB);
    limit_self(mb.saturating_mul(1 << 20));
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let setup = match read_frame(&mut stdin, u64::MAX) {
        Ok(Frame::Data(bytes)) => serde_json::from_slice::<Setup>(&bytes).map_err(|e| e.to_string()),
        _ => return std::process::ExitCode::from(2),
    };
    let env = setup
        .map_err(|e| Error::usage(format!("the template renderer could not read its setup: {e}"), None))
        .and_then(|s| match s.set {
            Set::Documents => super::Templates::from_texts(s.school, s.fuel).map(Env::Documents),
            Set::Pages => crate::web::html::environment_from(&s.school).map(Env::Pages),
        });
    loop {
        let request = match read_frame(&mut stdin, u64::MAX) {
            Ok(Frame::Data(bytes)) => bytes,
            _ => return std::process::ExitCode::SUCCESS,
        };
        let result = match (&env, serde_json::from_slice::<RequestIn>(&request)) {
            (Err(e), _) => Err(Error::usage(e.to_string(), e.hint())),
            (_, Err(e)) => Err(Error::usage(format!("the template renderer could not read its request: {e}"), None)),
            (Ok(Env::Documents(t)), Ok(req)) => t.render_here(&req.name, &req.context),
            (Ok(Env::Pages(env)), Ok(req)) => crate::web::html::render_with(env, &req.name, &req.context),
        };
        let response = match result {
            Ok(text) => Response::Ok(text),
            Err(e) => Response::Err { message: e.to_string(), hint: e.hint() },
        };
        let bytes = match serde_json::to_vec(&response) {
            Ok(b) => b,
            Err(_) => return std::process::ExitCode::from(2),
        };
        if write_frame(&mut stdout, &bytes).is_err() {
            return std::process::ExitCode::from(2);
        }
    }
}

enum Env {
    Documents(super::Templates),
    Pages(minijinja::Environment<'static>),
}

#[cfg(unix)]
fn limit_self(memory_bytes: u64) {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let cap = |n: u64| Rlimit { current: Some(n), maximum: Some(n) };
    let _ = setrlimit(Resource::As, cap(memory_bytes));
    let _ = setrlimit(Resource::Cpu, Rlimit { current: Some(CPU_LIMIT_SECONDS), maximum: Some(CPU_LIMIT_SECONDS + 5) });
    // The worker writes no file.
    let _ = setrlimit(Resource::Fsize, cap(0));
}

#[cfg(not(unix))]
fn limit_self(_: u64) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_frame_over_the_limit_is_not_read() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"hello").unwrap();
        write_frame(&mut buf, &[7u8; 100]).unwrap();
        let mut r = &buf[..];
        assert!(matches!(read_frame(&mut r, 10).unwrap(), Frame::Data(d) if d == b"hello"));
        assert!(matches!(read_frame(&mut r, 10).unwrap(), Frame::TooLarge));
    }

    #[test]
    fn a_worker_gone_mid_frame_is_the_end_not_a_short_document() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"hello world").unwrap();
        buf.truncate(buf.len() - 3);
        assert!(matches!(read_frame(&mut &buf[..], 100).unwrap(), Frame::End));
        assert!(matches!(read_frame(&mut &buf[..4], 100).unwrap(), Frame::End));
    }

    #[test]
    fn without_the_binary_there_is_no_worker_and_the_caller_renders() {
        // The library's own tests never call `enable`.
        let school = vec![("x.md.j2".to_string(), "{{ a }}".to_string())];
        assert!(render(Set::Documents, &school, 1000, "x.md.j2", &serde_json::json!({"a": 1})).is_none());
    }
}
