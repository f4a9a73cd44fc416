//! `subsidy diff`: the same applications decided under two rule sets (before and after an
//! amendment): per application the change of status and amount with what caused it — a criterion
//! that now refuses or no longer refuses, a different rate edition or normative, a cap — and
//! totals by subsidy type and budget program. Written as a workbook, summarised on stdout.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};

use crate::batch::BatchResult;
use crate::decide::{Decision, Status};
use crate::domain::money::Money;
use crate::write::sheet::{self, Formats};

/// One application that changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub app_no: String,
    pub type_code: String,
    pub applicant: String,
    pub before: (Status, Money),
    pub after: (Status, Money),
    /// The rules' amount before and after (the approved amount is also limited by the claim).
    pub computed: (Option<Money>, Option<Money>),
    pub causes: Vec<String>,
}

/// Totals of one group before and after.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    pub approved_before: usize,
    pub approved_after: usize,
    pub before: Money,
    pub after: Money,
}

#[derive(Debug, Default)]
pub(crate) struct Comparison {
    pub applications: usize,
    pub changes: Vec<Change>,
    pub by_type: BTreeMap<String, Totals>,
    pub by_program: BTreeMap<String, Totals>,
}

fn causes(a: &Decision, b: &Decision) -> Vec<String> {
    let ra: BTreeSet<&str> = a.reasons.iter().map(|r| r.id.as_str()).collect();
    let rb: BTreeSet<&str> = b.reasons.iter().map(|r| r.id.as_str()).collect();
    let mut out = Vec::new();
    for id in rb.difference(&ra) {
        out.push(format!("теперь отказ по {id}"));
    }
    for id in ra.difference(&rb) {
        out.push(format!("больше не отказ по {id}"));
    }
    match (&a.rate, &b.rate) {
        (Some(x), Some(y)) if x.id != y.id || x.amount != y.amount => {
            out.push(format!("норматив {} ({}) → {} ({})", x.id, x.amount.display_kzt(), y.id, y.amount.display_kzt()));
        }
        (Some(x), None) => out.push(format!("норматив {} больше не действует", x.id)),
        (None, Some(y)) => out.push(format!("теперь действует норматив {}", y.id)),
        _ => {}
    }
    if out.is_empty() && a.computed != b.computed {
        out.push("расчёт суммы (ограничения)".to_owned());
    }
    out
}

/// Compares two decided batches of the same input.
pub(crate) fn compare(before: &BatchResult<'_>, after: &BatchResult<'_>) -> Comparison {
    let mut c = Comparison { applications: before.decisions.len(), ..Comparison::default() };
    let after_by_no: BTreeMap<&str, (&crate::application::Application, &Decision)> =
        after.applications().zip(&after.decisions).map(|(a, d)| (a.app_no.as_str(), (a, d))).collect();
    for (a, da) in before.applications().zip(&before.decisions) {
        let Some((_, db)) = after_by_no.get(a.app_no.as_str()) else { continue };
        let program = |b: &BatchResult<'_>| {
            b.rules.programs.get(&a.type_code).map_or_else(|| "—".to_owned(), |p| p.budget_program.clone())
        };
        for (key, map) in [(a.type_code.clone(), &mut c.by_type), (program(after), &mut c.by_program)] {
            let t = map.entry(key).or_default();
            t.before += da.amount;
            t.after += db.amount;
            t.approved_before += usize::from(da.status == Status::Approved);
            t.approved_after += usize::from(db.status == Status::Approved);
        }
        // The rules' own amount counts too: a claim below it hides a normative change otherwise.
        if da.status != db.status || da.amount != db.amount || da.computed != db.computed {
            c.changes.push(Change {
                app_no: a.app_no.clone(),
                type_code: a.type_code.clone(),
                applicant: a.applicant_name().to_owned(),
                before: (da.status, da.amount),
                after: (db.status, db.amount),
                computed: (da.computed, db.computed),
                causes: causes(da, db),
            });
        }
    }
    c
}

fn delta(before: Money, after: Money) -> String {
    let d = after.tiyn() - before.tiyn();
    let sign = if d > 0 {
        "+"
    } else if d < 0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{}", Money::from_tiyn(d.abs()).display_kzt())
}

/// The console summary.
pub(crate) fn summary(c: &Comparison) -> String {
    let mut s = String::new();
    let status = c.changes.iter().filter(|x| x.before.0 != x.after.0).count();
    let (before, after): (Money, Money) =
        c.by_type.values().fold((Money::ZERO, Money::ZERO), |(x, y), t| (x + t.before, y + t.after));
    let _ = writeln!(
        s,
        "{} of {} applications change ({status} in status); approved {} → {} ({})",
        c.changes.len(),
        c.applications,
        before.display_kzt(),
        after.display_kzt(),
        delta(before, after)
    );
    for (k, t) in c.by_type.iter().filter(|(_, t)| t.before != t.after || t.approved_before != t.approved_after) {
        let _ = writeln!(
            s,
            "  type {k}: approved {} → {}, {} → {} ({})",
            t.approved_before,
            t.approved_after,
            t.before.display_kzt(),
            t.after.display_kzt(),
            delta(t.before, t.after)
        );
    }
    s
}

/// The comparison workbook.
pub(crate) fn workbook(c: &Comparison, created_at: &chrono::NaiveDateTime) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::default();
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(created_at).set_title("Сравнение наборов правил"));
    let ws = wb.add_worksheet().set_name("Изменения")?;
    sheet::header(
        ws,
        &f,
        0,
        &[
            ("Өтінім / Заявка", 17.0),
            ("Түрі / Вид", 6.0),
            ("Өтініш беруші / Заявитель", 28.0),
            ("Статус до", 12.0),
            ("Статус после", 12.0),
            ("Сумма до, ₸", 16.0),
            ("Сумма после, ₸", 16.0),
            ("Изменение, ₸", 16.0),
            ("Причина изменения", 60.0),
            ("По нормативу до, ₸", 16.0),
            ("По нормативу после, ₸", 16.0),
        ],
    )?;
    let status = |s: Status| s.ru();
    for (i, x) in c.changes.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet::text(ws, &f, row, 0, &x.app_no)?;
        sheet::text(ws, &f, row, 1, &x.type_code)?;
        sheet::text(ws, &f, row, 2, &x.applicant)?;
        sheet::text(ws, &f, row, 3, status(x.before.0))?;
        sheet::text(ws, &f, row, 4, status(x.after.0))?;
        sheet::money(ws, &f, row, 5, x.before.1)?;
        sheet::money(ws, &f, row, 6, x.after.1)?;
        sheet::money(ws, &f, row, 7, Money::from_tiyn(x.after.1.tiyn() - x.before.1.tiyn()))?;
        sheet::text(ws, &f, row, 8, &x.causes.join("; "))?;
        for (col, m) in [(9, x.computed.0), (10, x.computed.1)] {
            if let Some(m) = m {
                sheet::money(ws, &f, row, col, m)?;
            }
        }
    }
    let ws = wb.add_worksheet().set_name("Итоги")?;
    let mut row = 0u32;
    for (title, map) in [("По видам субсидий", &c.by_type), ("По бюджетным программам", &c.by_program)]
    {
        ws.write_string_with_format(row, 0, title, &f.bold)?;
        row += 1;
        sheet::header(
            ws,
            &f,
            row,
            &[
                ("Вид / программа", 16.0),
                ("Одобрено до", 12.0),
                ("Одобрено после", 12.0),
                ("Сумма до, ₸", 18.0),
                ("Сумма после, ₸", 18.0),
                ("Изменение, ₸", 18.0),
            ],
        )?;
        row += 1;
        for (k, t) in map {
            sheet::text(ws, &f, row, 0, k)?;
            ws.write_number(row, 1, f64::from(u32::try_from(t.approved_before).unwrap_or(0)))?;
            ws.write_number(row, 2, f64::from(u32::try_from(t.approved_after).unwrap_or(0)))?;
            sheet::money(ws, &f, row, 3, t.before)?;
            sheet::money(ws, &f, row, 4, t.after)?;
            sheet::money(ws, &f, row, 5, Money::from_tiyn(t.after.tiyn() - t.before.tiyn()))?;
            row += 1;
        }
        row += 1;
    }
    ws.set_freeze_panes(0, 0)?;
    wb.save_to_buffer()
}
