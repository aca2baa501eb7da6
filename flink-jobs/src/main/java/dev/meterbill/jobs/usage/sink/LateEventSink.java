package dev.meterbill.jobs.usage.sink;

import dev.meterbill.jobs.usage.aggregate.LateEvent;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Inserts late events into late_usage_events, at least once: the event id is the primary key, so
 * a replay after a restore inserts nothing twice.
 */
public final class LateEventSink {

    public static final String INSERT_SQL = "INSERT INTO late_usage_events (event_id, project_id, organisation_id,"
            + " metric_name, metric_value, unit, event_time, period, reason, received_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";

    private LateEventSink() {}

    public static IsolatingJdbcSink<LateEvent> jdbc(IsolatingJdbcSink.Settings settings) {
        return new IsolatingJdbcSink<>("late_usage_events", INSERT_SQL, new Statement(),
                e -> new IsolatingJdbcSink.RowLabel(e.organisationId(), e.projectId(), "event " + e.eventId()),
                LateEvent::eventId, settings);
    }

    /** Binds a late event for {@link #INSERT_SQL}. */
    public static final class Statement implements IsolatingJdbcSink.Binder<LateEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void bind(PreparedStatement ps, LateEvent e) throws SQLException {
            ps.setObject(1, UUID.fromString(e.eventId()));
            ps.setObject(2, UUID.fromString(e.projectId()));
            ps.setObject(3, UUID.fromString(e.organisationId()));
            ps.setString(4, e.metricName());
            ps.setBigDecimal(5, e.value());
            ps.setString(6, e.unit());
            ps.setObject(7, OffsetDateTime.ofInstant(e.eventTime(), ZoneOffset.UTC));
            ps.setString(8, e.period());
            ps.setString(9, e.reason());
            ps.setObject(10, OffsetDateTime.ofInstant(e.receivedAt(), ZoneOffset.UTC));
        }
    }
}
