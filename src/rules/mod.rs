//! Rule files: what an order of the Ministry or an akimat resolution can change, as data.
//!
//! [`load`] reads every file under the rules folder, checks everything it can (TOML, periods,
//! criteria against the known fields, legal references) and returns either a [`RuleSet`] or
//! every problem at once. Nothing here reads applications.

mod compile;
pub mod criterion;
pub mod raw;
pub mod schema;
pub mod source;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use polars::prelude::Expr;
use rust_decimal::Decimal;

pub use compile::{compile, load, load_for};
pub use raw::Level;
pub use source::RuleFiles;

use crate::diag::{Diagnostic, SourceMap};
use crate::domain::bank::BankDirectory;
use crate::domain::calendar::Calendar;
use crate::domain::ground::Ground;
use crate::domain::money::Money;
use crate::domain::taxid::TaxIdKind;

/// The application window, `(month, day)` inclusive at both ends.
pub type Window = ((u32, u32), (u32, u32));

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
    /// By key: the service of `service.toml` and those of `services/*.toml`.
    pub services: BTreeMap<String, Service>,
    /// Key of the service of `service.toml`, whose department, applicant kinds and signatures
    /// every service shares.
    pub main_service: String,
    /// By subsidy-type code.
    pub programs: BTreeMap<String, Program>,
    pub banks: BankDirectory,
    /// By key (`livestock`).
    pub budget: BTreeMap<String, BudgetProgram>,
    pub calendar: Calendar,
    /// Every file read, with its SHA-256, for the manifest.
    pub files: Vec<(String, String)>,
    /// Values marked unconfirmed (`unconfirmed = "…"`) and akimat rates with no value: `check`
    /// lists them as warnings.
    pub warnings: Vec<Diagnostic>,
    /// The warnings that are values marked unconfirmed: a batch decided with them is a draft.
    pub unconfirmed: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// Every region of `regions/`, by key.
    pub regions: BTreeMap<String, Region>,
    /// Key of the region whose department these rules decide for: its department, signatures and
    /// budget are the services' and `budget`'s, and its akimat's normatives apply.
    pub region: String,
    /// The Kazakh citation of each legal reference (`legal-kk.toml`).
    pub citations_kk: BTreeMap<String, String>,
}

/// One region: its department and the normatives its akimat sets.
#[derive(Debug)]
pub struct Region {
    pub key: String,
    pub name_ru: String,
    pub name_kk: String,
    /// Names as registers and application files write them, compared by [`region_stem`].
    pub stems: Vec<String>,
    pub department_ru: String,
    pub department_kk: String,
    pub bin: Option<String>,
    pub address_ru: String,
    pub address_kk: String,
    pub phone: String,
    pub email: String,
    pub signatures: Signatures,
    /// The Kazakh name of a district as applications write it (`Нуринский район` → `Нұра ауданы`).
    pub districts_kk: BTreeMap<String, String>,
    /// The budget file, relative to the rules folder.
    pub budget_file: Option<String>,
    /// By subsidy type: the akimat's normatives, sorted by `from`, without overlaps.
    pub normatives: BTreeMap<String, Vec<Arc<Rate>>>,
    pub file: Arc<str>,
}

impl Region {
    /// A district's name in the Kazakh half: its Kazakh name when the region's file gives one,
    /// else as the application wrote it (a proper name, never guessed).
    pub fn district_kk<'a>(&'a self, district: &'a str) -> &'a str {
        self.districts_kk.get(district.trim()).map_or(district, String::as_str)
    }

    /// The akimat's normative for a type on a submission date.
    pub fn normative_on(&self, type_code: &str, date: NaiveDate) -> Option<&Arc<Rate>> {
        self.normatives.get(type_code)?.iter().find(|r| r.covers(date))
    }
}

/// A region's name reduced to what tells regions apart: lower case, without the words «область»,
/// «облысы», «обл.» and without spaces and punctuation, so that `область Ұлытау`, `Ұлытау облысы`
/// and `ОБЛАСТЬ ҰЛЫТАУ` are one name; a city (`г.`, `город`, `қаласы`) keeps a mark of its own, so
/// that `г. Алматы` is not `Алматы облысы`.
pub fn region_stem(name: &str) -> String {
    let lower = name.to_lowercase().replace('ё', "е");
    let mut words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '«' | '»' | '"' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    // `г.Астана`, written without a space.
    let mut city = false;
    for w in &mut words {
        if let Some(rest) = w.strip_prefix("г.").filter(|r| !r.is_empty() && *r != "а.") {
            *w = rest;
            city = true;
        }
    }
    let city = city || words.iter().any(|w| matches!(*w, "город" | "г." | "г" | "қаласы" | "г.а."));
    let rest: String = words
        .iter()
        .filter(|w| !matches!(**w, "область" | "облысы" | "обл." | "обл" | "город" | "г." | "г" | "қаласы" | "г.а."))
        .flat_map(|w| w.chars().filter(|c| c.is_alphanumeric() || *c == '-'))
        .collect();
    if rest.is_empty() {
        return rest;
    }
    if city { format!("г:{rest}") } else { rest }
}

impl RuleSet {
    /// The region these rules decide for.
    pub fn region(&self) -> &Region {
        &self.regions[&self.region]
    }

    /// The region a name (an application's or a register row's `Область`) denotes.
    pub fn region_named(&self, name: &str) -> Option<&Region> {
        let stem = region_stem(name);
        if stem.is_empty() {
            return None;
        }
        self.regions.values().find(|r| r.stems.contains(&stem))
    }

    /// The normative in force for a type on a submission date in a region: the akimat's where it
    /// set one, else the type's edition (which may say that the akimat sets it).
    pub fn rate_on<'a>(&'a self, program: &'a Program, region: &'a Region, date: NaiveDate) -> Option<&'a Arc<Rate>> {
        region.normative_on(&program.code, date).or_else(|| program.rate_on(date))
    }

    /// The Kazakh citation of a legal reference: a draft's rules may lack one, and its notice
    /// then cites the reference as the rule file gives it.
    pub fn kk<'a>(&'a self, legal_ref: &'a str) -> &'a str {
        self.citations_kk.get(legal_ref.trim()).map_or(legal_ref, String::as_str)
    }

    /// The service of `service.toml`: the department, applicant kinds, signatures.
    pub fn service(&self) -> &Service {
        &self.services[&self.main_service]
    }

    /// The service a subsidy type belongs to (the main one for an unknown type).
    pub fn service_for(&self, type_code: &str) -> &Service {
        self.programs.get(type_code).and_then(|p| self.services.get(&p.service)).unwrap_or_else(|| self.service())
    }
}

/// What an animal or invoice is subsidised once under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectScope {
    /// Once per subsidy type (livestock: «по этому виду субсидий»).
    Type,
    /// Once across every type of the service (an invoice of raw milk feeds one product only).
    Service,
}

#[derive(Debug)]
pub struct Service {
    pub key: String,
    pub name_ru: String,
    pub name_kk: String,
    pub legal_ref: String,
    /// Template name under `templates/notices/` for approvals.
    pub approved_notice: String,
    pub subject_scope: SubjectScope,
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
    pub signatures: Signatures,
    pub complaint: GroundText,
    pub partial_offer: PartialOffer,
    pub duplicate_subject: FixedReason,
    pub registry_mismatch: FixedReason,
    /// Submitted when no edition of the type was in force.
    pub type_not_in_force: FixedReason,
    /// The type's normative is set by the akimat and the region's settings do not hold it.
    pub akimat_not_set: FixedReason,
    /// Sorted by `from`, without overlaps. Decisions share the edition they used.
    pub processes: Vec<std::sync::Arc<Process>>,
}

/// The term a producer has to accept or decline a partial payment (p.24-1 of the Rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialOffer {
    /// Working days after the batch date.
    pub acceptance_days: u32,
    pub legal_ref: String,
}

/// A reason the pipeline finds itself, with its texts.
#[derive(Debug, Clone)]
pub struct FixedReason {
    pub ground: Ground,
    pub legal_ref: String,
    pub message_ru: String,
    pub message_kk: String,
}

impl FixedReason {
    /// This reason with the details of one application.
    pub fn reason(&self, id: &str, facts: Vec<crate::outcome::Fact>) -> crate::outcome::Reason {
        crate::outcome::Reason {
            id: id.to_owned(),
            ground: self.ground,
            legal_ref: self.legal_ref.clone(),
            message_ru: self.message_ru.clone(),
            message_kk: self.message_kk.clone(),
            facts,
            rule: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Signatures {
    pub officer_ru: String,
    pub officer_kk: String,
    pub officer_name: String,
    pub officer_phone: String,
    pub head_ru: String,
    pub head_kk: String,
    pub head_name: String,
    pub finance_ru: String,
    pub finance_kk: String,
    pub finance_name: String,
}

/// Working days allowed per step, for submissions in `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub id: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub acceptance_days: u32,
    pub payment_order_days: u32,
    pub legal_ref: String,
}

impl Service {
    /// The process timings in force on a submission date.
    pub fn process_on(&self, date: NaiveDate) -> Option<&std::sync::Arc<Process>> {
        self.processes.iter().find(|p| p.from <= date && p.to.is_none_or(|to| date < to))
    }
}

/// A budget program and the payer block of its payment lists.
#[derive(Debug, Clone)]
pub struct BudgetProgram {
    pub key: String,
    pub name_ru: String,
    pub name_kk: String,
    pub payer_name: String,
    pub payer_bin: String,
    pub payer_iban: String,
    pub payer_bic: String,
    pub kbk: String,
    pub specifics: String,
    pub knp: String,
    pub purpose_ru: String,
    pub legal_ref: String,
    pub years: BTreeMap<i32, BudgetYear>,
}

/// A year's allocation, monthly financing plan and allocation policy.
#[derive(Debug, Clone)]
pub struct BudgetYear {
    pub allocation: Money,
    /// January to December.
    pub plan: [Money; 12],
    pub policy: crate::domain::policy::Policy,
    pub legal_ref: String,
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
        let code = crate::catalogue::normalize_header(code);
        self.applicant_kinds.iter().find(|k| k.codes.iter().any(|c| crate::catalogue::normalize_header(c) == code))
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
    /// The product made (processing types), for notices in each language.
    pub product_ru: Option<String>,
    pub product_kk: Option<String>,
    pub form: u8,
    /// Key of the service the type belongs to.
    pub service: String,
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
    /// Kilograms purchased per kilogram made, for rates that limit purchases by output.
    pub raw_per_output: Option<Decimal>,
    /// The item's price is per unit of the basis (a dose), not per head.
    pub price_per_basis: bool,
    /// The application's quantity is at most this application field (catalogue position) times
    /// `cap_per`: 2 doses per breeding female, 750 kg of milk per milking mare.
    pub cap_field: Option<usize>,
    pub cap_per: Option<Decimal>,
    /// Item field (catalogue position) that picks a rate's tier (wool quality).
    pub tier_field: Option<usize>,
    /// An animal or invoice is subsidised once per year of submission, not once for all time.
    pub subject_yearly: bool,
    /// The type's own application window, `(month, day)` inclusive; the service's when `None`.
    pub window: Option<Window>,
    pub amount_legal_ref: Option<String>,
    /// Sorted by `from`, without overlaps.
    /// Shared with the decisions that apply them.
    pub rates: Vec<std::sync::Arc<Rate>>,
    pub criteria: Vec<Criterion>,
    pub file: Arc<str>,
}

impl Program {
    /// The application window of this type: its own, or the service's.
    pub fn window_in(&self, service: &Service) -> Window {
        self.window.unwrap_or((service.window_from, service.window_to))
    }

    /// The rate edition in force on a submission date.
    pub fn rate_on(&self, date: NaiveDate) -> Option<&std::sync::Arc<Rate>> {
        self.rates.iter().find(|r| r.covers(date))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub id: String,
    pub from: NaiveDate,
    /// Exclusive.
    pub to: Option<NaiveDate>,
    /// The normative per unit; zero when the akimat sets it and has not (`akimat_unset`).
    pub amount: Money,
    /// Per-item normatives by the program's `tier_field`: `(from, amount)`, highest `from` first.
    pub tiers: Vec<(Decimal, Money)>,
    /// The normative is the akimat's to set (p.10 of the Rules) and these rules do not hold it.
    pub akimat_unset: bool,
    /// Application field (catalogue position) of the output that limits the purchases.
    pub output: Option<usize>,
    pub legal_ref: String,
}

impl Rate {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date < to)
    }

    /// The normative for an item whose tier field holds `value`; without tiers, the rate's.
    pub fn per_unit(&self, value: Option<Decimal>) -> Money {
        if self.tiers.is_empty() {
            return self.amount;
        }
        value.and_then(|v| self.tiers.iter().find(|(from, _)| *from <= v)).map_or(Money::ZERO, |t| t.1)
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
    /// In force on submission dates `from <= d < to` (an order changed it); always when `None`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Criterion {
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date < t)
    }
}

/// An item's quantity in the type's unit (`basis`); an empty head count is one animal.
pub fn basis_of(it: &crate::application::Record, basis: usize) -> rust_decimal::Decimal {
    match it.decimal(basis) {
        Some(d) => d,
        None if basis == crate::catalogue::item::HEAD_COUNT => rust_decimal::Decimal::ONE,
        None => rust_decimal::Decimal::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn shipped() -> RuleSet {
        load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))).unwrap_or_else(|e| match e {
            RulesError::Io(e) => panic!("{e:#}"),
            RulesError::Invalid(d, s) => panic!("{}", d.iter().map(|d| s.render(d)).collect::<String>()),
        })
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn rate_edition_is_chosen_by_submission_date_at_the_boundaries() {
        let rules = shipped();
        let bulls = &rules.programs["007"];
        assert!(bulls.rate_on(d(2024, 12, 31)).is_none(), "no edition before 2025");
        assert_eq!(bulls.rate_on(d(2025, 1, 1)).unwrap().id, "RATE-007-332");
        assert_eq!(bulls.rate_on(d(2025, 6, 21)).unwrap().id, "RATE-007-332");
        assert_eq!(bulls.rate_on(d(2025, 6, 22)).unwrap().id, "RATE-007-189");
        // Bought and claimed on 02.12.2025: Order 428 is not yet applied.
        assert_eq!(bulls.rate_on(d(2025, 12, 2)).unwrap().amount, Money::from_tiyn(15_000_000));
        assert_eq!(bulls.rate_on(d(2025, 12, 4)).unwrap().id, "RATE-007-189");
        let new = bulls.rate_on(d(2025, 12, 5)).unwrap();
        assert_eq!((new.id.as_str(), new.amount), ("RATE-007-428", Money::from_tiyn(26_000_000)));
        assert_eq!(bulls.rate_on(d(2030, 6, 1)).unwrap().id, "RATE-007-428", "the open edition stays in force");
        let calves = &rules.programs["022"];
        assert_eq!(calves.rate_on(d(2025, 6, 21)).unwrap().amount, Money::from_tiyn(200 * 100));
        assert_eq!(calves.rate_on(d(2025, 6, 22)).unwrap().amount, Money::from_tiyn(300 * 100));
        for (code, before, after) in [
            ("004", 150_000, 260_000),
            ("002", 225_000, 390_000),
            ("022", 300, 300),
            ("031", 15_000, 26_000),
            ("115", 15_000, 15_000),
            ("001", 200_000, 350_000),
            ("043", 100_000, 175_000),
        ] {
            let p = &rules.programs[code];
            assert_eq!(p.rate_on(d(2025, 12, 4)).unwrap().amount, Money::from_tiyn(before * 100), "{code}");
            assert_eq!(p.rate_on(d(2025, 12, 5)).unwrap().amount, Money::from_tiyn(after * 100), "{code}");
        }
        // Removed by Order 189, and started by it.
        for code in ["012", "013", "050"] {
            assert!(rules.programs[code].rate_on(d(2025, 6, 21)).is_some(), "{code}");
            assert!(rules.programs[code].rate_on(d(2025, 6, 22)).is_none(), "{code}");
        }
        for code in ["115", "116"] {
            assert!(rules.programs[code].rate_on(d(2025, 6, 21)).is_none(), "{code}");
            assert!(rules.programs[code].rate_on(d(2025, 6, 22)).is_some(), "{code}");
        }
    }

    #[test]
    fn process_timings_follow_the_submission_date() {
        let rules = shipped();
        let old = rules.service().process_on(d(2023, 12, 29)).unwrap();
        assert_eq!((old.id.as_str(), old.acceptance_days, old.payment_order_days), ("PROCESS-KRG-2019", 1, 1));
        let new = rules.service().process_on(d(2024, 1, 1)).unwrap();
        assert_eq!((new.id.as_str(), new.acceptance_days, new.payment_order_days), ("PROCESS-RULES-108", 2, 2));
        assert!(rules.service().process_on(d(2018, 12, 31)).is_none());
        let due = rules.calendar.add_working_days(d(2023, 12, 29), old.acceptance_days).unwrap();
        assert_eq!(due, d(2024, 1, 3), "1-2 January are holidays");
    }

    #[test]
    fn region_names_match_in_either_language_and_cities_stay_apart() {
        assert_eq!(region_stem("область Ұлытау"), region_stem("Ұлытау облысы"));
        assert_eq!(region_stem("ОБЛАСТЬ  ҰЛЫТАУ"), region_stem("Ұлытау облысы"));
        assert_eq!(region_stem("г. Алматы"), region_stem("Алматы қаласы"));
        assert_eq!(region_stem("г.Алматы"), region_stem("город Алматы"));
        assert_ne!(region_stem("г. Алматы"), region_stem("Алматы облысы"));
        let rules = shipped();
        assert_eq!(rules.regions.len(), 20);
        for (name, key) in [
            ("Карагандинская область", "karaganda"),
            ("область Қарағанды", "karaganda"),
            ("Мангистауская область", "mangystau"),
            ("Маңғыстау облысы", "mangystau"),
            ("область Абай", "abai"),
            ("г. Алматы", "almaty-city"),
            ("Алматинская область", "almaty-oblast"),
            ("Алматы облысы", "almaty-oblast"),
            ("ВКО", "east-kazakhstan"),
        ] {
            assert_eq!(rules.region_named(name).map(|r| r.key.as_str()), Some(key), "{name}");
        }
        assert!(rules.region_named("Неизвестная область").is_none());
        // Every region's stems are its own.
        let mut seen = std::collections::BTreeMap::new();
        for r in rules.regions.values() {
            for s in &r.stems {
                assert_eq!(seen.insert(s.clone(), r.key.clone()).unwrap_or_else(|| r.key.clone()), r.key, "{s}");
            }
        }
    }

    #[test]
    fn the_akimats_normatives_apply_in_their_region_from_their_date() {
        let rules = shipped();
        let feed = &rules.programs["024"];
        let (mng, krg) = (&rules.regions["mangystau"], &rules.regions["karaganda"]);
        assert!(rules.rate_on(feed, mng, d(2025, 7, 15)).unwrap().akimat_unset, "before the resolution: not set");
        let set = rules.rate_on(feed, mng, d(2025, 7, 16)).unwrap();
        assert_eq!((set.id.as_str(), set.amount), ("MIO-024-MNG-2025", Money::from_tiyn(2_519_400)));
        assert!(rules.rate_on(feed, krg, d(2025, 7, 16)).unwrap().akimat_unset, "Karaganda set none");
        let camel = &rules.programs["047"];
        let atyrau = &rules.regions["atyrau"];
        assert_eq!(rules.rate_on(camel, atyrau, d(2025, 7, 1)).unwrap().amount, Money::from_tiyn(5_500));
        assert_eq!(rules.rate_on(camel, atyrau, d(2025, 7, 2)).unwrap().amount, Money::from_tiyn(19_000));
        assert_eq!(rules.rate_on(camel, krg, d(2025, 7, 2)).unwrap().amount, Money::from_tiyn(5_500));
        let horses = rules.rate_on(&rules.programs["107"], &rules.regions["kostanay"], d(2025, 11, 3)).unwrap();
        assert_eq!(horses.amount, Money::from_tiyn(85_850_000));
    }

    /// The codes of the 2025 state register (`shared/domain/all-types.md`, Table A).
    const REGISTER_CODES: [&str; 46] = [
        "001", "002", "003", "004", "006", "007", "011", "012", "013", "014", "015", "017", "018", "019", "020", "022",
        "023", "024", "031", "035", "039", "040", "043", "044", "045", "047", "048", "049", "050", "051", "054", "055",
        "056", "057", "058", "059", "105", "107", "108", "109", "110", "111", "114", "115", "116", "117",
    ];

    #[test]
    fn every_type_of_the_state_register_has_rules_with_legal_references() {
        let rules = shipped();
        let livestock: Vec<&str> =
            rules.programs.values().filter(|p| p.service == "livestock").map(|p| p.code.as_str()).collect();
        assert_eq!(livestock, REGISTER_CODES);
        // Where the shared facts are beside the project, Table A lists the same codes.
        let table = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/domain/all-types.md"));
        if let Ok(text) = fs_err::read_to_string(table) {
            let codes: std::collections::BTreeSet<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("| "))
                .filter_map(|l| l.split(' ').next())
                .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
                .collect();
            assert_eq!(codes.into_iter().collect::<Vec<_>>(), REGISTER_CODES);
        }
        for p in rules.programs.values() {
            assert!(!p.rates.is_empty(), "{}", p.code);
            assert!(p.rates.iter().all(|r| !r.legal_ref.is_empty()) && !p.legal_ref.is_empty());
            assert!(p.criteria.iter().all(|c| !c.legal_ref.is_empty() && !c.message_kk.is_empty()));
        }
        // The akimat's types hold no normative here, and `check` says so.
        for code in ["023", "024", "040", "045", "048", "107", "108", "117"] {
            assert!(rules.programs[code].rates.iter().all(|r| r.akimat_unset), "{code}");
            assert!(rules.warnings.iter().any(|w| w.file.ends_with(&format!("{code}.toml"))), "{code}");
        }
    }
}
