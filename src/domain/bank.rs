//! The bank directory: BIC -> 3-digit IBAN bank code -> name (reference data in `rules/banks-kz.csv`).

use std::collections::BTreeMap;

/// One bank of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    pub bic: String,
    pub code: String,
    pub name: String,
}

/// BIC-indexed directory of banks.
#[derive(Debug, Clone, Default)]
pub struct BankDirectory {
    by_bic: BTreeMap<String, Bank>,
}

impl BankDirectory {
    pub fn new(banks: impl IntoIterator<Item = Bank>) -> Self {
        Self { by_bic: banks.into_iter().map(|b| (b.bic.clone(), b)).collect() }
    }

    pub fn by_bic(&self, bic: &str) -> Option<&Bank> {
        self.by_bic.get(bic)
    }

    pub fn by_code(&self, code: &str) -> Option<&Bank> {
        self.by_bic.values().find(|b| b.code == code)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Bank> {
        self.by_bic.values()
    }

    pub fn len(&self) -> usize {
        self.by_bic.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_bic.is_empty()
    }
}
