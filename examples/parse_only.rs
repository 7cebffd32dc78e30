//! Parse-only baseline for `scripts/bench.sh` (issue #5): reads JSON Lines and parses each
//! line with serde_json into a struct with id, text and parent, scoring nothing. It sets the
//! floor `stance analyze` is compared with ("at most 8x the time of parsing").
//!
//! `cargo run --release --example parse_only -- FILE.jsonl [THREADS] [--scan]` prints the
//! number of comments. With THREADS (default 1) above 1, lines are read in batches on one
//! thread and parsed on a rayon pool of THREADS while the next batch is read, as `stance
//! analyze` reads them: the baseline at the same thread count as `stance analyze --threads
//! THREADS`.
//!
//! `--scan` also runs one aho-corasick automaton of every phrase of the built-in lexicons over
//! each text (ASCII case folded, every overlapping occurrence, no word boundaries, nothing
//! scored): the yardstick issue #5 sets, "the lexicon scan, not our code around it, sets the
//! speed". `stance analyze` does far more per comment (words, negation, clauses, quotes, reply
//! rules, evidence), so this is a bound to compare with, not a floor.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use serde::Deserialize;

#[path = "common/yardstick.rs"]
mod yardstick;

#[derive(Deserialize)]
struct Comment<'a> {
    #[allow(dead_code)]
    id: serde_json::Value,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(default)]
    #[allow(dead_code)]
    parent: Option<serde_json::Value>,
}

/// Lines per batch in the parallel mode (as `stance`'s pipeline).
const BATCH_LINES: usize = 2048;

/// The lexicon automaton of `--scan`, built before the clock the caller reads starts to
/// matter (once, at start-up, as `stance` builds its own).
static SCANNER: OnceLock<AhoCorasick> = OnceLock::new();

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--scan") {
        args.remove(at);
        let lexicon = stance::lexicon::Lexicon::builtin();
        let phrases: Vec<&str> = lexicon.entries.iter().map(|e| e.phrase.as_str()).collect();
        let _ = SCANNER.set(yardstick::bare_scanner(&phrases));
    }
    let mut args = args.into_iter();
    let Some(path) = args.next() else {
        eprintln!("usage: parse_only FILE.jsonl [THREADS] [--scan]");
        return ExitCode::from(2);
    };
    let threads = match args.next().map(|t| t.parse::<usize>()) {
        None => 1,
        Some(Ok(t)) if t > 0 => t,
        Some(_) => {
            eprintln!("parse_only: THREADS must be a positive number");
            return ExitCode::from(2);
        }
    };
    let counted = if threads == 1 {
        count(&path)
    } else {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(std::io::Error::other)
            .and_then(|pool| count_parallel(&path, &pool))
    };
    match counted {
        Ok((n, chars)) => {
            let counted = match SCANNER.get() {
                Some(_) => "lexicon phrases found",
                None => "text bytes",
            };
            let _ = writeln!(std::io::stdout(), "{n} comments, {chars} {counted}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parse_only: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open(path: &str) -> std::io::Result<BufReader<File>> {
    Ok(BufReader::with_capacity(256 * 1024, File::open(path)?))
}

/// The comments and text bytes of one line (`(0, 0)` for a blank line); with `--scan`, the
/// lexicon phrases found in the text instead of its bytes.
fn parse(line: &str) -> std::io::Result<(u64, u64)> {
    if line.trim().is_empty() {
        return Ok((0, 0));
    }
    let c: Comment = serde_json::from_str(line)?;
    match SCANNER.get() {
        Some(scanner) => Ok((1, scanner.find_overlapping_iter(&*c.text).count() as u64)),
        None => Ok((1, c.text.len() as u64)),
    }
}

fn count(path: &str) -> std::io::Result<(u64, u64)> {
    let mut reader = open(path)?;
    let mut line = String::new();
    let (mut n, mut chars) = (0u64, 0u64);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let (comments, bytes) = parse(&line)?;
        n += comments;
        chars += bytes;
    }
    Ok((n, chars))
}

/// Up to [`BATCH_LINES`] lines; an empty batch at the end of the input.
fn read_batch(reader: &mut impl BufRead) -> std::io::Result<Vec<String>> {
    let mut batch = Vec::with_capacity(BATCH_LINES);
    while batch.len() < BATCH_LINES {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        batch.push(line);
    }
    Ok(batch)
}

fn count_parallel(path: &str, pool: &rayon::ThreadPool) -> std::io::Result<(u64, u64)> {
    let mut reader = open(path)?;
    let (mut n, mut chars) = (0u64, 0u64);
    let mut batch = read_batch(&mut reader)?;
    while !batch.is_empty() {
        // Parse this batch on the pool while this thread, outside it, reads the next.
        let mut parsed = Ok((0, 0));
        let next = pool.in_place_scope(|scope| {
            scope.spawn(|_| {
                parsed = batch
                    .par_iter()
                    .map(|line| parse(line))
                    .try_reduce(|| (0, 0), |a, b| Ok((a.0 + b.0, a.1 + b.1)));
            });
            read_batch(&mut reader)
        });
        let (comments, bytes) = parsed?;
        n += comments;
        chars += bytes;
        batch = next?;
    }
    Ok((n, chars))
}
