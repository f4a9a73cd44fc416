//! Running the binary and reading its workbooks back as canonical text.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use calamine::{Data, Reader, Xlsx, open_workbook};

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `subsidy` with `args` from the project root, with a clean environment for dates and,
/// unless the arguments name one, a ledger of its own that no other run sees. A batch is a
/// draft (`SUBSIDY_DRAFT`): the shipped rules still hold values to confirm; [`subsidy_final`]
/// runs without it.
pub(crate) fn subsidy(args: &[&str]) -> Output {
    command(args).env("SUBSIDY_DRAFT", "true").output().expect("the binary runs")
}

/// [`subsidy`] with the PDF notices, which the other runs leave out (`SUBSIDY_NO_PDF`): an
/// unoptimised build typesets them slowly, and the tests of the PDFs are their own.
pub(crate) fn subsidy_pdf(args: &[&str]) -> Output {
    command(args).env("SUBSIDY_DRAFT", "true").env_remove("SUBSIDY_NO_PDF").output().expect("the binary runs")
}

/// `run` arguments for the small CSV batch across the Order 428 switch
/// (`tests/golden/csv-boundary/input`, batch date 31.12.2025), decided alone into `out`.
pub(crate) fn csv_batch(out: &str) -> [&str; 10] {
    [
        "run",
        "--no-ledger",
        "--applications",
        "tests/golden/csv-boundary/input/applications.csv",
        "--items",
        "tests/golden/csv-boundary/input/items.csv",
        "--batch-date",
        "2025-12-31",
        "--out",
        out,
    ]
}

/// `run` arguments for April 2025's two sample workbooks (both services), decided alone into `out`.
pub(crate) fn april_batch(out: &str) -> [&str; 10] {
    [
        "run",
        "--no-ledger",
        "--applications",
        "samples/2025-04/applications.xlsx",
        "--applications",
        "samples/2025-04/processing.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out,
    ]
}

/// [`subsidy`] for a batch that is not a draft.
pub(crate) fn subsidy_final(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// The shipped rules with every `unconfirmed` note removed, every reference marked «уточнить»
/// («нақтыланады» in Kazakh) marked confirmed and each region's letter completed, as if the
/// department had confirmed them, in `dir`.
pub(crate) fn confirmed_rules(dir: &Path) -> PathBuf {
    let to = dir.join("rules");
    copy_dir(&root().join("rules"), &to);
    let mut stack = vec![to.clone()];
    while let Some(d) = stack.pop() {
        for e in fs_err::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                let text = fs_err::read_to_string(&p).unwrap();
                let kept: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("unconfirmed =")).collect();
                // The Kazakh citations of such references say the same (`legal-kk.toml`).
                let text =
                    kept.join("\n").replace("уточнить", "подтверждено").replace("нақтыланады", "расталды") + "\n";
                // A region's letter as the department would complete it.
                let text = text
                    .replace("[department]\n", "[department]\naddress-ru = \"г. Караганда, ул. Бухар-Жырау, 1\"\naddress-kk = \"Қарағанды қ., Бұқар жырау к-сі, 1\"\nphone = \"+7 7212 00-00-00\"\n")
                    .replace("[signatures]\n", "[signatures]\nofficer-phone = \"+7 7212 00-00-01\"\n")
                    .replace("head-name = \"\"", "head-name = \"А. Б. Сейтқали\"")
                    .replace("officer-name = \"\"", "officer-name = \"Д. Е. Жұмабек\"");
                fs_err::write(&p, text).unwrap();
            }
        }
    }
    to
}

fn command(args: &[&str]) -> Command {
    static RUN: AtomicU32 = AtomicU32::new(0);
    let own = std::env::temp_dir()
        .join(format!("subsidy-test-{}-{}", std::process::id(), RUN.fetch_add(1, Ordering::SeqCst)))
        .join("ledger.sqlite");
    // A run of an earlier test process with the same id may have left its ledger there.
    if let Some(dir) = own.parent() {
        let _ = fs_err::remove_dir_all(dir);
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_subsidy"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("SUBSIDY_RULES")
        .env_remove("SUBSIDY_REGION")
        .env_remove("SUBSIDY_FAILPOINT")
        .env_remove("SUBSIDY_DRAFT")
        .env("SUBSIDY_NO_PDF", "true")
        .env("SUBSIDY_LEDGER", own);
    cmd
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
pub(crate) fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit code; stderr:\n{}\nstdout:\n{}",
        stderr(o),
        String::from_utf8_lossy(&o.stdout)
    );
}

/// A sheet as tab-separated lines: text as is (newlines shown as `⏎`), numbers with two decimals.
pub(crate) fn sheet_tsv(path: &Path, sheet: &str) -> String {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let range = wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    let mut out = String::new();
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Data::Empty => String::new(),
                Data::String(s) => s.replace('\n', "⏎").replace('\t', " "),
                Data::Float(f) => format!("{f:.2}"),
                Data::Int(i) => i.to_string(),
                Data::Bool(b) => b.to_string(),
                // Date cells as the register shows them: `15.04.2025`, `15.04.2025 10:31:07`.
                Data::DateTime(d) => match d.as_datetime() {
                    Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%d.%m.%Y").to_string(),
                    Some(t) => t.format("%d.%m.%Y %H:%M:%S").to_string(),
                    None => d.to_string(),
                },
                other => other.to_string(),
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("\t").trim_end_matches('\t'));
    }
    out
}

/// Compares with a committed expected file; `UPDATE_GOLDEN=1` rewrites it instead.
#[track_caller]
pub(crate) fn assert_golden(actual: &str, expected: &Path) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs_err::create_dir_all(expected.parent().unwrap()).unwrap();
        fs_err::write(expected, actual).unwrap();
        return;
    }
    let want = fs_err::read_to_string(expected)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", expected.display()));
    if want != actual {
        let diff: Vec<String> = want
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (w, a))| w != a)
            .take(5)
            .map(|(i, (w, a))| format!("line {}:\n  expected: {w}\n  actual:   {a}", i + 1))
            .collect();
        panic!(
            "{} differs ({} vs {} lines); review and run with UPDATE_GOLDEN=1 to accept:\n{}",
            expected.display(),
            want.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

/// Copies a folder (rules, templates) to change a copy in a test.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs_err::create_dir_all(to).unwrap();
    for e in fs_err::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dst = to.join(p.file_name().unwrap());
        if p.is_dir() { copy_dir(&p, &dst) } else { fs_err::copy(&p, &dst).map(|_| ()).unwrap() }
    }
}

/// A notice as its reader sees it: the text of its body, a line per paragraph or table row.
pub(crate) fn notice_text(html: &str) -> String {
    let body = &html[html.find("<body>").unwrap_or(0)..];
    let mut text = String::new();
    let mut tag = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' => {
                in_tag = false;
                let name = tag.trim_start_matches('/').split_whitespace().next().unwrap_or("");
                if matches!(name, "tr" | "p" | "h1" | "li" | "header" | "section" | "div" | "br") {
                    text.push('\n');
                } else {
                    text.push(' ');
                }
            }
            _ if in_tag => tag.push(c),
            _ => text.push(c),
        }
    }
    let text = text.replace("&#x2F;", "/").replace("&quot;", "\"").replace("&#x27;", "'").replace("&amp;", "&");
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
