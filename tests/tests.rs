//! Integration tests: each module runs the built `stance` binary on small fixtures and
//! compares parsed output (CSV/JSON), not bytes.

mod analyze;
mod cli;
mod errors;
mod eval;
mod lexicon;
mod report;
mod util;
