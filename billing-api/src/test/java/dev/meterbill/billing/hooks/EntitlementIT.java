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
 * reports, the next period starts over, and nobody asks about another organisation's project; an organisation's own
 * limit overrides its plan's.
 */
class EntitlementIT {

    private static final Instant MID_MARCH = Instant.parse("2026-03-15T10:00:00Z");
    private static final SettableClock clock = new SettableClock(MID_MARCH);
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
        // past the age at which cached usage is no longer served (a cache refreshed in the background would answer
        // what it held once more)
        Thread.sleep(Entitlements.USAGE_MAX_AGE.toMillis() + 100);
        Response answer = client.get("/api/v1/entitlements?" + query, token);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** The distinct entitlement.exhausted events received whose body contains {@code text}. */
    private static List<String> exhausted(String text) {
        return receiver.received().stream().filter(r -> r.body().contains("entitlement.exhausted") && r.verified()
                        && r.body().contains(text))
                .map(WebhookReceiver.Received::webhookId).distinct().toList();
    }

    private static void awaitExhausted(String text, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (exhausted(text).size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(exhausted(text)).hasSize(count);
    }

    @Test
    void anOrganisationsOwnLimitOverridesItsPlansAtOnceAndReArmsTheEvent() throws Exception {
        clock.set(MID_MARCH);
        OrgFixture org = running.createOrganisation("Headroom Pvt Ltd", "Asia/Kolkata", "29");
        UUID plan = running.createPlan("""
                {"name":"Headroom %s","currency":"INR","charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.01,
                   "limit":1000,"limitKind":"hard"},
                  {"metricName":"sms","aggregation":"sum","model":"per_unit","unitPrice":0.2}]}""".formatted(org.id()));
        running.subscribe(org.id(), plan, "2026-01-01");
        ProjectFixture app = running.createProject(org.id(), "app");
        Response endpoint = client.postJson("/api/v1/organisations/" + org.id() + "/webhook-endpoints", org.secretKey(),
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"entitlement.exhausted\"]}");
        receiver.secret(endpoint.json().get("secret").asText());
        String limits = "/api/v1/organisations/" + org.id() + "/subscription/limits";
        String scope = "\"scopeId\":\"" + org.id() + "\"";

        running.aggregate(app, "api_calls", "2026-03", "1200", 1200, "1", "1", false);
        assertThat(ask(app.apiKey(), "metric=api_calls").get("allowed").asBoolean()).isFalse();
        awaitExhausted(scope, 1);

        // more headroom for this customer: in force at the next question, and the event is armed again
        Response raised = client.putJson(limits + "/api_calls", ADMIN_TOKEN, "{\"limit\":2000}");
        assertThat(raised.status()).as(raised.body()).isEqualTo(200);
        assertThat(raised.json().get("limitKind").asText()).isEqualTo("hard");
        JsonNode headroom = ask(app.apiKey(), "metric=api_calls");
        assertThat(headroom.get("allowed").asBoolean()).isTrue();
        assertThat(headroom.get("limit").decimalValue()).isEqualByComparingTo("2000");
        assertThat(headroom.get("remaining").decimalValue()).isEqualByComparingTo("800");
        running.aggregate(app, "api_calls", "2026-03", "2100", 2100, "1", "1", false);
        assertThat(ask(app.apiKey(), "metric=api_calls").get("allowed").asBoolean()).isFalse();
        awaitExhausted(scope, 2);
        assertThat(exhausted("\"limit\":2000")).as("the second event names the organisation's limit").hasSize(1);

        // no limit at all for this customer, then back to the plan's
        assertThat(client.putJson(limits + "/api_calls", ADMIN_TOKEN, "{\"limit\":null}").status()).isEqualTo(200);
        JsonNode unlimited = ask(app.apiKey(), "metric=api_calls");
        assertThat(unlimited.get("allowed").asBoolean()).isTrue();
        assertThat(unlimited.get("limit").isNull()).isTrue();
        assertThat(client.delete(limits + "/api_calls", ADMIN_TOKEN).status()).isEqualTo(200);
        JsonNode planAgain = ask(app.apiKey(), "metric=api_calls");
        assertThat(planAgain.get("allowed").asBoolean()).isFalse();
        assertThat(planAgain.get("limit").decimalValue()).isEqualByComparingTo("1000");

        // a cap on a metric the plan leaves unlimited, soft: reported, never refused
        assertThat(client.putJson(limits + "/sms", ADMIN_TOKEN, "{\"limit\":10,\"limitKind\":\"soft\"}").status())
                .isEqualTo(200);
        running.aggregate(app, "sms", "2026-03", "25", 25, "1", "1", false);
        JsonNode capped = ask(org.secretKey(), "metric=sms&projectId=" + app.id());
        assertThat(capped.get("allowed").asBoolean()).isTrue();
        assertThat(capped.get("limit").decimalValue()).isEqualByComparingTo("10");
        assertThat(capped.get("remaining").decimalValue()).isEqualByComparingTo("0");
        assertThat(capped.get("limitKind").asText()).isEqualTo("soft");

        Response listed = client.get(limits, org.secretKey());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("limits")).hasSize(1);
        assertThat(listed.json().get("limits").get(0).get("metric").asText()).isEqualTo("sms");
        assertThat(client.putJson(limits + "/sms", org.secretKey(), "{\"limit\":100}").status())
                .as("the organisation reads its limits; the operator sets them").isEqualTo(403);
        assertThat(client.putJson(limits + "/sms", ADMIN_TOKEN, "{\"limit\":-1}").status()).isEqualTo(400);
        assertThat(client.putJson(limits + "/sms", ADMIN_TOKEN, "{\"limitKind\":\"soft\"}").status())
                .as("a kind without a limit").isEqualTo(400);
        assertThat(client.putJson(limits + "/Not%20a%20metric", ADMIN_TOKEN, "{\"limit\":1}").status()).isEqualTo(400);
        assertThat(client.delete(limits + "/api_calls", ADMIN_TOKEN).status()).as("none left").isEqualTo(404);
        OrgFixture other = running.createOrganisation("Other Headroom Ltd", "Asia/Kolkata", "29");
        assertThat(client.get(limits, other.secretKey()).status()).isEqualTo(404);
    }

    @Test
    void aHardLimitAcrossProjectsStopsAllowingAndFiresOnceASoftOneOnlyReports() throws Exception {
        clock.set(MID_MARCH);
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
        awaitExhausted("", 1);
        running.aggregate(web, "api_calls", "2026-03", "900", 900, "1", "1", false);
        Thread.sleep(5000);
        assertThat(exhausted("")).as("entitlement.exhausted fires once").hasSize(1);

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
