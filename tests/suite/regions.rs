//! Every region: the state register of all regions audited row by row with each region's akimat
//! values, and a batch decided for one region's department.

use std::collections::BTreeMap;

use crate::common::{assert_exit, copy_dir, root, sheet_tsv, stderr, subsidy};

/// A generated register of every region and type across 2025, with rows split over page breaks
/// as the export splits them: the audit's counts and sums are those of the distinct applications,
/// every row's normative matches, and each region's akimat values are the ones used.
#[test]
fn the_national_register_is_audited_row_by_row_with_each_regions_values() {
    let dir = tempfile::tempdir().unwrap();
    let (apps, register) = (dir.path().join("apps.xlsx"), dir.path().join("register.xlsx"));
    let o = subsidy(&[
        "sample",
        "--out",
        apps.to_str().unwrap(),
        "--month",
        "2025-01",
        "--months",
        "12",
        "--mix",
        "national",
        "--all-regions",
        "--count",
        "2000",
        "--seed",
        "22",
        "--register-out",
        register.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    // What the generator wrote, read cell by cell without merges: one row per application with
    // its number; the lower halves of split rows are empty.
    let raw = sheet_tsv(&register, "Page 1");
    let mut written: BTreeMap<String, f64> = BTreeMap::new();
    for line in raw.lines().skip(5) {
        let c: Vec<&str> = line.split('\t').collect();
        if let Some(no) = c.get(6).filter(|n| n.len() == 14) {
            written.insert((*no).to_owned(), c[11].parse().unwrap());
        }
    }
    assert_eq!(written.len(), 2000);
    let split = raw.lines().skip(5).filter(|l| l.trim().is_empty()).count();
    assert!(split >= 30, "rows split over page breaks: {split}");

    let out = dir.path().join("audit.xlsx");
    let o = subsidy(&["audit", "--register", register.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_exit(&o, 0);
    let summary = String::from_utf8(o.stdout).unwrap();
    let total: f64 = written.values().sum();
    #[allow(clippy::cast_possible_truncation)]
    let due = subsidy::domain::money::Money::from_tiyn((total * 100.0).round() as i64).display_kzt().to_string();
    assert!(summary.starts_with(&format!("2000 applications, {due} due")), "{summary}\n{due}");
    assert!(summary.contains("normative совпадает: 2000"), "{summary}");
    assert!(summary.contains("status Отозвано:") && summary.contains("status Получена:"), "{summary}");
    assert!(summary.contains("20 regions"), "{summary}");

    let rows = sheet_tsv(&out, "Заявки");
    let used = |region: &str, code: &str, edition: &str| {
        rows.lines().any(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            c.get(3) == Some(&region) && c.get(5) == Some(&code) && c.get(9) == Some(&edition) && c[10] == "совпадает"
        })
    };
    for (region, code, edition) in [
        ("Мангистауская область", "024", "MIO-024-MNG-2025"),
        ("Мангистауская область", "040", "MIO-040-MNG-2025"),
        ("Атырауская область", "023", "MIO-023-ATR-2025"),
        ("Туркестанская область", "117", "MIO-117-TRK-2025"),
        ("Костанайская область", "107", "MIO-107-KST-2025"),
        ("Кызылординская область", "108", "MIO-108-KZO-2025"),
        ("Атырауская область", "047", "MIO-047-ATR-2025"),
        ("Мангистауская область", "047", "MIO-047-MNG-2025"),
    ] {
        assert!(used(region, code, edition), "{region} {code} {edition}");
    }
    let sections = sheet_tsv(&out, "Сводка");
    assert!(sections.contains("По областям и видам") && sections.contains("область Ұлытау"), "{sections}");
}

/// The same application number twice in a register is reported and counted once.
#[test]
fn a_repeated_application_number_is_reported_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Page 1").unwrap();
    for (c, h) in [
        (1, "Дата поступления"),
        (4, "Область"),
        (6, "Номер заявки"),
        (9, "Статус заявки"),
        (10, "Норматив"),
        (11, "Причитающая сумма"),
    ] {
        ws.write_string(4, c, h).unwrap();
    }
    for (r, no) in [(5, "00700100000001"), (6, "00700100000002"), (7, "00700100000001")] {
        ws.write_string(r, 1, "15.04.2025 10:00:00").unwrap();
        ws.write_string(r, 4, "Карагандинская область").unwrap();
        ws.write_string(r, 6, no).unwrap();
        ws.write_string(r, 9, "Исполнена").unwrap();
        ws.write_number(r, 10, 150_000.0).unwrap();
        ws.write_number(r, 11, 150_000.0).unwrap();
    }
    wb.save(&path).unwrap();
    let out = dir.path().join("a.xlsx");
    let o = subsidy(&["audit", "--register", path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_exit(&o, 0);
    let summary = String::from_utf8(o.stdout).unwrap();
    assert!(summary.starts_with("2 applications, 300\u{202f}000,00 ₸ due"), "{summary}");
    assert!(summary.contains("1 rows repeat an application number"), "{summary}");
    let sheet = sheet_tsv(&out, "Сводка");
    assert!(sheet.contains("Page 1!8: заявка 00700100000001 повторяет строку Page 1!6"), "{sheet}");
}

/// A batch is decided for the department of the region `--region` names: its akimat's normative,
/// its department on the documents; another region's applications are reported, not decided;
/// a region without budget settings cannot run a batch.
#[test]
fn a_batch_is_decided_for_one_regions_department() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps.xlsx");
    let o = subsidy(&[
        "sample",
        "--out",
        apps.to_str().unwrap(),
        "--month",
        "2025-07",
        "--months",
        "6",
        "--mix",
        "national",
        "--all-regions",
        "--count",
        "600",
        "--seed",
        "5",
    ]);
    assert_exit(&o, 0);
    let run = |rules: &str, region: &str, out: &std::path::Path| {
        subsidy(&[
            "run",
            "--no-ledger",
            "--rules",
            rules,
            "--region",
            region,
            "--applications",
            apps.to_str().unwrap(),
            "--batch-date",
            "2025-12-31",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let o = run("rules", "mangystau", &dir.path().join("none"));
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("region `mangystau` (Мангистауская область) has no budget settings"), "{}", stderr(&o));

    // Mangystau's department with a budget of its own.
    let rules = dir.path().join("rules");
    copy_dir(&root().join("rules"), &rules);
    let file = rules.join("regions/mangystau.toml");
    let text = fs_err::read_to_string(&file).unwrap().replacen("[region]", "budget = \"budget.toml\"\n\n[region]", 1);
    fs_err::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let o = run(rules.to_str().unwrap(), "mangystau", &out);
    assert_exit(&o, 0);
    let register = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    let rows: Vec<Vec<&str>> = register.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    assert!(!rows.is_empty());
    let feed: Vec<&Vec<&str>> = rows.iter().filter(|c| c[4] == "024").collect();
    assert!(!feed.is_empty(), "Mangystau's feed applications are decided");
    for c in &feed {
        assert!(c[8] != "Отклонена" && c[12] == "25194.00" && c[13].starts_with("MIO-024-MNG-2025"), "{c:?}");
    }
    let problems = sheet_tsv(&out.join("decisions.xlsx"), "Ошибки ввода");
    assert!(problems.contains("I008") && problems.contains("not of Мангистауская область"), "{problems}");
    let notice = fs_err::read_dir(out.join("notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("024"));
    let html = fs_err::read_to_string(notice.unwrap()).unwrap();
    assert!(html.contains("Управление сельского хозяйства Мангистауской области"), "the department is Mangystau's");
}
