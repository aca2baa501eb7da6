package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.SettableClock;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /organisations/{id}/upcoming-invoice}: the running period priced from live usage with the plan,
 * the organisation's negotiated price and its discount, and, once the period closes, equal line for line to
 * the invoice generated for it.
 */
class UpcomingInvoiceIT {

    private static final SettableClock clock = new SettableClock(Instant.parse("2026-03-15T10:00:00Z"));
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(clock);
    private static final HttpTestClient client = running.client();

    private static Response upcoming(UUID org, String query, String token) {
        return client.get("/api/v1/organisations/" + org + "/upcoming-invoice" + query, token);
    }

    @Test
    void theEstimateOfTheRunningPeriodIsTheInvoiceItBecomesLineForLine() {
        clock.set(Instant.parse("2026-03-15T10:00:00Z"));
        OrgFixture org = running.createOrganisation("Estimated Pvt Ltd", "Asia/Kolkata", "27");
        UUID plan = running.createPlan("""
                {"name":"Estimate %s","currency":"INR","minimumCommitment":500,"charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"graduated","freeUnits":1000,"tiers":[
                    {"upTo":10000,"unitPrice":0.05},{"upTo":null,"unitPrice":0.02}]},
                  {"metricName":"storage_gb","aggregation":"max","model":"per_unit","unitPrice":3},
                  {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":999,"sac":"998316"}]}"""
                .formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        JsonNode charges = client.get("/api/v1/pricing-plans/" + plan, ADMIN_TOKEN).json().get("charges");
        assertThat(client.postJson("/api/v1/organisations/" + org.id() + "/price-overrides", ADMIN_TOKEN,
                "{\"chargeId\":\"" + charges.get(1).get("id").asText() + "\",\"unitPrice\":2.5}").status()).isEqualTo(201);
        assertThat(client.postJson("/api/v1/organisations/" + org.id() + "/discounts", ADMIN_TOKEN,
                "{\"kind\":\"percent\",\"percent\":10,\"durationPeriods\":1}").status()).isEqualTo(201);
        ProjectFixture web = running.createProject(org.id(), "web");
        ProjectFixture batch = running.createProject(org.id(), "batch");
        running.aggregate(web, "api_calls", "2026-03", "7000", 7000, "1", "1", false);
        running.aggregate(batch, "api_calls", "2026-03", "2000", 2000, "1", "1", false);

        Response early = upcoming(org.id(), "", org.secretKey());
        assertThat(early.status()).as(early.body()).isEqualTo(200);
        assertThat(early.json().get("period").asText()).isEqualTo("2026-03");
        assertThat(early.json().get("estimate").asBoolean()).isTrue();
        // 9,000 calls - 1,000 free = 8,000 x 0.05 = 400.00; + 999.00 flat = 1,399.00; 10 % off = -139.90;
        // 1,259.10 + IGST 18 % (Maharashtra) 226.64 = 1,485.74
        assertThat(early.json().get("subtotal").decimalValue()).isEqualByComparingTo("1259.10");
        assertThat(early.json().get("tax").get("igst").decimalValue()).isEqualByComparingTo("226.64");
        assertThat(early.json().get("total").decimalValue()).isEqualByComparingTo("1485.74");

        // usage keeps arriving: the estimate follows it
        running.aggregate(web, "api_calls", "2026-03", "15000", 15000, "1", "1", false);
        running.aggregate(batch, "storage_gb", "2026-03", "40", 4, "12", "10", false);
        Response later = upcoming(org.id(), "?period=2026-03", ADMIN_TOKEN);
        assertThat(later.status()).isEqualTo(200);
        // 17,000 - 1,000 = 16,000: 10,000 x 0.05 + 6,000 x 0.02 = 620.00; storage max 12 x 2.50 = 30.00;
        // + 999.00 = 1,649.00; -164.90 = 1,484.10; IGST 267.14; 1,751.24
        assertThat(later.json().get("total").decimalValue()).isEqualByComparingTo("1751.24");
        assertThat(running.database().queryValue(Long.class, "SELECT count(*) FROM invoices WHERE organisation_id = ?",
                org.id())).as("an estimate writes nothing").isZero();

        // the period closes, the job finalises the same usage, the run invoices it
        clock.set(Instant.parse("2026-04-02T00:00:00Z"));
        running.aggregate(web, "api_calls", "2026-03", "15000", 15000, "1", "1", true);
        running.aggregate(batch, "api_calls", "2026-03", "2000", 2000, "1", "1", true);
        running.aggregate(batch, "storage_gb", "2026-03", "40", 4, "12", "10", true);
        Response estimate = upcoming(org.id(), "?period=2026-03", org.secretKey());
        JsonNode invoice = client.get("/api/v1/invoices/" + running.generateInvoice(org.id(), "2026-03"), ADMIN_TOKEN)
                .json();

        JsonNode e = estimate.json();
        for (String field : new String[] {"subtotal", "total", "totalMinor", "minimumCommitment", "currency",
                "pricingPlanId", "period", "tax"}) {
            assertThat(e.get(field)).as(field).isEqualTo(invoice.get(field));
        }
        assertThat(e.get("lines")).hasSize(invoice.get("lines").size()).isEqualTo(invoice.get("lines"));
        assertThat(e.get("lines").findValuesAsText("type")).containsExactly("usage", "usage", "flat", "discount");
        assertThat(upcoming(org.id(), "?period=2026-03", ADMIN_TOKEN).status())
                .as("an invoiced period has its invoice, not an estimate").isEqualTo(409);
    }

    @Test
    void anotherOrganisationsEstimateIsNotFoundAndOneWithoutAPlanHasNone() {
        clock.set(Instant.parse("2026-03-15T10:00:00Z"));
        OrgFixture planless = running.createOrganisation("Planless Pvt Ltd", "Asia/Kolkata", "29");
        OrgFixture other = running.createOrganisation("Other Pvt Ltd", "Asia/Kolkata", "29");

        assertThat(upcoming(planless.id(), "", other.secretKey()).status()).isEqualTo(404);
        assertThat(upcoming(UUID.randomUUID(), "", ADMIN_TOKEN).status()).isEqualTo(404);
        assertThat(upcoming(planless.id(), "", planless.secretKey()).status()).isEqualTo(409);
        Response bad = upcoming(planless.id(), "?period=2026-13", ADMIN_TOKEN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
    }
}
