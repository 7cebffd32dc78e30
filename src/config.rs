//! Clap types -> validated settings. No clap type is used past this module.

use std::path::PathBuf;

use crate::cli::{ColumnArgs, FormatArg, InputArgs, InputFormatArg, LevelArg, ScoringArgs};
use crate::error::{Error, Result};
use crate::input::csv::{Column, CsvColumns};
use crate::input::{InputFormat, InputSource};
use crate::lexicon::Lexicon;
use crate::output::Format;
use crate::pipeline::PipelineOptions;

/// Validated input settings: where comments come from and in what shape.
#[derive(Debug, Clone)]
pub struct InputConfig {
    /// The inputs, as one dataset.
    pub sources: Vec<InputSource>,
    /// Pipeline options (input shape).
    pub options: PipelineOptions,
}

impl InputConfig {
    /// Checks the input flags; reads standard input when no file (or `-`) is given.
    pub fn from_args(args: &InputArgs) -> Result<InputConfig> {
        let mut sources = Vec::new();
        let mut used_stdin = false;
        for path in &args.files {
            if path.as_os_str() == "-" {
                if used_stdin {
                    return Err(Error::Usage("`-` (standard input) given twice".into()));
                }
                used_stdin = true;
                sources.push(InputSource::stdin()?.with_lossy(args.lossy));
            } else {
                if path.is_dir() {
                    return Err(Error::Usage(format!(
                        "{} is a folder; give comment files",
                        path.display()
                    )));
                }
                sources.push(InputSource::file(path.clone()).with_lossy(args.lossy));
            }
        }
        if sources.is_empty() {
            sources.push(InputSource::stdin()?.with_lossy(args.lossy));
        }
        let format = match args.input_format {
            InputFormatArg::Auto => InputFormat::Auto,
            InputFormatArg::Json => InputFormat::Json,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
            InputFormatArg::Reddit => InputFormat::Reddit,
            InputFormatArg::Csv => InputFormat::Csv,
        };
        Ok(InputConfig {
            sources,
            options: PipelineOptions {
                format,
                skip_bad_lines: args.skip_bad_lines,
                columns: csv_columns(&args.columns),
                count_first: false,
            },
        })
    }
}

/// Maps the CSV column flags; a column named by a flag becomes required.
pub fn csv_columns(args: &ColumnArgs) -> CsvColumns {
    CsvColumns {
        id: Column::from_flag(args.id_col.as_deref(), "id"),
        text: Column::from_flag(args.text_col.as_deref(), "text"),
        parent: Column::from_flag(args.parent_col.as_deref(), "parent"),
        author: Column::from_flag(args.author_col.as_deref(), "author"),
        date: Column::from_flag(args.date_col.as_deref(), "date"),
        thread: Column::from_flag(args.thread_col.as_deref(), "thread"),
    }
}

/// Validated scoring settings: the lexicon, and the worker pool size (applied globally).
pub fn scoring_lexicon(args: &ScoringArgs) -> Result<Lexicon> {
    configure_threads(args.threads)?;
    match &args.lexicons {
        Some(dir) => Lexicon::load_dir(dir),
        None => Ok(Lexicon::builtin()),
    }
}

/// Sets the number of rayon workers (`--threads`; default all cores or `RAYON_NUM_THREADS`).
pub fn configure_threads(threads: Option<usize>) -> Result<()> {
    if let Some(n) = threads {
        if n == 0 {
            return Err(Error::Usage("--threads must be at least 1".into()));
        }
        // Fails only if a pool was already built in this process; the first setting stays.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    Ok(())
}

/// Output level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One row per thread.
    Thread,
    /// One row per comment.
    Comment,
}

/// Validated settings of `stance analyze`.
#[derive(Debug)]
pub struct AnalyzeConfig {
    /// Inputs.
    pub input: InputConfig,
    /// Lexicon.
    pub lexicon: Lexicon,
    /// Row level.
    pub level: Level,
    /// Encoding.
    pub format: Format,
    /// Output file (stdout when `None`).
    pub output: Option<PathBuf>,
    /// CSV options.
    pub csv: crate::output::CsvOptions,
}

impl AnalyzeConfig {
    /// Validates `stance analyze` arguments.
    pub fn from_args(args: &crate::cli::AnalyzeArgs) -> Result<AnalyzeConfig> {
        let lexicon = scoring_lexicon(&args.scoring)?;
        let input = InputConfig::from_args(&args.input)?;
        Ok(AnalyzeConfig {
            input,
            lexicon,
            level: match args.level {
                LevelArg::Thread => Level::Thread,
                LevelArg::Comment => Level::Comment,
            },
            format: output_format(args.table.format),
            output: args.table.output.clone(),
            csv: crate::output::CsvOptions {
                neutralize_formulas: !args.table.raw_csv,
                excel_bom: args.table.excel,
            },
        })
    }
}

/// Maps `--format`.
pub fn output_format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
    }
}

/// Validated settings of `stance report`.
#[derive(Debug)]
pub struct ReportConfig {
    /// Inputs.
    pub input: InputConfig,
    /// Lexicon.
    pub lexicon: Lexicon,
    /// Output file (stdout when `None`).
    pub output: Option<PathBuf>,
    /// Page title.
    pub title: String,
}

impl ReportConfig {
    /// Validates `stance report` arguments.
    pub fn from_args(args: &crate::cli::ReportArgs) -> Result<ReportConfig> {
        let lexicon = scoring_lexicon(&args.scoring)?;
        let input = InputConfig::from_args(&args.input)?;
        let title = match &args.title {
            Some(t) => t.clone(),
            None => format!(
                "stance report: {}",
                input
                    .sources
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Ok(ReportConfig {
            input,
            lexicon,
            output: args.output.clone(),
            title,
        })
    }
}
