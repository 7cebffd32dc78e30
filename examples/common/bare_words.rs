//! A lower bound for the tokenizer (#5): what splitting text into words and looking each word
//! up costs when nothing else is done. Runs of ASCII letters, digits and `'` are words, found
//! from SSE2 bit masks of 64-byte blocks as `stance`'s tokenizer finds them; a word of up to 8
//! bytes is packed, lowercased and looked up with the lexicon's own coder, in the tokenizer's
//! first step ([`WordCoder::own_code_packed`]); a [`Token`] is pushed. No gaps read (clauses,
//! sentences, questions, quotes, paragraphs), no infix rules, no contractions, no stems, no
//! text outside ASCII, no longer words: `stance`'s tokenizer does all of that, so it cannot
//! reach this time, only approach it. A module of examples, not an example itself.

use stance::tokenize::{lowercase_packed, Token, WordCoder};

/// Splits `text` into `tokens` (replacing them), with codes from `coder`; `padded` is scratch
/// space for a copy of the text with zeros after it, so that blocks and words read whole.
pub fn bare_words(
    text: &[u8],
    coder: &impl WordCoder,
    padded: &mut Vec<u8>,
    tokens: &mut Vec<Token>,
) {
    tokens.clear();
    let n = text.len();
    padded.clear();
    padded.extend_from_slice(text);
    padded.resize(n + 64, 0);
    let mut prev_word = 0u64;
    let mut open = None;
    for base in (0..=n).step_by(64) {
        let block: &[u8; 64] = padded[base..base + 64].try_into().expect("64 bytes");
        let word = word_mask(block);
        let after_word = (word << 1) | (prev_word >> 63);
        let mut starts = word & !after_word;
        let mut ends = !word & after_word;
        while ends != 0 {
            let end = base + ends.trailing_zeros() as usize;
            ends &= ends - 1;
            let start = open.take().unwrap_or_else(|| {
                let start = base + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                start
            });
            let len = end - start;
            let code = if len <= 8 {
                let bytes: [u8; 8] = padded[start..start + 8].try_into().expect("8 bytes");
                let word = u64::from_le_bytes(bytes) & (u64::MAX >> (64 - 8 * len));
                coder.own_code_packed(lowercase_packed(word))
            } else {
                0
            };
            tokens.push(Token {
                start: start as u32,
                end: end as u32,
                clause: 0,
                sentence: 0,
                code,
                flags: 0,
            });
        }
        if starts != 0 {
            open = Some(base + starts.trailing_zeros() as usize);
        }
        prev_word = word;
    }
}

/// Bit `j`: byte `j` of the block is an ASCII letter, digit or `'`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn word_mask(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };
    let mut mask = 0;
    for k in 0..4 {
        // SAFETY: SSE2 is part of every x86-64 processor; the load reads 16 of the block's
        // bytes and has no alignment requirement.
        let bits = unsafe {
            let x = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
            let in_range = |x, low: u8, width: u8| {
                let width = _mm_set1_epi8(width as i8);
                let offset = _mm_sub_epi8(x, _mm_set1_epi8(low as i8));
                _mm_cmpeq_epi8(_mm_max_epu8(offset, width), width)
            };
            let letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', 25);
            let digit = in_range(x, b'0', 9);
            let apostrophe = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\'' as i8));
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), apostrophe)) as u16
        };
        mask |= u64::from(bits) << (16 * k);
    }
    mask
}

#[cfg(not(target_arch = "x86_64"))]
fn word_mask(block: &[u8; 64]) -> u64 {
    (0..64)
        .filter(|&j| block[j].is_ascii_alphanumeric() || block[j] == b'\'')
        .fold(0, |mask, j| mask | 1 << j)
}
