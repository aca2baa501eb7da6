package dev.meterbill.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UsageEventCodecTest {

    private final UsageEvent event = new UsageEvent(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            "storage_gb", new BigDecimal("0.100000000001"), "GB", Instant.parse("2026-01-15T10:00:00Z"),
            Instant.parse("2026-01-15T10:00:01Z"), "Asia/Kolkata", Map.of("region", "in"), "req-7");

    @Test
    void roundTripKeepsTheExactDecimal() {
        UsageEvent back = UsageEventCodec.decode(UsageEventCodec.encode(event));
        assertThat(back).isEqualTo(event);
        assertThat(new String(UsageEventCodec.encode(event), StandardCharsets.UTF_8)).contains("\"metricValue\":\"0.100000000001\"");
    }

    /**
     * The envelope's bytes are what the job's dedupe and the DLQ see: written field by field they must equal what the
     * earlier encoder (a tree built from the event) wrote, for every kind of metadata value a producer can send.
     */
    @Test
    void writesTheSameBytesAsATreeOfTheEnvelope() throws Exception {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("region", "ap-south-1");
        metadata.put("tokens", 1_234_567_890_123L);
        metadata.put("ratio", new BigDecimal("0.1500"));
        metadata.put("huge", new BigInteger("123456789012345678901234567890"));
        metadata.put("flag", true);
        metadata.put("none", null);
        metadata.put("nested", Map.of("a", List.of(1, "two", Map.of("x", new BigDecimal("1E+3")))));
        metadata.put("quote\"d", "line\nbreak \u20b9 \ud83d\ude80");
        for (UsageEvent e : List.of(event, new UsageEvent(event.eventId(), event.projectId(), event.organisationId(),
                "tokens", new BigDecimal("12.5"), "count", event.timestamp(), event.receivedAt(), "UTC", metadata, null))) {
            ObjectMapper mapper = new ObjectMapper().setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
            ObjectNode n = mapper.createObjectNode();
            n.put("eventId", e.eventId().toString());
            n.put("projectId", e.projectId().toString());
            n.put("organisationId", e.organisationId().toString());
            n.put("metricName", e.metricName());
            n.put("metricValue", e.metricValue().toPlainString());
            n.put("unit", e.unit());
            n.put("timestamp", e.timestamp().toString());
            n.put("receivedAt", e.receivedAt().toString());
            n.put("billingTimezone", e.billingTimezone());
            n.set("metadata", mapper.valueToTree(e.metadata()));
            if (e.idempotencyKey() != null) {
                n.put("idempotencyKey", e.idempotencyKey());
            }
            assertThat(new String(UsageEventCodec.encode(e), StandardCharsets.UTF_8))
                    .isEqualTo(new String(mapper.writeValueAsBytes(n), StandardCharsets.UTF_8));
            // decoding reads metadata back as Jackson's convertValue did, for every kind of value
            ObjectMapper exact = new ObjectMapper().setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
            assertThat(UsageEventCodec.decode(UsageEventCodec.encode(e)).metadata()).isEqualTo(exact.convertValue(
                    exact.readTree(UsageEventCodec.encode(e)).get("metadata"), Map.class));
        }
    }

    @Test
    void malformedEnvelopesCarryAReason() {
        assertThatThrownBy(() -> UsageEventCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UsageEventCodec.MalformedEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> UsageEventCodec.decode("{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UsageEventCodec.MalformedEventException.class);
        String negative = new String(UsageEventCodec.encode(event), StandardCharsets.UTF_8)
                .replace("\"0.100000000001\"", "\"-1\"");
        assertThatThrownBy(() -> UsageEventCodec.decode(negative.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> UsageEventCodec.decode(null)).hasMessageContaining("empty");
    }
}
