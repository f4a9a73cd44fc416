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
