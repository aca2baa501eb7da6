-- The whole billing schema. Quantities are NUMERIC, amounts are BIGINT minor units (paise for INR);
-- no floating-point column holds usage or money anywhere.

CREATE TABLE organisations (
    id              UUID PRIMARY KEY,
    name            TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    billing_email   TEXT        NOT NULL CHECK (billing_email ~ '^[^@\s]+@[^@\s]+$'),
    currency        CHAR(3)     NOT NULL DEFAULT 'INR' CHECK (currency ~ '^[A-Z]{3}$'),
    timezone        TEXT        NOT NULL DEFAULT 'UTC',
    gstin           CHAR(15)    CHECK (gstin ~ '^[0-9]{2}[A-Z0-9]{13}$'),
    state_code      CHAR(2)     CHECK (state_code ~ '^[0-9]{2}$'),
    address         TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- a GSTIN starts with the two-digit state code of the registration
    CHECK (gstin IS NULL OR state_code IS NULL OR substr(gstin, 1, 2) = state_code)
);

CREATE TABLE projects (
    id              UUID PRIMARY KEY,
    organisation_id UUID        NOT NULL REFERENCES organisations (id),
    name            TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);
CREATE INDEX projects_organisation_idx ON projects (organisation_id);

-- Project API keys (ingest, prefix pk_) and organisation secret keys (prefix sk_).
-- Only a SHA-256 hash of the key is stored; the plain key is shown once.
CREATE TABLE api_keys (
    id              UUID PRIMARY KEY,
    kind            TEXT        NOT NULL CHECK (kind IN ('project', 'organisation')),
    organisation_id UUID        NOT NULL REFERENCES organisations (id),
    project_id      UUID        REFERENCES projects (id),
    key_hash        TEXT        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    key_prefix      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at      TIMESTAMPTZ,
    CHECK ((kind = 'project') = (project_id IS NOT NULL))
);
CREATE INDEX api_keys_project_idx ON api_keys (project_id);

CREATE TABLE pricing_plans (
    id                         UUID PRIMARY KEY,
    name                       TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    version                    INTEGER     NOT NULL CHECK (version >= 1),
    currency                   CHAR(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    minimum_commitment_minor   BIGINT      NOT NULL DEFAULT 0 CHECK (minimum_commitment_minor >= 0),
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);

CREATE TABLE plan_charges (
    id               UUID PRIMARY KEY,
    pricing_plan_id  UUID          NOT NULL REFERENCES pricing_plans (id),
    metric_name      TEXT          NOT NULL,
    aggregation      TEXT          NOT NULL CHECK (aggregation IN ('sum', 'count', 'max', 'latest')),
    model            TEXT          NOT NULL CHECK (model IN ('per_unit', 'graduated', 'volume', 'package', 'flat')),
    unit_price       NUMERIC(20,8) CHECK (unit_price >= 0),
    package_size     NUMERIC(38,12) CHECK (package_size > 0),
    flat_fee_minor   BIGINT        CHECK (flat_fee_minor >= 0),
    free_units       NUMERIC(38,12) NOT NULL DEFAULT 0 CHECK (free_units >= 0),
    position         INTEGER       NOT NULL DEFAULT 0,
    UNIQUE (pricing_plan_id, metric_name),
    CHECK (model <> 'per_unit' OR unit_price IS NOT NULL),
    CHECK (model <> 'package' OR (unit_price IS NOT NULL AND package_size IS NOT NULL)),
    CHECK (model <> 'flat' OR flat_fee_minor IS NOT NULL)
);

-- Tiers of graduated and volume charges; up_to NULL is the open last tier.
CREATE TABLE charge_tiers (
    charge_id        UUID          NOT NULL REFERENCES plan_charges (id),
    position         INTEGER       NOT NULL CHECK (position >= 0),
    up_to            NUMERIC(38,12) CHECK (up_to > 0),
    unit_price       NUMERIC(20,8) NOT NULL CHECK (unit_price >= 0),
    flat_fee_minor   BIGINT        NOT NULL DEFAULT 0 CHECK (flat_fee_minor >= 0),
    PRIMARY KEY (charge_id, position)
);

CREATE TABLE subscriptions (
    id               UUID PRIMARY KEY,
    organisation_id  UUID        NOT NULL REFERENCES organisations (id),
    pricing_plan_id  UUID        NOT NULL REFERENCES pricing_plans (id),
    starts_on        DATE        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, starts_on)
);

-- Written by the aggregation job as absolute values computed from checkpointed state.
-- No foreign key to projects: bad or orphaned data must never fail the streaming job.
CREATE TABLE usage_aggregates (
    project_id       UUID           NOT NULL,
    organisation_id  UUID           NOT NULL,
    metric_name      TEXT           NOT NULL,
    period           CHAR(7)        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    timezone         TEXT           NOT NULL,
    unit             TEXT           NOT NULL,
    sum_value        NUMERIC(38,12) NOT NULL CHECK (sum_value >= 0),
    event_count      BIGINT         NOT NULL CHECK (event_count >= 0),
    min_value        NUMERIC(38,12) NOT NULL,
    max_value        NUMERIC(38,12) NOT NULL,
    latest_value     NUMERIC(38,12) NOT NULL,
    latest_at        TIMESTAMPTZ    NOT NULL,
    is_final         BOOLEAN        NOT NULL DEFAULT false,
    updated_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, metric_name, period),
    CHECK (min_value <= max_value)
);
CREATE INDEX usage_aggregates_org_period_idx ON usage_aggregates (organisation_id, period);

CREATE TABLE usage_daily (
    project_id       UUID           NOT NULL,
    organisation_id  UUID           NOT NULL,
    metric_name      TEXT           NOT NULL,
    day              DATE           NOT NULL,
    timezone         TEXT           NOT NULL,
    unit             TEXT           NOT NULL,
    sum_value        NUMERIC(38,12) NOT NULL CHECK (sum_value >= 0),
    event_count      BIGINT         NOT NULL CHECK (event_count >= 0),
    min_value        NUMERIC(38,12) NOT NULL,
    max_value        NUMERIC(38,12) NOT NULL,
    latest_value     NUMERIC(38,12) NOT NULL,
    latest_at        TIMESTAMPTZ    NOT NULL,
    is_final         BOOLEAN        NOT NULL DEFAULT false,
    updated_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, metric_name, day),
    CHECK (min_value <= max_value)
);

-- Events that arrived after their period was final: kept, never added to the final row,
-- billed as adjustment lines on a later invoice.
CREATE TABLE late_usage_events (
    event_id          UUID PRIMARY KEY,
    project_id        UUID           NOT NULL,
    organisation_id   UUID           NOT NULL,
    metric_name       TEXT           NOT NULL,
    metric_value      NUMERIC(38,12) NOT NULL CHECK (metric_value >= 0),
    unit              TEXT           NOT NULL,
    event_time        TIMESTAMPTZ    NOT NULL,
    period            CHAR(7)        NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    reason            TEXT           NOT NULL,
    received_at       TIMESTAMPTZ    NOT NULL,
    recorded_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    adjusted_on_invoice_id UUID
);
CREATE INDEX late_usage_events_org_idx ON late_usage_events (organisation_id, adjusted_on_invoice_id);

-- Consecutive invoice numbers per financial year (April to March).
CREATE TABLE invoice_number_sequences (
    financial_year   CHAR(7) PRIMARY KEY CHECK (financial_year ~ '^[0-9]{4}-[0-9]{2}$'),
    last_number      BIGINT  NOT NULL CHECK (last_number >= 0)
);

CREATE TABLE invoices (
    id               UUID PRIMARY KEY,
    organisation_id  UUID        NOT NULL REFERENCES organisations (id),
    period           CHAR(7)     NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    invoice_number   VARCHAR(16) UNIQUE,
    status           TEXT        NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'issued', 'paid', 'void', 'uncollectible')),
    currency         CHAR(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    pricing_plan_id  UUID        REFERENCES pricing_plans (id),
    subtotal_minor   BIGINT      NOT NULL CHECK (subtotal_minor >= 0),
    cgst_minor       BIGINT      NOT NULL DEFAULT 0 CHECK (cgst_minor >= 0),
    sgst_minor       BIGINT      NOT NULL DEFAULT 0 CHECK (sgst_minor >= 0),
    igst_minor       BIGINT      NOT NULL DEFAULT 0 CHECK (igst_minor >= 0),
    total_minor      BIGINT      NOT NULL CHECK (total_minor >= 0),
    razorpay_order_id TEXT       UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    issued_at        TIMESTAMPTZ,
    due_at           TIMESTAMPTZ,
    paid_at          TIMESTAMPTZ,
    voided_at        TIMESTAMPTZ,
    UNIQUE (organisation_id, period),
    CHECK (total_minor = subtotal_minor + cgst_minor + sgst_minor + igst_minor),
    CHECK (igst_minor = 0 OR (cgst_minor = 0 AND sgst_minor = 0)),
    CHECK (status = 'draft' OR invoice_number IS NOT NULL)
);

CREATE TABLE invoice_line_items (
    id                 BIGSERIAL PRIMARY KEY,
    invoice_id         UUID           NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    project_id         UUID,
    charge_id          UUID           REFERENCES plan_charges (id),
    metric_name        TEXT,
    description        TEXT           NOT NULL,
    quantity           NUMERIC(38,12) NOT NULL CHECK (quantity >= 0),
    unit_price         NUMERIC(20,8)  NOT NULL CHECK (unit_price >= 0),
    amount_minor       BIGINT         NOT NULL CHECK (amount_minor >= 0),
    adjustment_period  CHAR(7)        CHECK (adjustment_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
CREATE INDEX invoice_line_items_invoice_idx ON invoice_line_items (invoice_id);

-- An issued invoice is immutable: amounts, lines and identity never change after issue; only the
-- status moves forward and payment references are attached. Corrections are new documents.
CREATE FUNCTION invoices_guard_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'invoice % is %, it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
           NEW.organisation_id IS DISTINCT FROM OLD.organisation_id
        OR NEW.period IS DISTINCT FROM OLD.period
        OR NEW.invoice_number IS DISTINCT FROM OLD.invoice_number
        OR NEW.currency IS DISTINCT FROM OLD.currency
        OR NEW.pricing_plan_id IS DISTINCT FROM OLD.pricing_plan_id
        OR NEW.subtotal_minor IS DISTINCT FROM OLD.subtotal_minor
        OR NEW.cgst_minor IS DISTINCT FROM OLD.cgst_minor
        OR NEW.sgst_minor IS DISTINCT FROM OLD.sgst_minor
        OR NEW.igst_minor IS DISTINCT FROM OLD.igst_minor
        OR NEW.total_minor IS DISTINCT FROM OLD.total_minor
        OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
        OR (OLD.razorpay_order_id IS NOT NULL AND NEW.razorpay_order_id IS DISTINCT FROM OLD.razorpay_order_id)
        OR NEW.status = 'draft'
        OR (OLD.status IN ('paid', 'void') AND NEW.status <> OLD.status)
    ) THEN
        RAISE EXCEPTION 'invoice % is %, it cannot be changed', OLD.id, OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_guard_issued BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_guard_issued();

CREATE FUNCTION invoice_lines_guard_issued() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    invoice_status TEXT;
BEGIN
    SELECT status INTO invoice_status FROM invoices
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
    IF invoice_status IS NOT NULL AND invoice_status <> 'draft' THEN
        RAISE EXCEPTION 'invoice is %, its lines cannot be changed', invoice_status USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoice_lines_guard_issued BEFORE INSERT OR UPDATE OR DELETE ON invoice_line_items
    FOR EACH ROW EXECUTE FUNCTION invoice_lines_guard_issued();

CREATE TABLE payments (
    id                   UUID PRIMARY KEY,
    invoice_id           UUID        NOT NULL REFERENCES invoices (id),
    razorpay_order_id    TEXT        NOT NULL,
    razorpay_payment_id  TEXT        NOT NULL UNIQUE,
    amount_minor         BIGINT      NOT NULL CHECK (amount_minor > 0),
    currency             CHAR(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status               TEXT        NOT NULL CHECK (status IN ('created', 'authorized', 'captured', 'failed')),
    refunded_minor       BIGINT      NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
    method               TEXT,
    failure_reason       TEXT,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id);

CREATE TABLE refunds (
    id                   UUID PRIMARY KEY,
    payment_id           UUID        NOT NULL REFERENCES payments (id),
    razorpay_refund_id   TEXT        UNIQUE,
    amount_minor         BIGINT      NOT NULL CHECK (amount_minor > 0),
    status               TEXT        NOT NULL CHECK (status IN ('pending', 'processed', 'failed')),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Each provider event id is processed once.
CREATE TABLE webhook_events (
    id            BIGSERIAL PRIMARY KEY,
    provider      TEXT        NOT NULL,
    event_id      TEXT        NOT NULL,
    event_type    TEXT        NOT NULL,
    payload       JSONB       NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at  TIMESTAMPTZ,
    UNIQUE (provider, event_id)
);

-- Idempotency-Key of mutating billing-api requests, scoped to the caller.
CREATE TABLE idempotency_keys (
    scope            TEXT        NOT NULL,
    idempotency_key  TEXT        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash     TEXT        NOT NULL,
    state            TEXT        NOT NULL CHECK (state IN ('in_flight', 'completed')),
    response_status  INTEGER,
    response_body    TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, idempotency_key),
    CHECK (state = 'in_flight' OR response_status IS NOT NULL)
);

CREATE TABLE audit_logs (
    id               BIGSERIAL PRIMARY KEY,
    occurred_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor            TEXT        NOT NULL,
    organisation_id  UUID,
    action           TEXT        NOT NULL,
    entity_type      TEXT        NOT NULL,
    entity_id        TEXT        NOT NULL,
    before_state     JSONB,
    after_state      JSONB,
    request_id       TEXT
);
CREATE INDEX audit_logs_entity_idx ON audit_logs (entity_type, entity_id);
CREATE INDEX audit_logs_org_idx ON audit_logs (organisation_id, occurred_at);
