package dev.meterbill.jobs.testutils;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A PostgreSQL database of its own for one test class: created through the {@code postgres}
 * database, migrated by Flyway from the repository's sql/ folder, dropped on close.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String HOST_URL = System.getProperty("test.pg.url", "jdbc:postgresql://127.0.0.1:5432/");
    public static final String USER = System.getProperty("test.pg.user", "postgres");
    public static final String PASSWORD = System.getProperty("test.pg.password", "");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() throws SQLException {
        String name = "billing_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        TestDatabase db = new TestDatabase(name);
        // From the module directory (Maven) or the repository root (the benchmark script).
        Path sql = Path.of("..", "sql").toAbsolutePath().normalize();
        if (!Files.isDirectory(sql)) {
            sql = Path.of("sql").toAbsolutePath();
        }
        Flyway.configure()
                .dataSource(db.url(), USER, PASSWORD)
                .locations("filesystem:" + sql)
                .load()
                .migrate();
        return db;
    }

    public String url() {
        return HOST_URL + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    /** Runs one statement; returns the update count. */
    public int update(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    /** Rows as space-separated text; decimals without trailing zeros, timestamps as UTC instants. */
    public List<String> rows(String sql) throws SQLException {
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
        }
        return out;
    }

    /** Polls until {@code sql} returns exactly {@code expected}; fails with the last answer otherwise. */
    public void awaitRows(String sql, List<String> expected, Duration timeout) throws Exception {
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

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
