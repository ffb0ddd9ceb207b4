#![forbid(unsafe_code)]
//! The `senco` binary: arguments in, exit code out. The library does the work.

/// See Cargo.toml: the records are tens of thousands of small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    senco::run(std::env::args_os())
}
