//! `subsidy audit`: the state system's register export («Реестр заявок», read exactly as it is
//! exported) checked against the rules: the subsidy type from the application number, the
//! normative in force on the submission date against the register's «Норматив», the implied
//! quantity, summaries by region, district, type, status and month, and the register's approved
//! applications run through the FIFO queue with a given allocation to show who would wait.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};

use crate::allocate::{Policy, allocate};
use crate::application::Record;
use crate::catalogue::SheetKind;
use crate::domain::date::dmy_hms;
use crate::domain::money::Money;
use crate::ingest::{self, RawTable};
use crate::rules::RuleSet;
use crate::write::sheet::{self, Formats};

const APP_NO: usize = 0;
const SUBMITTED: usize = 2;
const REGION: usize = 3;
const TYPE_NAME: usize = 6;
const STATUS: usize = 7;
const NORMATIVE: usize = 8;
const AMOUNT: usize = 9;
const DISTRICT: usize = 10;

/// Statuses of applications the system approved.
const APPROVED: [&str; 3] = ["Одобрена", "Сформировано поручение", "Исполнена"];

/// How the register's normative compares with the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum NormCheck {
    Match,
    Mismatch,
    /// The type has no rule file.
    NoRules,
    /// The rules have no edition in force on the submission date.
    NoEdition,
    /// The register row lacks a date or normative.
    Missing,
    /// The akimat sets the type's normative and the rules do not hold the region's value.
    Akimat,
}

impl NormCheck {
    pub(crate) fn ru(self) -> &'static str {
        match self {
            NormCheck::Match => "совпадает",
            NormCheck::Mismatch => "не совпадает",
            NormCheck::NoRules => "нет правил для вида",
            NormCheck::NoEdition => "нет редакции на дату",
            NormCheck::Missing => "нет даты или норматива",
            NormCheck::Akimat => "устанавливается акиматом",
        }
    }
}

/// One register row, checked.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub record: Record,
    pub type_code: String,
    /// The rate edition in force on the submission date, by the rules.
    pub expected: Option<(String, Money)>,
    pub check: NormCheck,
    /// `amount / normative`.
    pub quantity: Option<Decimal>,
    /// Place in the simulated queue and whether the allocation reaches it.
    pub queue: Option<(usize, bool)>,
}

#[derive(Debug)]
pub(crate) struct Audit {
    pub rows: Vec<Row>,
    pub unreadable: Vec<String>,
    /// Rows whose application number an earlier row has: `where: what`.
    pub repeated: Vec<String>,
    pub allocation: Option<Money>,
    pub source: RawTable,
}

/// `(count, sum)` per key.
pub(crate) type Groups = BTreeMap<String, (usize, Money)>;

impl Audit {
    pub(crate) fn groups(&self, key: impl Fn(&Row) -> String) -> Groups {
        let mut g = Groups::new();
        for r in &self.rows {
            let e = g.entry(key(r)).or_default();
            e.0 += 1;
            e.1 += r.record.money(AMOUNT).unwrap_or_default();
        }
        g
    }

    fn text(r: &Row, i: usize) -> String {
        r.record.text(i).unwrap_or("—").to_owned()
    }
}

/// Reads and checks a register export.
pub(crate) fn audit(path: &Path, rules: &RuleSet, allocation: Option<Money>) -> anyhow::Result<Audit> {
    let source = ingest::read(path, SheetKind::Register)?;
    let (records, bad) = source.read_records();
    let unreadable = bad.into_iter().map(|(at, m)| format!("{}: {m}", at.reference())).collect();
    // An application listed twice is reported and counted once, at its first row.
    let mut first_row: BTreeMap<String, u32> = BTreeMap::new();
    let mut repeated = Vec::new();
    // A register names a few dozen regions in tens of thousands of rows.
    let mut regions: BTreeMap<String, Option<&crate::rules::Region>> = BTreeMap::new();
    let mut rows: Vec<Row> = records
        .into_iter()
        .filter_map(|record| {
            let app_no = record.text(APP_NO)?.to_owned();
            if let Some(first) = first_row.get(&app_no) {
                repeated.push(format!(
                    "{}: заявка {app_no} повторяет строку {}",
                    source.source().row_ref(record.row),
                    source.source().row_ref(*first)
                ));
                return None;
            }
            first_row.insert(app_no.clone(), record.row);
            let type_code = app_no[..3].to_owned();
            let date = record.date(SUBMITTED);
            let norm = record.money(NORMATIVE);
            let program = rules.programs.get(&type_code);
            // Each row is checked against its own region's akimat values.
            let region = record.text(REGION).and_then(|n| match regions.get(n) {
                Some(r) => *r,
                None => *regions.entry(n.to_owned()).or_insert_with(|| rules.region_named(n)),
            });
            let rate = program.zip(date).and_then(|(p, d)| match region {
                Some(r) => rules.rate_on(p, r, d),
                None => p.rate_on(d),
            });
            let akimat = rate.is_some_and(|r| r.akimat_unset);
            let expected = rate.filter(|r| !r.akimat_unset).map(|r| (r.id.clone(), r.amount));
            let check = match (program, date, norm, &expected) {
                (None, ..) => NormCheck::NoRules,
                _ if akimat => NormCheck::Akimat,
                (_, None, ..) | (_, _, None, _) => NormCheck::Missing,
                (_, _, _, None) => NormCheck::NoEdition,
                (_, _, Some(n), Some((_, e))) if n == *e => NormCheck::Match,
                _ => NormCheck::Mismatch,
            };
            let quantity = match (record.money(AMOUNT), norm) {
                (Some(a), Some(n)) if n > Money::ZERO => {
                    Some((a.to_decimal() / n.to_decimal()).round_dp(3).normalize())
                }
                _ => None,
            };
            Some(Row { record, type_code, expected, check, quantity, queue: None })
        })
        .collect();
    if let Some(available) = allocation {
        let mut order: Vec<usize> =
            (0..rows.len()).filter(|&i| rows[i].record.text(STATUS).is_some_and(|s| APPROVED.contains(&s))).collect();
        order.sort_by(|&a, &b| {
            (rows[a].record.datetime(SUBMITTED), rows[a].record.text(APP_NO))
                .cmp(&(rows[b].record.datetime(SUBMITTED), rows[b].record.text(APP_NO)))
        });
        let amounts: Vec<Money> = order.iter().map(|&i| rows[i].record.money(AMOUNT).unwrap_or_default()).collect();
        for (pos, (&i, share)) in order.iter().zip(allocate(&amounts, available, Policy::Fifo)).enumerate() {
            rows[i].queue = Some((pos + 1, share.pay == amounts[pos]));
        }
    }
    Ok(Audit { rows, unreadable, repeated, allocation, source })
}

/// The console summary.
pub(crate) fn summary(a: &Audit) -> String {
    let mut s = String::new();
    let total: Money = a.rows.iter().filter_map(|r| r.record.money(AMOUNT)).sum();
    let _ = writeln!(s, "{} applications, {} due", a.rows.len(), total.display_kzt());
    let checks = a.groups(|r| r.check.ru().to_owned());
    for (k, (n, sum)) in &checks {
        let _ = writeln!(s, "  normative {k}: {n} ({})", sum.display_kzt());
    }
    if let Some(alloc) = a.allocation {
        let q: Vec<&Row> = a.rows.iter().filter(|r| r.queue.is_some()).collect();
        let paid: Vec<&&Row> = q.iter().filter(|r| r.queue.is_some_and(|x| x.1)).collect();
        let paid_sum: Money = paid.iter().filter_map(|r| r.record.money(AMOUNT)).sum();
        let wait_sum: Money =
            q.iter().filter(|r| r.queue.is_some_and(|x| !x.1)).filter_map(|r| r.record.money(AMOUNT)).sum();
        let _ = writeln!(
            s,
            "  queue with {}: {} of {} approved paid ({}), {} wait ({})",
            alloc.display_kzt(),
            paid.len(),
            q.len(),
            paid_sum.display_kzt(),
            q.len() - paid.len(),
            wait_sum.display_kzt()
        );
    }
    // The register's own statuses, as they are (withdrawn and received-not-reviewed included).
    for (k, (n, sum)) in &a.groups(|r| Audit::text(r, STATUS)) {
        let _ = writeln!(s, "  status {k}: {n} ({})", sum.display_kzt());
    }
    let regions = a.groups(|r| Audit::text(r, REGION));
    let _ = writeln!(s, "  {} regions (by region, type and month in the workbook)", regions.len());
    if !a.repeated.is_empty() {
        let _ = writeln!(
            s,
            "  {} rows repeat an application number and are not counted again (listed in the workbook)",
            a.repeated.len()
        );
    }
    if !a.unreadable.is_empty() {
        let _ = writeln!(s, "  {} cells could not be read (listed in the workbook)", a.unreadable.len());
    }
    s
}

/// The audit workbook: the rows with their checks, and the summaries.
pub(crate) fn workbook(a: &Audit, created_at: &chrono::NaiveDateTime) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::default();
    let mut wb = Workbook::new();
    // As the batch register: level 2 halves the compression time for a file about a fifth larger.
    wb.set_zip_compression_level(2);
    wb.set_properties(&DocProperties::new().set_creation_datetime(created_at).set_title("Проверка реестра заявок"));
    let ws = wb.add_worksheet_with_constant_memory()?.set_name("Заявки")?;
    sheet::header(
        ws,
        &f,
        0,
        &[
            ("Строка реестра", 10.0),
            ("Номер заявки", 17.0),
            ("Дата поступления", 18.0),
            ("Область", 22.0),
            ("Район", 20.0),
            ("Вид", 6.0),
            ("Статус", 18.0),
            ("Норматив в реестре, ₸", 16.0),
            ("Норматив по правилам, ₸", 16.0),
            ("Редакция", 16.0),
            ("Проверка норматива", 18.0),
            ("Причитающая сумма, ₸", 18.0),
            ("Количество (сумма / норматив)", 14.0),
            ("Место в очереди", 10.0),
            ("По очереди", 16.0),
        ],
    )?;
    for (i, r) in a.rows.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet::text(ws, &f, row, 0, &a.source.source().row_ref(r.record.row))?;
        sheet::text(ws, &f, row, 1, r.record.text(APP_NO).unwrap_or_default())?;
        if let Some(t) = r.record.datetime(SUBMITTED) {
            sheet::text(ws, &f, row, 2, &dmy_hms(t))?;
        }
        sheet::text(ws, &f, row, 3, &Audit::text(r, REGION))?;
        sheet::text(ws, &f, row, 4, &Audit::text(r, DISTRICT))?;
        sheet::text(ws, &f, row, 5, &r.type_code)?;
        sheet::text(ws, &f, row, 6, &Audit::text(r, STATUS))?;
        if let Some(n) = r.record.money(NORMATIVE) {
            sheet::money(ws, &f, row, 7, n)?;
        }
        if let Some((id, n)) = &r.expected {
            sheet::money(ws, &f, row, 8, *n)?;
            sheet::text(ws, &f, row, 9, id)?;
        }
        sheet::text(ws, &f, row, 10, r.check.ru())?;
        if let Some(m) = r.record.money(AMOUNT) {
            sheet::money(ws, &f, row, 11, m)?;
        }
        if let Some(q) = r.quantity.and_then(|q| rust_decimal::prelude::ToPrimitive::to_f64(&q)) {
            ws.write_number_with_format(row, 12, q, &f.number)?;
        }
        if let Some((pos, paid)) = r.queue {
            ws.write_number(row, 13, f64::from(u32::try_from(pos).unwrap_or(0)))?;
            sheet::text(ws, &f, row, 14, if paid { "выплачено бы" } else { "ждало бы" })?;
        }
    }
    let ws = wb.add_worksheet_with_constant_memory()?.set_name("Сводка")?;
    let mut row = 0u32;
    let sections: [(&str, Groups); 7] = [
        ("По областям", a.groups(|r| Audit::text(r, REGION))),
        ("По районам", a.groups(|r| format!("{} / {}", Audit::text(r, REGION), Audit::text(r, DISTRICT)))),
        ("По видам субсидий", a.groups(|r| format!("{} {}", r.type_code, Audit::text(r, TYPE_NAME)))),
        ("По областям и видам", a.groups(|r| format!("{} / {}", Audit::text(r, REGION), r.type_code))),
        ("По статусам", a.groups(|r| Audit::text(r, STATUS))),
        (
            "По месяцам",
            a.groups(|r| r.record.datetime(SUBMITTED).map_or_else(|| "—".into(), |t| t.format("%Y-%m").to_string())),
        ),
        ("Проверка норматива", a.groups(|r| r.check.ru().to_owned())),
    ];
    ws.set_column_width(0, 60)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 22)?;
    for (title, groups) in &sections {
        ws.write_string_with_format(row, 0, *title, &f.bold)?;
        row += 1;
        for (k, (n, sum)) in groups {
            sheet::text(ws, &f, row, 0, k)?;
            ws.write_number(row, 1, f64::from(u32::try_from(*n).unwrap_or(0)))?;
            sheet::money(ws, &f, row, 2, *sum)?;
            row += 1;
        }
        row += 1;
    }
    for (title, list) in [("Повторные номера заявок", &a.repeated), ("Нечитаемые ячейки", &a.unreadable)]
    {
        if list.is_empty() {
            continue;
        }
        ws.write_string_with_format(row, 0, title, &f.bold)?;
        for (i, u) in list.iter().enumerate() {
            sheet::text(ws, &f, row + 1 + u32::try_from(i).unwrap_or(0), 0, u)?;
        }
        row += u32::try_from(list.len()).unwrap_or(0) + 2;
    }
    wb.save_to_buffer()
}
