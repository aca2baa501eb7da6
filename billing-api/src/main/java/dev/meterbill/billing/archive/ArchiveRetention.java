package dev.meterbill.billing.archive;

import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, once a day, every organisation's archived days older than its retention (its own, or the default). One
 * organisation's failure (a file that cannot be deleted) is logged and counted; the others are still swept.
 */
public final class ArchiveRetention {

    static final String ACTOR = "system:archive-retention";
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRetention.class);

    private final Transactions transactions;
    private final ArchiveSettings settings;
    private final EventArchive archive;
    private final AuditLog auditLog;
    private final Clock clock;

    public ArchiveRetention(Transactions transactions, ArchiveSettings settings, AuditLog auditLog, Clock clock) {
        this.transactions = transactions;
        this.settings = settings;
        this.archive = settings.archive();
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** What one sweep did. */
    public record Sweep(int organisations, int days, int files, long bytes, int failures) {}

    private record Kept(UUID organisationId, ZoneId zone, int days) {}

    public Sweep sweep() {
        if (archive == null) {
            return new Sweep(0, 0, 0, 0, 0);
        }
        List<Kept> all = transactions.readOnly(c -> Sql.list(c, """
                SELECT o.id, o.timezone, r.retention_days FROM organisations o
                  LEFT JOIN archive_retention r ON r.organisation_id = o.id ORDER BY o.id""",
                rs -> new Kept(rs.getObject(1, UUID.class), ZoneId.of(rs.getString(2)),
                        rs.getObject(3) == null ? settings.defaultRetentionDays() : rs.getInt(3))));
        int touched = 0;
        int days = 0;
        int files = 0;
        long bytes = 0;
        int failures = 0;
        for (Kept kept : all) {
            LocalDate before = LocalDate.now(clock.withZone(kept.zone())).minusDays(kept.days());
            try {
                EventArchive.Deletion deleted = archive.delete(kept.organisationId().toString(), before);
                if (deleted.days() == 0) {
                    continue;
                }
                touched++;
                days += deleted.days();
                files += deleted.files();
                bytes += deleted.bytes();
                transactions.inTransaction(c -> {
                    auditLog.record(c, new AuditEntry(ACTOR, kept.organisationId(), "archive.retention_applied",
                            "organisation", kept.organisationId().toString(), null, Map.of("before", before.toString(),
                            "retentionDays", kept.days(), "days", deleted.days(), "files", deleted.files(), "bytes",
                            deleted.bytes()), null));
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                failures++;
                LOG.error("archive retention of organisation {} failed; the others go on", kept.organisationId(), e);
            }
        }
        if (days > 0 || failures > 0) {
            LOG.info("archive retention: {} organisations, {} days, {} files, {} bytes deleted, {} failures", touched, days,
                    files, bytes, failures);
        }
        return new Sweep(touched, days, files, bytes, failures);
    }
}
