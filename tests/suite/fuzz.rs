//! A fuzz harness on stable Rust: proptest builds applications workbooks and CSV pairs from random
//! cell kinds, hostile text (control characters, bidirectional marks, formula prefixes, very long
//! strings) and structure (hidden sheets, merged and duplicated headers), runs the batch twice and
//! checks that it never panics, that every application row is a register row, that no output
//! cell is a formula or starts like one, and that the rerun writes the same bytes.
//!
//! `cargo test` runs 12 cases; `SUBSIDY_FUZZ_CASES=500 cargo test --test cli fuzz` runs more.

use std::path::Path;

use calamine::{Data, Reader as _, Xlsx};
use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

use crate::common::{root, stderr, subsidy};

const INPUT: &str = "tests/golden/csv-boundary/input";

/// A cell as the fuzzer writes it.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

#[derive(Debug, Clone)]
struct Row {
    number: Cell,
    name: Cell,
    tax_id: Cell,
    submitted: Cell,
    quantity: Cell,
    items: Vec<(Cell, Cell)>,
}

#[derive(Debug, Clone)]
struct Input {
    csv: bool,
    hidden_sheet: bool,
    merged_header: bool,
    duplicate_header: bool,
    rows: Vec<Row>,
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[А-Яа-яӘәҚқ «»]{1,24}",
        "[=+@\\-\t\r][A-Za-z(\"]{0,12}",
        "[\u{0}-\u{1f}][=+@\\-][A-Z]{1,8}",
        "[\u{200e}\u{200f}\u{202a}-\u{202e}\u{2066}-\u{2069}]{1,3}[А-Я=]{1,10}",
        "Ж{900,1200}",
        Just(String::new()),
    ]
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![hostile_text().prop_map(Cell::Text), (-5.0f64..2.0e14).prop_map(Cell::Number), Just(Cell::Empty),]
}

fn number() -> impl Strategy<Value = Cell> {
    prop_oneof![
        4 => (0u32..60).prop_map(|n| Cell::Text(format!("0070010050{n:04}"))),
        1 => (7_001_005_000_000u64..7_001_005_000_060).prop_map(|n| Cell::Number(n as f64)),
        1 => "[0-9A-Z]{10,16}".prop_map(Cell::Text),
        1 => Just(Cell::Empty),
    ]
}

fn date() -> impl Strategy<Value = Cell> {
    prop_oneof![
        3 => (1u32..28).prop_map(|d| Cell::Text(format!("{d:02}.12.2025 10:00:00"))),
        1 => (0.0f64..3.0e6).prop_map(Cell::Number),
        1 => cell(),
    ]
}

fn row() -> impl Strategy<Value = Row> {
    (
        number(),
        prop_oneof![3 => "[А-Я][а-я]{2,10}".prop_map(|s| Cell::Text(format!("КХ «{s}»"))), 2 => cell()],
        prop_oneof![3 => Just(Cell::Text("871008401427".into())), 1 => cell()],
        date(),
        prop_oneof![(0u32..4).prop_map(|n| Cell::Text(n.to_string())), cell()],
        prop::collection::vec((prop_oneof![Just(Cell::Text("20".into())), cell()], cell()), 0..3),
    )
        .prop_map(|(number, name, tax_id, submitted, quantity, items)| Row {
            number,
            name,
            tax_id,
            submitted,
            quantity,
            items,
        })
}

fn input() -> impl Strategy<Value = Input> {
    (any::<bool>(), any::<bool>(), any::<bool>(), prop::bool::weighted(0.15), prop::collection::vec(row(), 1..6))
        .prop_map(|(csv, hidden_sheet, merged_header, duplicate_header, rows)| Input {
            csv,
            hidden_sheet,
            merged_header,
            duplicate_header,
            rows,
        })
}

/// The template rows: the boundary fixture's header and first row, as `;`-separated fields.
fn template(file: &str) -> (Vec<String>, Vec<String>) {
    let text = fs_err::read_to_string(root().join(INPUT).join(file)).unwrap();
    let mut lines = text.lines();
    let split = |l: &str| l.split(';').map(str::to_owned).collect::<Vec<_>>();
    (split(lines.next().unwrap()), split(lines.next().unwrap()))
}

/// The sheets' rows: `(header, rows)` for applications and items, every row a list of cells.
fn tables(input: &Input) -> [(Vec<String>, Vec<Vec<Cell>>); 2] {
    let (ah, av) = template("applications.csv");
    let (ih, iv) = template("items.csv");
    let col = |h: &[String], name: &str| h.iter().position(|x| x == name).unwrap();
    let mut apps = Vec::new();
    let mut items = Vec::new();
    for r in &input.rows {
        let mut a: Vec<Cell> = av.iter().map(|v| Cell::Text(v.clone())).collect();
        a[col(&ah, "Номер заявки")] = r.number.clone();
        a[col(&ah, "Наименование заявителя")] = r.name.clone();
        a[col(&ah, "ИИН/БИН")] = r.tax_id.clone();
        a[col(&ah, "Дата подачи")] = r.submitted.clone();
        a[col(&ah, "Количество")] = r.quantity.clone();
        apps.push(a);
        for (age, price) in &r.items {
            let mut i: Vec<Cell> = iv.iter().map(|v| Cell::Text(v.clone())).collect();
            i[col(&ih, "Номер заявки")] = r.number.clone();
            i[col(&ih, "Возраст, мес")] = age.clone();
            i[col(&ih, "Цена")] = price.clone();
            items.push(i);
        }
    }
    let mut ah = ah;
    if input.duplicate_header {
        ah.push("Номер заявки".into());
        for a in &mut apps {
            a.push(Cell::Text("00700100500099".into()));
        }
    }
    [(ah, apps), (ih, items)]
}

fn csv_text((header, rows): &(Vec<String>, Vec<Vec<Cell>>)) -> String {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r.iter().map(|c| match c {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }))
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn write_workbook(path: &Path, input: &Input) {
    let mut wb = Workbook::new();
    let [apps, items] = tables(input);
    for (name, (header, rows)) in [("Заявки", &apps), ("Позиции", &items)] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        // A title row above a merged header, as the state system writes it.
        let top = u32::from(input.merged_header);
        if input.merged_header {
            ws.merge_range(0, 0, 0, 3, "Реестр заявок", &Format::new()).unwrap();
        }
        for (c, h) in header.iter().enumerate() {
            ws.write_string(top, c as u16, h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (top + 1 + r as u32, c as u16);
                match cell {
                    Cell::Text(t) => {
                        ws.write_string(r, c, t).unwrap();
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    if input.hidden_sheet {
        let ws = wb.add_worksheet().set_name("Скрытый").unwrap();
        ws.write_string(0, 0, "Номер заявки").unwrap();
        ws.set_hidden(true);
    }
    wb.save(path).unwrap();
}

/// No output cell is a formula other than the payment lists' own control sums, and no text cell
/// starts like one.
fn no_formula_like_cells(out: &Path) -> Result<(), String> {
    for e in fs_err::read_dir(out).unwrap().flatten() {
        let path = e.path();
        match path.extension().and_then(|x| x.to_str()) {
            Some("xlsx") => {
                let mut wb: Xlsx<_> = calamine::open_workbook(&path).map_err(|e: calamine::XlsxError| e.to_string())?;
                for sheet in wb.sheet_names() {
                    let formulas = wb.worksheet_formula(&sheet).map_err(|e| e.to_string())?;
                    for f in formulas.used_cells().map(|(_, _, f)| f).filter(|f| !f.is_empty()) {
                        if !(f.starts_with("SUM(H") && f.ends_with(')')) {
                            return Err(format!("{}: formula `{f}`", path.display()));
                        }
                    }
                    let cells = wb.worksheet_range(&sheet).map_err(|e| e.to_string())?;
                    for (_, _, c) in cells.used_cells() {
                        if let Data::String(s) = c
                            && s.starts_with(['=', '+', '-', '@'])
                        {
                            return Err(format!("{} {sheet}: cell `{s}`", path.display()));
                        }
                    }
                }
            }
            Some("csv") => {
                let text = fs_err::read_to_string(&path).unwrap();
                let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
                for rec in r.records() {
                    let rec = rec.map_err(|e| e.to_string())?;
                    if let Some(f) = rec.iter().find(|f| f.starts_with(['=', '+', '-', '@', '\t', '\r'])) {
                        return Err(format!("{}: field `{f}`", path.display()));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("SUBSIDY_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_input_is_decided_accounted_for_safe_and_the_same_twice(input in input()) {
        let dir = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = vec!["run".into(), "--no-ledger".into(), "--batch-date".into(), "2025-12-31".into()];
        if input.csv {
            let [apps, items] = tables(&input);
            let (a, i) = (dir.path().join("a.csv"), dir.path().join("i.csv"));
            fs_err::write(&a, csv_text(&apps)).unwrap();
            fs_err::write(&i, csv_text(&items)).unwrap();
            args.extend(["--applications".into(), a.display().to_string(), "--items".into(), i.display().to_string()]);
        } else {
            let w = dir.path().join("apps.xlsx");
            write_workbook(&w, &input);
            args.extend(["--applications".into(), w.display().to_string()]);
        }
        let mut outputs = Vec::new();
        for k in 0..2 {
            let out = dir.path().join(format!("out{k}"));
            let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
            let out_s = out.display().to_string();
            a.extend(["--out", out_s.as_str()]);
            let o = subsidy(&a);
            let err = stderr(&o);
            prop_assert!(!err.contains("panicked"), "panic: {err}");
            if input.duplicate_header {
                prop_assert_eq!(o.status.code(), Some(4), "a duplicated column is an error: {}", err);
                prop_assert!(err.contains("two columns are `app_no`"), "{}", err);
                return Ok(());
            }
            prop_assert_eq!(o.status.code(), Some(0), "{}", err);
            // Every application row is a register row.
            let register = crate::common::sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
            prop_assert_eq!(register.lines().count() - 1, input.rows.len(), "{}", register);
            no_formula_like_cells(&out).map_err(TestCaseError::fail)?;
            outputs.push((fs_err::read(out.join("decisions.xlsx")).unwrap(), fs_err::read(out.join("manifest.json")).unwrap()));
        }
        prop_assert!(outputs[0] == outputs[1], "a rerun writes the same bytes");
    }
}
