//! `decisions.xlsx`: the batch register — one row per application with status, amounts and every
//! reason; the items; the input problems with their cells; summaries by subsidy type and district.

use crate::domain::date::dmy;

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use super::sheet::{self, Formats};
use crate::batch::BatchResult;
use crate::catalogue::{app, item};
use crate::decide::Status;
use crate::domain::money::Money;
use crate::outcome::Outcome;
use crate::problem::Severity;
use crate::totals::{Tally, Whole};

pub const REGISTER_SHEET: &str = "Реестр";
pub const ITEMS_SHEET: &str = "Позиции";
pub const PROBLEMS_SHEET: &str = "Ошибки ввода";
pub const SUMMARY_SHEET: &str = "Сводка";
pub const QUEUE_SHEET: &str = "Очередь";

/// Every application of the budget queue, carried over or new, with what it gets in this batch.
fn queue(ws: &mut Worksheet, f: &Formats, w: &Whole<'_>) -> Result<(), XlsxError> {
    sheet::header(
        ws,
        f,
        0,
        &[
            ("Бюджеттік бағдарлама / Бюджетная программа", 14.0),
            ("Орны / Место", 7.0),
            ("Өтінім / Заявка", 17.0),
            ("Берілген уақыты / Подана", 18.0),
            ("Пакеттен / Из пакета", 12.0),
            ("Өтініш беруші / Заявитель", 28.0),
            ("Төленуге тиіс / К выплате всего", 16.0),
            ("Қазір төленеді / Выплачено в пакете", 16.0),
            ("Ұсыныс / Предложение", 14.0),
            ("Нәтиже / Итог", 24.0),
        ],
    )?;
    sheet::print_setup(ws, 0)?;
    for (i, e) in w.queue.entries.iter().enumerate() {
        let row = r(i + 1);
        sheet::text(ws, f, row, 0, &e.program)?;
        ws.write_number(row, 1, f64::from(u32::try_from(e.position).unwrap_or(0)))?;
        sheet::text(ws, f, row, 2, &e.app_no)?;
        sheet::datetime(ws, f, row, 3, e.submitted_at)?;
        sheet::text(ws, f, row, 4, e.carried_from.as_deref().unwrap_or("—"))?;
        sheet::text(ws, f, row, 5, &e.line.recipient)?;
        sheet::money(ws, f, row, 6, e.remaining)?;
        sheet::money(ws, f, row, 7, e.share.pay)?;
        if e.share.offer > Money::ZERO {
            sheet::money(ws, f, row, 8, e.share.offer)?;
        }
        sheet::text(ws, f, row, 9, e.outcome.ru())?;
    }
    let mut row = r(w.queue.entries.len() + 2);
    for (program, funds) in &w.queue.funds {
        let text = format!(
            "{program}: план месяца {}, выплачено в месяце ранее {}, выделено на год {}, выплачено в году ранее {}, доступно {}",
            funds.plan.display_kzt(),
            funds.paid_month.display_kzt(),
            funds.allocation.display_kzt(),
            funds.paid_year.display_kzt(),
            funds.available.display_kzt()
        );
        sheet::text(ws, f, row, 0, &text)?;
        row += 1;
    }
    for note in &w.queue.notes {
        sheet::text(ws, f, row, 0, note)?;
        row += 1;
    }
    Ok(())
}

/// Rows per sheet (Excel's limit): rows past it go on to a sheet of the same name with
/// ` (2)`, ` (3)` … added.
const SHEET_ROWS: u32 = 1_048_576;

type Header = fn(&mut Worksheet, &Formats) -> Result<(), XlsxError>;

/// A sheet that goes on in another sheet when it is full, each with the header row.
struct Rolling {
    name: &'static str,
    header: Header,
    sheets: Vec<Worksheet>,
    /// The row the next line goes to on the last sheet.
    next: u32,
}

impl Rolling {
    fn new(wb: &mut Workbook, f: &Formats, name: &'static str, header: Header) -> Result<Rolling, XlsxError> {
        let mut ws = new_sheet(wb, name)?;
        header(&mut ws, f)?;
        Ok(Rolling { name, header, sheets: vec![ws], next: 1 })
    }

    /// The sheet and row of the next line.
    fn line(&mut self, to: &Shared<'_>) -> Result<(&mut Worksheet, u32), XlsxError> {
        if self.next >= to.limit {
            let name = format!("{} ({})", self.name, self.sheets.len() + 1);
            let mut ws = new_sheet(&mut to.wb.lock().unwrap_or_else(std::sync::PoisonError::into_inner), &name)?;
            (self.header)(&mut ws, to.f)?;
            self.sheets.push(ws);
            self.next = 1;
        }
        let row = self.next;
        self.next += 1;
        Ok((self.sheets.last_mut().expect("a rolling sheet has a sheet"), row))
    }
}

/// What the threads filling different sheets share: the workbook, only needed to start a sheet.
struct Shared<'w> {
    wb: std::sync::Mutex<&'w mut Workbook>,
    f: &'w Formats,
    limit: u32,
}

/// The register, written part by part in constant memory: each part's rows are appended as it is
/// decided, and the summaries and the queue are written at the end.
pub struct RegisterWriter {
    wb: Workbook,
    f: Formats,
    reg: Rolling,
    items: Rolling,
    probs: Rolling,
    /// Applications written so far.
    apps: usize,
    limit: u32,
}

impl RegisterWriter {
    /// A register whose workbook keeps its temporary files in `tempdir` (the staging folder).
    pub fn new(
        ctx: &crate::context::BatchContext,
        tempdir: Option<&std::path::Path>,
    ) -> Result<RegisterWriter, XlsxError> {
        Self::with_sheet_rows(ctx, SHEET_ROWS, tempdir)
    }

    /// A register whose sheets hold `limit` rows (a small limit tests the sheets that follow).
    pub fn with_sheet_rows(
        ctx: &crate::context::BatchContext,
        limit: u32,
        tempdir: Option<&std::path::Path>,
    ) -> Result<RegisterWriter, XlsxError> {
        let f = Formats::default();
        let mut wb = Workbook::new();
        if let Some(dir) = tempdir {
            wb.set_tempdir(dir)?;
        }
        wb.set_properties(
            &DocProperties::new()
                .set_creation_datetime(&ctx.created_at)
                .set_title("Реестр заявок / Өтінімдер тізілімі"),
        );
        // The register of a national year holds millions of cells: the fastest deflate level
        // halves its compression time for a file about a fifth larger.
        wb.set_zip_compression_level(2);
        // A format gets its number in styles.xml when first used. The sheets are written on two
        // threads, so each format is used once here first, in a fixed order: the file stays the
        // same whichever thread reaches a format first.
        let mut first = wb.new_worksheet_with_constant_memory()?;
        let formats = [&f.header, &f.text, &f.money, &f.number, &f.bold_money, &f.bold, &f.date, &f.datetime];
        for (i, format) in formats.into_iter().enumerate() {
            first.write_blank(0, c(i), format)?;
        }
        drop(first);
        let reg = Rolling::new(&mut wb, &f, REGISTER_SHEET, register_header)?;
        let items = Rolling::new(&mut wb, &f, ITEMS_SHEET, items_header)?;
        let probs = Rolling::new(&mut wb, &f, PROBLEMS_SHEET, problems_header)?;
        Ok(RegisterWriter { wb, f, reg, items, probs, apps: 0, limit: limit.clamp(2, SHEET_ROWS) })
    }

    /// Appends a part's applications, items and input problems.
    pub fn add(&mut self, b: &BatchResult<'_>) -> Result<(), XlsxError> {
        let RegisterWriter { wb, f, reg, items: its, probs, apps, limit } = self;
        let to = Shared { wb: std::sync::Mutex::new(wb), f, limit: *limit };
        // The item rows are most of the cells: they take one thread, the other sheets the other.
        let (item_rows, rest) = rayon::join(
            || items(its, &to, b),
            || -> Result<(), XlsxError> {
                register(reg, &to, b, *apps)?;
                problems(probs, &to, b)
            },
        );
        item_rows?;
        rest?;
        *apps += b.decisions.len();
        Ok(())
    }

    /// The finished workbook, ready to save: the summaries and the queue of the whole batch.
    pub fn finish(self, w: &Whole<'_>) -> Result<Workbook, XlsxError> {
        let RegisterWriter { mut wb, f, reg, items, probs, .. } = self;
        let last = reg.sheets.len() - 1;
        for (k, mut ws) in reg.sheets.into_iter().enumerate() {
            let rows = if k == last { reg.next - 1 } else { self.limit - 1 };
            ws.autofilter(0, 0, rows, 26)?;
            wb.push_worksheet(ws);
        }
        let mut sum = new_sheet(&mut wb, SUMMARY_SHEET)?;
        summary(&mut sum, &f, w)?;
        let mut q = new_sheet(&mut wb, QUEUE_SHEET)?;
        queue(&mut q, &f, w)?;
        // Every table filters: the last column of each, by its header.
        for (rolling, cols) in [(items, 14u16), (probs, 10)] {
            let last = rolling.sheets.len() - 1;
            for (k, mut ws) in rolling.sheets.into_iter().enumerate() {
                let rows = if k == last { rolling.next - 1 } else { self.limit - 1 };
                ws.autofilter(0, 0, rows.max(1), cols)?;
                wb.push_worksheet(ws);
            }
        }
        for ws in [sum, q] {
            wb.push_worksheet(ws);
        }
        if w.ctx.draft {
            sheet::mark_draft(&mut wb);
        }
        Ok(wb)
    }
}

fn new_sheet(wb: &mut Workbook, name: &str) -> Result<Worksheet, XlsxError> {
    let mut ws = wb.new_worksheet_with_constant_memory()?;
    ws.set_name(name)?;
    Ok(ws)
}

fn c(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

fn r(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn type_name(rules: &crate::rules::RuleSet, code: &str) -> String {
    rules.programs.get(code).map(|p| p.name_ru.clone()).unwrap_or_default()
}

fn register_header(ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    sheet::header(
        ws,
        f,
        0,
        &[
            ("№", 5.0),
            ("Өтінім нөмірі / Номер заявки", 17.0),
            ("Берілген күні / Дата подачи", 17.0),
            ("Аудан / Район", 16.0),
            ("Түр коды / Код вида", 8.0),
            ("Субсидия түрі / Вид субсидии", 40.0),
            ("Өтініш беруші / Заявитель", 30.0),
            ("ЖСН/БСН / ИИН/БИН", 14.0),
            ("Мәртебе / Статус", 12.0),
            ("Өтінілген сома / Сумма заявленная", 16.0),
            ("Есептелген сома / Сумма расчётная", 16.0),
            ("Мақұлданған сома / Сумма одобренная", 16.0),
            ("Норматив, ₸", 12.0),
            ("Норматив редакциясы / Редакция норматива", 22.0),
            ("Бас тарту негіздері / Основания отказа", 30.0),
            ("Себептер / Причины (коды)", 24.0),
            ("Толығырақ / Подробности", 60.0),
            ("Құқықтық негіз / Правовое основание", 50.0),
            ("Ескертпелер / Примечания", 40.0),
            ("Дереккөз / Источник", 14.0),
            ("Қарау мерзімі / Срок рассмотрения", 14.0),
            ("Төлем тапсырмасы мерзімі / Срок формирования поручения", 16.0),
            ("Мерзімдер / Сроки", 14.0),
            ("Қазір төленеді / К выплате в пакете", 16.0),
            ("Кезектегі орны / Место в очереди", 10.0),
            ("Ішінара төлем ұсынысы / Предложена частичная выплата", 16.0),
            ("Бюджеттік бағдарлама / Бюджетная программа", 14.0),
        ],
    )?;
    sheet::print_setup(ws, 0)?;
    // Twenty-seven columns on one page width are unreadable: two pages wide, the application's
    // number and date repeated on each, so a printed row is still found by its number.
    ws.set_print_fit_to_pages(2, 0);
    ws.set_repeat_columns(1, 2)?;
    Ok(())
}

/// Register rows of a part whose first application is the batch's `done + 1`-th.
fn register(sheets: &mut Rolling, to: &Shared<'_>, b: &BatchResult<'_>, done: usize) -> Result<(), XlsxError> {
    let f = to.f;
    for (i, (a, d)) in b.applications().zip(&b.decisions).enumerate() {
        let (ws, row) = sheets.line(to)?;
        let rec = &a.record;
        ws.write_number(row, 0, f64::from(r(done + i + 1)))?;
        sheet::text(ws, f, row, 1, &a.app_no)?;
        if let Some(t) = a.submitted_at() {
            sheet::datetime(ws, f, row, 2, t)?;
        }
        sheet::text(ws, f, row, 3, a.district())?;
        sheet::text(ws, f, row, 4, &a.type_code)?;
        sheet::text(ws, f, row, 5, &type_name(b.rules, &a.type_code))?;
        sheet::text(ws, f, row, 6, a.applicant_name())?;
        sheet::text(ws, f, row, 7, a.tax_id())?;
        let outcome = b.outcome(a, d);
        sheet::text(ws, f, row, 8, outcome.ru())?;
        if let Some(p) = b.rules.programs.get(&a.type_code) {
            sheet::text(ws, f, row, 26, &p.budget_program)?;
        }
        if !matches!(outcome, Outcome::Refused | Outcome::NotQueued) {
            sheet::money(ws, f, row, 23, outcome.paid())?;
        }
        if let Some(place) = outcome.place() {
            ws.write_number(row, 24, f64::from(u32::try_from(place).unwrap_or(0)))?;
        }
        if let Outcome::PartialOffer { offered, .. } = outcome {
            sheet::money(ws, f, row, 25, offered)?;
        }
        if let Some(m) = rec.money(app::AMOUNT_CLAIMED) {
            sheet::money(ws, f, row, 9, m)?;
        }
        if let Some(m) = d.computed {
            sheet::money(ws, f, row, 10, m)?;
        }
        sheet::money(ws, f, row, 11, d.amount)?;
        if let Some(rate) = &d.rate {
            sheet::money(ws, f, row, 12, rate.amount)?;
            // The last day in force, as people read a period (the rules keep it exclusive).
            let to = rate.to.and_then(|t| t.pred_opt()).map_or_else(|| "…".to_owned(), dmy);
            sheet::text(ws, f, row, 13, &format!("{} ({}–{})", rate.id, rate.from.format("%d.%m.%Y"), to))?;
        }
        let mut grounds: Vec<&str> =
            d.reasons.iter().map(|x| b.rules.service_for(&a.type_code).grounds[&x.ground].text_ru.as_str()).collect();
        grounds.dedup();
        sheet::text(ws, f, row, 14, &grounds.join("; "))?;
        sheet::text(ws, f, row, 15, &d.reasons.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", "))?;
        sheet::text(
            ws,
            f,
            row,
            16,
            &d.reasons
                .iter()
                .map(|x| format!("[{}] {} — {}", x.id, x.message_ru, x.detail()))
                .collect::<Vec<_>>()
                .join("\n"),
        )?;
        let mut refs: Vec<&str> = d.reasons.iter().map(|x| x.legal_ref.as_str()).collect();
        refs.dedup();
        if d.status == Status::Approved
            && let Some(rate) = &d.rate
        {
            refs.push(&rate.legal_ref);
        }
        sheet::text(ws, f, row, 17, &refs.join("\n"))?;
        sheet::text(ws, f, row, 18, &d.remarks().iter().map(crate::outcome::Note::ru).collect::<Vec<_>>().join("\n"))?;
        sheet::text(ws, f, row, 19, &b.app_location(a))?;
        if let Some(dl) = &d.deadlines {
            let show = |ws: &mut Worksheet,
                        col: u16,
                        r: &Result<chrono::NaiveDate, crate::domain::calendar::NotCovered>|
             -> Result<(), XlsxError> {
                match r {
                    Ok(d) => sheet::date(ws, f, row, col, *d),
                    Err(e) => sheet::text(ws, f, row, col, &format!("неизвестно: {e}")),
                }
            };
            show(ws, 20, &dl.acceptance)?;
            if d.status == Status::Approved {
                show(ws, 21, &dl.payment_order)?;
            }
            let met = match dl.overdue(d.status, b.ctx.batch_date) {
                Some(false) => "соблюдены",
                Some(true) => "просрочено",
                None => "",
            };
            sheet::text(ws, f, row, 22, met)?;
        }
    }
    Ok(())
}

fn items_header(ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    sheet::header(
        ws,
        f,
        0,
        &[
            ("Өтінім нөмірі / Номер заявки", 17.0),
            ("Дереккөз / Источник", 12.0),
            ("ИНЖ", 16.0),
            ("Жыныстық-жас тобы / Половозрастная группа", 16.0),
            ("Тұқымы / Порода", 18.0),
            ("Жасы, ай / Возраст, мес", 9.0),
            ("Тірі салмағы / Живой вес, кг", 10.0),
            ("Көлемі / Объём, кг", 12.0),
            ("Бас саны / Голов", 8.0),
            ("Мәміле күні / Дата сделки", 12.0),
            ("Бағасы / Цена, ₸", 14.0),
            ("Субсидияланатын көлем / Субсидируемое количество", 14.0),
            ("Сома / Сумма, ₸", 14.0),
            ("50 % шегі / Ограничено 50 %", 10.0),
            ("Мәртебе / Статус", 12.0),
        ],
    )?;
    sheet::print_setup(ws, 0)
}

fn items(sheets: &mut Rolling, to: &Shared<'_>, b: &BatchResult<'_>) -> Result<(), XlsxError> {
    let f = to.f;
    for (a, d) in b.applications().zip(&b.decisions) {
        for (k, it) in a.items.iter().enumerate() {
            let (ws, row) = sheets.line(to)?;
            sheet::text(ws, f, row, 0, &a.app_no)?;
            sheet::text(ws, f, row, 1, &b.item_location(a, it.row))?;
            sheet::text(ws, f, row, 2, it.text(item::ANIMAL_ID).unwrap_or_default())?;
            sheet::text(ws, f, row, 3, it.text(item::SEX_GROUP).unwrap_or_default())?;
            sheet::text(ws, f, row, 4, it.text(item::BREED).unwrap_or_default())?;
            for (col, field) in
                [(5, item::AGE_MONTHS), (6, item::LIVE_WEIGHT_KG), (7, item::VOLUME_KG), (8, item::HEAD_COUNT)]
            {
                if let Some(v) = it.decimal(field).and_then(|d| d.to_f64()) {
                    ws.write_number_with_format(row, col, v, &f.number)?;
                }
            }
            if let Some(dt) = it.date(item::TRANSACTION_DATE) {
                sheet::date(ws, f, row, 9, dt)?;
            }
            if let Some(p) = it.money(item::PRICE) {
                sheet::money(ws, f, row, 10, p)?;
            }
            if let Some(line) = d.items.get(k) {
                if let Some(v) = line.basis.to_f64() {
                    ws.write_number_with_format(row, 11, v, &f.number)?;
                }
                sheet::money(ws, f, row, 12, line.amount)?;
                sheet::text(ws, f, row, 13, if line.capped_by_price { "да" } else { "" })?;
            }
            sheet::text(ws, f, row, 14, d.status.ru())?;
        }
    }
    Ok(())
}

fn problems_header(ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    sheet::header(
        ws,
        f,
        0,
        &[
            ("Код / Code", 7.0),
            ("Атауы / Название", 20.0),
            ("Деңгейі / Уровень", 10.0),
            ("Файл", 30.0),
            ("Ұяшық / Ячейка", 14.0),
            ("Өтінім / Заявка", 17.0),
            ("Өріс / Поле", 16.0),
            ("Хабарлама / Сообщение", 70.0),
            ("Бас тарту негізі / Основание отказа", 40.0),
            ("Түсіндірме / Пояснение (қаз.)", 45.0),
            ("Пояснение / Түсіндірме (рус.)", 45.0),
        ],
    )?;
    sheet::print_setup(ws, 0)
}

fn problems(sheets: &mut Rolling, to: &Shared<'_>, b: &BatchResult<'_>) -> Result<(), XlsxError> {
    let f = to.f;
    for p in &b.validated.problems {
        let (ws, row) = sheets.line(to)?;
        sheet::text(ws, f, row, 0, p.code.id())?;
        sheet::text(ws, f, row, 1, p.code.name())?;
        sheet::text(
            ws,
            f,
            row,
            2,
            match p.severity {
                Severity::Error => "ошибка",
                Severity::Warning => "предупреждение",
            },
        )?;
        // The file's name: a path says where the specialist's folders are, not what the file is.
        let file = p.location.file();
        sheet::text(ws, f, row, 3, std::path::Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or(file))?;
        sheet::text(ws, f, row, 4, &p.location.reference())?;
        sheet::text(ws, f, row, 5, p.app_no.as_deref().unwrap_or_default())?;
        sheet::text(ws, f, row, 6, p.field.unwrap_or_default())?;
        sheet::text(ws, f, row, 7, &p.message)?;
        if let Some(g) = p.ground {
            sheet::text(ws, f, row, 8, &b.rules.service().grounds[&g].text_ru)?;
        }
        let (ru, kk) = crate::problem_words::applicant_text(p.code);
        sheet::text(ws, f, row, 9, kk)?;
        sheet::text(ws, f, row, 10, ru)?;
    }
    Ok(())
}

fn summary(ws: &mut Worksheet, f: &Formats, w: &Whole<'_>) -> Result<(), XlsxError> {
    let t = w.totals;
    let (by_program, by_type, by_district, total) = (&t.by_program, &t.by_type, &t.by_district, &t.all);
    let cols = [
        ("Түрі немесе аудан / Вид или район", 50.0),
        ("Өтінімдер / Заявок", 10.0),
        ("Мақұлданды / Одобрено", 10.0),
        ("Қабылданбады / Отклонено", 10.0),
        ("Өтінілген / Заявлено, ₸", 18.0),
        ("Мақұлданған / Одобрено, ₸", 18.0),
    ];
    let mut row = 0u32;
    for (title, groups, label) in [
        ("Бюджеттік бағдарламалар бойынша / По бюджетным программам", by_program, Label::Program),
        ("Субсидия түрлері бойынша / По видам субсидий", by_type, Label::Type),
        ("Аудандар бойынша / По районам", by_district, Label::Plain),
    ] {
        ws.write_string_with_format(row, 0, title, &f.bold)?;
        row += 1;
        sheet::header(ws, f, row, &cols)?;
        row += 1;
        for (key, t) in groups {
            let name = match label {
                Label::Type => format!("{key} {}", type_name(w.rules, key)),
                Label::Program => {
                    w.rules.budget.get(key).map_or_else(|| key.clone(), |p| format!("{key}: {}", p.name_ru))
                }
                Label::Plain => key.clone(),
            };
            sheet::text(ws, f, row, 0, &name)?;
            tally_row(ws, f, row, t, false)?;
            row += 1;
        }
        ws.write_string_with_format(row, 0, "Барлығы / Итого", &f.bold)?;
        tally_row(ws, f, row, total, true)?;
        row += 2;
    }
    ws.set_freeze_panes(0, 0)?;
    Ok(())
}

/// How the groups of a summary section are named.
#[derive(Clone, Copy)]
enum Label {
    Program,
    Type,
    Plain,
}

fn tally_row(ws: &mut Worksheet, f: &Formats, row: u32, t: &Tally, bold: bool) -> Result<(), XlsxError> {
    for (col, n) in [(1, t.count), (2, t.approved), (3, t.refused)] {
        ws.write_number(row, c(col), f64::from(n))?;
    }
    let fmt = if bold { &f.bold_money } else { &f.money };
    ws.write_number_with_format(row, 4, t.claimed.to_cell_value(), fmt)?;
    ws.write_number_with_format(row, 5, t.amount.to_cell_value(), fmt)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx, open_workbook_from_rs};

    /// Rows past a sheet's limit go on to `Позиции (2)` …, each with the header, none lost.
    #[test]
    fn full_sheets_go_on_in_numbered_sheets() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let rules = crate::rules::load(&root.join("rules")).map_err(|_| "rules").unwrap();
        let date = chrono::NaiveDate::from_ymd_opt(2025, 4, 30).unwrap();
        let ctx = crate::context::BatchContext {
            batch_date: date,
            created_at: date.and_hms_opt(0, 0, 0).unwrap(),
            draft: false,
            pdf: false,
        };
        let job = crate::pipeline::Job::decide_only(root.join("samples/2025-04/applications.xlsx"), None);
        let b = crate::pipeline::decide_batch(&job, &rules, &ctx, &crate::history::History::default()).unwrap();
        let totals = crate::totals::Totals::of(&b);
        let whole = Whole { ctx: &ctx, rules: &rules, queue: &b.queue, totals: &totals, inputs: &b.inputs };
        let read = |limit: u32| {
            let mut w = RegisterWriter::with_sheet_rows(&ctx, limit, None).unwrap();
            w.add(&b).unwrap();
            let bytes = w.finish(&whole).unwrap().save_to_buffer().unwrap();
            let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let names = book.sheet_names();
            let rows: Vec<(String, Vec<Vec<String>>)> = names
                .iter()
                .map(|n| {
                    let range = book.worksheet_range(n).unwrap();
                    (n.clone(), range.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect())
                })
                .collect();
            rows
        };
        let items: usize = b.applications().map(|a| a.items.len()).sum();
        // Sheets of a header and a third of the item rows: the items fill three.
        let per = items.div_ceil(3);
        assert!(items > 2 * per && per > b.applications().count(), "three items sheets, one register sheet");
        let limit = u32::try_from(per + 1).unwrap();
        let whole_sheets = read(SHEET_ROWS);
        let split = read(limit);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [REGISTER_SHEET, "Позиции", "Позиции (2)", "Позиции (3)", PROBLEMS_SHEET, SUMMARY_SHEET, QUEUE_SHEET]
        );
        let header = &whole_sheets[1].1[0];
        let mut joined = vec![header.clone()];
        for (_, rows) in &split[1..4] {
            assert_eq!(&rows[0], header, "each items sheet starts with the header");
            assert!(rows.len() <= limit as usize);
            joined.extend(rows[1..].iter().cloned());
        }
        assert_eq!(joined, whole_sheets[1].1, "the item rows, in order, none lost");
        assert_eq!(split[0], whole_sheets[0], "the register fits one sheet");
    }
}
