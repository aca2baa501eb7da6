-- Delivery of tax documents (issue 14): an e-mail outbox, the SAC of plan charges, and links to hosted invoices.
-- The e-mail outbox is written in the transaction that issues an invoice or a credit note, sent by billing-api
-- to the organisation's billing e-mail with the PDF attached, retried with backoff. One row per document: a
-- document is never queued twice. Applied after V7.
CREATE TABLE email_outbox (
    id               UUID PRIMARY KEY,
    organisation_id  UUID        NOT NULL REFERENCES organisations (id),
    document_type    TEXT        NOT NULL CHECK (document_type IN ('invoice', 'credit_note')),
    document_id      UUID        NOT NULL,
    recipient        TEXT        NOT NULL CHECK (recipient ~ '^[^@\s]+@[^@\s]+$'),
    status           TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error       TEXT        CHECK (length(last_error) <= 2000),
    message_id       TEXT,
    sent_at          TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (document_type, document_id),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';

-- A plan's charge may name the services accounting code (SAC) of what it sells; its invoice lines carry it
-- (without one, BILLING_DEFAULT_SAC). Adding a column leaves plans in use as they were.
ALTER TABLE plan_charges ADD COLUMN sac CHAR(6) CHECK (sac ~ '^99[0-9]{4}$');
ALTER TABLE invoice_line_items ADD COLUMN sac CHAR(6) CHECK (sac ~ '^99[0-9]{4}$');

-- The hosted page of an issued invoice, linked from its e-mail: /i/{token}. The token is 32 random bytes
-- (base64url, 43 characters), the only credential the page needs, so it is never derived from the invoice.
CREATE TABLE invoice_links (
    invoice_id  UUID PRIMARY KEY REFERENCES invoices (id),
    token       TEXT        NOT NULL UNIQUE CHECK (token ~ '^[A-Za-z0-9_-]{43}$'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
