package dev.meterbill.billing.invoice;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL for invoice_generation_failures: one row per organisation and period, in bulk per chunk. */
final class GenerationFailureRepository {

    /** A failure as just recorded; {@code changed} when it is new, reopened or has another reason than before. */
    record Recorded(UUID id, UUID organisationId, String reason, int attempts, boolean changed) {}

    /** A failure resolved by the invoice now generated. */
    record Resolved(UUID id, UUID organisationId, UUID invoiceId, int attempts) {}

    List<Recorded> record(Connection c, YearMonth period, Map<UUID, String> reasons) throws SQLException {
        if (reasons.isEmpty()) {
            return List.of();
        }
        // "previous" reads the rows as they were before this statement, to tell a change from a repeat
        String sql = """
                WITH input (id, organisation_id, reason) AS (SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[])),
                     previous AS (SELECT f.organisation_id, f.reason, f.resolved_at
                                    FROM invoice_generation_failures f JOIN input i USING (organisation_id)
                                   WHERE f.period = ?),
                     upserted AS (
                         INSERT INTO invoice_generation_failures (id, organisation_id, period, reason)
                         SELECT id, organisation_id, ?, reason FROM input
                         ON CONFLICT (organisation_id, period) DO UPDATE
                            SET reason = EXCLUDED.reason, attempts = invoice_generation_failures.attempts + 1,
                                last_failed_at = now(), resolved_at = NULL, invoice_id = NULL
                         RETURNING id, organisation_id, reason, attempts)
                SELECT u.id, u.organisation_id, u.reason, u.attempts,
                       p.organisation_id IS NULL OR p.resolved_at IS NOT NULL OR p.reason <> u.reason
                  FROM upserted u LEFT JOIN previous p USING (organisation_id)
                """;
        Object[] ids = new Object[reasons.size()];
        Object[] organisations = new Object[reasons.size()];
        Object[] texts = new Object[reasons.size()];
        int i = 0;
        for (Map.Entry<UUID, String> entry : reasons.entrySet()) {
            ids[i] = UUID.randomUUID();
            organisations[i] = entry.getKey();
            texts[i++] = entry.getValue();
        }
        return Sql.list(c, sql, rs -> new Recorded(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getString(3), rs.getInt(4), rs.getBoolean(5)), c.createArrayOf("uuid", ids),
                c.createArrayOf("uuid", organisations), c.createArrayOf("text", texts), period.toString(), period.toString());
    }

    List<Resolved> resolve(Connection c, YearMonth period, Map<UUID, UUID> invoiceByOrganisation) throws SQLException {
        if (invoiceByOrganisation.isEmpty()) {
            return List.of();
        }
        String sql = """
                UPDATE invoice_generation_failures f SET resolved_at = now(), invoice_id = i.invoice_id
                  FROM unnest(?::uuid[], ?::uuid[]) AS i (organisation_id, invoice_id)
                 WHERE f.organisation_id = i.organisation_id AND f.period = ? AND f.resolved_at IS NULL
                RETURNING f.id, f.organisation_id, f.invoice_id, f.attempts
                """;
        return Sql.list(c, sql, rs -> new Resolved(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class), rs.getInt(4)), Sql.array(c, "uuid", invoiceByOrganisation.keySet()),
                Sql.array(c, "uuid", invoiceByOrganisation.values()), period.toString());
    }

    /**
     * Failures, most recent first.
     *
     * @param open true: only unresolved ones; false: only resolved ones; null: both
     */
    List<GenerationFailure> list(Connection c, YearMonth period, UUID organisationId, Boolean open, int limit,
                                 int offset) throws SQLException {
        String sql = """
                SELECT id, organisation_id, period, reason, attempts, first_failed_at, last_failed_at, resolved_at,
                       invoice_id
                  FROM invoice_generation_failures
                 WHERE (CAST(? AS text) IS NULL OR period = ?)
                   AND (CAST(? AS uuid) IS NULL OR organisation_id = ?)
                   AND (CAST(? AS boolean) IS NULL OR (resolved_at IS NULL) = ?)
                 ORDER BY last_failed_at DESC, id
                 LIMIT ? OFFSET ?
                """;
        String key = period == null ? null : period.toString();
        return Sql.list(c, sql, rs -> new GenerationFailure(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getString(3), rs.getString(4), rs.getInt(5), Sql.instant(rs, 6), Sql.instant(rs, 7),
                Sql.instant(rs, 8), rs.getObject(9, UUID.class)), key, key, organisationId, organisationId, open, open,
                limit, offset);
    }

    long countOpen(Connection c) throws SQLException {
        return Sql.single(c, "SELECT count(*) FROM invoice_generation_failures WHERE resolved_at IS NULL",
                rs -> rs.getLong(1));
    }
}
