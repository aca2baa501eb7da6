package dev.meterbill.billing.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.db.StorableText;
import dev.meterbill.billing.http.Json;
import dev.meterbill.events.TextRules;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * What a verified webhook body says, read without ever failing: the event type, the JSON, whether
 * PostgreSQL can store it as JSONB, and, when the event cannot be applied, why. A body that is not
 * JSON within the mapper's limits, has no event type, or holds a string or name PostgreSQL cannot
 * store ({@code \u0000}, a lone surrogate escape) or a number beyond the mapper's decimal bounds is
 * unprocessable: it is acknowledged and kept as raw bytes, never applied.
 *
 * @param type     the event type, or {@value #UNREADABLE} when there is none that can be stored
 * @param root     the parsed body; null when it is not JSON
 * @param storable true when the body can be stored as JSONB
 * @param problem  why the event cannot be applied; null when it can
 */
record WebhookContent(String type, JsonNode root, boolean storable, String problem) {

    static final String UNREADABLE = "(unreadable)";
    static final int MAX_TYPE_LENGTH = 100;
    private static final int MAX_QUOTE = 200;

    static WebhookContent read(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            return new WebhookContent(UNREADABLE, null, false, "the body is not JSON within the limits of this API: "
                    + StorableText.of(e.getOriginalMessage(), MAX_QUOTE));
        } catch (IOException e) {
            return new WebhookContent(UNREADABLE, null, false, "the body could not be read");
        }
        if (root == null || !root.isObject()) {
            return new WebhookContent(UNREADABLE, null, false, "the body is not a JSON object");
        }
        String unstorable = unstorable(root, "");
        JsonNode event = root.get("event");
        String type = event != null && event.isTextual() && TextRules.violation(event.textValue(), MAX_TYPE_LENGTH) == null
                ? event.textValue() : null;
        if (unstorable != null) {
            return new WebhookContent(type == null ? UNREADABLE : type, root, false, unstorable);
        }
        if (type == null) {
            return new WebhookContent(UNREADABLE, root, true,
                    "the body has no event type (a string of at most " + MAX_TYPE_LENGTH + " characters)");
        }
        return new WebhookContent(type, root, true, null);
    }

    /** The first value or name PostgreSQL could not store, as a JSON pointer with the reason; null when there is none. */
    private static String unstorable(JsonNode node, String pointer) {
        if (node.isTextual()) {
            return TextRules.isStorable(node.textValue()) ? null : at(pointer) + " " + TextRules.UNSTORABLE;
        }
        if (node.isBigDecimal()) {
            BigDecimal value = node.decimalValue();
            return value.precision() <= Json.MAX_DECIMAL_DIGITS && Math.abs((long) value.scale()) <= Json.MAX_DECIMAL_DIGITS
                    ? null : at(pointer) + " is a number beyond " + Json.MAX_DECIMAL_DIGITS + " digits or decimal places";
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = pointer + "/" + field.getKey();
                if (!TextRules.isStorable(field.getKey())) {
                    return "the name " + at(child) + " " + TextRules.UNSTORABLE;
                }
                String problem = unstorable(field.getValue(), child);
                if (problem != null) {
                    return problem;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String problem = unstorable(node.get(i), pointer + "/" + i);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String at(String pointer) {
        return pointer.isEmpty() ? "the body" : StorableText.of(pointer, MAX_QUOTE);
    }
}
