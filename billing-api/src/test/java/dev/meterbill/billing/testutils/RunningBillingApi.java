package dev.meterbill.billing.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.BillingApi;
import java.util.UUID;

/** The billing API on a random port over its own fresh database, plus fixtures that go through HTTP. */
public final class RunningBillingApi implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-operator-token-" + UUID.randomUUID();

    private final TestDatabase database;
    private final BillingApi api;
    private final ApiClient client;

    private RunningBillingApi(TestDatabase database, BillingApi api) {
        this.database = database;
        this.api = api;
        this.client = new ApiClient(api.port());
    }

    public static RunningBillingApi start() {
        TestDatabase database = TestDatabase.create();
        try {
            return new RunningBillingApi(database, BillingApi.create(database.config(ADMIN_TOKEN)).start(0));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public TestDatabase database() {
        return database;
    }

    public BillingApi api() {
        return api;
    }

    public ApiClient client() {
        return client;
    }

    /** An organisation created through the API, with its secret key. */
    public record OrgFixture(UUID id, String secretKey) {}

    /** A project created through the API, with its API key. */
    public record ProjectFixture(UUID id, UUID organisationId, String apiKey) {}

    public OrgFixture createOrganisation(String name) {
        ApiClient.Response response = client.postJson("/api/v1/organisations", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"billingEmail\":\"billing@example.com\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode json = response.json();
        return new OrgFixture(UUID.fromString(json.get("id").asText()), json.get("secretKey").asText());
    }

    public ProjectFixture createProject(UUID organisationId, String name) {
        ApiClient.Response response = client.postJson("/api/v1/organisations/" + organisationId + "/projects",
                ADMIN_TOKEN, "{\"name\":\"" + name + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode json = response.json();
        return new ProjectFixture(UUID.fromString(json.get("id").asText()), organisationId,
                json.get("apiKey").asText());
    }

    @Override
    public void close() {
        try {
            api.stop();
        } finally {
            database.close();
        }
    }
}
