-- The customer portal (issue 15): sessions opened by a single-use link. Only SHA-256 hashes of the link token and of
-- the session cookie are stored, so a read of this table opens no portal. A link opens once (opened_at) before
-- link_expires_at; the session it opens lasts until session_expires_at or until it is ended (ended_at).
CREATE TABLE portal_sessions (
    id                  UUID PRIMARY KEY,
    organisation_id     UUID        NOT NULL REFERENCES organisations (id),
    link_hash           BYTEA       NOT NULL UNIQUE CHECK (length(link_hash) = 32),
    link_expires_at     TIMESTAMPTZ NOT NULL,
    opened_at           TIMESTAMPTZ,
    session_hash        BYTEA       UNIQUE CHECK (length(session_hash) = 32),
    session_expires_at  TIMESTAMPTZ,
    csrf_token          TEXT        CHECK (csrf_token ~ '^[A-Za-z0-9_-]{43}$'),
    ended_at            TIMESTAMPTZ,
    created_by          TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((opened_at IS NULL) = (session_hash IS NULL)),
    CHECK ((session_hash IS NULL) = (session_expires_at IS NULL)),
    CHECK ((session_hash IS NULL) = (csrf_token IS NULL))
);
CREATE INDEX portal_sessions_org_idx ON portal_sessions (organisation_id, created_at);
