//! `stance report`: the whole dataset as one self-contained HTML page (see `output::html`).
//!
//! A [`Sink`] keeps what the page shows of every comment (text, stance, flags, evidence
//! spans); memory grows with the dataset, which is fine for a page meant to be read. This
//! module only gathers; layout and escaping are `output::html`'s.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::progress::run_pipeline;
use crate::cli::ReportArgs;
use crate::config::ReportConfig;
use crate::error::Result;
use crate::lexicon::{Cue, Lexicon, Target, BOUNDARY, FRIENDSHIP};
use crate::output::html::{self, Mark, MarkKind, ReportComment, ReportData};
use crate::output::rows::{describe_evidence, flag_names};
use crate::output::Destination;
use crate::pipeline::{Outcome, Sink};
use crate::score::{modifier, ReplyRule};

/// Runs `stance report`.
pub fn run(args: &ReportArgs) -> Result<()> {
    let config = ReportConfig::from_args(args)?;
    let lexicon = &config.lexicon;
    let mut collector = Collector {
        lexicon,
        comments: Vec::new(),
        parent_ids: Vec::new(),
        thread_keys: Vec::new(),
        thread_index: HashMap::new(),
    };
    let summary = run_pipeline(&config.input, lexicon, &mut collector)?;
    let comments = collector.link(&summary.threads);
    let data = ReportData {
        title: config.title.clone(),
        inputs: config
            .input
            .sources
            .iter()
            .map(|s| s.name.clone())
            .collect(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        lexicon_source: lexicon.source.clone(),
        lexicon_sha256: lexicon_fingerprint(lexicon),
        flag_names: flag_names(lexicon).collect(),
        threads: summary.threads,
        comments,
        missing_parents: summary.missing_parents,
    };
    let (destination, out) = Destination::open(config.output.as_deref())?;
    html::write_report(&data, out)?;
    destination.commit()?;
    super::warn_missing_parents(summary.missing_parents);
    Ok(())
}

/// Keeps every comment's outcome as the page needs it.
struct Collector<'a> {
    lexicon: &'a Lexicon,
    comments: Vec<ReportComment>,
    /// Parent id per comment, linked to an index once every id is known (a reply may come
    /// before its parent in the input).
    parent_ids: Vec<Option<String>>,
    thread_keys: Vec<String>,
    thread_index: HashMap<String, u32>,
}

impl Sink for Collector<'_> {
    fn begin(&mut self, comments: Option<usize>) {
        self.comments.reserve(comments.unwrap_or(0));
        self.parent_ids.reserve(comments.unwrap_or(0));
    }

    fn accept(&mut self, outcome: &Outcome<'_>) -> Result<()> {
        let next = self.thread_keys.len() as u32;
        let thread = *self
            .thread_index
            .entry(outcome.thread.to_string())
            .or_insert(next);
        if thread == next {
            self.thread_keys.push(outcome.thread.to_string());
        }
        let (marks, mut notes) = evidence_marks(self.lexicon, outcome);
        if let Some(rule) = outcome.verdict.reply {
            let parent = outcome.known_parent.unwrap_or("?");
            notes.push(match rule {
                ReplyRule::Agrees => format!("reply: agrees with {parent}"),
                ReplyRule::Disagrees => format!("reply: disagrees with {parent}"),
            });
        }
        let c = outcome.comment;
        self.comments.push(ReportComment {
            id: c.id.clone(),
            author: c.author.clone(),
            date: c.date.clone(),
            thread,
            parent: None,
            stance: outcome.verdict.decision.stance,
            confidence: outcome.verdict.decision.confidence,
            flags: outcome
                .verdict
                .flags
                .iter()
                .skip(FRIENDSHIP + 1)
                .copied()
                .collect(),
            text: c.text.clone(),
            marks,
            notes,
        });
        self.parent_ids
            .push(outcome.known_parent.map(str::to_string));
        Ok(())
    }
}

impl Collector<'_> {
    /// Links parents to indexes and thread numbers to the order of `threads` (the summary's).
    fn link(self, threads: &[crate::thread::ThreadStats]) -> Vec<ReportComment> {
        let by_key: HashMap<&str, u32> = threads
            .iter()
            .enumerate()
            .map(|(i, t)| (t.thread.as_str(), i as u32))
            .collect();
        let renumber: Vec<u32> = self
            .thread_keys
            .iter()
            .map(|k| by_key.get(k.as_str()).copied().unwrap_or(0))
            .collect();
        let by_id: HashMap<&str, u32> = self
            .comments
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i as u32))
            .collect();
        let parents: Vec<Option<u32>> = self
            .parent_ids
            .iter()
            .map(|p| p.as_deref().and_then(|id| by_id.get(id).copied()))
            .collect();
        let mut comments = self.comments;
        for (c, parent) in comments.iter_mut().zip(parents) {
            c.parent = parent;
            c.thread = renumber[c.thread as usize];
        }
        comments
    }
}

/// Highlight spans in the comment text (sorted, non-overlapping), and notes for evidence that
/// is not in the text (matches on the author name).
fn evidence_marks(lexicon: &Lexicon, outcome: &Outcome<'_>) -> (Vec<Mark>, Vec<String>) {
    let text = &outcome.comment.text;
    let mut marks = Vec::new();
    let mut notes = Vec::new();
    for e in &outcome.assessment.evidence {
        let mut title = String::new();
        if e.modifiers & modifier::AUTHOR != 0 {
            let author = outcome.comment.author.as_deref().unwrap_or("");
            describe_evidence(lexicon, e, author, &mut title);
            notes.push(title);
            continue;
        }
        describe_evidence(lexicon, e, text, &mut title);
        let kind = match e.counts_for {
            Some(BOUNDARY) => MarkKind::Boundary,
            Some(FRIENDSHIP) => MarkKind::Friendship,
            Some(_) => MarkKind::Flag,
            None => MarkKind::Uncounted,
        };
        let start = e.negator_start.unwrap_or(e.start);
        marks.push(Mark {
            start,
            end: e.end,
            kind,
            title,
        });
    }
    for hit in &outcome.assessment.cues {
        if hit.cue == Cue::Hedge {
            marks.push(Mark {
                start: hit.start,
                end: hit.end,
                kind: MarkKind::Hedge,
                title: "hedge: takes both sides".to_string(),
            });
        }
    }
    marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    // Keep the first of overlapping spans; a span must also lie on char boundaries.
    let mut kept: Vec<Mark> = Vec::with_capacity(marks.len());
    for m in marks {
        let overlaps = kept.last().is_some_and(|k| m.start < k.end);
        if !overlaps && m.start < m.end && text.get(m.start as usize..m.end as usize).is_some() {
            kept.push(m);
        }
    }
    (kept, notes)
}

/// SHA-256 of everything that decides a result: categories (name, threshold) and entries
/// (phrase, target, weight, prefix and author marks) in load order. Two runs with the same
/// hash used the same lexicons, whatever the files' comments or layout.
pub fn lexicon_fingerprint(lexicon: &Lexicon) -> String {
    let mut hasher = Sha256::new();
    for c in &lexicon.categories {
        hasher.update(format!("category\t{}\t{}\n", c.name, c.threshold));
    }
    for e in &lexicon.entries {
        let target = match e.target {
            Target::Category(c) => lexicon.categories[c].name.as_str(),
            Target::Cue(cue) => cue.name(),
        };
        hasher.update(format!(
            "entry\t{target}\t{}\t{}\t{}\t{}\n",
            e.phrase, e.weight, e.is_prefix, e.is_author
        ));
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
