package dev.meterbill.billing.testutils;

import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.BillingSettings;
import dev.meterbill.billing.db.Migrations;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Objects;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway database on the real PostgreSQL server, created with a random name through the
 * {@code postgres} maintenance database and dropped on {@link #close()}.
 *
 * <p>The server is 127.0.0.1:5432 as user postgres unless BILLING_TEST_PG_HOST, BILLING_TEST_PG_PORT,
 * BILLING_TEST_PG_USER or BILLING_TEST_PG_PASSWORD say otherwise.
 */
public final class TestDatabase implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HOST = env("BILLING_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = env("BILLING_TEST_PG_PORT", "5432");
    private static final String USER = env("BILLING_TEST_PG_USER", "postgres");
    private static final String PASSWORD = env("BILLING_TEST_PG_PASSWORD", "");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** Creates an empty database named {@code billing_it_<random>}. */
    public static TestDatabase create() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        String name = "billing_it_" + HexFormat.of().formatHex(bytes);
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + HOST + ":" + PORT
                    + " (is PostgreSQL running?)", e);
        }
        return new TestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return jdbcUrl(name);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /**
     * A billing API configuration for this database on a random port. The scheduled invoice run is
     * off so that tests decide when invoices are generated.
     */
    public BillingApiConfig config(String adminToken) {
        return new BillingApiConfig(url(), USER, PASSWORD, 0, adminToken,
                BillingSettings.defaults().withoutScheduledRuns());
    }

    /** Applies the migrations without starting the API, for tests that only need the schema. */
    public void migrate() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url());
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        Migrations.apply(dataSource);
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

    /** Drops the database, disconnecting whatever is still connected to it. */
    @Override
    public void close() {
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name, e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    private static String env(String name, String fallback) {
        return Objects.requireNonNullElse(System.getenv(name), fallback);
    }
}
