package dev.meterbill.testkit;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.flywaydb.core.Flyway;

/**
 * A throwaway database on the real PostgreSQL server, created with a random name through the
 * {@code postgres} maintenance database, migrated with the repository's sql/ folder, and dropped
 * (disconnecting whoever is still connected) on {@link #close()}.
 *
 * <p>The server is 127.0.0.1:5432 as user postgres unless BILLING_TEST_PG_HOST, BILLING_TEST_PG_PORT,
 * BILLING_TEST_PG_USER or BILLING_TEST_PG_PASSWORD say otherwise.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String HOST = env("BILLING_TEST_PG_HOST", "127.0.0.1");
    public static final String PORT = env("BILLING_TEST_PG_PORT", "5432");
    public static final String USER = env("BILLING_TEST_PG_USER", "postgres");
    public static final String PASSWORD = env("BILLING_TEST_PG_PASSWORD", "");
    /** Where test-kit packages sql/: apart from billing-api's {@code classpath:db/migration}. */
    public static final String SCHEMA_LOCATION = "classpath:meterbill/schema";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** A database named {@code billing_it_<random>} holding the whole schema. */
    public static TestDatabase create() {
        TestDatabase database = createEmpty();
        try {
            database.migrate();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /** An empty database, for code that applies the migrations itself (billing-api does on start). */
    public static TestDatabase createEmpty() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        String name = "billing_it_" + HexFormat.of().formatHex(bytes);
        try (Connection admin = DriverManager.getConnection(urlOf("postgres"), USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + HOST + ":" + PORT
                    + " (is PostgreSQL running?)", e);
        }
        return new TestDatabase(name);
    }

    /** The JDBC URL of database {@code database} on the test server. */
    public static String urlOf(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    /** Drops database {@code database} of the test server if it exists, for tests that name their own. */
    public static void drop(String database) {
        if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        try (Connection admin = DriverManager.getConnection(urlOf("postgres"), USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + database, e);
        }
    }

    /** Applies the migrations of sql/ that this database lacks. */
    public void migrate() {
        Flyway.configure()
                .dataSource(url(), USER, PASSWORD)
                .locations(SCHEMA_LOCATION)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    public String name() {
        return name;
    }

    public String url() {
        return urlOf(name);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    /** Runs one statement with positional parameters; returns the update count. */
    public int update(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public <T> T queryValue(Class<T> type, String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getObject(1, type) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Rows as space-separated text; decimals without trailing zeros, timestamps as UTC instants. */
    public List<String> rows(String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof BigDecimal d) {
                        cells.add(d.stripTrailingZeros().toPlainString());
                    } else if (v instanceof Timestamp) {
                        cells.add(rs.getObject(i, OffsetDateTime.class).toInstant().toString());
                    } else {
                        cells.add(String.valueOf(v));
                    }
                }
                out.add(String.join(" ", cells));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return out;
    }

    /** Polls until {@code sql} returns exactly {@code expected}; fails with the last answer otherwise. */
    public void awaitRows(String sql, List<String> expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> last = rows(sql);
        while (!last.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = rows(sql);
        }
        if (!last.equals(expected)) {
            throw new AssertionError("within " + timeout + " expected " + expected + " from [" + sql + "] but got " + last);
        }
    }

    /** Drops the database, disconnecting whatever is still connected to it. */
    @Override
    public void close() {
        drop(name);
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private static String env(String name, String fallback) {
        return Objects.requireNonNullElse(System.getenv(name), fallback);
    }
}
