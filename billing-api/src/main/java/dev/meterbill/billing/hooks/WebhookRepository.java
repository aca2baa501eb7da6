package dev.meterbill.billing.hooks;

import dev.meterbill.billing.db.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** webhook_endpoints, outgoing_events, outgoing_deliveries and outgoing_attempts. */
public final class WebhookRepository {

    /** An endpoint as stored; the secrets never leave billing-api except once, when made. */
    public record Endpoint(UUID id, UUID organisationId, String url, String description, List<String> eventTypes,
                           boolean enabled, String secret, String previousSecret, Instant previousSecretUntil,
                           int consecutiveFailures, String disabledReason, Instant createdAt, Instant updatedAt) {}

    /** A delivery as the log shows it. */
    public record Delivery(UUID id, UUID endpointId, String eventId, String eventType, String status, int attempts,
                           Integer lastStatusCode, Integer lastLatencyMs, String lastError, Instant nextAttemptAt,
                           Instant deliveredAt, Instant createdAt) {}

    /** A delivery claimed for an attempt, with what the attempt needs. */
    record Due(UUID id, UUID endpointId, UUID organisationId, String eventId, Instant eventCreatedAt, String payload,
               int attempts) {}

    private static final String ENDPOINT_COLUMNS = "id, organisation_id, url, description, event_types, enabled, secret,"
            + " previous_secret, previous_secret_until, consecutive_failures, disabled_reason, created_at, updated_at";
    private static final String DELIVERY_COLUMNS = "d.id, d.endpoint_id, d.event_id, e.type, d.status, d.attempts,"
            + " d.last_status_code, d.last_latency_ms, d.last_error, d.next_attempt_at, d.delivered_at, d.created_at";

    public Endpoint insert(Connection c, UUID organisationId, String url, String description, List<String> types,
                           boolean enabled, String secret) throws SQLException {
        UUID id = UUID.randomUUID();
        Sql.update(c, "INSERT INTO webhook_endpoints (id, organisation_id, url, description, event_types, enabled, secret)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, organisationId, url, description, Sql.array(c, "text", types),
                enabled, secret);
        return find(c, organisationId, id, false).orElseThrow();
    }

    public Optional<Endpoint> find(Connection c, UUID organisationId, UUID id, boolean forUpdate) throws SQLException {
        return Sql.one(c, "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE id = ? AND organisation_id = ?"
                + " AND deleted_at IS NULL" + (forUpdate ? " FOR UPDATE" : ""), WebhookRepository::endpoint, id,
                organisationId);
    }

    public List<Endpoint> list(Connection c, UUID organisationId) throws SQLException {
        return Sql.list(c, "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE organisation_id = ?"
                + " AND deleted_at IS NULL ORDER BY created_at, id", WebhookRepository::endpoint, organisationId);
    }

    public void update(Connection c, Endpoint e) throws SQLException {
        Sql.update(c, """
                UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, enabled = ?, secret = ?,
                       previous_secret = ?, previous_secret_until = ?, consecutive_failures = ?, disabled_reason = ?,
                       updated_at = now()
                 WHERE id = ?
                """, e.url(), e.description(), Sql.array(c, "text", e.eventTypes()), e.enabled(), e.secret(),
                e.previousSecret(), e.previousSecretUntil() == null ? null : e.previousSecretUntil().atOffset(ZoneOffset.UTC),
                e.consecutiveFailures(), e.disabledReason(), e.id());
    }

    /** Deletes the endpoint (its rows stay for the log); what was still to deliver is given up. */
    public void delete(Connection c, UUID id) throws SQLException {
        Sql.update(c, "UPDATE webhook_endpoints SET deleted_at = now(), enabled = false WHERE id = ?", id);
        Sql.update(c, "UPDATE outgoing_deliveries SET status = 'failed', last_error = 'endpoint deleted'"
                + " WHERE endpoint_id = ? AND status = 'pending'", id);
    }

    /** The organisations of {@code organisations} with an endpoint that receives something. */
    public Set<UUID> listening(Connection c, Set<UUID> organisations) throws SQLException {
        if (organisations.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(Sql.list(c, "SELECT DISTINCT organisation_id FROM webhook_endpoints WHERE organisation_id = ANY (?)"
                + " AND enabled AND deleted_at IS NULL", rs -> rs.getObject(1, UUID.class),
                Sql.array(c, "uuid", List.copyOf(organisations))));
    }

    /**
     * Writes an event and a delivery to each enabled endpoint of the organisation that takes its type (or to the
     * one endpoint named, whatever types it takes); how many deliveries. No endpoint: nothing is written.
     */
    public int emit(Connection c, String eventId, UUID organisationId, String type, String payload, Instant at,
                    UUID onlyEndpoint) throws SQLException {
        List<UUID> endpoints = Sql.list(c, """
                SELECT id FROM webhook_endpoints
                 WHERE organisation_id = ? AND enabled AND deleted_at IS NULL
                   AND (CAST(? AS uuid) IS NULL OR id = CAST(? AS uuid))
                   AND (CAST(? AS uuid) IS NOT NULL OR cardinality(event_types) = 0 OR ? = ANY (event_types))
                """, rs -> rs.getObject(1, UUID.class), organisationId, onlyEndpoint, onlyEndpoint, onlyEndpoint, type);
        if (endpoints.isEmpty()) {
            return 0;
        }
        Sql.update(c, "INSERT INTO outgoing_events (id, organisation_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                eventId, organisationId, type, payload, at.atOffset(ZoneOffset.UTC));
        for (UUID endpoint : endpoints) {
            Sql.update(c, "INSERT INTO outgoing_deliveries (id, event_id, endpoint_id, organisation_id, next_attempt_at)"
                    + " VALUES (?, ?, ?, ?, ?)", UUID.randomUUID(), eventId, endpoint, organisationId,
                    at.atOffset(ZoneOffset.UTC));
        }
        return endpoints.size();
    }

    /**
     * The next delivery due, locked: the oldest pending one of its endpoint (an endpoint receives its events in
     * order, one at a time), of an enabled endpoint. Another instance skips it ({@code SKIP LOCKED}) and, while it
     * is pending, every later delivery of the same endpoint.
     */
    Optional<Due> claimNextDue(Connection c, Instant now) throws SQLException {
        return Sql.one(c, """
                SELECT d.id, d.endpoint_id, d.organisation_id, d.event_id, e.created_at, e.payload, d.attempts
                  FROM outgoing_deliveries d
                  JOIN outgoing_events e ON e.id = d.event_id
                  JOIN webhook_endpoints p ON p.id = d.endpoint_id
                 WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND p.enabled AND p.deleted_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM outgoing_deliveries o
                                    WHERE o.endpoint_id = d.endpoint_id AND o.status = 'pending' AND o.seq < d.seq)
                 ORDER BY d.next_attempt_at, d.seq
                 LIMIT 1
                   FOR UPDATE OF d SKIP LOCKED
                """, rs -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), Sql.instant(rs, 5), rs.getString(6), rs.getInt(7)), now.atOffset(ZoneOffset.UTC));
    }

    /** The endpoint of a claimed delivery; {@code forUpdate} locks it, for its failure count. */
    Optional<Endpoint> endpoint(Connection c, UUID id, boolean forUpdate) throws SQLException {
        return Sql.one(c, "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""), WebhookRepository::endpoint, id);
    }

    void recordAttempt(Connection c, UUID deliveryId, Instant at, Integer statusCode, int latencyMs, String error)
            throws SQLException {
        Sql.update(c, "INSERT INTO outgoing_attempts (delivery_id, attempted_at, status_code, latency_ms, error)"
                + " VALUES (?, ?, ?, ?, ?)", deliveryId, at.atOffset(ZoneOffset.UTC), statusCode, latencyMs, clip(error));
    }

    void markDelivered(Connection c, UUID id, int statusCode, int latencyMs) throws SQLException {
        Sql.update(c, "UPDATE outgoing_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1,"
                + " last_status_code = ?, last_latency_ms = ?, last_error = NULL WHERE id = ?", statusCode, latencyMs, id);
    }

    void markFailedAttempt(Connection c, UUID id, Integer statusCode, int latencyMs, String error, Instant next,
                           boolean giveUp) throws SQLException {
        Sql.update(c, "UPDATE outgoing_deliveries SET status = ?, attempts = attempts + 1, last_status_code = ?,"
                + " last_latency_ms = ?, last_error = ?, next_attempt_at = ? WHERE id = ?", giveUp ? "failed" : "pending",
                statusCode, latencyMs, clip(error), next.atOffset(ZoneOffset.UTC), id);
    }

    public List<Delivery> deliveries(Connection c, UUID endpointId, String status, int limit, int offset)
            throws SQLException {
        return Sql.list(c, "SELECT " + DELIVERY_COLUMNS + " FROM outgoing_deliveries d JOIN outgoing_events e"
                + " ON e.id = d.event_id WHERE d.endpoint_id = ? AND (CAST(? AS text) IS NULL OR d.status = CAST(? AS text))"
                + " ORDER BY d.seq DESC LIMIT ? OFFSET ?", WebhookRepository::delivery, endpointId, status, status, limit,
                offset);
    }

    public Optional<Delivery> delivery(Connection c, UUID endpointId, UUID id, boolean forUpdate) throws SQLException {
        return Sql.one(c, "SELECT " + DELIVERY_COLUMNS + " FROM outgoing_deliveries d JOIN outgoing_events e"
                + " ON e.id = d.event_id WHERE d.endpoint_id = ? AND d.id = ?" + (forUpdate ? " FOR UPDATE OF d" : ""),
                WebhookRepository::delivery, endpointId, id);
    }

    /** Makes what the endpoint still has to deliver due now (it was re-enabled). */
    public void pendingDueNow(Connection c, UUID endpointId, Instant now) throws SQLException {
        Sql.update(c, "UPDATE outgoing_deliveries SET next_attempt_at = ? WHERE endpoint_id = ? AND status = 'pending'",
                now.atOffset(ZoneOffset.UTC), endpointId);
    }

    /** Makes a delivery due now, whatever happened to it before. */
    public void retryNow(Connection c, UUID id, Instant now) throws SQLException {
        Sql.update(c, "UPDATE outgoing_deliveries SET status = 'pending', delivered_at = NULL, next_attempt_at = ?"
                + " WHERE id = ?", now.atOffset(ZoneOffset.UTC), id);
    }

    private static String clip(String error) {
        return error == null ? null : error.substring(0, Math.min(error.length(), 1000));
    }

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        Array types = rs.getArray("event_types");
        return new Endpoint(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getString("url"), rs.getString("description"), Arrays.asList((String[]) types.getArray()),
                rs.getBoolean("enabled"), rs.getString("secret"), rs.getString("previous_secret"),
                Sql.instant(rs, "previous_secret_until"), rs.getInt("consecutive_failures"),
                rs.getString("disabled_reason"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getInt(6), (Integer) rs.getObject(7), (Integer) rs.getObject(8), rs.getString(9),
                Sql.instant(rs, 10), Sql.instant(rs, 11), Sql.instant(rs, 12));
    }
}
