package dev.meterbill.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.gateway.testutils.GatewayFixture;
import dev.meterbill.testkit.HttpTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every answer of the gateway's HTTP contract, against a real broker and key store. */
class GatewayHttpIT {

    @RegisterExtension
    static final GatewayFixture fx = new GatewayFixture();
    private static HttpTestClient api;
    private static int apiPort;
    private static HttpTestClient limited;
    private static GatewayFixture.Project project;

    @BeforeAll
    static void startGateways() {
        apiPort = fx.startGateway(1_000_000).port();
        api = new HttpTestClient(apiPort);
        limited = new HttpTestClient(fx.startGateway(1_000).port());
        project = fx.newProject();
    }

    private static Map<String, Object> event(String key) {
        return Map.of("metricName", "api_calls", "metricValue", "1.5", "unit", "count",
                "timestamp", Instant.now().minusSeconds(5).toString(), "idempotencyKey", key);
    }

    private static List<String> committedKeys() {
        return fx.committedEvents().stream().map(UsageEvent::idempotencyKey).toList();
    }

    @Test
    void aValidEventIsAcceptedOnlyOnceDurable() throws Exception {
        HttpTestClient.Response r = api.postAsJson("/api/v1/ingest", project.apiKey(), event("single-ok"));
        assertThat(r.status()).isEqualTo(202);
        UUID eventId = UUID.fromString(r.json().get("eventId").asText());
        UsageEvent published = fx.committedEvents().stream().filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow();
        assertThat(published.projectId()).isEqualTo(project.id());
        assertThat(published.metricValue()).isEqualByComparingTo("1.5");
        assertThat(published.billingTimezone()).isEqualTo("UTC");
    }

    @Test
    void aBatchIsAcceptedWholeInOrder() throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            events.add(event("batch-ok-" + i));
        }
        HttpTestClient.Response r = api.postAsJson("/api/v1/ingest/batch", project.apiKey(), Map.of("events", events));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(1_000);
        assertThat(r.json().get("eventIds")).hasSize(1_000);
        assertThat(committedKeys().stream().filter(k -> k.startsWith("batch-ok-"))).hasSize(1_000);
    }

    @Test
    void oneBadEventRefusesTheWholeBatchNamingIndexAndField() throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(event("batch-bad-" + i));
        }
        Map<String, Object> bad = new HashMap<>(event("batch-bad-17"));
        bad.put("timestamp", Instant.now().plus(1, ChronoUnit.HOURS).toString());
        events.set(17, bad);
        HttpTestClient.Response r = api.postAsJson("/api/v1/ingest/batch", project.apiKey(), Map.of("events", events));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("events[17].timestamp");
        assertThat(committedKeys()).noneMatch(k -> k.startsWith("batch-bad-"));
    }

    @Test
    void tooManyEventsOrTooManyBytesIs413() throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            events.add(event("too-many-" + i));
        }
        assertThat(api.postAsJson("/api/v1/ingest/batch", project.apiKey(), Map.of("events", events)).status()).isEqualTo(413);
        byte[] big = ("{\"events\":[" + "{\"metricName\":\"a\"},".repeat(70_000) + "{}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(big.length).isGreaterThan(1024 * 1024);
        assertThat(api.postBytes("/api/v1/ingest/batch", project.apiKey(), "application/json", big).status()).isEqualTo(413);
        assertThat(committedKeys()).noneMatch(k -> k.startsWith("too-many-"));
    }

    /** A single event over 64 KiB is refused whether its length is declared or it comes in chunks of unknown length. */
    @Test
    void aSingleEventOver64KiBIs413DeclaredOrChunked() throws Exception {
        Map<String, Object> big = new HashMap<>(event("single-too-large"));
        big.put("metadata", Map.of("note", "x".repeat(70_000)));
        byte[] body = HttpTestClient.JSON.writeValueAsBytes(big);
        // many times: a refusal written while the client still sent its body used to be lost to the connection's reset
        for (int i = 0; i < 50; i++) {
            HttpTestClient.Response declared = api.postBytes("/api/v1/ingest", project.apiKey(), "application/json", body);
            assertThat(declared.status()).isEqualTo(413);
            assertThat(declared.header("Content-Type")).startsWith("application/problem+json");
            assertThat(declared.json().get("detail").asText()).contains("at most 65536 bytes");
        }

        java.net.http.HttpResponse<String> chunked = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://localhost:" + apiPort + "/api/v1/ingest"))
                .header("Authorization", "Bearer " + project.apiKey()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("over 65536 bytes");
        assertThat(committedKeys()).doesNotContain("single-too-large");
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpTestClient.Response r = api.postBytes("/api/v1/ingest", project.apiKey(), "text/plain",
                "metricName=api_calls".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.json().get("type").asText()).endsWith("/unsupported-media-type");
    }

    @Test
    void missingUnknownAndRevokedKeysAre401() throws Exception {
        assertThat(api.postAsJson("/api/v1/ingest", null, event("no-key")).status()).isEqualTo(401);
        assertThat(api.postAsJson("/api/v1/ingest", "pk_not_a_real_key", event("bad-key")).status()).isEqualTo(401);
        GatewayFixture.Project doomed = fx.newProject();
        assertThat(api.postAsJson("/api/v1/ingest", doomed.apiKey(), event("before-revoke")).status()).isEqualTo(202);
        fx.revokeKeys(doomed);
        long deadline = System.currentTimeMillis() + 30_000; // the promise: refused within 30 s
        int status = 202;
        while (status != 401 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            status = api.postAsJson("/api/v1/ingest", doomed.apiKey(), event("after-revoke-" + System.nanoTime())).status();
        }
        assertThat(status).isEqualTo(401);
    }

    @Test
    void overTheProjectRateLimitIs429WithRetryAfter() throws Exception {
        GatewayFixture.Project busy = fx.newProject();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            events.add(event("rate-" + i));
        }
        List<Map<String, Object>> more = events.stream().map(e -> {
            Map<String, Object> m = new HashMap<>(e);
            m.put("idempotencyKey", "rate-more-" + e.get("idempotencyKey"));
            return m;
        }).toList();
        // limit 1,000/s, bucket 2 s: the first two batches fit, the third is refused whole
        assertThat(limited.postAsJson("/api/v1/ingest/batch", busy.apiKey(), Map.of("events", events)).status()).isEqualTo(202);
        limited.postAsJson("/api/v1/ingest/batch", busy.apiKey(), Map.of("events", more));
        HttpTestClient.Response r = limited.postAsJson("/api/v1/ingest/batch", busy.apiKey(), Map.of("events", more));
        assertThat(r.status()).isEqualTo(429);
        assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
        // another project is not affected
        assertThat(limited.postAsJson("/api/v1/ingest", project.apiKey(), event("other-project")).status()).isEqualTo(202);
    }

    @Test
    void garbageNeverYieldsA5xx() throws Exception {
        String[] bodies = {"", "null", "[]", "{", "\"text\"", "{\"events\":5}", "{\"events\":[1,2]}",
                "{\"metricValue\":1e999999}", "{\"metricName\":{\"deep\":[[[[[]]]]]}}", "{\"a\":1} trailing",
                "{\"metricName\":\"x\",\"metricValue\":\"0x10\",\"unit\":\"u\",\"timestamp\":\"2026-13-45T99:00:00Z\"}"};
        for (String body : bodies) {
            for (String path : new String[] {"/api/v1/ingest", "/api/v1/ingest/batch"}) {
                HttpTestClient.Response r = api.postBytes(path, project.apiKey(), "application/json",
                        body.getBytes(StandardCharsets.UTF_8));
                assertThat(r.status()).as(path + " " + body).isBetween(400, 499);
                assertThat(r.header("Content-Type")).as(path + " " + body).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void healthAndMetricsTellOperatorsWhatHappened() throws Exception {
        assertThat(api.get("/health/live", null).status()).isEqualTo(200);
        HttpTestClient.Response ready = api.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("kafka").asBoolean()).isTrue();
        api.postAsJson("/api/v1/ingest", "pk_wrong", event("metrics-401"));
        HttpTestClient.Response metrics = api.get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("ingest_events_accepted_total", "ingest_events_rejected_total{reason=\"unauthorized\"}",
                "ingest_publish_latency_seconds_bucket", "ingest_requests_in_flight");
    }
}
