package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.archive.format.RerateSchema;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.testkit.HttpTestClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Applying a re-rating of a period without an invoice (issue 18): its totals (month, days, hours) become the re-rated
 * ones, final; the late events the re-rating includes are absorbed into them (no longer pending adjustments), the
 * others stay pending; other computed re-ratings of the period are superseded; only the operator sees and applies.
 * The re-rating's schema is laid out here as {@code ./billing rerate} lays it out (RerateIT runs the real one).
 */
class ReratingApiIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    @Test
    void aPeriodWithoutAnInvoiceGetsTheReratedTotalsAndAbsorbsTheIncludedLateEvents() {
        OrgFixture org = running.createOrganisation("Rerating");
        ProjectFixture p = running.createProject(org.id(), "p");
        running.aggregate(p, "api_calls", "2026-10", "100", 100, "1", "1", true);
        UUID included = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        for (UUID event : new UUID[] {included, later}) {
            running.database().update("""
                    INSERT INTO late_usage_events (event_id, project_id, organisation_id, metric_name, metric_value, unit,
                           event_time, period, reason, received_at)
                    VALUES (?, ?, ?, 'api_calls', 1, 'count', '2026-10-20T00:00:00Z', '2026-10', 'period final', now())""",
                    event, p.id(), org.id());
        }
        UUID id = rerating(org, "computed", "rerate_it_apply");
        UUID other = rerating(org, "computed", "rerate_it_other");
        running.database().update("INSERT INTO rerate_it_apply.usage_aggregates SELECT * FROM public.usage_aggregates"
                + " WHERE organisation_id = ?", org.id());
        running.database().update("UPDATE rerate_it_apply.usage_aggregates SET sum_value = 102, event_count = 102, is_final = false");
        running.database().update("INSERT INTO rerating_late_events (rerating_id, event_id) VALUES (?, ?)", id, included);

        String path = "/api/v1/reratings/" + id;
        assertThat(client.get(path, org.secretKey()).status()).isEqualTo(403);
        assertThat(client.get("/api/v1/reratings/" + UUID.randomUUID(), ADMIN_TOKEN).status()).isEqualTo(404);
        JsonNode before = client.get(path, ADMIN_TOKEN).json();
        assertThat(before.get("status").asText()).isEqualTo("computed");
        JsonNode change = before.get("changes").get(0);
        assertThat(change.get("liveCount").asLong()).isEqualTo(100);
        assertThat(change.get("lateCount").asLong()).isEqualTo(2);
        assertThat(change.get("reratedCount").asLong()).isEqualTo(102);

        assertThat(client.postJson(path + "/apply", org.secretKey(), "{}").status()).isEqualTo(403);
        JsonNode applied = client.postJson(path + "/apply", ADMIN_TOKEN, "{}").json();

        assertThat(applied.get("status").asText()).isEqualTo("applied");
        assertThat(applied.get("outcome").get("kind").asText()).isEqualTo("totals_replaced");
        assertThat(applied.get("outcome").get("lateEventsAbsorbed").asInt()).isEqualTo(1);
        assertThat(running.database().rows("SELECT event_count, is_final FROM usage_aggregates WHERE organisation_id = '"
                + org.id() + "'")).containsExactly("102 true");
        assertThat(running.database().rows("SELECT event_id, absorbed_by_rerating_id IS NOT NULL FROM late_usage_events"
                + " WHERE organisation_id = '" + org.id() + "' ORDER BY 2")).containsExactly(later + " false", included + " true");
        assertThat(running.database().queryValue(String.class, "SELECT status FROM reratings WHERE id = ?", other))
                .isEqualTo("superseded");
        assertThat(client.postJson(path + "/apply", ADMIN_TOKEN, "{}").status()).isEqualTo(409);
        assertThat(client.postJson(path + "/apply", ADMIN_TOKEN, "{\"pricingPlanId\":\"nope\"}").status()).isEqualTo(400);
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM audit_logs WHERE organisation_id = ? AND action = 'rerating.applied'", org.id())).isEqualTo(1L);
    }

    @Test
    void anInvoicedPeriodThatCostsMoreIsBilledAsAnAdjustmentOnTheNextInvoice() {
        OrgFixture org = running.createOrganisation("Rerated upwards", "UTC", "29");
        ProjectFixture p = running.createProject(org.id(), "p");
        UUID plan = running.createPlan("""
                {"name":"Calls %s","currency":"INR","charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":2}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-09-01");
        running.aggregate(p, "api_calls", "2026-09", "100", 100, "1", "1", true);
        String september = running.generateInvoice(org.id(), "2026-09");
        assertThat(client.postJson("/api/v1/invoices/" + september + "/issue", ADMIN_TOKEN, "").status()).isEqualTo(200);
        // the archive held 110 calls of September (a definition was fixed, say): 20.00 more
        UUID id = rerating(org, "computed", "rerate_it_upwards", "2026-09");
        running.database().update("INSERT INTO rerate_it_upwards.usage_aggregates SELECT * FROM public.usage_aggregates"
                + " WHERE organisation_id = ?", org.id());
        running.database().update("UPDATE rerate_it_upwards.usage_aggregates SET sum_value = 110, event_count = 110");

        JsonNode outcome = client.postJson("/api/v1/reratings/" + id + "/apply", ADMIN_TOKEN, "{}").json().get("outcome");

        assertThat(outcome.get("kind").asText()).isEqualTo("adjustment_pending");
        assertThat(outcome.get("billedSubtotalMinor").asLong()).isEqualTo(20_000);   // 100 x 2.00
        assertThat(outcome.get("reratedSubtotalMinor").asLong()).isEqualTo(22_000);  // 110 x 2.00
        assertThat(outcome.get("adjustmentMinor").asLong()).isEqualTo(2_000);
        running.aggregate(p, "api_calls", "2026-10", "50", 50, "1", "1", true);
        String october = running.generateInvoice(org.id(), "2026-10");
        JsonNode invoice = client.get("/api/v1/invoices/" + october, ADMIN_TOKEN).json();
        assertThat(invoice.get("lines")).extracting(l -> l.get("type").asText()).containsExactly("usage", "adjustment");
        JsonNode adjustment = invoice.get("lines").get(1);
        assertThat(adjustment.get("amount").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(adjustment.get("description").asText()).startsWith("Re-rating of 2026-09");
        assertThat(invoice.get("subtotal").decimalValue()).isEqualByComparingTo("120.00"); // 50 x 2.00 + 20.00
        assertThat(invoice.get("total").decimalValue()).isEqualByComparingTo("141.60");    // + 9% CGST + 9% SGST
        // billed once: the adjustment is on October's invoice, never again
        assertThat(running.database().queryValue(String.class,
                "SELECT adjusted_on_invoice_id::text FROM rerating_adjustments WHERE rerating_id = ?", id)).isEqualTo(october);
    }

    /** A re-rating row and its schema, as ./billing rerate leaves them. */
    static UUID rerating(OrgFixture org, String status, String schema) {
        return rerating(org, status, schema, "2026-10");
    }

    static UUID rerating(OrgFixture org, String status, String schema, String period) {
        UUID id = UUID.randomUUID();
        running.database().update("INSERT INTO reratings (id, organisation_id, period, schema_name, status, archive_files)"
                + " VALUES (?, ?, ?, ?, ?, 1)", id, org.id(), period, schema, status);
        try (Connection c = running.database().connect()) {
            RerateSchema.create(c, schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }
}
