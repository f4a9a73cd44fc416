//! The README's commands work exactly as written.

use crate::common::{assert_exit, root, stderr};

const RUN: &str = "cargo run --release -- run --draft --applications samples/2025-04/applications.xlsx --batch-date 2025-04-30 --out out/2025-04";
const TEST: &str = "cargo test";

#[test]
fn readme_shows_the_commands_this_test_runs() {
    let readme = fs_err::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains(RUN), "README must show: {RUN}");
    assert!(readme.contains(TEST));
    let ci = fs_err::read_to_string(root().join(".ci/run")).unwrap();
    assert!(ci.lines().any(|l| l.trim() == TEST), ".ci/run must run the README's test command");
}

/// The README's run command, with the binary this test was built with.
#[test]
fn readme_sample_batch_runs_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("2025-04");
    let args: Vec<&str> =
        RUN.split_whitespace().skip(4).map(|a| if a == "out/2025-04" { out.to_str().unwrap() } else { a }).collect();
    // Exactly as written: no draft set by the environment.
    let o = crate::common::subsidy_final(&args);
    assert_exit(&o, 0);
    let err = stderr(&o);
    assert!(err.contains("batch 30.04.2025: 170 applications: 160 approved"), "{err}");
    assert!(out.join("decisions.xlsx").exists() && out.join("manifest.json").exists());
}

/// The docs list every column the catalogue reads and every rule-file problem code.
#[test]
fn docs_cover_every_column_and_every_rule_code() {
    let samples = fs_err::read_to_string(root().join("samples/README.md")).unwrap();
    for f in subsidy::catalogue::APPLICATION_FIELDS.iter().chain(subsidy::catalogue::ITEM_FIELDS) {
        assert!(samples.contains(&format!("| `{}` |", f.key)), "samples/README.md lacks column `{}`", f.key);
        for a in f.aliases {
            assert!(samples.contains(&format!("`{a}`")), "samples/README.md lacks header name `{a}`");
        }
    }
    let rules = fs_err::read_to_string(root().join("rules/README.md")).unwrap();
    for (name, _, _) in
        subsidy::rules::schema::application_columns().iter().chain(&subsidy::rules::schema::item_columns())
    {
        assert!(rules.contains(&format!("| `{name}` |")), "rules/README.md lacks field `{name}`");
    }
    use subsidy::diag::RuleCode::*;
    for code in [
        R001Syntax,
        R002DuplicateId,
        R003OverlappingPeriods,
        R004GapInPeriods,
        R005CriterionSyntax,
        R006UnknownField,
        R007NotBoolean,
        R008MissingLegalRef,
        R009EmptyPeriod,
        R010ProgramFile,
        R011BankDirectory,
        R012NoPrograms,
        R013MissingText,
        R014UnknownFieldName,
        R015UnknownBudgetProgram,
        R016Calendar,
        R017PayerDetails,
        R018BudgetPlan,
        R019Service,
        R020Unconfirmed,
        R021Amount,
        R022Region,
        R023ApprovedNotice,
        R024SubjectScope,
        R025SubjectPeriod,
    ] {
        assert!(
            rules.contains(&format!("| {} | `{}` |", code.id(), code.name())),
            "rules/README.md lacks {}",
            code.id()
        );
    }
    let templates = fs_err::read_to_string(root().join("templates/README.md")).unwrap();
    for code in [T001TemplateSyntax, T002TemplateRender, T003MissingTemplate] {
        assert!(
            templates.contains(&format!("| {} | `{}` |", code.id(), code.name())),
            "templates/README.md lacks {}",
            code.id()
        );
    }
    for name in subsidy::render::REQUIRED {
        assert!(templates.contains(&format!("`{name}`")), "templates/README.md lacks {name}");
    }
}
