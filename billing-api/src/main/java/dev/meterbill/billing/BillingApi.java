package dev.meterbill.billing;

import com.zaxxer.hikari.HikariDataSource;
import dev.meterbill.billing.archive.ArchiveRetention;
import dev.meterbill.billing.db.ConnectionPool;
import dev.meterbill.billing.db.Migrations;
import dev.meterbill.billing.http.RegisteredRoute;
import dev.meterbill.billing.metrics.BillingMetrics;
import dev.meterbill.billing.payment.PaymentReconciler;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The billing API service: wires the database, the features and the Javalin app.
 *
 * <p>{@link #create} migrates the database and builds the app without listening; {@link #start}
 * binds the port. Tests start it on port 0 and ask {@link #port()}.
 */
public final class BillingApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BillingApi.class);

    private final HikariDataSource pool;
    private final ApiWiring wiring;
    private boolean stopped;

    private BillingApi(HikariDataSource pool, ApiWiring wiring) {
        this.pool = pool;
        this.wiring = wiring;
    }

    /** Opens the pool, applies pending migrations and builds the app; the port is bound by {@link #start}. */
    public static BillingApi create(BillingApiConfig config) {
        return create(config, Clock.systemUTC());
    }

    /** As {@link #create(BillingApiConfig)}, telling the time by {@code clock} (tests move it across periods). */
    public static BillingApi create(BillingApiConfig config, Clock clock) {
        BillingMetrics metrics = BillingMetrics.prometheus();
        HikariDataSource pool = ConnectionPool.create(config.dbUrl(), config.dbUser(), config.dbPassword(),
                metrics.registry());
        try {
            int applied = Migrations.apply(pool);
            LOG.info("Billing database ready at {} ({} migrations applied)", config.dbUrl(), applied);
            return new BillingApi(pool, new ApiWiring(config, pool, clock, metrics));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Binds {@code port} (0 picks a free one) and serves. */
    public BillingApi start(int port) {
        wiring.app.start(port);
        wiring.scheduler.start();
        wiring.payments.start();
        // e-invoices the IRP did not register at issue: every 5 minutes, first after a minute
        wiring.eInvoiceRetry.start(java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(5));
        // invoice and credit note e-mails: every 15 seconds
        wiring.emailDelivery.start(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(15));
        wiring.webhookDelivery.start(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
        wiring.alertEvaluation.start(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(2));
        // a new metric definition reaches the aggregation job within about a second
        wiring.metricPublishing.start(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
        wiring.archiveSweep.start(java.time.Duration.ofMinutes(5), java.time.Duration.ofHours(24));
        LOG.info("Billing API listening on port {}", wiring.app.port());
        return this;
    }

    /** The bound port, once started. */
    public int port() {
        return wiring.app.port();
    }

    public Javalin app() {
        return wiring.app;
    }

    /** Every HTTP route registered, in registration order. */
    public List<RegisteredRoute> routes() {
        return List.copyOf(wiring.routes);
    }

    /** Deletes Idempotency-Key records past their retention; returns how many. Also runs periodically. */
    public int deleteExpiredIdempotencyKeys() {
        return wiring.idempotency.deleteExpired();
    }

    /** One pass of the scheduled invoice run (it also runs by itself every BILLING_INVOICE_RUN_INTERVAL_MINUTES). */
    public int runScheduledInvoicing() {
        return wiring.scheduler.runOnce();
    }

    /**
     * One pass of the payment reconciliation with the configured threshold (it also runs by itself every
     * RAZORPAY_RECONCILE_INTERVAL_MINUTES); {@code POST /api/v1/payments/reconcile} is the HTTP way.
     *
     * @throws dev.meterbill.billing.error.PaymentsDisabledException while payments are disabled
     */
    public PaymentReconciler.Result reconcilePayments() {
        return wiring.payments.reconcile();
    }

    /** Registers at the IRP the invoices whose IRN is pending (it also runs every 5 minutes); how many were. */
    public int retryEInvoices() {
        return wiring.eInvoices == null ? 0 : wiring.eInvoices.retryPending();
    }

    /** Sends the e-mails due in the outbox now (it also runs every 15 seconds); how many were sent. */
    /** One pass of outgoing webhook delivery (it also runs by itself every second); how many were delivered. */
    public int deliverWebhooks() {
        return wiring.webhooks.deliverDue();
    }

    /** One pass of usage-alert evaluation (it also runs by itself every 2 seconds); how many levels fired. */
    public int evaluateUsageAlerts() {
        return wiring.usageAlerts.evaluate();
    }

    /** Applies the raw-event archive's retention now (it runs daily on its own). */
    public ArchiveRetention.Sweep sweepArchive() {
        return wiring.archiveRetention.sweep();
    }

    public int sendDueEmails() {
        return wiring.mailer == null ? 0 : wiring.mailer.sendDue();
    }

    /** The pool of the billing database, for components that share the process (the local stack). */
    public DataSource dataSource() {
        return pool;
    }

    /** Stops serving and closes the pool; safe to call more than once. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            wiring.scheduler.close();
            wiring.payments.close();
            wiring.eInvoiceRetry.close();
            wiring.emailDelivery.close();
            wiring.webhookDelivery.close();
            wiring.alertEvaluation.close();
            wiring.metricPublishing.close();
            wiring.archiveSweep.close();
            wiring.metricRelay.close();
            wiring.app.stop();
        } finally {
            pool.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Runs the service from the environment until the JVM is stopped. */
    public static void main(String[] args) {
        BillingApiConfig config = BillingApiConfig.fromEnv();
        BillingApi api = create(config).start(config.port());
        Runtime.getRuntime().addShutdownHook(new Thread(api::stop, "billing-api-shutdown"));
    }
}
