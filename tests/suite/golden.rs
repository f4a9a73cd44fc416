//! Golden batches: the register read back from `decisions.xlsx` equals the reviewed expected tables.

use std::collections::BTreeMap;

use crate::common::{assert_exit, assert_golden, notice_text, root, sheet_tsv, subsidy};

/// Runs a scenario and compares the register, payment list and (with `notices`) every notice and
/// the report with `tests/golden/<name>/expected/`.
fn run_golden(name: &str, input: &[&str], batch_date: &str, notices: bool, programs: &[&str]) {
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
    for program in programs {
        // The livestock list keeps its first golden names.
        let prefix = if *program == "livestock" { "payments".to_owned() } else { format!("payments-{program}") };
        for (sheet, suffix) in [("Ведомость", ".tsv"), ("Контроль", "-control.tsv")] {
            assert_golden(
                &sheet_tsv(&out.join(format!("payments-{program}.xlsx")), sheet),
                &expected.join(format!("{prefix}{suffix}")),
            );
        }
        assert_golden(
            &fs_err::read_to_string(out.join(format!("payments-{program}.csv"))).unwrap(),
            &expected.join(format!("{prefix}.csv")),
        );
    }
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
        &["livestock"],
    );
}

#[test]
fn karaganda_workbook_with_mistakes_matches_golden() {
    run_golden(
        "karaganda-small",
        &["--applications", "tests/golden/karaganda-small/input/applications.xlsx"],
        "2025-04-30",
        false,
        &["livestock"],
    );
}

/// The processing enterprises' month with every documented mistake: register, payment list and
/// every notice (payment notices, refusals, waiting list).
#[test]
fn processing_month_matches_golden() {
    run_golden(
        "processing",
        &["--applications", "tests/golden/processing/input/processing.xlsx"],
        "2025-04-30",
        true,
        &["processing"],
    );
}

/// Both services in one batch: one register, kept apart by budget program, and one payment list
/// per program.
#[test]
fn both_services_in_one_batch_match_golden() {
    run_golden(
        "two-services",
        &[
            "--applications",
            "tests/golden/karaganda-small/input/applications.xlsx",
            "--applications",
            "tests/golden/processing/input/processing.xlsx",
        ],
        "2025-04-30",
        false,
        &["livestock", "processing"],
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

/// For each budget program of a batch holding both services, the payment list's formula total,
/// its written control total, the CSV twin and the register's amounts paid in the batch for that
/// program agree to the tiyn; the manifest's total is their sum; each control sheet carries its
/// CSV's hash.
#[test]
fn payment_lists_tie_out_to_the_register_and_their_csv_twins() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--applications",
        "samples/2025-04/applications.xlsx",
        "--applications",
        "samples/2025-04/processing.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let tiyn = |s: &str| -> i64 { (s.parse::<f64>().unwrap() * 100.0).round() as i64 };
    let register = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    let mut all = 0;
    for program in ["livestock", "processing"] {
        let book = out.join(format!("payments-{program}.xlsx"));
        let list = sheet_tsv(&book, "Ведомость");
        let total = list.lines().find(|l| l.contains("Итого")).unwrap().split('\t').nth(7).unwrap().to_owned();
        let control =
            list.lines().find(|l| l.contains("Контрольная сумма")).unwrap().split('\t').nth(7).unwrap().to_owned();
        let csv = fs_err::read_to_string(out.join(format!("payments-{program}.csv"))).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let csv_total: i64 = reader.records().map(|r| tiyn(&r.unwrap()[8])).sum();
        // Column X (23): paid in this batch; column AA (26): the budget program.
        let paid: i64 = register
            .lines()
            .skip(1)
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|c| c.get(26) == Some(&program))
            .filter_map(|c| c.get(23).filter(|v| !v.is_empty()).map(|v| tiyn(v)))
            .sum();
        assert!(paid > 0, "{program}: something is paid");
        assert_eq!(tiyn(&total), paid, "{program}");
        assert_eq!(tiyn(&control), paid, "{program}");
        assert_eq!(csv_total, paid, "{program}");
        let hash = subsidy::write::manifest::sha256_hex(csv.as_bytes());
        assert!(sheet_tsv(&book, "Контроль").contains(&hash), "{program}");
        all += paid;
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs_err::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(tiyn(manifest["queue"]["paid_now"].as_str().unwrap()), all);
}

/// A national-mix year: every subsidy type of the 2025 register, submissions from January 2025 to
/// March 2026 across both edition switches, decided under Karaganda's rules. The register's key
/// columns (status, amounts, normative and edition, reason codes) and the summary are compared
/// with reviewed tables; no application is refused as an unknown type, and the same applications
/// as a state-register export audit with no normative mismatch.
#[test]
fn national_mix_of_every_type_matches_golden() {
    let dir = tempfile::tempdir().unwrap();
    let (apps, register) = (dir.path().join("national.xlsx"), dir.path().join("register.xlsx"));
    let o = subsidy(&[
        "sample",
        "--out",
        apps.to_str().unwrap(),
        "--month",
        "2025-01",
        "--months",
        "15",
        "--mix",
        "national",
        "--count",
        "3000",
        "--seed",
        "48",
        "--register-out",
        register.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--no-ledger",
        "--applications",
        apps.to_str().unwrap(),
        "--batch-date",
        "2026-03-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let sheet = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    let mut rows = sheet.lines();
    let header: Vec<&str> = rows.next().unwrap().split('\t').collect();
    let keep = [1, 2, 4, 8, 9, 10, 11, 12, 13, 15];
    let pick =
        |cells: &[&str]| keep.iter().map(|&k| cells.get(k).copied().unwrap_or("")).collect::<Vec<_>>().join("\t");
    let mut compact = vec![pick(&header)];
    let mut types = std::collections::BTreeSet::new();
    for line in rows {
        let cells: Vec<&str> = line.split('\t').collect();
        assert!(!cells[15].contains("V013"), "no unknown type: {line}");
        types.insert(cells[4].to_owned());
        compact.push(pick(&cells));
    }
    assert_eq!(types.len(), 46, "every type of the register: {types:?}");
    let expected = root().join("tests/golden/national/expected");
    assert_golden(&(compact.join("\n") + "\n"), &expected.join("register.tsv"));
    assert_golden(&sheet_tsv(&out.join("decisions.xlsx"), "Сводка"), &expected.join("summary.tsv"));

    let o = subsidy(&[
        "audit",
        "--register",
        register.to_str().unwrap(),
        "--out",
        dir.path().join("a.xlsx").to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let summary = String::from_utf8(o.stdout).unwrap();
    assert!(summary.starts_with("3000 applications"), "{summary}");
    assert!(!summary.contains("не совпадает") && !summary.contains("нет правил"), "{summary}");
    assert!(
        summary.contains("normative совпадает:") && summary.contains("normative устанавливается акиматом:"),
        "{summary}"
    );
}

/// One notice of each outcome, in both languages, as text: April's shipped sample (paid, waiting,
/// partial offer, refused) and May's with one ledger (paid from April's waiting list), reviewed in
/// `tests/golden/outcomes/`.
#[test]
fn a_notice_of_every_outcome_matches_golden() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let mut wanted: Vec<(&str, &str, String)> = Vec::new();
    for (month, date, kinds) in [
        (
            "2025-04",
            "2025-04-30",
            &[
                "Сформировано поручение",
                "Одобрена (лист ожидания)",
                "Одобрена (предложена частичная выплата)",
                "Отклонена",
            ][..],
        ),
        ("2025-05", "2025-05-30", &["Сформировано поручение (из листа ожидания)"][..]),
    ] {
        let out = dir.path().join(month);
        let apps = format!("samples/{month}/applications.xlsx");
        assert_exit(
            &subsidy(&[
                "run",
                "--ledger",
                ledger.to_str().unwrap(),
                "--applications",
                &apps,
                "--batch-date",
                date,
                "--out",
                out.to_str().unwrap(),
            ]),
            0,
        );
        // The register for this batch's applications, the queue for the waiting list's.
        let rows: Vec<(String, String)> = sheet_tsv(&out.join("decisions.xlsx"), "Реестр")
            .lines()
            .skip(1)
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .map(|c| (c[1].to_owned(), c[8].to_owned()))
            .chain(
                sheet_tsv(&out.join("decisions.xlsx"), "Очередь")
                    .lines()
                    .skip(1)
                    .take_while(|l| !l.is_empty())
                    .map(|l| l.split('\t').collect::<Vec<_>>())
                    .map(|c| (c[2].to_owned(), c[9].to_owned())),
            )
            .collect();
        for kind in kinds {
            let (no, _) = rows.iter().find(|(_, s)| s == kind).unwrap_or_else(|| panic!("no {kind} in {month}"));
            let html = fs_err::read_to_string(out.join("notices").join(format!("{no}.html"))).unwrap();
            wanted.push((month, kind, notice_text(&html)));
        }
    }
    for (month, kind, text) in wanted {
        let name = match kind {
            "Сформировано поручение" => "paid",
            "Одобрена (лист ожидания)" => "waiting",
            "Одобрена (предложена частичная выплата)" => "partial-offer",
            "Отклонена" => "refused",
            _ => "paid-from-queue",
        };
        assert!(text.contains(kind), "{month} {name}: the notice states its outcome");
        assert_golden(&text, &root().join("tests/golden/outcomes").join(format!("{name}.txt")));
    }
}
