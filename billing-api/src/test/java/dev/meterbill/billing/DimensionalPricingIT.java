package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plan charges on metric definitions through the API and the real database: dimension prices stored and read back,
 * an invoice with one line per group of the definition's usage priced by the first matching dimension, a unique
 * count billed, late usage of a group adjusted at its dimension's price. Amounts computed by hand, in INR.
 */
class DimensionalPricingIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    private static final String PLAN = """
            {"name":"AI %s","currency":"INR","charges":[
              {"metricDefinition":"llm_tokens","model":"per_unit","unitPrice":0.000001,"dimensionPrices":[
                 {"dimensions":{"model":"large","region":"eu"},"model":"per_unit","unitPrice":0.000025},
                 {"dimensions":{"model":"large"},"model":"per_unit","unitPrice":0.00002},
                 {"dimensions":{"model":"medium"},"model":"graduated","tiers":[
                    {"upTo":1000000,"unitPrice":0.000005},{"unitPrice":0.000004}]}]},
              {"metricDefinition":"mau","model":"per_unit","unitPrice":10,"freeUnits":100}]}""";

    private static void define(String body) {
        Response created = client.postJson("/api/v1/metrics", ADMIN_TOKEN, body);
        assertThat(created.status()).as(created.body()).isIn(201, 409);
    }

    private static UUID planOnDefinitions(String name) {
        define("""
                {"key":"llm_tokens","displayName":"LLM tokens","unit":"tokens","eventMetric":"tokens",
                 "aggregation":"sum","groupBy":["model","region"]}""");
        define("""
                {"key":"mau","displayName":"Monthly active users","unit":"users","eventMetric":"active",
                 "aggregation":"unique_count","uniqueProperty":"user_id"}""");
        return running.createPlan(PLAN.formatted(name));
    }

    @Test
    void dimensionPricesAreStoredAndReadBack() {
        UUID plan = planOnDefinitions("read back");

        JsonNode charges = client.get("/api/v1/pricing-plans/" + plan, ADMIN_TOKEN).json().get("charges");

        JsonNode tokens = charges.get(0);
        assertThat(tokens.get("metricName").asText()).isEqualTo("llm_tokens");
        assertThat(tokens.get("metricDefinition").asText()).isEqualTo("llm_tokens");
        assertThat(tokens.get("aggregation").asText()).isEqualTo("sum");
        assertThat(tokens.get("dimensionPrices")).hasSize(3);
        assertThat(tokens.get("dimensionPrices").get(0).get("dimensions").toString())
                .isEqualTo("{\"model\":\"large\",\"region\":\"eu\"}");
        assertThat(tokens.get("dimensionPrices").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("0.000025");
        assertThat(tokens.get("dimensionPrices").get(2).get("model").asText()).isEqualTo("graduated");
        assertThat(tokens.get("dimensionPrices").get(2).get("tiers").get(1).get("unitPrice").decimalValue())
                .isEqualByComparingTo("0.000004");
        assertThat(charges.get(1).get("aggregation").asText()).isEqualTo("unique_count");
        assertThat(charges.get(1).has("dimensionPrices")).isFalse();
    }

    @Test
    void aPlanOnAnUnknownDefinitionIsRefusedNamingTheField() {
        Response refused = client.postJson("/api/v1/pricing-plans", ADMIN_TOKEN, """
                {"name":"Unknown","charges":[{"metricDefinition":"nope","model":"per_unit","unitPrice":1}]}""");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("charges[0].metricDefinition");
    }

    @Test
    void theInvoiceHasOneLinePerPricedDimensionAndLateUsageOfAGroupIsAdjustedAtItsPrice() {
        UUID plan = planOnDefinitions("invoiced");
        OrgFixture org = running.createOrganisation("Tokens Inc", "UTC", "29");
        running.subscribe(org.id(), plan, "2026-01-01");
        ProjectFixture chat = running.createProject(org.id(), "chat");
        ProjectFixture search = running.createProject(org.id(), "search");
        running.aggregate(chat, "llm_tokens{model=large,region=eu}", "2026-01", "100000", 40, "1", "1", true);
        running.aggregate(chat, "llm_tokens{model=large,region=in}", "2026-01", "300000", 30, "1", "1", true);
        running.aggregate(search, "llm_tokens{model=large,region=in}", "2026-01", "200000", 20, "1", "1", true);
        running.aggregate(chat, "llm_tokens{model=medium,region=in}", "2026-01", "1500000", 10, "1", "1", true);
        running.aggregate(search, "llm_tokens{model=small,region=eu}", "2026-01", "2345678", 5, "1", "1", true);
        running.aggregate(chat, "tokens", "2026-01", "4445678", 105, "1", "1", true);
        running.aggregate(chat, "mau{}", "2026-01", "20000", 20000, "1", "1", true);

        String january = running.generateInvoice(org.id(), "2026-01");

        JsonNode lines = client.get("/api/v1/invoices/" + january, org.secretKey()).json().get("lines");
        assertThat(lines).extracting(l -> l.get("metricName").asText(), l -> l.get("amount").decimalValue().setScale(2).toPlainString())
                .containsExactly(
                        tuple("llm_tokens{model=large,region=eu}", "2.50"),   // 100,000 x 0.000025
                        tuple("llm_tokens{model=large,region=in}", "10.00"),  // 500,000 x 0.00002
                        tuple("llm_tokens{model=medium,region=in}", "7.00"),  // 5.00 + 500,000 x 0.000004
                        tuple("llm_tokens{model=small,region=eu}", "2.35"),   // 2,345,678 x 0.000001
                        tuple("mau{}", "199000.00"));                         // (20,000 - 100) x 10
        assertThat(lines.get(1).get("description").asText()).startsWith("llm_tokens · model=large, region=in · 2 projects");
        assertThat(lines.get(4).get("quantity").decimalValue()).isEqualByComparingTo("19900");

        // 100,000 more medium tokens in India arrived after January was final
        running.database().update("""
                INSERT INTO late_usage_events (event_id, project_id, organisation_id, metric_name, metric_value, unit,
                                               event_time, period, reason, received_at)
                VALUES (?, ?, ?, 'llm_tokens{model=medium,region=in}', 100000, 'tokens', '2026-01-31T12:00:00Z',
                        '2026-01', 'after final', now())
                """, UUID.randomUUID(), chat.id(), org.id());
        String february = running.generateInvoice(org.id(), "2026-02");

        JsonNode adjustment = client.get("/api/v1/invoices/" + february, org.secretKey()).json().get("lines").get(0);
        assertThat(adjustment.get("type").asText()).isEqualTo("adjustment");
        assertThat(adjustment.get("metricName").asText()).isEqualTo("llm_tokens{model=medium,region=in}");
        // owed 5.00 + 600,000 x 0.000004 = 7.40, billed 7.00
        assertThat(adjustment.get("amount").decimalValue()).isEqualByComparingTo("0.40");
        assertThat(adjustment.get("description").asText())
                .isEqualTo("Late usage of 2026-01: llm_tokens · model=medium, region=in · chat (1 event)");
    }
}
