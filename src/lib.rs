//! `stance`: who argues what in comment threads about therapist-client friendship.
//!
//! The library does the work; `main.rs` is a doorway. The pipeline is the architecture:
//! [`input`] (files -> comments) -> [`tokenize`] -> [`lexicon`] (matches) -> [`score`]
//! (evidence and decisions) -> [`thread`] (reply graph, per-thread counts) -> [`output`]
//! (CSV/JSON tables). [`pipeline`] drives those stages; [`cmd`] holds one file per subcommand.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
pub mod input;
pub mod lexicon;
pub mod output;
pub mod pipeline;
pub mod score;
#[cfg(test)]
mod test_rng;
pub mod thread;
pub mod tokenize;

use cli::{Cli, Command};
pub use error::{Error, Result};

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Analyze(args) => cmd::analyze::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Lexicon(command) => cmd::lexicon::run(command),
        Command::Merge(args) => cmd::merge::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Completions { shell } => cmd::completions::run(*shell),
        Command::Man { subcommand } => cmd::man::run(subcommand),
        Command::Import(args) => cmd::import::run(args),
        Command::Explain(args) => cmd::explain::run(args),
    }
}
