-- Outgoing webhooks and usage alerts (issue 16): our users' endpoints, the events of their organisations, one delivery per event
-- and endpoint, sent by billing-api following the Standard Webhooks specification.
CREATE TABLE webhook_endpoints (
    id                        UUID PRIMARY KEY,
    organisation_id           UUID        NOT NULL REFERENCES organisations (id),
    url                       TEXT        NOT NULL CHECK (length(url) <= 2048 AND url ~ '^https?://'),
    description               TEXT        CHECK (length(description) <= 500),
    -- empty: every event type
    event_types               TEXT[]      NOT NULL DEFAULT '{}',
    enabled                   BOOLEAN     NOT NULL DEFAULT true,
    -- whsec_ and the base64 of 32 random bytes: kept in clear, since deliveries are signed with it
    secret                    TEXT        NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/]{43}=$'),
    previous_secret           TEXT        CHECK (previous_secret ~ '^whsec_[A-Za-z0-9+/]{43}=$'),
    previous_secret_until     TIMESTAMPTZ,
    consecutive_failures      INTEGER     NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    disabled_reason           TEXT,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at                TIMESTAMPTZ,
    CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL))
);
CREATE INDEX webhook_endpoints_org_idx ON webhook_endpoints (organisation_id) WHERE deleted_at IS NULL;

-- An event, written in the transaction of the change that caused it; payload holds the exact bytes that are signed.
CREATE TABLE outgoing_events (
    id               TEXT        PRIMARY KEY CHECK (id ~ '^evt_[0-9a-f]{32}$'),
    organisation_id  UUID        NOT NULL REFERENCES organisations (id),
    type             TEXT        NOT NULL,
    payload          TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One event to one endpoint. seq orders an endpoint's deliveries: one is in flight per endpoint, oldest first.
CREATE TABLE outgoing_deliveries (
    id                UUID        PRIMARY KEY,
    seq               BIGSERIAL   NOT NULL UNIQUE,
    event_id          TEXT        NOT NULL REFERENCES outgoing_events (id),
    endpoint_id       UUID        NOT NULL REFERENCES webhook_endpoints (id),
    organisation_id   UUID        NOT NULL REFERENCES organisations (id),
    status            TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts          INTEGER     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_status_code  INTEGER,
    last_latency_ms   INTEGER,
    last_error        TEXT        CHECK (length(last_error) <= 1000),
    delivered_at      TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (event_id, endpoint_id),
    CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX outgoing_deliveries_pending_idx ON outgoing_deliveries (endpoint_id, seq) WHERE status = 'pending';
CREATE INDEX outgoing_deliveries_endpoint_idx ON outgoing_deliveries (endpoint_id, created_at);

-- Every attempt, for the delivery log.
CREATE TABLE outgoing_attempts (
    id            BIGSERIAL   PRIMARY KEY,
    delivery_id   UUID        NOT NULL REFERENCES outgoing_deliveries (id),
    attempted_at  TIMESTAMPTZ NOT NULL,
    status_code   INTEGER,
    latency_ms    INTEGER     NOT NULL CHECK (latency_ms >= 0),
    error         TEXT        CHECK (length(error) <= 1000)
);
CREATE INDEX outgoing_attempts_delivery_idx ON outgoing_attempts (delivery_id, id);

-- Usage alerts: levels of a metric's quantity (optionally of one project) or of the running period's estimated
-- amount, as percentages of a budget or absolute values. Each level fires once per period (usage_alert_firings).
CREATE TABLE usage_alerts (
    id               UUID PRIMARY KEY,
    organisation_id  UUID          NOT NULL REFERENCES organisations (id),
    project_id       UUID          REFERENCES projects (id),
    metric_name      TEXT,
    kind             TEXT          NOT NULL CHECK (kind IN ('quantity', 'amount')),
    budget           NUMERIC(38,12) CHECK (budget > 0),
    percentages      INTEGER[],
    levels           NUMERIC(38,12)[] NOT NULL CHECK (cardinality(levels) BETWEEN 1 AND 20),
    description      TEXT          CHECK (length(description) <= 200),
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    deleted_at       TIMESTAMPTZ,
    CHECK (kind = 'amount' OR metric_name IS NOT NULL),
    CHECK ((budget IS NULL) = (percentages IS NULL))
);
CREATE INDEX usage_alerts_org_idx ON usage_alerts (organisation_id) WHERE deleted_at IS NULL;

CREATE TABLE usage_alert_firings (
    alert_id   UUID           NOT NULL REFERENCES usage_alerts (id),
    period     CHAR(7)        NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
    level      NUMERIC(38,12) NOT NULL,
    value      NUMERIC(50,12) NOT NULL,
    event_id   TEXT,
    fired_at   TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, period, level)
);

-- Entitlements: a charge may limit its metric per period, hard (refused by our user beyond it, entitlement.exhausted
-- fires once) or soft (reported only). Adding columns leaves plans in use as they were.
ALTER TABLE plan_charges ADD COLUMN limit_per_period NUMERIC(38,12) CHECK (limit_per_period > 0),
                         ADD COLUMN limit_kind TEXT CHECK (limit_kind IN ('hard', 'soft')),
                         ADD CONSTRAINT plan_charges_limit_kind CHECK ((limit_per_period IS NULL) = (limit_kind IS NULL));

-- A hard limit reached, once per period and scope: the organisation (plans priced per organisation) or the project.
CREATE TABLE entitlement_exhaustions (
    organisation_id  UUID        NOT NULL REFERENCES organisations (id),
    scope_id         UUID        NOT NULL,
    metric_name      TEXT        NOT NULL,
    period           CHAR(7)     NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
    used             NUMERIC(50,12) NOT NULL,
    event_id         TEXT,
    exhausted_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope_id, metric_name, period)
);
