//! The application's own values: its type code, the fields it must fill, its submission date
//! and the quantities that must be positive.

use rust_decimal::Decimal;

use super::{ALWAYS, Input, Sink, key};
use crate::catalogue::{self as fields, app};
use crate::domain::money::Money;
use crate::problem::Code;

pub(super) fn type_code(i: &Input<'_>, s: &mut Sink<'_>) {
    if let Some(code) = i.a.record.text(app::TYPE_CODE)
        && code != i.a.type_code
    {
        s.push(
            Code::V014TypeMismatch,
            i.at(app::TYPE_CODE),
            "type_code",
            format!("subsidy type code is `{code}` but the application number starts with `{}`", i.a.type_code),
        );
    }
}

pub(super) fn required(i: &Input<'_>, s: &mut Sink<'_>) {
    let r = &i.a.record;
    for &f in ALWAYS.iter().chain(&i.program.required) {
        if r.get(f).is_none() && !i.unreadable.contains(&(r.row, key(f))) {
            s.push(
                Code::V001MissingValue,
                i.at(f),
                key(f),
                format!("`{}` is required and empty ({})", key(f), fields::APPLICATION_FIELDS[f].doc),
            );
        }
    }
}

pub(super) fn submitted_by_batch(i: &Input<'_>, s: &mut Sink<'_>) {
    let batch_date = i.ctx.batch_date;
    if let Some(sub) = i.a.record.date(app::SUBMITTED_AT)
        && sub > batch_date
    {
        s.push(
            Code::V007DateOrder,
            i.at(app::SUBMITTED_AT),
            "submitted_at",
            format!("submitted on {} after the batch date {}", sub.format("%d.%m.%Y"), batch_date.format("%d.%m.%Y")),
        );
    }
}

pub(super) fn positive(i: &Input<'_>, s: &mut Sink<'_>) {
    let r = &i.a.record;
    for f in [app::QUANTITY, app::HERD_SIZE, app::OUTPUT_TONNES] {
        if r.decimal(f).is_some_and(|d| d <= Decimal::ZERO) {
            s.push(Code::V008NotPositive, i.at(f), key(f), format!("`{}` must be more than zero", key(f)));
        }
    }
    if r.money(app::AMOUNT_CLAIMED).is_some_and(|m| m <= Money::ZERO) {
        s.push(
            Code::V008NotPositive,
            i.at(app::AMOUNT_CLAIMED),
            "amount_claimed",
            "`amount_claimed` must be more than zero",
        );
    }
}
