package dev.meterbill.billing.payment;

import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.PaymentsDisabledException;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.schedule.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what webhooks missed: asks the payment provider for the payments of invoices issued but
 * unpaid for longer than a threshold (creating the order first if the issue never got one), and for
 * refunds still pending, and applies the answers through the same {@link PaymentLedger} path as
 * webhooks, so a payment both delivered and fetched is recorded once. Runs periodically and on demand;
 * several instances may run at once, the ledger's locks and unique ids keep the records single. While
 * payments are disabled it never runs: not periodically, and on demand with {@link PaymentsDisabledException}.
 */
public final class PaymentReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentReconciler.class);
    public static final String ACTOR = "system:payment-reconciler";
    /** At most this many invoices and this many refunds per pass; the next pass continues. */
    static final int BATCH = 500;
    static final Duration MIN_AGE_BEFORE_FAILING_A_REFUND = Duration.ofMinutes(10);

    /** What one pass did. */
    public record Result(int invoicesChecked, int ordersAttached, int paymentsChanged, int invoicesPaid,
                         int refundsChanged, int failures) {}

    private final Transactions transactions;
    private final InvoiceRepository invoices;
    private final PaymentRepository payments;
    private final RefundRepository refunds;
    private final PaymentLedger ledger;
    private final OrderService orders;
    private final PaymentProvider provider;
    private final Clock clock;
    private final Duration interval;
    private final Duration after;
    private final PeriodicTask periodic = new PeriodicTask("payment-reconciler", this::runOnce);

    public PaymentReconciler(Transactions transactions, InvoiceRepository invoices, PaymentRepository payments,
                             RefundRepository refunds, PaymentLedger ledger, OrderService orders,
                             PaymentProvider provider, Clock clock, Duration interval, Duration after) {
        this.transactions = transactions;
        this.invoices = invoices;
        this.payments = payments;
        this.refunds = refunds;
        this.ledger = ledger;
        this.orders = orders;
        this.provider = provider;
        this.clock = clock;
        this.interval = interval;
        this.after = after;
    }

    /** Starts the periodic pass unless the interval is zero or payments are disabled. */
    public void start() {
        if (!provider.enabled() || interval.isZero()) {
            return;
        }
        periodic.start(interval, interval);
        LOG.info("Payment reconciliation every {} for invoices unpaid after {}", interval, after);
    }

    /** @throws PaymentsDisabledException while payments are disabled; the handler asks before it reads a request */
    public void requireEnabled() {
        if (!provider.enabled()) {
            throw new PaymentsDisabledException();
        }
    }

    /** One pass with the configured threshold. */
    public Result runOnce() {
        return run(after);
    }

    /** One pass over invoices issued, and refunds pending, for at least {@code olderThan}. */
    public Result run(Duration olderThan) {
        requireEnabled();
        Instant before = clock.instant().minus(olderThan);
        String requestId = "reconcile-" + UUID.randomUUID();
        Tally tally = new Tally();
        for (UUID id : transactions.readOnly(c -> invoices.issuedUnpaidBefore(c, before, BATCH))) {
            reconcileSafely(id, requestId, tally);
        }
        for (StoredRefund refund : transactions.readOnly(c -> refunds.pendingBefore(c, before, BATCH))) {
            try {
                reconcileRefund(refund, before, requestId, tally);
            } catch (RuntimeException e) {
                tally.failures++;
                LOG.warn("Reconciling refund {} failed; retried at the next pass: {}", refund.id(), e.getMessage());
            }
        }
        Result result = tally.result();
        if (result.paymentsChanged() + result.ordersAttached() + result.refundsChanged() + result.failures() > 0) {
            LOG.info("Payment reconciliation {}: {}", requestId, result);
        }
        return result;
    }

    /** One invoice, whatever its age: its order, then every payment Razorpay knows of it. */
    public Result reconcileInvoice(UUID invoiceId) {
        requireEnabled();
        Tally tally = new Tally();
        reconcile(invoiceId, "reconcile-" + UUID.randomUUID(), tally);
        return tally.result();
    }

    private void reconcileSafely(UUID invoiceId, String requestId, Tally tally) {
        try {
            reconcile(invoiceId, requestId, tally);
        } catch (RuntimeException e) {
            tally.failures++;
            LOG.warn("Reconciling invoice {} failed; retried at the next pass: {}", invoiceId, e.getMessage());
        }
    }

    private void reconcile(UUID invoiceId, String requestId, Tally tally) {
        tally.invoicesChecked++;
        Invoice invoice = transactions.readOnly(c -> invoices.find(c, invoiceId, false)).orElseThrow();
        if (OrderService.needsOrder(invoice)) {
            invoice = orders.ensureOrder(invoice, ACTOR, requestId);
            tally.ordersAttached += invoice.razorpayOrderId() != null ? 1 : 0;
        }
        if (invoice.razorpayOrderId() == null) {
            return;
        }
        for (ProviderPayment payment : provider.paymentsOfOrder(invoice.razorpayOrderId())) {
            try {
                PaymentLedger.Applied applied =
                        transactions.inOwnTransaction(c -> ledger.applyPayment(c, payment, ACTOR, requestId));
                tally.paymentsChanged += applied.outcome() == PaymentLedger.Outcome.CHANGED ? 1 : 0;
                tally.invoicesPaid += applied.invoicePaid() ? 1 : 0;
            } catch (UnapplicableFactException e) {
                tally.failures++;
                LOG.error("Payment {} of invoice {} as Razorpay reports it cannot be applied: {}", payment.id(),
                        invoiceId, e.getMessage());
            }
        }
    }

    /**
     * A pending refund: the provider's current state of it, matched by its id or by the platform id in its
     * notes. A refund Razorpay never received (no Razorpay id, not found after the threshold) is failed,
     * which releases the amount it held.
     */
    private void reconcileRefund(StoredRefund refund, Instant before, String requestId, Tally tally) {
        // a request still waiting for Razorpay's answer must not be failed under it, whatever the threshold
        Instant giveUpBefore = clock.instant().minus(MIN_AGE_BEFORE_FAILING_A_REFUND);
        StoredPayment payment = transactions.readOnly(c -> payments.find(c, refund.paymentId(), false)).orElseThrow();
        List<ProviderRefund> known = provider.refundsOfPayment(payment.razorpayPaymentId());
        ProviderRefund match = known.stream()
                .filter(r -> r.id().equals(refund.razorpayRefundId()) || refund.id().equals(r.platformRefundId()))
                .findFirst().orElse(null);
        if (match != null) {
            try {
                PaymentLedger.Applied applied =
                        transactions.inOwnTransaction(c -> ledger.applyRefund(c, match, null, ACTOR, requestId));
                tally.refundsChanged += applied.outcome() == PaymentLedger.Outcome.CHANGED ? 1 : 0;
            } catch (UnapplicableFactException e) {
                tally.failures++;
                LOG.error("Refund {} as Razorpay reports it cannot be applied: {}", refund.id(), e.getMessage());
            }
        } else if (refund.razorpayRefundId() == null
                && !refund.createdAt().isAfter(before.isBefore(giveUpBefore) ? before : giveUpBefore)) {
            transactions.inOwnTransaction(c -> {
                ledger.failRefund(c, refund, "Razorpay has no record of this refund", ACTOR, requestId);
                return null;
            });
            tally.refundsChanged++;
        }
    }

    @Override
    public void close() {
        periodic.close();
    }

    private static final class Tally {
        int invoicesChecked;
        int ordersAttached;
        int paymentsChanged;
        int invoicesPaid;
        int refundsChanged;
        int failures;

        Result result() {
            return new Result(invoicesChecked, ordersAttached, paymentsChanged, invoicesPaid, refundsChanged, failures);
        }
    }
}
