//! `subsidy audit`: the state system's register checked against the rules.

use std::io::Write as _;

use super::{fail, load_rules};
use crate::exit::ExitStatus;

pub(super) fn audit_register(args: &crate::cli::AuditArgs) -> ExitStatus {
    let rules = match load_rules(&args.rules.rules, args.rules.region.as_deref(), false) {
        Ok(r) => r,
        Err(s) => return s,
    };
    let allocation = match args.allocation.as_deref().map(str::parse::<crate::domain::money::Money>).transpose() {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: `--allocation` must be an amount in tenge: {e}");
            return ExitStatus::Usage;
        }
    };
    let result = (|| -> anyhow::Result<String> {
        let a = crate::audit::audit(&args.register, &rules, allocation)?;
        // Stamped with the latest submission in the register, so the same export gives the same bytes.
        let created = a.rows.iter().filter_map(|r| r.record.datetime(2)).max().unwrap_or_default();
        crate::write::stage_file(&args.out, &crate::audit::workbook(&a, &created)?)?;
        Ok(crate::audit::summary(&a))
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
