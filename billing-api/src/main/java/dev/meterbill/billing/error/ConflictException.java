package dev.meterbill.billing.error;

/** The request clashes with the current state, e.g. a unique name already taken (409). */
public final class ConflictException extends BillingException {

    private final String constraint;

    public ConflictException(String detail) {
        this(detail, null, null);
    }

    /** A conflict raised by a database constraint, so a service can recognise and reword it. */
    public ConflictException(String detail, String constraint, Throwable cause) {
        super(detail, cause);
        this.constraint = constraint;
    }

    /** Name of the violated database constraint, or null when the conflict was detected in code. */
    public String constraint() {
        return constraint;
    }

    @Override public int status() { return 409; }
    @Override public String slug() { return "conflict"; }
    @Override public String title() { return "The request conflicts with the current state"; }
}
