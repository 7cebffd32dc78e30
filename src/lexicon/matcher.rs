//! The compiled form of a lexicon's phrases: an automaton over words, built once.
//!
//! Every entry is a sequence of whole normalized words, the last one possibly a prefix
//! (`friend*`). So matching works on words, not bytes: each distinct phrase word gets a code,
//! a comment's words are looked up once each while they are tokenized (the matcher is the
//! tokenizer's [`WordCoder`]: one hash probe per word), and a trie over word codes walks from
//! every token for the phrases that start there ([`PhraseMatcher::find`]). This replaced one Aho-Corasick automaton over the normalized text
//! (~3,900 phrases made a 7 MB DFA: a cache miss on most bytes, the largest cost of a run;
//! #5) and finds exactly the same matches: a phrase matched there iff its words equal the
//! tokens' normalized words.
//!
//! Prefix entries: their last words ("stems") are matched with a small anchored Aho-Corasick
//! DFA over the token's normalized bytes, and only for tokens that are not phrase words
//! themselves; a prefix phrase is compiled once per phrase word and per stem that its stem
//! begins, so a token's single code (its own word, or else its longest stem) reaches every
//! prefix phrase it should. This module knows words and codes, not categories or cues.

use std::collections::{HashMap, HashSet};

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use rustc_hash::FxHashMap;

use crate::tokenize::{pack_word, padded, Token, WordCoder};

/// Code of a token that is neither a phrase word nor begins with a stem.
const UNKNOWN: u32 = 0;

/// A phrase to compile: its normalized words, whether the last is a prefix, and its id.
pub(super) struct Phrase<'a> {
    /// Normalized words joined by single spaces.
    pub(super) text: &'a str,
    /// Whether the last word is a prefix.
    pub(super) is_prefix: bool,
    /// What a match reports (an entry index).
    pub(super) id: u32,
}

/// One phrase found: its id and the tokens it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PhraseMatch {
    pub(super) id: u32,
    pub(super) first: u32,
    pub(super) last: u32,
}

/// Phrases compiled to a trie over word codes.
#[derive(Debug)]
pub(super) struct PhraseMatcher {
    /// Phrase word -> code (1..), for words of up to 8 bytes, keyed by [`WordKey`] (one
    /// integer hash and compare per token instead of hashing and comparing strings; #5).
    small_words: SmallWords,
    /// The same for words of 9 to 16 bytes.
    short_words: FxHashMap<u128, u32>,
    /// Phrase word -> code for longer words.
    long_words: FxHashMap<Box<str>, u32>,
    /// Stems of prefix phrases, as an anchored automaton; pattern `k` has code `stem_codes[k]`.
    stems: Option<DFA>,
    /// Rules out most words before the stem automaton runs.
    stem_starts: StemStarts,
    stem_codes: Vec<u32>,
    stem_lengths: Vec<usize>,
    /// The root's children by word code (0: none), so the step every token takes is an index.
    /// Children are `node << 1 | 1 if phrases end at node`.
    root: Vec<u32>,
    /// The other trie edges: (node, word code) -> child, as in `root`. Node 0 is the root.
    edges: FxHashMap<u64, u32>,
    /// A bit per [`edge_bit`] of every edge: most steps past the first word fail, and the
    /// bit says so without a hash-map probe (#5).
    edge_bits: Vec<u64>,
    /// Phrase ids ending at each node: `ids[ends[n].0 .. ends[n].1]`.
    ends: Vec<(u32, u32)>,
    ids: Vec<u32>,
}

impl PhraseMatcher {
    /// Compiles `phrases` (non-empty words joined by single spaces).
    pub(super) fn build(phrases: &[Phrase<'_>]) -> PhraseMatcher {
        let vocabulary = Vocabulary::collect(phrases);
        let (mut edges, ends, ids) = vocabulary.compile_trie(phrases);
        // Child references carry a "phrases end here" bit, so a step that ends no phrase does
        // not read `ends` (#5).
        for child in edges.values_mut() {
            let (from, to) = ends[*child as usize];
            *child = (*child << 1) | u32::from(to > from);
        }
        let mut root = vec![0; vocabulary.codes()];
        for (&(node, code), &child) in &edges {
            if node == 0 {
                root[code as usize] = child;
            }
        }
        let mut edge_bits = vec![0u64; EDGE_BITS / 64];
        for &(node, code) in edges.keys() {
            let bit = edge_bit(node, code);
            edge_bits[bit / 64] |= 1 << (bit % 64);
        }
        let edges = edges
            .into_iter()
            .map(|((node, code), child)| (edge_key(node, code), child))
            .collect();
        let stem_lengths = vocabulary.stems.iter().map(|s| s.len()).collect();
        let stem_starts = StemStarts::new(&vocabulary.stems);
        let stem_codes = vocabulary.stem_codes();
        let stems = (!vocabulary.stems.is_empty()).then(|| {
            DFA::builder()
                .match_kind(MatchKind::Standard)
                .start_kind(StartKind::Anchored)
                .build(&vocabulary.stems)
                .expect("stems are short plain strings, far under automaton limits")
        });
        let mut small_words = Vec::new();
        let mut short_words = FxHashMap::default();
        let mut long_words = FxHashMap::default();
        for (word, code) in vocabulary.words {
            match WordKey::of(word.as_bytes(), 0, word.len()) {
                WordKey::Small(key) => small_words.push((key, code)),
                WordKey::Short(key) => {
                    short_words.insert(key, code);
                }
                WordKey::Long => {
                    long_words.insert(word.into(), code);
                }
            }
        }
        PhraseMatcher {
            root,
            edge_bits,
            small_words: SmallWords::new(&small_words),
            short_words,
            long_words,
            stems,
            stem_codes,
            stem_lengths,
            stem_starts,
            edges,
            ends,
            ids,
        }
    }

    /// Calls `found` for every occurrence of every phrase over `tokens` (overlapping ones
    /// included), in order of first token. The tokens must have been coded by this matcher.
    /// `starts` is scratch space.
    ///
    /// Most tokens begin some phrase (`i`, `my`, `be`...), but few walks get past the first
    /// word. So a first pass, without branches, keeps the tokens from which a walk can report
    /// anything: a phrase ends at their word, or the next word may step on. The walks then
    /// run from those alone. Walking from every token, whether to go on was a branch the
    /// predictor missed at one token in four (#5).
    pub(super) fn find(
        &self,
        tokens: &[Token],
        starts: &mut Vec<u32>,
        mut found: impl FnMut(PhraseMatch),
    ) {
        starts.clear();
        starts.resize(tokens.len(), 0);
        let mut kept = 0;
        let mut child = tokens.first().map_or(0, |t| self.root[t.code as usize]);
        for (index, next) in tokens.iter().skip(1).enumerate() {
            let next_child = self.root[next.code as usize];
            let may_step = (child != 0) & self.may_have_edge(child >> 1, next.code);
            starts[kept] = index as u32;
            kept += usize::from((child & 1 != 0) | may_step);
            child = next_child;
        }
        if let Some(last) = tokens.len().checked_sub(1) {
            starts[kept] = last as u32;
            kept += usize::from(child & 1 != 0);
        }
        starts.truncate(kept);
        for &first in starts.iter() {
            let first = first as usize;
            let mut next = self.root[tokens[first].code as usize];
            let mut last = first;
            while next != 0 {
                let node = next >> 1;
                if next & 1 != 0 {
                    let (from, to) = self.ends[node as usize];
                    for &id in &self.ids[from as usize..to as usize] {
                        found(PhraseMatch {
                            id,
                            first: first as u32,
                            last: last as u32,
                        });
                    }
                }
                last += 1;
                let Some(token) = tokens.get(last) else {
                    break;
                };
                next = self.step(node, token.code);
            }
        }
    }

    /// The child of `node` by word `code` (0: none), as stored in `edges`.
    #[inline(always)]
    fn step(&self, node: u32, code: u32) -> u32 {
        if code == UNKNOWN || !self.may_have_edge(node, code) {
            return 0;
        }
        self.edges.get(&edge_key(node, code)).copied().unwrap_or(0)
    }

    /// False when there is surely no edge `(node, code)`.
    #[inline(always)]
    fn may_have_edge(&self, node: u32, code: u32) -> bool {
        let bit = edge_bit(node, code);
        self.edge_bits[bit / 64] & (1 << (bit % 64)) != 0
    }
}

impl WordCoder for PhraseMatcher {
    /// The code of the normalized word `text[start..end]`: its own, or its longest stem's, or
    /// [`UNKNOWN`].
    #[inline(always)]
    fn code(&self, text: &[u8], start: usize, end: usize) -> u32 {
        let word = &text[start..end];
        let own = match WordKey::of(text, start, end) {
            WordKey::Small(key) => return self.code_packed(key, word.len()),
            WordKey::Short(key) => self.short_words.get(&key),
            WordKey::Long => std::str::from_utf8(word)
                .ok()
                .and_then(|w| self.long_words.get(w)),
        };
        match own {
            Some(&code) => code,
            None => self.stem_code(word),
        }
    }

    #[inline(always)]
    fn code_packed(&self, packed: u64, len: usize) -> u32 {
        match self.small_words.get(packed) {
            UNKNOWN => self.stem_code(&packed.to_le_bytes()[..len]),
            code => code,
        }
    }

    #[inline(always)]
    fn own_code_packed(&self, packed: u64) -> u32 {
        self.small_words.get(packed)
    }

    #[inline(always)]
    fn other_code_packed(&self, packed: u64, len: usize) -> u32 {
        self.stem_code(&packed.to_le_bytes()[..len])
    }
}

impl PhraseMatcher {
    /// The code of the longest stem that `word` begins with, or [`UNKNOWN`].
    fn stem_code(&self, word: &[u8]) -> u32 {
        let Some(stems) = &self.stems else {
            return UNKNOWN;
        };
        if !self.stem_starts.may_start(word) {
            return UNKNOWN;
        }
        let Ok(mut state) = stems.start_state(Anchored::Yes) else {
            return UNKNOWN;
        };
        let mut longest = UNKNOWN;
        for (i, &b) in word.iter().enumerate() {
            state = stems.next_state(Anchored::Yes, state, b);
            if stems.is_special(state) {
                if stems.is_dead(state) {
                    break;
                }
                // The stem that is exactly `word[..=i]`, if any (a match state may also list
                // stems that are only suffixes of it).
                for k in 0..stems.match_len(state) {
                    let stem = stems.match_pattern(state, k).as_usize();
                    if self.stem_lengths[stem] == i + 1 {
                        longest = self.stem_codes[stem];
                    }
                }
            }
        }
        longest
    }
}

/// The first bytes of every stem, hashed into a bit set: a word whose first bytes hit no bit
/// begins with no stem. Most words that are not phrase words begin with none, and this skips
/// the automaton for them (#5).
#[derive(Debug)]
struct StemStarts {
    /// How many leading bytes are compared: the shortest stem's length, at most 3.
    len: usize,
    bits: Vec<u64>,
}

/// Size of [`StemStarts::bits`] in bits (512 bytes).
const STEM_START_BITS: usize = 1 << 12;

impl StemStarts {
    fn new(stems: &[&str]) -> StemStarts {
        let len = stems.iter().map(|s| s.len()).min().unwrap_or(0).min(3);
        let mut starts = StemStarts {
            len,
            bits: vec![0; STEM_START_BITS / 64],
        };
        for stem in stems {
            let bit = starts.bit(stem.as_bytes());
            starts.bits[bit / 64] |= 1 << (bit % 64);
        }
        starts
    }

    /// The bit of `word`'s first `len` bytes (`word` has at least `len`).
    #[inline(always)]
    fn bit(&self, word: &[u8]) -> usize {
        let start = word[..self.len]
            .iter()
            .fold(0u64, |key, &b| (key << 8) | u64::from(b));
        (start.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - 12)) as usize
    }

    /// False when `word` surely begins with no stem.
    #[inline(always)]
    fn may_start(&self, word: &[u8]) -> bool {
        if word.len() < self.len {
            return false;
        }
        let bit = self.bit(word);
        self.bits[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// Words of up to 8 bytes as [`WordKey::Small`] -> code, in a two-choice (cuckoo) table: a
/// word is in one of two slots chosen by two multiplicative hashes, so a lookup reads both
/// and picks without a branch. Every token takes this lookup, and whether a word is known at
/// all is what the predictor missed in the probe loop of an open-addressing table (#5). Key
/// 0 marks an empty slot (no word is empty); code 0 is [`UNKNOWN`].
#[derive(Debug)]
struct SmallWords {
    slots: Vec<(u64, u32)>,
    /// 64 minus the number of index bits.
    shift: u32,
}

/// Evictions an insertion may make before the table is rebuilt twice as large.
const MAX_EVICTIONS: usize = 500;

impl SmallWords {
    fn new(words: &[(u64, u32)]) -> SmallWords {
        let mut size = (2 * words.len()).next_power_of_two().max(16);
        loop {
            let mut table = SmallWords {
                slots: vec![(0, UNKNOWN); size],
                shift: 64 - size.trailing_zeros(),
            };
            if words.iter().all(|&word| table.insert(word)) {
                return table;
            }
            size *= 2;
        }
    }

    /// Places `word` (key, code), moving others to their other slot as needed; false if that
    /// goes on too long (the table is then rebuilt larger).
    fn insert(&mut self, mut word: (u64, u32)) -> bool {
        let mut slot = self.homes(word.0).0;
        for _ in 0..MAX_EVICTIONS {
            std::mem::swap(&mut self.slots[slot], &mut word);
            if word.0 == 0 {
                return true;
            }
            let (first, second) = self.homes(word.0);
            slot = if slot == first { second } else { first };
        }
        false
    }

    /// The two slots a key may be in (Fibonacci hashing with two multipliers: the products'
    /// top bits).
    #[inline(always)]
    fn homes(&self, key: u64) -> (usize, usize) {
        let first = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift;
        let second = key.wrapping_mul(0xC2B2_AE3D_27D4_EB4F) >> self.shift;
        (first as usize, second as usize)
    }

    /// The code of `key`, or [`UNKNOWN`].
    #[inline(always)]
    fn get(&self, key: u64) -> u32 {
        let (first, second) = self.homes(key);
        let ((k1, c1), (k2, c2)) = (self.slots[first], self.slots[second]);
        // Both slots are read and the code picked without a branch on the outcome (LLVM turns
        // masks back into branches).
        let second = std::hint::select_unpredictable(k2 == key, c2, UNKNOWN);
        std::hint::select_unpredictable(k1 == key, c1, second)
    }
}

/// A word as an integer, zero-padded, when it is at most 16 bytes long (words hold no zero
/// bytes, so the key is unique).
enum WordKey {
    /// Up to 8 bytes.
    Small(u64),
    /// 9 to 16 bytes.
    Short(u128),
    /// Longer: looked up as a string.
    Long,
}

impl WordKey {
    /// The key of `text[start..end]`. Reads 8 or 16 bytes at once where `text` has them.
    #[inline(always)]
    fn of(text: &[u8], start: usize, end: usize) -> WordKey {
        let len = end - start;
        if len <= 8 {
            WordKey::Small(pack_word(text, start, end))
        } else if len <= 16 {
            let bytes: [u8; 16] = padded(text, start, end);
            let mask = u128::MAX >> (128 - 8 * len as u32);
            WordKey::Short(u128::from_le_bytes(bytes) & mask)
        } else {
            WordKey::Long
        }
    }
}

/// Size of [`PhraseMatcher::edge_bits`]: 32 KB, a few percent false positives at the
/// built-in lexicon's ~10,000 edges.
const EDGE_BITS: usize = 1 << 18;

/// Edge `(node, code)` as one integer key.
#[inline(always)]
fn edge_key(node: u32, code: u32) -> u64 {
    (u64::from(node) << 32) | u64::from(code)
}

/// The bit of edge `(node, code)` in [`PhraseMatcher::edge_bits`] (a multiplicative hash).
#[inline(always)]
fn edge_bit(node: u32, code: u32) -> usize {
    (edge_key(node, code).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - 18)) as usize
}

/// The words of a phrase list: whole words with codes `1..=words.len()`, then the stems of
/// prefix phrases (`friend` of `friend*`) with the codes after them.
struct Vocabulary<'a> {
    words: FxHashMap<&'a str, u32>,
    stems: Vec<&'a str>,
}

impl<'a> Vocabulary<'a> {
    fn collect(phrases: &[Phrase<'a>]) -> Vocabulary<'a> {
        let mut words: FxHashMap<&str, u32> = FxHashMap::default();
        let mut stems: Vec<&str> = Vec::new();
        let mut stem_seen: HashSet<&str> = HashSet::new();
        for phrase in phrases {
            let mut parts = phrase.text.split(' ').peekable();
            while let Some(word) = parts.next() {
                if phrase.is_prefix && parts.peek().is_none() {
                    if stem_seen.insert(word) {
                        stems.push(word);
                    }
                } else if !words.contains_key(word) {
                    let code = words.len() as u32 + 1;
                    words.insert(word, code);
                }
            }
        }
        Vocabulary { words, stems }
    }

    /// One past the largest code.
    fn codes(&self) -> usize {
        self.words.len() + 1 + self.stems.len()
    }

    /// The code of each stem, in `stems` order.
    fn stem_codes(&self) -> Vec<u32> {
        (0..self.stems.len())
            .map(|k| (self.words.len() + 1 + k) as u32)
            .collect()
    }

    /// What a stem reaches: every word and every stem that begins with it (itself included).
    fn reached_by(&self, stem: &str) -> Vec<u32> {
        let mut codes: Vec<u32> = self
            .words
            .iter()
            .filter(|(w, _)| w.starts_with(stem))
            .map(|(_, &c)| c)
            .collect();
        codes.extend(
            self.stems
                .iter()
                .zip(self.stem_codes())
                .filter(|(s, _)| s.starts_with(stem))
                .map(|(_, c)| c),
        );
        codes.sort_unstable();
        codes
    }

    /// The trie of `phrases` over word codes: a prefix phrase ends at every code its stem
    /// reaches. Returns edges, per-node ranges into the id list, and that list.
    #[allow(clippy::type_complexity)]
    fn compile_trie(
        &self,
        phrases: &[Phrase<'_>],
    ) -> (FxHashMap<(u32, u32), u32>, Vec<(u32, u32)>, Vec<u32>) {
        let mut trie = TrieBuilder::default();
        let mut reached_cache: HashMap<&str, Vec<u32>> = HashMap::new();
        for phrase in phrases {
            let parts: Vec<&str> = phrase.text.split(' ').collect();
            let (last, leading) = parts.split_last().expect("phrases are not empty");
            let node = leading
                .iter()
                .fold(0, |node, w| trie.child(node, self.words[*w]));
            if phrase.is_prefix {
                let reached = reached_cache
                    .entry(last)
                    .or_insert_with(|| self.reached_by(last));
                for &code in reached.iter() {
                    let end = trie.child(node, code);
                    trie.add_end(end, phrase.id);
                }
            } else {
                let end = trie.child(node, self.words[*last]);
                trie.add_end(end, phrase.id);
            }
        }
        trie.finish()
    }
}

/// A trie being built: edges and the phrase ids ending at each node.
#[derive(Default)]
struct TrieBuilder {
    edges: FxHashMap<(u32, u32), u32>,
    ends: Vec<Vec<u32>>,
}

impl TrieBuilder {
    /// The child of `node` along `code`, added if new.
    fn child(&mut self, node: u32, code: u32) -> u32 {
        if self.ends.is_empty() {
            self.ends.push(Vec::new());
        }
        let next = self.ends.len() as u32;
        let child = *self.edges.entry((node, code)).or_insert(next);
        if child == next {
            self.ends.push(Vec::new());
        }
        child
    }

    fn add_end(&mut self, node: u32, id: u32) {
        let ids = &mut self.ends[node as usize];
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    /// Edges, per-node ranges into the flat id list, and that list (ids sorted per node).
    #[allow(clippy::type_complexity)]
    fn finish(mut self) -> (FxHashMap<(u32, u32), u32>, Vec<(u32, u32)>, Vec<u32>) {
        if self.ends.is_empty() {
            self.ends.push(Vec::new());
        }
        let mut ranges = Vec::with_capacity(self.ends.len());
        let mut ids = Vec::new();
        for mut node_ids in self.ends {
            node_ids.sort_unstable();
            let from = ids.len() as u32;
            ids.extend(node_ids);
            ranges.push((from, ids.len() as u32));
        }
        (self.edges, ranges, ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::{tokenize_with, TokenBuffer};

    /// Every (id, first, last) a phrase list has over normalized `words`, by comparing them.
    fn brute_force(phrases: &[Phrase<'_>], words: &[String]) -> Vec<(u32, u32, u32)> {
        let mut found = Vec::new();
        for first in 0..words.len() {
            for p in phrases {
                let phrase: Vec<&str> = p.text.split(' ').collect();
                let last = first + phrase.len() - 1;
                if last >= words.len() {
                    continue;
                }
                let fits = phrase.iter().enumerate().all(|(k, w)| {
                    let token = &words[first + k];
                    if p.is_prefix && k == phrase.len() - 1 {
                        token.starts_with(w)
                    } else {
                        token == *w
                    }
                });
                if fits {
                    found.push((p.id, first as u32, last as u32));
                }
            }
        }
        found.sort_unstable();
        found
    }

    #[test]
    fn small_words_find_every_word_and_no_other() {
        let mut rng = crate::test_rng::XorShift::new(0x9E37_79B9_7F4A_7C15);
        for count in [0, 1, 7, 100, 3_000, 40_000] {
            let mut keys: Vec<u64> = (0..2 * count).map(|_| rng.next() | 1).collect();
            keys.sort_unstable();
            keys.dedup();
            let (present, absent) = keys.split_at(keys.len() / 2);
            let words: Vec<(u64, u32)> = present.iter().zip(1..).map(|(&k, c)| (k, c)).collect();
            let table = SmallWords::new(&words);
            for &(key, code) in &words {
                assert_eq!(table.get(key), code, "{count} words");
            }
            for &key in absent {
                assert_eq!(table.get(key), UNKNOWN, "{count} words");
            }
        }
    }

    #[test]
    fn finds_exactly_the_phrases_whose_words_match() {
        let vocabulary = [
            "friend",
            "friends",
            "friendship",
            "fri",
            "be",
            "can't",
            "not",
            "boundar",
            "boundary",
            "boundaries",
            "the",
            "line",
            "lines",
            "we",
            "stay",
            "été",
            "don't",
            "professionalism",
            "unprofessionalisms",
        ];
        let mut rng = crate::test_rng::XorShift::new(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next();
        for _ in 0..300 {
            let texts: Vec<String> = (0..1 + next() % 12)
                .map(|_| {
                    (0..1 + next() % 3)
                        .map(|_| vocabulary[(next() % vocabulary.len() as u64) as usize])
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let phrases: Vec<Phrase<'_>> = texts
                .iter()
                .enumerate()
                .map(|(i, text)| Phrase {
                    text,
                    is_prefix: next() % 3 == 0,
                    id: i as u32,
                })
                .collect();
            let matcher = PhraseMatcher::build(&phrases);
            let comment: Vec<&str> = (0..next() % 30)
                .map(|_| vocabulary[(next() % vocabulary.len() as u64) as usize])
                .chain([
                    "friendships",
                    "linesman",
                    "boundarie",
                    "Friends",
                    "BOUNDARIES",
                ])
                .chain(["Été", "Dont", "Professionalism", "UNPROFESSIONALISMS"])
                .collect();
            let text = comment.join(" ");
            let mut buf = TokenBuffer::default();
            tokenize_with(&text, &mut buf, &matcher);
            let words: Vec<String> = buf.tokens.iter().map(|t| t.normalized(&text)).collect();
            let mut got = Vec::new();
            matcher.find(&buf.tokens, &mut Vec::new(), |m| {
                got.push((m.id, m.first, m.last))
            });
            got.sort_unstable();
            assert_eq!(
                got,
                brute_force(&phrases, &words),
                "{texts:?} over {comment:?}"
            );
        }
    }
}
