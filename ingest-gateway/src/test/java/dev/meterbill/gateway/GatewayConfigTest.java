package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    @Test
    void refusesToStartWithoutKafkaAndNamesTheVariable() {
        assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void readsDocumentedVariablesWithLocalDefaults() {
        GatewayConfig c = GatewayConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k1:9092", "GATEWAY_PORT", "9000",
                "GATEWAY_BACKFILL_DAYS", "10", "GATEWAY_RATE_LIMIT_EVENTS_PER_SECOND", "5"));
        assertThat(c.kafkaBootstrapServers()).isEqualTo("k1:9092");
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.backfillWindow().toDays()).isEqualTo(10);
        assertThat(c.rateLimitEventsPerSecond()).isEqualTo(5);
        assertThat(c.dbUrl()).isEqualTo("jdbc:postgresql://localhost:5432/billing");
    }

    @Test
    void aNonNumericPortIsRefusedByName() {
        assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:1", "GATEWAY_PORT", "x")))
                .hasMessageContaining("GATEWAY_PORT");
    }
}
