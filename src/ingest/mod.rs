//! Ingest: applications workbooks (XLSX via calamine) and CSV files -> raw tables whose every cell
//! keeps its source location. Headers are matched by name (see [`fields`]) on a header row found
//! among the first rows; nothing here interprets values beyond the cell level.
//!
//! This module and `write` are the only ones that touch the file system.

pub mod cell;
pub mod fields;
mod grid;
mod table;

use std::path::{Path, PathBuf};

pub use fields::SheetKind;
pub use table::{RawRow, RawTable};

/// Why an input file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot open `{path}`: {message}")]
    Open { path: PathBuf, message: String },
    #[error("`{path}` has no sheet named {wanted}; its sheets are: {found}")]
    SheetNotFound {
        path: PathBuf,
        wanted: String,
        found: String,
    },
    #[error(
        "`{path}`{sheet}: no header row with an application-number column in the first {rows} rows\n  hint: the header must contain one of: {aliases}"
    )]
    HeaderNotFound {
        path: PathBuf,
        sheet: String,
        rows: usize,
        aliases: String,
    },
    #[error("`{path}` is not UTF-8 text (line {line}); save it from Excel as \"CSV UTF-8\"")]
    NotUtf8 { path: PathBuf, line: u64 },
    #[error("cannot read `{path}`: {message}")]
    Csv { path: PathBuf, message: String },
}

/// Reads one sheet of an applications workbook, or a CSV file holding that sheet's columns.
pub fn read(path: &Path, sheet: SheetKind) -> Result<RawTable, IngestError> {
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let grid = if is_csv {
        grid::from_csv(path)?
    } else {
        grid::from_workbook(path, sheet)?
    };
    table::locate(grid, sheet)
}
