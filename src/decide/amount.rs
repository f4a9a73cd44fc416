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
            if let Some(cap) = price.to_decimal().checked_mul(heads).and_then(|p| p.checked_mul(share)) {
                if cap < l {
                    line = Some(cap);
                    capped = true;
                }
            }
        }
        let amount = line.and_then(Money::from_decimal_rounded);
        total = match (total, amount) {
            (Some(t), Some(a)) => t.tiyn().checked_add(a.tiyn()).map(Money::from_tiyn),
            _ => None,
        };
        lines.push(ItemAmount {
            basis,
            amount: amount.unwrap_or(Money::ZERO),
            capped_by_price: capped,
        });
    }
    (lines, total)
}
