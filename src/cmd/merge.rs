//! `stance merge`: adds up thread-level outputs of disjoint parts of one dataset (issue #5).
//!
//! Each part is the output of `stance analyze --level thread --format json` (or `jsonl`) on
//! one part of a dataset. Rows of the same thread add their counts ([`ThreadStats::merge`]);
//! `dominant_stance` is recomputed from the sums. This equals analyzing the whole dataset only
//! when every thread's comments are in one part, in input order (reply rules need the
//! parent): partition by thread. Threads come out in order of first appearance across the
//! parts as given. This module does not read comments and scores nothing.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::Path;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::cli::MergeArgs;
use crate::config::output_format;
use crate::error::{Error, Location, Result};
use crate::lexicon::Lexicon;
use crate::output::rows::{thread_columns, thread_row};
use crate::output::{CsvOptions, Destination, TableWriter};
use crate::thread::ThreadStats;

use crate::output::rows::THREAD_LEADING_COLUMNS as LEADING_COLUMNS;
/// The last column of every thread table (recomputed, never read).
const DOMINANT_COLUMN: &str = "dominant_stance";

/// Runs `stance merge`.
pub fn run(args: &MergeArgs) -> Result<()> {
    let mut merged = Merged::default();
    for path in &args.parts {
        merged.add_part(path)?;
    }
    let columns = match merged.columns.take() {
        Some(columns) => columns,
        // Only empty parts: nothing says which flags there were; use the built-in ones.
        None => thread_columns(&Lexicon::builtin()),
    };
    let csv = CsvOptions {
        neutralize_formulas: !args.table.raw_csv,
        excel_bom: args.table.excel,
    };
    let (destination, out) = Destination::open(args.table.output.as_deref())?;
    let mut table = TableWriter::new(output_format(args.table.format), columns, out, csv)?;
    for stats in &merged.threads {
        table.write_row(&thread_row(stats))?;
    }
    table.finish()?;
    destination.commit()
}

/// Threads added up so far.
#[derive(Default)]
struct Merged {
    /// Column names of the first part that had rows (and the file they came from).
    columns: Option<Vec<String>>,
    columns_from: String,
    threads: Vec<ThreadStats>,
    by_key: HashMap<String, usize>,
}

impl Merged {
    fn add_part(&mut self, path: &Path) -> Result<()> {
        let name = path.display().to_string();
        let bytes = fs::read(path).map_err(|e| Error::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        let text = std::str::from_utf8(crate::input::strip_bom(&bytes))
            .map_err(|e| crate::input::utf8_error(&Location::file(name.clone()), &bytes, e))?;
        for (row, location) in read_rows(text, &name)? {
            self.add_row(row, &location)?;
        }
        Ok(())
    }

    fn add_row(&mut self, row: Row, location: &Location) -> Result<()> {
        let names: Vec<String> = row.0.iter().map(|(k, _)| k.clone()).collect();
        check_columns(&names, location)?;
        match &self.columns {
            None => {
                self.columns = Some(names);
                self.columns_from = location.to_string();
            }
            Some(columns) if *columns != names => {
                return Err(Error::data(
                    location.clone(),
                    format!(
                        "columns differ from {} ({} vs {}); parts must come from the same \
                         lexicons",
                        self.columns_from,
                        names.join(","),
                        columns.join(",")
                    ),
                ))
            }
            Some(_) => {}
        }
        let stats = thread_stats(row, location)?;
        match self.by_key.get(&stats.thread) {
            Some(&i) => self.threads[i].merge(&stats),
            None => {
                self.by_key.insert(stats.thread.clone(), self.threads.len());
                self.threads.push(stats);
            }
        }
        Ok(())
    }
}

/// The rows of one part with their locations: a JSON array (`--format json`) or JSON Lines.
fn read_rows(text: &str, name: &str) -> Result<Vec<(Row, Location)>> {
    let json_error = |e: serde_json::Error, line: u64| {
        let line = line + e.line().saturating_sub(1) as u64;
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |p| p.0);
        Error::data(
            Location::at(name, line, e.column() as u64),
            format!(
                "not a thread table from `stance analyze --level thread --format json|jsonl`: \
                 {message}"
            ),
        )
    };
    if text.trim_start().starts_with('[') {
        let rows: Vec<Row> = serde_json::from_str(text).map_err(|e| json_error(e, 1))?;
        return Ok(rows
            .into_iter()
            .enumerate()
            // Rows of `--format json` are one per line after the opening `[`.
            .map(|(i, r)| (r, Location::line(name, i as u64 + 2)))
            .collect());
    }
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(line).map_err(|e| json_error(e, n as u64 + 1))?;
        rows.push((row, Location::line(name, n as u64 + 1)));
    }
    Ok(rows)
}

/// Checks that `names` look like a thread table: the leading columns, flags, dominant stance.
fn check_columns(names: &[String], location: &Location) -> Result<()> {
    let fixed = LEADING_COLUMNS.len();
    let is_thread_table = names.len() > fixed
        && names[..fixed]
            .iter()
            .zip(LEADING_COLUMNS)
            .all(|(a, b)| a == b)
        && names.last().is_some_and(|n| n == DOMINANT_COLUMN);
    if is_thread_table {
        Ok(())
    } else {
        Err(Error::data(
            location.clone(),
            format!(
                "not a thread-level row (columns {}); merge takes the output of \
                 `stance analyze --level thread --format json` or `--format jsonl`",
                names.join(",")
            ),
        ))
    }
}

/// Reads one checked row into stats (the dominant stance is dropped: it is recomputed).
fn thread_stats(row: Row, location: &Location) -> Result<ThreadStats> {
    let bad = |column: &str, what: &str| {
        Error::data(location.clone(), format!("`{column}` must be {what}"))
    };
    let text = |(column, value): &(String, Value)| match value {
        Value::String(s) => Ok(Some(s.clone())),
        Value::Null => Ok(None),
        _ => Err(bad(column, "a string or null")),
    };
    let count =
        |(column, value): &(String, Value)| value.as_u64().ok_or_else(|| bad(column, "a count"));
    let cells = &row.0;
    let fixed = LEADING_COLUMNS.len();
    let mut stats = ThreadStats {
        thread: text(&cells[0])?.ok_or_else(|| bad("thread", "a string"))?,
        root_id: text(&cells[1])?,
        root_author: text(&cells[2])?,
        comments: count(&cells[3])?,
        ..ThreadStats::default()
    };
    for (slot, cell) in stats.stances.iter_mut().zip(&cells[4..fixed]) {
        *slot = count(cell)?;
    }
    stats.flags = cells[fixed..cells.len() - 1]
        .iter()
        .map(count)
        .collect::<Result<_>>()?;
    Ok(stats)
}

/// One row object with its keys in file order (serde_json's map would sort them).
struct Row(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Row, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = Row;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a row object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Row, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, Value>()? {
                    pairs.push(pair);
                }
                Ok(Row(pairs))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> std::result::Result<Row, A::Error> {
                Err(serde::de::Error::custom(
                    "expected a row object, found an array",
                ))
            }
        }
        deserializer.deserialize_map(RowVisitor)
    }
}
