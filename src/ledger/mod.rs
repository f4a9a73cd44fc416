//! The ledger: an embedded SQLite file that remembers every batch, decision, payment and
//! subsidised subject, so that nothing is paid twice and the waiting list carries over.
//!
//! Reads give the history *as of before* a batch (its own records excluded), so re-running a
//! recorded batch reproduces its outputs exactly. A batch is recorded in one transaction.

pub mod commands;
mod schema;

use std::path::Path;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::domain::money::Money;
use crate::domain::payment::PaymentLine;
use crate::history::SubjectIndex;
pub use crate::history::{History, Subsidised, Waiting};
use crate::outcome::Outcome;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger `{path}`: {source}")]
    Sql { path: String, source: rusqlite::Error },
    #[error("ledger `{path}` was written by a newer subsidy (schema {found}, this one knows {known})")]
    Newer { path: String, found: i64, known: usize },
    #[error("ledger `{path}`: stored data is damaged: {message}")]
    Damaged { path: String, message: String },
}

/// The ledger file, open.
pub struct Ledger {
    conn: Connection,
    path: String,
}

/// A recorded batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    pub id: String,
    pub fingerprint: String,
    pub submitted: bool,
}

/// The ledger's subsidised subjects, read on a read-only connection of its own (lookups run
/// while the batch is decided); the batch being recorded does not count.
struct SubjectsReader {
    conn: std::sync::Mutex<Connection>,
    path: String,
    exclude: String,
}

impl SubjectIndex for SubjectsReader {
    fn find(&self, scope: &str, kind: &str, subject: &str) -> anyhow::Result<Option<(String, String)>> {
        let sql = |source| LedgerError::Sql { path: self.path.clone(), source };
        let conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut st = conn
            .prepare_cached(
                "SELECT app_no, batch_id FROM subjects
                 WHERE type_code = ?1 AND kind = ?2 AND subject = ?3 AND batch_id <> ?4",
            )
            .map_err(sql)?;
        Ok(st
            .query_row(params![scope, kind, subject, self.exclude], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(sql)?)
    }
}

/// What identifies a recorded batch.
#[derive(Debug, Clone)]
pub struct BatchHead {
    pub batch_id: String,
    pub batch_date: String,
    pub created_at: String,
    pub fingerprint: String,
    /// Decided with values still to confirm (`--draft`).
    pub draft: bool,
    pub year: i32,
    pub month: u32,
}

#[derive(Debug, Clone)]
pub struct DecisionRow {
    pub app_no: String,
    pub type_code: String,
    pub tax_id: String,
    pub submitted_at: NaiveDateTime,
    pub approved: bool,
    pub amount: Money,
    pub budget_program: Option<String>,
    pub reasons: serde_json::Value,
    pub line: Option<PaymentLine>,
}

const TIME: &str = "%Y-%m-%d %H:%M:%S";

pub use crate::failpoint::failpoint;

impl Ledger {
    /// Opens (creating on first use) and migrates the ledger.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let p = path.display().to_string();
        let sql = |source| LedgerError::Sql { path: p.clone(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = fs_err::create_dir_all(dir);
        }
        let mut conn = Connection::open(path).map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(sql)?;
        let known = schema::MIGRATIONS.len();
        if version > i64::try_from(known).unwrap_or(i64::MAX) {
            return Err(LedgerError::Newer { path: p, found: version, known });
        }
        let tx = conn.transaction().map_err(sql)?;
        for (i, m) in schema::MIGRATIONS.iter().enumerate().skip(usize::try_from(version).unwrap_or(0)) {
            tx.execute_batch(m).map_err(sql)?;
            tx.pragma_update(None, "user_version", i + 1).map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(Ledger { conn, path: p })
    }

    fn sql(&self, source: rusqlite::Error) -> LedgerError {
        LedgerError::Sql { path: self.path.clone(), source }
    }

    fn damaged(&self, message: impl Into<String>) -> LedgerError {
        LedgerError::Damaged { path: self.path.clone(), message: message.into() }
    }

    pub fn batch(&self, id: &str) -> Result<Option<BatchRow>, LedgerError> {
        self.conn
            .query_row("SELECT id, fingerprint, submitted FROM batches WHERE id = ?1", [id], |r| {
                Ok(BatchRow { id: r.get(0)?, fingerprint: r.get(1)?, submitted: r.get::<_, i64>(2)? != 0 })
            })
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// The history before batch `exclude` (which may or may not be recorded yet).
    pub fn history(&self, exclude: &str, year: i32, month: u32) -> Result<History, LedgerError> {
        let mut h = History::default();
        let mut st = self
            .conn
            .prepare("SELECT app_no, batch_id FROM decisions WHERE batch_id <> ?1")
            .map_err(|e| self.sql(e))?;
        for row in st
            .query_map([exclude], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.sql(e))?
        {
            let (a, b) = row.map_err(|e| self.sql(e))?;
            h.decided.insert(a, b);
        }
        // A ledger's first batch has nothing to look up (a million applications' subjects take
        // half a minute to look up one by one).
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM subjects WHERE batch_id <> ?1)", [exclude], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        if any {
            let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
            // The file as SQLite opened it (the path given may have been relative).
            let file = self.conn.path().unwrap_or(&self.path);
            let reader = Connection::open_with_flags(file, flags).map_err(|e| self.sql(e))?;
            h.subjects = Subsidised::new(Box::new(SubjectsReader {
                conn: std::sync::Mutex::new(reader),
                path: self.path.clone(),
                exclude: exclude.to_owned(),
            }));
        }
        let mut st = self
            .conn
            .prepare(
                "SELECT d.app_no, d.batch_id, d.submitted_at, d.budget_program, d.amount_tiyn,
                        COALESCE((SELECT SUM(p.amount_tiyn) FROM payments p
                                  WHERE p.app_no = d.app_no AND p.batch_id <> ?1 AND p.status <> 'rejected'), 0),
                        d.payment_line
                 FROM decisions d
                 WHERE d.status = 'approved' AND d.batch_id <> ?1
                 ORDER BY d.submitted_at, d.app_no",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([exclude], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })
            .map_err(|e| self.sql(e))?;
        for row in rows {
            let (app_no, batch_id, at, program, amount, paid, line) = row.map_err(|e| self.sql(e))?;
            if paid >= amount {
                continue;
            }
            let submitted_at = NaiveDateTime::parse_from_str(&at, TIME)
                .map_err(|_| self.damaged(format!("bad time `{at}` of {app_no}")))?;
            let line: PaymentLine = serde_json::from_str(line.as_deref().unwrap_or("null"))
                .map_err(|e| self.damaged(format!("payment line of {app_no}: {e}")))?;
            h.waiting.push(Waiting {
                app_no,
                batch_id,
                submitted_at,
                budget_program: program.unwrap_or_default(),
                remaining: Money::from_tiyn(amount - paid),
                line,
            });
        }
        let mut st = self
            .conn
            .prepare(
                "SELECT budget_program, month = ?3, SUM(amount_tiyn) FROM payments
                 WHERE batch_id <> ?1 AND year = ?2 AND status <> 'rejected' GROUP BY budget_program, month = ?3",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(params![exclude, year, month], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, i64>(2)?))
            })
            .map_err(|e| self.sql(e))?;
        for row in rows {
            let (program, this_month, sum) = row.map_err(|e| self.sql(e))?;
            *h.paid_year.entry(program.clone()).or_default() += Money::from_tiyn(sum);
            if this_month {
                *h.paid_month.entry(program).or_default() += Money::from_tiyn(sum);
            }
        }
        let last: Option<u32> = self
            .conn
            .query_row("SELECT MAX(seq) FROM letters WHERE year = ?1 AND batch_id <> ?2", params![year, exclude], |r| {
                r.get(0)
            })
            .map_err(|e| self.sql(e))?;
        h.last_letter = Some(last.unwrap_or(0));
        Ok(h)
    }

    /// Starts recording a batch, replacing an earlier recording of the same batch id, in one
    /// transaction: its decisions and subjects come part by part; nothing is seen by other
    /// connections, and nothing stays if the recorder is dropped before [`Recorder::finish`].
    pub fn begin(&mut self, head: &BatchHead) -> Result<Recorder<'_>, LedgerError> {
        let path = self.path.clone();
        let sql = |source| LedgerError::Sql { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(sql)?;
        delete_batch(&tx, &head.batch_id).map_err(sql)?;
        tx.execute(
            "INSERT INTO batches (id, batch_date, created_at, fingerprint, draft) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![head.batch_id, head.batch_date, head.created_at, head.fingerprint, head.draft],
        )
        .map_err(sql)?;
        Ok(Recorder { tx, path: self.path.clone(), head: head.clone() })
    }
    /// Marks a batch's payment lists as handed to the treasury: it can no longer be replaced. A
    /// draft is not submitted: `Ok(None)` when the batch is not recorded, `Ok(Some(false))` when it
    /// is a draft.
    pub fn submit(&self, batch_id: &str) -> Result<Option<bool>, LedgerError> {
        let draft: Option<bool> = self
            .conn
            .query_row("SELECT draft FROM batches WHERE id = ?1", [batch_id], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql(e))?;
        match draft {
            None => Ok(None),
            Some(true) => Ok(Some(false)),
            Some(false) => {
                self.conn
                    .execute("UPDATE batches SET submitted = 1 WHERE id = ?1", [batch_id])
                    .map_err(|e| self.sql(e))?;
                Ok(Some(true))
            }
        }
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn path(&self) -> &str {
        &self.path
    }
}

/// A batch being recorded: one open transaction.
pub struct Recorder<'l> {
    tx: Transaction<'l>,
    path: String,
    head: BatchHead,
}

impl Recorder<'_> {
    fn sql(&self, source: rusqlite::Error) -> LedgerError {
        LedgerError::Sql { path: self.path.clone(), source }
    }

    pub fn decisions(&self, rows: &[DecisionRow]) -> Result<(), LedgerError> {
        let mut insert = self
            .tx
            .prepare_cached(
                "INSERT INTO decisions (app_no, batch_id, type_code, tax_id, submitted_at, status, amount_tiyn, budget_program, reasons, payment_line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .map_err(|e| self.sql(e))?;
        for d in rows {
            let line = d.line.as_ref().map(|l| serde_json::to_string(l).unwrap_or_default());
            insert
                .execute(params![
                    d.app_no,
                    self.head.batch_id,
                    d.type_code,
                    d.tax_id,
                    d.submitted_at.format(TIME).to_string(),
                    if d.approved { "approved" } else { "refused" },
                    d.amount.tiyn(),
                    d.budget_program,
                    d.reasons.to_string(),
                    line
                ])
                .map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Subjects claimed, as `(type, kind, subject, app_no)`.
    pub fn subjects(&self, rows: &[(String, String, String, String)]) -> Result<(), LedgerError> {
        let mut insert = self
            .tx
            .prepare_cached(
                "INSERT INTO subjects (type_code, kind, subject, app_no, batch_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(|e| self.sql(e))?;
        for (t, kind, subject, app_no) in rows {
            insert.execute(params![t, kind, subject, app_no, self.head.batch_id]).map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// The outcomes of applications in this batch, as `(app_no, outcome)`.
    pub fn outcomes(&self, rows: &[(String, Outcome)]) -> Result<(), LedgerError> {
        let mut insert = self
            .tx
            .prepare_cached(
                "INSERT INTO outcomes (batch_id, app_no, outcome, paid_tiyn, offer_tiyn, place) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(|e| self.sql(e))?;
        for (app_no, o) in rows {
            let offer = match o {
                Outcome::PartialOffer { offered, .. } => offered.tiyn(),
                _ => 0,
            };
            let place = o.place().and_then(|p| i64::try_from(p).ok());
            insert
                .execute(params![self.head.batch_id, app_no, o.key(), o.paid().tiyn(), offer, place])
                .map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// The outgoing numbers given to the batch's notices, as `(app_no, seq)`.
    pub fn letters(&self, rows: &[(String, u32)]) -> Result<(), LedgerError> {
        let mut insert = self
            .tx
            .prepare_cached("INSERT INTO letters (batch_id, app_no, year, seq) VALUES (?1, ?2, ?3, ?4)")
            .map_err(|e| self.sql(e))?;
        for (app_no, seq) in rows {
            insert.execute(params![self.head.batch_id, app_no, self.head.year, seq]).map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Records the batch's payments and partial-payment offers, and commits.
    pub fn finish(self, payments: &[(PaymentLine, String)], offers: &[(String, Money)]) -> Result<(), LedgerError> {
        let h = &self.head;
        for (l, program) in payments {
            self.tx
                .execute(
                    "INSERT INTO payments (id, batch_id, app_no, budget_program, year, month, amount_tiyn) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![l.id, h.batch_id, l.app_no, program, h.year, h.month, l.amount.tiyn()],
                )
                .map_err(|e| self.sql(e))?;
        }
        for (app_no, amount) in offers {
            self.tx
                .execute(
                    "INSERT INTO offers (batch_id, app_no, amount_tiyn) VALUES (?1, ?2, ?3)",
                    params![h.batch_id, app_no, amount.tiyn()],
                )
                .map_err(|e| self.sql(e))?;
        }
        failpoint("before-ledger-commit");
        let path = self.path.clone();
        self.tx.commit().map_err(|source| LedgerError::Sql { path, source })
    }
}

fn delete_batch(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<()> {
    for table in ["subjects", "offers", "payments", "outcomes", "letters"] {
        tx.execute(&format!("DELETE FROM {table} WHERE batch_id = ?1"), [id])?;
    }
    tx.execute("DELETE FROM decisions WHERE batch_id = ?1", [id])?;
    tx.execute("DELETE FROM batches WHERE id = ?1", [id])?;
    Ok(())
}
