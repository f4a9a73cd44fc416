//! Rows into records: each cell read as its field's kind, the application number of each row,
//! and the columns the batch's types need that a sheet lacks.

use rayon::prelude::*;

use super::checks::ALWAYS;
use crate::application::{Application, Record};
use crate::catalogue as fields;
use crate::domain::ground::Ground;
use crate::ingest::RawTable;
use crate::ingest::cell::{self, Value};
use crate::problem::{Code, Location, Problem};
use crate::rules::RuleSet;

/// Reads each cell of a row as its field's kind; unreadable cells become problems.
/// Every row of a table read as its fields' kinds, in order, each with its own problems and its
/// application number as written.
pub(super) fn read_records(table: &RawTable) -> Vec<(Record, Vec<Problem>, String)> {
    table
        .rows
        .par_iter()
        .map(|raw| {
            let mut found = Vec::new();
            let rec = read_record(table, raw, &mut found);
            let pos = fields::position(table.kind, "app_no");
            let written = raw.cells.get(pos).map(cell::as_text).unwrap_or_default();
            (rec, found, written)
        })
        .collect()
}

fn read_record(table: &RawTable, raw: &crate::ingest::RawRow, problems: &mut Vec<Problem>) -> Record {
    let app_no_pos = fields::position(table.kind, "app_no");
    let app_no = match raw.cells.get(app_no_pos).map(|c| cell::read(fields::Kind::Digits(14), c)) {
        Some(Ok(cell::Read { value: Some(Value::Text(t)), .. })) => Some(t),
        _ => None,
    };
    let mut values = Vec::with_capacity(raw.cells.len());
    for (f, (c, field)) in raw.cells.iter().zip(table.kind.fields()).enumerate() {
        match cell::read(field.kind, c) {
            Ok(read) => {
                if let Some(w) = read.warning {
                    problems.push(
                        Problem::warning(Code::I002RestoredValue, table.location(raw.row, f), w)
                            .app(app_no.as_deref())
                            .field(field.key),
                    );
                }
                values.push(read.value);
            }
            Err(message) => {
                if f != app_no_pos {
                    problems.push(
                        Problem::error(
                            Code::I001UnreadableCell,
                            table.location(raw.row, f),
                            format!("`{}`: {message}", field.key),
                        )
                        .app(app_no.as_deref())
                        .field(field.key)
                        .ground(Ground::InaccurateData),
                    );
                }
                values.push(None);
            }
        }
    }
    Record { row: raw.row, values }
}

pub(super) fn application_number(table: &RawTable, rec: &Record) -> Result<String, Problem> {
    let pos = fields::position(table.kind, "app_no");
    rec.text(pos).map(str::to_owned).ok_or_else(|| {
        Problem::error(
            Code::I006NoApplicationNumber,
            table.location(rec.row, pos),
            "row has no readable application number (14 digits); it cannot be decided",
        )
        .field("app_no")
    })
}

/// One problem per column that some application of the batch needs and the sheet lacks.
pub(super) fn missing_columns(
    (apps, items, rules): (&RawTable, &RawTable, &RuleSet),
    applications: &[Application],
    problems: &mut Vec<Problem>,
) {
    let mut need_app: std::collections::BTreeSet<usize> = ALWAYS.into_iter().collect();
    let mut need_item = std::collections::BTreeSet::new();
    for a in applications {
        if let Some(p) = rules.programs.get(&a.type_code) {
            need_app.extend(&p.required);
            need_item.extend(&p.required_items);
        }
    }
    for (table, need) in [(apps, need_app), (items, need_item)] {
        for f in need {
            if table.columns[f].is_none() {
                let field = &table.kind.fields()[f];
                let at = match &table.sheet {
                    Some(s) => Location::Row { file: table.file.clone(), sheet: s.clone(), row: 0 },
                    None => Location::File { file: table.file.clone() },
                };
                problems.push(
                    Problem::error(
                        Code::I003MissingColumn,
                        at,
                        format!(
                            "no column for `{}` ({}); looked for headers: {}",
                            field.key,
                            field.doc,
                            field.aliases.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .field(field.key),
                );
            }
        }
    }
}
