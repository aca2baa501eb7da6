package dev.meterbill.billing.payment;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceOrders;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an issued invoice its order at the payment provider (a Razorpay order), exactly once, through
 * crashes and timeouts; while payments are disabled the invoice stays without one.
 *
 * <p>The protocol (docs/billing.md, "Payments"): the invoice is issued and committed first, so its
 * number, the order's receipt, is durable. Then, holding the invoice row lock in a short transaction
 * of its own (so two retries cannot both create), this looks for an order with that receipt whose
 * notes name this invoice and which asks for its total; only when none exists does it create one.
 * The order id is stored in the same transaction. A crash or timeout anywhere leaves either no order
 * (the retry creates it) or an order the retry finds by its receipt (and adopts): never two.
 */
public record OrderService(Transactions transactions, InvoiceRepository invoices, PaymentProvider provider,
                           AuditLog auditLog) implements InvoiceOrders {

    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);

    /** Razorpay's smallest order (INR 1.00); a smaller invoice gets no order. */
    public static final long MIN_ORDER_MINOR = 100;
    static final String INVOICE_ID_NOTE = "invoiceId";
    static final String ORGANISATION_ID_NOTE = "organisationId";

    @Override
    public Invoice ensureOrder(Invoice invoice, String actor, String requestId) {
        if (!provider.enabled() || !needsOrder(invoice)) {
            return invoice;
        }
        return transactions.inOwnTransaction(c -> {
            Invoice locked = invoices.find(c, invoice.id(), true).orElseThrow();
            if (!needsOrder(locked)) {
                return locked;
            }
            Optional<ProviderOrder> earlier = provider.ordersWithReceipt(locked.invoiceNumber()).stream()
                    .filter(order -> belongsTo(order, locked)).findFirst();
            ProviderOrder order = earlier.orElseGet(() -> provider.createOrder(locked.orderAmountMinor(), locked.currency(),
                    locked.invoiceNumber(), notes(locked)));
            invoices.attachOrder(c, locked.id(), order.id());
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("razorpayOrderId", order.id());
            after.put("receipt", order.receipt());
            after.put("amountMinor", order.amountMinor());
            after.put("currency", order.currency());
            after.put("adopted", earlier.isPresent());
            auditLog.record(c, new AuditEntry(actor, locked.organisationId(), "invoice.order_attached", "invoice",
                    locked.id().toString(), null, after, requestId));
            if (earlier.isPresent()) {
                LOG.info("Invoice {} adopted Razorpay order {} created by an earlier attempt", locked.invoiceNumber(),
                        order.id());
            }
            return invoices.find(c, locked.id(), false).orElseThrow();
        });
    }

    /**
     * Issued (or partly covered by customer credit when issued), without an order yet, and asking at least
     * Razorpay's minimum amount.
     */
    static boolean needsOrder(Invoice invoice) {
        return (invoice.status() == InvoiceStatus.ISSUED || invoice.status() == InvoiceStatus.PARTIALLY_PAID)
                && invoice.razorpayOrderId() == null && invoice.orderAmountMinor() >= MIN_ORDER_MINOR;
    }

    /**
     * An order found by receipt is this invoice's only if its notes name it and it asks for its total (less
     * the customer credit applied at issue).
     */
    static boolean belongsTo(ProviderOrder order, Invoice invoice) {
        return invoice.id().toString().equals(order.notes().get(INVOICE_ID_NOTE))
                && order.amountMinor() == invoice.orderAmountMinor() && invoice.currency().equals(order.currency());
    }

    private static Map<String, String> notes(Invoice invoice) {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put(INVOICE_ID_NOTE, invoice.id().toString());
        notes.put(ORGANISATION_ID_NOTE, invoice.organisationId().toString());
        return notes;
    }
}
