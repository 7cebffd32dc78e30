//! The two tables `stance` prints: one row per comment, one row per thread. Column names and
//! order are the interface (README "Output columns"); every encoding uses these.
//!
//! A comment row is rendered once per comment on the rayon workers, so it is written straight
//! into an encoder and a reused evidence buffer: cells borrow the comment's strings, and the
//! evidence text is built without temporary strings (#5).

use super::{Cell, NumberText, RowEncoder};
use crate::error::Result;
use crate::lexicon::{Cue, Lexicon, FRIENDSHIP};
use crate::pipeline::Outcome;
use crate::score::{modifier, Evidence, ReplyRule};
use crate::thread::ThreadStats;

/// Column names of the comment table for `lexicon`.
pub fn comment_columns(lexicon: &Lexicon) -> Vec<String> {
    let mut columns: Vec<String> = [
        "id",
        "thread",
        "parent",
        "author",
        "date",
        "stance",
        "confidence",
    ]
    .map(String::from)
    .to_vec();
    columns.extend(flag_names(lexicon));
    columns.extend(
        lexicon
            .categories
            .iter()
            .map(|c| format!("score_{}", c.name)),
    );
    columns.push("evidence".to_string());
    columns
}

/// Pushes the comment row of one outcome into `row`; `evidence` is scratch space for the
/// evidence cell (cleared first).
pub fn write_comment_row(
    lexicon: &Lexicon,
    outcome: &Outcome<'_>,
    evidence: &mut String,
    row: &mut RowEncoder,
) -> Result<()> {
    let c = outcome.comment;
    let v = outcome.verdict;
    for cell in [
        Cell::text(&c.id),
        Cell::text(outcome.thread),
        Cell::opt(c.parent.as_deref()),
        Cell::opt(c.author.as_deref()),
        Cell::opt(c.date.as_deref()),
        Cell::text(v.decision.stance.label()),
        Cell::Float(v.decision.confidence),
    ] {
        row.push(&cell)?;
    }
    for &flag in v.flags.iter().skip(FRIENDSHIP + 1) {
        row.push(&Cell::Bool(flag))?;
    }
    for &score in &outcome.assessment.scores {
        row.push(&Cell::Float(score))?;
    }
    evidence.clear();
    write_evidence(lexicon, outcome, evidence);
    row.push(&Cell::text(evidence))
}

/// Columns every thread table starts with, before the flag columns.
pub const THREAD_LEADING_COLUMNS: [&str; 8] = [
    "thread",
    "root_id",
    "root_author",
    "comments",
    "pro_boundary",
    "pro_friendship",
    "mixed",
    "neutral",
];

/// Column names of the thread table for `lexicon`.
pub fn thread_columns(lexicon: &Lexicon) -> Vec<String> {
    let mut columns: Vec<String> = THREAD_LEADING_COLUMNS.map(String::from).to_vec();
    columns.extend(flag_names(lexicon));
    columns.push("dominant_stance".to_string());
    columns
}

/// The thread row of one thread's stats.
pub fn thread_row(stats: &ThreadStats) -> Vec<Cell<'_>> {
    let mut row = vec![
        Cell::text(&stats.thread),
        Cell::opt(stats.root_id.as_deref()),
        Cell::opt(stats.root_author.as_deref()),
        Cell::Int(stats.comments),
    ];
    row.extend(stats.stances.iter().map(|&n| Cell::Int(n)));
    row.extend(stats.flags.iter().map(|&n| Cell::Int(n)));
    row.push(Cell::opt(stats.dominant().map(|s| s.label())));
    row
}

/// Names of the flag categories (everything but the poles), in column order.
pub fn flag_names(lexicon: &Lexicon) -> impl Iterator<Item = String> + '_ {
    lexicon
        .categories
        .iter()
        .skip(FRIENDSHIP + 1)
        .map(|c| c.name.clone())
}

/// The `evidence` cell: every match with what it counted for and why, then hedges and the
/// reply rule. Items are separated by `; `.
pub fn evidence_text(lexicon: &Lexicon, outcome: &Outcome<'_>) -> String {
    let mut out = String::new();
    write_evidence(lexicon, outcome, &mut out);
    out
}

/// Appends the [`evidence_text`] of `outcome` to `out`.
pub fn write_evidence(lexicon: &Lexicon, outcome: &Outcome<'_>, out: &mut String) {
    let start = out.len();
    let separate = |out: &mut String| {
        if out.len() > start {
            out.push_str("; ");
        }
    };
    let text = &outcome.comment.text;
    let author = outcome.comment.author.as_deref().unwrap_or("");
    for e in &outcome.assessment.evidence {
        separate(out);
        let source = if e.modifiers & modifier::AUTHOR != 0 {
            author
        } else {
            text
        };
        describe_evidence(lexicon, e, source, out);
    }
    for hit in &outcome.assessment.cues {
        if hit.cue == Cue::Hedge {
            separate(out);
            out.push_str("hedge:");
            push_span_text(out, text, hit.start, hit.end);
        }
    }
    if let Some(rule) = outcome.verdict.reply {
        separate(out);
        out.push_str(match rule {
            ReplyRule::Agrees => "reply: agrees with ",
            ReplyRule::Disagrees => "reply: disagrees with ",
        });
        out.push_str(outcome.known_parent.unwrap_or("?"));
    }
}

/// One evidence item: `category:matched words (modifiers) +value`.
pub fn describe_evidence(lexicon: &Lexicon, e: &Evidence, source: &str, out: &mut String) {
    let entry = &lexicon.entries[e.entry as usize];
    let own = match entry.target {
        crate::lexicon::Target::Category(c) => lexicon.categories[c].name.as_str(),
        crate::lexicon::Target::Cue(cue) => cue.name(),
    };
    let start = e.negator_start.unwrap_or(e.start);
    let counted = e.counts_for.map(|c| lexicon.categories[c].name.as_str());
    out.push_str(counted.unwrap_or(own));
    out.push(':');
    push_span_text(out, source, start, e.end);
    let mut notes = Notes::default();
    if e.modifiers & modifier::AUTHOR != 0 {
        notes.next(out).push_str("author");
    }
    let harm_moved = e.modifiers & modifier::HARM_NARRATIVE != 0;
    if e.modifiers & modifier::NEGATED != 0 {
        let note = notes.next(out);
        match counted {
            Some(c) if c == own && !harm_moved => note.push_str("negated, kept: names a violation"),
            Some(_) => {
                note.push_str("negated ");
                note.push_str(own);
            }
            None => note.push_str("negated, not counted"),
        }
    }
    if harm_moved {
        let note = notes.next(out);
        note.push_str(own);
        note.push_str(" told in a harm story");
    }
    // Most matches have none of these: one test instead of seven (#5).
    if e.modifiers & LISTED_MODIFIER_BITS != 0 {
        for &(bit, name) in &LISTED_MODIFIERS {
            if e.modifiers & bit != 0 {
                notes.next(out).push_str(name);
            }
        }
    }
    notes.close(out);
    if counted.is_some() {
        out.push(' ');
        NumberText::new(e.value).push_signed(out);
    }
}

/// Modifiers noted by name, in the order evidence lists them.
const LISTED_MODIFIERS: [(u16, &str); 7] = [
    (modifier::QUOTE_ATTACKED, "quote attacked"),
    (modifier::QUOTE_ENDORSED, "quote endorsed"),
    (modifier::QUOTED, "quoted"),
    (modifier::QUESTION, "question"),
    (modifier::BEFORE_CONTRAST, "before contrast"),
    (modifier::CONCEDED, "conceded"),
    (modifier::AFTER_CONTRAST, "after contrast"),
];

/// Every bit of [`LISTED_MODIFIERS`].
const LISTED_MODIFIER_BITS: u16 = modifier::QUOTE_ATTACKED
    | modifier::QUOTE_ENDORSED
    | modifier::QUOTED
    | modifier::QUESTION
    | modifier::BEFORE_CONTRAST
    | modifier::CONCEDED
    | modifier::AFTER_CONTRAST;

/// The parenthesized notes of an evidence item, written as they come: ` (a, b)`.
#[derive(Default)]
struct Notes {
    is_open: bool,
}

impl Notes {
    /// Starts the next note and returns `out` to write it to.
    fn next<'o>(&mut self, out: &'o mut String) -> &'o mut String {
        out.push_str(if self.is_open { ", " } else { " (" });
        self.is_open = true;
        out
    }

    /// Closes the parenthesis if any note was written.
    fn close(self, out: &mut String) {
        if self.is_open {
            out.push(')');
        }
    }
}

/// The original words of a span, with runs of whitespace shown as one space.
pub fn span_text(source: &str, start: u32, end: u32) -> String {
    let mut out = String::new();
    push_span_text(&mut out, source, start, end);
    out
}

/// Appends the [`span_text`] of a span to `out`.
///
/// The words are the same as `split_whitespace` gives, but text between runs of whitespace
/// that are not already a single space is copied in one piece: most spans need no change,
/// and word by word this was a quarter of a comment row's cost (#5).
pub fn push_span_text(out: &mut String, source: &str, start: u32, end: u32) {
    let span = source
        .get(start as usize..end as usize)
        .unwrap_or("")
        .trim();
    let bytes = span.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let width = whitespace_width(span, at);
        if width == 0 {
            at += 1;
            continue;
        }
        // A run of whitespace inside the trimmed span: words on both sides of it.
        let run_start = at;
        at += width;
        loop {
            match whitespace_width(span, at) {
                0 => break,
                width => at += width,
            }
        }
        if at - run_start > 1 || bytes[run_start] != b' ' {
            out.push_str(&span[copied..run_start]);
            out.push(' ');
            copied = at;
        }
    }
    out.push_str(&span[copied..]);
}

/// The length in bytes of the whitespace character (`char::is_whitespace`) at byte `at` of
/// `text`, or 0 when there is none (or `at` is inside a character or past the end).
fn whitespace_width(text: &str, at: usize) -> usize {
    match text.as_bytes().get(at) {
        Some(&byte) if byte < 0x80 => usize::from(byte == b' ' || (b'\t'..=b'\r').contains(&byte)),
        // A leading byte: decode the character (rare, and only non-ASCII ones).
        Some(&byte) if byte >= 0xC0 => match text[at..].chars().next() {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `push_span_text` printed before it copied runs: the words, joined by one space.
    fn words_joined(span: &str) -> String {
        span.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn span_text_is_the_words_joined_by_single_spaces() {
        let spaces = [
            " ", "  ", "\t", "\n", "\r\n", "\x0B", "\x0C", "\u{85}", "\u{A0}", "\u{1680}",
            "\u{2000}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}",
        ];
        // Characters that look like spaces or share lead bytes with them, but are not.
        let words = [
            "a",
            "don’t",
            "“quoted”",
            "\u{200B}",
            "\u{FEFF}",
            "\u{1F}",
            "é",
            "\u{2010}",
            "\u{3001}",
            "😀",
            "x\u{A9}y",
            "\u{180E}",
        ];
        let mut rng = crate::test_rng::XorShift::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(rng.last() % 9) {
                let state = rng.next();
                let piece = if state & 1 == 0 {
                    spaces[(state >> 8) as usize % spaces.len()]
                } else {
                    words[(state >> 8) as usize % words.len()]
                };
                text.push_str(piece);
            }
            let mut out = String::from("kept ");
            push_span_text(&mut out, &text, 0, text.len() as u32);
            assert_eq!(out, format!("kept {}", words_joined(&text)), "{text:?}");
        }
    }

    #[test]
    fn a_span_off_char_boundaries_or_the_text_is_empty() {
        assert_eq!(span_text("é b", 1, 3), "");
        assert_eq!(span_text("abc", 2, 9), "");
        assert_eq!(span_text("  a  b  ", 0, 8), "a b");
    }
}
