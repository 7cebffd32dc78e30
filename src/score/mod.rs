//! Tokens + lexicon -> per-category scores, evidence, and the stance decision.
//!
//! [`Scorer::assess`] reads one comment on its own: every lexicon match becomes a piece of
//! [`Evidence`] whose value is its weight times the context factors (contrast, concession,
//! quotation, question) and which counts for its category, or for the other pole when a
//! negator governs it. [`decide`] turns the two pole sums into a stance; [`resolve`] then
//! applies the reply rules, which need the parent's final stance and so run in input order
//! outside the parallel part (see `pipeline`). The decision rule is documented in README
//! "How decisions are made"; the constants below are its knobs.

mod context;
mod read;

use crate::lexicon::{Cue, Lexicon, Match, MatchScratch, BOUNDARY, FRIENDSHIP};
use crate::tokenize::TokenBuffer;

/// Below this much pole evidence (both poles together) a comment is `neutral`.
pub const NEUTRAL_BELOW: f64 = 1.5;
/// Both poles at least this strong, and close (see [`MIXED_LEAN`]): `mixed`.
pub const MIXED_MINOR_AT_LEAST: f64 = 1.5;
/// Largest |lean| (pole difference over pole total) that still reads as `mixed`.
pub const MIXED_LEAN: f64 = 0.34;
/// With a hedge ("it depends"), evidence both ways and |lean| up to this: `mixed`.
pub const HEDGED_LEAN: f64 = 0.5;
/// A hedge with less pole evidence than this (all on one side) still reads as `mixed`: "it
/// depends" with a reason on one side is not a position.
pub const HEDGE_OUTWEIGHS_BELOW: f64 = 2.5;
/// A hedge makes a close comment `mixed` only while it is not drowned by the evidence: hedge
/// weight at least this share of the pole total (one "I understand, but" in a long argument
/// does not make it two-sided).
pub const HEDGE_SHARE: f64 = 0.125;
/// How far back (in words) a negator reaches, within its clause.
pub const NEGATION_WINDOW_WORDS: usize = 6;
/// Factor for evidence after a contrast word, or after a conceded clause.
pub const CONTRAST_BOOST: f64 = 1.5;
/// Factor for evidence before a contrast word, or inside a conceded clause.
pub const CONTRAST_DISCOUNT: f64 = 0.6;
/// Factor for evidence inside quotation marks that the writer neither endorses nor attacks.
pub const QUOTE_FACTOR: f64 = 0.5;
/// Factor for evidence inside a question.
pub const QUESTION_FACTOR: f64 = 0.3;
/// A reply with less own pole evidence than this follows its agree/disagree cue.
pub const REPLY_OWN_EVIDENCE_BELOW: f64 = 3.0;
/// Contrast and concession words read per comment (see `read_context`).
pub const MAX_CONTRAST_WORDS: usize = 64;
/// Agree/disagree cues count when they are in the first this-many sentences.
pub const REPLY_CUE_SENTENCES: u32 = 2;

/// A comment's position on therapist-client friendship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stance {
    /// Keep professional boundaries.
    ProBoundary,
    /// Friendship is fine or wanted.
    ProFriendship,
    /// Both, in earnest.
    Mixed,
    /// No position.
    Neutral,
}

impl Stance {
    /// All stances, in column order.
    pub const ALL: [Stance; 4] = [
        Stance::ProBoundary,
        Stance::ProFriendship,
        Stance::Mixed,
        Stance::Neutral,
    ];

    /// The label used in every output (`pro-boundary`...).
    pub fn label(self) -> &'static str {
        match self {
            Stance::ProBoundary => "pro-boundary",
            Stance::ProFriendship => "pro-friendship",
            Stance::Mixed => "mixed",
            Stance::Neutral => "neutral",
        }
    }

    /// Parses a label as written in gold files.
    pub fn from_label(label: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|s| s.label() == label)
    }

    /// The other pole; `mixed` and `neutral` have none.
    pub fn opposite(self) -> Option<Stance> {
        match self {
            Stance::ProBoundary => Some(Stance::ProFriendship),
            Stance::ProFriendship => Some(Stance::ProBoundary),
            _ => None,
        }
    }
}

/// Modifier bits on a piece of evidence.
pub mod modifier {
    /// A negator governs the match: a pole counts for the other pole, a flag not at all.
    pub const NEGATED: u16 = 1;
    /// After a contrast word (boosted).
    pub const AFTER_CONTRAST: u16 = 2;
    /// Before a contrast word (discounted).
    pub const BEFORE_CONTRAST: u16 = 4;
    /// Inside a conceded clause (discounted).
    pub const CONCEDED: u16 = 8;
    /// Inside quotation marks, neither endorsed nor attacked (discounted).
    pub const QUOTED: u16 = 16;
    /// Inside quotation marks the writer agrees with (counts fully).
    pub const QUOTE_ENDORSED: u16 = 32;
    /// Inside quotation marks the writer disagrees with (counts for the other pole).
    pub const QUOTE_ATTACKED: u16 = 64;
    /// Inside a question (discounted).
    pub const QUESTION: u16 = 128;
    /// Matched the author field.
    pub const AUTHOR: u16 = 256;
    /// Friendship told inside a harm story: counted for the other pole (see `Scorer::assess`).
    pub const HARM_NARRATIVE: u16 = 512;
}

/// One lexicon match and what it counted for.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index into `Lexicon::entries`.
    pub entry: u32,
    /// Byte span of the match in the text (or in the author field, with `modifier::AUTHOR`).
    pub start: u32,
    /// End of that span.
    pub end: u32,
    /// Byte span start of the governing negator, when negated.
    pub negator_start: Option<u32>,
    /// Category the value counts for (after a negation flip); `None` when it does not count.
    pub counts_for: Option<usize>,
    /// Product of the context factors.
    pub factor: f64,
    /// Weight times factor: what was added to `counts_for`.
    pub value: f64,
    /// `modifier` bits.
    pub modifiers: u16,
}

/// A context cue found in the text (hedges, agreement, contrast...), for explanations.
#[derive(Debug, Clone, PartialEq)]
pub struct CueHit {
    /// Which cue.
    pub cue: Cue,
    /// Byte span in the text.
    pub start: u32,
    /// End of that span.
    pub end: u32,
}

/// What a reply says about its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyCue {
    /// No agreement or disagreement cue near the start.
    None,
    /// Agrees ("I agree", "so true").
    Agree,
    /// Disagrees ("I disagree", "not true").
    Disagree,
}

/// Why a stance came out as it did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    /// Too little pole evidence.
    TooLittleEvidence,
    /// Both poles strong and close.
    BothPoles,
    /// A hedge, evidence both ways, and no clear lean.
    Hedged,
    /// One pole outweighs the other.
    Lean,
    /// A reply rule took over (see [`ReplyRule`]).
    Reply,
}

/// A stance with its confidence and reason.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The stance.
    pub stance: Stance,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Why.
    pub reason: Reason,
}

/// A comment read on its own, before reply rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Score per category (sum of evidence values), in lexicon category order.
    pub scores: Vec<f64>,
    /// Every category match, in text order.
    pub evidence: Vec<Evidence>,
    /// Every cue match, in text order.
    pub cues: Vec<CueHit>,
    /// Sum of hedge weights.
    pub hedge: f64,
    /// Agreement or disagreement near the start.
    pub reply_cue: ReplyCue,
    /// The decision from this comment's own words.
    pub own: Decision,
}

impl Assessment {
    /// Pole evidence of the comment's own words (both poles).
    pub fn pole_total(&self) -> f64 {
        self.scores[BOUNDARY].max(0.0) + self.scores[FRIENDSHIP].max(0.0)
    }
}

/// How a reply rule changed a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyRule {
    /// Took the parent's stance.
    Agrees,
    /// Took the pole opposite to the parent's.
    Disagrees,
}

/// The final reading of a comment: its decision and flags after reply rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Final decision.
    pub decision: Decision,
    /// Flag per category (false for the poles).
    pub flags: Vec<bool>,
    /// The reply rule applied, if any.
    pub reply: Option<ReplyRule>,
}

/// Per-worker scratch space, reused from comment to comment.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    tokens: TokenBuffer,
    author_tokens: TokenBuffer,
    codes: MatchScratch,
    matches: Vec<Match>,
    /// Category matches of the comment, in text order (the rest are cues).
    category_matches: Vec<Match>,
    /// Cue matches of the comment, in text order.
    cue_matches: Vec<CueMatch>,
    /// Per token: `mark::NEGATOR`, `mark::BARRIER`, `mark::NEGATOR_USED` (one byte per token
    /// and one pass to reset them, not a vector each: #5).
    token_marks: Vec<u8>,
    /// Every token's flags or-ed together: which context passes the comment needs.
    token_flags: u8,
    /// The contrast and concession words read, in text order.
    turns: Vec<context::Turn>,
    /// Per sentence: ends with a question mark (only filled when a token is before one).
    question_sentences: Vec<bool>,
    /// Room to normalize one word.
    word: String,
}

/// Per-token bits of [`Scratch::token_marks`].
mod mark {
    /// A negator (after fixed phrases and rhetorical questions are ruled out).
    pub const NEGATOR: u8 = 1;
    /// A contrast or concession word: negation does not reach across it.
    pub const BARRIER: u8 = 2;
    /// A negator already used by a pole match.
    pub const NEGATOR_USED: u8 = 4;
}

/// A cue match, with its cue looked up once.
#[derive(Debug, Clone, Copy)]
struct CueMatch {
    cue: Cue,
    entry: u32,
    first: u32,
    last: u32,
}

impl Scratch {
    /// The tokens of the last comment assessed.
    pub fn tokens(&self) -> &TokenBuffer {
        &self.tokens
    }
}

/// Scores comments against one lexicon. Shared by all workers (`Sync`).
#[derive(Debug, Clone, Copy)]
pub struct Scorer<'a> {
    lexicon: &'a Lexicon,
    harm_story: Option<usize>,
}

/// The stance from two pole scores and the hedge weight. See README "How decisions are made".
pub fn decide(boundary: f64, friendship: f64, hedge: f64) -> Decision {
    let (b, f) = (boundary.max(0.0), friendship.max(0.0));
    let total = b + f;
    let lean = if total > 0.0 { (b - f) / total } else { 0.0 };
    let strength = (total / (2.0 * NEUTRAL_BELOW)).min(1.0);
    // "It depends", said about evidence that is weak or one-sided, is a position: mixed.
    if hedge > 0.0 && total > 0.0 && total < HEDGE_OUTWEIGHS_BELOW {
        return Decision {
            stance: Stance::Mixed,
            confidence: round4((1.0 - lean.abs() / 2.0) * strength.max(0.5)),
            reason: Reason::Hedged,
        };
    }
    if total < NEUTRAL_BELOW {
        return Decision {
            stance: Stance::Neutral,
            confidence: round4(1.0 - total / NEUTRAL_BELOW),
            reason: Reason::TooLittleEvidence,
        };
    }
    let minor = b.min(f);
    let pole = if lean >= 0.0 {
        Stance::ProBoundary
    } else {
        Stance::ProFriendship
    };
    let (stance, reason) = if minor >= MIXED_MINOR_AT_LEAST && lean.abs() <= MIXED_LEAN {
        (Stance::Mixed, Reason::BothPoles)
    } else if hedge >= total * HEDGE_SHARE && minor > 0.0 && lean.abs() <= HEDGED_LEAN {
        (Stance::Mixed, Reason::Hedged)
    } else {
        (pole, Reason::Lean)
    };
    let confidence = match stance {
        Stance::Mixed => (1.0 - lean.abs()) * strength,
        _ => lean.abs() * strength,
    };
    Decision {
        stance,
        confidence: round4(confidence),
        reason,
    }
}

/// Applies reply rules and flag thresholds to a comment's own assessment. `parent` is the
/// parent's final stance when the comment is a reply to a known comment.
pub fn resolve(lexicon: &Lexicon, assessment: &Assessment, parent: Option<Stance>) -> Verdict {
    let mut decision = assessment.own;
    let mut reply = None;
    let follows_parent = assessment.pole_total() < REPLY_OWN_EVIDENCE_BELOW;
    if let (Some(parent), true) = (parent, follows_parent) {
        let (rule, stance) = match assessment.reply_cue {
            ReplyCue::Agree if parent != Stance::Neutral => (Some(ReplyRule::Agrees), Some(parent)),
            ReplyCue::Disagree => (Some(ReplyRule::Disagrees), parent.opposite()),
            _ => (None, None),
        };
        if let (Some(rule), Some(stance)) = (rule, stance) {
            reply = Some(rule);
            decision = Decision {
                stance,
                confidence: round4(
                    0.5 + 0.5 * (1.0 - assessment.pole_total() / REPLY_OWN_EVIDENCE_BELOW),
                ),
                reason: Reason::Reply,
            };
        }
    }
    let flags = lexicon
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| i > FRIENDSHIP && assessment.scores[i] >= c.threshold)
        .collect();
    Verdict {
        decision,
        flags,
        reply,
    }
}

/// Rounds to 4 decimals, the precision of every number `stance` prints.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stance_of(text: &str) -> Stance {
        let lexicon = Lexicon::builtin();
        let scorer = Scorer::new(&lexicon);
        scorer
            .assess(text, None, &mut Scratch::default())
            .own
            .stance
    }

    #[test]
    fn the_five_decisions_of_issue_2() {
        assert_eq!(
            stance_of("After therapy ended we became good friends."),
            Stance::ProFriendship
        );
        assert_eq!(
            stance_of("Therapists should never be friends with their clients."),
            Stance::ProBoundary
        );
        assert_eq!(
            stance_of("I don't think a counselor can be your friend."),
            Stance::ProBoundary
        );
        assert_eq!(
            stance_of("There is nothing wrong with being friends once therapy is over."),
            Stance::ProFriendship
        );
        assert_eq!(stance_of("Thanks for the article."), Stance::Neutral);
    }

    #[test]
    fn decision_does_not_drift_with_repetition() {
        let d1 = decide(3.0, 1.0, 0.0);
        let d2 = decide(30.0, 10.0, 0.0);
        assert_eq!(d1.stance, d2.stance);
        assert_eq!(d1.confidence, d2.confidence);
    }

    #[test]
    fn negation_stops_at_clause_and_contrast() {
        assert_eq!(
            stance_of("I was not sure at first, but we became good friends."),
            Stance::ProFriendship
        );
    }
}
