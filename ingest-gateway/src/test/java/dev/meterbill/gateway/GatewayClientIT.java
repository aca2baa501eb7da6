package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.client.MeterbillClient;
import dev.meterbill.client.UsageEvent;
import dev.meterbill.gateway.testutils.GatewayFixture;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client (module meterbill-client) against the real gateway and broker: a stream of 1,000,000 events
 * survives a gateway process killed (SIGKILL) and restarted twice and a broker outage, every event counted once;
 * a refused event is reported with its fields while the rest of its batch arrives; a full buffer drops or blocks as
 * configured; close() reports what it could not deliver.
 */
class GatewayClientIT {

    @RegisterExtension
    static final GatewayFixture fx = new GatewayFixture();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Distinct idempotency keys with the prefix that read_committed readers see. */
    private static Set<String> committedKeys(String prefix) {
        Set<String> keys = new HashSet<>();
        fx.forEachCommitted(e -> {
            if (e.idempotencyKey() != null && e.idempotencyKey().startsWith(prefix)) {
                keys.add(e.idempotencyKey());
            }
        });
        return keys;
    }

    @Test
    void aStreamSurvivesTwoGatewayRestartsAndABrokerOutageCountedOnce() throws Exception {
        int port = freePort();
        Map<String, String> env = Map.of("GATEWAY_RATE_LIMIT_EVENTS_PER_SECOND", "100000000");
        Process gateway = fx.startGatewayProcess(port, "client-it", env);
        GatewayFixture.Project project = fx.newProject();
        List<MeterbillClient.Rejection> rejections = new CopyOnWriteArrayList<>();
        MeterbillClient client = MeterbillClient.builder("http://localhost:" + port, project.apiKey())
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(2)).onRejected(rejections::add)
                .whenFull(MeterbillClient.WhenFull.BLOCK, Duration.ofMinutes(2)).build(); // back-pressure
        int total = 1_000_000;
        Set<String> keys = new HashSet<>();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                UsageEvent e = UsageEvent.of("api_calls", 1, "count").idempotencyKey("client-chaos-" + i);
                keys.add(e.idempotencyKey());
                client.record(e);
                if (i % 1_000 == 0) {
                    try {
                        Thread.sleep(20); // about 50,000 events a second, so that the outages fall mid-stream
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            }
        });
        producer.start();
        MeterbillClient.CloseResult result;
        try {
            for (int restart = 0; restart < 2; restart++) {
                Thread.sleep(3_000);
                gateway.destroyForcibly(); // SIGKILL mid-stream: requests in flight get no answer
                gateway.waitFor();
                gateway = fx.startGatewayProcess(port, "client-it", env); // the process comes back on its port
            }
            Thread.sleep(3_000);
            assertThat(producer.isAlive()).as("the outages fall mid-stream").isTrue();
            fx.kafka().stop(); // the broker pauses: the gateway answers 503, the client backs off
            Thread.sleep(3_000);
            fx.kafka().restart();
            producer.join();
            result = client.close(Duration.ofSeconds(120));
        } finally {
            gateway.destroyForcibly();
        }

        assertThat(result.undelivered()).as("close() delivered everything").isEmpty();
        assertThat(rejections).isEmpty();
        MeterbillClient.Metrics metrics = client.metrics();
        assertThat(metrics.sent).isEqualTo(total);
        assertThat(metrics.retried).as("the outages made the client send again").isPositive();
        assertThat(committedKeys("client-chaos-")).as("every event is in the topic; each key counts once")
                .isEqualTo(keys);
        System.out.printf("client through restarts and an outage: %s%n", metrics);
    }

    @Test
    void aRefusedEventIsReportedWithItsFieldsAndTheRestOfItsBatchArrives() throws Exception {
        GatewayApp gateway = fx.startGateway(1_000_000);
        GatewayFixture.Project project = fx.newProject();
        List<MeterbillClient.Rejection> rejections = new CopyOnWriteArrayList<>();
        MeterbillClient client = MeterbillClient.builder("http://localhost:" + gateway.port(), project.apiKey())
                .linger(Duration.ofSeconds(1)).onRejected(rejections::add).build();
        for (int i = 0; i < 10; i++) {
            UsageEvent e = UsageEvent.of("api_calls", BigDecimal.ONE, "count").idempotencyKey("client-mixed-" + i);
            client.record(i == 4 ? e.at(Instant.now().plus(Duration.ofHours(2))) : e);
        }
        assertThat(client.close(Duration.ofSeconds(30)).complete()).isTrue();
        assertThat(rejections).hasSize(1);
        assertThat(rejections.get(0).event().idempotencyKey()).isEqualTo("client-mixed-4");
        assertThat(rejections.get(0).status()).isEqualTo(400);
        assertThat(rejections.get(0).errors()).containsOnlyKeys("timestamp");
        assertThat(committedKeys("client-mixed-")).hasSize(9).doesNotContain("client-mixed-4");
        assertThat(client.metrics().rejected).isEqualTo(1);
        assertThat(client.metrics().sent).isEqualTo(9);
    }

    @Test
    void aWrongKeyIsReportedNotRetriedForever() throws Exception {
        GatewayApp gateway = fx.startGateway(1_000_000);
        List<MeterbillClient.Rejection> rejections = new CopyOnWriteArrayList<>();
        MeterbillClient client = MeterbillClient.builder("http://localhost:" + gateway.port(), "pk_not_a_key")
                .onRejected(rejections::add).build();
        client.record(UsageEvent.of("api_calls", 1, "count"));
        assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(rejections).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errors()).containsKey("request");
        });
        client.close(Duration.ofSeconds(5));
    }

    @Test
    void aFullBufferDropsOrBlocksAsConfiguredAndCloseReportsTheRest() throws Exception {
        String nowhere = "http://localhost:" + freePort(); // nothing listens: every attempt fails
        MeterbillClient dropping = MeterbillClient.builder(nowhere, "pk_any").senders(1).maxBatchEvents(10)
                .bufferCapacity(100).whenFull(MeterbillClient.WhenFull.DROP, Duration.ZERO)
                .linger(Duration.ofMillis(10)).backoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
        Thread.sleep(50);
        List<UsageEvent> accepted = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UsageEvent e = UsageEvent.of("api_calls", 1, "count");
            if (dropping.record(e)) {
                accepted.add(e);
            }
            if (i == 0) {
                Thread.sleep(100); // the sender takes its first batch
            }
        }
        assertThat(accepted.size()).as("the buffer's 100 and the sender's batch").isBetween(100, 110);
        assertThat(dropping.metrics().dropped).isEqualTo(300 - accepted.size());
        MeterbillClient.CloseResult result = dropping.close(Duration.ofMillis(500));
        assertThat(result.complete()).isFalse();
        assertThat(result.undelivered().stream().map(UsageEvent::idempotencyKey).collect(Collectors.toSet()))
                .as("close() hands back every accepted event, keys included")
                .isEqualTo(accepted.stream().map(UsageEvent::idempotencyKey).collect(Collectors.toSet()));
        assertThatThrownBy(() -> dropping.record(UsageEvent.of("api_calls", 1, "count")))
                .isInstanceOf(IllegalStateException.class);

        MeterbillClient blocking = MeterbillClient.builder(nowhere, "pk_any").senders(1).maxBatchEvents(10)
                .bufferCapacity(20).whenFull(MeterbillClient.WhenFull.BLOCK, Duration.ofMillis(200)).build();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                blocking.record(UsageEvent.of("api_calls", 1, "count"));
            }
        }).isInstanceOf(MeterbillClient.BufferFullException.class);
        assertThat(blocking.close(Duration.ofMillis(200)).undelivered()).hasSizeBetween(20, 30);
    }
}
