package dev.meterbill.billing.payment.razorpay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.db.StorableText;
import dev.meterbill.billing.payment.ProviderOrder;
import dev.meterbill.billing.payment.ProviderPayment;
import dev.meterbill.billing.payment.ProviderRefund;
import dev.meterbill.events.TextRules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads Razorpay entities (orders, payments, refunds), whether the API answered them or a webhook
 * carried them, into the provider records: snake_case fields, amounts as integers in minor units,
 * notes as an object or {@code []}. Whatever the platform may store is held to the rules of its
 * columns here, so that a signed but impossible report is refused with a reason
 * ({@link IllegalArgumentException}) before anything is written, never by the database.
 */
public final class RazorpayJson {

    /** Longest text field read from an entity (ids are about 20 characters, descriptions a sentence). */
    static final int MAX_TEXT_LENGTH = 1000;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private RazorpayJson() {}

    /** An order entity. */
    public static ProviderOrder order(JsonNode order) {
        return new ProviderOrder(text(order, "id"), amount(order, "amount"), text(order, "currency"),
                text(order, "receipt"), text(order, "status"), notes(order));
    }

    /** A payment entity; {@link IllegalArgumentException} when it holds what no payment record can. */
    public static ProviderPayment payment(JsonNode payment) {
        return new ProviderPayment(text(payment, "id"), text(payment, "order_id"), positiveAmount(payment, "amount"),
                currency(payment, "currency"), text(payment, "status"), text(payment, "method"),
                text(payment, "error_description"));
    }

    /** A refund entity; {@link IllegalArgumentException} when it holds what no refund record can. */
    public static ProviderRefund refund(JsonNode refund) {
        return new ProviderRefund(text(refund, "id"), text(refund, "payment_id"), positiveAmount(refund, "amount"),
                currency(refund, "currency"), text(refund, "status"), notes(refund));
    }

    /** A text field, or null when absent; storable text of at most {@value #MAX_TEXT_LENGTH} characters. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw new IllegalArgumentException("Razorpay entity field '" + field + "' is not text");
        }
        String text = value.asText();
        String violation = TextRules.violation(text, MAX_TEXT_LENGTH);
        if (violation != null) {
            throw new IllegalArgumentException("Razorpay entity field '" + field + "' " + violation);
        }
        return text;
    }

    /** A currency code, or null when absent: three capital letters, as the columns require. */
    private static String currency(JsonNode node, String field) {
        String code = text(node, field);
        if (code != null && !CURRENCY.matcher(code).matches()) {
            throw new IllegalArgumentException("Razorpay entity field '" + field + "' is not a currency code: '"
                    + StorableText.of(code, 20) + "'");
        }
        return code;
    }

    /** An amount in minor units; Razorpay never sends fractions, and a malformed one is refused, not rounded. */
    private static long amount(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("Razorpay entity has no whole amount in '" + field + "'");
        }
        return value.longValue();
    }

    /** A payment's or refund's amount: whole and more than zero, as its column requires. */
    private static long positiveAmount(JsonNode node, String field) {
        long amount = amount(node, field);
        if (amount <= 0) {
            throw new IllegalArgumentException("Razorpay entity amount '" + field + "' must be more than zero, was "
                    + amount);
        }
        return amount;
    }

    /** Razorpay renders empty notes as {@code []}; both shapes read as a map. */
    private static Map<String, String> notes(JsonNode node) {
        Map<String, String> notes = new LinkedHashMap<>();
        JsonNode value = node.get("notes");
        if (value != null && value.isObject()) {
            value.fields().forEachRemaining(e -> notes.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        }
        return notes;
    }
}
