//! Faults while writing: a write that fails is exit 4 with nothing left behind, and a run killed at
//! any step of publishing leaves, after the next run, exactly one complete output.

use std::path::Path;
use std::process::{Command, Output};

use sha2::Digest as _;

use crate::common::{assert_exit, root, stderr};

const APPS: &str = "tests/golden/karaganda-small/input/applications.xlsx";

fn run_with(out: &Path, env: &[(&str, &str)], shell: Option<&str>) -> Output {
    let bin = env!("CARGO_BIN_EXE_subsidy");
    let args =
        ["run", "--no-ledger", "--applications", APPS, "--batch-date", "2025-04-30", "--out", out.to_str().unwrap()];
    let mut cmd = match shell {
        // `exec` keeps the shell's limits and ignored signals for the binary.
        Some(prefix) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("{prefix}; exec \"$0\" \"$@\"")).arg(bin).args(args);
            c
        }
        None => {
            let mut c = Command::new(bin);
            c.args(args);
            c
        }
    };
    cmd.current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("SUBSIDY_FAILPOINT")
        .env("SUBSIDY_DRAFT", "true");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

/// The folder holds one complete output of subsidy: its manifest lists every file, each with its
/// hash, and nothing is staged or set aside beside it.
fn one_complete_output(out: &Path) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs_err::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["tool"], "subsidy");
    let listed = manifest["outputs"].as_array().unwrap();
    assert!(listed.len() > 5);
    for f in listed {
        let path = out.join(f["path"].as_str().unwrap());
        let bytes = fs_err::read(&path).unwrap();
        let hex: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(f["sha256"].as_str().unwrap(), hex, "{}", path.display());
    }
    let parent = out.parent().unwrap();
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let beside: Vec<String> = fs_err::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

#[test]
fn a_run_killed_at_each_step_of_publishing_leaves_one_complete_output_after_the_next() {
    for point in ["before-publish", "publish-moved-aside", "publish-in-place", "publish-deleting"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("2025-04");
        assert_exit(&run_with(&out, &[], None), 0);
        let o = run_with(&out, &[("SUBSIDY_FAILPOINT", point)], None);
        assert!(!o.status.success() && stderr(&o).contains(point), "{point}: stopped there: {}", stderr(&o));
        let o = run_with(&out, &[], None);
        assert_exit(&o, 0);
        one_complete_output(&out);
        let said = stderr(&o).contains("note: ");
        match point {
            "before-publish" => assert!(!said, "{point}: nothing to put right"),
            _ => assert!(said, "{point}: the run says what it put right: {}", stderr(&o)),
        }
    }
}

#[test]
fn a_write_that_fails_is_exit_4_naming_the_output_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("2025-04");
    // A file-size limit of 100 KiB with its signal ignored: writes past it fail.
    let o = run_with(&out, &[], Some("trap '' XFSZ; ulimit -f 200"));
    assert_exit(&o, 4);
    assert!(stderr(&o).contains(&out.display().to_string()), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    let left: Vec<_> = fs_err::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "nothing is left behind: {left:?}");
}
