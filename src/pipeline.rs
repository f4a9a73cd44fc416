//! The only module that knows the order of the stages:
//! rules -> ingest -> validate -> decide -> write.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::application::Application;
use crate::context::BatchContext;
use crate::decide::{self, Decision, Status};
use crate::domain::money::Money;
use crate::ingest::{self, SheetKind};
use crate::problem::Severity;
use crate::rules::RuleSet;
use crate::validate::{self, Validated};
use rayon::prelude::*;

use crate::render::Templates;
use crate::render::notice::{Index, IndexLine, Notice, file_name};
use crate::render::report::Report;
use crate::write::payments::Blocked;
use crate::write::{self, Output};

/// What to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The applications workbook, or the applications CSV.
    pub applications: PathBuf,
    /// The items CSV when `applications` is a CSV; the workbook's items sheet otherwise.
    pub items: Option<PathBuf>,
    pub out: PathBuf,
    pub dry_run: bool,
}

/// A decided batch, ready to be written.
pub struct BatchResult<'a> {
    pub ctx: &'a BatchContext,
    pub rules: &'a RuleSet,
    pub validated: Validated,
    pub decisions: Vec<Decision>,
    /// `(path, sha256)` of every input file.
    pub inputs: Vec<(String, String)>,
}

impl BatchResult<'_> {
    pub fn applications(&self) -> impl Iterator<Item = &Application> {
        self.validated.applications.iter()
    }

    /// `Заявки!7` or `applications.csv:7`.
    pub fn app_location(&self, a: &Application) -> String {
        self.validated.apps_source.row_ref(a.record.row)
    }

    pub fn item_location(&self, row: u32) -> String {
        self.validated.items_source.row_ref(row)
    }
}

/// Counts for the console summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub applications: usize,
    pub approved: usize,
    pub refused: usize,
    pub approved_amount: Money,
    pub input_errors: usize,
    pub input_warnings: usize,
    pub written: Vec<PathBuf>,
    /// Payment lists not written because a control failed.
    pub blocked: Vec<Blocked>,
}

/// Reads, validates and decides a batch.
pub fn decide_batch<'a>(job: &Job, rules: &'a RuleSet, ctx: &'a BatchContext) -> anyhow::Result<BatchResult<'a>> {
    let apps = ingest::read(&job.applications, SheetKind::Applications)?;
    let items_path = job.items.as_deref().unwrap_or(&job.applications);
    let items = ingest::read(items_path, SheetKind::Items)?;
    let mut inputs = vec![(job.applications.display().to_string(), hash_file(&job.applications)?)];
    if let Some(p) = &job.items {
        inputs.push((p.display().to_string(), hash_file(p)?));
    }
    let validated = validate::validate(&apps, &items, rules, ctx.batch_date);
    let decisions = decide::decide(&validated, rules).context("criteria could not be evaluated")?;
    Ok(BatchResult { ctx, rules, validated, decisions, inputs })
}

fn hash_file(p: &Path) -> anyhow::Result<String> {
    let bytes = fs_err::read(p)?;
    Ok(write::manifest::sha256_hex(&bytes))
}

/// The batch's files, in the order they are listed in the manifest.
/// Payment lists that failed their controls are left out and returned with the reason.
pub fn outputs(b: &BatchResult<'_>, templates: &Templates) -> anyhow::Result<(Vec<Output>, Vec<Blocked>)> {
    let register = write::register::workbook(b).context("cannot build decisions.xlsx")?;
    let mut files = vec![Output { name: "decisions.xlsx".into(), bytes: register }];
    let (payments, blocked) = write::payments::outputs(b);
    files.extend(payments);
    files.extend(notices(b, templates)?);
    let report = templates
        .render("report.html.tera", &Report::new(b))
        .map_err(|e| anyhow::anyhow!("cannot render report.html: {e}"))?;
    files.push(Output { name: "report.html".into(), bytes: report.into_bytes() });
    let manifest = write::manifest(b, &files, &blocked, &templates.files);
    files.push(Output { name: "manifest.json".into(), bytes: manifest });
    Ok((files, blocked))
}

/// One notice per application, rendered in parallel in application order, and their index.
fn notices(b: &BatchResult<'_>, templates: &Templates) -> anyhow::Result<Vec<Output>> {
    let apps: Vec<(&Application, &crate::decide::Decision)> = b.applications().zip(&b.decisions).collect();
    let rendered: Vec<Result<(Output, IndexLine), String>> = apps
        .par_iter()
        .map(|(a, d)| {
            let n = Notice::new(a, d, b.rules, b.ctx.batch_date);
            let html = templates
                .render(Notice::template(d.status), &n)
                .map_err(|e| format!("notice of `{}`: {e}", a.app_no))?;
            let file = file_name(&a.app_no);
            let line = IndexLine {
                app_no: n.app_no,
                file: file.clone(),
                applicant_name: n.applicant_name,
                status_ru: n.status_ru,
                status_kk: n.status_kk,
                amount: n.amount,
            };
            Ok((Output { name: format!("notices/{file}"), bytes: html.into_bytes() }, line))
        })
        .collect();
    let mut files = Vec::with_capacity(rendered.len() + 1);
    let mut lines = Vec::with_capacity(rendered.len());
    for r in rendered {
        let (f, l) = r.map_err(|e| anyhow::anyhow!("cannot render {e}"))?;
        files.push(f);
        lines.push(l);
    }
    let index = Index {
        batch_date: b.ctx.batch_date.format("%d.%m.%Y").to_string(),
        department_ru: b.rules.service.department_ru.clone(),
        department_kk: b.rules.service.department_kk.clone(),
        notices: lines,
    };
    let html = templates
        .render("notices/index.html.tera", &index)
        .map_err(|e| anyhow::anyhow!("cannot render the notice index: {e}"))?;
    files.push(Output { name: "notices/index.html".into(), bytes: html.into_bytes() });
    Ok(files)
}

/// Runs a whole batch and writes its outputs.
pub fn run(job: &Job, rules: &RuleSet, templates: &Templates, ctx: &BatchContext) -> anyhow::Result<Summary> {
    let b = decide_batch(job, rules, ctx)?;
    let (files, blocked) = outputs(&b, templates)?;
    let mut summary = summarize(&b);
    summary.blocked = blocked;
    if !job.dry_run {
        write::commit(&job.out, &files)
            .with_context(|| format!("cannot write the outputs to `{}`", job.out.display()))?;
        summary.written = files.iter().map(|f| job.out.join(&f.name)).collect();
    }
    Ok(summary)
}

pub fn summarize(b: &BatchResult<'_>) -> Summary {
    let approved = b.decisions.iter().filter(|d| d.status == Status::Approved).count();
    let errors = b.validated.problems.iter().filter(|p| p.severity == Severity::Error).count();
    Summary {
        applications: b.decisions.len(),
        approved,
        refused: b.decisions.len() - approved,
        approved_amount: b.decisions.iter().map(|d| d.amount).sum(),
        input_errors: errors,
        input_warnings: b.validated.problems.len() - errors,
        written: Vec::new(),
        blocked: Vec::new(),
    }
}
