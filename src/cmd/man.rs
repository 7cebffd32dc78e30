//! `stance man [SUBCOMMAND]`: man pages (roff), generated from the clap definitions and their
//! help text: `stance(1)` by default, `stance-analyze(1)` and so on for a subcommand (the
//! pages `stance(1)` refers to).

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, Result};

/// Prints the page of `stance`, or of the subcommand at `path` (`["lexicon", "init"]`).
pub fn run(path: &[String]) -> Result<()> {
    let mut command = Cli::command();
    // Building fills in subcommand display names (`stance-analyze`), used as page titles.
    command.build();
    for name in path {
        command = match command.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(|s| s.get_name())
                    .filter(|n| *n != "help")
                    .collect();
                return Err(Error::Usage(format!(
                    "no subcommand `{name}` here; pages exist for: {}",
                    names.join(", ")
                )));
            }
        };
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(Error::Write)?;
    super::write_stdout(&page)
}
