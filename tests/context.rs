//! Reading comments in context: replies, quotes, contrast, negation scope, hedges, questions,
//! flags (issue #4). Each case runs the binary on a small JSON Lines input.

use crate::util::{stance_stdin, Workdir};
use serde_json::Value;

fn rows(jsonl: &str) -> Vec<Value> {
    stance_stdin(
        &["analyze", "--level", "comment", "--format", "jsonl"],
        jsonl.as_bytes(),
    )
    .ok()
    .jsonl()
}

fn line(id: &str, parent: Option<&str>, text: &str) -> String {
    serde_json::json!({"id": id, "parent": parent, "text": text}).to_string() + "\n"
}

fn stances(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["stance"].as_str().unwrap().to_string())
        .collect()
}

fn stance_of(text: &str) -> String {
    stances(&rows(&line("x", None, text)))[0].clone()
}

#[test]
fn agreeing_replies_take_their_parents_stance_along_a_chain() {
    let input = line(
        "a",
        None,
        "After therapy ended we became good friends, and it works for us.",
    ) + &line("b", Some("a"), "I agree with you.")
        + &line("c", Some("b"), "So true!")
        + &line("d", Some("a"), "I disagree.");
    let out = rows(&input);
    assert_eq!(
        stances(&out),
        [
            "pro-friendship",
            "pro-friendship",
            "pro-friendship",
            "pro-boundary"
        ]
    );
    assert!(out[1]["evidence"]
        .as_str()
        .unwrap()
        .contains("reply: agrees with a"));
    assert!(out[2]["evidence"]
        .as_str()
        .unwrap()
        .contains("reply: agrees with b"));
    assert!(out[3]["evidence"]
        .as_str()
        .unwrap()
        .contains("reply: disagrees with a"));
}

#[test]
fn a_reply_before_its_parent_in_the_input_still_follows_it() {
    let input = line("b", Some("a"), "Exactly.")
        + &line(
            "a",
            None,
            "Therapists should never be friends with their clients.",
        );
    let out = rows(&input);
    assert_eq!(out[0]["id"], "b");
    assert_eq!(stances(&out), ["pro-boundary", "pro-boundary"]);
}

#[test]
fn a_reply_with_its_own_strong_evidence_keeps_it() {
    let input = line(
        "a",
        None,
        "Therapists should never be friends with their clients.",
    ) + &line(
        "b",
        Some("a"),
        "I agree it is hard, but we became good friends after therapy and it works great for us.",
    );
    assert_eq!(stances(&rows(&input))[1], "pro-friendship");
}

#[test]
fn the_clause_after_but_weighs_more_at_every_occurrence() {
    assert_eq!(
        stance_of("Friendship is tempting, but a counselor is not your friend."),
        "pro-boundary"
    );
    assert_eq!(
        stance_of(
            "Boundaries matter, but we became good friends. I know the rules, but it works great for us."
        ),
        "pro-friendship"
    );
}

#[test]
fn negation_scope_ends_at_clause_punctuation_and_handles_pseudo_negations() {
    assert_eq!(
        stance_of("Not at first. We became good friends later."),
        "pro-friendship"
    );
    assert_eq!(
        stance_of("No doubt we became good friends after therapy ended."),
        "pro-friendship"
    );
    assert_eq!(
        stance_of("Not only did we stay friends, it works great for us."),
        "pro-friendship"
    );
    assert_eq!(
        stance_of("We could NEVER be friends, it’s a dual relationship."),
        "pro-boundary"
    );
}

#[test]
fn hedges_push_toward_mixed() {
    assert_eq!(
        stance_of(
            "It depends. Boundaries protect clients, but some friendships after therapy work well."
        ),
        "mixed"
    );
}

#[test]
fn questions_that_only_ask_and_thanks_are_neutral() {
    assert_eq!(
        stance_of("Can you be friends with your therapist after therapy ends?"),
        "neutral"
    );
    assert_eq!(stance_of("Thank you so much for this article!"), "neutral");
}

#[test]
fn quotes_count_by_what_the_writer_does_with_them() {
    let endorsed = line(
        "q",
        None,
        "“There are good reasons for boundaries.” Agreed!",
    );
    let out = rows(&endorsed);
    assert_eq!(out[0]["stance"], "pro-boundary");
    assert!(out[0]["evidence"]
        .as_str()
        .unwrap()
        .contains("quote endorsed"));
    let attacked = line("q", None, "“Boundaries protect clients.” Not true.");
    let out = rows(&attacked);
    assert_eq!(out[0]["stance"], "pro-friendship");
    assert!(out[0]["evidence"]
        .as_str()
        .unwrap()
        .contains("quote attacked"));
}

#[test]
fn harm_story_needs_a_story_and_denials_do_not_count() {
    let story = "I became friends with my therapist. Then she dumped me and cut me off. \
                 I lost everyone and I felt betrayed. The damage is done.";
    let out = rows(&line("h", None, story));
    assert_eq!(out[0]["harm_story"], true);
    assert_eq!(
        out[0]["stance"], "pro-boundary",
        "a friendship that hurt argues for boundaries"
    );
    let denial = "I don't feel harmed. I don't feel betrayed at all.";
    assert_eq!(rows(&line("d", None, denial))[0]["harm_story"], false);
}

#[test]
fn professional_voice_needs_the_writer_in_the_role() {
    let out = rows(&line(
        "p",
        None,
        "As a therapist, I never befriend my clients.",
    ));
    assert_eq!(out[0]["professional_voice"], true);
    let out = rows(&line("m", None, "My sister thinks therapists are cold."));
    assert_eq!(out[0]["professional_voice"], false);
    let dir = Workdir::new();
    let _ = dir;
    let with_author = serde_json::json!({"id": "a", "author": "Jane Roe, LMFT", "text": "Boundaries protect clients."}).to_string();
    let out = rows(&(with_author + "\n"));
    assert_eq!(out[0]["professional_voice"], true);
    assert!(out[0]["evidence"].as_str().unwrap().contains("(author)"));
}

#[test]
fn neighbouring_topics_count() {
    assert_eq!(
        stance_of("I love that my therapist hugs me and lets me text her between sessions."),
        "pro-friendship"
    );
    assert_eq!(
        stance_of(
            "A therapist should not accept gifts or text clients; limits protect the client."
        ),
        "pro-boundary"
    );
}
