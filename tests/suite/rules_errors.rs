//! Broken rule files stop the run before anything is processed and every problem is listed.

use std::path::Path;

use crate::common::{assert_exit, root, stderr, subsidy};

/// Copies the shipped rules into `dir` and applies `(file, from, to)` replacements.
fn broken_rules(dir: &Path, edits: &[(&str, &str, &str)]) {
    let src = root().join("rules");
    for entry in walk(&src) {
        let rel = entry.strip_prefix(&src).unwrap();
        let dst = dir.join(rel);
        fs_err::create_dir_all(dst.parent().unwrap()).unwrap();
        fs_err::copy(&entry, &dst).unwrap();
    }
    for (file, from, to) in edits {
        let p = dir.join(file);
        let text = fs_err::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        fs_err::write(&p, text.replacen(from, to, 1)).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs_err::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn shipped_rules_are_valid() {
    let o = subsidy(&["check"]);
    assert_exit(&o, 0);
    assert!(
        stderr(&o).contains("rules are valid: 49 subsidy types in 2 services (livestock, processing)"),
        "{}",
        stderr(&o)
    );
    // What rests on an assumption is listed, as warnings that do not fail the check.
    let err = stderr(&o);
    assert!(
        err.contains("warning[R020 unconfirmed]: rate `RATE-024-AKIMAT` of subsidy type `024`: the akimat sets"),
        "{err}"
    );
    assert!(err.contains("value") && err.contains("rest on an assumption"), "{err}");
    assert!(!err.contains("error["), "{err}");
}

#[test]
fn every_problem_is_reported_at_once_with_file_line_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    broken_rules(
        &rules,
        &[
            (
                "programs/007.toml",
                "require = \"age_months BETWEEN 8 AND 26\"",
                "require = \"agee_months BETWEEN 8 AND 26\"",
            ),
            ("programs/004.toml", "effective-to = 2025-12-05", "effective-to = 2025-12-15"),
            ("programs/019.toml", "require = \"herd_size >= 50\"", "require = \"herd_size * 2\""),
            ("programs/022.toml", "live_weight_kg >= 180\"", "live_weight_kg >= AND\""),
            (
                "programs/116.toml",
                "require = \"age_months BETWEEN 4 AND 18\"",
                "require = \"age_months BETWEEN 4 AND\"",
            ),
            ("programs/031.toml", "amount = \"15000\"", "amount = 15000.5"),
            ("programs/055.toml", "effective-to = 2025-12-05", "effective-to = 2025-11-01"),
            ("programs/115.toml", "budget-program = \"livestock\"", "budget-program = \"livestok\""),
            ("budget.toml", "payer-iban = \"KZ24070105KSN0000000\"", "payer-iban = \"KZ476010131000179714\""),
        ],
    );
    let o = subsidy(&["check", "--rules", rules.to_str().unwrap()]);
    assert_exit(&o, 3);
    let err = stderr(&o);
    let r = rules.to_str().unwrap();
    for want in [
        format!(
            "error[R006 unknown-field]: criterion `007-AGE` uses unknown item field `agee_months`\n  --> {r}/programs/007.toml:"
        ),
        "= hint: item criteria can use: app_no, animal_id".to_owned(),
        format!(
            "error[R003 overlapping-periods]: rates `RATE-004-189` and `RATE-004-428` of subsidy type `004` are both in force on 2025-12-05\n  --> {r}/programs/004.toml:"
        ),
        "= hint: set `effective-to = 2025-12-05` on rate `RATE-004-189`".to_owned(),
        format!(
            "error[R007 not-boolean]: criterion `019-HERD` gives a value of type f64, not true or false\n  --> {r}/programs/019.toml:"
        ),
        "error[R006 unknown-field]: criterion `022-WEIGHT` uses unknown item field `AND`".to_owned(),
        "error[R005 criterion-syntax]: criterion `116-AGE` does not parse".to_owned(),
        format!(
            "error[R001 invalid-toml]: money written as a float (15000.5); write it in quotes, e.g. \"15000.50\"\n  --> {r}/programs/031.toml:"
        ),
        "error[R004 gap-in-periods]: no rate of subsidy type `055` is in force from 2025-11-01 to 2025-12-05"
            .to_owned(),
        format!("error[R015 unknown-budget-program]: budget program `livestok` is not defined in budget.toml\n  --> {r}/programs/115.toml:"),
        "= hint: defined programs: livestock".to_owned(),
        "error[R017 payer-details]: payer account `KZ476010131000179714` of budget program `livestock` is not a valid treasury IBAN".to_owned(),
        "error: the rules and templates have 9 problems; nothing was processed".to_owned(),
    ] {
        assert!(err.contains(&want), "missing:\n{want}\n---- in ----\n{err}");
    }
    assert!(o.stdout.is_empty());
}

#[test]
fn short_format_gives_file_line_col_per_problem() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    broken_rules(
        &rules,
        &[("programs/007.toml", "require = \"herd_size >= 20 * head_total\"", "require = \"herd_size >= 20 * heads\"")],
    );
    let o = subsidy(&["check", "--short", "--rules", rules.to_str().unwrap()]);
    assert_exit(&o, 3);
    let text = fs_err::read_to_string(rules.join("programs/007.toml")).unwrap();
    let line = text.lines().position(|l| l.contains("20 * heads")).unwrap() + 1;
    let want = format!(
        "{}/programs/007.toml:{line}:11: error[R006 unknown-field]: criterion `007-RATIO` uses unknown application field `heads`",
        rules.display()
    );
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
}

#[test]
fn a_run_with_bad_rules_processes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    broken_rules(&rules, &[("service.toml", "level = \"application\"", "level = \"applicant\"")]);
    let out = dir.path().join("out");
    let o = subsidy(&[
        "run",
        "--rules",
        rules.to_str().unwrap(),
        "--applications",
        "samples/2025-04/applications.xlsx",
        "--batch-date",
        "2025-04-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("service.toml:"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn json_format_lists_every_problem_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    broken_rules(
        &rules,
        &[
            (
                "programs/007.toml",
                "require = \"age_months BETWEEN 8 AND 26\"",
                "require = \"agee_months BETWEEN 8 AND 26\"",
            ),
            ("programs/031.toml", "amount = \"15000\"", "amount = 15000.5"),
        ],
    );
    let o = subsidy(&["check", "--format", "json", "--rules", rules.to_str().unwrap()]);
    assert_exit(&o, 3);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let unknown = list.iter().find(|d| d["code"] == "R006").unwrap();
    assert_eq!(unknown["name"], "unknown-field");
    assert!(unknown["file"].as_str().unwrap().ends_with("programs/007.toml"));
    assert!(unknown["line"].as_u64().unwrap() > 1 && unknown["column"].as_u64().unwrap() > 1);
    assert!(list.iter().any(|d| d["code"] == "R001" && d["message"].as_str().unwrap().contains("float")));
    // The shipped rules have no errors; what they list are values still to confirm.
    let ok = subsidy(&["check", "--format", "json"]);
    assert_exit(&ok, 0);
    let list: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("stdout is JSON");
    let list = list.as_array().unwrap();
    assert!(!list.is_empty() && list.iter().all(|d| d["severity"] == "warning" && d["code"] == "R020"), "{list:?}");
    assert!(list.iter().any(|d| d["file"].as_str().unwrap().ends_with("programs/024.toml")
        && d["message"].as_str().unwrap().contains("the akimat sets the normative")));
}

#[test]
fn shipped_rule_test_cases_pass() {
    let o = subsidy(&["test"]);
    assert_exit(&o, 0);
    let out = String::from_utf8_lossy(&o.stdout);
    let last = out.lines().last().unwrap();
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 50 && last.ends_with(" passed, 0 failed"), "{out}");
}

#[test]
fn a_rate_change_shows_in_the_cases_with_expected_and_actual() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    broken_rules(&rules, &[("programs/007.toml", "amount = \"150000\"", "amount = \"160000\"")]);
    let o = subsidy(&["test", "--rules", rules.to_str().unwrap()]);
    assert_exit(&o, 1);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("/tests/007.toml:3: bull of 14 months on 21.06.2025: the last day of the Order 332 normative\n    amount: expected 150000.00, got 160000.00"), "{out}");
    assert!(out.trim_end().ends_with("passed, 2 failed"), "{out}");
}

/// A citation changed in `legal-kk.toml` shows in the cases that pin the Kazakh half's citation.
#[test]
fn a_changed_kazakh_citation_shows_in_the_cases() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    broken_rules(
        &rules,
        &[("legal-kk.toml", "2025 жылғы 18 қарашадағы № 428 бұйрығының редакциясында\"", "№ 428 бұйрық\"")],
    );
    let o = subsidy(&["test", "--rules", rules.to_str().unwrap()]);
    assert_exit(&o, 1);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("/tests/007.toml:11: bull of 14 months on 05.12.2025: the Order 428 normative\n    cites-kk: expected every citation to hold «2025 жылғы 18 қарашадағы № 428 бұйрығының редакциясында»"), "{out}");
}

#[test]
fn a_case_file_that_does_not_parse_is_a_problem_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    broken_rules(
        &rules,
        &[(
            "tests/007.toml",
            "expect = { status = \"approved\", amount = \"150000.00\"",
            "expect = { status = \"approved\", amout = \"150000.00\"",
        )],
    );
    let o = subsidy(&["test", "--rules", rules.to_str().unwrap()]);
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("unknown field `amout`") && stderr(&o).contains("tests/007.toml:"), "{}", stderr(&o));
}

/// One deliberately broken rule file per problem kind; the full rendered `check` output of each
/// is compared with a reviewed snapshot in `tests/golden/check/` (temporary paths normalised).
#[test]
fn check_output_snapshots_one_problem_each() {
    let cases: [(&str, &str, &str, &str); 12] = [
        ("syntax", "programs/007.toml", "name-ru = \"", "name-ru = \"\"\""),
        ("unknown-key", "programs/007.toml", "form = 1", "from = 1"),
        ("float-money", "programs/031.toml", "amount = \"15000\"", "amount = 15000.5"),
        ("overlap", "programs/004.toml", "effective-to = 2025-12-05", "effective-to = 2025-12-15"),
        ("gap", "programs/055.toml", "effective-to = 2025-12-05", "effective-to = 2025-11-01"),
        ("criterion-syntax", "programs/116.toml", "age_months BETWEEN 4 AND 18", "age_months BETWEEN 4 AND"),
        ("unknown-field", "programs/007.toml", "age_months BETWEEN 8 AND 26", "agee_months BETWEEN 8 AND 26"),
        ("not-boolean", "programs/019.toml", "herd_size >= 50", "herd_size * 2"),
        (
            "missing-legal-ref",
            "programs/020.toml",
            "legal-ref = \"Приказ МСХ РК от 15.03.2019 № 108, приложение 1, «Молочное и молочно-мясное скотоводство», п.2.4 «Сельскохозяйственный производственный кооператив»\"",
            "legal-ref = \"\"",
        ),
        (
            "unknown-budget-program",
            "programs/115.toml",
            "budget-program = \"livestock\"",
            "budget-program = \"livestok\"",
        ),
        ("unknown-service", "programs/602.toml", "service = \"processing\"", "service = \"procesing\""),
        ("output-unknown-field", "programs/603.toml", "output = \"produced_kg\"", "output = \"made_kg\""),
    ];
    for (name, file, from, to) in cases {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules");
        broken_rules(&rules, &[(file, from, to)]);
        let o = subsidy(&["check", "--rules", rules.to_str().unwrap()]);
        assert_exit(&o, 3);
        let text = stderr(&o).replace(rules.to_str().unwrap(), "rules");
        assert!(
            text.ends_with("error: the rules and templates have 1 problem; nothing was processed\n"),
            "{name}: exactly one problem:\n{text}"
        );
        crate::common::assert_golden(&text, &root().join("tests/golden/check").join(format!("{name}.txt")));
    }
}

/// A rate that limits purchases by output needs the consumption norm: each such edition is named.
#[test]
fn an_output_limit_without_a_norm_is_reported_for_every_edition() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    broken_rules(&rules, &[("programs/603.toml", "raw-per-output = \"8\"", "")]);
    let o = subsidy(&["check", "--rules", rules.to_str().unwrap(), "--format", "short"]);
    assert_exit(&o, 3);
    let err = stderr(&o);
    assert_eq!(err.matches("R021").count(), 2, "{err}");
    let text = fs_err::read_to_string(rules.join("programs/603.toml")).unwrap();
    let line = |v: &str| text.lines().position(|l| l == format!("output = \"{v}\"")).unwrap() + 1;
    for at in [line("produced_kg"), line("sold_kg")] {
        assert!(err.contains(&format!("603.toml:{at}:10")), "{at}: {err}");
    }
}

/// A legal reference without its Kazakh citation, and a region's letter without its signer, are
/// values to confirm: `check` names each at its line, and `run` stops unless the batch is a draft.
#[test]
fn a_reference_without_its_kazakh_citation_and_a_letter_without_its_signer_are_to_confirm() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    let edited = "приложение 1 к Правилам субсидирования (приказ МСХ РК от 15.03.2019 № 108) в редакции приказа МСХ РК от 18.11.2025 № 428";
    broken_rules(
        &rules,
        &[("programs/007.toml", edited, "приложение 1 к Правилам субсидирования (приказ № 108, ред. № 428)")],
    );
    let o = subsidy(&["check", "--short", "--rules", rules.to_str().unwrap()]);
    assert_exit(&o, 0);
    let err = stderr(&o);
    let text = fs_err::read_to_string(rules.join("programs/007.toml")).unwrap();
    let line = text.lines().position(|l| l.contains("(приказ № 108, ред. № 428)")).unwrap() + 1;
    assert!(
        err.contains(&format!("programs/007.toml:{line}:"))
            && err.contains("the legal reference has no Kazakh citation in `legal-kk.toml`"),
        "{err}"
    );
    assert!(err.contains("region `karaganda`, letter: the notices' letter has no"), "{err}");
    assert!(err.contains("signatures.head-name"), "{err}");
}
