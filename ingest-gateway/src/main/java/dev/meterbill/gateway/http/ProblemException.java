package dev.meterbill.gateway.http;

import dev.meterbill.service.ProblemDetails;
import dev.meterbill.service.FieldError;
import java.util.List;

/** An answer the gateway gives on purpose; rendered as application/problem+json. */
public sealed class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final Integer retryAfterSeconds;

    private ProblemException(int status, String type, String title, String detail,
                             List<FieldError> errors, Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() { return status; }
    public String type() { return type; }
    public String title() { return title; }
    public List<FieldError> errors() { return errors; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    /** The problem+json body of this answer for the request at {@code instance}. */
    public ProblemDetails toProblem(String instance) {
        return new ProblemDetails(ProblemDetails.type(type), title, status, getMessage(), instance, errors, null);
    }

    /** 400: the request is malformed or a field breaks a rule. */
    public static final class Invalid extends ProblemException {
        public Invalid(String detail, List<FieldError> errors) {
            super(400, "validation-error", "Invalid request", detail, errors, null);
        }
    }

    /** 401: no key, an unknown key or a revoked key. */
    public static final class Unauthorized extends ProblemException {
        public Unauthorized(String detail) {
            super(401, "unauthorized", "Unauthorized", detail, List.of(), null);
        }
    }

    /** 413: the body is larger than the gateway accepts. */
    public static final class TooLarge extends ProblemException {
        public TooLarge(String detail) {
            super(413, "payload-too-large", "Payload too large", detail, List.of(), null);
        }
    }

    /** 415: the body is not JSON. */
    public static final class UnsupportedMediaType extends ProblemException {
        public UnsupportedMediaType(String detail) {
            super(415, "unsupported-media-type", "Unsupported media type", detail, List.of(), null);
        }
    }

    /** 429: the project is over its events-per-second limit. */
    public static final class TooManyRequests extends ProblemException {
        public TooManyRequests(String detail, long retryAfterSeconds) {
            super(429, "rate-limited", "Too many requests", detail, List.of(), (int) retryAfterSeconds);
        }
    }

    /** 503: a dependency (Kafka, the key store) cannot take the request now; nothing was accepted. */
    public static final class Unavailable extends ProblemException {
        public Unavailable(String detail, int retryAfterSeconds) {
            super(503, "unavailable", "Service unavailable", detail, List.of(), retryAfterSeconds);
        }
    }
}
