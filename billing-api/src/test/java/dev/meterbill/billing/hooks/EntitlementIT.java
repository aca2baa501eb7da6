package dev.meterbill.billing.hooks;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Entitlements from a plan's limits and live usage: a project's key asks about its metric, the hard limit of the
 * organisation's plan is reached across its projects, entitlement.exhausted fires once, a soft limit only
 * reports, the next period starts over, and nobody asks about another organisation's project.
 */
class EntitlementIT {

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

    private static JsonNode ask(String token, String query) throws InterruptedException {
        Thread.sleep(300); // past the quarter-second cache of live usage
        Response answer = client.get("/api/v1/entitlements?" + query, token);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> exhausted() {
        return receiver.received().stream().filter(r -> r.body().contains("entitlement.exhausted") && r.verified())
                .map(WebhookReceiver.Received::webhookId).distinct().toList();
    }

    @Test
    void aHardLimitAcrossProjectsStopsAllowingAndFiresOnceASoftOneOnlyReports() throws Exception {
        OrgFixture org = running.createOrganisation("Entitled Pvt Ltd", "Asia/Kolkata", "29");
        UUID plan = running.createPlan("""
                {"name":"Entitled %s","currency":"INR","charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.01,
                   "limit":1000,"limitKind":"hard"},
                  {"metricName":"storage_gb","aggregation":"max","model":"per_unit","unitPrice":2,"limit":50,
                   "limitKind":"soft"}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        ProjectFixture web = running.createProject(org.id(), "web");
        ProjectFixture mobile = running.createProject(org.id(), "mobile");
        Response endpoint = client.postJson("/api/v1/organisations/" + org.id() + "/webhook-endpoints", org.secretKey(),
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"entitlement.exhausted\"]}");
        receiver.secret(endpoint.json().get("secret").asText());
        running.aggregate(web, "api_calls", "2026-03", "600", 600, "1", "1", false);
        running.aggregate(mobile, "api_calls", "2026-03", "300", 300, "1", "1", false);

        JsonNode below = ask(web.apiKey(), "metric=api_calls");
        assertThat(below.get("allowed").asBoolean()).isTrue();
        assertThat(below.get("used").decimalValue()).isEqualByComparingTo("900");
        assertThat(below.get("limit").decimalValue()).isEqualByComparingTo("1000");
        assertThat(below.get("remaining").decimalValue()).isEqualByComparingTo("100");
        assertThat(below.get("limitKind").asText()).isEqualTo("hard");
        // the period ends at midnight in Kolkata
        assertThat(below.get("resetsAt").asText()).isEqualTo("2026-03-31T18:30:00Z");

        running.aggregate(web, "api_calls", "2026-03", "700", 700, "1", "1", false);
        JsonNode reached = ask(mobile.apiKey(), "metric=api_calls&projectId=" + mobile.id());
        assertThat(reached.get("allowed").asBoolean()).as("the plan's limit is the organisation's").isFalse();
        assertThat(reached.get("remaining").decimalValue()).isEqualByComparingTo("0");
        Instant deadline = Instant.now().plusSeconds(15);
        while (exhausted().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        running.aggregate(web, "api_calls", "2026-03", "900", 900, "1", "1", false);
        Thread.sleep(5000);
        assertThat(exhausted()).as("entitlement.exhausted fires once").hasSize(1);

        running.aggregate(web, "storage_gb", "2026-03", "120", 3, "60", "40", false);
        JsonNode soft = ask(org.secretKey(), "metric=storage_gb&projectId=" + web.id());
        assertThat(soft.get("allowed").asBoolean()).as("a soft limit reports, never refuses").isTrue();
        assertThat(soft.get("used").decimalValue()).isEqualByComparingTo("60");
        assertThat(soft.get("remaining").decimalValue()).isEqualByComparingTo("0");
        JsonNode unlimited = ask(ADMIN_TOKEN, "metric=sms&projectId=" + web.id());
        assertThat(unlimited.get("allowed").asBoolean()).isTrue();
        assertThat(unlimited.get("limit").isNull()).isTrue();

        OrgFixture other = running.createOrganisation("Other Entitled Ltd", "Asia/Kolkata", "29");
        assertThat(client.get("/api/v1/entitlements?metric=api_calls&projectId=" + web.id(), other.secretKey()).status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/entitlements?metric=api_calls&projectId=" + mobile.id(), web.apiKey()).status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/entitlements?metric=api_calls", null).status()).isEqualTo(401);
        assertThat(client.get("/api/v1/entitlements?metric=api_calls", "not-a-key").status()).isEqualTo(401);
        assertThat(client.get("/api/v1/entitlements?projectId=" + web.id(), org.secretKey()).status()).isEqualTo(400);

        // a new period: nothing used yet
        clock.set(Instant.parse("2026-04-01T00:00:00Z"));
        JsonNode april = ask(web.apiKey(), "metric=api_calls");
        assertThat(april.get("period").asText()).isEqualTo("2026-04");
        assertThat(april.get("allowed").asBoolean()).isTrue();
        assertThat(april.get("used").decimalValue()).isEqualByComparingTo("0");
    }
}
