//! Sample applications of processing enterprises (the second service): a few dozen dairy plants,
//! each claiming the raw milk it bought from farms in the previous month for the butter, hard
//! cheese or milk powder it made and sold. Seeded and reproducible like the livestock sample.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::ids::{self, FARM_NAMES, Registry, dec, text};
use super::{Cell, SampleApp};
use crate::domain::money::Money;

/// The deliberate mistakes of the processing sample (`samples/README.md`), in the applications
/// listed: `(application index, mistake)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessingMistake {
    /// A purchase whose seller is the plant itself.
    SellerIsBuyer,
    /// An invoice dated after the period.
    InvoiceOutsidePeriod,
    /// An invoice claimed by an earlier application too.
    InvoiceClaimedTwice,
    /// More sold than produced.
    SoldAboveProduced,
    /// An individual entrepreneur (IIN) applying.
    NotLegalEntity,
    /// Milk bought from Russia.
    ImportedMilk,
    /// A seller's BIN with a wrong control digit.
    BadSellerBin,
    /// Cheese made but the application is for butter.
    WrongProduct,
    /// Far more milk bought than the output needs: limited, not refused.
    PurchasesAboveOutput,
}

const MISTAKES: [(usize, ProcessingMistake); 9] = [
    (3, ProcessingMistake::SellerIsBuyer),
    (6, ProcessingMistake::InvoiceOutsidePeriod),
    (9, ProcessingMistake::InvoiceClaimedTwice),
    (12, ProcessingMistake::SoldAboveProduced),
    (15, ProcessingMistake::NotLegalEntity),
    (18, ProcessingMistake::ImportedMilk),
    (21, ProcessingMistake::BadSellerBin),
    (24, ProcessingMistake::WrongProduct),
    (27, ProcessingMistake::PurchasesAboveOutput),
];

/// `(type code, product made, ₸ per kg of milk, kg of milk per kg made, weight in the mix)`.
const PRODUCTS: [(&str, &str, i64, i64, u32); 3] =
    [("601", "масло сливочное", 40, 22, 45), ("602", "сыр твёрдый", 24, 11, 40), ("603", "молоко сухое", 21, 8, 15)];

const TOWNS: [(&str, u32); 6] = [
    ("г. Караганда", 30),
    ("Бухар-Жырауский район", 20),
    ("Абайский район", 15),
    ("Осакаровский район", 15),
    ("Шетский район", 10),
    ("Нуринский район", 10),
];

/// Catalogue fields only processing enterprises fill: the livestock sample leaves them out.
pub const ONLY_PROCESSING: [&str; 6] =
    ["product_made", "period_from", "period_to", "produced_kg", "sold_kg", "product"];

/// Columns of the processing layout, in sheet order (`samples/README.md`).
pub const APPLICATION_COLUMNS: [&str; 24] = [
    "app_no",
    "submitted_at",
    "region",
    "district",
    "type_code",
    "type_name",
    "applicant_name",
    "applicant_kind",
    "tax_id",
    "record_no",
    "iban",
    "bic",
    "kbe",
    "product_made",
    "period_from",
    "period_to",
    "produced_kg",
    "sold_kg",
    "quantity",
    "amount_claimed",
    "consent",
    "eds_signer",
    "eds_valid_to",
    "eds_revoked",
];

pub const PURCHASE_COLUMNS: [&str; 10] = [
    "app_no",
    "esf_no",
    "esf_date",
    "transaction_date",
    "counterparty_id",
    "counterparty_name",
    "product",
    "volume_kg",
    "price",
    "country",
];

/// `count` applications submitted in `month` for purchases in the month before it.
pub fn generate(month: NaiveDate, count: usize, seed: u64, with_mistakes: bool) -> Vec<SampleApp> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7072_6f63);
    let months = u32::try_from((month.year() - 2025) * 12).unwrap_or(0) + month.month0();
    let mut reg = Registry::new(months);
    let period_from = month - chrono::Months::new(1);
    let period_to = month - Duration::days(1);
    let mix: Vec<(usize, u32)> = PRODUCTS.iter().enumerate().map(|(i, p)| (i, p.4)).collect();
    let mut apps: Vec<SampleApp> = Vec::with_capacity(count);
    let mut first_invoice: Option<(String, Cell, String)> = None;
    for i in 0..count {
        let mistake = if with_mistakes { MISTAKES.iter().find(|(at, _)| *at == i).map(|(_, m)| *m) } else { None };
        let (code, made, rate, norm, _) = PRODUCTS[*super::pick(&mut rng, &mix)];
        let day = rng.random_range(1..=20u32).min(28);
        let t = NaiveTime::from_hms_opt(rng.random_range(9..18), rng.random_range(0..60), rng.random_range(0..60))
            .expect("time");
        let submitted = NaiveDateTime::new(month.with_day(day).expect("day"), t);
        let farm = FARM_NAMES[rng.random_range(0..FARM_NAMES.len())];
        let legal = mistake != Some(ProcessingMistake::NotLegalEntity);
        let (kind, name, tax_id, kbe) = if legal {
            let b = ids::bin(&mut reg, &format!("{:02}{:02}", rng.random_range(3..20), rng.random_range(1..13)), 0);
            ("ТОО", format!("ТОО «{farm} Сүт»"), b, "17")
        } else {
            let birth = NaiveDate::from_ymd_opt(1975, 5, 14).expect("date");
            ("ИП", format!("ИП Сыроварня «{farm}»"), ids::iin(&mut rng, &mut reg, birth, false), "19")
        };
        let (bic, bank_code) = ids::bank(&mut rng);
        let iban = ids::account(&mut rng, bank_code);

        let deliveries = rng.random_range(5..16);
        let mut rows = Vec::with_capacity(deliveries);
        let mut bought = Decimal::ZERO;
        for k in 0..deliveries {
            let mut date = period_from + Duration::days(rng.random_range(0..(period_to - period_from).num_days() + 1));
            let mut seller = if rng.random_bool(0.3) {
                let b = NaiveDate::from_ymd_opt(rng.random_range(1960..1995), rng.random_range(1..13), 10).expect("d");
                ids::iin(&mut rng, &mut reg, b, false)
            } else {
                ids::bin(&mut reg, "1105", 0)
            };
            let seller_name = format!("КХ «{}»", FARM_NAMES[rng.random_range(0..FARM_NAMES.len())]);
            let volume = Decimal::from(rng.random_range(20..180) * 100);
            let mut country = "Казахстан";
            reg.esf += 1;
            let mut esf = format!("KZ-ESF-{}-{:08}", date.format("%Y%m"), reg.esf);
            let mut esf_date = Cell::Date(date);
            if k == 0 {
                match mistake {
                    Some(ProcessingMistake::SellerIsBuyer) => seller = tax_id.clone(),
                    Some(ProcessingMistake::InvoiceOutsidePeriod) => {
                        date = period_to + Duration::days(3);
                        esf_date = Cell::Date(date);
                    }
                    Some(ProcessingMistake::ImportedMilk) => country = "Россия",
                    Some(ProcessingMistake::BadSellerBin) => {
                        let last = seller.pop().and_then(|c| c.to_digit(10)).unwrap_or(0);
                        seller.push(char::from_digit((last + 1) % 10, 10).unwrap_or('0'));
                    }
                    Some(ProcessingMistake::InvoiceClaimedTwice) => {
                        if let Some((no, d, s)) = &first_invoice {
                            esf = no.clone();
                            esf_date = d.clone();
                            seller = s.clone();
                        }
                    }
                    _ => {}
                }
            }
            if i == 0 && k == 0 {
                first_invoice = Some((esf.clone(), esf_date.clone(), seller.clone()));
            }
            bought += volume;
            rows.push(vec![
                ("esf_no", text(esf)),
                ("esf_date", esf_date),
                ("transaction_date", Cell::Date(date)),
                ("counterparty_id", text(seller)),
                ("counterparty_name", text(seller_name)),
                ("product", text("молоко сырое")),
                ("volume_kg", dec(volume)),
                ("price", Cell::Number(f64::from(rng.random_range(170..230u32)))),
                ("country", text(country)),
            ]);
        }
        // Output from the milk bought, a little lost; most of it sold.
        let share = if mistake == Some(ProcessingMistake::PurchasesAboveOutput) { 55 } else { 97 };
        let produced = (bought * Decimal::from(share) / Decimal::from(100 * norm)).round_dp(0);
        let mut sold = (produced * Decimal::from(rng.random_range(88..100)) / Decimal::from(100)).round_dp(0);
        if mistake == Some(ProcessingMistake::SoldAboveProduced) {
            sold = produced + Decimal::from(350);
        }
        let counted = bought.min(sold * Decimal::from(norm));
        let claimed = Money::from_decimal_rounded(counted * Decimal::from(rate)).unwrap_or_default();
        let made_shown = if mistake == Some(ProcessingMistake::WrongProduct) { "сыр твёрдый" } else { made };
        let app_no = format!("{code}005{:08}", 40_000 + months as usize * 200 + i);
        let district = *super::pick(&mut rng, &TOWNS);
        let cells = vec![
            ("app_no", text(app_no.clone())),
            ("submitted_at", Cell::DateTime(submitted)),
            ("region", text("Карагандинская область")),
            ("district", text(district)),
            ("type_code", text(code)),
            ("applicant_name", text(name)),
            ("applicant_kind", text(kind)),
            ("tax_id", text(tax_id.clone())),
            ("record_no", text(format!("3510-П{:04}", 100 + i))),
            ("iban", text(iban)),
            ("bic", text(bic)),
            ("kbe", text(kbe)),
            ("product_made", text(made_shown)),
            ("period_from", Cell::Date(period_from)),
            ("period_to", Cell::Date(period_to)),
            ("produced_kg", dec(produced)),
            ("sold_kg", dec(sold)),
            ("quantity", dec(bought)),
            ("amount_claimed", Cell::Number(claimed.to_cell_value())),
            ("consent", text("Да")),
            ("eds_signer", text(tax_id)),
            ("eds_valid_to", Cell::Date(submitted.date() + Duration::days(rng.random_range(60..700)))),
            ("eds_revoked", text("Нет")),
        ];
        let items = rows
            .into_iter()
            .map(|r| {
                let mut c = vec![("app_no", text(app_no.clone()))];
                c.extend(r);
                c
            })
            .collect();
        apps.push(SampleApp { cells, items, mistake: None });
    }
    apps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_plants_and_invoices() {
        let m = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        let a = generate(m, 30, 7, true);
        let b = generate(m, 30, 7, true);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(a.len(), 30);
        // The invoice claimed twice is the first application's first invoice.
        let esf = |app: &SampleApp| app.items[0].iter().find(|(k, _)| *k == "esf_no").map(|c| c.1.clone());
        assert_eq!(esf(&a[0]), esf(&a[9]));
        assert_ne!(esf(&a[0]), esf(&a[1]));
    }
}
