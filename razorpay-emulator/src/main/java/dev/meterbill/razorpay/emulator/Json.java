package dev.meterbill.razorpay.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON in and out. Bodies are written as UTF-8 bytes with non-ASCII characters left unescaped. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            // amounts must never pass through double: 100.5 is rejected as "not an integer", not rounded
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private Json() {}

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    static void respond(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(bytes(body));
    }

    /** The request body as an object; an empty body is an empty object, as Razorpay treats it. */
    static Map<String, Object> body(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) {
            return new LinkedHashMap<>();
        }
        try {
            Object parsed = MAPPER.readValue(raw, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return MAPPER.convertValue(map, new TypeReference<LinkedHashMap<String, Object>>() {});
            }
        } catch (IOException e) {
            // fall through to the same answer as a non-object body
        }
        throw RazorpayApiException.badRequest("The request body should be a valid JSON object");
    }

    /**
     * An object with its fields in the order given, as alternating names and values. Unlike {@link Map#of} it
     * keeps that order, which is Razorpay's, and takes null values, which Razorpay renders for absent fields.
     */
    static Map<String, Object> object(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return json;
    }

    /** A collection as Razorpay lists them; the SDK reads {@code items} and picks each item's class by {@code entity}. */
    static Map<String, Object> collection(List<Map<String, Object>> items) {
        return object("entity", "collection", "count", items.size(), "items", items);
    }

    /** Razorpay renders empty notes as {@code []}, not {@code {}}: a client must accept both. */
    static Object notes(Map<String, Object> notes) {
        return notes.isEmpty() ? List.of() : new LinkedHashMap<>(notes);
    }

    /** Minor units from a JSON value: integers or digit strings only; decimals are refused, never rounded. */
    static long amount(Object value, String field) {
        BigDecimal number;
        if (value instanceof Number n) {
            number = new BigDecimal(n.toString());
        } else if (value instanceof String s && s.matches("-?\\d{1,18}")) {
            number = new BigDecimal(s);
        } else {
            throw RazorpayApiException.badField(field, "The " + field + " must be an integer.");
        }
        if (number.stripTrailingZeros().scale() > 0) {
            throw RazorpayApiException.badField(field, "The " + field + " must be an integer.");
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw RazorpayApiException.badField(field, "The " + field + " is too large.");
        }
    }
}
