//! JSON encodings of a table: an array of row objects, or JSON Lines (one object per line).
//! Keys are the column names, in column order.

use std::io::Write;

use super::{format_number, Cell};
use crate::error::{Error, Result};

/// A JSON table being written.
pub struct JsonTable {
    out: Box<dyn Write>,
    keys: Vec<String>,
    is_array: bool,
    rows: u64,
    line: Vec<u8>,
}

impl JsonTable {
    /// Starts the table (`[` for an array).
    pub fn new(columns: Vec<String>, mut out: Box<dyn Write>, is_array: bool) -> Result<Self> {
        if is_array {
            out.write_all(b"[").map_err(Error::Write)?;
        }
        let keys = columns
            .iter()
            .map(|c| serde_json::to_string(c).unwrap_or_default())
            .collect();
        Ok(JsonTable {
            out,
            keys,
            is_array,
            rows: 0,
            line: Vec::new(),
        })
    }

    /// Writes one row object.
    pub fn write_row(&mut self, cells: &[Cell]) -> Result<()> {
        self.line.clear();
        if self.is_array {
            self.line
                .extend_from_slice(if self.rows == 0 { b"\n" } else { b",\n" });
        }
        self.line.push(b'{');
        for (i, (key, cell)) in self.keys.iter().zip(cells).enumerate() {
            if i > 0 {
                self.line.push(b',');
            }
            self.line.extend_from_slice(key.as_bytes());
            self.line.push(b':');
            match cell {
                Cell::Text(s) => {
                    serde_json::to_writer(&mut self.line, s).map_err(|e| Error::Write(e.into()))?
                }
                Cell::Missing => self.line.extend_from_slice(b"null"),
                Cell::Bool(b) => self
                    .line
                    .extend_from_slice(if *b { b"true" } else { b"false" }),
                Cell::Int(n) => self.line.extend_from_slice(n.to_string().as_bytes()),
                Cell::Float(x) => self.line.extend_from_slice(format_number(*x).as_bytes()),
            }
        }
        self.line.push(b'}');
        if !self.is_array {
            self.line.push(b'\n');
        }
        self.rows += 1;
        self.out.write_all(&self.line).map_err(Error::Write)
    }

    /// Closes the array and flushes.
    pub fn finish(mut self) -> Result<()> {
        if self.is_array {
            let end: &[u8] = if self.rows == 0 { b"]\n" } else { b"\n]\n" };
            self.out.write_all(end).map_err(Error::Write)?;
        }
        self.out.flush().map_err(Error::Write)
    }
}
