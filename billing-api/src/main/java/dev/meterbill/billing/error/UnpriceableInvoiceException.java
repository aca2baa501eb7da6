package dev.meterbill.billing.error;

/**
 * An organisation's invoice cannot be priced: an amount beyond what a 64-bit integer of minor units
 * holds, a quantity or price wider than its column (422). Invoice runs record it per organisation
 * and go on with the others; a single-organisation generation answers it.
 */
public final class UnpriceableInvoiceException extends BillingException {

    public UnpriceableInvoiceException(String reason) {
        super(reason);
    }

    public UnpriceableInvoiceException(String reason, Throwable cause) {
        super(reason, cause);
    }

    @Override public int status() { return 422; }
    @Override public String slug() { return "invoice-not-priceable"; }
    @Override public String title() { return "The invoice cannot be priced"; }
}
