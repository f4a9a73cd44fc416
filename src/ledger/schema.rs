//! Ledger schema migrations; `PRAGMA user_version` is the number of migrations applied.
//! A migration is never edited once released: add a new one.

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: batches, decisions, payments, partial-payment offers, subsidised subjects.
    "
    CREATE TABLE batches (
        id            TEXT PRIMARY KEY,
        batch_date    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        fingerprint   TEXT NOT NULL,   -- SHA-256 over inputs, rules, templates and flags
        submitted     INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE decisions (
        app_no         TEXT PRIMARY KEY,
        batch_id       TEXT NOT NULL REFERENCES batches(id),
        type_code      TEXT NOT NULL,
        tax_id         TEXT NOT NULL,
        submitted_at   TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('approved', 'refused')),
        amount_tiyn    INTEGER NOT NULL,
        budget_program TEXT,
        reasons        TEXT NOT NULL,  -- JSON: [{id, ground, legal_ref}]
        payment_line   TEXT            -- JSON of the payment line, for approved applications
    );
    CREATE TABLE payments (
        id             TEXT NOT NULL,
        batch_id       TEXT NOT NULL REFERENCES batches(id),
        app_no         TEXT NOT NULL REFERENCES decisions(app_no),
        budget_program TEXT NOT NULL,
        year           INTEGER NOT NULL,
        month          INTEGER NOT NULL,
        amount_tiyn    INTEGER NOT NULL CHECK (amount_tiyn > 0),
        status         TEXT NOT NULL DEFAULT 'formed' CHECK (status IN ('formed', 'executed', 'rejected')),
        executed_tiyn  INTEGER,
        PRIMARY KEY (id, batch_id)
    );
    CREATE TABLE offers (
        batch_id    TEXT NOT NULL REFERENCES batches(id),
        app_no      TEXT NOT NULL REFERENCES decisions(app_no),
        amount_tiyn INTEGER NOT NULL,
        PRIMARY KEY (batch_id, app_no)
    );
    CREATE TABLE subjects (
        type_code TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind IN ('animal', 'esf')),
        subject   TEXT NOT NULL,
        app_no    TEXT NOT NULL REFERENCES decisions(app_no),
        batch_id  TEXT NOT NULL REFERENCES batches(id),
        PRIMARY KEY (type_code, kind, subject)
    );
    CREATE INDEX payments_app ON payments(app_no);
    CREATE INDEX decisions_batch ON decisions(batch_id);
    ",
    // 2: the outcome of every application in every batch that changed it (see `outcome::Outcome`).
    "
    CREATE TABLE outcomes (
        batch_id   TEXT NOT NULL REFERENCES batches(id),
        app_no     TEXT NOT NULL,
        outcome    TEXT NOT NULL,   -- Outcome::key: paid, waiting, partial-offer, refused …
        paid_tiyn  INTEGER NOT NULL DEFAULT 0,
        offer_tiyn INTEGER NOT NULL DEFAULT 0,
        place      INTEGER,         -- place on the waiting list after the batch
        PRIMARY KEY (batch_id, app_no)
    );
    CREATE INDEX outcomes_app ON outcomes(app_no);
    ",
    // 3: a batch decided with values still to confirm is a draft; its lists cannot be submitted.
    "ALTER TABLE batches ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;",
    // 4: the outgoing numbers of the notices: a sequence per year, kept per batch and application.
    "
    CREATE TABLE letters (
        batch_id TEXT NOT NULL REFERENCES batches(id),
        app_no   TEXT NOT NULL,
        year     INTEGER NOT NULL,
        seq      INTEGER NOT NULL,
        PRIMARY KEY (batch_id, app_no)
    );
    CREATE INDEX letters_year ON letters(year, seq);
    ",
];
