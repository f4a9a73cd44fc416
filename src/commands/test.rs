//! `subsidy test`: the analysts' rule test cases.

use std::io::Write as _;

use super::{load_rules, report};
use crate::exit::ExitStatus;

pub(super) fn rule_tests(args: &crate::cli::TestArgs) -> ExitStatus {
    let rules = match load_rules(&args.rules.rules, args.rules.region.as_deref(), false) {
        Ok(r) => r,
        Err(s) => return s,
    };
    let dir = args.cases.clone().unwrap_or_else(|| args.rules.rules.join("tests"));
    match crate::casebook::run(&dir, &rules) {
        Err((diags, sources)) => report(&diags, &sources, false, "test cases"),
        Ok(o) => {
            let mut out = std::io::stdout().lock();
            for f in &o.failures {
                let _ = writeln!(out, "FAIL {f}");
            }
            let _ = writeln!(out, "{} passed, {} failed", o.passed, o.failures.len());
            if o.failures.is_empty() { ExitStatus::Success } else { ExitStatus::Refusals }
        }
    }
}
