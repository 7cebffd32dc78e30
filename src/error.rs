//! The one error type of `stance`, and the exit codes it maps to.
//!
//! Every failure the program can report is a variant of [`Error`]. Its `Display` reads like
//! `FILE:LINE:COL: what is wrong` where a position is known, so `main` only prefixes `stance:`.
//! Exit codes are part of the interface (see README "Exit codes"); they live here next to the
//! errors that produce them.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Exit code for success (also used for a broken pipe: the reader went away, nothing failed).
pub const EXIT_OK: i32 = 0;
/// Exit code for bad data, unreadable files and other runtime failures.
pub const EXIT_DATA: i32 = 1;
/// Exit code for usage errors: unknown flags, bad flag values, invalid lexicon folders.
pub const EXIT_USAGE: i32 = 2;

/// Where in an input something is: a file (or `<stdin>`), and a line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// File name as the user gave it, or `<stdin>`.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    /// A location naming a file and a line.
    pub fn line(file: impl Into<String>, line: u64) -> Location {
        Location {
            file: file.into(),
            line: Some(line),
            column: None,
        }
    }

    /// A location naming a file, a line and a column.
    pub fn at(file: impl Into<String>, line: u64, column: u64) -> Location {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Everything that can go wrong, one variant per kind of failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input or lexicon file could not be opened or read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// Writing output failed (a full disk, a closed pipe...).
    #[error("writing output: {0}")]
    Write(#[source] io::Error),
    /// Input that is not what it claims to be (malformed JSON, a comment without text...).
    #[error("{location}: {message}")]
    Data {
        /// Where.
        location: Location,
        /// What is wrong, and how to fix it when that is obvious.
        message: String,
    },
    /// A problem with the dataset as a whole (duplicate ids, reply cycles).
    #[error("{0}")]
    Dataset(String),
    /// A lexicon file or folder that cannot be used.
    #[error("{location}: {message}")]
    Lexicon {
        /// The lexicon file and line.
        location: Location,
        /// What is wrong with it.
        message: String,
    },
    /// Flags that parse but do not make sense together, or a bad value.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Builds a [`Error::Data`] error.
    pub fn data(location: Location, message: impl Into<String>) -> Error {
        Error::Data {
            location,
            message: message.into(),
        }
    }

    /// Builds a [`Error::Lexicon`] error.
    pub fn lexicon(location: Location, message: impl Into<String>) -> Error {
        Error::Lexicon {
            location,
            message: message.into(),
        }
    }

    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Lexicon { .. } => EXIT_USAGE,
            _ => EXIT_DATA,
        }
    }

    /// True when the error is a closed stdout (`stance ... | head`): a quiet success.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Write(e) => e.kind() == io::ErrorKind::BrokenPipe,
            _ => false,
        }
    }
}

impl From<csv::Error> for Error {
    fn from(err: csv::Error) -> Error {
        // Unwrap the inner io error so a broken pipe stays recognizable (STYLE habit 4).
        match err.into_kind() {
            csv::ErrorKind::Io(io) => Error::Write(io),
            other => Error::Write(io::Error::other(format!("{other:?}"))),
        }
    }
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
