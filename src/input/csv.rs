//! Reader for comments in a CSV file with a header row (`--input-format csv`, `--from csv`).
//!
//! Columns are found by name ([`CsvColumns`]: `--id-col`, `--text-col`, `--parent-col`,
//! `--author-col`, `--date-col`, `--thread-col`; defaults `id,text,parent,author,date,thread`).
//! Only the text column must exist; without an id column, ids are row numbers (`1` is the
//! first row under the header). A column named by a flag must exist. Empty parent, author,
//! date and thread cells mean "none". Quoted cells may span lines (RFC 4180); errors name the
//! file and the line where the row starts. Rows are streamed, already parsed
//! (`Record::Parsed`). Dates are kept as written.

use std::path::PathBuf;

use super::{Comment, InputSource, Record, RecordReader};
use crate::error::{Error, Location, Result};

/// One column mapping: the header name, and whether the user named it (then it must exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header name to look for (exact match, then case-insensitive).
    pub name: String,
    /// True when given by a flag: a missing column is then an error.
    pub required: bool,
}

impl Column {
    /// A default mapping, used only if the column exists.
    pub fn default_name(name: &str) -> Column {
        Column {
            name: name.to_string(),
            required: false,
        }
    }

    /// The flag's value if given (required), else the default name (optional).
    pub fn from_flag(flag: Option<&str>, default: &str) -> Column {
        match flag {
            Some(name) => Column {
                name: name.to_string(),
                required: true,
            },
            None => Column::default_name(default),
        }
    }
}

/// Which header names hold which comment field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvColumns {
    /// `--id-col` (default `id`; row numbers when absent).
    pub id: Column,
    /// `--text-col` (default `text`; always required).
    pub text: Column,
    /// `--parent-col` (default `parent`).
    pub parent: Column,
    /// `--author-col` (default `author`).
    pub author: Column,
    /// `--date-col` (default `date`).
    pub date: Column,
    /// `--thread-col` (default `thread`).
    pub thread: Column,
}

impl Default for CsvColumns {
    fn default() -> CsvColumns {
        CsvColumns {
            id: Column::default_name("id"),
            text: Column::default_name("text"),
            parent: Column::default_name("parent"),
            author: Column::default_name("author"),
            date: Column::default_name("date"),
            thread: Column::default_name("thread"),
        }
    }
}

/// Column positions in one file's header.
#[derive(Debug, Clone, Copy, Default)]
struct Positions {
    id: Option<usize>,
    text: usize,
    parent: Option<usize>,
    author: Option<usize>,
    date: Option<usize>,
    thread: Option<usize>,
}

/// Streams CSV rows as parsed comments.
pub struct CsvReader {
    reader: ::csv::Reader<Box<dyn std::io::BufRead + Send>>,
    name: String,
    positions: Positions,
    row: u64,
    bytes: ::csv::ByteRecord,
    record: ::csv::StringRecord,
    /// `--lossy`: invalid UTF-8 becomes U+FFFD.
    lossy: bool,
    /// An empty (or blank) file: zero rows.
    is_empty: bool,
}

impl CsvReader {
    /// Opens `source` and maps its header with `columns`.
    pub fn open(source: &InputSource, columns: &CsvColumns) -> Result<CsvReader> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(source.open()?);
        let header_bytes = reader
            .byte_headers()
            .map_err(|e| csv_error(&source.name, e))?
            .clone();
        let header = to_strings(&header_bytes, source.lossy, &source.name)?;
        let mut bytes = ::csv::ByteRecord::new();
        // An empty or whitespace-only file is valid: zero comments (as for JSON). See #7.
        let is_blank = header.iter().all(|h| h.trim().is_empty());
        let is_empty = is_blank
            && !reader
                .read_byte_record(&mut bytes)
                .map_err(|e| csv_error(&source.name, e))?;
        let positions = if is_empty {
            Positions::default()
        } else {
            map_header(&header, columns, &source.name)?
        };
        Ok(CsvReader {
            reader,
            name: source.name.clone(),
            positions,
            row: 0,
            bytes,
            record: ::csv::StringRecord::new(),
            lossy: source.lossy,
            is_empty,
        })
    }

    fn comment(&self, location: &Location) -> Result<Comment> {
        let p = &self.positions;
        let cell = |i: Option<usize>| {
            i.and_then(|i| self.record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        let id = match p.id {
            Some(_) => cell(p.id).ok_or_else(|| {
                Error::data(location.clone(), "empty id cell (every row needs an id)")
            })?,
            None => self.row.to_string(),
        };
        Ok(Comment {
            text: self.record.get(p.text).unwrap_or("").to_string(),
            parent: cell(p.parent),
            author: cell(p.author),
            date: cell(p.date),
            thread: cell(p.thread),
            labels: None,
            id,
        })
    }
}

impl RecordReader for CsvReader {
    fn next_batch(&mut self, out: &mut Vec<Record>, max: usize) -> Result<bool> {
        if self.is_empty {
            return Ok(false);
        }
        for _ in 0..max {
            let more = self
                .reader
                .read_byte_record(&mut self.bytes)
                .map_err(|e| csv_error(&self.name, e))?;
            if !more {
                return Ok(false);
            }
            self.record = to_strings(&self.bytes, self.lossy, &self.name)?;
            self.row += 1;
            let line = self.record.position().map_or(0, |p| p.line());
            let location = Location::line(self.name.clone(), line);
            let comment = self.comment(&location)?;
            out.push(Record::Parsed(comment, location));
        }
        Ok(true)
    }
}

/// Finds each mapped column in the header; a missing text column (or a missing column named
/// by a flag) is an error listing the columns that exist.
fn map_header(header: &::csv::StringRecord, columns: &CsvColumns, name: &str) -> Result<Positions> {
    let find = |column: &Column, flag: &str| -> Result<Option<usize>> {
        let exact = header.iter().position(|h| h.trim() == column.name);
        let found = exact.or_else(|| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(&column.name))
        });
        match found {
            None if column.required || flag == "--text-col" => {
                let existing: Vec<String> = header.iter().map(|h| format!("`{h}`")).collect();
                Err(Error::data(
                    Location::line(name, 1),
                    format!(
                        "no column `{}` for the comment {} ({flag}); the columns are: {}",
                        column.name,
                        flag.trim_start_matches("--").trim_end_matches("-col"),
                        existing.join(", ")
                    ),
                ))
            }
            other => Ok(other),
        }
    };
    Ok(Positions {
        id: find(&columns.id, "--id-col")?,
        text: find(&columns.text, "--text-col")?.unwrap_or(0),
        parent: find(&columns.parent, "--parent-col")?,
        author: find(&columns.author, "--author-col")?,
        date: find(&columns.date, "--date-col")?,
        thread: find(&columns.thread, "--thread-col")?,
    })
}

/// A row as text: invalid UTF-8 is an error naming the line, field and file byte offset, or
/// U+FFFD with `--lossy`.
fn to_strings(bytes: &::csv::ByteRecord, lossy: bool, name: &str) -> Result<::csv::StringRecord> {
    if lossy {
        return Ok(::csv::StringRecord::from_byte_record_lossy(bytes.clone()));
    }
    ::csv::StringRecord::from_byte_record(bytes.clone()).map_err(|e| {
        let position = bytes.position();
        let location =
            position.map_or_else(|| Location::file(name), |p| Location::line(name, p.line()));
        let field = e.utf8_error().field();
        // The row's start, plus the fields before the bad one (a close lower bound when
        // cells are quoted).
        let before: usize = (0..field).map(|i| bytes[i].len() + 1).sum();
        let offset =
            position.map_or(0, |p| p.byte()) + (before + e.utf8_error().valid_up_to()) as u64;
        Error::data(
            location,
            format!(
                "invalid UTF-8 in field {} (near byte offset {offset} of the file; save it as \
                 UTF-8, or use --lossy to replace bad bytes with U+FFFD)",
                field + 1
            ),
        )
    })
}

/// A CSV reading error at its file and line.
fn csv_error(name: &str, error: ::csv::Error) -> Error {
    let line = error.position().map(|p| p.line());
    let location = match line {
        Some(line) => Location::line(name, line),
        None => Location::file(name),
    };
    match error.into_kind() {
        ::csv::ErrorKind::Io(io) => Error::Read {
            path: PathBuf::from(name),
            source: io,
        },
        ::csv::ErrorKind::Utf8 { err, .. } => Error::data(
            location,
            format!("invalid UTF-8 in field {}", err.field() + 1),
        ),
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Error::data(
            location,
            format!(
                "a row with {len} fields where the header has {expected_len} (an unclosed \
                 quote, or a comma in an unquoted cell?)"
            ),
        ),
        other => Error::data(location, format!("malformed CSV: {other:?}")),
    }
}
