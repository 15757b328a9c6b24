-- One row per attempt at Vipps (a payment can be retried after a failure). makePayment
-- finds its attempt here, so a duplicate for an earlier attempt still gets its first answer.
CREATE TABLE attempts (
    psp_transaction_id      TEXT PRIMARY KEY NOT NULL,
    payment_id              TEXT NOT NULL REFERENCES payments (id),
    make_payment_token_hash BLOB NOT NULL,
    make_payment_answer     TEXT,
    created_at              INTEGER NOT NULL
);
CREATE INDEX attempts_payment ON attempts (payment_id);
