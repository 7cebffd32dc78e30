//! Output: one table, several encodings (CSV, a JSON array, JSON Lines), and where it goes.
//!
//! Commands describe rows as [`Cell`]s under a header (`rows` knows the comment and thread
//! tables); a [`RowEncoder`] turns rows into bytes and a [`TableWriter`] puts them on the
//! output in order, either one row at a time or a slice of rows encoded in parallel
//! ([`TableWriter::write_rows_parallel`], #5). [`Destination`] is stdout or a file written
//! atomically (a temporary file in the same folder, renamed into place on success), so a failed
//! run never leaves half a file or clobbers a previous good one.

pub mod chart;
pub mod csv;
pub mod escape;
pub mod html;
pub mod json;
pub mod number;
pub mod rows;

pub use number::{format_number, NumberText};

use std::borrow::Cow;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Output buffer size.
pub const WRITE_BUFFER_BYTES: usize = 128 * 1024;

/// A table encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header row.
    Csv,
    /// One JSON array of row objects.
    Json,
    /// JSON Lines: one row object per line.
    Jsonl,
}

/// One value of a row. Text borrows from what the row describes where it can.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text.
    Text(Cow<'a, str>),
    /// A missing value: empty in CSV, `null` in JSON.
    Missing,
    /// `true`/`false`.
    Bool(bool),
    /// A count.
    Int(u64),
    /// A number, printed with at most 4 decimals.
    Float(f64),
}

impl<'a> Cell<'a> {
    /// Borrowed text.
    pub fn text(value: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(value))
    }

    /// Text, or missing when `None`.
    pub fn opt(value: Option<&'a str>) -> Cell<'a> {
        value.map_or(Cell::Missing, Cell::text)
    }
}

/// Options for CSV output.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Prefix cells that a spreadsheet would run as a formula with `'` (off with `--raw-csv`).
    pub neutralize_formulas: bool,
    /// Start the file with a UTF-8 byte order mark (`--excel`).
    pub excel_bom: bool,
}

/// Rows per task when rows are encoded in parallel: enough to make a task worth claiming,
/// few enough that a batch of the pipeline still splits across every worker.
const PARALLEL_ROWS_PER_TASK: usize = 64;

/// Turns rows of one table into bytes, in a buffer it keeps. Each thread encoding rows in
/// parallel gets its own ([`RowEncoder::fork`]).
pub enum RowEncoder {
    /// CSV.
    Csv(Box<csv::CsvRows>),
    /// JSON array or JSON Lines.
    Json(json::JsonRows),
}

impl RowEncoder {
    /// An encoder for a table of `columns` in `format`.
    pub fn new(format: Format, columns: &[String], csv_options: CsvOptions) -> RowEncoder {
        match format {
            Format::Csv => RowEncoder::Csv(Box::new(csv::CsvRows::new(csv_options))),
            Format::Json => RowEncoder::Json(json::JsonRows::new(columns, true)),
            Format::Jsonl => RowEncoder::Json(json::JsonRows::new(columns, false)),
        }
    }

    /// A new encoder for the same table, with empty buffers.
    pub fn fork(&self) -> RowEncoder {
        match self {
            RowEncoder::Csv(e) => RowEncoder::Csv(Box::new(e.fork())),
            RowEncoder::Json(e) => RowEncoder::Json(e.fork()),
        }
    }

    /// Adds the next cell of the current row.
    pub fn push(&mut self, cell: &Cell<'_>) -> Result<()> {
        match self {
            RowEncoder::Csv(e) => e.push(cell),
            RowEncoder::Json(e) => e.push(cell),
        }
    }

    fn begin_row(&mut self, row: u64) {
        match self {
            RowEncoder::Csv(_) => {}
            RowEncoder::Json(e) => e.begin_row(row),
        }
    }

    fn end_row(&mut self) -> Result<()> {
        match self {
            RowEncoder::Csv(e) => e.end_row(),
            RowEncoder::Json(e) => {
                e.end_row();
                Ok(())
            }
        }
    }

    fn write_to(&mut self, out: &mut dyn Write) -> Result<()> {
        match self {
            RowEncoder::Csv(e) => e.write_to(out),
            RowEncoder::Json(e) => e.write_to(out),
        }
    }

    fn take(&mut self) -> Result<Vec<u8>> {
        match self {
            RowEncoder::Csv(e) => e.take(),
            RowEncoder::Json(e) => Ok(e.take()),
        }
    }
}

/// Encodes rows under a header and writes them, in order, to a byte stream.
pub struct TableWriter {
    out: Box<dyn Write>,
    encoder: RowEncoder,
    rows: u64,
}

impl TableWriter {
    /// Starts a table with `columns` in `format` on `out`.
    pub fn new(
        format: Format,
        columns: Vec<String>,
        mut out: Box<dyn Write>,
        csv_options: CsvOptions,
    ) -> Result<TableWriter> {
        let mut encoder = RowEncoder::new(format, &columns, csv_options);
        match &mut encoder {
            RowEncoder::Csv(e) => {
                if csv_options.excel_bom {
                    out.write_all(csv::EXCEL_BOM).map_err(Error::Write)?;
                }
                e.start_table(&columns)?;
            }
            RowEncoder::Json(e) => e.start_table(),
        }
        encoder.write_to(&mut out)?;
        Ok(TableWriter {
            out,
            encoder,
            rows: 0,
        })
    }

    /// Writes one row (as many cells as columns).
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        self.encoder.begin_row(self.rows);
        for cell in cells {
            self.encoder.push(cell)?;
        }
        self.encoder.end_row()?;
        self.rows += 1;
        self.encoder.write_to(&mut self.out)
    }

    /// Writes one row per item of `items`, in order, encoding them on this thread with
    /// `encode_row` and `scratch`: the bytes of [`TableWriter::write_rows_parallel`].
    pub fn write_rows<T, S>(
        &mut self,
        items: &[T],
        scratch: &mut S,
        encode_row: impl Fn(&T, &mut S, &mut RowEncoder) -> Result<()>,
    ) -> Result<()> {
        for item in items {
            self.encoder.begin_row(self.rows);
            encode_row(item, scratch, &mut self.encoder)?;
            self.encoder.end_row()?;
            self.rows += 1;
        }
        self.encoder.write_to(&mut self.out)
    }

    /// Writes one row per item of `items`, in order, encoding them in parallel: `encode_row`
    /// pushes an item's cells, with `scratch()` as scratch space (one per thread). The bytes
    /// are the same as [`TableWriter::write_row`] for each item in turn.
    ///
    /// The calling thread encodes too, and the rayon workers join in as they come free. It
    /// returns once every helper task has run, which is when the workers finish what they
    /// were doing, even if the caller encoded every row itself: so the pipeline calls this
    /// only when the workers have nothing to score, and [`TableWriter::write_rows`] otherwise
    /// (#5).
    pub fn write_rows_parallel<T, S>(
        &mut self,
        items: &[T],
        scratch: impl Fn() -> S + Sync,
        encode_row: impl Fn(&T, &mut S, &mut RowEncoder) -> Result<()> + Sync,
    ) -> Result<()>
    where
        T: Sync,
    {
        let tasks = items.len().div_ceil(PARALLEL_ROWS_PER_TASK);
        let encoded: Vec<OnceLock<Result<Vec<u8>>>> = (0..tasks).map(|_| OnceLock::new()).collect();
        let next_task = AtomicUsize::new(0);
        let (template, first_row) = (&self.encoder, self.rows);
        // Claims tasks until none is left, with one encoder and scratch for all of them.
        let work = || {
            let mut encoder = template.fork();
            let mut scratch = scratch();
            loop {
                let task = next_task.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = encoded.get(task) else {
                    break;
                };
                let start = task * PARALLEL_ROWS_PER_TASK;
                let end = items.len().min(start + PARALLEL_ROWS_PER_TASK);
                let mut encode = || {
                    for (row, item) in (first_row + start as u64..).zip(&items[start..end]) {
                        encoder.begin_row(row);
                        encode_row(item, &mut scratch, &mut encoder)?;
                        encoder.end_row()?;
                    }
                    encoder.take()
                };
                let _ = slot.set(encode());
            }
        };
        rayon::in_place_scope(|scope| {
            for _ in 0..rayon::current_num_threads().min(tasks.saturating_sub(1)) {
                scope.spawn(|_| work());
            }
            work();
        });
        for slot in encoded {
            // Every slot is set once the scope is over (a panic would have propagated).
            let bytes = slot.into_inner().unwrap_or_else(|| Ok(Vec::new()))?;
            self.out.write_all(&bytes).map_err(Error::Write)?;
        }
        self.rows += items.len() as u64;
        Ok(())
    }

    /// Ends the table and flushes, so write errors are reported, not lost in `Drop`.
    pub fn finish(mut self) -> Result<()> {
        if let RowEncoder::Json(e) = &mut self.encoder {
            e.end_table(self.rows);
        }
        self.encoder.write_to(&mut self.out)?;
        self.out.flush().map_err(Error::Write)
    }
}

/// Where output goes: stdout, or a file replaced atomically on [`Destination::commit`].
pub struct Destination {
    target: Option<(PathBuf, tempfile::TempPath)>,
}

impl Destination {
    /// Opens stdout (`None` or `-`) or a temporary file beside `path`.
    pub fn open(path: Option<&Path>) -> Result<(Destination, Box<dyn Write>)> {
        match path {
            None => Ok((
                Destination { target: None },
                Box::new(BufWriter::with_capacity(WRITE_BUFFER_BYTES, io::stdout())),
            )),
            Some(p) if p.as_os_str() == "-" => Destination::open(None),
            Some(path) => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                let temp = tempfile::Builder::new()
                    .prefix(".stance-")
                    .suffix(".tmp")
                    .tempfile_in(&dir)
                    .map_err(|e| Error::Read {
                        path: dir.clone(),
                        source: e,
                    })?;
                let (file, temp_path) = temp.into_parts();
                Ok((
                    Destination {
                        target: Some((path.to_path_buf(), temp_path)),
                    },
                    Box::new(BufWriter::with_capacity(WRITE_BUFFER_BYTES, file)),
                ))
            }
        }
    }

    /// Moves a finished file into place (stdout: nothing to do). Call after the writer has
    /// been flushed and dropped.
    pub fn commit(self) -> Result<()> {
        if let Some((path, temp)) = self.target {
            temp.persist(&path).map_err(|e| {
                let message = format!("{}: {}", path.display(), e.error);
                Error::Write(io::Error::new(e.error.kind(), message))
            })?;
            set_default_permissions(&path);
        }
        Ok(())
    }
}

/// Temporary files are created private (0600); a finished output gets the usual 0644.
fn set_default_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    let _ = (path, fs::metadata(path));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// An output the test can read back after the table is finished.
    #[derive(Clone, Default)]
    struct Captured(Rc<RefCell<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn columns() -> Vec<String> {
        ["id", "text", "missing", "flag", "count", "score"]
            .map(String::from)
            .to_vec()
    }

    /// Rows with every kind of cell and text that needs quoting, escaping or neutralizing.
    fn rows() -> Vec<Vec<Cell<'static>>> {
        let texts = [
            "plain",
            "a, b",
            "say \"hi\"",
            "two\nlines",
            "=1+1",
            "-5",
            "@x",
            "\tx",
            "",
            "ünïcödé ✓",
        ];
        (0..300u64)
            .map(|i| {
                vec![
                    Cell::Text(Cow::Owned(format!("c{i}"))),
                    Cell::text(texts[i as usize % texts.len()]),
                    Cell::Missing,
                    Cell::Bool(i % 3 == 0),
                    Cell::Int(i * 1_000_003),
                    Cell::Float(i as f64 / 7.0 - 20.0),
                ]
            })
            .collect()
    }

    /// How [`table`] writes rows.
    #[derive(Debug, Clone, Copy)]
    enum Written {
        /// [`TableWriter::write_row`], one row at a time.
        OneByOne,
        /// [`TableWriter::write_rows_parallel`], slices of this many rows.
        Parallel(usize),
        /// Slices of this many rows, by [`TableWriter::write_rows`] and
        /// [`TableWriter::write_rows_parallel`] in turn (the pipeline switches between them).
        InTurn(usize),
    }

    /// The bytes of a table of `rows`, written as `written` says.
    fn table(format: Format, csv: CsvOptions, rows: &[Vec<Cell<'_>>], written: Written) -> Vec<u8> {
        let out = Captured::default();
        let mut table = TableWriter::new(format, columns(), Box::new(out.clone()), csv).unwrap();
        let encode = |row: &Vec<Cell<'_>>, _: &mut (), encoder: &mut RowEncoder| {
            row.iter().try_for_each(|cell| encoder.push(cell))
        };
        match written {
            Written::OneByOne => {
                for row in rows {
                    table.write_row(row).unwrap();
                }
            }
            Written::Parallel(slice) => {
                for part in rows.chunks(slice) {
                    table.write_rows_parallel(part, || (), encode).unwrap();
                }
            }
            Written::InTurn(slice) => {
                for (i, part) in rows.chunks(slice).enumerate() {
                    match i % 2 {
                        0 => table.write_rows(part, &mut (), encode).unwrap(),
                        _ => table.write_rows_parallel(part, || (), encode).unwrap(),
                    }
                }
            }
        }
        table.finish().unwrap();
        out.0.take()
    }

    #[test]
    fn rows_encoded_in_parallel_or_by_batch_are_the_rows_encoded_one_by_one() {
        let rows = rows();
        let csv_options = [
            CsvOptions::default(),
            CsvOptions {
                neutralize_formulas: true,
                excel_bom: true,
            },
        ];
        for format in [Format::Csv, Format::Json, Format::Jsonl] {
            for csv in csv_options {
                let serial = table(format, csv, &rows, Written::OneByOne);
                for slice in [1, 7, 64, 65, 300] {
                    for written in [Written::Parallel(slice), Written::InTurn(slice)] {
                        assert_eq!(
                            serial,
                            table(format, csv, &rows, written),
                            "{format:?} {written:?}"
                        );
                    }
                }
                let empty = table(format, csv, &[], Written::OneByOne);
                assert_eq!(empty, table(format, csv, &[], Written::Parallel(5)));
                assert_eq!(empty, table(format, csv, &[], Written::InTurn(5)));
            }
        }
    }

    #[test]
    fn csv_cells_are_quoted_and_neutralized() {
        let csv = CsvOptions {
            neutralize_formulas: true,
            excel_bom: false,
        };
        let bytes = table(Format::Csv, csv, &rows()[..5], Written::Parallel(2));
        let text = String::from_utf8(bytes).unwrap();
        let expected = "id,text,missing,flag,count,score\n\
                        c0,plain,,true,0,-20\n\
                        c1,\"a, b\",,false,1000003,-19.8571\n\
                        c2,\"say \"\"hi\"\"\",,false,2000006,-19.7143\n\
                        c3,\"two\nlines\",,true,3000009,-19.5714\n\
                        c4,'=1+1,,false,4000012,-19.4286\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_json_array_has_commas_between_rows_across_slices() {
        let bytes = table(
            Format::Json,
            CsvOptions::default(),
            &rows()[..3],
            Written::InTurn(2),
        );
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value.as_array().map(Vec::len), Some(3));
        assert_eq!(value[2]["text"], "say \"hi\"");
        assert_eq!(value[2]["missing"], serde_json::Value::Null);
        let empty = table(Format::Json, CsvOptions::default(), &[], Written::InTurn(2));
        assert_eq!(empty, b"[]\n");
    }
}
