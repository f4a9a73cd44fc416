//! The money of one application: rate x quantity per item, with the type's caps, each item line
//! rounded once to the tiyn (half away from zero); the application's amount is the sum of its lines.

use rust_decimal::Decimal;

use crate::application::Record;
use crate::domain::money::Money;
use crate::ingest::fields::item;
use crate::rules::{Program, Rate};
use crate::validate::basis_of;

/// One item's share of the amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAmount {
    /// Quantity in the type's unit, after `basis-max`.
    pub basis: Decimal,
    pub amount: Money,
    /// The line was limited by the share of the purchase price.
    pub capped_by_price: bool,
}

/// Per-item lines and their sum; `None` only if an amount overflows.
pub fn compute(program: &Program, rate: &Rate, items: &[Record]) -> (Vec<ItemAmount>, Option<Money>) {
    let per_unit = rate.amount.to_decimal();
    let mut lines = Vec::with_capacity(items.len());
    let mut total = Some(Money::ZERO);
    for it in items {
        let mut basis = basis_of(it, program.basis);
        if let Some(max) = program.basis_max {
            basis = basis.min(max);
        }
        let mut line = per_unit.checked_mul(basis);
        let mut capped = false;
        if let (Some(share), Some(price), Some(l)) = (program.price_share_max, it.money(item::PRICE), line) {
            // `price` is per head: the cap covers every head of the row.
            let heads = basis_of(it, item::HEAD_COUNT);
            if let Some(cap) = price.to_decimal().checked_mul(heads).and_then(|p| p.checked_mul(share))
                && cap < l
            {
                line = Some(cap);
                capped = true;
            }
        }
        let amount = line.and_then(Money::from_decimal_rounded);
        total = match (total, amount) {
            (Some(t), Some(a)) => t.tiyn().checked_add(a.tiyn()).map(Money::from_tiyn),
            _ => None,
        };
        lines.push(ItemAmount { basis, amount: amount.unwrap_or(Money::ZERO), capped_by_price: capped });
    }
    (lines, total)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::ingest::cell::Value;
    use crate::ingest::fields::ITEM_FIELDS;

    fn program(basis: usize, basis_max: Option<&str>, share: Option<&str>) -> Program {
        Program {
            code: "000".into(),
            name_ru: String::new(),
            name_kk: String::new(),
            direction_ru: String::new(),
            direction_kk: String::new(),
            unit_ru: String::new(),
            unit_kk: String::new(),
            form: 1,
            budget_program: String::new(),
            legal_ref: String::new(),
            claim_deadline_months: 12,
            required: vec![],
            required_items: vec![],
            basis,
            basis_max: basis_max.map(|s| s.parse().unwrap()),
            price_share_max: share.map(|s| s.parse().unwrap()),
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
            legal_ref: String::new(),
        }
    }

    fn item(basis: usize, qty: Decimal, price: Option<i64>) -> Record {
        let mut values = vec![None; ITEM_FIELDS.len()];
        values[basis] = Some(Value::Decimal(qty));
        values[item::PRICE] = price.map(|p| Value::Money(Money::from_tiyn(p)));
        Record { row: 0, values }
    }

    #[test]
    fn live_weight_is_capped_per_animal() {
        let p = program(item::LIVE_WEIGHT_KG, Some("250"), None);
        let items = [
            item(item::LIVE_WEIGHT_KG, "300".parse().unwrap(), None),
            item(item::LIVE_WEIGHT_KG, "200.4".parse().unwrap(), None),
        ];
        let (lines, total) = compute(&p, &rate(300), &items);
        assert_eq!(lines[0].amount, Money::from_tiyn(7_500_000));
        assert_eq!(lines[1].amount, Money::from_tiyn(6_012_000));
        assert_eq!(total, Some(Money::from_tiyn(13_512_000)));
    }

    #[test]
    fn half_of_the_price_caps_a_purchase() {
        let p = program(item::HEAD_COUNT, None, Some("0.5"));
        let (lines, total) = compute(&p, &rate(260_000), &[item(item::HEAD_COUNT, Decimal::ONE, Some(40_000_000))]);
        assert!(lines[0].capped_by_price);
        assert_eq!(total, Some(Money::from_tiyn(20_000_000)));
    }

    proptest! {
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
            let (lines, total) = compute(&p, &r, &items);
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
