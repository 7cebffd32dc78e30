//! Normalization and Unicode word tokens with byte offsets.
//!
//! A comment becomes a list of [`Token`]s (Unicode word segmentation, UAX #29). Each word is
//! normalized: case-folded, typographic apostrophes mapped to `'`, common apostrophe-less
//! contractions restored (`dont` -> `don't`); [`normalize_phrase`] gives the normalized words
//! joined by single spaces, the form lexicon entries are written in. Each token remembers its
//! byte span in the original text (for evidence and highlighting) and the code a
//! [`WordCoder`] gives its normalized word: the lexicon numbers the words it knows, and asking
//! while the word is at hand means a comment is read once, with no normalized copy built (#5).
//!
//! The tokenizer also records what the scorer needs about the gaps between words: clause
//! boundaries (sentence and clause punctuation, line breaks) and whether a word is inside a
//! quotation. It knows nothing about lexicons or stances.

use unicode_segmentation::UnicodeSegmentation;

/// Flag: the token is inside quotation marks.
pub const IN_QUOTE: u8 = 1;
/// Flag: the token is a contraction ending in `n't` (`don't`, `can't`, `isn't`): a negator.
pub const NEGATED_CONTRACTION: u8 = 2;
/// Flag: the token is the first of a new paragraph (blank line before it).
pub const PARAGRAPH_START: u8 = 4;
/// Flag: a question mark ends the token's sentence... set on the token just before a `?`.
pub const BEFORE_QUESTION_MARK: u8 = 8;

/// One word of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the word in the original text.
    pub start: u32,
    /// Byte offset one past the word in the original text.
    pub end: u32,
    /// Clause number: increases at clause punctuation and line breaks.
    pub clause: u32,
    /// Sentence number: increases at `.`, `!`, `?` and blank lines.
    pub sentence: u32,
    /// What the [`WordCoder`] said of the normalized word (0 from [`NoCodes`]).
    pub code: u32,
    /// Bit set of `IN_QUOTE`, `NEGATED_CONTRACTION`, `PARAGRAPH_START`, `BEFORE_QUESTION_MARK`.
    pub flags: u8,
}

impl Token {
    /// True when `flag` is set on this token.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// The token's normalized word, given the text it was read from.
    pub fn normalized(&self, text: &str) -> String {
        let mut word = String::new();
        normalize_word(&text[self.start as usize..self.end as usize], &mut word);
        word
    }
}

/// Numbers normalized words, so that a matcher over words can look each one up while the
/// tokenizer has it at hand (#5).
pub trait WordCoder {
    /// The code of the normalized word `text[start..end]` (0: a word the coder does not know).
    /// Bytes of `text` past `end` may be read, for speed, but are not part of the word.
    fn code(&self, text: &[u8], start: usize, end: usize) -> u32;

    /// The code of a normalized word of 1 to 8 bytes, given packed by [`pack_word`]. The
    /// tokenizer has most words in this form at hand; by default it is unpacked for
    /// [`WordCoder::code`].
    fn code_packed(&self, packed: u64, len: usize) -> u32 {
        self.code(&packed.to_le_bytes(), 0, len)
    }

    /// [`WordCoder::code_packed`] in two steps, for the tokenizer's hot path: the code of a
    /// packed word that is itself one of the coder's words, or 0. Normalized words are never
    /// apostrophe-less contractions (`dont` is normalized to `don't`), so a word found here
    /// needs no contraction check; most words are found here (#5), and the tokenizer codes
    /// the rest after the comment's last word. By default, 0 (none).
    fn own_code_packed(&self, _packed: u64) -> u32 {
        0
    }

    /// The second step: the code of a packed word that [`WordCoder::own_code_packed`] gave 0
    /// for (a stem it begins with, say). By default [`WordCoder::code_packed`].
    fn other_code_packed(&self, packed: u64, len: usize) -> u32 {
        self.code_packed(packed, len)
    }
}

/// `text[start..end]`, 1 to 8 bytes, as an integer: the bytes little-endian, zeros above. No
/// word holds a zero byte, so this is one-to-one.
#[inline(always)]
pub fn pack_word(text: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    debug_assert!((1..=8).contains(&len));
    // No shift by 64: words are not empty.
    let mask = u64::MAX >> (64 - 8 * len as u32);
    u64::from_le_bytes(padded::<8>(text, start, end)) & mask
}

/// A word's bytes as [`pack_word`] gives them, for constants.
const fn packed(word: &[u8]) -> u64 {
    let mut value = 0;
    let mut i = word.len();
    while i > 0 {
        i -= 1;
        value = (value << 8) | word[i] as u64;
    }
    value
}

/// The top bit of every byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// 1 in every byte of a `u64`.
const LOW_BITS: u64 = 0x0101_0101_0101_0101;

/// A packed ASCII word with its capitals made small: every byte in `A..=Z` gains 0x20, found
/// for all eight bytes at once, so the scanner need not note capitals byte by byte (#5). (A
/// byte with its top bit forced on, minus `c`, never borrows from its neighbour, and keeps its
/// top bit exactly when it was at least `c`.)
#[inline(always)]
pub fn lowercase_packed(word: u64) -> u64 {
    let at_least = |c: u8| ((word | HIGH_BITS) - LOW_BITS * u64::from(c)) & HIGH_BITS;
    let capitals = at_least(b'A') & !at_least(b'Z' + 1);
    word | (capitals >> 2)
}

/// A [`WordCoder`] that knows no word: for tokens wanted only for their offsets and structure.
pub struct NoCodes;

impl WordCoder for NoCodes {
    fn code(&self, _: &[u8], _: usize, _: usize) -> u32 {
        0
    }
}

/// Reusable scratch space for tokenizing one comment at a time (one per worker thread).
#[derive(Debug, Default, Clone)]
pub struct TokenBuffer {
    /// The tokens of the last comment tokenized.
    pub tokens: Vec<Token>,
    /// Room to normalize a word that is not plain lowercase ASCII.
    word: String,
    /// Tokens whose packed word [`WordCoder::own_code_packed`] did not know, coded after the
    /// last word (see [`Tokenizer::push_word`]); the first `Tokenizer::unknown` are this
    /// comment's.
    unknown: Vec<u32>,
}

/// Tokenizes `text` into `buf`, replacing what it held; tokens get no codes ([`NoCodes`]).
pub fn tokenize(text: &str, buf: &mut TokenBuffer) {
    tokenize_with(text, buf, &NoCodes);
}

/// Tokenizes `text` into `buf`, replacing what it held, with each token's code from `coder`.
pub fn tokenize_with(text: &str, buf: &mut TokenBuffer, coder: &impl WordCoder) {
    buf.tokens.clear();
    // Room to note every word that can take the packed path: runs of word bytes that a
    // byte or more keeps apart, so at most one per two bytes. Kept across comments and only
    // grown: an entry is written before it is read (#5).
    let packed_words_at_most = text.len() / 2 + 1;
    if buf.unknown.len() < packed_words_at_most {
        buf.unknown.resize(packed_words_at_most, 0);
    }
    let mut state = Tokenizer {
        text,
        buf,
        coder,
        gap_start: 0,
        clause: 0,
        sentence: 0,
        in_quote: false,
        unknown: 0,
    };
    for_each_word(
        text,
        #[inline(always)]
        |start, end, spelling| state.push_word(start, end, spelling),
    );
    let (gap_start, unknown) = (state.gap_start, state.unknown);
    let bytes = text.as_bytes();
    for &index in &buf.unknown[..unknown] {
        let token = &mut buf.tokens[index as usize];
        let (start, end) = (token.start as usize, token.end as usize);
        let word = lowercase_packed(pack_word(bytes, start, end));
        let coded = code_unknown_packed(coder, word, end - start);
        token.code = coded.code;
        token.flags &= !NEGATED_CONTRACTION;
        if coded.is_negated_contraction {
            token.flags |= NEGATED_CONTRACTION;
        }
    }
    if let Some(last) = buf.tokens.last_mut() {
        if text[gap_start..].contains('?') {
            last.flags |= BEFORE_QUESTION_MARK;
        }
    }
}

/// The running state of [`tokenize_with`].
struct Tokenizer<'t, 'b, 'c, C> {
    text: &'t str,
    buf: &'b mut TokenBuffer,
    coder: &'c C,
    /// Where the text after the last word starts.
    gap_start: usize,
    clause: u32,
    sentence: u32,
    in_quote: bool,
    /// Valid entries of `buf.unknown`.
    unknown: usize,
}

impl<C: WordCoder> Tokenizer<'_, '_, '_, C> {
    /// Adds the word at `start`, reading the gap before it for structure. Called once per
    /// word of every comment: kept inline and free of allocation (hot loop, #5).
    #[inline(always)]
    fn push_word(&mut self, start: usize, end: usize, spelling: Spelling) {
        let bytes = self.text.as_bytes();
        // Most gaps are one space: nothing to read.
        let is_plain_gap = start == self.gap_start + 1 && bytes[self.gap_start] == b' ';
        let mut flags = 0;
        if !is_plain_gap {
            let gap = GapInfo::read(&self.text[self.gap_start..start], &mut self.in_quote);
            if let Some(prev) = self.buf.tokens.last_mut() {
                if gap.has_question_mark {
                    prev.flags |= BEFORE_QUESTION_MARK;
                }
                if gap.ends_clause {
                    self.clause += 1;
                }
                if gap.ends_sentence {
                    self.sentence += 1;
                }
            }
            if gap.is_paragraph_break {
                flags |= PARAGRAPH_START;
            }
        }
        if self.in_quote {
            flags |= IN_QUOTE;
        }
        // The normalized word, read where it already is: packed into an integer for ASCII
        // words of up to 8 bytes (most words), a lowercased 16-byte copy for ASCII up to 16,
        // the text itself for longer lowercase ASCII, and a normalized copy for the rest.
        let len = end - start;
        let coded = match spelling {
            // Most words: packed into an integer, case-folded and looked up as one. A word the
            // coder does not know at once is coded after the comment's last word: whether a
            // word is known was the branch the predictor missed most in this loop (#5). Its
            // token is noted without a branch: an entry is written for every such word and
            // kept only for an unknown one.
            Spelling::Ascii if len <= 8 => {
                let word = lowercase_packed(pack_word(bytes, start, end));
                let code = self.coder.own_code_packed(word);
                self.buf.unknown[self.unknown] = self.buf.tokens.len() as u32;
                self.unknown += usize::from(code == 0);
                Coded {
                    code,
                    is_negated_contraction: is_negated_contraction_packed(word, len),
                }
            }
            Spelling::Ascii if len <= 16 => {
                let mut lower = padded::<16>(bytes, start, end);
                lower.make_ascii_lowercase();
                code_normalized(self.coder, &lower, 0, len)
            }
            Spelling::Ascii if !bytes[start..end].iter().any(u8::is_ascii_uppercase) => {
                code_normalized(self.coder, bytes, start, end)
            }
            _ => {
                let normalized = &mut self.buf.word;
                normalized.clear();
                fold_spelled(&self.text[start..end], spelling, normalized);
                code_normalized(self.coder, normalized.as_bytes(), 0, normalized.len())
            }
        };
        if coded.is_negated_contraction {
            flags |= NEGATED_CONTRACTION;
        }
        self.buf.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            clause: self.clause,
            sentence: self.sentence,
            code: coded.code,
            flags,
        });
        self.gap_start = end;
    }
}

/// What [`code_normalized`] learns of a word.
struct Coded {
    code: u32,
    is_negated_contraction: bool,
}

/// The code of the case-folded word `text[start..end]` after contractions are restored, and
/// whether it is a negated contraction (ends in `n't`).
#[inline(always)]
fn code_normalized(coder: &impl WordCoder, text: &[u8], start: usize, end: usize) -> Coded {
    let word = &text[start..end];
    if let Some(full) = restore_contraction(word) {
        return Coded {
            code: coder.code(full.as_bytes(), 0, full.len()),
            is_negated_contraction: full.ends_with("n't"),
        };
    }
    Coded {
        code: coder.code(text, start, end),
        is_negated_contraction: word.len() > 3 && word.ends_with(b"n't"),
    }
}

/// Whether a packed word (case-folded) ends in `n't`.
#[inline(always)]
fn is_negated_contraction_packed(word: u64, len: usize) -> bool {
    // Both tests, not `&&`: the first one's outcome is not worth a branch (#5).
    (len > 3) & (word >> (8 * (len.max(3) - 3)) == packed(b"n't"))
}

/// [`code_normalized`] for a word packed by [`pack_word`] (already case-folded) that
/// [`WordCoder::own_code_packed`] does not know.
fn code_unknown_packed(coder: &impl WordCoder, word: u64, len: usize) -> Coded {
    if may_be_contraction_packed(word, len) {
        if let Some(full) = restore_listed(&word.to_le_bytes()[..len]) {
            return Coded {
                code: coder.code(full.as_bytes(), 0, full.len()),
                is_negated_contraction: full.ends_with("n't"),
            };
        }
    }
    Coded {
        code: coder.other_code_packed(word, len),
        is_negated_contraction: is_negated_contraction_packed(word, len),
    }
}

/// [`may_be_contraction`] of a packed word.
#[inline(always)]
fn may_be_contraction_packed(word: u64, len: usize) -> bool {
    match len {
        2 => word == packed(b"im"),
        3 => word == packed(b"ive"),
        4..=8 => {
            word >> (8 * (len - 2)) == packed(b"nt")
                || word == packed(b"youre")
                || word == packed(b"thats")
                || word == packed(b"theyre")
        }
        _ => false,
    }
}

/// `N` bytes from `start`: straight from `text` when it has them (the caller ignores what
/// lies past `end`), else `text[start..end]` zero-padded.
#[inline(always)]
pub(crate) fn padded<const N: usize>(text: &[u8], start: usize, end: usize) -> [u8; N] {
    if let Some(bytes) = text.get(start..start + N).and_then(|b| b.try_into().ok()) {
        return bytes;
    }
    let mut bytes = [0u8; N];
    bytes[..end - start].copy_from_slice(&text[start..end]);
    bytes
}

/// Calls `f(start, end, spelling)` for every UAX #29 word `text[start..end]` of `text`, exactly
/// as `text.unicode_word_indices()` would, but much faster on the text people write. Offsets,
/// not `&str`: slicing a `str` checks char boundaries, once per word (#5).
///
/// `unicode-segmentation` takes its fast path only when a whole string is ASCII; one curly
/// apostrophe sends a comment down the general path, which was most of the tokenizer's time.
/// So the text is cut at ASCII whitespace, where UAX #29 always breaks (no rule joins a word
/// character with ASCII whitespace). Whitespace-delimited chunks holding a character outside
/// ASCII and [`is_plain_punctuation`] are segmented by the crate, together with the whitespace
/// run before them (so an Extend mark after a space attaches as it would in context); the
/// stretches between them go through [`plain_words`], which implements the few UAX #29 rules
/// that apply to ASCII letters and digits and the plain punctuation. See #5;
/// `tests::chunked_words_equal_unicode_words` checks the equivalence on random text.
fn for_each_word(text: &str, mut f: impl FnMut(usize, usize, Spelling)) {
    let bytes = text.as_bytes();
    let mut done = 0;
    let mut search = 0;
    while let Some(k) = next_foreign_char(bytes, search) {
        let chunk_start = bytes[..k]
            .iter()
            .rposition(|&b| is_break_space(b))
            .map_or(0, |p| p + 1)
            .max(done);
        let region_start = bytes[done..chunk_start]
            .iter()
            .rposition(|&b| !is_break_space(b))
            .map_or(done, |p| done + p + 1);
        let chunk_end = bytes[k..]
            .iter()
            .position(|&b| is_break_space(b))
            .map_or(bytes.len(), |p| k + p);
        if region_start > done {
            plain_words(text, done, region_start, &mut f);
        }
        for (start, word) in text[region_start..chunk_end].unicode_word_indices() {
            let start = region_start + start;
            f(start, start + word.len(), Spelling::Other);
        }
        done = chunk_end;
        search = chunk_end;
    }
    if done < bytes.len() {
        plain_words(text, done, bytes.len(), &mut f);
    }
}

/// Byte offset of the first character at or after `from` that [`plain_words`] cannot
/// segment: anything outside ASCII but the plain punctuation.
fn next_foreign_char(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let k = from + first_non_ascii(&bytes[from..])?;
        match bytes.get(k..k + 3) {
            Some(&[a, b, c]) if is_plain_punctuation(a, b, c) => from = k + 3,
            _ => return Some(k),
        }
    }
}

/// Offset of the first byte of `bytes` outside ASCII: 8 bytes per step, their high bits
/// tested at once (the standard library's `is_ascii` over 16-byte chunks, which restarts at
/// every `’`, was 2.5% of a run, #5).
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let high = u64::from_le_bytes(chunk.try_into().expect("8 bytes")) & HIGH_BITS;
        if high != 0 {
            // Little-endian: the lowest set bit is in the first byte outside ASCII.
            return Some(offset + high.trailing_zeros() as usize / 8);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| !b.is_ascii())
        .map(|k| offset + k)
}

/// Typographic punctuation common in comments, which [`plain_words`] handles: `‘` and `’`
/// (UAX #29 MidNumLet, like `'` and `.`), and `“ ” – — …` (no word-break property: they
/// always separate words). Given as the three UTF-8 bytes.
fn is_plain_punctuation(a: u8, b: u8, c: u8) -> bool {
    a == 0xE2 && b == 0x80 && matches!(c, 0x98 | 0x99 | 0x9C | 0x9D | 0x93 | 0x94 | 0xA6)
}

/// The words of `text[from..to]`, which holds only ASCII and plain punctuation, by the UAX #29
/// rules that apply there: letters, digits and `_` stick together (WB5, WB8-WB10, WB13a/b);
/// `'`, `.`, `‘`, `’` join two letters or two digits, `:` two letters, `,` and `;` two digits
/// (WB6/WB7, WB11/WB12); everything else breaks. A word needs a letter or digit.
///
/// The text is read 64 bytes at a time as bit masks of byte classes ([`BlockMasks`]); the
/// joining rules are shifts and ands of those masks, and words are the runs of set bits of
/// the result, so finding a word costs a few bit operations instead of a loop over its bytes
/// with a branch at every word end, gap end and infix the predictor cannot guess (#5).
fn plain_words(text: &str, from: usize, to: usize, f: &mut impl FnMut(usize, usize, Spelling)) {
    let s = &text.as_bytes()[from..to];
    let n = s.len();
    let mut prev = BlockMasks::default();
    let mut cur = BlockMasks::of(s, 0);
    // Word bits of the previous block, and the bits of a joined `‘`/`’` that spill past it.
    let mut prev_word = 0u64;
    let mut spill = 0u64;
    // A word still open at the end of the last block: where it starts, and whether it holds
    // a joined `‘`/`’` so far (the only bytes outside ASCII a word here can hold).
    let mut open: Option<usize> = None;
    let mut open_has_quote = false;
    // A word that runs to the end of the text ends in the (empty) block after it.
    for block in 0..=n / 64 {
        let base = block * 64;
        let next = BlockMasks::of(s, base + 64);
        // Infixes between two word bytes may join them; which ones do is read byte by byte
        // (few are: `don't`, `3.5`, `e.g`), so the masks stay three.
        let between_words =
            ((cur.word << 1) | (prev.word >> 63)) & ((cur.word >> 1) | (next.word << 63));
        let mut joined = joined_infixes(s, base, cur.infix & between_words) | spill;
        spill = 0;
        if cur.high != 0 {
            let quotes = joined_quotes(s, base, cur.high);
            joined |= quotes as u64;
            spill = (quotes >> 64) as u64;
        }
        // Only `‘` and `’` among the joined bytes are outside ASCII.
        let quotes = joined & !cur.infix;
        let word = cur.word | joined;
        let after_word = (word << 1) | (prev_word >> 63);
        let mut starts = word & !after_word;
        // Bit `j`: a word ends just before byte `j`. Starts and ends alternate, so the k-th
        // end of the block closes the word open before it, then the block's starts in order.
        let mut ends = !word & after_word;
        while ends != 0 {
            let end = ends.trailing_zeros() as usize;
            ends &= ends - 1;
            let (start, carried_quote) = match open.take() {
                Some(start) => (start, open_has_quote),
                None => {
                    let start = starts.trailing_zeros() as usize;
                    starts &= starts - 1;
                    (base + start, false)
                }
            };
            // A run of `_` alone is not a word (UAX #29 words hold a letter or digit).
            if s[start] == b'_'
                && s[start..base + end]
                    .iter()
                    .all(|b| !b.is_ascii_alphanumeric())
            {
                continue;
            }
            let in_block = (u64::MAX << (start.max(base) - base)) & ((1 << end) - 1);
            let spelling = if carried_quote | (quotes & in_block != 0) {
                Spelling::Other
            } else {
                Spelling::Ascii
            };
            f(from + start, from + base + end, spelling);
        }
        if starts != 0 {
            open = Some(base + starts.trailing_zeros() as usize);
            open_has_quote = false;
        }
        if let Some(start) = open {
            open_has_quote |= quotes & (u64::MAX << (start.max(base) - base)) != 0;
        }
        prev = cur;
        cur = next;
        prev_word = word;
    }
}

/// Bits of `candidates` (infixes in the 64 bytes of `s` from `base`, between two word bytes)
/// whose infix joins its neighbours: `'` and `.` two letters or two digits, `:` two letters,
/// `,` and `;` two digits.
#[inline(always)]
fn joined_infixes(s: &[u8], base: usize, mut candidates: u64) -> u64 {
    let mut joined = 0;
    while candidates != 0 {
        let j = candidates.trailing_zeros() as usize;
        candidates &= candidates - 1;
        let at = base + j;
        let (before, after) = (s[at - 1], s[at + 1]);
        let letters = before.is_ascii_alphabetic() && after.is_ascii_alphabetic();
        let digits = before.is_ascii_digit() && after.is_ascii_digit();
        let joins = match s[at] {
            b',' | b';' => digits,
            b':' => letters,
            _ => letters || digits,
        };
        joined |= u64::from(joins) << j;
    }
    joined
}

/// Bits (from `base`, 3 per mark, possibly past the block) of the `‘` and `’` in the 64 bytes
/// of `s` from `base` that join two letters or two digits; `high` marks the block's bytes
/// outside ASCII. These marks are rare, so they are checked byte by byte.
#[inline(never)]
fn joined_quotes(s: &[u8], base: usize, high: u64) -> u128 {
    let mut quotes = 0u128;
    let mut high = high;
    while high != 0 {
        let j = high.trailing_zeros() as usize;
        high &= high - 1;
        let at = base + j;
        let is_quote = s[at] == 0xE2
            && s.get(at + 1) == Some(&0x80)
            && matches!(s.get(at + 2), Some(0x98 | 0x99));
        if !is_quote || at == 0 {
            continue;
        }
        let (before, Some(&after)) = (s[at - 1], s.get(at + 3)) else {
            continue;
        };
        let joins = (before.is_ascii_alphabetic() && after.is_ascii_alphabetic())
            || (before.is_ascii_digit() && after.is_ascii_digit());
        if joins {
            quotes |= 0b111 << j;
        }
    }
    quotes
}

/// What each byte of a 64-byte block of text is, as bit masks: bit `j` describes byte `j`.
/// Bytes past the end of the text are in no class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct BlockMasks {
    /// ASCII letters, digits and `_` (UAX #29 ALetter, Numeric, ExtendNumLet).
    word: u64,
    /// `'`, `.`, `:`, `,` and `;`: may join two word bytes (MidNumLet, MidLetter, MidNum).
    infix: u64,
    /// Bytes outside ASCII.
    high: u64,
}

impl BlockMasks {
    /// The masks of the 64 bytes of `text` from `base` (zero-padded past its end).
    #[inline(always)]
    fn of(text: &[u8], base: usize) -> BlockMasks {
        let start = base.min(text.len());
        block_masks(&padded::<64>(text, start, text.len().min(base + 64)))
    }

    /// The masks one byte at a time: the portable version, and what the SSE2 one is tested
    /// against.
    #[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
    fn scalar(block: &[u8; 64]) -> BlockMasks {
        let mut masks = BlockMasks::default();
        for (j, &b) in block.iter().enumerate() {
            let bit = 1u64 << j;
            let mask = match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => &mut masks.word,
                b'\'' | b'.' | b':' | b',' | b';' => &mut masks.infix,
                0x80.. => &mut masks.high,
                _ => continue,
            };
            *mask |= bit;
        }
        masks
    }
}

/// [`BlockMasks`] of a whole block, with SSE2 (part of every x86-64 processor).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn block_masks(block: &[u8; 64]) -> BlockMasks {
    // SAFETY: SSE2 is enabled for this target (the cfg above), which is all
    // `sse2::block_masks` requires.
    unsafe { sse2::block_masks(block) }
}

/// [`BlockMasks`] of a whole block, one byte at a time.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn block_masks(block: &[u8; 64]) -> BlockMasks {
    BlockMasks::scalar(block)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };

    use super::BlockMasks;

    /// [`BlockMasks`] sixteen bytes per step. SSE2 has no unsigned compare, so `x` is in
    /// `low..=low + width` iff `max(x - low, width) == width` (bytewise, wrapping); letters are
    /// tested with the lowercase bit set.
    #[target_feature(enable = "sse2")]
    pub(super) fn block_masks(block: &[u8; 64]) -> BlockMasks {
        let in_range = |x: __m128i, low: u8, width: u8| {
            let offset = _mm_sub_epi8(x, _mm_set1_epi8(low as i8));
            let width = _mm_set1_epi8(width as i8);
            _mm_cmpeq_epi8(_mm_max_epu8(offset, width), width)
        };
        let is = |x: __m128i, byte: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(byte as i8));
        let bits = |v: __m128i, k: usize| u64::from(_mm_movemask_epi8(v) as u16) << (16 * k);
        let mut masks = BlockMasks::default();
        for (k, chunk) in block.chunks_exact(16).enumerate() {
            // SAFETY: `chunk` is 16 readable bytes; the load has no alignment requirement.
            let x = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
            let letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', 25);
            let word = _mm_or_si128(_mm_or_si128(letter, in_range(x, b'0', 9)), is(x, b'_'));
            masks.word |= bits(word, k);
            let infix = _mm_or_si128(
                _mm_or_si128(is(x, b'\''), is(x, b'.')),
                _mm_or_si128(in_range(x, b':', 1), is(x, b',')),
            );
            masks.infix |= bits(infix, k);
            masks.high |= bits(x, k);
        }
        masks
    }
}

/// What [`plain_words`] learned about a word's bytes, so that normalizing it can skip work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelling {
    /// ASCII.
    Ascii,
    /// Anything else.
    Other,
}

/// ASCII whitespace: UAX #29 never joins a word character with it (WB3-WB3d, WB999).
fn is_break_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// [`GAP_CLASS`] bits: what a character between words says.
const CLAUSE: u8 = 1;
const SENTENCE: u8 = 2;
const QUESTION: u8 = 4;
const NEWLINE: u8 = 8;
const OPEN_QUOTE: u8 = 16;
const CLOSE_QUOTE: u8 = 32;
/// `"`: opens a quotation or closes the open one.
const TOGGLE_QUOTE: u8 = OPEN_QUOTE | CLOSE_QUOTE;
/// `.`, `!` and `…`.
const STOP: u8 = CLAUSE | SENTENCE;

/// [`GAP_CLASS`] bits of every ASCII byte.
static GAP_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    table[b'.' as usize] = STOP;
    table[b'!' as usize] = STOP;
    table[b'?' as usize] = STOP | QUESTION;
    let clause_marks = *b",;:()[]";
    let mut k = 0;
    while k < clause_marks.len() {
        table[clause_marks[k] as usize] = CLAUSE;
        k += 1;
    }
    table[b'\n' as usize] = NEWLINE | CLAUSE;
    table[b'"' as usize] = TOGGLE_QUOTE;
    table
};

/// What the text between two words says about structure.
struct GapInfo {
    ends_clause: bool,
    ends_sentence: bool,
    is_paragraph_break: bool,
    has_question_mark: bool,
}

impl GapInfo {
    fn read(gap: &str, in_quote: &mut bool) -> GapInfo {
        let mut info = GapInfo {
            ends_clause: false,
            ends_sentence: false,
            is_paragraph_break: false,
            has_question_mark: false,
        };
        // Most gaps are one space: nothing to read (hot loop, see #5).
        if gap == " " {
            return info;
        }
        // Byte by byte with a class table: a `match` on chars compiled to a jump table whose
        // target the predictor missed at most gaps (#5). Every mark read here but `“ ” ‘ ’ « »
        // – — …` is ASCII, and in UTF-8 those are the only characters with their bytes.
        let bytes = gap.as_bytes();
        let mut newlines = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            let class = match b {
                0..=0x7F => GAP_CLASS[b as usize],
                0xE2 if bytes.get(i) == Some(&0x80) => {
                    i += 2;
                    match bytes.get(i - 1) {
                        Some(0xA6) => STOP,
                        Some(0x93 | 0x94) => CLAUSE,
                        Some(0x9C | 0x98) => OPEN_QUOTE,
                        Some(0x9D | 0x99) => CLOSE_QUOTE,
                        _ => 0,
                    }
                }
                0xC2 => match bytes.get(i) {
                    Some(0xAB) => OPEN_QUOTE,
                    Some(0xBB) => CLOSE_QUOTE,
                    _ => 0,
                },
                _ => 0,
            };
            if class == 0 {
                continue;
            }
            info.ends_clause |= class & CLAUSE != 0;
            info.ends_sentence |= class & SENTENCE != 0;
            info.has_question_mark |= class & QUESTION != 0;
            newlines += usize::from(class & NEWLINE != 0);
            match class & TOGGLE_QUOTE {
                OPEN_QUOTE => *in_quote = true,
                CLOSE_QUOTE => *in_quote = false,
                TOGGLE_QUOTE => *in_quote = !*in_quote,
                _ => {}
            }
        }
        if newlines >= 2 {
            info.is_paragraph_break = true;
            info.ends_sentence = true;
            // A quotation never runs across paragraphs; an unbalanced mark must not
            // swallow the rest of a comment.
            *in_quote = false;
        }
        info
    }
}

/// Appends the normalized form of one word (or lexicon phrase word) to `out`:
/// case-folded, typographic apostrophes as `'`, apostrophe-less contractions restored.
pub fn normalize_word(word: &str, out: &mut String) {
    let start = out.len();
    fold_spelled(word, Spelling::Other, out);
    if let Some(full) = restore_contraction(&out.as_bytes()[start..]) {
        out.truncate(start);
        out.push_str(full);
    }
}

/// Appends `word` case-folded, with typographic apostrophes as `'` and invisible format
/// characters dropped, skipping what `spelling` says is not needed.
#[inline]
fn fold_spelled(word: &str, spelling: Spelling, out: &mut String) {
    let start = out.len();
    if spelling == Spelling::Ascii || word.is_ascii() {
        // One copy and an in-place fold, not a char-by-char push (hot loop, see #5).
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        for c in word.chars() {
            match c {
                '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}' => {
                    out.push('\'')
                }
                // Invisible format characters (bidi controls, zero-width space/joiners, soft
                // hyphen, BOM) stick to words in UAX #29 and would hide `friends` from the
                // lexicon. See #7.
                '\u{00AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}' => {}
                c => out.extend(c.to_lowercase()),
            }
        }
    }
}

/// Normalizes a whole phrase (or comment) the way comment words are normalized: the
/// normalized words joined by single spaces.
pub fn normalize_phrase(phrase: &str) -> String {
    let mut out = String::new();
    for_each_word(phrase, |start, end, _| {
        if !out.is_empty() {
            out.push(' ');
        }
        normalize_word(&phrase[start..end], &mut out);
    });
    out
}

/// Whether `word` may be one of [`restore_contraction`]'s words: `im`, `ive`, `youre`,
/// `thats`, `theyre`, or 4 to 8 bytes ending in `nt`.
#[inline(always)]
fn may_be_contraction(word: &[u8]) -> bool {
    match word.len() {
        2 => word == b"im",
        3 => word == b"ive",
        4..=8 => word.ends_with(b"nt") || word == b"youre" || word == b"thats" || word == b"theyre",
        _ => false,
    }
}

/// People often type contractions without the apostrophe; restore the common ones so that
/// `dont`, `don't` and `DON’T` are one word. Words that are also real words (`wont`, `cant`
/// as in jargon, `ill`, `well`, `were`) are left alone except where the contraction reading
/// dominates in comment text. A word added here must pass [`may_be_contraction`] too (the
/// test `every_restorable_contraction_passes_the_filter` lists them), which runs first: most
/// words are not restorable, and every word gets here (#5).
#[inline(always)]
fn restore_contraction(word: &[u8]) -> Option<&'static str> {
    if may_be_contraction(word) {
        restore_listed(word)
    } else {
        None
    }
}

/// [`restore_contraction`] past its filter.
#[inline(never)]
fn restore_listed(word: &[u8]) -> Option<&'static str> {
    Some(match word {
        b"dont" => "don't",
        b"doesnt" => "doesn't",
        b"didnt" => "didn't",
        b"cant" => "can't",
        b"couldnt" => "couldn't",
        b"wouldnt" => "wouldn't",
        b"shouldnt" => "shouldn't",
        b"isnt" => "isn't",
        b"arent" => "aren't",
        b"wasnt" => "wasn't",
        b"werent" => "weren't",
        b"havent" => "haven't",
        b"hasnt" => "hasn't",
        b"hadnt" => "hadn't",
        b"wont" => "won't",
        b"aint" => "ain't",
        b"mustnt" => "mustn't",
        b"im" => "i'm",
        b"ive" => "i've",
        b"youre" => "you're",
        b"theyre" => "they're",
        b"thats" => "that's",
        b"its" => return None,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut buf = TokenBuffer::default();
        tokenize(text, &mut buf);
        buf.tokens.iter().map(|t| t.normalized(text)).collect()
    }

    /// `count` random strings made of pieces that exercise word breaks, case, apostrophes,
    /// contractions and the characters the fast paths hand over to the general one.
    fn random_texts(count: usize) -> impl Iterator<Item = String> {
        let pieces = [
            "a",
            "B",
            "7",
            "_",
            "'",
            ".",
            ":",
            ",",
            ";",
            "\"",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\u{0B}",
            "\u{0C}",
            "’",
            "‘",
            "é",
            "e\u{301}",
            "\u{301}",
            "\u{200D}",
            "\u{200B}",
            "🙂",
            "👍🏽",
            "🇫🇷",
            "\u{3000}",
            "\u{A0}",
            "日本",
            "カタ",
            "-",
            "(",
            "…",
            "ﬁ",
            "ß",
            "can’t",
            "U.S.",
            "3.14",
            "1,000",
            "x:y",
            "—",
            "“",
            "”",
            "\u{FEFF}",
            "\u{AD}",
            "–",
            "’s",
            "1’2",
            "a’",
            "‘9",
            "…",
            "\u{2024}",
            "9",
            "z",
            "\u{2019}\u{301}",
            "\u{2025}",
            "\u{201E}",
            "dont",
            "DON'T",
            "Im",
            "ive",
            "Thats",
            "couldnt",
            "Shouldn’t",
            "Professionalism",
            "UNPROFESSIONALISMS",
            "friendships",
        ];
        let mut rng = crate::test_rng::XorShift::new(0x1234_5678_9abc_def0);
        let mut next = move || rng.next();
        (0..count).map(move |_| {
            let len = (next() % 16) as usize;
            (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect()
        })
    }

    #[test]
    fn chunked_words_equal_unicode_words() {
        for text in random_texts(100_000) {
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            let mut got = Vec::new();
            for_each_word(&text, |s, e, spelling| {
                let w = &text[s..e];
                let claimed = match spelling {
                    Spelling::Ascii => w.is_ascii(),
                    Spelling::Other => true,
                };
                assert!(claimed, "{w:?} is not {spelling:?}");
                got.push((s, w))
            });
            assert_eq!(got, expected, "{text:?}");
        }
    }

    /// Texts of up to a few hundred bytes, so that words and gaps cross the 64-byte blocks
    /// of [`BlockMasks`] at every offset.
    #[test]
    fn words_across_blocks_equal_unicode_words() {
        let mut pieces = random_texts(200_000);
        for len in 0..20_000 {
            let text: String = (0..len % 40).map_while(|_| pieces.next()).collect();
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            let mut got = Vec::new();
            for_each_word(&text, |s, e, _| got.push((s, &text[s..e])));
            assert_eq!(got, expected, "{text:?}");
        }
        let long_word = format!("{} {}", "x".repeat(200), "Y_9".repeat(70));
        assert_eq!(words(&long_word), ["x".repeat(200), "y_9".repeat(70)]);
    }

    /// [`GapInfo::read`] as it was written first, one char at a time: the reference.
    fn read_gap_by_chars(gap: &str, in_quote: &mut bool) -> (bool, bool, bool, bool) {
        let (mut clause, mut sentence, mut question, mut newlines) = (false, false, false, 0);
        for c in gap.chars() {
            match c {
                '.' | '!' | '?' | '…' => {
                    clause = true;
                    sentence = true;
                    question |= c == '?';
                }
                ',' | ';' | ':' | '(' | ')' | '[' | ']' | '–' | '—' => clause = true,
                '\n' => {
                    newlines += 1;
                    clause = true;
                }
                '“' | '«' | '‘' => *in_quote = true,
                '”' | '»' | '’' => *in_quote = false,
                '"' => *in_quote = !*in_quote,
                _ => {}
            }
        }
        if newlines >= 2 {
            sentence = true;
            *in_quote = false;
        }
        (clause, sentence, newlines >= 2, question)
    }

    #[test]
    fn gaps_read_by_bytes_as_by_chars() {
        let marks = [
            " ", ".", "!", "?", "…", ",", ";", ":", "(", ")", "[", "]", "–", "—", "\n", "\r", "\t",
            "“", "”", "«", "»", "‘", "’", "\"", "-", "é", "‚", "€", "\u{2028}", "¡", "·", "🙂",
            "\u{A0}", "*",
        ];
        let mut rng = crate::test_rng::XorShift::new(7);
        for _ in 0..50_000 {
            let len = (rng.next() % 6) as usize;
            let gap: String = (0..len)
                .map(|_| marks[(rng.next() % marks.len() as u64) as usize])
                .collect();
            for start_in_quote in [false, true] {
                let (mut by_bytes, mut by_chars) = (start_in_quote, start_in_quote);
                let info = GapInfo::read(&gap, &mut by_bytes);
                let got = (
                    info.ends_clause,
                    info.ends_sentence,
                    info.is_paragraph_break,
                    info.has_question_mark,
                );
                assert_eq!(got, read_gap_by_chars(&gap, &mut by_chars), "{gap:?}");
                assert_eq!(by_bytes, by_chars, "quote state after {gap:?}");
            }
        }
    }

    #[test]
    fn block_masks_match_the_byte_classes() {
        let mut rng = crate::test_rng::XorShift::new(42);
        for _ in 0..10_000 {
            let mut block = [0u8; 64];
            for b in &mut block {
                // Mostly ASCII, some of everything else.
                *b = (rng.next()
                    % if rng.next().is_multiple_of(4) {
                        256
                    } else {
                        128
                    }) as u8;
            }
            assert_eq!(block_masks(&block), BlockMasks::scalar(&block), "{block:?}");
        }
        let every_byte: Vec<u8> = (0..=255).collect();
        for base in (0..256).step_by(64) {
            let block: &[u8; 64] = every_byte[base..base + 64].try_into().unwrap();
            assert_eq!(block_masks(block), BlockMasks::scalar(block));
        }
        let masks = BlockMasks::of(b"ab c_1.x;\xE2", 0);
        assert_eq!(masks.word, 0b1011_1011);
        assert_eq!(masks.infix, 0b1_0100_0000);
        assert_eq!(masks.high, 0b10_0000_0000);
        assert_eq!(BlockMasks::of(b"ab", 64), BlockMasks::default());
    }

    /// Numbers each distinct word it is asked about, remembering them.
    #[derive(Default)]
    struct Recorder(std::cell::RefCell<Vec<Vec<u8>>>);

    impl WordCoder for Recorder {
        fn code(&self, text: &[u8], start: usize, end: usize) -> u32 {
            let mut seen = self.0.borrow_mut();
            let word = &text[start..end];
            let k = seen.iter().position(|w| w == word).unwrap_or_else(|| {
                seen.push(word.to_vec());
                seen.len() - 1
            });
            k as u32 + 1
        }
    }

    /// Each token of `text` in `buf` has the code `recorder` gave its normalized word, and the
    /// negated-contraction flag of that word.
    fn assert_codes_name_normalized_words(text: &str, buf: &TokenBuffer, recorder: &Recorder) {
        let seen = recorder.0.borrow();
        for t in &buf.tokens {
            let expected = t.normalized(text);
            let asked = &seen[t.code as usize - 1];
            assert_eq!(asked, expected.as_bytes(), "{text:?}");
            let negated = expected.len() > 3 && expected.ends_with("n't");
            assert_eq!(t.has(NEGATED_CONTRACTION), negated, "{text:?}");
        }
    }

    #[test]
    fn coders_are_asked_about_each_normalized_word() {
        let mut buf = TokenBuffer::default();
        for text in random_texts(20_000) {
            let coder = Recorder::default();
            tokenize_with(&text, &mut buf, &coder);
            assert_codes_name_normalized_words(&text, &buf, &coder);
        }
    }

    /// A [`Recorder`] that knows some packed words at once (`own_code_packed`), as the
    /// phrase matcher does, so the rest are coded after the last word.
    struct KnowsSome(Recorder);

    impl WordCoder for KnowsSome {
        fn code(&self, text: &[u8], start: usize, end: usize) -> u32 {
            self.0.code(text, start, end)
        }

        fn own_code_packed(&self, packed: u64) -> u32 {
            // Words with an even first byte, and never an apostrophe-less contraction.
            let bytes = packed.to_le_bytes();
            let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
            let word = &bytes[..len];
            match bytes[0].is_multiple_of(2) && restore_contraction(word).is_none() {
                true => self.0.code(word, 0, len),
                false => 0,
            }
        }
    }

    #[test]
    fn words_known_at_once_or_later_get_the_same_codes() {
        let mut buf = TokenBuffer::default();
        for text in random_texts(20_000).chain(["Dont Im cant DONT won't Can't x".to_string()]) {
            let coder = KnowsSome(Recorder::default());
            tokenize_with(&text, &mut buf, &coder);
            assert_codes_name_normalized_words(&text, &buf, &coder.0);
        }
    }

    #[test]
    fn packed_words_fold_and_filter_like_bytes() {
        let mut words: Vec<String> = random_texts(20_000)
            .flat_map(|t| {
                t.split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|w| (1..=8).contains(&w.len()))
            .collect();
        let more = [
            "dont", "DONT", "Im", "IVE", "youre", "Thats", "theyre", "client", "n't",
        ];
        words.extend(
            more.into_iter()
                .chain(["won't", "Z@[`{", "AZaz09_"])
                .map(String::from),
        );
        for word in words {
            let bytes = word.as_bytes();
            let lower = lowercase_packed(pack_word(bytes, 0, bytes.len()));
            let expected = word.to_ascii_lowercase();
            assert_eq!(
                lower.to_le_bytes()[..bytes.len()],
                *expected.as_bytes(),
                "{word}"
            );
            let above = lower.checked_shr(8 * bytes.len() as u32).unwrap_or(0);
            assert_eq!(above, 0, "{word}");
            assert_eq!(
                may_be_contraction_packed(lower, bytes.len()),
                may_be_contraction(expected.as_bytes()),
                "{word}"
            );
        }
    }

    #[test]
    fn every_restorable_contraction_passes_the_filter() {
        for word in [
            "dont", "doesnt", "didnt", "cant", "couldnt", "wouldnt", "shouldnt", "isnt", "arent",
            "wasnt", "werent", "havent", "hasnt", "hadnt", "wont", "aint", "mustnt", "im", "ive",
            "youre", "theyre", "thats",
        ] {
            assert!(may_be_contraction(word.as_bytes()), "{word}");
            assert!(restore_contraction(word.as_bytes()).is_some(), "{word}");
            // What `WordCoder::own_code_packed` relies on: no normalized word, so no word a
            // coder knows, is an apostrophe-less contraction.
            assert_ne!(normalize_phrase(word), word);
            assert_ne!(normalize_phrase(&word.to_uppercase()), word);
        }
        assert!(!may_be_contraction(b"the"));
    }

    #[test]
    fn first_non_ascii_finds_the_first_one() {
        for len in 0..40 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0xE2;
                }
                let expected = (at < len).then_some(at);
                assert_eq!(first_non_ascii(&bytes), expected, "{len} {at}");
            }
        }
    }

    #[test]
    fn apostrophes_and_case_fold_to_one_form() {
        assert_eq!(words("can’t"), vec!["can't"]);
        assert_eq!(words("CAN'T"), vec!["can't"]);
        assert_eq!(words("cant"), vec!["can't"]);
        assert_eq!(words("“friends.”"), vec!["friends"]);
    }

    #[test]
    fn offsets_slice_the_original_text() {
        let text = "Ünïcode “friends”, café’s ok 🙂 done";
        let mut buf = TokenBuffer::default();
        tokenize(text, &mut buf);
        for t in &buf.tokens {
            assert!(text.get(t.start as usize..t.end as usize).is_some());
        }
        assert_eq!(normalize_phrase(text), "ünïcode friends café's ok done");
    }

    #[test]
    fn clauses_quotes_and_questions_are_marked() {
        let mut buf = TokenBuffer::default();
        tokenize("I said “no way”, then left. Why?", &mut buf);
        let clause: Vec<u32> = buf.tokens.iter().map(|t| t.clause).collect();
        assert_eq!(clause, vec![0, 0, 0, 0, 1, 1, 2]);
        assert!(buf.tokens[2].has(IN_QUOTE) && buf.tokens[3].has(IN_QUOTE));
        assert!(!buf.tokens[4].has(IN_QUOTE));
        assert!(buf.tokens[6].has(BEFORE_QUESTION_MARK));
        assert!(!buf.tokens[5].has(BEFORE_QUESTION_MARK));
    }

    #[test]
    fn invisible_format_characters_do_not_split_or_hide_words() {
        let mut buf = TokenBuffer::default();
        let text = "\u{202E}we stayed frie\u{2060}nds\u{202C} and \u{200F}boundaries\u{00AD}";
        tokenize(text, &mut buf);
        assert_eq!(normalize_phrase(text), "we stayed friends and boundaries");
        for t in &buf.tokens {
            assert!(
                text.is_char_boundary(t.start as usize) && text.is_char_boundary(t.end as usize)
            );
        }
    }
}
