-- Razorpay payments: what V1's payments, refunds and webhook_events tables did not carry, plus
-- database guards that keep payment and refund states moving forward only. Applied after V2.

-- provisional: only the checkout callback has vouched for the payment so far (its signature proves the
-- pairing of order and payment, not the amount); amount and currency are the order's until a webhook or
-- the reconciliation brings Razorpay's own figures.
-- mismatch_reason: a captured payment that did not settle its invoice (amount or currency differs, or the
-- invoice was already paid or void). The money is recorded; the invoice is not marked paid.
ALTER TABLE payments
    ADD COLUMN provisional     BOOLEAN     NOT NULL DEFAULT false,
    ADD COLUMN mismatch_reason TEXT,
    ADD COLUMN captured_at     TIMESTAMPTZ,
    ADD CHECK (status <> 'captured' OR captured_at IS NOT NULL),
    ADD CHECK (NOT (provisional AND status IN ('captured', 'failed')));
CREATE INDEX payments_order_idx ON payments (razorpay_order_id);

-- A refund row is written before Razorpay is asked (status pending, no Razorpay id yet), so an answer
-- lost in a timeout or crash is found again by its id in the refund's notes.
-- request_key: a hash of the caller and its Idempotency-Key, so a refund request retried after its
-- answer was lost finds its refund instead of refunding twice.
ALTER TABLE refunds
    ADD COLUMN currency       CHAR(3) CHECK (currency ~ '^[A-Z]{3}$'),
    ADD COLUMN reason         TEXT    CHECK (length(reason) <= 500),
    ADD COLUMN failure_reason TEXT,
    ADD COLUMN request_key    TEXT    UNIQUE;
CREATE INDEX refunds_payment_idx ON refunds (payment_id);
CREATE INDEX refunds_pending_idx ON refunds (created_at) WHERE status = 'pending';

-- What processing an event did (applied, duplicate payload for an unknown order, ignored type...).
ALTER TABLE webhook_events ADD COLUMN outcome TEXT;

-- The reconciliation looks for invoices issued and still unpaid.
CREATE INDEX invoices_issued_unpaid_idx ON invoices (issued_at) WHERE status = 'issued';

-- Payment states only move forward: created < failed < authorized < captured. A failed payment may
-- still be authorized and captured (late authorisation); a captured one never goes back. Razorpay's
-- figures are fixed once confirmed: amount, currency, order and invoice change only while provisional.
CREATE FUNCTION payment_status_rank(status TEXT) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status WHEN 'created' THEN 0 WHEN 'failed' THEN 1 WHEN 'authorized' THEN 2 WHEN 'captured' THEN 3 END
$$;

CREATE FUNCTION payments_guard_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'payment % cannot be deleted', OLD.razorpay_payment_id USING ERRCODE = 'check_violation';
    END IF;
    IF payment_status_rank(NEW.status) < payment_status_rank(OLD.status)
       OR NEW.razorpay_payment_id IS DISTINCT FROM OLD.razorpay_payment_id
       OR (NOT OLD.provisional AND (NEW.amount_minor IS DISTINCT FROM OLD.amount_minor
                                    OR NEW.currency IS DISTINCT FROM OLD.currency
                                    OR NEW.razorpay_order_id IS DISTINCT FROM OLD.razorpay_order_id
                                    OR NEW.invoice_id IS DISTINCT FROM OLD.invoice_id
                                    OR NEW.provisional))
       OR NEW.refunded_minor < OLD.refunded_minor THEN
        RAISE EXCEPTION 'payment % cannot move from % to %', OLD.razorpay_payment_id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER payments_guard_forward BEFORE UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_guard_forward();

-- Refunds: pending -> processed | failed; a processed refund is final, and so is its amount.
CREATE FUNCTION refunds_guard_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'refund % cannot be deleted', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF (OLD.status = 'processed' AND NEW.status <> 'processed')
       OR (OLD.status = 'failed' AND NEW.status = 'pending')
       OR NEW.payment_id IS DISTINCT FROM OLD.payment_id
       OR NEW.amount_minor IS DISTINCT FROM OLD.amount_minor
       OR (OLD.razorpay_refund_id IS NOT NULL AND NEW.razorpay_refund_id IS DISTINCT FROM OLD.razorpay_refund_id) THEN
        RAISE EXCEPTION 'refund % cannot move from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER refunds_guard_forward BEFORE UPDATE OR DELETE ON refunds
    FOR EACH ROW EXECUTE FUNCTION refunds_guard_forward();
