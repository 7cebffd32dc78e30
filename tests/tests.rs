//! Integration tests: each module runs the built `stance` binary on small fixtures and
//! compares parsed output (CSV/JSON), not bytes.

mod analyze;
mod errors;
mod eval;
mod failure;
mod hardening;
mod lexicon;
mod properties;
mod util;
