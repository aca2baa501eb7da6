package dev.meterbill.billing.db;

import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.UnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Runs units of work in a transaction: commit when the work returns, roll back when it throws.
 *
 * <p>Services own their transactions through this class, so that a business write and its audit
 * row commit or fail together. SQL errors are translated once, here: a unique violation becomes a
 * {@link ConflictException} naming the constraint, a lost database an {@link UnavailableException},
 * anything else a {@link DataAccessException}. Runtime exceptions thrown by the work (for example a
 * {@code NotFoundException}) roll back and pass through unchanged.
 *
 * <p>A request transaction ({@link #inRequestTransaction}) binds one connection to the calling
 * thread: every {@link #inTransaction} and {@link #readOnly} on that thread joins it instead of
 * committing on its own, so a wrapper (the Idempotency-Key middleware) can make a service's writes
 * and its own bookkeeping commit together. Work handed to other threads is not joined.
 */
public final class Transactions {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final int VALID_TIMEOUT_SECONDS = 2;

    private static final ThreadLocal<Connection> REQUEST_TRANSACTION = new ThreadLocal<>();

    private final DataSource dataSource;

    public Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in a read-write transaction, or in the thread's request transaction. */
    public <T> T inTransaction(SqlWork<T> work) {
        Connection joined = REQUEST_TRANSACTION.get();
        return joined != null ? join(joined, work) : run(work, false);
    }

    /** Runs {@code work} in a read-only transaction, or in the thread's request transaction. */
    public <T> T readOnly(SqlWork<T> work) {
        Connection joined = REQUEST_TRANSACTION.get();
        return joined != null ? join(joined, work) : run(work, true);
    }

    /**
     * Runs {@code work} in a transaction of its own that commits when it returns, even while the
     * thread has a request transaction open. For work that must be durable before the caller talks to
     * another system (a Razorpay order needs a committed invoice number first); it must not touch rows
     * the request transaction has locked, or it would wait for itself.
     */
    public <T> T inOwnTransaction(SqlWork<T> work) {
        return run(work, false);
    }

    /**
     * Runs {@code work} in one read-write transaction that every unit of work started on this thread
     * until it returns joins; commits when it returns, rolls everything back when it throws.
     */
    public <T> T inRequestTransaction(SqlWork<T> work) {
        if (REQUEST_TRANSACTION.get() != null) {
            throw new IllegalStateException("a request transaction is already open on this thread");
        }
        return run(connection -> {
            REQUEST_TRANSACTION.set(connection);
            try {
                return work.run(connection);
            } finally {
                REQUEST_TRANSACTION.remove();
            }
        }, false);
    }

    private static <T> T join(Connection connection, SqlWork<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** True when a connection can be borrowed and answers within two seconds. */
    public boolean isDatabaseReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(VALID_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private <T> T run(SqlWork<T> work, boolean readOnly) {
        // Auto-commit and read-only are not reset afterwards: Hikari restores both when the connection
        // returns to the pool, and a failing reset would only mask the work's own exception.
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(readOnly);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    private static RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        if (UNIQUE_VIOLATION.equals(state)) {
            return new ConflictException("The request conflicts with an existing resource", constraintOf(e), e);
        }
        if (e instanceof SQLTransientConnectionException || isConnectionLoss(state)) {
            return new UnavailableException("The billing database is unavailable, retry later", e);
        }
        return new DataAccessException("Database operation failed (SQLState " + state + ")", e);
    }

    /**
     * Connection failures (class 08), a server shutting down or restarting (57P01-57P03) and
     * too many connections (53300): the request did not fail on its merits and may be retried.
     */
    private static boolean isConnectionLoss(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300"));
    }

    private static String constraintOf(SQLException e) {
        if (e instanceof PSQLException psql) {
            ServerErrorMessage message = psql.getServerErrorMessage();
            return message == null ? null : message.getConstraint();
        }
        return null;
    }
}
