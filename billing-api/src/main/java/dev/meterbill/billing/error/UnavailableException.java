package dev.meterbill.billing.error;

/** A dependency (the database) cannot be reached right now; retrying later may succeed (503). */
public final class UnavailableException extends BillingException {

    public UnavailableException(String detail, Throwable cause) {
        super(detail, cause);
    }

    @Override public int status() { return 503; }
    @Override public String slug() { return "unavailable"; }
    @Override public String title() { return "Service temporarily unavailable"; }
}
