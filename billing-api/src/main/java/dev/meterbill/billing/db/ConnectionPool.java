package dev.meterbill.billing.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/** Builds the Hikari pool of the billing database. */
public final class ConnectionPool {

    /** A request waits at most this long for a connection before it answers 503. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private ConnectionPool() {}

    public static HikariDataSource create(String jdbcUrl, String user, String password) {
        return create(jdbcUrl, user, password, null);
    }

    /** The pool, reporting its connections, waits and timeouts ({@code hikaricp_*}) to {@code metrics} when given. */
    public static HikariDataSource create(String jdbcUrl, String user, String password, MeterRegistry metrics) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("billing-api");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        // Every unit of work sets its own transaction boundary through Transactions.
        config.setAutoCommit(true);
        // JDBC batches of INSERTs become multi-row statements: invoice runs write lines in batches.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        if (metrics != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        }
        return new HikariDataSource(config);
    }
}
