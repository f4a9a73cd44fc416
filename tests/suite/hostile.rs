//! Hostile and damaged inputs: every row is accounted for, nothing is guessed, sheets are chosen
//! explicitly, and text can never become a formula downstream. Each test makes its fixture.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook};

use crate::common::{assert_exit, root, sheet_tsv, stderr, subsidy};

const INPUT: &str = "tests/golden/csv-boundary/input";

/// The boundary CSV pair with `edit` applied to the applications file, run into `out`.
fn run_csv(dir: &Path, edit: impl Fn(String) -> String) -> (std::process::Output, PathBuf) {
    let apps = fs_err::read_to_string(root().join(INPUT).join("applications.csv")).unwrap();
    let (a, i, out) = (dir.join("a.csv"), dir.join("i.csv"), dir.join("out"));
    fs_err::write(&a, edit(apps)).unwrap();
    fs_err::copy(root().join(INPUT).join("items.csv"), &i).unwrap();
    let o = subsidy(&[
        "run",
        "--no-ledger",
        "--applications",
        a.to_str().unwrap(),
        "--items",
        i.to_str().unwrap(),
        "--batch-date",
        "2025-12-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    (o, out)
}

fn register(out: &Path) -> Vec<Vec<String>> {
    sheet_tsv(&out.join("decisions.xlsx"), "Реестр")
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn every_row_is_a_register_row_even_with_an_unreadable_or_repeated_number() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = run_csv(dir.path(), |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
        // Row 3 gets 15 digits, row 4 letters; row 2 is repeated at the end.
        lines[2] = lines[2].replacen("00700100500002", "007001005000021", 1);
        lines[3] = lines[3].replacen("00700100500003", "00700100500ABC", 1);
        let again = lines[1].clone();
        lines.push(again);
        lines.join("\n") + "\n"
    });
    assert_exit(&o, 0);
    let rows = register(&out);
    assert_eq!(rows.len(), 8, "seven rows and the repeat, each a register row");
    assert!(stderr(&o).contains("8 applications"), "{}", stderr(&o));
    for (number, code) in [
        ("007001005000021 (a.csv:3)", "I006"),
        ("00700100500ABC (a.csv:4)", "I006"),
        ("00700100500001 (a.csv:9)", "I004"),
    ] {
        let row = rows.iter().find(|r| r[1] == number).unwrap_or_else(|| panic!("no row for {number}: {rows:?}"));
        assert_eq!(row[8], "Отклонена", "{row:?}");
        assert!(row.iter().any(|c| c.contains(code)), "{code} in {row:?}");
    }
    let notices = fs_err::read_dir(out.join("notices")).unwrap().count();
    assert_eq!(notices, 8 + 1, "a notice for every row, and the index");
}

#[test]
fn a_stray_quote_in_a_csv_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = run_csv(dir.path(), |t| t.replacen("КХ «Береке»", "\"КХ «Береке»", 1));
    assert_exit(&o, 4);
    assert!(stderr(&o).contains("line 3:") && stderr(&o).contains("quote"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn values_are_read_as_written_never_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = run_csv(dir.path(), |t| {
        t.replacen("00700100500002;", "0700100500002;", 1) // 13 digits typed as text
            .replacen(";871008401427;", ";71008401427;", 1) // an IIN without its zero, as text
    });
    assert_exit(&o, 0);
    let rows = register(&out);
    let row =
        rows.iter().find(|r| r[1].starts_with("0700100500002 (")).expect("the 13-digit number is kept as written");
    assert_eq!(row[8], "Отклонена");
    assert!(!rows.iter().any(|r| r[1] == "00700100500002"), "no number was padded");
    let problems = sheet_tsv(&out.join("decisions.xlsx"), "Ошибки ввода");
    assert!(!problems.contains("I002"), "no zero restored in text: {problems}");
}

#[test]
fn counts_are_whole_and_dates_lie_in_sane_years() {
    let dir = tempfile::tempdir().unwrap();
    let (a, out) = (dir.path().join("apps.xlsx"), dir.path().join("out"));
    assert_exit(
        &subsidy(&["sample", "--out", a.to_str().unwrap(), "--count", "5", "--seed", "3", "--month", "2025-04"]),
        0,
    );
    // The sample's first application: half a head, and a submission on Excel's serial 60.
    let mut wb = calamine::open_workbook::<calamine::Xlsx<_>, _>(&a).unwrap();
    use calamine::Reader as _;
    let apps = wb.worksheet_range("Заявки").unwrap();
    let items = wb.worksheet_range("Позиции").unwrap();
    let header = |r: &calamine::Range<calamine::Data>, name: &str| {
        let rows: Vec<_> = r.rows().collect();
        let (hr, c) = rows
            .iter()
            .enumerate()
            .find_map(|(i, row)| row.iter().position(|c| *c == name).map(|c| (i, c)))
            .unwrap_or_else(|| panic!("no header {name}"));
        (hr, c)
    };
    let mut out_wb = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy hh:mm:ss");
    let (sub_row, sub_col) = header(&apps, "Дата  подачи");
    for (name, range) in [("Заявки", &apps), ("Позиции", &items)] {
        let ws = out_wb.add_worksheet().set_name(name).unwrap();
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    calamine::Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()).unwrap(),
                    calamine::Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()).unwrap(),
                    calamine::Data::DateTime(d) => {
                        ws.write_number_with_format(r, c, d.as_f64(), &date).map(|_| ()).unwrap()
                    }
                    calamine::Data::Empty => {}
                    other => ws.write_string(r, c, other.to_string()).map(|_| ()).unwrap(),
                }
            }
        }
        if name == "Заявки" {
            ws.write_number_with_format(sub_row as u32 + 1, sub_col as u16, 60.0, &date).unwrap();
        } else {
            let (hr, c) = header(&items, "Количество голов");
            ws.write_number(hr as u32 + 1, c as u16, 1.5).unwrap();
        }
    }
    let bad = dir.path().join("bad.xlsx");
    out_wb.save(&bad).unwrap();
    let o = subsidy(&[
        "run",
        "--no-ledger",
        "--applications",
        bad.to_str().unwrap(),
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let problems = sheet_tsv(&out.join("decisions.xlsx"), "Ошибки ввода");
    assert!(problems.contains("whole number"), "1.5 heads is not a count: {problems}");
    assert!(problems.contains("is outside 1990–2100"), "serial 60 is not a submission date: {problems}");
}

#[test]
fn control_characters_cannot_hide_a_formula_and_long_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let long = "Ж".repeat(100_000);
    let (o, out) = run_csv(dir.path(), |t| {
        t.replacen("КХ «Ақжол»", "\u{0}=HYPERLINK(\"http://x\")", 1).replacen("КХ «Береке»", &long, 1)
    });
    assert_exit(&o, 0);
    let rows = register(&out);
    let by_no = |no: &str| rows.iter().find(|r| r[1] == no).unwrap().clone();
    assert_eq!(by_no("00700100500001")[8], "Отклонена", "a NUL before `=` is removed, and the name refused");
    assert!(by_no("00700100500001").iter().any(|c| c.contains("V019")));
    assert_eq!(by_no("00700100500002")[8], "Отклонена", "100 000 characters are not a name");
    let csv = fs_err::read_to_string(out.join("payments-livestock.csv")).unwrap_or_default();
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@']), "formula-like cell in the CSV twin: {cell}");
        }
    }
}

/// A workbook of sheets `(name, hidden, header)` with one data row each.
fn workbook(path: &Path, sheets: &[(&str, bool, &[&str])]) {
    let mut wb = Workbook::new();
    for (name, hidden, header) in sheets {
        let ws = wb.add_worksheet().set_name(*name).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
            ws.write_string(1, c as u16, "00700100500001").unwrap();
        }
        if *hidden {
            ws.set_hidden(true);
        }
    }
    wb.save(path).unwrap();
}

fn run_workbook(path: &Path, out: &Path) -> std::process::Output {
    subsidy(&[
        "run",
        "--no-ledger",
        "--applications",
        path.to_str().unwrap(),
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn sheets_and_columns_are_chosen_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let no = &["Номер заявки"][..];
    type Sheets<'a> = Vec<(&'a str, bool, &'a [&'a str])>;
    let cases: [(&str, Sheets<'_>, &str); 4] = [
        ("items-only.xlsx", vec![("Позиции", false, no)], "no sheet named `Заявки`"),
        (
            "two-items.xlsx",
            vec![("Заявки", false, no), ("Позиции", false, no), ("Items", false, no)],
            "two sheets for the items",
        ),
        ("hidden.xlsx", vec![("Заявки", false, no), ("Items", true, no)], "is hidden"),
        (
            "dup.xlsx",
            vec![("Заявки", false, &["Номер заявки", "Район", "Номер заявки"]), ("Позиции", false, no)],
            "two columns are `app_no`: A and C",
        ),
    ];
    for (name, sheets, says) in cases {
        let path = dir.path().join(name);
        workbook(&path, &sheets);
        let o = run_workbook(&path, &out);
        assert_exit(&o, 4);
        assert!(stderr(&o).contains(says), "{name}: {}", stderr(&o));
    }
    // A hidden `Items` beside the visible `Позиции`: the visible one is read.
    let path = dir.path().join("hidden-beside.xlsx");
    workbook(&path, &[("Заявки", false, no), ("Items", true, no), ("Позиции", false, no)]);
    let o = run_workbook(&path, &out);
    assert!(!stderr(&o).contains("two sheets"), "{}", stderr(&o));
}

#[test]
fn an_xls_or_ods_named_xlsx_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let xls = dir.path().join("old.xlsx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(512, 0);
    fs_err::write(&xls, ole).unwrap();
    let o = run_workbook(&xls, &out);
    assert_exit(&o, 4);
    assert!(stderr(&o).contains("is an XLS file"), "{}", stderr(&o));
    let ods = dir.path().join("calc.xlsx");
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet".to_vec();
    zip.resize(512, 0);
    fs_err::write(&ods, zip).unwrap();
    let o = run_workbook(&ods, &out);
    assert_exit(&o, 4);
    assert!(stderr(&o).contains("is an ODS file"), "{}", stderr(&o));
}

/// Rows this batch does not decide — decided by an earlier batch, or another region's — are
/// register rows too, with no notice: the register's count is the input's.
#[test]
fn rows_decided_earlier_or_of_another_region_are_register_rows() {
    let dir = tempfile::tempdir().unwrap();
    let apps = fs_err::read_to_string(root().join(INPUT).join("applications.csv")).unwrap();
    let (a, i) = (dir.path().join("a.csv"), dir.path().join("i.csv"));
    fs_err::write(&a, &apps).unwrap();
    fs_err::copy(root().join(INPUT).join("items.csv"), &i).unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let run = |date: &str, out: &Path| {
        subsidy(&[
            "run",
            "--ledger",
            ledger.to_str().unwrap(),
            "--applications",
            a.to_str().unwrap(),
            "--items",
            i.to_str().unwrap(),
            "--batch-date",
            date,
            "--out",
            out.to_str().unwrap(),
        ])
    };
    assert_exit(&run("2025-12-31", &dir.path().join("dec")), 0);
    // The same file in the next batch, its first row a new application of another region.
    let moved = apps.replacen("00700100500001;", "00700100500091;", 1).replacen(
        "Карагандинская область",
        "Акмолинская область",
        1,
    );
    fs_err::write(&a, moved).unwrap();
    let out = dir.path().join("jan");
    let o = run("2026-01-31", &out);
    assert_exit(&o, 0);
    let rows = register(&out);
    assert_eq!(rows.len(), 7, "every row of the file is a register row");
    assert!(
        stderr(&o).contains("7 applications: 0 approved (0,00 ₸), 0 refused, 7 not decided here"),
        "{}",
        stderr(&o)
    );
    assert_eq!(rows.iter().filter(|r| r[8] == "Не рассматривается (решена ранее)").count(), 6);
    assert_eq!(rows.iter().filter(|r| r[8] == "Не рассматривается (другой регион)").count(), 1);
    let notices = fs_err::read_dir(out.join("notices")).unwrap().count();
    assert_eq!(notices, 1, "only the index: those rows were notified by their own batch or region");
}
