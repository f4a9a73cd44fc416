//! A payment as the treasury list carries it, and its stable id.

use sha2::{Digest, Sha256};

use super::money::Money;

/// One payment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaymentLine {
    /// Deterministic: the same type, applicant and application always give the same id.
    pub id: String,
    pub recipient: String,
    pub tax_id: String,
    pub kbe: String,
    pub bank: String,
    pub bic: String,
    pub iban: String,
    pub amount: Money,
    pub app_no: String,
    pub type_code: String,
    pub purpose: String,
}

/// The payment id: first 16 hex digits of SHA-256 over type, applicant and application.
pub fn payment_id(type_code: &str, tax_id: &str, app_no: &str) -> String {
    let h = Sha256::digest(format!("{type_code}|{tax_id}|{app_no}").as_bytes());
    h.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
