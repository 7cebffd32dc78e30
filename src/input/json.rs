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

use super::{strip_bom, Comment, GoldLabels, InputSource, Record, RecordKey, RecordReader};
use crate::error::{Error, Location, Result};

/// An id as written: a string or a number; numbers become their decimal text.
#[derive(Debug, Clone, PartialEq)]
struct Id(String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Id, D::Error> {
        IdRef::deserialize(deserializer).map(|id| Id(id.0.into_owned()))
    }
}

/// An id as [`Id`] reads it, borrowing the line when it is a string without escapes.
#[derive(Debug)]
struct IdRef<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for IdRef<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<IdRef<'a>, D::Error> {
        struct IdRefVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for IdRefVisitor<'a> {
            type Value = IdRef<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id (a string or a number)")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<IdRef<'a>, E> {
                Ok(IdRef(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<IdRef<'a>, E> {
                Ok(IdRef(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<IdRef<'a>, E> {
                Ok(IdRef(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<IdRef<'a>, E> {
                Ok(IdRef(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<IdRef<'a>, E> {
                Ok(IdRef(Cow::Owned(if v.fract() == 0.0 && v.abs() < 1e15 {
                    format!("{}", v as i64)
                } else {
                    v.to_string()
                })))
            }
        }
        d.deserialize_any(IdRefVisitor(std::marker::PhantomData))
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

/// A JSON Lines comment as the fast path reads it (see [`parse_line`]): `text` as raw string
/// bytes, and `replies` only noticed (their presence sends the line to the exact parse).
#[derive(Debug, Deserialize)]
struct LineComment<'a> {
    #[serde(default)]
    id: Option<Id>,
    #[serde(default, borrow)]
    text: Option<RawText<'a>>,
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
    #[serde(default)]
    replies: Option<IgnoredAny>,
}

/// Only the keys of a JSON Lines comment, as the fast path reads them: `text` is skipped as raw
/// string bytes.
#[derive(Debug, Deserialize)]
struct LineKeys<'a> {
    #[serde(default)]
    id: Option<Id>,
    #[serde(default)]
    text: Option<SkippedText>,
    #[serde(default)]
    parent: Option<Id>,
    #[serde(default, borrow)]
    thread: Option<IdRef<'a>>,
}

/// A JSON string read as bytes: serde_json then finds its end with a SIMD search for `"` and
/// `\` instead of testing every byte for a control character too (that per-byte test was
/// ~4% of all CPU time, #5). The fast path only runs on lines without control characters,
/// where both reads agree.
#[derive(Debug)]
enum RawText<'a> {
    /// The string as written, between its quotes (no escapes): a slice of the line.
    Plain(&'a [u8]),
    /// The string with its escapes decoded (lone surrogates make it invalid UTF-8).
    Unescaped(Vec<u8>),
}

impl<'de: 'a, 'a> Deserialize<'de> for RawText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<RawText<'a>, D::Error> {
        struct RawTextVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for RawTextVisitor<'a> {
            type Value = RawText<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_bytes<E: de::Error>(
                self,
                v: &'de [u8],
            ) -> std::result::Result<RawText<'a>, E> {
                Ok(RawText::Plain(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<RawText<'a>, E> {
                Ok(RawText::Unescaped(v.to_vec()))
            }
        }
        d.deserialize_bytes(RawTextVisitor(std::marker::PhantomData))
    }
}

/// A JSON string skipped as bytes (see [`RawText`]).
#[derive(Debug)]
struct SkippedText;

impl<'de> Deserialize<'de> for SkippedText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<SkippedText, D::Error> {
        struct SkippedTextVisitor;
        impl Visitor<'_> for SkippedTextVisitor {
            type Value = SkippedText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> std::result::Result<SkippedText, E> {
                Ok(SkippedText)
            }
        }
        d.deserialize_bytes(SkippedTextVisitor)
    }
}

/// Whether `line` has no control character (U+0000 to U+001F) anywhere. On such a line a JSON
/// string read as bytes ([`RawText`]) is accepted exactly when serde_json would accept it as
/// text, but for lone surrogates in `\u` escapes, which [`RawText::Unescaped`] keeps as
/// invalid UTF-8. A minimum over all bytes, not a search that stops early: it compiles to SIMD.
fn has_no_control_chars(line: &str) -> bool {
    line.bytes().fold(u8::MAX, u8::min) >= 0x20
}

/// Where `part`, a slice of `line`'s bytes, lies in `line`, if that is on character boundaries
/// (it is: `part` starts and ends next to a `"`); no new UTF-8 check.
fn span_in(line: &str, part: &[u8]) -> Option<std::ops::Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(line.as_ptr() as usize)?;
    let span = start..start.checked_add(part.len())?;
    line.get(span.clone()).map(|_| span)
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
///
/// Most lines take a fast path ([`LineComment`], text read as raw bytes, #5); a line it does not
/// accept as is (control characters, `replies`, a lone surrogate, any error) is parsed again
/// the exact way, which alone decides errors, so results and messages are the same either way.
pub fn parse_line(line: &str, location: &Location) -> Result<Comment> {
    match parse_line_fast(line) {
        Some((mut comment, text)) => {
            if let FastText::Span(span) = text {
                comment.text = line[span].to_string();
            }
            Ok(comment)
        }
        None => parse_line_exact(line, location),
    }
}

/// Like [`parse_line`], taking the line: the comment's text is then the line's own buffer, cut
/// down to it, instead of a copy in a new allocation (#5).
/// `location` is called only for an error.
pub fn parse_owned_line(mut line: String, location: impl FnOnce() -> Location) -> Result<Comment> {
    match parse_line_fast(&line) {
        Some((mut comment, text)) => {
            if let FastText::Span(span) = text {
                line.truncate(span.end);
                line.drain(..span.start);
                comment.text = line;
            }
            Ok(comment)
        }
        None => parse_line_exact(&line, &location()),
    }
}

/// Where the fast path found a comment's text.
enum FastText {
    /// Already in the comment (it had escapes).
    InComment,
    /// These bytes of the line, as written (no escapes).
    Span(std::ops::Range<usize>),
}

/// The fast path of [`parse_line`]: `None` unless the line is a plain, valid comment. The
/// text is left to the caller when it is a span of the line.
fn parse_line_fast(line: &str) -> Option<(Comment, FastText)> {
    if !has_no_control_chars(line) {
        return None;
    }
    let raw: LineComment = serde_json::from_str(line).ok()?;
    if raw.replies.is_some() {
        return None;
    }
    let (text, span) = match raw.text? {
        RawText::Plain(bytes) => (String::new(), FastText::Span(span_in(line, bytes)?)),
        RawText::Unescaped(bytes) => (String::from_utf8(bytes).ok()?, FastText::InComment),
    };
    let comment = Comment {
        id: raw.id?.0,
        text,
        parent: raw.parent.map(|p| p.0),
        author: raw.author.map(Cow::into_owned),
        date: raw.date.map(Cow::into_owned),
        thread: raw.thread.map(|t| t.0),
        labels: raw.labels,
    };
    Some((comment, span))
}

/// Parses one JSON Lines line in full with text read as text: the reference for
/// [`parse_line`] and its error messages.
fn parse_line_exact(line: &str, location: &Location) -> Result<Comment> {
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

/// Parses only the keys of one JSON Lines line (a fast path first, as in [`parse_line`]);
/// `location` is called only for an error.
pub fn parse_line_keys(line: &str, location: impl FnOnce() -> Location) -> Result<RecordKey<'_>> {
    if has_no_control_chars(line) {
        if let Ok(LineKeys {
            id: Some(id),
            text: Some(_),
            parent,
            thread,
        }) = serde_json::from_str(line)
        {
            return Ok(RecordKey {
                id: id.0.into_boxed_str(),
                parent: parent.map(|p| p.0.into_boxed_str()),
                thread: thread.map(|t| t.0),
            });
        }
    }
    parse_line_keys_exact(line, &location())
}

/// Parses only the keys of one JSON Lines line, skipping text as any value: the reference for
/// [`parse_line_keys`].
fn parse_line_keys_exact<'a>(line: &'a str, location: &Location) -> Result<RecordKey<'a>> {
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
    Ok(RecordKey {
        id: id.into_boxed_str(),
        parent: raw.parent.map(|p| p.0.into_boxed_str()),
        thread: raw.thread.map(|t| Cow::Owned(t.0)),
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
    make: fn(String, u64) -> Record,
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

    fn open_as(source: &InputSource, make: fn(String, u64) -> Record) -> Result<LineReader> {
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

/// One line as read.
enum RawLine {
    /// Checked as UTF-8 where it lay in the read buffer (the common case), and trimmed there:
    /// the text without BOM and line end, `None` if blank, and the bytes it took in the file.
    Text(Option<String>, u64),
    /// Not checked yet, with its newline: it spans two fills of the read buffer, or is not
    /// UTF-8.
    Bytes(Vec<u8>),
}

impl LineReader {
    /// The next line with its newline, in a buffer of its own (it becomes the record's text
    /// without another copy); `None` at the end of the input.
    ///
    /// A line that lies whole in the read buffer is checked as UTF-8 there, with `simdutf8`
    /// (`core::str::from_utf8` was ~3% of all CPU time, every line being read twice; #5), and
    /// copied as text.
    fn read_line(&mut self) -> Result<Option<RawLine>> {
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
                return Ok((!line.is_empty()).then_some(RawLine::Bytes(line)));
            }
            match memchr::memchr(b'\n', available) {
                Some(end) => {
                    let whole = &available[..=end];
                    let read = match simdutf8::basic::from_utf8(whole) {
                        Ok(text) if line.is_empty() => {
                            RawLine::Text(trimmed_line(text, self.line_no == 0), whole.len() as u64)
                        }
                        _ => {
                            line.extend_from_slice(whole);
                            RawLine::Bytes(line)
                        }
                    };
                    self.reader.consume(end + 1);
                    return Ok(Some(read));
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
            let Some(raw) = self.read_line()? else {
                self.done = true;
                break;
            };
            self.line_no += 1;
            let mut line = match raw {
                RawLine::Text(line, bytes) => {
                    self.offset += bytes;
                    if let Some(line) = line {
                        out.push((self.make)(line, self.line_no));
                        taken += 1;
                    }
                    continue;
                }
                RawLine::Bytes(bytes) => match self.decode_line(bytes)? {
                    Ok(line) => line,
                    Err(invalid) => {
                        out.push(invalid);
                        taken += 1;
                        continue;
                    }
                },
            };
            line.truncate(line.trim_end_matches(['\n', '\r']).len());
            if line.trim().is_empty() {
                continue;
            }
            out.push((self.make)(line, self.line_no));
            taken += 1;
        }
        Ok(!self.done)
    }
}

/// `text`, one line, without its line end (and BOM, on the first line), copied to a buffer of
/// its own; `None` if it is blank. Trimmed before the copy, where it lies in the read buffer:
/// reading the copy's last byte right after writing it stalled the reader (#5).
fn trimmed_line(text: &str, is_first: bool) -> Option<String> {
    let text = match is_first {
        true => text.strip_prefix('\u{feff}').unwrap_or(text),
        false => text,
    };
    let text = text.trim_end_matches(['\n', '\r']);
    (!text.trim().is_empty()).then(|| text.to_string())
}

impl LineReader {
    /// A line not checked as UTF-8 yet, as text (BOM stripped on line 1), or the
    /// [`Record::Invalid`] that stands for it.
    fn decode_line(&mut self, mut bytes: Vec<u8>) -> Result<std::result::Result<String, Record>> {
        let location = Location::line(self.source.name.clone(), self.line_no);
        let n = bytes.len();
        let mut line_offset = self.offset;
        self.offset += n as u64;
        if self.line_no == 1 {
            let bom = n - strip_bom(&bytes).len();
            bytes.drain(..bom);
            line_offset += bom as u64;
        }
        // Validated once, in place; the error (or the lossy text) comes from `decode`.
        match String::from_utf8(bytes) {
            Ok(line) => Ok(Ok(line)),
            Err(e) => match self.source.decode(e.as_bytes(), line_offset, &location) {
                Ok(line) => Ok(Ok(line.into_owned())),
                Err(Error::Data { location, message }) => {
                    Ok(Err(Record::Invalid(message, location)))
                }
                Err(other) => Err(other),
            },
        }
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

    /// Lines on the edges of the fast path (#5): escapes, raw control characters, lone
    /// surrogates, `replies`, text that is not a string, duplicate fields.
    const EDGE_LINES: &[&str] = &[
        r#"{"id":"a","text":"plain text, “quoted” and ’"}"#,
        r#"{"id":"a","text":"say \"friends\"\nnew line \u00e9 \ud83d\ude00 \\ end"}"#,
        "{\"id\":\"a\",\"text\":\"raw\ttab\"}",
        "{\"id\":\"a\",\"text\":\"ok\",\t\"author\":\"b\"}",
        "{\"id\":\"a\",\"text\":\"ok\",\"author\":\"x\u{1}y\"}",
        r#"{"id":"a","text":"lone \udc00 trailing"}"#,
        r#"{"id":"a","text":"lone \ud800 leading"}"#,
        r#"{"id":"a","text":"lone \ud800\n then escape"}"#,
        r#"{"id":"a","text":"bad \x escape"}"#,
        r#"{"id":"a","text":"nul \u0000 escaped"}"#,
        r#"{"id":"a","text":"ok","replies":[]}"#,
        r#"{"id":"a","text":"ok","replies":[{"id":"b","text":"x"}]}"#,
        r#"{"id":"a","text":"ok","replies":[{"id":"b"}]}"#,
        r#"{"id":"a","text":5}"#,
        r#"{"id":"a","text":null}"#,
        r#"{"id":"a","text":["x"]}"#,
        r#"{"id":"a","text":{"x":1}}"#,
        r#"{"id":"a"}"#,
        r#"{"text":"no id"}"#,
        r#"{"id":"a","text":"ok","text":"again"}"#,
        r#"{"id":"a","text":"ok","author":5}"#,
        r#"{"id":"a","text":"ok","date":"2020","thread":7,"parent":1.0,"labels":{"stance":"mixed"}}"#,
        r#"{"id":"a","text":"unterminated}"#,
        r#"{"id":"a","text":"ok"} trailing"#,
        r#"["not", "an", "object"]"#,
    ];

    #[test]
    fn fast_paths_agree_with_the_exact_parse() {
        let at = Location::line("t.jsonl", 3);
        for line in EDGE_LINES {
            let exact = parse_line_exact(line, &at).map_err(|e| e.to_string());
            let fast = parse_line(line, &at).map_err(|e| e.to_string());
            assert_eq!(fast, exact, "{line}");
            let owned =
                parse_owned_line(line.to_string(), || at.clone()).map_err(|e| e.to_string());
            assert_eq!(owned, exact, "{line}");
            let fast = parse_line_keys(line, || at.clone()).map_err(|e| e.to_string());
            let exact = parse_line_keys_exact(line, &at).map_err(|e| e.to_string());
            assert_eq!(fast, exact, "{line}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any text, written raw or escaped, parses the same on the fast path (#5).
        #[test]
        fn fast_paths_agree_on_any_text(
            text in "[a-z \"\\\\/\\t\\x00\\x1fé€😀]{0,12}",
            escaped in "(\\\\[\"\\\\/bfnrtx]|\\\\u[0-9a-fA-F]{4}|\\\\ud83d\\\\ude00|[a-z ])*",
        ) {
            let at = Location::line("t.jsonl", 1);
            for line in [
                format!(r#"{{"id":"a","text":"{text}"}}"#),
                format!(r#"{{"id":"a","text":"x","author":"{text}"}}"#),
                format!(r#"{{"id":"a","text":"{escaped}","thread":"{escaped}"}}"#),
                format!(r#"{{"id":"a","text":{}}}"#, serde_json::to_string(&text).unwrap()),
            ] {
                let exact = parse_line_exact(&line, &at).map_err(|e| e.to_string());
                let fast = parse_line(&line, &at).map_err(|e| e.to_string());
                proptest::prop_assert_eq!(&fast, &exact, "{}", line);
                let owned = parse_owned_line(line.clone(), || at.clone()).map_err(|e| e.to_string());
                proptest::prop_assert_eq!(owned, exact, "{}", line);
                let fast = parse_line_keys(&line, || at.clone()).map_err(|e| e.to_string());
                let exact = parse_line_keys_exact(&line, &at).map_err(|e| e.to_string());
                proptest::prop_assert_eq!(fast, exact, "{}", line);
            }
        }
    }
}
