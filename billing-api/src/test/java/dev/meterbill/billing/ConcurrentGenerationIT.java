package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Concurrent single-organisation generations for one period all succeed with the one invoice: an
 * invoice inserted by a concurrent request between a request's first look and its insert reads as
 * "existing", never as "no pricing plan in force" (a 409 that 5 of 160 requests used to get).
 */
class ConcurrentGenerationIT {

    private static final int REQUESTS = 160;

    @Test
    void oneHundredSixtyConcurrentGenerationsAllAnswerTheOneInvoice() throws Exception {
        try (RunningBillingApi running = RunningBillingApi.started(config -> config)) {
            OrgFixture org = running.createOrganisation("Busy Ltd");
            subscribeToGrowth(running, org);
            ProjectFixture project = running.createProject(org.id(), "Main");
            running.aggregate(project, "api_calls", "2026-01", "5000", 5, "1", "1", true);
            String body = "{\"period\":\"2026-01\",\"organisationId\":\"" + org.id() + "\"}";

            ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
            List<Response> responses = new ArrayList<>();
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Response>> futures = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return running.client().postJson("/api/v1/invoices/generate", ADMIN_TOKEN, body);
                    }));
                }
                go.countDown();
                for (Future<Response> future : futures) {
                    responses.add(future.get());
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
            assertThat(responses).extracting(r -> r.json().get("invoiceIds").get(0).asText()).containsOnly(
                    running.database().queryValue(UUID.class, "SELECT id FROM invoices").toString());
            assertThat(responses).extracting(r -> r.json().get("created").asInt()).filteredOn(n -> n == 1).hasSize(1);
            assertThat(running.database().queryValue(Long.class, "SELECT count(*) FROM invoices")).isEqualTo(1);
            assertThat(running.database().queryValue(Long.class,
                    "SELECT count(*) FROM audit_logs WHERE action = 'invoice.generated'")).isEqualTo(1);
        }
    }

    /**
     * The race made deterministic: the request looks for the invoice, then waits (on a lock the test
     * holds) before it looks for the plan in force; meanwhile another writer inserts the invoice.
     */
    @Test
    void anInvoiceInsertedBetweenTheLookupsReadsAsExistingNotAsAMissingPlan() throws Exception {
        try (RunningBillingApi running = RunningBillingApi.started(config -> config)) {
            OrgFixture org = running.createOrganisation("Racy Ltd");
            UUID plan = subscribeToGrowth(running, org);
            UUID concurrent = UUID.randomUUID();
            CompletableFuture<Response> response;
            try (Connection lock = running.database().connect(); Statement statement = lock.createStatement()) {
                lock.setAutoCommit(false);
                statement.execute("LOCK TABLE subscriptions IN ACCESS EXCLUSIVE MODE");
                response = CompletableFuture.supplyAsync(() -> running.client().postJson("/api/v1/invoices/generate",
                        ADMIN_TOKEN, "{\"period\":\"2026-01\",\"organisationId\":\"" + org.id() + "\"}"));
                awaitWaitingOnALock(running);
                running.database().update("""
                        INSERT INTO invoices (id, organisation_id, period, currency, pricing_plan_id, subtotal_minor,
                                              total_minor)
                        VALUES (?, ?, '2026-01', 'INR', ?, 0, 0)""", concurrent, org.id(), plan);
                lock.commit();
            }

            Response answer = response.get();
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().get("invoiceIds").get(0).asText()).isEqualTo(concurrent.toString());
            assertThat(answer.json().get("existing").asInt()).isEqualTo(1);
        }
    }

    private static void awaitWaitingOnALock(RunningBillingApi running) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            Long waiting = running.database().queryValue(Long.class, "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'");
            if (waiting > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the generation never reached the lock");
    }

    /** Subscribes the organisation to a new Growth plan from January 2026; returns the plan's id. */
    private static UUID subscribeToGrowth(RunningBillingApi running, OrgFixture org) {
        UUID plan = running.createPlan(InvoiceApiIT.GROWTH.formatted("Growth"));
        running.subscribe(org.id(), plan, "2026-01-01");
        return plan;
    }
}
