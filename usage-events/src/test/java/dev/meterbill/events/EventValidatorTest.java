package dev.meterbill.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    /** The hand-written checks give the patterns' answers (they replace the matchers on the job's and gateway's path). */
    @ParameterizedTest
    @MethodSource("namesAndKeys")
    void theNameAndKeyChecksAnswerAsTheirPatterns(String text) {
        assertThat(EventValidator.isMetricName(text)).as("metric name %s", text)
                .isEqualTo(EventValidator.METRIC_NAME.matcher(text).matches());
        assertThat(EventValidator.isPrintableAscii(text)).as("printable %s", text)
                .isEqualTo(text.matches("[\\x21-\\x7E]+"));
    }

    @Test
    void anEnvelopesUnstorableMetadataIsNamedByItsPath() {
        java.util.function.Function<Object, String> violation = metadata -> EventValidator.envelopeViolation(new UsageEvent(
                java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), "tokens", BigDecimal.ONE,
                "count", Instant.EPOCH, Instant.EPOCH, "UTC", java.util.Map.of("a", metadata), null));
        assertThat(violation.apply(java.util.Map.of("b", java.util.List.of("ok", java.util.Map.of("c", 1)))))
                .as("storable").isNull();
        assertThat(violation.apply(java.util.Map.of("b", java.util.List.of("ok", "x\u0000"))))
                .isEqualTo("metadata.a.b[1] " + TextRules.UNSTORABLE);
        assertThat(violation.apply(java.util.List.of(java.util.Map.of("\ud800", "v"))))
                .as("a bad key names the map it is in").isEqualTo("metadata.a[0] " + TextRules.UNSTORABLE);
    }

    static Stream<String> namesAndKeys() {
        return Stream.of("", "a", "Z", "tokens", "api_calls.v2:eu-west", "A1_.:-", "1a", "_a", "-a", "a b", "a\n", "\u00e9",
                "a\u00e9", "\uff41", "a\u0130", "k-1", "!~", " ", "~", "\u007f", "a\u0000", "a/b", "a@b", "a[b]", "a`b", "a{b",
                "a".repeat(128), "a".repeat(129), "!".repeat(300));
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private final EventValidator validator = EventValidator.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC));

    private static String event(String field, String jsonValue) {
        String base = """
                {"metricName":"api_calls","metricValue":1000,"unit":"count","timestamp":"2026-03-10T10:00:00Z",
                 "metadata":{"region":"in"},"idempotencyKey":"req-1"}""";
        if (field == null) {
            return base;
        }
        String replaced = base.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\{[^}]*\\}|[^,}]+)",
                jsonValue == null ? "\"_removed\":0" : "\"" + field + "\":" + jsonValue);
        return replaced;
    }

    private EventValidator.Result validate(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        return validator.validate(node, "events[17].");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("metricName", null, "metricName"),
                Arguments.of("metricName", "\"9calls\"", "metricName"),
                Arguments.of("metricName", "\"api calls\"", "metricName"),
                Arguments.of("metricName", "\"" + "a".repeat(129) + "\"", "metricName"),
                Arguments.of("metricValue", null, "metricValue"),
                Arguments.of("metricValue", "-1", "metricValue"),
                Arguments.of("metricValue", "\"NaN\"", "metricValue"),
                Arguments.of("metricValue", "\"Infinity\"", "metricValue"),
                Arguments.of("metricValue", "\"12abc\"", "metricValue"),
                Arguments.of("metricValue", "1e400", "metricValue"),
                Arguments.of("metricValue", "0.0000000000001", "metricValue"),
                Arguments.of("metricValue", "true", "metricValue"),
                Arguments.of("unit", null, "unit"),
                Arguments.of("unit", "\"\"", "unit"),
                Arguments.of("unit", "\"" + "u".repeat(33) + "\"", "unit"),
                Arguments.of("timestamp", null, "timestamp"),
                Arguments.of("timestamp", "\"2026-03-10T10:00:00\"", "timestamp"),
                Arguments.of("timestamp", "\"yesterday\"", "timestamp"),
                Arguments.of("timestamp", "\"2026-03-10T12:05:01Z\"", "timestamp"),
                Arguments.of("timestamp", "\"2026-02-03T11:59:59Z\"", "timestamp"),
                Arguments.of("metadata", "[1,2]", "metadata"),
                Arguments.of("metadata", "{\"blob\":\"" + "x".repeat(4100) + "\"}", "metadata"),
                Arguments.of("idempotencyKey", "\"" + "k".repeat(129) + "\"", "idempotencyKey"),
                Arguments.of("idempotencyKey", "\"has space\"", "idempotencyKey"),
                Arguments.of("idempotencyKey", "42", "idempotencyKey"));
    }

    @ParameterizedTest(name = "{0} = {1} is refused")
    @MethodSource("refused")
    void eachRuleRefusesAndNamesTheIndexedField(String field, String value, String expectedField) throws Exception {
        EventValidator.Result result = validate(event(field, value));
        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).extracting(EventValidator.Violation::field).containsExactly("events[17]." + expectedField);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("metricValue", "0", "0"),
                Arguments.of("metricValue", "\"12.500\"", "12.5"),
                Arguments.of("metricValue", "0.1", "0.1"),
                Arguments.of("metricValue", "0.000000000001", "0.000000000001"),
                Arguments.of("metricValue", "1E+3", "1000"),
                Arguments.of("metricValue", "99999999999999999999", "99999999999999999999"));
    }

    @ParameterizedTest(name = "metricValue {1} is the exact decimal {2}")
    @MethodSource("accepted")
    void numbersAndNumericStringsBecomeExactDecimals(String field, String value, String expected) throws Exception {
        EventValidator.Result result = validate(event(field, value));
        assertThat(result.errors()).isEmpty();
        assertThat(result.event().metricValue()).isEqualByComparingTo(new BigDecimal(expected));
    }

    @Test
    void offsetsOtherThanUtcAreAcceptedAndNormalisedToAnInstant() throws Exception {
        EventValidator.Result result = validate(event("timestamp", "\"2026-03-10T15:30:00+05:30\""));
        assertThat(result.event().timestamp()).isEqualTo(Instant.parse("2026-03-10T10:00:00Z"));
    }

    @Test
    void metadataAndIdempotencyKeyAreOptional() throws Exception {
        String json = "{\"metricName\":\"api_calls\",\"metricValue\":1,\"unit\":\"count\",\"timestamp\":\"2026-03-10T10:00:00Z\"}";
        EventValidator.Result result = validate(json);
        assertThat(result.valid()).isTrue();
        assertThat(result.event().idempotencyKey()).isNull();
        assertThat(result.event().metadata()).isEmpty();
    }

    @Test
    void everyBadFieldIsReportedNotOnlyTheFirst() throws Exception {
        EventValidator.Result result = validate("{\"metricName\":\"\",\"metricValue\":-2,\"unit\":\"\",\"timestamp\":\"x\"}");
        assertThat(result.errors()).extracting(EventValidator.Violation::field).containsExactly(
                "events[17].metricName", "events[17].metricValue", "events[17].unit", "events[17].timestamp");
    }

    /** Metadata is decoded from the tree directly; it must be what Jackson's convertValue gave, for every JSON kind. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "{}", "{\"region\":\"in\",\"n\":1,\"big\":12345678901234,\"huge\":123456789012345678901234567890}",
        "{\"ratio\":0.1500,\"exp\":1E+3,\"neg\":-2.5e-7,\"t\":true,\"f\":false,\"none\":null}",
        "{\"nested\":{\"a\":[1,\"two\",{\"x\":[[],{}]}],\"b\":{}},\"quote\\\"d\":\"line\\nbreak \u20b9\"}"})
    void metadataIsWhatConvertValueGave(String metadata) throws Exception {
        JsonNode tree = JSON.readTree(metadata);
        Object expected = JSON.convertValue(tree, new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() {});
        String event = "{\"metricName\":\"api_calls\",\"metricValue\":1,\"unit\":\"count\","
                + "\"timestamp\":\"2026-03-10T10:00:00Z\",\"metadata\":" + metadata + "}";
        EventValidator.Result result = validate(event);
        assertThat(result.errors()).isEmpty();
        assertThat(result.event().metadata()).isEqualTo(expected);
        assertThat(result.event().metadata()).isInstanceOf(java.util.LinkedHashMap.class);
        Object plain = new ObjectMapper().convertValue(new ObjectMapper().readTree(metadata), java.util.Map.class);
        assertThat(validator.validate(new ObjectMapper().readTree(event), "").event().metadata())
                .isEqualTo(plain);
    }

    /** The 4,096-byte limit counts the compact JSON, exactly at the boundary. */
    @Test
    void metadataOfExactly4096BytesIsAcceptedAndOneMoreIsNot() throws Exception {
        String fits = "{\"blob\":\"" + "x".repeat(4096 - 11) + "\"}";
        assertThat(fits.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(4096);
        assertThat(validate(event("metadata", fits)).errors()).isEmpty();
        String over = "{\"blob\":\"" + "x".repeat(4096 - 12) + "\u20b9\"}";
        assertThat(validate(event("metadata", over)).errors()).extracting(EventValidator.Violation::field)
                .containsExactly("events[17].metadata");
    }
}
