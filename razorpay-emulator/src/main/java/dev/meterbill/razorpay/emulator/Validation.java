package dev.meterbill.razorpay.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Request checks shared by the REST handlers, with Razorpay's wording where its documentation gives it. */
final class Validation {

    static final int MAX_NOTES = 15;
    static final int MAX_NOTE_LENGTH = 256;

    private Validation() {}

    /** Razorpay refuses fields it does not know rather than ignoring them. */
    static void onlyKnownFields(Map<String, Object> body, Set<String> known) {
        List<String> extra = body.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
        if (!extra.isEmpty()) {
            throw new RazorpayApiException(400, RazorpayApiException.BAD_REQUEST,
                    String.join(", ", extra) + " is/are not required and should not be sent", extra.get(0),
                    "extra_field_sent");
        }
    }

    static long requiredAmount(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            throw RazorpayApiException.badField(field, field + ": is required.");
        }
        return Json.amount(value, field);
    }

    static String requiredString(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            throw RazorpayApiException.badField(field, field + ": is required.");
        }
        return string(value, field);
    }

    static String optionalString(Map<String, Object> body, String field) {
        Object value = body.get(field);
        return value == null ? null : string(value, field);
    }

    static String currency(Map<String, Object> body) {
        String currency = requiredString(body, "currency");
        if (!currency.matches("[A-Z]{3}")) {
            throw RazorpayApiException.badField("currency", "The currency must be a 3-letter ISO 4217 code.");
        }
        return currency;
    }

    /** Notes: an object of at most 15 keys with short scalar values; {@code []} counts as no notes. */
    static Map<String, Object> notes(Map<String, Object> body) {
        Object value = body.get("notes");
        if (value == null || (value instanceof List<?> list && list.isEmpty())) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw RazorpayApiException.badField("notes", "notes should be an object");
        }
        if (map.size() > MAX_NOTES) {
            throw RazorpayApiException.badField("notes", "Number of fields in notes should be less than or equal to 15");
        }
        Map<String, Object> notes = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw RazorpayApiException.badField("notes", "notes values should be strings or numbers");
            }
            if (v != null && v.toString().length() > MAX_NOTE_LENGTH) {
                throw RazorpayApiException.badField("notes", "notes values may not be greater than 256 characters");
            }
            notes.put(String.valueOf(k), v);
        });
        return notes;
    }

    static Boolean optionalBoolean(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        if ("1".equals(value.toString()) || "true".equals(value.toString())) {
            return true;
        }
        if ("0".equals(value.toString()) || "false".equals(value.toString())) {
            return false;
        }
        throw RazorpayApiException.badField(field, "The " + field + " field must be true or false.");
    }

    static int queryInt(String value, String field, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw RazorpayApiException.badField(field, "The " + field + " must be an integer.");
        }
        if (parsed < min || parsed > max) {
            throw RazorpayApiException.badField(field, "The " + field + " must be between " + min + " and " + max + ".");
        }
        return parsed;
    }

    static Long queryEpoch(String value, String field) {
        return value == null || value.isBlank() ? null : (long) queryInt(value, field, 0, 0, Integer.MAX_VALUE);
    }

    private static String string(Object value, String field) {
        if (!(value instanceof String s)) {
            throw RazorpayApiException.badField(field, "expected string but provided " + value);
        }
        return s;
    }
}
