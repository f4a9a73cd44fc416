//! The batch context: the only source of "now" for every stage.

use chrono::{NaiveDate, NaiveDateTime};

/// Built once from the command line; stages read dates from here, never from the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchContext {
    /// The batch's date (`--batch-date`): the day the department decides the batch.
    pub batch_date: NaiveDate,
    /// Stamped into workbooks and the manifest; by default the batch date at 00:00 UTC so that
    /// the same inputs give byte-identical outputs.
    pub created_at: NaiveDateTime,
    /// A draft (`--draft`): its rules still hold values to confirm, every document says
    /// «ЖОБА / ПРОЕКТ», and its payment lists cannot be submitted.
    pub draft: bool,
    /// Notices also as PDF, and the batch's notices in one PDF (off with `--no-pdf`).
    pub pdf: bool,
}
