//! What the sample knows of every subsidy type of the 2025 register: the normative of each
//! edition (to fill in the claimed amount as the state system does), which types were open on a
//! date, the yearly mixes of Karaganda and of the country, and the items of the types that
//! `people` does not make itself.
//!
//! The normatives repeat `rules/programs/` on purpose: a sample is an applicant's claim, made
//! without the rules, and a golden run shows where the two disagree.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::Cell;
use super::ids::{Registry, dec, text};
use crate::domain::money::Money;

/// Order No. 189 as applied by the state system.
pub(crate) fn ed_189() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 22).expect("date")
}

/// Order No. 428 as applied by the state system.
pub(crate) fn ed_428() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 5).expect("date")
}

/// Tenge per unit in force on `date`; `None` when the type had no edition then or the akimat
/// sets it.
pub(crate) fn normative(code: &str, date: NaiveDate) -> Option<i64> {
    let (pre, mid, new): (Option<i64>, Option<i64>, Option<i64>) = match code {
        "001" => (Some(200_000), Some(200_000), Some(350_000)),
        "002" => (Some(225_000), Some(225_000), Some(390_000)),
        "003" => (Some(400_000), Some(400_000), Some(700_000)),
        "004" | "007" => (Some(150_000), Some(150_000), Some(260_000)),
        "006" => (Some(300_000), Some(300_000), Some(525_000)),
        "011" => (Some(5_000), Some(5_000), Some(5_000)),
        "012" => (Some(10_000), None, None),
        "013" => (Some(15_000), None, None),
        "014" => (Some(10_000), Some(10_000), Some(10_000)),
        "015" => (Some(5_000), Some(5_000), Some(5_000)),
        "017" => (Some(45), Some(45), Some(45)),
        "018" => (Some(30), Some(30), Some(30)),
        "019" | "020" => (Some(20), Some(20), Some(20)),
        "022" => (Some(200), Some(300), Some(300)),
        "031" => (Some(15_000), Some(15_000), Some(26_000)),
        "035" => (Some(1_500), Some(1_500), Some(1_500)),
        "039" => (Some(3_000), Some(3_000), Some(3_000)),
        "043" => (Some(100_000), Some(100_000), Some(175_000)),
        "044" => (Some(60), Some(60), Some(60)),
        "047" => (Some(55), Some(55), Some(55)),
        "049" => (Some(100_000), Some(100_000), Some(100_000)),
        "050" => (Some(40_000), None, None),
        "051" => (None, None, Some(70_000)),
        "054" => (Some(600), Some(600), Some(600)),
        "055" => (Some(60), Some(60), Some(60)),
        "056" => (Some(80), Some(80), Some(80)),
        "057" => (Some(70), Some(70), Some(70)),
        "058" => (Some(60), Some(60), Some(60)),
        "059" => (Some(50), Some(50), Some(50)),
        "105" => (Some(20_000), Some(20_000), Some(20_000)),
        "109" => (None, None, Some(7_000)),
        "110" => (Some(2_000), Some(2_000), Some(2_000)),
        "111" => (None, None, Some(200)),
        "114" => (Some(200), Some(200), Some(200)),
        "115" => (None, Some(15_000), Some(15_000)),
        "116" => (None, Some(4_000), Some(4_000)),
        _ => (None, None, None),
    };
    if date < ed_189() {
        pre
    } else if date < ed_428() {
        mid
    } else {
        new
    }
}

/// The akimats' normatives the 2025 register shows for the types they set (one region each):
/// what such an applicant claims, although these rules hold no value for them.
pub(crate) fn akimat_seen(code: &str) -> Option<i64> {
    match code {
        "023" => Some(270_000),
        "024" | "045" | "048" => Some(25_194),
        "040" => Some(6_298),
        "107" => Some(858_500),
        "108" => Some(160_000),
        "117" => Some(219_000),
        _ => None,
    }
}

/// Every region of the 2025 register, as its export names it (mixed-language, as the state system
/// writes them), with two of its districts.
pub(crate) const REGIONS: [(&str, &str, [&str; 2]); 20] = [
    ("karaganda", "Карагандинская область", ["Бухар-Жырауский район", "Шетский район"]),
    ("abai", "область Абай", ["район Ақсуат", "Бескарагайский район"]),
    ("akmola", "Акмолинская область", ["Целиноградский район", "Аршалынский район"]),
    ("aktobe", "Актюбинская область", ["Мартукский район", "Хромтауский район"]),
    ("almaty-oblast", "Алматинская область", ["Карасайский район", "Енбекшиказахский район"]),
    ("atyrau", "Атырауская область", ["Махамбетский район", "Исатайский район"]),
    ("east-kazakhstan", "Восточно-Казахстанская область", ["Глубоковский район", "Уланский район"]),
    ("zhambyl", "Жамбылская область", ["Байзакский район", "Меркенский район"]),
    ("zhetisu", "область Жетісу", ["Ескельдинский район", "Кербулакский район"]),
    ("west-kazakhstan", "Западно-Казахстанская область", ["Бурлинский район", "Теректинский район"]),
    ("kostanay", "Костанайская область", ["Костанайский район", "Карабалыкский район"]),
    ("kyzylorda", "Кызылординская область", ["Сырдарьинский район", "Жалагашский район"]),
    ("mangystau", "Мангистауская область", ["Мангистауский район", "Бейнеуский район"]),
    ("pavlodar", "Павлодарская область", ["Павлодарский район", "Иртышский район"]),
    ("north-kazakhstan", "Северо-Казахстанская область", ["Кызылжарский район", "Есильский район"]),
    ("turkestan", "Туркестанская область", ["Сайрамский район", "Толебийский район"]),
    ("ulytau", "область Ұлытау", ["район Ұлытау", "Жанааркинский район"]),
    ("astana", "г. Астана", ["район Есиль", "район Сарыарка"]),
    ("almaty-city", "г. Алматы", ["Алатауский район", "Наурызбайский район"]),
    ("shymkent", "г. Шымкент", ["Каратауский район", "Енбекшинский район"]),
];

/// The region that set each akimat type's normative in 2025 and the first day the register shows
/// it (`rules/regions/*.toml`).
fn akimat_region(code: &str) -> Option<(&'static str, NaiveDate)> {
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).expect("date");
    match code {
        "023" => Some(("atyrau", d(7, 9))),
        "024" | "040" | "045" | "048" => Some(("mangystau", d(7, 16))),
        "107" => Some(("kostanay", d(10, 31))),
        "108" => Some(("kyzylorda", d(12, 25))),
        "117" => Some(("turkestan", d(10, 29))),
        _ => None,
    }
}

/// The region an application of `code` comes from when the sample spans every region: the
/// akimat's types from the region that set them, raised camel milk mostly from Atyrau and
/// Mangystau, the rest anywhere.
pub(crate) fn region_for(rng: &mut ChaCha8Rng, code: &str) -> usize {
    let at = |key: &str| REGIONS.iter().position(|r| r.0 == key).unwrap_or(0);
    if let Some((key, _)) = akimat_region(code) {
        return at(key);
    }
    if code == "047" && rng.random_bool(0.6) {
        return at(if rng.random_bool(0.5) { "atyrau" } else { "mangystau" });
    }
    rng.random_range(0..REGIONS.len())
}

/// The normative a region's applicant claims on `date`: the akimat's where it set one (feed,
/// upkeep of riding horses, camel milk raised to 190 ₸), else Order No. 108's.
pub(crate) fn regional_normative(code: &str, region: &str, date: NaiveDate) -> Option<i64> {
    if let Some((key, from)) = akimat_region(code) {
        return (key == region && date >= from).then(|| akimat_seen(code)).flatten();
    }
    let raised = NaiveDate::from_ymd_opt(2025, 7, 2).expect("date");
    if code == "047" && matches!(region, "atyrau" | "mangystau") && date >= raised {
        return Some(190);
    }
    normative(code, date)
}

/// Whether applications of `code` could be submitted on `date` in a sample of every region: as
/// [`open_on`], and the akimat's types only from the day their region's normative applied (108
/// in Kyzylorda on 25–30 December, outside the service's window, as the register shows: the
/// akimat sets its own dates).
pub(crate) fn open_in_regions(code: &str, date: NaiveDate) -> bool {
    match akimat_region(code) {
        Some((_, from)) if code == "108" => date >= from && date <= from + Duration::days(5),
        Some((_, from)) => date >= from && open_on(code, date),
        None => open_on(code, date),
    }
}

/// Whether applications of `code` could be submitted on `date`: its edition was in force (the
/// akimat's feed types in the months the register shows them) and its window was open.
pub(crate) fn open_on(code: &str, date: NaiveDate) -> bool {
    let md = (date.month(), date.day());
    let in_window = match code {
        "035" => ((9, 1)..=(12, 20)).contains(&md),
        // Seasonal deliveries of lambs: January to April.
        "109" => date.month() <= 4,
        // Selection work with commercial cows opened on 15 April 2025.
        "012" => md >= (4, 15),
        _ => ((1, 20)..=(12, 20)).contains(&md),
    };
    let feed = matches!(code, "023" | "024" | "040" | "045" | "048" | "107" | "108" | "117");
    in_window && (feed && date.month() >= 7 || normative(code, date).is_some())
}

/// The 2025 Karaganda mix: applications per year (`shared/domain/real-data-profile.md`).
pub(crate) const KARAGANDA: [(&str, u32); 23] = [
    ("012", 169),
    ("007", 156),
    ("004", 101),
    ("115", 86),
    ("013", 84),
    ("022", 63),
    ("020", 50),
    ("059", 44),
    ("058", 41),
    ("055", 31),
    ("116", 22),
    ("050", 18),
    ("019", 16),
    ("031", 13),
    ("002", 8),
    ("018", 7),
    ("054", 6),
    ("049", 3),
    ("014", 2),
    ("015", 2),
    ("017", 2),
    ("001", 1),
    ("043", 1),
];

/// The national mix of 2025: applications per year of every type of the register, the rare
/// ones raised to a few so that a sample of thousands holds each.
pub(crate) const NATIONAL: [(&str, u32); 46] = [
    ("001", 109),
    ("002", 80),
    ("003", 80),
    ("004", 1909),
    ("006", 80),
    ("007", 3935),
    ("011", 86),
    ("012", 3877),
    ("013", 1861),
    ("014", 251),
    ("015", 213),
    ("017", 1705),
    ("018", 678),
    ("019", 2386),
    ("020", 2472),
    ("022", 2878),
    ("023", 80),
    ("024", 307),
    ("031", 1451),
    ("035", 161),
    ("039", 80),
    ("040", 695),
    ("043", 80),
    ("044", 109),
    ("045", 1234),
    ("047", 217),
    ("048", 1165),
    ("049", 80),
    ("050", 81),
    ("051", 300),
    ("054", 80),
    ("055", 201),
    ("056", 1735),
    ("057", 122),
    ("058", 2595),
    ("059", 663),
    ("105", 80),
    ("107", 80),
    ("108", 80),
    ("109", 300),
    ("110", 80),
    ("111", 300),
    ("114", 204),
    ("115", 1706),
    ("116", 1326),
    ("117", 80),
];

/// Direction code of the application number (`TTT DDD 00 NNNNNN`).
pub(crate) fn direction(code: &str) -> &'static str {
    match code {
        "011" => "011",
        "031" | "035" | "039" | "040" | "109" | "111" | "116" => "002",
        "043" | "044" | "045" | "105" | "107" => "003",
        "047" | "048" => "004",
        "049" | "050" | "110" => "005",
        "051" => "006",
        "114" => "008",
        "054" | "055" | "056" | "057" | "058" | "059" => "010",
        _ => "001",
    }
}

/// Who applies: breeding and distribution centres for AI, companies for poultry and pigs.
pub(crate) fn legal_only(code: &str) -> Option<&'static str> {
    match code {
        "020" => Some("СПК"),
        "011" | "035" | "017" | "018" | "049" | "050" | "110" | "054" | "055" | "056" | "057" | "058" | "059" => {
            Some("ТОО")
        }
        _ => None,
    }
}

/// An item's cells, its quantity in the type's unit and its amount at the normative.
pub(crate) struct Line {
    pub cells: Vec<(&'static str, Cell)>,
    pub basis: Decimal,
    pub amount: Money,
}

/// What a generated application of a new type holds besides its lines.
#[derive(Default)]
pub(crate) struct Extra {
    pub herd: Option<Decimal>,
    pub milking_females: Option<Decimal>,
    pub colonies: Option<Decimal>,
    pub sows: Option<Decimal>,
    pub output: Option<Decimal>,
}

/// Heads, `(sex group, youngest, oldest month)`, breed, price range, country.
type Purchase = (i64, &'static [(&'static str, i64, i64)], &'static str, (i64, i64), &'static str);

/// Heads, sex group, breed, age range, live weight range (tenths of a kg), buyer, its capacity.
type Sale = (i64, &'static str, &'static str, (i64, i64), (i64, i64), &'static str, (i64, i64));

fn amount(rate: i64, basis: Decimal, cap: Option<Decimal>) -> Money {
    let mut line = Decimal::from(rate) * basis;
    if let Some(c) = cap {
        line = line.min(c);
    }
    Money::from_decimal_rounded(line).unwrap_or_default()
}

fn tenge(rng: &mut ChaCha8Rng, from: i64, to: i64, step: i64) -> Money {
    Money::from_tiyn(rng.random_range(from / step..to / step) * step * 100)
}

/// The lines of an application of a type `people` does not make: animals bought, sold or kept,
/// doses, inseminations, products sold, females fed.
#[allow(clippy::too_many_lines)]
pub(crate) fn lines(
    rng: &mut ChaCha8Rng,
    reg: &mut Registry,
    code: &str,
    submitted: NaiveDate,
    seller: &str,
    region: &str,
) -> (Vec<Line>, Extra) {
    let rate = regional_normative(code, region, submitted).or_else(|| akimat_seen(code)).unwrap_or(0);
    let mut extra = Extra::default();
    let mut out = Vec::new();
    let esf = |reg: &mut Registry, date: NaiveDate| {
        reg.esf += 1;
        (format!("ESF-{seller}-{}-{:08}", date.format("%Y"), reg.esf), date)
    };
    // Purchases are claimed within 12 months of registration, sales and products within 6.
    let deal = |rng: &mut ChaCha8Rng, months: i64| {
        let d = submitted - Duration::days(rng.random_range(15..months * 28));
        // Not before the year the type's edition applies to: keeps the claim inside its deadline.
        d.max(NaiveDate::from_ymd_opt(submitted.year() - 1, submitted.month(), 1).unwrap_or(d))
    };
    let head = |reg: &mut Registry| {
        reg.animals += 1;
        format!("KZ{:09}", 400_000_000 + reg.animals * 37)
    };
    let animal = |id: String, group: &str, breed: &str, age: i64, deal: NaiveDate, rng: &mut ChaCha8Rng| {
        vec![
            ("animal_id", text(id)),
            ("sex_group", text(group)),
            ("breed", text(breed)),
            // Whole months of age on the deal's date, as ИСЖ counts them.
            (
                "birth_date",
                Cell::Date(
                    deal.checked_sub_months(chrono::Months::new(u32::try_from(age).unwrap_or(0))).unwrap_or(deal)
                        - Duration::days(rng.random_range(1..20)),
                ),
            ),
            ("isj_reg_date", Cell::Date(deal + Duration::days(rng.random_range(1..6)))),
            #[allow(clippy::cast_precision_loss)]
            ("age_months", Cell::Number(age as f64)),
            ("transaction_date", Cell::Date(deal)),
        ]
    };
    match code {
        // Breeding animals bought: 50 % of the price caps each head.
        "001" | "003" | "006" | "043" | "049" | "051" => {
            let (n, groups, breed, price, country): Purchase = match code {
                "001" => (
                    rng.random_range(5..25),
                    &[("тёлка", 7, 18), ("нетель", 14, 25)],
                    "голштинская",
                    (450_000, 800_000),
                    "Казахстан",
                ),
                "003" => {
                    (rng.random_range(20..80), &[("нетель", 14, 25)], "голштинская", (900_000, 1_600_000), "Германия")
                }
                "006" => (rng.random_range(20..60), &[("нетель", 14, 25)], "ангусская", (700_000, 1_200_000), "США"),
                "043" => (rng.random_range(1..3), &[("жеребец", 20, 58)], "кушумская", (300_000, 700_000), "Казахстан"),
                "049" => (
                    rng.random_range(2..12),
                    &[("свинка", 4, 11), ("хряк", 4, 11)],
                    "крупная белая",
                    (200_000, 350_000),
                    "Казахстан",
                ),
                _ => (rng.random_range(10..40), &[("козочка", 7, 17)], "зааненская", (150_000, 260_000), "Казахстан"),
            };
            let d = deal(rng, 10);
            let (doc, doc_date) = esf(reg, d);
            let mut sires = 0;
            for _ in 0..n {
                let (group, lo, hi) = groups[rng.random_range(0..groups.len())];
                if matches!(group, "жеребец" | "хряк") {
                    sires += 1;
                }
                let age = rng.random_range(lo..=hi);
                let p = tenge(rng, price.0, price.1, 10_000);
                let mut cells = animal(head(reg), group, breed, age, d, rng);
                cells.extend([
                    ("price", Cell::Number(p.to_cell_value())),
                    ("esf_no", text(doc.clone())),
                    ("esf_date", Cell::Date(doc_date)),
                    ("counterparty_id", text(seller)),
                    ("counterparty_name", text("ТОО «Асыл тұқым Сарыарқа»")),
                    ("country", text(country)),
                ]);
                let cap = (code != "049").then(|| p.to_decimal() / Decimal::TWO);
                out.push(Line { cells, basis: Decimal::ONE, amount: amount(rate, Decimal::ONE, cap) });
            }
            if code == "043" {
                extra.herd = Some(Decimal::from(n * rng.random_range(22..30)));
            }
            if code == "049" {
                extra.herd = Some(Decimal::from(sires.max(1) * rng.random_range(60..150)));
            }
        }
        // Females kept and worked with: selection work, riding mares, feed.
        "012" | "013" | "050" | "105" | "023" | "024" | "040" | "045" | "048" | "107" | "108" | "117" => {
            let (n, group, breed, age): (i64, &str, &str, (i64, i64)) = match code {
                "012" => (rng.random_range(40..220), "корова", "казахская белоголовая", (30, 120)),
                "013" => (rng.random_range(30..160), "корова", "аулиекольская", (30, 120)),
                "050" => (rng.random_range(150..500), "свиноматка", "крупная белая", (10, 48)),
                "105" | "107" => (rng.random_range(5..30), "кобыла", "чистокровная верховая", (40, 150)),
                "040" => (rng.random_range(50..200), "овцематка", "эдильбаевская", (18, 72)),
                "045" => (rng.random_range(15..60), "кобыла", "казахская жабе", (40, 150)),
                "048" => (rng.random_range(10..40), "верблюдица", "казахский бактриан", (48, 180)),
                _ => (rng.random_range(5..30), "корова", "симментальская", (30, 120)),
            };
            // The year's bonitation or the feeding season: a date of this year before the claim.
            let d = (submitted - Duration::days(rng.random_range(10..60)))
                .max(NaiveDate::from_ymd_opt(submitted.year(), 1, 2).unwrap_or(submitted));
            for _ in 0..n {
                let a = rng.random_range(age.0..=age.1);
                let cells = animal(head(reg), group, breed, a, d, rng);
                out.push(Line { cells, basis: Decimal::ONE, amount: amount(rate, Decimal::ONE, None) });
            }
        }
        // Young animals sold for fattening or slaughter.
        "039" | "109" | "110" => {
            let (n, group, breed, age, kg, buyer, capacity): Sale = match code {
                "039" => (
                    rng.random_range(20..120),
                    "баранчик",
                    "эдильбаевская",
                    (5, 11),
                    (300, 450),
                    "откормочная площадка",
                    (300, 800),
                ),
                "109" => (
                    rng.random_range(20..120),
                    "баранчик",
                    "эдильбаевская",
                    (4, 6),
                    (260, 380),
                    "откормочная площадка",
                    (300, 800),
                ),
                _ => (
                    rng.random_range(30..200),
                    "свинья",
                    "крупная белая",
                    (5, 8),
                    (1_000, 1_300),
                    "мясоперерабатывающее предприятие",
                    (100, 400),
                ),
            };
            let buyer_id = super::ids::bin(reg, "1107", 0);
            let mut d = deal(rng, 5);
            if code == "109" {
                // Sold in the season, registered to the buyer before the claim.
                d = NaiveDate::from_ymd_opt(submitted.year(), 1, rng.random_range(2..20))
                    .unwrap_or(d)
                    .min(submitted - Duration::days(8));
            }
            let (doc, doc_date) = esf(reg, d);
            for _ in 0..n {
                let a = rng.random_range(age.0..=age.1);
                let w = Decimal::new(rng.random_range(kg.0..kg.1), 1);
                let mut cells = animal(head(reg), group, breed, a, d, rng);
                cells.extend([
                    ("live_weight_kg", text(w.to_string().replace('.', ","))),
                    ("esf_no", text(doc.clone())),
                    ("esf_date", Cell::Date(doc_date)),
                    ("counterparty_id", text(buyer_id.clone())),
                    ("counterparty_name", text("ТОО «Қарағанды ет комбинаты»")),
                    ("buyer_kind", text(buyer)),
                    ("buyer_capacity", dec(Decimal::from(rng.random_range(capacity.0..capacity.1)))),
                ]);
                out.push(Line { cells, basis: Decimal::ONE, amount: amount(rate, Decimal::ONE, None) });
            }
            if code == "110" {
                extra.sows = Some(Decimal::from(rng.random_range(200..1_200)));
            }
        }
        // Semen: per dose, at most half its price and two doses per breeding female.
        "014" | "015" => {
            let rows = rng.random_range(1..4);
            let mut doses_total = 0;
            let price = if code == "014" { (22_000, 36_000) } else { (10_000, 18_000) };
            for _ in 0..rows {
                let d = deal(rng, 10);
                let (doc, doc_date) = esf(reg, d);
                let n = rng.random_range(10..120);
                doses_total += n;
                let p = tenge(rng, price.0, price.1, 500);
                let basis = Decimal::from(n);
                let cells = vec![
                    ("breed", text(if code == "014" { "голштинская" } else { "ангусская" })),
                    ("transaction_date", Cell::Date(d)),
                    ("isj_reg_date", Cell::Date(d + Duration::days(2))),
                    ("doses", dec(basis)),
                    ("price", Cell::Number(p.to_cell_value())),
                    ("esf_no", text(doc)),
                    ("esf_date", Cell::Date(doc_date)),
                    ("counterparty_id", text(seller)),
                    ("counterparty_name", text("ТОО «Асыл тұқым Сарыарқа»")),
                    ("country", text(if code == "014" { "США" } else { "Казахстан" })),
                ];
                let cap = p.to_decimal() * basis / Decimal::TWO;
                out.push(Line { cells, basis, amount: amount(rate, basis, Some(cap)) });
            }
            extra.herd = Some(Decimal::from(doses_total / 2 + rng.random_range(5..60)));
        }
        // Artificial insemination done by a breeding centre, confirmed in ИБСПР.
        "011" | "035" => {
            let n = if code == "011" { rng.random_range(40..250) } else { rng.random_range(150..600) };
            let (group, breed) = if code == "011" {
                ("корова", "симментальская")
            } else {
                ("овцематка", "казахская тонкорунная")
            };
            let owner = super::ids::bin(reg, "0911", 0);
            for _ in 0..n {
                // Inseminated this year (this season for sheep), registered before the claim.
                let first = NaiveDate::from_ymd_opt(submitted.year(), if code == "035" { 9 } else { 1 }, 2);
                let d = (submitted - Duration::days(rng.random_range(8..120)))
                    .max(first.unwrap_or(submitted))
                    .min(submitted - Duration::days(8));
                let mut cells = animal(head(reg), group, breed, rng.random_range(20..90), d, rng);
                cells.extend([
                    ("counterparty_id", text(owner.clone())),
                    ("counterparty_name", text("КХ «Береке»")),
                    ("insemination_confirmed", text("Да")),
                    ("pregnancy_confirmed", text("Да")),
                ]);
                out.push(Line { cells, basis: Decimal::ONE, amount: amount(rate, Decimal::ONE, None) });
            }
        }
        // Products sold: milk, chicken meat, honey, wool, chicks.
        _ => {
            let rows = rng.random_range(2..6);
            let buyer = super::ids::bin(reg, "9903", 0);
            let (per_row, limit_per): ((i64, i64), Option<(Decimal, i64)>) = match code {
                // A month or two of a large dairy's milk: 600 cows give about 300 t a month.
                "017" => ((60_000, 200_000), None),
                "018" => ((40_000, 130_000), None),
                "044" => {
                    let mares = rng.random_range(30..120);
                    extra.milking_females = Some(Decimal::from(mares));
                    ((mares * 80, mares * 140), Some((Decimal::from(mares), 750)))
                }
                "047" => {
                    let camels = rng.random_range(30..80);
                    extra.milking_females = Some(Decimal::from(camels));
                    ((camels * 150, camels * 280), Some((Decimal::from(camels), 1_500)))
                }
                "114" => {
                    let colonies = rng.random_range(20..200);
                    extra.colonies = Some(Decimal::from(colonies));
                    ((colonies * 10, colonies * 22), Some((Decimal::from(colonies), 100)))
                }
                "111" => ((500, 6_000), None),
                "054" => ((2_000, 12_000), None),
                _ => ((200_000, 900_000), None),
            };
            let mut left = limit_per.map(|(n, k)| n * Decimal::from(k));
            for _ in 0..rows {
                let d = deal(rng, 5);
                let (doc, doc_date) = esf(reg, d);
                let q = Decimal::from(rng.random_range(per_row.0..per_row.1));
                let mut cells = vec![("transaction_date", Cell::Date(d))];
                if code == "054" {
                    cells.push(("head_count", dec(q)));
                    cells.push(("price", Cell::Number(tenge(rng, 1_500, 2_600, 50).to_cell_value())));
                } else {
                    cells.push(("volume_kg", dec(q)));
                }
                if code == "111" {
                    cells.push(("wool_quality", dec(Decimal::from([60, 64, 70][rng.random_range(0..3)]))));
                }
                cells.extend([
                    ("esf_no", text(doc)),
                    ("esf_date", Cell::Date(doc_date)),
                    ("counterparty_id", text(buyer.clone())),
                    (
                        "counterparty_name",
                        text(match code {
                            "054" => "ТОО «Племптица»",
                            "056" | "057" => "ТОО «Торговый дом Птица»",
                            "111" => "ТОО «Жүн өңдеу»",
                            "114" => "ТОО «Бал өнімдері»",
                            _ => "ТОО «Қарағанды сүт өнімдері»",
                        }),
                    ),
                ]);
                // The declared quantity is what was sold; the amount counts it up to the cap.
                let mut counted = q;
                if let Some(l) = left.as_mut() {
                    counted = counted.min(*l);
                    *l -= counted;
                }
                out.push(Line { cells, basis: q, amount: amount(rate, counted, None) });
            }
            match code {
                "017" => extra.herd = Some(Decimal::from(rng.random_range(600..2_500))),
                "018" => extra.herd = Some(Decimal::from(rng.random_range(400..600))),
                "056" => extra.output = Some(Decimal::from(rng.random_range(15_000..60_000))),
                "057" => extra.output = Some(Decimal::from(rng.random_range(10_000..15_000))),
                _ => {}
            }
        }
    }
    (out, extra)
}
