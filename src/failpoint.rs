//! Named points where the fault tests stop the process, as a power cut would.

/// Stops the process at a named point when `SUBSIDY_FAILPOINT` names it: the fault tests use it
/// to show that a run killed there leaves the ledger and outputs consistent.
pub fn failpoint(name: &str) {
    if std::env::var("SUBSIDY_FAILPOINT").is_ok_and(|v| v == name) {
        eprintln!("failpoint `{name}`: stopping");
        std::process::abort();
    }
}
