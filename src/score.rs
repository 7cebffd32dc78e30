//! Tokens + lexicon -> per-category scores, evidence, and the stance decision.
//!
//! [`Scorer::assess`] reads one comment on its own: every lexicon match becomes a piece of
//! [`Evidence`] whose value is its weight times the context factors (contrast, concession,
//! quotation, question) and which counts for its category, or for the other pole when a
//! negator governs it. [`decide`] turns the two pole sums into a stance; [`resolve`] then
//! applies the reply rules, which need the parent's final stance and so run in input order
//! outside the parallel part (see `pipeline`). The decision rule is documented in README
//! "How decisions are made"; the constants below are its knobs.

use crate::lexicon::{Cue, Lexicon, Match, Target, BOUNDARY, FRIENDSHIP};
use crate::tokenize::{tokenize, TokenBuffer, BEFORE_QUESTION_MARK, IN_QUOTE, NEGATED_CONTRACTION};

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
    matches: Vec<Match>,
    token_factor: Vec<f64>,
    token_modifiers: Vec<u16>,
    is_negator: Vec<bool>,
    is_barrier: Vec<bool>,
    negator_used: Vec<bool>,
    question_sentences: Vec<bool>,
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

impl<'a> Scorer<'a> {
    /// A scorer over `lexicon`.
    pub fn new(lexicon: &'a Lexicon) -> Scorer<'a> {
        Scorer {
            lexicon,
            harm_story: lexicon.category_index(crate::lexicon::HARM_STORY),
        }
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &'a Lexicon {
        self.lexicon
    }

    /// Reads one comment on its own words (and author field).
    pub fn assess(&self, text: &str, author: Option<&str>, scratch: &mut Scratch) -> Assessment {
        tokenize(text, &mut scratch.tokens);
        self.lexicon
            .find_matches(&scratch.tokens, &mut scratch.matches);
        let mut assessment = Assessment {
            scores: vec![0.0; self.lexicon.categories.len()],
            evidence: Vec::new(),
            cues: Vec::new(),
            hedge: 0.0,
            reply_cue: ReplyCue::None,
            own: decide(0.0, 0.0, 0.0),
        };
        self.read_cues(scratch, &mut assessment);
        self.read_context(scratch, &assessment);
        self.collect_evidence(scratch, &mut assessment);
        if let Some(author) = author {
            self.collect_author_evidence(author, scratch, &mut assessment);
        }
        self.read_harm_narrative(&scratch.tokens, &mut assessment);
        assessment.own = decide(
            assessment.scores[BOUNDARY],
            assessment.scores[FRIENDSHIP],
            assessment.hedge,
        );
        assessment
    }

    /// Cue matches: negators, barriers to negation, hedges, the reply cue.
    fn read_cues(&self, scratch: &mut Scratch, assessment: &mut Assessment) {
        let tokens = &scratch.tokens.tokens;
        let n = tokens.len();
        scratch.is_negator.clear();
        scratch
            .is_negator
            .extend(tokens.iter().map(|t| t.has(NEGATED_CONTRACTION)));
        scratch.is_barrier.clear();
        scratch.is_barrier.resize(n, false);
        for m in &scratch.matches {
            let entry = &self.lexicon.entries[m.entry as usize];
            let Target::Cue(cue) = entry.target else {
                continue;
            };
            let (first, last) = (m.first as usize, m.last as usize);
            assessment.cues.push(CueHit {
                cue,
                start: tokens[first].start,
                end: tokens[last].end,
            });
            match cue {
                Cue::Negator => scratch.is_negator[first..=last].fill(true),
                Cue::Contrast | Cue::Concession => scratch.is_barrier[first..=last].fill(true),
                Cue::Hedge => assessment.hedge += entry.weight.max(0.0),
                Cue::NotNegation | Cue::Agree | Cue::Disagree | Cue::Desire => {}
            }
            // Any other cue covering a contraction ("don't agree", "not only") means the
            // negator is part of a fixed phrase and negates nothing after it.
            if cue != Cue::Negator {
                scratch.is_negator[first..=last].fill(false);
            }
            let near_start = tokens[first].sentence < REPLY_CUE_SENTENCES;
            if near_start && assessment.reply_cue == ReplyCue::None {
                match cue {
                    Cue::Agree => assessment.reply_cue = ReplyCue::Agree,
                    Cue::Disagree => assessment.reply_cue = ReplyCue::Disagree,
                    _ => {}
                }
            }
        }
        if assessment.reply_cue == ReplyCue::None {
            assessment.reply_cue = one_word_reply(&scratch.tokens);
        }
        // A negator inside a pole phrase belongs to that phrase ("can't be friends").
        for m in &scratch.matches {
            if let Target::Category(_) = self.lexicon.entries[m.entry as usize].target {
                if m.last > m.first {
                    scratch.is_negator[m.first as usize..=m.last as usize].fill(false);
                }
            }
        }
    }

    /// Per-token context factors: contrast, concession, questions, quotations.
    fn read_context(&self, scratch: &mut Scratch, assessment: &Assessment) {
        let tokens = &scratch.tokens.tokens;
        let n = tokens.len();
        scratch.token_factor.clear();
        scratch.token_factor.resize(n, 1.0);
        scratch.token_modifiers.clear();
        scratch.token_modifiers.resize(n, 0);
        let sentences = tokens.last().map_or(0, |t| t.sentence as usize + 1);
        scratch.question_sentences.clear();
        scratch.question_sentences.resize(sentences, false);
        for t in tokens {
            if t.has(BEFORE_QUESTION_MARK) {
                scratch.question_sentences[t.sentence as usize] = true;
            }
        }
        // A question (or its clause after "but") that opens with a negated verb is rhetorical and affirms ("Isn't this what
        // makes us human?"): its opening negator negates nothing.
        for (i, t) in tokens.iter().enumerate() {
            let opens_sentence =
                i == 0 || tokens[i - 1].clause != t.clause || scratch.is_barrier[i - 1];
            if opens_sentence
                && t.has(NEGATED_CONTRACTION)
                && scratch.question_sentences[t.sentence as usize]
            {
                scratch.is_negator[i] = false;
            }
        }
        // Contrast words re-mark their sentence; reading only the first few keeps a pathological
        // comment (a sentence of a million "but"s) linear.
        let mut turns = 0;
        for k in 0..scratch.matches.len() {
            let m = scratch.matches[k];
            let Target::Cue(cue) = self.lexicon.entries[m.entry as usize].target else {
                continue;
            };
            let (first, last) = (m.first as usize, m.last as usize);
            if turns >= MAX_CONTRAST_WORDS {
                break;
            }
            match cue {
                Cue::Contrast if is_temporal_still(scratch, first, last) => {}
                Cue::Contrast => mark_contrast(scratch, first, last),
                Cue::Concession => mark_concession(scratch, first, last),
                _ => continue,
            }
            turns += 1;
        }
        let tokens = &scratch.tokens.tokens;
        for (i, t) in tokens.iter().enumerate() {
            if scratch.question_sentences[t.sentence as usize] {
                scratch.token_factor[i] *= QUESTION_FACTOR;
                scratch.token_modifiers[i] |= modifier::QUESTION;
            }
        }
        // Quotations, a run at a time: the writer's own when they agree right after it (same
        // or next sentence: "“There are reasons for boundaries.” Agreed!"), an attack when they
        // disagree right after it or deny it at once (`"it worked for me" isn't an argument`),
        // and someone else's words otherwise.
        let cue_token = |cue: Cue| -> Vec<usize> {
            assessment
                .cues
                .iter()
                .filter(|h| h.cue == cue)
                .map(|h| tokens.partition_point(|x| x.start < h.start))
                .collect()
        };
        let (agrees, disagrees) = (cue_token(Cue::Agree), cue_token(Cue::Disagree));
        let mut i = 0;
        while i < tokens.len() {
            if !tokens[i].has(IN_QUOTE) {
                i += 1;
                continue;
            }
            let end = tokens[i..]
                .iter()
                .position(|x| !x.has(IN_QUOTE))
                .map_or(tokens.len(), |k| i + k);
            let last_sentence = tokens[end - 1].sentence;
            let answered = |at: &[usize]| {
                at.iter().any(|&a| {
                    a >= end && a < tokens.len() && tokens[a].sentence <= last_sentence + 1
                })
            };
            let denied = end < tokens.len()
                && scratch.is_negator[end]
                && tokens[end].sentence == last_sentence;
            let (factor, bit) = if answered(&agrees) {
                (1.0, modifier::QUOTE_ENDORSED)
            } else if denied || answered(&disagrees) {
                (1.0, modifier::QUOTE_ATTACKED)
            } else {
                (QUOTE_FACTOR, modifier::QUOTED)
            };
            for k in i..end {
                scratch.token_factor[k] *= factor;
                scratch.token_modifiers[k] |= bit;
            }
            i = end;
        }
    }

    fn collect_evidence(&self, scratch: &mut Scratch, assessment: &mut Assessment) {
        scratch.negator_used.clear();
        scratch
            .negator_used
            .resize(scratch.tokens.tokens.len(), false);
        for k in 0..scratch.matches.len() {
            let m = scratch.matches[k];
            let entry = &self.lexicon.entries[m.entry as usize];
            let Target::Category(category) = entry.target else {
                continue;
            };
            let (first, last) = (m.first as usize, m.last as usize);
            let is_pole = category <= FRIENDSHIP;
            let negator = governing_negator(scratch, first, is_pole);
            let mut modifiers = scratch.token_modifiers[first];
            let tokens = &scratch.tokens.tokens;
            let mut flips = negator.is_some();
            if modifiers & modifier::QUOTE_ATTACKED != 0 {
                flips = !flips;
            }
            if negator.is_some() {
                modifiers |= modifier::NEGATED;
            }
            if entry.negation_keeps_pole && negator.is_some() {
                flips = !flips;
            }
            let counts_for = match (is_pole, flips) {
                (true, true) => Some(1 - category),
                (true, false) => Some(category),
                (false, true) => None,
                (false, false) => Some(category),
            };
            // Contrast and questions weigh a stance argument; whether the writer is a clinician
            // or tells a harm story does not depend on them, so flags keep full weight there.
            let factor = if is_pole {
                scratch.token_factor[first]
            } else if modifiers & modifier::QUOTED != 0 {
                QUOTE_FACTOR
            } else {
                1.0
            };
            if !is_pole {
                modifiers &= modifier::NEGATED | modifier::QUOTED;
            }
            let value = if counts_for.is_some() {
                entry.weight * factor
            } else {
                0.0
            };
            if let Some(c) = counts_for {
                assessment.scores[c] += value;
            }
            assessment.evidence.push(Evidence {
                entry: m.entry,
                start: tokens[first].start,
                end: tokens[last].end,
                negator_start: negator.map(|i| tokens[i].start),
                counts_for,
                factor,
                value,
                modifiers,
            });
        }
    }

    /// In a harm story the writer's friendship with a therapist is what hurt them: friendship
    /// that happened counts for pro_boundary, and friendship refused ("we could never be
    /// friends") for pro_friendship (LABELS.md: a boundary crossing that went wrong is
    /// pro-boundary). When the writer also hedges ("it depends", "be careful"), the story is
    /// a friendship that worked with a warning, which LABELS.md calls mixed: its friendship
    /// evidence then counts both ways. Only the built-in `harm_story` flag does this.
    fn read_harm_narrative(&self, buf: &TokenBuffer, a: &mut Assessment) {
        let Some(harm) = self.harm_story else {
            return;
        };
        if a.scores[harm] < self.lexicon.categories[harm].threshold {
            return;
        }
        let hedged = a.hedge > 0.0;
        let sentence_at = |offset: u32| {
            let i = buf.tokens.partition_point(|t| t.start < offset);
            buf.tokens.get(i).map_or(u32::MAX, |t| t.sentence)
        };
        let desires: Vec<(u32, u32)> = a
            .cues
            .iter()
            .filter(|h| h.cue == Cue::Desire)
            .map(|h| (h.start, sentence_at(h.start)))
            .collect();
        let mut added = Vec::new();
        for e in &mut a.evidence {
            let own = self.lexicon.entries[e.entry as usize].target;
            if own != Target::Category(FRIENDSHIP) || e.modifiers & modifier::AUTHOR != 0 {
                continue;
            }
            // "I asked if we could stay in touch": wanted, and refused, not lived.
            let sentence = sentence_at(e.start);
            if desires.iter().any(|&(at, s)| at < e.start && s == sentence) {
                continue;
            }
            let Some(counted) = e.counts_for else {
                continue;
            };
            let other = 1 - counted;
            if hedged {
                let mut both = e.clone();
                both.counts_for = Some(other);
                both.modifiers |= modifier::HARM_NARRATIVE;
                a.scores[other] += e.value;
                added.push(both);
            } else {
                a.scores[counted] -= e.value;
                a.scores[other] += e.value;
                e.counts_for = Some(other);
                e.modifiers |= modifier::HARM_NARRATIVE;
            }
        }
        a.evidence.extend(added);
    }

    fn collect_author_evidence(&self, author: &str, scratch: &mut Scratch, a: &mut Assessment) {
        tokenize(author, &mut scratch.author_tokens);
        self.lexicon
            .find_author_matches(&scratch.author_tokens, &mut scratch.matches);
        for m in &scratch.matches {
            let entry = &self.lexicon.entries[m.entry as usize];
            let Target::Category(category) = entry.target else {
                continue;
            };
            let tokens = &scratch.author_tokens.tokens;
            a.scores[category] += entry.weight;
            a.evidence.push(Evidence {
                entry: m.entry,
                start: tokens[m.first as usize].start,
                end: tokens[m.last as usize].end,
                negator_start: None,
                counts_for: Some(category),
                factor: 1.0,
                value: entry.weight,
                modifiers: modifier::AUTHOR,
            });
        }
    }
}

/// A reply that opens with a one-word sentence of assent or dissent ("This.", "Nope.").
fn one_word_reply(buf: &TokenBuffer) -> ReplyCue {
    let opens_alone = match buf.tokens.get(1) {
        Some(second) => second.sentence > 0,
        None => !buf.tokens.is_empty(),
    };
    if !opens_alone {
        return ReplyCue::None;
    }
    match buf.word(0) {
        "this" | "yes" | "yep" | "exactly" | "agreed" | "true" | "same" | "correct" => {
            ReplyCue::Agree
        }
        "no" | "nope" | "wrong" | "false" | "disagree" => ReplyCue::Disagree,
        _ => ReplyCue::None,
    }
}

/// `still` turns an argument only when it opens a clause ("Still, ..."); inside a clause it
/// is nearly always temporal ("we are still friends"), so it is not a contrast there.
fn is_temporal_still(scratch: &Scratch, first: usize, last: usize) -> bool {
    let tokens = &scratch.tokens.tokens;
    let opens_clause = first == 0 || tokens[first - 1].clause != tokens[first].clause;
    first == last && scratch.tokens.word(first) == "still" && !opens_clause
}

/// A contrast word at tokens `first..=last`: boost the rest of its sentence, discount what
/// came before it in the sentence (or the whole previous sentence when it opens one).
fn mark_contrast(scratch: &mut Scratch, first: usize, last: usize) {
    let tokens = &scratch.tokens.tokens;
    let marks = &mut ContrastMarks {
        factor: &mut scratch.token_factor,
        modifiers: &mut scratch.token_modifiers,
    };
    let sentence = tokens[first].sentence;
    let opens_sentence = first == 0 || tokens[first - 1].sentence != sentence;
    let discounted = if opens_sentence {
        sentence.checked_sub(1)
    } else {
        Some(sentence)
    };
    for (i, t) in tokens[..first].iter().enumerate() {
        if Some(t.sentence) == discounted {
            marks.set(i, CONTRAST_DISCOUNT, modifier::BEFORE_CONTRAST);
        }
    }
    let after = tokens[last + 1..]
        .iter()
        .take_while(|t| t.sentence == sentence);
    for (i, _) in after.enumerate() {
        marks.set(last + 1 + i, CONTRAST_BOOST, modifier::AFTER_CONTRAST);
    }
}

/// Per-token contrast factors being marked.
struct ContrastMarks<'a> {
    factor: &'a mut [f64],
    modifiers: &'a mut [u16],
}

impl ContrastMarks<'_> {
    /// Contrast marks do not compound: the latest contrast word decides whether a token is
    /// before or after the turn (contrast words are processed left to right).
    fn set(&mut self, token: usize, factor: f64, bit: u16) {
        const CONTRAST_BITS: u16 =
            modifier::BEFORE_CONTRAST | modifier::AFTER_CONTRAST | modifier::CONCEDED;
        self.factor[token] = factor;
        self.modifiers[token] = (self.modifiers[token] & !CONTRAST_BITS) | bit;
    }
}

/// A concession word at tokens `first..=last`: discount its clause, boost the rest of the
/// sentence after it.
fn mark_concession(scratch: &mut Scratch, first: usize, last: usize) {
    let tokens = &scratch.tokens.tokens;
    let marks = &mut ContrastMarks {
        factor: &mut scratch.token_factor,
        modifiers: &mut scratch.token_modifiers,
    };
    let (sentence, clause) = (tokens[first].sentence, tokens[last].clause);
    let rest = tokens[last + 1..]
        .iter()
        .take_while(|t| t.sentence == sentence);
    for (i, t) in rest.enumerate() {
        if t.clause == clause {
            marks.set(last + 1 + i, CONTRAST_DISCOUNT, modifier::CONCEDED);
        } else {
            marks.set(last + 1 + i, CONTRAST_BOOST, modifier::AFTER_CONTRAST);
        }
    }
}

/// The negator governing a match starting at token `first`: the nearest negator before it
/// in its clause, within [`NEGATION_WINDOW_WORDS`], with no contrast word between. For pole
/// matches a negator governs only the first pole match after it ("you can't be friends with
/// someone you pay" negates `be friends`, not `someone you pay`), so pole matches consume the
/// negator they use. Negators are not counted for parity ("I don't treat friends and I don't
/// befriend clients" is two negations, not a double one); only two in a row cancel.
fn governing_negator(scratch: &mut Scratch, first: usize, consume: bool) -> Option<usize> {
    let tokens = &scratch.tokens.tokens;
    let clause = tokens[first].clause;
    let window = first.saturating_sub(NEGATION_WINDOW_WORDS)..first;
    let mut nearest = None;
    for i in window.rev() {
        if tokens[i].clause != clause || scratch.is_barrier[i] {
            break;
        }
        if scratch.is_negator[i] && !(consume && scratch.negator_used[i]) {
            nearest = Some(i);
            break;
        }
    }
    let n = nearest?;
    if consume {
        scratch.negator_used[n] = true;
    }
    // "couldn't not have her in my life": two negators in a row cancel.
    let doubled = n > 0 && scratch.is_negator[n - 1] && tokens[n - 1].clause == clause;
    (!doubled).then_some(n)
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
