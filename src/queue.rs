//! The budget queue of a batch: the waiting list carried in the ledger plus this batch's approved
//! applications, per budget program, ordered by submission date and time; the money available in
//! the batch's month is allocated over it (see [`crate::allocate`]).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::allocate::{Share, allocate};
use crate::domain::money::Money;
use crate::ledger::History;
use crate::rules::RuleSet;
use crate::write::payments::PaymentLine;

/// One application in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub app_no: String,
    pub program: String,
    pub submitted_at: NaiveDateTime,
    /// Still to pay before this batch.
    pub remaining: Money,
    pub share: Share,
    /// 1-based place in its program's queue.
    pub position: usize,
    /// The batch that approved it, when carried over from the ledger.
    pub carried_from: Option<String>,
    /// The payment details; its amount is `remaining`.
    pub line: PaymentLine,
}

/// Money per budget program for the batch's month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Funds {
    pub plan: Money,
    pub allocation: Money,
    pub paid_month: Money,
    pub paid_year: Money,
    pub available: Money,
}

#[derive(Debug, Clone, Default)]
pub struct Queue {
    pub entries: Vec<QueueEntry>,
    /// Application number -> position in `entries`.
    index: BTreeMap<String, usize>,
    pub funds: BTreeMap<String, Funds>,
    /// Problems of the budget itself (a year missing from budget.toml).
    pub notes: Vec<String>,
}

impl Queue {
    pub fn entry(&self, app_no: &str) -> Option<&QueueEntry> {
        self.index.get(app_no).map(|&i| &self.entries[i])
    }

    /// This batch's payments, in queue order, with the amounts paid now.
    pub fn payments(&self) -> Vec<(PaymentLine, String)> {
        self.entries
            .iter()
            .filter(|e| e.share.pay > Money::ZERO)
            .map(|e| {
                let mut l = e.line.clone();
                l.amount = e.share.pay;
                (l, e.program.clone())
            })
            .collect()
    }
}

/// Builds and allocates the queue. `approved` are this batch's approved applications as
/// `(payment line with the approved amount, budget program, submission time)`.
pub fn build(
    approved: Vec<(PaymentLine, String, NaiveDateTime)>,
    history: &History,
    rules: &RuleSet,
    batch_date: NaiveDate,
) -> Queue {
    let mut by_program: BTreeMap<String, Vec<QueueEntry>> = BTreeMap::new();
    for w in &history.waiting {
        by_program.entry(w.budget_program.clone()).or_default().push(QueueEntry {
            app_no: w.app_no.clone(),
            program: w.budget_program.clone(),
            submitted_at: w.submitted_at,
            remaining: w.remaining,
            share: Share::default(),
            position: 0,
            carried_from: Some(w.batch_id.clone()),
            line: PaymentLine { amount: w.remaining, ..w.line.clone() },
        });
    }
    for (line, program, at) in approved {
        by_program.entry(program.clone()).or_default().push(QueueEntry {
            app_no: line.app_no.clone(),
            program,
            submitted_at: at,
            remaining: line.amount,
            share: Share::default(),
            position: 0,
            carried_from: None,
            line,
        });
    }
    let mut q = Queue::default();
    let (year, month) = (batch_date.year(), batch_date.month());
    for (program, mut entries) in by_program {
        entries.sort_by(|a, b| (a.submitted_at, &a.app_no).cmp(&(b.submitted_at, &b.app_no)));
        let paid_month = history.paid_month.get(&program).copied().unwrap_or_default();
        let paid_year = history.paid_year.get(&program).copied().unwrap_or_default();
        let year_budget = rules.budget.get(&program).and_then(|b| b.years.get(&year));
        let funds = match year_budget {
            Some(y) => {
                let plan = y.plan[usize::try_from(month - 1).unwrap_or(0)];
                let by_month = plan.checked_sub(paid_month).unwrap_or(Money::ZERO);
                let by_year = y.allocation.checked_sub(paid_year).unwrap_or(Money::ZERO);
                Funds {
                    plan,
                    allocation: y.allocation,
                    paid_month,
                    paid_year,
                    available: by_month.min(by_year).max(Money::ZERO),
                }
            }
            None => {
                q.notes.push(format!("budget program `{program}` has no money for {year} in budget.toml: every approved application waits"));
                Funds { paid_month, paid_year, ..Funds::default() }
            }
        };
        let policy = year_budget.map_or(crate::allocate::Policy::Fifo, |y| y.policy);
        let amounts: Vec<Money> = entries.iter().map(|e| e.remaining).collect();
        for (i, (e, s)) in entries.iter_mut().zip(allocate(&amounts, funds.available, policy)).enumerate() {
            e.share = s;
            e.position = i + 1;
        }
        q.funds.insert(program, funds);
        q.entries.extend(entries);
    }
    q.index = q.entries.iter().enumerate().map(|(i, e)| (e.app_no.clone(), i)).collect();
    q
}
