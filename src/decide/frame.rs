//! Applications and items as polars frames whose columns are those of [`super::schema`].

use chrono::{Months, NaiveDate};
use polars::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::amount::Quantities;
use super::schema;
use crate::application::{Application, Record};
use crate::catalogue::{self as fields, Kind, app, item};
use crate::ingest::cell::Value;
use crate::rules::basis_of;
use crate::rules::{Program, RuleSet};

/// Values of a numeric column and the rows that have none. Criteria mostly read required fields,
/// so a column usually has no gaps and goes to polars as it is, without a copy.
struct Filled<T> {
    values: Vec<T>,
    gaps: Vec<usize>,
}

impl<T: Default> Filled<T> {
    fn with_capacity(n: usize) -> Self {
        Filled { values: Vec::with_capacity(n), gaps: Vec::new() }
    }

    fn push(&mut self, v: Option<T>) {
        match v {
            Some(v) => self.values.push(v),
            None => {
                self.gaps.push(self.values.len());
                self.values.push(T::default());
            }
        }
    }

    fn into_chunked<P: PolarsNumericType<Native = T>>(self, name: PlSmallStr) -> ChunkedArray<P> {
        if self.gaps.is_empty() {
            return ChunkedArray::from_vec(name, self.values);
        }
        let mut gaps = self.gaps.into_iter().peekable();
        let values = self.values.into_iter().enumerate();
        ChunkedArray::from_iter_options(name, values.map(|(row, v)| gaps.next_if_eq(&row).is_none().then_some(v)))
    }
}

/// Column builder, filled row by row in the dtype polars keeps.
enum Col {
    Str(StringChunkedBuilder),
    /// Days since 01.01.1970.
    Date(Filled<i32>),
    F64(Filled<f64>),
    I64(Filled<i64>),
    Bool(Vec<Option<bool>>),
    /// A column no criterion reads: not built.
    Skip,
}

impl Col {
    fn new(name: &str, t: &DataType, n: usize, needed: bool) -> Self {
        if !needed {
            return Col::Skip;
        }
        match t {
            DataType::String => Col::Str(StringChunkedBuilder::new(name.into(), n)),
            DataType::Date => Col::Date(Filled::with_capacity(n)),
            DataType::Float64 => Col::F64(Filled::with_capacity(n)),
            DataType::Int64 => Col::I64(Filled::with_capacity(n)),
            _ => Col::Bool(Vec::with_capacity(n)),
        }
    }

    fn is_needed(&self) -> bool {
        !matches!(self, Col::Skip)
    }

    fn push(&mut self, v: Option<&Value>) {
        self.extend(std::iter::once(v));
    }

    /// Pushes a run of values, deciding their dtype once.
    fn extend<'v>(&mut self, vs: impl Iterator<Item = Option<&'v Value>>) {
        match self {
            Col::Str(c) => vs.for_each(|v| match v {
                Some(Value::Text(t)) => c.append_value(t.as_str()),
                _ => c.append_null(),
            }),
            Col::Date(c) => vs.for_each(|v| {
                c.push(match v {
                    Some(Value::Date(d)) => Some(days(*d)),
                    Some(Value::DateTime(d)) => Some(days(d.date())),
                    _ => None,
                });
            }),
            Col::F64(c) => vs.for_each(|v| {
                c.push(match v {
                    Some(Value::Decimal(d)) => Some(to_f64(*d)),
                    _ => None,
                });
            }),
            Col::I64(c) => vs.for_each(|v| {
                c.push(match v {
                    Some(Value::Money(m)) => Some(m.tiyn()),
                    _ => None,
                });
            }),
            Col::Bool(c) => vs.for_each(|v| {
                c.push(match v {
                    Some(Value::Flag(b)) => Some(*b),
                    _ => None,
                });
            }),
            Col::Skip => {}
        }
    }

    fn push_days(&mut self, d: Option<i32>) {
        if let Col::Date(c) = self {
            c.push(d);
        }
    }

    fn into_column(self, name: &str) -> Option<Column> {
        let name = PlSmallStr::from(name);
        Some(match self {
            Col::Str(c) => c.finish().into_column(),
            Col::Date(c) => c.into_chunked::<Int32Type>(name).into_date().into_column(),
            Col::F64(c) => c.into_chunked::<Float64Type>(name).into_column(),
            Col::I64(c) => c.into_chunked::<Int64Type>(name).into_column(),
            Col::Bool(v) => Column::new(name, v),
            Col::Skip => return None,
        })
    }
}

/// `rust_decimal`'s conversion to the bit, in 64-bit integers for mantissas that fit them (its
/// 128-bit division and conversion were a tenth of building the item frames).
#[allow(clippy::cast_precision_loss, clippy::float_arithmetic)]
fn to_f64(d: Decimal) -> f64 {
    let (m, scale) = (d.mantissa().unsigned_abs(), d.scale());
    let Ok(m) = u64::try_from(m) else { return d.to_f64().unwrap_or(f64::NAN) };
    if scale == 0 {
        // A signed zero converts to +0.
        return if d.is_sign_negative() && m != 0 { -(m as f64) } else { m as f64 };
    }
    if scale > 19 {
        return d.to_f64().unwrap_or(f64::NAN);
    }
    let precision = 10_u64.pow(scale);
    let (integral, frac) = ((m / precision) as f64, (m % precision) as f64 / precision as f64);
    if frac == 0.0 {
        return if d.is_sign_negative() { -integral } else { integral };
    }
    let round_to = 10_f64.powi(scale.cast_signed());
    let rounded = ((integral + frac) * round_to).round() / round_to;
    if d.is_sign_negative() { -rounded } else { rounded }
}

fn days(d: NaiveDate) -> i32 {
    // Days from 01.01.1970 (polars' Date) are days from the Common Era's start minus 719 163.
    chrono::Datelike::num_days_from_ce(&d) - 719_163
}

/// Builders for the columns `needed` names; the others are skipped.
fn builders(cols: &[(String, DataType, String)], n: usize, needed: &Needed) -> Vec<Col> {
    cols.iter().map(|(name, t, _)| Col::new(name, t, n, needed.contains(name))).collect()
}

/// Names of the columns the criteria read.
pub(super) type Needed = std::collections::BTreeSet<String>;

/// `(field, column)` of the catalogue fields whose columns are built (date-times appear only as
/// derived dates, so columns skip them).
fn record_columns(fields: &[fields::Field], cols: &[Col]) -> Vec<(usize, usize)> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind != Kind::DateTime)
        .enumerate()
        .map(|(c, (f, _))| (f, c))
        .filter(|&(_, c)| cols[c].is_needed())
        .collect()
}

fn push_record(cols: &mut [Col], which: &[(usize, usize)], rec: &Record) {
    for &(f, c) in which {
        cols[c].push(rec.get(f));
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

pub(super) use crate::rules::Window;

/// One row per application. Derived columns are computed only when a criterion reads them.
pub(super) fn applications(apps: &[&Application], rules: &RuleSet, window: Window, needed: &Needed) -> DataFrame {
    let names = schema::application_columns();
    let mut cols = builders(&names, apps.len(), needed);
    let base = cols.len() - 6;
    let (wf, wt) = window;
    let which = record_columns(fields::APPLICATION_FIELDS, &cols);
    for a in apps {
        push_record(&mut cols, &which, &a.record);
        let sub = a.submitted_on();
        let window = |(m, d): (u32, u32)| sub.and_then(|s| NaiveDate::from_ymd_opt(chrono::Datelike::year(&s), m, d));
        cols[base].push_days(sub.map(days));
        cols[base + 1].push_days(window(wf).map(days));
        cols[base + 2].push_days(window(wt).map(days));
        if let Col::I64(c) = &mut cols[base + 3] {
            c.push(i64::try_from(a.items.len()).ok());
        }
        if let Col::F64(c) = &mut cols[base + 4] {
            let heads: rust_decimal::Decimal = a.items.iter().map(|i| basis_of(i, item::HEAD_COUNT)).sum();
            c.push(Some(to_f64(heads)));
        }
        if let Col::Str(c) = &mut cols[base + 5] {
            let kind = a.applicant_kind().and_then(|k| rules.service().applicant_kind(k));
            c.append_option(kind.map(|k| match k.tax_id {
                crate::domain::taxid::TaxIdKind::Iin => "iin",
                crate::domain::taxid::TaxIdKind::Bin => "bin",
            }));
        }
    }
    frame(cols, &names, apps.len())
}

/// One row per item, in application then item order, and the quantities of each item's money.
pub(super) fn items(apps: &[&Application], program: &Program, needed: &Needed) -> (DataFrame, Vec<Quantities>) {
    let names = schema::item_columns();
    let n: usize = apps.iter().map(|a| a.items.len()).sum();
    let mut cols = builders(&names, n, needed);
    let base = cols.len() - 7;
    let deadline_needed = cols[base + 3].is_needed();
    let month_needed = cols[base + 6].is_needed();
    // Columns taken from the application: each is pushed only if read.
    let from_app: Vec<(usize, usize)> =
        [(base + 1, app::HERD_SIZE), (base + 2, app::TAX_ID), (base + 4, app::PERIOD_FROM), (base + 5, app::PERIOD_TO)]
            .into_iter()
            .filter(|&(c, _)| cols[c].is_needed())
            .collect();
    let which = record_columns(fields::ITEM_FIELDS, &cols);
    let mut last_deadline: (Option<NaiveDate>, Option<i32>) = (None, None);
    let mut quantities = Vec::with_capacity(n);
    for a in apps {
        // Column by column over the application's items, which stay in the nearest cache.
        let count = a.items.len();
        quantities.extend(a.items.iter().map(|it| Quantities::of(it, program)));
        for &(f, c) in &which {
            cols[c].extend(a.items.iter().map(|it| it.get(f)));
        }
        let sub = a.submitted_on().map(days);
        (0..count).for_each(|_| cols[base].push_days(sub));
        for &(c, f) in &from_app {
            cols[c].extend(std::iter::repeat_n(a.record.get(f), count));
        }
        if deadline_needed {
            for it in &a.items {
                // Items of an application mostly share their transaction date.
                let date = it.date(item::TRANSACTION_DATE);
                if last_deadline.0 != date {
                    let months = Months::new(program.claim_deadline_months);
                    last_deadline = (date, date.and_then(|d| d.checked_add_months(months)).map(days));
                }
                cols[base + 3].push_days(last_deadline.1);
            }
        }
        if month_needed && let Col::I64(c) = &mut cols[base + 6] {
            for it in &a.items {
                c.push(it.date(item::TRANSACTION_DATE).map(|d| i64::from(chrono::Datelike::month(&d))));
            }
        }
    }
    (frame(cols, &names, n), quantities)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Columns with and without gaps reach polars with every value in its row and nulls where
    /// the records have none, whatever the dtype.
    #[test]
    fn columns_keep_values_and_gaps_in_their_rows() {
        let date = NaiveDate::from_ymd_opt(2025, 4, 30).unwrap();
        let values = [
            Some(Value::Decimal(Decimal::new(125, 1))),
            None,
            Some(Value::Date(date)),
            Some(Value::Text("тёлка".into())),
            Some(Value::Money(crate::domain::money::Money::from_tiyn(150))),
        ];
        let cases: [(DataType, &[usize]); 4] = [
            (DataType::Float64, &[0, 1, 0]),
            (DataType::Date, &[2, 2, 1]),
            (DataType::String, &[1, 3, 3]),
            (DataType::Int64, &[4, 4, 4]),
        ];
        for (dtype, rows) in cases {
            let mut col = Col::new("c", &dtype, rows.len(), true);
            col.extend(rows.iter().map(|&r| values[r].as_ref()));
            let built = col.into_column("c").unwrap();
            assert_eq!(built.dtype(), &dtype);
            let got: Vec<String> = (0..rows.len()).map(|r| built.get(r).unwrap().to_string()).collect();
            let want: Vec<String> = rows
                .iter()
                .map(|&r| match &values[r] {
                    None => "null".to_owned(),
                    Some(Value::Decimal(_)) => "12.5".to_owned(),
                    Some(Value::Date(_)) => "2025-04-30".to_owned(),
                    Some(Value::Text(_)) => "\"тёлка\"".to_owned(),
                    Some(Value::Money(_)) => "150".to_owned(),
                    Some(_) => unreachable!(),
                })
                .collect();
            assert_eq!(got, want, "{dtype}");
            let nulls: Vec<bool> = (0..rows.len()).map(|r| built.get(r).unwrap().is_null()).collect();
            assert_eq!(nulls, rows.iter().map(|&r| r == 1).collect::<Vec<_>>(), "{dtype}");
        }
    }

    proptest! {
        /// Criteria see the same numbers as with `rust_decimal`'s own conversion, to the bit.
        #[test]
        fn decimals_convert_as_rust_decimal_does(m in any::<i64>(), scale in 0u32..=28, wide in any::<bool>()) {
            let m = if wide { i128::from(m) << 30 } else { i128::from(m) };
            let d = Decimal::from_i128_with_scale(m, scale);
            prop_assert_eq!(to_f64(d).to_bits(), d.to_f64().unwrap().to_bits());
        }
    }
}
