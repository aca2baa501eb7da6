package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.testkit.HttpTestClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Late usage that lowers an invoiced period becomes a credit note against that period's invoice. */
class LateCorrectionIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    @Test
    void aLaterLowerReadingOfAnInvoicedPeriodIsCreditedOnItsInvoice() {
        OrgFixture org = running.createOrganisation("Shrinking storage", "UTC", "29");
        ProjectFixture project = running.createProject(org.id(), "files");
        UUID plan = running.createPlan("""
                {"name":"Storage %s","currency":"INR","charges":[
                  {"metricName":"storage_gb","aggregation":"latest","model":"per_unit","unitPrice":2}]}"""
                .formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        running.aggregate(project, "storage_gb", "2026-01", "100", 1, "100", "100", true);
        running.aggregate(project, "storage_gb", "2026-02", "100", 1, "100", "100", true);
        String january = running.generateInvoice(org.id(), "2026-01");
        assertThat(client.postJson("/api/v1/invoices/" + january + "/issue", ADMIN_TOKEN, "").status()).isEqualTo(200);
        // the job recorded a reading of January that arrived after January was final: 40 GB, the last one
        running.database().update("""
                INSERT INTO late_usage_events (event_id, project_id, organisation_id, metric_name, metric_value, unit,
                                               event_time, period, reason, received_at)
                VALUES (?, ?, ?, 'storage_gb', 40, 'GB', now() + interval '1 day', '2026-01', 'after final', now())
                """, UUID.randomUUID(), project.id(), org.id());

        String february = running.generateInvoice(org.id(), "2026-02");

        JsonNode notes = client.get("/api/v1/invoices/" + january + "/credit-notes", ADMIN_TOKEN).json()
                .get("creditNotes");
        assertThat(notes).singleElement().satisfies(note -> {
            assertThat(note.get("reason").asText()).isEqualTo("late_usage_correction");
            assertThat(note.get("subtotal").decimalValue()).isEqualByComparingTo("120.00");   // (100 - 40) x 2.00
            assertThat(note.get("cgst").decimalValue()).isEqualByComparingTo("10.80");
            assertThat(note.get("total").decimalValue()).isEqualByComparingTo("141.60");
        });
        JsonNode feb = client.get("/api/v1/invoices/" + february, ADMIN_TOKEN).json();
        assertThat(feb.get("lines")).extracting(l -> l.get("type").asText()).containsExactly("usage", "adjustment");
        assertThat(feb.get("lines").get(1).get("amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(client.get("/api/v1/invoices/" + january, ADMIN_TOKEN).json().get("balanceDue").decimalValue())
                .isEqualByComparingTo("94.40");   // 236.00 - 141.60
    }
}
