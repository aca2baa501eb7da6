package dev.meterbill.localstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates and drops the local stack's databases on the PostgreSQL server it is pointed at. */
public final class LocalDatabase {

    private LocalDatabase() {}

    /** The JDBC URL of database {@code name} on the server that {@code serverUrl} points to. */
    public static String urlOf(String serverUrl, String name) {
        int slash = serverUrl.indexOf('/', "jdbc:postgresql://".length());
        String base = slash < 0 ? serverUrl : serverUrl.substring(0, slash);
        return base + "/" + name;
    }

    /** Drops (if present) and creates {@code name}: the local stack starts from an empty database. */
    public static void recreate(String serverUrl, String user, String password, String name) throws SQLException {
        requireSafeName(name);
        try (Connection c = DriverManager.getConnection(urlOf(serverUrl, "postgres"), user, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("cannot reach PostgreSQL at " + serverUrl + " as " + user
                    + " to create database " + name + ": " + e.getMessage(), e);
        }
    }

    public static void drop(String serverUrl, String user, String password, String name) throws SQLException {
        requireSafeName(name);
        try (Connection c = DriverManager.getConnection(urlOf(serverUrl, "postgres"), user, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static void requireSafeName(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be lowercase letters, digits and '_': " + name);
        }
    }
}
