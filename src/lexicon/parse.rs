//! The lexicon file format: one entry per line (`phrase`, `phrase | weight`, `friend*`,
//! `author: LPC`), `#` comments and `#!` directives. Every problem names the file and line.
//! `mod.rs` turns parsed files into categories and automata.

use std::collections::HashMap;

use super::{Entry, SourceFile, Target};
use crate::error::{Error, Location, Result};
use crate::tokenize::normalize_phrase;

/// A parsed lexicon file.
pub(super) struct ParsedFile {
    pub(super) entries: Vec<Entry>,
    pub(super) threshold: Option<f64>,
}

/// Parses one lexicon file; every problem names the file and line.
pub(super) fn parse_file(file: &SourceFile, target: Target) -> Result<ParsedFile> {
    let mut parsed = ParsedFile {
        entries: Vec::new(),
        threshold: None,
    };
    let mut seen: HashMap<(String, bool, bool), u64> = HashMap::new();
    let mut negated_keeps = false;
    for (n, raw) in file.text.lines().enumerate() {
        let line_no = n as u64 + 1;
        let location = || Location::line(file.name.clone(), line_no);
        let line = raw.trim_start_matches('\u{feff}').trim();
        if let Some(directive) = line.strip_prefix("#!") {
            match parse_directive(directive, location)? {
                Directive::Threshold(t) => parsed.threshold = Some(t),
                Directive::NegatedKeeps(keep) => negated_keeps = keep,
            }
            continue;
        }
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut entry = parse_entry(line, target, location())?;
        entry.negation_keeps_pole = negated_keeps;
        let key = (entry.phrase.clone(), entry.is_prefix, entry.is_author);
        if let Some(first) = seen.insert(key, line_no) {
            return Err(Error::lexicon(
                location(),
                format!("duplicate entry `{line}` (first at line {first})"),
            ));
        }
        parsed.entries.push(entry);
    }
    Ok(parsed)
}

/// A `#!` line of a lexicon file.
enum Directive {
    /// `#! threshold = N`: the flag threshold of the file's category.
    Threshold(f64),
    /// `#! negated = keep|flip`: whether a negated entry below still counts for its own pole
    /// (entries that name a violation: "without a dual relationship", "can't cross the line").
    NegatedKeeps(bool),
}

fn parse_directive(directive: &str, location: impl Fn() -> Location) -> Result<Directive> {
    let (key, value) = directive.split_once('=').unwrap_or((directive, ""));
    let value = value.trim();
    match key.trim() {
        "threshold" => value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0)
            .map(Directive::Threshold)
            .ok_or_else(|| {
                Error::lexicon(
                    location(),
                    format!("threshold `{value}` is not a positive number"),
                )
            }),
        "negated" => match value {
            "keep" => Ok(Directive::NegatedKeeps(true)),
            "flip" => Ok(Directive::NegatedKeeps(false)),
            _ => Err(Error::lexicon(
                location(),
                format!("`#! negated = {value}`: write `keep` or `flip`"),
            )),
        },
        _ => Err(Error::lexicon(
            location(),
            format!(
                "unknown directive `#!{directive}`; directives are `#! threshold = N` and \
                 `#! negated = keep|flip`"
            ),
        )),
    }
}

/// Parses `phrase`, `phrase | weight`, `phrase<TAB>weight`, with an optional `author:` prefix
/// and an optional `*` ending the last word.
pub(super) fn parse_entry(line: &str, target: Target, origin: Location) -> Result<Entry> {
    let (phrase, weight) = match line.rsplit_once(['|', '\t']) {
        Some((phrase, weight)) => {
            let weight = weight.trim();
            let value = weight
                .parse::<f64>()
                .ok()
                .filter(|w| w.is_finite())
                .ok_or_else(|| {
                    Error::lexicon(
                        origin.clone(),
                        format!("weight `{weight}` is not a number (write `phrase | 2.5`)"),
                    )
                })?;
            (phrase.trim(), value)
        }
        None => (line, 1.0),
    };
    let (phrase, is_author) = match phrase.strip_prefix("author:") {
        Some(rest) => (rest.trim(), true),
        None => (phrase, false),
    };
    if phrase == "*" {
        return Err(Error::lexicon(
            origin,
            "a lone `*`: a wildcard must end a word (`friend*`)",
        ));
    }
    let is_prefix = phrase.ends_with('*');
    let bare = phrase.trim_end_matches('*');
    if bare.contains('*') {
        return Err(Error::lexicon(
            origin,
            format!("`{phrase}`: `*` may only end the last word"),
        ));
    }
    if is_prefix && bare.ends_with(char::is_whitespace) {
        return Err(Error::lexicon(
            origin,
            format!("`{phrase}`: `*` must touch the word it ends (`friend*`)"),
        ));
    }
    if !bare.chars().any(char::is_alphabetic) {
        return Err(Error::lexicon(origin, format!("`{phrase}` has no letters")));
    }
    let normalized = normalize_phrase(bare);
    let words = normalized.split(' ').count() as u32;
    Ok(Entry {
        phrase: normalized,
        target,
        weight,
        is_prefix,
        words,
        is_author,
        negation_keeps_pole: false,
        origin,
    })
}
