package dev.meterbill.archive.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventArchiveTest {

    private static final String ORG_A = "0b7e1a52-1111-4c1e-9a8e-000000000001";
    private static final String ORG_B = "0b7e1a52-2222-4c1e-9a8e-000000000002";

    @TempDir
    Path root;

    @Test
    void readsOneOrganisationsDaysAndProjectInDayThenFileOrderWithEveryField() throws IOException {
        EventArchive archive = seed();
        List<ArchivedEvent> read = new ArrayList<>();
        long n = archive.read(ORG_A, LocalDate.parse("2026-11-02"), LocalDate.parse("2026-11-03"), "p1", e -> true, read::add);

        assertThat(n).isEqualTo(4);
        assertThat(read).extracting(e -> e.eventId).containsExactly("a-02-1", "a-02-3", "a-03-1", "a-03-3");
        ArchivedEvent first = read.get(0);
        assertThat(first.value).isEqualTo("0.000000001");
        assertThat(first.unit).isNull();
        assertThat(first.idempotencyKey).isEqualTo("k-a-02-1");
        assertThat(first.metadata).containsExactly(Map.entry("model", "large"));
        assertThat(first.timestamp).isEqualTo("2026-11-02T10:00:00.123456789Z");
    }

    @Test
    void theFilterAndEveryProjectWhenNoneIsNamed() throws IOException {
        EventArchive archive = seed();
        List<String> ids = new ArrayList<>();
        archive.read(ORG_A, LocalDate.MIN, LocalDate.MAX, null, e -> e.eventId.endsWith("-2"), e -> ids.add(e.eventId));
        assertThat(ids).containsExactly("a-01-2", "a-02-2", "a-03-2");
    }

    @Test
    void deletingBeforeADayRemovesOnlyThatOrganisationsCommittedFilesOfEarlierDays() throws IOException {
        EventArchive archive = seed();
        Path inProgress = root.resolve("organisation=" + ORG_A + "/date=2026-11-01/.events-x-0.parquet.inprogress.1");
        Files.writeString(inProgress, "the job is still writing");

        EventArchive.Deletion deleted = archive.delete(ORG_A, LocalDate.parse("2026-11-03"));

        assertThat(deleted.days()).isEqualTo(2);
        assertThat(deleted.files()).isEqualTo(2);
        assertThat(deleted.bytes()).isPositive();
        assertThat(archive.days(ORG_A)).containsOnlyKeys(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-03"));
        assertThat(archive.days(ORG_A).get(LocalDate.parse("2026-11-01"))).isEmpty();
        assertThat(inProgress).exists();
        assertThat(archive.days(ORG_B)).hasSize(3);

        Files.delete(inProgress);
        assertThat(archive.delete(ORG_A, null).files()).isEqualTo(1);
        assertThat(root.resolve("organisation=" + ORG_A)).doesNotExist();
        assertThat(archive.days(ORG_A)).isEmpty();
    }

    @Test
    void anOrganisationIdNeverLeavesTheArchive() {
        EventArchive archive = new EventArchive(root);
        assertThatThrownBy(() -> archive.days("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventArchive.at("s3://bucket/archive")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mount");
        assertThat(EventArchive.at(root.toUri().toString()).root()).isEqualTo(root);
    }

    /** Two organisations, three days each, one file a day of three events (projects p1, p2, p1). */
    private EventArchive seed() throws IOException {
        for (String org : List.of(ORG_A, ORG_B)) {
            String tag = org.equals(ORG_A) ? "a" : "b";
            for (int d = 1; d <= 3; d++) {
                String day = "2026-11-0" + d;
                List<ArchivedEvent> events = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    ArchivedEvent e = new ArchivedEvent();
                    e.eventId = tag + "-0" + d + "-" + i;
                    e.organisationId = org;
                    e.projectId = i == 2 ? "p2" : "p1";
                    e.metricName = "tokens";
                    e.value = i == 1 ? "0.000000001" : "12345678901234567890.5";
                    e.unit = i == 1 ? null : "count";
                    e.timestamp = day + "T10:00:00.123456789Z";
                    e.receivedAt = day + "T10:00:01Z";
                    e.billingTimezone = "Asia/Kolkata";
                    e.day = day;
                    e.idempotencyKey = "k-" + e.eventId;
                    e.metadata.put("model", "large");
                    events.add(e);
                }
                EventArchive.write(root.resolve(EventArchive.bucket(org, day)).resolve("events-u-" + d + ".parquet"), events);
            }
        }
        return new EventArchive(root);
    }
}
