package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.gateway.testutils.GatewayFixture;
import dev.meterbill.gateway.testutils.IngestLoad;
import dev.meterbill.testkit.HttpTestClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker stops in the middle of a load and comes back: nothing acknowledged is lost, nothing refused in a
 * transaction (batches, single events without a key) is counted, nothing is counted twice. A single event with a key
 * goes without a transaction: its 503 says the broker may have kept it, and its key makes a retry count once.
 */
class GatewayBrokerOutageIT {

    @RegisterExtension
    static final GatewayFixture fx = new GatewayFixture();

    @Test
    void brokerOutageAnswers503AndLosesNoAcknowledgedEvent() throws Exception {
        GatewayApp gateway = fx.startGateway(1_000_000);
        GatewayFixture.Project project = fx.newProject();
        String url = "http://localhost:" + gateway.port();
        IngestLoad load = new IngestLoad(url, project.apiKey(), 6);
        try {
            assertThat(load.awaitAcknowledged(2_000, 30_000)).as("load is flowing").isTrue();

            fx.kafka().stop(); // the broker dies mid-load
            long down = System.currentTimeMillis();
            while (load.count(503) < 10 && System.currentTimeMillis() - down < 60_000) {
                Thread.sleep(100);
            }
            assertThat(load.count(503)).as("requests refused while the broker is down").isGreaterThanOrEqualTo(10);
            assertThat(new HttpTestClient(gateway.port()).get("/health/ready", null).status()).isEqualTo(503);
            Thread.sleep(2_000);

            fx.kafka().restart(); // and comes back with its data
            assertThat(load.awaitAcknowledged(2_000, 90_000)).as("load flows again after the broker returned").isTrue();
        } finally {
            load.close();
        }

        assertThat(load.statuses.keySet()).as("only 202 or 503, never another error").isSubsetOf(Set.of(202, 503));
        assertThat(load.missingRetryAfter.get()).as("every 503 says when to retry").isZero();

        List<UsageEvent> committed = fx.committedEvents();
        long keptThoughRefused = load.assertAcknowledgedExactly(committed);
        assertThat(committed.stream().map(UsageEvent::eventId).distinct().count())
                .as("no event published twice").isEqualTo(committed.size());
        System.out.printf("outage: %d acknowledged, %d refused (503 x%d), %d without answer, %d committed, %d refused"
                        + " single events with a key kept by the broker%n", load.acknowledged.size(), load.refused.size(),
                load.count(503), load.connectionErrors.get(), committed.size(), keptThoughRefused);
    }

    @Test
    void aSingleEventRefusedWhileTheBrokerIsDownIsAbsentWhenItReturns() throws Exception {
        GatewayApp gateway = fx.startGateway(1_000_000);
        GatewayFixture.Project project = fx.newProject();
        HttpTestClient api = new HttpTestClient(gateway.port());
        Map<String, Object> event = Map.of("metricName", "api_calls", "metricValue", 1, "unit", "count",
                "timestamp", Instant.now().minusSeconds(5).toString(), "idempotencyKey", "refused-while-down");
        assertThat(api.postAsJson("/api/v1/ingest", project.apiKey(), Map.of("metricName", "api_calls",
                "metricValue", 1, "unit", "count", "timestamp", Instant.now().minusSeconds(5).toString(),
                "idempotencyKey", "accepted-before")).status()).isEqualTo(202);

        fx.kafka().stop();
        HttpTestClient.Response refused = api.postAsJson("/api/v1/ingest", project.apiKey(), event);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(refused.body()).contains("same idempotencyKey");
        HttpTestClient.Response keyless = api.postAsJson("/api/v1/ingest", project.apiKey(), Map.of("metricName",
                "keyless_probe", "metricValue", 1, "unit", "count", "timestamp", Instant.now().minusSeconds(5).toString()));
        assertThat(keyless.status()).as(keyless.body()).isEqualTo(503);
        assertThat(keyless.body()).contains("none were accepted");
        fx.kafka().restart();
        Thread.sleep(5_000); // time for anything the gateway still held to reach the broker, had it kept it

        List<String> keys = fx.committedEvents().stream().map(UsageEvent::idempotencyKey).toList();
        assertThat(keys).as("read_committed readers see the accepted event, not the refused one")
                .contains("accepted-before").doesNotContain("refused-while-down");
        assertThat(fx.committedEvents()).extracting(UsageEvent::metricName).doesNotContain("keyless_probe");
        // the producer sends it again with the same key, as the 503 told it to: now it counts, once
        HttpTestClient.Response retried = api.postAsJson("/api/v1/ingest", project.apiKey(), event);
        for (int i = 0; i < 30 && retried.status() == 503; i++) {
            Thread.sleep(1_000); // the gateway reconnects to the broker by itself
            retried = api.postAsJson("/api/v1/ingest", project.apiKey(), event);
        }
        assertThat(retried.status()).isEqualTo(202);
        assertThat(fx.committedEvents().stream().filter(e -> "refused-while-down".equals(e.idempotencyKey())))
                .hasSize(1);
    }
}
