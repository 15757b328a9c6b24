-- Merchant POSTs sent with an Idempotency-Key: the first one's response, replayed to repeats.
-- A row without response_status is still in progress. Kept at least 24 h (idempotency::sweep).
CREATE TABLE idempotency_keys (
    scope                 TEXT NOT NULL, -- whose key: SHA-256 (hex) of the merchant API key
    idempotency_key       TEXT NOT NULL,
    method                TEXT NOT NULL,
    path                  TEXT NOT NULL,
    body_hash             BLOB NOT NULL, -- SHA-256 of the request body
    response_status       INTEGER,
    response_content_type TEXT,
    response_body         BLOB,
    created_at            INTEGER NOT NULL,
    completed_at          INTEGER,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
