-- Customer lifecycle (issue 13): subscriptions that end and start with a trial, plans priced per
-- organisation, partial payments, TDS, customer credit and credit notes. Applied after V5;
-- earlier migrations are never edited.

-- A subscription ends on ends_on (exclusive: the last day served is the day before) and bills nothing
-- before trial_ends_on (exclusive). Both are days of the organisation's billing timezone.
ALTER TABLE subscriptions
    ADD COLUMN ends_on       DATE,
    ADD COLUMN trial_ends_on DATE,
    ADD CHECK (ends_on IS NULL OR ends_on > starts_on),
    ADD CHECK (trial_ends_on IS NULL OR trial_ends_on > starts_on);
-- A period billed in part reads the usage of its billed days from the daily rows (index usage_daily_org_day_idx).

-- Tiers, free units, packages and volumes apply to the usage of all of an organisation's projects
-- added up ('organisation'), or to each project's usage on its own ('project'). Plans created
-- before this migration priced per project and are immutable once in use: they keep 'project'.
ALTER TABLE pricing_plans ADD COLUMN pricing_scope TEXT NOT NULL DEFAULT 'project'
    CHECK (pricing_scope IN ('organisation', 'project'));
ALTER TABLE pricing_plans ALTER COLUMN pricing_scope SET DEFAULT 'organisation';

-- A line of a charge priced per organisation shows where its usage came from: one entry per project
-- ({"projectId", "projectName", "quantity"}).
ALTER TABLE invoice_line_items ADD COLUMN breakdown JSONB;

-- A discount is its own negative line before GST; every other line stays >= 0.
ALTER TABLE invoice_line_items DROP CONSTRAINT invoice_line_items_line_type_check;
ALTER TABLE invoice_line_items ADD CONSTRAINT invoice_line_items_line_type_check
    CHECK (line_type IN ('usage', 'flat', 'minimum_commitment', 'adjustment', 'discount'));
ALTER TABLE invoice_line_items DROP CONSTRAINT invoice_line_items_amount_minor_check;
ALTER TABLE invoice_line_items DROP CONSTRAINT invoice_line_items_unit_price_check;
ALTER TABLE invoice_line_items ADD CONSTRAINT invoice_line_items_amount_sign_check
    CHECK (CASE WHEN line_type = 'discount' THEN amount_minor <= 0 ELSE amount_minor >= 0 END);
ALTER TABLE invoice_line_items ADD CONSTRAINT invoice_line_items_unit_price_check
    CHECK (line_type = 'discount' OR unit_price >= 0);

-- An invoice is partially paid while captured payments, TDS, credit notes and applied customer credit
-- do not yet cover its total.
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check
    CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'void', 'uncollectible'));
DROP INDEX invoices_issued_unpaid_idx;
CREATE INDEX invoices_issued_unpaid_idx ON invoices (issued_at) WHERE status IN ('issued', 'partially_paid');

-- Income tax the customer deducted at source (TDS) and certifies to us: it counts as paid.
CREATE TABLE invoice_tds (
    id                 UUID PRIMARY KEY,
    invoice_id         UUID         NOT NULL REFERENCES invoices (id),
    section            TEXT         NOT NULL CHECK (section ~ '^[0-9]{3}[A-Z]{0,2}(\([0-9a-z]+\))?$'),
    rate_percent       NUMERIC(5,2) CHECK (rate_percent > 0 AND rate_percent <= 20),
    amount_minor       BIGINT       NOT NULL CHECK (amount_minor > 0),
    certificate_ref    TEXT         CHECK (length(certificate_ref) BETWEEN 1 AND 100),
    recorded_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX invoice_tds_invoice_idx ON invoice_tds (invoice_id);

-- Customer credit (an overpayment) applied to a later invoice of the same organisation.
CREATE TABLE credit_applications (
    id                 UUID PRIMARY KEY,
    organisation_id    UUID        NOT NULL REFERENCES organisations (id),
    invoice_id         UUID        NOT NULL REFERENCES invoices (id),
    amount_minor       BIGINT      NOT NULL CHECK (amount_minor > 0),
    applied_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX credit_applications_org_idx ON credit_applications (organisation_id);
CREATE INDEX credit_applications_invoice_idx ON credit_applications (invoice_id);

-- Credit notes (CGST Act section 34): their own consecutive series per financial year, issued on
-- creation and immutable; GST reversed with the supply type of the invoice they reference.
CREATE TABLE credit_note_number_sequences (
    financial_year   CHAR(7) PRIMARY KEY CHECK (financial_year ~ '^[0-9]{4}-[0-9]{2}$'),
    last_number      BIGINT  NOT NULL CHECK (last_number >= 0)
);

CREATE TABLE credit_notes (
    id                  UUID PRIMARY KEY,
    invoice_id          UUID        NOT NULL REFERENCES invoices (id),
    organisation_id     UUID        NOT NULL REFERENCES organisations (id),
    credit_note_number  VARCHAR(16) NOT NULL UNIQUE,
    reason              TEXT        NOT NULL CHECK (reason IN ('overcharge', 'refund', 'service_issue',
                                                              'discount', 'late_usage_correction', 'other')),
    memo                TEXT        CHECK (length(memo) <= 500),
    currency            CHAR(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    subtotal_minor      BIGINT      NOT NULL CHECK (subtotal_minor >= 0),
    cgst_minor          BIGINT      NOT NULL CHECK (cgst_minor >= 0),
    sgst_minor          BIGINT      NOT NULL CHECK (sgst_minor >= 0),
    igst_minor          BIGINT      NOT NULL CHECK (igst_minor >= 0),
    total_minor         BIGINT      NOT NULL CHECK (total_minor > 0),
    issued_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (total_minor = subtotal_minor + cgst_minor + sgst_minor + igst_minor)
);
CREATE INDEX credit_notes_invoice_idx ON credit_notes (invoice_id);
CREATE INDEX credit_notes_org_idx ON credit_notes (organisation_id);

-- The credit note a refund refers to: named by the refund request, or issued for the part of a processed
-- refund that the customer's credit did not cover.
ALTER TABLE refunds ADD COLUMN credit_note_id UUID REFERENCES credit_notes (id);

CREATE TABLE credit_note_lines (
    id                BIGSERIAL PRIMARY KEY,
    credit_note_id    UUID           NOT NULL REFERENCES credit_notes (id),
    invoice_line_id   BIGINT         REFERENCES invoice_line_items (id),
    description       TEXT           NOT NULL,
    quantity          NUMERIC(50,12),
    amount_minor      BIGINT         NOT NULL CHECK (amount_minor > 0)
);
CREATE INDEX credit_note_lines_note_idx ON credit_note_lines (credit_note_id);

-- Issued credit notes never change: no update, no delete, of the note or of its lines.
CREATE FUNCTION credit_notes_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit notes are immutable once issued' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER credit_notes_immutable BEFORE UPDATE OR DELETE ON credit_notes
    FOR EACH ROW EXECUTE FUNCTION credit_notes_immutable();
CREATE TRIGGER credit_note_lines_immutable BEFORE UPDATE OR DELETE ON credit_note_lines
    FOR EACH ROW EXECUTE FUNCTION credit_notes_immutable();

-- Never more credited than invoiced, whatever the application does: checked when a note is inserted,
-- with the invoice row locked so that concurrent notes of one invoice queue up.
CREATE FUNCTION credit_notes_within_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    invoice_total    BIGINT;
    invoice_subtotal BIGINT;
    invoice_status   TEXT;
    credited         BIGINT;
    credited_taxable BIGINT;
BEGIN
    SELECT total_minor, subtotal_minor, status INTO invoice_total, invoice_subtotal, invoice_status
      FROM invoices WHERE id = NEW.invoice_id FOR UPDATE;
    IF invoice_status IN ('draft', 'void') THEN
        RAISE EXCEPTION 'invoice % is %, it cannot be credited', NEW.invoice_id, invoice_status
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT coalesce(sum(total_minor), 0), coalesce(sum(subtotal_minor), 0) INTO credited, credited_taxable
      FROM credit_notes WHERE invoice_id = NEW.invoice_id;
    IF credited + NEW.total_minor > invoice_total OR credited_taxable + NEW.subtotal_minor > invoice_subtotal THEN
        RAISE EXCEPTION 'credit notes of invoice % would exceed its total', NEW.invoice_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER credit_notes_within_invoice BEFORE INSERT ON credit_notes
    FOR EACH ROW EXECUTE FUNCTION credit_notes_within_invoice();

-- Negotiated prices: an organisation's own unit price or tiers for a charge of its plan, from a period on.
-- Versioned per organisation and charge, never updated: the version in force for a period is the highest
-- whose from_period is not after it; a version without price and tiers goes back to the plan's price.
CREATE TABLE price_overrides (
    id               UUID PRIMARY KEY,
    organisation_id  UUID          NOT NULL REFERENCES organisations (id),
    charge_id        UUID          NOT NULL REFERENCES plan_charges (id),
    version          INTEGER       NOT NULL CHECK (version >= 1),
    from_period      CHAR(7)       NOT NULL CHECK (from_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    unit_price       NUMERIC(20,8) CHECK (unit_price >= 0),
    tiers            JSONB,
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, charge_id, version),
    CHECK (unit_price IS NULL OR tiers IS NULL)
);

-- A code the operator applies to an organisation to grant its discount.
CREATE TABLE coupons (
    id                UUID PRIMARY KEY,
    code              TEXT         NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_-]{3,40}$'),
    kind              TEXT         NOT NULL CHECK (kind IN ('percent', 'fixed')),
    percent           NUMERIC(5,2) CHECK (percent > 0 AND percent <= 100),
    amount_minor      BIGINT       CHECK (amount_minor > 0),
    currency          CHAR(3)      CHECK (currency ~ '^[A-Z]{3}$'),
    duration_periods  INTEGER      CHECK (duration_periods BETWEEN 1 AND 1200),
    max_redemptions   INTEGER      CHECK (max_redemptions >= 1),
    redeem_by         TIMESTAMPTZ,
    times_redeemed    INTEGER      NOT NULL DEFAULT 0 CHECK (times_redeemed >= 0),
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CHECK ((kind = 'percent') = (percent IS NOT NULL)),
    CHECK ((kind = 'fixed') = (amount_minor IS NOT NULL AND currency IS NOT NULL)),
    CHECK (max_redemptions IS NULL OR times_redeemed <= max_redemptions)
);

-- A discount of an organisation's invoices: a percentage or a fixed amount off before GST, each its own
-- negative line, for duration_periods periods from first_period (NULL: forever), until removed.
CREATE TABLE discounts (
    id                UUID PRIMARY KEY,
    organisation_id   UUID         NOT NULL REFERENCES organisations (id),
    coupon_id         UUID         REFERENCES coupons (id),
    description       TEXT         NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    kind              TEXT         NOT NULL CHECK (kind IN ('percent', 'fixed')),
    percent           NUMERIC(5,2) CHECK (percent > 0 AND percent <= 100),
    amount_minor      BIGINT       CHECK (amount_minor > 0),
    first_period      CHAR(7)      NOT NULL CHECK (first_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    duration_periods  INTEGER      CHECK (duration_periods BETWEEN 1 AND 1200),
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    removed_at        TIMESTAMPTZ,
    CHECK ((kind = 'percent') = (percent IS NOT NULL)),
    CHECK ((kind = 'fixed') = (amount_minor IS NOT NULL))
);
CREATE INDEX discounts_org_idx ON discounts (organisation_id) WHERE removed_at IS NULL;
CREATE UNIQUE INDEX discounts_one_per_coupon_idx ON discounts (organisation_id, coupon_id)
    WHERE coupon_id IS NOT NULL AND removed_at IS NULL;

-- Organisations: a structured address (the GST state stays in state_code, the place of supply), and a
-- timezone change that waits for the next period: events from next_timezone_from on are metered in
-- next_timezone, whose first period is next_timezone_period (docs/billing.md, "Changing an organisation").
ALTER TABLE organisations
    ADD COLUMN address_line1        TEXT     CHECK (length(address_line1) BETWEEN 1 AND 2000),
    ADD COLUMN address_line2        TEXT     CHECK (length(address_line2) BETWEEN 1 AND 200),
    ADD COLUMN city                 TEXT     CHECK (length(city) BETWEEN 1 AND 100),
    ADD COLUMN postal_code          TEXT     CHECK (postal_code ~ '^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$'),
    ADD COLUMN country              CHAR(2)  NOT NULL DEFAULT 'IN' CHECK (country ~ '^[A-Z]{2}$'),
    ADD COLUMN next_timezone        TEXT,
    ADD COLUMN next_timezone_period CHAR(7)  CHECK (next_timezone_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    ADD COLUMN next_timezone_from   TIMESTAMPTZ,
    ADD COLUMN updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD CHECK ((next_timezone IS NULL) = (next_timezone_from IS NULL)
               AND (next_timezone IS NULL) = (next_timezone_period IS NULL));
UPDATE organisations SET address_line1 = address WHERE address IS NOT NULL AND length(address) > 0;
ALTER TABLE organisations DROP COLUMN address;
CREATE INDEX organisations_gstin_idx ON organisations (gstin) WHERE gstin IS NOT NULL;
CREATE INDEX organisations_name_idx ON organisations (lower(name));

-- The customer as it was when the invoice was issued: a later change of the organisation never alters an
-- issued invoice (a draft shows the organisation as it is; V7's guard keeps them).
ALTER TABLE invoices
    ADD COLUMN customer_name    TEXT,
    ADD COLUMN customer_email   TEXT,
    ADD COLUMN customer_address JSONB;
