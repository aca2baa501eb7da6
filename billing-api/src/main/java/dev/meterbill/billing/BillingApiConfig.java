package dev.meterbill.billing;

import dev.meterbill.billing.archive.ArchiveSettings;
import dev.meterbill.billing.delivery.MailSettings;
import dev.meterbill.billing.hooks.WebhookSettings;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.payment.RazorpaySettings;
import dev.meterbill.service.Env;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the billing API, read once from the environment.
 *
 * @param dbUrl      JDBC URL of the billing database ({@code BILLING_DB_URL})
 * @param dbUser     database user ({@code BILLING_DB_USER})
 * @param dbPassword database password, may be empty ({@code BILLING_DB_PASSWORD})
 * @param port       HTTP port, 0 picks a free one ({@code BILLING_API_PORT})
 * @param adminToken operator bearer token ({@code BILLING_ADMIN_TOKEN})
 * @param billing    invoicing and tax settings ({@link BillingSettings})
 * @param razorpay   payment settings ({@link RazorpaySettings}); the shorter constructors switch payments off
 * @param supplier   who issues the invoices, as the tax invoice prints it ({@link SupplierProfile}); the
 *                   shorter constructors take the demo supplier
 * @param mail       the SMTP server tax documents are e-mailed through ({@link MailSettings}); off by default
 * @param kafkaBootstrap the Kafka brokers metric definitions are published to ({@code KAFKA_BOOTSTRAP_SERVERS});
 *                   null: they wait in their outbox (docs/metering.md)
 * @param archive    where the raw-event archive is read and swept ({@link ArchiveSettings}); none by default
 */
public record BillingApiConfig(String dbUrl, String dbUser, String dbPassword, int port, String adminToken,
                               BillingSettings billing, RazorpaySettings razorpay, SupplierProfile supplier,
                               MailSettings mail, WebhookSettings webhooks, String kafkaBootstrap,
                               ArchiveSettings archive) {

    public static final String DB_URL = "BILLING_DB_URL";
    public static final String DB_USER = "BILLING_DB_USER";
    public static final String DB_PASSWORD = "BILLING_DB_PASSWORD";
    public static final String API_PORT = "BILLING_API_PORT";
    public static final String ADMIN_TOKEN = "BILLING_ADMIN_TOKEN";
    public static final String KAFKA_BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";

    public static final String DEFAULT_DB_URL = "jdbc:postgresql://localhost:5432/billing";
    public static final String DEFAULT_DB_USER = "postgres";
    public static final int DEFAULT_PORT = 8081;
    /** Operator token the local stack uses when BILLING_ADMIN_TOKEN is unset; never accepted outside it. */
    public static final String LOCAL_STACK_ADMIN_TOKEN = "local-admin-token";

    public BillingApiConfig {
        requireText(dbUrl, DB_URL);
        requireText(dbUser, DB_USER);
        dbPassword = Objects.requireNonNullElse(dbPassword, "");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(API_PORT + " must be between 0 and 65535, was " + port);
        }
        requireText(adminToken, ADMIN_TOKEN);
        billing = Objects.requireNonNullElseGet(billing, BillingSettings::defaults);
        razorpay = Objects.requireNonNullElseGet(razorpay, RazorpaySettings::disabled);
        supplier = Objects.requireNonNullElseGet(supplier, SupplierProfile::defaults);
        mail = Objects.requireNonNullElseGet(mail, MailSettings::disabled);
        webhooks = Objects.requireNonNullElseGet(webhooks, WebhookSettings::defaults);
        kafkaBootstrap = blankToNull(kafkaBootstrap);
        archive = Objects.requireNonNullElseGet(archive, ArchiveSettings::none);
    }

    /** A configuration without a raw-event archive. */
    public BillingApiConfig(String dbUrl, String dbUser, String dbPassword, int port, String adminToken,
                            BillingSettings billing, RazorpaySettings razorpay, SupplierProfile supplier,
                            MailSettings mail, WebhookSettings webhooks, String kafkaBootstrap) {
        this(dbUrl, dbUser, dbPassword, port, adminToken, billing, razorpay, supplier, mail, webhooks, kafkaBootstrap, null);
    }

    /** A configuration that publishes metric definitions nowhere (they wait in their outbox). */
    public BillingApiConfig(String dbUrl, String dbUser, String dbPassword, int port, String adminToken,
                            BillingSettings billing, RazorpaySettings razorpay, SupplierProfile supplier,
                            MailSettings mail, WebhookSettings webhooks) {
        this(dbUrl, dbUser, dbPassword, port, adminToken, billing, razorpay, supplier, mail, webhooks, null);
    }

    /** A configuration with the demo supplier. */
    public BillingApiConfig(String dbUrl, String dbUser, String dbPassword, int port, String adminToken,
                            BillingSettings billing, RazorpaySettings razorpay) {
        this(dbUrl, dbUser, dbPassword, port, adminToken, billing, razorpay, null, null, null);
    }

    /** A configuration with the default invoicing and tax settings and payments switched off. */
    public BillingApiConfig(String dbUrl, String dbUser, String dbPassword, int port, String adminToken) {
        this(dbUrl, dbUser, dbPassword, port, adminToken, BillingSettings.defaults(), RazorpaySettings.disabled());
    }

    /** A configuration with these invoicing settings and payments switched off. */
    public BillingApiConfig(String dbUrl, String dbUser, String dbPassword, int port, String adminToken,
                            BillingSettings billing) {
        this(dbUrl, dbUser, dbPassword, port, adminToken, billing, RazorpaySettings.disabled());
    }

    public BillingApiConfig withBilling(BillingSettings settings) {
        return new BillingApiConfig(dbUrl, dbUser, dbPassword, port, adminToken, settings, razorpay, supplier,
                mail, webhooks, kafkaBootstrap, archive);
    }

    /** The same configuration with these payment settings, e.g. {@code RazorpaySettings.of(...)} for the emulator. */
    public BillingApiConfig withRazorpay(RazorpaySettings settings) {
        return new BillingApiConfig(dbUrl, dbUser, dbPassword, port, adminToken, billing, settings, supplier,
                mail, webhooks, kafkaBootstrap, archive);
    }

    public BillingApiConfig withSupplier(SupplierProfile profile) {
        return new BillingApiConfig(dbUrl, dbUser, dbPassword, port, adminToken, billing, razorpay, profile,
                mail, webhooks, kafkaBootstrap, archive);
    }

    public BillingApiConfig withMail(MailSettings settings) {
        return new BillingApiConfig(dbUrl, dbUser, dbPassword, port, adminToken, billing, razorpay, supplier,
                settings, webhooks, kafkaBootstrap, archive);
    }

    public BillingApiConfig withWebhooks(WebhookSettings settings) {
        return new BillingApiConfig(dbUrl, dbUser, dbPassword, port, adminToken, billing, razorpay, supplier,
                mail, settings, kafkaBootstrap, archive);
    }

    /** The same configuration, publishing metric definitions to these Kafka brokers. */
    public BillingApiConfig withKafka(String bootstrapServers) {
        return new BillingApiConfig(dbUrl, dbUser, dbPassword, port, adminToken, billing, razorpay, supplier, mail, webhooks,
                bootstrapServers, archive);
    }

    /** The same configuration, reading and sweeping the raw-event archive these settings name. */
    public BillingApiConfig withArchive(ArchiveSettings settings) {
        return new BillingApiConfig(dbUrl, dbUser, dbPassword, port, adminToken, billing, razorpay, supplier, mail, webhooks,
                kafkaBootstrap, settings);
    }

    /** Reads the process environment; BILLING_ADMIN_TOKEN is required. */
    public static BillingApiConfig fromEnv() {
        return fromEnv(System.getenv(), false);
    }

    /**
     * Reads the given environment. With {@code localStack} a missing BILLING_ADMIN_TOKEN falls back
     * to {@link #LOCAL_STACK_ADMIN_TOKEN}; anywhere else a missing token stops the service, because
     * a billing API without an operator secret must not come up. Payments follow
     * {@link RazorpaySettings#fromEnv}: on, with required keys, unless RAZORPAY_ENABLED=false; in the
     * local stack, no RAZORPAY_KEY_ID (and no RAZORPAY_ENABLED) means payments off (the local stack wires its emulator itself
     * through {@link #withRazorpay}).
     */
    public static BillingApiConfig fromEnv(Map<String, String> env, boolean localStack) {
        String token = blankToNull(env.get(ADMIN_TOKEN));
        if (token == null) {
            if (!localStack) {
                throw new IllegalArgumentException(ADMIN_TOKEN + " is required: set it to the operator bearer token");
            }
            token = LOCAL_STACK_ADMIN_TOKEN;
        }
        return new BillingApiConfig(
                Objects.requireNonNullElse(blankToNull(env.get(DB_URL)), DEFAULT_DB_URL),
                Objects.requireNonNullElse(blankToNull(env.get(DB_USER)), DEFAULT_DB_USER),
                Objects.requireNonNullElse(env.get(DB_PASSWORD), ""),
                new Env(env).integer(API_PORT, DEFAULT_PORT, 0, 65_535),
                token,
                BillingSettings.fromEnv(env),
                localStack && blankToNull(env.get(RazorpaySettings.KEY_ID)) == null
                        && blankToNull(env.get(RazorpaySettings.ENABLED)) == null
                        ? RazorpaySettings.disabled() : RazorpaySettings.fromEnv(env),
                SupplierProfile.fromEnv(env), MailSettings.fromEnv(env), WebhookSettings.fromEnv(env), env.get(KAFKA_BOOTSTRAP),
                ArchiveSettings.fromEnv(env));
    }

    private static void requireText(String value, String variable) {
        if (blankToNull(value) == null) {
            throw new IllegalArgumentException(variable + " is required");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Secrets are redacted so that logging the configuration never leaks them. */
    @Override
    public String toString() {
        return "BillingApiConfig[dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", dbPassword=***, port=" + port
                + ", adminToken=***, billing=" + billing + ", razorpay=" + razorpay + ", kafkaBootstrap=" + kafkaBootstrap
                + ", archive=" + archive + "]";
    }
}
