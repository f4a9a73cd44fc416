//! The state register audit on a fixture built from the documented export layout.

use rust_xlsxwriter::{Format, Workbook};

use crate::common::{assert_exit, sheet_tsv, subsidy};

/// `(seq, date text, region, app_no, status, normative, amount, district)`.
type Row = (&'static str, &'static str, &'static str, &'static str, &'static str, f64, f64, &'static str);

const ROWS: [Row; 6] = [
    (
        "1",
        "15.04.2025 10:31:07",
        "Карагандинская область",
        "00700100012345",
        "Исполнена",
        150000.0,
        450000.0,
        "Шетский район",
    ),
    (
        "2",
        "16.04.2025 11:00:00",
        "Карагандинская область",
        "00700100012346",
        "Одобрена",
        260000.0,
        520000.0,
        "Абайский район",
    ),
    (
        "3",
        "05.12.2025 09:15:00",
        "область Ұлытау",
        "00400100012347",
        "Сформировано поручение",
        260000.0,
        2600000.0,
        "район Ұлытау",
    ),
    (
        "4",
        "17.04.2025 12:00:00",
        "Карагандинская область",
        "00500100012348",
        "Отклонена",
        10000.0,
        1160000.0,
        "Шетский район",
    ),
    (
        "5",
        "31.04.2025 12:00:00",
        "Карагандинская область",
        "00700100012349",
        "Отозвано",
        150000.0,
        150000.0,
        "Шетский район",
    ),
    (
        "6",
        "18.04.2025 09:00:00",
        "Карагандинская область",
        "02200100012350",
        "Одобрена",
        200.0,
        2100500.0,
        "Нуринский район",
    ),
];

fn register(path: &std::path::Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Page 1").unwrap();
    ws.write_string(0, 3, "Құжат субсидиялау ақпараттық жүйесімен (subsidy.plem.kz) құрылған \nДокумент сформирован информационной системой субсидирования (subsidy.plem.kz)").unwrap();
    ws.write_string(1, 0, "Реестр заявок ").unwrap();
    ws.write_string(2, 0, "Данные были получены системой ИСС 19.03.2026 года").unwrap();
    for (c, h) in [
        (0, "№ п/п"),
        (4, "Область"),
        (5, "Акимат"),
        (6, "Номер заявки"),
        (7, "Направление водства"),
        (8, "Наименование субсидирования"),
        (9, "Статус заявки"),
        (10, "Норматив"),
        (11, "Причитающая сумма"),
        (12, "Район хозяйства"),
    ] {
        ws.write_string(4, c, h).unwrap();
    }
    ws.merge_range(4, 1, 4, 3, "Дата поступления", &Format::new()).unwrap();
    for (i, (seq, date, region, no, status, norm, amount, district)) in ROWS.iter().enumerate() {
        let r = 5 + i as u32;
        ws.write_string(r, 0, *seq).unwrap();
        ws.write_string(r, 1, *date).unwrap();
        ws.write_string(r, 4, *region).unwrap();
        ws.write_string(r, 5, "ГУ \"Управление сельского хозяйства\"").unwrap();
        ws.write_string(r, 6, *no).unwrap();
        ws.write_string(r, 7, "Мясное и мясо-молочное скотоводство").unwrap();
        ws.write_string(r, 8, "Заявка на получение субсидий").unwrap();
        ws.write_string(r, 9, *status).unwrap();
        ws.write_number(r, 10, *norm).unwrap();
        ws.write_number(r, 11, *amount).unwrap();
        ws.write_string(r, 12, *district).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn the_register_is_checked_against_the_normatives_in_force_and_queued() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Выгрузка.xlsx");
    register(&path);
    let out = dir.path().join("audit.xlsx");
    let o = subsidy(&[
        "audit",
        "--register",
        path.to_str().unwrap(),
        "--allocation",
        "1000000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let summary = String::from_utf8(o.stdout).unwrap();
    assert!(summary.contains("6 applications"), "{summary}");
    assert!(
        summary.contains("normative совпадает: 3")
            && summary.contains("normative не совпадает: 1")
            && summary.contains("normative нет правил для вида: 1"),
        "{summary}"
    );
    assert!(summary.contains("1 cells could not be read"), "{summary}");
    // Approved in queue order: 15.04 (450 000) paid, 16.04 (520 000) paid, 18.04 (2 100 500) waits, 05.12 waits.
    assert!(
        summary.contains("queue with 1\u{202f}000\u{202f}000,00 ₸: 2 of 4 approved paid (970\u{202f}000,00 ₸), 2 wait"),
        "{summary}"
    );
    let rows = sheet_tsv(&out, "Заявки");
    let row = |no: &str| rows.lines().find(|l| l.contains(no)).unwrap().to_owned();
    assert!(
        row("00700100012345")
            .contains("150000.00\t150000.00\tRATE-007-332\tсовпадает\t450000.00\t3.00\t1.00\tвыплачено бы"),
        "{}",
        row("00700100012345")
    );
    assert!(
        row("00700100012346").contains("260000.00\t150000.00\tRATE-007-332\tне совпадает"),
        "{}",
        row("00700100012346")
    );
    assert!(
        row("00400100012347").contains("260000.00\t260000.00\tRATE-004-428\tсовпадает"),
        "{}",
        row("00400100012347")
    );
    assert!(row("00500100012348").contains("нет правил для вида\t1160000.00\t116.00"), "{}", row("00500100012348"));
    assert!(row("02200100012350").contains("10502.50\t3.00\tждало бы"), "{}", row("02200100012350"));
    assert!(
        row("Page 1!6").starts_with("Page 1!6\t00700100012345\t15.04.2025 10:31:07"),
        "rows keep their register cell"
    );
    let summary_sheet = sheet_tsv(&out, "Сводка");
    assert!(
        summary_sheet.contains("область Ұлытау\t1.00\t2600000.00") && summary_sheet.contains("2025-04\t4.00"),
        "{summary_sheet}"
    );
    assert!(summary_sheet.contains("Page 1!B10: `submitted_at`"), "{summary_sheet}");
}
