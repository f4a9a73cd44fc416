//! Exit codes; the table is also the tail of `--help` and is in README.md.

use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// The batch was decided and written (refusals are results, not failures).
    Success,
    /// `--strict` and some application was refused or some input problem found.
    Refusals,
    /// The command line was wrong (clap's code).
    Usage,
    /// The rule files have problems; nothing was processed.
    BadRules,
    /// An input or output file could not be read or written, or another failure; nothing
    /// partial is left under the output's final name.
    Failure,
}

pub const HELP: &str = "\
Exit codes:
  0  batch decided and written (refusals are part of the result)
  1  --strict was given and some application was refused or an input problem was found
  2  command-line usage error
  3  rule files have problems: nothing was processed
  4  an input or output file could not be read or written; nothing partial was left";

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        ExitCode::from(match s {
            ExitStatus::Success => 0,
            ExitStatus::Refusals => 1,
            ExitStatus::Usage => 2,
            ExitStatus::BadRules => 3,
            ExitStatus::Failure => 4,
        })
    }
}
