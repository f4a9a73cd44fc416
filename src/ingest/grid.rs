//! A sheet as a grid of cells, from a workbook or a CSV file, with merged regions filled in.

use std::path::Path;
use std::sync::Arc;

use calamine::{Data, Reader, Sheets, open_workbook_auto};

use super::IngestError;
use super::cell::{CellValue, parse_date_text};
use super::fields::{SheetKind, normalize_header};

/// Cells of one sheet: `rows[r][c]` at 0-based sheet coordinates.
pub(super) struct Grid {
    pub file: Arc<str>,
    /// `None` for CSV.
    pub sheet: Option<Arc<str>>,
    pub rows: Vec<Vec<CellValue>>,
    /// For CSV, the 1-based line each row starts on (blank lines are skipped by the reader).
    pub lines: Option<Vec<u32>>,
}

pub(super) fn from_workbook(path: &Path, kind: SheetKind) -> Result<Grid, IngestError> {
    let open_err = |message: String| IngestError::Open { path: path.to_owned(), message };
    let mut wb = open_workbook_auto(path).map_err(|e| open_err(e.to_string()))?;
    let names = wb.sheet_names();
    let wanted: Vec<String> = kind.names().iter().map(|n| normalize_header(n)).collect();
    let name = names
        .iter()
        .find(|n| wanted.contains(&normalize_header(n)))
        .or_else(|| (names.len() == 1 && kind != SheetKind::Items).then(|| &names[0]))
        .cloned()
        .ok_or_else(|| IngestError::SheetNotFound {
            path: path.to_owned(),
            wanted: kind.names().iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or "),
            found: names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
        })?;
    let range = wb.worksheet_range(&name).map_err(|e| open_err(e.to_string()))?;
    let mut rows: Vec<Vec<CellValue>> = Vec::new();
    if let Some((r0, c0)) = range.start() {
        let (r0, c0) = (r0 as usize, c0 as usize);
        rows.resize(r0, Vec::new());
        for row in range.rows() {
            let mut cells = vec![CellValue::Empty; c0];
            cells.extend(row.iter().map(cell_value));
            rows.push(cells);
        }
    }
    if let Sheets::Xlsx(x) = &mut wb {
        let merges = x.merge_cells_by_sheet_name(&name).map_err(|e| open_err(e.to_string()))?;
        for m in merges {
            fill_merged(&mut rows, (m.start.0 as usize, m.start.1 as usize), (m.end.0 as usize, m.end.1 as usize));
        }
    }
    Ok(Grid { file: display_name(path), sheet: Some(name.into()), rows, lines: None })
}

/// A merged region shows its value in every cell it covers, as Excel displays it.
fn fill_merged(rows: &mut [Vec<CellValue>], start: (usize, usize), end: (usize, usize)) {
    let Some(value) = rows.get(start.0).and_then(|r| r.get(start.1)).cloned() else {
        return;
    };
    if value == CellValue::Empty {
        return;
    }
    for r in start.0..=end.0.min(rows.len().saturating_sub(1)) {
        let row = &mut rows[r];
        if row.len() <= end.1 {
            row.resize(end.1 + 1, CellValue::Empty);
        }
        for (c, cell) in row.iter_mut().enumerate().take(end.1 + 1).skip(start.1) {
            if (r, c) != start {
                *cell = value.clone();
            }
        }
    }
}

fn cell_value(d: &Data) -> CellValue {
    #[allow(clippy::cast_precision_loss)]
    match d {
        Data::Empty => CellValue::Empty,
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Float(f) => CellValue::Number(*f),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => dt.as_datetime().map_or_else(|| CellValue::Number(dt.as_f64()), CellValue::DateTime),
        Data::DateTimeIso(s) => parse_date_text(s).map_or_else(|| CellValue::Text(s.clone()), CellValue::DateTime),
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    }
}

pub(super) fn from_csv(path: &Path) -> Result<Grid, IngestError> {
    let bytes = fs_err::read(path).map_err(|e| IngestError::Open { path: path.to_owned(), message: e.to_string() })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        IngestError::NotUtf8 { path: path.to_owned(), line }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Excel in a Russian or Kazakh locale saves CSV with `;`.
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| IngestError::Csv { path: path.to_owned(), message: e.to_string() })?;
        lines.push(line_of(text, rec.position()));
        rows.push(
            rec.iter().map(|s| if s.is_empty() { CellValue::Empty } else { CellValue::Text(s.to_owned()) }).collect(),
        );
    }
    Ok(Grid { file: display_name(path), sheet: None, rows, lines: Some(lines) })
}

/// The 1-based line a record starts on. The reader's own line count skips blank lines, and its
/// byte position is where the previous record ended, so step over line breaks and count them.
fn line_of(text: &str, pos: Option<&csv::Position>) -> u32 {
    let bytes = text.as_bytes();
    let mut at = pos.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX)).min(bytes.len());
    while matches!(bytes.get(at), Some(b'\n' | b'\r')) {
        at += 1;
    }
    let newlines = bytes[..at].iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

fn display_name(path: &Path) -> Arc<str> {
    path.to_string_lossy().into()
}
