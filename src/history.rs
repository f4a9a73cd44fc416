//! What the ledger knew before a batch, as plain data the stages read: the applications already
//! decided, the waiting list, the money paid, and a way to ask whether a subject was subsidised.
//! The ledger (an adapter) fills it; the stages never see the database.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::domain::money::Money;
use crate::domain::payment::PaymentLine;

/// An approved application not yet paid in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub app_no: String,
    pub batch_id: String,
    pub submitted_at: NaiveDateTime,
    pub budget_program: String,
    /// Amount still to pay.
    pub remaining: Money,
    pub line: PaymentLine,
}

/// What the ledger knew before a batch.
#[derive(Default)]
pub struct History {
    /// Application number -> the batch that decided it.
    pub decided: BTreeMap<String, String>,
    /// Animals and invoices subsidised by earlier batches.
    pub subjects: Subsidised,
    pub waiting: Vec<Waiting>,
    /// Paid per budget program in the batch's month and year.
    pub paid_month: BTreeMap<String, Money>,
    pub paid_year: BTreeMap<String, Money>,
    /// The last outgoing number of the batch's year before it; `None` without a ledger, where
    /// no number is kept and none is printed.
    pub last_letter: Option<u32>,
}

/// Looks up one subsidised subject; the ledger implements it.
pub trait SubjectIndex: Send + Sync {
    /// `(application, batch)` that was subsidised for `subject` of `kind` under `scope`.
    fn find(&self, scope: &str, kind: &str, subject: &str) -> anyhow::Result<Option<(String, String)>>;
}

/// Animals and invoices subsidised by earlier batches, looked up one at a time: after a large
/// batch the ledger holds millions, too many to load. Without a ledger nothing was subsidised.
#[derive(Default)]
pub struct Subsidised {
    index: Option<Box<dyn SubjectIndex>>,
}

impl Subsidised {
    pub fn new(index: Box<dyn SubjectIndex>) -> Subsidised {
        Subsidised { index: Some(index) }
    }

    /// `(application, batch)` that was subsidised for `subject` of `kind` under `scope`.
    pub fn find(&self, scope: &str, kind: &str, subject: &str) -> anyhow::Result<Option<(String, String)>> {
        match &self.index {
            Some(i) => i.find(scope, kind, subject),
            None => Ok(None),
        }
    }
}
