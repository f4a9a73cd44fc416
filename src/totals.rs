//! The batch's counts and sums, gathered one part (input file) at a time, for everything that
//! summarises the whole batch: the register's summary sheet, the report, the manifest and the
//! console summary.

use std::collections::BTreeMap;

use crate::application::Application;
use crate::batch::BatchResult;
use crate::context::BatchContext;
use crate::decide::{Decision, Status};
use crate::domain::money::Money;
use crate::problem::Severity;
use crate::queue::Queue;
use crate::rules::RuleSet;

/// Counts and sums of one group of applications.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u32,
    pub approved: u32,
    pub refused: u32,
    /// Rows not decided here (decided earlier, another region's): counted, with no amounts.
    pub not_decided: u32,
    pub claimed: Money,
    pub amount: Money,
    /// `amount` split by status (a refusal clears its amount, so the refused part is nothing).
    pub approved_amount: Money,
    pub refused_amount: Money,
}

impl Tally {
    fn add(&mut self, a: &Application, d: &Decision) {
        self.count += 1;
        if a.not_here.is_some() {
            self.not_decided += 1;
            return;
        }
        match d.status {
            Status::Approved => {
                self.approved += 1;
                self.approved_amount += d.amount;
            }
            Status::Refused => {
                self.refused += 1;
                self.refused_amount += d.amount;
            }
        }
        self.claimed += a.amount_claimed().unwrap_or_default();
        self.amount += d.amount;
    }
}

/// How deadlines were kept, as the report counts them.
pub(crate) const DEADLINE_KEYS: [&str; 3] =
    ["в срок / мерзімінде", "просрочено / мерзімі өткен", "неизвестно / белгісіз"];

#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub all: Tally,
    /// By budget program key (`—` for a type without one), subsidy type code and district.
    pub by_program: BTreeMap<String, Tally>,
    pub by_type: BTreeMap<String, Tally>,
    pub by_district: BTreeMap<String, Tally>,
    /// Applications refused on each ground (counted once per application) and for each reason id.
    pub by_ground: BTreeMap<String, u64>,
    pub by_reason: BTreeMap<String, u64>,
    /// By [`DEADLINE_KEYS`] index.
    pub deadlines: [u64; 3],
    pub input_errors: usize,
    pub input_warnings: usize,
}

impl Totals {
    pub fn add(&mut self, b: &BatchResult<'_>) {
        let rules = b.rules;
        for (a, d) in b.applications().zip(&b.decisions) {
            let program = rules.programs.get(&a.type_code).map_or("—", |p| p.budget_program.as_str());
            self.by_program.entry(program.to_owned()).or_default().add(a, d);
            self.by_type.entry(a.type_code.clone()).or_default().add(a, d);
            self.by_district
                .entry(Some(a.district()).filter(|d| !d.is_empty()).unwrap_or("—").to_owned())
                .or_default()
                .add(a, d);
            self.all.add(a, d);
            if a.not_here.is_some() {
                continue;
            }
            let mut grounds: Vec<_> = d.reasons.iter().map(|r| r.ground).collect();
            grounds.dedup();
            for g in grounds {
                *self.by_ground.entry(rules.service().grounds[&g].text_ru.clone()).or_default() += 1;
            }
            for r in &d.reasons {
                *self.by_reason.entry(r.id.clone()).or_default() += 1;
            }
            let k = match d.deadlines.as_ref().and_then(|x| x.overdue(d.status, b.ctx.batch_date)) {
                Some(false) => 0,
                Some(true) => 1,
                None => 2,
            };
            self.deadlines[k] += 1;
        }
        let errors = b.validated.problems.iter().filter(|p| p.severity == Severity::Error).count();
        self.input_errors += errors;
        self.input_warnings += b.validated.problems.len() - errors;
    }

    pub fn of(b: &BatchResult<'_>) -> Totals {
        let mut t = Totals::default();
        t.add(b);
        t
    }

    pub fn applications(&self) -> usize {
        self.all.count as usize
    }
}

/// The whole batch once every part is decided: what its summaries and payment lists are made of.
#[derive(Clone, Copy)]
pub struct Whole<'a> {
    pub ctx: &'a BatchContext,
    pub rules: &'a RuleSet,
    pub queue: &'a Queue,
    pub totals: &'a Totals,
    /// `(path, sha256)` of every input file.
    pub inputs: &'a [(String, String)],
}
