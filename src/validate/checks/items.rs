//! The items (animals, deliveries, invoices): each one's fields, quantities, counterparty and
//! dates, and their total against the quantity the application declares. Item by item, so an
//! item's problems stay together.

use rust_decimal::Decimal;

use super::{Input, Sink, ikey, key};
use crate::application::Record;
use crate::catalogue::{self as fields, app, item};
use crate::domain::date::months_between;
use crate::domain::money::Money;
use crate::domain::taxid;
use crate::problem::Code;
use crate::rules::basis_of;

pub(super) fn items(i: &Input<'_>, s: &mut Sink<'_>) {
    let a = i.a;
    if a.items.is_empty() {
        s.push(
            Code::V015NoItems,
            i.at(app::APP_NO),
            "app_no",
            "the application has no rows in the items sheet (animals or deliveries)",
        );
    }
    let mut basis_total = Decimal::ZERO;
    for it in &a.items {
        required(i, it, s);
        positive(i, it, s);
        counterparty(i, it, s);
        dates(i, it, s);
        basis_total += basis_of(it, i.program.basis);
    }
    if let Some(q) = a.record.decimal(app::QUANTITY)
        && !a.items.is_empty()
        && q != basis_total
    {
        s.push(
            Code::V016QuantityMismatch,
            i.at(app::QUANTITY),
            "quantity",
            format!("declared quantity {q} differs from the items' total {basis_total} (`{}`)", ikey(i.program.basis)),
        );
    }
}

fn required(i: &Input<'_>, it: &Record, s: &mut Sink<'_>) {
    for &f in &i.program.required_items {
        if it.get(f).is_none() && !i.unreadable.contains(&(it.row, ikey(f))) {
            s.push(
                Code::V001MissingValue,
                i.at_item(it, f),
                ikey(f),
                format!(
                    "`{}` is required for type {} and empty ({})",
                    ikey(f),
                    i.a.type_code,
                    fields::ITEM_FIELDS[f].doc
                ),
            );
        }
    }
}

fn positive(i: &Input<'_>, it: &Record, s: &mut Sink<'_>) {
    for f in [item::AGE_MONTHS, item::LIVE_WEIGHT_KG, item::VOLUME_KG, item::HEAD_COUNT] {
        if it.decimal(f).is_some_and(|d| d <= Decimal::ZERO) {
            s.push(Code::V008NotPositive, i.at_item(it, f), ikey(f), format!("`{}` must be more than zero", ikey(f)));
        }
    }
    if it.money(item::PRICE).is_some_and(|m| m <= Money::ZERO) {
        s.push(Code::V008NotPositive, i.at_item(it, item::PRICE), "price", "`price` must be more than zero");
    }
}

fn counterparty(i: &Input<'_>, it: &Record, s: &mut Sink<'_>) {
    if let Some(cp) = it.text(item::COUNTERPARTY_ID) {
        let ok = taxid::looks_like(cp).is_some_and(|k| taxid::check(k, cp).is_ok());
        if !ok {
            s.push(
                Code::V002TaxId,
                i.at_item(it, item::COUNTERPARTY_ID),
                "counterparty_id",
                format!("counterparty IIN/BIN `{cp}` is not valid"),
            );
        }
    }
}

/// Birth before the transaction and the registration, the transaction and the invoice before the
/// submission, and an age that matches birth and transaction.
fn dates(i: &Input<'_>, it: &Record, s: &mut Sink<'_>) {
    let submitted = i.a.record.date(app::SUBMITTED_AT);
    let birth = it.date(item::BIRTH_DATE);
    let deal = it.date(item::TRANSACTION_DATE);
    let order = [
        (birth, item::BIRTH_DATE, deal, item::TRANSACTION_DATE),
        (birth, item::BIRTH_DATE, it.date(item::ISJ_REG_DATE), item::ISJ_REG_DATE),
        (deal, item::TRANSACTION_DATE, submitted, app::SUBMITTED_AT),
        (it.date(item::ESF_DATE), item::ESF_DATE, submitted, app::SUBMITTED_AT),
    ];
    for (n, (early, ef, late, lf)) in order.into_iter().enumerate() {
        if let (Some(e), Some(l)) = (early, late)
            && e > l
        {
            let late_key = if n >= 2 { key(lf) } else { ikey(lf) };
            s.push(
                Code::V007DateOrder,
                i.at_item(it, ef),
                ikey(ef),
                format!("`{}` {} is after `{late_key}` {}", ikey(ef), e.format("%d.%m.%Y"), l.format("%d.%m.%Y")),
            );
        }
    }
    if let (Some(b), Some(d), Some(age)) = (birth, deal, it.decimal(item::AGE_MONTHS)) {
        let months = Decimal::from(months_between(b, d));
        if (months - age).abs() > Decimal::ONE {
            s.push(
                Code::V017AgeMismatch,
                i.at_item(it, item::AGE_MONTHS),
                "age_months",
                format!(
                    "age {age} months does not match birth {} and transaction {} ({months} full months)",
                    b.format("%d.%m.%Y"),
                    d.format("%d.%m.%Y")
                ),
            );
        }
    }
}
