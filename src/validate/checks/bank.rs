//! The account the subsidy is paid to: a valid IBAN at the bank the BIC names.

use super::{Input, Sink};
use crate::catalogue::app;
use crate::domain::iban;
use crate::problem::Code;

pub(super) fn bank(i: &Input<'_>, s: &mut Sink<'_>) {
    let r = &i.a.record;
    let banks = &i.ctx.rules.banks;
    let checked_iban = r.text(app::IBAN).and_then(|raw| match iban::check(raw) {
        Ok(x) => Some(x),
        Err(e) => {
            s.push(Code::V004Iban, i.at(app::IBAN), "iban", format!("ИИК (IBAN) is not valid: {e}"));
            None
        }
    });
    let Some(bic) = r.text(app::BIC) else { return };
    let bic = bic.to_ascii_uppercase();
    match banks.by_bic(&bic) {
        None => s.push(Code::V005Bic, i.at(app::BIC), "bic", format!("БИК `{bic}` is not in the bank directory")),
        Some(bank) => {
            if let Some(x) = &checked_iban
                && iban::bank_code(x) != bank.code
            {
                let owner = banks
                    .by_code(iban::bank_code(x))
                    .map_or_else(|| "no bank in the directory".to_owned(), |b| format!("{} ({})", b.name, b.bic));
                s.push(
                    Code::V005Bic,
                    i.at(app::BIC),
                    "bic",
                    format!(
                        "ИИК `{x}` has bank code {} ({owner}) but БИК `{bic}` is {} (code {})",
                        iban::bank_code(x),
                        bank.name,
                        bank.code
                    ),
                );
            }
        }
    }
}
