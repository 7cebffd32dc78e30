//! `stance lexicon init|check`: write out the defaults, or validate a folder.

use std::io::{self, Write};

use crate::cli::LexiconCommand;
use crate::error::{Error, Result};
use crate::lexicon::{self, Cue, Lexicon};

/// Runs `stance lexicon ...`.
pub fn run(command: &LexiconCommand) -> Result<()> {
    match command {
        LexiconCommand::Init { dir } => {
            let written = lexicon::write_defaults(dir)?;
            super::note(&format!(
                "wrote {} files to {}; use them with --lexicons {}",
                written.len(),
                dir.display(),
                dir.display()
            ));
            Ok(())
        }
        LexiconCommand::Check { dir } => {
            let lexicon = match dir {
                Some(dir) => Lexicon::load_dir(dir)?,
                None => Lexicon::builtin(),
            };
            print_check(&lexicon)
        }
    }
}

fn print_check(lexicon: &Lexicon) -> Result<()> {
    let mut out = io::stdout().lock();
    let mut text = format!("lexicons: {}\n", lexicon.source);
    for (i, c) in lexicon.categories.iter().enumerate() {
        let role = match i {
            lexicon::BOUNDARY | lexicon::FRIENDSHIP => "pole".to_string(),
            _ => format!(
                "flag, threshold {}",
                crate::output::format_number(c.threshold)
            ),
        };
        let missing = if c.is_present {
            ""
        } else {
            " (no file: empty)"
        };
        text.push_str(&format!(
            "  {:<24} {:>5} entries  ({role}){missing}\n",
            c.name, c.entries
        ));
    }
    for cue in [
        Cue::Negator,
        Cue::NotNegation,
        Cue::Contrast,
        Cue::Concession,
        Cue::Hedge,
        Cue::Agree,
        Cue::Disagree,
        Cue::Desire,
    ] {
        text.push_str(&format!(
            "  cues/{:<19} {:>5} entries\n",
            cue.name(),
            lexicon.cue_entries(cue)
        ));
    }
    text.push_str("ok\n");
    out.write_all(text.as_bytes()).map_err(Error::Write)?;
    out.flush().map_err(Error::Write)
}
