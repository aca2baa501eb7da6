-- E-invoicing (issue 14): the Invoice Registration Portal's IRN, acknowledgement and signed QR code of an
-- issued invoice. Set once, after the invoice is issued (the IRN comes from the IRP); never changed after.
-- Applied after V7; earlier migrations are never edited.
ALTER TABLE invoices
    ADD COLUMN irn           CHAR(64) UNIQUE CHECK (irn ~ '^[0-9a-f]{64}$'),
    ADD COLUMN irn_ack_no    TEXT,
    ADD COLUMN irn_ack_at    TIMESTAMPTZ,
    ADD COLUMN irn_signed_qr TEXT,
    -- pending: to register (again: the IRP was unavailable); registered; refused (irn_error says why);
    -- cancelled (voided within 24 hours of registration)
    ADD COLUMN irn_status    TEXT CHECK (irn_status IN ('pending', 'registered', 'refused', 'cancelled')),
    ADD COLUMN irn_error     TEXT CHECK (length(irn_error) <= 2000),
    ADD CHECK ((irn IS NULL) = (irn_status IS NULL OR irn_status IN ('pending', 'refused')));
CREATE INDEX invoices_irn_pending_idx ON invoices (issued_at) WHERE irn_status = 'pending';

-- The immutability guard of V7, extended: an IRN, once stored, never changes.
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
        OR NEW.customer_name IS DISTINCT FROM OLD.customer_name
        OR NEW.customer_email IS DISTINCT FROM OLD.customer_email
        OR NEW.customer_address IS DISTINCT FROM OLD.customer_address
        OR NEW.supply_type IS DISTINCT FROM OLD.supply_type
        OR NEW.lut_reference IS DISTINCT FROM OLD.lut_reference
        OR NEW.minimum_commitment_minor IS DISTINCT FROM OLD.minimum_commitment_minor
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
        OR NEW.due_at IS DISTINCT FROM OLD.due_at
        OR (OLD.razorpay_order_id IS NOT NULL AND NEW.razorpay_order_id IS DISTINCT FROM OLD.razorpay_order_id)
        OR (OLD.irn IS NOT NULL AND (NEW.irn IS DISTINCT FROM OLD.irn OR NEW.irn_ack_no IS DISTINCT FROM OLD.irn_ack_no
                                     OR NEW.irn_ack_at IS DISTINCT FROM OLD.irn_ack_at
                                     OR NEW.irn_signed_qr IS DISTINCT FROM OLD.irn_signed_qr))
        OR NEW.status = 'draft'
        OR (OLD.status IN ('paid', 'void') AND NEW.status <> OLD.status)
    ) THEN
        RAISE EXCEPTION 'invoice % is %, it cannot be changed', OLD.id, OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
