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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    /**
     * Buffers rows in the task thread and writes each batch on a thread of its own, so that the task goes on while
     * PostgreSQL works (the totals task waited on its socket half of the time when it wrote in its own thread). One
     * batch is in flight at a time and batches are written in the order they were cut, so a row's later total is
     * always written after its earlier one. While a batch is in flight the next one keeps collecting, a key once, up
     * to {@value #MAX_WAITING_BATCHES} batches' worth of keys; only then does the task wait. A checkpoint or the end of
     * input waits until every row is written, and a batch that failed fails the next write, flush or checkpoint.
     */
    private static final class Writer<T> implements CommittingSinkWriter<T, Void> {

        /** How many batches' worth of distinct keys may wait while one is written. */
        static final int MAX_WAITING_BATCHES = 4;
        private static final long RECHECK_MS = 20;

        private final IsolatingJdbcSink<T> sink;
        private final ProcessingTimeService time;
        private final Counter refused;
        /** Rows waiting, by key, in the order their keys first came. */
        private Map<Object, T> buffer = new LinkedHashMap<>();
        private boolean timerPending;
        private final ExecutorService io;
        /** The batch being written, if any. */
        private Future<?> inFlight;
        // used by the io thread only
        private Connection connection;
        private PreparedStatement statement;

        Writer(IsolatingJdbcSink<T> sink, ProcessingTimeService time, Counter refused) {
            this.sink = sink;
            this.time = time;
            this.refused = refused;
            this.io = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "jdbc writer: " + sink.name);
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public void write(T row, Context context) throws IOException, InterruptedException {
            buffer.put(sink.keyer.key(row), row);
            int batchSize = sink.settings.batchSize();
            if (buffer.size() >= batchSize && (idle() || buffer.size() >= batchSize * MAX_WAITING_BATCHES)) {
                handOver();
            } else if (!timerPending && sink.settings.batchIntervalMs() > 0) {
                scheduleHandOver(sink.settings.batchIntervalMs());
            }
        }

        private void scheduleHandOver(long delayMs) {
            timerPending = true;
            time.registerTimer(time.getCurrentProcessingTime() + delayMs, at -> {
                timerPending = false;
                if (idle()) {
                    handOver();
                } else if (!buffer.isEmpty()) {
                    // the rows go as soon as the batch before them is written
                    scheduleHandOver(Math.min(sink.settings.batchIntervalMs(), RECHECK_MS));
                }
            });
        }

        private boolean idle() {
            return inFlight == null || inFlight.isDone();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            handOver();
            awaitInFlight();
        }

        @Override
        public Collection<Void> prepareCommit() {
            return List.of();
        }

        /** Starts writing the waiting rows once the batch before them is written. */
        private void handOver() throws IOException, InterruptedException {
            if (buffer.isEmpty()) {
                return;
            }
            awaitInFlight();
            Map<Object, T> batch = buffer;
            buffer = new LinkedHashMap<>();
            inFlight = io.submit(() -> {
                writeRows(batch);
                return null;
            });
        }

        private void awaitInFlight() throws IOException, InterruptedException {
            if (inFlight == null) {
                return;
            }
            try {
                inFlight.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException failure) {
                    throw failure;
                }
                throw new IOException("writing to " + sink.name + " failed", e.getCause());
            } finally {
                inFlight = null;
            }
        }

        private void writeRows(Map<Object, T> batch) throws IOException, InterruptedException {
            for (int attempt = 0; ; attempt++) {
                try {
                    writeBatch(batch);
                    return;
                } catch (SQLException e) {
                    rollbackQuietly();
                    if (isContentError(e)) {
                        try {
                            writeOneByOne(batch);
                            return;
                        } catch (SQLException again) {
                            rollbackQuietly();
                            e = again;
                        }
                    }
                    if (attempt >= sink.settings.maxRetries()) {
                        throw new IOException("writing " + batch.size() + " rows to " + sink.name + " failed "
                                + (attempt + 1) + " times", e);
                    }
                    LOG.warn("Writing {} rows to {} failed (attempt {}), retrying: {}", batch.size(), sink.name,
                            attempt + 1, e.toString());
                    closeConnection();
                    Thread.sleep(1000L * (attempt + 1));
                }
            }
        }

        private void writeBatch(Map<Object, T> batch) throws SQLException {
            PreparedStatement ps = statement();
            try {
                for (T row : batch.values()) {
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
        private void writeOneByOne(Map<Object, T> batch) throws SQLException {
            PreparedStatement ps = statement();
            int refusedHere = 0;
            for (T row : batch.values()) {
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

        /** Lets a batch in flight end (a cancelled job's is interrupted after a while), then closes the connection. */
        @Override
        public void close() throws InterruptedException {
            if (io.isShutdown()) {
                return;
            }
            io.execute(this::closeConnection);
            io.shutdown();
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        }
    }
}
