//! A sheet as a grid of cells, from a workbook or a CSV file, with merged regions filled in.

use std::path::Path;
use std::sync::Arc;

use std::fs::File;
use std::io::BufReader;

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto};

use super::IngestError;
use super::cell::{CellValue, parse_date_text};
use crate::catalogue::{SheetKind, normalize_header};

/// Cells of one sheet: `rows[r][c]` at 0-based sheet coordinates.
pub(super) struct Grid {
    pub file: Arc<str>,
    /// `None` for CSV.
    pub sheet: Option<Arc<str>>,
    pub rows: Vec<Vec<CellValue>>,
    /// For CSV, the 1-based line each row starts on (blank lines are skipped by the reader).
    pub lines: Option<Vec<u32>>,
}

type Book = Sheets<BufReader<File>>;

/// A merged region: `(top-left, bottom-right)` as `(row, column)`.
type Region = ((usize, usize), (usize, usize));

/// One sheet of a workbook: its cells on one thread while the other finds its merged regions
/// (each is a pass over the sheet's XML), each with its own handle.
pub(super) fn from_workbook(path: &Path, kind: SheetKind) -> Result<Grid, IngestError> {
    let (cells, merges) = rayon::join(
        || -> Result<_, IngestError> {
            let mut wb = open(path)?;
            let name = sheet_name(&wb, kind, path)?;
            let rows = sheet_rows(&mut wb, &name).map_err(|m| open_err(path, m))?;
            Ok((name, rows))
        },
        || -> Result<_, IngestError> {
            let mut wb = open(path)?;
            let Ok(name) = sheet_name(&wb, kind, path) else {
                return Ok(Vec::new()); // reported by the other thread
            };
            merged_regions(&mut wb, &name).map_err(|m| open_err(path, m))
        },
    );
    let (name, mut rows) = cells?;
    apply_merges(&mut rows, &merges?);
    Ok(Grid { file: display_name(path), sheet: Some(name.into()), rows, lines: None })
}

/// The applications and items sheets of one workbook. Reading a sheet's cells and finding its
/// merged regions are each a pass over the sheet's XML, and the items sheet is most of the file:
/// one thread reads the items' cells while the other does the rest, each with its own handle.
pub(super) fn pair_from_workbook(path: &Path) -> Result<(Grid, Grid), IngestError> {
    let (rest, items_rows) = rayon::join(
        || -> Result<_, IngestError> {
            let mut wb = open(path)?;
            let apps = from_book(&mut wb, path, SheetKind::Applications)?;
            let items = sheet_name(&wb, SheetKind::Items, path)?;
            let merges = merged_regions(&mut wb, &items).map_err(|m| open_err(path, m))?;
            Ok((apps, items, merges))
        },
        || -> Result<_, IngestError> {
            let mut wb = open(path)?;
            let Ok(name) = sheet_name(&wb, SheetKind::Items, path) else {
                return Ok(None); // reported by the other thread
            };
            sheet_rows(&mut wb, &name).map(Some).map_err(|m| open_err(path, m))
        },
    );
    let (apps, items_name, merges) = rest?;
    let mut rows = items_rows?.unwrap_or_default();
    apply_merges(&mut rows, &merges);
    Ok((apps, Grid { file: display_name(path), sheet: Some(items_name.into()), rows, lines: None }))
}

fn from_book(wb: &mut Book, path: &Path, kind: SheetKind) -> Result<Grid, IngestError> {
    let name = sheet_name(wb, kind, path)?;
    let mut rows = sheet_rows(wb, &name).map_err(|m| open_err(path, m))?;
    let merges = merged_regions(wb, &name).map_err(|m| open_err(path, m))?;
    apply_merges(&mut rows, &merges);
    Ok(Grid { file: display_name(path), sheet: Some(name.into()), rows, lines: None })
}

fn open_err(path: &Path, message: String) -> IngestError {
    IngestError::Open { path: path.to_owned(), message }
}

fn open(path: &Path) -> Result<Book, IngestError> {
    disguised(path)?;
    open_workbook_auto(path).map_err(|e| open_err(path, e.to_string()))
}

/// A file named `.xlsx` that is another format: Excel 97–2003 (an OLE2 compound file) or an
/// OpenDocument spreadsheet (a zip whose first entry says so).
fn disguised(path: &Path) -> Result<(), IngestError> {
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"));
    if !is_xlsx {
        return Ok(());
    }
    let mut head = [0u8; 128];
    let n = {
        use std::io::Read as _;
        let mut f = fs_err::File::open(path).map_err(|e| open_err(path, e.to_string()))?;
        f.read(&mut head).map_err(|e| open_err(path, e.to_string()))?
    };
    let head = &head[..n];
    let what = if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("an XLS file (Excel 97–2003)")
    } else if head.starts_with(b"PK")
        && head.windows(46).any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet")
    {
        Some("an ODS file (OpenDocument spreadsheet)")
    } else {
        None
    };
    match what {
        Some(what) => Err(IngestError::NotXlsx { path: path.to_owned(), what }),
        None => Ok(()),
    }
}

fn sheet_name(wb: &Book, kind: SheetKind, path: &Path) -> Result<String, IngestError> {
    let named = |k: SheetKind, name: &str| k.names().iter().any(|n| normalize_header(n) == normalize_header(name));
    let sheets = wb.sheets_metadata();
    let visible = |s: &&calamine::Sheet| s.visible == calamine::SheetVisible::Visible;
    let matching: Vec<&calamine::Sheet> = sheets.iter().filter(|s| named(kind, &s.name)).collect();
    let shown: Vec<&calamine::Sheet> = matching.iter().copied().filter(visible).collect();
    let what = sheet_word(kind);
    match (shown.as_slice(), matching.first()) {
        ([one], _) => Ok(one.name.clone()),
        ([], Some(hidden)) => Err(IngestError::HiddenSheet { path: path.to_owned(), what, sheet: hidden.name.clone() }),
        ([], None) => {
            // A workbook of one visible sheet is that sheet, unless its name says it is another
            // kind's (an items sheet is never read as the applications).
            let all_shown: Vec<&calamine::Sheet> = sheets.iter().filter(visible).collect();
            let others =
                [SheetKind::Applications, SheetKind::Items, SheetKind::Animals, SheetKind::Farms, SheetKind::Register];
            match all_shown.as_slice() {
                [only] if kind != SheetKind::Items && !others.iter().any(|&k| k != kind && named(k, &only.name)) => {
                    Ok(only.name.clone())
                }
                _ => Err(IngestError::SheetNotFound {
                    path: path.to_owned(),
                    wanted: kind.names().iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or "),
                    found: sheets.iter().map(|s| format!("`{}`", s.name)).collect::<Vec<_>>().join(", "),
                }),
            }
        }
        (many, _) => Err(IngestError::AmbiguousSheet {
            path: path.to_owned(),
            what,
            sheets: many.iter().map(|s| format!("`{}`", s.name)).collect::<Vec<_>>().join(" and "),
        }),
    }
}

fn sheet_word(kind: SheetKind) -> &'static str {
    match kind {
        SheetKind::Applications => "applications",
        SheetKind::Items => "items",
        SheetKind::Animals => "animal registry",
        SheetKind::Farms => "farm registry",
        SheetKind::Register => "state register",
    }
}

/// The sheet's cells at 0-based sheet coordinates. XLSX is read cell by cell, without building
/// calamine's full-sheet range first.
fn sheet_rows(wb: &mut Book, name: &str) -> Result<Vec<Vec<CellValue>>, String> {
    let mut rows: Vec<Vec<CellValue>> = Vec::new();
    let mut put = |r: usize, c: usize, v: CellValue| {
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, CellValue::Empty);
        }
        row[c] = v;
    };
    if let Sheets::Xlsx(x) = wb {
        let mut cells = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
        while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
            let (r, c) = cell.get_position();
            let v = ref_value(cell.get_value());
            if v != CellValue::Empty {
                put(r as usize, c as usize, v);
            }
        }
    } else {
        let range = wb.worksheet_range(name).map_err(|e| e.to_string())?;
        let (r0, c0) = range.start().unwrap_or_default();
        for (r, c, d) in range.used_cells() {
            put(r + r0 as usize, c + c0 as usize, cell_value(d));
        }
    }
    Ok(rows)
}

/// Merged regions as `(top-left, bottom-right)`; only XLSX keeps them for us.
fn merged_regions(wb: &mut Book, name: &str) -> Result<Vec<Region>, String> {
    let Sheets::Xlsx(x) = wb else {
        return Ok(Vec::new());
    };
    let merges = x.merge_cells_by_sheet_name(name).map_err(|e| e.to_string())?;
    Ok(merges
        .into_iter()
        .map(|m| ((m.start.0 as usize, m.start.1 as usize), (m.end.0 as usize, m.end.1 as usize)))
        .collect())
}

/// Fills the merged regions, except rows that are only the lower part of vertical merges: the
/// state system's export spreads an application over two sheet rows at a page break by merging
/// each of its cells with the empty row below, and that lower row is the same record, not another.
fn apply_merges(rows: &mut [Vec<CellValue>], merges: &[Region]) {
    let continuation = continuation_rows(rows, merges);
    for &(start, end) in merges {
        fill_merged(rows, start, end);
    }
    for r in continuation {
        rows[r].iter_mut().for_each(|c| *c = CellValue::Empty);
    }
}

/// Rows with no value of their own that a vertical merge from a row above covers.
fn continuation_rows(rows: &[Vec<CellValue>], merges: &[Region]) -> Vec<usize> {
    let mut covered = std::collections::BTreeSet::new();
    for &(start, end) in merges {
        let holds = rows.get(start.0).and_then(|r| r.get(start.1)).is_some_and(|v| *v != CellValue::Empty);
        if holds {
            covered.extend(start.0 + 1..=end.0.min(rows.len().saturating_sub(1)));
        }
    }
    let own = |r: usize| {
        rows[r].iter().any(|c| match c {
            CellValue::Empty => false,
            CellValue::Text(t) => !t.trim().is_empty(),
            _ => true,
        })
    };
    covered.into_iter().filter(|&r| !own(r)).collect()
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

fn ref_value(d: &DataRef<'_>) -> CellValue {
    #[allow(clippy::cast_precision_loss)]
    match d {
        DataRef::Empty => CellValue::Empty,
        DataRef::String(s) => CellValue::Text(s.clone()),
        DataRef::SharedString(s) => CellValue::Text((*s).to_owned()),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::Int(i) => CellValue::Number(*i as f64),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) => dt.as_datetime().map_or_else(|| CellValue::Number(dt.as_f64()), CellValue::DateTime),
        DataRef::DateTimeIso(s) => parse_date_text(s).map_or_else(|| CellValue::Text(s.clone()), CellValue::DateTime),
        DataRef::DurationIso(s) => CellValue::Text(s.clone()),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
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
        let line = line_of(text, rec.position());
        // A field that runs on to another line holding the separator was opened by a stray quote
        // and swallowed what followed, rows included (a cell typed on two lines holds none).
        let sep = char::from(delimiter);
        if let Some(field) = rec.iter().find(|f| f.split('\n').skip(1).any(|l| l.contains(sep))) {
            let till = line + u32::try_from(rec.iter().map(|f| f.matches('\n').count()).sum::<usize>()).unwrap_or(0);
            let start: String = field.chars().take(40).collect::<String>().replace(['\n', '\r'], " ");
            return Err(IngestError::Csv {
                path: path.to_owned(),
                message: format!(
                    "line {line}: a quoted field runs on to line {till} («{start}…»): a `\"` opened there is closed only later; check the quotes of line {line}"
                ),
            });
        }
        lines.push(line);
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
