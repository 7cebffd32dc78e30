//! `stance explain`: text, stdin and in-thread explanations, JSON offsets, color control.

use crate::util::{fixture, p, stance, stance_in, stance_stdin};

#[test]
fn explains_a_negated_match_with_offsets() {
    let text = "Therapists should never be friends with their clients.";
    let out = stance(&["explain", text, "--format", "json"]).ok().json();
    assert_eq!(out["decision"]["stance"], "pro-boundary");
    let m = &out["matches"][0];
    assert_eq!(m["category"], "pro_friendship");
    assert_eq!(m["counts_for"], "pro_boundary");
    assert_eq!(m["negated_by"]["text"], "never");
    let (start, end) = (
        m["start"].as_u64().unwrap() as usize,
        m["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "be friends");
    assert!(m["modifiers"]
        .as_array()
        .unwrap()
        .contains(&"negated".into()));
    let tokens = out["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 8);
    assert_eq!(tokens[2]["normalized"], "never");
}

#[test]
fn offsets_slice_text_with_typographic_apostrophes_and_emoji() {
    let text = "🙂 I don’t think “a counselor” can be your friend 🙂";
    let out = stance(&["explain", text, "--format", "json"]).ok().json();
    for m in out["matches"].as_array().unwrap() {
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert!(text.get(s..e).is_some(), "{m}");
    }
    assert_eq!(out["decision"]["stance"], "pro-boundary");
}

#[test]
fn reads_text_from_stdin() {
    let out = stance_stdin(
        &["explain", "-"],
        b"After therapy ended we became good friends.",
    )
    .ok();
    assert!(
        out.stdout.contains("decision: pro-friendship"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("pro_friendship:became good friends"),
        "{}",
        out.stdout
    );
}

#[test]
fn in_thread_explanation_shows_the_reply_rule() {
    let path = fixture("goodtherapy.json");
    let out = stance(&["explain", p(&path), "--id", "c31", "--format", "json"])
        .ok()
        .json();
    assert_eq!(out["reply"]["rule"], "agrees");
    assert_eq!(out["reply"]["parent"], "c30");
    assert_eq!(out["decision"]["stance"], out["reply"]["parent_stance"]);
    assert_eq!(out["own_decision"]["stance"], "neutral");
    let text = stance(&["explain", p(&path), "--id", "c31"]).ok();
    assert!(text.stdout.contains("reply rule"), "{}", text.stdout);
}

#[test]
fn unknown_id_is_an_error() {
    let out = stance(&["explain", p(&fixture("small.json")), "--id", "nope"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("no comment with id `nope`"),
        "{}",
        out.stderr
    );
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let text = "We became good friends.";
    let plain = stance(&["explain", text]).ok();
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "piped output has no color"
    );
    let colored = stance(&["explain", text, "--color", "always"]).ok();
    assert!(colored.stdout.contains('\u{1b}'));
    let never = stance_in(
        &["explain", text, "--color", "never"],
        None,
        &[("NO_COLOR", "1")],
    )
    .ok();
    assert!(!never.stdout.contains('\u{1b}'));
}
