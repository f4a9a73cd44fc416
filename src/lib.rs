//! `subsidy`: the monthly batch of livestock-subsidy applications of a regional agriculture
//! department in Kazakhstan.
//!
//! Stages (each a module; only [`pipeline`] knows their order): [`ingest`] reads spreadsheets,
//! [`validate`] checks identifiers, bank details, signatures and dates, [`decide`] applies the
//! rule files' criteria and rates, [`write`] produces the register and manifest atomically.
//! No stage prints or reads the clock: dates come from [`context::BatchContext`].

pub mod allocate;
pub mod application;
pub mod audit;
pub mod batch;
pub mod casebook;
pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod context;
pub mod decide;
pub mod diag;
pub mod digest;
pub mod domain;
pub mod exit;
pub mod explain;
pub mod history;
pub mod ingest;
pub mod ledger;
pub mod outcome;
pub mod pipeline;
pub mod problem;
pub mod problem_words;
pub mod queue;
pub mod registry;
pub mod render;
pub mod rules;
pub mod sample;
pub mod subjects;
pub mod totals;
pub mod validate;
pub mod write;

/// Runs the command line; messages go to stderr, data to stdout.
pub fn run() -> exit::ExitStatus {
    commands::dispatch()
}
