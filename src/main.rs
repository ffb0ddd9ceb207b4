#![forbid(unsafe_code)]
//! The `senco` binary: arguments in, exit code out. The library does the work.

fn main() -> std::process::ExitCode {
    senco::run(std::env::args_os())
}
