//! The budget queue of a batch: the waiting list carried in the ledger plus this batch's approved
//! applications, per budget program, ordered by submission date and time; the money available in
//! the batch's month is allocated over it (see [`crate::allocate`]).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::allocate::{Share, allocate};
use crate::application::Application;
use crate::domain::date::dmy;
use crate::domain::iban;
use crate::domain::money::Money;
use crate::domain::payment::{PaymentLine, payment_id};
use crate::history::History;
use crate::outcome::Outcome;
use crate::rules::RuleSet;

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
    /// What becomes of it in this batch.
    pub outcome: Outcome,
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

/// The payment line of an approved application for `amount`, and its budget program.
pub(crate) fn line_for(a: &Application, amount: Money, rules: &RuleSet) -> Option<(PaymentLine, String)> {
    let program = rules.programs.get(&a.type_code)?;
    let budget = rules.budget.get(&program.budget_program)?;
    let tax_id = a.tax_id().to_owned();
    let bic = a.bic().to_ascii_uppercase();
    let submitted = a.submitted_on().map(dmy).unwrap_or_default();
    let line = PaymentLine {
        id: payment_id(&a.type_code, &tax_id, &a.app_no),
        recipient: a.applicant_name().to_owned(),
        kbe: a.kbe().to_owned(),
        bank: rules.banks.by_bic(&bic).map(|b| b.name.clone()).unwrap_or_default(),
        iban: iban::check(a.iban()).unwrap_or_default(),
        bic,
        amount,
        purpose: budget
            .purpose_ru
            .replace("{app_no}", &a.app_no)
            .replace("{submitted}", &submitted)
            .replace("{type_code}", &a.type_code),
        app_no: a.app_no.clone(),
        type_code: a.type_code.clone(),
        tax_id,
    };
    Some((line, budget.key.clone()))
}

/// What an allocated entry gets; `place` is its place among the entries of its program that still
/// wait after this batch.
fn outcome(e: &QueueEntry, place: usize, rules: &RuleSet, batch_date: NaiveDate) -> Outcome {
    let (pay, offer, remaining) = (e.share.pay, e.share.offer, e.remaining);
    match &e.carried_from {
        _ if pay > Money::ZERO && pay < remaining => {
            Outcome::PaidInPart { amount: pay, remaining: remaining.checked_sub(pay).unwrap_or(remaining), place }
        }
        Some(batch) if pay == remaining => Outcome::PaidFromQueue { batch: batch.clone(), amount: pay },
        None if pay == remaining => Outcome::Paid { amount: pay },
        _ if offer > Money::ZERO => {
            let days = rules.service_for(&e.line.type_code).partial_offer.acceptance_days;
            let accept_by = rules.calendar.add_working_days(batch_date, days).ok();
            Outcome::PartialOffer { offered: offer, remaining, accept_by, place }
        }
        _ => Outcome::Waiting { remaining, place },
    }
}

/// Builds and allocates the queue. `approved` are this batch's approved applications as
/// `(payment line with the approved amount, budget program, submission time)`.
pub(crate) fn build(
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
            outcome: Outcome::NotQueued,
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
            outcome: Outcome::NotQueued,
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
        let mut waiting = 0;
        for (i, (e, s)) in entries.iter_mut().zip(allocate(&amounts, funds.available, policy)).enumerate() {
            e.share = s;
            e.position = i + 1;
            if s.pay < e.remaining {
                waiting += 1;
            }
            e.outcome = outcome(e, waiting, rules, batch_date);
        }
        q.funds.insert(program, funds);
        q.entries.extend(entries);
    }
    q.index = q.entries.iter().enumerate().map(|(i, e)| (e.app_no.clone(), i)).collect();
    q
}
