package dev.meterbill.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error either service answers; {@code errors}
 * and {@code requestId} are extension members.
 *
 * @param type     {@code https://meterbill.dev/problems/<slug>}, stable for clients to switch on
 * @param instance the request path the problem occurred on
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetails(String type, String title, int status, String detail, String instance,
                             List<FieldError> errors, String requestId) {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://meterbill.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ProblemDetails {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static ProblemDetails of(int status, String slug, String title, String detail, String instance) {
        return new ProblemDetails(type(slug), title, status, detail, instance, List.of(), null);
    }

    public static String type(String slug) {
        return TYPE_BASE + slug;
    }

    /** The document as UTF-8 JSON; never fails (a document that cannot be written is reduced to its type and status). */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException impossible) {
            return ("{\"type\":\"" + type + "\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
