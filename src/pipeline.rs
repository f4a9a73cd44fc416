//! The only module that knows the order of the stages:
//! rules -> ledger history -> ingest -> validate -> decide -> subjects -> queue -> render/write
//! -> ledger record -> publish.
//!
//! A batch is read in two passes, one input file (a *part*) at a time. The first decides each
//! part and keeps, for the whole batch, only what the checks across parts need: each approved
//! application's subject keys and payment line. Then the duplicate subjects are found and the
//! budget queue is allocated. The second pass writes each part's rows, notices and ledger rows.
//! Parts that fit [`Job::keep`] stay in memory between the passes; larger ones are read and
//! decided again, so memory stays bounded by the largest part, whatever the batch's size.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use chrono::Datelike;

pub use crate::batch::{BatchResult, Timings};
use crate::context::BatchContext;
use crate::decide::{self, Decision, Status};
use crate::domain::money::Money;
use crate::ingest;
use crate::ledger::{self, DecisionRow, History, Ledger};
use crate::queue::{self, Queue};
use crate::render::Templates;
use crate::render::report::Report;
use crate::rules::RuleSet;
use crate::subjects;
use crate::totals::{Totals, Whole};
use crate::validate::{self, Validated};
use crate::write::payments::{self, Blocked};
use crate::write::{self, Staged, Written};

struct Clock {
    at: std::time::Instant,
    laps: Timings,
}

impl Clock {
    fn start() -> Self {
        Clock { at: std::time::Instant::now(), laps: Timings::default() }
    }

    /// Starts timing again after work that is not this clock's.
    fn restart(&mut self) {
        self.at = std::time::Instant::now();
    }

    /// Ends the current stage; a stage met again (in the next part) adds to its time.
    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        match self.laps.0.iter_mut().find(|(s, _)| *s == stage) {
            Some(l) => l.1 += now - self.at,
            None => self.laps.0.push((stage, now - self.at)),
        }
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
    /// A batch of at most this many applications stays in memory between the two passes; a
    /// larger one is read again, file by file.
    pub keep: usize,
}

/// Applications kept in memory between the passes unless told otherwise: a national year
/// (about 37 000) is read once; a million are read twice, in bounded memory.
pub const KEEP: usize = 50_000;

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
            keep: usize::MAX,
        }
    }
}

/// Counts for the console summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub applications: usize,
    pub approved: usize,
    pub refused: usize,
    /// Rows not decided here: decided by an earlier batch, or another region's.
    pub not_decided: usize,
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
    /// What an earlier run stopped while publishing left, and what was done with it.
    pub recovered: Vec<String>,
    /// What the outputs leave out, and why (`notices.pdf` of a very large batch).
    pub notes: Vec<String>,
    pub timings: Timings,
}

/// The batch's id in the ledger: its date.
pub fn batch_id(ctx: &BatchContext) -> String {
    ctx.batch_date.format("%Y-%m-%d").to_string()
}

/// One input file read, checked and decided.
struct Part {
    validated: Validated,
    decisions: Vec<Decision>,
}

/// A batch after its first pass: the checks across parts are done and the queue is allocated;
/// [`Batch::part`] gives each part as decided in the whole batch.
pub struct Batch<'a, 'j> {
    job: &'j Job,
    history: &'j History,
    rules: &'a RuleSet,
    ctx: &'a BatchContext,
    registries: crate::registry::Registries,
    admission: validate::Admission,
    /// The batch index of each part's first application.
    starts: Vec<usize>,
    /// Parts kept in memory since the first pass.
    kept: Vec<Option<Part>>,
    /// Duplicate subjects, by batch index of the application refused for them.
    clashes: BTreeMap<usize, Vec<subjects::Clash>>,
    pub queue: Arc<Queue>,
    /// `(path, sha256)` of every input file.
    pub inputs: Vec<(String, String)>,
    clock: Clock,
}

impl<'a, 'j> Batch<'a, 'j> {
    /// The first pass: reads and decides every part, finds duplicate subjects across the batch
    /// and allocates the budget queue. `progress` is told which file is being read.
    pub fn decide(
        job: &'j Job,
        rules: &'a RuleSet,
        ctx: &'a BatchContext,
        history: &'j History,
        progress: &dyn Fn(&str),
    ) -> anyhow::Result<Batch<'a, 'j>> {
        let registries = crate::registry::Registries::load(job.animals.as_deref(), job.farms.as_deref())?;
        let mut b = Batch {
            job,
            history,
            rules,
            ctx,
            registries,
            admission: validate::Admission::default(),
            starts: Vec::new(),
            kept: Vec::new(),
            clashes: BTreeMap::new(),
            queue: Arc::default(),
            inputs: Vec::new(),
            clock: Clock::start(),
        };
        // What the checks across parts need of each application: its subjects when approved,
        // and its payment line with the submission time.
        let mut claims: Vec<Option<subjects::Claim>> = Vec::new();
        let mut approved = Vec::new();
        let mut kept = 0;
        for (k, path) in job.applications.iter().enumerate() {
            if job.applications.len() > 1 {
                progress(&format!("reading and deciding {} ({}/{})", path.display(), k + 1, job.applications.len()));
            }
            let part = b.read(k)?;
            b.inputs.push((path.display().to_string(), hash_file(path)?));
            b.starts.push(claims.len());
            for (a, d) in part.validated.applications.iter().zip(&part.decisions) {
                if d.status != Status::Approved {
                    claims.push(None);
                    continue;
                }
                let at = a.submitted_at();
                if let (Some((line, program)), Some(at)) = (queue::line_for(a, d.amount, rules), at) {
                    approved.push((claims.len(), (line, program, at)));
                }
                claims.push(Some(subjects::Claim::new(a, rules, &history.subjects)?));
            }
            // A batch past `keep` keeps nothing: memory is then bounded by one part. A batch of
            // one part is within that bound whatever its size: reading it again would gain nothing.
            kept += part.decisions.len();
            if kept <= job.keep || job.applications.len() == 1 {
                b.kept.push(Some(part));
            } else {
                b.kept.iter_mut().for_each(|p| *p = None);
                b.kept.push(None);
            }
            b.clock.lap("decide");
        }
        if let Some(p) = &job.items {
            b.inputs.push((p.display().to_string(), hash_file(p)?));
        }
        b.inputs.extend(b.registries.files.iter().cloned());
        b.clashes = subjects::clashes(&claims);
        drop(claims);
        let approved =
            approved.into_iter().filter(|(i, _)| !b.clashes.contains_key(i)).map(|(_, entry)| entry).collect();
        b.queue = Arc::new(queue::build(approved, history, rules, ctx.batch_date));
        b.clock.lap("allocate");
        Ok(b)
    }

    /// Reads, validates and decides file `k`; the same every time it is read.
    fn read(&mut self, k: usize) -> anyhow::Result<Part> {
        let path = &self.job.applications[k];
        let (apps, items) = ingest::read_pair(path, self.job.items.as_deref())?;
        self.clock.lap("ingest");
        let validated = validate::validate(&apps, &items, self.rules, self.ctx.batch_date, &self.history.decided);
        // The cells as read are not needed once every row is a record.
        drop((apps, items));
        let mut validated = self.admission.admit(k, validated);
        validated.name_files = self.job.applications.len() > 1;
        self.clock.lap("validate");
        let mut decisions = decide::decide(&validated, self.rules).context("criteria could not be evaluated")?;
        crate::registry::check(&validated.applications, &mut decisions, &self.registries, self.rules)
            .context("the registries could not be compared")?;
        self.clock.lap("decide");
        Ok(Part { validated, decisions })
    }

    pub fn parts(&self) -> usize {
        self.starts.len()
    }

    /// Part `k` as decided in the whole batch, its duplicate subjects refused: kept since the
    /// first pass, or read again.
    pub fn part(&mut self, k: usize) -> anyhow::Result<BatchResult<'a>> {
        self.clock.restart();
        let Part { validated, mut decisions } = match self.kept[k].take() {
            Some(p) => p,
            None => self.read(k)?,
        };
        subjects::apply(&validated.applications, &mut decisions, self.starts[k], &self.clashes, self.rules);
        Ok(BatchResult {
            ctx: self.ctx,
            rules: self.rules,
            validated,
            decisions,
            inputs: self.inputs.clone(),
            queue: Arc::clone(&self.queue),
            timings: Timings::default(),
        })
    }

    /// Time per stage of reading and deciding, both passes.
    pub fn timings(&self) -> Timings {
        self.clock.laps.clone()
    }
}

fn hash_file(p: &Path) -> anyhow::Result<String> {
    Ok(write::manifest::sha256_file(p)?)
}

/// Reads, validates and decides a batch against what the ledger knew before it, held whole in
/// memory (explain, diff, tests).
pub fn decide_batch<'a>(
    job: &Job,
    rules: &'a RuleSet,
    ctx: &'a BatchContext,
    history: &History,
) -> anyhow::Result<BatchResult<'a>> {
    let mut batch = Batch::decide(job, rules, ctx, history, &|_| {})?;
    let (mut validated, mut decisions) = (Vec::new(), Vec::new());
    for k in 0..batch.parts() {
        let part = batch.part(k)?;
        validated.push(part.validated);
        decisions.extend(part.decisions);
    }
    Ok(BatchResult {
        ctx,
        rules,
        validated: Validated::concat(validated),
        decisions,
        inputs: batch.inputs.clone(),
        queue: Arc::clone(&batch.queue),
        timings: batch.timings(),
    })
}

/// What writing the parts made: the files, and what the summary and the ledger need.
struct Made {
    files: Vec<Written>,
    blocked: Vec<Blocked>,
    totals: Totals,
    notes: Vec<String>,
}

/// The second pass: makes the batch's files part by part and puts each into `staged` as it is
/// made; `recorder` gets each part's decisions and subjects. `lists` are the payment lists that
/// passed their controls, `blocked` the others.
fn outputs(
    batch: &mut Batch<'_, '_>,
    templates: &Templates,
    staged: &Staged,
    (lists, blocked): (Vec<write::Output>, Vec<Blocked>),
    recorder: Option<&ledger::Recorder<'_>>,
    clock: &mut Clock,
    progress: &dyn Fn(&str),
) -> anyhow::Result<Made> {
    let (ctx, rules) = (batch.ctx, batch.rules);
    let mut register =
        write::register::RegisterWriter::new(ctx, staged.dir()).context("cannot build decisions.xlsx")?;
    let mut totals = Totals::default();
    let mut notices = crate::render::notice::Made::default();
    let mut letters = crate::render::notice::Letters::new(ctx.batch_date.year(), batch.history.last_letter);
    let n = batch.parts();
    for k in 0..n {
        if n > 1 {
            let file = batch.job.applications[k].display();
            progress(&format!("writing the register rows and notices of {file} ({}/{n})", k + 1));
        }
        let b = batch.part(k)?;
        clock.restart();
        // The register's rows (its item rows on a thread of their own) and the notices are made
        // side by side.
        let given = letters.given.len();
        let (rows, made) = rayon::join(
            || register.add(&b),
            || crate::render::notice::render_part(&b, templates, staged, &mut letters),
        );
        rows.context("cannot build decisions.xlsx")?;
        notices.extend(made?);
        totals.add(&b);
        clock.lap("render and write");
        if let Some(r) = recorder {
            r.decisions(&decision_rows(&b))?;
            r.outcomes(
                &b.applications()
                    .zip(&b.decisions)
                    .filter(|(a, _)| a.decided_here())
                    .map(|(a, d)| (a.app_no.clone(), b.outcome(a, d)))
                    .collect::<Vec<_>>(),
            )?;
            r.subjects(&subjects::claimed(&b.validated.applications, &b.decisions, b.rules))?;
            r.letters(&letters.given[given..])?;
            clock.lap("ledger");
        }
    }
    let given = letters.given.len();
    let carried = crate::render::notice::render_carried(&batch.queue, ctx, rules, templates, staged, &mut letters)?;
    if let Some(r) = recorder {
        r.letters(&letters.given[given..])?;
    }
    notices.extend(carried);
    let notice_files = std::mem::take(&mut notices.files);
    let mut notes = Vec::new();
    if ctx.pdf && notices.no_bundle {
        notes.push(format!(
            "{} notices are more than `notices/notices.pdf` holds ({}): each notice has its own PDF, and none of the batch was made",
            notices.lines.len(),
            crate::render::notice::BUNDLE_MAX
        ));
    }
    let whole = Whole { ctx, rules, queue: &batch.queue, totals: &totals, inputs: &batch.inputs };
    let (register, index) = rayon::join(
        || -> anyhow::Result<Written> {
            let mut wb = register.finish(&whole).context("cannot build decisions.xlsx")?;
            Ok(staged.put_workbook("decisions.xlsx", &mut wb)?)
        },
        || crate::render::notice::render_index(notices, ctx, rules, templates, staged),
    );
    let mut files = vec![register?];
    for l in &lists {
        files.push(staged.put(&l.name, &l.bytes)?);
    }
    files.extend(notice_files);
    files.extend(index?);
    let report = templates
        .render("report.html.tera", &Report::new(&whole))
        .map_err(|e| anyhow::anyhow!("cannot render report.html: {e}"))?;
    files.push(staged.put("report.html", report.as_bytes())?);
    let manifest = write::manifest(&whole, &files, &blocked, &templates.files);
    files.push(staged.put("manifest.json", &manifest)?);
    clock.lap("render and write");
    Ok(Made { files, blocked, totals, notes })
}

/// SHA-256 over everything that decides the outputs: inputs, rules, templates, dates.
fn fingerprint(ctx: &BatchContext, inputs: &[(String, String)], rules: &RuleSet, templates: &Templates) -> String {
    let mut text = format!("{}|{}{}\n", ctx.batch_date, ctx.created_at, if ctx.draft { "|draft" } else { "" });
    for (p, h) in inputs.iter().chain(&rules.files).chain(&templates.files) {
        text.push_str(&format!("{p}={h}\n"));
    }
    write::manifest::sha256_hex(text.as_bytes())
}

/// The ledger's rows for a part's decisions.
fn decision_rows(b: &BatchResult<'_>) -> Vec<DecisionRow> {
    // A row refused as it was read has no number of its own to keep.
    b.applications()
        .zip(&b.decisions)
        .filter(|(a, _)| a.decided_here())
        .map(|(a, d)| {
            // The queue already holds the payment line of each application approved in this batch.
            let line = (d.status == Status::Approved)
                .then(|| b.queue.entry(&a.app_no).filter(|e| e.carried_from.is_none()))
                .flatten()
                .map(|e| (e.line.clone(), e.program.clone()));
            DecisionRow {
                app_no: a.app_no.clone(),
                type_code: a.type_code.clone(),
                tax_id: a.tax_id().to_owned(),
                submitted_at: a.submitted_at().unwrap_or_default(),
                approved: d.status == Status::Approved,
                amount: d.amount,
                budget_program: line.as_ref().map(|l| l.1.clone()),
                reasons: serde_json::Value::Array(
                    d.reasons
                        .iter()
                        .map(|r| serde_json::json!({ "id": r.id, "ground": r.ground.key(), "legal_ref": r.legal_ref, "detail": r.detail() }))
                        .collect(),
                ),
                line: line.map(|l| l.0),
            }
        })
        .collect()
}

fn head(ctx: &BatchContext, fingerprint: String) -> ledger::BatchHead {
    ledger::BatchHead {
        batch_id: batch_id(ctx),
        batch_date: ctx.batch_date.to_string(),
        created_at: ctx.created_at.to_string(),
        fingerprint,
        draft: ctx.draft,
        year: ctx.batch_date.year(),
        month: ctx.batch_date.month(),
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
    let mut batch = Batch::decide(job, rules, ctx, &history, progress)?;
    let fp = fingerprint(ctx, &batch.inputs, rules, templates);
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
    // The payment lists come from the queue alone; a list that fails its controls keeps the
    // batch out of the ledger.
    let lists = payments::outputs(ctx, rules, &batch.queue, &templates.layout);
    let record = !job.dry_run && !rerun && lists.1.is_empty();
    let recorder = match ledger.as_mut().filter(|_| record).map(|l| l.begin(&head(ctx, fp))).transpose() {
        Ok(r) => r,
        Err(e) => {
            staged.discard();
            return Err(e.into());
        }
    };
    // A workbook writer that cannot write (a full disk, a file-size limit) panics inside the
    // library: that is a write error like any other, and nothing is left behind.
    // Its own message says why; the panic's report would only repeat it.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        outputs(&mut batch, templates, &staged, lists, recorder.as_ref(), &mut clock, progress)
    }));
    std::panic::set_hook(report);
    let made = made.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("the writer stopped");
        Err(anyhow::anyhow!("cannot write the outputs to `{}`: {why}", job.out.display()))
    });
    let made = match made {
        Ok(x) => x,
        Err(e) => {
            staged.discard();
            return Err(e);
        }
    };
    let whole = Whole { ctx, rules, queue: &batch.queue, totals: &made.totals, inputs: &batch.inputs };
    let mut summary = summarize(&whole);
    summary.blocked = made.blocked;
    summary.notes = made.notes;
    summary.rerun = rerun;
    summary.recovered = staged.recovered.clone();
    summary.timings = batch.timings();
    if job.dry_run {
        summary.timings.0.extend(clock.laps.0);
        return Ok(summary);
    }
    progress("recording the batch in the ledger");
    ledger::failpoint("before-ledger");
    if let Some(r) = recorder {
        let offers: Vec<(String, Money)> = batch
            .queue
            .entries
            .iter()
            .filter(|e| e.share.offer > Money::ZERO)
            .map(|e| (e.app_no.clone(), e.share.offer))
            .collect();
        // The waiting list's applications of earlier batches whose outcome this batch changed.
        let carried: Vec<(String, crate::outcome::Outcome)> = batch
            .queue
            .entries
            .iter()
            .filter(|e| e.carried_from.is_some() && !matches!(e.outcome, crate::outcome::Outcome::Waiting { .. }))
            .map(|e| (e.app_no.clone(), e.outcome.clone()))
            .collect();
        if let Err(e) = r.outcomes(&carried).and_then(|()| r.finish(&batch.queue.payments(), &offers)) {
            staged.discard();
            return Err(e.into());
        }
    }
    clock.lap("ledger");
    ledger::failpoint("before-publish");
    staged.publish().with_context(|| format!("cannot move the outputs into `{}`", job.out.display()))?;
    clock.lap("publish");
    summary.timings.0.extend(clock.laps.0);
    summary.written = made.files.iter().map(|f| job.out.join(&f.name)).collect();
    Ok(summary)
}

pub fn summarize(w: &Whole<'_>) -> Summary {
    let t = w.totals;
    let payments = w.queue.payments();
    Summary {
        applications: t.applications(),
        approved: t.all.approved as usize,
        refused: t.all.refused as usize,
        not_decided: t.all.not_decided as usize,
        approved_amount: t.all.amount,
        paid_now: payments.iter().map(|p| p.0.amount).sum(),
        payments: payments.len(),
        waiting: w.queue.entries.iter().filter(|e| e.share.pay < e.remaining).count(),
        input_errors: t.input_errors,
        input_warnings: t.input_warnings,
        budget_notes: w.queue.notes.clone(),
        ..Summary::default()
    }
}
