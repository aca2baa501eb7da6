package dev.meterbill.billing.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads audit_logs, newest first, with a keyset cursor on the row id. */
public final class AuditRepository {

    /** One stored row; the states are the JSON text as stored. */
    public record StoredEntry(long id, Instant occurredAt, String actor, UUID organisationId, String action,
                              String entityType, String entityId, String beforeState, String afterState,
                              String requestId) {}

    /**
     * @param organisationId only this tenant's rows; null for all (the operator)
     * @param before         only rows with a smaller id (the cursor); null for the newest
     */
    public List<StoredEntry> find(Connection connection, UUID organisationId, String entityType, String entityId,
                                  Long before, int limit) throws SQLException {
        String sql = """
                SELECT id, occurred_at, actor, organisation_id, action, entity_type, entity_id,
                       before_state::text, after_state::text, request_id
                  FROM audit_logs
                 WHERE (CAST(? AS uuid) IS NULL OR organisation_id = ?)
                   AND (CAST(? AS text) IS NULL OR entity_type = ?)
                   AND (CAST(? AS text) IS NULL OR entity_id = ?)
                   AND (CAST(? AS bigint) IS NULL OR id < ?)
                 ORDER BY id DESC
                 LIMIT ?
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, organisationId);
            statement.setObject(2, organisationId);
            statement.setString(3, entityType);
            statement.setString(4, entityType);
            statement.setString(5, entityId);
            statement.setString(6, entityId);
            statement.setObject(7, before);
            statement.setObject(8, before);
            statement.setInt(9, limit);
            try (ResultSet rs = statement.executeQuery()) {
                List<StoredEntry> entries = new ArrayList<>();
                while (rs.next()) {
                    entries.add(new StoredEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getString(3), rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)));
                }
                return entries;
            }
        }
    }
}
