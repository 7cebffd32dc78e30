//! `stance lexicon init|check`.

use crate::util::{fixture, p, stance, Workdir};

#[test]
fn init_writes_defaults_that_analyze_the_same_as_built_in() {
    let dir = Workdir::new();
    let lex = dir.path("mine");
    stance(&["lexicon", "init", p(&lex)]).ok();
    assert!(lex.join("pro_boundary.txt").is_file());
    assert!(lex.join("cues/negators.txt").is_file());
    assert!(lex.join("README.md").is_file());
    let builtin = stance(&[
        "analyze",
        "--level",
        "comment",
        p(&fixture("goodtherapy.json")),
    ])
    .ok();
    let from_dir = stance(&[
        "analyze",
        "--level",
        "comment",
        "--lexicons",
        p(&lex),
        p(&fixture("goodtherapy.json")),
    ])
    .ok();
    assert_eq!(builtin.stdout, from_dir.stdout);
}

#[test]
fn init_never_overwrites() {
    let dir = Workdir::new();
    let lex = dir.path("mine");
    stance(&["lexicon", "init", p(&lex)]).ok();
    let again = stance(&["lexicon", "init", p(&lex)]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}

#[test]
fn check_counts_entries() {
    let dir = Workdir::new();
    dir.write(
        "lex/pro_boundary.txt",
        "# comment\nboundaries\nnever be friends | 2\n\n",
    );
    dir.write("lex/pro_friendship.txt", "friend*\n");
    dir.write("lex/gifts.txt", "#! threshold = 1.5\ngift*\npresents\n");
    let out = stance(&["lexicon", "check", p(&dir.path("lex"))]).ok();
    let line = |name: &str| {
        out.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {}", out.stdout))
            .to_string()
    };
    assert!(
        line("pro_boundary").contains(" 2 entries"),
        "{}",
        out.stdout
    );
    assert!(line("pro_friendship").contains(" 1 entries"));
    assert!(line("gifts").contains(" 2 entries") && line("gifts").contains("threshold 1.5"));
    assert!(line("harm_story").contains("no file"));
}
