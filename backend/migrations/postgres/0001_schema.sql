-- The whole schema on PostgreSQL: the same tables and columns as SQLite's migrations
-- 0001 to 0009 leave, in PostgreSQL's types. Integers are BIGINT (øre, Unix seconds or
-- milliseconds, and flags as 0 or 1), bytes are BYTEA, and insertion order is a sequence:
-- `seq` in the outbox, and a column named `rowid` where SQLite's own hidden rowid orders
-- a listing (keys, events, deliveries, attempts), so that one query serves both.

CREATE TABLE merchants (
    id              TEXT PRIMARY KEY NOT NULL,      -- mer_…
    name            TEXT NOT NULL,
    msn             TEXT NOT NULL UNIQUE,           -- Vipps Merchant Serial Number
    allowed_origins TEXT NOT NULL DEFAULT '[]',     -- JSON array of origins
    language        TEXT,                           -- nb | nn | en
    appearance      TEXT NOT NULL DEFAULT '{}',     -- JSON object of widget variables
    status          TEXT NOT NULL DEFAULT 'active', -- active | disabled
    created_at      BIGINT NOT NULL
);

CREATE TABLE api_keys (
    rowid        BIGSERIAL NOT NULL UNIQUE,
    id           TEXT PRIMARY KEY NOT NULL,         -- key_…
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    name         TEXT NOT NULL,
    key_hash     BYTEA NOT NULL UNIQUE,             -- SHA-256 of the key (256 random bits)
    prefix       TEXT NOT NULL,                     -- its first characters, for people
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id);

CREATE TABLE payments (
    id                      TEXT PRIMARY KEY NOT NULL,
    merchant_id             TEXT NOT NULL,
    state                   TEXT NOT NULL,
    amount_ore              BIGINT NOT NULL CHECK (amount_ore > 0),
    currency                TEXT NOT NULL,
    merchant_order_id       TEXT NOT NULL,
    description             TEXT NOT NULL,
    phone_number            TEXT,
    client_secret_hash      BYTEA NOT NULL,
    psp_transaction_id      TEXT UNIQUE,
    make_payment_token_hash BYTEA,
    vipps_url               TEXT,
    is_app                  BIGINT NOT NULL DEFAULT 0,
    failure_reason          TEXT,
    card_first_six          TEXT,
    card_last_four          TEXT,
    card_expiry             TEXT,
    acquirer_reference      TEXT,
    make_payment_answer     TEXT,
    created_at              BIGINT NOT NULL,
    expires_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    return_url              TEXT,
    captured_ore            BIGINT NOT NULL DEFAULT 0,
    refunded_ore            BIGINT NOT NULL DEFAULT 0,
    released_ore            BIGINT NOT NULL DEFAULT 0,
    ledger_version          BIGINT NOT NULL DEFAULT 0,
    acquirer_unsettled      BIGINT NOT NULL DEFAULT 0,
    UNIQUE (merchant_id, merchant_order_id)
);
CREATE INDEX payments_merchant ON payments (merchant_id, created_at);

CREATE TABLE attempts (
    psp_transaction_id      TEXT PRIMARY KEY NOT NULL,
    payment_id              TEXT NOT NULL REFERENCES payments (id),
    make_payment_token_hash BYTEA NOT NULL,
    make_payment_answer     TEXT,
    created_at              BIGINT NOT NULL
);
CREATE INDEX attempts_payment ON attempts (payment_id);

CREATE TABLE operations (
    id          TEXT PRIMARY KEY NOT NULL,
    payment_id  TEXT NOT NULL REFERENCES payments (id),
    kind        TEXT NOT NULL,   -- capture | refund | cancel
    amount_ore  BIGINT NOT NULL CHECK (amount_ore > 0),
    state       TEXT NOT NULL,   -- pending | succeeded | failed
    error       TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX operations_payment ON operations (payment_id);

CREATE TABLE outbox (
    seq                 BIGSERIAL PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    operation_id        TEXT NOT NULL UNIQUE REFERENCES operations (id),
    payment_id          TEXT NOT NULL,
    psp_transaction_id  TEXT NOT NULL,
    status              TEXT NOT NULL,   -- CAPTURED | CANCELLED | REFUNDED
    amount_ore          BIGINT NOT NULL,
    currency            TEXT NOT NULL,
    payment_text        TEXT,
    state               TEXT NOT NULL DEFAULT 'pending',   -- pending | delivered | dead
    batch_id            TEXT,            -- the Request-Id it is (re)sent under
    attempts            BIGINT NOT NULL DEFAULT 0,
    next_attempt_at_ms  BIGINT NOT NULL,
    last_error          TEXT,
    created_at          BIGINT NOT NULL,
    delivered_at        BIGINT,
    merchant_id         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at_ms);
CREATE INDEX outbox_payment ON outbox (payment_id, state);
CREATE INDEX outbox_batch ON outbox (batch_id);

CREATE TABLE idempotency_keys (
    scope                 TEXT NOT NULL, -- whose key: the merchant's id
    idempotency_key       TEXT NOT NULL,
    method                TEXT NOT NULL,
    path                  TEXT NOT NULL,
    body_hash             BYTEA NOT NULL, -- SHA-256 of the request body
    response_status       BIGINT,
    response_content_type TEXT,
    response_body         BYTEA,
    created_at            BIGINT NOT NULL,
    completed_at          BIGINT,
    response_sealed       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE webhook_endpoints (
    id                          TEXT PRIMARY KEY NOT NULL,   -- we_…
    merchant_id                 TEXT NOT NULL REFERENCES merchants (id),
    url                         TEXT NOT NULL,
    events                      TEXT NOT NULL,               -- JSON array of event types
    secret_sealed               BYTEA NOT NULL,              -- whsec_…, sealed under the server key
    previous_secret_sealed      BYTEA,
    previous_secret_expires_at  BIGINT,                      -- Unix seconds
    created_at                  BIGINT NOT NULL,
    deleted_at                  BIGINT
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id);

CREATE TABLE events (
    rowid        BIGSERIAL NOT NULL UNIQUE,
    id           TEXT PRIMARY KEY NOT NULL,   -- evt_…, also the webhook-id
    merchant_id  TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    type         TEXT NOT NULL,
    sequence     BIGINT NOT NULL,             -- 1, 2, 3 … per payment
    body         TEXT NOT NULL,               -- the JSON delivered, byte for byte
    created_at   BIGINT NOT NULL,
    UNIQUE (payment_id, sequence)
);
CREATE INDEX events_merchant ON events (merchant_id, created_at);

CREATE TABLE webhook_deliveries (
    rowid        BIGSERIAL NOT NULL UNIQUE,
    id                  TEXT PRIMARY KEY NOT NULL,
    event_id            TEXT NOT NULL REFERENCES events (id),
    endpoint_id         TEXT NOT NULL REFERENCES webhook_endpoints (id),
    state               TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | failed
    attempts            BIGINT NOT NULL DEFAULT 0,
    next_attempt_at_ms  BIGINT NOT NULL,                  -- also the lease while sending
    give_up_at_ms       BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    delivered_at        BIGINT,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at_ms);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, state);

CREATE TABLE webhook_attempts (
    rowid        BIGSERIAL NOT NULL UNIQUE,
    delivery_id  TEXT NOT NULL REFERENCES webhook_deliveries (id),
    at_ms        BIGINT NOT NULL,
    http_status  BIGINT,
    duration_ms  BIGINT NOT NULL,
    error        TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
