//! The command line. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Monthly batch of livestock-subsidy applications: reads the month's applications, checks them,
/// applies the eligibility criteria and rates kept in rule files, and writes the batch register.
#[derive(Debug, Parser)]
#[command(name = "subsidy", version, after_long_help = crate::exit::HELP)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Decide a batch: read applications, validate, apply the rules, write `decisions.xlsx` and
    /// `manifest.json` into the output folder.
    #[command(after_long_help = crate::exit::HELP)]
    Run(RunArgs),
    /// Check the rule files and templates without reading any applications; lists every problem at once.
    #[command(after_long_help = crate::exit::HELP)]
    Check(CheckArgs),
    /// Explain one application of a batch: type, rate edition and why, every criterion with the
    /// values it saw, the arithmetic of the amount and the budget decision.
    Explain(ExplainArgs),
    /// Decide the same applications under two rule sets and show what changes and why:
    /// a workbook of the changed applications and totals, and a summary on stdout.
    Diff(DiffArgs),
    /// Check the state system's register export against the rules: normative in force on each
    /// submission date, implied quantity, summaries, and a FIFO queue with a given allocation.
    Audit(AuditArgs),
    /// Run the rule test cases (`rules/tests/*.toml`): each an application, its items and a date,
    /// and the status, amount, rate edition and failed criteria it must get. Ends with
    /// `N passed, N failed`; exits 1 if any case fails.
    Test(TestArgs),
    /// Write a realistic applications workbook (seeded, reproducible) for trying the pipeline.
    Sample(crate::sample::SampleArgs),
    /// Show and update the ledger: budget used and left, the waiting list, one application's
    /// history, submitted batches, the treasury's execution results.
    #[command(subcommand)]
    Ledger(LedgerCommand),
}

#[derive(Debug, Args)]
pub(crate) struct RulesArg {
    /// Folder of rule files (`service.toml`, `services/*.toml`, `regions/*.toml`, `budget.toml`,
    /// `banks-kz.csv`, `programs/*.toml`).
    #[arg(long, value_name = "DIR", default_value = "rules", env = "SUBSIDY_RULES")]
    pub rules: PathBuf,
    /// The region whose department decides (`regions/<KEY>.toml`: its department, signatures,
    /// budget and akimat's normatives); the one `service.toml` names by default (karaganda).
    /// Applications of another region in the input are reported and not decided.
    #[arg(long, value_name = "KEY", env = "SUBSIDY_REGION")]
    pub region: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct TemplatesArg {
    /// Folder of notice and report templates (tera).
    #[arg(long, value_name = "DIR", default_value = "templates", env = "SUBSIDY_TEMPLATES")]
    pub templates: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Applications workbook (XLSX with sheets `Заявки` and `Позиции`, or `Заявки` and `Закуп` for
    /// processing enterprises) or applications CSV. Repeat it to decide both services' files in
    /// one batch.
    #[arg(long, value_name = "PATH", required = true)]
    pub applications: Vec<PathBuf>,
    /// Items CSV (one row per animal or delivery); needed when `--applications` is a CSV.
    #[arg(long, value_name = "PATH")]
    pub items: Option<PathBuf>,
    /// The batch's date, `YYYY-MM-DD` (or `dd.mm.yyyy`). Required: nothing reads today's date, so
    /// a batch can be re-run with the same result.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub batch_date: chrono::NaiveDate,
    /// Output folder; replaced as a whole when the batch is written.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub templates: TemplatesArg,
    /// Time stamped into the workbooks and manifest (`YYYY-MM-DDThh:mm:ss`, UTC). Defaults to
    /// `SOURCE_DATE_EPOCH` if set, else the batch date at 00:00.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub created_at: Option<chrono::NaiveDateTime>,
    /// Threads for per-application work (default: all cores). Outputs are the same for any value.
    /// The criteria are evaluated on at most polars' threads (`POLARS_MAX_THREADS`, default all
    /// cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Exit with code 1 when any application is refused or any input problem is found.
    #[arg(long)]
    pub strict: bool,
    /// Extract of the animal identification database (ИСЖ), CSV or XLSX: ИНЖ, owner's IIN/BIN,
    /// sex, breed, birth date, date registered to the owner. A mismatch refuses the application.
    #[arg(long, value_name = "PATH")]
    pub animals: Option<PathBuf>,
    /// Extract of farm record numbers, CSV or XLSX: record number, owner's IIN/BIN, name.
    #[arg(long, value_name = "PATH")]
    pub farms: Option<PathBuf>,
    /// The ledger (SQLite file) that remembers batches, payments, the waiting list and
    /// subsidised animals and invoices; created on first use.
    #[arg(long, value_name = "FILE", default_value = "ledger.sqlite", env = "SUBSIDY_LEDGER")]
    pub ledger: PathBuf,
    /// Decide the batch alone: read and write no ledger (what-if runs).
    #[arg(long, conflicts_with = "replace")]
    pub no_ledger: bool,
    /// Replace a batch already recorded under this batch date with other inputs (allowed only
    /// while its payment lists were not submitted to the treasury).
    #[arg(long)]
    pub replace: bool,
    /// Run every stage but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Decide the batch although its rules still hold values to confirm (`subsidy check` lists
    /// them as R020): every document then says «ЖОБА / ПРОЕКТ» and its payment lists cannot be
    /// submitted. Without it, such rules stop the run.
    #[arg(long, env = "SUBSIDY_DRAFT")]
    pub draft: bool,
    /// Write the notices as HTML only: no PDF per notice and no `notices/notices.pdf`. For
    /// what-if and national runs, where nobody prints the notices; a month's PDFs take about a
    /// second on two cores.
    #[arg(long, env = "SUBSIDY_NO_PDF")]
    pub no_pdf: bool,
    /// Applications held in memory between the two passes over the input files. A batch of
    /// more is read and decided again, file by file, when its outputs are written: slower, with
    /// memory bounded by the largest file (a batch of one file is held whatever its size). The
    /// outputs are the same either way.
    #[arg(long, value_name = "N", default_value_t = crate::pipeline::KEEP)]
    pub keep: usize,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    #[command(flatten)]
    pub templates: TemplatesArg,
    /// How problems are shown: `human` (rustc-style blocks on stderr), `short` (one line per
    /// problem, `file:line:col: error[CODE name]: message`, on stderr) or `json` (an array on
    /// stdout, for editors and scripts).
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiagnosticFormat,
    /// Same as `--format short`.
    #[arg(long)]
    pub short: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LedgerArg {
    /// The ledger file.
    #[arg(long, value_name = "FILE", default_value = "ledger.sqlite", env = "SUBSIDY_LEDGER")]
    pub ledger: PathBuf,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LedgerCommand {
    /// Budget used and left per budget program and month of a year.
    Budget {
        #[command(flatten)]
        ledger: LedgerArg,
        #[command(flatten)]
        rules: RulesArg,
        /// The year (`YYYY`).
        #[arg(long)]
        year: i32,
    },
    /// Approved applications waiting for money, in queue order.
    Waiting {
        #[command(flatten)]
        ledger: LedgerArg,
    },
    /// Everything recorded about one application, and its status.
    History {
        #[command(flatten)]
        ledger: LedgerArg,
        /// The application number.
        app_no: String,
    },
    /// Mark a batch's payment lists as handed to the treasury; it can no longer be replaced.
    Submit {
        #[command(flatten)]
        ledger: LedgerArg,
        /// The batch (its date, `YYYY-MM-DD`).
        #[arg(long)]
        batch: String,
    },
    /// Import the treasury's execution results: a CSV of `payment_id,amount,status` with status
    /// `executed` or `rejected`. Mismatches are listed and the command exits with 1.
    ImportExecution {
        #[command(flatten)]
        ledger: LedgerArg,
        /// The CSV file.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The application number.
    #[arg(long = "app", value_name = "APP_NO")]
    pub app_no: String,
    /// Applications workbook or CSV of the batch.
    #[arg(long, value_name = "PATH")]
    pub applications: PathBuf,
    /// Items CSV, when the applications are a CSV.
    #[arg(long, value_name = "PATH")]
    pub items: Option<PathBuf>,
    /// The batch's date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub batch_date: chrono::NaiveDate,
    #[command(flatten)]
    pub rules: RulesArg,
    /// The ledger, for the budget decision as the batch saw it.
    #[arg(long, value_name = "FILE", default_value = "ledger.sqlite", env = "SUBSIDY_LEDGER")]
    pub ledger: PathBuf,
    /// Explain without the ledger (the batch decided alone).
    #[arg(long)]
    pub no_ledger: bool,
    /// Language of the explanation.
    #[arg(long, value_enum, default_value = "ru")]
    pub lang: crate::explain::Lang,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The rules before the change.
    #[arg(long, value_name = "DIR")]
    pub before: PathBuf,
    /// The rules after the change.
    #[arg(long, value_name = "DIR")]
    pub after: PathBuf,
    /// Applications workbook or CSV.
    #[arg(long, value_name = "PATH")]
    pub applications: PathBuf,
    /// Items CSV, when the applications are a CSV.
    #[arg(long, value_name = "PATH")]
    pub items: Option<PathBuf>,
    /// The batch's date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub batch_date: chrono::NaiveDate,
    /// Where to write the comparison workbook.
    #[arg(long, value_name = "FILE", default_value = "diff.xlsx")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    /// The register export («Реестр заявок», XLSX as exported, or CSV with the same columns).
    #[arg(long, value_name = "PATH")]
    pub register: PathBuf,
    #[command(flatten)]
    pub rules: RulesArg,
    /// Run the approved applications through the FIFO queue with this much money, in tenge.
    #[arg(long, value_name = "TENGE")]
    pub allocation: Option<String>,
    /// Where to write the audit workbook.
    #[arg(long, value_name = "FILE", default_value = "audit.xlsx")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    #[command(flatten)]
    pub rules: RulesArg,
    /// Folder of test cases; default: `tests` inside the rules folder.
    #[arg(long, value_name = "DIR")]
    pub cases: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiagnosticFormat {
    Human,
    Short,
    Json,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .map_err(|_| format!("expected a date `YYYY-MM-DD` or `dd.mm.yyyy`, found `{s}`"))
}

fn parse_time(s: &str) -> Result<chrono::NaiveDateTime, String> {
    chrono::NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| format!("expected `YYYY-MM-DDThh:mm:ss`, found `{s}`"))
}
