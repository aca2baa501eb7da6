package dev.meterbill.billing.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.SettableClock;
import dev.meterbill.billing.testutils.WebhookReceiver;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Usage alerts as our user's system receives them: a budget's 50 %, 80 % and 100 % levels each fire once, within
 * 10 seconds of the usage being counted, by the API's own schedule, and again in the next period.
 */
class UsageAlertIT {

    private static final SettableClock clock = new SettableClock(Instant.parse("2026-03-15T10:00:00Z"));
    private static final WebhookReceiver receiver = WebhookReceiver.start();
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(config -> config
            .withWebhooks(WebhookSettings.local(Duration.ofMillis(200))), clock);
    private static final HttpTestClient client = running.client();

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static List<JsonNode> thresholds() {
        return receiver.received().stream().filter(r -> r.body().contains("usage.threshold_reached") && r.verified())
                .map(r -> {
                    try {
                        return HttpTestClient.JSON.readTree(r.body()).get("data");
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    /** Writes usage as the job counts it and waits for the level's event; how long it took. */
    private static Duration countAndAwait(ProjectFixture project, String period, String total, int expectedEvents)
            throws InterruptedException {
        Instant counted = Instant.now();
        running.aggregate(project, "api_calls", period, total, Long.parseLong(total), "1", "1", false);
        Instant deadline = counted.plusSeconds(30);
        while (thresholds().size() < expectedEvents && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(thresholds()).hasSize(expectedEvents);
        return Duration.between(counted, Instant.now());
    }

    @Test
    void eachLevelOfABudgetFiresOnceWithinTenSecondsAndAgainNextPeriod() throws Exception {
        OrgFixture org = running.createOrganisation("Alerted Pvt Ltd", "Asia/Kolkata", "29");
        ProjectFixture project = running.createProject(org.id(), "api");
        Response endpoint = client.postJson("/api/v1/organisations/" + org.id() + "/webhook-endpoints", org.secretKey(),
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"usage.threshold_reached\"]}");
        assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
        receiver.secret(endpoint.json().get("secret").asText());
        Response alert = client.postJson("/api/v1/organisations/" + org.id() + "/usage-alerts", org.secretKey(),
                "{\"kind\":\"quantity\",\"metricName\":\"api_calls\",\"budget\":1000,\"percentages\":[80,50,100],"
                        + "\"description\":\"monthly API budget\"}");
        assertThat(alert.status()).as(alert.body()).isEqualTo(201);
        assertThat(alert.json().get("alert").get("levels").toString()).isEqualTo("[500,800,1000]");

        running.aggregate(project, "api_calls", "2026-03", "400", 400, "1", "1", false);
        Thread.sleep(3000);
        assertThat(thresholds()).as("400 of 1,000 reaches no level").isEmpty();

        List<Duration> took = List.of(countAndAwait(project, "2026-03", "600", 1), countAndAwait(project, "2026-03", "900", 2),
                countAndAwait(project, "2026-03", "1000", 3));
        running.aggregate(project, "api_calls", "2026-03", "1500", 1500, "1", "1", false);
        Thread.sleep(3000);

        assertThat(took).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(10)));
        assertThat(thresholds()).extracting(d -> d.get("percentage").asInt() + "%:" + d.get("value").asText())
                .as("each level once, with the value that reached it").containsExactly("50%:600", "80%:900", "100%:1000");
        assertThat(thresholds()).allSatisfy(d -> assertThat(d.get("period").asText()).isEqualTo("2026-03"));
        assertThat(client.get("/api/v1/organisations/" + org.id() + "/usage-alerts", org.secretKey()).json()
                .get("alerts").get(0).get("firedThisPeriod").toString()).isEqualTo("[500,800,1000]");
        assertThat(running.database().queryValue(Long.class, "SELECT count(*) FROM audit_logs"
                + " WHERE action = 'usage_alert.threshold_reached' AND organisation_id = ?", org.id())).isEqualTo(3L);

        // the next period starts over
        clock.set(Instant.parse("2026-04-02T00:00:00Z"));
        Duration next = countAndAwait(project, "2026-04", "650", 4);
        assertThat(next).isLessThanOrEqualTo(Duration.ofSeconds(10));
        JsonNode again = thresholds().get(3);
        assertThat(again.get("period").asText()).isEqualTo("2026-04");
        assertThat(again.get("percentage").asInt()).isEqualTo(50);
        System.out.printf("usage alerts: counted to received %s, %s, %s; next period %s%n", took.get(0), took.get(1),
                took.get(2), next);
    }
}
