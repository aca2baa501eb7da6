package dev.meterbill.billing.error;

/** The resource does not exist or belongs to another tenant; the two are indistinguishable (404). */
public final class NotFoundException extends BillingException {

    public NotFoundException(String detail) {
        super(detail);
    }

    public static NotFoundException of(String entity, Object id) {
        return new NotFoundException(entity + " " + id + " was not found");
    }

    @Override public int status() { return 404; }
    @Override public String slug() { return "not-found"; }
    @Override public String title() { return "Resource not found"; }
}
