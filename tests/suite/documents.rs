//! Notices, templates and the workbooks as other programs open them.

use crate::common::{assert_exit, copy_dir, root, stderr, subsidy};

#[test]
fn a_template_with_an_unknown_variable_stops_the_run_before_anything_is_processed() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    copy_dir(&root().join("templates"), &templates);
    let refused = templates.join("notices/refused.html.tera");
    let text = fs_err::read_to_string(&refused).unwrap().replacen("{{ applicant_name }}", "{{ applicant_nmae }}", 1);
    fs_err::write(&refused, text).unwrap();
    fs_err::remove_file(templates.join("notices/waiting.html.tera")).unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--templates",
        templates.to_str().unwrap(),
        "--applications",
        "samples/2025-04/applications.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 3);
    let err = stderr(&o);
    assert!(
        err.contains("error[T002 template-render]")
            && err.contains("refused.html.tera")
            && err.contains("applicant_nmae"),
        "{err}"
    );
    assert!(err.contains("error[T003 missing-template]: template `notices/waiting.html.tera` is missing"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_template_syntax_error_is_reported_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    copy_dir(&root().join("templates"), &templates);
    fs_err::write(templates.join("report.html.tera"), "{% for c in charts %}{{ c.title_ru }").unwrap();
    let o = subsidy(&["check", "--templates", templates.to_str().unwrap()]);
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("error[T001 template-syntax]"), "{}", stderr(&o));
}

#[test]
fn applicant_text_is_escaped_in_notices() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("applications.csv");
    let text = fs_err::read_to_string(root().join("tests/golden/csv-boundary/input/applications.csv")).unwrap();
    fs_err::write(&apps, text.replace("КХ «Жайлау»", "КХ <script>alert(1)</script> & Co")).unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--applications",
        apps.to_str().unwrap(),
        "--items",
        "tests/golden/csv-boundary/input/items.csv",
        "--batch-date",
        "2025-12-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let html = fs_err::read_to_string(out.join("notices/02200100500005.html")).unwrap();
    assert!(html.contains("КХ &lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; Co"), "{html}");
    assert!(!html.contains("<script>"));
}

/// Every workbook of a batch opens in LibreOffice (converted headless to PDF). Runs where
/// `.ci/run` installed LibreOffice (`SUBSIDY_LIBREOFFICE=1`); elsewhere it says why it did nothing.
#[test]
fn workbooks_open_in_libreoffice() {
    if std::env::var_os("SUBSIDY_LIBREOFFICE").is_none() {
        eprintln!("SUBSIDY_LIBREOFFICE is not set: LibreOffice check not run (see .ci/run)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&crate::common::csv_batch(out.to_str().unwrap()));
    assert_exit(&o, 0);
    let pdf = dir.path().join("pdf");
    for book in ["decisions.xlsx", "payments-livestock.xlsx"] {
        let status = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&pdf)
            .arg(out.join(book))
            .env("HOME", dir.path())
            .output()
            .expect("soffice runs");
        assert!(status.status.success(), "{book}: {}", String::from_utf8_lossy(&status.stderr));
        let made = pdf.join(book.replace(".xlsx", ".pdf"));
        assert!(fs_err::metadata(&made).map(|m| m.len() > 1000).unwrap_or(false), "{book} did not convert");
    }
}

/// `explain` tells the whole story of one application; compared with a reviewed text in Russian
/// (a refusal) and in Kazakh (an approval capped at half the price).
#[test]
fn explain_tells_the_story_of_one_application() {
    for (app, lang, file) in [
        ("02200100500004", "ru", "explain-02200100500004.ru.txt"),
        ("00700100500003", "kk", "explain-00700100500003.kk.txt"),
    ] {
        let o = subsidy(&[
            "explain",
            "--no-ledger",
            "--app",
            app,
            "--lang",
            lang,
            "--applications",
            "tests/golden/csv-boundary/input/applications.csv",
            "--items",
            "tests/golden/csv-boundary/input/items.csv",
            "--batch-date",
            "2025-12-31",
        ]);
        assert_exit(&o, 0);
        crate::common::assert_golden(
            &String::from_utf8(o.stdout).unwrap(),
            &root().join("tests/golden/csv-boundary/expected").join(file),
        );
    }
    let o = subsidy(&[
        "explain",
        "--no-ledger",
        "--app",
        "00000000000000",
        "--applications",
        "tests/golden/csv-boundary/input/applications.csv",
        "--items",
        "tests/golden/csv-boundary/input/items.csv",
        "--batch-date",
        "2025-12-31",
    ]);
    assert_exit(&o, 1);
}

/// An amendment moves Order 428's start for type 007 to 01.11.2025 and lowers the feedlot weight
/// floor to 170 kg: `diff` names each change and its cause.
#[test]
fn diff_shows_what_an_amendment_changes_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let after = dir.path().join("after");
    copy_dir(&root().join("rules"), &after);
    let bulls = after.join("programs/007.toml");
    let text = fs_err::read_to_string(&bulls).unwrap().replace("2025-12-05", "2025-11-01");
    fs_err::write(&bulls, text).unwrap();
    let calves = after.join("programs/022.toml");
    let text = fs_err::read_to_string(&calves).unwrap().replace("live_weight_kg >= 180", "live_weight_kg >= 170");
    fs_err::write(&calves, text).unwrap();
    let out = dir.path().join("diff.xlsx");
    let o = subsidy(&[
        "diff",
        "--before",
        "rules",
        "--after",
        after.to_str().unwrap(),
        "--applications",
        "tests/golden/csv-boundary/input/applications.csv",
        "--items",
        "tests/golden/csv-boundary/input/items.csv",
        "--batch-date",
        "2025-12-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let summary = String::from_utf8(o.stdout).unwrap();
    assert!(summary.starts_with("2 of 7 applications change (1 in status); approved 1\u{202f}145\u{202f}120,00 ₸ → 1\u{202f}329\u{202f}620,00 ₸ (+184\u{202f}500,00 ₸)"), "{summary}");
    let sheet = crate::common::sheet_tsv(&out, "Изменения");
    let rows: Vec<&str> = sheet.lines().skip(1).collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].starts_with("00700100500001\t007")
            && rows[0].contains(
                "норматив RATE-007-189 (150\u{202f}000,00 ₸) → RATE-007-428 (260\u{202f}000,00 ₸)\t150000.00\t260000.00"
            ),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains("Отклонена\tОдобрена\t0.00\t184500.00\t184500.00\tбольше не отказ по 022-WEIGHT"),
        "{}",
        rows[1]
    );
    let totals = crate::common::sheet_tsv(&out, "Итоги");
    assert!(totals.contains("022\t1.00\t2.00\t135120.00\t319620.00\t184500.00"), "{totals}");
}

/// The register for staff: dates are date cells, every table filters, input problems are
/// explained in Kazakh and Russian, and files are named without their folders.
#[test]
fn the_register_is_a_working_table_for_staff() {
    use calamine::{Data, Reader as _, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = crate::common::subsidy(&[
        "run",
        "--no-ledger",
        "--applications",
        "samples/2025-04/applications.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    crate::common::assert_exit(&o, 0);
    let mut wb: Xlsx<_> = open_workbook(out.join("decisions.xlsx")).unwrap();
    let reg = wb.worksheet_range("Реестр").unwrap();
    assert!(matches!(reg.get((1, 2)), Some(Data::DateTime(_))), "submission is a date cell: {:?}", reg.get((1, 2)));
    let probs = wb.worksheet_range("Ошибки ввода").unwrap();
    let row: Vec<String> = (0..11).map(|c| probs.get((1, c)).map(|d| d.to_string()).unwrap_or_default()).collect();
    assert_eq!(row[3], "applications.xlsx", "{row:?}");
    assert!(row[9].chars().any(|c| "әғқңөұүһі".contains(c)) && !row[10].is_empty(), "{row:?}");
    for sheet in ["Реестр", "Позиции", "Ошибки ввода"] {
        let xml = sheet_xml(&out.join("decisions.xlsx"), sheet);
        assert!(xml.contains("<autoFilter"), "{sheet} filters");
    }
}

/// The XML of a worksheet, by its name, read from the workbook's zip.
fn sheet_xml(path: &std::path::Path, name: &str) -> String {
    use calamine::Reader as _;
    use std::io::Read as _;
    let wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let index = wb.sheet_names().iter().position(|n| n == name).unwrap() + 1;
    let mut zip = zip::ZipArchive::new(fs_err::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{index}.xml")).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// No applicant document holds an English word or a column key: Latin appears only in codes
/// (`WINDOW`, `V002`), identifiers and account numbers, all capitals and digits.
#[test]
fn applicant_documents_hold_no_english_words_or_column_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = crate::common::subsidy(&crate::common::april_batch(out.to_str().unwrap()));
    crate::common::assert_exit(&o, 0);
    let mut checked = 0;
    for f in fs_err::read_dir(out.join("notices")).unwrap().flatten() {
        let html = fs_err::read_to_string(f.path()).unwrap();
        let text = crate::common::notice_text(&html);
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if word.chars().any(|c| c.is_ascii_alphabetic()) {
                assert!(
                    !word.chars().any(|c| c.is_ascii_lowercase() || c == '_'),
                    "{}: `{word}` is not a code or an identifier",
                    f.path().display()
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 150, "{checked} notices read");
}

/// The CSV twin imports into LibreOffice as README.md says (UTF-8, comma, identifiers as Text)
/// with every identifier intact: application numbers keep their leading zeros. Runs where
/// `.ci/run` installed LibreOffice (`SUBSIDY_LIBREOFFICE=1`).
#[test]
fn the_csv_twin_imports_into_libreoffice_with_its_identifiers_intact() {
    use calamine::{DataType, Reader};
    if std::env::var_os("SUBSIDY_LIBREOFFICE").is_none() {
        eprintln!("SUBSIDY_LIBREOFFICE is not set: LibreOffice import not checked (see .ci/run)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&crate::common::csv_batch(out.to_str().unwrap()));
    assert_exit(&o, 0);
    let csv = out.join("payments-livestock.csv");
    // Comma, double quote, UTF-8 (76), from line 1; columns 2, 4, 5, 7, 8, 10, 11 as Text (2);
    // numbers in the English locale (1033): the amount's decimal point is a dot.
    let filter = "CSV:44,34,76,1,2/2/4/2/5/2/7/2/8/2/10/2/11/2,1033";
    let conv = dir.path().join("conv");
    let status = std::process::Command::new("soffice")
        .args(["--headless", &format!("--infilter={filter}"), "--convert-to", "xlsx", "--outdir"])
        .arg(&conv)
        .arg(&csv)
        .env("HOME", dir.path())
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(conv.join("payments-livestock.xlsx")).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().any(|r| r[9].starts_with('0')), "the sample has application numbers with leading zeros");
    for (i, r) in rows.iter().enumerate() {
        for col in [1usize, 3, 4, 6, 7, 9, 10] {
            let cell = sheet.get((i + 1, col)).unwrap();
            assert_eq!(cell, &calamine::Data::String(r[col].to_owned()), "row {} column {}", i + 2, col + 1);
        }
        let amount = sheet.get((i + 1, 8)).unwrap().as_f64().unwrap();
        assert_eq!(format!("{amount:.2}"), r[8], "row {}", i + 2);
    }
}

/// The Kazakh half of a notice is wholly Kazakh: it cites the law in Kazakh (`legal-kk.toml`),
/// names the district in Kazakh, and no Russian citation, ground or note slips into it; the
/// Russian half cites in Russian.
#[test]
fn the_kazakh_half_of_every_notice_cites_the_law_in_kazakh() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&crate::common::april_batch(out.to_str().unwrap()));
    assert_exit(&o, 0);
    let mut cited = 0;
    for f in fs_err::read_dir(out.join("notices")).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".html") || name == "index.html" {
            continue;
        }
        let html = fs_err::read_to_string(f.path()).unwrap();
        let (kk, ru) = html.split_once("<section class=\"lang\" lang=\"ru\">").expect("two halves");
        // Districts are named in Kazakh too (`[districts]` of the region's file).
        for russian in
            ["приказ", "приложени", "Правил", "строка", "критери", "пункт ", "Правовое основание", "ский район"]
        {
            assert!(!kk.contains(russian), "{name}: «{russian}» in the Kazakh half");
        }
        for kazakh in ["бұйрығ", "қосымша", "Құқықтық негіз"] {
            assert!(!ru.contains(kazakh), "{name}: «{kazakh}» in the Russian half");
        }
        if kk.contains("бұйрығ") {
            cited += 1;
        }
    }
    assert!(cited > 100, "{cited} notices cite an order in Kazakh");
}

/// The payment lists' layout is checked with the templates: every problem with its line.
#[test]
fn a_broken_payment_list_layout_is_reported_by_check_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    copy_dir(&root().join("templates"), &templates);
    let file = templates.join("payment-list.toml");
    let text = fs_err::read_to_string(&file).unwrap().replacen("field = \"iban\"", "field = \"account\"", 1);
    let line = text.lines().position(|l| l.contains("\"account\"")).unwrap() + 1;
    fs_err::write(&file, &text).unwrap();
    let o = subsidy(&["check", "--templates", templates.to_str().unwrap()]);
    assert_exit(&o, 3);
    let err = stderr(&o);
    assert!(err.contains("error[T004 payment-layout]: unknown field `account`"), "{err}");
    assert!(err.contains(&format!("payment-list.toml:{line}:")), "{err}");
    assert!(err.contains("no column shows `iban`, which the treasury needs"), "{err}");
}
