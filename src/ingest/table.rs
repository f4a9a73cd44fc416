//! Finding the header row in a grid and turning the rows below it into raw records.

use std::sync::Arc;

use super::IngestError;
use super::cell::CellValue;
use super::grid::Grid;
use crate::catalogue::{SheetKind, match_header};
use crate::problem::{Location, Problem};

/// How many rows from the top may hold titles before the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// One sheet's records: cells of the catalogue's fields, each with its location.
#[derive(Debug)]
pub struct RawTable {
    pub kind: SheetKind,
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    /// For each catalogue field, the 0-based column it was found in.
    pub columns: Vec<Option<u16>>,
    /// The header text each found column had.
    pub headers: Vec<Option<String>>,
    pub rows: Vec<RawRow>,
    pub problems: Vec<Problem>,
}

/// One data row; `cells[i]` belongs to catalogue field `i`.
#[derive(Debug)]
pub struct RawRow {
    /// 0-based sheet row, or 1-based CSV line.
    pub row: u32,
    pub cells: Vec<CellValue>,
}

impl RawTable {
    /// Every row read as its fields' kinds; cells that cannot be read are left empty and listed
    /// as `(location, message)`. For reference data (registries, the state register), where a
    /// bad cell is reported but does not refuse anything by itself.
    pub fn read_records(&self) -> (Vec<crate::application::Record>, Vec<(Location, String)>) {
        let mut bad = Vec::new();
        let records = self
            .rows
            .iter()
            .map(|r| crate::application::Record {
                row: r.row,
                values: r
                    .cells
                    .iter()
                    .zip(self.kind.fields())
                    .enumerate()
                    .map(|(i, (c, f))| match super::cell::read(f.kind, c) {
                        Ok(x) => x.value,
                        Err(m) => {
                            bad.push((self.location(r.row, i), format!("`{}`: {m}", f.key)));
                            None
                        }
                    })
                    .collect(),
            })
            .collect();
        (records, bad)
    }

    pub fn source(&self) -> crate::problem::Source {
        crate::problem::Source { file: self.file.clone(), sheet: self.sheet.clone() }
    }

    /// Where field `field` of a row was (or would have been) read.
    pub fn location(&self, row: u32, field: usize) -> Location {
        match (&self.sheet, self.columns[field]) {
            (Some(sheet), Some(col)) => Location::Cell { file: self.file.clone(), sheet: sheet.clone(), row, col },
            (Some(sheet), None) => Location::Row { file: self.file.clone(), sheet: sheet.clone(), row },
            (None, col) => Location::Line {
                file: self.file.clone(),
                line: row,
                column: col.and(self.headers[field].as_deref()).map(Into::into),
            },
        }
    }

    pub fn row_location(&self, row: u32) -> Location {
        self.source().row_location(row)
    }
}

fn header_text(c: &CellValue) -> Option<String> {
    match c {
        CellValue::Text(t) => Some(t.clone()),
        _ => None,
    }
}

/// Matches a row's cells to catalogue fields: `(field, column)` pairs, first column wins.
fn match_row(kind: SheetKind, row: &[CellValue]) -> Vec<(usize, u16)> {
    let mut found: Vec<(usize, u16)> = Vec::new();
    for (c, cell) in row.iter().enumerate() {
        let Some(f) = header_text(cell).and_then(|t| match_header(kind, &t)) else {
            continue;
        };
        // Every match is kept: two columns for one field are reported, not picked between.
        found.push((f, u16::try_from(c).unwrap_or(u16::MAX)));
    }
    found
}

/// Finds the header row and reads the data rows below it.
pub(super) fn locate(grid: Grid, kind: SheetKind) -> Result<RawTable, IngestError> {
    let n = kind.fields().len();
    let app_no = crate::catalogue::position(kind, kind.key());
    let best = grid
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(r, row)| (r, match_row(kind, row)))
        .filter(|(_, m)| m.iter().any(|&(f, _)| f == app_no))
        .max_by_key(|(r, m)| (m.len(), std::cmp::Reverse(*r)));
    let Some((header_row, matched)) = best else {
        return Err(IngestError::HeaderNotFound {
            path: grid.file.to_string().into(),
            sheet: grid.sheet.as_ref().map(|s| format!(" sheet `{s}`")).unwrap_or_default(),
            key: kind.key(),
            rows: HEADER_SEARCH_ROWS,
            aliases: kind.fields()[app_no].aliases.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", "),
        });
    };
    let mut seen: Vec<(usize, u16)> = Vec::new();
    for &(f, c) in &matched {
        if let Some(&(_, first)) = seen.iter().find(|&&(g, _)| g == f) {
            // A header merged over several columns (`Дата поступления` over B–D) reads the same in
            // each of them: it is one column, whose value sits in the first.
            let row = &grid.rows[header_row];
            let text = |c: u16| row.get(usize::from(c)).and_then(header_text);
            if (first..=c).all(|k| text(k) == text(first)) {
                continue;
            }
            let col = |c: u16| match &grid.sheet {
                Some(_) => rust_xlsxwriter::utility::column_number_to_name(c),
                None => format!("column {}", c + 1),
            };
            return Err(IngestError::DuplicateColumn {
                path: grid.file.to_string().into(),
                sheet: grid.sheet.as_ref().map(|s| format!(" sheet `{s}`")).unwrap_or_default(),
                key: kind.fields()[f].key,
                first: col(first),
                second: col(c),
            });
        }
        seen.push((f, c));
    }
    let mut matched = seen;
    // A two-row header (a merged group title above its sub-columns) continues on the next row.
    let mut data_start = header_row + 1;
    if let Some(next) = grid.rows.get(header_row + 1) {
        let mut more: Vec<(usize, u16)> = Vec::new();
        for (f, c) in match_row(kind, next) {
            if !matched.iter().chain(&more).any(|&(g, d)| g == f || d == c) {
                more.push((f, c));
            }
        }
        if !more.is_empty() {
            matched.extend(more);
            data_start += 1;
        }
    }
    let mut columns = vec![None; n];
    let mut headers = vec![None; n];
    for &(f, c) in &matched {
        columns[f] = Some(c);
        headers[f] =
            grid.rows[header_row..data_start].iter().rev().find_map(|r| r.get(usize::from(c)).and_then(header_text));
    }
    let lines = grid.lines;
    let rows = grid
        .rows
        .into_iter()
        .enumerate()
        .skip(data_start)
        .filter_map(|(r, mut row)| {
            // Each column belongs to one field at most, so its cell can be moved out.
            let cells: Vec<CellValue> = columns
                .iter()
                .map(|c| {
                    c.and_then(|c| row.get_mut(usize::from(c)))
                        .map_or(CellValue::Empty, |v| std::mem::replace(v, CellValue::Empty))
                })
                .collect();
            let blank = cells.iter().all(|c| match c {
                CellValue::Empty => true,
                CellValue::Text(t) => super::cell::clean_text(t).is_empty(),
                _ => false,
            });
            let row = match &lines {
                Some(l) => l[r],
                None => u32::try_from(r).unwrap_or(u32::MAX),
            };
            (!blank).then_some(RawRow { row, cells })
        })
        .collect();
    let table = RawTable { kind, file: grid.file, sheet: grid.sheet, columns, headers, rows, problems: Vec::new() };
    Ok(table)
}
