//! Writing the sample as an Excel user would have it.

use anyhow::Context as _;
use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use super::{Cell, SampleApp, generate, processing};
use crate::cli::{SampleArgs, SampleService};
use crate::ingest::fields::{APPLICATION_FIELDS, Field, ITEM_FIELDS};

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
            ws.write_string(row, col, d.format("%d.%m.%Y").to_string())?;
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

/// Builds the sample workbook in memory.
fn workbook(apps: &[SampleApp], month: NaiveDate, layout: &Layout) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&month).set_title("Заявки на субсидии (пример)"));
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("Заявки")?;
    let last_col = u16::try_from(layout.apps.len() - 1)?;
    ws.merge_range(0, 0, 0, last_col, layout.title, &bold)?;
    ws.write_string(1, 0, format!("Карагандинская область, {} (пример для проверки subsidy)", month.format("%m.%Y")))?;
    for (c, f) in layout.apps.iter().enumerate() {
        ws.write_string_with_format(3, u16::try_from(c)?, header(f), &bold)?;
        ws.set_column_width(u16::try_from(c)?, 16)?;
    }
    let mut row = 4u32;
    let district_col = col(&layout.apps, "district");
    for (i, a) in apps.iter().enumerate() {
        if i == 20 {
            row += 1; // a blank row left by hand
        }
        if i == 30 {
            ws.set_row_hidden(row)?; // a hidden row is still an application
        }
        for (key, cell) in &a.cells {
            // Two applications from one district share a vertically merged district cell.
            if i == 41 && *key == "district" {
                continue;
            }
            put(ws, row, col(&layout.apps, key), cell, false)?;
        }
        if i == 41
            && let Some((_, Cell::Text(d))) = apps[40].cells.iter().find(|(k, _)| *k == "district")
        {
            ws.merge_range(row - 1, district_col, row, district_col, d, &Format::new())?;
        }
        row += 1;
    }
    let ws = wb.add_worksheet().set_name(layout.items_sheet)?;
    for (c, f) in layout.items.iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(c)?, header(f), &bold)?;
        ws.set_column_width(u16::try_from(c)?, 14)?;
    }
    let mut row = 1u32;
    for a in apps {
        for item in &a.items {
            for (key, cell) in item {
                put(ws, row, col(&layout.items, key), cell, row % 7 == 3)?;
            }
            row += 1;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// The applications as the state system exports its register: three title rows, an empty row,
/// the header on row 5 with `Дата поступления` merged over B–D, text dates, whole tenge.
pub fn register(apps: &[SampleApp]) -> anyhow::Result<Vec<u8>> {
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
    for (i, a) in apps.iter().enumerate() {
        let row = 5 + u32::try_from(i)?;
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
            Some(Cell::DateTime(t)) => t.format("%d.%m.%Y %H:%M:%S").to_string(),
            Some(Cell::Text(t)) => t,
            _ => String::new(),
        };
        let quantity: f64 = match get(a, "quantity") {
            Some(Cell::Number(q)) => q,
            _ => 0.0,
        };
        let norm = super::rate_2025(&code);
        ws.write_string(row, 0, (i + 1).to_string())?;
        ws.write_string(row, 1, submitted)?;
        ws.write_string(row, 4, "Карагандинская область")?;
        ws.write_string(row, 5, "ГУ \"Управление сельского хозяйства и земельных отношений Карагандинской области\"")?;
        if let Some(Cell::Text(no)) = get(a, "app_no") {
            ws.write_string(row, 6, no)?;
        }
        ws.write_string(row, 7, "Животноводство")?;
        ws.write_string(row, 8, format!("Заявка на получение субсидий, вид {code}"))?;
        ws.write_string(row, 9, status)?;
        #[allow(clippy::cast_precision_loss, clippy::float_arithmetic)]
        {
            ws.write_number(row, 10, norm as f64)?;
            ws.write_number(row, 11, (quantity * norm as f64).round())?;
        }
        if let Some(Cell::Text(d)) = get(a, "district") {
            ws.write_string(row, 12, d)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// `subsidy sample`.
pub fn write_sample(args: &SampleArgs) -> anyhow::Result<()> {
    let month = NaiveDate::parse_from_str(&format!("{}-01", args.month), "%Y-%m-%d")
        .with_context(|| format!("`--month` must be `YYYY-MM`, found `{}`", args.month))?;
    if args.mistake_share > 100 {
        anyhow::bail!("`--mistake-share` is a percentage, 0-100, found {}", args.mistake_share);
    }
    let apps = match args.service {
        SampleService::Livestock => {
            generate(month, args.count.unwrap_or(170), args.seed, args.with_mistakes, args.mistake_share)
        }
        SampleService::Processing => {
            if args.mistake_share > 0 || args.register_out.is_some() {
                anyhow::bail!("`--mistake-share` and `--register-out` are for the livestock service only");
            }
            processing::generate(month, args.count.unwrap_or(30), args.seed, args.with_mistakes)
        }
    };
    let bytes = workbook(&apps, month, &Layout::of(args.service))?;
    if let Some(dir) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs_err::create_dir_all(dir)?;
    }
    fs_err::write(&args.out, bytes)?;
    if let Some(path) = &args.register_out {
        fs_err::write(path, register(&apps)?)?;
        eprintln!("wrote {} (register layout)", path.display());
    }
    let items: usize = apps.iter().map(|a| a.items.len()).sum();
    eprintln!("wrote {} ({} applications, {} item rows)", args.out.display(), apps.len(), items);
    Ok(())
}
