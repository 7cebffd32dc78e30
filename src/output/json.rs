//! JSON encodings of a table: an array of row objects, or JSON Lines (one object per line).
//! Keys are the column names, in column order.
//!
//! This module turns rows into bytes; [`TableWriter`](super::TableWriter) decides where they
//! go, so rows can be encoded on rayon workers and written in order (#5).

use std::io::Write;
use std::sync::Arc;

use super::escape::push_json_string;
use super::{Cell, NumberText};
use crate::error::{Error, Result};

/// Encodes rows of one JSON table into a byte buffer.
pub struct JsonRows {
    /// What goes before each cell: a comma (but the first), the column name as a JSON string,
    /// a colon. Encoded once, so a cell starts with one copy.
    keys: Arc<[Key]>,
    is_array: bool,
    bytes: Vec<u8>,
    column: usize,
}

/// A cell's key, as [`JsonRows::keys`] holds it.
enum Key {
    /// Most keys: zero-padded to [`SHORT_KEY_BYTES`], with the length of the key.
    Short([u8; SHORT_KEY_BYTES], usize),
    Long(Box<[u8]>),
}

/// Room for a short [`Key`] (the longest built-in column, `"score_professional_voice":`, takes
/// 28 bytes with its comma).
const SHORT_KEY_BYTES: usize = 32;

impl Key {
    fn new(key: Vec<u8>) -> Key {
        if key.len() > SHORT_KEY_BYTES {
            return Key::Long(key.into_boxed_slice());
        }
        let mut padded = [0; SHORT_KEY_BYTES];
        padded[..key.len()].copy_from_slice(&key);
        Key::Short(padded, key.len())
    }

    /// Appends the key to `out`. A short key is copied whole, padding and all, and the
    /// padding cut off: a copy of a fixed size is a few moves, where one of the key's own
    /// length was a call to `memcpy`, whose dispatch on the size the predictor missed at about
    /// every call (16 cells a row; #5).
    #[inline(always)]
    fn push_to(&self, out: &mut Vec<u8>) {
        match self {
            Key::Short(padded, len) => {
                let end = out.len() + len;
                out.extend_from_slice(padded);
                out.truncate(end);
            }
            Key::Long(key) => out.extend_from_slice(key),
        }
    }
}

impl JsonRows {
    /// An encoder for `columns`; `is_array` for one JSON array, else JSON Lines.
    pub fn new(columns: &[String], is_array: bool) -> JsonRows {
        let keys = columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let mut key = Vec::with_capacity(column.len() + 4);
                if i > 0 {
                    key.push(b',');
                }
                push_json_string(&mut key, column);
                key.push(b':');
                Key::new(key)
            })
            .collect();
        JsonRows {
            keys,
            is_array,
            bytes: Vec::new(),
            column: 0,
        }
    }

    /// A new encoder for the same table, with an empty buffer (one per worker).
    pub fn fork(&self) -> JsonRows {
        JsonRows {
            keys: Arc::clone(&self.keys),
            is_array: self.is_array,
            bytes: Vec::new(),
            column: 0,
        }
    }

    /// What comes before the first row: `[` for an array.
    pub fn start_table(&mut self) {
        if self.is_array {
            self.bytes.push(b'[');
        }
    }

    /// What comes after the last of `rows` rows: the end of an array.
    pub fn end_table(&mut self, rows: u64) {
        if self.is_array {
            let end: &[u8] = if rows == 0 { b"]\n" } else { b"\n]\n" };
            self.bytes.extend_from_slice(end);
        }
    }

    /// Starts row number `row` (0-based; an array puts a comma before all but the first).
    pub fn begin_row(&mut self, row: u64) {
        if self.is_array {
            self.bytes
                .extend_from_slice(if row == 0 { b"\n" } else { b",\n" });
        }
        self.bytes.push(b'{');
        self.column = 0;
    }

    /// Adds the next cell of the row (cells past the last column are dropped).
    pub fn push(&mut self, cell: &Cell<'_>) -> Result<()> {
        let Some(key) = self.keys.get(self.column) else {
            return Ok(());
        };
        self.column += 1;
        key.push_to(&mut self.bytes);
        match cell {
            Cell::Text(s) => push_json_string(&mut self.bytes, s),
            Cell::Missing => self.bytes.extend_from_slice(b"null"),
            Cell::Bool(b) => self
                .bytes
                .extend_from_slice(if *b { b"true" } else { b"false" }),
            Cell::Int(n) => write!(self.bytes, "{n}").map_err(Error::Write)?,
            Cell::Float(x) => self.bytes.extend_from_slice(NumberText::new(*x).as_bytes()),
        }
        Ok(())
    }

    /// Ends the row.
    pub fn end_row(&mut self) {
        self.bytes.push(b'}');
        if !self.is_array {
            self.bytes.push(b'\n');
        }
    }

    /// Writes out the bytes encoded so far and clears the buffer (keeping its capacity).
    pub fn write_to(&mut self, out: &mut dyn Write) -> Result<()> {
        out.write_all(&self.bytes).map_err(Error::Write)?;
        self.bytes.clear();
        Ok(())
    }

    /// Takes the bytes encoded so far; the next buffer starts with the same capacity.
    pub fn take(&mut self) -> Vec<u8> {
        let capacity = self.bytes.len();
        std::mem::replace(&mut self.bytes, Vec::with_capacity(capacity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_every_key_short_or_long() {
        let long = "a_category_whose_name_runs_past_thirty_two_bytes".to_string();
        let columns = vec![
            "id".to_string(),
            "score_professional_voice".to_string(),
            "x\"y".to_string(),
            long.clone(),
        ];
        let mut rows = JsonRows::new(&columns, false);
        for row in 0..2 {
            rows.begin_row(row);
            for cell in [
                Cell::Text("c1".into()),
                Cell::Float(0.5),
                Cell::Bool(true),
                Cell::Missing,
            ] {
                rows.push(&cell).unwrap();
            }
            rows.end_row();
        }
        let text = String::from_utf8(rows.take()).unwrap();
        for line in text.lines() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let expected = serde_json::json!({
                "id": "c1",
                "score_professional_voice": 0.5,
                "x\"y": true,
                long.as_str(): null,
            });
            assert_eq!(row, expected);
        }
        assert_eq!(text.lines().count(), 2);
    }
}
