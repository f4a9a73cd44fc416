//! `subsidy ledger …`: budget, waiting list, history, submission and the treasury's results.

use std::io::Write as _;

use super::{fail, load_rules};
use crate::exit::ExitStatus;

pub(super) fn ledger_command(cmd: crate::cli::LedgerCommand) -> ExitStatus {
    use crate::cli::LedgerCommand as L;
    let path = match &cmd {
        L::Budget { ledger, .. }
        | L::Waiting { ledger }
        | L::History { ledger, .. }
        | L::Submit { ledger, .. }
        | L::ImportExecution { ledger, .. } => ledger.ledger.clone(),
    };
    let mut l = match crate::ledger::Ledger::open(&path) {
        Ok(l) => l,
        Err(e) => return fail(&e.into()),
    };
    let mut out = std::io::stdout().lock();
    let result: anyhow::Result<ExitStatus> = (|| match cmd {
        L::Budget { rules, year, .. } => {
            let rules = load_rules(&rules.rules, rules.region.as_deref(), false)
                .map_err(|_| anyhow::anyhow!("the rules have problems"))?;
            let _ = write!(out, "{}", crate::ledger::commands::budget(&l, &rules, year)?);
            Ok(ExitStatus::Success)
        }
        L::Waiting { .. } => {
            let _ = write!(out, "{}", crate::ledger::commands::waiting(&l)?);
            Ok(ExitStatus::Success)
        }
        L::History { app_no, .. } => match crate::ledger::commands::history(&l, &app_no)? {
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
        L::Submit { batch, .. } => match l.submit(&batch)? {
            Some(true) => {
                let _ = writeln!(std::io::stderr(), "batch {batch} marked as submitted to the treasury");
                Ok(ExitStatus::Success)
            }
            Some(false) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: batch `{batch}` is a draft: its rules held values still to confirm\n  = hint: confirm them, run the batch again without `--draft` (with `--replace`), then submit it"
                );
                Ok(ExitStatus::Refusals)
            }
            None => {
                let _ = writeln!(std::io::stderr(), "error: batch `{batch}` is not in the ledger");
                Ok(ExitStatus::Refusals)
            }
        },
        L::ImportExecution { file, .. } => {
            let text = fs_err::read_to_string(&file)?;
            let r = crate::ledger::commands::import_execution(&mut l, &text)?;
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
