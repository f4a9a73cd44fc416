//! One integration binary that runs the real `subsidy` executable (ripgrep/just style).
#[path = "suite/audit.rs"]
mod audit;
#[path = "suite/common.rs"]
mod common;
#[path = "suite/determinism.rs"]
mod determinism;
#[path = "suite/documents.rs"]
mod documents;
#[path = "suite/faults.rs"]
mod faults;
#[path = "suite/fuzz.rs"]
mod fuzz;
#[path = "suite/golden.rs"]
mod golden;
#[path = "suite/hostile.rs"]
mod hostile;
#[path = "suite/inputs.rs"]
mod inputs;
#[path = "suite/layers.rs"]
mod layers;
#[path = "suite/ledger.rs"]
mod ledger;
#[path = "suite/order.rs"]
mod order;
#[path = "suite/pdf.rs"]
mod pdf;
#[path = "suite/readme.rs"]
mod readme;
#[path = "suite/regions.rs"]
mod regions;
#[path = "suite/rules_errors.rs"]
mod rules_errors;
