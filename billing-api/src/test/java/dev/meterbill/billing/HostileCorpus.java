package dev.meterbill.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hostile values for every kind of field (text PostgreSQL cannot store, over-long text, extreme
 * exponents and precisions, 40-digit and out-of-range integers, out-of-range dates, wrong types),
 * written as raw JSON so that what reaches the server is exactly what is listed, and the helpers that
 * put one of them at one leaf of a valid body.
 */
final class HostileCorpus {

    /** JSON values, as their raw text, for body fields. */
    static final List<String> BODY_VALUES = List.of(
            // text PostgreSQL cannot store as sent
            "\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"", "\"x\\udc00\"", "\"\\ude00\\ud83d\"",
            // text it can: stored exactly as sent when the field accepts it
            "\"\\ud83d\\ude00\"", "\"\u0928\u092e\u0938\u094d\u0924\u0947\"", "\"\u202eRTL\"", "\"'; DROP TABLE invoices;--\"",
            "\"\"", "\"   \"", "\"%00\"", "\"x" + "y".repeat(200) + "\"", "\"" + "z".repeat(2001) + "\"",
            "\"" + "w".repeat(100_001) + "\"",
            // numbers: extreme exponents and precisions, out-of-range and fractional integers
            "1e-20000000", "1e999999", "-1e999999", "\"1e-20000000\"", "\"1e999999\"",
            "1234567890123456789012345678901234567890", "-1", "0", "100.9", "1e2", "0.000000000001",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012.99",
            "1" + "0".repeat(99), "1" + "0".repeat(120),
            // dates and periods beyond any range
            "\"+999999999-01-01\"", "\"-999999999-01-01\"", "\"0000-01-01\"", "\"9999-12-01\"", "\"2026-02-30\"",
            "\"+999999999-01\"", "\"0000-01\"", "\"2026-13\"",
            // wrong types
            "true", "null", "{}", "[]", "[\"a\"]", "{\"a\":1}");

    /** Query parameter values, already URL-encoded. */
    static final List<String> QUERY_VALUES = List.of(
            "%00", "a%00b", "%ED%A0%80", "%F0%9F%98%80", "x".repeat(201), "y".repeat(3000), "", "%20",
            "99999999999999999999", "-1", "1e999999", "+999999999-01", "0000-01", "9999-12", "2026-13",
            "not-a-uuid", "%27%3B%20DROP%20TABLE%20audit_logs%3B--");

    /** Path parameter values, already URL-encoded (a NUL in the path is Jetty's to refuse). */
    static final List<String> PATH_VALUES = List.of(
            "not-a-uuid", "1234567890123456789012345678901234567890", "x".repeat(300),
            "00000000-0000-0000-0000-000000000000", "1-2-3-4-5", "%F0%9F%98%80", "%ED%A0%80",
            "AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA");

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final String MARK = "@@corpus@@";

    private HostileCorpus() {}

    /** A leaf of a body: field names and array indexes from the root. */
    record Leaf(List<Object> steps) {
        /** The path with indexes dropped, e.g. {@code charges[].tiers[].upTo}. */
        String shape() {
            StringBuilder shape = new StringBuilder();
            for (Object step : steps) {
                if (step instanceof Integer) {
                    shape.append("[]");
                } else {
                    shape.append(shape.isEmpty() ? "" : ".").append(step);
                }
            }
            return shape.toString();
        }

        String name() {
            for (int i = steps.size() - 1; i >= 0; i--) {
                if (steps.get(i) instanceof String field) {
                    return field;
                }
            }
            return "";
        }

        @Override
        public String toString() {
            StringBuilder path = new StringBuilder();
            for (Object step : steps) {
                path.append(step instanceof Integer i ? "[" + i + "]" : (path.isEmpty() ? "" : ".") + step);
            }
            return path.toString();
        }

        /** The node at this leaf in {@code root}, or null when it has none. */
        JsonNode in(JsonNode root) {
            JsonNode node = root;
            for (Object step : steps) {
                if (node == null) {
                    return null;
                }
                node = step instanceof Integer i ? node.get(i) : node.get((String) step);
            }
            return node;
        }
    }

    /** Every scalar leaf of a body. */
    static List<Leaf> leaves(JsonNode body) {
        List<Leaf> leaves = new ArrayList<>();
        collect(body, new ArrayList<>(), leaves);
        return leaves;
    }

    private static void collect(JsonNode node, List<Object> steps, List<Leaf> leaves) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                List<Object> next = new ArrayList<>(steps);
                next.add(field.getKey());
                collect(field.getValue(), next, leaves);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> next = new ArrayList<>(steps);
                next.add(i);
                collect(node.get(i), next, leaves);
            }
        } else {
            leaves.add(new Leaf(List.copyOf(steps)));
        }
    }

    /** {@code body} as JSON text with the raw {@code value} at {@code leaf}. */
    static String with(JsonNode body, Leaf leaf, String value) {
        JsonNode copy = body.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < leaf.steps().size() - 1; i++) {
            Object step = leaf.steps().get(i);
            parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
        }
        Object last = leaf.steps().get(leaf.steps().size() - 1);
        if (last instanceof Integer index) {
            ((ArrayNode) parent).set(index, TextNode.valueOf(MARK));
        } else {
            ((ObjectNode) parent).set((String) last, TextNode.valueOf(MARK));
        }
        try {
            return PLAIN.writeValueAsString(copy).replace("\"" + MARK + "\"", value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON value a raw corpus entry stands for. */
    static JsonNode parse(String value) {
        try {
            return PLAIN.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(value, e);
        }
    }

    /** The leaf shapes of a request record, following nested records and lists of records. */
    static Set<String> shapesOf(Class<?> record) {
        Set<String> shapes = new LinkedHashSet<>();
        shapes(record, "", shapes);
        return shapes;
    }

    private static void shapes(Class<?> type, String prefix, Set<String> shapes) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix.isEmpty() ? component.getName() : prefix + "." + component.getName();
            Type generic = component.getGenericType();
            if (component.getType().isRecord()) {
                shapes(component.getType(), name, shapes);
            } else if (generic instanceof ParameterizedType list && list.getActualTypeArguments()[0] instanceof Class<?> c
                    && c.isRecord()) {
                shapes(c, name + "[]", shapes);
            } else if (generic instanceof ParameterizedType list && List.class.equals(list.getRawType())) {
                shapes.add(name + "[]");
            } else {
                shapes.add(name);
            }
        }
    }
}
