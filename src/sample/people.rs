//! Generated applicants, animals and deliveries for the sample month.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::ids::{FARM_NAMES, Registry, account, bank, bin, dec, grouped, iin, text};
use super::types::{self, direction};
use super::{Cell, Mistake, SampleApp, line_amount};
use crate::domain::date::dmy_hms;
use crate::domain::money::Money;

const SURNAMES: [&str; 16] = [
    "Ахметов",
    "Сейткали",
    "Жумабеков",
    "Нурланов",
    "Садыков",
    "Ермеков",
    "Иванов",
    "Мукашев",
    "Тулегенов",
    "Каримов",
    "Абенов",
    "Оспанов",
    "Петренко",
    "Бекмуханов",
    "Исабаев",
    "Кенжебаев",
];

const BREEDS_BEEF: [&str; 4] = ["казахская белоголовая", "аулиекольская", "ангусская", "герефордская"];
const BREEDS_DAIRY: [&str; 3] = ["голштинская", "симментальская", "алатауская"];

/// Who applies for each type: (kind code, is legal entity).
fn applicant_kind(rng: &mut ChaCha8Rng, code: &str) -> &'static str {
    match types::legal_only(code) {
        Some("ТОО") => {
            if rng.random_bool(0.8) {
                "ТОО"
            } else {
                "АО"
            }
        }
        Some(k) => k,
        _ => {
            let x = rng.random_range(0..100);
            if x < 55 {
                "КХ"
            } else if x < 65 {
                "ИП"
            } else {
                "ТОО"
            }
        }
    }
}

struct Item {
    cells: Vec<(&'static str, Cell)>,
    basis: Decimal,
    amount: Money,
}

#[allow(clippy::too_many_lines)]
pub(super) fn application(
    rng: &mut ChaCha8Rng,
    reg: &mut Registry,
    code: &str,
    submitted: NaiveDateTime,
    (region_key, region, district): (&str, &str, &str),
    index: usize,
    mistake: Option<Mistake>,
) -> SampleApp {
    let sub = submitted.date();
    let kind = applicant_kind(rng, code);
    let legal = matches!(kind, "ТОО" | "АО" | "СПК");
    let young = !legal && rng.random_bool(0.12);
    let birth = if young {
        NaiveDate::from_ymd_opt(rng.random_range(2000..2006), rng.random_range(1..13), rng.random_range(1..29))
    } else {
        NaiveDate::from_ymd_opt(rng.random_range(1958..1995), rng.random_range(1..13), rng.random_range(1..29))
    }
    .expect("valid birth date");
    let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let farm = FARM_NAMES[rng.random_range(0..FARM_NAMES.len())];
    let (name, tax_id) = match kind {
        "КХ" => (format!("КХ «{farm}»"), iin(rng, reg, birth, false)),
        "ИП" => {
            let female = rng.random_bool(0.3);
            (format!("ИП {surname}"), iin(rng, reg, birth, female))
        }
        "СПК" => (
            format!("СПК «{farm}»"),
            bin(reg, &format!("{:02}{:02}", rng.random_range(10..22), rng.random_range(1..13)), 0),
        ),
        k => (
            format!("{k} «{farm}\u{a0}Агро»"),
            bin(reg, &format!("{:02}{:02}", rng.random_range(5..22), rng.random_range(1..13)), 0),
        ),
    };
    let (bic, bank_code) = bank(rng);
    let iban_value = account(rng, bank_code);
    let seller = bin(reg, "0507", 0);

    let mut items: Vec<Item> = Vec::new();
    let mut herd: Option<Decimal> = None;
    let mut output: Option<Decimal> = None;
    let mut extra = types::Extra::default();
    let animal_id = |reg: &mut Registry| {
        reg.animals += 1;
        format!("KZ{:09}", 400_000_000 + reg.animals * 37)
    };
    let esf = |reg: &mut Registry, date: NaiveDate| {
        reg.esf += 1;
        (format!("ESF-{seller}-{}-{:08}", date.format("%Y"), reg.esf), date)
    };
    match code {
        "007" | "004" | "002" | "031" | "115" | "116" | "022" => {
            let heads = match code {
                "007" => rng.random_range(1..7),
                "004" => rng.random_range(8..40),
                "002" => rng.random_range(20..60),
                "031" => rng.random_range(20..60),
                "115" => rng.random_range(10..45),
                "116" => rng.random_range(20..80),
                _ => rng.random_range(20..50),
            };
            // Sales (022) must be claimed within 6 months, purchases within 12.
            let deal =
                sub - Duration::days(if code == "022" { rng.random_range(20..160) } else { rng.random_range(20..300) });
            let (doc, doc_date) = esf(reg, deal);
            for k in 0..heads {
                let (group, age) = match code {
                    "007" => ("бык", rng.random_range(10..24)),
                    "004" | "002" => {
                        if rng.random_bool(0.6) {
                            ("тёлка", rng.random_range(7..18))
                        } else {
                            ("нетель", rng.random_range(14..25))
                        }
                    }
                    "115" => {
                        if rng.random_bool(0.6) {
                            ("тёлка", rng.random_range(7..18))
                        } else {
                            ("бычок", rng.random_range(8..24))
                        }
                    }
                    "022" => ("бычок", rng.random_range(8..15)),
                    _ => {
                        if rng.random_bool(0.8) {
                            ("ярка", rng.random_range(5..17))
                        } else {
                            ("баран", rng.random_range(6..17))
                        }
                    }
                };
                let mut age: i64 = age;
                let mut weight: Option<Decimal> = None;
                let mut deal = deal;
                let mut reg_date = deal + Duration::days(rng.random_range(1..6));
                if code == "022" {
                    weight = Some(Decimal::new(rng.random_range(1900..3400), 1));
                }
                if k == 0 {
                    match mistake {
                        Some(Mistake::BullTooOld) => age = 30,
                        Some(Mistake::FeedlotTooLight) => weight = Some(Decimal::new(1655, 1)),
                        Some(Mistake::ClaimTooLate) => {
                            deal = sub - Duration::days(430);
                            reg_date = deal + Duration::days(3);
                        }
                        Some(Mistake::RegisteredAfterSubmission) => reg_date = sub + Duration::days(4),
                        _ => {}
                    }
                }
                let born = deal - Duration::days(age * 30 + 20);
                let price = match code {
                    "007" => Some(Money::from_tiyn(rng.random_range(24..95) * 1_000_000)),
                    "004" => Some(Money::from_tiyn(rng.random_range(28..48) * 1_000_000)),
                    "002" => Some(Money::from_tiyn(rng.random_range(85..120) * 1_000_000)),
                    "031" => Some(Money::from_tiyn(rng.random_range(38..70) * 100_000)),
                    _ => None,
                };
                let breed = match code {
                    "002" => BREEDS_DAIRY[rng.random_range(0..BREEDS_DAIRY.len())],
                    "031" | "116" => "казахская курдючная грубошёрстная",
                    _ => BREEDS_BEEF[rng.random_range(0..BREEDS_BEEF.len())],
                };
                let basis = weight.unwrap_or(Decimal::ONE);
                let amount = line_amount(code, sub, basis, price, 1);
                let mut id = animal_id(reg);
                if k == 0
                    && mistake == Some(Mistake::DuplicateAnimal)
                    && let Some(previous) = reg.last_animal.get(code)
                {
                    id = previous.clone();
                }
                reg.last_animal.insert(code.to_owned(), id.clone());
                let mut cells = vec![
                    ("animal_id", text(id)),
                    ("sex_group", text(group)),
                    ("breed", text(breed)),
                    ("birth_date", Cell::Date(born)),
                    ("isj_reg_date", Cell::Date(reg_date)),
                    ("age_months", Cell::Number(age as f64)),
                    ("transaction_date", Cell::Date(deal)),
                ];
                if let Some(w) = weight {
                    // Live weights come typed with a comma decimal, as text.
                    cells.push(("live_weight_kg", text(w.to_string().replace('.', ","))));
                }
                if let Some(p) = price {
                    cells.push(("price", Cell::Number(p.to_cell_value())));
                }
                cells.push(("esf_no", text(doc.clone())));
                cells.push(("esf_date", Cell::Date(doc_date)));
                cells.push(("counterparty_id", text(seller.clone())));
                cells.push((
                    "counterparty_name",
                    text(if code == "022" {
                        "ТОО «Қарағанды бордақылау алаңы»"
                    } else {
                        "ТОО «Асыл тұқым Сарыарқа»"
                    }),
                ));
                cells.push(("country", text(if code == "002" { "Россия" } else { "Казахстан" })));
                if code == "022" {
                    cells.push(("buyer_kind", text("откормочная площадка")));
                    cells.push(("buyer_capacity", dec(Decimal::from(rng.random_range(60..400)))));
                }
                if matches!(code, "115" | "116") {
                    cells.push(("pedigree_status", text("Да")));
                }
                items.push(Item { cells, basis, amount });
            }
            if code == "031" {
                // Rams are bought for the farm's own ewes.
                herd = Some(Decimal::from(heads * rng.random_range(20..35)));
            }
            if code == "007" {
                let ratio = if mistake == Some(Mistake::HerdTooSmall) { 5 } else { rng.random_range(20..35) };
                herd = Some(Decimal::from(heads * ratio));
            }
        }
        "019" | "020" | "058" | "059" | "055" => {
            let rows = rng.random_range(2..6);
            let buyer = bin(reg, "9903", 0);
            for _ in 0..rows {
                let deal = sub - Duration::days(rng.random_range(10..150));
                let (doc, doc_date) = esf(reg, deal);
                let mut cells = vec![("transaction_date", Cell::Date(deal))];
                let (basis, price) = if code == "055" {
                    let heads = Decimal::from(rng.random_range(5..30) * 1000);
                    cells.push(("head_count", dec(heads)));
                    let p = Money::from_tiyn(rng.random_range(250..400) * 100);
                    cells.push(("price", Cell::Number(p.to_cell_value())));
                    (heads, Some(p))
                } else {
                    let kg = match code {
                        "019" | "020" => Decimal::new(rng.random_range(20_000..120_000), 1),
                        // Farms of 500 t a year (059) sell a tenth of a 5 000 t farm's (058).
                        "059" => Decimal::from(rng.random_range(8_000..40_000)),
                        _ => Decimal::from(rng.random_range(20_000..120_000)),
                    };
                    // Volumes come as text with a no-break space between thousands and a comma.
                    let shown = grouped(kg);
                    cells.push(("volume_kg", text(shown)));
                    (kg, None)
                };
                cells.push(("esf_no", text(doc)));
                cells.push(("esf_date", Cell::Date(doc_date)));
                cells.push(("counterparty_id", text(buyer.clone())));
                cells.push((
                    "counterparty_name",
                    text(if code == "055" {
                        "ТОО «Птицефабрика Караганды»"
                    } else {
                        "ТОО «Қарағанды сүт өнімдері»"
                    }),
                ));
                let amount = line_amount(code, sub, basis, None, 1);
                let _ = price;
                items.push(Item { cells, basis, amount });
            }
            if code == "019" {
                herd = Some(Decimal::from(if mistake == Some(Mistake::HerdTooSmall) {
                    40
                } else {
                    rng.random_range(55..300)
                }));
            }
            if code == "058" {
                output = Some(Decimal::from(rng.random_range(5_000..9_000)));
            }
            if code == "059" {
                output = Some(Decimal::from(rng.random_range(500..4_900)));
            }
        }
        _ => {
            let (lines, more) = types::lines(rng, reg, code, sub, &seller, region_key);
            items.extend(lines.into_iter().map(|l| Item { cells: l.cells, basis: l.basis, amount: l.amount }));
            extra = more;
            herd = extra.herd;
            output = extra.output;
        }
    }
    let quantity: Decimal = items.iter().map(|i| i.basis).sum();
    let mut claimed: Money = items.iter().map(|i| i.amount).sum();
    if mistake == Some(Mistake::ClaimAboveNormative) {
        claimed += Money::from_tiyn(5_000_000);
    }
    let seq = 10_000 + reg.month as usize * 20_000 + index * 3;
    let direction = direction(code);
    let app_no = format!("{code}{direction}{:08}", 300_000 + seq);

    let mut tax_cell = text(tax_id.clone());
    if tax_id.starts_with('0') && index.is_multiple_of(2) {
        // Excel turned the column into numbers: the leading zero is gone.
        tax_cell = Cell::Number(tax_id.parse::<f64>().unwrap_or(0.0));
    }
    let mut shown_tax = tax_id.clone();
    let mut kind_shown = kind.to_owned();
    let mut bic_shown = bic.to_owned();
    let mut consent = "Да";
    let mut revoked = "Нет";
    let mut submitted_cell = Cell::Text(dmy_hms(submitted));
    match mistake {
        Some(Mistake::BadIinChecksum) => {
            let last = (tax_id.as_bytes()[11] - b'0' + 1) % 10;
            shown_tax = format!("{}{last}", &tax_id[..11]);
            tax_cell = text(shown_tax.clone());
        }
        Some(Mistake::IbanBicMismatch) => {
            bic_shown = if bic == "HSBKKZKX" { "CASPKZKA".into() } else { "HSBKKZKX".into() }
        }
        Some(Mistake::NoConsent) => consent = "Нет",
        Some(Mistake::EdsRevoked) => revoked = "Да",
        Some(Mistake::BinForIndividual) => {
            kind_shown = "ИП".into();
            shown_tax = bin(reg, "1503", 0);
            tax_cell = text(shown_tax.clone());
        }
        Some(Mistake::ImpossibleDate) => submitted_cell = text(format!("31.04.2025 {}", submitted.format("%H:%M"))),
        _ => {}
    }
    if index % 5 == 1 && mistake.is_none() {
        // Some rows carry a real Excel date-time instead of the state system's text.
        submitted_cell = Cell::DateTime(submitted);
    }
    let kbe = if shown_tax.as_bytes().get(4).is_some_and(|d| *d >= b'4') { "17" } else { "19" };
    let kbe = if mistake == Some(Mistake::BinForIndividual) { "19" } else { kbe };
    let claimed_cell = if index % 4 == 2 {
        // Amounts typed as text: no-break-space groups and a comma.
        text(claimed.display_plain().replace('\u{202f}', "\u{a0}"))
    } else {
        Cell::Number(claimed.to_cell_value())
    };
    let mut cells = vec![
        ("app_no", text(app_no.clone())),
        ("submitted_at", submitted_cell),
        ("region", text(region)),
        ("district", text(district)),
        ("type_code", text(code)),
        ("applicant_name", text(name)),
        ("applicant_kind", text(kind_shown)),
        ("tax_id", tax_cell),
        ("record_no", text(format!("{}-{:05}", 3500 + (index % 40), 10_000 + index))),
        ("iban", text(iban_value)),
        ("bic", text(bic_shown)),
        ("kbe", text(kbe)),
        ("quantity", dec(quantity)),
        ("amount_claimed", claimed_cell),
    ];
    if let Some(h) = herd {
        cells.push(("herd_size", dec(h)));
    }
    if let Some(o) = output {
        cells.push(("output_tonnes", dec(o)));
    }
    for (key, v) in [("milking_females", extra.milking_females), ("colonies", extra.colonies), ("sows", extra.sows)] {
        if let Some(v) = v {
            cells.push((key, dec(v)));
        }
    }
    cells.extend([
        ("consent", text(consent)),
        ("eds_signer", text(shown_tax)),
        ("eds_valid_to", Cell::Date(sub + Duration::days(rng.random_range(30..700)))),
        ("eds_revoked", text(revoked)),
    ]);
    let mut item_rows: Vec<Vec<(&'static str, Cell)>> = items
        .into_iter()
        .map(|i| {
            let mut c = vec![("app_no", text(app_no.clone()))];
            c.extend(i.cells);
            c
        })
        .collect();
    if mistake == Some(Mistake::OrphanItem) {
        let mut orphan = item_rows[0].clone();
        orphan[0] = ("app_no", text(format!("{code}{direction}00{:06}", 999_999)));
        item_rows.push(orphan);
    }
    SampleApp { cells, items: item_rows, mistake }
}
