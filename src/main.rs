//! The `stance` binary: parse arguments, run, map errors to exit codes. See `lib.rs`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use stance::cli::Cli;
use stance::error::EXIT_OK;

/// mimalloc: every comment allocates its record, fields and evidence on a worker thread and
/// frees them on another; the system allocator spent about a tenth of a run there (#5).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
    let cli = Cli::parse();
    match stance::run(cli) {
        Ok(()) => ExitCode::from(EXIT_OK as u8),
        Err(err) if err.is_broken_pipe() => ExitCode::from(EXIT_OK as u8),
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "stance: {err}");
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
