//! Treasury payment lists for «Казначейство-Клиент»: one workbook per budget program, with a plain
//! CSV twin for import. Controls run before anything is built: a list whose row lacks valid bank
//! details or whose total does not tie out to the tiyn is not written, and the reason is given.

use std::collections::BTreeMap;

use rust_xlsxwriter::{DocProperties, Formula, Workbook, XlsxError};

use super::Output;
use super::sheet::{self, Formats, neutralise};
use crate::context::BatchContext;
use crate::digest::sha256_hex;
use crate::domain::date::dmy;
use crate::domain::money::Money;
pub use crate::domain::payment::{PaymentLine, payment_id};
use crate::domain::{iban, taxid, words};
use crate::queue::Queue;
use crate::rules::{BudgetProgram, RuleSet};

/// A payment list that cannot be written, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("payment list `{program}` was not written: {reason}")]
pub struct Blocked {
    pub program: String,
    pub reason: String,
}

/// The controls of a list: valid bank details and identifiers, positive amounts, unique payments,
/// and a total within the money available to the program this month.
pub fn control(
    key: &str,
    lines: &[PaymentLine],
    available: Money,
    b: &crate::domain::bank::BankDirectory,
) -> Result<Money, Blocked> {
    let block = |reason: String| Blocked { program: key.to_owned(), reason };
    let mut seen = std::collections::BTreeSet::new();
    for l in lines {
        let at = format!("application `{}`", l.app_no);
        let checked = iban::check(&l.iban).map_err(|e| block(format!("{at}: ИИК `{}` is not valid: {e}", l.iban)))?;
        let bank =
            b.by_bic(&l.bic).ok_or_else(|| block(format!("{at}: БИК `{}` is not in the bank directory", l.bic)))?;
        if iban::bank_code(&checked) != bank.code {
            return Err(block(format!("{at}: ИИК `{}` does not belong to БИК `{}`", l.iban, l.bic)));
        }
        let kind =
            taxid::looks_like(&l.tax_id).ok_or_else(|| block(format!("{at}: IIN/BIN `{}` is not valid", l.tax_id)))?;
        taxid::check(kind, &l.tax_id).map_err(|e| block(format!("{at}: IIN/BIN `{}` is not valid: {e}", l.tax_id)))?;
        if l.amount <= Money::ZERO {
            return Err(block(format!("{at}: amount {} is not positive", l.amount)));
        }
        if !seen.insert(&l.id) {
            return Err(block(format!("{at}: payment `{}` is listed twice", l.id)));
        }
    }
    let total: Money = lines.iter().map(|l| l.amount).sum();
    if total > available {
        return Err(block(format!("rows add up to {total}, more than the {available} available this month")));
    }
    Ok(total)
}

/// The CSV twin: machine form, dot decimals, no grouping.
pub fn csv_twin(lines: &[PaymentLine]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "no",
        "payment_id",
        "recipient",
        "tax_id",
        "kbe",
        "bank",
        "bic",
        "iban",
        "amount",
        "app_no",
        "type_code",
        "purpose",
    ]);
    for (i, l) in lines.iter().enumerate() {
        let text = [&l.id, &l.recipient, &l.tax_id, &l.kbe, &l.bank, &l.bic, &l.iban];
        let mut row = vec![(i + 1).to_string()];
        row.extend(text.iter().map(|t| neutralise(t)));
        row.push(l.amount.to_string());
        row.extend([&l.app_no, &l.type_code, &l.purpose].iter().map(|t| neutralise(t)));
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

/// The payment list workbook.
pub fn workbook(
    ctx: &BatchContext,
    rules: &RuleSet,
    budget: &BudgetProgram,
    lines: &[PaymentLine],
    total: Money,
    csv_sha: &str,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::default();
    let sig = &rules.service().signatures;
    let date = dmy(ctx.batch_date);
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ctx.created_at).set_title("Платёжная ведомость"));
    let ws = wb.add_worksheet().set_name("Ведомость")?;
    let number = format!("{}-{}", ctx.batch_date.format("%Y%m%d"), budget.key);
    ws.write_string_with_format(0, 0, format!("Төлем ведомосі / Платёжная ведомость № {number} от {date}"), &f.bold)?;
    let payer = [
        ("Төлеуші / Плательщик", budget.payer_name.as_str()),
        ("БСН / БИН", budget.payer_bin.as_str()),
        ("ЖСК / ИИК", budget.payer_iban.as_str()),
        ("БСК / БИК", budget.payer_bic.as_str()),
        ("БСК / КБК", budget.kbk.as_str()),
        ("Ерекшелік / Специфика", budget.specifics.as_str()),
        ("ТТК / КНП", budget.knp.as_str()),
        ("Бюджеттік бағдарлама / Бюджетная программа", budget.name_ru.as_str()),
        ("Валюта", "KZT"),
    ];
    for (i, (label, value)) in payer.iter().enumerate() {
        let row = u32::try_from(i + 2).unwrap_or(0);
        ws.write_string_with_format(row, 0, *label, &f.bold)?;
        sheet::text(ws, &f, row, 2, value)?;
    }
    let head = 12u32;
    sheet::header(
        ws,
        &f,
        head,
        &[
            ("№", 5.0),
            ("Алушы / Получатель", 32.0),
            ("ЖСН/БСН / ИИН/БИН", 14.0),
            ("Кбе", 5.0),
            ("Банк", 28.0),
            ("БСК / БИК", 11.0),
            ("ЖСК / ИИК", 24.0),
            ("Сома / Сумма, ₸", 16.0),
            ("Өтінім / № заявки", 17.0),
            ("Түрі / Вид", 6.0),
            ("Төлем мақсаты / Назначение платежа", 48.0),
            ("Төлем ID / ID платежа", 18.0),
        ],
    )?;
    for (i, l) in lines.iter().enumerate() {
        let row = head + 1 + u32::try_from(i).unwrap_or(0);
        ws.write_number(row, 0, f64::from(u32::try_from(i + 1).unwrap_or(0)))?;
        for (col, v) in [(1, &l.recipient), (2, &l.tax_id), (3, &l.kbe), (4, &l.bank), (5, &l.bic), (6, &l.iban)] {
            sheet::text(ws, &f, row, col, v)?;
        }
        sheet::money(ws, &f, row, 7, l.amount)?;
        for (col, v) in [(8, &l.app_no), (9, &l.type_code), (10, &l.purpose), (11, &l.id)] {
            sheet::text(ws, &f, row, col, v)?;
        }
    }
    sheet::print_setup(ws, head)?;
    // Pages are numbered: a list handed over on paper is checked page by page.
    ws.set_footer("&CБет &P / &N — Страница &P из &N");
    let first = head + 2;
    let last = head + 1 + u32::try_from(lines.len()).unwrap_or(0);
    let total_row = last + 1;
    ws.write_string_with_format(total_row, 1, "Барлығы / Итого", &f.bold)?;
    // The formula keeps the sheet live for whoever edits it; its cached result is our total, so
    // a reader that does not recalculate still sees the right sum.
    let formula = Formula::new(format!("=SUM(H{first}:H{last})")).set_result(total.to_string());
    ws.write_formula_with_format(total_row, 7, formula, &f.bold_money)?;
    let facts = [
        ("Бақылау сомасы / Контрольная сумма, ₸", None, Some(total)),
        ("Төлемдер саны / Количество платежей", Some(lines.len().to_string()), None),
        ("Сомасы жазбаша / Сумма прописью", Some(words::capitalized(&words::amount_kk(total))), None),
        ("", Some(words::capitalized(&words::amount_ru(total))), None),
    ];
    for (i, (label, text, money)) in facts.iter().enumerate() {
        let row = total_row + 1 + u32::try_from(i).unwrap_or(0);
        if !label.is_empty() {
            ws.write_string_with_format(row, 1, *label, &f.bold)?;
        }
        if let Some(m) = money {
            sheet::money(ws, &f, row, 7, *m)?;
        }
        if let Some(t) = text {
            sheet::text(ws, &f, row, 2, t)?;
        }
    }
    let sign = total_row + 7;
    for (i, (kk, ru, name)) in
        [(&sig.head_kk, &sig.head_ru, &sig.head_name), (&sig.finance_kk, &sig.finance_ru, &sig.finance_name)]
            .iter()
            .enumerate()
    {
        let row = sign + 2 * u32::try_from(i).unwrap_or(0);
        sheet::text(ws, &f, row, 1, &format!("{kk} / {ru}"))?;
        sheet::text(ws, &f, row, 4, &format!("________________ {name}"))?;
    }
    let ctl = wb.add_worksheet().set_name("Контроль")?;
    let control = [
        ("Бюджетная программа", budget.key.clone()),
        ("Дата пакета", date),
        ("Количество платежей", lines.len().to_string()),
        ("Сумма", total.to_string()),
        ("SHA-256 CSV", csv_sha.to_owned()),
    ];
    for (i, (k, v)) in control.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0);
        ctl.write_string_with_format(row, 0, *k, &f.bold)?;
        sheet::text(ctl, &f, row, 1, v)?;
    }
    ctl.set_column_width(0, 24)?;
    ctl.set_column_width(1, 68)?;
    if ctx.draft {
        sheet::mark_draft(&mut wb);
    }
    wb.save_to_buffer()
}

/// Every program's list as files, or the lists that failed their controls.
pub fn outputs(ctx: &BatchContext, rules: &RuleSet, queue: &Queue) -> (Vec<Output>, Vec<Blocked>) {
    let mut by_program: BTreeMap<String, Vec<PaymentLine>> = BTreeMap::new();
    for (line, program) in queue.payments() {
        by_program.entry(program).or_default().push(line);
    }
    let mut files = Vec::new();
    let mut blocked = Vec::new();
    for (key, lines) in by_program {
        let available = queue.funds.get(&key).map_or(Money::ZERO, |f| f.available);
        let total = match control(&key, &lines, available, &rules.banks) {
            Ok(t) => t,
            Err(e) => {
                blocked.push(e);
                continue;
            }
        };
        let budget = &rules.budget[&key];
        let csv = csv_twin(&lines);
        let sha = sha256_hex(&csv);
        match workbook(ctx, rules, budget, &lines, total, &sha) {
            Ok(x) => {
                files.push(Output { name: format!("payments-{key}.xlsx"), bytes: x });
                files.push(Output { name: format!("payments-{key}.csv"), bytes: csv });
            }
            Err(e) => blocked.push(Blocked { program: key, reason: e.to_string() }),
        }
    }
    (files, blocked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bank::{Bank, BankDirectory};

    fn line(app_no: &str, amount: i64) -> PaymentLine {
        PaymentLine {
            id: payment_id("007", "871008401427", app_no),
            recipient: "КХ «Ақжол»".into(),
            tax_id: "871008401427".into(),
            kbe: "19".into(),
            bank: "Halyk".into(),
            bic: "HSBKKZKX".into(),
            iban: "KZ476010131000179714".into(),
            amount: Money::from_tiyn(amount),
            app_no: app_no.into(),
            type_code: "007".into(),
            purpose: String::new(),
        }
    }

    fn banks() -> BankDirectory {
        BankDirectory::new([Bank { bic: "HSBKKZKX".into(), code: "601".into(), name: "Halyk".into() }])
    }

    #[test]
    fn the_csv_twin_never_starts_a_cell_like_a_formula() {
        let mut l = line("1", 100);
        l.recipient = "=HYPERLINK(\"http://x\",\"a\")".into();
        l.purpose = "@SUM(1+1)".into();
        let csv = String::from_utf8(csv_twin(&[l])).unwrap();
        let row = csv.lines().nth(1).unwrap();
        assert!(row.contains("\"'=HYPERLINK(") && row.contains(",'@SUM(1+1)"), "{row}");
        for (text, safe) in [("-1", "'-1"), ("+7", "'+7"), ("\tx", "'\tx"), ("ТОО «А»", "ТОО «А»")] {
            assert_eq!(neutralise(text), safe);
        }
    }

    #[test]
    fn a_list_that_ties_out_passes() {
        let l = [line("1", 100), line("2", 250)];
        assert_eq!(control("livestock", &l, Money::from_tiyn(350), &banks()), Ok(Money::from_tiyn(350)));
    }

    #[test]
    fn controls_block_bad_lists_with_the_reason() {
        let b = banks();
        let err = |l: &[PaymentLine], total| control("livestock", l, Money::from_tiyn(total), &b).unwrap_err().reason;
        assert!(err(&[line("1", 100)], 99).contains("rows add up to 1.00, more than the 0.99 available this month"));
        let mut bad = line("1", 100);
        bad.iban = "KZ476010131000179715".into();
        assert!(err(&[bad], 100).contains("ИИК `KZ476010131000179715` is not valid"));
        let mut other = line("1", 100);
        other.iban = iban::make("722", "C000018790336");
        assert!(err(&[other], 100).contains("does not belong to БИК `HSBKKZKX`"));
        assert!(err(&[line("1", 100), line("1", 100)], 200).contains("listed twice"));
        assert!(err(&[line("1", 0)], 0).contains("not positive"));
    }

    #[test]
    fn payment_ids_are_stable() {
        assert_eq!(
            payment_id("007", "871008401427", "00700100500002"),
            payment_id("007", "871008401427", "00700100500002")
        );
        assert_ne!(payment_id("007", "871008401427", "1"), payment_id("004", "871008401427", "1"));
        assert_eq!(payment_id("007", "871008401427", "1").len(), 16);
    }
}
