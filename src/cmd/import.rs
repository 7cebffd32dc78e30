//! `stance import`: a saved comment page, a Reddit dump or a CSV -> the canonical comments
//! JSON (an object with `source`, `title` when known, and `comments`) that `analyze` reads.
//!
//! `import` is for inspecting and fixing a dataset by hand (for instance the reply links it
//! rebuilt from a page); `analyze` reads Reddit dumps and CSV directly. See #3.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::{ImportArgs, ImportFormatArg};
use crate::config::csv_columns;
use crate::error::{Error, Result};
use crate::input::csv::CsvColumns;
use crate::input::{self, page, strip_bom, utf8_error, Comment, InputFormat, InputSource};
use crate::output::Destination;

/// Bytes looked at to decide what an input is.
const SNIFF_BYTES: usize = 1024 * 1024;

/// What `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Page,
    Records(InputFormat),
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Page => "a comment page (--from page)",
            Shape::Records(InputFormat::Reddit) => "a Reddit dump (--from reddit)",
            Shape::Records(InputFormat::Csv) => "CSV (--from csv)",
            Shape::Records(InputFormat::Jsonl) => "canonical JSON Lines (--from json)",
            Shape::Records(_) => "canonical JSON (--from json)",
        }
    }
}

/// The canonical file.
#[derive(Debug, Serialize)]
struct CanonicalFile<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    comments: Vec<CanonicalComment<'a>>,
}

/// One comment of the canonical file (`parent` is always written, `null` at the top).
#[derive(Debug, Serialize)]
struct CanonicalComment<'a> {
    id: &'a str,
    parent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thread: Option<&'a str>,
    text: &'a str,
}

/// Runs `stance import`.
pub fn run(args: &ImportArgs) -> Result<()> {
    let source = if args.file.as_os_str() == "-" {
        InputSource::stdin()?
    } else {
        if args.file.is_dir() {
            return Err(Error::Usage(format!(
                "{} is a folder; give a comment file",
                args.file.display()
            )));
        }
        InputSource::file(args.file.clone())
    };
    let columns = csv_columns(&args.columns);
    let shape = match args.from {
        ImportFormatArg::Auto => {
            let shape = detect(&source)?;
            super::note(&format!("reading {} as {}", source.name, shape.describe()));
            shape
        }
        ImportFormatArg::Page => Shape::Page,
        ImportFormatArg::Reddit => Shape::Records(InputFormat::Reddit),
        ImportFormatArg::Csv => Shape::Records(InputFormat::Csv),
        ImportFormatArg::Json => Shape::Records(input::detect_format(&source)?),
    };
    let (source_text, title, comments) = match shape {
        Shape::Page => read_page(&source)?,
        Shape::Records(format) => (
            Some(source.name.clone()),
            None,
            read_records(&source, format, &columns)?,
        ),
    };
    let file = CanonicalFile {
        source: source_text,
        title,
        comments: comments.iter().map(canonical).collect(),
    };
    write(&file, args.output.as_deref())
}

fn canonical(c: &Comment) -> CanonicalComment<'_> {
    CanonicalComment {
        id: &c.id,
        parent: c.parent.as_deref(),
        author: c.author.as_deref(),
        date: c.date.as_deref(),
        thread: c.thread.as_deref(),
        text: &c.text,
    }
}

/// Decides what `source` is: `.csv` -> CSV; JSON (a Reddit dump when the first object has
/// `body` and `parent_id`/`link_id`); page text with bullet + date comment heads; else a
/// header line with commas -> CSV.
fn detect(source: &InputSource) -> Result<Shape> {
    if source.extension().as_deref() == Some("csv") {
        return Ok(Shape::Records(InputFormat::Csv));
    }
    let mut prefix = Vec::new();
    source
        .open()?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| read_error(source, e))?;
    let text = String::from_utf8_lossy(strip_bom(&prefix));
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty());
    match first_line {
        Some(line) if line.starts_with('{') || line.starts_with('[') => {
            Ok(Shape::Records(input::detect_format(source)?))
        }
        _ if page::looks_like_page(&text) => Ok(Shape::Page),
        Some(line) if line.contains(',') => Ok(Shape::Records(InputFormat::Csv)),
        _ => Err(Error::Usage(format!(
            "cannot tell what {} holds (not JSON, no `  • Author` + date comment heads, no CSV \
             header); say it with --from page|reddit|csv",
            source.name
        ))),
    }
}

/// Reads a whole page and rebuilds its comments.
fn read_page(source: &InputSource) -> Result<(Option<String>, Option<String>, Vec<Comment>)> {
    let mut bytes = Vec::new();
    source
        .open()?
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(source, e))?;
    let body = strip_bom(&bytes);
    let text = std::str::from_utf8(body).map_err(|e| utf8_error(&source.location(), body, e))?;
    let parsed = page::parse(text, &source.name)?;
    let described = match (&parsed.site, &parsed.title) {
        (Some(site), Some(title)) => format!("{site} article '{title}' and its reader comments"),
        _ => source.name.clone(),
    };
    Ok((Some(described), parsed.title, parsed.comments))
}

/// Reads every comment of a record-shaped input (Reddit, CSV, canonical JSON).
fn read_records(
    source: &InputSource,
    format: InputFormat,
    columns: &CsvColumns,
) -> Result<Vec<Comment>> {
    let mut reader = input::open_reader(source, format, columns)?;
    let mut comments = Vec::new();
    let mut batch = Vec::new();
    loop {
        batch.clear();
        let more = reader.next_batch(&mut batch, 4096)?;
        for record in batch.drain(..) {
            comments.push(record.parse(&source.name)?);
        }
        if !more {
            return Ok(comments);
        }
    }
}

fn read_error(source: &InputSource, e: std::io::Error) -> Error {
    Error::Read {
        path: PathBuf::from(&source.name),
        source: e,
    }
}

/// Writes the canonical file (pretty JSON) to stdout or atomically to `output`.
fn write(file: &CanonicalFile, output: Option<&Path>) -> Result<()> {
    let (destination, mut out) = Destination::open(output)?;
    serde_json::to_writer_pretty(&mut out, file).map_err(|e| Error::Write(e.into()))?;
    out.write_all(b"\n").map_err(Error::Write)?;
    out.flush().map_err(Error::Write)?;
    drop(out);
    destination.commit()
}
