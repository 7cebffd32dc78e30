//! Reading one comment on its own words: cue matches (negators, contrast, hedges, reply
//! cues), per-token context factors (contrast, concession, questions, quotations), negation
//! scope, and the evidence each category match adds up to. `mod.rs` holds the types and the
//! decision; this file is the `Scorer` that fills them.

use super::*;
use crate::lexicon::{Cue, Target, FRIENDSHIP};
use crate::tokenize::{TokenBuffer, BEFORE_QUESTION_MARK, IN_QUOTE, NEGATED_CONTRACTION};
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
        let mut assessment = Assessment {
            scores: vec![0.0; self.lexicon.categories.len()],
            evidence: Vec::new(),
            cues: Vec::new(),
            hedge: 0.0,
            reply_cue: ReplyCue::None,
            own: decide(0.0, 0.0, 0.0),
        };
        self.read_cues(text, scratch, &mut assessment);
        self.read_context(text, scratch, &assessment);
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
    fn read_cues(&self, text: &str, scratch: &mut Scratch, assessment: &mut Assessment) {
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
            assessment.reply_cue = one_word_reply(text, &scratch.tokens);
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
    fn read_context(&self, text: &str, scratch: &mut Scratch, assessment: &Assessment) {
        let tokens = &scratch.tokens.tokens;
        let n = tokens.len();
        scratch.token_factor.clear();
        scratch.token_factor.resize(n, 1.0);
        scratch.token_modifiers.clear();
        scratch.token_modifiers.resize(n, 0);
        let sentences = tokens.last().map_or(0, |t| t.sentence as usize + 1);
        scratch.question_sentences.clear();
        scratch.question_sentences.resize(sentences, false);
        // Most comments hold no question and no quotation: the passes for them are skipped (#5).
        let (mut has_question, mut has_quote) = (false, false);
        for t in tokens {
            if t.has(BEFORE_QUESTION_MARK) {
                scratch.question_sentences[t.sentence as usize] = true;
                has_question = true;
            }
            has_quote |= t.has(IN_QUOTE);
        }
        // A question (or its clause after "but") that opens with a negated verb is rhetorical and affirms ("Isn't this what
        // makes us human?"): its opening negator negates nothing.
        if has_question {
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
                Cue::Contrast if is_temporal_still(text, scratch, first, last) => {}
                Cue::Contrast => mark_contrast(scratch, first, last),
                Cue::Concession => mark_concession(scratch, first, last),
                _ => continue,
            }
            turns += 1;
        }
        let tokens = &scratch.tokens.tokens;
        if has_question {
            for (i, t) in tokens.iter().enumerate() {
                if scratch.question_sentences[t.sentence as usize] {
                    scratch.token_factor[i] *= QUESTION_FACTOR;
                    scratch.token_modifiers[i] |= modifier::QUESTION;
                }
            }
        }
        if !has_quote {
            return;
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

/// A reply that opens with a one-word sentence of assent or dissent ("This.", "Nope.").
fn one_word_reply(text: &str, buf: &TokenBuffer) -> ReplyCue {
    let opens_alone = match buf.tokens.get(1) {
        Some(second) => second.sentence > 0,
        None => !buf.tokens.is_empty(),
    };
    if !opens_alone {
        return ReplyCue::None;
    }
    match buf.tokens[0].normalized(text).as_str() {
        "this" | "yes" | "yep" | "exactly" | "agreed" | "true" | "same" | "correct" => {
            ReplyCue::Agree
        }
        "no" | "nope" | "wrong" | "false" | "disagree" => ReplyCue::Disagree,
        _ => ReplyCue::None,
    }
}

/// `still` turns an argument only when it opens a clause ("Still, ..."); inside a clause it
/// is nearly always temporal ("we are still friends"), so it is not a contrast there.
fn is_temporal_still(text: &str, scratch: &Scratch, first: usize, last: usize) -> bool {
    let tokens = &scratch.tokens.tokens;
    let opens_clause = first == 0 || tokens[first - 1].clause != tokens[first].clause;
    first == last && !opens_clause && tokens[first].normalized(text) == "still"
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
