//! Fuzz target: the lexicon parser and compiler. The input is split at NUL bytes into the
//! texts of `pro_boundary.txt`, `pro_friendship.txt`, an added flag category and a cue file;
//! any text must compile or give a clean `Err` naming file and line. A lexicon that compiles
//! is then used to score its own text and a fixed sentence.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::lexicon::Lexicon;
use stance::score::{Scorer, Scratch};

const NAMES: [&str; 4] = [
    "pro_boundary.txt",
    "pro_friendship.txt",
    "custom_flag.txt",
    "cues/negators.txt",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let files: Vec<(&str, &str)> = NAMES
        .iter()
        .map(|name| (*name, parts.next().unwrap_or("")))
        .collect();
    let Ok(lexicon) = Lexicon::from_texts(files, "fuzz") else {
        return;
    };
    let scorer = Scorer::new(&lexicon);
    let mut scratch = Scratch::default();
    for sample in [
        &text[..],
        "I don't think we should be friends, but boundaries matter.",
    ] {
        let a = scorer.assess(sample, Some(sample), &mut scratch);
        for e in &a.evidence {
            assert!(sample.get(e.start as usize..e.end as usize).is_some());
        }
    }
});
