//! Treasury payment lists for «Казначейство-Клиент»: one workbook per budget program, with a plain
//! CSV twin for import. Controls run before anything is built: a list whose row lacks valid bank
//! details or whose total does not tie out to the tiyn is not written, and the reason is given.

use std::collections::BTreeMap;

use rust_xlsxwriter::{DocProperties, Formula, Workbook, XlsxError};

use super::Output;
use super::layout::{Cell, Field, Layout, Payer, Signer};
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

/// What a column shows of a payment line.
fn value(l: &PaymentLine, field: Field, seq: usize) -> String {
    match field {
        Field::Seq => seq.to_string(),
        Field::Recipient => l.recipient.clone(),
        Field::TaxId => l.tax_id.clone(),
        Field::Kbe => l.kbe.clone(),
        Field::Bank => l.bank.clone(),
        Field::Bic => l.bic.clone(),
        Field::Iban => l.iban.clone(),
        Field::Amount => l.amount.to_string(),
        Field::AppNo => l.app_no.clone(),
        Field::TypeCode => l.type_code.clone(),
        Field::Purpose => l.purpose.clone(),
        Field::PaymentId => l.id.clone(),
    }
}

/// The payment list workbook, laid out as `templates/payment-list.toml` says.
pub fn workbook(
    ctx: &BatchContext,
    rules: &RuleSet,
    budget: &BudgetProgram,
    lines: &[PaymentLine],
    total: Money,
    csv_sha: &str,
    layout: &Layout,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::default();
    let sig = &rules.service().signatures;
    let date = dmy(ctx.batch_date);
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ctx.created_at).set_title("Платёжная ведомость"));
    let ws = wb.add_worksheet().set_name("Ведомость")?;
    let number = format!("{}-{}", ctx.batch_date.format("%Y%m%d"), budget.key);
    ws.write_string_with_format(0, 0, format!("{} № {number} от {date}", layout.title), &f.bold)?;
    // The payer's values start in the first column past the longest label, which is printed
    // across the columns before it.
    let longest = layout.payer.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    let mut across = 0usize;
    let value_col = layout
        .columns
        .iter()
        .position(|c| {
            // Whole characters: widths are not money, but nothing here needs a float's sum.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let width = c.width as usize;
            across += width;
            across * 10 >= longest * 11
        })
        .map_or(2, |i| u16::try_from(i + 1).unwrap_or(2))
        .max(1);
    for (i, (label, value)) in layout.payer.iter().enumerate() {
        let row = u32::try_from(i + 2).unwrap_or(0);
        let value = match value {
            Payer::Name => budget.payer_name.as_str(),
            Payer::Bin => budget.payer_bin.as_str(),
            Payer::Iban => budget.payer_iban.as_str(),
            Payer::Bic => budget.payer_bic.as_str(),
            Payer::Kbk => budget.kbk.as_str(),
            Payer::Specifics => budget.specifics.as_str(),
            Payer::Knp => budget.knp.as_str(),
            Payer::ProgramRu => budget.name_ru.as_str(),
            Payer::ProgramKk => budget.name_kk.as_str(),
            Payer::Currency => "KZT",
        };
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        sheet::text(ws, &f, row, value_col, value)?;
    }
    let head = u32::try_from(layout.payer.len()).unwrap_or(0) + 3;
    let titles: Vec<(&str, f64)> = layout.columns.iter().map(|c| (c.header.as_str(), c.width)).collect();
    sheet::header(ws, &f, head, &titles)?;
    for (i, l) in lines.iter().enumerate() {
        let row = head + 1 + u32::try_from(i).unwrap_or(0);
        // Long names and purposes wrap within their columns and the row grows to hold them:
        // nothing is cut or runs into the next column on paper.
        let mut tallest = 1;
        for (c, column) in layout.columns.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            match column.cell {
                Cell::Money => sheet::money(ws, &f, row, col, l.amount)?,
                Cell::Number if column.field == Field::Seq => {
                    ws.write_number_with_format(row, col, f64::from(u32::try_from(i + 1).unwrap_or(0)), &f.number)?;
                }
                _ => {
                    let n = sheet::wrapped(ws, &f, row, col, &value(l, column.field, i + 1), column.width)?;
                    tallest = tallest.max(n);
                }
            }
        }
        if tallest > 1 {
            ws.set_row_height(row, f64::from(15 * tallest))?;
        }
    }
    sheet::print_setup(ws, head)?;
    // Pages are numbered: a list handed over on paper is checked page by page.
    ws.set_footer("&CБет &P / &N — Страница &P из &N");
    let first = head + 2;
    let last = head + 1 + u32::try_from(lines.len()).unwrap_or(0);
    let total_row = last + 1;
    let amount_col = layout.column_of(Field::Amount).unwrap_or(0);
    let label_col = u16::from(amount_col > 1);
    ws.write_string_with_format(total_row, label_col, "Барлығы / Итого", &f.bold)?;
    // The formula keeps the sheet live for whoever edits it; its cached result is our total, so
    // a reader that does not recalculate still sees the right sum.
    let letter = rust_xlsxwriter::utility::column_number_to_name(amount_col);
    let formula = Formula::new(format!("=SUM({letter}{first}:{letter}{last})")).set_result(total.to_string());
    ws.write_formula_with_format(total_row, amount_col, formula, &f.bold_money)?;
    let facts = [
        ("Бақылау сомасы / Контрольная сумма, ₸", None, Some(total)),
        ("Төлемдер саны / Количество платежей", Some(lines.len().to_string()), None),
        ("Сомасы жазбаша / Сумма прописью", Some(words::capitalized(&words::amount_kk(total))), None),
        ("", Some(words::capitalized(&words::amount_ru(total))), None),
    ];
    for (i, (label, text, money)) in facts.iter().enumerate() {
        let row = total_row + 1 + u32::try_from(i).unwrap_or(0);
        if !label.is_empty() {
            ws.write_string_with_format(row, label_col, *label, &f.bold)?;
        }
        if let Some(m) = money {
            sheet::money(ws, &f, row, amount_col, *m)?;
        }
        if let Some(t) = text {
            sheet::text(ws, &f, row, label_col + 1, t)?;
        }
    }
    let sign = total_row + 7;
    for (i, who) in layout.signatures.iter().enumerate() {
        let (kk, ru, name) = match who {
            Signer::Head => (&sig.head_kk, &sig.head_ru, &sig.head_name),
            Signer::Finance => (&sig.finance_kk, &sig.finance_ru, &sig.finance_name),
            Signer::Officer => (&sig.officer_kk, &sig.officer_ru, &sig.officer_name),
        };
        let row = sign + 2 * u32::try_from(i).unwrap_or(0);
        sheet::text(ws, &f, row, label_col, &format!("{kk} / {ru}"))?;
        let name_col = layout.column_of(Field::Bank).unwrap_or(label_col + 3);
        sheet::text(ws, &f, row, name_col.max(label_col + 1), &format!("________________ {name}"))?;
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
pub fn outputs(ctx: &BatchContext, rules: &RuleSet, queue: &Queue, layout: &Layout) -> (Vec<Output>, Vec<Blocked>) {
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
        match workbook(ctx, rules, budget, &lines, total, &sha, layout) {
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
