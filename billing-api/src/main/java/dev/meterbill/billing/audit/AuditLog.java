package dev.meterbill.billing.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Appends to audit_logs on the caller's connection, so the audit row commits or rolls back with
 * the change it describes.
 */
public final class AuditLog {

    private final ObjectMapper json;

    public AuditLog(ObjectMapper json) {
        this.json = json;
    }

    public void record(Connection connection, AuditEntry entry) throws SQLException {
        String sql = """
                INSERT INTO audit_logs (actor, organisation_id, action, entity_type, entity_id,
                                        before_state, after_state, request_id)
                VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?)
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, entry.actor());
            statement.setObject(2, entry.organisationId());
            statement.setString(3, entry.action());
            statement.setString(4, entry.entityType());
            statement.setString(5, entry.entityId());
            statement.setString(6, toJson(entry.beforeState()));
            statement.setString(7, toJson(entry.afterState()));
            statement.setString(8, entry.requestId());
            statement.executeUpdate();
        }
    }

    private String toJson(Object state) {
        if (state == null) {
            return null;
        }
        try {
            return json.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit state is not serialisable: " + state.getClass().getName(), e);
        }
    }
}
