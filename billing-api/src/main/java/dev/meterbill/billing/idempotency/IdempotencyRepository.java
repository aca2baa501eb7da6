package dev.meterbill.billing.idempotency;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/** SQL for idempotency_keys; the key column holds the SHA-256 of the client's key, never the key. */
public final class IdempotencyRepository {

    /** A completed request's response; {@code sealedBody} is encrypted (see {@link ResponseSeal}). */
    public record StoredResponse(String requestHash, int status, String sealedBody) {}

    /**
     * Takes the transaction-scoped advisory lock of this key, without waiting. The lock is the
     * in-flight marker: it lives exactly as long as the request's transaction, so a crashed request
     * never leaves a key stuck "in flight".
     */
    public boolean tryLock(Connection connection, String scope, String keyHash) throws SQLException {
        return Sql.single(connection, "SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))",
                rs -> rs.getBoolean(1), scope + "\n" + keyHash);
    }

    /** The unexpired completed response stored under the key. */
    public Optional<StoredResponse> find(Connection connection, String scope, String keyHash) throws SQLException {
        String sql = """
                SELECT request_hash, response_status, response_body FROM idempotency_keys
                 WHERE scope = ? AND idempotency_key = ? AND state = 'completed' AND expires_at > now()
                """;
        return Sql.one(connection, sql, rs -> new StoredResponse(rs.getString(1), rs.getInt(2), rs.getString(3)),
                scope, keyHash);
    }

    /** Stores a completed response, replacing an expired row of the same key. */
    public void save(Connection connection, String scope, String keyHash, StoredResponse response, Duration ttl)
            throws SQLException {
        String sql = """
                INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, response_status,
                                              response_body, expires_at)
                VALUES (?, ?, ?, 'completed', ?, ?, now() + make_interval(secs => ?))
                ON CONFLICT (scope, idempotency_key) DO UPDATE
                   SET request_hash = EXCLUDED.request_hash, state = 'completed',
                       response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
                       created_at = now(), expires_at = EXCLUDED.expires_at
                """;
        Sql.update(connection, sql, scope, keyHash, response.requestHash(), response.status(), response.sealedBody(),
                ttl.toSeconds());
    }

    /** Deletes expired keys; returns how many. */
    public int deleteExpired(Connection connection) throws SQLException {
        return Sql.update(connection, "DELETE FROM idempotency_keys WHERE expires_at <= now()");
    }
}
