package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PricingPlanApiIT {

    private static final String PLANS = "/api/v1/pricing-plans";
    /** One charge of every model. */
    static final String EVERY_MODEL = """
            {"currency":"INR","minimumCommitment":5000,"charges":[
              {"metricName":"api_calls","aggregation":"sum","model":"per_unit","unitPrice":0.00125,"freeUnits":1000},
              {"metricName":"storage_gb","aggregation":"latest","model":"graduated","tiers":[
                 {"upTo":100,"unitPrice":0},{"upTo":1000,"unitPrice":"2.5","flatFee":99},{"upTo":null,"unitPrice":1.75}]},
              {"metricName":"seats","aggregation":"max","model":"volume","tiers":[
                 {"upTo":10,"unitPrice":500},{"unitPrice":400}]},
              {"metricName":"sms","aggregation":"count","model":"package","packageSize":1000,"unitPrice":49},
              {"metricName":"platform","aggregation":"sum","model":"flat","flatFee":999}]}""";

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    static String named(String name, String body) {
        return body.replaceFirst("\\{", "{\"name\":\"" + name + "\",");
    }

    @Test
    void theOperatorDefinesAPlanWithEveryModelAndReadsItBack() {
        Response created = client.postJson(PLANS, ADMIN_TOKEN, named("Growth", EVERY_MODEL));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode plan = client.get(PLANS + "/" + created.json().get("id").asText(), ADMIN_TOKEN).json();
        assertThat(plan.get("name").asText()).isEqualTo("Growth");
        assertThat(plan.get("version").asInt()).isEqualTo(1);
        assertThat(plan.get("inUse").asBoolean()).isFalse();
        assertThat(plan.get("charges")).hasSize(5);
        String body = client.get(PLANS + "/" + created.json().get("id").asText(), ADMIN_TOKEN).body();
        assertThat(body)
                .contains("\"minimumCommitment\":5000.00")
                .contains("\"unitPrice\":0.00125")
                .contains("\"freeUnits\":1000")
                .contains("{\"upTo\":1000,\"unitPrice\":2.5,\"flatFee\":99.00}")
                .contains("{\"upTo\":null,\"unitPrice\":1.75,\"flatFee\":0.00}")
                .contains("\"packageSize\":1000")
                .contains("\"flatFee\":999.00");
        assertThat(running.database().queryValue(String.class,
                "SELECT action FROM audit_logs WHERE entity_id = ?", created.json().get("id").asText()))
                .isEqualTo("pricing_plan.created");
    }

    @Test
    void anInvalidPlanNamesEveryBadField() {
        Response response = client.postJson(PLANS, ADMIN_TOKEN, """
                {"name":"Broken","currency":"INR","minimumCommitment":10.001,"charges":[
                  {"metricName":"1bad","aggregation":"avg","model":"per_unit"},
                  {"metricName":"tiers","aggregation":"sum","model":"graduated","unitPrice":1,"tiers":[
                     {"upTo":100,"unitPrice":1},{"upTo":50,"unitPrice":0.5},{"upTo":500,"unitPrice":0.1}]},
                  {"metricName":"pack","aggregation":"sum","model":"package","unitPrice":1,"packageSize":0,"sac":"12345"}]}""");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder(
                "minimumCommitment",
                "charges[0].metricName", "charges[0].aggregation", "charges[0].unitPrice",
                "charges[1].unitPrice", "charges[1].tiers[1].upTo", "charges[1].tiers[2].upTo",
                "charges[2].packageSize", "charges[2].sac");
    }

    @Test
    void anOrganisationCannotDefinePlans() {
        OrgFixture org = running.createOrganisation("Customer");

        assertThat(client.postJson(PLANS, org.secretKey(), named("Mine", EVERY_MODEL)).status()).isEqualTo(403);
    }

    @Test
    void aPlanNameIsTakenOnceAndChangesAreVersions() {
        UUID first = running.createPlan(named("Scale", EVERY_MODEL));

        assertThat(client.postJson(PLANS, ADMIN_TOKEN, named("Scale", EVERY_MODEL)).status()).isEqualTo(409);

        Response second = client.postJson(PLANS + "/" + first + "/versions", ADMIN_TOKEN, EVERY_MODEL);
        Response third = client.postJson(PLANS + "/" + first + "/versions", ADMIN_TOKEN, EVERY_MODEL);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(second.json().get("name").asText()).isEqualTo("Scale");
        assertThat(second.json().get("version").asInt()).isEqualTo(2);
        assertThat(third.json().get("version").asInt()).isEqualTo(3);
        assertThat(client.postJson(PLANS + "/" + first + "/versions", ADMIN_TOKEN, named("Other", EVERY_MODEL))
                .status()).as("a version keeps its plan's name").isEqualTo(400);

        JsonNode listed = client.get(PLANS + "?name=Scale", ADMIN_TOKEN).json().get("pricingPlans");
        assertThat(listed.findValuesAsText("version")).containsExactly("3", "2", "1");
    }

    @Test
    void aPlanNobodyUsesCanStillChange() {
        UUID plan = running.createPlan(named("Draft plan", EVERY_MODEL));

        Response updated = client.putJson(PLANS + "/" + plan, ADMIN_TOKEN, """
                {"currency":"INR","charges":[{"metricName":"api_calls","aggregation":"sum","model":"per_unit",
                  "unitPrice":0.002}]}""");

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("charges")).hasSize(1);
        assertThat(updated.json().get("minimumCommitment").decimalValue()).isZero();
    }

    @Test
    void aPlanInUseIsImmutableInTheApiAndInTheDatabase() {
        UUID plan = running.createPlan(named("Frozen", EVERY_MODEL));
        OrgFixture org = running.createOrganisation("Subscriber");
        running.subscribe(org.id(), plan, "2026-01-01");

        Response update = client.putJson(PLANS + "/" + plan, ADMIN_TOKEN, EVERY_MODEL);

        assertThat(update.status()).isEqualTo(409);
        assertThat(update.json().get("detail").asText()).contains("/versions");
        assertThat(client.get(PLANS + "/" + plan, ADMIN_TOKEN).json().get("inUse").asBoolean()).isTrue();
        assertThatThrownBy(() -> running.database().update(
                "UPDATE plan_charges SET unit_price = 1 WHERE pricing_plan_id = ?", plan))
                .rootCause().hasMessageContaining("pricing plan " + plan + " is in use, it cannot be changed");
        assertThatThrownBy(() -> running.database().update(
                "UPDATE pricing_plans SET minimum_commitment_minor = 0 WHERE id = ?", plan))
                .hasMessageContaining("UPDATE pricing_plans");
    }

    @Test
    void anOrganisationReadsOnlyThePlansItIsSubscribedTo() {
        UUID plan = running.createPlan(named("Private", EVERY_MODEL));
        OrgFixture subscriber = running.createOrganisation("On plan");
        OrgFixture other = running.createOrganisation("Not on plan");
        running.subscribe(subscriber.id(), plan, "2026-01-01");

        assertThat(client.get(PLANS + "/" + plan, subscriber.secretKey()).status()).isEqualTo(200);
        assertThat(client.get(PLANS + "/" + plan, other.secretKey()).status()).isEqualTo(404);
        JsonNode visible = client.get(PLANS, subscriber.secretKey()).json().get("pricingPlans");
        assertThat(visible).hasSize(1);
        assertThat(visible.get(0).get("id").asText()).isEqualTo(plan.toString());
        assertThat(client.get(PLANS, other.secretKey()).json().get("pricingPlans")).isEmpty();
        assertThat(client.putJson(PLANS + "/" + plan, subscriber.secretKey(), EVERY_MODEL).status())
                .isEqualTo(403);
        assertThat(client.putJson(PLANS + "/" + plan, other.secretKey(), EVERY_MODEL).status()).isEqualTo(404);
    }

    @Test
    void anUnknownPlanIsNotFound() {
        assertThat(client.get(PLANS + "/" + UUID.randomUUID(), ADMIN_TOKEN).status()).isEqualTo(404);
        assertThat(client.postJson(PLANS + "/" + UUID.randomUUID() + "/versions", ADMIN_TOKEN, EVERY_MODEL).status())
                .isEqualTo(404);
    }
}
