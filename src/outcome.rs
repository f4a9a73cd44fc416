//! What became of an application, as data every output words in its own language: the decision's
//! status and reasons, and after allocation its one outcome.

use chrono::NaiveDate;

use crate::domain::ground::Ground;
use crate::domain::money::Money;

/// The register's statuses (the state system's terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Status {
    /// «Одобрена»
    Approved,
    /// «Отклонена»
    Refused,
}

impl Status {
    pub fn ru(self) -> &'static str {
        match self {
            Status::Approved => "Одобрена",
            Status::Refused => "Отклонена",
        }
    }

    pub fn kk(self) -> &'static str {
        match self {
            Status::Approved => "Мақұлданды",
            Status::Refused => "Қабылданбады",
        }
    }
}

/// Why an application is refused: a failed criterion or an input problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Criterion id (`BULL-AGE`) or input-problem code (`V002`).
    pub id: String,
    pub ground: Ground,
    pub legal_ref: String,
    pub message_ru: String,
    pub message_kk: String,
    /// Where and with which values: `Позиции!G12: age_months = 30`.
    pub detail: String,
}


/// What became of an application in a batch once the budget was allocated. The queue computes it
/// once ([`crate::queue::build`]); the register, the notices, the report and the ledger read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Refused; the decision holds the reasons.
    Refused,
    /// Approved and paid in full in this batch: its payment order is formed.
    Paid { amount: Money },
    /// Approved in an earlier batch and paid in full from the waiting list in this one.
    PaidFromQueue { batch: String, amount: Money },
    /// Paid in part (a pro-rata budget program); the rest waits at `place`.
    PaidInPart { amount: Money, remaining: Money, place: usize },
    /// Offered what is left of the month's money (p.24-1 of the Rules): paid once the producer
    /// accepts by `accept_by` (unknown when the working-day calendar does not reach it); it keeps
    /// its place on the waiting list for the whole amount meanwhile.
    PartialOffer { offered: Money, remaining: Money, accept_by: Option<NaiveDate>, place: usize },
    /// Approved, waiting for money: `place` on its budget program's waiting list after this batch,
    /// as `subsidy ledger waiting` shows it.
    Waiting { remaining: Money, place: usize },
    /// Approved, but its type has no budget program with money lines, so it could not be queued.
    NotQueued,
}

impl Outcome {
    /// Its key in the ledger and in JSON.
    pub fn key(&self) -> &'static str {
        match self {
            Outcome::Refused => "refused",
            Outcome::Paid { .. } => "paid",
            Outcome::PaidFromQueue { .. } => "paid-from-queue",
            Outcome::PaidInPart { .. } => "paid-in-part",
            Outcome::PartialOffer { .. } => "partial-offer",
            Outcome::Waiting { .. } => "waiting",
            Outcome::NotQueued => "not-queued",
        }
    }

    /// The status in the state system's terms, in Russian.
    pub fn ru(&self) -> &'static str {
        match self {
            Outcome::Refused => "Отклонена",
            Outcome::Paid { .. } => "Сформировано поручение",
            Outcome::PaidFromQueue { .. } => "Сформировано поручение (из листа ожидания)",
            Outcome::PaidInPart { .. } => "Выплачена частично (остаток в листе ожидания)",
            Outcome::PartialOffer { .. } => "Одобрена (предложена частичная выплата)",
            Outcome::Waiting { .. } => "Одобрена (лист ожидания)",
            Outcome::NotQueued => "Одобрена (не поставлена в очередь)",
        }
    }

    /// [`Outcome::ru`] of the outcome whose [`Outcome::key`] is `key`.
    pub fn ru_of_key(key: &str) -> Option<&'static str> {
        let m = Money::ZERO;
        [
            Outcome::Refused,
            Outcome::Paid { amount: m },
            Outcome::PaidFromQueue { batch: String::new(), amount: m },
            Outcome::PaidInPart { amount: m, remaining: m, place: 0 },
            Outcome::PartialOffer { offered: m, remaining: m, accept_by: None, place: 0 },
            Outcome::Waiting { remaining: m, place: 0 },
            Outcome::NotQueued,
        ]
        .iter()
        .find(|o| o.key() == key)
        .map(Outcome::ru)
    }

    /// The same in Kazakh.
    pub fn kk(&self) -> &'static str {
        match self {
            Outcome::Refused => "Қабылданбады",
            Outcome::Paid { .. } => "Төлем тапсырмасы қалыптастырылды",
            Outcome::PaidFromQueue { .. } => "Төлем тапсырмасы қалыптастырылды (күту парағынан)",
            Outcome::PaidInPart { .. } => "Ішінара төленді (қалдығы күту парағында)",
            Outcome::PartialOffer { .. } => "Мақұлданды (ішінара төлем ұсынылды)",
            Outcome::Waiting { .. } => "Мақұлданды (күту парағы)",
            Outcome::NotQueued => "Мақұлданды (кезекке қойылмады)",
        }
    }

    /// Paid in this batch.
    pub fn paid(&self) -> Money {
        match self {
            Outcome::Paid { amount } | Outcome::PaidFromQueue { amount, .. } | Outcome::PaidInPart { amount, .. } => {
                *amount
            }
            _ => Money::ZERO,
        }
    }

    /// Place on the waiting list after this batch, when it waits.
    pub fn place(&self) -> Option<usize> {
        match self {
            Outcome::PaidInPart { place, .. } | Outcome::PartialOffer { place, .. } | Outcome::Waiting { place, .. } => {
                Some(*place)
            }
            _ => None,
        }
    }
}
