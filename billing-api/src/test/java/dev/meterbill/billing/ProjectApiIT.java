package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.service.ApiKeyHash;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProjectApiIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    private static String projects(UUID organisationId) {
        return "/api/v1/organisations/" + organisationId + "/projects";
    }

    @Test
    void anOrganisationCreatesAProjectAndSeesItsApiKeyOnlyOnce() {
        OrgFixture org = running.createOrganisation("Keys Ltd");

        Response created = client.postJson(projects(org.id()), org.secretKey(), "{\"name\":\"Search API\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode json = created.json();
        String apiKey = json.get("apiKey").asText();
        assertThat(apiKey).startsWith("pk_");
        assertThat(json.get("organisationId").asText()).isEqualTo(org.id().toString());
        assertThat(json.get("name").asText()).isEqualTo("Search API");

        String keyId = json.get("apiKeyId").asText();
        assertThat(running.database().queryValue(String.class,
                "SELECT key_hash FROM api_keys WHERE id = ?::uuid AND kind = 'project' AND project_id = ?::uuid",
                keyId, json.get("id").asText()))
                .isEqualTo(ApiKeyHash.of(apiKey));
        assertThat(running.database().queryValue(String.class, "SELECT key_prefix FROM api_keys WHERE id = ?::uuid",
                keyId)).isEqualTo(apiKey.substring(0, 12));
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM api_keys WHERE key_hash = ? OR key_prefix = ?", apiKey, apiKey))
                .as("the plain key is not stored with the keys").isZero();
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM audit_logs WHERE after_state::text LIKE ?", "%" + apiKey + "%"))
                .as("the plain key is not in the audit trail").isZero();

        Response listed = client.get(projects(org.id()), org.secretKey());
        assertThat(listed.status()).isEqualTo(200);
        JsonNode project = listed.json().get("projects").get(0);
        assertThat(project.get("name").asText()).isEqualTo("Search API");
        assertThat(project.has("apiKey")).isFalse();
    }

    @Test
    void projectAndKeyCreationAreAuditedTogether() {
        OrgFixture org = running.createOrganisation("Audited");

        Response created = client.postJson(projects(org.id()), org.secretKey(), "{\"name\":\"Billing\"}");

        assertThat(running.database().queryValue(String.class,
                "SELECT string_agg(action || ' by ' || actor, ', ' ORDER BY id) FROM audit_logs WHERE request_id = ?",
                created.requestId()))
                .isEqualTo("project.created by org:" + org.id() + ", api_key.created by org:" + org.id());
    }

    @Test
    void aDuplicateProjectNameInTheSameOrganisationIsAConflict() {
        OrgFixture org = running.createOrganisation("Dupes");
        running.createProject(org.id(), "Ingest");

        Response duplicate = client.postJson(projects(org.id()), ADMIN_TOKEN, "{\"name\":\"Ingest\"}");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.contentType()).startsWith("application/problem+json");
        assertThat(duplicate.json().get("type").asText()).isEqualTo("https://meterbill.dev/problems/conflict");
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM audit_logs WHERE request_id = ?", duplicate.requestId()))
                .as("a failed creation leaves no audit row").isZero();
    }

    @Test
    void theSameProjectNameIsFineInAnotherOrganisation() {
        OrgFixture first = running.createOrganisation("First");
        OrgFixture second = running.createOrganisation("Second");
        running.createProject(first.id(), "Shared name");

        assertThat(client.postJson(projects(second.id()), ADMIN_TOKEN, "{\"name\":\"Shared name\"}").status())
                .isEqualTo(201);
    }

    @Test
    void aProjectNeedsAName() {
        OrgFixture org = running.createOrganisation("Nameless");

        Response response = client.postJson(projects(org.id()), org.secretKey(), "{\"name\":\"  \"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
    }

    @Test
    void anotherOrganisationsProjectsAreNotFound() {
        OrgFixture owner = running.createOrganisation("Owner");
        OrgFixture intruder = running.createOrganisation("Intruder");
        running.createProject(owner.id(), "Private");

        assertThat(client.get(projects(owner.id()), intruder.secretKey()).status()).isEqualTo(404);
        assertThat(client.postJson(projects(owner.id()), intruder.secretKey(), "{\"name\":\"Planted\"}").status())
                .isEqualTo(404);
        assertThat(running.database().queryValue(Long.class, "SELECT count(*) FROM projects WHERE name = 'Planted'"))
                .isZero();
    }

    @Test
    void projectsOfAnUnknownOrganisationAreNotFound() {
        assertThat(client.postJson(projects(UUID.randomUUID()), ADMIN_TOKEN, "{\"name\":\"x\"}").status())
                .isEqualTo(404);
        assertThat(client.get(projects(UUID.randomUUID()), ADMIN_TOKEN).status()).isEqualTo(404);
    }
}
