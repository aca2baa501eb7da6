package dev.meterbill.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.billing.BillingApiConfig;
import dev.meterbill.billing.invoice.BillingSettings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RazorpaySettingsTest {

    private static Map<String, String> keys() {
        Map<String, String> env = new HashMap<>();
        env.put("RAZORPAY_KEY_ID", "rzp_live_x");
        env.put("RAZORPAY_KEY_SECRET", "key-secret");
        env.put("RAZORPAY_WEBHOOK_SECRET", "whsec-current");
        return env;
    }

    @Test
    void paymentsAreOnByDefaultAgainstRazorpayItself() {
        RazorpaySettings settings = RazorpaySettings.fromEnv(keys());

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.apiBaseUrl()).isEqualTo(URI.create("https://api.razorpay.com"));
        assertThat(settings.redirected()).isFalse();
        assertThat(settings.previousWebhookSecret()).isNull();
        assertThat(settings.reconcileInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.reconcileAfter()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void eachMissingSecretStopsTheServiceNamingItUnlessPaymentsAreSwitchedOff() {
        for (String variable : keys().keySet()) {
            Map<String, String> env = keys();
            env.remove(variable);
            assertThatThrownBy(() -> RazorpaySettings.fromEnv(env))
                    .hasMessageContaining(variable).hasMessageContaining("RAZORPAY_ENABLED=false");
        }
        assertThat(RazorpaySettings.fromEnv(Map.of("RAZORPAY_ENABLED", "false")).enabled()).isFalse();
    }

    @Test
    void everyVariableIsRead() {
        Map<String, String> env = keys();
        env.put("RAZORPAY_WEBHOOK_SECRET_PREVIOUS", "whsec-old");
        env.put("RAZORPAY_API_BASE_URL", "http://127.0.0.1:9099");
        env.put("RAZORPAY_RECONCILE_INTERVAL_MINUTES", "0");
        env.put("RAZORPAY_RECONCILE_AFTER_MINUTES", "45");

        RazorpaySettings settings = RazorpaySettings.fromEnv(env);

        assertThat(settings.previousWebhookSecret()).isEqualTo("whsec-old");
        assertThat(settings.redirected()).isTrue();
        assertThat(settings.reconcileInterval()).isZero();
        assertThat(settings.reconcileAfter()).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void badValuesNameTheirVariable() {
        Map<String, String> path = keys();
        path.put("RAZORPAY_API_BASE_URL", "http://127.0.0.1:9099/v1");
        Map<String, String> minutes = keys();
        minutes.put("RAZORPAY_RECONCILE_AFTER_MINUTES", "soon");

        assertThatThrownBy(() -> RazorpaySettings.fromEnv(path)).hasMessageContaining("RAZORPAY_API_BASE_URL");
        assertThatThrownBy(() -> RazorpaySettings.fromEnv(minutes)).hasMessageContaining("RAZORPAY_RECONCILE_AFTER_MINUTES");
        assertThatThrownBy(() -> RazorpaySettings.fromEnv(Map.of("RAZORPAY_ENABLED", "maybe")))
                .hasMessageContaining("RAZORPAY_ENABLED");
    }

    @Test
    void theBillingApiNeedsRazorpayOutsideTheLocalStackButNotInsideIt() {
        assertThatThrownBy(() -> BillingApiConfig.fromEnv(Map.of("BILLING_ADMIN_TOKEN", "t"), false))
                .hasMessageContaining("RAZORPAY_KEY_ID");
        assertThat(BillingApiConfig.fromEnv(Map.of(), true).razorpay().enabled()).isFalse();
        Map<String, String> env = keys();
        assertThat(BillingApiConfig.fromEnv(env, true).razorpay().enabled()).isTrue();
    }

    @Test
    void programmaticConfigurationsKeepPaymentsOffUnlessGivenRazorpaySettings() {
        BillingApiConfig config = new BillingApiConfig("jdbc:postgresql://x/db", "u", "", 0, "token");
        RazorpaySettings emulator = RazorpaySettings.of("rzp_test_local", "secret", "whsec", "http://127.0.0.1:9099");

        assertThat(config.razorpay().enabled()).isFalse();
        assertThat(config.withRazorpay(emulator).razorpay()).isEqualTo(emulator);
        assertThat(config.withRazorpay(emulator).withBilling(BillingSettings.defaults()).razorpay()).isEqualTo(emulator);
    }

    @Test
    void toStringNeverShowsSecrets() {
        Map<String, String> env = keys();
        env.put("RAZORPAY_WEBHOOK_SECRET_PREVIOUS", "whsec-old");
        String text = new BillingApiConfig("jdbc:postgresql://x/db", "u", "", 0, "token")
                .withRazorpay(RazorpaySettings.fromEnv(env)).toString();

        assertThat(text).contains("rzp_live_x").doesNotContain("key-secret", "whsec-current", "whsec-old");
    }
}
