//! The only module that knows the order of the stages:
//! rules -> ledger history -> ingest -> validate -> decide -> subjects -> queue -> render/write
//! -> ledger record -> publish.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use chrono::Datelike;

use crate::application::Application;
use crate::context::BatchContext;
use crate::decide::{self, Decision, Status};
use crate::domain::money::Money;
use crate::ingest;
use crate::ingest::fields::app;
use crate::ledger::{self, DecisionRow, History, Ledger, Recording};
use crate::problem::Severity;
use crate::queue::{self, Queue, QueueEntry};
use crate::render::Templates;
use crate::render::report::Report;
use crate::rules::RuleSet;
use crate::validate::{self, Validated};
use crate::write::payments::{self, Blocked};
use crate::write::{self, Staged, Written};

/// Wall time per stage, for the end-of-run summary only: it never reaches an output, so outputs
/// stay byte-identical.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings(pub Vec<(&'static str, std::time::Duration)>);

struct Clock {
    at: std::time::Instant,
    laps: Timings,
}

impl Clock {
    fn start() -> Self {
        Clock { at: std::time::Instant::now(), laps: Timings::default() }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps.0.push((stage, now - self.at));
        self.at = now;
    }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The applications workbooks (or one applications CSV); a batch may hold both services,
    /// one file each.
    pub applications: Vec<PathBuf>,
    /// The items CSV when `applications` is a CSV; the workbook's items sheet otherwise.
    pub items: Option<PathBuf>,
    pub out: PathBuf,
    pub dry_run: bool,
    /// The ledger file; `None` decides the batch alone, remembering nothing.
    pub ledger: Option<PathBuf>,
    /// Replace a recorded batch whose payment lists were not yet submitted.
    pub replace: bool,
    /// Extract of the animal identification database (ИСЖ).
    pub animals: Option<PathBuf>,
    /// Extract of farm record numbers.
    pub farms: Option<PathBuf>,
}

impl Job {
    /// A batch decided alone, writing nothing (explain, diff, tests).
    pub fn decide_only(applications: PathBuf, items: Option<PathBuf>) -> Job {
        Job {
            applications: vec![applications],
            items,
            out: PathBuf::new(),
            dry_run: true,
            ledger: None,
            replace: false,
            animals: None,
            farms: None,
        }
    }
}

/// A decided batch, ready to be written.
pub struct BatchResult<'a> {
    pub ctx: &'a BatchContext,
    pub rules: &'a RuleSet,
    pub validated: Validated,
    pub decisions: Vec<Decision>,
    /// `(path, sha256)` of every input file.
    pub inputs: Vec<(String, String)>,
    pub queue: Queue,
    /// Subjects claimed by this batch's approved applications: `(type, kind, subject, app_no)`.
    pub subjects: Vec<(String, String, String, String)>,
    pub timings: Timings,
}

impl BatchResult<'_> {
    pub fn applications(&self) -> impl Iterator<Item = &Application> {
        self.validated.applications.iter()
    }

    /// `Заявки!7` or `applications.csv:7`.
    pub fn app_location(&self, a: &Application) -> String {
        self.validated.app_ref(a)
    }

    pub fn item_location(&self, a: &Application, row: u32) -> String {
        self.validated.item_ref(a, row)
    }

    /// The queue entry of an approved application that is not paid in full in this batch.
    pub fn waiting_entry(&self, a: &Application, d: &Decision) -> Option<&QueueEntry> {
        (d.status == Status::Approved)
            .then(|| self.queue.entry(&a.app_no))
            .flatten()
            .filter(|e| e.share.pay < e.remaining)
    }

    /// Paid now for an application of this batch.
    pub fn paid_now(&self, app_no: &str) -> Money {
        self.queue.entry(app_no).map_or(Money::ZERO, |e| e.share.pay)
    }
}

/// Counts for the console summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub applications: usize,
    pub approved: usize,
    pub refused: usize,
    pub approved_amount: Money,
    pub paid_now: Money,
    pub payments: usize,
    pub waiting: usize,
    pub input_errors: usize,
    pub input_warnings: usize,
    pub written: Vec<PathBuf>,
    /// Payment lists not written because a control failed.
    pub blocked: Vec<Blocked>,
    /// Budget problems (a year missing from budget.toml).
    pub budget_notes: Vec<String>,
    /// The batch was already recorded with the same inputs: nothing was recorded again.
    pub rerun: bool,
    pub timings: Timings,
}

/// The batch's id in the ledger: its date.
pub fn batch_id(ctx: &BatchContext) -> String {
    ctx.batch_date.format("%Y-%m-%d").to_string()
}

/// Reads, validates and decides a batch against what the ledger knew before it.
pub fn decide_batch<'a>(
    job: &Job,
    rules: &'a RuleSet,
    ctx: &'a BatchContext,
    history: &History,
) -> anyhow::Result<BatchResult<'a>> {
    let mut clock = Clock::start();
    let mut tables = Vec::new();
    let mut inputs = Vec::new();
    for path in &job.applications {
        tables.push(ingest::read_pair(path, job.items.as_deref())?);
        inputs.push((path.display().to_string(), hash_file(path)?));
    }
    if let Some(p) = &job.items {
        inputs.push((p.display().to_string(), hash_file(p)?));
    }
    clock.lap("ingest");
    let parts = tables
        .iter()
        .map(|(apps, items)| validate::validate(apps, items, rules, ctx.batch_date, &history.decided))
        .collect();
    let validated = Validated::merge(parts);
    // The cells as read are not needed once every row is a record.
    drop(tables);
    clock.lap("validate");
    let mut decisions = decide::decide(&validated, rules).context("criteria could not be evaluated")?;
    clock.lap("decide");
    let registries = crate::registry::Registries::load(job.animals.as_deref(), job.farms.as_deref())?;
    crate::registry::check(&validated.applications, &mut decisions, &registries, rules)
        .context("the registries could not be compared")?;
    inputs.extend(registries.files.iter().cloned());
    let subjects = crate::subjects::check(&validated.applications, &mut decisions, history, rules);
    let approved = validated
        .applications
        .iter()
        .zip(&decisions)
        .filter(|(_, d)| d.status == Status::Approved)
        .filter_map(|(a, d)| {
            let (line, program) = payments::line_for(a, d.amount, rules)?;
            Some((line, program, a.record.datetime(app::SUBMITTED_AT)?))
        })
        .collect();
    let queue = queue::build(approved, history, rules, ctx.batch_date);
    clock.lap("allocate");
    Ok(BatchResult { ctx, rules, validated, decisions, inputs, queue, subjects, timings: clock.laps })
}

fn hash_file(p: &Path) -> anyhow::Result<String> {
    Ok(write::manifest::sha256_file(p)?)
}

/// Makes the batch's files and puts each into `staged` as it is made. Payment lists that failed
/// their controls are left out and returned.
pub fn outputs(
    b: &BatchResult<'_>,
    templates: &Templates,
    staged: &Staged,
) -> anyhow::Result<(Vec<Written>, Vec<Blocked>)> {
    // The register (its item rows on a thread of their own) and the notices are made side by side.
    let (register, notices) = rayon::join(
        || -> anyhow::Result<Written> {
            let mut wb = write::register::workbook(b).context("cannot build decisions.xlsx")?;
            Ok(staged.put_workbook("decisions.xlsx", &mut wb)?)
        },
        || crate::render::notice::render_all(b, templates, staged),
    );
    let mut files = vec![register?];
    let (lists, blocked) = payments::outputs(b);
    for l in &lists {
        files.push(staged.put(&l.name, &l.bytes)?);
    }
    files.extend(notices?);
    let report = templates
        .render("report.html.tera", &Report::new(b))
        .map_err(|e| anyhow::anyhow!("cannot render report.html: {e}"))?;
    files.push(staged.put("report.html", report.as_bytes())?);
    let manifest = write::manifest(b, &files, &blocked, &templates.files);
    files.push(staged.put("manifest.json", &manifest)?);
    Ok((files, blocked))
}

/// SHA-256 over everything that decides the outputs: inputs, rules, templates, dates.
fn fingerprint(b: &BatchResult<'_>, templates: &Templates) -> String {
    let mut text = format!("{}|{}\n", b.ctx.batch_date, b.ctx.created_at);
    for (p, h) in b.inputs.iter().chain(&b.rules.files).chain(&templates.files) {
        text.push_str(&format!("{p}={h}\n"));
    }
    write::manifest::sha256_hex(text.as_bytes())
}

fn recording(b: &BatchResult<'_>, fingerprint: String) -> Recording {
    let decisions = b
        .applications()
        .zip(&b.decisions)
        .map(|(a, d)| {
            // The queue already holds the payment line of each application approved in this batch.
            let line = (d.status == Status::Approved)
                .then(|| b.queue.entry(&a.app_no).filter(|e| e.carried_from.is_none()))
                .flatten()
                .map(|e| (e.line.clone(), e.program.clone()));
            DecisionRow {
                app_no: a.app_no.clone(),
                type_code: a.type_code.clone(),
                tax_id: a.record.text(app::TAX_ID).unwrap_or_default().to_owned(),
                submitted_at: a.record.datetime(app::SUBMITTED_AT).unwrap_or_default(),
                approved: d.status == Status::Approved,
                amount: d.amount,
                budget_program: line.as_ref().map(|l| l.1.clone()),
                reasons: serde_json::Value::Array(
                    d.reasons
                        .iter()
                        .map(|r| serde_json::json!({ "id": r.id, "ground": r.ground.key(), "legal_ref": r.legal_ref, "detail": r.detail }))
                        .collect(),
                ),
                line: line.map(|l| l.0),
            }
        })
        .collect();
    Recording {
        batch_id: batch_id(b.ctx),
        batch_date: b.ctx.batch_date.to_string(),
        created_at: b.ctx.created_at.to_string(),
        fingerprint,
        year: b.ctx.batch_date.year(),
        month: b.ctx.batch_date.month(),
        decisions,
        payments: b.queue.payments(),
        offers: b
            .queue
            .entries
            .iter()
            .filter(|e| e.share.offer > Money::ZERO)
            .map(|e| (e.app_no.clone(), e.share.offer))
            .collect(),
        subjects: b.subjects.clone(),
    }
}

/// Runs a whole batch: outputs are staged, the ledger records the batch, then the outputs are
/// moved into place. A run stopped anywhere leaves the ledger and the output folder as they were.
/// `progress` is told the name of each stage as it starts (a terminal shows it; tests ignore it).
pub fn run(
    job: &Job,
    rules: &RuleSet,
    templates: &Templates,
    ctx: &BatchContext,
    progress: &dyn Fn(&str),
) -> anyhow::Result<Summary> {
    progress("reading and deciding the applications");
    let id = batch_id(ctx);
    let mut ledger = job.ledger.as_deref().map(Ledger::open).transpose()?;
    let existing = ledger.as_ref().map(|l| l.batch(&id)).transpose()?.flatten();
    let history = match &ledger {
        Some(l) => l.history(&id, ctx.batch_date.year(), ctx.batch_date.month())?,
        None => History::default(),
    };
    let b = decide_batch(job, rules, ctx, &history)?;
    let fp = fingerprint(&b, templates);
    let rerun = existing.as_ref().is_some_and(|e| e.fingerprint == fp);
    if let Some(e) = &existing
        && !rerun
    {
        if e.submitted {
            bail!(
                "batch {id} is already recorded and its payment lists were submitted to the treasury; it cannot be replaced"
            );
        }
        if !job.replace {
            bail!(
                "batch {id} is already recorded with other inputs, rules or templates; nothing was changed\n  hint: re-run with `--replace` to replace it (its payment lists were not submitted yet)"
            );
        }
    }
    progress("rendering and writing the register, payment lists, notices and report");
    let mut clock = Clock::start();
    let staged = if job.dry_run {
        Staged::dry()
    } else {
        Staged::open(&job.out).with_context(|| format!("cannot write the outputs to `{}`", job.out.display()))?
    };
    let (files, blocked) = match outputs(&b, templates, &staged) {
        Ok(x) => x,
        Err(e) => {
            staged.discard();
            return Err(e);
        }
    };
    clock.lap("render and write");
    let mut summary = summarize(&b);
    summary.blocked = blocked;
    summary.rerun = rerun;
    if job.dry_run {
        summary.timings.0.extend(clock.laps.0);
        return Ok(summary);
    }
    progress("recording the batch in the ledger");
    ledger::failpoint("before-ledger");
    if let Some(l) = ledger.as_mut()
        && !rerun
        && summary.blocked.is_empty()
        && let Err(e) = l.record(&recording(&b, fp))
    {
        staged.discard();
        return Err(e.into());
    }
    clock.lap("ledger");
    ledger::failpoint("before-publish");
    staged.publish().with_context(|| format!("cannot move the outputs into `{}`", job.out.display()))?;
    clock.lap("publish");
    summary.timings.0.extend(clock.laps.0);
    summary.written = files.iter().map(|f| job.out.join(&f.name)).collect();
    Ok(summary)
}

pub fn summarize(b: &BatchResult<'_>) -> Summary {
    let approved = b.decisions.iter().filter(|d| d.status == Status::Approved).count();
    let errors = b.validated.problems.iter().filter(|p| p.severity == Severity::Error).count();
    let payments = b.queue.payments();
    Summary {
        applications: b.decisions.len(),
        approved,
        refused: b.decisions.len() - approved,
        approved_amount: b.decisions.iter().map(|d| d.amount).sum(),
        paid_now: payments.iter().map(|p| p.0.amount).sum(),
        payments: payments.len(),
        waiting: b.queue.entries.iter().filter(|e| e.share.pay < e.remaining).count(),
        input_errors: errors,
        input_warnings: b.validated.problems.len() - errors,
        budget_notes: b.queue.notes.clone(),
        timings: b.timings.clone(),
        ..Summary::default()
    }
}
