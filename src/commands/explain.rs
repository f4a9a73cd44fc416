//! `subsidy explain`: the story of one application's decision.

use std::io::Write as _;

use super::{fail, load_rules};
use crate::exit::ExitStatus;

pub(super) fn explain_app(args: &crate::cli::ExplainArgs) -> ExitStatus {
    let rules = match load_rules(&args.rules.rules, args.rules.region.as_deref(), false) {
        Ok(r) => r,
        Err(s) => return s,
    };
    let ctx = super::batch_context(args.batch_date, None);
    let job = crate::pipeline::Job::decide_only(args.applications.clone(), args.items.clone());
    let result = (|| -> anyhow::Result<Option<String>> {
        let history = if args.no_ledger || !args.ledger.exists() {
            crate::history::History::default()
        } else {
            use chrono::Datelike;
            crate::ledger::Ledger::open(&args.ledger)?.history(
                &crate::pipeline::batch_id(&ctx),
                args.batch_date.year(),
                args.batch_date.month(),
            )?
        };
        let b = crate::pipeline::decide_batch(&job, &rules, &ctx, &history)?;
        let Some(i) = b.validated.applications.iter().position(|a| a.app_no == args.app_no) else { return Ok(None) };
        let a = &b.validated.applications[i];
        let traces = crate::decide::trace(a, &b.validated, &rules)?;
        Ok(Some(crate::explain::story(&b, a, &b.decisions[i], &traces, args.lang)))
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
