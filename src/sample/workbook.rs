//! Writing the sample as an Excel user would have it.

use anyhow::Context as _;
use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

#[cfg(test)]
use super::applications;
use super::args::{SampleArgs, SampleService};
use super::{Cell, SampleApp, processing};
use crate::catalogue::{APPLICATION_FIELDS, Field, ITEM_FIELDS};
use crate::domain::date::{dmy, dmy_hms};

/// Which columns the sample's two sheets have, and the name of the second.
struct Layout {
    title: &'static str,
    items_sheet: &'static str,
    apps: Vec<&'static Field>,
    items: Vec<&'static Field>,
}

impl Layout {
    fn of(service: SampleService) -> Layout {
        let by_key = |fields: &'static [Field], keys: &[&str]| -> Vec<&'static Field> {
            keys.iter().filter_map(|k| fields.iter().find(|f| f.key == *k)).collect()
        };
        match service {
            SampleService::Livestock => Layout {
                title: "Реестр заявок на получение субсидий / Субсидия алуға арналған өтінімдер тізілімі",
                items_sheet: "Позиции",
                apps: APPLICATION_FIELDS.iter().filter(|f| !processing::ONLY_PROCESSING.contains(&f.key)).collect(),
                items: ITEM_FIELDS.iter().filter(|f| !processing::ONLY_PROCESSING.contains(&f.key)).collect(),
            },
            SampleService::Processing => Layout {
                title: "Заявки перерабатывающих предприятий на субсидии / Өңдеуші кәсіпорындардың субсидияға өтінімдері",
                items_sheet: "Закуп",
                apps: by_key(APPLICATION_FIELDS, &processing::APPLICATION_COLUMNS),
                items: by_key(ITEM_FIELDS, &processing::PURCHASE_COLUMNS),
            },
        }
    }
}

/// The header each field gets in the sample: its first alias (Russian), as real exports have.
fn header(f: &Field) -> &'static str {
    match f.key {
        "tax_id" => "ИИН / БИН",
        "submitted_at" => "Дата  подачи",
        _ => f.aliases.first().copied().unwrap_or(f.key),
    }
}

fn excel_date(d: NaiveDate) -> anyhow::Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(
        u16::try_from(chrono::Datelike::year(&d))?,
        u8::try_from(chrono::Datelike::month(&d))?,
        u8::try_from(chrono::Datelike::day(&d))?,
    )?)
}

fn put(ws: &mut Worksheet, row: u32, col: u16, cell: &Cell, as_text_date: bool) -> anyhow::Result<()> {
    let date_fmt = Format::new().set_num_format("dd.mm.yyyy");
    let dt_fmt = Format::new().set_num_format("dd.mm.yyyy hh:mm:ss");
    match cell {
        Cell::Text(t) => {
            ws.write_string(row, col, t)?;
        }
        Cell::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Cell::Date(d) if as_text_date => {
            ws.write_string(row, col, dmy(*d))?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, col, excel_date(*d)?, &date_fmt)?;
        }
        Cell::DateTime(t) => {
            let dt = excel_date(t.date())?.and_hms(
                u16::try_from(chrono::Timelike::hour(t))?,
                u8::try_from(chrono::Timelike::minute(t))?,
                u8::try_from(chrono::Timelike::second(t))?,
            )?;
            ws.write_datetime_with_format(row, col, dt, &dt_fmt)?;
        }
    }
    Ok(())
}

fn col(fields: &[&Field], key: &str) -> u16 {
    u16::try_from(fields.iter().position(|f| f.key == key).expect("sample uses the layout's keys")).unwrap_or(0)
}

/// How the sample workbook is written.
struct Limits {
    /// Above this many applications the sample is written in constant memory: rows go to
    /// temporary files as they are made and strings are stored inline rather than in a shared
    /// table (both are valid XLSX and read the same).
    constant_memory_above: usize,
    /// Rows in a sheet.
    max_rows: usize,
}

const LIMITS: Limits = Limits { constant_memory_above: 50_000, max_rows: 1 << 20 };

/// Writes the sample workbook to `path`, one application at a time.
fn write_workbook(
    apps: impl Iterator<Item = SampleApp>,
    count: usize,
    month: NaiveDate,
    layout: &Layout,
    path: &std::path::Path,
    limits: &Limits,
) -> anyhow::Result<(usize, usize)> {
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&month).set_title("Заявки на субсидии (пример)"));
    // The two sheets are filled side by side, so neither can be borrowed from the workbook.
    let (mut ws, mut items_ws) = if count > limits.constant_memory_above {
        (wb.new_worksheet_with_constant_memory()?, wb.new_worksheet_with_constant_memory()?)
    } else {
        (Worksheet::new(), Worksheet::new())
    };
    let bold = Format::new().set_bold();
    ws.set_name("Заявки")?;
    let last_col = u16::try_from(layout.apps.len() - 1)?;
    ws.merge_range(0, 0, 0, last_col, layout.title, &bold)?;
    ws.write_string(1, 0, format!("Карагандинская область, {} (пример для проверки subsidy)", month.format("%m.%Y")))?;
    for (c, f) in layout.apps.iter().enumerate() {
        ws.write_string_with_format(3, u16::try_from(c)?, header(f), &bold)?;
        ws.set_column_width(u16::try_from(c)?, 16)?;
    }
    items_ws.set_name(layout.items_sheet)?;
    for (c, f) in layout.items.iter().enumerate() {
        items_ws.write_string_with_format(0, u16::try_from(c)?, header(f), &bold)?;
        items_ws.set_column_width(u16::try_from(c)?, 14)?;
    }
    let (mut row, mut item_row, mut n) = (4u32, 1u32, 0usize);
    let district_col = col(&layout.apps, "district");
    for (i, a) in apps.enumerate() {
        if i == 20 {
            row += 1; // a blank row left by hand
        }
        if i == 30 {
            ws.set_row_hidden(row)?; // a hidden row is still an application
        }
        for (key, cell) in &a.cells {
            // Two applications from one district share a vertically merged district cell: the
            // 41st's district is the 40th's, merged over both rows.
            if *key == "district"
                && let (40, Cell::Text(d)) = (i, cell)
            {
                ws.merge_range(row, district_col, row + 1, district_col, d, &Format::new())?;
                continue;
            }
            if i == 41 && *key == "district" {
                continue;
            }
            put(&mut ws, row, col(&layout.apps, key), cell, false)?;
        }
        row += 1;
        if item_row as usize + a.items.len() > limits.max_rows {
            anyhow::bail!(
                "application {} would not fit: a sheet holds at most {} rows (Excel's limit), and the `{}` sheet has {} item rows\n  hint: about 60 000 applications fill it; for more, make several files (different `--seed`s)",
                i + 1,
                limits.max_rows,
                layout.items_sheet,
                item_row - 1
            );
        }
        for item in &a.items {
            for (key, cell) in item {
                put(&mut items_ws, item_row, col(&layout.items, key), cell, item_row % 7 == 3)?;
            }
            item_row += 1;
        }
        n += 1;
    }
    wb.push_worksheet(ws);
    wb.push_worksheet(items_ws);
    wb.save(path)?;
    Ok((n, (item_row - 1) as usize))
}

/// Register rows per printed page of the export: the last row of each is split over the break.
const PAGE_ROWS: usize = 37;

/// A register cell as the export writes it.
enum RegisterCell {
    Text(String),
    Number(f64),
}

/// The applications as the state system exports its register: three title rows, an empty row,
/// the header on row 5 with `Дата поступления` merged over B–D, text dates, whole tenge.
pub(super) fn register(apps: &[SampleApp]) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&NaiveDate::from_ymd_opt(2026, 3, 19).unwrap_or_default()),
    );
    let ws = wb.add_worksheet().set_name("Page 1")?;
    ws.write_string(0, 3, "Құжат субсидиялау ақпараттық жүйесімен (subsidy.plem.kz) құрылған \nДокумент сформирован информационной системой субсидирования (subsidy.plem.kz)")?;
    ws.write_string(1, 0, "Реестр заявок ")?;
    ws.write_string(2, 0, "Данные были получены системой ИСС 19.03.2026 года")?;
    let headers = [
        "№ п/п",
        "Дата поступления",
        "",
        "",
        "Область",
        "Акимат",
        "Номер заявки",
        "Направление водства",
        "Наименование субсидирования",
        "Статус заявки",
        "Норматив",
        "Причитающая сумма",
        "Район хозяйства",
    ];
    for (c, h) in headers.iter().enumerate() {
        if !h.is_empty() {
            ws.write_string(4, u16::try_from(c)?, *h)?;
        }
    }
    ws.merge_range(4, 1, 4, 3, "Дата поступления", &Format::new())?;
    let get = |a: &SampleApp, key: &str| a.cells.iter().find(|(k, _)| *k == key).map(|(_, c)| c.clone());
    let mut shift = 0u32;
    for (i, a) in apps.iter().enumerate() {
        let row = 5 + u32::try_from(i)? + shift;
        let code = match get(a, "type_code") {
            Some(Cell::Text(t)) => t,
            _ => String::new(),
        };
        let status = match i % 40 {
            0..=2 => "Отклонена",
            3 | 4 => "Отозвано",
            5 => "Получена",
            6..=14 => "Одобрена",
            15..=17 => "Сформировано поручение",
            _ => "Исполнена",
        };
        let submitted = match get(a, "submitted_at") {
            Some(Cell::DateTime(t)) => dmy_hms(t),
            Some(Cell::Text(t)) => t,
            _ => String::new(),
        };
        let quantity: f64 = match get(a, "quantity") {
            Some(Cell::Number(q)) => q,
            _ => 0.0,
        };
        let date = match get(a, "submitted_at") {
            Some(Cell::DateTime(t)) => Some(t.date()),
            Some(Cell::Text(t)) => {
                chrono::NaiveDateTime::parse_from_str(&t, "%d.%m.%Y %H:%M:%S").ok().map(|t| t.date())
            }
            _ => None,
        };
        let region = match get(a, "region") {
            Some(Cell::Text(t)) => t,
            _ => String::new(),
        };
        let key = super::types::REGIONS.iter().find(|r| r.1 == region).map_or("karaganda", |r| r.0);
        let norm = date.and_then(|d| super::types::regional_normative(&code, key, d));
        let claimed: f64 = match get(a, "amount_claimed") {
            Some(Cell::Number(n)) => n,
            Some(Cell::Text(t)) => t.replace(['\u{a0}', '\u{202f}', ' '], "").replace(',', ".").parse().unwrap_or(0.0),
            _ => 0.0,
        };
        let mut cells: Vec<(u16, RegisterCell)> = vec![
            (0, RegisterCell::Text((i + 1).to_string())),
            (1, RegisterCell::Text(submitted)),
            (4, RegisterCell::Text(region.clone())),
            (5, RegisterCell::Text("ГУ \"Управление сельского хозяйства\"".into())),
            (7, RegisterCell::Text("Животноводство".into())),
            (8, RegisterCell::Text(format!("Заявка на получение субсидий, вид {code}"))),
            (9, RegisterCell::Text(status.into())),
        ];
        if let Some(Cell::Text(no)) = get(a, "app_no") {
            cells.push((6, RegisterCell::Text(no)));
        }
        #[allow(clippy::cast_precision_loss, clippy::float_arithmetic)]
        match norm {
            Some(norm) => {
                cells.push((10, RegisterCell::Number(norm as f64)));
                cells.push((11, RegisterCell::Number((quantity * norm as f64).round())));
            }
            None => cells.push((11, RegisterCell::Number(claimed.round()))),
        }
        if let Some(Cell::Text(d)) = get(a, "district") {
            cells.push((12, RegisterCell::Text(d)));
        }
        // At a page break the export spreads a row over two: each cell merged with the empty row
        // under it.
        let page_break = i % PAGE_ROWS == PAGE_ROWS - 1;
        for (c, v) in &cells {
            if page_break {
                let text = match v {
                    RegisterCell::Text(t) => t.clone(),
                    RegisterCell::Number(_) => String::new(),
                };
                ws.merge_range(row, *c, row + 1, *c, &text, &Format::new())?;
            }
            match v {
                RegisterCell::Text(t) => ws.write_string(row, *c, t)?,
                RegisterCell::Number(n) => ws.write_number(row, *c, *n)?,
            };
        }
        if page_break {
            shift += 1;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// One stream of applications cut into workbooks of `per` applications: numbers, animals and
/// invoices stay unique across the files, as in one workbook.
fn write_parts(
    mut apps: impl Iterator<Item = SampleApp>,
    count: usize,
    per: usize,
    month: NaiveDate,
    layout: &Layout,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    if per == 0 {
        anyhow::bail!("`--per-file` must be at least 1");
    }
    let parts = count.div_ceil(per);
    let width = parts.to_string().len().max(2);
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    for k in 0..parts {
        let n = per.min(count - k * per);
        let path = out.with_file_name(format!("{stem}-{:0width$}.xlsx", k + 1));
        let (a, i) = write_workbook(apps.by_ref().take(n), n, month, layout, &path, &LIMITS)?;
        eprintln!("wrote {} ({a} applications, {i} item rows)", path.display());
    }
    Ok(())
}

/// `subsidy sample`.
pub fn write_sample(args: &SampleArgs) -> anyhow::Result<()> {
    let month = NaiveDate::parse_from_str(&format!("{}-01", args.month), "%Y-%m-%d")
        .with_context(|| format!("`--month` must be `YYYY-MM`, found `{}`", args.month))?;
    if args.mistake_share > 100 {
        anyhow::bail!("`--mistake-share` is a percentage, 0-100, found {}", args.mistake_share);
    }
    let layout = Layout::of(args.service);
    let finish = |(apps, items): (usize, usize)| -> anyhow::Result<()> {
        eprintln!("wrote {} ({apps} applications, {items} item rows)", args.out.display());
        Ok(())
    };
    if let Some(dir) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs_err::create_dir_all(dir)?;
    }
    let (apps, items) = match args.service {
        SampleService::Livestock => {
            let count = args.count.unwrap_or(170);
            let span = super::Span { months: args.months, mix: args.mix, all_regions: args.all_regions };
            let apps = super::applications_over(month, span, count, args.seed, args.with_mistakes, args.mistake_share);
            if let Some(per) = args.per_file.filter(|&p| count > p) {
                if args.register_out.is_some() {
                    anyhow::bail!("`--register-out` writes one register: it cannot be used with `--per-file`");
                }
                return write_parts(apps, count, per, month, &layout, &args.out);
            }
            let Some(path) = &args.register_out else {
                return finish(write_workbook(apps, count, month, &layout, &args.out, &LIMITS)?);
            };
            // The register layout needs every application at once: generated once, kept for both.
            let apps: Vec<SampleApp> = apps.collect();
            fs_err::write(path, register(&apps)?)?;
            eprintln!("wrote {} (register layout)", path.display());
            write_workbook(apps.into_iter(), count, month, &layout, &args.out, &LIMITS)?
        }
        SampleService::Processing => {
            if args.mistake_share > 0 || args.register_out.is_some() {
                anyhow::bail!("`--mistake-share` and `--register-out` are for the livestock service only");
            }
            let count = args.count.unwrap_or(30);
            let apps = processing::generate(month, count, args.seed, args.with_mistakes);
            write_workbook(apps.into_iter(), count, month, &layout, &args.out, &LIMITS)?
        }
    };
    finish((apps, items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_pair;

    fn month() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 4, 1).unwrap()
    }

    /// A large sample is written in constant memory; it reads back cell for cell as the same
    /// sample written the ordinary way.
    #[test]
    fn constant_memory_sample_reads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::of(SampleService::Livestock);
        let write = |name: &str, above: usize| {
            let path = dir.path().join(name);
            let limits = Limits { constant_memory_above: above, max_rows: 1 << 20 };
            let n = write_workbook(applications(month(), 60, 3, true, 0), 60, month(), &layout, &path, &limits);
            assert_eq!(n.unwrap().0, 60);
            read_pair(&path, None).unwrap()
        };
        let (a1, i1) = write("plain.xlsx", 1000);
        let (a2, i2) = write("streamed.xlsx", 10);
        assert_eq!(a1.columns, a2.columns);
        assert_eq!(i1.rows.len(), i2.rows.len());
        for (x, y) in a1.rows.iter().zip(&a2.rows).chain(i1.rows.iter().zip(&i2.rows)) {
            assert_eq!((x.row, &x.cells), (y.row, &y.cells));
        }
    }

    #[test]
    fn a_sample_beyond_the_row_limit_names_the_application_that_did_not_fit() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits { constant_memory_above: 10, max_rows: 100 };
        let layout = Layout::of(SampleService::Livestock);
        let path = dir.path().join("big.xlsx");
        let e = write_workbook(applications(month(), 60, 3, false, 0), 60, month(), &layout, &path, &limits)
            .unwrap_err()
            .to_string();
        assert!(e.contains("would not fit: a sheet holds at most 100 rows") && e.contains("`Позиции`"), "{e}");
        assert!(!path.exists());
    }
}
