//! The two tables `stance` prints: one row per comment, one row per thread. Column names and
//! order are the interface (README "Output columns"); every encoding uses these.

use std::fmt::Write as _;

use super::Cell;
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

/// The comment row of one outcome.
pub fn comment_row(lexicon: &Lexicon, outcome: &Outcome<'_>) -> Vec<Cell> {
    let c = outcome.comment;
    let v = outcome.verdict;
    let mut row = vec![
        Cell::Text(c.id.clone()),
        Cell::Text(outcome.thread.to_string()),
        Cell::opt(c.parent.as_deref()),
        Cell::opt(c.author.as_deref()),
        Cell::opt(c.date.as_deref()),
        Cell::Text(v.decision.stance.label().to_string()),
        Cell::Float(v.decision.confidence),
    ];
    row.extend(v.flags.iter().skip(FRIENDSHIP + 1).map(|&f| Cell::Bool(f)));
    row.extend(outcome.assessment.scores.iter().map(|&s| Cell::Float(s)));
    row.push(Cell::Text(evidence_text(lexicon, outcome)));
    row
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
pub fn thread_row(stats: &ThreadStats) -> Vec<Cell> {
    let mut row = vec![
        Cell::Text(stats.thread.clone()),
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
    let text = &outcome.comment.text;
    let author = outcome.comment.author.as_deref().unwrap_or("");
    for e in &outcome.assessment.evidence {
        if !out.is_empty() {
            out.push_str("; ");
        }
        let source = if e.modifiers & modifier::AUTHOR != 0 {
            author
        } else {
            text
        };
        describe_evidence(lexicon, e, source, &mut out);
    }
    for hit in &outcome.assessment.cues {
        if hit.cue == Cue::Hedge {
            if !out.is_empty() {
                out.push_str("; ");
            }
            let _ = write!(out, "hedge:{}", span_text(text, hit.start, hit.end));
        }
    }
    if let Some(rule) = outcome.verdict.reply {
        if !out.is_empty() {
            out.push_str("; ");
        }
        let parent = outcome.known_parent.unwrap_or("?");
        let _ = match rule {
            ReplyRule::Agrees => write!(out, "reply: agrees with {parent}"),
            ReplyRule::Disagrees => write!(out, "reply: disagrees with {parent}"),
        };
    }
    out
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
    let _ = write!(
        out,
        "{}:{}",
        counted.unwrap_or(own),
        span_text(source, start, e.end)
    );
    let mut notes: Vec<String> = Vec::new();
    if e.modifiers & modifier::AUTHOR != 0 {
        notes.push("author".into());
    }
    let harm_moved = e.modifiers & modifier::HARM_NARRATIVE != 0;
    if e.modifiers & modifier::NEGATED != 0 {
        notes.push(match counted {
            Some(c) if c == own && !harm_moved => "negated, kept: names a violation".into(),
            Some(_) => format!("negated {own}"),
            None => "negated, not counted".into(),
        });
    }
    if harm_moved {
        notes.push(format!("{own} told in a harm story"));
    }
    for (bit, name) in [
        (modifier::QUOTE_ATTACKED, "quote attacked"),
        (modifier::QUOTE_ENDORSED, "quote endorsed"),
        (modifier::QUOTED, "quoted"),
        (modifier::QUESTION, "question"),
        (modifier::BEFORE_CONTRAST, "before contrast"),
        (modifier::CONCEDED, "conceded"),
        (modifier::AFTER_CONTRAST, "after contrast"),
    ] {
        if e.modifiers & bit != 0 {
            notes.push(name.into());
        }
    }
    if !notes.is_empty() {
        let _ = write!(out, " ({})", notes.join(", "));
    }
    if counted.is_some() {
        let _ = write!(
            out,
            " {:+}",
            super::format_number(e.value).parse::<f64>().unwrap_or(0.0)
        );
    }
}

/// The original words of a span, with runs of whitespace shown as one space.
pub fn span_text(source: &str, start: u32, end: u32) -> String {
    let span = source.get(start as usize..end as usize).unwrap_or("");
    span.split_whitespace().collect::<Vec<_>>().join(" ")
}
