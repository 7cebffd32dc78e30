//! Numbers in tables and evidence: at most 4 decimals, no trailing zeros (`0.5`, `2`,
//! `0.3333`). Not a general formatter: only the one style every output shares.
//!
//! The common case is built on the stack ([`NumberText`]), because a comment row prints a
//! dozen numbers and the row renderer is a hot loop (#5).

use std::fmt::Write as _;

/// Bytes enough for every number the fast path prints: a sign, 9 whole digits (|x| < 10^8
/// rounds to at most 10^8), a point and 4 decimals.
const SHORT_NUMBER_BYTES: usize = 15;

/// Where the fast path puts the decimal point: whole digits are written leftwards from
/// here, decimals rightwards, so neither needs its length known first.
const POINT_AT: usize = 10;

/// Two-digit decimal strings `00` to `99`, for writing decimals a pair at a time.
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// A number as [`format_number`] prints it, without allocating in the common case.
pub enum NumberText {
    /// Printed on the stack: the text is `bytes[start..end]`.
    Short {
        /// Digits around a point at [`POINT_AT`].
        bytes: [u8; SHORT_NUMBER_BYTES],
        /// Where the text starts.
        start: u8,
        /// Where the text ends.
        end: u8,
    },
    /// Printed by the general path (huge numbers, rounding ties, NaN).
    Long(String),
}

impl NumberText {
    /// Prints `x`.
    pub fn new(x: f64) -> NumberText {
        if x == 0.0 {
            // Most scores in a comment row are zero (and -0 prints as 0).
            let mut bytes = [0u8; SHORT_NUMBER_BYTES];
            bytes[0] = b'0';
            return NumberText::Short {
                bytes,
                start: 0,
                end: 1,
            };
        }
        format_number_fast(x).unwrap_or_else(|| NumberText::Long(format_number_slow(x)))
    }

    /// The text, as bytes (ASCII; no UTF-8 check, for encoders that take bytes).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            NumberText::Short { bytes, start, end } => {
                &bytes[usize::from(*start)..usize::from(*end)]
            }
            NumberText::Long(s) => s.as_bytes(),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            NumberText::Short { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            NumberText::Long(s) => s,
        }
    }

    /// Appends the text with a `+` before a number that is not negative: what `{:+}` prints
    /// for the value the text shows (evidence values are written `+1.5`, `-0.75`).
    pub fn push_signed(&self, out: &mut String) {
        match self {
            NumberText::Short { .. } => {
                // At most 10 significant digits, so the text is already the shortest one
                // that reads back as the same f64, which is what `{:+}` would print.
                let text = self.as_bytes();
                if text.first() != Some(&b'-') {
                    out.push('+');
                }
                // Byte by byte: the text is ASCII, and checking that it is UTF-8 to push it as
                // a `str` cost more than pushing it (#5).
                out.extend(text.iter().map(|&byte| char::from(byte)));
            }
            NumberText::Long(s) => {
                let _ = write!(out, "{:+}", s.parse::<f64>().unwrap_or(0.0));
            }
        }
    }
}

/// Formats a number with at most 4 decimals and no trailing zeros (`0.5`, `2`, `0.3333`).
pub fn format_number(x: f64) -> String {
    NumberText::new(x).as_str().to_string()
}

/// The general path of [`format_number`]: round with `format!`, then trim.
fn format_number_slow(x: f64) -> String {
    let x = if x == 0.0 { 0.0 } else { x }; // no "-0"
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// [`format_number`] without `{:.4}`, whose exact-decimal fallback (dragon4) was a few percent
/// of a comment-level run (#5). `x * 10^4` is off from the exact product by far less than
/// 10^-3 for |x| < 10^8, so when it is not within 10^-3 of a rounding tie, rounding it gives
/// the same 4-decimal digits as `{:.4}`; otherwise `None` (use the slow path).
fn format_number_fast(x: f64) -> Option<NumberText> {
    if x.is_nan() || x.abs() >= 1e8 {
        return None;
    }
    let scaled = x * 10_000.0;
    // `floor` and `round` are calls into libm on baseline x86-64; |scaled| < 10^12, so the
    // integer conversions are exact and give the same values (#5).
    let truncated = scaled as i64;
    let floor = truncated - i64::from((truncated as f64) > scaled);
    let above_floor = scaled - floor as f64;
    if (above_floor - 0.5).abs() < 1e-3 {
        return None;
    }
    let units = floor + i64::from(above_floor > 0.5);
    let (whole, frac) = (units.unsigned_abs() / 10_000, units.unsigned_abs() % 10_000);
    let mut bytes = [0u8; SHORT_NUMBER_BYTES];
    let mut end = POINT_AT;
    if frac > 0 {
        let (high, low) = (2 * (frac / 100) as usize, 2 * (frac % 100) as usize);
        bytes[POINT_AT] = b'.';
        bytes[POINT_AT + 1..POINT_AT + 3].copy_from_slice(&DIGIT_PAIRS[high..high + 2]);
        bytes[POINT_AT + 3..POINT_AT + 5].copy_from_slice(&DIGIT_PAIRS[low..low + 2]);
        let trailing_zeros = match (frac % 1000, frac % 100, frac % 10) {
            (0, _, _) => 3,
            (_, 0, _) => 2,
            (_, _, 0) => 1,
            _ => 0,
        };
        end = POINT_AT + 5 - trailing_zeros;
    }
    let mut start = POINT_AT;
    let mut rest = whole;
    loop {
        start -= 1;
        bytes[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if units < 0 {
        start -= 1;
        bytes[start] = b'-';
    }
    Some(NumberText::Short {
        bytes,
        start: start as u8,
        end: end as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_four_decimals() {
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(1.0 / 3.0), "0.3333");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(-0.00001), "0");
        assert_eq!(format_number(-0.0005), "-0.0005");
        assert_eq!(format_number(99_999_999.999_96), "100000000");
    }

    /// Values around the fast path's edges and a spread of scores, weights and factors.
    fn sample_values() -> Vec<f64> {
        let mut rng = crate::test_rng::XorShift::new(0x9e37_79b9_7f4a_7c15);
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.00005,
            0.00015,
            2.675,
            1e7,
            -3.33335,
            1e8,
            -1e8,
            1e20,
            -1e300,
            1152921504606846976.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for _ in 0..200_000 {
            let state = rng.next();
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let weights = [1.0, 1.5, 2.0, 0.5, 2.5];
            let factors = [1.0, 0.6, 1.5, 0.5, 0.3, 0.9, 0.45, 0.18];
            let w = weights[(state % 5) as usize] * factors[((state >> 8) % 8) as usize];
            values.push(w * ((state >> 20) % 7) as f64 - unit);
            values.push((unit - 0.5) * 10f64.powi(((state >> 40) % 12) as i32 - 4));
            values.push(w);
            // Whole numbers, numbers with few decimals, huge and tiny ones, of either sign.
            let sign = if state & 1 == 0 { 1.0 } else { -1.0 };
            values.push(sign * ((state >> 24) % 100_000_000) as f64);
            values.push(sign * ((state >> 30) % 1_000_000) as f64 / 100.0);
            values.push(sign * unit * 10f64.powi(((state >> 44) % 40) as i32 - 20));
        }
        values
    }

    #[test]
    fn the_fast_path_prints_what_the_slow_path_prints() {
        for x in sample_values() {
            assert_eq!(format_number(x), format_number_slow(x), "{x:e}");
        }
    }

    #[test]
    fn signed_numbers_print_what_plus_formatting_the_parsed_number_prints() {
        // Evidence values used to be `{:+}` of `format_number(x)` read back as an f64.
        for x in sample_values() {
            let mut signed = String::new();
            NumberText::new(x).push_signed(&mut signed);
            let old = format!("{:+}", format_number(x).parse::<f64>().unwrap_or(0.0));
            assert_eq!(signed, old, "{x:e}");
        }
    }
}
