package dev.meterbill.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.meterbill.archive.format.ArchivedEvent;
import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.billing.archive.ArchiveRetention;
import dev.meterbill.billing.archive.ArchiveSettings;
import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.billing.testutils.RunningBillingApi.OrgFixture;
import dev.meterbill.billing.testutils.RunningBillingApi.ProjectFixture;
import dev.meterbill.testkit.HttpTestClient;
import dev.meterbill.testkit.HttpTestClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The raw-event archive through billing-api (issue 18): export of a project's events from the Parquet files as NDJSON
 * and CSV, with exact values, an IST day's boundaries and tenant isolation; retention per organisation; deletion on
 * request that leaves every other organisation's files as they were.
 */
class EventArchiveApiIT {

    private static final Path ARCHIVE = tempDir();

    @RegisterExtension
    static final RunningBillingApi running = RunningBillingApi.perClass(c -> c.withArchive(ArchiveSettings.at(ARCHIVE.toString())));
    private static final HttpTestClient client = running.client();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = RunningBillingApi.ADMIN_TOKEN;
    private static final String NOV_1_IST = "from=2026-11-01T00:00:00%2B05:30&to=2026-11-02T00:00:00%2B05:30";

    private static OrgFixture ist;
    private static ProjectFixture chat;
    private static ProjectFixture search;
    private static OrgFixture other;
    private static ProjectFixture othersProject;

    @BeforeAll
    static void archive() throws IOException {
        ist = running.createOrganisation("Archive IST", "Asia/Kolkata", "29");
        chat = running.createProject(ist.id(), "chat");
        search = running.createProject(ist.id(), "search");
        other = running.createOrganisation("Archive other");
        othersProject = running.createProject(other.id(), "other");
        // 1 Nov 2026 in IST runs from 31 Oct 18:30Z to 1 Nov 18:30Z
        write(ist, "2026-10-31", event("e0", chat, "tokens", "1", "2026-10-31T18:29:59.999999999Z", "k0", Map.of()));
        write(ist, "2026-11-01",
                event("e1", chat, "tokens", "12345678901234567890.123456789012", "2026-10-31T18:30:00Z", "k1",
                        Map.of("model", "large, \"quoted\"", "region", "in")),
                event("e2", search, "tokens", "5", "2026-11-01T00:00:00Z", "k2", Map.of()),
                event("e3", chat, "api_calls", "0.5", "2026-11-01T10:00:00.123Z", null, Map.of()));
        write(ist, "2026-11-02", event("e4", chat, "tokens", "2", "2026-11-01T18:30:00Z", "k4", Map.of()));
        write(other, "2026-11-01", event("o1", othersProject, "tokens", "9", "2026-11-01T00:00:00Z", "ko", Map.of()));
    }

    @Test
    void ndjsonHoldsTheProjectsEventsOfTheRangeWithTheirExactValues() throws IOException {
        Response r = client.get("/api/v1/projects/" + chat.id() + "/events?" + NOV_1_IST, ist.secretKey());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/x-ndjson");
        assertThat(r.header("Content-Disposition")).contains("events-" + chat.id() + ".ndjson");
        List<JsonNode> lines = ndjson(r.body());
        assertThat(lines).extracting(l -> l.get("eventId").asText()).containsExactly("e1", "e3");
        JsonNode e1 = lines.get(0);
        assertThat(r.body()).contains("\"metricValue\":12345678901234567890.123456789012,");
        assertThat(e1.get("projectId").asText()).isEqualTo(chat.id().toString());
        assertThat(e1.get("metricName").asText()).isEqualTo("tokens");
        assertThat(e1.get("unit").asText()).isEqualTo("count");
        assertThat(e1.get("timestamp").asText()).isEqualTo("2026-10-31T18:30:00Z");
        assertThat(e1.get("idempotencyKey").asText()).isEqualTo("k1");
        assertThat(e1.get("metadata")).isEqualTo(JSON.readTree("{\"model\":\"large, \\\"quoted\\\"\",\"region\":\"in\"}"));
        assertThat(lines.get(1).get("idempotencyKey").isNull()).isTrue();
        assertThat(lines.get(1).get("metricValue").decimalValue()).isEqualByComparingTo("0.5");

        List<JsonNode> tokens = ndjson(client.get("/api/v1/projects/" + chat.id() + "/events?" + NOV_1_IST + "&metric=tokens",
                ADMIN).body());
        assertThat(tokens).extracting(l -> l.get("eventId").asText()).containsExactly("e1");
    }

    @Test
    void aUsageTotalLinksToTheEventsBehindIt() throws IOException {
        running.aggregate(chat, "tokens", "2026-11", "12345678901234567892.123456789012", 2, "2", "2", false);
        running.aggregate(chat, "llm_tokens{model=large}", "2026-11", "3", 1, "3", "3", false);
        JsonNode metrics = client.get("/api/v1/projects/" + chat.id() + "/usage?period=2026-11", ist.secretKey()).json()
                .get("metrics");
        JsonNode tokens = metrics.findParents("metricName").stream().filter(m -> m.get("metricName").asText().equals("tokens"))
                .findFirst().orElseThrow();
        String link = tokens.get("events").asText();
        assertThat(link).isEqualTo("/api/v1/projects/" + chat.id() + "/events?from=2026-11-01T00:00:00%2B05:30"
                + "&to=2026-12-01T00:00:00%2B05:30&metric=tokens");
        // November in IST: e1 at its first instant and e4 on the 2nd; e0 is the last instant of October
        assertThat(ndjson(client.get(link, ist.secretKey()).body())).extracting(l -> l.get("eventId").asText())
                .containsExactly("e1", "e4");
        assertThat(metrics.findParents("metricName").stream().filter(m -> m.get("metricName").asText().startsWith("llm"))
                .findFirst().orElseThrow().get("events").isNull()).isTrue();
    }

    @Test
    void csvHasAHeaderAndQuotesWhatNeedsIt() throws IOException {
        Response r = client.get("/api/v1/projects/" + chat.id() + "/events?" + NOV_1_IST + "&format=csv", ADMIN);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/csv");
        assertThat(r.body()).startsWith("eventId,projectId,metricName,metricValue,unit,timestamp,receivedAt,idempotencyKey,"
                + "metadata\n");
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(r.body())) {
            rows = it.readAll();
        }
        assertThat(rows).extracting(m -> m.get("eventId")).containsExactly("e1", "e3");
        assertThat(rows.get(0).get("metricValue")).isEqualTo("12345678901234567890.123456789012");
        assertThat(JSON.readTree(rows.get(0).get("metadata")).get("model").asText()).isEqualTo("large, \"quoted\"");
    }

    @Test
    void anotherOrganisationsProjectIsNotFoundAndBadQueriesAreProblems() {
        assertThat(client.get("/api/v1/projects/" + chat.id() + "/events?" + NOV_1_IST, other.secretKey()).status())
                .isEqualTo(404);
        for (String query : List.of("to=2026-11-02T00:00:00Z", "from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z",
                NOV_1_IST + "&format=xml", NOV_1_IST + "&metric=a%20b", "from=yesterday&to=2026-11-01T00:00:00Z")) {
            Response r = client.get("/api/v1/projects/" + chat.id() + "/events?" + query, ADMIN);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.contentType()).as(query).startsWith("application/problem+json");
        }
    }

    @Test
    void retentionIsTheOperatorsAndTheSweepDeletesOnlyTheDaysPastIt() throws IOException {
        OrgFixture churned = running.createOrganisation("Archive retention");
        ProjectFixture p = running.createProject(churned.id(), "p");
        LocalDate today = LocalDate.now(ZoneId.of("UTC"));
        write(churned, today.minusDays(40).toString(), event("old", p, "tokens", "1", today.minusDays(40) + "T12:00:00Z", "a", Map.of()));
        write(churned, today.minusDays(34).toString(), event("kept", p, "tokens", "1", today.minusDays(34) + "T12:00:00Z", "b", Map.of()));
        String path = "/api/v1/organisations/" + churned.id() + "/archive";

        assertThat(client.get(path, churned.secretKey()).json().get("retentionDays").asInt()).isEqualTo(2190);
        assertThat(client.putJson(path, churned.secretKey(), "{\"retentionDays\":35}").status()).isEqualTo(403);
        assertThat(client.putJson(path, ADMIN, "{\"retentionDays\":7}").status()).isEqualTo(400);
        JsonNode set = client.putJson(path, ADMIN, "{\"retentionDays\":35}").json();
        assertThat(set.get("retentionDays").asInt()).isEqualTo(35);
        assertThat(set.get("defaultRetention").asBoolean()).isFalse();
        assertThat(set.get("days").asInt()).isEqualTo(2);

        ArchiveRetention.Sweep sweep = running.api().sweepArchive();

        assertThat(sweep.failures()).isZero();
        JsonNode after = client.get(path, ADMIN).json();
        assertThat(after.get("days").asInt()).isEqualTo(1);
        assertThat(after.get("oldestDay").asText()).isEqualTo(today.minusDays(34).toString());
        // the default (six years) keeps everything the other organisations have
        assertThat(client.get("/api/v1/organisations/" + ist.id() + "/archive", ADMIN).json().get("days").asInt()).isEqualTo(3);
    }

    @Test
    void deletionOnRequestRemovesOneOrganisationsDaysAndNothingElse() throws IOException {
        OrgFixture leaving = running.createOrganisation("Archive deletion");
        ProjectFixture p = running.createProject(leaving.id(), "p");
        write(leaving, "2026-11-01", event("d1", p, "tokens", "1", "2026-11-01T12:00:00Z", "a", Map.of()));
        write(leaving, "2026-11-02", event("d2", p, "tokens", "1", "2026-11-02T12:00:00Z", "b", Map.of()));
        String path = "/api/v1/organisations/" + leaving.id() + "/events";
        long othersBytes = client.get("/api/v1/organisations/" + ist.id() + "/archive", ADMIN).json().get("bytes").asLong();

        assertThat(client.delete(path, leaving.secretKey()).status()).isEqualTo(403);
        assertThat(client.delete(path + "?before=November", ADMIN).status()).isEqualTo(400);
        JsonNode first = client.delete(path + "?before=2026-11-02", ADMIN).json();
        assertThat(first.get("days").asInt()).isEqualTo(1);
        assertThat(first.get("files").asInt()).isEqualTo(1);
        assertThat(ndjson(client.get("/api/v1/projects/" + p.id() + "/events?from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z",
                ADMIN).body())).extracting(l -> l.get("eventId").asText()).containsExactly("d2");

        assertThat(client.delete(path, ADMIN).json().get("days").asInt()).isEqualTo(1);
        assertThat(ARCHIVE.resolve("organisation=" + leaving.id())).doesNotExist();
        assertThat(client.get("/api/v1/organisations/" + ist.id() + "/archive", ADMIN).json().get("bytes").asLong())
                .isEqualTo(othersBytes);
        assertThat(running.database().queryValue(Long.class,
                "SELECT count(*) FROM audit_logs WHERE organisation_id = ? AND action = 'archive.events_deleted'", leaving.id()))
                .isEqualTo(2L);
    }

    private static List<JsonNode> ndjson(String body) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static ArchivedEvent event(String id, ProjectFixture p, String metric, String value, String timestamp, String key,
                                       Map<String, String> metadata) {
        ArchivedEvent e = new ArchivedEvent();
        e.eventId = id;
        e.organisationId = p.organisationId().toString();
        e.projectId = p.id().toString();
        e.metricName = metric;
        e.value = value;
        e.unit = metric.equals("tokens") ? "count" : null;
        e.timestamp = timestamp;
        e.receivedAt = timestamp;
        e.billingTimezone = "Asia/Kolkata";
        e.idempotencyKey = key;
        e.metadata.putAll(metadata);
        return e;
    }

    private static void write(OrgFixture org, String day, ArchivedEvent... events) throws IOException {
        for (ArchivedEvent e : events) {
            e.day = day;
        }
        EventArchive.write(ARCHIVE.resolve(EventArchive.bucket(org.id().toString(), day))
                .resolve("events-" + events[0].eventId + "-0.parquet"), List.of(events));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("event-archive-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
