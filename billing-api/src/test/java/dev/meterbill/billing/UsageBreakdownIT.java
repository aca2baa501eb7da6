package dev.meterbill.billing;

import static dev.meterbill.billing.testutils.RunningBillingApi.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.HttpTestClient.Response;
import dev.meterbill.testkit.HttpTestClient;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The organisation view and the day breakdown of usage. */
class UsageBreakdownIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();

    private static void day(ProjectFixture p, String metric, String day, String sum, long count) {
        running.database().update("""
                INSERT INTO usage_daily (project_id, organisation_id, metric_name, day, timezone, unit, sum_value,
                       event_count, min_value, max_value, latest_value, latest_at)
                VALUES (?, ?, ?, ?, 'Asia/Kolkata', 'count', ?::numeric, ?, 1, ?::numeric, ?::numeric, now())
                """, p.id(), p.organisationId(), metric, LocalDate.parse(day), sum, count, sum, sum);
    }

    @Test
    void aProjectsUsageListsTheDaysOfThePeriodWithUsage() {
        OrgFixture org = running.createOrganisation("Daily", "Asia/Kolkata", null);
        ProjectFixture project = running.createProject(org.id(), "Days");
        running.aggregate(project, "api_calls", "2026-01", "30.5", 3, "20", "20", false);
        day(project, "api_calls", "2026-01-01", "10", 1);
        day(project, "api_calls", "2026-01-31", "20.5", 2);
        day(project, "api_calls", "2026-02-01", "99", 9);   // the next period
        day(project, "api_calls", "2025-12-31", "99", 9);   // the previous period

        JsonNode metric = client.get("/api/v1/projects/" + project.id() + "/usage?period=2026-01", org.secretKey())
                .json().get("metrics").get(0);

        assertThat(metric.get("sum").decimalValue()).isEqualByComparingTo("30.5");
        assertThat(metric.get("days").findValuesAsText("day")).containsExactly("2026-01-01", "2026-01-31");
        assertThat(metric.get("days").get(1).get("sum").decimalValue()).isEqualByComparingTo("20.5");
        assertThat(metric.get("days").get(1).get("count").asLong()).isEqualTo(2);
    }

    @Test
    void theOrganisationViewShowsEveryProjectAndIsFinalOnlyWhenAllUsageIs() {
        OrgFixture org = running.createOrganisation("Two projects");
        ProjectFixture search = running.createProject(org.id(), "Search");
        ProjectFixture ingest = running.createProject(org.id(), "Ingest");
        ProjectFixture quiet = running.createProject(org.id(), "Quiet");
        running.aggregate(search, "api_calls", "2026-02", "100", 100, "1", "1", true);
        running.aggregate(ingest, "events", "2026-02", "7", 7, "1", "1", false);
        day(search, "api_calls", "2026-02-14", "100", 100);
        String path = "/api/v1/organisations/" + org.id() + "/usage?period=2026-02";

        JsonNode usage = client.get(path, org.secretKey()).json();

        assertThat(usage.get("organisationId").asText()).isEqualTo(org.id().toString());
        assertThat(usage.get("period").asText()).isEqualTo("2026-02");
        assertThat(usage.get("final").asBoolean()).isFalse();
        JsonNode projects = usage.get("projects");
        assertThat(projects.findValuesAsText("name")).containsExactly("Search", "Ingest", "Quiet");
        assertThat(projects.get(0).get("final").asBoolean()).isTrue();
        assertThat(projects.get(0).get("metrics").get(0).get("days").get(0).get("day").asText())
                .isEqualTo("2026-02-14");
        assertThat(projects.get(1).get("metrics").get(0).get("metricName").asText()).isEqualTo("events");
        assertThat(projects.get(2).get("metrics")).isEmpty();
        assertThat(projects.get(2).get("final").asBoolean()).isFalse();

        running.aggregate(ingest, "events", "2026-02", "7", 7, "1", "1", true);
        assertThat(client.get(path, ADMIN_TOKEN).json().get("final").asBoolean()).isTrue();
        assertThat(quiet.id()).isNotNull();
    }

    @Test
    void anotherOrganisationsUsageIsNotFound() {
        OrgFixture owner = running.createOrganisation("Owner of usage");
        OrgFixture other = running.createOrganisation("Other");
        ProjectFixture project = running.createProject(owner.id(), "Private");
        running.aggregate(project, "secret_metric", "2026-02", "1", 1, "1", "1", false);

        Response response = client.get("/api/v1/organisations/" + owner.id() + "/usage?period=2026-02",
                other.secretKey());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("secret_metric");
        assertThat(client.get("/api/v1/organisations/" + owner.id() + "/usage", ADMIN_TOKEN).status())
                .as("the period is required").isEqualTo(400);
    }
}
