//! Hostile and broken input (#7): every case either works or fails with a clear message and
//! the documented exit code, never a panic. Big inputs are generated in the test's temp dir.

use std::fmt::Write as _;

use crate::util::{csv_header, p, stance, stance_stdin, Run, Workdir};

/// Asserts a clean failure: exit `code`, `needle` in stderr, no panic, nothing on stdout.
fn assert_fails(run: &Run, code: i32, needle: &str) {
    assert_eq!(run.code, code, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains(needle),
        "expected `{needle}` in: {}",
        run.stderr
    );
    assert_no_panic(run);
}

fn assert_no_panic(run: &Run) {
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("overflow"),
        "{}",
        run.stderr
    );
}

/// `n` JSON Lines comments `c0`, `c1`, ... with a pro-friendship text.
fn good_lines(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let _ = writeln!(
            out,
            r#"{{"id":"c{i}","text":"We stayed friends after therapy."}}"#
        );
    }
    out
}

fn ids(rows: &[serde_json::Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn truncated_json_document_says_truncated() {
    let dir = Workdir::new();
    let file = dir.write(
        "cut.json",
        "{\"comments\": [\n{\"id\": \"a\", \"text\": \"We sta",
    );
    let run = stance(&["analyze", p(&file)]);
    assert_fails(&run, 1, "cut.json:2:");
    assert_fails(&run, 1, "truncated?");
}

#[test]
fn truncated_last_json_line_names_the_line() {
    let dir = Workdir::new();
    let file = dir.write("cut.jsonl", format!("{}{{\"id\":\"z\",\"te", good_lines(3)));
    assert_fails(&stance(&["analyze", p(&file)]), 1, "cut.jsonl:4:");
}

#[test]
fn one_bad_json_line_among_good_ones_names_the_line() {
    let dir = Workdir::new();
    let file = dir.write(
        "mixed.jsonl",
        format!(
            "{}{{\"id\":\"bad\",\"text\":}}\n{}",
            good_lines(2),
            good_lines(1)
        ),
    );
    let run = stance(&["analyze", p(&file)]);
    assert_fails(&run, 1, "mixed.jsonl:3:20: malformed JSON");
}

/// Bad lines of every kind, and the good lines around them.
fn bad_lines_file(dir: &Workdir) -> std::path::PathBuf {
    let mut text = String::new();
    text.push_str("{\"id\":\"a\",\"text\":\"We stayed friends.\"}\n");
    text.push_str("{\"id\":\"b\",\"text\":}\n"); // malformed
    text.push_str("{\"id\":\"c\",\"text\":\"x\",\"author\":5}\n"); // fails only the full parse
    text.push_str("{\"text\":\"no id\"}\n"); // no id
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"{\"id\":\"d\",\"text\":\"caf\xE9\"}\n"); // invalid UTF-8
    bytes.extend_from_slice(b"{\"id\":\"e\",\"parent\":\"b\",\"text\":\"Keep boundaries.\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"f\",\"parent\":\"a\",\"text\":\"Agreed.\"}\n");
    dir.write("bad.jsonl", bytes)
}

#[test]
fn skip_bad_lines_skips_them_with_warnings_and_a_count() {
    let dir = Workdir::new();
    let file = bad_lines_file(&dir);
    assert_fails(&stance(&["analyze", p(&file)]), 1, "bad.jsonl:2:");
    let run = stance(&[
        "analyze",
        "--skip-bad-lines",
        "--level",
        "comment",
        "-f",
        "jsonl",
        p(&file),
    ])
    .ok();
    assert_no_panic(&run);
    assert_eq!(ids(&run.jsonl()), ["a", "e", "f"]);
    for needle in [
        "skipping bad line: ",
        "bad.jsonl:2:",
        "bad.jsonl:3:",
        "bad.jsonl:4:",
        "bad.jsonl:5:",
        "skipped 4 bad lines; 3 comments read",
        // `e` replied to the skipped `b`.
        "1 comment names a parent that is not in the input",
    ] {
        assert!(run.stderr.contains(needle), "`{needle}` in {}", run.stderr);
    }
    // Thread level agrees: `a` with its reply, `e` alone.
    let rows = stance(&["analyze", "--skip-bad-lines", p(&file)])
        .ok()
        .csv();
    let counts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["thread"].as_str(), r["comments"].as_str()))
        .collect();
    assert_eq!(counts, [("a", "2"), ("e", "1")]);
}

#[test]
fn skip_bad_lines_with_lossy_keeps_the_utf8_line() {
    let dir = Workdir::new();
    let file = bad_lines_file(&dir);
    let run = stance(&[
        "analyze",
        "--skip-bad-lines",
        "--lossy",
        "--level",
        "comment",
        "-f",
        "jsonl",
        p(&file),
    ])
    .ok();
    assert_eq!(ids(&run.jsonl()), ["a", "d", "e", "f"]);
    assert!(run.stderr.contains("skipped 3 bad lines"), "{}", run.stderr);
}

#[test]
fn skip_bad_lines_shows_ten_warnings_then_the_count() {
    let mut text = String::new();
    for i in 0..25 {
        let _ = writeln!(text, "{{\"id\":{i},\"text\":\"ok\"}}\nnot json");
    }
    let run = stance_stdin(&["analyze", "--skip-bad-lines"], text.as_bytes()).ok();
    assert_eq!(run.stderr.matches("skipping bad line").count(), 10);
    assert!(
        run.stderr
            .contains("skipped 25 bad lines (15 not shown); 25 comments read"),
        "{}",
        run.stderr
    );
}

#[test]
fn skip_bad_lines_does_not_skip_a_broken_document() {
    let run = stance_stdin(
        &["analyze", "--skip-bad-lines"],
        b"[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"b\"}]",
    );
    assert_fails(&run, 1, "comment #2 (id b) has no `text`");
}

#[test]
fn invalid_utf8_names_file_line_column_and_byte_offset() {
    let dir = Workdir::new();
    let mut bytes = good_lines(2).into_bytes();
    let offset = bytes.len() + "{\"id\":\"x\",\"text\":\"caf".len();
    bytes.extend_from_slice(b"{\"id\":\"x\",\"text\":\"caf\xE9\"}\n");
    let file = dir.write("latin1.jsonl", &bytes);
    assert_fails(
        &stance(&["analyze", p(&file)]),
        1,
        &format!("latin1.jsonl:3:22: invalid UTF-8 at byte offset {offset} of the file"),
    );
    // The same in a JSON document, after a byte order mark (counted in the offset).
    let doc = dir.write(
        "latin1.json",
        b"\xEF\xBB\xBF[\n{\"id\":1,\"text\":\"\xFF\"}]",
    );
    assert_fails(
        &stance(&["analyze", p(&doc)]),
        1,
        "latin1.json:2:17: invalid UTF-8 at byte offset 21 of the file",
    );
    assert!(stance(&["analyze", p(&doc)]).stderr.contains("--lossy"));
}

#[test]
fn lossy_replaces_invalid_utf8() {
    let dir = Workdir::new();
    let jsonl = dir.write(
        "latin1.jsonl",
        b"{\"id\":\"x\",\"author\":\"Ren\xE9e\",\"text\":\"We stayed friends.\"}\n",
    );
    let doc = dir.write(
        "latin1.json",
        b"[{\"id\":\"x\",\"author\":\"Ren\xE9e\",\"text\":\"ok\"}]",
    );
    for file in [jsonl, doc] {
        let args = ["analyze", "--lossy", "--level", "comment", "-f", "json"];
        let run = stance(&[&args[..], &[p(&file)]].concat()).ok();
        assert_eq!(run.json()[0]["author"], "Ren\u{FFFD}e");
    }
}

#[test]
fn empty_and_whitespace_only_inputs_are_zero_rows_with_headers() {
    for input in [
        &b""[..],
        b"  \n\t\r\n\n",
        b"\xEF\xBB\xBF",
        b"\xEF\xBB\xBF\r\n",
    ] {
        for level in ["thread", "comment"] {
            let run = stance_stdin(&["analyze", "--level", level], input).ok();
            assert!(csv_header(&run.stdout).len() > 5, "{level}: {}", run.stdout);
            assert!(run.csv().is_empty());
            let run = stance_stdin(&["analyze", "--level", level, "-f", "json"], input).ok();
            assert_eq!(run.json(), serde_json::json!([]));
            let run = stance_stdin(&["analyze", "--level", level, "-f", "jsonl"], input).ok();
            assert_eq!(run.stdout, "");
        }
        for format in ["json", "jsonl"] {
            stance_stdin(&["analyze", "--input-format", format], input).ok();
        }
    }
}

#[test]
fn bom_and_crlf_are_accepted_in_documents_and_lines() {
    let plain_doc = "{\"comments\": [\n  {\"id\": \"a\", \"text\": \"We stayed friends.\"},\n  \
                     {\"id\": \"b\", \"parent\": \"a\", \"text\": \"Boundaries matter.\"}\n]}\n";
    let plain_lines = "{\"id\":\"a\",\"text\":\"We stayed friends.\"}\n\
                       {\"id\":\"b\",\"parent\":\"a\",\"text\":\"Boundaries matter.\"}\n";
    for plain in [plain_doc, plain_lines] {
        let expected = stance_stdin(&["analyze", "--level", "comment"], plain.as_bytes())
            .ok()
            .csv();
        assert_eq!(expected.len(), 2);
        let crlf = plain.replace('\n', "\r\n");
        for variant in [
            format!("\u{FEFF}{plain}"),
            crlf.clone(),
            format!("\u{FEFF}{crlf}"),
        ] {
            let run = stance_stdin(&["analyze", "--level", "comment"], variant.as_bytes()).ok();
            assert_eq!(run.csv(), expected, "{variant:?}");
        }
    }
}

#[test]
fn nul_bytes_escaped_are_text_raw_are_a_clear_error() {
    let run = stance_stdin(
        &["analyze", "--level", "comment", "-f", "json"],
        b"{\"id\":\"a\",\"author\":\"x\\u0000y\",\"text\":\"We stayed\\u0000friends.\"}\n",
    )
    .ok();
    assert_eq!(run.json()[0]["author"], "x\u{0}y");
    assert_eq!(run.json()[0]["stance"], "pro-friendship");
    assert_fails(
        &stance_stdin(&["analyze"], b"{\"id\":\"a\",\"text\":\"a\0b\"}\n"),
        1,
        "<stdin>:1:20: malformed JSON: control character",
    );
    // Binary garbage: a clear error, whichever shape it is taken for.
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    assert_fails(&stance_stdin(&["analyze"], &garbage), 1, "<stdin>:1:");
    assert_fails(&stance_stdin(&["analyze"], &[0u8; 1000]), 1, "<stdin>:1:");
}

#[test]
fn a_20_mb_comment_is_scored() {
    const TARGET_BYTES: usize = 20 * 1024 * 1024;
    let sentence = "We became friends after therapy ended, and I think boundaries matter. ";
    let text = sentence.repeat(TARGET_BYTES / sentence.len() + 1);
    let dir = Workdir::new();
    let file = dir.write("big.jsonl", format!("{{\"id\":1,\"text\":\"{text}\"}}\n"));
    let rows = stance(&["analyze", p(&file)]).ok().csv();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["comments"], "1");
}

#[test]
fn a_million_characters_without_spaces_is_one_word() {
    let dir = Workdir::new();
    let word = "ab\u{e9}".repeat(333_334); // 1,000,002 characters, no space
    let file = dir.write("long.jsonl", format!("{{\"id\":1,\"text\":\"{word}\"}}\n"));
    let run = stance(&["analyze", "--level", "comment", "-f", "json", p(&file)]).ok();
    assert_eq!(run.json()[0]["stance"], "neutral");
    assert_eq!(run.json()[0]["evidence"], "");
}

#[test]
fn a_100000_deep_reply_chain_does_not_overflow() {
    const DEPTH: usize = 100_000;
    let dir = Workdir::new();
    let line = |i: usize| {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(",\"parent\":{}", i - 1)
        };
        format!("{{\"id\":{i}{parent},\"text\":\"Agreed, friends.\"}}\n")
    };
    // In order, and replies before their parents (the reorder buffer holds them all).
    let forward: String = (0..DEPTH).map(line).collect();
    let backward: String = (0..DEPTH).rev().map(line).collect();
    for (name, text) in [("forward.jsonl", forward), ("backward.jsonl", backward)] {
        let file = dir.write(name, text);
        let rows = stance(&["analyze", p(&file)]).ok().csv();
        assert_eq!(rows.len(), 1, "{name}");
        assert_eq!(rows[0]["thread"], "0");
        assert_eq!(rows[0]["comments"], DEPTH.to_string());
    }
    // Nested `replies` that deep: serde_json's depth limit, a clear error, no overflow.
    let nested = format!(
        "[{}{}]",
        "{\"id\":1,\"text\":\"x\",\"replies\":[".repeat(DEPTH),
        "]}".repeat(DEPTH)
    );
    let file = dir.write("nested.json", nested);
    assert_fails(
        &stance(&["analyze", p(&file)]),
        1,
        "recursion limit exceeded (nested too deeply",
    );
}

#[test]
fn reply_cycles_are_errors_naming_the_ids() {
    assert_fails(
        &stance_stdin(
            &["analyze"],
            b"{\"id\":\"me\",\"parent\":\"me\",\"text\":\"x\"}\n",
        ),
        1,
        "reply cycle: me -> me",
    );
    let dir = Workdir::new();
    let a = dir.write(
        "a.jsonl",
        "{\"id\":\"root\",\"text\":\"x\"}\n{\"id\":\"p\",\"parent\":\"r\",\"text\":\"x\"}\n",
    );
    let b = dir.write(
        "b.json",
        "[{\"id\":\"q\",\"parent\":\"p\",\"text\":\"x\"},{\"id\":\"r\",\"parent\":\"q\",\"text\":\"x\"}]",
    );
    assert_fails(
        &stance(&["analyze", p(&a), p(&b)]),
        1,
        "reply cycle: p -> r -> q -> p",
    );
}

#[test]
fn duplicate_ids_across_files_name_both_places() {
    let dir = Workdir::new();
    let a = dir.write("a.jsonl", good_lines(3));
    let b = dir.write(
        "b.json",
        "[{\"id\":\"z\",\"text\":\"x\"},{\"id\":\"c1\",\"text\":\"x\"}]",
    );
    let run = stance(&["analyze", p(&a), p(&b)]);
    assert_fails(&run, 1, "duplicate id `c1`: ");
    assert_fails(&run, 1, "a.jsonl:2 and ");
    assert_fails(&run, 1, "b.json comment #2");
}

#[test]
fn numeric_and_string_ids_are_the_same_id() {
    let dir = Workdir::new();
    let a = dir.write("a.jsonl", "{\"id\":5,\"text\":\"x\"}\n");
    let b = dir.write("b.jsonl", "{\"id\":\"5\",\"text\":\"y\"}\n");
    assert_fails(&stance(&["analyze", p(&a), p(&b)]), 1, "duplicate id `5`: ");
    let c = dir.write("c.jsonl", "{\"id\":5.0,\"text\":\"y\"}\n");
    assert_fails(&stance(&["analyze", p(&a), p(&c)]), 1, "duplicate id `5`");
    // And so a string parent finds a numeric id.
    let d = dir.write("d.jsonl", "{\"id\":6,\"parent\":\"5\",\"text\":\"y\"}\n");
    let rows = stance(&["analyze", p(&a), p(&d)]).ok().csv();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["comments"], "2");
}

#[test]
fn a_hundred_thousand_threads() {
    const THREADS: usize = 100_000;
    let mut text = String::with_capacity(THREADS * 40);
    for i in 0..THREADS {
        let _ = writeln!(text, "{{\"id\":{i},\"text\":\"Boundaries.\"}}");
    }
    let dir = Workdir::new();
    let file = dir.write("wide.jsonl", text);
    let run = stance(&["analyze", p(&file)]).ok();
    let rows = run.csv();
    assert_eq!(rows.len(), THREADS);
    assert_eq!(rows[THREADS - 1]["thread"], (THREADS - 1).to_string());
}

#[test]
fn emoji_rtl_and_combining_marks_keep_evidence_on_char_boundaries() {
    let texts = [
        "😀 We stayed friends 👩‍👩‍👧 after therapy. Boundaries matter 🇺🇸!",
        "مرحبا we stayed friends שלום after therapy",
        "Cafe\u{301} Z\u{335}a\u{336}l\u{337}g\u{338}o: we stayed friends, ne\u{301}e\u{308} n\u{303}",
        "\u{202E}we stayed friends\u{202C} and \u{200F}boundaries\u{200E} matter",
    ];
    let authors = [
        "Zoë 😀",
        "دكتور therapist",
        "Åsa\u{30A}",
        "\u{202E}LMFT\u{202C}",
    ];
    let mut lines = String::new();
    for (i, (text, author)) in texts.iter().zip(authors).enumerate() {
        let line = serde_json::json!({"id": i, "text": text, "author": author});
        let _ = writeln!(lines, "{line}");
    }
    let run = stance_stdin(
        &["analyze", "--level", "comment", "-f", "json"],
        lines.as_bytes(),
    )
    .ok();
    let rows = run.json();
    for (i, row) in rows.as_array().unwrap().iter().enumerate() {
        assert_eq!(row["author"], authors[i]);
        let evidence = row["evidence"].as_str().unwrap();
        assert!(!evidence.is_empty(), "{row}");
        for item in evidence.split("; ") {
            // `category:words (notes) +value`: the words are a piece of the text or author.
            let words = item.split_once(':').unwrap().1;
            let words = words.split(" (").next().unwrap();
            let words = words.rsplit_once(" +").map_or(words, |(w, _)| w);
            let words = words.rsplit_once(" -").map_or(words, |(w, _)| w);
            assert!(
                texts[i].contains(words) || authors[i].contains(words),
                "`{words}` not in {:?}",
                texts[i]
            );
        }
    }
}

#[test]
fn csv_input_is_as_robust_as_json() {
    let dir = Workdir::new();
    let bad = dir.write(
        "latin1.csv",
        b"id,author,text\n1,Ren\xE9e,\"We stayed friends.\"\n",
    );
    assert_fails(
        &stance(&["analyze", p(&bad)]),
        1,
        "latin1.csv:2: invalid UTF-8 in field 2 (near byte offset 20 of the file",
    );
    let args = ["analyze", "--lossy", "--level", "comment", "-f", "json"];
    let run = stance(&[&args[..], &[p(&bad)]].concat()).ok();
    assert_eq!(run.json()[0]["author"], "Ren\u{FFFD}e");
    assert_eq!(run.json()[0]["stance"], "pro-friendship");
    for (name, contents) in [("empty.csv", ""), ("blank.csv", " \r\n\n")] {
        let file = dir.write(name, contents);
        let run = stance(&["analyze", p(&file)]).ok();
        assert!(run.csv().is_empty());
        assert!(csv_header(&run.stdout).contains(&"thread".to_string()));
    }
    let bom = dir.write(
        "bom.csv",
        "\u{FEFF}id,text\r\n1,\"We stayed\r\nfriends.\"\r\n",
    );
    let run = stance(&["analyze", "--level", "comment", p(&bom)]).ok();
    assert_eq!(run.csv()[0]["id"], "1");
    assert_eq!(run.csv()[0]["stance"], "pro-friendship");
}

/// Contrast marking used to scan every earlier token for each contrast word (quadratic: 400 KB
/// of "... but ..." took ~9 s in a debug build); fixed on main, kept as a regression test.
#[test]
fn contrast_words_in_a_long_comment_stay_linear() {
    let text = "I like him but boundaries matter. ".repeat(120_000); // ~4 MB
    let dir = Workdir::new();
    let file = dir.write("but.jsonl", format!("{{\"id\":1,\"text\":\"{text}\"}}\n"));
    let started = std::time::Instant::now();
    stance(&["analyze", p(&file)]).ok();
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn replies_before_their_parents_across_files_give_what_reading_ids_first_gives() {
    // A reply in the first file to a parent in the second, and one to no comment at all: the
    // run reads the ids of every file again when it meets them (#5), and must give what a run
    // that reads them first gives (`--skip-bad-lines` does, and skips nothing here).
    let dir = Workdir::new();
    let a = dir.write(
        "a.jsonl",
        "{\"id\":\"r\",\"text\":\"We stayed friends after therapy.\"}\n\
         {\"id\":\"x\",\"parent\":\"late\",\"text\":\"I agree.\"}\n\
         {\"id\":\"y\",\"parent\":\"gone\",\"text\":\"I disagree.\"}\n",
    );
    let b = dir.write(
        "b.jsonl",
        "{\"id\":\"late\",\"parent\":\"r\",\"text\":\"Therapists must keep professional boundaries.\"}\n",
    );
    for level in ["comment", "thread"] {
        let args = ["analyze", "--level", level, "-f", "jsonl", p(&a), p(&b)];
        let once = stance(&args).ok();
        let first = stance(&[&args[..], &["--skip-bad-lines"]].concat()).ok();
        assert_eq!(once.stdout, first.stdout, "--level {level}");
        assert!(
            once.stderr
                .contains("1 comment names a parent that is not in the input"),
            "{}",
            once.stderr
        );
    }
    let rows = stance(&["analyze", "--level", "comment", "-f", "jsonl", p(&a), p(&b)])
        .ok()
        .jsonl();
    let x = rows.iter().find(|r| r["id"] == "x").unwrap();
    assert_eq!(x["parent"], "late");
    assert_eq!(x["thread"], "r");
}
