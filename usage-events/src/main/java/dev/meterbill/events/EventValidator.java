package dev.meterbill.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation rules of one usage event as a producer sends it (docs/api.md lists them).
 *
 * <p>The rules live here, not in the gateway, so that the job and the gateway agree on what a
 * valid event is.
 */
public final class EventValidator {

    public static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.:-]{0,127}");
    public static final int MAX_UNIT_LENGTH = 32;
    public static final int MAX_FRACTION_DIGITS = 12;
    /** NUMERIC(38,12) leaves 26 integer digits; a single event may use at most 20 of them. */
    public static final int MAX_INTEGER_DIGITS = 20;
    public static final int MAX_METADATA_BYTES = 4096;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    /**
     * The longest metadata value a metric definition groups by or filters on (docs/metering.md): billing-api refuses a
     * longer filter value, the gateway a longer value of a key some definition groups the event's metric by, and the
     * job keeps one that got past both (an older gateway) under {@code __too_long__}.
     */
    public static final int MAX_GROUPING_VALUE_LENGTH = 128;
    private static final Pattern DECIMAL_TEXT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Clock clock;
    private final Duration maxFuture;
    private final Duration backfillWindow;

    public EventValidator(Clock clock, Duration maxFuture, Duration backfillWindow) {
        this.clock = clock;
        this.maxFuture = maxFuture;
        this.backfillWindow = backfillWindow;
    }

    /** The defaults: 5 minutes into the future, 35 days back. */
    public static EventValidator withDefaults(Clock clock) {
        return new EventValidator(clock, Duration.ofMinutes(5), Duration.ofDays(35));
    }

    /** One broken rule, named by its field, e.g. {@code events[17].timestamp}. */
    public record Violation(String field, String message) {}

    /** Outcome: either {@code event} or a non-empty {@code errors}. */
    public record Result(IncomingEvent event, List<Violation> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * Validates one event.
     *
     * @param prefix field prefix for error names: {@code ""} for a single event, {@code "events[3]."} in a batch
     */
    public Result validate(JsonNode node, String prefix) {
        List<Violation> errors = new ArrayList<>();
        if (node == null || !node.isObject()) {
            errors.add(new Violation(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be a JSON object"));
            return new Result(null, errors);
        }
        String metricName = metricName(node.get("metricName"), prefix, errors);
        BigDecimal value = metricValue(node.get("metricValue"), prefix, errors);
        String unit = unit(node.get("unit"), prefix, errors);
        Instant timestamp = timestamp(node.get("timestamp"), prefix, errors);
        Map<String, Object> metadata = metadata(node.get("metadata"), prefix, errors);
        String key = idempotencyKey(node.get("idempotencyKey"), prefix, errors);
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new IncomingEvent(metricName, value, unit, timestamp, metadata, key), List.of());
    }

    /**
     * Whether {@code text} matches {@link #METRIC_NAME}, without the regex engine: the job checks every event it reads
     * (its matchers were about 6% of the source task). {@code EventValidatorTest} holds the two to the same answers.
     */
    public static boolean isMetricName(String text) {
        int n = text.length();
        if (n == 0 || n > 128 || !isAsciiLetter(text.charAt(0))) { // a letter, then up to 127 more
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = text.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '.' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} is one or more printable ASCII characters ({@code !} to {@code ~}, no space). */
    static boolean isPrintableAscii(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * Applies the same rules to an envelope read from the topic (written by an older gateway, or by
     * anyone with access to the topic): the reason it must not be metered, or null. The time window
     * is not checked here: it depends on the clock at receipt, which the job checks its own way.
     */
    public static String envelopeViolation(UsageEvent event) {
        if (!isMetricName(event.metricName())) {
            return "metricName does not match " + METRIC_NAME.pattern();
        }
        if (event.metricValue().signum() < 0) {
            return "metricValue is negative";
        }
        String value = Decimals.violation(event.metricValue(), MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS);
        if (value != null) {
            return "metricValue " + value;
        }
        String unit = event.unit().isBlank() ? "must not be blank" : TextRules.violation(event.unit(), MAX_UNIT_LENGTH);
        if (unit != null) {
            return "unit " + unit;
        }
        String key = event.idempotencyKey();
        if (key != null && (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH || !isPrintableAscii(key))) {
            return "idempotencyKey must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters";
        }
        String metadata = unstorableText(event.metadata(), "metadata");
        if (metadata != null) {
            return metadata + " " + TextRules.UNSTORABLE;
        }
        return null;
    }

    private static String metricName(JsonNode v, String prefix, List<Violation> errors) {
        if (v == null || !v.isTextual()) {
            errors.add(new Violation(prefix + "metricName", "is required and must be a string"));
            return null;
        }
        if (!isMetricName(v.asText())) {
            errors.add(new Violation(prefix + "metricName",
                    "must start with a letter and contain only letters, digits, '_', '.', ':' or '-', at most 128 characters"));
        }
        return v.asText();
    }

    private static BigDecimal metricValue(JsonNode v, String prefix, List<Violation> errors) {
        String field = prefix + "metricValue";
        BigDecimal value;
        if (v == null || v.isNull()) {
            errors.add(new Violation(field, "is required"));
            return null;
        } else if (v.isNumber()) {
            if (v.isFloatingPointNumber() && !v.isBigDecimal()) {
                // Only reachable if a parser produced a binary float; refuse rather than guess.
                errors.add(new Violation(field, "must be an exact decimal"));
                return null;
            }
            value = v.decimalValue();
        } else if (v.isTextual()) {
            String text = v.asText().trim();
            if (!DECIMAL_TEXT.matcher(text).matches()) {
                errors.add(new Violation(field, "must be a finite decimal number (NaN and Infinity are refused)"));
                return null;
            }
            value = new BigDecimal(text);
        } else {
            errors.add(new Violation(field, "must be a number or a numeric string"));
            return null;
        }
        if (value.signum() < 0) {
            errors.add(new Violation(field, "must not be negative"));
            return null;
        }
        String violation = Decimals.violation(value, MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS);
        if (violation != null) {
            errors.add(new Violation(field, violation));
            return null;
        }
        return Decimals.normalised(value);
    }

    private static String unit(JsonNode v, String prefix, List<Violation> errors) {
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            errors.add(new Violation(prefix + "unit", "is required, 1 to " + MAX_UNIT_LENGTH + " characters"));
            return null;
        }
        String violation = TextRules.violation(v.asText(), MAX_UNIT_LENGTH);
        if (violation != null) {
            errors.add(new Violation(prefix + "unit", violation));
            return null;
        }
        return v.asText();
    }

    private Instant timestamp(JsonNode v, String prefix, List<Violation> errors) {
        String field = prefix + "timestamp";
        if (v == null || !v.isTextual()) {
            errors.add(new Violation(field, "is required: an ISO-8601 date-time with offset"));
            return null;
        }
        Instant t;
        try {
            t = OffsetTimestamps.parse(v.asText());
        } catch (DateTimeParseException e) {
            errors.add(new Violation(field, "must be an ISO-8601 date-time with offset, e.g. 2026-01-15T10:00:00Z"));
            return null;
        }
        Instant now = clock.instant();
        if (t.isAfter(now.plus(maxFuture))) {
            errors.add(new Violation(field, "is more than " + maxFuture.toMinutes() + " minutes in the future"));
            return null;
        }
        if (t.isBefore(now.minus(backfillWindow))) {
            errors.add(new Violation(field, "is older than the backfill window of " + backfillWindow.toDays() + " days"));
            return null;
        }
        return t;
    }

    private static Map<String, Object> metadata(JsonNode v, String prefix, List<Violation> errors) {
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            errors.add(new Violation(prefix + "metadata", "must be a JSON object"));
            return null;
        }
        if (serializedSize(v) > MAX_METADATA_BYTES) {
            errors.add(new Violation(prefix + "metadata", "must be at most " + MAX_METADATA_BYTES + " bytes"));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) decoded(v);
        String unstorable = unstorableText(metadata, prefix + "metadata");
        if (unstorable != null) {
            errors.add(new Violation(unstorable, TextRules.UNSTORABLE));
            return null;
        }
        return metadata;
    }

    /** The length in bytes of {@code node} written as compact JSON, counted without keeping the bytes. */
    private static long serializedSize(JsonNode node) {
        long[] size = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                size[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                size[0] += len;
            }
        };
        try {
            MAPPER.writeValue(counter, node);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree is always writable", e);
        }
        return size[0];
    }

    /**
     * The tree as plain values (LinkedHashMap, ArrayList, String, the node's own Number, Boolean, null): what
     * {@code convertValue(node, Map)} returns, without writing the tree to tokens and reading them back.
     */
    static Object decoded(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), decoded(field.getValue()));
            }
            return fields;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                items.add(decoded(item));
            }
            return items;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : MAPPER.convertValue(node, Object.class);
    }

    /**
     * The path of the first key or string value in {@code value} (metadata as decoded: maps, lists,
     * strings, numbers, booleans) that cannot be stored, or null. It walks the decoded form, so the
     * job checks each event's metadata without building a JSON tree again.
     */
    private static String unstorableText(Object value, String path) {
        if (isStorable(value)) {
            return null; // the common case: no path is built
        }
        if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                if (!isStorable(items.get(i))) {
                    return unstorableText(items.get(i), path + "[" + i + "]");
                }
            }
        }
        if (value instanceof Map<?, ?> fields) {
            for (Map.Entry<?, ?> field : fields.entrySet()) {
                String key = String.valueOf(field.getKey());
                if (!TextRules.isStorable(key)) {
                    return path;
                }
                if (!isStorable(field.getValue())) {
                    return unstorableText(field.getValue(), path + "." + key);
                }
            }
        }
        return path;
    }

    /** Whether every string in {@code value} (a metadata value, list or map, keys included) PostgreSQL can store. */
    private static boolean isStorable(Object value) {
        if (value instanceof String text) {
            return TextRules.isStorable(text);
        }
        if (value instanceof List<?> items) {
            for (Object item : items) {
                if (!isStorable(item)) {
                    return false;
                }
            }
        }
        if (value instanceof Map<?, ?> fields) {
            for (Map.Entry<?, ?> field : fields.entrySet()) {
                if (!TextRules.isStorable(String.valueOf(field.getKey())) || !isStorable(field.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String idempotencyKey(JsonNode v, String prefix, List<Violation> errors) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().length() > MAX_IDEMPOTENCY_KEY_LENGTH || !isPrintableAscii(v.asText())) {
            errors.add(new Violation(prefix + "idempotencyKey",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters without spaces"));
            return null;
        }
        return v.asText();
    }
}
