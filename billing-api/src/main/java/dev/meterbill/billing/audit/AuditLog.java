package dev.meterbill.billing.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends to audit_logs on the caller's connection, so the audit row commits or rolls back with
 * the change it describes.
 */
public final class AuditLog {

    private final ObjectMapper json;
    private volatile AuditListener listener;

    public AuditLog(ObjectMapper json) {
        this.json = json;
    }

    /** Who is told of what is recorded, in the same transaction (the outgoing webhooks' events). */
    public void listen(AuditListener auditListener) {
        this.listener = auditListener;
    }

    private static final String INSERT = """
            INSERT INTO audit_logs (actor, organisation_id, action, entity_type, entity_id,
                                    before_state, after_state, request_id)
            VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?)
            """;

    public void record(Connection connection, AuditEntry entry) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            bind(statement, entry);
            statement.executeUpdate();
        }
        if (listener != null) {
            listener.recorded(connection, List.of(entry));
        }
    }

    /** Appends many entries in one batch (the pool rewrites it into multi-row inserts). */
    public void recordAll(Connection connection, List<AuditEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (AuditEntry entry : entries) {
                bind(statement, entry);
                statement.addBatch();
            }
            statement.executeBatch();
        }
        if (listener != null) {
            listener.recorded(connection, entries);
        }
    }

    private void bind(PreparedStatement statement, AuditEntry entry) throws SQLException {
        statement.setString(1, entry.actor());
        statement.setObject(2, entry.organisationId());
        statement.setString(3, entry.action());
        statement.setString(4, entry.entityType());
        statement.setString(5, entry.entityId());
        statement.setString(6, toJson(entry.beforeState()));
        statement.setString(7, toJson(entry.afterState()));
        statement.setString(8, entry.requestId());
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
