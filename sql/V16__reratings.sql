-- Issue 18: re-ratings of a closed billing period from the raw-event archive. The computation (./billing rerate, a
-- Flink batch job) writes its totals into a schema of its own (schema_name), never into the live tables; billing-api
-- shows the difference and, on the operator's confirmation, applies it: replaces the totals of a period not yet
-- invoiced, or issues a credit note or adjustment for an invoiced one.
CREATE TABLE reratings (
    id               UUID        PRIMARY KEY,
    organisation_id  UUID        NOT NULL REFERENCES organisations (id),
    period           CHAR(7)     NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    schema_name      TEXT        NOT NULL UNIQUE CHECK (schema_name ~ '^rerate_[a-z0-9_]{1,50}$'),
    status           TEXT        NOT NULL CHECK (status IN ('running', 'computed', 'failed', 'applied', 'superseded')),
    archive_files    INTEGER,
    error            TEXT,
    outcome          JSONB,
    started_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at      TIMESTAMPTZ,
    applied_at       TIMESTAMPTZ
);
-- two re-ratings of one period never run at once
CREATE UNIQUE INDEX reratings_one_running ON reratings (organisation_id, period) WHERE status = 'running';
CREATE INDEX reratings_org_idx ON reratings (organisation_id, period, started_at);

-- The period's late events (kept apart from its totals by the live job) that a re-rating's totals include: applying
-- the re-rating moves them into the totals, so they are not billed again as adjustments.
CREATE TABLE rerating_late_events (
    rerating_id  UUID NOT NULL REFERENCES reratings (id) ON DELETE CASCADE,
    event_id     UUID NOT NULL,
    PRIMARY KEY (rerating_id, event_id)
);

-- Applying a re-rating moves the late events it includes into the period's totals: they are no longer pending
-- adjustments, nor part of the baseline later adjustments are priced against.
ALTER TABLE late_usage_events ADD COLUMN absorbed_by_rerating_id UUID REFERENCES reratings (id);

-- A credit note a re-rating issues (an invoiced period re-priced lower).
ALTER TABLE credit_notes DROP CONSTRAINT credit_notes_reason_check;
ALTER TABLE credit_notes ADD CONSTRAINT credit_notes_reason_check
    CHECK (reason IN ('overcharge', 'refund', 'service_issue', 'discount', 'late_usage_correction', 'other', 'rerating'));

-- A re-rating that prices an invoiced period higher: the difference waits here and is billed as an adjustment line on
-- the organisation's next invoice, as late usage is.
CREATE TABLE rerating_adjustments (
    rerating_id             UUID        PRIMARY KEY REFERENCES reratings (id),
    organisation_id         UUID        NOT NULL REFERENCES organisations (id),
    period                  CHAR(7)     NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    amount_minor            BIGINT      NOT NULL CHECK (amount_minor > 0),
    description             TEXT        NOT NULL,
    adjusted_on_invoice_id  UUID        REFERENCES invoices (id),
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rerating_adjustments_pending_idx ON rerating_adjustments (organisation_id) WHERE adjusted_on_invoice_id IS NULL;
