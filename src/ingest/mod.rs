//! Ingest: applications workbooks (XLSX via calamine) and CSV files -> raw tables whose every cell
//! keeps its source location. Headers are matched by name (see [`crate::catalogue`]) on a header row found
//! among the first rows; nothing here interprets values beyond the cell level.
//!
//! This module and `write` are the only ones that touch the file system.

pub(crate) mod cell;
mod grid;
pub(crate) mod labels;
mod table;

use std::path::{Path, PathBuf};

pub(crate) use crate::catalogue::SheetKind;
pub(crate) use table::{RawRow, RawTable};

/// Why an input file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum IngestError {
    #[error("cannot open `{path}`: {message}")]
    Open { path: PathBuf, message: String },
    #[error("`{path}` has no sheet named {wanted}; its sheets are: {found}")]
    SheetNotFound { path: PathBuf, wanted: String, found: String },
    #[error(
        "`{path}`{sheet}: no header row with a `{key}` column in the first {rows} rows\n  hint: the header must contain one of: {aliases}"
    )]
    HeaderNotFound { path: PathBuf, sheet: String, key: &'static str, rows: usize, aliases: String },
    #[error("`{path}` is not UTF-8 text (line {line}); save it from Excel as \"CSV UTF-8\"")]
    NotUtf8 { path: PathBuf, line: u64 },
    #[error("cannot read `{path}`: {message}")]
    Csv { path: PathBuf, message: String },
    #[error("`{path}`{sheet}: two columns are `{key}`: {first} and {second}; keep one, or rename the other")]
    DuplicateColumn { path: PathBuf, sheet: String, key: &'static str, first: String, second: String },
    #[error("`{path}` has two sheets for the {what}: {sheets}; keep one, or rename the other")]
    AmbiguousSheet { path: PathBuf, what: &'static str, sheets: String },
    #[error("`{path}`: the sheet `{sheet}` for the {what} is hidden; show it in Excel (or delete it) and run again")]
    HiddenSheet { path: PathBuf, what: &'static str, sheet: String },
    #[error("`{path}` is {what}, not an XLSX workbook: open it in Excel or LibreOffice and save it as .xlsx")]
    NotXlsx { path: PathBuf, what: &'static str },
}

/// Reads one sheet of an applications workbook, or a CSV file holding that sheet's columns.
pub(crate) fn read(path: &Path, sheet: SheetKind) -> Result<RawTable, IngestError> {
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let grid = if is_csv { grid::from_csv(path)? } else { grid::from_workbook(path, sheet)? };
    table::locate(grid, sheet)
}

/// The applications and items sheets of a batch's input: one workbook holding both, or an
/// applications file with a separate items file (CSV).
pub(crate) fn read_pair(path: &Path, items: Option<&Path>) -> Result<(RawTable, RawTable), IngestError> {
    if let Some(items) = items {
        let (apps, items) = rayon::join(|| read(path, SheetKind::Applications), || read(items, SheetKind::Items));
        return Ok((apps?, items?));
    }
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        return Ok((read(path, SheetKind::Applications)?, read(path, SheetKind::Items)?));
    }
    let (apps, items) = grid::pair_from_workbook(path)?;
    Ok((table::locate(apps, SheetKind::Applications)?, table::locate(items, SheetKind::Items)?))
}

#[cfg(test)]
mod tests {
    use rust_xlsxwriter::{Format, Workbook};

    use super::cell::CellValue;
    use super::*;
    use crate::catalogue::app;

    /// Title rows, a group title merged over two sub-columns (a two-row header), a header merged
    /// over two rows, and a district merged over two applications, as hand-made registers have.
    #[test]
    fn reads_two_row_merged_headers_and_merged_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Заявки").unwrap();
        let f = Format::new();
        ws.merge_range(0, 0, 0, 3, "Реестр заявок", &f).unwrap();
        ws.merge_range(2, 0, 3, 0, "Номер заявки", &f).unwrap();
        ws.merge_range(2, 1, 2, 2, "Сведения о заявителе", &f).unwrap();
        ws.write_string(3, 1, "ИИН/БИН").unwrap();
        ws.write_string(3, 2, "Наименование заявителя").unwrap();
        ws.merge_range(2, 3, 3, 3, "Район", &f).unwrap();
        ws.write_string(4, 0, "00700100000001").unwrap();
        ws.write_number(4, 1, 61_211_600_012.0).unwrap();
        ws.write_string(4, 2, "КХ «Ақжол»").unwrap();
        ws.merge_range(4, 3, 5, 3, "Шетский район", &f).unwrap();
        ws.write_string(5, 0, "00700100000002").unwrap();
        ws.write_string(5, 2, "КХ «Нұр»").unwrap();
        wb.save(&path).unwrap();

        let t = read(&path, SheetKind::Applications).unwrap();
        assert_eq!(t.columns[app::APP_NO], Some(0));
        assert_eq!(t.columns[app::TAX_ID], Some(1));
        assert_eq!(t.columns[app::APPLICANT_NAME], Some(2));
        assert_eq!(t.columns[app::DISTRICT], Some(3));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].row, 4);
        assert_eq!(t.rows[0].cells[app::TAX_ID], CellValue::Number(61_211_600_012.0));
        for r in &t.rows {
            assert_eq!(r.cells[app::DISTRICT], CellValue::Text("Шетский район".into()));
        }
        assert_eq!(t.location(5, app::DISTRICT).reference(), "Заявки!D6");
    }

    /// At a page break the state system's export spreads a row over two sheet rows, each cell
    /// merged with the empty row below: that is one record, not two; the next row is its own.
    #[test]
    fn a_row_split_over_a_page_break_is_one_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Page 1").unwrap();
        let f = Format::new();
        for (c, h) in ["Номер заявки", "Область", "Причитающая сумма"].iter().enumerate()
        {
            ws.write_string(4, u16::try_from(c).unwrap(), *h).unwrap();
        }
        ws.write_string(5, 0, "00700100000001").unwrap();
        ws.write_string(5, 1, "Карагандинская область").unwrap();
        ws.write_number(5, 2, 150_000.0).unwrap();
        // Split: rows 7 and 8 are one application.
        ws.merge_range(6, 0, 7, 0, "00700100000002", &f).unwrap();
        ws.merge_range(6, 1, 7, 1, "Мангистауская область", &f).unwrap();
        ws.merge_range(6, 2, 7, 2, "", &f).unwrap();
        ws.write_number(6, 2, 260_000.0).unwrap();
        ws.write_string(8, 0, "00700100000003").unwrap();
        ws.write_number(8, 2, 26_000.0).unwrap();
        wb.save(&path).unwrap();

        let t = read(&path, SheetKind::Register).unwrap();
        let numbers: Vec<&CellValue> = t.rows.iter().map(|r| &r.cells[0]).collect();
        assert_eq!(
            numbers,
            [
                &CellValue::Text("00700100000001".into()),
                &CellValue::Text("00700100000002".into()),
                &CellValue::Text("00700100000003".into())
            ]
        );
        assert_eq!(t.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [5, 6, 8]);
    }

    /// Both sheets read at once (the batch's path) fill merged cells on the items sheet too.
    #[test]
    fn both_sheets_of_a_workbook_with_merged_item_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xlsx");
        let mut wb = Workbook::new();
        let apps = wb.add_worksheet().set_name("Заявки").unwrap();
        apps.write_string(0, 0, "Номер заявки").unwrap();
        apps.write_string(1, 0, "00700100000001").unwrap();
        let items = wb.add_worksheet().set_name("Позиции").unwrap();
        items.write_string(0, 0, "Номер заявки").unwrap();
        items.write_string(0, 1, "ИНЖ").unwrap();
        items.merge_range(1, 0, 2, 0, "00700100000001", &Format::new()).unwrap();
        items.write_string(1, 1, "KZ1").unwrap();
        items.write_string(2, 1, "KZ2").unwrap();
        wb.save(&path).unwrap();

        let (a, i) = read_pair(&path, None).unwrap();
        assert_eq!(a.rows.len(), 1);
        assert_eq!(i.sheet.as_deref(), Some("Позиции"));
        assert_eq!(i.rows.len(), 2);
        for r in &i.rows {
            assert_eq!(r.cells[crate::catalogue::item::APP_NO], CellValue::Text("00700100000001".into()));
        }
        assert_eq!(i.rows[1].cells[crate::catalogue::item::ANIMAL_ID], CellValue::Text("KZ2".into()));
    }

    #[test]
    fn semicolon_csv_with_bom_is_read_with_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("apps.csv");
        fs_err::write(&path, "\u{feff}Номер заявки;Район\n\n00700100000001;Шетский район\n").unwrap();
        let t = read(&path, SheetKind::Applications).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].row, 3);
        assert!(t.location(3, app::DISTRICT).reference().ends_with("apps.csv:3 (Район)"));
    }

    #[test]
    fn a_sheet_without_an_application_number_header_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("apps.csv");
        fs_err::write(&path, "a,b\n1,2\n").unwrap();
        let e = read(&path, SheetKind::Applications).unwrap_err().to_string();
        assert!(e.contains("no header row with a `app_no` column") && e.contains("`Номер заявки`"), "{e}");
    }
}
