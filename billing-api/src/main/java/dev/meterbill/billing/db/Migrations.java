package dev.meterbill.billing.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the Flyway migrations of sql/ (packaged as classpath:db/migration). */
public final class Migrations {

    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {}

    /**
     * Brings the schema up to date. Safe to call on every start: Flyway applies only migrations
     * missing from its history table and validates the checksums of those already applied.
     *
     * @return how many migrations this call applied
     */
    public static int apply(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
