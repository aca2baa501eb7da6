package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.service.ApiKeyHash;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiKeyApiIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    private static String keys(UUID projectId) {
        return "/api/v1/projects/" + projectId + "/api-keys";
    }

    @Test
    void keysAreListedMaskedNeverInFull() {
        OrgFixture org = running.createOrganisation("Masked");
        ProjectFixture project = running.createProject(org.id(), "Search");

        Response listed = client.get(keys(project.id()), org.secretKey());

        assertThat(listed.status()).isEqualTo(200);
        JsonNode key = listed.json().get("apiKeys").get(0);
        assertThat(key.get("prefix").asText()).isEqualTo(project.apiKey().substring(0, 12));
        assertThat(key.get("maskedKey").asText()).isEqualTo(project.apiKey().substring(0, 12) + "…");
        assertThat(key.get("active").asBoolean()).isTrue();
        assertThat(listed.body()).doesNotContain(project.apiKey()).doesNotContain(ApiKeyHash.of(project.apiKey()));
    }

    @Test
    void rotationShowsTheNewKeyOnceAndKeepsTheOldOneValidUntilRevoked() {
        OrgFixture org = running.createOrganisation("Rotator");
        ProjectFixture project = running.createProject(org.id(), "Ingest");

        Response rotated = client.postJson(keys(project.id()), org.secretKey(), "");

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        String newKey = rotated.json().get("apiKey").asText();
        assertThat(newKey).startsWith("pk_").isNotEqualTo(project.apiKey());
        assertThat(running.database().queryValue(String.class, "SELECT key_hash FROM api_keys WHERE id = ?::uuid",
                rotated.json().get("id").asText())).isEqualTo(ApiKeyHash.of(newKey));
        JsonNode listed = client.get(keys(project.id()), org.secretKey()).json().get("apiKeys");
        assertThat(listed).hasSize(2);
        assertThat(listed.findValuesAsText("active")).containsExactly("true", "true");
        assertThat(client.get(keys(project.id()), org.secretKey()).body()).doesNotContain(newKey);
    }

    @Test
    void revokingSetsRevokedAtOnceAndIsAudited() {
        OrgFixture org = running.createOrganisation("Revoker");
        ProjectFixture project = running.createProject(org.id(), "Old");
        String keyId = client.get(keys(project.id()), org.secretKey()).json().get("apiKeys").get(0).get("id").asText();

        Response revoked = client.delete(keys(project.id()) + "/" + keyId, org.secretKey());
        Response again = client.delete(keys(project.id()) + "/" + keyId, org.secretKey());

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("active").asBoolean()).isFalse();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("revokedAt").asText()).isEqualTo(revoked.json().get("revokedAt").asText());
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM api_keys WHERE id = ?::uuid AND revoked_at IS NOT NULL", keyId)).isEqualTo(1);
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM audit_logs WHERE action = 'api_key.revoked' AND entity_id = ?", keyId))
                .isEqualTo(1);
    }

    @Test
    void keysOfAnotherProjectOrTenantAreNotFound() {
        OrgFixture owner = running.createOrganisation("Key owner");
        OrgFixture other = running.createOrganisation("Key thief");
        ProjectFixture project = running.createProject(owner.id(), "Guarded");
        ProjectFixture otherProject = running.createProject(other.id(), "Own");
        String keyId = client.get(keys(project.id()), ADMIN_TOKEN).json().get("apiKeys").get(0).get("id").asText();

        assertThat(client.get(keys(project.id()), other.secretKey()).status()).isEqualTo(404);
        assertThat(client.postJson(keys(project.id()), other.secretKey(), "").status()).isEqualTo(404);
        assertThat(client.delete(keys(project.id()) + "/" + keyId, other.secretKey()).status()).isEqualTo(404);
        assertThat(client.delete(keys(otherProject.id()) + "/" + keyId, other.secretKey()).status())
                .as("a key is addressed through its own project").isEqualTo(404);
        assertThat(client.delete(keys(project.id()) + "/" + UUID.randomUUID(), ADMIN_TOKEN).status()).isEqualTo(404);
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM api_keys WHERE id = ?::uuid AND revoked_at IS NULL", keyId)).isEqualTo(1);
    }

    @Test
    void aProjectHasAtMostTenActiveKeys() {
        OrgFixture org = running.createOrganisation("Hoarder");
        ProjectFixture project = running.createProject(org.id(), "Many keys");
        for (int i = 0; i < 9; i++) {
            assertThat(client.postJson(keys(project.id()), ADMIN_TOKEN, "").status()).isEqualTo(201);
        }

        assertThat(client.postJson(keys(project.id()), ADMIN_TOKEN, "").status()).isEqualTo(409);
    }
}
