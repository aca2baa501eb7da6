package dev.meterbill.billing.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.creditnote.CreditNoteRepository;
import dev.meterbill.billing.creditnote.CreditNoteService;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.invoice.InvoiceOrders;
import dev.meterbill.billing.invoice.InvoiceRepository;
import java.time.Clock;
import java.time.Duration;

/**
 * The payment feature assembled around its {@link PaymentProvider}. With payments disabled
 * ({@link PaymentProvider#disabled()}) invoices are issued without orders, the payment routes answer
 * 503 and the reconciliation never runs, but the routes exist either way, so the API's shape does not
 * depend on configuration.
 */
public final class Payments implements AutoCloseable {

    private final PaymentLedger ledger;
    private final OrderService orders;
    private final PaymentReconciler reconciler;
    private final PaymentHandler handler;

    private Payments(PaymentLedger ledger, OrderService orders, PaymentReconciler reconciler, PaymentHandler handler) {
        this.ledger = ledger;
        this.orders = orders;
        this.reconciler = reconciler;
        this.handler = handler;
    }

    /**
     * @param reconcileInterval how often the reconciliation runs by itself; zero: only on demand
     * @param reconcileAfter    how long an invoice stays unpaid, or a refund pending, before it is looked up
     */
    public static Payments create(PaymentProvider provider, Duration reconcileInterval, Duration reconcileAfter,
                                  Transactions transactions, InvoiceRepository invoices, AuditLog auditLog,
                                  ObjectMapper json, JsonBody jsonBody, Idempotency idempotency, Clock clock,
                                  CreditNoteService creditNotes, CreditNoteRepository creditNoteRepository) {
        PaymentRepository payments = new PaymentRepository();
        RefundRepository refunds = new RefundRepository();
        PaymentLedger ledger = new PaymentLedger(invoices, payments, refunds, creditNotes, auditLog, clock);
        OrderService orders = new OrderService(transactions, invoices, provider, auditLog);
        PaymentReconciler reconciler = new PaymentReconciler(transactions, invoices, payments, refunds, ledger, orders,
                provider, clock, reconcileInterval, reconcileAfter);
        PaymentHandler handler = new PaymentHandler(new PaymentQueries(transactions, invoices, payments, refunds),
                new RefundService(transactions, invoices, payments, refunds, creditNoteRepository, ledger, provider,
                        auditLog), reconciler,
                new CheckoutCallbackService(provider, transactions, invoices, payments, ledger), jsonBody, json,
                idempotency);
        return new Payments(ledger, orders, reconciler, handler);
    }

    public PaymentLedger ledger() {
        return ledger;
    }

    /** What issuing runs after commit: the provider's order, or nothing while payments are disabled. */
    public InvoiceOrders orders() {
        return orders;
    }

    public PaymentHandler handler() {
        return handler;
    }

    /**
     * One reconciliation pass with the configured threshold.
     *
     * @throws dev.meterbill.billing.error.PaymentsDisabledException while payments are disabled
     */
    public PaymentReconciler.Result reconcile() {
        return reconciler.runOnce();
    }

    /** Starts the periodic reconciliation, unless payments are disabled or its interval is zero. */
    public void start() {
        reconciler.start();
    }

    @Override
    public void close() {
        reconciler.close();
    }
}
