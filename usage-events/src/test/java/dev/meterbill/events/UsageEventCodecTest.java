package dev.meterbill.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
