package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.BulkTenants;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Whole-period invoice runs: concurrent operator runs and the scheduled run. */
class InvoiceRunIT {

    /** More than two chunks, so that the run works in parallel. */
    private static final int ORGANISATIONS = 450;
    /** A charge of every model on the metrics of {@link BulkTenants}, and a minimum commitment. */
    private static final String BULK_PLAN = """
            {"name":"Bulk plan","currency":"INR","minimumCommitment":5000,"charges":[
              {"metricName":"%s","aggregation":"sum","model":"per_unit","unitPrice":0.00125,"freeUnits":1000},
              {"metricName":"%s","aggregation":"sum","model":"graduated","tiers":[
                 {"upTo":10000,"unitPrice":0},{"upTo":100000,"unitPrice":0.01,"flatFee":99},{"upTo":null,"unitPrice":0.005}]},
              {"metricName":"%s","aggregation":"count","model":"volume","tiers":[{"upTo":100,"unitPrice":1},{"unitPrice":0.75}]},
              {"metricName":"%s","aggregation":"sum","model":"package","packageSize":1000,"unitPrice":49},
              {"metricName":"%s","aggregation":"max","model":"per_unit","unitPrice":299,"freeUnits":2}]}"""
            .formatted(BulkTenants.metric(1), BulkTenants.metric(2), BulkTenants.metric(3), BulkTenants.metric(4),
                    BulkTenants.metric(5));

    @Test
    void twoConcurrentRunsForThePeriodBothSucceedAndCreateExactlyOneInvoicePerOrganisation() throws Exception {
        try (RunningBillingApi running = RunningBillingApi.started(BillingSettings.defaults().withoutScheduledRuns())) {
            UUID plan = running.createPlan(BULK_PLAN);
            try (Connection c = running.database().connect()) {
                BulkTenants.seed(c, "Bulk", plan, YearMonth.of(2026, 1), ORGANISATIONS, 3, 5);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Response>> runs = List.of(1, 2).stream()
                    .map(i -> CompletableFuture.supplyAsync(() -> {
                        await(go);
                        return running.client().postJson("/api/v1/invoices/generate", ADMIN_TOKEN,
                                "{\"period\":\"2026-01\"}");
                    })).toList();
            go.countDown();

            Response first = runs.get(0).get();
            Response second = runs.get(1).get();

            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            assertThat(first.json().get("created").asInt() + second.json().get("created").asInt())
                    .isEqualTo(ORGANISATIONS);
            assertThat(count(running, "SELECT count(*) FROM invoices WHERE period = '2026-01'")).isEqualTo(ORGANISATIONS);
            assertThat(count(running, "SELECT count(DISTINCT organisation_id) FROM invoices")).isEqualTo(ORGANISATIONS);
            assertThat(count(running, """
                    SELECT count(*) FROM invoices i
                     WHERE total_minor <> (SELECT sum(amount_minor) FROM invoice_line_items l WHERE l.invoice_id = i.id)
                                          + cgst_minor + sgst_minor + igst_minor"""))
                    .as("every invoice has all its lines").isZero();
            assertThat(count(running, "SELECT count(*) FROM audit_logs WHERE action = 'invoice.generated'"))
                    .isEqualTo(ORGANISATIONS);
            assertThat(count(running, "SELECT count(*) FROM invoices WHERE cgst_minor > 0"))
                    .as("half the organisations are in the supplier's state").isEqualTo(ORGANISATIONS / 2);

            Response third = running.client().postJson("/api/v1/invoices/generate", ADMIN_TOKEN,
                    "{\"period\":\"2026-01\"}");
            assertThat(third.json().get("created").asInt()).isZero();
            assertThat(third.json().get("existing").asInt()).isEqualTo(ORGANISATIONS);
        }
    }

    @Test
    void theScheduledRunInvoicesFinalPeriodsAndWaitsForTheDeadlineOtherwise() {
        BillingSettings everySecond = BillingSettings.defaults().withInvoiceRunInterval(Duration.ofMillis(300));
        BillingSettings longDeadline = new BillingSettings("29", null, everySecond.gstRatePercent(), "MB", 15,
                everySecond.invoiceRunInterval(), Duration.ofDays(365), 2);
        YearMonth lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        assertThat(PeriodCalendar.recentlyEnded(Instant.now())).contains(lastMonth);
        try (RunningBillingApi running = RunningBillingApi.started(longDeadline)) {
            UUID plan = running.createPlan(InvoiceApiIT.GROWTH.formatted("Scheduled"));
            OrgFixture finalUsage = running.createOrganisation("Final", "UTC", "29");
            OrgFixture openUsage = running.createOrganisation("Still open", "UTC", "29");
            for (OrgFixture org : List.of(finalUsage, openUsage)) {
                running.subscribe(org.id(), plan, lastMonth.atDay(1).toString());
                ProjectFixture project = running.createProject(org.id(), "api");
                running.aggregate(project, "api_calls", lastMonth.toString(), "5000", 5, "1", "1", org == finalUsage);
            }

            awaitInvoice(running, finalUsage.id());

            assertThat(count(running, "SELECT count(*) FROM invoices WHERE organisation_id = ?", openUsage.id()))
                    .as("usage not final and deadline a year away").isZero();
            assertThat(running.database().queryValue(String.class,
                    "SELECT actor FROM audit_logs WHERE action = 'invoice.generated'"))
                    .isEqualTo("system:invoice-scheduler");
        }
    }

    private static void awaitInvoice(RunningBillingApi running, UUID organisationId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (count(running, "SELECT count(*) FROM invoices WHERE organisation_id = ?", organisationId) == 1) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("the scheduled run did not invoice " + organisationId);
    }

    private static long count(RunningBillingApi running, String sql, Object... parameters) {
        return running.database().queryValue(Long.class, sql, parameters);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
