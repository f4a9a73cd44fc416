//! The columns criteria can use: every catalogue field under its key plus a few derived ones.
//! Money is exposed only as exact integer tiyn (`price_tiyn`); quantities are floats because
//! criteria only compare them with thresholds.

use polars::prelude::{DataType, Field as PlField, Schema};

use crate::catalogue::{APPLICATION_FIELDS, Field, ITEM_FIELDS, Kind};

/// Columns of the application frame, with what each holds.
pub fn application_columns() -> Vec<(String, DataType, String)> {
    let mut cols = catalogue_columns(APPLICATION_FIELDS);
    cols.extend([
        col("submitted_date", DataType::Date, "date part of `submitted_at`"),
        col("window_from", DataType::Date, "first day of the application window in the submission's year"),
        col("window_to", DataType::Date, "last day of the application window in the submission's year"),
        col("item_count", DataType::Int64, "number of item rows of the application"),
        col("head_total", DataType::Float64, "sum of `head_count` over the items (empty counts as 1)"),
        col("tax_id_kind", DataType::String, "`iin` or `bin`, from the applicant kind"),
    ]);
    cols
}

/// Columns of the item frame: item fields plus some of their application's.
pub fn item_columns() -> Vec<(String, DataType, String)> {
    let mut cols = catalogue_columns(ITEM_FIELDS);
    cols.extend([
        col("submitted_date", DataType::Date, "the application's submission date"),
        col("herd_size", DataType::Float64, "the application's herd size"),
        col("applicant_tax_id", DataType::String, "the applicant's IIN/BIN"),
        col("claim_deadline", DataType::Date, "`transaction_date` plus the type's claim-deadline months"),
        col("period_from", DataType::Date, "the application's `period_from` (processing enterprises)"),
        col("period_to", DataType::Date, "the application's `period_to` (processing enterprises)"),
        col("transaction_month", DataType::Int64, "month of `transaction_date`, 1-12 (seasonal sales)"),
    ]);
    cols
}

pub fn to_schema(cols: &[(String, DataType, String)]) -> Schema {
    cols.iter().map(|(n, t, _)| PlField::new(n.as_str().into(), t.clone())).collect()
}

fn col(name: &str, t: DataType, doc: &str) -> (String, DataType, String) {
    (name.to_owned(), t, doc.to_owned())
}

fn catalogue_columns(fields: &[Field]) -> Vec<(String, DataType, String)> {
    fields
        .iter()
        .filter(|f| f.kind != Kind::DateTime) // exposed as its date, `submitted_date`
        .map(|f| match f.kind {
            Kind::Text | Kind::Digits(_) => col(f.key, DataType::String, f.doc),
            Kind::Date | Kind::DateTime => col(f.key, DataType::Date, f.doc),
            Kind::Decimal | Kind::Count => col(f.key, DataType::Float64, f.doc),
            Kind::Money => (format!("{}_tiyn", f.key), DataType::Int64, format!("{} (in tiyn)", f.doc)),
            Kind::Flag => col(f.key, DataType::Boolean, f.doc),
        })
        .collect()
}
