package dev.meterbill.billing.invoice;

import dev.meterbill.billing.BillingSettings;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.invoice.InvoiceBatch.Mode;
import dev.meterbill.billing.invoice.InvoiceBatch.Outcome;
import dev.meterbill.billing.plan.PricingPlanRepository;
import dev.meterbill.billing.pricing.GstCalculator;
import dev.meterbill.billing.subscription.SubscriptionRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
 */
public final class InvoiceGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceGenerator.class);
    static final int CHUNK_SIZE = 200;

    /**
     * What a run did.
     *
     * @param existing   invoices of the period that were already there (or were created by a concurrent run)
     * @param skipped    organisations with a plan whose period has not ended (or, scheduled, is not due yet)
     * @param invoiceIds the created or existing invoice, for a single-organisation run; empty otherwise
     */
    public record RunResult(YearMonth period, int created, int existing, int skipped, List<UUID> invoiceIds) {}

    private final Transactions transactions;
    private final InvoiceRunRepository runs;
    private final InvoiceRepository invoices;
    private final InvoiceBatch batch;
    private final Clock clock;
    private final int workers;

    /** The generator with its collaborators, configured from the invoicing settings. */
    public static InvoiceGenerator create(Transactions transactions, InvoiceRepository invoices,
                                          PricingPlanRepository plans, SubscriptionRepository subscriptions,
                                          AuditLog auditLog, BillingSettings settings, Clock clock) {
        InvoiceRunRepository runs = new InvoiceRunRepository();
        InvoiceCalculator calculator = new InvoiceCalculator(
                new GstCalculator(settings.supplierStateCode(), settings.gstRatePercent()));
        InvoiceBatch batch = new InvoiceBatch(runs, invoices, plans, subscriptions, calculator, auditLog,
                settings.supplierStateCode(), settings.supplierGstin(), settings.invoiceDeadline());
        return new InvoiceGenerator(transactions, runs, invoices, batch, clock, settings.invoiceRunWorkers());
    }

    InvoiceGenerator(Transactions transactions, InvoiceRunRepository runs, InvoiceRepository invoices,
                     InvoiceBatch batch, Clock clock, int workers) {
        this.transactions = transactions;
        this.runs = runs;
        this.invoices = invoices;
        this.batch = batch;
        this.clock = clock;
        this.workers = workers;
    }

    /** Invoices every organisation whose period has ended (operator run: finality is the operator's call). */
    public RunResult generateAll(YearMonth period, String actor, String requestId) {
        return run(period, Mode.MANUAL, actor, requestId);
    }

    /** Invoices the organisations whose period is due: ended, and final or past the deadline. */
    public RunResult generateDue(YearMonth period, String actor, String requestId) {
        return run(period, Mode.SCHEDULED, actor, requestId);
    }

    /**
     * Invoices one organisation, on the calling thread (so it joins a request transaction).
     *
     * @throws ConflictException when it has no plan in force or the period has not ended for it
     */
    public RunResult generateFor(UUID organisationId, YearMonth period, String actor, String requestId) {
        Instant now = clock.instant();
        return transactions.inTransaction(c -> {
            var existing = invoices.findId(c, organisationId, period);
            if (existing.isPresent()) {
                return new RunResult(period, 0, 1, 0, List.of(existing.get()));
            }
            List<BillableOrganisation> candidates = runs.candidates(c, period, organisationId);
            if (candidates.isEmpty()) {
                throw new ConflictException("Organisation " + organisationId + " has no pricing plan in force on "
                        + period.atDay(1) + "; subscribe it before invoicing " + period);
            }
            Outcome outcome = batch.process(c, period, candidates, Mode.MANUAL, now, actor, requestId);
            if (!outcome.skipped().isEmpty()) {
                throw new ConflictException("Cannot invoice yet: " + outcome.skipped().values().iterator().next());
            }
            if (!outcome.created().isEmpty()) {
                return new RunResult(period, 1, 0, 0, List.copyOf(outcome.created().values()));
            }
            return new RunResult(period, 0, 1, 0, List.of(invoices.findId(c, organisationId, period).orElseThrow()));
        });
    }

    private RunResult run(YearMonth period, Mode mode, String actor, String requestId) {
        Instant now = clock.instant();
        long before = transactions.readOnly(c -> invoices.countForPeriod(c, period));
        List<BillableOrganisation> candidates = transactions.readOnly(c -> runs.candidates(c, period, null));
        List<List<BillableOrganisation>> chunks = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i += CHUNK_SIZE) {
            chunks.add(candidates.subList(i, Math.min(candidates.size(), i + CHUNK_SIZE)));
        }
        AtomicInteger created = new AtomicInteger();
        AtomicInteger existing = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        List<Outcome> outcomes = new ArrayList<>();
        if (chunks.size() <= 1) {
            for (List<BillableOrganisation> chunk : chunks) {
                outcomes.add(transactions.inTransaction(c -> batch.process(c, period, chunk, mode, now, actor, requestId)));
            }
        } else {
            outcomes.addAll(inParallel(chunks, chunk -> transactions.inTransaction(
                    c -> batch.process(c, period, chunk, mode, now, actor, requestId))));
        }
        for (Outcome outcome : outcomes) {
            created.addAndGet(outcome.created().size());
            existing.addAndGet(outcome.existing().size());
            skipped.addAndGet(outcome.skipped().size());
        }
        LOG.info("Invoice run {} for {}: {} created, {} existing, {} skipped", mode, period, created.get(),
                before + existing.get(), skipped.get());
        return new RunResult(period, created.get(), (int) before + existing.get(), skipped.get(), List.of());
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
