//! Deterministic synthetic corpus for benchmarks and scale tests (issue #5).
//!
//! `cargo run --release --example gen_corpus -- N OUT.jsonl [SEED]` writes N comments as JSON
//! Lines built from the sentences of the seed (`fixtures/goodtherapy.json`): ids `g1..gN`,
//! threads of about 20 comments (a `thread` field on every line, so a partitioner can group by
//! thread without the reply graph), about 10% replies to an earlier comment of the same
//! thread, and comment lengths drawn from the seed's. The same N and seed always give the same
//! bytes. Not a model of real discussions: stance mix and vocabulary come from the seed only.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;

/// The seed comments the sentences come from.
const SEED_JSON: &str = include_str!("../fixtures/goodtherapy.json");
/// Mean thread size; sizes are uniform in `[MEAN/2, 3*MEAN/2]`.
const MEAN_THREAD_COMMENTS: u64 = 20;
/// Share of comments that reply to an earlier comment of their thread, in percent.
const REPLY_PERCENT: u64 = 10;
/// PRNG seed when none is given.
const DEFAULT_SEED: u64 = 0x5EED_0005;

/// SplitMix64: small, fast, and good enough to shuffle sentences.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    thread: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    author: &'a str,
    text: &'a str,
}

/// Splits a text after `.`, `!`, `?` (and line breaks) into trimmed sentences.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends = matches!(b, b'.' | b'!' | b'?')
            && !matches!(bytes.get(i + 1), Some(n) if !n.is_ascii_whitespace())
            || b == b'\n';
        if ends {
            let s = text[start..=i].trim();
            if s.chars().any(char::is_alphabetic) {
                out.push(s.to_string());
            }
            start = i + 1;
        }
    }
    let s = text[start..].trim();
    if s.chars().any(char::is_alphabetic) {
        out.push(s.to_string());
    }
    out
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_corpus N OUT.jsonl [SEED]";
    let (Some(n), Some(out)) = (
        args.first().and_then(|n| n.parse::<u64>().ok()),
        args.get(1),
    ) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let seed = match args.get(2).map(|s| s.parse::<u64>()) {
        None => DEFAULT_SEED,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match generate(n, out, seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {out}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(n: u64, out: &str, seed: u64) -> std::io::Result<()> {
    let doc: serde_json::Value = serde_json::from_str(SEED_JSON)?;
    let texts: Vec<&str> = doc["comments"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["text"].as_str()).collect())
        .unwrap_or_default();
    let pool: Vec<String> = texts.iter().flat_map(|t| sentences(t)).collect();
    let lengths: Vec<usize> = texts.iter().map(|t| t.len()).collect();
    let mut rng = SplitMix64(seed);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(out)?);
    let (mut made, mut thread_no) = (0u64, 0u64);
    let mut ids_in_thread: Vec<String> = Vec::new();
    let mut text = String::new();
    while made < n {
        thread_no += 1;
        let thread = format!("t{thread_no}");
        let size = MEAN_THREAD_COMMENTS / 2 + rng.below(MEAN_THREAD_COMMENTS + 1);
        ids_in_thread.clear();
        for k in 0..size.min(n - made) {
            made += 1;
            let id = format!("g{made}");
            let parent = (k > 0 && rng.below(100) < REPLY_PERCENT)
                .then(|| ids_in_thread[rng.below(ids_in_thread.len() as u64) as usize].as_str());
            let target = lengths[rng.below(lengths.len() as u64) as usize];
            text.clear();
            while text.len() < target {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&pool[rng.below(pool.len() as u64) as usize]);
            }
            let author = format!("user{}", rng.below(50_000));
            serde_json::to_writer(
                &mut w,
                &Line {
                    id: &id,
                    thread: &thread,
                    parent,
                    author: &author,
                    text: &text,
                },
            )?;
            w.write_all(b"\n")?;
            ids_in_thread.push(id);
        }
    }
    w.flush()
}
