package dev.meterbill.gateway.apikey;

import dev.meterbill.service.ApiKeyHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Looks project keys up by hash in PostgreSQL, through a cache.
 *
 * <p>Both hits and misses are cached for {@code ttl}: a revoked or rotated-out key stops working
 * on every gateway instance within that time (default 10 s, well inside the 30 s promise), and a
 * flood of requests with a bad key costs one query per TTL, not one per request. Cache keys are
 * the hashes, so plain keys are never kept in memory longer than the request.
 */
public final class PostgresApiKeyStore implements ApiKeyStore {

    private static final String LOOKUP = """
            SELECT k.id, k.project_id, k.organisation_id, o.timezone, o.next_timezone, o.next_timezone_from
              FROM api_keys k
              JOIN organisations o ON o.id = k.organisation_id
             WHERE k.key_hash = ? AND k.kind = 'project' AND k.revoked_at IS NULL
            """;

    private record Entry(Optional<ProjectIdentity> identity, Instant expiresAt) {}

    private final DataSource dataSource;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public PostgresApiKeyStore(DataSource dataSource, Duration ttl, Clock clock) {
        this.dataSource = dataSource;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<ProjectIdentity> lookup(String plainKey) {
        String hash = ApiKeyHash.of(plainKey);
        Instant now = clock.instant();
        Entry cached = cache.get(hash);
        if (cached != null && cached.expiresAt().isAfter(now)) {
            return cached.identity();
        }
        Optional<ProjectIdentity> identity = query(hash);
        if (cache.size() > 100_000) {
            cache.clear(); // bound memory against a stream of random keys
        }
        cache.put(hash, new Entry(identity, now.plus(ttl)));
        return identity;
    }

    private Optional<ProjectIdentity> query(String hash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOOKUP)) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ProjectIdentity(
                        rs.getObject(1, java.util.UUID.class),
                        rs.getObject(2, java.util.UUID.class),
                        rs.getObject(3, java.util.UUID.class),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()));
            }
        } catch (SQLException e) {
            throw new KeyStoreUnavailableException("key store unavailable", e);
        }
    }

    @Override
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
