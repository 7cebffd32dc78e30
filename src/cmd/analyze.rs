//! `stance analyze`: comments in, a stance per comment or per thread out.

use std::io::{self, IsTerminal};

use super::progress::run_pipeline;
use crate::cli::AnalyzeArgs;
use crate::config::{AnalyzeConfig, Level};
use crate::error::Result;
use crate::lexicon::Lexicon;
use crate::output::rows::{comment_columns, thread_columns, thread_row, write_comment_row};
use crate::output::{Destination, RowEncoder, TableWriter};
use crate::pipeline::{NullSink, Outcome, Sink, Summary, Workers};
use crate::score::Stance;

/// Runs `stance analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<()> {
    let config = AnalyzeConfig::from_args(args)?;
    let lexicon = &config.lexicon;
    let (destination, out) = Destination::open(config.output.as_deref())?;
    let summary = match config.level {
        Level::Comment => {
            let table = TableWriter::new(config.format, comment_columns(lexicon), out, config.csv)?;
            let mut sink = CommentTable {
                lexicon,
                table,
                evidence: String::new(),
            };
            let summary = run_pipeline(&config.input, lexicon, &mut sink)?;
            sink.table.finish()?;
            summary
        }
        Level::Thread => {
            let summary = run_pipeline(&config.input, lexicon, &mut NullSink)?;
            let mut table =
                TableWriter::new(config.format, thread_columns(lexicon), out, config.csv)?;
            for stats in &summary.threads {
                table.write_row(&thread_row(stats))?;
            }
            table.finish()?;
            summary
        }
    };
    destination.commit()?;
    super::warn_missing_parents(summary.missing_parents);
    if io::stderr().is_terminal() {
        super::note(&summary_line(&summary));
    }
    Ok(())
}

/// Writes one comment row per outcome, in input order. Rows are rendered on the rayon pool, a
/// batch of the pipeline at a time, when its workers are free: rendering on one thread only
/// kept comment-level output from scaling with threads. While they still score, the emitting
/// thread renders them itself: tasks queued behind scoring left the pool idle (#5).
struct CommentTable<'a> {
    lexicon: &'a Lexicon,
    table: TableWriter,
    /// Scratch space for the evidence cell of rows rendered on this thread.
    evidence: String,
}

impl Sink for CommentTable<'_> {
    fn accept(&mut self, outcome: &Outcome<'_>) -> Result<()> {
        self.accept_batch(std::slice::from_ref(outcome), Workers::Busy)
    }

    fn accept_batch(&mut self, outcomes: &[Outcome<'_>], workers: Workers) -> Result<()> {
        let lexicon = self.lexicon;
        let encode = |outcome: &Outcome<'_>, evidence: &mut String, row: &mut RowEncoder| {
            write_comment_row(lexicon, outcome, evidence, row)
        };
        match workers {
            Workers::Free => self
                .table
                .write_rows_parallel(outcomes, String::new, encode),
            Workers::Busy => self.table.write_rows(outcomes, &mut self.evidence, encode),
        }
    }
}

/// "47 comments in 29 threads: 18 pro-boundary, 15 pro-friendship, 5 mixed, 9 neutral".
pub fn summary_line(summary: &Summary) -> String {
    let mut totals = [0u64; 4];
    for t in &summary.threads {
        for (total, n) in totals.iter_mut().zip(t.stances) {
            *total += n;
        }
    }
    let parts: Vec<String> = Stance::ALL
        .iter()
        .zip(totals)
        .map(|(s, n)| format!("{n} {}", s.label()))
        .collect();
    format!(
        "{} comments in {} threads: {}",
        summary.comments,
        summary.threads.len(),
        parts.join(", ")
    )
}
