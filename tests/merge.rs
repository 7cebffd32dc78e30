//! `stance merge`: parts split by thread, analyzed apart and merged, equal the whole.

use std::collections::BTreeSet;

use crate::util::{fixture, p, stance, Workdir};
use serde_json::Value;

/// The seed's comments as JSON Lines split into two parts by thread (alternating threads),
/// keeping input order within each part.
fn split_seed(dir: &Workdir) -> (String, String) {
    let seed: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("goodtherapy.json")).unwrap())
            .unwrap();
    let rows = stance(&[
        "analyze",
        "--level",
        "comment",
        "--format",
        "jsonl",
        p(&fixture("goodtherapy.json")),
    ])
    .ok()
    .jsonl();
    let threads: Vec<String> = rows
        .iter()
        .map(|r| r["thread"].as_str().unwrap().to_string())
        .collect();
    let order: Vec<&String> = {
        let mut seen = BTreeSet::new();
        threads.iter().filter(|t| seen.insert(*t)).collect()
    };
    let (mut a, mut b) = (String::new(), String::new());
    for (comment, thread) in seed["comments"].as_array().unwrap().iter().zip(&threads) {
        let k = order.iter().position(|t| *t == thread).unwrap();
        let part = if k % 2 == 0 { &mut a } else { &mut b };
        part.push_str(&comment.to_string());
        part.push('\n');
    }
    assert!(!a.is_empty() && !b.is_empty());
    (
        p(&dir.write("a.jsonl", a)).to_string(),
        p(&dir.write("b.jsonl", b)).to_string(),
    )
}

fn thread_table(input: &str, format: &str, dir: &Workdir, out: &str) -> String {
    let path = dir.path(out);
    stance(&[
        "analyze",
        "--level",
        "thread",
        "--format",
        format,
        input,
        "-o",
        p(&path),
    ])
    .ok();
    p(&path).to_string()
}

fn sorted_by_thread(rows: Value) -> Vec<Value> {
    let mut rows = rows.as_array().unwrap().clone();
    rows.sort_by_key(|r| r["thread"].as_str().unwrap().to_string());
    rows
}

#[test]
fn merging_parts_split_by_thread_equals_the_whole() {
    let dir = Workdir::new();
    let (a, b) = split_seed(&dir);
    let whole = stance(&[
        "analyze",
        "--level",
        "thread",
        "--format",
        "json",
        p(&fixture("goodtherapy.json")),
    ])
    .ok()
    .json();
    let pa = thread_table(&a, "json", &dir, "a.json");
    let pb = thread_table(&b, "jsonl", &dir, "b.out.jsonl");
    let merged = stance(&["merge", "--format", "json", &pa, &pb]).ok().json();
    // Same rows; order is first appearance across parts, so compare as sets.
    assert_eq!(sorted_by_thread(merged), sorted_by_thread(whole.clone()));
    // Parts given in the order of the whole dataset keep its column set in CSV too.
    let csv = stance(&["merge", &pa, &pb]).ok().csv();
    assert_eq!(csv.len(), whole.as_array().unwrap().len());
}

#[test]
fn a_thread_in_two_parts_adds_up() {
    let dir = Workdir::new();
    let part = thread_table(p(&fixture("small.json")), "jsonl", &dir, "s.jsonl");
    let once = stance(&["merge", "--format", "json", &part]).ok().json();
    let twice = stance(&["merge", "--format", "json", &part, &part])
        .ok()
        .json();
    for (one, two) in once
        .as_array()
        .unwrap()
        .iter()
        .zip(twice.as_array().unwrap())
    {
        assert_eq!(
            two["comments"].as_u64(),
            one["comments"].as_u64().map(|n| 2 * n)
        );
        assert_eq!(two["dominant_stance"], one["dominant_stance"]);
        assert_eq!(two["root_id"], one["root_id"]);
    }
}

#[test]
fn parts_with_different_columns_are_an_error() {
    let dir = Workdir::new();
    let part = thread_table(p(&fixture("small.json")), "jsonl", &dir, "s.jsonl");
    let text = std::fs::read_to_string(&part).unwrap();
    let extra: String = text
        .lines()
        .map(|l| {
            l.replacen(
                ",\"dominant_stance\"",
                ",\"kindness\":0,\"dominant_stance\"",
                1,
            ) + "\n"
        })
        .collect();
    let other = dir.write("other.jsonl", extra);
    let run = stance(&["merge", &part, p(&other)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("other.jsonl:1: columns differ"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_comment_table_is_not_a_part() {
    let dir = Workdir::new();
    let path = dir.path("c.jsonl");
    stance(&[
        "analyze",
        "--level",
        "comment",
        "--format",
        "jsonl",
        p(&fixture("small.json")),
        "-o",
        p(&path),
    ])
    .ok();
    let run = stance(&["merge", p(&path)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("not a thread-level row"),
        "{}",
        run.stderr
    );
    let bad = dir.write("bad.json", "[{\"thread\": ");
    let run = stance(&["merge", p(&bad)]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad.json:1:"), "{}", run.stderr);
}
