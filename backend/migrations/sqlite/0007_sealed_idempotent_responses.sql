-- Stored answers are sealed (AES-256-GCM under the server key) from now on: they held the
-- client secret of each created payment in clear. Rows written before keep replaying, but
-- without that secret.
ALTER TABLE idempotency_keys ADD COLUMN response_sealed INTEGER NOT NULL DEFAULT 0;
UPDATE idempotency_keys
SET response_body = CAST(json_remove(CAST(response_body AS TEXT), '$.client_secret') AS BLOB)
WHERE response_body IS NOT NULL AND json_valid(CAST(response_body AS TEXT));
