//! Integration tests: each module runs the built `stance` binary on small fixtures and
//! compares parsed output (CSV/JSON), not bytes.

mod analyze;
mod cli;
mod context;
mod errors;
mod eval;
mod explain;
mod failure;
mod hardening;
mod import;
mod lexicon;
mod merge;
mod properties;
mod report;
mod util;
