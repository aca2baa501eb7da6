-- One tenant must never stop billing for everyone (issue 11). An invoice generation that fails is
-- recorded per organisation and period instead of failing the run; a Razorpay webhook is kept as
-- the bytes Razorpay signed, so that an event PostgreSQL cannot store as JSONB is still recorded
-- (as unprocessable) instead of failing with a 5xx. Applied after V4; earlier migrations are never edited.

-- A large but priceable quantity (free usage, a zero price) fits its invoice line: the width V4
-- gives the usage sums it is read from.
ALTER TABLE invoice_line_items ALTER COLUMN quantity TYPE NUMERIC(50,12);

-- An organisation whose invoice for a period could not be generated, and why. Runs retry it; the
-- row is resolved (resolved_at, invoice_id) in the transaction that finally generates the invoice.
CREATE TABLE invoice_generation_failures (
    id               UUID PRIMARY KEY,
    organisation_id  UUID        NOT NULL REFERENCES organisations (id),
    period           CHAR(7)     NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    reason           TEXT        NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    attempts         INTEGER     NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    first_failed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_failed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at      TIMESTAMPTZ,
    -- a discarded draft is deleted; its failure history stays
    invoice_id       UUID        REFERENCES invoices (id) ON DELETE SET NULL,
    UNIQUE (organisation_id, period)
);
CREATE INDEX invoice_generation_failures_open_idx ON invoice_generation_failures (period)
    WHERE resolved_at IS NULL;

-- raw_body: the exact bytes the signature covers. payload (JSONB) is kept when PostgreSQL can store
-- it, which it cannot for \u0000, lone surrogate escapes or numbers beyond NUMERIC.
-- unprocessable_reason: why a correctly signed event was acknowledged but not applied.
ALTER TABLE webhook_events
    ADD COLUMN raw_body BYTEA,
    ADD COLUMN unprocessable_reason TEXT CHECK (length(unprocessable_reason) BETWEEN 1 AND 2000),
    ALTER COLUMN payload DROP NOT NULL,
    ADD CHECK (payload IS NOT NULL OR raw_body IS NOT NULL);
CREATE INDEX webhook_events_unprocessable_idx ON webhook_events (id) WHERE unprocessable_reason IS NOT NULL;
