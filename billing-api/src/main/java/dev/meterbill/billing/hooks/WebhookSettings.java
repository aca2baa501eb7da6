package dev.meterbill.billing.hooks;

import dev.meterbill.service.Env;
import java.time.Duration;
import java.util.Map;

/**
 * How outgoing webhooks are delivered.
 *
 * @param localTargets   {@code BILLING_WEBHOOKS_LOCAL_TARGETS}: endpoints may be plain http and resolve to loopback,
 *                       private or link-local addresses (the local stack, tests); off in production, where those are
 *                       refused (server-side request forgery)
 * @param retryBase      {@code BILLING_WEBHOOKS_RETRY_BASE_SECONDS} (5): the first retry's delay, doubled for each
 *                       failure up to {@link #MAX_DELAY}, with ±20 % jitter
 * @param giveUpAfter    an event is retried until it is this old (3 days), then its delivery is {@code failed}
 * @param disableAfter   {@code BILLING_WEBHOOKS_DISABLE_AFTER} (20): consecutive failed attempts that disable an
 *                       endpoint (about three days of failures with the default backoff)
 * @param attemptTimeout each attempt's connect and response timeout (10 s)
 */
public record WebhookSettings(boolean localTargets, Duration retryBase, Duration giveUpAfter, int disableAfter,
                              Duration attemptTimeout) {

    public static final String LOCAL_TARGETS = "BILLING_WEBHOOKS_LOCAL_TARGETS";
    public static final String RETRY_BASE_SECONDS = "BILLING_WEBHOOKS_RETRY_BASE_SECONDS";
    public static final String DISABLE_AFTER = "BILLING_WEBHOOKS_DISABLE_AFTER";
    /** The longest delay between two attempts. */
    public static final Duration MAX_DELAY = Duration.ofHours(8);

    public static WebhookSettings defaults() {
        return fromEnv(Map.of());
    }

    public static WebhookSettings fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        return new WebhookSettings("true".equalsIgnoreCase(env.text(LOCAL_TARGETS, "false")),
                Duration.ofSeconds(env.integer(RETRY_BASE_SECONDS, 5, 1, 3600)), Duration.ofDays(3),
                env.integer(DISABLE_AFTER, 20, 1, 1000), Duration.ofSeconds(10));
    }

    /** For the local stack and tests: local targets, and retries that start after {@code retryBase}. */
    public static WebhookSettings local(Duration retryBase) {
        return new WebhookSettings(true, retryBase, Duration.ofDays(3), 20, Duration.ofSeconds(10));
    }
}
