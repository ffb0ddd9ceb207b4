//! A school's own templates run in a child process with limits.
//!
//! The work limit (minijinja's fuel) counts steps, not bytes or time: a
//! template can double a text in a few dozen steps (`{% set s = s ~ s %}`)
//! and ask for more memory than the machine has, compare two long texts a
//! million times in a million cheap steps, or nest an expression so deep
//! that parsing it overflows the stack. Each would end or hold senco itself.
//! So when a school's templates take part, senco never parses or runs them
//! in its own process: it sends the templates and the view (as JSON) to a
//! child of its own executable, `senco __template-worker`, whose address
//! space the operating system limits (`[limits] template_mb`), which may
//! take at most `[limits] template_seconds` per document (then it is killed), which
//! dies with senco, and which writes no file. The Word
//! conversion of such a document runs there too. A child that runs out or
//! dies becomes a clean error naming the document; the records and senco
//! itself are untouched. The built-in templates are senco's own and run in
//! process, as does everything when the library is used without the binary
//! (which calls [`enable`]).

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Instant;

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

/// The longest one document may take in the worker, in seconds, from
/// `[limits] template_seconds` (default 60; the provision map of a
/// 10,000-pupil school takes about one).
static RENDER_SECONDS: AtomicU64 = AtomicU64::new(crate::model::settings::Limits::DEFAULT_TEMPLATE_SECONDS);

/// Sets the workers' limits from senco.toml's `[limits]`.
pub fn set_limits(limits: crate::model::settings::Limits) {
    MEMORY_LIMIT_MB.store(limits.template_mb.max(MEMORY_FLOOR_MB), Ordering::Relaxed);
    RENDER_SECONDS.store(limits.template_seconds.max(1), Ordering::Relaxed);
}

/// The largest document the worker may send back: 8 times a 10,000-pupil
/// provision map (HTML).
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

/// Called by the `senco` binary: school templates from now on run in a
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

/// Whether school templates run in a worker (else in process: the library
/// used on its own, or not on Unix).
pub fn available() -> bool {
    cfg!(unix) && WORKER.get().is_some()
}

/// A set of templates as the worker gets them, with the key that tells
/// whether a running worker holds them already (hashed once, not per document).
pub struct Bundle {
    set: Set,
    school: Vec<(String, String)>,
    fuel: u64,
    key: u64,
}

impl Bundle {
    pub fn new(set: Set, school: Vec<(String, String)>, fuel: u64) -> Bundle {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (set == Set::Pages, &school, fuel).hash(&mut h);
        Bundle { set, school, fuel, key: h.finish() }
    }

    /// Whether the school has no templates of its own in this set.
    pub fn is_empty(&self) -> bool {
        self.school.is_empty()
    }

    pub fn texts(&self) -> &[(String, String)] {
        &self.school
    }
}

/// The first request to a worker: the environment it builds once.
#[derive(Serialize)]
struct SetupOut<'a> {
    set: Set,
    school: &'a [(String, String)],
    fuel: u64,
}

#[derive(Deserialize)]
struct Setup {
    set: Set,
    school: Vec<(String, String)>,
    fuel: u64,
}

#[derive(Serialize)]
enum RequestOut<'a, V: Serialize> {
    /// Nothing to render: is the environment sound (every template parses)?
    Check,
    Render {
        name: &'a str,
        context: &'a V,
    },
    /// A rendered HTML document to Word.
    Docx {
        html: &'a str,
    },
}

#[derive(Deserialize)]
enum RequestIn {
    Check,
    Render { name: String, context: serde_json::Value },
    Docx { html: String },
}

#[derive(Serialize, Deserialize, Debug)]
enum Response {
    /// The text follows in a frame of its own (as it is: no escaping).
    Text,
    /// The bytes follow in a frame of their own.
    Bytes,
    Err {
        message: String,
        hint: Option<String>,
    },
}

/// What a worker sent back.
enum Answer {
    Text(String),
    Bytes(Vec<u8>),
}

/// A running worker, kept by the thread that started it for its next
/// document with the same templates (starting one costs milliseconds).
struct Live {
    /// The templates' key and the memory limit it was started with.
    key: (u64, u64),
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    stdout: std::process::ChildStdout,
    /// The worker's watchdog: its deadline, and the thread that keeps it.
    watch: Arc<(Mutex<Watch>, Condvar)>,
    dog: Option<std::thread::JoinHandle<()>>,
}

/// What the watchdog of one worker knows.
#[derive(Default)]
struct Watch {
    /// When the document being rendered must be done.
    deadline: Option<Instant>,
    /// Whether it killed the worker.
    fired: bool,
    closed: bool,
}

impl Drop for Live {
    fn drop(&mut self) {
        let (lock, wake) = &*self.watch;
        lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner).closed = true;
        wake.notify_all();
        if let Some(dog) = self.dog.take() {
            let _ = dog.join();
        }
        // End of input ends the worker; wait so no zombie is left.
        self.stdin = None;
        let _ = self.child.wait();
    }
}

/// The watchdog of the worker `pid`: kills it when a deadline passes. The
/// child is not reaped before this thread is joined, so the pid is its own.
fn watchdog(pid: u32, watch: Arc<(Mutex<Watch>, Condvar)>) {
    let (lock, wake) = &*watch;
    let mut w = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    while !w.closed {
        w = match w.deadline {
            None => wake.wait(w).unwrap_or_else(std::sync::PoisonError::into_inner),
            Some(d) if Instant::now() >= d => {
                kill(pid);
                w.fired = true;
                w.deadline = None;
                w
            }
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                wake.wait_timeout(w, left).unwrap_or_else(std::sync::PoisonError::into_inner).0
            }
        };
    }
}

/// The workers of one set (documents, pages): how many are rendering, and
/// the idle ones kept for the next document (never more than [`AT_ONCE`]
/// in all, so idle workers never hold more than that between them).
struct Pool {
    busy: usize,
    idle: Vec<Live>,
}

static POOLS: [(Mutex<Pool>, Condvar); 2] = [
    (Mutex::new(Pool { busy: 0, idle: Vec::new() }), Condvar::new()),
    (Mutex::new(Pool { busy: 0, idle: Vec::new() }), Condvar::new()),
];

fn pool(set: Set) -> &'static (Mutex<Pool>, Condvar) {
    &POOLS[usize::from(set == Set::Pages)]
}

/// A turn to render: an idle worker if there is one. `None` when none came
/// free within `wait` (every worker busy with a slow document).
fn acquire(set: Set, wait: std::time::Duration) -> Option<Option<Live>> {
    let (lock, freed) = pool(set);
    let deadline = Instant::now() + wait;
    let mut p = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    while p.busy >= AT_ONCE {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        p = freed.wait_timeout(p, left).unwrap_or_else(std::sync::PoisonError::into_inner).0;
    }
    p.busy += 1;
    Some(p.idle.pop())
}

/// The turn given back, with the worker if it is still good.
fn release(set: Set, live: Option<Live>) {
    let (lock, freed) = pool(set);
    let surplus = {
        let mut p = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        p.busy -= 1;
        match live {
            Some(l) if p.busy + p.idle.len() < AT_ONCE => {
                p.idle.push(l);
                None
            }
            other => other,
        }
    };
    // Dropped outside the lock: ending a worker waits for it.
    drop(surplus);
    freed.notify_one();
}

/// Renders `name` with the school's templates in the worker: `None` when
/// there is no worker, so the caller renders in process.
pub fn render<V: Serialize>(bundle: &Bundle, name: &str, view: &V) -> Option<Result<String, Error>> {
    let what = format!("rendering `{name}` with the school's templates");
    call(bundle, &RequestOut::Render { name, context: view }, &what).map(|r| {
        r.and_then(|a| match a {
            Answer::Text(t) => Ok(t),
            Answer::Bytes(_) => Err(confused()),
        })
    })
}

/// Whether every template of the set parses, asked of the worker: `None`
/// when there is no worker.
pub fn check(bundle: &Bundle) -> Option<Result<(), Error>> {
    call::<()>(bundle, &RequestOut::Check, "reading the school's templates").map(|r| r.map(|_| ()))
}

/// A document the school's templates made, converted to Word in the worker
/// (the conversion's memory grows with the HTML, which they control).
pub fn docx(bundle: &Bundle, html: &str) -> Option<Result<Vec<u8>, Error>> {
    let what = "making the Word document of the school's template";
    call::<()>(bundle, &RequestOut::Docx { html }, what).map(|r| {
        r.and_then(|a| match a {
            Answer::Bytes(b) => Ok(b),
            Answer::Text(_) => Err(confused()),
        })
    })
}

fn confused() -> Error {
    Error::usage("senco's template renderer sent back what it should not", None)
}

/// How many workers of a set (documents, pages) exist at once, rendering
/// or idle: so runaway templates never take more than twice
/// `[limits] template_mb` between them.
pub const AT_ONCE: usize = 2;

/// A worker that holds more than this after a document is retired, so an
/// idle worker never keeps a runaway's memory.
const RETIRE_ABOVE_BYTES: u64 = 256 << 20;

fn call<V: Serialize>(bundle: &Bundle, request: &RequestOut<'_, V>, what: &str) -> Option<Result<Answer, Error>> {
    if !cfg!(unix) {
        return None;
    }
    let exe = WORKER.get()?;
    let run = || {
        // A turn waits at most one document's time limit: a queue of slow
        // documents (reloaded tabs) never holds a request for minutes.
        let limit = std::time::Duration::from_secs(RENDER_SECONDS.load(Ordering::Relaxed));
        let Some(idle) = acquire(bundle.set, limit) else {
            return Err(Error::usage(
                format!(
                    "{what}: every template renderer was busy for {} seconds, so it was not started",
                    limit.as_secs()
                ),
                Some(runaway_hint(bundle.set, "may be slow for other documents (try again in a minute)")),
            ));
        };
        let (answer, live) = call_here(exe, bundle, idle, request, what);
        release(bundle.set, live);
        answer
    };
    // In `senco serve` (a thread of its runtime), waiting for the worker
    // must not hold the other requests that thread would answer.
    Some(match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(run),
        _ => run(),
    })
}

fn call_here<V: Serialize>(
    exe: &std::path::Path,
    bundle: &Bundle,
    idle: Option<Live>,
    request: &RequestOut<'_, V>,
    what: &str,
) -> (Result<Answer, Error>, Option<Live>) {
    let request = match serde_json::to_vec(request) {
        Ok(r) => r,
        Err(e) => {
            return (Err(Error::usage(format!("{what}: cannot hand it to the template renderer: {e}"), None)), idle)
        }
    };
    let mut slot = idle;
    let answer = exchange_in(exe, bundle, &mut slot, &request, what);
    (answer, slot)
}

/// One request to the worker in `slot` (started there when missing or for
/// other templates); the slot is emptied when the worker is gone.
fn exchange_in(
    exe: &std::path::Path,
    bundle: &Bundle,
    slot: &mut Option<Live>,
    request: &[u8],
    what: &str,
) -> Result<Answer, Error> {
    let key = (bundle.key, MEMORY_LIMIT_MB.load(Ordering::Relaxed));
    {
        if slot.as_ref().is_none_or(|l| l.key != key) {
            *slot = None;
            let setup = SetupOut { set: bundle.set, school: &bundle.school, fuel: bundle.fuel };
            *slot = Some(start(exe, key, &setup)?);
        }
        let Some(live) = slot.as_mut() else { unreachable!("a worker was just started") };
        let (result, timed_out) = watched(live, request);
        // What came back: an answer, a document over the limit (`None`), or
        // a worker that is gone (`Err`).
        let outcome: Result<Option<Result<Answer, Error>>, ()> = match result {
            // The document follows its header in a frame of its own.
            Ok(Some(head @ (Response::Text | Response::Bytes))) => {
                match (head, read_frame(&mut live.stdout, OUTPUT_LIMIT_BYTES)) {
                    (Response::Text, Ok(Frame::Data(bytes))) => {
                        Ok(Some(String::from_utf8(bytes).map(Answer::Text).map_err(|_| confused())))
                    }
                    (_, Ok(Frame::Data(bytes))) => Ok(Some(Ok(Answer::Bytes(bytes)))),
                    (_, Ok(Frame::TooLarge)) => Ok(None),
                    _ => Err(()),
                }
            }
            Ok(Some(Response::Err { message, hint })) => Ok(Some(Err(Error::usage(message, hint)))),
            Ok(None) => Ok(None),
            Err(()) => Err(()),
        };
        match outcome {
            Ok(Some(answer)) => {
                // A worker left holding a large document's memory is retired.
                if resident_bytes(live.child.id()) > RETIRE_ABOVE_BYTES {
                    *slot = None;
                }
                answer
            }
            Ok(None) => {
                let _ = live.child.kill();
                *slot = None;
                Err(Error::usage(
                    format!("{what} made more than {} MB, so it was stopped", OUTPUT_LIMIT_BYTES >> 20),
                    Some(runaway_hint(
                        bundle.set,
                        "builds a text far larger than any document (e.g. a loop that never ends)",
                    )),
                ))
            }
            Err(()) => {
                // The worker died: say why, and start a new one next time.
                let Some(mut dead) = slot.take() else { unreachable!("the worker is in its slot") };
                dead.stdin = None;
                let status = dead.child.wait().ok();
                let mut err = Vec::new();
                if let Some(stderr) = dead.child.stderr.take() {
                    use std::io::Read;
                    let _ = stderr.take(64 << 10).read_to_end(&mut err);
                }
                Err(died(bundle, what, status, &String::from_utf8_lossy(&err), timed_out))
            }
        }
    }
}

/// A process's resident memory (Linux; else 0).
fn resident_bytes(pid: u32) -> u64 {
    status_bytes(&format!("/proc/{pid}/status"), "VmRSS:")
}

/// A size in `/proc/PID/status` (`VmRSS:`, `VmSize:`), in bytes; 0 when unknown.
fn status_bytes(path: &str, key: &str) -> u64 {
    let status = std::fs::read_to_string(path).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// One exchange under the worker's watchdog, which kills it when it takes
/// longer than `[limits] template_seconds`: the result, and whether the
/// watchdog struck (then the worker is gone, whatever came back).
fn watched(live: &mut Live, request: &[u8]) -> (Result<Option<Response>, ()>, bool) {
    let limit = std::time::Duration::from_secs(RENDER_SECONDS.load(Ordering::Relaxed));
    let (lock, wake) = &*live.watch;
    {
        let mut w = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        w.deadline = Some(Instant::now() + limit);
        w.fired = false;
    }
    wake.notify_all();
    let result = exchange(live, request);
    let (lock, _) = &*live.watch;
    let mut w = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    w.deadline = None;
    if w.fired {
        return (Err(()), true);
    }
    (result, false)
}

#[cfg(unix)]
fn kill(pid: u32) {
    if let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
}

#[cfg(not(unix))]
fn kill(_: u32) {}

fn runaway_hint(set: Set, does: &str) -> String {
    match set {
        Set::Documents => format!(
            "a template of the school's (in `templates/`) {does}; fix it, or remove it to use the built-in one \
             (`senco templates list` shows which templates are the school's)"
        ),
        Set::Pages => format!(
            "a page template of the school's (in `templates/web/`) {does}; fix it, or remove it to use the \
             built-in page"
        ),
    }
}

fn start(exe: &std::path::Path, key: (u64, u64), setup: &SetupOut<'_>) -> Result<Live, Error> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .arg(MEMORY_LIMIT_MB.load(Ordering::Relaxed).to_string())
        .arg(std::process::id().to_string())
        .env_clear()
        // The allocator reserves address space 1 GB at a time by default,
        // which the worker's limit counts: 64 MB at a time keeps the limit
        // about the memory the templates use.
        .env("MIMALLOC_ARENA_RESERVE", "64MiB")
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
    let watch = Arc::new((Mutex::new(Watch::default()), Condvar::new()));
    let pid = child.id();
    let dog = {
        let watch = Arc::clone(&watch);
        std::thread::Builder::new().name("senco-template-watchdog".into()).spawn(move || watchdog(pid, watch)).ok()
    };
    if dog.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Error::usage("cannot watch senco's template renderer (no thread could be started)", None));
    }
    let mut live = Live { key, child, stdin: Some(stdin), stdout, watch, dog };
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

/// Why a worker ended, as an error about what it was doing.
fn died(bundle: &Bundle, what: &str, status: Option<std::process::ExitStatus>, stderr: &str, timed_out: bool) -> Error {
    let (why, does) = if timed_out {
        (
            format!(
                "took more than {} seconds (`[limits] template_seconds` in senco.toml), so it was stopped",
                RENDER_SECONDS.load(Ordering::Relaxed)
            ),
            "does far more work than any document needs (a loop that runs far more often than the records need, \
             or one that compares or searches long texts over and over)",
        )
    } else if stderr.contains("memory allocation") {
        (
            format!(
                "asked for more than {} MB of memory (`[limits] template_mb` in senco.toml), so it was stopped",
                MEMORY_LIMIT_MB.load(Ordering::Relaxed)
            ),
            "builds a text or a list far larger than any document (e.g. a text doubled in a loop)",
        )
    } else if stderr.contains("overflowed its stack") {
        // The parser cannot say where: name the school's files, one of which it is.
        let dir = match bundle.set {
            Set::Documents => super::TEMPLATE_DIR,
            Set::Pages => crate::web::html::WEB_TEMPLATE_DIR,
        };
        let files: Vec<String> = bundle.school.iter().take(5).map(|(n, _)| format!("`{dir}/{n}`")).collect();
        let more =
            if bundle.school.len() > 5 { format!(" and {} more", bundle.school.len() - 5) } else { String::new() };
        let which = match files.len() {
            1 => format!(" (the school's file {})", files[0]),
            _ => format!(" (one of the school's files {}{more})", files.join(", ")),
        };
        (
            format!("nests deeper than senco can read{which}, so it was stopped"),
            "nests an expression thousands deep (e.g. `not not not ...` or `1 + 1 + ...`)",
        )
    } else {
        let how = match status {
            Some(s) => format!(" ({s})"),
            None => String::new(),
        };
        (format!("stopped senco's template renderer{how}"), "made senco's template renderer stop")
    };
    Error::usage(format!("{what} {why}"), Some(runaway_hint(bundle.set, does)))
}

/// The worker: limits itself, reads its setup, then answers one request
/// after another until its input ends.
pub fn worker_main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(2);
    let mb = args
        .next()
        .and_then(|a| a.parse::<u64>().ok())
        .unwrap_or(crate::model::settings::Limits::DEFAULT_TEMPLATE_MB)
        .max(MEMORY_FLOOR_MB);
    let parent = args.next().and_then(|a| a.parse::<u32>().ok());
    if !limit_self(mb.saturating_mul(1 << 20), parent) {
        return std::process::ExitCode::from(2);
    }
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let setup = match read_frame(&mut stdin, u64::MAX) {
        Ok(Frame::Data(bytes)) => serde_json::from_slice::<Setup>(&bytes).map_err(|e| e.to_string()),
        _ => return std::process::ExitCode::from(2),
    };
    let env = setup
        .map_err(|e| Error::usage(format!("the template renderer could not read its setup: {e}"), None))
        .and_then(|s| match s.set {
            Set::Documents => super::Templates::from_texts(s.school, s.fuel, true).map(Env::Documents),
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
            (Ok(_), Ok(RequestIn::Check)) => Ok(Answer::Text(String::new())),
            (Ok(Env::Documents(t)), Ok(RequestIn::Render { name, context })) => {
                t.render_here(&name, &context).map(Answer::Text)
            }
            (Ok(Env::Pages(env)), Ok(RequestIn::Render { name, context })) => {
                crate::web::html::render_with(env, &name, &context).map(Answer::Text)
            }
            (Ok(_), Ok(RequestIn::Docx { html })) => super::finish(html, super::Format::Docx).map(Answer::Bytes),
        };
        let (response, bytes) = match result {
            Ok(Answer::Text(text)) => (Response::Text, Some(text.into_bytes())),
            Ok(Answer::Bytes(b)) => (Response::Bytes, Some(b)),
            Err(e) => (Response::Err { message: e.to_string(), hint: e.hint() }, None),
        };
        let Ok(head) = serde_json::to_vec(&response) else { return std::process::ExitCode::from(2) };
        if write_frame(&mut stdout, &head).is_err() {
            return std::process::ExitCode::from(2);
        }
        if let Some(b) = bytes {
            if write_frame(&mut stdout, &b).is_err() {
                return std::process::ExitCode::from(2);
            }
        }
    }
}

enum Env {
    Documents(super::Templates),
    Pages(minijinja::Environment<'static>),
}

/// The worker's limits: its address space, no file written, and death with
/// senco (so a runaway never outlives a killed senco).
/// False when the parent is already gone.
#[cfg(unix)]
fn limit_self(memory_bytes: u64, parent: Option<u32>) -> bool {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let cap = |n: u64| Rlimit { current: Some(n), maximum: Some(n) };
    // On top of what the program itself has mapped already (its code, its
    // allocator's first reserve), so the limit is the templates' memory.
    let _ = setrlimit(Resource::As, cap(memory_bytes.saturating_add(mapped_now())));
    let _ = setrlimit(Resource::Fsize, cap(0));
    // Dies with senco: a thread looks twice a second whether the parent is
    // still ours (not a signal on the parent's death, which Linux sends when
    // the *thread* that started us ends, and workers are shared by threads).
    let Some(parent) = parent else { return true };
    let ours = move || rustix::process::getppid().map(|p| p.as_raw_nonzero().get() as u32) == Some(parent);
    if !ours() {
        return false;
    }
    std::thread::Builder::new()
        .name("senco-parent-watch".into())
        .spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_millis(500));
            if !ours() {
                std::process::exit(3);
            }
        })
        .is_ok()
}

/// The address space this process has mapped (Linux; else 0).
#[cfg(unix)]
fn mapped_now() -> u64 {
    status_bytes("/proc/self/status", "VmSize:")
}

#[cfg(not(unix))]
fn limit_self(_: u64, _: Option<u32>) -> bool {
    true
}

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
        let bundle = Bundle::new(Set::Documents, school, 1000);
        assert!(render(&bundle, "x.md.j2", &serde_json::json!({"a": 1})).is_none());
    }
}
