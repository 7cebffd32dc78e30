//! Every user-facing error: exit code and message.

use crate::util::{fixture, p, stance_stdin, Workdir};

fn fails(args: &[&str], stdin: &[u8], code: i32, needle: &str) {
    let run = stance_stdin(args, stdin);
    assert_eq!(run.code, code, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains(needle),
        "expected `{needle}` in: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn comment_without_text_names_the_line() {
    fails(
        &["analyze"],
        b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\"}\n",
        1,
        "<stdin>:2: comment (id b) has no `text`",
    );
}

#[test]
fn comment_without_text_in_a_document_names_the_comment() {
    fails(
        &["analyze"],
        b"[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"b\"}]",
        1,
        "comment #2 (id b) has no `text`",
    );
}

#[test]
fn malformed_json_lines_name_line_and_column() {
    fails(
        &["analyze"],
        b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":}\n",
        1,
        "<stdin>:2:18: malformed JSON",
    );
}

#[test]
fn truncated_document_is_reported() {
    fails(
        &["analyze"],
        b"{\"comments\": [{\"id\":\"a\",\n\"text\":\"x\"",
        1,
        "truncated",
    );
}

#[test]
fn wrong_document_shape_explains_what_is_accepted() {
    fails(
        &["analyze"],
        b"{\"posts\": [1,2]}\n{\"x\":1",
        1,
        "<stdin>:1: comment has no `id`",
    );
    fails(
        &["analyze"],
        b"{\n\"posts\": []\n}",
        1,
        "expected an object with a `comments` array",
    );
}

#[test]
fn duplicate_ids_name_both_places() {
    fails(
        &["analyze"],
        b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"a\",\"text\":\"y\"}\n",
        1,
        "duplicate id `a`: <stdin>:1 and <stdin>:2",
    );
}

#[test]
fn reply_cycles_name_the_ids() {
    fails(
        &["analyze"],
        b"{\"id\":\"a\",\"parent\":\"b\",\"text\":\"x\"}\n{\"id\":\"b\",\"parent\":\"a\",\"text\":\"y\"}\n",
        1,
        "reply cycle: a -> b -> a",
    );
}

#[test]
fn invalid_utf8_names_the_place() {
    fails(
        &["analyze"],
        b"{\"id\":\"a\",\"text\":\"caf\xE9\"}\n",
        1,
        "<stdin>:1:",
    );
    fails(
        &["analyze"],
        b"{\"id\":\"a\",\"text\":\"caf\xE9\"}\n",
        1,
        "invalid UTF-8",
    );
}

#[test]
fn missing_input_file_is_a_data_error() {
    fails(
        &["analyze", "no/such/file.json"],
        b"",
        1,
        "no/such/file.json",
    );
}

#[test]
fn unknown_format_lists_the_valid_ones() {
    fails(
        &["analyze", "--format", "xml"],
        b"",
        2,
        "[possible values: csv, json, jsonl]",
    );
    fails(
        &["analyze", "--level", "post"],
        b"",
        2,
        "[possible values: thread, comment]",
    );
}

#[test]
fn bad_lexicon_entries_name_file_and_line() {
    let cases: [(&[u8], &str); 5] = [
        (b"ok\n*\n", "pro_boundary.txt:2: a lone `*`"),
        (
            b"ok\n\n123 456\n",
            "pro_boundary.txt:3: `123 456` has no letters",
        ),
        (
            b"friends | lots\n",
            "pro_boundary.txt:1: weight `lots` is not a number",
        ),
        (b"ok\nfri\xFFnd\n", "pro_boundary.txt:2: invalid UTF-8"),
        (
            b"fri*nd\n",
            "pro_boundary.txt:1: `fri*nd`: `*` may only end the last word",
        ),
    ];
    for (contents, needle) in cases {
        let dir = Workdir::new();
        dir.write("lex/pro_boundary.txt", contents);
        dir.write("lex/pro_friendship.txt", "friends\n");
        let lex = dir.path("lex");
        fails(
            &["analyze", "--lexicons", p(&lex), p(&fixture("small.json"))],
            b"",
            2,
            needle,
        );
        fails(&["lexicon", "check", p(&lex)], b"", 2, needle);
    }
}

#[test]
fn lexicon_folder_problems_are_clear() {
    let dir = Workdir::new();
    fails(
        &[
            "analyze",
            "--lexicons",
            p(&dir.path("nope")),
            p(&fixture("small.json")),
        ],
        b"",
        2,
        "cannot open lexicon folder",
    );
    dir.write("empty/.keep", "");
    fails(
        &[
            "analyze",
            "--lexicons",
            p(&dir.path("empty")),
            p(&fixture("small.json")),
        ],
        b"",
        2,
        "no pro_boundary.txt",
    );
    dir.write("half/pro_boundary.txt", "boundaries\n");
    fails(
        &[
            "analyze",
            "--lexicons",
            p(&dir.path("half")),
            p(&fixture("small.json")),
        ],
        b"",
        2,
        "no pro_friendship.txt",
    );
}

#[test]
fn zero_threads_is_a_usage_error() {
    fails(
        &["analyze", "--threads", "0"],
        b"",
        2,
        "--threads must be at least 1",
    );
}

#[test]
fn broken_pipe_is_a_quiet_success() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = Workdir::new();
    let input = crate::util::big_jsonl(&dir, 20_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["analyze", "--level", "comment", p(&input)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
