-- The tax invoice as a document (issue 14): the kind of supply GST was computed for and the Letter of
-- Undertaking an export was supplied under, copied onto the invoice when it is generated; its registration
-- at the Invoice Registration Portal (e-invoicing); and an immutability guard that covers every column.
-- Applied after V6; earlier migrations are never edited.

-- intra_state (CGST + SGST), inter_state (IGST), export_under_lut (zero-rated, no IGST) or
-- export_with_igst. NULL on invoices generated before V7: their supply follows from the state codes.
ALTER TABLE invoices
    ADD COLUMN supply_type   TEXT CHECK (supply_type IN ('intra_state', 'inter_state', 'export_under_lut',
                                                          'export_with_igst')),
    ADD COLUMN lut_reference TEXT CHECK (length(lut_reference) BETWEEN 1 AND 100),
    ADD CHECK (supply_type IS DISTINCT FROM 'export_under_lut' OR (lut_reference IS NOT NULL AND cgst_minor = 0
                                                                  AND sgst_minor = 0 AND igst_minor = 0));

-- E-invoicing: the IRN, acknowledgement and signed QR code of an issued invoice, set once after the issue
-- (the IRN comes from the IRP) and never changed after.
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

-- An issued invoice is immutable in every column but those listed here: its status moving forward, when it
-- was paid or voided, and references attached once (the payment order, the e-invoice registration). The
-- earlier versions of this guard (V1, V2) listed the frozen columns, so each new column had to be added to
-- them; this one freezes whatever is not listed, new columns included.
CREATE OR REPLACE FUNCTION invoices_guard_issued() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mutable CONSTANT text[] := ARRAY['status', 'paid_at', 'voided_at', 'razorpay_order_id', 'irn_status',
                                     'irn_error', 'irn', 'irn_ack_no', 'irn_ack_at', 'irn_signed_qr'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'invoice % is %, it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
           (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable)
        OR (OLD.razorpay_order_id IS NOT NULL AND NEW.razorpay_order_id IS DISTINCT FROM OLD.razorpay_order_id)
        OR (OLD.irn IS NOT NULL AND (NEW.irn, NEW.irn_ack_no, NEW.irn_ack_at, NEW.irn_signed_qr)
                                    IS DISTINCT FROM (OLD.irn, OLD.irn_ack_no, OLD.irn_ack_at, OLD.irn_signed_qr))
        OR NEW.status = 'draft'
        OR (OLD.status IN ('paid', 'void') AND NEW.status <> OLD.status)
    ) THEN
        RAISE EXCEPTION 'invoice % is %, it cannot be changed', OLD.id, OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
