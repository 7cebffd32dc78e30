//! The yardstick issue #5 names ("the lexicon scan, not our code around it, sets the speed"),
//! shared by the examples that time it: one aho-corasick automaton of lexicon phrases, run
//! bare over raw text. A module of examples, not an example itself (Cargo takes only
//! `examples/*.rs` and `examples/*/main.rs` as examples).

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// One automaton of `phrases`: a DFA (the crate's fastest kind here: the default kind took
/// 0.85-1.03 s against 0.56-0.66 s for the DFA on the 100k corpus, 2 threads), ASCII case
/// folded. Scan with `find_overlapping_iter` for every occurrence, without word boundaries.
pub fn bare_scanner(phrases: &[&str]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(phrases)
        .expect("lexicon phrases build an automaton")
}
