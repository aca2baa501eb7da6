package dev.meterbill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.e2e.testutils.TestStacks;
import dev.meterbill.localstack.ApiClient;
import dev.meterbill.localstack.DemoBilling;
import dev.meterbill.localstack.DemoLifecycle;
import dev.meterbill.localstack.DemoScenario;
import dev.meterbill.localstack.LocalStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The walking skeleton end to end: HTTP into the real gateway, a real in-process Kafka broker,
 * the aggregation job on a Flink MiniCluster, totals read back from PostgreSQL.
 */
// The demo backfills last month: it must run before other tests move the job's event time to now,
// after which last month's events would rightly be late.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static LocalStack stack;
    private static final ApiClient API = new ApiClient();

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.startLocal("local-stack-it");
    }

    @AfterAll
    static void stop() throws Exception {
        TestStacks.stopLocal(stack);
    }

    @Test
    @Order(2)
    void eventsSentOverHttpAreCountedExactlyOnceInPostgres() throws Exception {
        JsonNode org = API.post(stack.billingApiUrl() + "/api/v1/organisations", stack.adminToken(), Map.of(
                "name", "Pipeline IT", "billingEmail", "it@example.com", "timezone", "UTC")).expect(201).body();
        JsonNode project = API.post(stack.billingApiUrl() + "/api/v1/organisations/" + org.get("id").asText() + "/projects",
                stack.adminToken(), Map.of("name", "p1")).expect(201).body();
        String apiKey = project.get("apiKey").asText();
        UUID projectId = UUID.fromString(project.get("id").asText());
        String ingest = stack.gatewayUrl() + "/api/v1/ingest";

        Instant ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        if (!ts.toString().substring(0, 7).equals(ts.minusSeconds(600).toString().substring(0, 7))) {
            ts = ts.minusSeconds(3600); // keep all 500 events in one month when run just after midnight on the 1st
        }
        String period = ts.toString().substring(0, 7);
        BigDecimal expectedSum = BigDecimal.ZERO;
        int sent = 0;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            BigDecimal value = new BigDecimal("0.1").add(BigDecimal.valueOf(i, 3)); // exact decimals, never binary
            bodies.add(ApiClient.JSON.writeValueAsString(Map.of("metricName", "api_calls", "metricValue", value,
                    "unit", "count", "timestamp", ts.minusSeconds(i).toString(), "idempotencyKey", "k-" + i)));
            expectedSum = expectedSum.add(value);
            sent++;
        }
        for (String body : bodies) {
            API.postAsync(ingest, apiKey, body).join().expect(202);
        }
        // producer retries of already-accepted events: accepted again, counted once
        for (int i = 0; i < 50; i++) {
            API.postAsync(ingest, apiKey, bodies.get(i)).join().expect(202);
        }
        // an invalid event is refused with a field error and never counted
        ApiClient.Response bad = API.post(ingest, apiKey, Map.of("metricName", "api_calls", "metricValue", "-1",
                "unit", "count", "timestamp", ts.toString()));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors").get(0).get("field").asText()).isEqualTo("metricValue");
        assertThat(API.post(ingest, "pk_unknown", Map.of()).status()).isEqualTo(401);

        Map<String, Object> row = awaitRow(projectId, "api_calls", period, sent, Duration.ofSeconds(90));
        assertThat(row.get("event_count")).isEqualTo((long) sent);
        assertThat((BigDecimal) row.get("sum_value")).isEqualByComparingTo(expectedSum);
        assertThat((BigDecimal) row.get("min_value")).isEqualByComparingTo("0.1");
        assertThat((BigDecimal) row.get("max_value")).isEqualByComparingTo(new BigDecimal("0.1").add(BigDecimal.valueOf(499, 3)));

        // and the usage API shows the same exact figures
        JsonNode usage = API.get(stack.billingApiUrl() + "/api/v1/projects/" + projectId + "/usage?period=" + period,
                stack.adminToken()).expect(200).body();
        JsonNode metric = usage.get("metrics").get(0);
        assertThat(metric.get("count").asLong()).isEqualTo(sent);
        assertThat(metric.get("sum").decimalValue()).isEqualByComparingTo(expectedSum);

        // nothing more arrives later: the total is stable, not double counted by a refresh or a checkpoint
        Thread.sleep(3_000);
        assertThat(readRow(projectId, "api_calls", period).get("event_count")).isEqualTo((long) sent);
    }

    @Test
    @Order(1)
    void demoScenarioAddsUp() throws Exception {
        DemoScenario usage = new DemoScenario(System.out, Clock.systemUTC());
        DemoLifecycle lifecycle = new DemoLifecycle(System.out, Clock.systemUTC());
        lifecycle.sendUsage(stack.billingApiUrl(), stack.gatewayUrl(), stack.adminToken());
        assertThat(usage.run(stack.billingApiUrl(), stack.gatewayUrl(), stack.adminToken(), 2_000, Duration.ofSeconds(90)))
                .as("usage totals exact, last month final").isTrue();
        DemoBilling billing = new DemoBilling(System.out);
        assertThat(billing.run(stack.billingApiUrl(), stack.adminToken(), stack.razorpayUrl(),
                usage.organisationId(), usage.previousPeriod(), Duration.ofSeconds(60)))
                .as("invoice generated, issued, paid through the Razorpay emulator").isTrue();
        // the tokens of three models in two regions, retries among them, metered by the definition llm_tokens
        // through the gateway, Kafka and the job: one line per model and region, priced per model
        JsonNode lines = API.get(stack.billingApiUrl() + "/api/v1/invoices/" + billing.invoiceId(), stack.adminToken())
                .expect(200).body().get("lines");
        List<String> tokenLines = new ArrayList<>();
        for (JsonNode line : lines) {
            if (line.get("metricName").asText().startsWith("llm_tokens{")) {
                tokenLines.add(line.get("metricName").asText() + " " + line.get("quantity").decimalValue().toPlainString()
                        + " " + line.get("amount").decimalValue().setScale(2).toPlainString());
            }
        }
        assertThat(tokenLines).containsExactly(
                "llm_tokens{model=large,region=ap-south-1} 200000 6.00",      // 4 x 50,000 x 0.00003
                "llm_tokens{model=large,region=eu-west-1} 100000 3.00",       // 2 x 50,000 x 0.00003
                "llm_tokens{model=medium,region=ap-south-1} 1500000 14.00",   // 1,000,000 x 0.00001 + 500,000 x 0.000008
                "llm_tokens{model=medium,region=eu-west-1} 500000 5.00",      // 2 x 250,000 x 0.00001
                "llm_tokens{model=small,region=ap-south-1} 5000000 10.00",    // 5 x 1,000,000 x 0.000002
                "llm_tokens{model=small,region=eu-west-1} 3703701 7.41");     // 3 x 1,234,567 x 0.000002 = 7.407402
        assertThat(lifecycle.run(stack.billingApiUrl(), stack.adminToken(), stack.razorpayUrl(), Duration.ofSeconds(60)))
                .as("a customer churns, is credited and pays net of TDS; its statement is settled").isTrue();
    }

    private static Map<String, Object> awaitRow(UUID projectId, String metric, String period, long count, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> row = Map.of();
        while (System.nanoTime() < deadline) {
            row = readRow(projectId, metric, period);
            if (Long.valueOf(count).equals(row.get("event_count"))) {
                return row;
            }
            Thread.sleep(250);
        }
        return row;
    }

    private static Map<String, Object> readRow(UUID projectId, String metric, String period) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.dbUrl(), "postgres", "");
             PreparedStatement ps = c.prepareStatement("""
                     SELECT event_count, sum_value, min_value, max_value FROM usage_aggregates
                      WHERE project_id = ? AND metric_name = ? AND period = ?""")) {
            ps.setObject(1, projectId);
            ps.setString(2, metric);
            ps.setString(3, period);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Object> row = new HashMap<>();
                if (rs.next()) {
                    row.put("event_count", rs.getLong(1));
                    row.put("sum_value", rs.getBigDecimal(2));
                    row.put("min_value", rs.getBigDecimal(3));
                    row.put("max_value", rs.getBigDecimal(4));
                }
                return row;
            }
        }
    }
}
