package dev.meterbill.billing.payment;

import dev.meterbill.service.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Payment settings: the Razorpay account, where its API lives, and the reconciliation schedule.
 *
 * <p>Payments are on unless {@code RAZORPAY_ENABLED=false}; when they are on, the key id, key
 * secret and webhook secret are required, so a service that would silently issue invoices nobody
 * can pay never starts. {@link #disabled()} is the explicit off switch for programmatic use.
 *
 * @param enabled                false: invoices are issued without orders and payment routes answer 503
 * @param keyId                  {@code RAZORPAY_KEY_ID}
 * @param keySecret              {@code RAZORPAY_KEY_SECRET}; signs checkout callbacks
 * @param webhookSecret          {@code RAZORPAY_WEBHOOK_SECRET}
 * @param previousWebhookSecret  {@code RAZORPAY_WEBHOOK_SECRET_PREVIOUS}, still accepted during a rotation; may be null
 * @param apiBaseUrl             {@code RAZORPAY_API_BASE_URL}, default {@value #DEFAULT_API_BASE_URL}
 * @param reconcileInterval      {@code RAZORPAY_RECONCILE_INTERVAL_MINUTES} (10); zero disables the periodic run
 * @param reconcileAfter         {@code RAZORPAY_RECONCILE_AFTER_MINUTES} (15): an invoice issued but unpaid, or a
 *                               refund pending, for longer than this is checked against Razorpay
 */
public record RazorpaySettings(boolean enabled, String keyId, String keySecret, String webhookSecret,
                               String previousWebhookSecret, URI apiBaseUrl, Duration reconcileInterval,
                               Duration reconcileAfter) {
    /** The longest reconciliation interval or age: a year. */
    static final long MAX_MINUTES = 525_600;

    public static final String ENABLED = "RAZORPAY_ENABLED";
    public static final String KEY_ID = "RAZORPAY_KEY_ID";
    public static final String KEY_SECRET = "RAZORPAY_KEY_SECRET";
    public static final String WEBHOOK_SECRET = "RAZORPAY_WEBHOOK_SECRET";
    public static final String WEBHOOK_SECRET_PREVIOUS = "RAZORPAY_WEBHOOK_SECRET_PREVIOUS";
    public static final String API_BASE_URL = "RAZORPAY_API_BASE_URL";
    public static final String RECONCILE_INTERVAL_MINUTES = "RAZORPAY_RECONCILE_INTERVAL_MINUTES";
    public static final String RECONCILE_AFTER_MINUTES = "RAZORPAY_RECONCILE_AFTER_MINUTES";

    public static final String DEFAULT_API_BASE_URL = "https://api.razorpay.com";
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_RECONCILE_AFTER = Duration.ofMinutes(15);

    public RazorpaySettings {
        if (enabled) {
            require(keyId, KEY_ID);
            require(keySecret, KEY_SECRET);
            require(webhookSecret, WEBHOOK_SECRET);
        }
        previousWebhookSecret = blankToNull(previousWebhookSecret);
        apiBaseUrl = apiBaseUrl == null ? URI.create(DEFAULT_API_BASE_URL) : apiBaseUrl;
        String scheme = apiBaseUrl.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || apiBaseUrl.getHost() == null
                || !(apiBaseUrl.getPath() == null || apiBaseUrl.getPath().isEmpty() || apiBaseUrl.getPath().equals("/"))) {
            throw new IllegalArgumentException(API_BASE_URL + " must be http(s)://host[:port] without a path, was "
                    + apiBaseUrl);
        }
        if (reconcileInterval == null || reconcileInterval.isNegative()) {
            throw new IllegalArgumentException(RECONCILE_INTERVAL_MINUTES + " must be 0 (off) or more minutes");
        }
        if (reconcileAfter == null || reconcileAfter.isNegative()) {
            throw new IllegalArgumentException(RECONCILE_AFTER_MINUTES + " must be 0 or more minutes");
        }
    }

    /** Payments switched off: no orders, no webhooks, no refunds. */
    public static RazorpaySettings disabled() {
        return new RazorpaySettings(false, null, null, null, null, null, Duration.ZERO, DEFAULT_RECONCILE_AFTER);
    }

    /**
     * Payments on, against the Razorpay API at {@code apiBaseUrl} (the emulator in the local stack and
     * tests), with the default reconciliation schedule.
     */
    public static RazorpaySettings of(String keyId, String keySecret, String webhookSecret, String apiBaseUrl) {
        return new RazorpaySettings(true, keyId, keySecret, webhookSecret, null, URI.create(apiBaseUrl),
                DEFAULT_RECONCILE_INTERVAL, DEFAULT_RECONCILE_AFTER);
    }

    /**
     * Reads the environment. {@code RAZORPAY_ENABLED=false} switches payments off; otherwise the keys
     * and the webhook secret must be set, and a missing one stops the service naming the variable.
     */
    public static RazorpaySettings fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        String enabled = env.text(ENABLED, "true").toLowerCase(Locale.ROOT);
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new IllegalArgumentException(ENABLED + " must be true or false, was '" + enabled + "'");
        }
        Duration interval = Duration.ofMinutes(env.longValue(RECONCILE_INTERVAL_MINUTES,
                DEFAULT_RECONCILE_INTERVAL.toMinutes(), 0, MAX_MINUTES));
        Duration after = Duration.ofMinutes(env.longValue(RECONCILE_AFTER_MINUTES,
                DEFAULT_RECONCILE_AFTER.toMinutes(), 0, MAX_MINUTES));
        if (enabled.equals("false")) {
            return new RazorpaySettings(false, null, null, null, null, null, Duration.ZERO, after);
        }
        String url = env.text(API_BASE_URL, DEFAULT_API_BASE_URL);
        URI base;
        try {
            base = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(API_BASE_URL + " is not a URL: '" + url + "'", e);
        }
        return new RazorpaySettings(true, env.text(KEY_ID, null), env.text(KEY_SECRET, null),
                env.text(WEBHOOK_SECRET, null), env.text(WEBHOOK_SECRET_PREVIOUS, null), base, interval, after);
    }

    /** The same settings with another reconciliation schedule (tests trigger runs explicitly with zero). */
    public RazorpaySettings withReconciliation(Duration interval, Duration after) {
        return new RazorpaySettings(enabled, keyId, keySecret, webhookSecret, previousWebhookSecret, apiBaseUrl,
                interval, after);
    }

    /** The same settings during a webhook secret rotation: {@code current} signs new events, {@code previous} still verifies. */
    public RazorpaySettings withWebhookSecrets(String current, String previous) {
        return new RazorpaySettings(enabled, keyId, keySecret, current, previous, apiBaseUrl, reconcileInterval,
                reconcileAfter);
    }

    /** True when the SDK must be pointed somewhere other than Razorpay's own API. */
    public boolean redirected() {
        return !URI.create(DEFAULT_API_BASE_URL).equals(apiBaseUrl);
    }

    private static void require(String value, String name) {
        if (blankToNull(value) == null) {
            throw new IllegalArgumentException(name + " is required while payments are enabled; set it, or set "
                    + ENABLED + "=false to run without Razorpay");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Secrets are redacted so that logging the settings never leaks them. */
    @Override
    public String toString() {
        return enabled
                ? "RazorpaySettings[enabled, keyId=" + keyId + ", keySecret=***, webhookSecret=***, previousWebhookSecret="
                        + (previousWebhookSecret == null ? "unset" : "***") + ", apiBaseUrl=" + apiBaseUrl
                        + ", reconcileInterval=" + reconcileInterval + ", reconcileAfter=" + reconcileAfter + "]"
                : "RazorpaySettings[disabled]";
    }
}
