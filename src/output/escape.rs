//! JSON string escaping for the row encoders: the bytes `serde_json` writes for a `&str`,
//! without its per-string formatter machinery. Not a JSON serializer: strings only.
//!
//! Row text is mostly clean (ids, labels, evidence), so the scan skips eight bytes at a time
//! with word arithmetic and copies clean runs in one go; `serde_json` looked at every byte
//! through a table and wrote through `io::Write`, about a quarter of a comment row's cost (#5).
//!
//! Like `serde_json`, this escapes `"`, `\` and the control bytes below 0x20, nothing else
//! (not DEL, not U+2028/U+2029, not `/`), so output stays byte-identical.

/// Bytes in the word the scan skips clean text by.
const WORD_BYTES: usize = 8;

/// `0x01` in every byte of a word.
const EVERY_BYTE_ONE: u64 = u64::from_le_bytes([1; WORD_BYTES]);

/// `0x80` in every byte of a word: the bits the word tests below report in.
const EVERY_BYTE_HIGH_BIT: u64 = EVERY_BYTE_ONE * 0x80;

/// Appends `text` as a JSON string, quotes included, escaped exactly as `serde_json` does.
pub fn push_json_string(out: &mut Vec<u8>, text: &str) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut copied = 0;
    while let Some(at) = find_escape(&bytes[copied..]) {
        let at = copied + at;
        out.extend_from_slice(&bytes[copied..at]);
        push_escape(out, bytes[at]);
        copied = at + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// Whether JSON needs `byte` escaped inside a string.
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Where the first byte that needs escaping is, if any.
fn find_escape(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(WORD_BYTES);
    let mut offset = 0;
    for word in &mut words {
        let found = escape_bits(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        if found != 0 {
            // The lowest bit found is the first byte (little-endian: byte i is bits 8i..8i+8).
            return Some(offset + found.trailing_zeros() as usize / 8);
        }
        offset += WORD_BYTES;
    }
    let rest = words.remainder().iter().position(|&b| needs_escape(b))?;
    Some(offset + rest)
}

/// The high bit of each byte of `word` that needs escaping (a control byte, `"` or `\`), and
/// maybe of bytes above such a byte. The usual tests (Hacker's Delight, "find a zero byte"):
/// `x - 0x01..01 & !x` sets the high bit of a zero byte of `x`, and `x - n*0x01..01 & !x` of a
/// byte below `n` (for `n <= 0x80`); a borrow can set a bit spuriously, but only above a byte
/// that truly matched. So the result is zero iff no byte needs escaping, and its lowest bit is
/// always a true one.
fn escape_bits(word: u64) -> u64 {
    let zero_bytes = |x: u64| x.wrapping_sub(EVERY_BYTE_ONE) & !x;
    let control = word.wrapping_sub(EVERY_BYTE_ONE * 0x20) & !word;
    let quote = zero_bytes(word ^ (EVERY_BYTE_ONE * u64::from(b'"')));
    let backslash = zero_bytes(word ^ (EVERY_BYTE_ONE * u64::from(b'\\')));
    (control | quote | backslash) & EVERY_BYTE_HIGH_BIT
}

/// Appends the escape of one byte that [`needs_escape`]: the short forms `serde_json` uses,
/// else `\u00XX` with lowercase hex.
fn push_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
    let short: &[u8] = match byte {
        b'"' => br#"\""#,
        b'\\' => br"\\",
        0x08 => br"\b",
        b'\t' => br"\t",
        b'\n' => br"\n",
        0x0C => br"\f",
        b'\r' => br"\r",
        _ => {
            let high = HEX_DIGITS[usize::from(byte >> 4)];
            let low = HEX_DIGITS[usize::from(byte & 0xF)];
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
            return;
        }
    };
    out.extend_from_slice(short);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(text: &str) -> String {
        let mut out = Vec::new();
        push_json_string(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    /// Strings with every byte that needs escaping, at every offset in and across words, next
    /// to multi-byte characters and the characters JSON encoders disagree about.
    fn tricky_strings() -> Vec<String> {
        let mut strings: Vec<String> = [
            "",
            "plain",
            "exactly8",
            "sixteen bytes ok",
            "\"",
            "\\",
            "\"\\\"\\",
            "say \"hi\" to C:\\path\\",
            "tab\there, newline\n, cr\r, ff\x0C, bs\x08, nul\0, unit\x1F, esc\x1B",
            "del\x7F and slash / and </script>",
            "line\u{2028}para\u{2029}end",
            "ünïcödé ✓ “quotes” ’ \u{FEFF} \u{10FFFF} 😀",
            "~!#$%&'()*+,-.:;<=>?@[]^_`{|}",
            " !\"#",
        ]
        .map(String::from)
        .to_vec();
        // Every byte below 0x80, alone and at each offset of a word and the next.
        for byte in 0u8..0x80 {
            for offset in 0..18 {
                let mut s = "x".repeat(offset);
                s.push(char::from(byte));
                s.push_str("tail after it");
                strings.push(s);
            }
        }
        // Pseudo-random mixes of clean and escaped characters.
        let pieces = [
            "a", "é", "\"", "\\", "\n", "\u{1}", "\u{2028}", "😀", " ", "\x7F", "zz",
        ];
        let mut rng = crate::test_rng::XorShift::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..5_000 {
            let mut s = String::new();
            for _ in 0..(rng.last() % 40) {
                let state = rng.next();
                s.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            strings.push(s);
        }
        strings
    }

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_escapes_them() {
        for text in tricky_strings() {
            assert_eq!(
                encoded(&text),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_char_below_0x80_is_escaped_as_serde_json_escapes_it() {
        for byte in 0u8..0x80 {
            let text = char::from(byte).to_string();
            assert_eq!(encoded(&text), serde_json::to_string(&text).unwrap());
        }
    }

    #[test]
    fn the_word_test_finds_the_first_byte_the_byte_test_finds() {
        let mut rng = crate::test_rng::XorShift::new(0x9e37_79b9_7f4a_7c15);
        let interesting = [
            0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA0, 0xE2, 0xFF,
        ];
        for _ in 0..200_000 {
            let state = rng.next();
            let mut bytes = state.to_le_bytes();
            // Up to three planted bytes, so a true match can sit below and above another.
            for plant in 0..(state % 4) {
                let at = (state >> (40 + 4 * plant)) as usize % 8;
                bytes[at] = interesting[(state >> (20 + 5 * plant)) as usize % 14];
            }
            let expected = bytes.iter().position(|&b| needs_escape(b));
            assert_eq!(find_escape(&bytes), expected, "{bytes:x?}");
        }
    }
}
