package dev.meterbill.razorpay.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Standalone configuration from the environment. */
class EmulatorConfigTest {

    @Test
    void defaultsServeTheLocalStack() {
        EmulatorConfig config = EmulatorConfig.fromEnv(Map.of());

        assertThat(config.port()).isEqualTo(EmulatorConfig.DEFAULT_PORT);
        assertThat(config.webhookUrl()).isNull();
        assertThat(config.retry()).isEqualTo(RetryPolicy.defaults());
    }

    @Test
    void everySettingIsReadFromItsVariable() {
        EmulatorConfig config = EmulatorConfig.fromEnv(Map.of("RAZORPAY_EMULATOR_PORT", "9999",
                "RAZORPAY_KEY_ID", "rzp_test_x", "RAZORPAY_KEY_SECRET", "s", "RAZORPAY_WEBHOOK_URL", "http://h/w",
                "RAZORPAY_WEBHOOK_SECRET", "w", "RAZORPAY_EMULATOR_WEBHOOK_RETRIES", "7"));

        assertThat(config).extracting(EmulatorConfig::port, EmulatorConfig::keyId, EmulatorConfig::keySecret,
                EmulatorConfig::webhookUrl, EmulatorConfig::webhookSecret).containsExactly(9999, "rzp_test_x", "s",
                "http://h/w", "w");
        assertThat(config.retry().retries()).isEqualTo(7);
    }

    @Test
    void aWebhookUrlWithoutASecretNamesTheMissingVariable() {
        assertThatThrownBy(() -> EmulatorConfig.fromEnv(Map.of("RAZORPAY_WEBHOOK_URL", "http://h/w")))
                .hasMessageContaining("RAZORPAY_WEBHOOK_SECRET");
        assertThatThrownBy(() -> EmulatorConfig.fromEnv(Map.of("RAZORPAY_EMULATOR_PORT", "eighty")))
                .hasMessageContaining("RAZORPAY_EMULATOR_PORT");
    }
}
