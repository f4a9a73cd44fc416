//! `subsidy diff`: the same applications decided under two rule folders.

use std::io::Write as _;

use super::{fail, load_rules};
use crate::exit::ExitStatus;

pub(super) fn diff_rules(args: &crate::cli::DiffArgs) -> ExitStatus {
    let (before, after) = match (load_rules(&args.before, None, false), load_rules(&args.after, None, false)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(s), _) | (_, Err(s)) => return s,
    };
    let ctx = super::batch_context(args.batch_date, None);
    let job = crate::pipeline::Job::decide_only(args.applications.clone(), args.items.clone());
    let result = (|| -> anyhow::Result<String> {
        let none = crate::history::History::default();
        let a = crate::pipeline::decide_batch(&job, &before, &ctx, &none)?;
        let b = crate::pipeline::decide_batch(&job, &after, &ctx, &none)?;
        let c = crate::compare::compare(&a, &b);
        let bytes = crate::compare::workbook(&c, &ctx.created_at)?;
        crate::write::stage_file(&args.out, &bytes)?;
        Ok(crate::compare::summary(&c))
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
