package dev.meterbill.billing.invoice;

/**
 * Registers an issued invoice at the tax authority's Invoice Registration Portal (e-invoicing), after the
 * issue committed, like its payment order ({@link InvoiceOrders}): the document number must be durable
 * before the IRP hears of it. Idempotent, and never a second IRN.
 */
public interface InvoiceRegistrations {

    /** Registers the invoice if e-invoicing applies to it and it has no IRN yet; the invoice as stored afterwards. */
    Invoice ensureRegistered(Invoice invoice, String actor, String requestId);

    /** Cancels the IRN of an invoice being voided, within the IRP's 24 hours; false when it could not be. */
    boolean cancel(Invoice invoice, String actor, String requestId);

    /** Without e-invoicing. */
    InvoiceRegistrations NONE = new InvoiceRegistrations() {
        @Override
        public Invoice ensureRegistered(Invoice invoice, String actor, String requestId) {
            return invoice;
        }

        @Override
        public boolean cancel(Invoice invoice, String actor, String requestId) {
            return false;
        }
    };
}
