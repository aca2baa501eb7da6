package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditLogApiIT {

    private static final String AUDIT = "/api/v1/audit-logs";

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    @Test
    void anOrganisationReadsTheTrailOfItsOwnTenancyOnly() {
        OrgFixture org = running.createOrganisation("Audited org");
        OrgFixture other = running.createOrganisation("Other org");
        running.createProject(org.id(), "Tracked");
        running.createPlan(PricingPlanApiIT.named("Audited plan", PricingPlanApiIT.EVERY_MODEL));

        JsonNode entries = client.get(AUDIT, org.secretKey()).json().get("entries");

        assertThat(entries.findValuesAsText("action")).containsExactly(
                "api_key.created", "project.created", "api_key.created", "organisation.created");
        assertThat(entries.findValuesAsText("organisationId")).containsOnly(org.id().toString());
        JsonNode created = entries.get(3);
        assertThat(created.get("actor").asText()).isEqualTo("operator");
        assertThat(created.get("before").isNull()).isTrue();
        assertThat(created.get("after").get("name").asText()).isEqualTo("Audited org");
        assertThat(created.get("requestId").asText()).isNotBlank();
        assertThat(client.get(AUDIT, other.secretKey()).json().get("entries").findValuesAsText("entityId"))
                .doesNotContain(org.id().toString());
    }

    @Test
    void filtersByEntityAndTheOperatorSeesEverything() {
        UUID plan = running.createPlan(PricingPlanApiIT.named("Filtered plan", PricingPlanApiIT.EVERY_MODEL));
        OrgFixture org = running.createOrganisation("Filtered");
        ProjectFixture project = running.createProject(org.id(), "One");

        JsonNode planRows = client.get(AUDIT + "?entityType=pricing_plan&entityId=" + plan, ADMIN_TOKEN).json()
                .get("entries");
        JsonNode projectRows = client.get(AUDIT + "?entityType=project&entityId=" + project.id(), org.secretKey())
                .json().get("entries");

        assertThat(planRows).hasSize(1);
        assertThat(planRows.get(0).get("action").asText()).isEqualTo("pricing_plan.created");
        assertThat(projectRows).hasSize(1);
        assertThat(client.get(AUDIT + "?entityType=pricing_plan&entityId=" + plan, org.secretKey()).json()
                .get("entries")).as("plans belong to no tenant").isEmpty();
    }

    @Test
    void pagesFollowTheCursor() {
        OrgFixture org = running.createOrganisation("Paged");
        for (int i = 0; i < 4; i++) {
            running.createProject(org.id(), "p" + i);
        }
        List<String> seen = new ArrayList<>();
        String path = AUDIT + "?limit=3";
        while (path != null) {
            Response page = client.get(path, org.secretKey());
            assertThat(page.status()).isEqualTo(200);
            page.json().get("entries").forEach(e -> seen.add(e.get("id").asText()));
            JsonNode next = page.json().get("nextBefore");
            path = next.isNull() ? null : AUDIT + "?limit=3&before=" + next.asText();
        }

        assertThat(seen).hasSize(10).doesNotHaveDuplicates();   // organisation + its key, 4 x (project + key)
        assertThat(client.get(AUDIT + "?limit=0", org.secretKey()).status()).isEqualTo(400);
    }
}
