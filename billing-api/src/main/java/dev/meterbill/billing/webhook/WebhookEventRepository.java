package dev.meterbill.billing.webhook;

import dev.meterbill.billing.db.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** SQL for webhook_events: each (provider, event id) is inserted, and so processed, once. */
public final class WebhookEventRepository {

    /** A stored event as the operator reads it; {@code body} is the raw body as UTF-8 text. */
    public record StoredEvent(long id, String provider, String eventId, String eventType, String status, String outcome,
                              String reason, Instant receivedAt, Instant processedAt, String body) {}

    /**
     * Inserts the event unless it is known. A concurrent delivery of the same event waits here on the
     * unique index until the first one's transaction ends, then finds it (false) or, if that one rolled
     * back, inserts it itself (true).
     *
     * @param payloadJson the body as JSONB, or null when PostgreSQL cannot store it so
     * @param rawBody     the exact bytes the signature covers
     * @return true when this call inserted the event and therefore must process it
     */
    public boolean insertIfNew(Connection c, String provider, String eventId, String eventType, String payloadJson,
                               byte[] rawBody) throws SQLException {
        return Sql.exists(c, """
                INSERT INTO webhook_events (provider, event_id, event_type, payload, raw_body)
                VALUES (?, ?, ?, CAST(? AS jsonb), ?)
                ON CONFLICT (provider, event_id) DO NOTHING
                RETURNING id
                """, provider, eventId, eventType, payloadJson, rawBody);
    }

    public void markProcessed(Connection c, String provider, String eventId, String outcome) throws SQLException {
        Sql.update(c, "UPDATE webhook_events SET processed_at = now(), outcome = ? WHERE provider = ? AND event_id = ?",
                outcome, provider, eventId);
    }

    /** Acknowledged, not applied: {@code reason} says why. */
    public void markUnprocessable(Connection c, String provider, String eventId, String reason) throws SQLException {
        Sql.update(c, """
                UPDATE webhook_events SET processed_at = now(), outcome = 'unprocessable', unprocessable_reason = ?
                 WHERE provider = ? AND event_id = ?
                """, reason, provider, eventId);
    }

    /**
     * Events newest first.
     *
     * @param unprocessable true: only unprocessable ones; false: only the others; null: all
     * @param before        only events with a smaller id (the cursor); null for the newest
     */
    public List<StoredEvent> list(Connection c, Boolean unprocessable, Long before, int limit) throws SQLException {
        String sql = """
                SELECT id, provider, event_id, event_type, processed_at, outcome, unprocessable_reason, received_at,
                       coalesce(raw_body, convert_to(payload::text, 'UTF8'))
                  FROM webhook_events
                 WHERE (CAST(? AS boolean) IS NULL OR (unprocessable_reason IS NOT NULL) = ?)
                   AND (CAST(? AS bigint) IS NULL OR id < ?)
                 ORDER BY id DESC
                 LIMIT ?
                """;
        return Sql.list(c, sql, WebhookEventRepository::event, unprocessable, unprocessable, before, before, limit);
    }

    private static StoredEvent event(ResultSet rs) throws SQLException {
        Instant processedAt = Sql.instant(rs, 5);
        String reason = rs.getString(7);
        String status = reason != null ? "unprocessable" : processedAt != null ? "processed" : "received";
        byte[] body = rs.getBytes(9);
        return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), status,
                rs.getString(6), reason, Sql.instant(rs, 8), processedAt,
                body == null ? null : new String(body, StandardCharsets.UTF_8));
    }
}
