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
    pub service: RawServiceHead,
    /// Key of the region (`regions/<key>.toml`) whose department decides batches by default.
    pub region: Spanned<String>,
    pub grounds: RawGrounds,
    pub applicant_kind: Vec<RawApplicantKind>,
    pub window: RawWindow,
    #[serde(default)]
    pub criterion: Vec<RawCriterion>,
    pub complaint: RawComplaint,
    pub process: Vec<RawProcess>,
    pub partial_offer: RawPartialOffer,
    pub fixed_reasons: RawFixedReasons,
}

/// The term to accept a partial payment (p.24-1 of the Rules).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPartialOffer {
    /// Working days after the batch date.
    pub acceptance_days: u32,
    pub legal_ref: Spanned<String>,
}

/// What a service is and how its documents and checks differ.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawServiceHead {
    /// Subsidy types name it in `service = "…"`.
    pub key: Spanned<String>,
    pub name_ru: String,
    pub name_kk: String,
    pub legal_ref: Spanned<String>,
    /// Template of the approval notice under `templates/notices/` (`approved` or `payment`).
    #[serde(default)]
    pub approved_notice: Option<Spanned<String>>,
    /// An animal or invoice is subsidised once per subsidy `type` or once per `service`.
    #[serde(default)]
    pub subject_scope: Option<Spanned<String>>,
}

/// `rules/services/<key>.toml`: a further service of the department (processing enterprises). The
/// department, applicant kinds and signatures are those of `service.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawOtherService {
    pub service: RawServiceHead,
    pub grounds: RawGrounds,
    pub window: RawWindow,
    #[serde(default)]
    pub criterion: Vec<RawCriterion>,
    pub process: Vec<RawProcess>,
    /// The complaint text of `service.toml` when absent.
    pub complaint: Option<RawComplaint>,
    /// The partial-payment term of `service.toml` when absent.
    pub partial_offer: Option<RawPartialOffer>,
    pub fixed_reasons: RawOtherFixedReasons,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawOtherFixedReasons {
    pub duplicate_subject: RawFixedReason,
}

/// Reasons found by the pipeline rather than by a criterion.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFixedReasons {
    pub duplicate_subject: RawFixedReason,
    pub registry_mismatch: RawFixedReason,
    /// Submitted on a date when no edition of the type was in force.
    pub type_not_in_force: RawFixedReason,
    /// The akimat sets the type's normative, and these rules do not hold it.
    pub akimat_not_set: RawFixedReason,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFixedReason {
    pub ground: Ground,
    pub legal_ref: Spanned<String>,
    pub message_ru: String,
    pub message_kk: String,
}

/// `legal-kk.toml`: the Kazakh citation of each legal reference.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCitations {
    #[serde(default)]
    pub citation: Vec<RawCitation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCitation {
    pub ru: Spanned<String>,
    pub kk: Spanned<String>,
}

/// Who signs notices and payment lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSignatures {
    pub officer_ru: String,
    pub officer_kk: String,
    pub officer_name: String,
    /// The executor's phone, printed under the letter.
    #[serde(default)]
    pub officer_phone: String,
    pub head_ru: String,
    pub head_kk: String,
    pub head_name: String,
    pub finance_ru: String,
    pub finance_kk: String,
    pub finance_name: String,
}

/// How to complain, printed on refusals.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawComplaint {
    pub text_ru: String,
    pub text_kk: String,
    pub legal_ref: Spanned<String>,
}

/// Working days allowed for each step of the service, by submission date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawProcess {
    pub id: Spanned<String>,
    pub effective_from: Spanned<Datetime>,
    pub effective_to: Option<Spanned<Datetime>>,
    pub acceptance_days: u32,
    pub payment_order_days: u32,
    pub legal_ref: Spanned<String>,
}

/// `rules/budget.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBudget {
    pub program: Vec<RawBudgetProgram>,
}

/// A budget program and the payer block of its payment lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBudgetProgram {
    pub key: Spanned<String>,
    pub name_ru: String,
    pub name_kk: String,
    pub payer_name: String,
    pub payer_bin: Spanned<String>,
    pub payer_iban: Spanned<String>,
    pub payer_bic: Spanned<String>,
    pub kbk: String,
    pub specifics: String,
    pub knp: Spanned<String>,
    /// Payment purpose; `{app_no}`, `{submitted}` and `{type_code}` are filled in.
    pub purpose_ru: String,
    pub legal_ref: Spanned<String>,
    /// What in this block is still to be confirmed; `check` lists it.
    pub unconfirmed: Option<Spanned<String>>,
    #[serde(default)]
    pub year: Vec<RawBudgetYear>,
}

/// A year's money for a budget program.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBudgetYear {
    pub year: i32,
    pub allocation: Spanned<Money>,
    /// Twelve amounts, January to December: what may be paid in each month.
    pub monthly_plan: Spanned<Vec<Money>>,
    /// `fifo` or `pro-rata`.
    pub policy: Spanned<String>,
    /// Pro-rata: amounts up to this are paid in full.
    pub exemption_threshold: Option<Money>,
    pub legal_ref: Spanned<String>,
}

/// `rules/regions/<key>.toml`: one region's department and what its akimat sets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRegion {
    pub region: RawRegionHead,
    pub department: RawDepartment,
    pub signatures: RawSignatures,
    /// The region's budget programs and plans (a file beside `service.toml`); a region without
    /// one can be audited but not run.
    pub budget: Option<Spanned<String>>,
    /// Normatives the akimat sets or raises (p.10 of the Rules; Appendix 1, «по усмотрению МИО»).
    #[serde(default)]
    pub normative: Vec<RawNormative>,
    /// The Kazakh name of each district and city as applications write it in Russian.
    #[serde(default)]
    pub districts: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRegionHead {
    pub key: Spanned<String>,
    pub name_ru: String,
    pub name_kk: String,
    /// Other ways registers and application files write the region's name.
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDepartment {
    pub name_ru: String,
    pub name_kk: String,
    pub bin: Option<Spanned<String>>,
    #[serde(default)]
    pub address_ru: String,
    #[serde(default)]
    pub address_kk: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    pub unconfirmed: Option<Spanned<String>>,
}

/// A normative set by the akimat for one subsidy type, dated like a rate edition.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawNormative {
    #[serde(rename = "type")]
    pub type_code: Spanned<String>,
    pub id: Spanned<String>,
    pub effective_from: Spanned<Datetime>,
    pub effective_to: Option<Spanned<Datetime>>,
    pub amount: Spanned<Money>,
    pub legal_ref: Spanned<String>,
    pub unconfirmed: Option<Spanned<String>>,
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
    /// The product a processing type's raw material is made into, in each language: notices
    /// name it so, whatever words the application used.
    pub product_ru: Option<String>,
    pub product_kk: Option<String>,
    /// Form number of Appendix 3.
    pub form: u8,
    /// The service the type belongs to (`service.key` of a service file); the one of
    /// `service.toml` when absent.
    pub service: Option<Spanned<String>>,
    pub budget_program: Spanned<String>,
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
    /// The type's own application window instead of the service's.
    pub window: Option<RawWindow>,
    /// `year`: an animal may be subsidised again in another year (insemination, selection work,
    /// feed); once for all time when absent.
    pub subject_period: Option<Spanned<String>>,
    /// What in this file is still to be confirmed; `check` lists it.
    pub unconfirmed: Option<Spanned<String>>,
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
    /// Kilograms of purchased product needed per kilogram of product made: with a rate's
    /// `output`, the subsidised purchases are at most output x this.
    pub raw_per_output: Option<Spanned<String>>,
    /// `head` (default): `price` is per head; `basis`: per unit of the basis (a dose).
    pub price_per: Option<Spanned<String>>,
    /// Application field whose value times `cap-per` limits the application's quantity.
    pub cap_field: Option<Spanned<String>>,
    pub cap_per: Option<Spanned<String>>,
    /// Item field that picks each item's tier of a rate (`tiers`).
    pub tier_field: Option<Spanned<String>>,
    pub legal_ref: Option<Spanned<String>>,
    pub unconfirmed: Option<Spanned<String>>,
}

/// One edition of a rate, in force on submission dates `effective-from <= d < effective-to`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRate {
    pub id: Spanned<String>,
    pub effective_from: Spanned<Datetime>,
    pub effective_to: Option<Spanned<Datetime>>,
    /// Tenge per unit; absent only when `set-by = "akimat"`.
    pub amount: Option<Spanned<Money>>,
    /// `akimat`: the normative is set by the akimat's resolution (p.10 of the Rules).
    pub set_by: Option<Spanned<String>>,
    /// Per-item normatives by the amount's `tier-field`.
    #[serde(default)]
    pub tiers: Vec<RawTier>,
    pub unconfirmed: Option<Spanned<String>>,
    /// Application field of the output that limits the subsidised purchases (`produced_kg`,
    /// `sold_kg`); see `raw-per-output`.
    pub output: Option<Spanned<String>>,
    pub legal_ref: Spanned<String>,
}

/// A tier of a rate: items whose tier field is at least `from` get `amount`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawTier {
    pub from: Spanned<String>,
    pub amount: Money,
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
    /// Dated like rates when an order changed the criterion; always in force when absent.
    pub effective_from: Option<Spanned<Datetime>>,
    pub effective_to: Option<Spanned<Datetime>>,
    pub unconfirmed: Option<Spanned<String>>,
}
