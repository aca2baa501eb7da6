package dev.meterbill.archive.format;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Where a re-rating writes: a PostgreSQL schema of its own with empty copies of the tables the aggregation job's sinks
 * write, so that the same sinks, given a JDBC URL whose {@code currentSchema} is this one, write the recomputed totals
 * beside the live ones in {@code public} and never into them. Only these tables exist there: a sink writing anything
 * else fails instead of reaching live data.
 */
public final class RerateSchema {

    /** The tables {@code JobSinks} write. */
    public static final List<String> TABLES = List.of("usage_aggregates", "usage_daily", "usage_hourly", "late_usage_events",
            "usage_refused_rows");

    private RerateSchema() {}

    /** Creates schema {@code name} with empty copies of {@link #TABLES} (columns, defaults, checks, keys). */
    public static void create(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name(name));
            for (String table : TABLES) {
                s.execute("CREATE TABLE " + name + "." + table + " (LIKE public." + table + " INCLUDING ALL)");
            }
        }
    }

    /** Drops schema {@code name} and what it holds. */
    public static void drop(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name(name) + " CASCADE");
        }
    }

    /** {@code url} with {@code currentSchema} set to {@code name}: unqualified tables are this schema's. */
    public static String jdbcUrl(String url, String name) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name(name);
    }

    /** {@code name} when it is a re-rating schema's name (safe to put into SQL), otherwise an IllegalArgumentException. */
    public static String name(String name) {
        if (!name.matches("rerate_[a-z0-9_]{1,50}")) {
            throw new IllegalArgumentException("not a re-rating schema name: " + name);
        }
        return name;
    }
}
