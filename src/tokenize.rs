//! Normalization and Unicode word tokens with byte offsets.
//!
//! A comment becomes a list of [`Token`]s (Unicode word segmentation, UAX #29) and one
//! normalized string: every token case-folded, typographic apostrophes mapped to `'`, common
//! apostrophe-less contractions restored (`dont` -> `don't`), joined by single spaces. The
//! lexicon matches the tokens' normalized words; each token remembers its byte span in the
//! original text (for evidence and highlighting) and in the normalized string.
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
    /// Byte offset of the word in the normalized string.
    pub norm_start: u32,
    /// Byte offset one past the word in the normalized string.
    pub norm_end: u32,
    /// Clause number: increases at clause punctuation and line breaks.
    pub clause: u32,
    /// Sentence number: increases at `.`, `!`, `?` and blank lines.
    pub sentence: u32,
    /// Bit set of `IN_QUOTE`, `NEGATED_CONTRACTION`, `PARAGRAPH_START`, `BEFORE_QUESTION_MARK`.
    pub flags: u8,
}

impl Token {
    /// True when `flag` is set on this token.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// Reusable scratch space for tokenizing one comment at a time (one per worker thread).
#[derive(Debug, Default, Clone)]
pub struct TokenBuffer {
    /// The tokens of the last comment tokenized.
    pub tokens: Vec<Token>,
    /// The normalized text: tokens joined by single spaces.
    pub normalized: String,
}

impl TokenBuffer {
    /// The normalized form of token `i`.
    pub fn word(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.normalized[t.norm_start as usize..t.norm_end as usize]
    }
}

/// Tokenizes `text` into `buf`, replacing what it held.
pub fn tokenize(text: &str, buf: &mut TokenBuffer) {
    buf.tokens.clear();
    buf.normalized.clear();
    let mut state = Tokenizer {
        text,
        buf,
        gap_start: 0,
        clause: 0,
        sentence: 0,
        in_quote: false,
    };
    for_each_word(text, |start, word, spelling| {
        state.push_word(start, word, spelling)
    });
    let gap_start = state.gap_start;
    if let Some(last) = buf.tokens.last_mut() {
        if text[gap_start..].contains('?') {
            last.flags |= BEFORE_QUESTION_MARK;
        }
    }
}

/// The running state of [`tokenize`].
struct Tokenizer<'t, 'b> {
    text: &'t str,
    buf: &'b mut TokenBuffer,
    /// Where the text after the last word starts.
    gap_start: usize,
    clause: u32,
    sentence: u32,
    in_quote: bool,
}

impl Tokenizer<'_, '_> {
    /// Adds the word at `start`, reading the gap before it for structure. Called once per
    /// word of every comment: kept inline and free of allocation (hot loop, #5).
    #[inline(always)]
    fn push_word(&mut self, start: usize, word: &str, spelling: Spelling) {
        let buf = &mut *self.buf;
        let bytes = self.text.as_bytes();
        // Most gaps are one space: nothing to read.
        let is_plain_gap = start == self.gap_start + 1 && bytes[self.gap_start] == b' ';
        let mut flags = 0;
        if !is_plain_gap {
            let gap = GapInfo::read(&self.text[self.gap_start..start], &mut self.in_quote);
            if let Some(prev) = buf.tokens.last_mut() {
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
        if !buf.tokens.is_empty() {
            buf.normalized.push(' ');
        }
        let norm_start = buf.normalized.len();
        normalize_spelled(word, spelling, &mut buf.normalized);
        if self.in_quote {
            flags |= IN_QUOTE;
        }
        let normalized_word = &buf.normalized.as_bytes()[norm_start..];
        if normalized_word.len() > 3 && normalized_word.ends_with(b"n't") {
            flags |= NEGATED_CONTRACTION;
        }
        buf.tokens.push(Token {
            start: start as u32,
            end: (start + word.len()) as u32,
            norm_start: norm_start as u32,
            norm_end: buf.normalized.len() as u32,
            clause: self.clause,
            sentence: self.sentence,
            flags,
        });
        self.gap_start = start + word.len();
    }
}

/// Calls `f(start, word)` for every UAX #29 word of `text`, exactly as
/// `text.unicode_word_indices()` would, but much faster on the text people write.
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
fn for_each_word<'t>(text: &'t str, mut f: impl FnMut(usize, &'t str, Spelling)) {
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
            f(region_start + start, word, Spelling::Other);
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

/// Offset of the first byte of `bytes` outside ASCII. Skips 16 bytes at a time with the
/// standard library's word-at-a-time `is_ascii` (a byte loop was ~4% of a run, #5).
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks(16);
    let ascii_chunks = chunks.by_ref().take_while(|chunk| chunk.is_ascii()).count();
    let from = (ascii_chunks * 16).min(bytes.len());
    bytes[from..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|k| from + k)
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
fn plain_words<'t>(
    text: &'t str,
    from: usize,
    to: usize,
    f: &mut impl FnMut(usize, &'t str, Spelling),
) {
    let s = &text.as_bytes()[from..to];
    let n = s.len();
    // One table load per byte, no per-class branches; plain loops over locals, which compile
    // tighter than iterator adaptors capturing state (hot loop, #5).
    let word_run = |mut i: usize, seen: &mut u8| {
        let mut classes = 0;
        while i < n {
            let class = BYTE_CLASS[s[i] as usize];
            if class & WORD == 0 {
                break;
            }
            classes |= class;
            i += 1;
        }
        *seen |= classes;
        i
    };
    let mut i = 0;
    while i < n {
        while i < n && BYTE_CLASS[s[i] as usize] & WORD == 0 {
            i += 1;
        }
        if i == n {
            break;
        }
        let start = i;
        let mut seen = 0u8;
        let mut is_ascii = true;
        i = word_run(start, &mut seen);
        while i < n && BYTE_CLASS[s[i] as usize] & INFIX != 0 {
            let b = s[i];
            let width = if b == 0xE2 {
                if s.get(i + 1) != Some(&0x80) || !matches!(s.get(i + 2), Some(0x98 | 0x99)) {
                    break;
                }
                3
            } else {
                1
            };
            let (prev, Some(&next)) = (s[i - 1], s.get(i + width)) else {
                break;
            };
            let both_letters = prev.is_ascii_alphabetic() && next.is_ascii_alphabetic();
            let both_digits = prev.is_ascii_digit() && next.is_ascii_digit();
            let joins = match b {
                b',' | b';' => both_digits,
                b':' => both_letters,
                _ => both_letters || both_digits,
            };
            if !joins {
                break;
            }
            is_ascii &= width == 1;
            i = word_run(i + width, &mut seen);
        }
        let word = &s[start..i];
        // A run of `_` alone is not a word (UAX #29 words hold a letter or digit).
        if word[0] == b'_' && word.iter().all(|&b| !b.is_ascii_alphanumeric()) {
            continue;
        }
        let spelling = match (is_ascii, seen & UPPER != 0) {
            (true, false) => Spelling::AsciiLower,
            (true, true) => Spelling::Ascii,
            (false, _) => Spelling::Other,
        };
        f(from + start, &text[from + start..from + i], spelling);
    }
}

/// What [`plain_words`] learned about a word's bytes, so that normalizing it can skip work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelling {
    /// ASCII without capitals: already case-folded.
    AsciiLower,
    /// ASCII with capitals.
    Ascii,
    /// Anything else.
    Other,
}

/// [`BYTE_CLASS`] bit: ASCII letters, digits and `_` (UAX #29 ALetter, Numeric, ExtendNumLet).
const WORD: u8 = 1;
/// [`BYTE_CLASS`] bit: ASCII capitals.
const UPPER: u8 = 4;
/// [`BYTE_CLASS`] bit: may join two word characters (`'` `.` `,` `;` `:`, and 0xE2, the first
/// byte of `‘` and `’`).
const INFIX: u8 = 2;

/// Class bits of every byte, for [`plain_words`].
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            table[b] = WORD;
        }
        if c.is_ascii_uppercase() {
            table[b] |= UPPER;
        }
        if matches!(c, b'\'' | b'.' | b',' | b';' | b':' | 0xE2) {
            table[b] = INFIX;
        }
        b += 1;
    }
    table
};

/// ASCII whitespace: UAX #29 never joins a word character with it (WB3-WB3d, WB999).
fn is_break_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

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
        let mut newlines = 0;
        for c in gap.chars() {
            match c {
                '.' | '!' | '?' | '…' => {
                    info.ends_clause = true;
                    info.ends_sentence = true;
                    info.has_question_mark |= c == '?';
                }
                ',' | ';' | ':' | '(' | ')' | '[' | ']' | '–' | '—' => info.ends_clause = true,
                '\n' => {
                    newlines += 1;
                    info.ends_clause = true;
                }
                '“' | '«' | '‘' => *in_quote = true,
                '”' | '»' | '’' => *in_quote = false,
                '"' => *in_quote = !*in_quote,
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
#[inline]
pub fn normalize_word(word: &str, out: &mut String) {
    normalize_spelled(word, Spelling::Other, out);
}

/// [`normalize_word`], skipping what `spelling` says is not needed.
#[inline]
fn normalize_spelled(word: &str, spelling: Spelling, out: &mut String) {
    let start = out.len();
    if spelling == Spelling::AsciiLower {
        out.push_str(word);
    } else if spelling == Spelling::Ascii || word.is_ascii() {
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
    // A cheap filter first: most words are not restorable, and most words get here (#5).
    if !may_be_contraction(&out.as_bytes()[start..]) {
        return;
    }
    if let Some(full) = restore_contraction(&out[start..]) {
        out.truncate(start);
        out.push_str(full);
    }
}

/// Normalizes a whole phrase the way comment text is normalized: the words joined by spaces.
pub fn normalize_phrase(phrase: &str) -> String {
    let mut buf = TokenBuffer::default();
    tokenize(phrase, &mut buf);
    buf.normalized
}

/// Whether `word` may be one of [`restore_contraction`]'s words: `im`, `ive`, `youre`,
/// `thats`, `theyre`, or 4 to 8 bytes ending in `nt`.
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
/// test `every_restorable_contraction_passes_the_filter` lists them).
fn restore_contraction(word: &str) -> Option<&'static str> {
    Some(match word {
        "dont" => "don't",
        "doesnt" => "doesn't",
        "didnt" => "didn't",
        "cant" => "can't",
        "couldnt" => "couldn't",
        "wouldnt" => "wouldn't",
        "shouldnt" => "shouldn't",
        "isnt" => "isn't",
        "arent" => "aren't",
        "wasnt" => "wasn't",
        "werent" => "weren't",
        "havent" => "haven't",
        "hasnt" => "hasn't",
        "hadnt" => "hadn't",
        "wont" => "won't",
        "aint" => "ain't",
        "mustnt" => "mustn't",
        "im" => "i'm",
        "ive" => "i've",
        "youre" => "you're",
        "theyre" => "they're",
        "thats" => "that's",
        "its" => return None,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut buf = TokenBuffer::default();
        tokenize(text, &mut buf);
        (0..buf.tokens.len())
            .map(|i| buf.word(i).to_string())
            .collect()
    }

    #[test]
    fn chunked_words_equal_unicode_words() {
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
        ];
        let mut state = 0x1234_5678_9abc_def0u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..100_000 {
            let len = (next() % 16) as usize;
            let text: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            let mut got = Vec::new();
            for_each_word(&text, |s, w, spelling| {
                let claimed = match spelling {
                    Spelling::AsciiLower => {
                        w.is_ascii() && !w.bytes().any(|b| b.is_ascii_uppercase())
                    }
                    Spelling::Ascii => w.is_ascii(),
                    Spelling::Other => true,
                };
                assert!(claimed, "{w:?} is not {spelling:?}");
                got.push((s, w))
            });
            assert_eq!(got, expected, "{text:?}");
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
            assert!(restore_contraction(word).is_some(), "{word}");
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
        assert_eq!(buf.normalized, "ünïcode friends café's ok done");
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
        assert_eq!(buf.normalized, "we stayed friends and boundaries");
        for t in &buf.tokens {
            assert!(
                text.is_char_boundary(t.start as usize) && text.is_char_boundary(t.end as usize)
            );
        }
    }
}
