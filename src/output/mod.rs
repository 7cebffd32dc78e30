//! Output: one table, several encodings (CSV, a JSON array, JSON Lines), and where it goes.
//!
//! Commands build rows of [`Cell`]s under a header (`rows` knows the comment and thread
//! tables); a [`TableWriter`] encodes them. [`Destination`] is stdout or a file written
//! atomically (a temporary file in the same folder, renamed into place on success), so a failed
//! run never leaves half a file or clobbers a previous good one.

pub mod chart;
pub mod csv;
pub mod html;
pub mod json;
pub mod rows;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

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

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A missing value: empty in CSV, `null` in JSON.
    Missing,
    /// `true`/`false`.
    Bool(bool),
    /// A count.
    Int(u64),
    /// A number, printed with at most 4 decimals.
    Float(f64),
}

impl Cell {
    /// Text, or missing when `None`.
    pub fn opt(value: Option<&str>) -> Cell {
        value.map_or(Cell::Missing, |v| Cell::Text(v.to_string()))
    }
}

/// Formats a number with at most 4 decimals and no trailing zeros (`0.5`, `2`, `0.3333`).
pub fn format_number(x: f64) -> String {
    format_number_fast(x).unwrap_or_else(|| format_number_slow(x))
}

/// The general path of [`format_number`]: round with `format!`, then trim.
fn format_number_slow(x: f64) -> String {
    let x = if x == 0.0 { 0.0 } else { x }; // no "-0"
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// [`format_number`] without `{:.4}`, whose exact-decimal fallback (dragon4) was a few percent
/// of a comment-level run (#5). `x * 10^4` is off from the exact product by far less than
/// 10^-3 for |x| < 10^8, so when it is not within 10^-3 of a rounding tie, rounding it gives
/// the same 4-decimal digits as `{:.4}`; otherwise `None` (use the slow path).
fn format_number_fast(x: f64) -> Option<String> {
    let scaled = x * 10_000.0;
    if x.is_nan() || x.abs() >= 1e8 || (scaled - scaled.floor() - 0.5).abs() < 1e-3 {
        return None;
    }
    let units = scaled.round() as i64;
    let (whole, mut frac) = (units.unsigned_abs() / 10_000, units.unsigned_abs() % 10_000);
    let mut s = String::with_capacity(16);
    if units < 0 {
        s.push('-');
    }
    s.push_str(&whole.to_string());
    if frac > 0 {
        let mut digits = 4;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let _ = std::fmt::Write::write_fmt(&mut s, format_args!(".{frac:0digits$}"));
    }
    Some(s)
}

/// Options for CSV output.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Prefix cells that a spreadsheet would run as a formula with `'` (off with `--raw-csv`).
    pub neutralize_formulas: bool,
    /// Start the file with a UTF-8 byte order mark (`--excel`).
    pub excel_bom: bool,
}

/// Encodes rows under a header into a byte stream.
pub enum TableWriter {
    /// CSV.
    Csv(Box<csv::CsvTable>),
    /// JSON array or JSON Lines.
    Json(json::JsonTable),
}

impl TableWriter {
    /// Starts a table with `columns` in `format` on `out`.
    pub fn new(
        format: Format,
        columns: Vec<String>,
        out: Box<dyn Write>,
        csv_options: CsvOptions,
    ) -> Result<TableWriter> {
        Ok(match format {
            Format::Csv => {
                TableWriter::Csv(Box::new(csv::CsvTable::new(columns, out, csv_options)?))
            }
            Format::Json => TableWriter::Json(json::JsonTable::new(columns, out, true)?),
            Format::Jsonl => TableWriter::Json(json::JsonTable::new(columns, out, false)?),
        })
    }

    /// Writes one row (as many cells as columns).
    pub fn write_row(&mut self, cells: &[Cell]) -> Result<()> {
        match self {
            TableWriter::Csv(t) => t.write_row(cells),
            TableWriter::Json(t) => t.write_row(cells),
        }
    }

    /// Ends the table and flushes, so write errors are reported, not lost in `Drop`.
    pub fn finish(self) -> Result<()> {
        match self {
            TableWriter::Csv(t) => t.finish(),
            TableWriter::Json(t) => t.finish(),
        }
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

    #[test]
    fn numbers_have_at_most_four_decimals() {
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(1.0 / 3.0), "0.3333");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(-0.00001), "0");
    }

    #[test]
    fn the_fast_path_prints_what_the_slow_path_prints() {
        let slow = format_number_slow;
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut values = vec![
            0.0, -0.0, 1.0, -1.0, 0.5, 0.00005, 0.00015, 2.675, 1e7, -3.33335,
        ];
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let weights = [1.0, 1.5, 2.0, 0.5, 2.5];
            let factors = [1.0, 0.6, 1.5, 0.5, 0.3, 0.9, 0.45, 0.18];
            let w = weights[(state % 5) as usize] * factors[((state >> 8) % 8) as usize];
            values.push(w * ((state >> 20) % 7) as f64 - unit);
            values.push((unit - 0.5) * 10f64.powi(((state >> 40) % 12) as i32 - 4));
            values.push(w);
        }
        for x in values {
            assert_eq!(format_number(x), slow(x), "{x:e}");
        }
    }
}
