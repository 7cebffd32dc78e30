//! The finished CLI: spreadsheet-safe CSV, completions, man page, help examples, format
//! errors, and no decoration of stderr when it is not a terminal.

use crate::util::{fixture, p, parse_csv, stance, stance_stdin};

/// The author of comment `h2` in fixtures/hostile.json.
const FORMULA_AUTHOR: &str = "=HYPERLINK(\"http://x\",\"y\")";

fn hostile_comment_csv(extra: &[&str]) -> String {
    let hostile = fixture("hostile.json");
    let mut args = vec!["analyze", "--level", "comment"];
    args.extend_from_slice(extra);
    args.push(p(&hostile));
    stance(&args).ok().stdout
}

fn author_of(csv: &str, id: &str) -> String {
    let csv = csv.strip_prefix('\u{feff}').unwrap_or(csv);
    parse_csv(csv)
        .into_iter()
        .find(|r| r["id"] == id)
        .map(|r| r["author"].clone())
        .unwrap()
}

#[test]
fn csv_neutralizes_formulas_by_default() {
    let csv = hostile_comment_csv(&[]);
    assert_eq!(author_of(&csv, "h2"), format!("'{FORMULA_AUTHOR}"));
    assert_eq!(author_of(&csv, "h4"), "'@SUM(1+1)");
    // Text that does not start like a formula is untouched.
    assert_eq!(
        author_of(&csv, "h1"),
        "<script>document.title='pwned-author'</script>"
    );
    assert!(!csv.starts_with('\u{feff}'));
}

#[test]
fn raw_csv_keeps_cells_as_they_are() {
    let csv = hostile_comment_csv(&["--raw-csv"]);
    assert_eq!(author_of(&csv, "h2"), FORMULA_AUTHOR);
    assert_eq!(author_of(&csv, "h4"), "@SUM(1+1)");
}

#[test]
fn excel_adds_a_byte_order_mark() {
    let csv = hostile_comment_csv(&["--excel"]);
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(author_of(&csv, "h2"), format!("'{FORMULA_AUTHOR}"));
    // JSON is never given a BOM or quotes.
    let json = stance(&[
        "analyze",
        "--level",
        "comment",
        "--format",
        "json",
        "--excel",
        p(&fixture("hostile.json")),
    ])
    .ok()
    .json();
    assert_eq!(json[1]["author"], FORMULA_AUTHOR);
}

#[test]
fn completions_for_every_shell() {
    for (shell, needle) in [
        ("bash", "_stance()"),
        ("zsh", "#compdef stance"),
        ("fish", "complete -c stance"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[stance]"),
    ] {
        let run = stance(&["completions", shell]).ok();
        assert!(run.stdout.contains(needle), "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("report"), "{shell} lacks subcommands");
    }
    let run = stance(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(run
        .stderr
        .contains("[possible values: bash, zsh, fish, powershell, elvish]"));
}

#[test]
fn man_page_is_roff_with_every_subcommand() {
    let page = stance(&["man"]).ok().stdout;
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        &page[..80.min(page.len())]
    );
    assert!(page.contains(".TH stance 1"));
    for sub in [
        "analyze",
        "eval",
        "lexicon",
        "report",
        "completions",
        "explain",
        "import",
    ] {
        assert!(page.contains(sub), "man page lacks {sub}");
    }
}

#[test]
fn man_pages_of_subcommands() {
    let page = stance(&["man", "analyze"]).ok().stdout;
    assert!(page.contains(".TH stance-analyze 1"), "{page}");
    assert!(page.contains("raw\\-csv"), "{page}");
    let page = stance(&["man", "lexicon", "init"]).ok().stdout;
    assert!(page.contains(".TH stance-lexicon-init 1"), "{page}");
    let run = stance(&["man", "lexicon", "nope"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no subcommand `nope` here; pages exist for: init, check"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_subcommand_help_has_an_example() {
    for args in [
        &["analyze", "--help"][..],
        &["eval", "--help"],
        &["explain", "--help"],
        &["import", "--help"],
        &["report", "--help"],
        &["lexicon", "--help"],
        &["lexicon", "init", "--help"],
        &["lexicon", "check", "--help"],
        &["completions", "--help"],
        &["man", "--help"],
    ] {
        let run = stance(args).ok();
        assert!(
            run.stdout.contains("Example") && run.stdout.contains("stance "),
            "{args:?}: {}",
            run.stdout
        );
    }
}

#[test]
fn unknown_formats_list_the_valid_ones() {
    // Input formats grow (import work); the first three are always there.
    let inputs = "[possible values: auto, json, jsonl";
    for (args, valid) in [
        (
            &["analyze", "--format", "xml"][..],
            "[possible values: csv, json, jsonl]",
        ),
        (
            &["eval", "--format", "xml"],
            "[possible values: text, json]",
        ),
        (
            &["explain", "--format", "xml", "x"],
            "[possible values: text, json]",
        ),
        (
            &["import", "--from", "xml", "x"],
            "[possible values: auto, page",
        ),
        (&["analyze", "--input-format", "xml"], inputs),
        (&["eval", "--input-format", "xml"], inputs),
        (&["report", "--input-format", "xml"], inputs),
    ] {
        let run = stance(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(valid), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn stderr_stays_quiet_in_pipes_even_for_long_inputs() {
    // Long enough for the progress bar, but stderr is a pipe: no bar, no summary line.
    let mut lines = String::new();
    for i in 0..12_000 {
        lines.push_str(&format!("{{\"id\":{i},\"text\":\"keep boundaries\"}}\n"));
    }
    let run = stance_stdin(&["analyze"], lines.as_bytes()).ok();
    assert_eq!(run.stderr, "");
    let run = stance_stdin(&["report"], lines.as_bytes()).ok();
    assert_eq!(run.stderr, "");
}
