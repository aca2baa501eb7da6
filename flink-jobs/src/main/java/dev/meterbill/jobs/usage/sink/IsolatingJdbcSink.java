package dev.meterbill.jobs.usage.sink;

import dev.meterbill.events.TextRules;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An at-least-once JDBC sink that never fails the job because of one row's content.
 *
 * <p>Rows are written in batches, each in one transaction, when the batch is full, at least every
 * batch interval, and on every checkpoint ({@link SinkWriter#flush}), so a completed checkpoint
 * means its rows are in the database. Rows of one {@link Keyer key} waiting together are written
 * once, the last one: the sinks write absolute totals, so the last of a row's totals says all the
 * earlier ones did (a longer interval writes a busy row less often). A batch goes as multi-row
 * statements (the driver's {@code reWriteBatchedInserts}), which is why one statement must never
 * hold a key twice.
 *
 * <p>When the database refuses a batch for its content (SQLState class 22, a data exception such
 * as a numeric overflow, or 23, a broken constraint), the batch is written again row by row, each
 * behind a savepoint: every other row is written, and each refused row is recorded in
 * {@code usage_refused_rows}, logged with its tenant and counted in the {@value #REFUSED_ROWS}
 * metric. Any other failure (the database is down) is retried a few times and then fails the job,
 * which restarts from its checkpoint: that is everyone's outage, not one tenant's data.
 *
 * <p>Flink's JDBC connector retries a refused batch and then fails the job, so a row PostgreSQL
 * cannot store would stop metering for every tenant and be replayed into the same failure after
 * each restart; that is why this sink exists.
 *
 * <p>The sink has a committer that never receives anything: the JDBC connector's sink, which this
 * one replaced, had one, and its (empty) state is in savepoints of earlier releases under the uid
 * {@code Sink Committer: <sink uid>}. Keeping the same topology lets those savepoints restore
 * without {@code --allowNonRestoredState}.
 */
public final class IsolatingJdbcSink<T> implements Sink<T>, SupportsCommitter<Void> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IsolatingJdbcSink.class);

    /** Name of the counter of refused rows, in the sink writer's metric group. */
    public static final String REFUSED_ROWS = "refusedRows";

    static final String INSERT_REFUSAL_SQL = "INSERT INTO usage_refused_rows"
            + " (sink, organisation_id, project_id, row_key, sql_state, reason, row_text) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** Binds one row to the sink's statement. */
    @FunctionalInterface
    public interface Binder<T> extends Serializable {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** Who a row belongs to and which one it is, for the record of a refusal. */
    public record RowLabel(String organisationId, String projectId, String key) {}

    /** Labels a row for the record of a refusal. */
    @FunctionalInterface
    public interface Labeller<T> extends Serializable {
        RowLabel label(T row);
    }

    /** Which row of the table a row writes: rows of one key waiting together are written once, the last one. */
    @FunctionalInterface
    public interface Keyer<T> extends Serializable {
        Object key(T row);
    }

    /**
     * Where and how often to write: {@code batchSize} rows per statement batch and at most that many distinct rows
     * waiting, at least every {@code batchIntervalMs} (0: only full batches and on checkpoints).
     */
    public record Settings(String url, String user, String password, int batchSize, long batchIntervalMs,
                           int maxRetries) implements Serializable {

        public Settings withBatch(int size, long intervalMs) {
            return new Settings(url, user, password, size, intervalMs, maxRetries);
        }
    }

    private final String name;
    private final String sql;
    private final Binder<T> binder;
    private final Labeller<T> labeller;
    private final Keyer<T> keyer;
    private final Settings settings;

    /**
     * @param name the sink's name in refusals and logs, e.g. {@code usage_aggregates}
     * @param sql  the statement one row is bound to
     */
    public IsolatingJdbcSink(String name, String sql, Binder<T> binder, Labeller<T> labeller, Keyer<T> keyer,
                             Settings settings) {
        this.name = name;
        this.sql = sql;
        this.binder = binder;
        this.labeller = labeller;
        this.keyer = keyer;
        this.settings = settings;
    }

    @Override
    public Committer<Void> createCommitter(CommitterInitContext context) {
        return new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<Void>> requests) {
                // rows are committed by the writer, batch by batch; nothing is ever handed over
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public SimpleVersionedSerializer<Void> getCommittableSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Void nothing) {
                return new byte[0];
            }

            @Override
            public Void deserialize(int version, byte[] serialized) {
                return null;
            }
        };
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(this, context.getProcessingTimeService(),
                context.metricGroup().counter(REFUSED_ROWS));
    }

    /** True when the database refused a statement for the data it carried, not for its own state. */
    static boolean isContentError(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    String state = next.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static final class Writer<T> implements CommittingSinkWriter<T, Void> {

        private final IsolatingJdbcSink<T> sink;
        private final ProcessingTimeService time;
        private final Counter refused;
        /** Rows waiting, by key, in the order their keys first came. */
        private final Map<Object, T> buffer = new LinkedHashMap<>();
        private Connection connection;
        private PreparedStatement statement;
        private boolean timerPending;

        Writer(IsolatingJdbcSink<T> sink, ProcessingTimeService time, Counter refused) {
            this.sink = sink;
            this.time = time;
            this.refused = refused;
        }

        @Override
        public void write(T row, Context context) throws IOException, InterruptedException {
            buffer.put(sink.keyer.key(row), row);
            if (buffer.size() >= sink.settings.batchSize()) {
                writeBuffer();
            } else if (!timerPending && sink.settings.batchIntervalMs() > 0) {
                timerPending = true;
                time.registerTimer(time.getCurrentProcessingTime() + sink.settings.batchIntervalMs(), at -> {
                    timerPending = false;
                    writeBuffer();
                });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writeBuffer();
        }

        @Override
        public Collection<Void> prepareCommit() {
            return List.of();
        }

        private void writeBuffer() throws IOException, InterruptedException {
            if (buffer.isEmpty()) {
                return;
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    writeBatch();
                    buffer.clear();
                    return;
                } catch (SQLException e) {
                    rollbackQuietly();
                    if (isContentError(e)) {
                        try {
                            writeOneByOne();
                            buffer.clear();
                            return;
                        } catch (SQLException again) {
                            rollbackQuietly();
                            e = again;
                        }
                    }
                    if (attempt >= sink.settings.maxRetries()) {
                        throw new IOException("writing " + buffer.size() + " rows to " + sink.name + " failed "
                                + (attempt + 1) + " times", e);
                    }
                    LOG.warn("Writing {} rows to {} failed (attempt {}), retrying: {}", buffer.size(), sink.name,
                            attempt + 1, e.toString());
                    closeConnection();
                    Thread.sleep(1000L * (attempt + 1));
                }
            }
        }

        private void writeBatch() throws SQLException {
            PreparedStatement ps = statement();
            try {
                for (T row : buffer.values()) {
                    sink.binder.bind(ps, row);
                    ps.addBatch();
                }
            } catch (RuntimeException e) {
                // A row that cannot even be bound (an id that is not a UUID) is refused for its content.
                ps.clearBatch();
                throw new SQLException("cannot bind a row: " + e, "22000", e);
            }
            ps.executeBatch();
            connection.commit();
        }

        /** Writes each row behind its own savepoint; records the ones refused for their content. */
        private void writeOneByOne() throws SQLException {
            PreparedStatement ps = statement();
            int refusedHere = 0;
            for (T row : buffer.values()) {
                Savepoint savepoint = connection.setSavepoint();
                try {
                    sink.binder.bind(ps, row);
                    ps.executeUpdate();
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException | RuntimeException e) {
                    SQLException sql = e instanceof SQLException s ? s : new SQLException(e.toString(), "22000", e);
                    if (!isContentError(sql)) {
                        throw sql;
                    }
                    connection.rollback(savepoint);
                    record(row, sql);
                    refusedHere++;
                }
            }
            connection.commit();
            refused.inc(refusedHere);
        }

        private void record(T row, SQLException e) throws SQLException {
            RowLabel label;
            try {
                label = sink.labeller.label(row);
            } catch (RuntimeException unlabelled) {
                label = new RowLabel(null, null, "unlabelled row");
            }
            String reason = String.valueOf(e.getMessage());
            LOG.error("{} refused a row of organisation {}, project {} ({}): {}; the row is recorded in "
                    + "usage_refused_rows and every other row is written", sink.name, label.organisationId(),
                    label.projectId(), label.key(), reason);
            try (PreparedStatement insert = connection.prepareStatement(INSERT_REFUSAL_SQL)) {
                insert.setString(1, sink.name);
                insert.setString(2, storable(label.organisationId()));
                insert.setString(3, storable(label.projectId()));
                insert.setString(4, storable(label.key()));
                insert.setString(5, e.getSQLState());
                insert.setString(6, storable(reason));
                insert.setString(7, storable(String.valueOf(row)));
                insert.executeUpdate();
            }
        }

        private static String storable(String text) {
            return text == null ? null : TextRules.replaceUnstorable(text);
        }

        private PreparedStatement statement() throws SQLException {
            if (statement == null) {
                Settings s = sink.settings;
                Properties credentials = new Properties();
                credentials.setProperty("user", s.user());
                credentials.setProperty("password", s.password() == null ? "" : s.password());
                // a batch as multi-row INSERTs: a fraction of PostgreSQL's work per row (the buffer holds a key once)
                credentials.setProperty("reWriteBatchedInserts", "true");
                // The driver directly, not DriverManager: it must load from the job jar's class loader.
                connection = new org.postgresql.Driver().connect(s.url(), credentials);
                if (connection == null) {
                    throw new SQLException("not a PostgreSQL JDBC URL: " + s.url(), "08001");
                }
                connection.setAutoCommit(false);
                statement = connection.prepareStatement(sink.sql);
            }
            return statement;
        }

        private void rollbackQuietly() {
            try {
                if (connection != null) {
                    connection.rollback();
                }
            } catch (SQLException e) {
                closeConnection();
            }
        }

        private void closeConnection() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException ignored) {
                // the connection is being replaced because it failed
            } finally {
                connection = null;
                statement = null;
            }
        }

        @Override
        public void close() {
            closeConnection();
        }
    }
}
