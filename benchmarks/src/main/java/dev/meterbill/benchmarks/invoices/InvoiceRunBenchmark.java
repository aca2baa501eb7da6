package dev.meterbill.benchmarks.invoices;

import com.zaxxer.hikari.HikariDataSource;
import dev.meterbill.billing.deal.DealRepository;
import dev.meterbill.billing.invoice.BillingSettings;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.ConnectionPool;
import dev.meterbill.billing.db.Migrations;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.http.Json;
import dev.meterbill.billing.invoice.GenerationFailures;
import dev.meterbill.billing.metrics.BillingMetrics;
import dev.meterbill.billing.invoice.InvoiceGenerator;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.plan.PricingPlanRepository;
import dev.meterbill.billing.subscription.SubscriptionRepository;
import dev.meterbill.testkit.BulkTenants;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code ./billing bench invoices}: the invoice run for 10,000 organisations x 3 projects x 5 metrics
 * against a database of its own on the local PostgreSQL, timed against the 60-second target.
 *
 * <p>Arguments (all optional): {@code --organisations N --projects N --metrics N --workers N --keep}.
 * The server is {@code BILLING_BENCH_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/}) as
 * {@code BILLING_DB_USER} (postgres) / {@code BILLING_DB_PASSWORD}. The database is dropped at the end
 * unless {@code --keep} is given.
 */
public final class InvoiceRunBenchmark {

    static final Duration TARGET = Duration.ofSeconds(60);
    static final YearMonth PERIOD = YearMonth.of(2026, 1);

    private InvoiceRunBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int organisations = Integer.parseInt(options.getOrDefault("organisations", "10000"));
        int projects = Integer.parseInt(options.getOrDefault("projects", "3"));
        int metrics = Integer.parseInt(options.getOrDefault("metrics", "5"));
        BillingSettings settings = BillingSettings.defaults();
        int workers = Integer.parseInt(options.getOrDefault("workers", String.valueOf(settings.invoiceRunWorkers())));
        String server = Objects.requireNonNullElse(System.getenv("BILLING_BENCH_PG_URL"), "jdbc:postgresql://127.0.0.1:5432/");
        String user = Objects.requireNonNullElse(System.getenv("BILLING_DB_USER"), "postgres");
        String password = Objects.requireNonNullElse(System.getenv("BILLING_DB_PASSWORD"), "");
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String database = "billing_bench_" + HexFormat.of().formatHex(random);

        admin(server + "postgres", user, password, "CREATE DATABASE " + database);
        try (HikariDataSource pool = ConnectionPool.create(server + database, user, password)) {
            Migrations.apply(pool);
            long seedStart = System.nanoTime();
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                UUID plan = BenchmarkData.seedPlan(c, "Benchmark plan", metrics);
                BulkTenants.seed(c, "Bench org", plan, PERIOD, organisations, projects, metrics);
                c.commit();
                try (Statement s = c.createStatement()) {
                    c.setAutoCommit(true);
                    s.execute("ANALYZE");
                }
            }
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            System.out.printf(Locale.ROOT, "seeded %,d organisations x %d projects x %d metrics = %,d usage rows in %.1f s%n",
                    organisations, projects, metrics, (long) organisations * projects * metrics, seedSeconds);

            Transactions transactions = new Transactions(pool);
            BillingSettings withWorkers = new BillingSettings(settings.supplierStateCode(), settings.supplierGstin(),
                    settings.gstRatePercent(), settings.invoiceNumberPrefix(), settings.invoiceDueDays(), Duration.ZERO,
                    settings.invoiceDeadline(), workers);
            AuditLog auditLog = new AuditLog(Json.newMapper());
            InvoiceGenerator generator = InvoiceGenerator.create(transactions, new InvoiceRepository(),
                    new PricingPlanRepository(), new SubscriptionRepository(), new DealRepository(),
                    (c, org, period, amount, description, actor, requestId) -> { }, auditLog,
                    new GenerationFailures(transactions, auditLog), withWorkers, SupplierProfile.defaults(),
                    BillingMetrics.inMemory(),
                    Clock.systemUTC());

            long start = System.nanoTime();
            InvoiceGenerator.RunResult result = generator.generateAll(PERIOD, "benchmark", "bench-" + database);
            double seconds = (System.nanoTime() - start) / 1e9;

            long invoices = count(pool, "SELECT count(*) FROM invoices");
            long lines = count(pool, "SELECT count(*) FROM invoice_line_items");
            System.out.printf(Locale.ROOT, "invoice run for %s: %,d invoices (%,d lines) created in %.2f s with %d workers"
                            + " = %,.0f invoices/s%n", PERIOD, result.created(), lines, seconds, workers,
                    result.created() / seconds);
            System.out.printf(Locale.ROOT, "target %d s: %.1f%% of the target (ratio %.3f) -> %s%n",
                    TARGET.toSeconds(), 100 * seconds / TARGET.toSeconds(), seconds / TARGET.toSeconds(),
                    seconds <= TARGET.toSeconds() ? "PASS" : "FAIL");
            if (invoices != organisations) {
                System.out.println("ERROR: expected " + organisations + " invoices, found " + invoices);
                System.exit(1);
            }
            if (seconds > TARGET.toSeconds()) {
                System.exit(2);
            }
        } finally {
            if (!options.containsKey("keep")) {
                admin(server + "postgres", user, password, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } else {
                System.out.println("kept database " + database);
            }
        }
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void admin(String url, String user, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (name.equals("keep")) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return options;
    }
}
