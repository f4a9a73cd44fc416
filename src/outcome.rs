//! What became of an application, as data every output words in its own language: the decision's
//! status and reasons, and after allocation its one outcome.

use crate::domain::ground::Ground;

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

