//! Domain values with no knowledge of files or stages: money, numbers, identifiers, banks.

pub mod bank;
pub mod calendar;
pub mod date;
pub mod ground;
pub mod iban;
pub mod money;
pub mod number;
pub mod payment;
pub mod policy;
pub mod taxid;
pub mod words;
