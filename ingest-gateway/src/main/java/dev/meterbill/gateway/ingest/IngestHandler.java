package dev.meterbill.gateway.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meterbill.events.EventValidator;
import dev.meterbill.service.FieldError;
import dev.meterbill.events.IncomingEvent;
import dev.meterbill.events.JsonLimits;
import dev.meterbill.gateway.apikey.ProjectIdentity;
import dev.meterbill.gateway.http.ProblemException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** HTTP side of ingest: content type, size, JSON parsing, per-field validation, 202 answers. */
public final class IngestHandler {

    public static final int MAX_BATCH_EVENTS = 1_000;
    public static final int MAX_BATCH_BYTES = 1024 * 1024;
    public static final int MAX_SINGLE_BYTES = 64 * 1024;

    // Exact decimals (a producer's 0.1 stays 0.1, never passes through a double), within the parser
    // limits every boundary shares.
    private static final ObjectMapper MAPPER = JsonLimits.applyTo(new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));

    private final IngestService service;
    private final EventValidator validator;
    private final GroupingKeys grouping;

    /** @param grouping the metric definitions' grouping keys; null: grouping values are not checked */
    public IngestHandler(IngestService service, EventValidator validator, GroupingKeys grouping) {
        this.service = service;
        this.validator = validator;
        this.grouping = grouping;
    }

    /** The event's rules plus, for a valid one, its grouping values' length. */
    private EventValidator.Result checked(EventValidator.Result result, String prefix) {
        if (grouping == null || !result.valid()) {
            return result;
        }
        List<EventValidator.Violation> refused = grouping.violations(result.event(), prefix);
        return refused.isEmpty() ? result : new EventValidator.Result(null, refused);
    }

    /**
     * One event, native or a structured CloudEvent, from a body already read: the rules of {@code POST /api/v1/ingest}
     * ({@link SingleEventRoute} serves it).
     */
    IncomingEvent single(String contentType, byte[] bytes) {
        JsonNode body = parse(bytes, MAX_SINGLE_BYTES, 1, false);
        EventValidator.Result result = checked(hasType(contentType, CloudEventMapping.STRUCTURED)
                ? CloudEventMapping.read(body, "", validator) : validator.validate(body, ""), "");
        if (!result.valid()) {
            throw service.rejected("invalid", 1, new ProblemException.Invalid("the event is invalid", fieldErrors(result.errors())));
        }
        return result.event();
    }

    /**
     * {@code POST /api/v1/ingest/batch}: {@code {"events": [...]}} ({@code application/json}) or a JSON array of
     * CloudEvents ({@code application/cloudevents-batch+json}); all or nothing.
     */
    public void batch(Context ctx) {
        ProjectIdentity project = service.authenticate(bearer(ctx.header("Authorization")));
        boolean cloudEvents = hasType(ctx.contentType(), CloudEventMapping.BATCH);
        checkTypeAndLength(ctx.contentType(), ctx.contentLength(), MAX_BATCH_BYTES, MAX_BATCH_EVENTS, CloudEventMapping.BATCH);
        JsonNode body = parse(ctx.bodyAsBytes(), MAX_BATCH_BYTES, MAX_BATCH_EVENTS, cloudEvents);
        JsonNode events = cloudEvents ? body : body.get("events");
        if (events == null || !events.isArray() || events.isEmpty()) {
            throw service.rejected("invalid", 1, new ProblemException.Invalid("the batch is invalid",
                    List.of(new FieldError(cloudEvents ? "body" : "events", "must be a non-empty array"))));
        }
        if (events.size() > MAX_BATCH_EVENTS) {
            throw service.rejected("too_large", events.size(), new ProblemException.TooLarge(
                    "a batch holds at most " + MAX_BATCH_EVENTS + " events, this one has " + events.size()));
        }
        List<IncomingEvent> valid = new ArrayList<>(events.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String prefix = cloudEvents ? "[" + i + "]." : "events[" + i + "].";
            EventValidator.Result r = checked(cloudEvents ? CloudEventMapping.read(events.get(i), prefix, validator)
                    : validator.validate(events.get(i), prefix), prefix);
            if (r.valid()) {
                valid.add(r.event());
            } else {
                errors.addAll(fieldErrors(r.errors()));
            }
        }
        if (!errors.isEmpty()) {
            // all-or-nothing: one bad event refuses the whole batch, naming every bad field
            throw service.rejected("invalid", events.size(), new ProblemException.Invalid(
                    "the batch is invalid; no event of it was accepted", errors));
        }
        List<UUID> ids = service.ingest(project, valid);
        ctx.status(202).json(Map.of("accepted", ids.size(), "eventIds", ids.stream().map(UUID::toString).toList()));
    }

    static boolean hasType(String contentType, String mediaType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(mediaType);
    }

    /** Content-Type application/json or {@code cloudEventsType}, and a declared length (-1: none) within {@code maxBytes}. */
    void checkTypeAndLength(String contentType, long declared, int maxBytes, int eventsForMetrics, String cloudEventsType) {
        if (!hasType(contentType, "application/json") && !hasType(contentType, cloudEventsType)) {
            throw service.rejected("unsupported_media_type", eventsForMetrics, new ProblemException.UnsupportedMediaType(
                    "Content-Type must be application/json or " + cloudEventsType));
        }
        if (declared > maxBytes) {
            throw tooLarge(declared + " bytes", maxBytes, eventsForMetrics);
        }
    }

    /** 413, counted; {@code size} as the body's length is known ("70000 bytes", "over 65536 bytes"). */
    ProblemException tooLarge(String size, int maxBytes, int eventsForMetrics) {
        return service.rejected("too_large", eventsForMetrics,
                new ProblemException.TooLarge("the body is " + size + ", at most " + maxBytes + " bytes are accepted"));
    }

    /** The body, parsed: within {@code maxBytes}, an object (an array when {@code array}). */
    private JsonNode parse(byte[] bytes, int maxBytes, int eventsForMetrics, boolean array) {
        if (bytes.length > maxBytes) {
            throw tooLarge(bytes.length + " bytes", maxBytes, eventsForMetrics);
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (array && (node == null || !node.isArray())) {
                throw new ProblemException.Invalid("the body must be a JSON array of CloudEvents",
                        List.of(new FieldError("body", "must be a JSON array of CloudEvents")));
            }
            if (!array && (node == null || !node.isObject())) {
                throw new ProblemException.Invalid("the body must be a JSON object",
                        List.of(new FieldError("body", "must be a JSON object")));
            }
            return node;
        } catch (IOException e) {
            throw service.rejected("invalid", eventsForMetrics, new ProblemException.Invalid("the body is not valid JSON",
                    List.of(new FieldError("body", "is not valid JSON"))));
        }
    }

    private static List<FieldError> fieldErrors(List<EventValidator.Violation> violations) {
        return violations.stream().map(v -> new FieldError(v.field(), v.message())).toList();
    }

    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
