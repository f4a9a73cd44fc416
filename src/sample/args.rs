//! What `subsidy sample` is asked for.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// Where to write the workbook.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Month of submission, `YYYY-MM`.
    #[arg(long, value_name = "MONTH", default_value = "2025-04")]
    pub month: String,
    /// Which service's applications: livestock (sheets `Заявки`, `Позиции`) or processing
    /// enterprises (sheets `Заявки`, `Закуп`).
    #[arg(long, value_enum, default_value_t = SampleService::Livestock)]
    pub service: SampleService,
    /// Months the submissions spread over from `--month`, each with its share of the 2025
    /// register's monthly rhythm (livestock).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub months: u32,
    /// The mix of subsidy types: Karaganda's 2025 applications, or the country's (every type of
    /// the register). Each application gets a type that was open on its submission date.
    #[arg(long, value_enum, default_value_t = super::Mix::Karaganda)]
    pub mix: super::Mix,
    /// Spread the applications over every region of the register (the akimat's types in the
    /// regions that set their normatives) instead of Karaganda alone.
    #[arg(long)]
    pub all_regions: bool,
    /// Number of applications [default: 170 livestock, 30 processing].
    #[arg(long)]
    pub count: Option<usize>,
    /// Seed: the same seed gives the same file.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Add the documented deliberate mistakes (see samples/README.md).
    #[arg(long)]
    pub with_mistakes: bool,
    /// Percentage of applications given a random realistic mistake that fits their type (bad
    /// control digit, IBAN/BIC mismatch, too-young or too-old animal, late claim, duplicate
    /// animal …). The same seed gives the same mistakes.
    #[arg(long, value_name = "PERCENT", default_value_t = 0)]
    pub mistake_share: u32,
    /// Split the applications over several workbooks of at most N applications each,
    /// `<out stem>-01.xlsx`, `-02` …, in submission order (a sheet holds 1 048 576 rows, the
    /// items of about 60 000 applications). Run them as one batch by repeating `--applications`.
    #[arg(long, value_name = "N")]
    pub per_file: Option<usize>,
    /// Also write the same applications as the state system's register export («Реестр
    /// заявок», the layout `subsidy audit` reads), with statuses in the national shares.
    #[arg(long, value_name = "PATH")]
    pub register_out: Option<PathBuf>,
}

/// The service a sample is generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SampleService {
    Livestock,
    Processing,
}
