package dev.meterbill.razorpay.emulator;

import java.time.Duration;
import java.util.Map;

/**
 * Standalone settings, read once from the environment. Defaults serve the local stack.
 *
 * @param webhookUrl null when no webhook is configured (events are then recorded, not delivered)
 */
public record EmulatorConfig(int port, String keyId, String keySecret, String webhookUrl, String webhookSecret,
                             RetryPolicy retry) {

    public static final int DEFAULT_PORT = 8090;

    public static EmulatorConfig fromEnv(Map<String, String> env) {
        RetryPolicy defaults = RetryPolicy.defaults();
        String url = blankToNull(env.get("RAZORPAY_WEBHOOK_URL"));
        String secret = blankToNull(env.get("RAZORPAY_WEBHOOK_SECRET"));
        if (url != null && secret == null) {
            throw new IllegalArgumentException("RAZORPAY_WEBHOOK_SECRET is required when RAZORPAY_WEBHOOK_URL is set");
        }
        return new EmulatorConfig(
                integer(env, "RAZORPAY_EMULATOR_PORT", DEFAULT_PORT),
                env.getOrDefault("RAZORPAY_KEY_ID", "rzp_test_emulator"),
                env.getOrDefault("RAZORPAY_KEY_SECRET", "emulator_key_secret"),
                url, secret,
                new RetryPolicy(integer(env, "RAZORPAY_EMULATOR_WEBHOOK_RETRIES", defaults.retries()),
                        Duration.ofMillis(integer(env, "RAZORPAY_EMULATOR_WEBHOOK_BACKOFF_MS",
                                (int) defaults.firstBackoff().toMillis())),
                        defaults.timeout()));
    }

    private static int integer(Map<String, String> env, String name, int defaultValue) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
