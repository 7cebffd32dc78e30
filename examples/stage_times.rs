//! Times the scoring stages one at a time over the texts of a JSON Lines corpus, one thread:
//! tokenizing without word codes, tokenizing with the lexicon's codes, finding matches, and
//! the whole assessment. Shows where a comment's time goes without a profiler (#5). Then, as
//! the yardstick issue #5 names, a bare aho-corasick scan of the raw text for every lexicon
//! phrase, and for the first 400 (ASCII case folded, overlapping, no word boundaries): what
//! the whole assessment costs next to the automaton scan alone. And a lower bound for the
//! tokenizer: ASCII word boundaries and one table lookup per word, nothing else
//! (`common/bare_words.rs`).
//!
//! `cargo run --release --example stage_times -- CORPUS.jsonl [RUNS]`

use std::time::Instant;

use stance::lexicon::{Lexicon, MatchScratch};
use stance::score::{Scorer, Scratch};
use stance::tokenize::{tokenize, TokenBuffer};

#[path = "common/bare_words.rs"]
mod bare_words;
#[path = "common/yardstick.rs"]
mod yardstick;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: stage_times CORPUS.jsonl [RUNS]");
    let runs: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("RUNS is a number"));
    let texts: Vec<String> = std::fs::read_to_string(&path)
        .expect("readable corpus")
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
            value["text"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let lexicon = Lexicon::builtin();
    let scorer = Scorer::new(&lexicon);
    let mut buf = TokenBuffer::default();
    let mut match_scratch = MatchScratch::default();
    let mut matches = Vec::new();
    let mut scratch = Scratch::default();
    let stage = |name: &str, f: &mut dyn FnMut(&str) -> usize| {
        let mut times = Vec::new();
        let mut count = 0;
        for _ in 0..runs {
            let start = Instant::now();
            count = texts.iter().map(|t| f(t)).sum::<usize>();
            times.push(start.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let median = times[runs / 2];
        println!(
            "{name:<28} {:>8.1} ns/comment {:>7.1} MB/s  (count {count})",
            median * 1e9 / texts.len() as f64,
            bytes as f64 / median / 1e6
        );
    };
    stage("tokenize, no codes", &mut |t| {
        tokenize(t, &mut buf);
        buf.tokens.len()
    });
    let mut buf2 = TokenBuffer::default();
    stage("tokenize, lexicon codes", &mut |t| {
        lexicon.tokenize(t, &mut buf2);
        buf2.tokens.len()
    });
    let (mut padded, mut bare_tokens) = (Vec::new(), Vec::new());
    stage("bare words: split + lookup", &mut |t| {
        bare_words::bare_words(
            t.as_bytes(),
            lexicon.text_coder(),
            &mut padded,
            &mut bare_tokens,
        );
        bare_tokens.len()
    });
    let mut buf3 = TokenBuffer::default();
    stage("tokenize + find matches", &mut |t| {
        lexicon.tokenize(t, &mut buf3);
        lexicon.find_matches(&buf3, &mut match_scratch, &mut matches);
        matches.len()
    });
    stage("assess", &mut |t| {
        scorer.assess(t, None, &mut scratch).evidence.len()
    });
    // The yardstick: one automaton of every lexicon phrase over the raw text, ASCII
    // case folded, every overlapping occurrence (no word boundaries, no normalization).
    let phrases: Vec<&str> = lexicon.entries.iter().map(|e| e.phrase.as_str()).collect();
    for (name, phrases) in [
        (
            format!("bare scan, {} phrases", phrases.len()),
            &phrases[..],
        ),
        (
            "bare scan, first 400 phrases".to_string(),
            &phrases[..400.min(phrases.len())],
        ),
    ] {
        let automaton = yardstick::bare_scanner(phrases);
        stage(&name, &mut |t| automaton.find_overlapping_iter(t).count());
    }
}
