package dev.meterbill.billing.error;

/**
 * A valid organisation key used on an operator-only operation (403).
 *
 * <p>Only for operations that name no tenant resource: a foreign id is always a
 * {@link NotFoundException}, so that a key never learns whether another tenant's id exists.
 */
public final class ForbiddenException extends BillingException {

    public ForbiddenException(String detail) {
        super(detail);
    }

    @Override public int status() { return 403; }
    @Override public String slug() { return "forbidden"; }
    @Override public String title() { return "Operation not permitted for this key"; }
}
