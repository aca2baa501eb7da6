package dev.meterbill.billing.invoice;

import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.DataAccessException;
import dev.meterbill.billing.deal.DealRepository;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.UnpriceableInvoiceException;
import dev.meterbill.billing.invoice.InvoiceBatch.Mode;
import dev.meterbill.billing.invoice.InvoiceBatch.Outcome;
import dev.meterbill.billing.metrics.BillingMetrics;
import dev.meterbill.billing.plan.PricingPlanRepository;
import dev.meterbill.billing.pricing.GstCalculator;
import dev.meterbill.billing.pricing.UsageQuantities;
import dev.meterbill.billing.subscription.SubscriptionRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates draft invoices for a period: for every organisation with a plan in force on the period's
 * first day that has no invoice yet, in chunks of {@value #CHUNK_SIZE}, each chunk in its own
 * transaction, several chunks in parallel on the connection pool.
 *
 * <p>Exactly one invoice per organisation and period is enforced by the database: drafts are
 * inserted with {@code ON CONFLICT (organisation_id, period) DO NOTHING}, so a concurrent run never
 * fails or duplicates; whoever inserts second simply finds the invoice there.
 *
 * <p>One organisation never stops the others: one that cannot be priced is recorded as a failed
 * generation ({@link GenerationFailures}) and the chunk goes on; a chunk the database refuses anyway
 * is retried one organisation per savepoint, so only the organisation at fault fails. Later runs
 * retry what is still missing, and a failure is resolved with the invoice that finally succeeds.
 */
public final class InvoiceGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceGenerator.class);
    static final int CHUNK_SIZE = 200;

    /**
     * What a run did.
     *
     * @param existing   invoices of the period that were already there (or were created by a concurrent run)
     * @param skipped    organisations with a plan whose period has not ended (or, scheduled, is not due yet)
     * @param failed     organisations whose invoice could not be generated, recorded as failures
     * @param invoiceIds the created or existing invoice, for a single-organisation run; empty otherwise
     */
    public record RunResult(YearMonth period, int created, int existing, int skipped, int failed,
                            List<UUID> invoiceIds) {}

    private final Transactions transactions;
    private final InvoiceRunRepository runs;
    private final InvoiceRepository invoices;
    private final InvoiceBatch batch;
    private final GenerationFailures failures;
    private final BillingMetrics metrics;
    private final Clock clock;
    private final int workers;

    /** The generator with its collaborators, configured from the invoicing settings. */
    public static InvoiceGenerator create(Transactions transactions, InvoiceRepository invoices,
                                          PricingPlanRepository plans, SubscriptionRepository subscriptions,
                                          DealRepository deals, LateCorrections corrections, AuditLog auditLog,
                                          GenerationFailures failures, BillingSettings settings,
                                          SupplierProfile supplier, BillingMetrics metrics, Clock clock) {
        InvoiceRunRepository runs = new InvoiceRunRepository();
        InvoiceCalculator calculator = new InvoiceCalculator(
                new GstCalculator(settings.supplierStateCode(), settings.gstRatePercent()), supplier);
        InvoiceBatch batch = new InvoiceBatch(runs, invoices, plans, subscriptions, deals, corrections, calculator, auditLog,
                settings.supplierStateCode(), settings.supplierGstin(), settings.invoiceDeadline());
        return new InvoiceGenerator(transactions, runs, invoices, batch, failures, metrics, clock,
                settings.invoiceRunWorkers());
    }

    InvoiceGenerator(Transactions transactions, InvoiceRunRepository runs, InvoiceRepository invoices,
                     InvoiceBatch batch, GenerationFailures failures, BillingMetrics metrics, Clock clock, int workers) {
        this.transactions = transactions;
        this.runs = runs;
        this.invoices = invoices;
        this.batch = batch;
        this.failures = failures;
        this.metrics = metrics;
        this.clock = clock;
        this.workers = workers;
    }

    /** Invoices every organisation whose period has ended (operator run: finality is the operator's call). */
    public RunResult generateAll(YearMonth period, String actor, String requestId) {
        return measured(Mode.MANUAL, () -> run(period, Mode.MANUAL, actor, requestId));
    }

    /** Invoices the organisations whose period is due: ended, and final or past the deadline. */
    public RunResult generateDue(YearMonth period, String actor, String requestId) {
        return measured(Mode.SCHEDULED, () -> run(period, Mode.SCHEDULED, actor, requestId));
    }

    /**
     * Invoices one organisation, on the calling thread (so it joins a request transaction).
     *
     * @throws ConflictException           when it has no plan in force or the period has not ended for it
     * @throws UnpriceableInvoiceException when its invoice cannot be priced or stored; the failure is
     *                                     recorded (in a transaction of its own) before it is thrown
     */
    public RunResult generateFor(UUID organisationId, YearMonth period, String actor, String requestId) {
        return measured(null, () -> generateOne(organisationId, period, actor, requestId));
    }

    /**
     * The invoice of a period as it would be generated now, also while the period runs: the same pricing as
     * {@link #generateFor} (usage, late events, plan, prices, discounts), written nowhere.
     *
     * @throws ConflictException           when the period is invoiced already or no plan is in force
     * @throws UnpriceableInvoiceException when it cannot be priced
     */
    public UpcomingInvoiceView estimate(UUID organisationId, YearMonth period) {
        Instant now = clock.instant();
        return transactions.readOnly(c -> {
            var existing = invoices.findId(c, organisationId, period);
            if (existing.isPresent()) {
                throw new ConflictException("Organisation " + organisationId + " has invoice " + existing.get()
                        + " for " + period + " already: GET /api/v1/invoices/" + existing.get() + " shows it");
            }
            BillableOrganisation organisation = runs.billable(c, period, organisationId)
                    .orElseThrow(() -> new ConflictException("Organisation " + organisationId
                            + " has no pricing plan in force in " + period + ": there is nothing to estimate"));
            InvoiceBatch.Priced priced = batch.price(c, period, List.of(organisation), Mode.ESTIMATE, now);
            if (!priced.failed().isEmpty()) {
                throw new UnpriceableInvoiceException(priced.failed().values().iterator().next());
            }
            return UpcomingInvoiceView.of(priced.drafts().get(0), now);
        });
    }

    /**
     * A re-rating's price of an invoiced period: the period's usage as the totals in {@code schema} hold it
     * ({@code public}, the live ones, or a re-rating's) plus {@code extra} (late events billed apart), priced under plan
     * {@code planId} with the organisation's prices and discounts of the period, in the caller's transaction.
     *
     * @throws ConflictException for a period the organisation's subscription bills only in part (priced from days)
     */
    public InvoiceDraft reprice(Connection c, UUID organisationId, YearMonth period, UUID planId, String schema,
                                Map<UsageRow.Key, UsageQuantities> extra) throws SQLException {
        BillableOrganisation organisation = runs.billable(c, period, organisationId)
                .orElseThrow(() -> new ConflictException("Organisation " + organisationId + " has no pricing plan in force in "
                        + period));
        if (!organisation.serviceDays(period).isWholePeriod()) {
            throw new ConflictException("Organisation " + organisationId + " is billed for part of " + period
                    + " only; such a period cannot be re-priced yet");
        }
        List<UsageRow> usage = new ArrayList<>();
        Map<UsageRow.Key, UsageQuantities> left = new HashMap<>(extra);
        for (UsageRow row : runs.usage(c, period, List.of(organisationId), schema).getOrDefault(organisationId, List.of())) {
            UsageQuantities more = left.remove(row.key());
            usage.add(more == null ? row : row.plus(more));
        }
        left.forEach((key, quantities) -> usage.add(new UsageRow(key.projectId(), null, key.metricName(), quantities, null,
                true)));
        return batch.reprice(c, organisation, period, planId, usage);
    }

    /** A run with its metrics: completed (with its failures), refused (409) or error. */
    private RunResult measured(Mode mode, Supplier<RunResult> run) {
        String name = mode == null ? "single" : mode.name().toLowerCase(Locale.ROOT);
        long started = System.nanoTime();
        try {
            RunResult result = run.get();
            metrics.invoiceRun(name, "completed", System.nanoTime() - started, result.created(), result.failed());
            return result;
        } catch (UnpriceableInvoiceException e) {
            metrics.invoiceRun(name, "completed", System.nanoTime() - started, 0, 1);
            throw e;
        } catch (ConflictException e) {
            metrics.invoiceRun(name, "refused", System.nanoTime() - started, 0, 0);
            throw e;
        } catch (RuntimeException e) {
            metrics.invoiceRun(name, "error", System.nanoTime() - started, 0, 0);
            throw e;
        }
    }

    private RunResult generateOne(UUID organisationId, YearMonth period, String actor, String requestId) {
        Instant now = clock.instant();
        try {
            return transactions.inTransaction(c -> {
                var existing = invoices.findId(c, organisationId, period);
                if (existing.isPresent()) {
                    return new RunResult(period, 0, 1, 0, 0, List.of(existing.get()));
                }
                // Whether or not a concurrent request has just inserted the invoice: that reads as
                // "existing" below, never as a missing plan.
                BillableOrganisation organisation = runs.billable(c, period, organisationId)
                        .orElseThrow(() -> new ConflictException("Organisation " + organisationId
                                + " has no pricing plan in force on " + period.atDay(1) + "; subscribe it before"
                                + " invoicing " + period));
                Outcome outcome = batch.process(c, period, List.of(organisation), Mode.MANUAL, now, actor, requestId);
                if (!outcome.skipped().isEmpty()) {
                    throw new ConflictException("Cannot invoice yet: " + outcome.skipped().values().iterator().next());
                }
                if (!outcome.failed().isEmpty()) {
                    throw new UnpriceableInvoiceException(outcome.failed().values().iterator().next());
                }
                if (!outcome.created().isEmpty()) {
                    failures.resolve(c, period, outcome.created(), actor, requestId);
                    return new RunResult(period, 1, 0, 0, 0, List.copyOf(outcome.created().values()));
                }
                return new RunResult(period, 0, 1, 0, 0,
                        List.of(invoices.findId(c, organisationId, period).orElseThrow()));
            });
        } catch (UnpriceableInvoiceException e) {
            failures.recordAlone(organisationId, period, e.getMessage(), actor, requestId);
            throw e;
        } catch (DataAccessException e) {
            if (!e.refusedContent()) {
                throw e;
            }
            String reason = GenerationFailures.reasonOf(e);
            failures.recordAlone(organisationId, period, reason, actor, requestId);
            throw new UnpriceableInvoiceException(reason, e);
        }
    }

    private RunResult run(YearMonth period, Mode mode, String actor, String requestId) {
        Instant now = clock.instant();
        long before = transactions.readOnly(c -> invoices.countForPeriod(c, period));
        List<BillableOrganisation> candidates = transactions.readOnly(c -> runs.candidates(c, period));
        List<List<BillableOrganisation>> chunks = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i += CHUNK_SIZE) {
            chunks.add(candidates.subList(i, Math.min(candidates.size(), i + CHUNK_SIZE)));
        }
        Function<List<BillableOrganisation>, Outcome> work = chunk -> transactions.inTransaction(
                c -> processChunk(c, period, chunk, mode, now, actor, requestId));
        List<Outcome> outcomes = new ArrayList<>();
        if (chunks.size() <= 1) {
            chunks.forEach(chunk -> outcomes.add(work.apply(chunk)));
        } else {
            outcomes.addAll(inParallel(chunks, work));
        }
        Outcome total = Outcome.merge(outcomes);
        if (!total.failed().isEmpty()) {
            LOG.warn("Invoice run {} for {}: {} organisation(s) could not be invoiced and are recorded as failed"
                    + " generations, e.g. {}: {}", mode, period, total.failed().size(),
                    total.failed().keySet().iterator().next(), total.failed().values().iterator().next());
        }
        LOG.info("Invoice run {} for {}: {} created, {} existing, {} skipped, {} failed", mode, period,
                total.created().size(), before + total.existing().size(), total.skipped().size(), total.failed().size());
        return new RunResult(period, total.created().size(), (int) before + total.existing().size(),
                total.skipped().size(), total.failed().size(), List.of());
    }

    /**
     * One chunk on one connection. When anything but pricing fails (the database refuses a row no check
     * foresaw), the chunk is rolled back to its savepoint and done again one organisation per savepoint:
     * the organisation at fault is recorded as failed, every other one of the chunk is invoiced. Savepoints
     * rather than transactions, so that a chunk inside a request transaction behaves the same.
     */
    private Outcome processChunk(Connection c, YearMonth period, List<BillableOrganisation> chunk, Mode mode,
                                 Instant now, String actor, String requestId) throws SQLException {
        Savepoint whole = c.setSavepoint();
        try {
            Outcome outcome = processAndRecord(c, period, chunk, mode, now, actor, requestId);
            c.releaseSavepoint(whole);
            return outcome;
        } catch (SQLException | RuntimeException e) {
            c.rollback(whole);
            LOG.warn("Invoice run for {}: a chunk of {} organisations failed ({}); retrying it one organisation at a"
                    + " time", period, chunk.size(), GenerationFailures.reasonOf(e));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (BillableOrganisation organisation : chunk) {
            Savepoint one = c.setSavepoint();
            try {
                outcomes.add(processAndRecord(c, period, List.of(organisation), mode, now, actor, requestId));
                c.releaseSavepoint(one);
            } catch (SQLException | RuntimeException e) {
                c.rollback(one);
                String reason = GenerationFailures.reasonOf(e);
                LOG.error("Invoice of organisation {} for {} failed and is recorded: {}", organisation.id(), period,
                        reason, e);
                failures.record(c, period, Map.of(organisation.id(), reason), actor, requestId);
                outcomes.add(Outcome.failed(organisation.id(), reason));
            }
        }
        return Outcome.merge(outcomes);
    }

    private Outcome processAndRecord(Connection c, YearMonth period, List<BillableOrganisation> organisations,
                                     Mode mode, Instant now, String actor, String requestId) throws SQLException {
        Outcome outcome = batch.process(c, period, organisations, mode, now, actor, requestId);
        failures.record(c, period, outcome.failed(), actor, requestId);
        failures.resolve(c, period, outcome.created(), actor, requestId);
        return outcome;
    }

    private List<Outcome> inParallel(List<List<BillableOrganisation>> chunks,
                                     Function<List<BillableOrganisation>, Outcome> work) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(workers, chunks.size()), r -> {
            Thread thread = new Thread(r, "invoice-run-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (List<BillableOrganisation> chunk : chunks) {
                futures.add(executor.submit(() -> work.apply(chunk)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            RuntimeException failure = null;
            // Every chunk is awaited before a failure is reported: the others commit independently.
            for (Future<Outcome> future : futures) {
                try {
                    outcomes.add(future.get());
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r
                            ? r : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("invoice run interrupted", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return outcomes;
        } finally {
            executor.shutdownNow();
        }
    }
}
