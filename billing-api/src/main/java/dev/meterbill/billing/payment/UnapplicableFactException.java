package dev.meterbill.billing.payment;

/**
 * A report from Razorpay the ledger cannot apply without breaking its own records: a refund beyond
 * what its payment captured, a payment reported under another order than the one it was recorded
 * with. Nothing of it is written; the webhook path records the event as unprocessable for the operator.
 */
public final class UnapplicableFactException extends RuntimeException {

    public UnapplicableFactException(String reason) {
        super(reason);
    }
}
