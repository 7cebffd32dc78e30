//! Baseline for `scripts/bench.sh` (issue #5): scores the `text` of every JSON Lines comment
//! with the Rust `vader_sentiment` crate, in parallel on the same rayon pool size as `stance`
//! (`RAYON_NUM_THREADS`, default all cores), and prints the count and the compound sum (so the
//! work cannot be optimized away).
//!
//! `cargo run --release --example vader_bench -- FILE.jsonl`

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use rayon::prelude::*;
use serde::Deserialize;

/// Lines scored per parallel batch (like `stance`'s pipeline).
const BATCH_LINES: usize = 2048;

#[derive(Deserialize)]
struct Comment<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: vader_bench FILE.jsonl");
        return ExitCode::from(2);
    };
    match score(&path) {
        Ok((n, sum)) => {
            let _ = writeln!(std::io::stdout(), "{n} comments, compound sum {sum:.4}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("vader_bench: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn score(path: &str) -> std::io::Result<(u64, f64)> {
    let analyzer = vader_sentiment::SentimentIntensityAnalyzer::new();
    let mut reader = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let (mut n, mut sum) = (0u64, 0.0f64);
    let mut batch: Vec<String> = Vec::with_capacity(BATCH_LINES);
    loop {
        batch.clear();
        let mut line = String::new();
        while batch.len() < BATCH_LINES && reader.read_line(&mut line)? > 0 {
            if !line.trim().is_empty() {
                batch.push(std::mem::take(&mut line));
            }
            line.clear();
        }
        if batch.is_empty() {
            break;
        }
        let scores: Vec<std::io::Result<f64>> = batch
            .par_iter()
            .map(|line| {
                let c: Comment = serde_json::from_str(line)?;
                Ok(analyzer.polarity_scores(&c.text)["compound"])
            })
            .collect();
        for s in scores {
            sum += s?;
            n += 1;
        }
    }
    Ok((n, sum))
}
