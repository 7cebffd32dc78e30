//! Fuzz target: `Scorer::assess` and `resolve` on arbitrary text and author (split at the
//! first NUL byte), with the built-in lexicons. Evidence and cue offsets must slice the text
//! they point into, scores must be finite, and the evidence cell must render.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stance::lexicon::Lexicon;
use stance::output::rows::describe_evidence;
use stance::score::{modifier, resolve, Scorer, Scratch, Stance};

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::builtin)
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (text, author) = match input.split_once('\0') {
        Some((text, author)) => (text, Some(author)),
        None => (&input[..], None),
    };
    let lexicon = lexicon();
    let mut scratch = Scratch::default();
    let a = Scorer::new(lexicon).assess(text, author, &mut scratch);
    assert!(a.scores.iter().all(|s| s.is_finite()));
    let mut rendered = String::new();
    for e in &a.evidence {
        let source = if e.modifiers & modifier::AUTHOR != 0 {
            author.unwrap_or("")
        } else {
            text
        };
        assert!(source.get(e.start as usize..e.end as usize).is_some());
        if let Some(n) = e.negator_start {
            assert!(source.is_char_boundary(n as usize) && n <= e.start);
        }
        describe_evidence(lexicon, e, source, &mut rendered);
    }
    for c in &a.cues {
        assert!(text.get(c.start as usize..c.end as usize).is_some());
    }
    for parent in [None, Some(Stance::ProBoundary), Some(Stance::ProFriendship)] {
        let verdict = resolve(lexicon, &a, parent);
        assert!(verdict.decision.confidence.is_finite());
    }
});
