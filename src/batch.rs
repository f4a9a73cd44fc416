//! A decided batch as the outputs read it: its applications with their decisions, and the whole
//! batch's allocated queue.

use std::sync::Arc;

use crate::application::Application;
use crate::context::BatchContext;
use crate::decide::{Decision, Status};
use crate::outcome::Outcome;
use crate::queue::Queue;
use crate::rules::RuleSet;
use crate::validate::Validated;

/// Wall time per stage, for the end-of-run summary only: it never reaches an output, so outputs
/// stay byte-identical.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings(pub Vec<(&'static str, std::time::Duration)>);

/// A decided batch, or one part of it, ready to be written.
pub struct BatchResult<'a> {
    pub ctx: &'a BatchContext,
    pub rules: &'a RuleSet,
    pub validated: Validated,
    pub decisions: Vec<Decision>,
    /// `(path, sha256)` of every input file.
    pub inputs: Vec<(String, String)>,
    /// The whole batch's budget queue.
    pub queue: Arc<Queue>,
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

    /// What became of an application of this batch: computed once by the queue.
    pub fn outcome(&self, a: &Application, d: &Decision) -> Outcome {
        if let Some(why) = &a.not_here {
            return Outcome::NotDecided(why.clone());
        }
        match d.status {
            Status::Refused => Outcome::Refused,
            Status::Approved => self
                .queue
                .entry(&a.app_no)
                .filter(|e| e.carried_from.is_none())
                .map_or(Outcome::NotQueued, |e| e.outcome.clone()),
        }
    }
}
