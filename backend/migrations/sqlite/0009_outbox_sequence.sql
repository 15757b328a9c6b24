-- The outbox keeps its insertion order in a column of its own (`seq`) instead of SQLite's
-- hidden rowid, so that the same queries run on PostgreSQL. Rebuilt by SQLite's recipe;
-- `seq` takes the old rowid, so the order of pending updates is kept.

CREATE TABLE outbox_new (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    operation_id        TEXT NOT NULL UNIQUE REFERENCES operations (id),
    payment_id          TEXT NOT NULL,
    psp_transaction_id  TEXT NOT NULL,
    status              TEXT NOT NULL,   -- CAPTURED | CANCELLED | REFUNDED
    amount_ore          INTEGER NOT NULL,
    currency            TEXT NOT NULL,
    payment_text        TEXT,
    state               TEXT NOT NULL DEFAULT 'pending',   -- pending | delivered | dead
    batch_id            TEXT,            -- the Request-Id it is (re)sent under
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL,
    last_error          TEXT,
    created_at          INTEGER NOT NULL,
    delivered_at        INTEGER,
    merchant_id         TEXT NOT NULL DEFAULT ''
);

INSERT INTO outbox_new (seq, id, operation_id, payment_id, psp_transaction_id, status, amount_ore,
    currency, payment_text, state, batch_id, attempts, next_attempt_at_ms, last_error, created_at,
    delivered_at, merchant_id)
SELECT rowid, id, operation_id, payment_id, psp_transaction_id, status, amount_ore,
    currency, payment_text, state, batch_id, attempts, next_attempt_at_ms, last_error, created_at,
    delivered_at, merchant_id
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at_ms);
CREATE INDEX outbox_payment ON outbox (payment_id, state);
CREATE INDEX outbox_batch ON outbox (batch_id);
