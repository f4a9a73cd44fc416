//! What `subsidy ledger …` shows and does: budget used and left, the waiting list, the story of
//! one application, marking a batch submitted, and importing the treasury's execution results.

use std::fmt::Write as _;

use rusqlite::{OptionalExtension, params};

use super::{Ledger, LedgerError};
use crate::domain::money::Money;
use crate::rules::RuleSet;

/// Budget used and left per budget program and month of `year`.
pub fn budget(l: &Ledger, rules: &RuleSet, year: i32) -> Result<String, LedgerError> {
    let mut out = String::new();
    for (key, p) in &rules.budget {
        let Some(y) = p.years.get(&year) else {
            let _ = writeln!(out, "{key}: no budget for {year} in budget.toml\n");
            continue;
        };
        let _ = writeln!(out, "{key} — {} ({year}, policy {:?})", p.name_ru, y.policy);
        let _ = writeln!(out, "{:>5}  {:>22}  {:>22}  {:>22}", "month", "plan", "paid", "left");
        let mut paid_year = Money::ZERO;
        for m in 1..=12u32 {
            let paid: i64 = l
                .conn
                .query_row(
                    "SELECT COALESCE(SUM(amount_tiyn), 0) FROM payments WHERE budget_program = ?1 AND year = ?2 AND month = ?3 AND status <> 'rejected'",
                    params![key, year, m],
                    |r| r.get(0),
                )
                .map_err(|e| l.sql(e))?;
            let paid = Money::from_tiyn(paid);
            paid_year += paid;
            let plan = y.plan[usize::try_from(m - 1).unwrap_or(0)];
            let left = plan.checked_sub(paid).unwrap_or(Money::ZERO);
            let _ = writeln!(
                out,
                "{m:>5}  {:>22}  {:>22}  {:>22}",
                plan.display_kzt(),
                paid.display_kzt(),
                left.display_kzt()
            );
        }
        let left = y.allocation.checked_sub(paid_year).unwrap_or(Money::ZERO);
        let _ = writeln!(
            out,
            " year  {:>22}  {:>22}  {:>22}\n",
            y.allocation.display_kzt(),
            paid_year.display_kzt(),
            left.display_kzt()
        );
    }
    Ok(out)
}

/// The waiting list: approved applications not yet paid in full, in queue order.
pub fn waiting(l: &Ledger) -> Result<String, LedgerError> {
    let h = l.history("", 0, 0)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:>5}  {:<14}  {:<19}  {:<10}  {:>20}",
        "program", "place", "application", "submitted", "batch", "to pay"
    );
    let mut place: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for w in &h.waiting {
        let n = place.entry(&w.budget_program).or_default();
        *n += 1;
        let _ = writeln!(
            out,
            "{:<14} {:>5}  {:<14}  {:<19}  {:<10}  {:>20}",
            w.budget_program,
            n,
            w.app_no,
            w.submitted_at.format("%d.%m.%Y %H:%M:%S"),
            w.batch_id,
            w.remaining.display_kzt()
        );
    }
    let total: Money = h.waiting.iter().map(|w| w.remaining).sum();
    let _ = writeln!(out, "{} waiting, {} to pay", h.waiting.len(), total.display_kzt());
    Ok(out)
}

/// Everything the ledger knows about one application, ending with its status in the state
/// system's terms.
pub fn history(l: &Ledger, app_no: &str) -> Result<Option<String>, LedgerError> {
    let row = l
        .conn
        .query_row(
            "SELECT batch_id, type_code, tax_id, submitted_at, status, amount_tiyn, budget_program, reasons FROM decisions WHERE app_no = ?1",
            [app_no],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, String>(7)?,
                ))
            },
        )
        .optional()
        .map_err(|e| l.sql(e))?;
    let Some((batch, type_code, tax_id, at, status, amount, program, reasons)) = row else { return Ok(None) };
    let mut out = String::new();
    let _ = writeln!(out, "application {app_no}: type {type_code}, applicant {}, submitted {at}", mask(&tax_id));
    let _ = writeln!(out, "decided in batch {batch}: {status}, amount {}", Money::from_tiyn(amount).display_kzt());
    if let Ok(serde_json::Value::Array(rs)) = serde_json::from_str::<serde_json::Value>(&reasons) {
        for r in rs {
            let _ = writeln!(
                out,
                "  reason {}: {} ({})",
                r["id"].as_str().unwrap_or(""),
                r["detail"].as_str().unwrap_or(""),
                r["legal_ref"].as_str().unwrap_or("")
            );
        }
    }
    let mut st = l
        .conn
        .prepare(
            "SELECT batch_id, id, amount_tiyn, status, executed_tiyn FROM payments WHERE app_no = ?1 ORDER BY batch_id",
        )
        .map_err(|e| l.sql(e))?;
    let mut paid = 0i64;
    let mut executed = 0i64;
    let rows = st
        .query_map([app_no], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
            ))
        })
        .map_err(|e| l.sql(e))?;
    for row in rows {
        let (b, id, a, s, e) = row.map_err(|e| l.sql(e))?;
        let _ = writeln!(out, "payment {id} in batch {b}: {} ({s})", Money::from_tiyn(a).display_kzt());
        if s != "rejected" {
            paid += a;
        }
        if s == "executed" {
            executed += e.unwrap_or(a);
        }
    }
    let mut st = l.conn.prepare("SELECT batch_id, amount_tiyn FROM offers WHERE app_no = ?1").map_err(|e| l.sql(e))?;
    for row in st.query_map([app_no], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).map_err(|e| l.sql(e))? {
        let (b, a) = row.map_err(|e| l.sql(e))?;
        let _ = writeln!(out, "partial payment offered in batch {b}: {}", Money::from_tiyn(a).display_kzt());
    }
    // The outcome of each batch that changed it; ledgers of earlier versions have none.
    let mut st = l
        .conn
        .prepare("SELECT batch_id, outcome, place FROM outcomes WHERE app_no = ?1 ORDER BY rowid")
        .map_err(|e| l.sql(e))?;
    let mut last = None;
    let rows = st
        .query_map([app_no], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?)))
        .map_err(|e| l.sql(e))?;
    for row in rows {
        let (b, key, place) = row.map_err(|e| l.sql(e))?;
        let ru = crate::outcome::Outcome::ru_of_key(&key).unwrap_or("?");
        match place {
            Some(p) => _ = writeln!(out, "outcome in batch {b}: {ru}, place {p}"),
            None => _ = writeln!(out, "outcome in batch {b}: {ru}"),
        }
        last = Some(ru);
    }
    let state = match status.as_str() {
        "refused" => "Отклонена",
        _ if amount > 0 && executed >= amount => "Исполнена",
        _ => match last {
            Some(ru) => ru,
            None if amount > 0 && paid >= amount => "Сформировано поручение",
            None => "Одобрена",
        },
    };
    let _ = writeln!(out, "budget program: {}", program.unwrap_or_else(|| "—".into()));
    let _ = writeln!(out, "status: {state}");
    Ok(Some(out))
}

/// IINs in console output show their first and last digits only.
fn mask(id: &str) -> String {
    if id.len() == 12 { format!("{}******{}", &id[..4], &id[10..]) } else { id.to_owned() }
}

/// Result of importing the treasury's execution results.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Import {
    pub executed: usize,
    pub rejected: usize,
    pub mismatches: Vec<String>,
}

/// Reads `payment_id,amount,status` (status `executed`/`исполнен` or `rejected`/`отклонен`) and
/// marks the formed payments; anything that does not match a formed payment is reported.
pub fn import_execution(l: &mut Ledger, csv_text: &str) -> Result<Import, LedgerError> {
    let mut result = Import::default();
    let path = l.path.clone();
    let tx = l.conn.transaction().map_err(|source| LedgerError::Sql { path: path.clone(), source })?;
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(csv_text.as_bytes());
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) if r.len() >= 3 => r,
            _ => {
                result.mismatches.push(format!("line {line}: expected `payment_id,amount,status`"));
                continue;
            }
        };
        let (id, amount, status) = (&rec[0], &rec[1], rec[2].to_lowercase());
        let Ok(amount) = amount.parse::<Money>() else {
            result.mismatches.push(format!("line {line}: amount `{amount}` is not a number"));
            continue;
        };
        let new = match status.as_str() {
            "executed" | "исполнен" | "исполнено" | "орындалды" => "executed",
            "rejected" | "отклонен" | "отклонено" | "возврат" => "rejected",
            other => {
                result.mismatches.push(format!("line {line}: status `{other}` is neither executed nor rejected"));
                continue;
            }
        };
        let found: Option<(String, i64)> = tx
            .query_row(
                "SELECT batch_id, amount_tiyn FROM payments WHERE id = ?1 AND status = 'formed' ORDER BY batch_id LIMIT 1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|source| LedgerError::Sql { path: path.clone(), source })?;
        match found {
            None => result.mismatches.push(format!("line {line}: no formed payment `{id}` in the ledger")),
            Some((_, a)) if a != amount.tiyn() => {
                result.mismatches.push(format!(
                    "line {line}: payment `{id}` is {} in the ledger, {} in the file",
                    Money::from_tiyn(a),
                    amount
                ));
            }
            Some((batch, a)) => {
                tx.execute(
                    "UPDATE payments SET status = ?1, executed_tiyn = ?2 WHERE id = ?3 AND batch_id = ?4",
                    params![new, if new == "executed" { Some(a) } else { None }, id, batch],
                )
                .map_err(|source| LedgerError::Sql { path: path.clone(), source })?;
                if new == "executed" {
                    result.executed += 1;
                } else {
                    result.rejected += 1;
                }
            }
        }
    }
    tx.commit().map_err(|source| LedgerError::Sql { path, source })?;
    Ok(result)
}
