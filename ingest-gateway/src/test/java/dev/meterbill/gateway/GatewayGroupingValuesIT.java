package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.gateway.testutils.GatewayFixture;
import dev.meterbill.testkit.HttpTestClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A grouping value longer than 128 characters, of a key a metric definition groups the event's metric by, is a 400
 * naming {@code metadata.<key>} (docs/metering.md): the producer learns it at once. Other metadata is not limited.
 */
class GatewayGroupingValuesIT {

    @RegisterExtension
    static final GatewayFixture fx = new GatewayFixture();
    private static HttpTestClient api;
    private static GatewayFixture.Project project;

    @BeforeAll
    static void start() {
        fx.database().update("""
                INSERT INTO metric_definitions (key, version, display_name, unit, event_metric, aggregation, group_by, effective_from)
                VALUES ('llm_tokens', 1, 'LLM tokens', 'tokens', 'tokens', 'sum', '{model,region}', now())""");
        api = new HttpTestClient(fx.startGateway(1_000_000).port());
        project = fx.newProject();
    }

    private static Map<String, Object> event(String metric, String model, String note) {
        return Map.of("metricName", metric, "metricValue", "10", "unit", "tokens",
                "timestamp", Instant.now().minusSeconds(5).toString(), "metadata", Map.of("model", model, "note", note));
    }

    @Test
    void aTooLongGroupingValueIsRefusedNamingTheKeyAndTheDefinition() {
        HttpTestClient.Response refused = api.postAsJson("/api/v1/ingest", project.apiKey(), event("tokens", "m".repeat(129), "n"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.body()).contains("\"metadata.model\"", "llm_tokens", "at most 128 characters");

        assertThat(api.postAsJson("/api/v1/ingest", project.apiKey(), event("tokens", "m".repeat(128), "n".repeat(2000))).status())
                .as("128 characters fit; a key no definition groups by is not limited").isEqualTo(202);
        assertThat(api.postAsJson("/api/v1/ingest", project.apiKey(), event("api_calls", "m".repeat(500), "n")).status())
                .as("no definition groups api_calls").isEqualTo(202);
    }

    @Test
    void aBatchWithOneTooLongValueIsRefusedWhole() {
        HttpTestClient.Response refused = api.postAsJson("/api/v1/ingest/batch", project.apiKey(), Map.of("events",
                List.of(event("tokens", "small", "n"), event("tokens", "l".repeat(200), "n"))));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("\"events[1].metadata.model\"").doesNotContain("events[0]");
    }
}
