-- One row per merchant payment. Card data is never stored: only first six, last four, expiry.
CREATE TABLE payments (
    id                      TEXT PRIMARY KEY NOT NULL,
    state                   TEXT NOT NULL,
    amount_ore              INTEGER NOT NULL CHECK (amount_ore > 0),
    currency                TEXT NOT NULL,
    merchant_order_id       TEXT NOT NULL UNIQUE,
    description             TEXT NOT NULL,
    phone_number            TEXT,
    client_secret_hash      BLOB NOT NULL,
    psp_transaction_id      TEXT UNIQUE,
    make_payment_token_hash BLOB,
    vipps_url               TEXT,
    is_app                  INTEGER NOT NULL DEFAULT 0,
    failure_reason          TEXT,
    card_first_six          TEXT,
    card_last_four          TEXT,
    card_expiry             TEXT,
    acquirer_reference      TEXT,
    make_payment_answer     TEXT,
    created_at              INTEGER NOT NULL,
    expires_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
