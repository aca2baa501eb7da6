package dev.meterbill.localstack.testutils;

import dev.meterbill.billing.db.Migrations;
import dev.meterbill.localstack.LocalDatabase;
import java.sql.SQLException;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/** A database of the test's own on the real PostgreSQL server, migrated with billing-api's Flyway migrations. */
public final class TestDatabase implements AutoCloseable {

    public static final String SERVER = "jdbc:postgresql://localhost:5432/postgres";
    public static final String USER = "postgres";

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() throws SQLException {
        String name = "billing_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        LocalDatabase.recreate(SERVER, USER, "", name);
        TestDatabase db = new TestDatabase(name);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.url());
        ds.setUser(USER);
        try {
            Migrations.apply(ds);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    public String url() {
        return LocalDatabase.urlOf(SERVER, name);
    }

    @Override
    public void close() throws SQLException {
        LocalDatabase.drop(SERVER, USER, "", name);
    }
}
