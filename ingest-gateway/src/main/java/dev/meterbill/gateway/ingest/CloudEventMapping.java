package dev.meterbill.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterbill.events.EventValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CloudEvents 1.0 event in the JSON event format, read as one usage event (docs/api.md, "CloudEvents"):
 * {@code id} is the idempotency key, {@code time} the timestamp, the extension attribute {@code metric} (or else
 * {@code subject}) the metric name, and {@code data} an object holding {@code value}, {@code unit} and optional
 * {@code metadata}. The event is checked by the same {@link EventValidator} as the native format, and every
 * violation is named by the CloudEvents attribute it came from ({@code time}, {@code data.value}, {@code [3].id} in
 * a batch), so a producer sees what to fix in its own terms.
 *
 * <p>The CloudEvents Java SDK's JSON format was left for this: it reads data as bytes (a second parse, and no exact
 * decimals), stops at the first missing attribute with a message rather than a field, and has no batch reader. The
 * gateway's tests produce their events with the SDK, so what it writes is what the gateway reads.
 */
final class CloudEventMapping {

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";
    static final String SPEC_VERSION = "1.0";
    /** Where each native field comes from, for the errors. */
    private static final Map<String, String> ATTRIBUTE = Map.of("metricValue", "data.value", "unit", "data.unit",
            "timestamp", "time", "metadata", "data.metadata", "idempotencyKey", "id");

    private CloudEventMapping() {}

    /**
     * The event, or the violations named by attribute with {@code prefix} ({@code ""} for one event, {@code "[3]."}
     * in a batch).
     */
    static EventValidator.Result read(JsonNode ce, String prefix, EventValidator validator) {
        List<EventValidator.Violation> errors = new ArrayList<>();
        if (ce == null || !ce.isObject()) {
            errors.add(new EventValidator.Violation(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be a CloudEvent: a JSON object"));
            return new EventValidator.Result(null, errors);
        }
        if (!SPEC_VERSION.equals(text(ce, "specversion"))) {
            errors.add(new EventValidator.Violation(prefix + "specversion", "is required and must be \"1.0\""));
        }
        for (String required : List.of("id", "source", "type")) {
            String value = text(ce, required);
            if (value == null || value.isEmpty()) {
                errors.add(new EventValidator.Violation(prefix + required, "is required: a non-empty string"));
            }
        }
        String contentType = text(ce, "datacontenttype");
        if (ce.has("datacontenttype") && (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json"))) {
            errors.add(new EventValidator.Violation(prefix + "datacontenttype", "must be application/json when given"));
        }
        if (ce.has("data_base64")) {
            errors.add(new EventValidator.Violation(prefix + "data_base64",
                    "binary data is not accepted: send data as a JSON object"));
        }
        JsonNode data = ce.get("data");
        if (data == null || !data.isObject()) {
            errors.add(new EventValidator.Violation(prefix + "data",
                    "is required: an object with value, unit and optional metadata"));
        }
        String metricAttribute = ce.has("metric") ? "metric" : "subject";
        if (!ce.has("metric") && !ce.has("subject")) {
            errors.add(new EventValidator.Violation(prefix + "subject",
                    "is required (or the extension attribute metric): the metric name"));
        }
        ObjectNode nativeEvent = JsonNodeFactory.instance.objectNode();
        putIfPresent(nativeEvent, "metricName", ce.get(metricAttribute));
        putIfPresent(nativeEvent, "timestamp", ce.get("time"));
        putIfPresent(nativeEvent, "idempotencyKey", ce.get("id"));
        if (data != null && data.isObject()) {
            putIfPresent(nativeEvent, "metricValue", data.get("value"));
            putIfPresent(nativeEvent, "unit", data.get("unit"));
            putIfPresent(nativeEvent, "metadata", data.get("metadata"));
        }
        EventValidator.Result result = validator.validate(nativeEvent, "");
        for (EventValidator.Violation v : result.errors()) {
            String attribute = renamed(v.field(), metricAttribute);
            // the attributes reported above (a missing id, data or metric name) are not repeated
            if (errors.stream().noneMatch(e -> e.field().equals(prefix + attribute)
                    || attribute.startsWith("data.") && e.field().equals(prefix + "data"))) {
                errors.add(new EventValidator.Violation(prefix + attribute, v.message()));
            }
        }
        return errors.isEmpty() ? result : new EventValidator.Result(null, errors);
    }

    /** A native field's name as the CloudEvents attribute it came from: metadata.region is data.metadata.region. */
    private static String renamed(String field, String metricAttribute) {
        if (field.equals("metricName")) {
            return metricAttribute;
        }
        int dot = field.indexOf('.');
        String head = dot < 0 ? field : field.substring(0, dot);
        String attribute = ATTRIBUTE.get(head);
        return attribute == null ? field : attribute + (dot < 0 ? "" : field.substring(dot));
    }

    private static void putIfPresent(ObjectNode target, String field, JsonNode value) {
        if (value != null && !value.isNull()) {
            target.set(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
