#![forbid(unsafe_code)]
//! The `senco` binary: arguments in, exit code out. The library does the work.

/// See Cargo.toml: the records are tens of thousands of small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    use senco::render::sandbox;
    // A child started to render a school's own templates under limits.
    if std::env::args_os().nth(1).is_some_and(|a| a == sandbox::WORKER_ARG) {
        return sandbox::worker_main();
    }
    sandbox::enable();
    senco::run(std::env::args_os())
}
