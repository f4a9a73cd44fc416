//! Generated applications as ingest's raw tables, without a workbook in between: the benchmark
//! of rule evaluation starts from here, so that it measures the stages after ingest alone.

use std::sync::Arc;

use super::{Cell, SampleApp};
use crate::catalogue::{self as fields, SheetKind};
use crate::ingest::cell::CellValue;
use crate::ingest::{RawRow, RawTable};

/// The applications and items sheets as if read from a workbook with one column per field.
pub fn tables(apps: &[SampleApp]) -> (RawTable, RawTable) {
    let app_rows = apps.iter().enumerate().map(|(i, a)| row(SheetKind::Applications, i, &a.cells)).collect();
    let item_rows = apps.iter().flat_map(|a| &a.items).enumerate().map(|(i, c)| row(SheetKind::Items, i, c)).collect();
    (table(SheetKind::Applications, "Заявки", app_rows), table(SheetKind::Items, "Позиции", item_rows))
}

fn row(kind: SheetKind, i: usize, cells: &[(&'static str, Cell)]) -> RawRow {
    let mut out = vec![CellValue::Empty; kind.fields().len()];
    for (key, cell) in cells {
        out[fields::position(kind, key)] = match cell {
            Cell::Text(t) => CellValue::Text(t.clone()),
            Cell::Number(n) => CellValue::Number(*n),
            Cell::Date(d) => CellValue::DateTime(d.and_time(chrono::NaiveTime::MIN)),
            Cell::DateTime(t) => CellValue::DateTime(*t),
        };
    }
    // Row 0 is the header.
    RawRow { row: u32::try_from(i + 1).unwrap_or(u32::MAX), cells: out }
}

fn table(kind: SheetKind, sheet: &str, rows: Vec<RawRow>) -> RawTable {
    let n = kind.fields().len();
    RawTable {
        kind,
        file: Arc::from("generated.xlsx"),
        sheet: Some(Arc::from(sheet)),
        columns: (0..n).map(|c| u16::try_from(c).ok()).collect(),
        headers: kind.fields().iter().map(|f| Some(f.key.to_owned())).collect(),
        rows,
        problems: Vec::new(),
    }
}
