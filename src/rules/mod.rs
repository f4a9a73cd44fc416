//! Rule files: what an order of the Ministry or an akimat resolution can change, as data.
//!
//! [`load`] reads every file under the rules folder, checks everything it can (TOML, periods,
//! criteria against the known fields, legal references) and returns either a [`RuleSet`] or
//! every problem at once. Nothing here reads applications.

mod compile;
pub mod criterion;
pub mod raw;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use polars::prelude::Expr;
use rust_decimal::Decimal;

pub use compile::load;
pub use raw::Level;

use crate::diag::{Diagnostic, SourceMap};
use crate::domain::bank::BankDirectory;
use crate::domain::ground::Ground;
use crate::domain::money::Money;
use crate::domain::taxid::TaxIdKind;

/// Why rules could not be loaded.
#[derive(Debug)]
pub enum RulesError {
    /// The folder or a file could not be read.
    Io(anyhow::Error),
    /// The files were read and are wrong; all problems, with the texts to render them.
    Invalid(Vec<Diagnostic>, SourceMap),
}

/// Checked rules, ready to apply.
#[derive(Debug)]
pub struct RuleSet {
    pub service: Service,
    /// By subsidy-type code.
    pub programs: BTreeMap<String, Program>,
    pub banks: BankDirectory,
    /// Every file read, with its SHA-256, for the manifest.
    pub files: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct Service {
    pub department_ru: String,
    pub department_kk: String,
    pub region_ru: String,
    pub region_kk: String,
    pub grounds: BTreeMap<Ground, GroundText>,
    pub applicant_kinds: Vec<ApplicantKind>,
    /// `(month, day)` inclusive.
    pub window_from: (u32, u32),
    pub window_to: (u32, u32),
    /// Criteria that apply to every subsidy type.
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone)]
pub struct GroundText {
    pub text_ru: String,
    pub text_kk: String,
    pub legal_ref: String,
}

#[derive(Debug, Clone)]
pub struct ApplicantKind {
    pub codes: Vec<String>,
    pub tax_id: TaxIdKind,
    pub kbe: Vec<String>,
    pub kbe_joint_farm: Vec<String>,
}

impl Service {
    /// The applicant kind a code such as `ТОО` or `ип` belongs to.
    pub fn applicant_kind(&self, code: &str) -> Option<&ApplicantKind> {
        let code = crate::ingest::fields::normalize_header(code);
        self.applicant_kinds.iter().find(|k| {
            k.codes
                .iter()
                .any(|c| crate::ingest::fields::normalize_header(c) == code)
        })
    }
}

/// One subsidy type.
#[derive(Debug)]
pub struct Program {
    pub code: String,
    pub name_ru: String,
    pub name_kk: String,
    pub direction_ru: String,
    pub direction_kk: String,
    pub unit_ru: String,
    pub unit_kk: String,
    pub form: u8,
    pub budget_program: String,
    pub legal_ref: String,
    pub claim_deadline_months: u32,
    /// Application fields (catalogue positions) that must be filled.
    pub required: Vec<usize>,
    /// Item fields (catalogue positions) that must be filled.
    pub required_items: Vec<usize>,
    /// Item field (catalogue position) giving the subsidised quantity.
    pub basis: usize,
    pub basis_max: Option<Decimal>,
    pub price_share_max: Option<Decimal>,
    pub amount_legal_ref: Option<String>,
    /// Sorted by `from`, without overlaps.
    pub rates: Vec<Rate>,
    pub criteria: Vec<Criterion>,
    pub file: Arc<str>,
}

impl Program {
    /// The rate edition in force on a submission date.
    pub fn rate_on(&self, date: NaiveDate) -> Option<&Rate> {
        self.rates.iter().find(|r| r.covers(date))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub id: String,
    pub from: NaiveDate,
    /// Exclusive.
    pub to: Option<NaiveDate>,
    pub amount: Money,
    pub legal_ref: String,
}

impl Rate {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date < to)
    }
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub level: Level,
    pub text: String,
    pub expr: Expr,
    /// Columns the condition reads, to show the values it saw.
    pub fields: Vec<String>,
    pub ground: Ground,
    pub legal_ref: String,
    pub message_ru: String,
    pub message_kk: String,
}

/// Loads rules from a folder; shorthand used by tests and the CLI.
pub fn load_dir(dir: &Path) -> Result<RuleSet, RulesError> {
    load(dir)
}
