//! Sample applications: a realistic month for Karaganda, seeded and reproducible.
//!
//! The type mix, districts, quantities and amounts follow the 2025 register profile
//! (`shared/domain/real-data-profile.md`); identifiers are valid (generated, never real people's);
//! bank codes are real. The workbook is written the way real files come: title rows above the
//! header, dates as text and as Excel dates, IINs that lost their leading zero, comma decimals,
//! no-break spaces, a merged cell, a blank and a hidden row. With `--with-mistakes` it also holds
//! the deliberate mistakes listed in `samples/README.md`, each tagged in [`Mistake`].

mod args;
mod ids;
mod people;
pub mod processing;
mod tables;
mod types;
mod workbook;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::money::Money;

pub use args::{SampleArgs, SampleService};
pub use tables::tables;
pub use workbook::write_sample;

/// A cell as the sample writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

/// The deliberate mistakes; each appears once, in the application tagged with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    BadIinChecksum,
    IbanBicMismatch,
    BullTooOld,
    NoConsent,
    EdsRevoked,
    FeedlotTooLight,
    ClaimTooLate,
    OrphanItem,
    HerdTooSmall,
    BinForIndividual,
    ClaimAboveNormative,
    ImpossibleDate,
    RegisteredAfterSubmission,
    /// The first animal is one already listed by an earlier application of the same type.
    DuplicateAnimal,
}

impl Mistake {
    /// Mistakes that can be made in an application of type `code`.
    fn applies(self, code: &str) -> bool {
        let animals = matches!(code, "007" | "004" | "002" | "031" | "115" | "116" | "022");
        match self {
            Mistake::BullTooOld => code == "007",
            Mistake::FeedlotTooLight => code == "022",
            Mistake::HerdTooSmall => code == "019",
            Mistake::ClaimTooLate | Mistake::RegisteredAfterSubmission | Mistake::DuplicateAnimal => animals,
            Mistake::BinForIndividual => !matches!(code, "020" | "055" | "058" | "059"),
            _ => true,
        }
    }
}

/// Every kind of mistake, for `--mistake-share`.
const ALL_MISTAKES: [Mistake; 14] = [
    Mistake::BadIinChecksum,
    Mistake::IbanBicMismatch,
    Mistake::BullTooOld,
    Mistake::NoConsent,
    Mistake::EdsRevoked,
    Mistake::FeedlotTooLight,
    Mistake::ClaimTooLate,
    Mistake::OrphanItem,
    Mistake::HerdTooSmall,
    Mistake::BinForIndividual,
    Mistake::ClaimAboveNormative,
    Mistake::ImpossibleDate,
    Mistake::RegisteredAfterSubmission,
    Mistake::DuplicateAnimal,
];

pub const MISTAKES: [(Mistake, &str); 13] = [
    (Mistake::BadIinChecksum, "007"),
    (Mistake::IbanBicMismatch, "004"),
    (Mistake::BullTooOld, "007"),
    (Mistake::NoConsent, "115"),
    (Mistake::EdsRevoked, "004"),
    (Mistake::FeedlotTooLight, "022"),
    (Mistake::ClaimTooLate, "007"),
    (Mistake::OrphanItem, "115"),
    (Mistake::HerdTooSmall, "019"),
    (Mistake::BinForIndividual, "022"),
    (Mistake::ClaimAboveNormative, "115"),
    (Mistake::ImpossibleDate, "004"),
    (Mistake::RegisteredAfterSubmission, "007"),
];

/// One generated application: its cells by field key, and its items.
#[derive(Debug, Clone)]
pub struct SampleApp {
    pub cells: Vec<(&'static str, Cell)>,
    pub items: Vec<Vec<(&'static str, Cell)>>,
    pub mistake: Option<Mistake>,
}

/// Which yearly mix of subsidy types a sample follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mix {
    /// Karaganda's 2025 applications (`real-data-profile.md`).
    Karaganda,
    /// The country's 2025 applications: every type of the register.
    National,
}

impl Mix {
    fn types(self) -> &'static [(&'static str, u32)] {
        match self {
            Mix::Karaganda => &types::KARAGANDA,
            Mix::National => &types::NATIONAL,
        }
    }

    /// Applications per month of the year, January to December (the register's 2025 rhythm).
    fn months(self) -> [u32; 12] {
        match self {
            Mix::Karaganda => [24, 58, 42, 174, 100, 151, 80, 23, 28, 36, 39, 66],
            Mix::National => [867, 1662, 1732, 4431, 3949, 3843, 3842, 2200, 2200, 2200, 2200, 3154],
        }
    }
}

const DISTRICTS: [(&str, u32); 7] = [
    ("Бухар-Жырауский район", 296),
    ("Шетский район", 239),
    ("Каркаралинский район", 135),
    ("Абайский район", 87),
    ("Нуринский район", 85),
    ("Актогайский район", 47),
    ("Осакаровский район", 30),
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, weighted: &'a [(T, u32)]) -> &'a T {
    let total: u32 = weighted.iter().map(|w| w.1).sum();
    let mut x = rng.random_range(0..total);
    for (v, w) in weighted {
        if x < *w {
            return v;
        }
        x -= w;
    }
    &weighted[0].0
}

/// Working days of the month with the peak in its middle (as 15.04.2025 in the register).
fn submission_time(rng: &mut ChaCha8Rng, month: NaiveDate) -> NaiveDateTime {
    loop {
        let last = (month + chrono::Months::new(1) - Duration::days(1)).day();
        let day = if rng.random_bool(0.25) { 15.min(last) } else { rng.random_range(1..=last) };
        let d = month.with_day(day).expect("day in month");
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if weekend && !rng.random_bool(0.08) {
            continue;
        }
        let hour = if rng.random_bool(0.9) { rng.random_range(9..18) } else { rng.random_range(19..24) };
        let t = NaiveTime::from_hms_opt(hour, rng.random_range(0..60), rng.random_range(0..60)).expect("time");
        return d.and_time(t);
    }
}

/// Generates `count` applications submitted in `month`.
/// `share_percent` of the applications (after the documented ones) get a random mistake that fits
/// their type; those draws use a stream of their own, so a share of 0 changes nothing else.
pub fn generate(month: NaiveDate, count: usize, seed: u64, with_mistakes: bool, share_percent: u32) -> Vec<SampleApp> {
    applications(month, count, seed, with_mistakes, share_percent).collect()
}

/// What a sample spans and follows besides its first month.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    /// Months from the first, each with its share of the year's rhythm.
    pub months: u32,
    pub mix: Mix,
    /// Applications of every region of the register, not Karaganda's alone.
    pub all_regions: bool,
}

impl Default for Span {
    fn default() -> Self {
        Span { months: 1, mix: Mix::Karaganda, all_regions: false }
    }
}

/// The applications of [`generate`] one at a time: a sample of a million applications is written
/// as it is made, never held whole.
pub fn applications(
    month: NaiveDate,
    count: usize,
    seed: u64,
    with_mistakes: bool,
    share_percent: u32,
) -> impl Iterator<Item = SampleApp> {
    applications_over(month, Span::default(), count, seed, with_mistakes, share_percent)
}

/// [`applications`] over `span.months` months from `month`, in the mix of `span.mix`: each
/// month gets its share of the year's rhythm, and each application a type that was open on its
/// submission date (the types that Order 189 ended or started, seasonal windows).
pub fn applications_over(
    month: NaiveDate,
    span: Span,
    count: usize,
    seed: u64,
    with_mistakes: bool,
    share_percent: u32,
) -> impl Iterator<Item = SampleApp> {
    let mut extra = ChaCha8Rng::seed_from_u64(seed ^ 0x6d69_7374_616b_6573);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let months = u32::try_from((month.year() - 2025) * 12).unwrap_or(0) + month.month0();
    let mut g = ids::Registry::new(months);
    let firsts: Vec<(NaiveDate, u32)> = (0..span.months.max(1))
        .filter_map(|k| month.checked_add_months(chrono::Months::new(k)))
        .map(|m| (m, span.mix.months()[m.month0() as usize]))
        .collect();
    let mix = span.mix.types();
    let open_on = move |c: &str, d: NaiveDate| {
        if span.all_regions { types::open_in_regions(c, d) } else { types::open_on(c, d) }
    };
    let mut times: Vec<NaiveDateTime> = (0..count)
        .map(|_| {
            loop {
                let m = if firsts.len() == 1 { firsts[0].0 } else { *pick(&mut rng, &firsts) };
                let t = submission_time(&mut rng, m);
                // A day no type of the mix was open on (outside the window) is drawn again.
                if mix.iter().any(|(c, _)| open_on(c, t.date())) {
                    break t;
                }
            }
        })
        .collect();
    times.sort();
    let mut pending: Vec<(Mistake, &str)> = if with_mistakes { MISTAKES.to_vec() } else { Vec::new() };
    times.into_iter().enumerate().map(move |(i, t)| {
        let open: Vec<(&str, u32)> = mix.iter().copied().filter(|(c, _)| open_on(c, t.date())).collect();
        // A date no type was open on (20 December to 20 January) takes the year's largest.
        let code = if open.is_empty() { mix[0].0 } else { *pick(&mut rng, &open) };
        // Mistakes go to the first applications of their type after the tenth row.
        let mut mistake =
            if i >= 10 { pending.iter().position(|(_, c)| *c == code).map(|p| pending.remove(p).0) } else { None };
        if mistake.is_none() && share_percent > 0 && extra.random_range(0..100) < share_percent {
            let fits: Vec<Mistake> = ALL_MISTAKES.iter().copied().filter(|m| m.applies(code)).collect();
            mistake = Some(fits[extra.random_range(0..fits.len())]);
        }
        let place = if span.all_regions {
            let (key, name, districts) = types::REGIONS[types::region_for(&mut rng, code)];
            (key, name, districts[rng.random_range(0..2)])
        } else {
            ("karaganda", "Карагандинская область", *pick(&mut rng, &DISTRICTS))
        };
        people::application(&mut rng, &mut g, code, t, place, i, mistake)
    })
}

/// Amount for a quantity at the normative in force on `date`, with the 250 kg limit of 022 and
/// the 50 % cap of purchases where they apply.
pub(crate) fn line_amount(
    code: &str,
    date: NaiveDate,
    basis: rust_decimal::Decimal,
    price: Option<Money>,
    heads: i64,
) -> Money {
    let basis = if code == "022" { basis.min(rust_decimal::Decimal::from(250)) } else { basis };
    let mut line = rust_decimal::Decimal::from(types::normative(code, date).unwrap_or(0)) * basis;
    if let Some(p) = price
        && matches!(code, "007" | "004" | "002" | "031")
    {
        line = line.min(p.to_decimal() * rust_decimal::Decimal::from(heads) / rust_decimal::Decimal::TWO);
    }
    Money::from_decimal_rounded(line).unwrap_or_default()
}
