//! A lower bound for the tokenizer (#5): what splitting text into words and looking each word
//! up costs when nothing else is done. Runs of ASCII letters, digits and `'` are words, found
//! from SSE2 bit masks of 64-byte blocks as `stance`'s tokenizer finds them; a word of up to 8
//! bytes is packed into an integer, ASCII lowercased and looked up in a two-choice table of
//! the lexicon's words, read without a branch like `stance`'s; a token of `stance`'s size is
//! pushed. No gaps read (clauses, sentences, questions, quotes, paragraphs), no infix rules,
//! no contractions, no stems, no text outside ASCII, no longer words: `stance`'s tokenizer
//! does all of that, so it cannot reach this time, only approach it. A module of examples,
//! not an example itself.

/// A token of the size `stance` keeps per word (24 bytes).
#[derive(Debug, Clone, Copy, Default)]
#[allow(dead_code)] // written, as `stance` writes its tokens, and never read
pub struct BareToken {
    pub start: u32,
    pub end: u32,
    pub clause: u32,
    pub sentence: u32,
    pub code: u32,
    pub flags: u8,
}

/// Words of up to 8 bytes -> code (1..), two slots per key.
pub struct BareWords {
    slots: Vec<(u64, u32)>,
    shift: u32,
}

impl BareWords {
    /// The table of every word of up to 8 bytes in `phrases` (words split at spaces, `*` and
    /// anything but ASCII letters, digits and `'` dropped).
    pub fn new(phrases: &[&str]) -> BareWords {
        let mut words: Vec<u64> = phrases
            .iter()
            .flat_map(|p| p.split(' '))
            .map(|w| w.trim_end_matches('*').to_ascii_lowercase())
            .filter(|w| !w.is_empty() && w.len() <= 8)
            .map(|w| pack(w.as_bytes()))
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut size = (2 * words.len()).next_power_of_two().max(16);
        loop {
            let mut table = BareWords {
                slots: vec![(0, 0); size],
                shift: 64 - size.trailing_zeros(),
            };
            if (0..).zip(&words).all(|(i, &w)| table.insert(w, i + 1)) {
                return table;
            }
            size *= 2;
        }
    }

    fn insert(&mut self, key: u64, code: u32) -> bool {
        let mut item = (key, code);
        let mut slot = self.homes(key).0;
        for _ in 0..500 {
            std::mem::swap(&mut self.slots[slot], &mut item);
            if item.0 == 0 {
                return true;
            }
            let (first, second) = self.homes(item.0);
            slot = if slot == first { second } else { first };
        }
        false
    }

    #[inline(always)]
    fn homes(&self, key: u64) -> (usize, usize) {
        let first = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift;
        let second = key.wrapping_mul(0xC2B2_AE3D_27D4_EB4F) >> self.shift;
        (first as usize, second as usize)
    }

    #[inline(always)]
    fn get(&self, key: u64) -> u32 {
        let (first, second) = self.homes(key);
        let ((k1, c1), (k2, c2)) = (self.slots[first], self.slots[second]);
        let second = std::hint::select_unpredictable(k2 == key, c2, 0);
        std::hint::select_unpredictable(k1 == key, c1, second)
    }

    /// Splits `text` into `tokens` (replacing them), with codes; `padded` is scratch space
    /// for a copy of the text with zeros after it, so that blocks and words read whole.
    pub fn tokenize(&self, text: &[u8], padded: &mut Vec<u8>, tokens: &mut Vec<BareToken>) {
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
                    self.get(lowercase(word))
                } else {
                    0
                };
                tokens.push(BareToken {
                    start: start as u32,
                    end: end as u32,
                    code,
                    ..BareToken::default()
                });
            }
            if starts != 0 {
                open = Some(base + starts.trailing_zeros() as usize);
            }
            prev_word = word;
        }
    }
}

fn pack(word: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes[..word.len()].copy_from_slice(word);
    u64::from_le_bytes(bytes)
}

/// ASCII lowercase of 8 packed bytes.
#[inline(always)]
fn lowercase(word: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW: u64 = 0x0101_0101_0101_0101;
    let at_least = |c: u8| ((word | HIGH) - LOW * u64::from(c)) & HIGH;
    word | ((at_least(b'A') & !at_least(b'Z' + 1)) >> 2)
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
