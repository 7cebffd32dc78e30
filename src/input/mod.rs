//! Readers: every supported input shape -> one [`Comment`] type.
//!
//! An input is a file or standard input ([`InputSource`]). Its shape is detected from the
//! content ([`InputFormat::Auto`]) or forced with `--input-format`. Readers hand out
//! [`Record`]s in input order, in batches: either an already-parsed comment (JSON documents,
//! which are read whole, and CSV rows) or a raw JSON line (canonical or Reddit), which the
//! pipeline parses on a worker thread so that parsing runs in parallel with nothing held but
//! the current batch. Page text ([`page`]) is read by `stance import` only: its reply links
//! need the whole page.
//!
//! Every input is read twice by the pipeline: once for ids and reply links only
//! ([`Record::keys`]), once in full. Standard input is buffered in memory for that; files are
//! streamed (see README "Memory").

pub mod csv;
pub mod json;
pub mod page;
pub mod reddit;

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{Error, Location, Result};

/// One reader comment, whatever file shape it came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comment {
    /// Unique id (numbers are read as their decimal text, so `5` and `"5"` are one id).
    pub id: String,
    /// The comment text (may be empty).
    pub text: String,
    /// Id of the comment replied to.
    pub parent: Option<String>,
    /// Author name.
    pub author: Option<String>,
    /// Date as given (ISO 8601 from `import`).
    pub date: Option<String>,
    /// Explicit thread id; otherwise the thread is the root of the reply chain.
    pub thread: Option<String>,
    /// Gold labels, when the file carries them (`stance eval`).
    pub labels: Option<GoldLabels>,
}

/// The parts of a comment the reply graph needs (first pass).
///
/// One is kept per comment of the whole dataset while the graph is built, so it is compact:
/// boxed strings (no spare capacity), and a shared thread id (consecutive comments of one
/// thread share one allocation; see `pipeline`). Peak memory on 1M comments, issue #5.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommentKey {
    /// Unique id.
    pub id: Box<str>,
    /// Id of the comment replied to.
    pub parent: Option<Box<str>>,
    /// Explicit thread id.
    pub thread: Option<Arc<str>>,
}

/// A [`CommentKey`] as a record's parse gives it: the thread id may still borrow the record's
/// line, so that pass 1 makes one shared thread id per run of comments of one thread instead of
/// allocating one per comment only to drop it (#5).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordKey<'a> {
    /// Unique id.
    pub id: Box<str>,
    /// Id of the comment replied to.
    pub parent: Option<Box<str>>,
    /// Explicit thread id.
    pub thread: Option<Cow<'a, str>>,
}

/// Hand-made labels of a comment, as in `goodtherapy.gold.json` (see LABELS.md).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldLabels {
    /// `pro-boundary`, `pro-friendship`, `mixed` or `neutral`.
    pub stance: String,
    /// Whether the comment is a first-person story of harm.
    #[serde(default)]
    pub harm_story: bool,
    /// Whether the writer speaks as a clinician.
    #[serde(default)]
    pub professional_voice: bool,
}

/// Where comments come from.
#[derive(Debug, Clone)]
pub struct InputSource {
    /// The name used in messages: the path as given, or `<stdin>`.
    pub name: String,
    data: SourceData,
    /// Replace invalid UTF-8 with U+FFFD instead of failing (`--lossy`).
    pub lossy: bool,
}

#[derive(Debug, Clone)]
enum SourceData {
    File(PathBuf),
    Bytes(Arc<Vec<u8>>),
}

impl InputSource {
    /// A file on disk (`-` means standard input: see [`InputSource::stdin`]).
    pub fn file(path: PathBuf) -> InputSource {
        InputSource {
            name: path.display().to_string(),
            data: SourceData::File(path),
            lossy: false,
        }
    }

    /// Standard input, read whole now so that it can be read twice.
    pub fn stdin() -> Result<InputSource> {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Read {
                path: PathBuf::from("<stdin>"),
                source: e,
            })?;
        Ok(InputSource::bytes("<stdin>", bytes))
    }

    /// In-memory bytes with a display name (tests, stdin).
    pub fn bytes(name: &str, bytes: Vec<u8>) -> InputSource {
        InputSource {
            name: name.to_string(),
            data: SourceData::Bytes(Arc::new(bytes)),
            lossy: false,
        }
    }

    /// Opens the source for a fresh read from its start.
    pub fn open(&self) -> Result<Box<dyn BufRead + Send>> {
        match &self.data {
            SourceData::File(path) => {
                let file = File::open(path).map_err(|e| Error::Read {
                    path: path.clone(),
                    source: e,
                })?;
                Ok(Box::new(BufReader::with_capacity(READ_BUFFER_BYTES, file)))
            }
            SourceData::Bytes(bytes) => Ok(Box::new(io::Cursor::new(SharedBytes(bytes.clone())))),
        }
    }

    /// The file extension, lower-cased, if the source is a file.
    pub fn extension(&self) -> Option<String> {
        match &self.data {
            SourceData::File(path) => path
                .extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_ascii_lowercase()),
            SourceData::Bytes(_) => None,
        }
    }

    /// A location naming this source.
    pub fn location(&self) -> Location {
        Location::file(self.name.clone())
    }

    /// The same source, replacing invalid UTF-8 with U+FFFD when `lossy` (`--lossy`).
    pub fn with_lossy(mut self, lossy: bool) -> InputSource {
        self.lossy = lossy;
        self
    }

    /// Decodes `bytes` (found at byte `offset` of this source, at `location`) as UTF-8: an
    /// error naming the place and the file byte offset, or U+FFFD replacements when lossy.
    pub fn decode<'a>(
        &self,
        bytes: &'a [u8],
        offset: u64,
        location: &Location,
    ) -> Result<std::borrow::Cow<'a, str>> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(std::borrow::Cow::Borrowed(text)),
            Err(_) if self.lossy => Ok(String::from_utf8_lossy(bytes)),
            Err(e) => Err(utf8_error_at(location, bytes, e, offset)),
        }
    }
}

/// Buffer size for reading input files.
pub const READ_BUFFER_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone)]
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The shape of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Detect from the content (and extension).
    Auto,
    /// One JSON document: an object with a `comments` array, or an array.
    Json,
    /// JSON Lines, one comment object per line.
    Jsonl,
    /// Reddit/Pushshift comment dumps as JSON Lines (see [`reddit`]).
    Reddit,
    /// CSV with a header row (see [`csv`]).
    Csv,
}

impl InputFormat {
    /// Names accepted by `--input-format`.
    pub const NAMES: &'static [&'static str] = &["auto", "json", "jsonl", "reddit", "csv"];

    /// The name used in messages and flags.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Json => "json",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Reddit => "reddit",
            InputFormat::Csv => "csv",
        }
    }
}

/// One item of input, in order: a parsed comment or a raw line to parse on a worker.
///
/// A raw line carries its line number only, not a [`Location`]: the source's name is given to
/// [`Record::parse`] and [`Record::keys`], and a location is made only for an error (one
/// allocation per line and pass less, #5).
#[derive(Debug, Clone)]
pub enum Record {
    /// A comment already parsed (JSON documents).
    Parsed(Comment, Location),
    /// One JSON Lines line and its line number.
    JsonLine(String, u64),
    /// A line that could not even be read as text (invalid UTF-8): the message and location.
    /// Kept as a record so that both pipeline passes see the same bad line (`--skip-bad-lines`).
    Invalid(String, Location),
    /// One line of a Reddit dump and its line number.
    RedditLine(String, u64),
}

impl Record {
    /// Parses the record in full; `source` is the name of the input it came from.
    pub fn parse(self, source: &str) -> Result<Comment> {
        match self {
            Record::Parsed(comment, _) => Ok(comment),
            Record::JsonLine(line, n) => json::parse_owned_line(line, || Location::line(source, n)),
            Record::Invalid(message, location) => Err(Error::data(location, message)),
            Record::RedditLine(line, n) => reddit::parse_line(&line, &Location::line(source, n)),
        }
    }

    /// Parses the record in full without taking it (pass 1 with `--skip-bad-lines`): no copy
    /// of the line.
    pub fn parse_ref(&self, source: &str) -> Result<Comment> {
        match self {
            Record::Parsed(comment, _) => Ok(comment.clone()),
            Record::JsonLine(line, n) => json::parse_line(line, &Location::line(source, *n)),
            Record::Invalid(message, location) => Err(Error::data(location.clone(), message)),
            Record::RedditLine(line, n) => reddit::parse_line(line, &Location::line(source, *n)),
        }
    }

    /// Parses only what the reply graph needs; `source` is the name of the input.
    pub fn keys(&self, source: &str) -> Result<RecordKey<'_>> {
        match self {
            Record::Parsed(c, _) => Ok(RecordKey {
                id: c.id.as_str().into(),
                parent: c.parent.as_deref().map(Into::into),
                thread: c.thread.as_deref().map(Cow::Borrowed),
            }),
            Record::JsonLine(line, n) => json::parse_line_keys(line, || Location::line(source, *n)),
            Record::Invalid(message, location) => Err(Error::data(location.clone(), message)),
            Record::RedditLine(line, n) => {
                reddit::parse_line_keys(line, &Location::line(source, *n))
            }
        }
    }

    /// The record's line number, when it has one.
    pub fn line(&self) -> Option<u64> {
        match self {
            Record::Parsed(_, l) | Record::Invalid(_, l) => l.line,
            Record::JsonLine(_, n) | Record::RedditLine(_, n) => Some(*n),
        }
    }
}

/// Something that hands out records in input order.
pub trait RecordReader: Send {
    /// Appends up to `max` records to `out`; returns false once the input is exhausted.
    fn next_batch(&mut self, out: &mut Vec<Record>, max: usize) -> Result<bool>;
}

/// Opens `source` in `format` (detecting it when `Auto`) for reading records; `columns` maps
/// CSV headers.
pub fn open_reader(
    source: &InputSource,
    format: InputFormat,
    columns: &csv::CsvColumns,
) -> Result<Box<dyn RecordReader>> {
    let format = match format {
        InputFormat::Auto => detect_format(source)?,
        other => other,
    };
    match format {
        InputFormat::Json => Ok(Box::new(json::DocumentReader::read(source)?)),
        InputFormat::Jsonl | InputFormat::Auto => Ok(Box::new(json::LineReader::open(source)?)),
        InputFormat::Reddit => Ok(Box::new(json::LineReader::open_reddit(source)?)),
        InputFormat::Csv => Ok(Box::new(csv::CsvReader::open(source, columns)?)),
    }
}

/// Decides the shape from the extension (`.csv`) and the first line of content: a JSON
/// document, JSON Lines, or a Reddit dump (a first object with `body` and `parent_id` or
/// `link_id`).
pub fn detect_format(source: &InputSource) -> Result<InputFormat> {
    if matches!(source.extension().as_deref(), Some("csv")) {
        return Ok(InputFormat::Csv);
    }
    let mut reader = source.open()?;
    let mut first = Vec::new();
    loop {
        first.clear();
        let n = reader
            .read_until(b'\n', &mut first)
            .map_err(|e| Error::Read {
                path: PathBuf::from(&source.name),
                source: e,
            })?;
        if n == 0 {
            // Empty or whitespace only: valid, zero comments.
            return Ok(InputFormat::Jsonl);
        }
        let line = strip_bom(&first);
        if !line.iter().all(u8::is_ascii_whitespace) {
            break;
        }
    }
    let line = strip_bom(&first);
    let trimmed = line.trim_ascii();
    let first_object = match serde_json::from_slice::<serde_json::Value>(trimmed) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    };
    if first_object.as_ref().is_some_and(reddit::is_reddit_object) {
        return Ok(InputFormat::Reddit);
    }
    if matches!(source.extension().as_deref(), Some("jsonl" | "ndjson")) {
        return Ok(InputFormat::Jsonl);
    }
    if trimmed.first() == Some(&b'[') {
        return Ok(InputFormat::Json);
    }
    match first_object {
        Some(map) if !map.contains_key("comments") => Ok(InputFormat::Jsonl),
        _ => Ok(InputFormat::Json),
    }
}

/// `bytes` without a leading UTF-8 byte order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Converts invalid UTF-8 into an error naming the line, column and byte offset.
pub fn utf8_error(location: &Location, bytes: &[u8], error: std::str::Utf8Error) -> Error {
    utf8_error_at(location, bytes, error, 0)
}

/// Like [`utf8_error`], for `bytes` that start at byte `offset` of the file: the message gives
/// the offset of the bad byte in the whole file.
pub fn utf8_error_at(
    location: &Location,
    bytes: &[u8],
    error: std::str::Utf8Error,
    offset: u64,
) -> Error {
    let valid = &bytes[..error.valid_up_to()];
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let newlines = valid.iter().filter(|&&b| b == b'\n').count() as u64;
    let base_line = location.line.unwrap_or(1);
    let column = String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count() as u64
        + 1;
    let mut at = location.clone();
    at.line = Some(base_line + newlines);
    at.column = Some(column);
    Error::data(
        at,
        format!(
            "invalid UTF-8 at byte offset {} of the file (save it as UTF-8, or use --lossy to \
             replace bad bytes with U+FFFD)",
            offset + error.valid_up_to() as u64
        ),
    )
}
