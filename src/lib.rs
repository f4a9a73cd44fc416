//! `subsidy`: the monthly batch of livestock-subsidy applications of a regional agriculture
//! department in Kazakhstan.
//!
//! Stages (each a module; only [`pipeline`] knows their order): [`ingest`] reads spreadsheets,
//! [`validate`] checks identifiers, bank details, signatures and dates, [`decide`] applies the
//! rule files' criteria and rates, [`write`] produces the register and manifest atomically.
//! No stage prints or reads the clock: dates come from [`context::BatchContext`].

pub mod allocate;
pub mod application;
pub mod audit;
pub mod batch;
pub mod casebook;
pub mod cli;
pub mod compare;
pub mod context;
pub mod decide;
pub mod diag;
pub mod digest;
pub mod domain;
pub mod exit;
pub mod explain;
pub mod history;
pub mod ingest;
pub mod ledger;
pub mod outcome;
pub mod pipeline;
pub mod problem;
pub mod queue;
pub mod registry;
pub mod render;
pub mod rules;
pub mod sample;
pub mod subjects;
pub mod totals;
pub mod validate;
pub mod write;

use std::io::Write as _;

use clap::Parser as _;

use cli::{Cli, Command};
use exit::ExitStatus;
use rules::RulesError;

/// Runs the command line; messages go to stderr, data to stdout.
pub fn run() -> ExitStatus {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitStatus::Usage } else { ExitStatus::Success };
        }
    };
    match cli.command {
        Command::Run(args) => run_batch(&args),
        Command::Check(args) => check(&args),
        Command::Ledger(cmd) => ledger_command(cmd),
        Command::Test(args) => rule_tests(&args),
        Command::Explain(args) => explain_app(&args),
        Command::Diff(args) => diff_rules(&args),
        Command::Audit(args) => audit_register(&args),
        Command::Sample(args) => match sample::write_sample(&args) {
            Ok(()) => ExitStatus::Success,
            Err(e) => fail(&e),
        },
    }
}

fn explain_app(args: &cli::ExplainArgs) -> ExitStatus {
    let rules = match load_rules(&args.rules.rules, args.rules.region.as_deref(), false) {
        Ok(r) => r,
        Err(s) => return s,
    };
    let ctx = context::BatchContext {
        batch_date: args.batch_date,
        created_at: args.batch_date.and_time(chrono::NaiveTime::MIN),
    };
    let job = pipeline::Job::decide_only(args.applications.clone(), args.items.clone());
    let result = (|| -> anyhow::Result<Option<String>> {
        let history = if args.no_ledger || !args.ledger.exists() {
            crate::history::History::default()
        } else {
            use chrono::Datelike;
            ledger::Ledger::open(&args.ledger)?.history(
                &pipeline::batch_id(&ctx),
                args.batch_date.year(),
                args.batch_date.month(),
            )?
        };
        let b = pipeline::decide_batch(&job, &rules, &ctx, &history)?;
        let Some(i) = b.validated.applications.iter().position(|a| a.app_no == args.app_no) else { return Ok(None) };
        let a = &b.validated.applications[i];
        let traces = decide::trace(a, &b.validated, &rules)?;
        Ok(Some(explain::story(&b, a, &b.decisions[i], &traces, args.lang)))
    })();
    match result {
        Ok(Some(text)) => {
            let _ = write!(std::io::stdout(), "{text}");
            ExitStatus::Success
        }
        Ok(None) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: application `{}` is not in `{}`",
                args.app_no,
                args.applications.display()
            );
            ExitStatus::Refusals
        }
        Err(e) => fail(&e),
    }
}

fn diff_rules(args: &cli::DiffArgs) -> ExitStatus {
    let (before, after) = match (load_rules(&args.before, None, false), load_rules(&args.after, None, false)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(s), _) | (_, Err(s)) => return s,
    };
    let ctx = context::BatchContext {
        batch_date: args.batch_date,
        created_at: args.batch_date.and_time(chrono::NaiveTime::MIN),
    };
    let job = pipeline::Job::decide_only(args.applications.clone(), args.items.clone());
    let result = (|| -> anyhow::Result<String> {
        let none = crate::history::History::default();
        let a = pipeline::decide_batch(&job, &before, &ctx, &none)?;
        let b = pipeline::decide_batch(&job, &after, &ctx, &none)?;
        let c = compare::compare(&a, &b);
        let bytes = compare::workbook(&c, &ctx.created_at)?;
        write::stage_file(&args.out, &bytes)?;
        Ok(compare::summary(&c))
    })();
    match result {
        Ok(text) => {
            let _ = write!(std::io::stdout(), "{text}");
            let _ = writeln!(std::io::stderr(), "wrote {}", args.out.display());
            ExitStatus::Success
        }
        Err(e) => fail(&e),
    }
}

fn audit_register(args: &cli::AuditArgs) -> ExitStatus {
    let rules = match load_rules(&args.rules.rules, args.rules.region.as_deref(), false) {
        Ok(r) => r,
        Err(s) => return s,
    };
    let allocation = match args.allocation.as_deref().map(str::parse::<domain::money::Money>).transpose() {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: `--allocation` must be an amount in tenge: {e}");
            return ExitStatus::Usage;
        }
    };
    let result = (|| -> anyhow::Result<String> {
        let a = audit::audit(&args.register, &rules, allocation)?;
        // Stamped with the latest submission in the register, so the same export gives the same bytes.
        let created = a.rows.iter().filter_map(|r| r.record.datetime(2)).max().unwrap_or_default();
        write::stage_file(&args.out, &audit::workbook(&a, &created)?)?;
        Ok(audit::summary(&a))
    })();
    match result {
        Ok(text) => {
            let _ = write!(std::io::stdout(), "{text}");
            let _ = writeln!(std::io::stderr(), "wrote {}", args.out.display());
            ExitStatus::Success
        }
        Err(e) => fail(&e),
    }
}

fn rule_tests(args: &cli::TestArgs) -> ExitStatus {
    let rules = match load_rules(&args.rules.rules, args.rules.region.as_deref(), false) {
        Ok(r) => r,
        Err(s) => return s,
    };
    let dir = args.cases.clone().unwrap_or_else(|| args.rules.rules.join("tests"));
    match casebook::run(&dir, &rules) {
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

fn ledger_command(cmd: cli::LedgerCommand) -> ExitStatus {
    use cli::LedgerCommand as L;
    let path = match &cmd {
        L::Budget { ledger, .. }
        | L::Waiting { ledger }
        | L::History { ledger, .. }
        | L::Submit { ledger, .. }
        | L::ImportExecution { ledger, .. } => ledger.ledger.clone(),
    };
    let mut l = match ledger::Ledger::open(&path) {
        Ok(l) => l,
        Err(e) => return fail(&e.into()),
    };
    let mut out = std::io::stdout().lock();
    let result: anyhow::Result<ExitStatus> = (|| match cmd {
        L::Budget { rules, year, .. } => {
            let rules = load_rules(&rules.rules, rules.region.as_deref(), false)
                .map_err(|_| anyhow::anyhow!("the rules have problems"))?;
            let _ = write!(out, "{}", ledger::commands::budget(&l, &rules, year)?);
            Ok(ExitStatus::Success)
        }
        L::Waiting { .. } => {
            let _ = write!(out, "{}", ledger::commands::waiting(&l)?);
            Ok(ExitStatus::Success)
        }
        L::History { app_no, .. } => match ledger::commands::history(&l, &app_no)? {
            Some(text) => {
                let _ = write!(out, "{text}");
                Ok(ExitStatus::Success)
            }
            None => {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: application `{app_no}` is not in the ledger `{}`",
                    path.display()
                );
                Ok(ExitStatus::Refusals)
            }
        },
        L::Submit { batch, .. } => {
            if l.submit(&batch)? {
                let _ = writeln!(std::io::stderr(), "batch {batch} marked as submitted to the treasury");
                Ok(ExitStatus::Success)
            } else {
                let _ = writeln!(std::io::stderr(), "error: batch `{batch}` is not in the ledger");
                Ok(ExitStatus::Refusals)
            }
        }
        L::ImportExecution { file, .. } => {
            let text = fs_err::read_to_string(&file)?;
            let r = ledger::commands::import_execution(&mut l, &text)?;
            let mut err = std::io::stderr().lock();
            let _ =
                writeln!(err, "{} executed, {} rejected, {} mismatches", r.executed, r.rejected, r.mismatches.len());
            for m in &r.mismatches {
                let _ = writeln!(err, "mismatch: {m}");
            }
            Ok(if r.mismatches.is_empty() { ExitStatus::Success } else { ExitStatus::Refusals })
        }
    })();
    result.unwrap_or_else(|e| fail(&e))
}

fn fail(e: &anyhow::Error) -> ExitStatus {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    for cause in e.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {cause}");
    }
    ExitStatus::Failure
}

/// Prints every diagnostic and the closing line; `what` is `rules` or `templates`.
fn report(diags: &[diag::Diagnostic], sources: &diag::SourceMap, short: bool, what: &str) -> ExitStatus {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let text = if short { sources.render_short(d) + "\n" } else { sources.render(d) };
        let _ = write!(err, "{text}");
    }
    let n = diags.iter().filter(|d| !d.warning).count();
    let _ = writeln!(err, "error: the {what} have {n} problem{}; nothing was processed", if n == 1 { "" } else { "s" });
    ExitStatus::BadRules
}

fn load_rules(dir: &std::path::Path, region: Option<&str>, short: bool) -> Result<rules::RuleSet, ExitStatus> {
    match rules::load_for(dir, region) {
        Ok(r) => Ok(r),
        Err(RulesError::Io(e)) => Err(fail(&e.context(format!("cannot load the rules from `{}`", dir.display())))),
        Err(RulesError::Invalid(diags, sources)) => Err(report(&diags, &sources, short, "rules")),
    }
}

fn load_templates(dir: &std::path::Path, short: bool) -> Result<render::Templates, ExitStatus> {
    match render::Templates::load(dir) {
        Ok(t) => Ok(t),
        Err(render::TemplatesError::Io(e)) => Err(fail(&e)),
        Err(render::TemplatesError::Invalid(diags)) => {
            Err(report(&diags, &diag::SourceMap::default(), short, "templates"))
        }
    }
}

fn check(args: &cli::CheckArgs) -> ExitStatus {
    use cli::DiagnosticFormat as F;
    let format = if args.short { F::Short } else { args.format };
    let mut diags = Vec::new();
    let sources;
    let rules = match rules::load_for(&args.rules.rules, args.rules.region.as_deref()) {
        Ok(r) => {
            diags.extend(r.warnings.iter().cloned());
            sources = r.sources.clone();
            Some(r)
        }
        Err(RulesError::Io(e)) => {
            return fail(&e.context(format!("cannot load the rules from `{}`", args.rules.rules.display())));
        }
        Err(RulesError::Invalid(d, s)) => {
            diags.extend(d);
            sources = s;
            None
        }
    };
    let templates = match render::Templates::load(&args.templates.templates) {
        Ok(t) => Some(t),
        Err(render::TemplatesError::Io(e)) => return fail(&e),
        Err(render::TemplatesError::Invalid(d)) => {
            diags.extend(d);
            None
        }
    };
    if format == F::Json {
        let list: Vec<serde_json::Value> = diags.iter().map(|d| sources.to_json(d)).collect();
        let _ = writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&list).unwrap_or_default());
        return if diags.iter().all(|d| d.warning) { ExitStatus::Success } else { ExitStatus::BadRules };
    }
    if diags.iter().any(|d| !d.warning) {
        return report(&diags, &sources, format == F::Short, "rules and templates");
    }
    let mut err = std::io::stderr().lock();
    for d in &diags {
        let text = if format == F::Short { sources.render_short(d) + "\n" } else { sources.render(d) };
        let _ = write!(err, "{text}");
    }
    drop(err);
    if !diags.is_empty() {
        let n = diags.len();
        let _ = writeln!(
            std::io::stderr(),
            "warning: {n} value{} of the rules rest{} on an assumption (R020 above); confirm them",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" }
        );
    }
    if let (Some(r), Some(t)) = (rules, templates) {
        let _ = writeln!(
            std::io::stderr(),
            "rules are valid: {} subsidy types in {} services ({}), {} banks; {} templates",
            r.programs.len(),
            r.services.len(),
            r.services.keys().cloned().collect::<Vec<_>>().join(", "),
            r.banks.len(),
            t.files.len()
        );
    }
    ExitStatus::Success
}

fn run_batch(args: &cli::RunArgs) -> ExitStatus {
    let csv = args.applications.iter().any(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
    if csv && args.items.is_none() {
        let _ = writeln!(
            std::io::stderr(),
            "error: `--applications` is a CSV file, so `--items` (the items CSV) is needed too"
        );
        return ExitStatus::Usage;
    }
    if args.items.is_some() && args.applications.len() > 1 {
        let _ = writeln!(
            std::io::stderr(),
            "error: `--items` goes with a single applications CSV; give workbooks to decide several files"
        );
        return ExitStatus::Usage;
    }
    let threads = args.threads.unwrap_or(0);
    if threads > 0 {
        // The global pool can be set once per process; a second call only fails in tests.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    }
    let created_at = match args.created_at {
        Some(t) => t,
        None => match source_date_epoch() {
            Ok(Some(t)) => t,
            Ok(None) => args.batch_date.and_time(chrono::NaiveTime::MIN),
            Err(e) => return fail(&e),
        },
    };
    let ctx = context::BatchContext { batch_date: args.batch_date, created_at };
    let rules = load_rules(&args.rules.rules, args.rules.region.as_deref(), false);
    let templates = load_templates(&args.templates.templates, false);
    let (rules, templates) = match (rules, templates) {
        (Ok(r), Ok(t)) => (r, t),
        (Err(s), _) | (_, Err(s)) => return s,
    };
    if rules.budget.is_empty() {
        let r = rules.region();
        let _ = writeln!(
            std::io::stderr(),
            "error: region `{}` ({}) has no budget settings: its department's budget programs, payer details and plans are needed to decide a batch
  --> {}
  = hint: add `budget = \"budget-{}.toml\"` and that file (like `budget.toml`); `subsidy audit` needs none",
            r.key,
            r.name_ru,
            r.file,
            r.key
        );
        return ExitStatus::BadRules;
    }
    let job = pipeline::Job {
        applications: args.applications.clone(),
        items: args.items.clone(),
        out: args.out.clone(),
        dry_run: args.dry_run,
        ledger: (!args.no_ledger).then(|| args.ledger.clone()),
        replace: args.replace,
        animals: args.animals.clone(),
        farms: args.farms.clone(),
        keep: args.keep,
    };
    // A spinner naming the stage, on a terminal only: never in logs, pipes or tests.
    let spinner = (!args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    });
    let progress = |stage: &str| {
        if let Some(pb) = &spinner {
            pb.set_message(stage.to_owned());
        }
    };
    let outcome = pipeline::run(&job, &rules, &templates, &ctx, &progress);
    if let Some(pb) = &spinner {
        pb.finish_and_clear();
    }
    match outcome {
        Ok(s) => {
            if !args.quiet {
                print_summary(&s, &ctx);
            }
            if !s.blocked.is_empty() {
                let mut err = std::io::stderr().lock();
                for x in &s.blocked {
                    let _ = writeln!(err, "error: {x}");
                }
                return ExitStatus::Failure;
            }
            if args.strict && (s.refused > 0 || s.input_errors > 0) {
                ExitStatus::Refusals
            } else {
                ExitStatus::Success
            }
        }
        Err(e) => fail(&e),
    }
}

fn source_date_epoch() -> anyhow::Result<Option<chrono::NaiveDateTime>> {
    let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: i64 =
        v.trim().parse().map_err(|_| anyhow::anyhow!("SOURCE_DATE_EPOCH must be whole seconds, found `{v}`"))?;
    let t = chrono::DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| anyhow::anyhow!("SOURCE_DATE_EPOCH out of range: `{v}`"))?;
    Ok(Some(t.naive_utc()))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn print_summary(s: &pipeline::Summary, ctx: &context::BatchContext) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "batch {}: {}: {} approved ({}), {} refused; {}, {}",
        ctx.batch_date.format("%d.%m.%Y"),
        plural(s.applications, "application", "applications"),
        s.approved,
        s.approved_amount.display_kzt(),
        s.refused,
        plural(s.input_errors, "input problem", "input problems"),
        plural(s.input_warnings, "warning", "warnings"),
    );
    let _ = writeln!(
        err,
        "payment orders: {} ({}); waiting list: {}",
        s.payments,
        s.paid_now.display_kzt(),
        plural(s.waiting, "application", "applications")
    );
    for n in &s.budget_notes {
        let _ = writeln!(err, "warning: {n}");
    }
    if s.rerun {
        let _ = writeln!(
            err,
            "this batch was already recorded with the same inputs: outputs rewritten, nothing recorded again"
        );
    }
    let total: std::time::Duration = s.timings.0.iter().map(|t| t.1).sum();
    let laps: Vec<String> = s.timings.0.iter().map(|(n, d)| format!("{n} {:.2}", d.as_secs_f64())).collect();
    let _ = writeln!(err, "time: {} s ({})", format_args!("{:.2}", total.as_secs_f64()), laps.join(", "));
    if let Some(dir) = s.written.first().and_then(|f| f.parent()) {
        let notices = s.written.iter().filter(|f| f.parent().is_some_and(|p| p.ends_with("notices"))).count();
        let _ = writeln!(err, "wrote {} files to {} ({notices} of them in notices/)", s.written.len(), dir.display());
    }
}
