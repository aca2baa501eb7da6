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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Subscriptions that end and start with a trial, through HTTP with the clock moved across periods. */
class SubscriptionLifecycleIT {

    private static final SettableClock clock = new SettableClock(Instant.parse("2026-03-15T10:00:00Z"));
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(clock);
    private static final HttpTestClient client = running.client();
    /** 3,100.00 a month: 100.00 a day in a 31-day month. */
    private static final String PLAN = """
            {"name":"%s","currency":"INR","charges":[
              {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":3100},
              {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.5}]}""";
    private static UUID plan;

    @BeforeAll
    static void createPlan() {
        plan = running.createPlan(PLAN.formatted("Lifecycle"));
    }

    @BeforeEach
    void mid_march() {
        clock.set(Instant.parse("2026-03-15T10:00:00Z"));
    }

    private static String subscription(UUID organisationId) {
        return "/api/v1/organisations/" + organisationId + "/subscription";
    }

    private static Response generate(UUID organisationId, String period) {
        return client.postJson("/api/v1/invoices/generate", ADMIN_TOKEN,
                "{\"period\":\"" + period + "\",\"organisationId\":\"" + organisationId + "\"}");
    }

    private static JsonNode invoice(Response generated) {
        assertThat(generated.status()).as(generated.body()).isEqualTo(200);
        String id = generated.json().get("invoiceIds").get(0).asText();
        return client.get("/api/v1/invoices/" + id, ADMIN_TOKEN).json();
    }

    private static void daily(ProjectFixture project, String day, String sum) {
        running.database().update("""
                INSERT INTO usage_daily (project_id, organisation_id, metric_name, day, timezone, unit, sum_value,
                       event_count, min_value, max_value, latest_value, latest_at, is_final)
                VALUES (?, ?, 'api_calls', ?::date, 'UTC', 'count', ?::numeric, 1, 0, ?::numeric, ?::numeric,
                        ?::date + interval '12 hours', true)
                """, project.id(), project.organisationId(), day, sum, sum, sum, day);
    }

    @Test
    void aCustomerWhoChurnsAtPeriodEndIsBilledThatPeriodInFullAndNeverAgain() {
        OrgFixture org = running.createOrganisation("Churner");
        ProjectFixture project = running.createProject(org.id(), "api");
        running.subscribe(org.id(), plan, "2026-01-01");

        Response ended = client.delete(subscription(org.id()) + "?at=period_end", ADMIN_TOKEN);

        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        assertThat(ended.json().get("endsOn").asText()).isEqualTo("2026-04-01");
        assertThat(running.database().queryValue(String.class, """
                SELECT after_state->>'endsOn' FROM audit_logs
                 WHERE organisation_id = ? AND action = 'subscription.ended'""", org.id())).isEqualTo("2026-04-01");
        for (String period : new String[] {"2026-03", "2026-04", "2026-05"}) {
            running.aggregate(project, "api_calls", period, "1000", 10, "100", "100", true);
        }

        clock.set(Instant.parse("2026-06-10T00:00:00Z"));
        JsonNode march = invoice(generate(org.id(), "2026-03"));
        assertThat(march.get("subtotal").decimalValue()).isEqualByComparingTo("3600.00");   // 3,100 + 1,000 x 0.50

        Response all = client.postJson("/api/v1/invoices/generate", ADMIN_TOKEN, "{\"period\":\"2026-04\"}");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        Response may = generate(org.id(), "2026-05");
        assertThat(may.status()).as(may.body()).isEqualTo(409);
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM invoices WHERE organisation_id = ? AND period > '2026-03'", org.id())).isZero();
        assertThat(client.get(subscription(org.id()), org.secretKey()).json().get("current").isNull()).isTrue();
    }

    @Test
    void endingNowBillsTheDaysServedTodayIncludedAndTheUsageOfThoseDays() {
        OrgFixture org = running.createOrganisation("Leaver", "Asia/Kolkata", null);
        ProjectFixture project = running.createProject(org.id(), "api");
        running.subscribe(org.id(), plan, "2026-01-01");
        daily(project, "2026-03-10", "400");
        daily(project, "2026-03-16", "200");
        daily(project, "2026-03-20", "999999");
        // 20:00 UTC on the 15th is 01:30 on the 16th in India: the 16th is served
        clock.set(Instant.parse("2026-03-15T20:00:00Z"));

        Response ended = client.delete(subscription(org.id()) + "?at=now", ADMIN_TOKEN);
        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        assertThat(ended.json().get("endsOn").asText()).isEqualTo("2026-03-17");

        clock.set(Instant.parse("2026-04-02T00:00:00Z"));
        JsonNode march = invoice(generate(org.id(), "2026-03"));
        JsonNode lines = march.get("lines");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("quantity").decimalValue()).isEqualByComparingTo("600");   // the 10th and 16th
        assertThat(lines.get(0).get("amount").decimalValue()).isEqualByComparingTo("300.00");
        assertThat(lines.get(1).get("amount").decimalValue()).isEqualByComparingTo("1600.00"); // 16 of 31 days
        assertThat(lines.get(1).get("description").asText()).contains("16 of 31 days (2026-03-01 to 2026-03-16)");
    }

    @Test
    void aTrialBillsNothingForItsDays() {
        OrgFixture org = running.createOrganisation("Trialist");
        ProjectFixture project = running.createProject(org.id(), "api");
        Response subscribed = client.putJson(subscription(org.id()), ADMIN_TOKEN,
                "{\"pricingPlanId\":\"" + plan + "\",\"startsOn\":\"2026-01-01\",\"trialDays\":45}");
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(200);
        assertThat(subscribed.json().get("trialEndsOn").asText()).isEqualTo("2026-02-15");
        daily(project, "2026-02-10", "5000");
        daily(project, "2026-02-20", "10");

        Response january = generate(org.id(), "2026-01");
        assertThat(january.status()).as(january.body()).isEqualTo(409);
        JsonNode february = invoice(generate(org.id(), "2026-02"));
        // 14 of 28 days: 3,100.00 / 2 = 1,550.00; usage of the 20th only: 10 x 0.50 = 5.00
        assertThat(february.get("subtotal").decimalValue()).isEqualByComparingTo("1555.00");
    }

    @Test
    void anEndInThePastOrAnUnknownModeIsRefusedWithTheField() {
        OrgFixture org = running.createOrganisation("Careful");
        running.subscribe(org.id(), plan, "2026-01-01");

        Response past = client.delete(subscription(org.id()) + "?endsOn=2026-03-15", ADMIN_TOKEN);
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("errors").get(0).get("field").asText()).isEqualTo("endsOn");
        assertThat(past.json().get("errors").get(0).get("message").asText()).contains("2026-03-16");

        Response bogus = client.delete(subscription(org.id()) + "?at=yesterday", ADMIN_TOKEN);
        assertThat(bogus.status()).isEqualTo(400);
        assertThat(bogus.json().get("errors").get(0).get("field").asText()).isEqualTo("at");

        Response byCustomer = client.delete(subscription(org.id()), org.secretKey());
        assertThat(byCustomer.status()).isEqualTo(403);

        Response none = client.delete(subscription(running.createOrganisation("Never subscribed").id()), ADMIN_TOKEN);
        assertThat(none.status()).isEqualTo(409);
    }

    @Test
    void endingRemovesPlanChangesScheduledAfterTheEnd() {
        OrgFixture org = running.createOrganisation("Downgrader");
        running.subscribe(org.id(), plan, "2026-01-01");
        UUID other = running.createPlan(PLAN.formatted("Lifecycle later"));
        running.subscribe(org.id(), other, "2026-05-01");

        Response ended = client.delete(subscription(org.id()) + "?endsOn=2026-04-15", ADMIN_TOKEN);

        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        JsonNode overview = client.get(subscription(org.id()), ADMIN_TOKEN).json();
        assertThat(overview.get("current").get("endsOn").asText()).isEqualTo("2026-04-15");
        assertThat(overview.get("upcoming")).isEmpty();
        assertThat(running.database().queryValue(Long.class, """
                SELECT count(*) FROM audit_logs WHERE organisation_id = ? AND action = 'subscription.cancelled'""",
                org.id())).isEqualTo(1L);
    }
}
