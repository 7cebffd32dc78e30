//! The context factor of one token: contrast and concession words, questions, quotations.
//!
//! `read.rs` finds the context words; this file says what they do to the token where a category
//! match starts. Factors are worked out only at those tokens, not kept for every token of the
//! comment: a comment has some 150 tokens and 15 matches, and filling per-token vectors was most
//! of the scoring work (#5). The result is the one a per-token pass would give: the latest turn
//! that re-marks the token sets its factor, then a question and a quotation multiply it.

use super::*;
use crate::tokenize::{Token, BEFORE_QUESTION_MARK, IN_QUOTE};

/// A contrast or concession word, and the tokens it re-marks. Sentence numbers never decrease
/// along the tokens, so "the rest of the sentence" is every later token of the same sentence.
#[derive(Debug, Clone, Copy)]
pub(super) enum Turn {
    /// A contrast word at tokens `first..=last`: boosts the rest of its sentence, discounts
    /// what came before it in the sentence (`discounted`: the whole previous sentence when it
    /// opens one).
    Contrast {
        first: u32,
        last: u32,
        sentence: u32,
        discounted: Option<u32>,
    },
    /// A concession word ending at token `last`: discounts the rest of its clause, boosts the
    /// rest of the sentence after it.
    Concession {
        last: u32,
        sentence: u32,
        clause: u32,
    },
}

impl Turn {
    /// A contrast word at tokens `first..=last`.
    pub(super) fn contrast(tokens: &[Token], first: usize, last: usize) -> Turn {
        let sentence = tokens[first].sentence;
        let opens_sentence = first == 0 || tokens[first - 1].sentence != sentence;
        let discounted = if opens_sentence {
            sentence.checked_sub(1)
        } else {
            Some(sentence)
        };
        Turn::Contrast {
            first: first as u32,
            last: last as u32,
            sentence,
            discounted,
        }
    }

    /// A concession word at tokens `first..=last`.
    pub(super) fn concession(tokens: &[Token], first: usize, last: usize) -> Turn {
        Turn::Concession {
            last: last as u32,
            sentence: tokens[first].sentence,
            clause: tokens[last].clause,
        }
    }

    /// The factor and modifier bit this turn gives token `i` (`t`), when it re-marks it.
    fn mark(&self, i: usize, t: &Token) -> Option<(f64, u16)> {
        match *self {
            Turn::Contrast {
                first,
                last,
                sentence,
                discounted,
            } => {
                if i < first as usize && Some(t.sentence) == discounted {
                    Some((CONTRAST_DISCOUNT, modifier::BEFORE_CONTRAST))
                } else if i > last as usize && t.sentence == sentence {
                    Some((CONTRAST_BOOST, modifier::AFTER_CONTRAST))
                } else {
                    None
                }
            }
            Turn::Concession {
                last,
                sentence,
                clause,
            } => {
                if i <= last as usize || t.sentence != sentence {
                    None
                } else if t.clause == clause {
                    Some((CONTRAST_DISCOUNT, modifier::CONCEDED))
                } else {
                    Some((CONTRAST_BOOST, modifier::AFTER_CONTRAST))
                }
            }
        }
    }
}

/// A run of quoted tokens `start..end`, and the factor and modifier bit it gives them.
#[derive(Debug, Clone, Copy)]
pub(super) struct QuoteRun {
    start: usize,
    end: usize,
    factor: f64,
    bit: u16,
}

/// The context factor and modifier bits of token `i`. `quote` keeps the last quotation read,
/// so that matches read in text order read each quotation once.
pub(super) fn context_at(scratch: &Scratch, i: usize, quote: &mut Option<QuoteRun>) -> (f64, u16) {
    let t = &scratch.tokens.tokens[i];
    // Contrast marks do not compound: the latest contrast word decides whether a token is
    // before or after the turn.
    let (mut factor, mut modifiers) = scratch
        .turns
        .iter()
        .rev()
        .find_map(|turn| turn.mark(i, t))
        .unwrap_or((1.0, 0));
    if scratch.token_flags & BEFORE_QUESTION_MARK != 0
        && scratch.question_sentences[t.sentence as usize]
    {
        factor *= QUESTION_FACTOR;
        modifiers |= modifier::QUESTION;
    }
    if t.has(IN_QUOTE) {
        let run = match *quote {
            Some(run) if (run.start..run.end).contains(&i) => run,
            _ => *quote.insert(read_quote(scratch, i)),
        };
        factor *= run.factor;
        modifiers |= run.bit;
    }
    (factor, modifiers)
}

/// The quotation around token `i`: the writer's own when they agree right after it (same or
/// next sentence: "“There are reasons for boundaries.” Agreed!"), an attack when they disagree
/// right after it or deny it at once (`"it worked for me" isn't an argument`), and someone
/// else's words otherwise.
fn read_quote(scratch: &Scratch, i: usize) -> QuoteRun {
    let tokens = &scratch.tokens.tokens;
    let start = tokens[..i]
        .iter()
        .rposition(|t| !t.has(IN_QUOTE))
        .map_or(0, |k| k + 1);
    let end = tokens[i..]
        .iter()
        .position(|t| !t.has(IN_QUOTE))
        .map_or(tokens.len(), |k| i + k);
    let last_sentence = tokens[end - 1].sentence;
    // Cue matches are in text order: the ones after the quotation, up to the next sentence.
    let after = scratch
        .cue_matches
        .partition_point(|h| (h.first as usize) < end);
    let answers = scratch.cue_matches[after..]
        .iter()
        .take_while(|h| tokens[h.first as usize].sentence <= last_sentence + 1);
    let answered = |cue: Cue| answers.clone().any(|h| h.cue == cue);
    let denied = end < tokens.len()
        && scratch.token_marks[end] & mark::NEGATOR != 0
        && tokens[end].sentence == last_sentence;
    let (factor, bit) = if answered(Cue::Agree) {
        (1.0, modifier::QUOTE_ENDORSED)
    } else if denied || answered(Cue::Disagree) {
        (1.0, modifier::QUOTE_ATTACKED)
    } else {
        (QUOTE_FACTOR, modifier::QUOTED)
    };
    QuoteRun {
        start,
        end,
        factor,
        bit,
    }
}
