//! `stance man`: the man page (roff), generated from the clap definitions and their help text.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, Result};

/// Prints `stance.1` to stdout; subcommands are listed in its SUBCOMMANDS section.
pub fn run() -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(Error::Write)?;
    super::write_stdout(&page)
}
