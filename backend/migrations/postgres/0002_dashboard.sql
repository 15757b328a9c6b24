-- The merchant dashboard: its users (one merchant each; argon2id password hashes) and
-- their sessions (only the SHA-256 of the cookie's token is kept).

CREATE TABLE dashboard_users (
    id            TEXT PRIMARY KEY NOT NULL,      -- usr_…
    merchant_id   TEXT NOT NULL REFERENCES merchants (id),
    email         TEXT NOT NULL UNIQUE,           -- trimmed, lowercase
    password_hash TEXT NOT NULL,                  -- argon2id, PHC string
    created_at    BIGINT NOT NULL,
    disabled_at   BIGINT
);
CREATE INDEX dashboard_users_merchant ON dashboard_users (merchant_id);

CREATE TABLE dashboard_sessions (
    token_hash  BYTEA PRIMARY KEY NOT NULL,        -- SHA-256 of the cookie's token
    user_id     TEXT NOT NULL REFERENCES dashboard_users (id),
    csrf_token  TEXT NOT NULL,                    -- sent back in x-csrf-token
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL                  -- Unix seconds
);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);
