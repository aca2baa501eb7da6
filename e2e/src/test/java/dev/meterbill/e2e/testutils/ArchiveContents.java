package dev.meterbill.e2e.testutils;

import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.events.BillingPeriod;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the raw-event archive holds, read with parquet's own reader ({@link EventArchive}): how many rows, how many
 * distinct events (project and idempotency key), and the monthly totals per project and metric those rows add up to,
 * to compare with the live totals the aggregation job wrote.
 */
public record ArchiveContents(long rows, long distinct, Map<UsageTotals.Key, UsageTotals.Row> totals) {

    public static ArchiveContents read(Path archiveDir) throws IOException {
        EventArchive archive = new EventArchive(archiveDir);
        long[] rows = {0};
        Set<String> keys = new HashSet<>();
        Map<UsageTotals.Key, UsageTotals.Row> totals = new HashMap<>();
        for (String organisation : archive.organisations()) {
            archive.read(organisation, LocalDate.MIN, LocalDate.MAX, null, e -> true, e -> {
                rows[0]++;
                keys.add(e.projectId + "|" + (e.idempotencyKey == null ? e.eventId : e.idempotencyKey));
                String period = BillingPeriod.containing(Instant.parse(e.timestamp), e.billingTimezone).key();
                totals.merge(new UsageTotals.Key(UUID.fromString(e.projectId), e.metricName, period),
                        UsageTotals.Row.of(new BigDecimal(e.value)), UsageTotals.Row::plus);
            });
        }
        return new ArchiveContents(rows[0], keys.size(), totals);
    }
}
