//! A deterministic random source for unit tests (xorshift64): the random-text and
//! random-value tests draw from it, so their inputs are the same on every run.

/// Xorshift64 with a fixed seed.
#[derive(Debug, Clone)]
pub(crate) struct XorShift {
    state: u64,
}

impl XorShift {
    /// A source starting from `seed` (not zero).
    pub(crate) fn new(seed: u64) -> XorShift {
        XorShift { state: seed }
    }

    /// The last value drawn, or the seed before the first draw.
    pub(crate) fn last(&self) -> u64 {
        self.state
    }

    /// Draws the next value.
    pub(crate) fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }
}
