package dev.meterbill.billing.payment;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceBalances;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.pricing.Money;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what a captured payment does to its invoice. A payment in the invoice's currency always counts:
 * the invoice becomes partially paid, or paid once payments, TDS, credit notes and applied credit cover
 * its total; what covers more than the total (a second payment, a payment of a void invoice) is the
 * customer's credit, audited as such and applied to its next invoices. Only money in another currency
 * is a mismatch: recorded on the payment and audited, the invoice stays as it was.
 */
record InvoiceSettlement(InvoiceRepository invoices, PaymentRepository payments, AuditLog auditLog) {

    /** Why the captured payment cannot count towards the invoice, or null when it counts. */
    static String mismatch(Invoice invoice, StoredPayment payment) {
        if (!payment.currency().equals(invoice.currency())) {
            return "paid in " + payment.currency() + ", the invoice is in " + invoice.currency();
        }
        return null;
    }

    /** Applies the decision on the caller's transaction; returns true when the invoice became paid. */
    boolean settle(Connection c, Invoice invoice, StoredPayment payment, String actor, String requestId)
            throws SQLException {
        String reason = mismatch(invoice, payment);
        if (reason == null) {
            Invoice after = new InvoiceBalances(invoices, auditLog).settle(c, invoice.id(), actor, requestId);
            long excess = after.excessMinor();
            if (excess > 0) {
                Map<String, Object> credit = new LinkedHashMap<>();
                credit.put("invoiceId", invoice.id());
                credit.put("invoiceStatus", after.status().wireName());
                credit.put("excess", Money.toMajor(excess, invoice.currency()));
                credit.put("currency", invoice.currency());
                auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), PaymentLedger.PAYMENT + ".credited",
                        PaymentLedger.PAYMENT, payment.id().toString(), null, credit, requestId));
            }
            return after.status() == InvoiceStatus.PAID && invoice.status() != InvoiceStatus.PAID;
        }
        StoredPayment flagged = payment.withMismatch(reason);
        payments.update(c, flagged);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("payment", PaymentView.of(flagged, List.of()));
        after.put("invoiceId", invoice.id());
        after.put("invoiceStatus", invoice.status().wireName());
        after.put("invoiceCurrency", invoice.currency());
        after.put("invoiceTotal", Money.toMajor(invoice.totalMinor(), invoice.currency()));
        auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), PaymentLedger.PAYMENT + ".mismatch",
                PaymentLedger.PAYMENT, payment.id().toString(), PaymentView.of(payment, List.of()), after, requestId));
        return false;
    }
}
