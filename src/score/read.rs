//! Reading one comment on its own words: cue matches (negators, contrast, hedges, reply
//! cues), the context words (contrast, concession, questions, quotations; their factors are
//! worked out in `context.rs`), negation scope, and the evidence each category match adds up
//! to. `mod.rs` holds the types and the
//! decision; this file is the `Scorer` that fills them.

use super::context::{context_at, Turn};
use super::*;
use crate::lexicon::{Cue, Target, FRIENDSHIP};
use crate::tokenize::{
    normalize_word, Token, TokenBuffer, BEFORE_QUESTION_MARK, NEGATED_CONTRACTION,
};

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
        self.lexicon.tokenize(text, &mut scratch.tokens);
        self.lexicon
            .find_matches(&scratch.tokens, &mut scratch.codes, &mut scratch.matches);
        self.split_matches(scratch);
        // Sized once: growing them a push at a time cost more than filling them (#5).
        let mut assessment = Assessment {
            scores: vec![0.0; self.lexicon.categories.len()],
            evidence: Vec::with_capacity(scratch.category_matches.len()),
            cues: Vec::with_capacity(scratch.cue_matches.len()),
            hedge: 0.0,
            reply_cue: ReplyCue::None,
            own: decide(0.0, 0.0, 0.0),
        };
        self.read_cues(text, scratch, &mut assessment);
        read_context(text, scratch);
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

    /// Splits the matches into cue and category matches, looking each entry up once.
    fn split_matches(&self, scratch: &mut Scratch) {
        scratch.category_matches.clear();
        scratch.cue_matches.clear();
        for m in &scratch.matches {
            match self.lexicon.entries[m.entry as usize].target {
                Target::Cue(cue) => scratch.cue_matches.push(CueMatch {
                    cue,
                    entry: m.entry,
                    first: m.first,
                    last: m.last,
                }),
                Target::Category(_) => scratch.category_matches.push(*m),
            }
        }
    }

    /// Cue matches: negators, barriers to negation, hedges, the reply cue.
    fn read_cues(&self, text: &str, scratch: &mut Scratch, assessment: &mut Assessment) {
        let tokens = &scratch.tokens.tokens;
        let mut flags = 0;
        scratch.token_marks.clear();
        scratch.token_marks.extend(tokens.iter().map(|t| {
            flags |= t.flags;
            u8::from(t.has(NEGATED_CONTRACTION)) * mark::NEGATOR
        }));
        scratch.token_flags = flags;
        for h in &scratch.cue_matches {
            let (first, last) = (h.first as usize, h.last as usize);
            assessment.cues.push(CueHit {
                cue: h.cue,
                start: tokens[first].start,
                end: tokens[last].end,
            });
            let marks = &mut scratch.token_marks[first..=last];
            match h.cue {
                Cue::Negator => marks.iter_mut().for_each(|m| *m |= mark::NEGATOR),
                Cue::Contrast | Cue::Concession => {
                    marks.iter_mut().for_each(|m| *m |= mark::BARRIER)
                }
                Cue::Hedge => {
                    assessment.hedge += self.lexicon.entries[h.entry as usize].weight.max(0.0)
                }
                Cue::NotNegation | Cue::Agree | Cue::Disagree | Cue::Desire => {}
            }
            // Any other cue covering a contraction ("don't agree", "not only") means the
            // negator is part of a fixed phrase and negates nothing after it.
            if h.cue != Cue::Negator {
                marks.iter_mut().for_each(|m| *m &= !mark::NEGATOR);
            }
            let near_start = tokens[first].sentence < REPLY_CUE_SENTENCES;
            if near_start && assessment.reply_cue == ReplyCue::None {
                match h.cue {
                    Cue::Agree => assessment.reply_cue = ReplyCue::Agree,
                    Cue::Disagree => assessment.reply_cue = ReplyCue::Disagree,
                    _ => {}
                }
            }
        }
        if assessment.reply_cue == ReplyCue::None {
            assessment.reply_cue = one_word_reply(text, &scratch.tokens, &mut scratch.word);
        }
        // A negator inside a pole phrase belongs to that phrase ("can't be friends").
        for m in &scratch.category_matches {
            if m.last > m.first {
                scratch.token_marks[m.first as usize..=m.last as usize]
                    .iter_mut()
                    .for_each(|m| *m &= !mark::NEGATOR);
            }
        }
    }

    fn collect_evidence(&self, scratch: &mut Scratch, assessment: &mut Assessment) {
        let mut quote = None;
        for k in 0..scratch.category_matches.len() {
            let m = scratch.category_matches[k];
            let entry = &self.lexicon.entries[m.entry as usize];
            let Target::Category(category) = entry.target else {
                continue;
            };
            let (first, last) = (m.first as usize, m.last as usize);
            let is_pole = category <= FRIENDSHIP;
            let negator = governing_negator(scratch, first, is_pole);
            let (token_factor, mut modifiers) = context_at(scratch, first, &mut quote);
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
                token_factor
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
        self.lexicon
            .tokenize_author(author, &mut scratch.author_tokens);
        self.lexicon.find_author_matches(
            &scratch.author_tokens,
            &mut scratch.codes,
            &mut scratch.matches,
        );
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

/// Per-token context: the questions (and the rhetorical ones among them) and the contrast and
/// concession words whose factors `context_at` applies to category matches.
fn read_context(text: &str, scratch: &mut Scratch) {
    // Most comments hold no question: the passes for them are skipped (#5).
    if scratch.token_flags & BEFORE_QUESTION_MARK != 0 {
        read_questions(scratch);
    }
    // Contrast words re-mark their sentence; reading only the first few keeps a pathological
    // comment (a sentence of a million "but"s) linear.
    scratch.turns.clear();
    let mut turns = 0;
    for k in 0..scratch.cue_matches.len() {
        let h = scratch.cue_matches[k];
        if turns >= MAX_CONTRAST_WORDS {
            break;
        }
        let (first, last) = (h.first as usize, h.last as usize);
        let tokens = &scratch.tokens.tokens;
        match h.cue {
            Cue::Contrast if is_temporal_still(text, tokens, &mut scratch.word, first, last) => {}
            Cue::Contrast => scratch.turns.push(Turn::contrast(tokens, first, last)),
            Cue::Concession => scratch.turns.push(Turn::concession(tokens, first, last)),
            _ => continue,
        }
        turns += 1;
    }
}

/// Marks the sentences that end with a question mark. A question (or its clause after "but")
/// that opens with a negated verb is rhetorical and affirms ("Isn't this what makes us
/// human?"): its opening negator negates nothing.
fn read_questions(scratch: &mut Scratch) {
    let tokens = &scratch.tokens.tokens;
    let sentences = tokens.last().map_or(0, |t| t.sentence as usize + 1);
    let questions = &mut scratch.question_sentences;
    questions.clear();
    questions.resize(sentences, false);
    for t in tokens {
        if t.has(BEFORE_QUESTION_MARK) {
            questions[t.sentence as usize] = true;
        }
    }
    let marks = &mut scratch.token_marks;
    for (i, t) in tokens.iter().enumerate() {
        if !t.has(NEGATED_CONTRACTION) || !questions[t.sentence as usize] {
            continue;
        }
        let opens_sentence =
            i == 0 || tokens[i - 1].clause != t.clause || marks[i - 1] & mark::BARRIER != 0;
        if opens_sentence {
            marks[i] &= !mark::NEGATOR;
        }
    }
}

/// The normalized word of `token` (as [`Token::normalized`]), in `word`.
fn normalized<'w>(text: &str, token: &Token, word: &'w mut String) -> &'w str {
    word.clear();
    normalize_word(&text[token.start as usize..token.end as usize], word);
    word
}

/// A reply that opens with a one-word sentence of assent or dissent ("This.", "Nope.").
fn one_word_reply(text: &str, buf: &TokenBuffer, word: &mut String) -> ReplyCue {
    let opens_alone = match buf.tokens.get(1) {
        Some(second) => second.sentence > 0,
        None => !buf.tokens.is_empty(),
    };
    if !opens_alone {
        return ReplyCue::None;
    }
    match normalized(text, &buf.tokens[0], word) {
        "this" | "yes" | "yep" | "exactly" | "agreed" | "true" | "same" | "correct" => {
            ReplyCue::Agree
        }
        "no" | "nope" | "wrong" | "false" | "disagree" => ReplyCue::Disagree,
        _ => ReplyCue::None,
    }
}

/// `still` turns an argument only when it opens a clause ("Still, ..."); inside a clause it
/// is nearly always temporal ("we are still friends"), so it is not a contrast there.
fn is_temporal_still(
    text: &str,
    tokens: &[Token],
    word: &mut String,
    first: usize,
    last: usize,
) -> bool {
    let opens_clause = first == 0 || tokens[first - 1].clause != tokens[first].clause;
    first == last && !opens_clause && normalized(text, &tokens[first], word) == "still"
}

/// The negator governing a match starting at token `first`: the nearest negator before it
/// in its clause, within [`NEGATION_WINDOW_WORDS`], with no contrast word between. For pole
/// matches a negator governs only the first pole match after it ("you can't be friends with
/// someone you pay" negates `be friends`, not `someone you pay`), so pole matches consume the
/// negator they use. Negators are not counted for parity ("I don't treat friends and I don't
/// befriend clients" is two negations, not a double one); only two in a row cancel.
fn governing_negator(scratch: &mut Scratch, first: usize, consume: bool) -> Option<usize> {
    let tokens = &scratch.tokens.tokens;
    let marks = &mut scratch.token_marks;
    let clause = tokens[first].clause;
    let window = first.saturating_sub(NEGATION_WINDOW_WORDS)..first;
    let mut nearest = None;
    for i in window.rev() {
        if tokens[i].clause != clause || marks[i] & mark::BARRIER != 0 {
            break;
        }
        let is_used = consume && marks[i] & mark::NEGATOR_USED != 0;
        if marks[i] & mark::NEGATOR != 0 && !is_used {
            nearest = Some(i);
            break;
        }
    }
    let n = nearest?;
    if consume {
        marks[n] |= mark::NEGATOR_USED;
    }
    // "couldn't not have her in my life": two negators in a row cancel.
    let doubled = n > 0 && marks[n - 1] & mark::NEGATOR != 0 && tokens[n - 1].clause == clause;
    (!doubled).then_some(n)
}
