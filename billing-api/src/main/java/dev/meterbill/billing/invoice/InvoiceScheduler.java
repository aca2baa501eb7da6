package dev.meterbill.billing.invoice;

import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.schedule.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled invoice run: at a fixed interval, invoices the periods that are due (ended and final,
 * or past the deadline) for the last two months that ended somewhere, then deletes expired
 * Idempotency-Key records. Several instances may run at once: the database keeps one invoice per
 * organisation and period.
 */
public final class InvoiceScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceScheduler.class);
    static final String ACTOR = "system:invoice-scheduler";
    private static final Duration MAX_FIRST_DELAY = Duration.ofMinutes(1);

    private final InvoiceGenerator generator;
    private final Idempotency idempotency;
    private final Clock clock;
    private final Duration interval;
    private final PeriodicTask periodic = new PeriodicTask("invoice-scheduler", this::runOnce);

    public InvoiceScheduler(InvoiceGenerator generator, Idempotency idempotency, Clock clock, Duration interval) {
        this.generator = generator;
        this.idempotency = idempotency;
        this.clock = clock;
        this.interval = interval;
    }

    /** Starts the periodic run unless the interval is zero. */
    public void start() {
        if (interval.isZero()) {
            return;
        }
        periodic.start(interval.compareTo(MAX_FIRST_DELAY) < 0 ? interval : MAX_FIRST_DELAY, interval);
        LOG.info("Scheduled invoice run every {}", interval);
    }

    /** One pass of the scheduled run; returns how many invoices it created. */
    public int runOnce() {
        int created = 0;
        for (YearMonth period : PeriodCalendar.recentlyEnded(clock.instant())) {
            created += generator.generateDue(period, ACTOR, "scheduled-run-" + UUID.randomUUID()).created();
        }
        int expired = idempotency.deleteExpired();
        if (expired > 0) {
            LOG.info("Deleted {} expired Idempotency-Key records", expired);
        }
        return created;
    }

    @Override
    public void close() {
        periodic.close();
    }
}
