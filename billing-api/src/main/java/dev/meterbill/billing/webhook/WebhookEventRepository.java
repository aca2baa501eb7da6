package dev.meterbill.billing.webhook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL for webhook_events: each (provider, event id) is inserted, and so processed, once. */
public final class WebhookEventRepository {

    /**
     * Inserts the event unless it is known. A concurrent delivery of the same event waits here on the
     * unique index until the first one's transaction ends, then finds it (false) or, if that one rolled
     * back, inserts it itself (true).
     *
     * @return true when this call inserted the event and therefore must process it
     */
    public boolean insertIfNew(Connection c, String provider, String eventId, String eventType, String payloadJson)
            throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("""
                INSERT INTO webhook_events (provider, event_id, event_type, payload)
                VALUES (?, ?, ?, CAST(? AS jsonb))
                ON CONFLICT (provider, event_id) DO NOTHING
                RETURNING id
                """)) {
            statement.setString(1, provider);
            statement.setString(2, eventId);
            statement.setString(3, eventType);
            statement.setString(4, payloadJson);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void markProcessed(Connection c, String provider, String eventId, String outcome) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(
                "UPDATE webhook_events SET processed_at = now(), outcome = ? WHERE provider = ? AND event_id = ?")) {
            statement.setString(1, outcome);
            statement.setString(2, provider);
            statement.setString(3, eventId);
            statement.executeUpdate();
        }
    }
}
