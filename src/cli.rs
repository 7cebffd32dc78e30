//! Command-line definitions (clap derive types only). Their doc comments are the `--help`
//! text. Nothing here is used past `config`, which turns these into validated settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Who argues what in comment threads about therapist-client friendship and boundaries.
///
/// Reads reader comments (JSON, JSON Lines), scores each against plain-text lexicons, and prints
/// per thread (or per comment) how many argue for keeping professional boundaries, for
/// friendship, both (mixed) or neither (neutral), and how many tell a story of harm or speak
/// as a professional.
#[derive(Debug, Parser)]
#[command(
    name = "stance",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Stance per thread (default) or per comment, as CSV, JSON or JSON Lines.
    #[command(after_help = "Examples:\n  \
        stance analyze comments.json\n  \
        stance analyze --level comment --format json comments.json -o comments-out.json\n  \
        cat dump.jsonl | stance analyze --format jsonl")]
    Analyze(AnalyzeArgs),
    /// Compare predictions with gold labels: accuracy, macro-F1, confusion matrix.
    #[command(after_help = "Example:\n  stance eval fixtures/goodtherapy.json --errors")]
    Eval(EvalArgs),
    /// Write out, or check, lexicon folders.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
}

/// Options shared by every command that reads comments.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Input files (JSON, JSON Lines); none or `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Input shape; `auto` detects it from the content.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,
    /// Skip JSON Lines lines that cannot be read (malformed JSON, no `id` or `text`, invalid
    /// UTF-8) with a warning and a count, instead of failing.
    #[arg(long)]
    pub skip_bad_lines: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
}

/// Options shared by every command that scores comments.
#[derive(Debug, Args, Clone)]
pub struct ScoringArgs {
    /// Lexicon folder replacing the built-in lexicons (see `stance lexicon init`).
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

/// `stance analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    /// One row per thread, or one per comment.
    #[arg(long, value_enum, default_value_t = LevelArg::Thread)]
    pub level: LevelArg,
    /// Output encoding.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Csv)]
    pub format: FormatArg,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Do not neutralize CSV cells that start with = + - @ (spreadsheet formula injection).
    #[arg(long)]
    pub raw_csv: bool,
    /// Start CSV output with a UTF-8 byte order mark, for Excel.
    #[arg(long)]
    pub excel: bool,
}

/// `stance eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    /// Report as text or JSON.
    #[arg(long, short = 'f', value_enum, default_value_t = EvalFormatArg::Text)]
    pub format: EvalFormatArg,
    /// Also list every misclassified comment with its gold label, prediction and evidence.
    #[arg(long)]
    pub errors: bool,
}

/// `stance lexicon ...`.
#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Write the built-in lexicon files into DIR, to edit and extend.
    Init {
        /// Folder to create (must not hold lexicon files already).
        dir: PathBuf,
    },
    /// Validate a lexicon folder (default: the built-in lexicons) and count its entries.
    Check {
        /// Folder to check.
        dir: Option<PathBuf>,
    },
}

/// `--level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// One row per thread.
    Thread,
    /// One row per comment.
    Comment,
}

/// `--format` of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// CSV with a header row.
    Csv,
    /// A JSON array of row objects.
    Json,
    /// JSON Lines, one row object per line.
    Jsonl,
}

/// `--format` of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormatArg {
    /// A readable report.
    Text,
    /// One JSON object.
    Json,
}

/// `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// Detect from the content.
    Auto,
    /// A JSON document (object with `comments`, or an array).
    Json,
    /// JSON Lines.
    Jsonl,
}
