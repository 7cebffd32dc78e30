//! JSON and JSON Lines readers.
//!
//! Shapes accepted: an object with a `comments` array (unknown fields ignored), a bare array of
//! comments, comments nesting replies in a `replies` array (the enclosing comment is then the
//! parent), and JSON Lines with one comment object per line. A JSON document is read whole;
//! JSON Lines are streamed, and each line is parsed on a worker thread (`Record::JsonLine`).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead};
use std::path::PathBuf;

use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::Deserialize;

use super::{strip_bom, Comment, CommentKey, GoldLabels, InputSource, Record, RecordReader};
use crate::error::{Error, Location, Result};

/// An id as written: a string or a number; numbers become their decimal text.
#[derive(Debug, Clone, PartialEq)]
struct Id(String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Id, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id (a string or a number)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Id, E> {
                if v.fract() == 0.0 && v.abs() < 1e15 {
                    Ok(Id(format!("{}", v as i64)))
                } else {
                    Ok(Id(v.to_string()))
                }
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// A comment as written in JSON, with nested replies.
#[derive(Debug, Deserialize)]
struct RawComment<'a> {
    #[serde(default)]
    id: Option<Id>,
    #[serde(default, borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(default)]
    parent: Option<Id>,
    #[serde(default, borrow)]
    author: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    date: Option<Cow<'a, str>>,
    #[serde(default)]
    thread: Option<Id>,
    #[serde(default)]
    labels: Option<GoldLabels>,
    #[serde(default, borrow)]
    replies: Vec<RawComment<'a>>,
}

/// Only the keys of a JSON Lines comment; everything else is skipped without allocating.
#[derive(Debug, Deserialize)]
struct RawKeys {
    #[serde(default)]
    id: Option<Id>,
    #[serde(default)]
    text: Option<IgnoredAny>,
    #[serde(default)]
    parent: Option<Id>,
    #[serde(default)]
    thread: Option<Id>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawDocument<'a> {
    Object {
        #[serde(borrow)]
        comments: Vec<RawComment<'a>>,
    },
    Array(#[serde(borrow)] Vec<RawComment<'a>>),
}

/// Converts a raw comment, checking the required fields.
fn into_comment<'a>(
    raw: RawComment<'a>,
    parent: Option<String>,
    location: &Location,
    what: &dyn Fn() -> String,
) -> Result<(Comment, Vec<RawComment<'a>>)> {
    let id = raw
        .id
        .ok_or_else(|| Error::data(location.clone(), format!("{} has no `id`", what())))?
        .0;
    let text = raw.text.ok_or_else(|| {
        Error::data(
            location.clone(),
            format!("{} (id {id}) has no `text`", what()),
        )
    })?;
    let comment = Comment {
        parent: raw.parent.map(|p| p.0).or(parent),
        text: text.into_owned(),
        author: raw.author.map(Cow::into_owned),
        date: raw.date.map(Cow::into_owned),
        thread: raw.thread.map(|t| t.0),
        labels: raw.labels,
        id,
    };
    Ok((comment, raw.replies))
}

/// Parses one JSON Lines line in full.
pub fn parse_line(line: &str, location: &Location) -> Result<Comment> {
    let raw: RawComment = serde_json::from_str(line).map_err(|e| json_error(location, &e))?;
    let what = || "comment".to_string();
    let (comment, replies) = into_comment(raw, None, location, &what)?;
    if !replies.is_empty() {
        return Err(Error::data(
            location.clone(),
            "nested `replies` are not supported in JSON Lines; put each reply on its own line \
             with a `parent`",
        ));
    }
    Ok(comment)
}

/// Parses only the keys of one JSON Lines line.
pub fn parse_line_keys(line: &str, location: &Location) -> Result<CommentKey> {
    let raw: RawKeys = serde_json::from_str(line).map_err(|e| json_error(location, &e))?;
    let id = raw
        .id
        .ok_or_else(|| Error::data(location.clone(), "comment has no `id`"))?
        .0;
    if raw.text.is_none() {
        return Err(Error::data(
            location.clone(),
            format!("comment (id {id}) has no `text`"),
        ));
    }
    Ok(CommentKey {
        id: id.into_boxed_str(),
        parent: raw.parent.map(|p| p.0.into_boxed_str()),
        thread: raw.thread.map(|t| t.0.into()),
    })
}

/// A serde_json error at `location` (a line of JSON Lines, or a whole file).
fn json_error(location: &Location, e: &serde_json::Error) -> Error {
    let mut at = location.clone();
    let base = location.line.unwrap_or(1);
    at.line = Some(base + e.line().saturating_sub(1) as u64);
    at.column = Some(e.column() as u64);
    let message = e.to_string();
    // serde_json appends " at line L column C"; the location already says it.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_string();
    let hint = if e.is_eof() {
        " (the file ends in the middle of a JSON value: truncated?)"
    } else if message.starts_with("recursion limit exceeded") {
        // serde_json stops at 128 levels instead of overflowing the stack. See #7.
        " (nested too deeply: list replies flat, each with a `parent` field, instead of \
         nesting `replies`)"
    } else if message.starts_with("control character") {
        " (a raw control character, such as a NUL byte or a tab, inside a string; JSON needs \
         it escaped, like \\u0000)"
    } else {
        ""
    };
    Error::data(at, format!("malformed JSON: {message}{hint}"))
}

/// Reads a whole JSON document and hands out its comments, replies flattened after their
/// parent (depth first, in document order).
pub struct DocumentReader {
    comments: std::vec::IntoIter<(Comment, Location)>,
}

impl DocumentReader {
    /// Reads and parses all of `source`.
    pub fn read(source: &InputSource) -> Result<DocumentReader> {
        let mut bytes = Vec::new();
        source
            .open()?
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Read {
                path: PathBuf::from(&source.name),
                source: e,
            })?;
        let location = Location::file(source.name.clone());
        let body = strip_bom(&bytes);
        let bom_bytes = (bytes.len() - body.len()) as u64;
        let text = source.decode(body, bom_bytes, &location)?;
        if text.trim().is_empty() {
            // Empty or whitespace only: valid, zero comments (as in JSON Lines).
            return Ok(DocumentReader {
                comments: Vec::new().into_iter(),
            });
        }
        let raw: RawDocument = serde_json::from_str(&text).map_err(|e| {
            if e.is_data() {
                Error::data(
                    Location::at(source.name.clone(), e.line() as u64, e.column() as u64),
                    "expected an object with a `comments` array, an array of comments, or JSON \
                     Lines (one comment object per line); each comment needs `id` and `text`",
                )
            } else {
                json_error(&location, &e)
            }
        })?;
        let top = match raw {
            RawDocument::Object { comments } | RawDocument::Array(comments) => comments,
        };
        let mut out = Vec::new();
        // Depth-first without recursion: a stack of (raw comment, parent id).
        let mut stack: Vec<(RawComment, Option<String>)> =
            top.into_iter().rev().map(|c| (c, None)).collect();
        while let Some((raw, parent)) = stack.pop() {
            let number = out.len() + 1;
            let what = move || format!("comment #{number}");
            let (comment, replies) = into_comment(raw, parent, &location, &what)?;
            let id = comment.id.clone();
            stack.extend(replies.into_iter().rev().map(|r| (r, Some(id.clone()))));
            out.push((comment, location.clone()));
        }
        Ok(DocumentReader {
            comments: out.into_iter(),
        })
    }
}

impl RecordReader for DocumentReader {
    fn next_batch(&mut self, out: &mut Vec<Record>, max: usize) -> Result<bool> {
        for (comment, location) in self.comments.by_ref().take(max) {
            out.push(Record::Parsed(comment, location));
        }
        Ok(self.comments.len() > 0)
    }
}

/// Streams JSON Lines: raw lines with their numbers; blank lines are skipped. A line that is
/// not UTF-8 becomes a [`Record::Invalid`] (unless the source is lossy), so that reading goes
/// on and `--skip-bad-lines` can skip it like any other bad line.
pub struct LineReader {
    reader: Box<dyn BufRead + Send>,
    make: fn(String, Location) -> Record,
    source: InputSource,
    line_no: u64,
    /// Byte offset of the next line in the file.
    offset: u64,
    done: bool,
}

impl LineReader {
    /// Opens `source` for streaming.
    pub fn open(source: &InputSource) -> Result<LineReader> {
        LineReader::open_as(source, Record::JsonLine)
    }

    /// Opens a Reddit dump for streaming (lines become `Record::RedditLine`).
    pub fn open_reddit(source: &InputSource) -> Result<LineReader> {
        LineReader::open_as(source, Record::RedditLine)
    }

    fn open_as(source: &InputSource, make: fn(String, Location) -> Record) -> Result<LineReader> {
        Ok(LineReader {
            make,
            reader: source.open()?,
            source: source.clone(),
            line_no: 0,
            offset: 0,
            done: false,
        })
    }
}

impl LineReader {
    /// The next line with its newline, in a buffer of its own (it becomes the record's text
    /// without another copy); `None` at the end of the input.
    fn read_line(&mut self) -> Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(Error::Read {
                        path: PathBuf::from(&self.source.name),
                        source: e,
                    })
                }
            };
            if available.is_empty() {
                return Ok((!line.is_empty()).then_some(line));
            }
            match memchr::memchr(b'\n', available) {
                Some(end) => {
                    line.extend_from_slice(&available[..=end]);
                    self.reader.consume(end + 1);
                    return Ok(Some(line));
                }
                None => {
                    let n = available.len();
                    line.extend_from_slice(available);
                    self.reader.consume(n);
                }
            }
        }
    }
}

impl RecordReader for LineReader {
    fn next_batch(&mut self, out: &mut Vec<Record>, max: usize) -> Result<bool> {
        let mut taken = 0;
        while taken < max && !self.done {
            let Some(mut bytes) = self.read_line()? else {
                self.done = true;
                break;
            };
            self.line_no += 1;
            let n = bytes.len();
            let mut line_offset = self.offset;
            self.offset += n as u64;
            if self.line_no == 1 {
                let bom = n - strip_bom(&bytes).len();
                bytes.drain(..bom);
                line_offset += bom as u64;
            }
            let location = Location::line(self.source.name.clone(), self.line_no);
            // Validated once, in place; the error (or the lossy text) comes from `decode`.
            let mut line = match String::from_utf8(bytes) {
                Ok(line) => line,
                Err(e) => match self.source.decode(e.as_bytes(), line_offset, &location) {
                    Ok(line) => line.into_owned(),
                    Err(Error::Data { location, message }) => {
                        out.push(Record::Invalid(message, location));
                        taken += 1;
                        continue;
                    }
                    Err(other) => return Err(other),
                },
            };
            line.truncate(line.trim_end_matches(['\n', '\r']).len());
            if line.trim().is_empty() {
                continue;
            }
            out.push((self.make)(line, location));
            taken += 1;
        }
        Ok(!self.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_and_string_ids_are_one_id() {
        let at = Location::line("t.jsonl", 1);
        let a = parse_line(r#"{"id": 5, "text": "x", "parent": 4.0}"#, &at).unwrap();
        assert_eq!(a.id, "5");
        assert_eq!(a.parent.as_deref(), Some("4"));
    }

    #[test]
    fn missing_text_names_the_line() {
        let at = Location::line("t.jsonl", 7);
        let err = parse_line(r#"{"id": "a"}"#, &at).unwrap_err().to_string();
        assert!(
            err.starts_with("t.jsonl:7: comment (id a) has no `text`"),
            "{err}"
        );
    }
}
