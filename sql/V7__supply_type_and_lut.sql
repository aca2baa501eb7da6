-- The tax invoice as a document (issue 14): the kind of supply GST was computed for, and the Letter of
-- Undertaking an export was supplied under, copied onto the invoice when it is generated. Applied after
-- V6; earlier migrations are never edited.

-- intra_state (CGST + SGST), inter_state (IGST), export_under_lut (zero-rated, no IGST) or
-- export_with_igst. NULL on invoices generated before V7: their supply follows from the state codes.
ALTER TABLE invoices
    ADD COLUMN supply_type   TEXT CHECK (supply_type IN ('intra_state', 'inter_state', 'export_under_lut',
                                                          'export_with_igst')),
    ADD COLUMN lut_reference TEXT CHECK (length(lut_reference) BETWEEN 1 AND 100),
    ADD CHECK (supply_type IS DISTINCT FROM 'export_under_lut' OR (lut_reference IS NOT NULL AND cgst_minor = 0
                                                                  AND sgst_minor = 0 AND igst_minor = 0));

-- The immutability guard of V6, extended to the columns above.
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
        OR NEW.status = 'draft'
        OR (OLD.status IN ('paid', 'void') AND NEW.status <> OLD.status)
    ) THEN
        RAISE EXCEPTION 'invoice % is %, it cannot be changed', OLD.id, OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
