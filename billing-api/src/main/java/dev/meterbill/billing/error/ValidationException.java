package dev.meterbill.billing.error;

import dev.meterbill.service.FieldError;
import java.util.List;

/** The request is malformed or breaks a rule on one or more fields (400). */
public final class ValidationException extends BillingException {

    private final List<FieldError> fieldErrors;

    public ValidationException(String detail) {
        this(detail, List.of());
    }

    public ValidationException(String detail, List<FieldError> fieldErrors) {
        super(detail);
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public static ValidationException ofField(String field, String message) {
        return new ValidationException(field + ": " + message, List.of(new FieldError(field, message)));
    }

    @Override public int status() { return 400; }
    @Override public String slug() { return "validation-error"; }
    @Override public String title() { return "The request is not valid"; }
    @Override public List<FieldError> fieldErrors() { return fieldErrors; }
}
