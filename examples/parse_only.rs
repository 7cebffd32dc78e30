//! Parse-only baseline for `scripts/bench.sh` (issue #5): reads JSON Lines and parses each
//! line with serde_json into a struct with id, text and parent, scoring nothing. It sets the
//! floor `stance analyze` is compared with ("at most 8x the time of parsing").
//!
//! `cargo run --release --example parse_only -- FILE.jsonl` prints the number of comments.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use serde::Deserialize;

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

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_only FILE.jsonl");
        return ExitCode::from(2);
    };
    match count(&path) {
        Ok((n, chars)) => {
            let _ = writeln!(std::io::stdout(), "{n} comments, {chars} text bytes");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parse_only: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn count(path: &str) -> std::io::Result<(u64, u64)> {
    let mut reader = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let mut line = String::new();
    let (mut n, mut chars) = (0u64, 0u64);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let c: Comment = serde_json::from_str(&line)?;
        chars += c.text.len() as u64;
        n += 1;
    }
    Ok((n, chars))
}
