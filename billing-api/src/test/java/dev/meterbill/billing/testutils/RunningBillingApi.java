package dev.meterbill.billing.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.BillingApi;
import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.ServiceExtension;
import dev.meterbill.testkit.StartupGuard;
import dev.meterbill.testkit.TestDatabase;
import java.time.Clock;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The billing API on a random port over its own fresh database, plus fixtures that go through HTTP.
 * On a static {@code @RegisterExtension} field it runs for all tests of the class ({@link #perClass})
 * or for each test ({@link #perTest}); {@link #started} starts one that the test closes itself.
 */
public final class RunningBillingApi extends ServiceExtension<RunningBillingApi.Instance> {

    public static final String ADMIN_TOKEN = "test-operator-token-" + UUID.randomUUID();

    /** What runs: the API and the database it migrated when it started. */
    public record Instance(TestDatabase database, BillingApi api) implements AutoCloseable {
        @Override
        public void close() {
            try {
                api.stop();
            } finally {
                database.close();
            }
        }
    }

    private final HttpTestClient client = new HttpTestClient(() -> "http://127.0.0.1:" + api().port());

    private RunningBillingApi(Scope scope, UnaryOperator<BillingApiConfig> configure) {
        this(scope, configure, Clock.systemUTC());
    }

    private RunningBillingApi(Scope scope, UnaryOperator<BillingApiConfig> configure, Clock clock) {
        super(scope, () -> launch(configure, clock));
    }

    /** One API for all tests of the class that tells the time by {@code clock}. */
    public static RunningBillingApi perClass(Clock clock) {
        return new RunningBillingApi(Scope.CLASS, config -> config, clock);
    }

    /** One API for all tests of the class, with the test configuration. */
    public static RunningBillingApi perClass() {
        return perClass(config -> config);
    }

    /** One API for all tests of the class, configured by {@code configure}, on {@code clock}. */
    public static RunningBillingApi perClass(UnaryOperator<BillingApiConfig> configure, Clock clock) {
        return new RunningBillingApi(Scope.CLASS, configure, clock);
    }

    /** One API for all tests of the class, with the test configuration as {@code configure} changes it (payments, for one). */
    public static RunningBillingApi perClass(UnaryOperator<BillingApiConfig> configure) {
        return new RunningBillingApi(Scope.CLASS, configure);
    }

    /** A fresh API and database for every test, for tests that break them. */
    public static RunningBillingApi perTest() {
        return new RunningBillingApi(Scope.TEST, config -> config);
    }

    /** Started now with these invoicing settings (scheduled runs included, if their interval is not zero). */
    public static RunningBillingApi started(BillingSettings settings) {
        return started(config -> config.withBilling(settings));
    }

    /** Started now with the test configuration as {@code configure} changes it; the caller closes it. */
    public static RunningBillingApi started(UnaryOperator<BillingApiConfig> configure) {
        RunningBillingApi running = new RunningBillingApi(Scope.CLASS, configure);
        running.start();
        return running;
    }

    /**
     * The test configuration: the API over {@code database} on a random port. The scheduled invoice
     * run is off so that tests decide when invoices are generated.
     */
    public static BillingApiConfig config(TestDatabase database) {
        return new BillingApiConfig(database.url(), database.user(), database.password(), 0, ADMIN_TOKEN,
                BillingSettings.defaults().withoutScheduledRuns());
    }

    private static Instance launch(UnaryOperator<BillingApiConfig> configure, Clock clock) throws Exception {
        try (StartupGuard guard = new StartupGuard()) {
            // an empty database: the API applies the migrations itself when it starts, as in production
            TestDatabase database = guard.add(TestDatabase.createEmpty());
            return guard.started(new Instance(database, BillingApi.create(configure.apply(config(database)), clock).start(0)));
        }
    }

    public TestDatabase database() {
        return get().database();
    }

    public BillingApi api() {
        return get().api();
    }

    /** A client of this API; it may be taken before the API started. */
    public HttpTestClient client() {
        return client;
    }

    /** An organisation created through the API, with its secret key. */
    public record OrgFixture(UUID id, String secretKey) {}

    /** A project created through the API, with its API key. */
    public record ProjectFixture(UUID id, UUID organisationId, String apiKey) {}

    public OrgFixture createOrganisation(String name) {
        HttpTestClient.Response response = client.postJson("/api/v1/organisations", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"billingEmail\":\"billing@example.com\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode json = response.json();
        return new OrgFixture(UUID.fromString(json.get("id").asText()), json.get("secretKey").asText());
    }

    public ProjectFixture createProject(UUID organisationId, String name) {
        HttpTestClient.Response response = client.postJson("/api/v1/organisations/" + organisationId + "/projects",
                ADMIN_TOKEN, "{\"name\":\"" + name + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode json = response.json();
        return new ProjectFixture(UUID.fromString(json.get("id").asText()), organisationId,
                json.get("apiKey").asText());
    }

    /** A pricing plan created by the operator; returns its id. */
    public UUID createPlan(String json) {
        HttpTestClient.Response response = client.postJson("/api/v1/pricing-plans", ADMIN_TOKEN, json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return UUID.fromString(response.json().get("id").asText());
    }

    /** Subscribes the organisation to the plan from {@code startsOn} (YYYY-MM-01) as the operator. */
    public void subscribe(UUID organisationId, UUID planId, String startsOn) {
        HttpTestClient.Response response = client.putJson("/api/v1/organisations/" + organisationId + "/subscription",
                ADMIN_TOKEN, "{\"pricingPlanId\":\"" + planId + "\",\"startsOn\":\"" + startsOn + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** An organisation with the given timezone and state code, created through the API. */
    public OrgFixture createOrganisation(String name, String timezone, String stateCode) {
        HttpTestClient.Response response = client.postJson("/api/v1/organisations", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"billingEmail\":\"billing@example.com\",\"timezone\":\"" + timezone
                        + "\"" + (stateCode == null ? "" : ",\"stateCode\":\"" + stateCode + "\"") + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode json = response.json();
        return new OrgFixture(UUID.fromString(json.get("id").asText()), json.get("secretKey").asText());
    }

    /** Generates the organisation's invoice of the period through the API; its id. */
    public String generateInvoice(UUID organisationId, String period) {
        HttpTestClient.Response generated = client.postJson("/api/v1/invoices/generate", ADMIN_TOKEN,
                "{\"period\":\"" + period + "\",\"organisationId\":\"" + organisationId + "\"}");
        assertThat(generated.status()).as(generated.body()).isEqualTo(200);
        return generated.json().get("invoiceIds").get(0).asText();
    }

    /** Writes a monthly aggregate row the way the aggregation job does: absolute values, NUMERIC. */
    public void aggregate(ProjectFixture project, String metric, String period, String sum, long count, String max,
                          String latest, boolean isFinal) {
        database().update("""
                INSERT INTO usage_aggregates (project_id, organisation_id, metric_name, period, timezone, unit,
                       sum_value, event_count, min_value, max_value, latest_value, latest_at, is_final)
                VALUES (?, ?, ?, ?, 'UTC', 'count', ?::numeric, ?, 0, ?::numeric, ?::numeric, now(), ?)
                ON CONFLICT (project_id, metric_name, period) DO UPDATE
                   SET sum_value = EXCLUDED.sum_value, event_count = EXCLUDED.event_count,
                       max_value = EXCLUDED.max_value, latest_value = EXCLUDED.latest_value,
                       is_final = EXCLUDED.is_final
                """, project.id(), project.organisationId(), metric, period, sum, count, max, latest, isFinal);
    }

    /** Writes a daily row of {@code api_calls} the way the aggregation job does: {@code sum} events of value 1. */
    public void daily(ProjectFixture project, String day, String sum) {
        database().update("""
                INSERT INTO usage_daily (project_id, organisation_id, metric_name, day, timezone, unit, sum_value,
                       event_count, min_value, max_value, latest_value, latest_at)
                VALUES (?, ?, 'api_calls', ?::date, 'Asia/Kolkata', 'count', ?::numeric, ?::numeric::bigint, 1, 1, 1, now())
                """, project.id(), project.organisationId(), day, sum, sum);
    }
}
