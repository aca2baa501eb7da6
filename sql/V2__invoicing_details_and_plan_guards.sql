-- Invoicing details the first schema did not carry, plus database guards that keep pricing
-- plans in use immutable. Applied after V1; V1 is never edited.

-- GST particulars are copied onto the invoice when it is generated, so that a later change of the
-- configuration or of the organisation never alters an existing invoice.
ALTER TABLE invoices
    ADD COLUMN gst_rate_percent         NUMERIC(5,2) NOT NULL DEFAULT 0 CHECK (gst_rate_percent >= 0),
    ADD COLUMN supplier_state_code      CHAR(2)  CHECK (supplier_state_code ~ '^[0-9]{2}$'),
    ADD COLUMN supplier_gstin           CHAR(15) CHECK (supplier_gstin ~ '^[0-9]{2}[A-Z0-9]{13}$'),
    ADD COLUMN customer_state_code      CHAR(2)  CHECK (customer_state_code ~ '^[0-9]{2}$'),
    ADD COLUMN customer_gstin           CHAR(15) CHECK (customer_gstin ~ '^[0-9]{2}[A-Z0-9]{13}$'),
    ADD COLUMN minimum_commitment_minor BIGINT   NOT NULL DEFAULT 0 CHECK (minimum_commitment_minor >= 0);
CREATE INDEX invoices_period_status_idx ON invoices (period, status);
CREATE INDEX invoices_pricing_plan_idx ON invoices (pricing_plan_id);

-- What a line is: usage of a charge, a flat fee, the minimum-commitment top-up, or an adjustment
-- for late usage of an earlier period.
ALTER TABLE invoice_line_items
    ADD COLUMN line_type TEXT NOT NULL DEFAULT 'usage'
        CHECK (line_type IN ('usage', 'flat', 'minimum_commitment', 'adjustment')),
    ADD CHECK ((line_type = 'adjustment') = (adjustment_period IS NOT NULL));

-- The immutability guard of V1, extended to the columns added above.
CREATE OR REPLACE FUNCTION invoices_guard_issued() RETURNS trigger LANGUAGE plpgsql AS $$
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
        OR NEW.gst_rate_percent IS DISTINCT FROM OLD.gst_rate_percent
        OR NEW.supplier_state_code IS DISTINCT FROM OLD.supplier_state_code
        OR NEW.supplier_gstin IS DISTINCT FROM OLD.supplier_gstin
        OR NEW.customer_state_code IS DISTINCT FROM OLD.customer_state_code
        OR NEW.customer_gstin IS DISTINCT FROM OLD.customer_gstin
        OR NEW.minimum_commitment_minor IS DISTINCT FROM OLD.minimum_commitment_minor
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
        OR NEW.due_at IS DISTINCT FROM OLD.due_at
        OR (OLD.razorpay_order_id IS NOT NULL AND NEW.razorpay_order_id IS DISTINCT FROM OLD.razorpay_order_id)
        OR NEW.status = 'draft'
        OR (OLD.status IN ('paid', 'void') AND NEW.status <> OLD.status)
    ) THEN
        RAISE EXCEPTION 'invoice % is %, it cannot be changed', OLD.id, OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- A plan is in use once a subscription or an invoice refers to it; from then on its definition
-- (the plan row, its charges and their tiers) is frozen and changes are new versions.
CREATE INDEX subscriptions_pricing_plan_idx ON subscriptions (pricing_plan_id);

CREATE FUNCTION pricing_plan_in_use(plan_id UUID) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM subscriptions WHERE pricing_plan_id = plan_id)
        OR EXISTS (SELECT 1 FROM invoices WHERE pricing_plan_id = plan_id)
$$;

CREATE FUNCTION pricing_plans_guard_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    plan UUID;
BEGIN
    IF TG_TABLE_NAME = 'pricing_plans' THEN
        plan := OLD.id;
    ELSIF TG_TABLE_NAME = 'plan_charges' THEN
        plan := CASE WHEN TG_OP = 'INSERT' THEN NEW.pricing_plan_id ELSE OLD.pricing_plan_id END;
    ELSE
        SELECT pricing_plan_id INTO plan FROM plan_charges
         WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.charge_id ELSE OLD.charge_id END;
    END IF;
    IF plan IS NOT NULL AND pricing_plan_in_use(plan) THEN
        RAISE EXCEPTION 'pricing plan % is in use, it cannot be changed', plan USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER pricing_plans_guard_in_use BEFORE UPDATE OR DELETE ON pricing_plans
    FOR EACH ROW EXECUTE FUNCTION pricing_plans_guard_in_use();
CREATE TRIGGER plan_charges_guard_in_use BEFORE INSERT OR UPDATE OR DELETE ON plan_charges
    FOR EACH ROW EXECUTE FUNCTION pricing_plans_guard_in_use();
CREATE TRIGGER charge_tiers_guard_in_use BEFORE INSERT OR UPDATE OR DELETE ON charge_tiers
    FOR EACH ROW EXECUTE FUNCTION pricing_plans_guard_in_use();

-- Organisation-level usage views read the day rows of all projects of an organisation.
CREATE INDEX usage_daily_org_day_idx ON usage_daily (organisation_id, day);

-- Expired idempotency keys are deleted by a periodic cleanup.
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
