package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SubscriptionApiIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();
    private static UUID starter;
    private static UUID pro;

    @BeforeAll
    static void start() {
        starter = running.createPlan(PricingPlanApiIT.named("Starter", PricingPlanApiIT.EVERY_MODEL));
        pro = running.createPlan(PricingPlanApiIT.named("Pro", PricingPlanApiIT.EVERY_MODEL));
    }

    private static String subscription(UUID organisationId) {
        return "/api/v1/organisations/" + organisationId + "/subscription";
    }

    private static Response subscribe(UUID organisationId, String token, Object planId, String startsOn) {
        return client.putJson(subscription(organisationId), token,
                "{\"pricingPlanId\":\"" + planId + "\",\"startsOn\":\"" + startsOn + "\"}");
    }

    private static LocalDate thisMonthInIst() {
        return LocalDate.now(ZoneId.of("Asia/Kolkata")).withDayOfMonth(1);
    }

    @Test
    void aFirstSubscriptionMayStartOnAnyFirstOfAMonth() {
        OrgFixture org = running.createOrganisation("New customer");

        Response response = subscribe(org.id(), ADMIN_TOKEN, starter, "2025-06-01");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("startsOn").asText()).isEqualTo("2025-06-01");
        JsonNode overview = client.get(subscription(org.id()), org.secretKey()).json();
        assertThat(overview.get("current").get("pricingPlanId").asText()).isEqualTo(starter.toString());
        assertThat(overview.get("upcoming")).isEmpty();
        assertThat(running.database().queryValue(String.class,
                "SELECT action FROM audit_logs WHERE organisation_id = ? AND entity_type = 'subscription'", org.id()))
                .isEqualTo("subscription.created");
    }

    @Test
    void aPlanChangeTakesEffectAtTheNextPeriodOfTheOrganisationsTimezone() {
        OrgFixture org = running.createOrganisation("Upgrader", "Asia/Kolkata", null);
        LocalDate thisMonth = thisMonthInIst();
        assertThat(subscribe(org.id(), ADMIN_TOKEN, starter, thisMonth.minusMonths(2).toString()).status())
                .isEqualTo(200);

        Response now = subscribe(org.id(), ADMIN_TOKEN, pro, thisMonth.toString());
        assertThat(now.status()).isEqualTo(400);
        assertThat(now.json().get("errors").get(0).get("field").asText()).isEqualTo("startsOn");
        assertThat(now.json().get("errors").get(0).get("message").asText())
                .contains(thisMonth.plusMonths(1).toString(), "Asia/Kolkata");

        assertThat(subscribe(org.id(), ADMIN_TOKEN, pro, thisMonth.plusMonths(1).toString()).status()).isEqualTo(200);
        JsonNode overview = client.get(subscription(org.id()), ADMIN_TOKEN).json();
        assertThat(overview.get("current").get("pricingPlanId").asText()).isEqualTo(starter.toString());
        assertThat(overview.get("upcoming").get(0).get("pricingPlanId").asText()).isEqualTo(pro.toString());
        assertThat(overview.get("upcoming").get(0).get("startsOn").asText())
                .isEqualTo(thisMonth.plusMonths(1).toString());
    }

    @Test
    void aScheduledChangeCanBeReplacedBeforeItStarts() {
        OrgFixture org = running.createOrganisation("Indecisive");
        LocalDate next = thisMonthInIst().plusMonths(1);
        running.subscribe(org.id(), starter, "2025-01-01");
        running.subscribe(org.id(), pro, next.toString());

        assertThat(subscribe(org.id(), ADMIN_TOKEN, starter, next.toString()).status()).isEqualTo(200);

        assertThat(client.get(subscription(org.id()), ADMIN_TOKEN).json().get("upcoming").get(0)
                .get("pricingPlanId").asText()).isEqualTo(starter.toString());
        assertThat(running.database().queryValue(String.class, """
                SELECT string_agg(action, ',' ORDER BY id) FROM audit_logs
                 WHERE organisation_id = ? AND entity_type = 'subscription'""", org.id()))
                .isEqualTo("subscription.created,subscription.created,subscription.replaced");
    }

    @Test
    void startsOnMustBeTheFirstDayOfAMonth() {
        OrgFixture org = running.createOrganisation("Mid-month");

        Response response = subscribe(org.id(), ADMIN_TOKEN, starter, "2026-01-15");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("startsOn");
    }

    @Test
    void thePlanMustExistAndBeInTheOrganisationsCurrency() {
        OrgFixture org = running.createOrganisation("Dollar buyer");
        UUID dollars = running.createPlan("""
                {"name":"USD plan","currency":"USD","charges":[
                  {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.01}]}""");

        Response unknown = subscribe(org.id(), ADMIN_TOKEN, UUID.randomUUID(), "2026-01-01");
        Response wrongCurrency = subscribe(org.id(), ADMIN_TOKEN, dollars, "2026-01-01");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("pricingPlanId");
        assertThat(wrongCurrency.status()).isEqualTo(400);
        assertThat(wrongCurrency.json().get("errors").get(0).get("message").asText()).contains("USD", "INR");
    }

    @Test
    void onlyTheOperatorChangesPlansAndOtherTenantsSeeNothing() {
        OrgFixture org = running.createOrganisation("Self-service");
        OrgFixture other = running.createOrganisation("Neighbour");

        assertThat(subscribe(org.id(), org.secretKey(), starter, "2026-01-01").status()).isEqualTo(403);
        assertThat(subscribe(org.id(), other.secretKey(), starter, "2026-01-01").status()).isEqualTo(404);
        assertThat(client.get(subscription(org.id()), other.secretKey()).status()).isEqualTo(404);
        assertThat(subscribe(UUID.randomUUID(), ADMIN_TOKEN, starter, "2026-01-01").status()).isEqualTo(404);
    }
}
