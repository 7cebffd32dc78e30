//! `stance import` and the Reddit/CSV shapes of `stance analyze`: each reader on a small
//! fixture, auto-detection, errors, a round trip `import | analyze`, and the seed page
//! against the gold file (see #3).

use std::collections::BTreeMap;

use crate::util::{fixture, p, stance, stance_stdin, Workdir};
use serde_json::Value;

/// Runs `stance import ARGS` and returns the canonical file.
fn import(args: &[&str]) -> Value {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    stance(&all).ok().json()
}

/// (id, parent) of every comment of a canonical file.
fn links(file: &Value) -> Vec<(String, Option<String>)> {
    file["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["parent"].as_str().map(String::from),
            )
        })
        .collect()
}

fn field<'a>(file: &'a Value, i: usize, name: &str) -> &'a Value {
    &file["comments"][i][name]
}

#[test]
fn the_seed_page_reproduces_the_gold_file() {
    let got = import(&["--from", "page", p(&fixture("goodtherapy-page.txt"))]);
    let gold: Value =
        serde_json::from_slice(&std::fs::read(fixture("goodtherapy.json")).unwrap()).unwrap();
    assert_eq!(got["title"], gold["title"]);
    let got_comments = got["comments"].as_array().unwrap();
    let gold_comments = gold["comments"].as_array().unwrap();
    assert_eq!(got_comments.len(), gold_comments.len());
    let mut right_parents = 0;
    for (g, c) in gold_comments.iter().zip(got_comments) {
        for key in ["id", "author", "date", "text"] {
            assert_eq!(c[key], g[key], "{key} of {}", g["id"]);
        }
        if c["parent"] == g["parent"] {
            right_parents += 1;
        }
    }
    let accuracy = right_parents as f64 / gold_comments.len() as f64;
    assert!(accuracy >= 0.85, "parent links right: {accuracy:.3}");
}

#[test]
fn a_second_page_keeps_its_reply_shapes() {
    let file = import(&[p(&fixture("forum-page.txt"))]);
    assert_eq!(file["title"], "When Your Counselor Feels Like a Friend");
    let parent = |id: &str, parent: Option<&str>| (id.to_string(), parent.map(String::from));
    assert_eq!(
        links(&file),
        vec![
            parent("c1", None),
            parent("c2", Some("c1")),
            parent("c3", Some("c2")), // the first writer answers the reply: reply to a reply
            parent("c4", None),
            parent("c5", None),
            parent("c6", Some("c5")), // in date order, but greets Hannah
            parent("c7", Some("c6")), // "Teo, I agree with you": reply to a reply
            parent("c8", None),
            parent("c9", Some("c8")), // quotes c8
            parent("c10", None),
            parent("c11", Some("c10")),
            parent("c12", Some("c11")),
            parent("c13", None),
            parent("c14", None),
        ]
    );
    assert_eq!(field(&file, 0, "date"), "2019-03-02T09:15:00");
    assert_eq!(
        field(&file, 6, "date"),
        "2019-12-01T00:05:00",
        "12 AM is midnight"
    );
    assert_eq!(
        field(&file, 9, "date"),
        "2020-01-03T12:30:00",
        "12 PM is noon"
    );
    assert_eq!(
        field(&file, 0, "text"),
        "My counselor and I agreed to keep things professional, and I am glad we did. When my \
         father died two years later I could go back to her.",
        "the Reply link is not text"
    );
    assert_eq!(
        field(&file, 4, "text"),
        "I asked my therapist to coffee after our last session.\nShe said no, kindly, and \
         explained why.\n\nIt stung, but I understand it now."
    );
    assert_eq!(field(&file, 12, "text"), "", "an empty comment is kept");
    assert!(
        !field(&file, 13, "text")
            .as_str()
            .unwrap()
            .contains("cookies"),
        "the footer is not part of the last comment"
    );
}

#[test]
fn reddit_dumps_give_threads_parents_and_utc_dates() {
    let file = import(&["--from", "reddit", p(&fixture("reddit-thread.jsonl"))]);
    let parent = |id: &str, parent: Option<&str>| (id.to_string(), parent.map(String::from));
    assert_eq!(
        links(&file),
        vec![
            parent("k1a", None),
            parent("k1b", Some("k1a")),
            parent("k1c", Some("k1b")),
            parent("k1d", Some("k1c")), // three replies deep
            parent("k1e", None),
            parent("k2a", None),
        ]
    );
    assert_eq!(field(&file, 0, "thread"), "1nabc");
    assert_eq!(field(&file, 5, "thread"), "2xyz");
    assert_eq!(field(&file, 0, "date"), "2013-09-24T17:46:40Z");
    assert_eq!(
        field(&file, 1, "date"),
        "2013-09-24T18:46:40Z",
        "string time"
    );
    assert_eq!(
        field(&file, 2, "date"),
        "2013-09-24T19:46:40Z",
        "float time"
    );
    assert_eq!(field(&file, 3, "text"), "[deleted]");
    assert_eq!(field(&file, 4, "text"), "[removed]");
}

#[test]
fn analyze_reads_reddit_dumps_and_keeps_deleted_comments_neutral() {
    let fixture_path = fixture("reddit-thread.jsonl");
    let path = p(&fixture_path);
    for args in [
        vec!["analyze", "--level", "comment", path],
        vec![
            "analyze",
            "--level",
            "comment",
            "--input-format",
            "reddit",
            path,
        ],
    ] {
        let rows = stance(&args).ok().csv();
        assert_eq!(rows.len(), 6, "nothing dropped");
        let by_id: BTreeMap<&str, &BTreeMap<String, String>> =
            rows.iter().map(|r| (r["id"].as_str(), r)).collect();
        assert_eq!(by_id["k1d"]["stance"], "neutral");
        assert_eq!(by_id["k1e"]["stance"], "neutral");
        assert_eq!(by_id["k1d"]["thread"], "1nabc");
        assert_eq!(by_id["k1d"]["parent"], "k1c");
    }
    let threads = stance(&["analyze", path]).ok().csv();
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0]["comments"], "5");
}

#[test]
fn csv_columns_are_mapped_by_flags_and_cells_span_lines() {
    let fixture_path = fixture("comments-sheet.csv");
    let path = p(&fixture_path);
    let flags = [
        "--id-col",
        "comment_id",
        "--text-col",
        "body",
        "--parent-col",
        "reply_to",
        "--author-col",
        "user",
        "--date-col",
        "posted",
    ];
    let mut args = vec!["--from", "csv", path];
    args.extend(flags);
    let file = import(&args);
    assert_eq!(
        field(&file, 0, "text"),
        "After therapy ended we became good friends.\nIt has been wonderful."
    );
    assert_eq!(
        field(&file, 1, "text"),
        "Therapists should never be friends with their clients, \"ever\"."
    );
    assert_eq!(field(&file, 1, "parent"), "r1");
    assert_eq!(field(&file, 1, "author"), "Ben");
    assert!(field(&file, 2, "parent").is_null());
    assert_eq!(
        field(&file, 3, "text"),
        "",
        "an empty cell is an empty comment"
    );

    let mut analyze = vec!["analyze", "--level", "comment", path];
    analyze.extend(flags);
    let rows = stance(&analyze).ok().csv();
    let shape: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["id"].as_str(), r["thread"].as_str(), r["parent"].as_str()))
        .collect();
    assert_eq!(
        shape,
        vec![
            ("r1", "r1", ""),
            ("r2", "r1", "r1"),
            ("r3", "r3", ""),
            ("r4", "r1", "r2")
        ]
    );
}

#[test]
fn csv_with_default_columns_and_no_id_uses_row_numbers() {
    let dir = Workdir::new();
    let path = dir.write("plain.csv", "text,author\n\"one\ntwo\",Ann\nthree,Ben\n");
    let file = import(&[p(&path)]);
    assert_eq!(links(&file), vec![("1".into(), None), ("2".into(), None)]);
    assert_eq!(field(&file, 0, "text"), "one\ntwo");
    assert_eq!(field(&file, 1, "author"), "Ben");
}

#[test]
fn a_missing_text_column_names_the_columns_that_exist() {
    let out = stance(&["analyze", p(&fixture("comments-sheet.csv"))]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("comments-sheet.csv:1: no column `text`")
            && out
                .stderr
                .contains("`comment_id`, `user`, `posted`, `reply_to`, `body`, `note`"),
        "{}",
        out.stderr
    );
    let out = stance(&[
        "import",
        "--from",
        "csv",
        "--text-col",
        "body",
        "--author-col",
        "writer",
        p(&fixture("comments-sheet.csv")),
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("no column `writer`"), "{}", out.stderr);
}

#[test]
fn csv_errors_name_file_and_line() {
    let dir = Workdir::new();
    let path = dir.write("bad.csv", "id,text\na,\"one\nline two\"\nb,two,extra\n");
    let out = stance(&["import", "--from", "csv", p(&path)]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("bad.csv:4: a row with 3 fields where the header has 2"),
        "{}",
        out.stderr
    );
}

#[test]
fn auto_detection_says_which_reader_it_chose() {
    let cases = [
        ("goodtherapy-page.txt", "as a comment page (--from page)"),
        ("reddit-thread.jsonl", "as a Reddit dump (--from reddit)"),
        ("comments-sheet.csv", "as CSV (--from csv)"),
        ("small.json", "as canonical JSON (--from json)"),
    ];
    for (name, said) in cases {
        let out = stance(&[
            "import",
            "--text-col",
            "body",
            "--id-col",
            "comment_id",
            p(&fixture(name)),
        ]);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(said), "{name}: {}", out.stderr);
        assert!(out.stdout.is_empty() || out.stdout.starts_with('{'));
    }
    let dir = Workdir::new();
    let path = dir.write("notes.txt", "just some words\nand more words\n");
    let out = stance(&["import", p(&path)]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--from page|reddit|csv"),
        "{}",
        out.stderr
    );
}

#[test]
fn import_then_analyze_round_trips() {
    let imported = stance(&["import", p(&fixture("goodtherapy-page.txt"))]).ok();
    let rows = stance_stdin(
        &["analyze", "--level", "comment", "--format", "jsonl"],
        imported.stdout.as_bytes(),
    )
    .ok()
    .jsonl();
    assert_eq!(rows.len(), 47);
    assert_eq!(rows[1]["parent"], "c1");
    assert_eq!(rows[45]["author"], "Sabrina");
    assert_eq!(
        rows[45]["stance"], "neutral",
        "the empty comment is kept, neutral"
    );

    let dir = Workdir::new();
    let out = dir.path("forum.json");
    let run = stance(&["import", p(&fixture("forum-page.txt")), "-o", p(&out)]).ok();
    assert!(run.stdout.is_empty());
    let threads = stance(&["analyze", p(&out)]).ok().csv();
    assert_eq!(threads.len(), 7, "seven top-level comments");
    assert_eq!(threads[0]["comments"], "3");
}

#[test]
fn a_page_without_comments_is_a_data_error() {
    let dir = Workdir::new();
    let path = dir.write("empty.txt", "Title\n\nAn article with no comments.\n");
    let out = stance(&["import", "--from", "page", p(&path)]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("no comments found"), "{}", out.stderr);
}
