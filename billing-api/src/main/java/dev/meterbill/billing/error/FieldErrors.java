package dev.meterbill.billing.error;

import dev.meterbill.service.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Collects every field error of a request so the caller can fix them all in one round trip. */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public int size() {
        return errors.size();
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws a {@link ValidationException} listing all collected errors, if there are any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1
                    ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid";
            throw new ValidationException(detail, errors);
        }
    }
}
