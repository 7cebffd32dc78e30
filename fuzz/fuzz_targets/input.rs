//! Fuzz target: the input readers (JSON, JSON Lines, Reddit dumps, CSV, auto-detection) and
//! the whole pipeline behind them (reply graph, scoring, reply rules, comment rows). Any input
//! must give `Ok` or a clean `Err`, never a panic, an overflow or a hang. The first byte picks
//! the input format and the `--lossy` / `--skip-bad-lines` switches; the rest is the file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stance::input::{InputFormat, InputSource};
use stance::lexicon::Lexicon;
use stance::output::rows::{comment_columns, write_comment_row};
use stance::output::{CsvOptions, Format, RowEncoder, TableWriter};
use stance::pipeline::{self, Outcome, PipelineOptions, Sink, Workers};

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        // One worker: libFuzzer wants a deterministic, single-threaded target.
        let _ = stance::config::configure_threads(Some(1));
        Lexicon::builtin()
    })
}

/// Encodes every outcome as a CSV comment row into nothing.
struct Rows {
    table: TableWriter,
}

impl Sink for Rows {
    fn accept(&mut self, outcome: &Outcome<'_>) -> stance::Result<()> {
        self.accept_batch(std::slice::from_ref(outcome), Workers::Busy)
    }

    /// The paths `stance analyze --level comment` takes: rows encoded by batch, on the pool
    /// when it is free and on this thread when it is not.
    fn accept_batch(&mut self, outcomes: &[Outcome<'_>], workers: Workers) -> stance::Result<()> {
        let encode = |outcome: &Outcome<'_>, evidence: &mut String, row: &mut RowEncoder| {
            write_comment_row(lexicon(), outcome, evidence, row)
        };
        match workers {
            Workers::Free => self
                .table
                .write_rows_parallel(outcomes, String::new, encode),
            Workers::Busy => self.table.write_rows(outcomes, &mut String::new(), encode),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&switches, body)) = data.split_first() else {
        return;
    };
    let format = match switches & 0x0F {
        1 => InputFormat::Json,
        2 => InputFormat::Jsonl,
        3 => InputFormat::Reddit,
        4 => InputFormat::Csv,
        _ => InputFormat::Auto,
    };
    let options = PipelineOptions {
        format,
        skip_bad_lines: switches & 0x10 != 0,
        columns: Default::default(),
        count_first: switches & 0x40 != 0,
    };
    let source = InputSource::bytes("fuzz", body.to_vec()).with_lossy(switches & 0x20 != 0);
    let lexicon = lexicon();
    let Ok(table) = TableWriter::new(
        Format::Csv,
        comment_columns(lexicon),
        Box::new(std::io::sink()),
        CsvOptions::default(),
    ) else {
        return;
    };
    let mut rows = Rows { table };
    if let Ok(summary) = pipeline::run(&[source], options, lexicon, &mut rows) {
        let total: u64 = summary.threads.iter().map(|t| t.comments).sum();
        assert_eq!(
            total as usize, summary.comments,
            "thread counts lose comments"
        );
    }
});
