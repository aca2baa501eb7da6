package dev.meterbill.billing.archive;

import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.service.Env;
import java.util.Map;

/**
 * Where billing-api finds the raw-event archive the archive job writes (issue 18).
 *
 * @param path                 {@code BILLING_ARCHIVE_PATH}: the archive's directory (a path or {@code file:} URI, the
 *                             bucket mounted in production); unset, the export and deletion routes answer 503 and
 *                             nothing is swept
 * @param defaultRetentionDays {@code BILLING_ARCHIVE_RETENTION_DAYS} (2190, six years: the 72 months for which the
 *                             CGST Act keeps the records behind a tax invoice); an organisation may have its own
 */
public record ArchiveSettings(String path, int defaultRetentionDays) {

    public static final String PATH = "BILLING_ARCHIVE_PATH";
    public static final String RETENTION_DAYS = "BILLING_ARCHIVE_RETENTION_DAYS";
    public static final int MIN_RETENTION_DAYS = 35;
    public static final int MAX_RETENTION_DAYS = 3650;

    public ArchiveSettings {
        if (path != null && path.isBlank()) {
            path = null;
        }
        if (path != null) {
            EventArchive.at(path); // refuses an object store's URI at startup, not at the first export
        }
    }

    public static ArchiveSettings none() {
        return new ArchiveSettings(null, 2190);
    }

    public static ArchiveSettings at(String path) {
        return new ArchiveSettings(path, 2190);
    }

    public static ArchiveSettings fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        return new ArchiveSettings(env.text(PATH, null),
                env.integer(RETENTION_DAYS, 2190, MIN_RETENTION_DAYS, MAX_RETENTION_DAYS));
    }

    /** The archive, or null when none is configured. */
    public EventArchive archive() {
        return path == null ? null : EventArchive.at(path);
    }
}
