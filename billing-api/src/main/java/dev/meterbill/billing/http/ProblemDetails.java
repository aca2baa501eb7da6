package dev.meterbill.billing.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meterbill.events.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem document; {@code errors} and {@code requestId} are extension members.
 *
 * @param type     {@code https://meterbill.dev/problems/<slug>}, stable for clients to switch on
 * @param instance the request path the problem occurred on
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetails(String type, String title, int status, String detail, String instance,
                             List<FieldError> errors, String requestId) {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://meterbill.dev/problems/";

    public static String type(String slug) {
        return TYPE_BASE + slug;
    }
}
