package dev.meterbill.billing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The billing API's metrics, in one place so that their names stay what docs/operations.md lists:
 * invoice runs and their failures, webhook outcomes, Razorpay calls, HTTP requests by route and status
 * ({@code billing_*}), the connection pool ({@code hikaricp_*}, through HikariCP's own tracker) and the
 * JVM. Served in Prometheus text on {@code GET /metrics}.
 */
public final class BillingMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(BillingMetrics.class);

    private final MeterRegistry registry;

    private BillingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics for Prometheus, with the JVM's memory, threads and CPU. */
    public static BillingMetrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return new BillingMetrics(registry);
    }

    /** Metrics kept in memory only (tools and benchmarks that run the services without serving them). */
    public static BillingMetrics inMemory() {
        return new BillingMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition; empty for in-memory metrics. */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
    }

    /**
     * One invoice run: {@code billing_invoice_run_seconds{mode,result}}, plus the invoices it created
     * ({@code billing_invoices_generated_total{mode}}) and the organisations it could not invoice
     * ({@code billing_invoice_generation_failures_total{mode}}).
     *
     * @param mode   manual, scheduled or single
     * @param result completed (failures included), refused (a single organisation with no plan or an
     *               open period) or error (the run itself failed)
     */
    public void invoiceRun(String mode, String result, long nanos, int created, int failed) {
        Timer.builder("billing.invoice.run").description("Invoice runs by mode and result")
                .tags("mode", mode, "result", result).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        Counter.builder("billing.invoices.generated").description("Draft invoices created by invoice runs")
                .tag("mode", mode).register(registry).increment(created);
        Counter.builder("billing.invoice.generation.failures")
                .description("Organisations an invoice run could not invoice (each attempt)")
                .tag("mode", mode).register(registry).increment(failed);
    }

    /** {@code billing_invoice_generation_failures_open}: failed generations not resolved yet, read at each scrape. */
    public void openGenerationFailures(LongSupplier count) {
        gauge("billing.invoice.generation.failures.open", "Failed invoice generations not resolved yet", count);
    }

    /** A gauge read from the database at each scrape; NaN while it cannot be read. */
    public void gauge(String name, String description, LongSupplier count) {
        Gauge.builder(name, () -> {
            try {
                return count.getAsLong();
            } catch (RuntimeException e) {
                LOG.warn("Cannot read {}: {}", name, e.getMessage());
                return null; // Micrometer reports an unknown gauge as NaN
            }
        }).description(description).register(registry);
    }

    /**
     * {@code billing_webhooks_total{provider,outcome}}: processed, duplicate, unprocessable,
     * invalid_signature or invalid_event_id.
     */
    public void webhook(String provider, String outcome) {
        Counter.builder("billing.webhooks").description("Webhook deliveries by outcome")
                .tags("provider", provider, "outcome", outcome).register(registry).increment();
    }

    /**
     * {@code billing_razorpay_calls_seconds{operation,outcome}} (with histogram buckets): ok, refused
     * (Razorpay answered 4xx) or unknown (timeout, lost connection, 5xx, unreadable answer).
     */
    public void razorpayCall(String operation, String outcome, long nanos) {
        Timer.builder("billing.razorpay.calls").description("Calls to Razorpay through razorpay-java")
                .tags("operation", operation, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code billing_http_requests_seconds{method,route,status}}; route is the template, or "unmatched". */
    public void httpRequest(String method, String route, int status, long nanos) {
        Timer.builder("billing.http.requests").description("HTTP requests by route template and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
