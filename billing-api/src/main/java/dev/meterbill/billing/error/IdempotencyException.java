package dev.meterbill.billing.error;

/** An Idempotency-Key that cannot be honoured: its request is still running (409) or it was sent with another request (422). */
public final class IdempotencyException extends BillingException {

    private final int status;
    private final String slug;
    private final String title;

    private IdempotencyException(int status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public static IdempotencyException inFlight() {
        return new IdempotencyException(409, "idempotency-key-in-flight", "Request with this Idempotency-Key in progress",
                "A request with this Idempotency-Key is still being processed; retry after it has finished");
    }

    public static IdempotencyException reused() {
        return new IdempotencyException(422, "idempotency-key-reused", "Idempotency-Key reused",
                "This Idempotency-Key was already used with a different request; use a new key for a new request");
    }

    @Override public int status() { return status; }
    @Override public String slug() { return slug; }
    @Override public String title() { return title; }
}
