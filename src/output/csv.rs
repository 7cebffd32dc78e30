//! CSV encoding of a table: a header row, then one record per row.

use std::io::Write;

use super::{format_number, Cell, CsvOptions};
use crate::error::{Error, Result};

/// A CSV table being written.
pub struct CsvTable {
    writer: ::csv::Writer<Box<dyn Write>>,
    options: CsvOptions,
    record: Vec<String>,
}

impl CsvTable {
    /// Writes the header and returns the table.
    pub fn new(columns: Vec<String>, mut out: Box<dyn Write>, options: CsvOptions) -> Result<Self> {
        if options.excel_bom {
            out.write_all(b"\xEF\xBB\xBF").map_err(Error::Write)?;
        }
        let mut writer = ::csv::WriterBuilder::new().from_writer(out);
        writer.write_record(&columns)?;
        Ok(CsvTable {
            writer,
            options,
            record: Vec::new(),
        })
    }

    /// Writes one row.
    pub fn write_row(&mut self, cells: &[Cell]) -> Result<()> {
        self.record.clear();
        for cell in cells {
            let text = match cell {
                Cell::Text(s) if self.options.neutralize_formulas && is_formula_like(s) => {
                    format!("'{s}")
                }
                Cell::Text(s) => s.clone(),
                Cell::Missing => String::new(),
                Cell::Bool(b) => b.to_string(),
                Cell::Int(n) => n.to_string(),
                Cell::Float(x) => format_number(*x),
            };
            self.record.push(text);
        }
        self.writer.write_record(&self.record)?;
        Ok(())
    }

    /// Flushes.
    pub fn finish(mut self) -> Result<()> {
        self.writer.flush().map_err(Error::Write)
    }
}

/// Cells a spreadsheet would run as a formula (CSV injection): see issue #6.
fn is_formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}
