//! Inputs as they come: bad files give clear messages, applicant text never becomes a formula.

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::Workbook;

use crate::common::{assert_exit, root, sheet_tsv, stderr, subsidy};

#[test]
fn a_workbook_without_the_applications_sheet_names_its_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wrong.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("Лист1").unwrap().write_string(0, 0, "x").unwrap();
    wb.add_worksheet().set_name("Лист2").unwrap();
    wb.save(&path).unwrap();
    let o = subsidy(&[
        "run",
        "--applications",
        path.to_str().unwrap(),
        "--batch-date",
        "2025-04-30",
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_exit(&o, 4);
    assert!(
        stderr(&o)
            .contains("has no sheet named `Заявки` or `Өтінімдер` or `Applications`; its sheets are: `Лист1`, `Лист2`"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_missing_input_file_is_named() {
    let o = subsidy(&[
        "run",
        "--applications",
        "nowhere/apps.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        "/tmp/never-written",
    ]);
    assert_exit(&o, 4);
    assert!(stderr(&o).contains("nowhere/apps.xlsx"), "{}", stderr(&o));
}

#[test]
fn csv_applications_need_an_items_file() {
    let o = subsidy(&[
        "run",
        "--applications",
        "tests/golden/csv-boundary/input/applications.csv",
        "--batch-date",
        "2025-12-31",
        "--out",
        "/tmp/never-written",
    ]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("`--items`"));
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    assert_exit(&subsidy(&["run"]), 2);
    let o = subsidy(&["run", "--help"]);
    assert_exit(&o, 0);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("--batch-date <DATE>") && help.contains("3  rule files have problems"), "{help}");
}

/// Builds a one-application workbook whose applicant name is a formula and whose header sits
/// under title rows, then checks the register keeps the name as plain text.
#[test]
fn applicant_text_is_written_as_text_never_as_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apps.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Заявки").unwrap();
    ws.write_string(0, 0, "Реестр заявок").unwrap();
    let header = [
        "Номер заявки",
        "Дата подачи",
        "Район",
        "Наименование заявителя",
        "Тип заявителя",
        "ИИН/БИН",
        "Учетный номер",
        "ИИК",
        "БИК",
        "Кбе",
        "Количество",
        "Сумма",
        "Согласие",
        "ИИН/БИН подписанта",
        "ЭЦП действителен до",
        "Сертификат отозван",
        "Поголовье",
    ];
    let row = [
        "00700100000001",
        "15.04.2025 10:00:00",
        "Шетский район",
        "=HYPERLINK(\"http://x\",\"y\")",
        "КХ",
        "871008401427",
        "3512-1",
        "KZ476010131000179714",
        "HSBKKZKX",
        "19",
        "1",
        "150000",
        "Да",
        "871008401427",
        "31.12.2026",
        "Нет",
        "40",
    ];
    for (c, (h, v)) in header.iter().zip(row).enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
        ws.write_string(3, c as u16, v).unwrap();
    }
    let ws = wb.add_worksheet().set_name("Позиции").unwrap();
    let header = [
        "Номер заявки",
        "ИНЖ",
        "Половозрастная группа",
        "Порода",
        "Дата рождения",
        "Дата регистрации в ИСЖ",
        "Возраст, мес",
        "Дата сделки",
        "Цена",
        "Номер ЭСФ",
        "Дата ЭСФ",
        "ИИН/БИН контрагента",
    ];
    let row = [
        "00700100000001",
        "KZ1",
        "бык",
        "ангусская",
        "01.01.2024",
        "10.04.2025",
        "15",
        "05.04.2025",
        "600000",
        "ESF-1",
        "05.04.2025",
        "940140000385",
    ];
    for (c, (h, v)) in header.iter().zip(row).enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
        ws.write_string(1, c as u16, v).unwrap();
    }
    wb.save(&path).unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--applications",
        path.to_str().unwrap(),
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let mut reg: Xlsx<_> = open_workbook(out.join("decisions.xlsx")).unwrap();
    let values = reg.worksheet_range("Реестр").unwrap();
    // Neutralised by the OWASP rule: a leading `'`, and Excel's quote prefix.
    assert_eq!(values.get((1, 6)), Some(&Data::String("'=HYPERLINK(\"http://x\",\"y\")".into())));
    assert_eq!(values.get((1, 8)), Some(&Data::String("Отклонена".into())), "refused as V019 formula-like-text");
    assert!(matches!(values.get((1, 15)), Some(Data::String(s)) if s == "V019"));
    let formulas = reg.worksheet_formula("Реестр").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in the register");
}

#[test]
fn strict_exits_1_when_anything_is_refused_and_still_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--strict",
        "--applications",
        "tests/golden/karaganda-small/input/applications.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 1);
    assert!(out.join("decisions.xlsx").exists());
}

#[test]
fn dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--dry-run",
        "--applications",
        "tests/golden/karaganda-small/input/applications.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    assert!(!out.exists());
}

/// The same workbook given twice: its applications are decided once; the second file's rows are
/// register rows refused for the repeat, naming the first file, and rows are referred to with
/// their file.
#[test]
fn an_application_in_two_input_files_is_decided_once() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("again.xlsx");
    fs_err::copy(root().join("samples/2025-04/processing.xlsx"), &copy).unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--no-ledger",
        "--applications",
        "samples/2025-04/processing.xlsx",
        "--applications",
        copy.to_str().unwrap(),
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("60 applications"), "every row is a register row: {}", stderr(&o));
    let problems = sheet_tsv(&out.join("decisions.xlsx"), "Ошибки ввода");
    assert_eq!(problems.matches("I004").count(), 30, "{problems}");
    assert!(problems.contains("is also in `samples/2025-04/processing.xlsx`"), "{problems}");
    let register = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    assert!(register.contains("[processing.xlsx]Заявки!5"), "{register}");
    let repeats = register.lines().filter(|l| l.contains(" (again.xlsx, Заявки!") && l.contains("Отклонена")).count();
    assert_eq!(repeats, 30, "{register}");
}
