//! CSV encoding of a table: a header row, then one record per row.
//!
//! This module turns rows into bytes (with the `csv` crate, so quoting is its); the
//! [`TableWriter`](super::TableWriter) decides where they go, so rows can be encoded on rayon
//! workers and written in order (#5).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::{Mutex, PoisonError};

use super::{Cell, CsvOptions, NumberText};
use crate::error::{Error, Result};

/// The UTF-8 byte order mark `--excel` starts the file with.
pub const EXCEL_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Encodes rows of one CSV table into a byte buffer.
pub struct CsvRows {
    writer: ::csv::Writer<Encoded>,
    options: CsvOptions,
    /// A neutralized cell (`'` and the text), reused.
    scratch: String,
}

/// Where the csv writer puts its bytes. `csv::Writer` lends only a shared reference to its
/// destination, so the bytes are taken out through a lock (never contended: an encoder is used
/// by one thread; a `Cell` would do but would make encoders `!Sync`, and a table's encoder is
/// the template workers fork theirs from).
#[derive(Default)]
struct Encoded(Mutex<Vec<u8>>);

impl Encoded {
    fn bytes(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Write for Encoded {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl CsvRows {
    /// An encoder with `options`.
    pub fn new(options: CsvOptions) -> CsvRows {
        CsvRows {
            writer: ::csv::WriterBuilder::new().from_writer(Encoded::default()),
            options,
            scratch: String::new(),
        }
    }

    /// A new encoder for the same table, with empty buffers (one per worker).
    pub fn fork(&self) -> CsvRows {
        CsvRows::new(self.options)
    }

    /// The header row.
    pub fn start_table(&mut self, columns: &[String]) -> Result<()> {
        self.writer.write_record(columns)?;
        Ok(())
    }

    /// Adds the next cell of the row.
    pub fn push(&mut self, cell: &Cell<'_>) -> Result<()> {
        let scratch = &mut self.scratch;
        let number;
        let field: &[u8] = match cell {
            Cell::Text(s) if self.options.neutralize_formulas && is_formula_like(s) => {
                scratch.clear();
                scratch.push('\'');
                scratch.push_str(s);
                scratch.as_bytes()
            }
            Cell::Text(s) => s.as_bytes(),
            Cell::Missing => b"",
            Cell::Bool(true) => b"true",
            Cell::Bool(false) => b"false",
            Cell::Int(n) => {
                scratch.clear();
                let _ = write!(scratch, "{n}");
                scratch.as_bytes()
            }
            Cell::Float(x) => {
                number = NumberText::new(*x);
                number.as_bytes()
            }
        };
        self.writer.write_field(field)?;
        Ok(())
    }

    /// Ends the row.
    pub fn end_row(&mut self) -> Result<()> {
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Writes out the bytes encoded so far and clears the buffer (keeping its capacity).
    pub fn write_to(&mut self, out: &mut dyn Write) -> Result<()> {
        self.writer.flush().map_err(Error::Write)?;
        let mut bytes = self.writer.get_ref().bytes();
        let written = out.write_all(&bytes).map_err(Error::Write);
        bytes.clear();
        written
    }

    /// Takes the bytes encoded so far; the next buffer starts with the same capacity.
    pub fn take(&mut self) -> Result<Vec<u8>> {
        self.writer.flush().map_err(Error::Write)?;
        let mut bytes = self.writer.get_ref().bytes();
        let capacity = bytes.len();
        Ok(std::mem::replace(&mut bytes, Vec::with_capacity(capacity)))
    }
}

/// Cells a spreadsheet would run as a formula (CSV injection): see issue #6.
fn is_formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}
