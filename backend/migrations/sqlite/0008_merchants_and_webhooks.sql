-- Many merchants, each told what happened.
--
-- Merchants are records with their own Vipps MSN, API keys (hashes only) and webhook
-- endpoints. Payments belong to one merchant, and their order ids are unique per merchant.
-- Events are written in the same transaction as the change that causes them, with one
-- delivery per endpoint: the webhook outbox.

CREATE TABLE merchants (
    id              TEXT PRIMARY KEY NOT NULL,      -- mer_…
    name            TEXT NOT NULL,
    msn             TEXT NOT NULL UNIQUE,           -- Vipps Merchant Serial Number
    allowed_origins TEXT NOT NULL DEFAULT '[]',     -- JSON array of origins
    language        TEXT,                           -- nb | nn | en
    appearance      TEXT NOT NULL DEFAULT '{}',     -- JSON object of widget variables
    status          TEXT NOT NULL DEFAULT 'active', -- active | disabled
    created_at      INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY NOT NULL,         -- key_…
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    name         TEXT NOT NULL,
    key_hash     BLOB NOT NULL UNIQUE,              -- SHA-256 of the key (256 random bits)
    prefix       TEXT NOT NULL,                     -- its first characters, for people
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id);

-- Payments get their merchant. SQLite cannot drop the global UNIQUE on merchant_order_id,
-- so the table is rebuilt by SQLite's twelve-step recipe, in this migration's transaction:
-- migrations run on a connection with foreign keys off (`PaymentStore::connect`), so the
-- rows of attempts and operations keep pointing at the rebuilt table.
-- Payments made before merchants existed get merchant_id '' and are adopted by the
-- merchant the backend creates from its environment at startup.
CREATE TABLE payments_new (
    id                      TEXT PRIMARY KEY NOT NULL,
    merchant_id             TEXT NOT NULL,
    state                   TEXT NOT NULL,
    amount_ore              INTEGER NOT NULL CHECK (amount_ore > 0),
    currency                TEXT NOT NULL,
    merchant_order_id       TEXT NOT NULL,
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
    updated_at              INTEGER NOT NULL,
    return_url              TEXT,
    captured_ore            INTEGER NOT NULL DEFAULT 0,
    refunded_ore            INTEGER NOT NULL DEFAULT 0,
    released_ore            INTEGER NOT NULL DEFAULT 0,
    ledger_version          INTEGER NOT NULL DEFAULT 0,
    acquirer_unsettled      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (merchant_id, merchant_order_id)
);
INSERT INTO payments_new (id, merchant_id, state, amount_ore, currency, merchant_order_id,
    description, phone_number, client_secret_hash, psp_transaction_id, make_payment_token_hash,
    vipps_url, is_app, failure_reason, card_first_six, card_last_four, card_expiry,
    acquirer_reference, make_payment_answer, created_at, expires_at, updated_at, return_url,
    captured_ore, refunded_ore, released_ore, ledger_version, acquirer_unsettled)
SELECT id, '', state, amount_ore, currency, merchant_order_id,
    description, phone_number, client_secret_hash, psp_transaction_id, make_payment_token_hash,
    vipps_url, is_app, failure_reason, card_first_six, card_last_four, card_expiry,
    acquirer_reference, make_payment_answer, created_at, expires_at, updated_at, return_url,
    captured_ore, refunded_ore, released_ore, ledger_version, acquirer_unsettled
FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
CREATE INDEX payments_merchant ON payments (merchant_id, created_at);

-- Status updates to Vipps are batched per merchant (its MSN is on the call).
ALTER TABLE outbox ADD COLUMN merchant_id TEXT NOT NULL DEFAULT '';

-- Idempotency keys belong to a merchant from now on (scope = merchant id). Records scoped
-- by a key's hash before this simply expire.

CREATE TABLE webhook_endpoints (
    id                          TEXT PRIMARY KEY NOT NULL,   -- we_…
    merchant_id                 TEXT NOT NULL REFERENCES merchants (id),
    url                         TEXT NOT NULL,
    events                      TEXT NOT NULL,               -- JSON array of event types
    secret_sealed               BLOB NOT NULL,               -- whsec_…, sealed under the server key
    previous_secret_sealed      BLOB,
    previous_secret_expires_at  INTEGER,                     -- Unix seconds
    created_at                  INTEGER NOT NULL,
    deleted_at                  INTEGER
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id);

CREATE TABLE events (
    id           TEXT PRIMARY KEY NOT NULL,   -- evt_…, also the webhook-id
    merchant_id  TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    type         TEXT NOT NULL,
    sequence     INTEGER NOT NULL,            -- 1, 2, 3 … per payment
    body         TEXT NOT NULL,               -- the JSON delivered, byte for byte
    created_at   INTEGER NOT NULL,
    UNIQUE (payment_id, sequence)
);
CREATE INDEX events_merchant ON events (merchant_id, created_at);

-- The webhook outbox: one row per (event, endpoint), written with the event.
CREATE TABLE webhook_deliveries (
    id                  TEXT PRIMARY KEY NOT NULL,
    event_id            TEXT NOT NULL REFERENCES events (id),
    endpoint_id         TEXT NOT NULL REFERENCES webhook_endpoints (id),
    state               TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | failed
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL,                 -- also the lease while sending
    give_up_at_ms       INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    delivered_at        INTEGER,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at_ms);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, state);

CREATE TABLE webhook_attempts (
    delivery_id  TEXT NOT NULL REFERENCES webhook_deliveries (id),
    at_ms        INTEGER NOT NULL,
    http_status  INTEGER,
    duration_ms  INTEGER NOT NULL,
    error        TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
