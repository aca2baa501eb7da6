package dev.meterbill.billing.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.BillingSettings;
import java.util.UUID;
import java.util.function.UnaryOperator;

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
        return start(BillingSettings.defaults().withoutScheduledRuns());
    }

    /** The API with these invoicing settings (scheduled runs included, if their interval is not zero). */
    public static RunningBillingApi start(BillingSettings settings) {
        return start(config -> config.withBilling(settings));
    }

    /** The API with the test configuration as {@code configure} changes it (payments, for one). */
    public static RunningBillingApi start(UnaryOperator<BillingApiConfig> configure) {
        TestDatabase database = TestDatabase.create();
        try {
            return new RunningBillingApi(database,
                    BillingApi.create(configure.apply(database.config(ADMIN_TOKEN))).start(0));
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

    /** A pricing plan created by the operator; returns its id. */
    public UUID createPlan(String json) {
        ApiClient.Response response = client.postJson("/api/v1/pricing-plans", ADMIN_TOKEN, json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return UUID.fromString(response.json().get("id").asText());
    }

    /** Subscribes the organisation to the plan from {@code startsOn} (YYYY-MM-01) as the operator. */
    public void subscribe(UUID organisationId, UUID planId, String startsOn) {
        ApiClient.Response response = client.putJson("/api/v1/organisations/" + organisationId + "/subscription",
                ADMIN_TOKEN, "{\"pricingPlanId\":\"" + planId + "\",\"startsOn\":\"" + startsOn + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** An organisation with the given timezone and state code, created through the API. */
    public OrgFixture createOrganisation(String name, String timezone, String stateCode) {
        ApiClient.Response response = client.postJson("/api/v1/organisations", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"billingEmail\":\"billing@example.com\",\"timezone\":\"" + timezone
                        + "\"" + (stateCode == null ? "" : ",\"stateCode\":\"" + stateCode + "\"") + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode json = response.json();
        return new OrgFixture(UUID.fromString(json.get("id").asText()), json.get("secretKey").asText());
    }

    /** Writes a monthly aggregate row the way the aggregation job does: absolute values, NUMERIC. */
    public void aggregate(ProjectFixture project, String metric, String period, String sum, long count, String max,
                          String latest, boolean isFinal) {
        database.update("""
                INSERT INTO usage_aggregates (project_id, organisation_id, metric_name, period, timezone, unit,
                       sum_value, event_count, min_value, max_value, latest_value, latest_at, is_final)
                VALUES (?, ?, ?, ?, 'UTC', 'count', ?::numeric, ?, 0, ?::numeric, ?::numeric, now(), ?)
                ON CONFLICT (project_id, metric_name, period) DO UPDATE
                   SET sum_value = EXCLUDED.sum_value, event_count = EXCLUDED.event_count,
                       max_value = EXCLUDED.max_value, latest_value = EXCLUDED.latest_value,
                       is_final = EXCLUDED.is_final
                """, project.id(), project.organisationId(), metric, period, sum, count, max, latest, isFinal);
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
