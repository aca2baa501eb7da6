package dev.meterbill.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.client.MeterbillClient;
import dev.meterbill.client.UsageEvent;
import dev.meterbill.e2e.testutils.ArchiveContents;
import dev.meterbill.e2e.testutils.TestStacks;
import dev.meterbill.localstack.ApiClient;
import dev.meterbill.localstack.cluster.BuildArtifacts;
import dev.meterbill.localstack.cluster.ClusterConfig;
import dev.meterbill.localstack.cluster.Poll;
import dev.meterbill.localstack.cluster.ProcessCluster;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 18, export: on {@code ./billing cluster}'s topology (gateways, Kafka, Flink with the aggregation and archive
 * jobs, billing-api as its own JVM), 1,000,000 events sent through the producer client come back from
 * {@code GET /projects/{id}/events} exactly as sent, once each, while billing-api runs in a 128 MB heap: the NDJSON
 * answer (about 300 MB) is more than twice the heap, so it cannot have been held in memory. The heap billing-api
 * reports during the export is sampled and logged.
 */
class ArchiveExportIT {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveExportIT.class);
    private static final ApiClient API = new ApiClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "it-admin-token";
    private static final String HEAP = "128m";
    private static final int EVENTS = 1_000_000;
    private static final String[] MODELS = {"large", "medium", "small"};

    private final String dbName = TestStacks.databaseName();
    private BuildArtifacts artifacts;
    private ClusterConfig config;

    @BeforeEach
    void configure() throws Exception {
        artifacts = BuildArtifacts.locate(Path.of(""));
        config = TestStacks.cluster(artifacts, "archive-export", dbName, ADMIN, HEAP);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestStacks.stopCluster(config, dbName);
    }

    @Test
    void aMillionEventsComeBackAsSentFromABillingApiWithASmallHeap() throws Exception {
        ProcessCluster.start(config, artifacts, new PrintStream(new ByteArrayOutputStream()));
        String billingApi = "http://localhost:" + config.billingApiPort();
        JsonNode org = API.post(billingApi + "/api/v1/organisations", ADMIN, Map.of(
                "name", "Export IT", "billingEmail", "it@example.com", "timezone", "Asia/Kolkata")).expect(201).body();
        JsonNode project = API.post(billingApi + "/api/v1/organisations/" + org.get("id").asText() + "/projects", ADMIN,
                Map.of("name", "p1")).expect(201).body();
        String projectId = project.get("id").asText();
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));

        long sendStarted = System.nanoTime();
        MeterbillClient client = MeterbillClient.builder("http://localhost:" + config.gatewayPorts().get(0),
                project.get("apiKey").asText()).whenFull(MeterbillClient.WhenFull.BLOCK, Duration.ofMinutes(2)).build();
        for (int i = 0; i < EVENTS; i++) {
            client.record(sent(i, base));
        }
        assertThat(client.close(Duration.ofMinutes(2)).complete()).isTrue();
        LOG.info("{} events sent in {} s", EVENTS, (System.nanoTime() - sendStarted) / 1_000_000_000);

        Poll.until("the archive holds " + EVENTS + " events", Duration.ofMinutes(5),
                () -> ArchiveContents.read(config.archiveDir()).rows() >= EVENTS);

        HeapSampler heap = new HeapSampler(billingApi + "/metrics");
        heap.start();
        String url = billingApi + "/api/v1/projects/" + projectId + "/events?from=" + base + "&to=" + base.plus(Duration.ofHours(1));
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        BitSet seen = new BitSet(EVENTS);
        long lines = 0;
        long bytes = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                bytes += line.length() + 1;
                lines++;
                JsonNode e = JSON.readTree(line);
                int i = Integer.parseInt(e.get("idempotencyKey").asText().substring(2));
                assertThat(seen.get(i)).as("event %d exported twice", i).isFalse();
                seen.set(i);
                assertThat(e.get("projectId").asText()).isEqualTo(projectId);
                assertThat(e.get("metricName").asText()).isEqualTo("tokens");
                assertThat(e.get("metricValue").decimalValue()).isEqualByComparingTo(value(i));
                assertThat(Instant.parse(e.get("timestamp").asText())).isEqualTo(base.plusMillis(i % 1000));
                assertThat(e.get("metadata").get("model").asText()).isEqualTo(MODELS[i % 3]);
            }
        } finally {
            heap.stop();
        }
        long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000);
        LOG.info("exported {} events, {} MB of NDJSON, in {} s; billing-api heap (-Xmx{}): {} MB used before, at most {} MB "
                + "used during the export ({} samples)", lines, bytes >> 20, seconds, HEAP, heap.first() >> 20, heap.max() >> 20,
                heap.samples());
        assertThat(lines).isEqualTo(EVENTS);
        assertThat(seen.cardinality()).isEqualTo(EVENTS);
        assertThat(bytes).as("the answer is more than twice billing-api's heap").isGreaterThan(2L * 128 * 1024 * 1024);
        assertThat(heap.samples()).isPositive();
    }

    private static UsageEvent sent(int i, Instant base) {
        return UsageEvent.of("tokens", value(i), "count").at(base.plusMillis(i % 1000)).with("model", MODELS[i % 3])
                .idempotencyKey("x-" + i);
    }

    private static BigDecimal value(int i) {
        return BigDecimal.valueOf(i % 99_991, 3);
    }

    /** Samples billing-api's heap in use (Micrometer's jvm_memory_used_bytes, area heap) every 100 ms. */
    private static final class HeapSampler {
        private final HttpClient http = HttpClient.newHttpClient();
        private final HttpRequest request;
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong first = new AtomicLong(-1);
        private final AtomicLong samples = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        HeapSampler(String metricsUrl) {
            request = HttpRequest.newBuilder(URI.create(metricsUrl)).build();
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        long used = http.send(request, HttpResponse.BodyHandlers.ofLines()).body()
                                .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                                .mapToLong(l -> new BigDecimal(l.substring(l.lastIndexOf(' ') + 1)).longValue()).sum();
                        first.compareAndSet(-1, used);
                        max.accumulateAndGet(used, Math::max);
                        samples.incrementAndGet();
                        Thread.sleep(100);
                    } catch (IOException e) {
                        LOG.warn("heap sample failed: {}", e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }

        long max() {
            return max.get();
        }

        long first() {
            return first.get();
        }

        long samples() {
            return samples.get();
        }
    }
}
