//! One file per subcommand; each has a `run` taking its clap arguments.

pub mod analyze;
pub mod eval;
pub mod explain;
pub mod import;
pub mod lexicon;

use std::io::{self, Write};

/// Writes a warning to stderr with the `stance:` prefix (never fails: stderr is talk).
pub fn warn(message: &str) {
    let _ = writeln!(io::stderr(), "stance: warning: {message}");
}

/// Writes an informational line to stderr with the `stance:` prefix.
pub fn note(message: &str) {
    let _ = writeln!(io::stderr(), "stance: {message}");
}

/// Warns about comments whose parent is not in the dataset, once, with the count.
pub fn warn_missing_parents(count: usize) {
    if count > 0 {
        warn(&format!(
            "{count} comment{} name a parent that is not in the input; each starts its own thread",
            if count == 1 { "" } else { "s" }
        ));
    }
}
