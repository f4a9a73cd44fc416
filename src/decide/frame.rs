//! Applications and items as polars frames whose columns are those of [`super::schema`].

use chrono::{Months, NaiveDate};
use polars::prelude::*;
use rust_decimal::prelude::ToPrimitive;

use super::schema;
use crate::application::{Application, Record};
use crate::ingest::cell::Value;
use crate::ingest::fields::{self, Kind, app, item};
use crate::rules::{Program, RuleSet, Service};
use crate::validate::basis_of;

/// Column builder: one `Vec` per dtype, filled row by row.
enum Col {
    Str(Vec<Option<String>>),
    Date(Vec<Option<i32>>),
    F64(Vec<Option<f64>>),
    I64(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    /// A column no criterion reads: not built.
    Skip,
}

impl Col {
    fn new(t: &DataType, n: usize, needed: bool) -> Col {
        if !needed {
            return Col::Skip;
        }
        match t {
            DataType::String => Col::Str(Vec::with_capacity(n)),
            DataType::Date => Col::Date(Vec::with_capacity(n)),
            DataType::Float64 => Col::F64(Vec::with_capacity(n)),
            DataType::Int64 => Col::I64(Vec::with_capacity(n)),
            _ => Col::Bool(Vec::with_capacity(n)),
        }
    }

    fn push(&mut self, v: Option<&Value>) {
        match (self, v) {
            (Col::Str(c), Some(Value::Text(t))) => c.push(Some(t.clone())),
            (Col::Date(c), Some(Value::Date(d))) => c.push(Some(days(*d))),
            (Col::Date(c), Some(Value::DateTime(d))) => c.push(Some(days(d.date()))),
            (Col::F64(c), Some(Value::Decimal(d))) => c.push(d.to_f64()),
            (Col::I64(c), Some(Value::Money(m))) => c.push(Some(m.tiyn())),
            (Col::Bool(c), Some(Value::Flag(b))) => c.push(Some(*b)),
            (Col::Str(c), _) => c.push(None),
            (Col::Date(c), _) => c.push(None),
            (Col::F64(c), _) => c.push(None),
            (Col::I64(c), _) => c.push(None),
            (Col::Bool(c), _) => c.push(None),
            (Col::Skip, _) => {}
        }
    }

    fn into_column(self, name: &str) -> Option<Column> {
        let name = PlSmallStr::from(name);
        Some(match self {
            Col::Str(v) => Column::new(name, v),
            Col::Date(v) => Column::new(name, v).cast(&DataType::Date).expect("i32 days cast to Date"),
            Col::F64(v) => Column::new(name, v),
            Col::I64(v) => Column::new(name, v),
            Col::Bool(v) => Column::new(name, v),
            Col::Skip => return None,
        })
    }
}

fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    i32::try_from((d - epoch).num_days()).unwrap_or(i32::MAX)
}

/// Builders for the columns `needed` names; the others are skipped.
fn builders(cols: &[(String, DataType, String)], n: usize, needed: &Needed) -> Vec<Col> {
    cols.iter().map(|(name, t, _)| Col::new(t, n, needed.contains(name))).collect()
}

/// Names of the columns the criteria read.
pub type Needed = std::collections::BTreeSet<String>;

/// Pushes a record's catalogue fields (all but date-times, which appear as derived dates).
fn push_record(cols: &mut [Col], fields: &[fields::Field], rec: &Record) {
    let mut c = 0;
    for (f, field) in fields.iter().enumerate() {
        if field.kind == Kind::DateTime {
            continue;
        }
        cols[c].push(rec.get(f));
        c += 1;
    }
}

fn frame(cols: Vec<Col>, names: &[(String, DataType, String)], height: usize) -> DataFrame {
    let columns: Vec<Column> = cols.into_iter().zip(names).filter_map(|(c, (n, _, _))| c.into_column(n)).collect();
    if columns.is_empty() {
        // No criterion reads a column: a frame of the right height with nothing in it.
        return DataFrame::empty_with_height(height);
    }
    DataFrame::new_infer_height(columns).expect("columns of equal length")
}

/// One row per application.
pub fn applications(apps: &[&Application], rules: &RuleSet, service: &Service, needed: &Needed) -> DataFrame {
    let names = schema::application_columns();
    let mut cols = builders(&names, apps.len(), needed);
    let base = cols.len() - 6;
    let (wf, wt) = (service.window_from, service.window_to);
    for a in apps {
        push_record(&mut cols, fields::APPLICATION_FIELDS, &a.record);
        let sub = a.record.date(app::SUBMITTED_AT);
        let window = |(m, d): (u32, u32)| {
            sub.and_then(|s| NaiveDate::from_ymd_opt(chrono::Datelike::year(&s), m, d)).map(Value::Date)
        };
        cols[base].push(sub.map(Value::Date).as_ref());
        cols[base + 1].push(window(wf).as_ref());
        cols[base + 2].push(window(wt).as_ref());
        if let Col::I64(c) = &mut cols[base + 3] {
            c.push(i64::try_from(a.items.len()).ok());
        }
        let heads: rust_decimal::Decimal = a.items.iter().map(|i| basis_of(i, item::HEAD_COUNT)).sum();
        cols[base + 4].push(Some(&Value::Decimal(heads)));
        let kind = a.record.text(app::APPLICANT_KIND).and_then(|k| rules.service().applicant_kind(k)).map(|k| {
            Value::Text(match k.tax_id {
                crate::domain::taxid::TaxIdKind::Iin => "iin".into(),
                crate::domain::taxid::TaxIdKind::Bin => "bin".into(),
            })
        });
        cols[base + 5].push(kind.as_ref());
    }
    frame(cols, &names, apps.len())
}

/// One row per item, in application then item order.
pub fn items(apps: &[&Application], program: &Program, needed: &Needed) -> DataFrame {
    let names = schema::item_columns();
    let n: usize = apps.iter().map(|a| a.items.len()).sum();
    let mut cols = builders(&names, n, needed);
    let base = cols.len() - 6;
    for a in apps {
        let sub = a.record.date(app::SUBMITTED_AT).map(Value::Date);
        let (period_from, period_to) = (a.record.get(app::PERIOD_FROM).cloned(), a.record.get(app::PERIOD_TO).cloned());
        let herd = a.record.get(app::HERD_SIZE).cloned();
        let tax_id = a.record.get(app::TAX_ID).cloned();
        for it in &a.items {
            push_record(&mut cols, fields::ITEM_FIELDS, it);
            cols[base].push(sub.as_ref());
            cols[base + 1].push(herd.as_ref());
            cols[base + 2].push(tax_id.as_ref());
            let deadline = it
                .date(item::TRANSACTION_DATE)
                .and_then(|d| d.checked_add_months(Months::new(program.claim_deadline_months)))
                .map(Value::Date);
            cols[base + 3].push(deadline.as_ref());
            cols[base + 4].push(period_from.as_ref());
            cols[base + 5].push(period_to.as_ref());
        }
    }
    frame(cols, &names, n)
}
