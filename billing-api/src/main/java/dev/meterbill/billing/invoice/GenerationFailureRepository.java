package dev.meterbill.billing.invoice;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
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
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setArray(1, c.createArrayOf("uuid", ids));
            statement.setArray(2, c.createArrayOf("uuid", organisations));
            statement.setArray(3, c.createArrayOf("text", texts));
            statement.setString(4, period.toString());
            statement.setString(5, period.toString());
            try (ResultSet rs = statement.executeQuery()) {
                List<Recorded> recorded = new ArrayList<>();
                while (rs.next()) {
                    recorded.add(new Recorded(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getInt(4), rs.getBoolean(5)));
                }
                return recorded;
            }
        }
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
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setArray(1, c.createArrayOf("uuid", invoiceByOrganisation.keySet().toArray()));
            statement.setArray(2, c.createArrayOf("uuid", invoiceByOrganisation.values().toArray()));
            statement.setString(3, period.toString());
            try (ResultSet rs = statement.executeQuery()) {
                List<Resolved> resolved = new ArrayList<>();
                while (rs.next()) {
                    resolved.add(new Resolved(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class), rs.getInt(4)));
                }
                return resolved;
            }
        }
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
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            String key = period == null ? null : period.toString();
            statement.setString(1, key);
            statement.setString(2, key);
            statement.setObject(3, organisationId);
            statement.setObject(4, organisationId);
            statement.setObject(5, open);
            statement.setObject(6, open);
            statement.setInt(7, limit);
            statement.setInt(8, offset);
            try (ResultSet rs = statement.executeQuery()) {
                List<GenerationFailure> failures = new ArrayList<>();
                while (rs.next()) {
                    failures.add(new GenerationFailure(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), rs.getInt(5), instant(rs, 6), instant(rs, 7),
                            instant(rs, 8), rs.getObject(9, UUID.class)));
                }
                return failures;
            }
        }
    }

    long countOpen(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(
                "SELECT count(*) FROM invoice_generation_failures WHERE resolved_at IS NULL");
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
