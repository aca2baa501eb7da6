package dev.meterbill.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.billing.testutils.RunningBillingApi;
import dev.meterbill.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

class MigrationsIT {

    @Test
    void creatingTheApiTwiceOnTheSameDatabaseAppliesMigrationsOnce() {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            BillingApiConfig config = RunningBillingApi.config(database);

            BillingApi.create(config).stop();
            try (BillingApi again = BillingApi.create(config).start(0)) {
                assertThat(again.port()).isPositive();
            }

            assertThat(database.queryValue(Long.class,
                    "SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success"))
                    .isEqualTo(1L);
            assertThat(database.queryValue(Long.class,
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'usage_aggregates'"))
                    .isEqualTo(1L);
        }
    }
}
