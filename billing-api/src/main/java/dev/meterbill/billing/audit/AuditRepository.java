package dev.meterbill.billing.audit;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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
        return Sql.list(connection, sql, rs -> new StoredEntry(rs.getLong(1), Sql.instant(rs, 2), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10)),
                organisationId, organisationId, entityType, entityType, entityId, entityId, before, before, limit);
    }
}
