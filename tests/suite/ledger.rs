//! Month to month: the ledger carries the waiting list, refuses what was paid before, and a run
//! stopped anywhere leaves the ledger and the outputs as they were.

use std::path::Path;

use crate::common::{assert_exit, root, sheet_tsv, stderr, subsidy};

fn run(ledger: &Path, apps: &str, date: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "--ledger",
        ledger.to_str().unwrap(),
        "--applications",
        apps,
        "--batch-date",
        date,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    subsidy(&args)
}

fn ledger_cmd(ledger: &Path, args: &[&str]) -> std::process::Output {
    let mut a = vec!["ledger"];
    a.extend_from_slice(&args[..1]);
    a.extend(["--ledger", ledger.to_str().unwrap()]);
    a.extend_from_slice(&args[1..]);
    subsidy(&a)
}

fn queue_rows(out: &Path) -> Vec<Vec<String>> {
    sheet_tsv(&out.join("decisions.xlsx"), "Очередь")
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn april_leaves_a_waiting_list_and_may_pays_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let april = dir.path().join("2025-04");
    assert_exit(&run(&ledger, "samples/2025-04/applications.xlsx", "2025-04-30", &april, &[]), 0);
    let rows = queue_rows(&april);
    let waiting: Vec<&Vec<String>> = rows.iter().filter(|r| r[9] != "Сформировано поручение").collect();
    assert!(!waiting.is_empty(), "April's 300 mn plan leaves applications waiting");
    // FIFO: nobody after the first one waiting was paid.
    let first_waiting = rows.iter().position(|r| r[9] != "Сформировано поручение").unwrap();
    assert!(rows[first_waiting..].iter().all(|r| r[7] == "0.00"));
    assert_eq!(
        rows[first_waiting][9], "Одобрена (предложена частичная выплата)",
        "the first one waiting is offered the rest"
    );
    outcomes_agree(&ledger, &april);
    // Every notice has its outgoing number, the year's sequence from 1, each once.
    let mut numbers: Vec<u32> = fs_err::read_dir(april.join("notices"))
        .unwrap()
        .flatten()
        .filter(|f| f.file_name() != "index.html")
        .map(|f| {
            let html = fs_err::read_to_string(f.path()).unwrap();
            let at = html.find("Исх. № 2025&#x2F;").expect("an outgoing number") + "Исх. № 2025&#x2F;".len();
            html[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());

    let may = dir.path().join("2025-05");
    let o = run(&ledger, "samples/2025-05/applications.xlsx", "2025-05-30", &may, &[]);
    assert_exit(&o, 0);
    let may_rows = queue_rows(&may);
    let carried: Vec<&Vec<String>> = may_rows.iter().filter(|r| r[4] == "2025-04-30").collect();
    assert_eq!(carried.len(), waiting.len(), "every April waiting application is in May's queue");
    // Carried applications come first, and May pays in queue order: nobody after the first one
    // left waiting is paid, so no May application is paid before every April one.
    assert!(may_rows.iter().take(carried.len()).all(|r| r[4] == "2025-04-30"));
    assert_eq!(
        may_rows[0][9], "Сформировано поручение (из листа ожидания)",
        "May pays April's first waiting application"
    );
    if let Some(first_waiting) = may_rows.iter().position(|r| !r[9].starts_with("Сформировано поручение"))
    {
        assert!(may_rows[first_waiting + 1..].iter().all(|r| r[7] == "0.00"));
    }
    outcomes_agree(&ledger, &may);
    // May's numbers go on from April's.
    let may_first = fs_err::read_to_string(may.join("notices").join(format!("{}.html", may_rows[0][2]))).unwrap();
    let at = may_first.find("Исх. № 2025&#x2F;").unwrap() + "Исх. № 2025&#x2F;".len();
    let no: u32 = may_first[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap();
    assert!(no > numbers.len() as u32, "May's numbers follow April's {}: {no}", numbers.len());
    // An April application paid from the waiting list in May is told so in May, and its history
    // says so.
    let notice = fs_err::read_to_string(may.join("notices").join(format!("{}.html", may_rows[0][2]))).unwrap();
    assert!(notice.contains("<td>Статус заявки</td><td>Сформировано поручение (из листа ожидания)</td>"), "{notice}");
    assert!(
        notice.contains("30.04.2025 года, включена в лист ожидания")
            && notice.contains("30.05.2025 года сформировано платёжное поручение"),
        "{notice}"
    );
    let index = fs_err::read_to_string(may.join("notices/index.html")).unwrap();
    assert!(index.contains(&format!("{}.html", may_rows[0][2])), "the index lists it");
    let h = String::from_utf8(ledger_cmd(&ledger, &["history", &may_rows[0][2]]).stdout).unwrap();
    assert!(h.contains("outcome in batch 2025-05-30: Сформировано поручение (из листа ожидания)"), "{h}");
    assert!(h.ends_with("status: Сформировано поручение (из листа ожидания)\n"), "{h}");
    let paid_may: f64 = may_rows.iter().map(|r| r[7].parse::<f64>().unwrap()).sum();
    assert!(paid_may <= 250_000_000.0, "never more than May's plan");

    let budget = String::from_utf8(ledger_cmd(&ledger, &["budget", "--year", "2025"]).stdout).unwrap();
    assert!(budget.contains("    4        300\u{202f}000\u{202f}000,00 ₸"), "{budget}");
}

/// The register, each notice and `ledger history` give every application of a batch the same
/// outcome, and a waiting application's place is the one `ledger waiting` shows.
fn outcomes_agree(ledger: &Path, out: &Path) {
    let reg = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    let waiting = String::from_utf8(ledger_cmd(ledger, &["waiting"]).stdout).unwrap();
    let place_in_ledger = |app_no: &str| {
        waiting.lines().find_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w.get(2) == Some(&app_no)).then(|| w[1].to_owned())
        })
    };
    let mut checked = 0;
    for line in reg.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (app_no, status, place) = (cols[1], cols[8], cols[24]);
        let notice = fs_err::read_to_string(out.join("notices").join(format!("{app_no}.html"))).unwrap();
        assert!(
            notice.contains(&format!("<td>Статус заявки</td><td>{status}</td>")),
            "{app_no}: notice vs register `{status}`"
        );
        let h = String::from_utf8(ledger_cmd(ledger, &["history", app_no]).stdout).unwrap();
        assert!(h.ends_with(&format!("status: {status}\n")), "{app_no}: ledger vs register `{status}`:\n{h}");
        if place.is_empty() {
            assert_eq!(place_in_ledger(app_no), None, "{app_no} is not waiting");
        } else {
            let place = place.trim_end_matches(".00");
            assert_eq!(place_in_ledger(app_no).as_deref(), Some(place), "{app_no}: place in ledger waiting");
            assert!(notice.contains(&format!("место в очереди — {place}.")), "{app_no}: place {place} in the notice");
        }
        checked += 1;
    }
    assert!(checked >= 100, "{checked} applications compared");
}

#[test]
fn rerunning_a_batch_records_nothing_twice_and_rewrites_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let out = dir.path().join("out");
    let apps = "tests/golden/karaganda-small/input/applications.xlsx";
    assert_exit(&run(&ledger, apps, "2025-04-30", &out, &[]), 0);
    let first = fs_err::read(out.join("decisions.xlsx")).unwrap();
    let waiting = ledger_cmd(&ledger, &["waiting"]).stdout;
    let o = run(&ledger, apps, "2025-04-30", &out, &[]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("already recorded with the same inputs"), "{}", stderr(&o));
    assert_eq!(fs_err::read(out.join("decisions.xlsx")).unwrap(), first);
    assert_eq!(ledger_cmd(&ledger, &["waiting"]).stdout, waiting);
}

#[test]
fn other_inputs_under_a_recorded_batch_need_replace_and_an_unsubmitted_batch() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let out = dir.path().join("out");
    assert_exit(&run(&ledger, "tests/golden/karaganda-small/input/applications.xlsx", "2025-04-30", &out, &[]), 0);
    let o = run(&ledger, "samples/2025-04/applications.xlsx", "2025-04-30", &out, &[]);
    assert_exit(&o, 4);
    assert!(
        stderr(&o).contains("already recorded with other inputs") && stderr(&o).contains("--replace"),
        "{}",
        stderr(&o)
    );
    assert_exit(&run(&ledger, "samples/2025-04/applications.xlsx", "2025-04-30", &out, &["--replace"]), 0);
    // A draft's lists are not submitted.
    let o = ledger_cmd(&ledger, &["submit", "--batch", "2025-04-30"]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("is a draft"), "{}", stderr(&o));
    // Confirmed, the batch is decided again as final, and then submitted.
    let rules = crate::common::confirmed_rules(dir.path());
    let final_run = |apps: &str, extra: &[&str]| {
        let mut a = vec!["run", "--rules", rules.to_str().unwrap(), "--ledger", ledger.to_str().unwrap()];
        a.extend(["--applications", apps, "--batch-date", "2025-04-30", "--out", out.to_str().unwrap()]);
        a.extend_from_slice(extra);
        crate::common::subsidy_final(&a)
    };
    assert_exit(&final_run("samples/2025-04/applications.xlsx", &["--replace"]), 0);
    assert_exit(&ledger_cmd(&ledger, &["submit", "--batch", "2025-04-30"]), 0);
    let o = final_run("tests/golden/karaganda-small/input/applications.xlsx", &["--replace"]);
    assert_exit(&o, 4);
    assert!(stderr(&o).contains("submitted to the treasury"), "{}", stderr(&o));
}

/// Rules that still hold values to confirm stop a batch unless it is a draft; a draft says so on
/// every document, and confirmed rules decide a final batch with no mark.
#[test]
fn a_batch_on_unconfirmed_values_is_a_draft_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = |rules: &str, out: &Path| {
        let o = out.to_str().unwrap().to_owned();
        vec![
            "run".to_owned(),
            "--no-ledger".into(),
            "--rules".into(),
            rules.into(),
            "--applications".into(),
            "samples/2025-04/processing.xlsx".into(),
            "--batch-date".into(),
            "2025-04-30".into(),
            "--out".into(),
            o,
        ]
    };
    let run_final = |v: Vec<String>| crate::common::subsidy_final(&v.iter().map(String::as_str).collect::<Vec<_>>());
    let o = run_final(args("rules", &out));
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("warning[R020 unconfirmed]") && stderr(&o).contains("--draft"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing is written");
    let mut draft = args("rules", &out);
    draft.push("--draft".into());
    assert_exit(&run_final(draft), 0);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs_err::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["draft"], true);
    for f in fs_err::read_dir(out.join("notices")).unwrap().flatten() {
        let html = fs_err::read_to_string(f.path()).unwrap();
        assert!(html.contains("<div class=\"draft\">ЖОБА / ПРОЕКТ</div>"), "{}", f.path().display());
    }
    assert!(fs_err::read_to_string(out.join("report.html")).unwrap().contains("ЖОБА / ПРОЕКТ"));
    let rules = crate::common::confirmed_rules(dir.path());
    let fin = dir.path().join("final");
    assert_exit(&run_final(args(rules.to_str().unwrap(), &fin)), 0);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs_err::read(fin.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["draft"], false);
    let index = fs_err::read_to_string(fin.join("notices/index.html")).unwrap();
    assert!(!index.contains("ЖОБА / ПРОЕКТ"));
    // Confirmed, a notice is a whole letter: the department's address, the signer's name, the
    // e-signature statement and the executor with a phone, in each language.
    let notice = fs_err::read_dir(fin.join("notices"))
        .unwrap()
        .flatten()
        .find(|f| f.file_name().to_string_lossy().ends_with(".html") && f.file_name() != "index.html")
        .unwrap();
    let text = crate::common::notice_text(&fs_err::read_to_string(notice.path()).unwrap());
    for line in [
        "Қарағанды қ., Бұқар жырау к-сі, 1, тел. +7 7212 00-00-00",
        "г. Караганда, ул. Бухар-Жырау, 1, тел. +7 7212 00-00-00",
        "Басшы А. Б. Сейтқали",
        "Руководитель А. Б. Сейтқали",
        "Құжат электрондық цифрлық қолтаңбамен қол қойылды: Басшы А. Б. Сейтқали, 30.04.2025 ж.",
        "Документ подписан электронной цифровой подписью: Руководитель А. Б. Сейтқали, 30.04.2025 года.",
        "Орындаушы: Д. Е. Жұмабек, тел. +7 7212 00-00-01",
        "Исполнитель: Д. Е. Жұмабек, тел. +7 7212 00-00-01",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert!(!text.contains("нақтыланады") && !text.contains("уточнить"), "{text}");
}

/// The same animal in two applications of one batch, then again in a later batch under a new
/// application number, and the same application number twice.
#[test]
fn animals_and_invoices_are_subsidised_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("tests/golden/csv-boundary/input");
    let apps = fs_err::read_to_string(input.join("applications.csv")).unwrap();
    let items = fs_err::read_to_string(input.join("items.csv")).unwrap();
    // Application 2 lists the animal of application 1 (earlier in the queue).
    let items_dup = items.replacen("00700100500002;KZ100000002", "00700100500002;KZ100000001", 1);
    let (a, i) = (dir.path().join("a.csv"), dir.path().join("i.csv"));
    fs_err::write(&a, &apps).unwrap();
    fs_err::write(&i, &items_dup).unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let out = dir.path().join("dec");
    let o = subsidy(&[
        "run",
        "--ledger",
        ledger.to_str().unwrap(),
        "--applications",
        a.to_str().unwrap(),
        "--items",
        i.to_str().unwrap(),
        "--batch-date",
        "2025-12-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let reg = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    let row = |no: &str| reg.lines().find(|l| l.contains(no)).unwrap().to_owned();
    assert!(row("00700100500001").contains("Сформировано поручение"));
    assert!(
        row("00700100500002").contains("DUP-SUBJECT")
            && row("00700100500002").contains("указан(а) в заявке 00700100500001"),
        "{}",
        row("00700100500002")
    );

    // January: the same bull again under a new number, and application 1 once more.
    let jan_apps = format!(
        "{}\n{}",
        apps.lines().next().unwrap(),
        apps.lines().nth(1).unwrap().replace("00700100500001;04.12.2025", "00700100600001;22.01.2026")
    ) + "\n"
        + apps.lines().nth(1).unwrap()
        + "\n";
    let jan_items = format!(
        "{}\n{}\n{}\n",
        items.lines().next().unwrap(),
        items.lines().nth(1).unwrap().replace("00700100500001", "00700100600001"),
        items.lines().nth(1).unwrap()
    );
    fs_err::write(&a, jan_apps).unwrap();
    fs_err::write(&i, jan_items).unwrap();
    let out = dir.path().join("jan");
    let o = subsidy(&[
        "run",
        "--ledger",
        ledger.to_str().unwrap(),
        "--applications",
        a.to_str().unwrap(),
        "--items",
        i.to_str().unwrap(),
        "--batch-date",
        "2026-01-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let reg = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    let again = reg.lines().find(|l| l.contains("00700100600001")).unwrap();
    assert!(
        again.contains("Отклонена")
            && again.contains("уже просубсидирован(а) по заявке 00700100500001 (пакет 2025-12-31)"),
        "{again}"
    );
    let before = reg.lines().find(|l| l.contains("00700100500001\t")).expect("a register row, not decided again");
    assert!(before.contains("Не рассматривается (решена ранее)"), "{before}");
    let problems = sheet_tsv(&out.join("decisions.xlsx"), "Ошибки ввода");
    assert!(problems.contains("I007") && problems.contains("was decided in batch 2025-12-31"), "{problems}");
}

/// Stops the run at each failpoint: before the ledger transaction, inside it before commit, and
/// after commit before the outputs are moved into place.
#[test]
fn a_run_killed_anywhere_leaves_the_ledger_and_outputs_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let out = dir.path().join("out");
    let apps = "tests/golden/karaganda-small/input/applications.xlsx";
    for point in ["before-ledger", "before-ledger-commit"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_subsidy"))
            .args([
                "run",
                "--ledger",
                ledger.to_str().unwrap(),
                "--applications",
                apps,
                "--batch-date",
                "2025-04-30",
                "--out",
                out.to_str().unwrap(),
            ])
            .current_dir(root())
            .env("SUBSIDY_DRAFT", "true")
            .env("SUBSIDY_FAILPOINT", point)
            .output()
            .unwrap();
        assert!(!o.status.success(), "{point}: the process was stopped");
        assert!(!out.exists(), "{point}: nothing under the final name");
        let w = ledger_cmd(&ledger, &["waiting"]);
        assert!(String::from_utf8_lossy(&w.stdout).contains("0 waiting"), "{point}: ledger unchanged");
        assert_exit(&ledger_cmd(&ledger, &["history", "00400100310048"]), 1);
    }
    // After the commit: the ledger has the batch, the outputs are not yet in place; the re-run
    // publishes the same outputs and records nothing twice.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_subsidy"))
        .args([
            "run",
            "--ledger",
            ledger.to_str().unwrap(),
            "--applications",
            apps,
            "--batch-date",
            "2025-04-30",
            "--out",
            out.to_str().unwrap(),
        ])
        .current_dir(root())
        .env("SUBSIDY_DRAFT", "true")
        .env("SUBSIDY_FAILPOINT", "before-publish")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(!out.exists());
    let o = run(&ledger, apps, "2025-04-30", &out, &[]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("already recorded with the same inputs"));
    let clean = dir.path().join("clean");
    assert_exit(&run(&dir.path().join("other.sqlite"), apps, "2025-04-30", &clean, &[]), 0);
    assert_eq!(fs_err::read(out.join("decisions.xlsx")).unwrap(), fs_err::read(clean.join("decisions.xlsx")).unwrap());
    let leftovers: Vec<_> = fs_err::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".partial-"))
        .collect();
    assert!(leftovers.is_empty(), "staged folders of stopped runs are cleared");
}

#[test]
fn treasury_execution_results_mark_payments_and_report_mismatches() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--ledger",
        ledger.to_str().unwrap(),
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
    let csv = fs_err::read_to_string(out.join("payments-livestock.csv")).unwrap();
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let second: Vec<&str> = csv.lines().nth(2).unwrap().split(',').collect();
    let results = dir.path().join("results.csv");
    fs_err::write(
        &results,
        format!(
            "payment_id,amount,status\n{},{},executed\n{},1.00,executed\nffffffffffffffff,5.00,executed\n",
            first[1], first[8], second[1]
        ),
    )
    .unwrap();
    let o = ledger_cmd(&ledger, &["import-execution", "--file", results.to_str().unwrap()]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("1 executed, 0 rejected, 2 mismatches"), "{err}");
    assert!(
        err.contains("is 260000.00 in the ledger, 1.00 in the file")
            && err.contains("no formed payment `ffffffffffffffff`"),
        "{err}"
    );
    let h = String::from_utf8(ledger_cmd(&ledger, &["history", first[9]]).stdout).unwrap();
    assert!(h.ends_with("status: Исполнена\n"), "{h}");
    let h = String::from_utf8(ledger_cmd(&ledger, &["history", second[9]]).stdout).unwrap();
    assert!(h.ends_with("status: Сформировано поручение\n"), "{h}");
}

/// The registry extracts are joined to the items: a different breed, an animal registered to
/// another owner and an unknown record number each refuse their application.
#[test]
fn registry_mismatches_refuse_the_application() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--no-ledger",
        "--applications",
        "tests/golden/csv-boundary/input/applications.csv",
        "--items",
        "tests/golden/csv-boundary/input/items.csv",
        "--animals",
        "tests/golden/registry/animals.csv",
        "--farms",
        "tests/golden/registry/farms.csv",
        "--batch-date",
        "2025-12-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let reg = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    let row = |no: &str| reg.lines().find(|l| l.contains(no)).unwrap().to_owned();
    assert!(row("00700100500001").contains("Сформировано поручение"), "matching data pass");
    assert!(
        row("00700100500002").contains("REGISTRY-MISMATCH")
            && row("00700100500002").contains("порода (в ИСЖ: герефордская)")
    );
    assert!(row("02200100500005").contains("KZ100000008: в ИСЖ зарегистрирован на 940140000385"));
    assert!(row("01900100500006").contains("учетный номер 3512-00006 не найден в реестре"));
    let manifest = fs_err::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("tests/golden/registry/animals.csv"), "the extracts are hashed as inputs");
}

#[test]
fn a_registry_listing_an_animal_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let animals = dir.path().join("animals.csv");
    let text = fs_err::read_to_string(root().join("tests/golden/registry/animals.csv")).unwrap();
    let dup = text.lines().nth(1).unwrap().to_owned();
    fs_err::write(&animals, format!("{text}{dup}\n")).unwrap();
    let o = subsidy(&[
        "run",
        "--no-ledger",
        "--applications",
        "tests/golden/csv-boundary/input/applications.csv",
        "--items",
        "tests/golden/csv-boundary/input/items.csv",
        "--animals",
        animals.to_str().unwrap(),
        "--batch-date",
        "2025-12-31",
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_exit(&o, 4);
    assert!(stderr(&o).contains("ИНЖ `KZ100000001` appears twice"), "{}", stderr(&o));
}

/// A processing plant's invoice paid in April cannot be claimed again in May, even for another
/// product: the processing service subsidises an invoice once across its types.
#[test]
fn a_processing_invoice_paid_in_april_is_refused_in_may_for_another_product() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let header = "Номер заявки;Дата подачи;Район;Наименование заявителя;Тип заявителя;БИН;Учетный номер;ИИК;БИК;Кбе;\
                  Производимая продукция;Период с;Период по;Произведено, кг;Реализовано, кг;Количество;Сумма;Согласие;\
                  ИИН/БИН подписанта;ЭЦП действителен до";
    let plant = "ТОО «Тест Сүт»;ТОО;030740015018;3510-П0001;KZ476010131000179714;HSBKKZKX;17";
    let items_header =
        "Номер заявки;Номер ЭСФ;Дата ЭСФ;ИИН/БИН продавца;Продавец;Закупаемая продукция;Объем, кг;Страна";
    let month = |name: &str, app: &str, submitted: &str, product: &str, period: (&str, &str), esf_date: &str| {
        let apps = dir.path().join(format!("{name}-apps.csv"));
        let items = dir.path().join(format!("{name}-items.csv"));
        fs_err::write(
            &apps,
            format!(
                "{header}\n{app};{submitted} 10:00:00;г. Караганда;{plant};{product};{};{};1000;900;5000;100000;Да;030740015018;31.12.2030\n",
                period.0, period.1
            ),
        )
        .unwrap();
        fs_err::write(
            &items,
            format!(
                "{items_header}\n{app};KZ-ESF-TWICE;{esf_date};110540018161;КХ «Береке»;молоко сырое;5000;Казахстан\n"
            ),
        )
        .unwrap();
        (apps, items)
    };
    let (a, i) =
        month("april", "60100500000001", "15.04.2025", "масло сливочное", ("01.03.2025", "31.03.2025"), "10.03.2025");
    let out = dir.path().join("2025-04");
    let o = run(&ledger, a.to_str().unwrap(), "2025-04-30", &out, &["--items", i.to_str().unwrap()]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("1 approved"), "{}", stderr(&o));

    let (a, i) =
        month("may", "60200500000002", "15.05.2025", "сыр твёрдый", ("01.03.2025", "31.03.2025"), "10.03.2025");
    let out = dir.path().join("2025-05");
    let o = run(&ledger, a.to_str().unwrap(), "2025-05-30", &out, &["--items", i.to_str().unwrap()]);
    assert_exit(&o, 0);
    let register = sheet_tsv(&out.join("decisions.xlsx"), "Реестр");
    assert!(register.contains("DUP-SUBJECT"), "{register}");
    assert!(
        register.contains("ЭСФ KZ-ESF-TWICE уже просубсидирован(а) по заявке 60100500000001 (пакет 2025-04-30)"),
        "{register}"
    );
}
