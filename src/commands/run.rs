//! `subsidy run`: a whole batch, from the applications to the published outputs and the ledger.

use std::io::Write as _;

use super::{fail, load_rules, load_templates, plural};
use crate::exit::ExitStatus;

pub(super) fn run_batch(args: &crate::cli::RunArgs) -> ExitStatus {
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
    // The global pool can be set once per process; a second call only fails in tests. Its
    // threads typeset the PDF notices, whose layout recurses deeper than rayon's 2 MB stacks.
    let _ = rayon::ThreadPoolBuilder::new().num_threads(args.threads.unwrap_or(0)).stack_size(PDF_STACK).build_global();
    let created_at = match args.created_at {
        Some(t) => Some(t),
        None => match source_date_epoch() {
            Ok(t) => t,
            Err(e) => return fail(&e),
        },
    };
    let mut ctx = super::batch_context(args.batch_date, created_at);
    let rules = load_rules(&args.rules.rules, args.rules.region.as_deref(), false);
    let templates = load_templates(&args.templates.templates, false, !args.no_pdf);
    let (rules, templates) = match (rules, templates) {
        (Ok(r), Ok(t)) => (r, t),
        (Err(s), _) | (_, Err(s)) => return s,
    };
    // A value still to confirm must not reach a document as if it were true.
    if !rules.unconfirmed.is_empty() && !args.draft && !args.dry_run {
        let mut err = std::io::stderr().lock();
        for d in &rules.unconfirmed {
            let _ = writeln!(err, "{}", rules.sources.render_short(d));
        }
        let n = rules.unconfirmed.len();
        let _ = writeln!(
            err,
            "error: {n} value{} of the rules {} still to be confirmed (R020 above): a batch decided with them is a draft\n  = hint: confirm them in the rule files, or run with `--draft`: every document then says «ЖОБА / ПРОЕКТ» and its payment lists cannot be submitted",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        );
        return ExitStatus::BadRules;
    }
    ctx.draft = args.draft;
    ctx.pdf = !args.no_pdf;
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
    let job = crate::pipeline::Job {
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
    let outcome = crate::pipeline::run(&job, &rules, &templates, &ctx, &progress);
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

fn print_summary(s: &crate::pipeline::Summary, ctx: &crate::context::BatchContext) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "batch {}: {}: {} approved ({}), {} refused{}; {}, {}",
        ctx.batch_date.format("%d.%m.%Y"),
        plural(s.applications, "application", "applications"),
        s.approved,
        s.approved_amount.display_kzt(),
        s.refused,
        if s.not_decided > 0 { format!(", {} not decided here", s.not_decided) } else { String::new() },
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
    for n in s.recovered.iter().chain(&s.notes) {
        let _ = writeln!(err, "note: {n}");
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

/// A thread's stack when it may typeset a notice.
const PDF_STACK: usize = 64 << 20;
