package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsageApiIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();
    private static OrgFixture org;
    private static ProjectFixture project;

    @BeforeAll
    static void start() {
        org = running.createOrganisation("Metered");
        project = running.createProject(org.id(), "Metered API");
    }

    private static String usage(UUID projectId, String period) {
        return "/api/v1/projects/" + projectId + "/usage" + (period == null ? "" : "?period=" + period);
    }

    /** Writes an aggregate row the way the aggregation job does; sums are computed in NUMERIC, exactly. */
    private static void aggregate(ProjectFixture p, String metric, String period, String sumExpression, long count,
                                  String min, String max, String latest, boolean isFinal) {
        running.database().update("""
                INSERT INTO usage_aggregates (project_id, organisation_id, metric_name, period, timezone, unit,
                       sum_value, event_count, min_value, max_value, latest_value, latest_at, is_final)
                VALUES (?, ?, ?, ?, 'UTC', 'count', %s, ?, ?::numeric, ?::numeric, ?::numeric, now(), ?)
                """.formatted(sumExpression),
                p.id(), p.organisationId(), metric, period, count, min, max, latest, isFinal);
    }

    @Test
    void totalsAreReportedExactlyAsDecimals() {
        aggregate(project, "gb_stored", "2026-01", "0.1::numeric + 0.2::numeric", 2, "0.1", "0.2", "0.2", false);
        aggregate(project, "api_calls", "2026-01", "'12345678901234567890.123456789012'::numeric", 3,
                "0.000000000001", "1000", "1000.5", false);

        Response response = client.get(usage(project.id(), "2026-01"), org.secretKey());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        // The raw text proves no binary floating point was involved on the way out.
        assertThat(response.body())
                .contains("\"sum\":0.3,")
                .contains("\"sum\":12345678901234567890.123456789012,")
                .contains("\"min\":0.000000000001,")
                .contains("\"max\":1000,")
                .contains("\"latest\":1000.5");
        JsonNode json = response.json();
        assertThat(json.get("projectId").asText()).isEqualTo(project.id().toString());
        assertThat(json.get("period").asText()).isEqualTo("2026-01");
        assertThat(json.get("final").asBoolean()).isFalse();
        JsonNode apiCalls = json.get("metrics").get(0);
        assertThat(apiCalls.get("metricName").asText()).isEqualTo("api_calls");
        assertThat(apiCalls.get("unit").asText()).isEqualTo("count");
        assertThat(apiCalls.get("count").asLong()).isEqualTo(3);
        assertThat(json.get("metrics").get(1).get("sum").decimalValue()).isEqualByComparingTo(new BigDecimal("0.3"));
    }

    @Test
    void aPeriodIsFinalOnlyWhenEveryMetricIsFinal() {
        aggregate(project, "a", "2025-11", "1", 1, "1", "1", "1", true);
        aggregate(project, "b", "2025-11", "1", 1, "1", "1", "1", true);
        aggregate(project, "a", "2025-12", "1", 1, "1", "1", "1", true);
        aggregate(project, "b", "2025-12", "1", 1, "1", "1", "1", false);

        assertThat(client.get(usage(project.id(), "2025-11"), ADMIN_TOKEN).json().get("final").asBoolean()).isTrue();
        assertThat(client.get(usage(project.id(), "2025-12"), ADMIN_TOKEN).json().get("final").asBoolean()).isFalse();
    }

    @Test
    void aPeriodWithoutUsageIsEmptyAndNotFinal() {
        JsonNode json = client.get(usage(project.id(), "2020-02"), ADMIN_TOKEN).json();

        assertThat(json.get("metrics")).isEmpty();
        assertThat(json.get("final").asBoolean()).isFalse();
    }

    @Test
    void thePeriodIsRequired() {
        Response response = client.get(usage(project.id(), null), org.secretKey());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("period");
    }

    @Test
    void thePeriodMustBeAMonth() {
        for (String bad : new String[] {"2026-13", "2026-1", "202601", "2026-01-01", "latest"}) {
            Response response = client.get(usage(project.id(), bad), org.secretKey());
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("period");
        }
    }

    @Test
    void anotherOrganisationsKeyGetsNotFoundForTheProject() {
        OrgFixture other = running.createOrganisation("Nosy");
        aggregate(project, "secret_metric", "2026-03", "42", 1, "42", "42", "42", false);

        Response response = client.get(usage(project.id(), "2026-03"), other.secretKey());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("secret_metric");
    }

    @Test
    void anUnknownProjectIsNotFound() {
        assertThat(client.get(usage(UUID.randomUUID(), "2026-01"), ADMIN_TOKEN).status()).isEqualTo(404);
    }

    @Test
    void usageRequiresAToken() {
        assertThat(client.get(usage(project.id(), "2026-01"), null).status()).isEqualTo(401);
    }

    @Test
    void aProjectApiKeyIsNotABillingCredential() {
        assertThat(client.get(usage(project.id(), "2026-01"), project.apiKey()).status()).isEqualTo(401);
    }
}
