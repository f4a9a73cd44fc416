//! Serde structs mirroring the rule files 1:1. Values that are checked after parsing keep their
//! byte span (`Spanned`) so that a problem points at its line and column.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::domain::ground::Ground;
use crate::domain::money::Money;
use crate::domain::taxid::TaxIdKind;

/// `rules/service.toml`: the department, the refusal grounds, applicant kinds and common criteria.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawService {
    pub department: RawDepartment,
    pub grounds: RawGrounds,
    pub applicant_kind: Vec<RawApplicantKind>,
    pub window: RawWindow,
    #[serde(default)]
    pub criterion: Vec<RawCriterion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDepartment {
    pub name_ru: String,
    pub name_kk: String,
    pub region_ru: String,
    pub region_kk: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawGrounds {
    pub inaccurate_data: RawGround,
    pub non_compliance: RawGround,
    pub no_consent: RawGround,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawGround {
    pub text_ru: String,
    pub text_kk: String,
    pub legal_ref: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawApplicantKind {
    /// Codes as typed in the `applicant_kind` column (`ИП`, `ТОО` …).
    pub codes: Vec<String>,
    pub tax_id: TaxIdKind,
    /// Кбе values allowed for this kind.
    pub kbe: Vec<String>,
    /// Кбе values allowed instead when the BIN is that of a joint-entrepreneurship farm.
    #[serde(default)]
    pub kbe_joint_farm: Vec<String>,
}

/// The application window, `MM-DD` inclusive, in the submission's year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawWindow {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
}

/// `rules/programs/<code>.toml`: one subsidy type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawProgram {
    pub code: Spanned<String>,
    pub name_ru: String,
    pub name_kk: String,
    pub direction_ru: String,
    pub direction_kk: String,
    pub unit_ru: String,
    pub unit_kk: String,
    /// Form number of Appendix 3.
    pub form: u8,
    pub budget_program: String,
    pub legal_ref: Spanned<String>,
    pub claim_deadline_months: u32,
    #[serde(default)]
    pub required: Vec<Spanned<String>>,
    #[serde(default)]
    pub required_items: Vec<Spanned<String>>,
    pub amount: RawAmount,
    pub rate: Vec<RawRate>,
    #[serde(default)]
    pub criterion: Vec<RawCriterion>,
}

/// How an item's subsidised quantity and cap are found.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAmount {
    /// Item field giving the quantity (`head_count`, `live_weight_kg`, `volume_kg`).
    pub basis: Spanned<String>,
    /// Most of the basis subsidised per item (e.g. `"250"` kg live weight).
    pub basis_max: Option<Spanned<String>>,
    /// Largest share of the purchase price paid per item (e.g. `"0.5"`).
    pub price_share_max: Option<Spanned<String>>,
    pub legal_ref: Option<Spanned<String>>,
}

/// One edition of a rate, in force on submission dates `effective-from <= d < effective-to`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRate {
    pub id: Spanned<String>,
    pub effective_from: Spanned<Datetime>,
    pub effective_to: Option<Spanned<Datetime>>,
    /// Tenge per unit.
    pub amount: Spanned<Money>,
    pub legal_ref: Spanned<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Application,
    Item,
}

/// A condition that must hold for the application (or each of its items) to be eligible.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCriterion {
    pub id: Spanned<String>,
    pub level: Level,
    pub require: Spanned<String>,
    pub ground: Ground,
    pub legal_ref: Spanned<String>,
    pub message_ru: Spanned<String>,
    pub message_kk: Spanned<String>,
}
