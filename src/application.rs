//! Applications as the pipeline works with them after ingest: each field read as its kind, with
//! the row it came from. A field that could not be read is `None` and has a problem recorded.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::catalogue::app;
use crate::domain::money::Money;
use compact_str::CompactString;

/// A cell read as its field's kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    Text(CompactString),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Decimal(Decimal),
    Money(Money),
    Flag(bool),
}

/// One row of a sheet with its values in catalogue order.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 0-based sheet row or 1-based CSV line.
    pub row: u32,
    pub values: Vec<Option<Value>>,
}

impl Record {
    pub fn get(&self, field: usize) -> Option<&Value> {
        self.values.get(field).and_then(Option::as_ref)
    }

    pub fn text(&self, field: usize) -> Option<&str> {
        match self.get(field) {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    pub fn date(&self, field: usize) -> Option<NaiveDate> {
        match self.get(field) {
            Some(Value::Date(d)) => Some(*d),
            Some(Value::DateTime(d)) => Some(d.date()),
            _ => None,
        }
    }

    pub fn datetime(&self, field: usize) -> Option<NaiveDateTime> {
        match self.get(field) {
            Some(Value::DateTime(d)) => Some(*d),
            _ => None,
        }
    }

    pub fn decimal(&self, field: usize) -> Option<Decimal> {
        match self.get(field) {
            Some(Value::Decimal(d)) => Some(*d),
            _ => None,
        }
    }

    pub fn money(&self, field: usize) -> Option<Money> {
        match self.get(field) {
            Some(Value::Money(m)) => Some(*m),
            _ => None,
        }
    }

    pub fn flag(&self, field: usize) -> Option<bool> {
        match self.get(field) {
            Some(Value::Flag(b)) => Some(*b),
            _ => None,
        }
    }
}

/// An application with its items, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub app_no: String,
    /// First three digits of the application number.
    pub type_code: String,
    /// Which input file it came from (an index into the batch's sources).
    pub source: usize,
    pub record: Record,
    pub items: Vec<Record>,
    /// Refused as it was read, before any check: its number cannot be read or repeats an
    /// earlier row's (`app_no` is then the number as written and the row).
    pub intake: bool,
    /// Not decided in this batch, and why: a register row, and nothing more.
    pub not_here: Option<NotHere>,
}

/// Why an application row is not decided in this batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotHere {
    /// An earlier batch decided it (`subsidy ledger history` tells how).
    DecidedIn(String),
    /// Another region's department decides it.
    OtherRegion(String),
}

/// The typed view of what every application has, whatever its service: outputs and stages read
/// these rather than the record's columns, which remain for the criteria.
impl Application {
    /// Whether this batch decides it: read with a number of its own, and this department's.
    pub fn decided_here(&self) -> bool {
        !self.intake && self.not_here.is_none()
    }

    pub fn submitted_at(&self) -> Option<NaiveDateTime> {
        self.record.datetime(app::SUBMITTED_AT)
    }

    pub fn submitted_on(&self) -> Option<NaiveDate> {
        self.record.date(app::SUBMITTED_AT)
    }

    pub fn applicant_name(&self) -> &str {
        self.record.text(app::APPLICANT_NAME).unwrap_or_default()
    }

    pub fn applicant_kind(&self) -> Option<&str> {
        self.record.text(app::APPLICANT_KIND)
    }

    /// The IIN or BIN as written (checked by validation).
    pub fn tax_id(&self) -> &str {
        self.record.text(app::TAX_ID).unwrap_or_default()
    }

    pub fn region(&self) -> Option<&str> {
        self.record.text(app::REGION)
    }

    pub fn district(&self) -> &str {
        self.record.text(app::DISTRICT).unwrap_or_default()
    }

    pub fn record_no(&self) -> &str {
        self.record.text(app::RECORD_NO).unwrap_or_default()
    }

    /// The account the subsidy is paid to: IBAN, BIC and Кбе as written.
    pub fn iban(&self) -> &str {
        self.record.text(app::IBAN).unwrap_or_default()
    }

    pub fn bic(&self) -> &str {
        self.record.text(app::BIC).unwrap_or_default()
    }

    pub fn kbe(&self) -> &str {
        self.record.text(app::KBE).unwrap_or_default()
    }

    pub fn amount_claimed(&self) -> Option<Money> {
        self.record.money(app::AMOUNT_CLAIMED)
    }
}
