//! Golden batches: the register read back from `decisions.xlsx` equals the reviewed expected tables.

use std::collections::BTreeMap;

use crate::common::{assert_exit, assert_golden, root, sheet_tsv, subsidy};

/// Runs a scenario and compares the register, payment list and (with `notices`) every notice and
/// the report with `tests/golden/<name>/expected/`.
fn run_golden(name: &str, input: &[&str], batch_date: &str, notices: bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut args = vec!["run"];
    args.extend_from_slice(input);
    args.extend(["--batch-date", batch_date, "--out", out.to_str().unwrap()]);
    let o = subsidy(&args);
    assert_exit(&o, 0);
    let expected = root().join("tests/golden").join(name).join("expected");
    for (sheet, file) in [("Реестр", "register.tsv"), ("Ошибки ввода", "problems.tsv"), ("Сводка", "summary.tsv")]
    {
        assert_golden(&sheet_tsv(&out.join("decisions.xlsx"), sheet), &expected.join(file));
    }
    for (sheet, file) in [("Ведомость", "payments.tsv"), ("Контроль", "payments-control.tsv")] {
        assert_golden(&sheet_tsv(&out.join("payments-livestock.xlsx"), sheet), &expected.join(file));
    }
    assert_golden(&fs_err::read_to_string(out.join("payments-livestock.csv")).unwrap(), &expected.join("payments.csv"));
    if notices {
        let mut names: Vec<String> = fs_err::read_dir(out.join("notices"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for n in &names {
            assert_golden(
                &fs_err::read_to_string(out.join("notices").join(n)).unwrap(),
                &expected.join("notices").join(n),
            );
        }
        assert_golden(&names.join("\n"), &expected.join("notices.list"));
        assert_golden(&fs_err::read_to_string(out.join("report.html")).unwrap(), &expected.join("report.html"));
    }
}

#[test]
fn csv_batch_across_the_order_428_switch_matches_golden() {
    run_golden(
        "csv-boundary",
        &[
            "--applications",
            "tests/golden/csv-boundary/input/applications.csv",
            "--items",
            "tests/golden/csv-boundary/input/items.csv",
        ],
        "2025-12-31",
        true,
    );
}

#[test]
fn karaganda_workbook_with_mistakes_matches_golden() {
    run_golden(
        "karaganda-small",
        &["--applications", "tests/golden/karaganda-small/input/applications.xlsx"],
        "2025-04-30",
        false,
    );
}

/// Sum of the items' lines equals each application's computed amount, and the summary's total
/// equals the register's: totals tie out to the tiyn.
#[test]
fn item_lines_and_summary_tie_out_to_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--applications",
        "tests/golden/karaganda-small/input/applications.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let wb = out.join("decisions.xlsx");
    let tiyn = |s: &str| -> i64 { (s.parse::<f64>().unwrap() * 100.0).round() as i64 };
    let mut computed: BTreeMap<String, i64> = BTreeMap::new();
    let mut approved_total = 0;
    for line in sheet_tsv(&wb, "Реестр").lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if let Some(v) = c.get(10).filter(|v| !v.is_empty()) {
            computed.insert(c[1].to_owned(), tiyn(v));
        }
        approved_total += tiyn(c[11]);
    }
    let mut lines: BTreeMap<String, i64> = BTreeMap::new();
    for line in sheet_tsv(&wb, "Позиции").lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if let Some(v) = c.get(12).filter(|v| !v.is_empty()) {
            *lines.entry(c[0].to_owned()).or_default() += tiyn(v);
        }
    }
    assert!(!computed.is_empty());
    assert_eq!(lines, computed);
    let summary = sheet_tsv(&wb, "Сводка");
    let total_line = summary.lines().find(|l| l.starts_with("Барлығы")).unwrap();
    assert_eq!(tiyn(total_line.split('\t').nth(5).unwrap()), approved_total);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs_err::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(tiyn(manifest["totals"]["approved"].as_str().unwrap()), approved_total);
}

/// The payment list's formula total, its written control total, the CSV twin, the register's
/// amounts paid in the batch and the manifest agree to the tiyn, and the control sheet carries the CSV's hash.
#[test]
fn payment_list_ties_out_to_the_register_and_its_csv_twin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--applications",
        "samples/2025-04/applications.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let tiyn = |s: &str| -> i64 { (s.parse::<f64>().unwrap() * 100.0).round() as i64 };
    let list = sheet_tsv(&out.join("payments-livestock.xlsx"), "Ведомость");
    let total = list.lines().find(|l| l.contains("Итого")).unwrap().split('\t').nth(7).unwrap().to_owned();
    let control =
        list.lines().find(|l| l.contains("Контрольная сумма")).unwrap().split('\t').nth(7).unwrap().to_owned();
    let csv = fs_err::read_to_string(out.join("payments-livestock.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let csv_total: i64 = reader.records().map(|r| tiyn(&r.unwrap()[8])).sum();
    // Column X (23): paid in this batch; the rest of the approved amount waits in the queue.
    let register: i64 = sheet_tsv(&out.join("decisions.xlsx"), "Реестр")
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(23).filter(|v| !v.is_empty()).map(tiyn))
        .sum();
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs_err::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(tiyn(manifest["queue"]["paid_now"].as_str().unwrap()), register);
    assert_eq!(tiyn(&total), register);
    assert_eq!(tiyn(&control), register);
    assert_eq!(csv_total, register);
    let hash = subsidy::write::manifest::sha256_hex(csv.as_bytes());
    assert!(sheet_tsv(&out.join("payments-livestock.xlsx"), "Контроль").contains(&hash));
}
