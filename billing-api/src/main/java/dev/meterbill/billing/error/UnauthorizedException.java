package dev.meterbill.billing.error;

/** No credentials, or credentials that match no operator or organisation (401). */
public final class UnauthorizedException extends BillingException {

    public UnauthorizedException(String detail) {
        super(detail);
    }

    @Override public int status() { return 401; }
    @Override public String slug() { return "unauthorized"; }
    @Override public String title() { return "Authentication required"; }
}
