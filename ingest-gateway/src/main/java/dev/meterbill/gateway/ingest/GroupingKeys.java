package dev.meterbill.gateway.ingest;

import dev.meterbill.events.EventValidator;
import dev.meterbill.events.IncomingEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata keys metric definitions group each metric by, read from PostgreSQL through a cache, so that a producer
 * whose grouping value is too long learns it from the 400 at once instead of finding its usage under
 * {@code __too_long__} on an invoice (docs/metering.md). Every version of every definition counts, so a value is
 * checked from the moment a definition is created. The cache is refreshed every {@code ttl} by one request while the
 * others use the previous one; while PostgreSQL is unreachable the previous one stays, and ingest never waits for it.
 */
public final class GroupingKeys {

    private static final Logger LOG = LoggerFactory.getLogger(GroupingKeys.class);
    private static final String QUERY = "SELECT DISTINCT event_metric, unnest(group_by), key FROM metric_definitions";

    /** event metric → grouping key → the definitions that group by it (for the refusal's words). */
    private record Snapshot(Map<String, Map<String, String>> byMetric, Instant refreshAfter) {}

    private final DataSource dataSource;
    private final Duration ttl;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Instant.MIN);

    public GroupingKeys(DataSource dataSource, Duration ttl, Clock clock) {
        this.dataSource = dataSource;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The refusals of {@code event}'s grouping values, named {@code <prefix>metadata.<key>}; empty when it is fine. */
    public List<EventValidator.Violation> violations(IncomingEvent event, String prefix) {
        Map<String, String> keys = current().byMetric().get(event.metricName());
        if (keys == null || event.metadata() == null) {
            return List.of();
        }
        List<EventValidator.Violation> errors = new ArrayList<>();
        keys.forEach((key, definitions) -> {
            Object value = event.metadata().get(key);
            String text = value instanceof BigDecimal d ? d.toPlainString() : value == null ? null : value.toString();
            if (text != null && text.length() > EventValidator.MAX_GROUPING_VALUE_LENGTH) {
                errors.add(new EventValidator.Violation(prefix + "metadata." + key, "is a grouping value of metric definition "
                        + definitions + ": at most " + EventValidator.MAX_GROUPING_VALUE_LENGTH + " characters"));
            }
        });
        return errors;
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (clock.instant().isBefore(s.refreshAfter()) || !refreshing.tryLock()) {
            return s;
        }
        try {
            snapshot = read();
        } catch (SQLException e) {
            LOG.warn("Cannot read metric definitions; grouping values are checked against those read before: {}", e.getMessage());
            snapshot = new Snapshot(s.byMetric(), clock.instant().plus(ttl));
        } finally {
            refreshing.unlock();
        }
        return snapshot;
    }

    private Snapshot read() throws SQLException {
        Map<String, Map<String, TreeSet<String>>> found = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(QUERY);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.computeIfAbsent(rs.getString(1), m -> new HashMap<>())
                        .computeIfAbsent(rs.getString(2), k -> new TreeSet<>()).add(rs.getString(3));
            }
        }
        Map<String, Map<String, String>> byMetric = new HashMap<>();
        found.forEach((metric, keys) -> {
            Map<String, String> named = new HashMap<>();
            keys.forEach((key, definitions) -> named.put(key, String.join(", ", definitions)));
            byMetric.put(metric, Map.copyOf(named));
        });
        return new Snapshot(Map.copyOf(byMetric), clock.instant().plus(ttl));
    }
}
