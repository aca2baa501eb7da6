package dev.meterbill.billing.payment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads Razorpay entities: snake_case fields, amounts as integers in minor units, notes as an object or {@code []}. */
final class RazorpayJson {

    private RazorpayJson() {}

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** An amount in minor units; Razorpay never sends fractions, and a malformed one is refused, not rounded. */
    static long amount(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("Razorpay entity has no whole amount in '" + field + "'");
        }
        return value.longValue();
    }

    /** Razorpay renders empty notes as {@code []}; both shapes read as a map. */
    static Map<String, String> notes(JsonNode node) {
        Map<String, String> notes = new LinkedHashMap<>();
        JsonNode value = node.get("notes");
        if (value != null && value.isObject()) {
            value.fields().forEachRemaining(e -> notes.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        }
        return notes;
    }
}
