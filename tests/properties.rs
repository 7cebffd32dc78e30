//! Properties (#7), checked with proptest on generated datasets and strings: nothing is lost
//! (conservation), output does not depend on thread count (determinism) or on the order of
//! whole threads (order), and the tokenizer and matcher never panic and keep evidence
//! offsets on the original text's char boundaries. Case counts are small: every dataset case
//! runs the binary a few times.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use stance::input::{InputFormat, InputSource};
use stance::lexicon::Lexicon;
use stance::pipeline::{self, Outcome, PipelineOptions, Sink};
use stance::score::{Scorer, Scratch};
use stance::tokenize::{tokenize, TokenBuffer};

use crate::util::stance_in;

/// Texts comments are drawn from: both poles, mixed, neutral, replies, negation, quotes.
const TEXTS: &[&str] = &[
    "We stayed friends after therapy and it was lovely.",
    "Therapists must keep professional boundaries. Friendship is a dual relationship.",
    "I agree.",
    "I disagree completely.",
    "It depends, friendship can work but boundaries matter too.",
    "Nothing to add, just reading.",
    "My therapist became my friend and it hurt me badly when she ended it.",
    "As a therapist I would never befriend a client.",
    "Don't be friends with your therapist.",
    "She said \u{201c}we can be friends\u{201d}, which was wrong.",
    "Why not be friends?",
    "",
];

/// One thread: each comment is (parent: index of an earlier comment in the thread, or none;
/// text index).
type ThreadShape = Vec<(Option<prop::sample::Index>, usize)>;

fn thread_shape() -> impl Strategy<Value = ThreadShape> {
    prop::collection::vec(
        (
            prop::option::weighted(0.7, any::<prop::sample::Index>()),
            0..TEXTS.len(),
        ),
        1..8,
    )
}

fn dataset() -> impl Strategy<Value = Vec<ThreadShape>> {
    prop::collection::vec(thread_shape(), 1..25)
}

/// JSON Lines lines of one thread, in order; the first comment is the root.
fn thread_lines(t: usize, shape: &ThreadShape) -> Vec<String> {
    shape
        .iter()
        .enumerate()
        .map(|(k, (parent, text))| {
            let parent = match parent {
                Some(p) if k > 0 => Some(format!("t{t}c{}", p.index(k))),
                _ => None,
            };
            let mut line = serde_json::json!({"id": format!("t{t}c{k}"), "text": TEXTS[*text]});
            if let Some(parent) = parent {
                line["parent"] = parent.into();
            }
            // A reply's thread is its chain root's id, not the root's `thread` field (see
            // analyze::explicit_thread_field_wins), so every non-root names the thread.
            if k > 0 {
                line["thread"] = format!("t{t}c0").into();
            }
            line.to_string()
        })
        .collect()
}

fn jsonl(threads: &[Vec<String>]) -> String {
    let mut out = String::new();
    for line in threads.iter().flatten() {
        let _ = writeln!(out, "{line}");
    }
    out
}

fn analyze(input: &str, level: &str, format: &str, rayon_threads: &str) -> String {
    let run = stance_in(
        &["analyze", "--level", level, "-f", format],
        Some(input.as_bytes()),
        &[("RAYON_NUM_THREADS", rayon_threads)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

fn rows_by(stdout: &str, key: &str) -> BTreeMap<String, serde_json::Value> {
    stdout
        .lines()
        .map(|l| {
            let row: serde_json::Value = serde_json::from_str(l).unwrap();
            (row[key].as_str().unwrap().to_string(), row)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn conservation_nothing_is_lost(shapes in dataset()) {
        let threads: Vec<Vec<String>> =
            shapes.iter().enumerate().map(|(t, s)| thread_lines(t, s)).collect();
        let comments: usize = threads.iter().map(Vec::len).sum();
        let input = jsonl(&threads);
        let rows = analyze(&input, "comment", "jsonl", "2");
        prop_assert_eq!(rows.lines().count(), comments);
        let thread_rows = rows_by(&analyze(&input, "thread", "jsonl", "2"), "thread");
        prop_assert_eq!(thread_rows.len(), threads.len());
        let mut total = 0;
        for row in thread_rows.values() {
            let n = row["comments"].as_u64().unwrap();
            let by_stance: u64 = ["pro_boundary", "pro_friendship", "mixed", "neutral"]
                .iter()
                .map(|s| row[*s].as_u64().unwrap())
                .sum();
            prop_assert_eq!(n, by_stance);
            total += n;
        }
        prop_assert_eq!(total as usize, comments);
    }

    #[test]
    fn determinism_one_and_four_threads_are_byte_identical(shapes in dataset()) {
        let threads: Vec<Vec<String>> =
            shapes.iter().enumerate().map(|(t, s)| thread_lines(t, s)).collect();
        let input = jsonl(&threads);
        for (level, format) in [("comment", "csv"), ("thread", "json")] {
            let one = analyze(&input, level, format, "1");
            let four = analyze(&input, level, format, "4");
            prop_assert_eq!(one, four);
        }
    }

    #[test]
    fn order_shuffling_threads_changes_only_row_order(
        shapes in dataset(),
        seed in any::<u64>(),
    ) {
        let threads: Vec<Vec<String>> =
            shapes.iter().enumerate().map(|(t, s)| thread_lines(t, s)).collect();
        let mut shuffled = threads.clone();
        // A seeded Fisher-Yates (proptest shrinks the seed with the rest).
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let (a, b) = (jsonl(&threads), jsonl(&shuffled));
        prop_assert_eq!(
            rows_by(&analyze(&a, "thread", "jsonl", "2"), "thread"),
            rows_by(&analyze(&b, "thread", "jsonl", "2"), "thread")
        );
        prop_assert_eq!(
            rows_by(&analyze(&a, "comment", "jsonl", "2"), "id"),
            rows_by(&analyze(&b, "comment", "jsonl", "2"), "id")
        );
    }
}

/// What the library hands a sink for each comment, as text: id, thread, known parent, stance,
/// reply rule and flags.
#[derive(Default)]
struct Outcomes(Vec<String>);

impl Sink for Outcomes {
    fn accept(&mut self, o: &Outcome<'_>) -> stance::error::Result<()> {
        self.0.push(format!(
            "{} {} {:?} {:?} {:?} {:?}",
            o.comment.id,
            o.thread,
            o.known_parent,
            o.verdict.decision,
            o.verdict.reply,
            o.verdict.flags
        ));
        Ok(())
    }
}

/// Outcomes and summary of the pipeline over JSON Lines `input`, with or without counting
/// the input first (which builds the reply graph in a pass of its own before scoring).
fn outcomes(input: &str, count_first: bool) -> (Vec<String>, String) {
    let options = PipelineOptions {
        format: InputFormat::Jsonl,
        skip_bad_lines: false,
        columns: Default::default(),
        count_first,
    };
    let source = InputSource::bytes("input.jsonl", input.as_bytes().to_vec());
    let mut sink = Outcomes::default();
    let summary = pipeline::run(&[source], options, builtin(), &mut sink).unwrap();
    (sink.0, format!("{summary:?}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The reply graph built while scoring (one pass) gives what pass 1 gives, whatever the
    /// order of replies and parents: a reply before its parent, or to a comment not in the
    /// input, switches to pass 1 on the way (#5).
    #[test]
    fn one_pass_gives_what_two_passes_give(
        shapes in dataset(),
        seed in any::<u64>(),
        shuffle in any::<bool>(),
        drop_some in any::<bool>(),
        without_thread_field in any::<bool>(),
    ) {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut lines: Vec<serde_json::Value> = shapes
            .iter()
            .enumerate()
            .flat_map(|(t, s)| thread_lines(t, s))
            .map(|line| serde_json::from_str(&line).unwrap())
            .collect();
        if without_thread_field {
            for line in &mut lines {
                line.as_object_mut().unwrap().remove("thread");
            }
        }
        if drop_some {
            lines.retain(|_| next() % 5 != 0);
        }
        if shuffle {
            for i in (1..lines.len()).rev() {
                lines.swap(i, (next() % (i as u64 + 1)) as usize);
            }
        }
        let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
        prop_assert_eq!(outcomes(&input, false), outcomes(&input, true));
    }
}

/// Arbitrary text, or lexicon words glued with odd Unicode (so matches, negation, quotes and
/// questions are exercised, not only random code points).
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("friends".to_string()),
        Just("boundaries".to_string()),
        Just("don\u{2019}t".to_string()),
        Just("not".to_string()),
        Just("but".to_string()),
        Just("as a therapist".to_string()),
        Just("\u{201c}".to_string()),
        Just("?".to_string()),
        Just("\n\n".to_string()),
        Just("\u{301}".to_string()),
        Just("\u{202E}".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("שלום".to_string()),
        Just(" ".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        any::<String>(),
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat()),
    ]
}

fn on_boundary(text: &str, offset: u32) -> bool {
    text.is_char_boundary(offset as usize)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn tokens_slice_the_original_text(text in hostile_text()) {
        let mut buf = TokenBuffer::default();
        tokenize(&text, &mut buf);
        for t in &buf.tokens {
            prop_assert!(on_boundary(&text, t.start) && on_boundary(&text, t.end));
            prop_assert!(t.start < t.end && t.end as usize <= text.len());
            prop_assert!(!t.normalized(&text).is_empty());
        }
    }

    #[test]
    fn evidence_offsets_slice_the_original_text(
        text in hostile_text(),
        author in prop::option::of(hostile_text()),
    ) {
        let lexicon = builtin();
        let scorer = Scorer::new(lexicon);
        let mut scratch = Scratch::default();
        let a = scorer.assess(&text, author.as_deref(), &mut scratch);
        for e in &a.evidence {
            let source = if e.modifiers & stance::score::modifier::AUTHOR != 0 {
                author.as_deref().unwrap_or("")
            } else {
                &text
            };
            prop_assert!(source.get(e.start as usize..e.end as usize).is_some(), "{e:?}");
            if let Some(n) = e.negator_start {
                prop_assert!(on_boundary(source, n) && n <= e.start);
            }
            prop_assert!(e.value.is_finite());
        }
        for c in &a.cues {
            prop_assert!(text.get(c.start as usize..c.end as usize).is_some());
        }
        prop_assert!(a.scores.iter().all(|s| s.is_finite()));
    }
}

/// The built-in lexicon, compiled once for all cases.
fn builtin() -> &'static Lexicon {
    static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    LEXICON.get_or_init(Lexicon::builtin)
}
