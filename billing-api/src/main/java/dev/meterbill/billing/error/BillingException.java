package dev.meterbill.billing.error;

import dev.meterbill.service.FieldError;
import java.util.List;

/**
 * The failures a caller can act on; one exception mapper renders each as problem+json.
 *
 * <p>Each kind carries its HTTP status and the stable slug of its problem type, so services stay
 * free of any web framework while the mapping stays in one place per kind.
 */
public abstract sealed class BillingException extends RuntimeException
        permits ValidationException, UnauthorizedException, ForbiddenException, NotFoundException,
                ConflictException, UnavailableException, IdempotencyException, PaymentProviderException,
                InvalidSignatureException, PaymentsDisabledException, UnpriceableInvoiceException {

    protected BillingException(String detail) {
        super(detail);
    }

    protected BillingException(String detail, Throwable cause) {
        super(detail, cause);
    }

    /** HTTP status of the problem. */
    public abstract int status();

    /** Last path segment of the problem type URI, stable across releases. */
    public abstract String slug();

    /** Short human summary that does not change between occurrences. */
    public abstract String title();

    /** Field-level errors; empty unless the problem is about specific request fields. */
    public List<FieldError> fieldErrors() {
        return List.of();
    }
}
