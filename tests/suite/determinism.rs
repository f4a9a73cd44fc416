//! Same inputs and rules give byte-identical outputs, whatever the number of threads.

use crate::common::{assert_exit, subsidy};

#[test]
fn one_thread_and_several_threads_write_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = dir.path().join(format!("j{threads}"));
        let o = subsidy(&[
            "run",
            "--applications",
            "samples/2025-04/applications.xlsx",
            "--batch-date",
            "2025-04-30",
            "-j",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_exit(&o, 0);
        outputs.push((
            fs_err::read(out.join("decisions.xlsx")).unwrap(),
            fs_err::read(out.join("manifest.json")).unwrap(),
        ));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "outputs differ between thread counts");
}

#[test]
fn created_at_comes_from_the_command_line_not_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--applications",
        "samples/2025-04/applications.xlsx",
        "--batch-date",
        "2025-04-30",
        "--created-at",
        "2025-05-02T09:30:00",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let manifest = fs_err::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"created_at\": \"2025-05-02T09:30:00Z\""), "{manifest}");
}

/// A generated month of 2 000 applications with 5 % realistic mistakes: one thread and all
/// threads give byte-identical outputs, and the mistakes are caught (duplicate animals among them).
#[test]
fn a_generated_file_of_thousands_gives_identical_outputs_on_one_and_all_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("apps.xlsx");
    assert_exit(
        &subsidy(&[
            "sample",
            "--out",
            input.to_str().unwrap(),
            "--count",
            "2000",
            "--seed",
            "11",
            "--mistake-share",
            "5",
        ]),
        0,
    );
    let cores = std::thread::available_parallelism().map_or(2, usize::from).to_string();
    let mut outputs = Vec::new();
    for threads in ["1", cores.as_str()] {
        let out = dir.path().join(format!("j{threads}"));
        let o = subsidy(&[
            "run",
            "--no-ledger",
            "--applications",
            input.to_str().unwrap(),
            "--batch-date",
            "2025-04-30",
            "-j",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_exit(&o, 0);
        outputs.push((
            fs_err::read(out.join("decisions.xlsx")).unwrap(),
            fs_err::read(out.join("manifest.json")).unwrap(),
            fs_err::read(out.join("payments-livestock.csv")).unwrap(),
        ));
    }
    assert!(outputs[0] == outputs[1], "outputs differ between 1 and all threads");
    let manifest: serde_json::Value = serde_json::from_slice(&outputs[0].1).unwrap();
    let refused = manifest["counts"]["by_status"]["refused"].as_u64().unwrap();
    assert!((40..=160).contains(&refused), "about 5 % refused: {refused}");
    let register = crate::common::sheet_tsv(&dir.path().join("j1/decisions.xlsx"), "Реестр");
    assert!(register.contains("DUP-SUBJECT"), "a duplicate animal is refused");
}

/// A batch of several files decides the same whether its files stay in memory between the two
/// passes or are read again (`--keep`), part by part: with duplicate animals across files and a
/// file given twice (every application of the repeat is left out with `I004`).
#[test]
fn files_read_again_give_the_same_outputs_as_files_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("apps.xlsx");
    let o = subsidy(&[
        "sample",
        "--out",
        input.to_str().unwrap(),
        "--count",
        "1200",
        "--seed",
        "5",
        "--mistake-share",
        "6",
        "--per-file",
        "500",
    ]);
    assert_exit(&o, 0);
    let part = |k: u32| dir.path().join(format!("apps-{k:02}.xlsx")).to_str().unwrap().to_owned();
    let files = [part(1), part(2), part(3), part(1)];
    let mut outputs = Vec::new();
    for keep in ["0", "50000"] {
        let out = dir.path().join(format!("keep{keep}"));
        let mut args = vec!["run", "--no-ledger", "--batch-date", "2025-04-30", "--keep", keep];
        for f in &files {
            args.extend(["--applications", f.as_str()]);
        }
        let out_s = out.to_str().unwrap().to_owned();
        args.extend(["--out", out_s.as_str()]);
        assert_exit(&subsidy(&args), 0);
        let read = |name: &str| fs_err::read(out.join(name)).unwrap();
        // The manifest holds the SHA-256 of every notice.
        outputs.push([
            read("decisions.xlsx"),
            read("manifest.json"),
            read("payments-livestock.xlsx"),
            read("report.html"),
        ]);
    }
    assert!(outputs[0] == outputs[1], "outputs differ between files read again and files kept");
    let manifest: serde_json::Value = serde_json::from_slice(&outputs[0][1]).unwrap();
    assert_eq!(manifest["counts"]["applications"], 1700, "every row of the repeated file is a register row");
    assert!(manifest["counts"]["by_status"]["refused"].as_u64().unwrap() >= 500, "the repeats are refused");
    let problems = crate::common::sheet_tsv(&dir.path().join("keep0/decisions.xlsx"), "Ошибки ввода");
    assert_eq!(problems.matches("I004").count(), 500, "each application of the repeat is refused for it");
    let register = crate::common::sheet_tsv(&dir.path().join("keep0/decisions.xlsx"), "Реестр");
    assert!(register.contains("[apps-02.xlsx]Заявки!"), "cells name their file");
    let clashes_across = register.lines().filter(|l| l.contains("DUP-SUBJECT") && l.contains("этого пакета")).count();
    assert!(clashes_across > 0, "a duplicate animal is refused against an application of the batch");
}
