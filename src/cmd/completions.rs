//! `stance completions SHELL`: a shell completion script generated from the clap definitions,
//! so completions never drift from the real flags.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, ShellArg};
use crate::error::Result;

/// Prints the completion script for `shell` to stdout.
pub fn run(shell: ShellArg) -> Result<()> {
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
        ShellArg::Elvish => Shell::Elvish,
    };
    // Generate into memory first: clap_complete panics on a failed write (e.g. `| head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "stance", &mut script);
    super::write_stdout(&script)
}
