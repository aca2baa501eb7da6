package dev.meterbill.jobs.testutils;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
        Path sql = Path.of("..", "sql").toAbsolutePath().normalize();
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

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
