package dev.meterbill.billing.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.PaymentsDisabledException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.invoice.InvoiceOrders;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.metrics.BillingMetrics;
import java.time.Clock;

/**
 * The payment feature assembled from its settings. With payments disabled there is no Razorpay
 * client: invoices are issued without orders and the payment routes answer 503, but the routes
 * exist either way, so the API's shape does not depend on configuration.
 */
public final class Payments implements AutoCloseable {

    private final PaymentLedger ledger;
    private final InvoiceOrders orders;
    private final PaymentReconciler reconciler;
    private final PaymentHandler handler;

    private Payments(PaymentLedger ledger, InvoiceOrders orders, PaymentReconciler reconciler, PaymentHandler handler) {
        this.ledger = ledger;
        this.orders = orders;
        this.reconciler = reconciler;
        this.handler = handler;
    }

    public static Payments create(RazorpaySettings settings, Transactions transactions, InvoiceRepository invoices,
                                  AuditLog auditLog, ObjectMapper json, JsonBody jsonBody, Idempotency idempotency,
                                  BillingMetrics metrics, Clock clock) {
        PaymentRepository payments = new PaymentRepository();
        RefundRepository refunds = new RefundRepository();
        PaymentLedger ledger = new PaymentLedger(invoices, payments, refunds, auditLog, clock);
        RazorpayGateway gateway = settings.enabled() ? RazorpayGateway.connect(settings, json, metrics) : null;
        OrderService orders = gateway == null ? null : new OrderService(transactions, invoices, gateway, auditLog);
        PaymentReconciler reconciler = gateway == null ? null : new PaymentReconciler(transactions, invoices, payments,
                refunds, ledger, orders, gateway, clock, settings.reconcileInterval(), settings.reconcileAfter());
        PaymentHandler handler = new PaymentHandler(new PaymentQueries(transactions, invoices, payments, refunds),
                new RefundService(transactions, invoices, payments, refunds, ledger, gateway, auditLog), reconciler,
                new CheckoutCallbackService(settings, transactions, invoices, payments, ledger), jsonBody, json,
                idempotency);
        return new Payments(ledger, orders == null ? InvoiceOrders.NONE : orders, reconciler, handler);
    }

    public PaymentLedger ledger() {
        return ledger;
    }

    /** What issuing runs after commit: the Razorpay order, or nothing while payments are disabled. */
    public InvoiceOrders orders() {
        return orders;
    }

    public PaymentHandler handler() {
        return handler;
    }

    /** One reconciliation pass with the configured threshold. */
    public PaymentReconciler.Result reconcile() {
        if (reconciler == null) {
            throw new PaymentsDisabledException();
        }
        return reconciler.runOnce();
    }

    public void start() {
        if (reconciler != null) {
            reconciler.start();
        }
    }

    @Override
    public void close() {
        if (reconciler != null) {
            reconciler.close();
        }
    }
}
