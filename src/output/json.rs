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
    keys: Arc<[Box<[u8]>]>,
    is_array: bool,
    bytes: Vec<u8>,
    column: usize,
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
                key.into_boxed_slice()
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
        self.bytes.extend_from_slice(key);
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
