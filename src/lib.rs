//! `subsidy`: the monthly batch of livestock-subsidy applications of a regional agriculture
//! department in Kazakhstan.
//!
//! Stages (each a module; only [`pipeline`] knows their order): `ingest` reads spreadsheets,
//! [`validate`] checks identifiers, bank details, signatures and dates, [`decide`] applies the
//! rule files' criteria and rates, `queue` allocates the budget and gives each application its
//! one `outcome`, and the outputs ([`write`], [`render`], [`ledger`]) word it. No stage prints or
//! reads the clock: dates come from [`context::BatchContext`]. The modules form layers (README.md
//! «Development»): none names a module above it.

pub(crate) mod allocate;
pub(crate) mod application;
pub(crate) mod audit;
pub(crate) mod batch;
pub(crate) mod casebook;
pub mod catalogue;
pub(crate) mod cli;
pub(crate) mod commands;
pub(crate) mod compare;
pub mod context;
pub mod decide;
pub mod diag;
pub(crate) mod digest;
pub mod domain;
pub mod exit;
pub(crate) mod explain;
pub(crate) mod failpoint;
pub(crate) mod history;
pub(crate) mod ingest;
pub mod ledger;
pub(crate) mod outcome;
pub mod pipeline;
pub(crate) mod problem;
pub(crate) mod problem_words;
pub(crate) mod queue;
pub(crate) mod registry;
pub mod render;
pub mod rules;
pub mod sample;
pub(crate) mod subjects;
pub(crate) mod totals;
pub mod validate;
pub mod write;

/// Runs the command line; messages go to stderr, data to stdout.
pub fn run() -> exit::ExitStatus {
    commands::dispatch()
}
