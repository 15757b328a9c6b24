-- The amount ledger of an authorised payment, the merchant operations on it, and the
-- outbox of status updates owed to Vipps (written in the same transaction as the operation).
ALTER TABLE payments ADD COLUMN captured_ore INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN refunded_ore INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN released_ore INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN ledger_version INTEGER NOT NULL DEFAULT 0;
-- 1 while the acquirer may hold an authorisation we did not record (timeout, crash).
ALTER TABLE payments ADD COLUMN acquirer_unsettled INTEGER NOT NULL DEFAULT 0;

CREATE TABLE operations (
    id          TEXT PRIMARY KEY NOT NULL,
    payment_id  TEXT NOT NULL REFERENCES payments (id),
    kind        TEXT NOT NULL,   -- capture | refund | cancel
    amount_ore  INTEGER NOT NULL CHECK (amount_ore > 0),
    state       TEXT NOT NULL,   -- pending | succeeded | failed
    error       TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX operations_payment ON operations (payment_id);

CREATE TABLE outbox (
    id                  TEXT PRIMARY KEY NOT NULL,
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
    delivered_at        INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at_ms);
