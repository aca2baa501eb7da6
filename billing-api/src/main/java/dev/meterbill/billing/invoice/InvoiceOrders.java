package dev.meterbill.billing.invoice;

/**
 * Runs after an issued invoice is committed: gives it the payment provider's order (a Razorpay order).
 * It runs after, not inside, the issuing transaction, because the order's receipt is the invoice
 * number and that number must be durable before Razorpay hears of it (docs/billing.md, "Payments").
 */
@FunctionalInterface
public interface InvoiceOrders {

    /**
     * Makes sure the issued invoice has its order and returns the invoice as stored afterwards.
     * Idempotent: calling it again, after a crash or a timeout, never creates a second order.
     */
    Invoice ensureOrder(Invoice invoice, String actor, String requestId);
}
