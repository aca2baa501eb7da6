package dev.meterbill.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingApiConfigTest {

    @Test
    void defaultsServeTheLocalDatabaseWhenOnlyTheAdminTokenIsSet() {
        BillingApiConfig config = BillingApiConfig.fromEnv(Map.of("BILLING_ADMIN_TOKEN", "s3cret", "RAZORPAY_ENABLED", "false"), false);

        assertThat(config.dbUrl()).isEqualTo("jdbc:postgresql://localhost:5432/billing");
        assertThat(config.dbUser()).isEqualTo("postgres");
        assertThat(config.dbPassword()).isEmpty();
        assertThat(config.port()).isEqualTo(8081);
        assertThat(config.adminToken()).isEqualTo("s3cret");
    }

    @Test
    void everyVariableOverridesItsDefault() {
        BillingApiConfig config = BillingApiConfig.fromEnv(Map.of(
                "BILLING_DB_URL", "jdbc:postgresql://db:5432/prod",
                "BILLING_DB_USER", "billing",
                "BILLING_DB_PASSWORD", "pw",
                "BILLING_API_PORT", "9090",
                "BILLING_ADMIN_TOKEN", "s3cret",
                "RAZORPAY_ENABLED", "false"), false);

        assertThat(config).isEqualTo(
                new BillingApiConfig("jdbc:postgresql://db:5432/prod", "billing", "pw", 9090, "s3cret"));
    }

    @Test
    void missingAdminTokenRefusesToStartAndNamesTheVariable() {
        assertThatThrownBy(() -> BillingApiConfig.fromEnv(Map.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BILLING_ADMIN_TOKEN");
    }

    @Test
    void blankAdminTokenCountsAsMissing() {
        assertThatThrownBy(() -> BillingApiConfig.fromEnv(Map.of("BILLING_ADMIN_TOKEN", "  "), false))
                .hasMessageContaining("BILLING_ADMIN_TOKEN");
    }

    @Test
    void localStackFallsBackToItsWellKnownAdminToken() {
        BillingApiConfig config = BillingApiConfig.fromEnv(Map.of(), true);

        assertThat(config.adminToken()).isEqualTo(BillingApiConfig.LOCAL_STACK_ADMIN_TOKEN);
    }

    @Test
    void localStackStillHonoursAnExplicitAdminToken() {
        assertThat(BillingApiConfig.fromEnv(Map.of("BILLING_ADMIN_TOKEN", "mine"), true).adminToken())
                .isEqualTo("mine");
    }

    @Test
    void nonNumericPortNamesTheVariable() {
        assertThatThrownBy(() -> BillingApiConfig.fromEnv(
                Map.of("BILLING_ADMIN_TOKEN", "t", "BILLING_API_PORT", "http", "RAZORPAY_ENABLED", "false"), false))
                .hasMessageContaining("BILLING_API_PORT");
    }

    @Test
    void portOutOfRangeNamesTheVariable() {
        assertThatThrownBy(() -> BillingApiConfig.fromEnv(
                Map.of("BILLING_ADMIN_TOKEN", "t", "BILLING_API_PORT", "70000", "RAZORPAY_ENABLED", "false"), false))
                .hasMessageContaining("BILLING_API_PORT");
    }

    @Test
    void toStringNeverShowsSecrets() {
        BillingApiConfig config = new BillingApiConfig("jdbc:postgresql://x/db", "u", "db-password", 0, "admin-token");

        assertThat(config.toString()).doesNotContain("db-password").doesNotContain("admin-token");
    }
}
