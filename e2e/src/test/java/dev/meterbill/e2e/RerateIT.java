package dev.meterbill.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.archive.RerateMain;
import dev.meterbill.archive.format.RerateDiff;
import dev.meterbill.e2e.testutils.ArchiveContents;
import dev.meterbill.e2e.testutils.TestStacks;
import dev.meterbill.localstack.ApiClient;
import dev.meterbill.localstack.LocalStack;
import dev.meterbill.localstack.cluster.Poll;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, re-rating an invoiced period after a pricing mistake, on the local stack (gateway, Kafka, the aggregation
 * and archive jobs, billing-api): 1,000 api_calls of last month invoiced at 2.00 each (2,000.00 + 9% CGST + 9% SGST =
 * 2,360.00); the plan's corrected version charges 1.50. {@code ./billing rerate}'s computation recomputes last month
 * from the archive (unchanged totals: 1,000 calls), and applying it under the corrected plan issues a credit note of
 * 500.00 + 45.00 CGST + 45.00 SGST = 590.00. The open month is refused, and so are a second re-rating of a period
 * while one runs and applying twice.
 */
class RerateIT {

    private static final ApiClient API = new ApiClient();
    private static final int CALLS = 1_000;
    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.startLocal("local-stack-rerate-it");
    }

    @AfterAll
    static void stop() throws Exception {
        TestStacks.stopLocal(stack);
    }

    @Test
    void aCorrectedPriceForAnInvoicedPeriodIsCreditedThroughACreditNote() throws Exception {
        String api = stack.billingApiUrl();
        String admin = stack.adminToken();
        YearMonth last = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        JsonNode org = API.post(api + "/api/v1/organisations", admin, Map.of("name", "Rerate IT", "billingEmail",
                "it@example.com", "timezone", "UTC", "stateCode", "29")).expect(201).body();
        String orgId = org.get("id").asText();
        JsonNode project = API.post(api + "/api/v1/organisations/" + orgId + "/projects", admin, Map.of("name", "p1"))
                .expect(201).body();
        Map<String, Object> plan = Map.of("name", "Rerate IT " + orgId.substring(0, 8), "currency", "INR", "charges",
                List.of(Map.of("metricName", "api_calls", "aggregation", "sum", "model", "per_unit", "unitPrice",
                        new BigDecimal("2.00"))));
        String v1 = API.post(api + "/api/v1/pricing-plans", admin, plan).expect(201).body().get("id").asText();
        API.put(api + "/api/v1/organisations/" + orgId + "/subscription", admin,
                Map.of("pricingPlanId", v1, "startsOn", last.atDay(1).toString())).expect(200);

        // last month's last day (inside the gateway's 35-day window), then one event now: last month closes
        Instant day = last.atEndOfMonth().atTime(12, 0).toInstant(ZoneOffset.UTC);
        String ingest = stack.gatewayUrl() + "/api/v1/ingest";
        String key = project.get("apiKey").asText();
        for (int i = 0; i < CALLS; i++) {
            API.postAsync(ingest, key, ApiClient.JSON.writeValueAsString(Map.of("metricName", "api_calls", "metricValue", 1,
                    "unit", "count", "timestamp", day.plusSeconds(i).toString(), "idempotencyKey", "c-" + i))).join().expect(202);
        }
        API.post(ingest, key, Map.of("metricName", "api_calls", "metricValue", 1, "unit", "count", "timestamp",
                Instant.now().minusSeconds(5).toString(), "idempotencyKey", "now")).expect(202);
        Poll.until(last + " final", Duration.ofMinutes(2), () -> finalCount(orgId, last.toString()) == CALLS);
        Poll.until("the archive holds last month", Duration.ofMinutes(1),
                () -> ArchiveContents.read(stack.archiveDir()).rows() >= CALLS + 1);

        String invoiceId = API.post(api + "/api/v1/invoices/generate", admin, Map.of("period", last.toString(),
                "organisationId", orgId)).expect(200).body().get("invoiceIds").get(0).asText();
        JsonNode invoice = API.post(api + "/api/v1/invoices/" + invoiceId + "/issue", admin, Map.of()).expect(200).body();
        assertThat(invoice.get("subtotal").decimalValue()).isEqualByComparingTo("2000.00");
        assertThat(invoice.get("total").decimalValue()).isEqualByComparingTo("2360.00");

        // the corrected price, as a new version of the plan
        String v2 = API.post(api + "/api/v1/pricing-plans/" + v1 + "/versions", admin, Map.of("currency", "INR", "charges",
                List.of(Map.of("metricName", "api_calls", "aggregation", "sum", "model", "per_unit", "unitPrice",
                        new BigDecimal("1.50"))))).expect(201).body().get("id").asText();

        assertThatThrownBy(() -> rerate(orgId, YearMonth.now(ZoneOffset.UTC))).isInstanceOf(RerateMain.Refused.class)
                .hasMessageContaining("still open");
        // two re-ratings of one period never run at once (the database refuses a second 'running' one)
        UUID running = UUID.randomUUID();
        sql("INSERT INTO reratings (id, organisation_id, period, schema_name, status) VALUES ('" + running + "', '" + orgId
                + "', '" + last + "', 'rerate_it_running', 'running')");
        assertThatThrownBy(() -> rerate(orgId, last)).isInstanceOf(RerateMain.Refused.class).hasMessageContaining("is running");
        sql("UPDATE reratings SET status = 'failed' WHERE id = '" + running + "'");
        RerateMain.Result result = rerate(orgId, last);
        assertThat(result.files()).isPositive();
        assertThat(result.diff()).extracting(RerateDiff.Row::metricName, RerateDiff.Row::reratedCount, RerateDiff.Row::countChange)
                .containsExactly(tuple("api_calls", (long) CALLS, 0L));

        JsonNode applied = API.post(api + "/api/v1/reratings/" + result.id() + "/apply", admin, Map.of("pricingPlanId", v2))
                .expect(200).body();
        assertThat(applied.get("status").asText()).isEqualTo("applied");
        JsonNode outcome = applied.get("outcome");
        assertThat(outcome.get("kind").asText()).isEqualTo("credit_note");
        assertThat(outcome.get("billedSubtotalMinor").asLong()).isEqualTo(200_000);
        assertThat(outcome.get("reratedSubtotalMinor").asLong()).isEqualTo(150_000);
        JsonNode note = API.get(api + "/api/v1/credit-notes/" + outcome.get("creditNoteId").asText(), admin).expect(200).body();
        assertThat(note.get("reason").asText()).isEqualTo("rerating");
        assertThat(note.get("subtotal").decimalValue()).isEqualByComparingTo("500.00");
        assertThat(note.get("cgst").decimalValue()).isEqualByComparingTo("45.00");
        assertThat(note.get("sgst").decimalValue()).isEqualByComparingTo("45.00");
        assertThat(note.get("total").decimalValue()).isEqualByComparingTo("590.00");
        assertThat(API.post(api + "/api/v1/reratings/" + result.id() + "/apply", admin, Map.of()).status()).isEqualTo(409);
    }

    private static RerateMain.Result rerate(String orgId, YearMonth period) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            return RerateMain.run(new String[] {"--organisation", orgId, "--period", period.toString(),
                "--archive.path", stack.archiveDir().toString(), "--jdbc.url", stack.dbUrl(),
                "--kafka.bootstrap", stack.kafkaBootstrapServers()}, Map.of(), Clock.systemUTC(),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            System.out.print(out.toString(StandardCharsets.UTF_8));
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.dbUrl(), "postgres", "")) {
            c.createStatement().execute(statement);
        }
    }

    private static long finalCount(String orgId, String period) throws java.io.IOException {
        try (Connection c = DriverManager.getConnection(stack.dbUrl(), "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(event_count), 0) FROM usage_aggregates"
                     + " WHERE organisation_id = ?::uuid AND period = ? AND is_final")) {
            ps.setString(1, orgId);
            ps.setString(2, period);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new java.io.IOException(e);
        }
    }
}
