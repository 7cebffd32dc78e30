//! `stance analyze`: input shapes, decisions, levels, formats, lexicon extension.

use crate::util::{csv_header, fixture, p, stance, stance_in, stance_stdin, Workdir};
use serde_json::Value;

fn comment_rows(path: &str) -> Vec<Value> {
    stance(&["analyze", "--level", "comment", "--format", "jsonl", path])
        .ok()
        .jsonl()
}

/// (id, thread, parent, stance) of each comment row.
fn shape(rows: &[Value]) -> Vec<(String, String, String, String)> {
    rows.iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["thread"].as_str().unwrap().to_string(),
                r["parent"].to_string(),
                r["stance"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_five_decisions_hold() {
    let rows = comment_rows(p(&fixture("small.json")));
    let stances: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["stance"].as_str().unwrap()))
        .collect();
    assert_eq!(
        stances,
        vec![
            ("a1", "pro-friendship"),
            ("a2", "pro-boundary"),
            ("b1", "neutral"),
            ("a3", "pro-boundary"),
            ("7", "pro-friendship"),
        ]
    );
}

#[test]
fn every_input_shape_reads_the_same_comments() {
    let object = shape(&comment_rows(p(&fixture("small.json"))));
    let nested = shape(&comment_rows(p(&fixture("small-nested.json"))));
    let array = shape(&comment_rows(p(&fixture("small-array.json"))));
    let lines = shape(&comment_rows(p(&fixture("small.jsonl"))));
    let stdin_bytes = std::fs::read(fixture("small.jsonl")).unwrap();
    let piped = shape(
        &stance_stdin(
            &["analyze", "--level", "comment", "--format", "jsonl"],
            &stdin_bytes,
        )
        .ok()
        .jsonl(),
    );
    assert_eq!(object.len(), 5);
    // Nested replies are listed depth first, so the order differs: compare as sets.
    let mut sorted_nested = nested.clone();
    sorted_nested.sort();
    let mut sorted_object = object.clone();
    sorted_object.sort();
    assert_eq!(sorted_nested, sorted_object);
    assert_eq!(array, object);
    assert_eq!(lines, object);
    assert_eq!(piped, object);
    assert_eq!(
        object[3].1, "a1",
        "a reply's thread is the root of its chain"
    );
    assert_eq!(object[3].2, "\"a2\"");
}

#[test]
fn thread_rows_count_comments_in_input_order() {
    let rows = stance(&["analyze", p(&fixture("small.json"))]).ok().csv();
    let threads: Vec<&str> = rows.iter().map(|r| r["thread"].as_str()).collect();
    assert_eq!(threads, vec!["a1", "b1", "7"]);
    let a1 = &rows[0];
    assert_eq!(a1["root_id"], "a1");
    assert_eq!(a1["root_author"], "Ann");
    assert_eq!(a1["comments"], "3");
    assert_eq!(a1["pro_boundary"], "2");
    assert_eq!(a1["pro_friendship"], "1");
    assert_eq!(a1["dominant_stance"], "pro-boundary");
    let total: u64 = rows
        .iter()
        .map(|r| r["comments"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 5);
    for r in &rows {
        let parts: u64 = ["pro_boundary", "pro_friendship", "mixed", "neutral"]
            .iter()
            .map(|c| r[*c].parse::<u64>().unwrap())
            .sum();
        assert_eq!(parts.to_string(), r["comments"]);
    }
}

#[test]
fn columns_are_in_the_documented_order() {
    let out = stance(&["analyze", "--level", "comment", p(&fixture("small.json"))]).ok();
    assert_eq!(
        csv_header(&out.stdout),
        [
            "id",
            "thread",
            "parent",
            "author",
            "date",
            "stance",
            "confidence",
            "harm_story",
            "professional_voice",
            "score_pro_boundary",
            "score_pro_friendship",
            "score_harm_story",
            "score_professional_voice",
            "evidence"
        ]
    );
    let out = stance(&["analyze", p(&fixture("small.json"))]).ok();
    assert_eq!(
        csv_header(&out.stdout),
        [
            "thread",
            "root_id",
            "root_author",
            "comments",
            "pro_boundary",
            "pro_friendship",
            "mixed",
            "neutral",
            "harm_story",
            "professional_voice",
            "dominant_stance"
        ]
    );
}

#[test]
fn csv_json_and_jsonl_carry_the_same_table() {
    let path = fixture("goodtherapy.json");
    for level in ["comment", "thread"] {
        let csv = stance(&["analyze", "--level", level, p(&path)]).ok();
        let json = stance(&["analyze", "--level", level, "--format", "json", p(&path)]).ok();
        let jsonl = stance(&["analyze", "--level", level, "--format", "jsonl", p(&path)]).ok();
        let json_rows = json.json();
        let json_rows = json_rows.as_array().unwrap();
        let jsonl_rows = jsonl.jsonl();
        assert_eq!(json_rows, &jsonl_rows);
        let csv_rows = csv.csv();
        assert_eq!(csv_rows.len(), json_rows.len());
        let header = csv_header(&csv.stdout);
        for (c, j) in csv_rows.iter().zip(json_rows) {
            let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), header.len());
            for column in &header {
                let as_text = match &j[column] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                assert_eq!(c[column], as_text, "column {column}");
            }
        }
    }
}

#[test]
fn missing_values_are_null_in_json_and_empty_in_csv() {
    let rows = comment_rows(p(&fixture("small.json")));
    assert_eq!(rows[2]["date"], Value::Null);
    assert_eq!(rows[0]["parent"], Value::Null);
    let csv = stance(&["analyze", "--level", "comment", p(&fixture("small.json"))])
        .ok()
        .csv();
    assert_eq!(csv[2]["date"], "");
}

#[test]
fn evidence_explains_negation() {
    let rows = comment_rows(p(&fixture("small.json")));
    let evidence = rows[1]["evidence"].as_str().unwrap();
    assert!(
        evidence.contains("pro_boundary:never be friends (negated pro_friendship)"),
        "{evidence}"
    );
}

#[test]
fn apostrophes_and_case_match_one_lexicon_entry() {
    let dir = Workdir::new();
    dir.write("lex/pro_boundary.txt", "can't be friends | 2\n");
    dir.write("lex/pro_friendship.txt", "friendship is fine\n");
    let input = dir.write(
        "in.jsonl",
        "{\"id\":1,\"text\":\"We can’t be friends.\"}\n{\"id\":2,\"text\":\"We can't be friends.\"}\n{\"id\":3,\"text\":\"WE CAN'T BE FRIENDS\"}\n{\"id\":4,\"text\":\"we cant be friends\"}\n",
    );
    let rows = stance(&[
        "analyze",
        "--level",
        "comment",
        "--format",
        "jsonl",
        "--lexicons",
        p(&dir.path("lex")),
        p(&input),
    ])
    .ok()
    .jsonl();
    for r in &rows {
        assert_eq!(r["score_pro_boundary"], 2.0, "{r}");
        assert_eq!(r["stance"], "pro-boundary");
    }
}

#[test]
fn a_dropped_in_category_file_becomes_columns() {
    let dir = Workdir::new();
    let lex = dir.path("lex");
    stance(&["lexicon", "init", p(&lex)]).ok();
    dir.write("lex/gifts.txt", "#! threshold = 1\ngift*\n");
    let input = dir.write(
        "in.jsonl",
        "{\"id\":\"x\",\"text\":\"She gave me gifts.\"}\n{\"id\":\"y\",\"parent\":\"x\",\"text\":\"Nice.\"}\n",
    );
    let rows = stance(&[
        "analyze",
        "--level",
        "comment",
        "--lexicons",
        p(&lex),
        p(&input),
    ])
    .ok()
    .csv();
    assert_eq!(rows[0]["gifts"], "true");
    assert_eq!(rows[0]["score_gifts"], "1");
    assert_eq!(rows[1]["gifts"], "false");
    let threads = stance(&["analyze", "--lexicons", p(&lex), p(&input)]).ok();
    let header = csv_header(&threads.stdout);
    assert_eq!(header[header.len() - 2], "gifts");
    assert_eq!(threads.csv()[0]["gifts"], "1");
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let path = fixture("goodtherapy.json");
    let one = stance_in(
        &["analyze", "--level", "comment", "--threads", "1", p(&path)],
        None,
        &[],
    )
    .ok();
    let many = stance_in(
        &["analyze", "--level", "comment", p(&path)],
        None,
        &[("RAYON_NUM_THREADS", "8")],
    )
    .ok();
    assert_eq!(one.stdout, many.stdout);
}

/// Comment rows are rendered in parallel (#5): every format must still come out in input
/// order, byte for byte, at any thread count, across pipeline batches (2,048 comments) and
/// with replies that come before their parents.
#[test]
fn comment_rows_are_identical_at_any_thread_count_in_every_format() {
    let texts = [
        "Therapists should never be friends with their clients, period.",
        "=HYPERLINK(\\\"x\\\") I became friends with my therapist, maybe it worked.",
        "- Agreed, \\\"boundaries\\\" matter.\\nShe said we could be friends; I don't think so.",
        "@you: I'm a therapist and I would not, but after therapy ended we met for coffee.",
        "Thanks!",
    ];
    let mut input = String::new();
    for i in 0..2_500 {
        let text = texts[i % texts.len()];
        let parent = match i % 7 {
            0 => String::new(),
            3 => format!(",\"parent\":\"c{}\"", i + 2),
            _ => format!(",\"parent\":\"c{}\"", i - i % 7),
        };
        input.push_str(&format!(
            "{{\"id\":\"c{i}\",\"author\":\"a{}\",\"text\":\"{text}\"{parent}}}\n",
            i % 13
        ));
    }
    let dir = Workdir::new();
    let path = dir.write("many.jsonl", input);
    for format in [&["csv"][..], &["csv", "--raw-csv"], &["json"], &["jsonl"]] {
        let run = |threads: &str| {
            let mut args = vec!["analyze", "--level", "comment", "--threads", threads];
            args.push("--format");
            args.extend(format);
            args.push(p(&path));
            stance(&args).ok().stdout
        };
        let one = run("1");
        assert_eq!(one, run("4"), "{format:?}");
        assert!(one.contains("c2499"), "{format:?}");
    }
}

#[test]
fn several_files_form_one_dataset() {
    let dir = Workdir::new();
    let a = dir.write("a.jsonl", "{\"id\":\"p\",\"text\":\"Thanks.\"}\n");
    let b = dir.write(
        "b.jsonl",
        "{\"id\":\"q\",\"parent\":\"p\",\"text\":\"So true.\"}\n",
    );
    let rows = stance(&["analyze", p(&a), p(&b)]).ok().csv();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["comments"], "2");
}

#[test]
fn missing_parent_starts_a_thread_with_one_warning() {
    let dir = Workdir::new();
    let input = dir.write(
        "in.jsonl",
        "{\"id\":\"a\",\"parent\":\"gone\",\"text\":\"x\"}\n{\"id\":\"b\",\"parent\":\"gone2\",\"text\":\"y\"}\n",
    );
    let out = stance(&["analyze", p(&input)]).ok();
    assert_eq!(out.csv().len(), 2);
    assert_eq!(out.stderr.matches("warning").count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("2 comments"), "{}", out.stderr);
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = Workdir::new();
    let out_path = dir.path("out.json");
    let run = stance(&[
        "analyze",
        "--format",
        "json",
        "-o",
        p(&out_path),
        p(&fixture("small.json")),
    ])
    .ok();
    assert!(run.stdout.is_empty());
    let written: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(written.as_array().unwrap().len(), 3);
    let leftovers = std::fs::read_dir(dir.dir()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

#[test]
fn empty_input_gives_headers_and_no_rows() {
    let out = stance_stdin(&["analyze"], b"  \n").ok();
    assert_eq!(out.stdout.lines().count(), 1);
    let out = stance_stdin(&["analyze", "--format", "json"], b"").ok();
    assert_eq!(out.json(), serde_json::json!([]));
}

#[test]
fn explicit_thread_field_wins() {
    let dir = Workdir::new();
    let input = dir.write(
        "in.jsonl",
        "{\"id\":\"a\",\"thread\":\"T\",\"text\":\"x\"}\n{\"id\":\"b\",\"thread\":\"T\",\"text\":\"y\"}\n{\"id\":\"c\",\"parent\":\"a\",\"text\":\"z\"}\n",
    );
    let rows = stance(&["analyze", p(&input)]).ok().csv();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["thread"], "T");
    assert_eq!(rows[0]["comments"], "2");
    assert_eq!(rows[1]["thread"], "a");
}
