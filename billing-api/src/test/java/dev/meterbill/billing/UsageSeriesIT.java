package dev.meterbill.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The usage API over a range: hours and days of the organisation's timezone (Asia/Kolkata, UTC+05:30) as the job writes
 * them to usage_hourly and usage_daily, read back per hour, day or month, per metric definition group, regrouped,
 * filtered, for a project and for its organisation. Totals computed by hand.
 */
class UsageSeriesIT {

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass();
    private static final HttpTestClient client = running.client();
    private static OrgFixture org;
    private static ProjectFixture chat;
    private static ProjectFixture search;
    private static ProjectFixture legacy;
    private static ProjectFixture moved;
    private static ProjectFixture odd;
    private static final String DAY = "from=2026-11-01T00:00:00%2B05:30&to=2026-11-02T00:00:00%2B05:30";

    /**
     * An hour row the way the aggregation job writes it, and its day's row added up with it; {@code hour} is when the
     * IST hour starts, in UTC.
     */
    private static void hour(ProjectFixture p, String metric, String hour, long sum, String latestAt) {
        running.database().update("""
                INSERT INTO usage_hourly (project_id, organisation_id, metric_name, hour, timezone, unit, sum_value,
                       event_count, min_value, max_value, latest_value, latest_at, is_final)
                VALUES (?, ?, ?, ?::timestamptz, 'Asia/Kolkata', 'tokens', ?, 1, ?, ?, ?, ?::timestamptz, false)
                """, p.id(), p.organisationId(), metric, hour, sum, sum, sum, sum, latestAt);
        running.database().update("""
                INSERT INTO usage_daily AS d (project_id, organisation_id, metric_name, day, timezone, unit, sum_value,
                       event_count, min_value, max_value, latest_value, latest_at, is_final)
                VALUES (?, ?, ?, (?::timestamptz AT TIME ZONE 'Asia/Kolkata')::date, 'Asia/Kolkata', 'tokens', ?, 1, ?, ?, ?,
                        ?::timestamptz, false)
                ON CONFLICT (project_id, metric_name, day) DO UPDATE SET sum_value = d.sum_value + EXCLUDED.sum_value,
                       event_count = d.event_count + 1, min_value = least(d.min_value, EXCLUDED.min_value),
                       max_value = greatest(d.max_value, EXCLUDED.max_value),
                       latest_value = CASE WHEN EXCLUDED.latest_at > d.latest_at THEN EXCLUDED.latest_value
                                           ELSE d.latest_value END,
                       latest_at = greatest(d.latest_at, EXCLUDED.latest_at)
                """, p.id(), p.organisationId(), metric, hour, sum, sum, sum, sum, latestAt);
    }

    /** A day row alone, kept in {@code timezone}: what the job wrote before it kept hours, or before a timezone change. */
    private static void dayOnly(ProjectFixture p, String metric, String day, String timezone, long sum) {
        running.database().update("""
                INSERT INTO usage_daily (project_id, organisation_id, metric_name, day, timezone, unit, sum_value,
                       event_count, min_value, max_value, latest_value, latest_at, is_final)
                VALUES (?, ?, ?, ?::date, ?, 'tokens', ?, 1, ?, ?, ?, ?::date, true)
                """, p.id(), p.organisationId(), metric, day, timezone, sum, sum, sum, sum, day);
    }

    @BeforeAll
    static void usage() {
        org = running.createOrganisation("Ranges", "Asia/Kolkata", "29");
        chat = running.createProject(org.id(), "chat");
        search = running.createProject(org.id(), "search");
        // 1 Nov 2026 in IST runs from 31 Oct 18:30Z to 1 Nov 18:30Z
        hour(chat, "llm_tokens{model=large,region=in}", "2026-10-31T18:30:00Z", 100, "2026-10-31T18:40:00Z");
        hour(chat, "llm_tokens{model=large,region=in}", "2026-10-31T19:30:00Z", 200, "2026-10-31T19:59:00Z");
        hour(chat, "llm_tokens{model=large,region=us}", "2026-10-31T19:30:00Z", 40, "2026-10-31T19:31:00Z");
        hour(chat, "llm_tokens{model=small,region=in}", "2026-11-01T17:30:00Z", 7, "2026-11-01T18:00:00Z");
        hour(chat, "llm_tokens{model=large,region=in}", "2026-11-01T18:30:00Z", 1000, "2026-11-01T18:31:00Z"); // 2 Nov
        hour(chat, "api_calls", "2026-10-31T18:30:00Z", 5, "2026-10-31T18:31:00Z");
        hour(search, "llm_tokens{model=large,region=in}", "2026-10-31T19:30:00Z", 60, "2026-10-31T20:00:00Z");
        legacy = running.createProject(org.id(), "legacy");
        dayOnly(legacy, "api_calls", "2026-11-02", "Asia/Kolkata", 50);
        moved = running.createProject(org.id(), "moved");
        hour(moved, "api_calls", "2026-10-31T19:30:00Z", 9, "2026-10-31T19:31:00Z");
        dayOnly(moved, "old_metric", "2026-11-01", "UTC", 70);
        odd = running.createProject(org.id(), "odd");
        hour(odd, "llm_tokens{model=a\\,b_%,region=eu}", "2026-10-31T18:30:00Z", 11, "2026-10-31T18:31:00Z"); // a,b_%
        hour(odd, "llm_tokens{model=a\\,bX%,region=eu}", "2026-10-31T18:30:00Z", 22, "2026-10-31T18:31:00Z");
        hour(odd, "llm_tokens{model=a\\,b_%x,region=eu}", "2026-10-31T18:30:00Z", 33, "2026-10-31T18:31:00Z");
    }

    private static JsonNode get(String path) {
        Response response = client.get(path, org.secretKey());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Each series as "metric {groups}: start=sum/count ..." */
    private static List<String> lines(JsonNode body) {
        List<String> lines = new ArrayList<>();
        for (JsonNode s : body.get("series")) {
            StringBuilder line = new StringBuilder(s.get("metricName").asText() + " " + s.get("groups") + ":");
            for (JsonNode p : s.get("points")) {
                line.append(' ').append(p.get("start").asText()).append('=').append(p.get("sum").asText()).append('/')
                        .append(p.get("count").asText());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    @Test
    void hoursOfOneDefinitionPerGroup() {
        JsonNode body = get("/api/v1/projects/" + chat.id() + "/usage?granularity=hour&metric=llm_tokens&" + DAY);

        assertThat(body.get("timezone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(lines(body)).containsExactly(
                "llm_tokens {\"model\":\"large\",\"region\":\"in\"}: 2026-10-31T18:30:00Z=100/1 2026-10-31T19:30:00Z=200/1",
                "llm_tokens {\"model\":\"large\",\"region\":\"us\"}: 2026-10-31T19:30:00Z=40/1",
                "llm_tokens {\"model\":\"small\",\"region\":\"in\"}: 2026-11-01T17:30:00Z=7/1");
    }

    @Test
    void aMonthOfHoursReadInTwoHalvesComesBackInTimeOrder() {
        // 720 hours: read as two halves at once (UsageService.SPLIT_HOURS), split at 16 Nov 00:00 IST (15 Nov 18:30Z)
        ProjectFixture month = running.createProject(running.createOrganisation("Halves", "Asia/Kolkata", "29").id(), "m");
        hour(month, "late_month", "2026-11-15T17:30:00Z", 1, "2026-11-15T17:31:00Z");
        hour(month, "late_month", "2026-11-15T18:30:00Z", 2, "2026-11-15T18:31:00Z");
        hour(month, "late_month", "2026-11-30T17:30:00Z", 3, "2026-11-30T17:31:00Z");
        hour(month, "late_month", "2026-10-31T18:30:00Z", 4, "2026-10-31T18:31:00Z");
        assertThat(lines(client.get("/api/v1/projects/" + month.id() + "/usage?granularity=hour&metric=late_month"
                + "&from=2026-11-01T00:00:00%2B05:30&to=2026-12-01T00:00:00%2B05:30", RunningBillingApi.ADMIN_TOKEN).json()))
                .containsExactly(
                "late_month {}: 2026-10-31T18:30:00Z=4/1 2026-11-15T17:30:00Z=1/1 2026-11-15T18:30:00Z=2/1"
                        + " 2026-11-30T17:30:00Z=3/1");
    }

    @Test
    void groupedByModelFilteredAndPerDayOfTheOrganisationsTimezone() {
        assertThat(lines(get("/api/v1/projects/" + chat.id() + "/usage?granularity=day&metric=llm_tokens&groupBy=model"
                + "&from=2026-11-01T00:00:00%2B05:30&to=2026-11-03T00:00:00%2B05:30"))).containsExactly(
                // 100 + 200 + 40 on 1 Nov IST; the 1000 of 00:00 IST on 2 Nov is the next day
                "llm_tokens {\"model\":\"large\"}: 2026-10-31T18:30:00Z=340/3 2026-11-01T18:30:00Z=1000/1",
                "llm_tokens {\"model\":\"small\"}: 2026-10-31T18:30:00Z=7/1");
        assertThat(lines(get("/api/v1/projects/" + chat.id() + "/usage?granularity=month&metric=llm_tokens"
                + "&groupBy=region&filter=model:large&filter=model:medium&" + DAY))).containsExactly(
                "llm_tokens {\"region\":\"in\"}: 2026-10-31T18:30:00Z=300/2",
                "llm_tokens {\"region\":\"us\"}: 2026-10-31T18:30:00Z=40/1");
    }

    @Test
    void everyMetricWithoutAMetricAndTheOrganisationAddsUpItsProjects() {
        assertThat(lines(get("/api/v1/projects/" + chat.id() + "/usage?granularity=day&" + DAY))).containsExactly(
                "api_calls {}: 2026-10-31T18:30:00Z=5/1",
                "llm_tokens {\"model\":\"large\",\"region\":\"in\"}: 2026-10-31T18:30:00Z=300/2",
                "llm_tokens {\"model\":\"large\",\"region\":\"us\"}: 2026-10-31T18:30:00Z=40/1",
                "llm_tokens {\"model\":\"small\",\"region\":\"in\"}: 2026-10-31T18:30:00Z=7/1");
        JsonNode organisation = get("/api/v1/organisations/" + org.id() + "/usage?granularity=hour&metric=llm_tokens"
                + "&groupBy=model&filter=region:in&" + DAY);
        assertThat(lines(organisation)).containsExactly(
                "llm_tokens {\"model\":\"large\"}: 2026-10-31T18:30:00Z=100/1 2026-10-31T19:30:00Z=260/2",
                "llm_tokens {\"model\":\"small\"}: 2026-11-01T17:30:00Z=7/1");
        assertThat(organisation.has("projectId")).isFalse();
        // per day the projects' day rows are added up in the database: chat's 100 + 200 and search's 60, whose 20:00Z
        // event is the latest
        JsonNode days = get("/api/v1/organisations/" + org.id() + "/usage?granularity=day&metric=llm_tokens"
                + "&groupBy=model&filter=region:in&" + DAY);
        assertThat(days.get("series").get(0).get("points").get(0).get("latest").asText()).isEqualTo("60");
        assertThat(lines(days)).containsExactly(
                "llm_tokens {\"model\":\"large\"}: 2026-10-31T18:30:00Z=360/3",
                "llm_tokens {\"model\":\"small\"}: 2026-10-31T18:30:00Z=7/1");
        // the latest of two projects' hour is the one reported last by event time: search's 60 at 20:00Z
        assertThat(organisation.get("series").get(0).get("points").get(1).get("latest").asText()).isEqualTo("60");
    }

    @Test
    void wholeDaysComeFromTheDailyTotalsAndAPartialDayFromItsHours() {
        String range = "&from=2026-11-01T01:00:00%2B05:30&to=2026-11-03T01:00:00%2B05:30";
        // 1 Nov from 01:00 IST is hours (the 100 of 00:00 is before the range); 2 Nov is its day row; 3 Nov has no hour
        assertThat(lines(get("/api/v1/projects/" + chat.id() + "/usage?granularity=day&metric=llm_tokens&groupBy=model"
                + range))).containsExactly(
                "llm_tokens {\"model\":\"large\"}: 2026-10-31T18:30:00Z=240/2 2026-11-01T18:30:00Z=1000/1",
                "llm_tokens {\"model\":\"small\"}: 2026-10-31T18:30:00Z=7/1");
        // a day the job kept before it kept hours is still a day of usage
        assertThat(lines(get("/api/v1/projects/" + legacy.id() + "/usage?granularity=month" + range)))
                .containsExactly("api_calls {}: 2026-10-31T18:30:00Z=50/1");
    }

    @Test
    void aDayKeptInAnotherTimezoneIsAnsweredFromTheHours() {
        // old_metric's 1 Nov is a UTC day (a period before the organisation moved to IST): not a day of IST, so the
        // whole answer comes from the hours, where old_metric has none
        assertThat(lines(get("/api/v1/projects/" + moved.id() + "/usage?granularity=day&" + DAY)))
                .containsExactly("api_calls {}: 2026-10-31T18:30:00Z=9/1");
    }

    @Test
    void aFilterValueWithEscapedAndPatternCharactersMatchesItsGroupOnly() {
        // model "a,b_%" is kept as a\,b_% in the name: the database's pattern must still find it (its backslash, "_"
        // and "%" taken literally), and the groups it also lets through are left out by the exact check
        for (String granularity : List.of("hour", "day")) {
            assertThat(lines(get("/api/v1/projects/" + odd.id() + "/usage?granularity=" + granularity
                    + "&metric=llm_tokens&filter=model:a%2Cb_%25&" + DAY))).as(granularity).containsExactly(
                    "llm_tokens {\"model\":\"a,b_%\",\"region\":\"eu\"}: 2026-10-31T18:30:00Z=11/1");
        }
    }

    @Test
    void aBadRangeIsRefusedNamingTheParameter() {
        String base = "/api/v1/projects/" + chat.id() + "/usage?";
        List<String[]> cases = List.of(
                new String[] {"from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z", "from"},  // 05:30 in IST
                new String[] {"to=2026-11-02T00:00:00%2B05:30", "from"},
                new String[] {"from=yesterday&to=2026-11-02T00:00:00%2B05:30", "from"},
                new String[] {"from=2026-11-02T00:00:00%2B05:30&to=2026-11-01T00:00:00%2B05:30", "to"},
                new String[] {"from=2024-11-01T00:00:00%2B05:30&to=2026-11-01T00:00:00%2B05:30", "to"},
                new String[] {"from=0001-11-01T00:00:00%2B05:30&to=2026-11-01T00:00:00%2B05:30", "from"},
                new String[] {DAY + "&granularity=week", "granularity"},
                new String[] {DAY + "&groupBy=model", "metric"},
                new String[] {DAY + "&metric=llm_tokens&filter=model", "filter"},
                new String[] {DAY + "&metric=llm_tokens&groupBy=a,a", "groupBy"},
                new String[] {DAY + "&period=2026-11", "period"});
        for (String[] c : cases) {
            Response response = client.get(base + c[0], org.secretKey());
            assertThat(response.status()).as(c[0] + " " + response.body()).isEqualTo(400);
            assertThat(response.body()).as(c[0]).contains("\"field\":\"" + c[1] + "\"");
        }
        OrgFixture other = running.createOrganisation("Other");
        assertThat(client.get(base + "granularity=hour&" + DAY, other.secretKey()).status()).isEqualTo(404);
        assertThat(client.get("/api/v1/organisations/" + org.id() + "/usage?granularity=hour&" + DAY,
                other.secretKey()).status()).isEqualTo(404);
    }
}
