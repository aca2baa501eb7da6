package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.gateway.testutils.GatewayFixture;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.RawHttp;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile corpus applied to every field of an event, on the single and the batch route: the
 * gateway never answers 5xx, every refusal is a problem document, and an event it accepts is on the
 * topic exactly as it was sent. Then the requests Jetty answers on its own.
 */
class GatewayHostileInputIT {

    @RegisterExtension
    static final GatewayFixture fx = new GatewayFixture();
    private static HttpTestClient api;
    private static int port;
    private static GatewayFixture.Project project;

    /** JSON literals that break a text field: NUL, lone surrogates, lengths, types. */
    private static final List<String> TEXTS = List.of(
            "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"x\\ud83d\"", "\"\\ud83d\\ude00\"",
            "\"₹ lakh\"", "\"\"", "\" \"", "\"" + "a".repeat(129) + "\"", "\"" + "a".repeat(20_000) + "\"",
            "1", "true", "null", "{}", "[]", "1e-20000000");
    /** JSON literals that break a number field: exponents, precisions, lengths, signs, types. */
    private static final List<String> NUMBERS = List.of(
            "1e-20000000", "1e20000000", "-1e-20000000", "0E-999999", "0E+999999", "1e400", "-1",
            "99999999999999999999", "99999999999999999999.999999999999", "100000000000000000000",
            "0.000000000001", "0.0000000000001", "1" + "0".repeat(39), "1" + "0".repeat(150), "1.5e3",
            "\"1e-20000000\"", "\"1e9999\"", "\"NaN\"", "\"Infinity\"", "\"12abc\"", "\"\\u0000\"",
            "true", "null", "{}", "[1]");
    private static final List<String> TIMESTAMPS = List.of(
            "\"+999999999-01-01T00:00:00Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"",
            "\"2026-01-01T00:00:00\"", "\"" + "9".repeat(10_000) + "\"", "\"\\u0000\"", "1700000000", "null");
    private static final List<String> METADATA = List.of(
            "{\"k\":\"\\u0000\"}", "{\"\\u0000\":\"v\"}", "{\"k\":\"\\ud800\"}", "{\"\\udfff\":1}",
            "{\"k\":[\"ok\",\"\\u0000\"]}", "{\"k\":{\"deep\":\"\\ud800\"}}", nested(100), nested(10),
            "{\"k\":\"" + "v".repeat(5_000) + "\"}", "{\"k\":1e-20000000}", "{\"k\":\"😀\"}", "[]", "\"x\"");

    @BeforeAll
    static void start() {
        port = fx.startGateway(1_000_000).port();
        api = new HttpTestClient(port);
        project = fx.newProject();
    }

    /** Every (field, hostile value) pair. */
    static List<Map.Entry<String, String>> cases() {
        Map<String, List<String>> corpus = new LinkedHashMap<>();
        corpus.put("metricName", TEXTS);
        corpus.put("unit", TEXTS);
        corpus.put("idempotencyKey", TEXTS);
        corpus.put("metricValue", NUMBERS);
        corpus.put("timestamp", TIMESTAMPS);
        corpus.put("metadata", METADATA);
        List<Map.Entry<String, String>> cases = new ArrayList<>();
        corpus.forEach((field, values) -> values.forEach(v -> cases.add(Map.entry(field, v))));
        return cases;
    }

    @Test
    void aHostileFieldIsRefusedWithAProblemOrStoredExactlyAsSent() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        Map<UUID, String> accepted = new LinkedHashMap<>();
        List<String> refusedKeys = new ArrayList<>();
        for (Map.Entry<String, String> hostile : cases()) {
            String name = hostile.getKey() + " = " + abbreviated(hostile.getValue());
            String key = "hostile-" + UUID.randomUUID();
            String single = event(hostile.getKey(), hostile.getValue(), key);
            HttpTestClient.Response one = post("/api/v1/ingest", single);
            softly.assertThat(one.status()).as(name + ": " + one.body()).isIn(202, 400, 413);
            if (one.status() == 202) {
                accepted.put(UUID.fromString(one.json().get("eventId").asText()), single);
            } else {
                softly.assertThat(one.contentType()).as(name).startsWith("application/problem+json");
                refusedKeys.add(key);
            }

            String batchKey = "hostile-batch-" + UUID.randomUUID();
            HttpTestClient.Response many = post("/api/v1/ingest/batch", "{\"events\":["
                    + event("unit", "\"count\"", batchKey) + "," + event(hostile.getKey(), hostile.getValue(), key) + "]}");
            softly.assertThat(many.status()).as("batch with " + name + ": " + many.body()).isIn(one.status(), 400);
            if (many.status() != 202) {
                softly.assertThat(many.contentType()).as(name).startsWith("application/problem+json");
                refusedKeys.add(batchKey);
            }
        }

        // One read of the topic for the whole corpus: what was accepted is there exactly as sent,
        // nothing of what was refused is there at all.
        Map<UUID, UsageEvent> published = fx.committedEvents().stream()
                .collect(Collectors.toMap(UsageEvent::eventId, e -> e, (x, y) -> x));
        softly.assertThat(published.values()).as("refused events on the topic")
                .noneMatch(e -> refusedKeys.contains(e.idempotencyKey()));
        for (Map.Entry<UUID, String> sent : accepted.entrySet()) {
            UsageEvent stored = published.get(sent.getKey());
            JsonNode expected = HttpTestClient.JSON.readTree(sent.getValue());
            softly.assertThat(stored).as("accepted " + abbreviated(sent.getValue())).isNotNull();
            if (stored != null) {
                softly.assertThat(stored.metricName()).isEqualTo(expected.get("metricName").asText());
                softly.assertThat(stored.unit()).isEqualTo(expected.get("unit").asText());
                softly.assertThat(stored.idempotencyKey()).isEqualTo(expected.get("idempotencyKey").isNull()
                        ? null : expected.get("idempotencyKey").asText());
                softly.assertThat(stored.metricValue()).isEqualByComparingTo(expected.get("metricValue").isTextual()
                        ? new BigDecimal(expected.get("metricValue").asText()) : expected.get("metricValue").decimalValue());
                softly.assertThat((JsonNode) HttpTestClient.JSON.valueToTree(stored.metadata()))
                        .isEqualTo(expected.get("metadata").isNull()
                                ? HttpTestClient.JSON.createObjectNode() : expected.get("metadata"));
                // ...and PostgreSQL, where the job stores it, keeps it exactly too
                for (String text : new String[] {stored.metricName(), stored.unit(), stored.idempotencyKey(),
                        HttpTestClient.JSON.writeValueAsString(stored.metadata())}) {
                    softly.assertThat(roundTrip(text)).as("PostgreSQL keeps " + abbreviated(String.valueOf(text)))
                            .isEqualTo(text);
                }
            }
        }
        softly.assertThat(accepted).as("the corpus holds values a producer may send").hasSizeGreaterThan(10);
        softly.assertAll();
    }

    @Test
    void aHostileCloudEventAttributeIsRefusedWithAProblemInBothModes() throws Exception {
        Map<String, List<String>> corpus = new LinkedHashMap<>();
        for (String attribute : List.of("specversion", "id", "source", "type", "subject", "metric",
                "datacontenttype")) {
            corpus.put(attribute, TEXTS);
        }
        corpus.put("time", TIMESTAMPS);
        corpus.put("data", METADATA);
        corpus.put("data.value", NUMBERS);
        corpus.put("data.unit", TEXTS);
        corpus.put("data.metadata", METADATA);
        SoftAssertions softly = new SoftAssertions();
        List<String> refusedIds = new ArrayList<>();
        int accepted = 0;
        for (Map.Entry<String, List<String>> attribute : corpus.entrySet()) {
            for (String value : attribute.getValue()) {
                String name = "CloudEvent " + attribute.getKey() + " = " + abbreviated(value);
                String id = "ce-hostile-" + UUID.randomUUID();
                String one = cloudEvent(attribute.getKey(), value, id);
                HttpTestClient.Response single = api.postBytes("/api/v1/ingest", project.apiKey(),
                        "application/cloudevents+json", one.getBytes(StandardCharsets.UTF_8));
                softly.assertThat(single.status()).as(name + ": " + single.body()).isIn(202, 400, 413);
                String batchId = "ce-hostile-batch-" + UUID.randomUUID();
                HttpTestClient.Response batch = api.postBytes("/api/v1/ingest/batch", project.apiKey(),
                        "application/cloudevents-batch+json", ("[" + cloudEvent("type", "\"usage\"", batchId) + ","
                                + cloudEvent(attribute.getKey(), value, id) + "]").getBytes(StandardCharsets.UTF_8));
                softly.assertThat(batch.status()).as("batch with " + name + ": " + batch.body())
                        .isIn(single.status(), 400);
                if (single.status() == 202) {
                    accepted++;
                } else {
                    softly.assertThat(single.contentType()).as(name).startsWith("application/problem+json");
                    refusedIds.add(id);
                }
                if (batch.status() != 202) {
                    softly.assertThat(batch.contentType()).as(name).startsWith("application/problem+json");
                    refusedIds.add(batchId);
                }
            }
        }
        Set<String> refused = Set.copyOf(refusedIds);
        fx.forEachCommitted(e -> softly.assertThat(refused).as("refused CloudEvents on the topic")
                .doesNotContain(e.idempotencyKey()));
        softly.assertThat(accepted).as("the corpus holds values a producer may send").isGreaterThan(5);
        softly.assertAll();
    }

    @Test
    void whatTheParserCannotReadIsA400Problem() {
        for (String body : List.of("", "[]", "\"x\"", "{\"a\":1} {\"b\":2}", "{\"metricName\":", nested(1_000),
                "{\"metricValue\":" + "1".repeat(1_000) + "}", "\u0000", "{\"a\":\"\\ud800\"}")) {
            HttpTestClient.Response r = post("/api/v1/ingest", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
    }

    static List<RawHttp.Refusal> refusals() {
        return RawHttp.refusals("/api/v1/ingest", project.apiKey());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void whatJettyRefusesIsAProblemDocumentToo(RawHttp.Refusal refusal) {
        String response = RawHttp.send(port, refusal.request());
        assertThat(RawHttp.status(response)).as(response.substring(0, Math.min(400, response.length())))
                .isEqualTo(refusal.status());
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
    }

    private static HttpTestClient.Response post(String path, String body) {
        return api.postBytes(path, project.apiKey(), "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} stored in and read back from PostgreSQL as text; an exception if it cannot be stored. */
    private static String roundTrip(String text) {
        try {
            return fx.database().queryValue(String.class, "SELECT CAST(? AS text)", text);
        } catch (RuntimeException refused) {
            return "refused by PostgreSQL: " + refused.getCause();
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…(" + text.length() + ")" : text;
    }

    /** A valid event with {@code field} replaced by the JSON literal {@code value}. */
    private static String event(String field, String value, String key) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("metricName", "\"api_calls\"");
        fields.put("metricValue", "1.5");
        fields.put("unit", "\"count\"");
        fields.put("timestamp", "\"" + Instant.now().minusSeconds(60) + "\"");
        fields.put("metadata", "{\"region\":\"in\"}");
        fields.put("idempotencyKey", "\"" + key + "\"");
        fields.put(field, value);
        return json(fields);
    }

    /** A valid structured CloudEvent with {@code attribute} ({@code data.x}: inside data) replaced by {@code value}. */
    private static String cloudEvent(String attribute, String value, String id) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("value", "2");
        data.put("unit", "\"tokens\"");
        data.put("metadata", "{\"model\":\"large\"}");
        Map<String, String> ce = new LinkedHashMap<>();
        ce.put("specversion", "\"1.0\"");
        ce.put("id", "\"" + id + "\"");
        ce.put("source", "\"/hostile\"");
        ce.put("type", "\"usage\"");
        ce.put("subject", "\"output_tokens\"");
        ce.put("time", "\"" + Instant.now().minusSeconds(60) + "\"");
        if (attribute.startsWith("data.")) {
            data.put(attribute.substring(5), value);
        } else {
            ce.put(attribute, value);
        }
        if (!"data".equals(attribute)) {
            ce.put("data", json(data));
        }
        return json(ce);
    }

    private static String json(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String nested(int depth) {
        return "{\"k\":".repeat(depth) + "1" + "}".repeat(depth);
    }
}
