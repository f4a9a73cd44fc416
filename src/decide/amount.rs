//! The money of one application: rate x quantity per item, with the type's caps, each item line
//! rounded once to the tiyn (half away from zero); the application's amount is the sum of its lines.
//!
//! A rate that limits purchases by output (processing enterprises: raw milk bought for the butter
//! made or sold) gives the application `output x raw-per-output` kilograms in all; the items use it
//! up in their order, so the lines still add up to the total.

use rust_decimal::Decimal;

use crate::application::Record;
use crate::catalogue::item;
use crate::domain::money::Money;
use crate::rules::basis_of;
use crate::rules::{Program, Rate};

/// One item's share of the amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAmount {
    /// Quantity in the type's unit, after `basis-max`.
    pub basis: Decimal,
    pub amount: Money,
    /// The line was limited by the share of the purchase price.
    pub capped_by_price: bool,
    /// The line's quantity was limited by what the application's output needed.
    pub capped_by_output: bool,
    /// The line's quantity was limited by the application's `cap-field` x `cap-per`.
    pub capped_by_total: bool,
}

/// What the money of one item is computed from. The criteria's pass over the items takes these
/// out of the records, so that the records are read once.
#[derive(Debug, Clone, Copy)]
pub struct Quantities {
    /// Quantity in the type's unit, as claimed.
    pub basis: Decimal,
    pub heads: Decimal,
    /// Per head, or per unit of the basis (`price-per = "basis"`).
    pub price: Option<Money>,
    /// The value that picks the rate's tier (wool quality).
    pub tier: Option<Decimal>,
}

impl Quantities {
    pub fn of(it: &Record, program: &Program) -> Quantities {
        Quantities {
            basis: basis_of(it, program.basis),
            heads: basis_of(it, item::HEAD_COUNT),
            price: it.money(item::PRICE),
            tier: program.tier_field.and_then(|f| it.decimal(f)),
        }
    }
}

/// Per-item lines and their sum; `None` only if an amount overflows.
pub fn compute(program: &Program, rate: &Rate, app: &Record, items: &[Quantities]) -> (Vec<ItemAmount>, Option<Money>) {
    let mut lines = Vec::with_capacity(items.len());
    let mut total = Some(Money::ZERO);
    // A missing output or cap field is a missing required value, refused by validation; no limit here.
    let mut left = rate.output.and_then(|f| app.decimal(f)).zip(program.raw_per_output).map(|(o, k)| o * k);
    let mut left_total = program.cap_field.and_then(|f| app.decimal(f)).zip(program.cap_per).map(|(n, k)| n * k);
    for it in items {
        let mut basis = it.basis;
        if let Some(max) = program.basis_max {
            basis = basis.min(max);
        }
        let mut capped_by_output = false;
        if let Some(l) = left.as_mut() {
            if basis > *l {
                basis = (*l).max(Decimal::ZERO);
                capped_by_output = true;
            }
            *l -= basis;
        }
        let mut capped_by_total = false;
        if let Some(l) = left_total.as_mut() {
            if basis > *l {
                basis = (*l).max(Decimal::ZERO);
                capped_by_total = true;
            }
            *l -= basis;
        }
        let per_unit = rate.per_unit(it.tier);
        // A price per unit of the basis caps only the units counted after the other caps.
        let heads = if program.price_per_basis { basis } else { it.heads };
        let cap = program.price_share_max.zip(it.price).map(|(share, price)| (share, price, heads));
        let (amount, capped) =
            line(per_unit, basis, cap).unwrap_or_else(|| line_by_decimal(per_unit.to_decimal(), basis, cap));
        total = match (total, amount) {
            (Some(t), Some(a)) => t.tiyn().checked_add(a.tiyn()).map(Money::from_tiyn),
            _ => None,
        };
        lines.push(ItemAmount {
            basis,
            amount: amount.unwrap_or(Money::ZERO),
            capped_by_price: capped,
            capped_by_output,
            capped_by_total,
        });
    }
    (lines, total)
}

/// A price cap: `(share, price per head, heads)`.
type Cap = (Decimal, Money, Decimal);

/// `rate x basis`, limited to `share x price x heads`: the line rounded by the rule and whether
/// the cap applied; the amount is `None` if it overflows. This is the definition.
fn line_by_decimal(per_unit: Decimal, basis: Decimal, cap: Option<Cap>) -> (Option<Money>, bool) {
    let mut line = per_unit.checked_mul(basis);
    let mut capped = false;
    if let (Some((share, price, heads)), Some(l)) = (cap, line)
        && let Some(c) = price.to_decimal().checked_mul(heads).and_then(|p| p.checked_mul(share))
        && c < l
    {
        line = Some(c);
        capped = true;
    }
    (line.and_then(Money::from_decimal_rounded), capped)
}

/// [`line_by_decimal`] in 128-bit integers, for the products `rust_decimal` holds exactly (every
/// realistic item); `None` leaves the rest to it. Item lines are most of a batch's arithmetic.
fn line(rate: Money, basis: Decimal, cap: Option<Cap>) -> Option<(Option<Money>, bool)> {
    // A decimal is `(mantissa, scale)`; a product is exact while its mantissa stays well inside
    // 96 bits and its scale within 28 (past either, `rust_decimal` rounds).
    let mul = |(a, sa): (i128, u32), (b, sb): (i128, u32)| -> Option<(i128, u32)> {
        let m = a.checked_mul(b)?;
        (m.unsigned_abs() < 1 << 95 && sa + sb <= 28).then_some((m, sa + sb))
    };
    let dec = |d: Decimal| (d.mantissa(), d.scale());
    let tenge = |m: Money| (i128::from(m.tiyn()), 2);
    let l = mul(tenge(rate), dec(basis))?;
    let mut chosen = (l, false);
    if let Some((share, price, heads)) = cap {
        let c = mul(mul(tenge(price), dec(heads))?, dec(share))?;
        // Compare at the larger scale.
        let scale = c.1.max(l.1);
        let at = |(m, s): (i128, u32)| m.checked_mul(10_i128.checked_pow(scale - s)?);
        if at(c)? < at(l)? {
            chosen = (c, true);
        }
    }
    let ((m, scale), capped) = chosen;
    let d = Decimal::try_from_i128_with_scale(m, scale).ok()?;
    Some((Money::from_decimal_rounded(d), capped))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::catalogue::ITEM_FIELDS;
    use crate::ingest::cell::Value;

    fn program(basis: usize, basis_max: Option<&str>, share: Option<&str>) -> Program {
        Program {
            code: "000".into(),
            name_ru: String::new(),
            name_kk: String::new(),
            direction_ru: String::new(),
            direction_kk: String::new(),
            unit_ru: String::new(),
            unit_kk: String::new(),
            product_ru: None,
            product_kk: None,
            form: 1,
            service: String::new(),
            budget_program: String::new(),
            legal_ref: String::new(),
            claim_deadline_months: 12,
            required: vec![],
            required_items: vec![],
            basis,
            basis_max: basis_max.map(|s| s.parse().unwrap()),
            price_share_max: share.map(|s| s.parse().unwrap()),
            raw_per_output: None,
            price_per_basis: false,
            cap_field: None,
            cap_per: None,
            tier_field: None,
            subject_yearly: false,
            window: None,
            amount_legal_ref: None,
            rates: vec![],
            criteria: vec![],
            file: Arc::from("x"),
        }
    }

    fn rate(tenge: i64) -> Rate {
        Rate {
            id: "R".into(),
            from: NaiveDate::MIN,
            to: None,
            amount: Money::from_tiyn(tenge * 100),
            tiers: vec![],
            akimat_unset: false,
            output: None,
            legal_ref: String::new(),
        }
    }

    fn item(basis: usize, qty: Decimal, price: Option<i64>) -> Record {
        let mut values = vec![None; ITEM_FIELDS.len()];
        values[basis] = Some(Value::Decimal(qty));
        values[item::PRICE] = price.map(|p| Value::Money(Money::from_tiyn(p)));
        Record { row: 0, values }
    }

    fn quantities(p: &Program, items: &[Record]) -> Vec<Quantities> {
        items.iter().map(|it| Quantities::of(it, p)).collect()
    }

    fn app() -> Record {
        Record { row: 0, values: vec![None; crate::catalogue::APPLICATION_FIELDS.len()] }
    }

    #[test]
    fn purchases_are_limited_by_the_output_in_item_order() {
        use crate::catalogue::app;
        let mut p = program(item::VOLUME_KG, None, None);
        p.raw_per_output = Some("20".parse().unwrap());
        let mut r = rate(40);
        r.output = Some(app::SOLD_KG);
        let mut a = app();
        a.values[app::SOLD_KG] = Some(Value::Decimal("250.5".parse().unwrap()));
        // 250.5 kg of butter sold needs 5 010 kg of milk: 3 000 + 2 010 of the 3 000 + 4 000 bought.
        let items = [
            item(item::VOLUME_KG, "3000".parse().unwrap(), None),
            item(item::VOLUME_KG, "4000".parse().unwrap(), None),
            item(item::VOLUME_KG, "500".parse().unwrap(), None),
        ];
        let items = quantities(&p, &items);
        let (lines, total) = compute(&p, &r, &a, &items);
        let bases: Vec<String> = lines.iter().map(|l| l.basis.normalize().to_string()).collect();
        assert_eq!(bases, ["3000", "2010", "0"]);
        assert_eq!(lines.iter().map(|l| l.capped_by_output).collect::<Vec<_>>(), [false, true, true]);
        assert_eq!(total, Some(Money::from_tiyn(5_010 * 40 * 100)));
        // Without the output field on the rate, everything bought counts.
        r.output = None;
        assert_eq!(compute(&p, &r, &a, &items).1, Some(Money::from_tiyn(7_500 * 40 * 100)));
    }

    #[test]
    fn an_application_field_caps_the_quantity_in_item_order() {
        use crate::catalogue::app;
        // 40 milking mares: at most 30 000 kg of mare milk.
        let mut p = program(item::VOLUME_KG, None, None);
        p.cap_field = Some(app::MILKING_FEMALES);
        p.cap_per = Some("750".parse().unwrap());
        let mut a = app();
        a.values[app::MILKING_FEMALES] = Some(Value::Decimal(Decimal::from(40)));
        let items = [
            item(item::VOLUME_KG, "20000".parse().unwrap(), None),
            item(item::VOLUME_KG, "15000".parse().unwrap(), None),
            item(item::VOLUME_KG, "1000".parse().unwrap(), None),
        ];
        let (lines, total) = compute(&p, &rate(60), &a, &quantities(&p, &items));
        let bases: Vec<String> = lines.iter().map(|l| l.basis.normalize().to_string()).collect();
        assert_eq!(bases, ["20000", "10000", "0"]);
        assert_eq!(lines.iter().map(|l| l.capped_by_total).collect::<Vec<_>>(), [false, true, true]);
        assert_eq!(total, Some(Money::from_tiyn(30_000 * 60 * 100)));
    }

    #[test]
    fn a_price_per_dose_caps_only_the_doses_counted() {
        use crate::catalogue::app;
        // 10 breeding females: 20 doses; 15 at 10 000, then 5 of 10 at half of 12 000.
        let mut p = program(item::DOSES, None, Some("0.5"));
        p.price_per_basis = true;
        p.cap_field = Some(app::HERD_SIZE);
        p.cap_per = Some(Decimal::TWO);
        let mut a = app();
        a.values[app::HERD_SIZE] = Some(Value::Decimal(Decimal::from(10)));
        let items = [
            item(item::DOSES, Decimal::from(15), Some(3_000_000)),
            item(item::DOSES, Decimal::from(10), Some(1_200_000)),
        ];
        let (lines, total) = compute(&p, &rate(10_000), &a, &quantities(&p, &items));
        assert_eq!(lines[0].amount, Money::from_tiyn(15 * 1_000_000));
        assert!(lines[1].capped_by_price && lines[1].capped_by_total);
        assert_eq!(lines[1].amount, Money::from_tiyn(5 * 600_000));
        assert_eq!(total, Some(Money::from_tiyn(18_000_000)));
    }

    #[test]
    fn a_tier_field_picks_each_items_normative() {
        let mut p = program(item::VOLUME_KG, None, None);
        p.tier_field = Some(item::WOOL_QUALITY);
        let mut r = rate(200);
        r.tiers = vec![(Decimal::from(60), Money::from_tiyn(20_000)), (Decimal::from(50), Money::from_tiyn(15_000))];
        let wool = |kg: i64, q: Option<i64>| {
            let mut it = item(item::VOLUME_KG, Decimal::from(kg), None);
            it.values[item::WOOL_QUALITY] = q.map(|q| Value::Decimal(Decimal::from(q)));
            it
        };
        let items = [wool(100, Some(64)), wool(100, Some(58)), wool(100, Some(48)), wool(100, None)];
        let (lines, total) = compute(&p, &r, &app(), &quantities(&p, &items));
        let amounts: Vec<i64> = lines.iter().map(|l| l.amount.tiyn()).collect();
        assert_eq!(amounts, [2_000_000, 1_500_000, 0, 0]);
        assert_eq!(total, Some(Money::from_tiyn(3_500_000)));
    }

    #[test]
    fn live_weight_is_capped_per_animal() {
        let p = program(item::LIVE_WEIGHT_KG, Some("250"), None);
        let items = [
            item(item::LIVE_WEIGHT_KG, "300".parse().unwrap(), None),
            item(item::LIVE_WEIGHT_KG, "200.4".parse().unwrap(), None),
        ];
        let (lines, total) = compute(&p, &rate(300), &app(), &quantities(&p, &items));
        assert_eq!(lines[0].amount, Money::from_tiyn(7_500_000));
        assert_eq!(lines[1].amount, Money::from_tiyn(6_012_000));
        assert_eq!(total, Some(Money::from_tiyn(13_512_000)));
    }

    #[test]
    fn half_of_the_price_caps_a_purchase() {
        let p = program(item::HEAD_COUNT, None, Some("0.5"));
        let (lines, total) = compute(
            &p,
            &rate(260_000),
            &app(),
            &quantities(&p, &[item(item::HEAD_COUNT, Decimal::ONE, Some(40_000_000))]),
        );
        assert!(lines[0].capped_by_price);
        assert_eq!(total, Some(Money::from_tiyn(20_000_000)));
    }

    proptest! {
        /// The integer line is the decimal line, ties, caps and overflows included.
        #[test]
        fn integer_lines_are_decimal_lines(
            rate in 1i64..100_000_000_000,
            basis in (any::<i64>(), 0u32..=10),
            cap in proptest::option::of(((1i64..1_000, 0u32..=4), 1i64..100_000_000_000_000, (0i64..1_000_000, 0u32..=3))),
        ) {
            let basis = Decimal::new(basis.0, basis.1);
            let cap = cap.map(|((sm, ss), price, (hm, hs))| (Decimal::new(sm, ss), Money::from_tiyn(price), Decimal::new(hm, hs)));
            let rate = Money::from_tiyn(rate);
            if let Some(fast) = line(rate, basis, cap) {
                prop_assert_eq!(fast, line_by_decimal(rate.to_decimal(), basis, cap));
            }
        }

        /// Lines add up to the total exactly; no line exceeds rate x basis or the price cap;
        /// each line is within half a tiyn of the exact value.
        #[test]
        fn lines_tie_out_and_respect_caps(
            rate_tenge in 1i64..1_000_000,
            rows in proptest::collection::vec((1u32..500_000, proptest::option::of(1i64..200_000_000)), 1..40),
        ) {
            let p = program(item::VOLUME_KG, Some("4000"), Some("0.5"));
            let items: Vec<Record> = rows.iter().map(|(q, price)| item(item::VOLUME_KG, Decimal::new(i64::from(*q), 1), *price)).collect();
            let r = rate(rate_tenge);
            let (lines, total) = compute(&p, &r, &app(), &quantities(&p, &items));
            let sum: Money = lines.iter().map(|l| l.amount).sum();
            prop_assert_eq!(Some(sum), total);
            for (l, (q, price)) in lines.iter().zip(&rows) {
                let basis = Decimal::new(i64::from(*q), 1).min(Decimal::from(4000));
                prop_assert_eq!(l.basis, basis);
                let mut exact = r.amount.to_decimal() * basis;
                if let Some(pr) = price {
                    exact = exact.min(Money::from_tiyn(*pr).to_decimal() / Decimal::TWO);
                }
                let diff = (l.amount.to_decimal() - exact).abs();
                prop_assert!(diff <= Decimal::new(5, 3), "line {} vs exact {}", l.amount, exact);
            }
        }
    }
}
