package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.BulkTenants;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.sql.Connection;
import java.time.YearMonth;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One organisation that cannot be priced never stops the invoice run for the others: it is recorded
 * as a failed generation (API and audit log), the run goes on (its own chunk included), later runs
 * retry only what is still missing, and the failure is resolved when its invoice is finally generated.
 */
class InvoiceRunIsolationIT {

    private static final int ORGANISATIONS = 500;
    private static final String PERIOD = "2026-01";
    private static final String FAILURES = "/api/v1/invoice-generation-failures";

    private static Response generate(RunningBillingApi running, String body) {
        return running.client().postJson("/api/v1/invoices/generate", ADMIN_TOKEN, body);
    }

    private static long count(RunningBillingApi running, String sql, Object... parameters) {
        return running.database().queryValue(Long.class, sql, parameters);
    }

    /** 500 organisations of one project and one per-unit metric (0.00125 INR per unit), seeded in bulk. */
    private static void seed(RunningBillingApi running) throws Exception {
        UUID plan = running.createPlan("""
                {"name":"Bulk plan","currency":"INR","minimumCommitment":5000,"charges":[{"metricName":"%s",
                 "aggregation":"sum","model":"per_unit","unitPrice":0.00125,"freeUnits":1000}]}"""
                .formatted(BulkTenants.metric(1)));
        try (Connection c = running.database().connect()) {
            BulkTenants.seed(c, "Bulk", plan, YearMonth.parse(PERIOD), ORGANISATIONS, 1, 1);
        }
    }

    /** An organisation of the first chunk (runs go by organisation id, 200 a chunk). */
    private static UUID organisationOfTheFirstChunk(RunningBillingApi running) {
        return running.database().queryValue(UUID.class, "SELECT id FROM organisations ORDER BY id OFFSET 100 LIMIT 1");
    }

    @Test
    void oneUnpriceableOrganisationAmong500IsRecordedAndOnlyItIsRetried() throws Exception {
        try (RunningBillingApi running = RunningBillingApi.started(config -> config)) {
            seed(running);
            UUID poison = organisationOfTheFirstChunk(running);
            // 10^25 units at 0.00125 INR: 1.25 x 10^24 paise, beyond any long
            running.database().update("UPDATE usage_aggregates SET sum_value = 1e25 WHERE organisation_id = ?", poison);

            Response first = generate(running, "{\"period\":\"" + PERIOD + "\"}");

            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.json().get("created").asInt()).isEqualTo(ORGANISATIONS - 1);
            assertThat(first.json().get("failed").asInt()).isEqualTo(1);
            assertThat(count(running, "SELECT count(*) FROM invoices WHERE period = ?", PERIOD))
                    .isEqualTo(ORGANISATIONS - 1);
            assertThat(count(running, "SELECT count(*) FROM invoices WHERE organisation_id = ?", poison)).isZero();

            JsonNode failures = running.client().get(FAILURES + "?period=" + PERIOD, ADMIN_TOKEN).json().get("failures");
            assertThat(failures).hasSize(1);
            JsonNode failure = failures.get(0);
            assertThat(failure.get("organisationId").asText()).isEqualTo(poison.toString());
            assertThat(failure.get("reason").asText()).contains("metric_1", "exceeds the largest amount");
            assertThat(failure.get("attempts").asInt()).isEqualTo(1);
            assertThat(failure.get("resolvedAt").isNull()).isTrue();
            JsonNode audit = running.client().get("/api/v1/audit-logs?entityType=invoice_generation_failure", ADMIN_TOKEN)
                    .json().get("entries");
            assertThat(audit).hasSize(1);
            assertThat(audit.get(0).get("action").asText()).isEqualTo("invoice_generation_failure.recorded");
            assertThat(audit.get(0).get("organisationId").asText()).isEqualTo(poison.toString());
            assertThat(audit.get(0).get("after").get("reason").asText()).contains("exceeds the largest amount");

            Response second = generate(running, "{\"period\":\"" + PERIOD + "\"}");

            assertThat(second.json().get("created").asInt()).as("only what is missing is retried").isZero();
            assertThat(second.json().get("existing").asInt()).isEqualTo(ORGANISATIONS - 1);
            assertThat(second.json().get("failed").asInt()).isEqualTo(1);
            assertThat(count(running, "SELECT attempts::bigint FROM invoice_generation_failures WHERE organisation_id = ?", poison))
                    .isEqualTo(2);
            assertThat(count(running, "SELECT count(*) FROM audit_logs WHERE entity_type = 'invoice_generation_failure'"))
                    .as("the same failure again is counted, not audited again").isEqualTo(1);

            running.database().update("UPDATE usage_aggregates SET sum_value = 5000 WHERE organisation_id = ?", poison);
            Response third = generate(running, "{\"period\":\"" + PERIOD + "\"}");

            assertThat(third.json().get("created").asInt()).isEqualTo(1);
            assertThat(third.json().get("failed").asInt()).isZero();
            JsonNode resolved = running.client().get(FAILURES + "?period=" + PERIOD, ADMIN_TOKEN).json().get("failures").get(0);
            assertThat(resolved.get("resolvedAt").isNull()).isFalse();
            assertThat(resolved.get("invoiceId").asText()).isEqualTo(running.database().queryValue(UUID.class,
                    "SELECT id FROM invoices WHERE organisation_id = ?", poison).toString());
            assertThat(running.client().get(FAILURES + "?status=open", ADMIN_TOKEN).json().get("failures")).isEmpty();
            assertThat(count(running, "SELECT count(*) FROM audit_logs WHERE action = 'invoice_generation_failure.resolved'"
                    + " AND organisation_id = ?", poison)).isEqualTo(1);
        }
    }

    @Test
    void aChunkTheDatabaseRefusesIsRetriedOneOrganisationPerTransaction() throws Exception {
        try (RunningBillingApi running = RunningBillingApi.started(config -> config)) {
            seed(running);
            UUID poison = organisationOfTheFirstChunk(running);
            // what no check in code foresaw: the database refuses one organisation's invoice
            running.database().update("""
                    CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.organisation_id = '%s' THEN
                            RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'check_violation';
                        END IF;
                        RETURN NEW;
                    END $$""".formatted(poison));
            running.database().update("CREATE TRIGGER refuse_one BEFORE INSERT ON invoices FOR EACH ROW"
                    + " EXECUTE FUNCTION refuse_one()");

            Response run = generate(running, "{\"period\":\"" + PERIOD + "\"}");

            assertThat(run.status()).as(run.body()).isEqualTo(200);
            assertThat(run.json().get("created").asInt()).isEqualTo(ORGANISATIONS - 1);
            assertThat(run.json().get("failed").asInt()).isEqualTo(1);
            assertThat(running.database().queryValue(String.class,
                    "SELECT reason FROM invoice_generation_failures WHERE organisation_id = ?", poison))
                    .contains("refused for the test");

            running.database().update("DROP TRIGGER refuse_one ON invoices");
            assertThat(generate(running, "{\"period\":\"" + PERIOD + "\"}").json().get("created").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aSingleOrganisationThatCannotBePricedIsAClearProblemAndIsRecorded() {
        try (RunningBillingApi running = RunningBillingApi.started(config -> config)) {
            OrgFixture org = running.createOrganisation("Too Big Ltd");
            UUID plan = running.createPlan(InvoiceApiIT.GROWTH.formatted("Growth"));
            running.subscribe(org.id(), plan, "2026-01-01");
            ProjectFixture project = running.createProject(org.id(), "Main");
            running.aggregate(project, "api_calls", PERIOD, "1e25", 1, "1", "1", true);
            String body = "{\"period\":\"" + PERIOD + "\",\"organisationId\":\"" + org.id() + "\"}";

            Response plain = generate(running, body);
            Response idempotent = running.client().send("POST", "/api/v1/invoices/generate", ADMIN_TOKEN, body,
                    "Idempotency-Key", "generate-too-big");

            for (Response response : new Response[] {plain, idempotent}) {
                assertThat(response.status()).as(response.body()).isEqualTo(422);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.json().get("type").asText())
                        .isEqualTo("https://meterbill.dev/problems/invoice-not-priceable");
                assertThat(response.json().get("detail").asText()).contains("api_calls · Main");
            }
            assertThat(count(running, "SELECT count(*) FROM invoices")).isZero();
            assertThat(count(running, "SELECT attempts::bigint FROM invoice_generation_failures WHERE organisation_id = ?",
                    org.id())).isEqualTo(2);
            assertThat(running.client().get(FAILURES, org.secretKey()).status())
                    .as("failures are the operator's").isEqualTo(403);
        }
    }
}
