package dev.meterbill.razorpay.emulator;

/** An API failure rendered in Razorpay's error format: {@code {"error":{"code","description",...}}}. */
public final class RazorpayApiException extends RuntimeException {

    static final String BAD_REQUEST = "BAD_REQUEST_ERROR";

    private final int status;
    private final String code;
    private final String field;
    private final String reason;

    RazorpayApiException(int status, String code, String description, String field, String reason) {
        super(description);
        this.status = status;
        this.code = code;
        this.field = field;
        this.reason = reason;
    }

    /** Razorpay answers invalid input, unknown ids and illegal state changes with 400 BAD_REQUEST_ERROR. */
    static RazorpayApiException badRequest(String description) {
        return new RazorpayApiException(400, BAD_REQUEST, description, null, "input_validation_failed");
    }

    static RazorpayApiException badField(String field, String description) {
        return new RazorpayApiException(400, BAD_REQUEST, description, field, "input_validation_failed");
    }

    static RazorpayApiException notFound() {
        return badRequest("The id provided does not exist");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
