//! One module per command; this one dispatches and holds what commands share: loading the
//! rules and templates, the batch's dates, and printing errors and diagnostics.

mod audit;
mod check;
mod diff;
mod explain;
mod ledger;
mod run;
mod test;

use std::io::Write as _;

use clap::Parser as _;

use crate::cli::{Cli, Command};
use crate::exit::ExitStatus;
use crate::rules::RulesError;

/// Runs the command line; messages go to stderr, data to stdout.
pub(crate) fn dispatch() -> ExitStatus {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitStatus::Usage } else { ExitStatus::Success };
        }
    };
    match cli.command {
        Command::Run(args) => run::run_batch(&args),
        Command::Check(args) => check::check(&args),
        Command::Ledger(cmd) => ledger::ledger_command(cmd),
        Command::Test(args) => test::rule_tests(&args),
        Command::Explain(args) => explain::explain_app(&args),
        Command::Diff(args) => diff::diff_rules(&args),
        Command::Audit(args) => audit::audit_register(&args),
        Command::Sample(args) => match crate::sample::write_sample(&args) {
            Ok(()) => ExitStatus::Success,
            Err(e) => fail(&e),
        },
    }
}

/// The dates of a batch: its own date, and the time its outputs are stamped with (the batch date
/// at midnight unless given). Built here once for every command; the stages never read the clock.
pub(crate) fn batch_context(
    batch_date: chrono::NaiveDate,
    created_at: Option<chrono::NaiveDateTime>,
) -> crate::context::BatchContext {
    crate::context::BatchContext {
        batch_date,
        created_at: created_at.unwrap_or_else(|| batch_date.and_time(chrono::NaiveTime::MIN)),
        draft: false,
        pdf: true,
    }
}

pub(crate) fn fail(e: &anyhow::Error) -> ExitStatus {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    for cause in e.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {cause}");
    }
    ExitStatus::Failure
}

/// Prints every diagnostic and the closing line; `what` is `rules` or `templates`.
pub(crate) fn report(
    diags: &[crate::diag::Diagnostic],
    sources: &crate::diag::SourceMap,
    short: bool,
    what: &str,
) -> ExitStatus {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let text = if short { sources.render_short(d) + "\n" } else { sources.render(d) };
        let _ = write!(err, "{text}");
    }
    let n = diags.iter().filter(|d| !d.warning).count();
    let _ = writeln!(err, "error: the {what} have {n} problem{}; nothing was processed", if n == 1 { "" } else { "s" });
    ExitStatus::BadRules
}

pub(crate) fn load_rules(
    dir: &std::path::Path,
    region: Option<&str>,
    short: bool,
) -> Result<crate::rules::RuleSet, ExitStatus> {
    match crate::rules::load_for(dir, region) {
        Ok(r) => Ok(r),
        Err(RulesError::Io(e)) => Err(fail(&e.context(format!("cannot load the rules from `{}`", dir.display())))),
        Err(RulesError::Invalid(diags, sources)) => Err(report(&diags, &sources, short, "rules")),
    }
}

pub(crate) fn load_templates(
    dir: &std::path::Path,
    short: bool,
    pdf: bool,
) -> Result<crate::render::Templates, ExitStatus> {
    match crate::render::Templates::load(dir, pdf) {
        Ok(t) => Ok(t),
        Err(crate::render::TemplatesError::Io(e)) => Err(fail(&e)),
        Err(crate::render::TemplatesError::Invalid(diags, sources)) => {
            Err(report(&diags, &sources, short, "templates"))
        }
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
