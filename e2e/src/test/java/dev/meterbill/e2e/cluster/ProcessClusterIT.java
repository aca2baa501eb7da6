package dev.meterbill.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.e2e.testutils.TestStacks;
import dev.meterbill.localstack.ApiClient;
import dev.meterbill.localstack.cluster.BuildArtifacts;
import dev.meterbill.localstack.cluster.CheckpointHistory;
import dev.meterbill.localstack.cluster.ClusterConfig;
import dev.meterbill.localstack.cluster.FlinkRestClient;
import dev.meterbill.localstack.cluster.ManagedProcess;
import dev.meterbill.localstack.cluster.PidFiles;
import dev.meterbill.localstack.cluster.Poll;
import dev.meterbill.localstack.cluster.ProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, point 3: {@code ./billing cluster} starts the production topology as separate processes
 * (Kafka, Flink JobManager and TaskManager, the aggregation and archive jobs through the REST API, two gateways,
 * billing-api),
 * serves traffic through both gateways, and {@code ./billing cluster stop} ends exactly those
 * processes after a savepoint from which the next start resumes without losing or doubling a count.
 */
class ProcessClusterIT {

    private static final ApiClient API = new ApiClient();
    private static final String ADMIN = "it-admin-token";

    private final String dbName = TestStacks.databaseName();
    private BuildArtifacts artifacts;
    private ClusterConfig config;

    @BeforeEach
    void configure() throws Exception {
        artifacts = BuildArtifacts.locate(Path.of(""));
        config = TestStacks.cluster(artifacts, "process-cluster", dbName, ADMIN, null);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestStacks.stopCluster(config, dbName);
    }

    @Test
    void startsServesStopsExactlyItsProcessesAndResumesFromTheSavepoint() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        ProcessCluster.Started first = ProcessCluster.start(config, artifacts, quiet);
        assertThat(first.processes()).extracting(ManagedProcess::name).containsExactlyInAnyOrder(
                "kafka", "billing-api", "jobmanager", "taskmanager-1", "gateway-1", "gateway-2");

        JsonNode project = createProject();
        String apiKey = project.get("apiKey").asText();
        String projectId = project.get("id").asText();
        Instant ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        ingest(apiKey, 0, 60, ts);   // keys 0..59, alternating between the two gateways
        ingest(apiKey, 50, 60, ts);  // producer retries of 50..59: counted once
        awaitCount(projectId, ts, 60);

        List<String> stopped = ProcessCluster.stop(config, quiet, true);
        assertThat(stopped).hasSize(6);
        assertThat(first.processes()).allSatisfy(p -> assertThat(p.isAlive()).as(p.name()).isFalse());
        assertThat(PidFiles.alive(config.pidDir())).isEmpty();

        ProcessCluster.Started second = ProcessCluster.start(config, artifacts, quiet);
        CheckpointHistory history = new FlinkRestClient(second.flinkRestUrl()).checkpoints(second.jobId());
        assertThat(history.restored()).isEqualTo(1);
        assertThat(history.latestRestoredFromSavepoint()).isTrue();
        CheckpointHistory archive = new FlinkRestClient(second.flinkRestUrl()).checkpoints(second.archiveJobId());
        assertThat(archive.restored()).as("the archive job resumed too").isEqualTo(1);
        assertThat(archive.latestRestoredFromSavepoint()).isTrue();
        ingest(apiKey, 40, 80, ts);  // 40..59 were counted before the restart, 60..79 are new
        awaitCount(projectId, ts, 80);
    }

    private JsonNode createProject() throws Exception {
        String billingApi = "http://localhost:" + config.billingApiPort();
        JsonNode org = API.post(billingApi + "/api/v1/organisations", ADMIN, Map.of(
                "name", "Cluster IT", "billingEmail", "it@example.com", "timezone", "UTC")).expect(201).body();
        return API.post(billingApi + "/api/v1/organisations/" + org.get("id").asText() + "/projects", ADMIN,
                Map.of("name", "p1")).expect(201).body();
    }

    private void ingest(String apiKey, int fromKey, int toKey, Instant ts) throws Exception {
        for (int i = fromKey; i < toKey; i++) {
            int port = config.gatewayPorts().get(i % 2);
            API.post("http://localhost:" + port + "/api/v1/ingest", apiKey, Map.of("metricName", "api_calls",
                    "metricValue", "2.5", "unit", "count", "timestamp", ts.toString(), "idempotencyKey", "k-" + i)).expect(202);
        }
    }

    private void awaitCount(String projectId, Instant ts, long count) throws IOException, InterruptedException {
        String url = "http://localhost:" + config.billingApiPort() + "/api/v1/projects/" + projectId + "/usage?period="
                + ts.toString().substring(0, 7);
        Poll.until(count + " events in the usage API", Duration.ofMinutes(2), () -> {
            JsonNode metrics = API.get(url, ADMIN).expect(200).body().path("metrics");
            return metrics.size() == 1 && metrics.get(0).path("count").asLong() == count
                    && metrics.get(0).path("sum").decimalValue().compareTo(new BigDecimal("2.5").multiply(
                            BigDecimal.valueOf(count))) == 0;
        });
    }
}
