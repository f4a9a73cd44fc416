//! `manifest.json`: what went in, what came out, with SHA-256 hashes, counts and totals — the
//! batch's audit trail. Keys are sorted, so the file is byte-identical for the same batch.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::domain::money::Money;
use crate::totals::Whole;

pub use crate::digest::{sha256_file, sha256_hex};

/// The manifest for a batch whose other outputs are `outputs`.
pub fn manifest(
    w: &Whole<'_>,
    outputs: &[super::Written],
    blocked: &[super::payments::Blocked],
    templates: &[(String, String)],
) -> Vec<u8> {
    let t = &w.totals.all;
    let mut by_status: BTreeMap<&str, (u32, Money)> = BTreeMap::new();
    if t.approved > 0 {
        by_status.insert("approved", (t.approved, t.approved_amount));
    }
    if t.refused > 0 {
        by_status.insert("refused", (t.refused, t.refused_amount));
    }
    if t.not_decided > 0 {
        by_status.insert("not_decided", (t.not_decided, Money::ZERO));
    }
    let files = |list: &[(String, String)]| -> Value {
        Value::Array(list.iter().map(|(p, h)| json!({ "path": p, "sha256": h })).collect())
    };
    let m = json!({
        "tool": "subsidy",
        "draft": w.ctx.draft,
        "blocked_payment_lists": blocked.iter().map(|x| json!({ "program": x.program, "reason": x.reason })).collect::<Vec<_>>(),
        "version": env!("CARGO_PKG_VERSION"),
        "batch_date": w.ctx.batch_date.to_string(),
        "created_at": w.ctx.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "inputs": files(w.inputs),
        "rules": files(&w.rules.files),
        "templates": files(templates),
        "outputs": Value::Array(outputs.iter().map(|o| json!({ "path": o.name, "sha256": o.sha256 })).collect()),
        "counts": {
            "applications": w.totals.applications(),
            "by_status": by_status.iter().map(|(k, v)| (k.to_string(), json!(v.0))).collect::<serde_json::Map<_, _>>(),
            "input_problems": w.totals.input_errors,
            "input_warnings": w.totals.input_warnings,
        },
        "queue": {
            "paid_now": w.queue.payments().iter().map(|p| p.0.amount).sum::<Money>().to_string(),
            "payments": w.queue.payments().len(),
            "waiting": w.queue.entries.iter().filter(|e| e.share.pay < e.remaining).count(),
            "carried_over": w.queue.entries.iter().filter(|e| e.carried_from.is_some()).count(),
            "funds": w.queue.funds.iter().map(|(k, f)| (k.clone(), json!({
                "plan": f.plan.to_string(), "paid_month_before": f.paid_month.to_string(),
                "allocation": f.allocation.to_string(), "paid_year_before": f.paid_year.to_string(),
                "available": f.available.to_string(),
            }))).collect::<serde_json::Map<_, _>>(),
            "notes": w.queue.notes,
        },
        "totals": {
            "claimed": t.claimed.to_string(),
            "approved": t.amount.to_string(),
            "by_status": by_status.iter().map(|(k, v)| (k.to_string(), json!(v.1.to_string()))).collect::<serde_json::Map<_, _>>(),
        },
    });
    let mut bytes = serde_json::to_vec_pretty(&m).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
