//! Command-line definitions (clap derive types only). Their doc comments are the `--help`
//! text. Nothing here is used past `config`, which turns these into validated settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Who argues what in comment threads about therapist-client friendship and boundaries.
///
/// Reads reader comments (JSON, JSON Lines, Reddit dumps, CSV; `import` also reads saved comment
/// pages), scores each against plain-text lexicons, and prints
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
    #[command(
        subcommand,
        after_help = "Examples:\n  stance lexicon init mylex\n  stance lexicon check mylex"
    )]
    Lexicon(LexiconCommand),
    /// Add up thread-level outputs of parts of a dataset split by thread.
    #[command(after_help = "Example:\n  \
        stance analyze --level thread --format json part1.jsonl -o p1.json\n  \
        stance analyze --level thread --format json part2.jsonl -o p2.json\n  \
        stance merge p1.json p2.json\n\n\
        Each thread's comments must all be in one part (reply rules need the parent).")]
    Merge(MergeArgs),
    /// Convert a saved comment page, a Reddit dump or a CSV into the canonical comments JSON.
    #[command(after_help = "Examples:\n  \
        stance import fixtures/goodtherapy-page.txt -o comments.json\n  \
        stance import RC_2013-09.jsonl --from reddit | stance analyze\n  \
        stance import sheet.csv --text-col body --parent-col reply_to")]
    Import(ImportArgs),
    /// Why a comment got its stance: tokens, matches, modifiers, scores, decision.
    #[command(after_help = "Examples:\n  \
        stance explain \"I don't think a counselor can be your friend.\"\n  \
        echo \"Agreed!\" | stance explain -\n  \
        stance explain fixtures/goodtherapy.json --id c29 --format json")]
    Explain(ExplainArgs),
    /// One self-contained HTML page: headline numbers, charts, threads table, every comment.
    #[command(after_help = "Examples:\n  \
        stance report fixtures/goodtherapy.json -o report.html\n  \
        stance report --lexicons mylex a.json b.jsonl -o report.html")]
    Report(ReportArgs),
    /// Print a shell completion script to standard output.
    #[command(after_help = "Examples:\n  \
        stance completions bash > ~/.local/share/bash-completion/completions/stance\n  \
        stance completions zsh > \"${fpath[1]}/_stance\"\n  \
        stance completions fish > ~/.config/fish/completions/stance.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the man page (roff) of stance, or of one subcommand, to standard output.
    #[command(after_help = "Examples:\n  \
        stance man > stance.1 && man ./stance.1\n  \
        stance man analyze > stance-analyze.1\n  \
        stance man lexicon init > stance-lexicon-init.1")]
    Man {
        /// Subcommand whose page to print (`analyze` for `stance-analyze(1)`, `lexicon init`...).
        #[arg(value_name = "SUBCOMMAND")]
        subcommand: Vec<String>,
    },
}

/// `stance explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The comment text, `-` to read it from standard input, or a FILE with `--id`.
    #[arg(value_name = "TEXT|-|FILE")]
    pub target: String,
    /// Explain comment ID of FILE, read in its thread (so reply rules show).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Author field for TEXT (credentials such as "LPC" count as professional voice).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// Shape of FILE with `--id`.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    /// Readable text, or JSON with byte offsets into the original text.
    #[arg(long, short = 'f', value_enum, default_value_t = ExplainFormatArg::Text)]
    pub format: ExplainFormatArg,
    /// Color matched spans: `auto` colors a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// `--format` of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormatArg {
    /// Readable text.
    Text,
    /// One JSON object with byte offsets.
    Json,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Color when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// Options shared by every command that reads comments.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Input files (JSON, JSON Lines, Reddit dumps, CSV); none or `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Input shape; `auto` detects it from the content (and a `.csv` extension).
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,
    /// Skip JSON Lines lines that cannot be read (malformed JSON, no `id` or `text`, invalid
    /// UTF-8) with a warning and a count, instead of failing.
    #[arg(long)]
    pub skip_bad_lines: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
    #[command(flatten)]
    pub columns: ColumnArgs,
}

/// CSV column names (a column named by a flag must exist; see README "Importing comments").
#[derive(Debug, Args, Clone, Default)]
pub struct ColumnArgs {
    /// CSV column holding comment ids [default: id; row numbers if absent].
    #[arg(long, value_name = "NAME")]
    pub id_col: Option<String>,
    /// CSV column holding the comment text [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_col: Option<String>,
    /// CSV column holding the id of the comment replied to [default: parent].
    #[arg(long, value_name = "NAME")]
    pub parent_col: Option<String>,
    /// CSV column holding the author [default: author].
    #[arg(long, value_name = "NAME")]
    pub author_col: Option<String>,
    /// CSV column holding the date [default: date].
    #[arg(long, value_name = "NAME")]
    pub date_col: Option<String>,
    /// CSV column holding a thread id [default: thread].
    #[arg(long, value_name = "NAME")]
    pub thread_col: Option<String>,
}

/// `stance import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to convert; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// What the file is; `auto` decides from the content and the extension.
    #[arg(long, value_enum, default_value_t = ImportFormatArg::Auto)]
    pub from: ImportFormatArg,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub columns: ColumnArgs,
}

/// `--from` of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormatArg {
    /// Detect from the content and the extension.
    Auto,
    /// The plain text of an article page with reader comments.
    Page,
    /// A Reddit/Pushshift comment dump (JSON Lines).
    Reddit,
    /// CSV with a header row.
    Csv,
    /// The canonical JSON or JSON Lines (re-written as the canonical object).
    Json,
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
    #[command(flatten)]
    pub table: TableArgs,
}

/// Where and how a table is written (`analyze`, `merge`).
#[derive(Debug, Args, Clone)]
pub struct TableArgs {
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

/// `stance merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Thread-level outputs of `stance analyze --level thread --format json` (or jsonl).
    #[arg(value_name = "PART", required = true)]
    pub parts: Vec<PathBuf>,
    #[command(flatten)]
    pub table: TableArgs,
}

/// `stance report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    /// Write the HTML page to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Page title (default: the input file names).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

/// `stance completions SHELL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}

/// `stance lexicon ...`.
#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Write the built-in lexicon files into DIR, to edit and extend.
    #[command(
        after_help = "Example:\n  stance lexicon init mylex && $EDITOR mylex/pro_boundary.txt"
    )]
    Init {
        /// Folder to create (must not hold lexicon files already).
        dir: PathBuf,
    },
    /// Validate a lexicon folder (default: the built-in lexicons) and count its entries.
    #[command(after_help = "Examples:\n  stance lexicon check\n  stance lexicon check mylex")]
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
    /// A Reddit/Pushshift comment dump (JSON Lines with `body`, `parent_id`, `link_id`).
    Reddit,
    /// CSV with a header row (columns: see `--text-col` and friends).
    Csv,
}
