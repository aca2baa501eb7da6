package dev.meterbill.billing.error;

/**
 * Razorpay refused a call or could not be reached (502). {@link #outcomeUnknown()} tells whether
 * Razorpay may nevertheless have acted (a timeout after sending), which decides whether the caller
 * may simply retry or must first look the result up.
 */
public final class PaymentProviderException extends BillingException {

    private final boolean outcomeUnknown;

    public PaymentProviderException(String detail, boolean outcomeUnknown, Throwable cause) {
        super(detail, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** True when the request may have reached Razorpay and taken effect (timeout, lost connection, 5xx). */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    @Override public int status() { return 502; }
    @Override public String slug() { return "payment-provider-error"; }
    @Override public String title() { return "The payment provider did not complete the request"; }
}
