package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What callers see when the server or its database fails: a problem document, never internals. */
class FailureModesIT {

    // each test breaks its API's database: a fresh one for every test
    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perTest();
    private static final HttpTestClient client = running.client();
    private ProjectFixture project;

    @BeforeEach
    void createProject() {
        OrgFixture org = running.createOrganisation("Fragile");
        project = running.createProject(org.id(), "Fragile API");
    }

    @Test
    void anUnexpectedFailureIsA500ThatRevealsOnlyTheRequestId() {
        running.database().update("ALTER TABLE usage_aggregates RENAME TO usage_aggregates_gone");

        Response response = client.get("/api/v1/projects/" + project.id() + "/usage?period=2026-01", ADMIN_TOKEN);

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("https://meterbill.dev/problems/internal-error");
        assertThat(response.json().get("detail").asText()).contains(response.requestId());
        assertThat(response.body()).doesNotContain("usage_aggregates", "Exception", "at dev.", "SQL");
    }

    @Test
    void aLostDatabaseMakesTheServiceUnreadyAndRequestsRetryable() {
        running.database().close();

        Response ready = client.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.contentType()).startsWith("application/problem+json");

        Response usage = client.get("/api/v1/projects/" + project.id() + "/usage?period=2026-01", ADMIN_TOKEN);
        assertThat(usage.status()).isEqualTo(503);
        assertThat(usage.header("Retry-After")).isNotBlank();
        assertThat(usage.json().get("type").asText()).isEqualTo("https://meterbill.dev/problems/unavailable");

        assertThat(client.get("/health/live", null).status()).as("the process itself is alive").isEqualTo(200);
    }
}
