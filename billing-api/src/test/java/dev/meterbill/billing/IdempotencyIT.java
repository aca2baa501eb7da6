package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyIT {

    private static final String ORGS = "/api/v1/organisations";
    private static final String ACME = "{\"name\":\"Acme\",\"billingEmail\":\"billing@acme.in\"}";

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    private static Response post(String path, String token, String body, String key) {
        return client.send("POST", path, token, body, "Idempotency-Key", key);
    }

    private static long count(String sql, Object... parameters) {
        return running.database().queryValue(Long.class, sql, parameters);
    }

    @Test
    void theSameKeyAndBodyReplayTheStoredResponseAndChangeNothingTwice() {
        String key = "create-acme-" + UUID.randomUUID();

        Response first = post(ORGS, ADMIN_TOKEN, ACME, key);
        Response second = post(ORGS, ADMIN_TOKEN, ACME, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.contentType()).startsWith("application/json");
        assertThat(second.body()).isEqualTo(first.body());
        String id = first.json().get("id").asText();
        assertThat(count("SELECT count(*) FROM organisations WHERE name = 'Acme'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_logs WHERE entity_id = ?", id)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsUnprocessable() {
        String key = "k-" + UUID.randomUUID();
        assertThat(post(ORGS, ADMIN_TOKEN, ACME.replace("Acme", "First"), key).status()).isEqualTo(201);

        Response reused = post(ORGS, ADMIN_TOKEN, ACME.replace("Acme", "Second"), key);

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(reused.json().get("type").asText())
                .isEqualTo("https://meterbill.dev/problems/idempotency-key-reused");
        assertThat(count("SELECT count(*) FROM organisations WHERE name = 'Second'")).isZero();
    }

    @Test
    void keysAreScopedToTheCaller() {
        OrgFixture first = running.createOrganisation("Scope one");
        OrgFixture second = running.createOrganisation("Scope two");
        String key = "same-key-everywhere";

        Response a = post(ORGS + "/" + first.id() + "/projects", first.secretKey(), "{\"name\":\"api\"}", key);
        Response b = post(ORGS + "/" + second.id() + "/projects", second.secretKey(), "{\"name\":\"api\"}", key);

        assertThat(a.status()).isEqualTo(201);
        assertThat(b.status()).isEqualTo(201);
        assertThat(b.header("Idempotent-Replayed")).isNull();
        assertThat(a.json().get("id").asText()).isNotEqualTo(b.json().get("id").asText());
    }

    @Test
    void aFailedRequestStoresNothingSoTheKeyCanBeRetried() {
        String key = "retry-" + UUID.randomUUID();

        Response invalid = post(ORGS, ADMIN_TOKEN, "{\"name\":\"Retry Ltd\",\"billingEmail\":\"nope\"}", key);
        Response fixed = post(ORGS, ADMIN_TOKEN, "{\"name\":\"Retry Ltd\",\"billingEmail\":\"a@b.in\"}", key);

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(fixed.status()).isEqualTo(201);
        assertThat(fixed.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void aRequestStillRunningIsAConflictAndItsResultIsReplayedAfterwards() throws Exception {
        OrgFixture org = running.createOrganisation("Busy");
        UUID plan = running.createPlan(PricingPlanApiIT.named("Busy plan", PricingPlanApiIT.EVERY_MODEL));
        String path = ORGS + "/" + org.id() + "/subscription";
        String body = "{\"pricingPlanId\":\"" + plan + "\",\"startsOn\":\"" + LocalDate.of(2026, 1, 1) + "\"}";
        String key = "slow-" + UUID.randomUUID();

        CompletableFuture<Response> first;
        try (Connection blocker = running.database().connect()) {
            // Holding the organisation row makes the first request wait inside its transaction.
            blocker.setAutoCommit(false);
            try (PreparedStatement lock = blocker.prepareStatement("SELECT 1 FROM organisations WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, org.id());
                lock.executeQuery();
            }
            first = CompletableFuture.supplyAsync(() -> client.send("PUT", path, ADMIN_TOKEN, body, "Idempotency-Key", key));
            awaitBlockedQuery();

            Response concurrent = client.send("PUT", path, ADMIN_TOKEN, body, "Idempotency-Key", key);

            assertThat(concurrent.status()).isEqualTo(409);
            assertThat(concurrent.json().get("type").asText())
                    .isEqualTo("https://meterbill.dev/problems/idempotency-key-in-flight");
            blocker.rollback();
        }
        Response completed = first.get(30, TimeUnit.SECONDS);
        assertThat(completed.status()).as(completed.body()).isEqualTo(200);

        Response replayed = client.send("PUT", path, ADMIN_TOKEN, body, "Idempotency-Key", key);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body()).isEqualTo(completed.body());
        assertThat(count("SELECT count(*) FROM subscriptions WHERE organisation_id = ?", org.id())).isEqualTo(1);
    }

    @Test
    void theDatabaseHoldsNeitherTheKeyNorTheSecretOfAReplayableResponse() {
        String key = "secret-bearing-" + UUID.randomUUID();

        Response created = post(ORGS, ADMIN_TOKEN, ACME.replace("Acme", "Sealed"), key);

        String secretKey = created.json().get("secretKey").asText();
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE response_body LIKE ? OR idempotency_key = ?",
                "%" + secretKey + "%", key)).isZero();
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE expires_at > now() + interval '23 hours 59 minutes'"))
                .as("kept at least 24 hours").isPositive();
        assertThat(post(ORGS, ADMIN_TOKEN, ACME.replace("Acme", "Sealed"), key).json().get("secretKey").asText())
                .isEqualTo(secretKey);
    }

    @Test
    void anExpiredKeyIsForgottenAndCleanedUp() {
        String key = "old-" + UUID.randomUUID();
        assertThat(post(ORGS, ADMIN_TOKEN, ACME.replace("Acme", "Old one"), key).status()).isEqualTo(201);
        running.database().update("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'");

        assertThat(running.api().deleteExpiredIdempotencyKeys()).isPositive();
        Response reused = post(ORGS, ADMIN_TOKEN, ACME.replace("Acme", "New one"), key);

        assertThat(reused.status()).isEqualTo(201);
        assertThat(reused.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void aMalformedKeyIsABadRequest() {
        Response response = post(ORGS, ADMIN_TOKEN, ACME, "has spaces");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
    }

    /** Waits until some backend of the test database waits on a lock. */
    private static void awaitBlockedQuery() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the first request never blocked");
    }
}
