package dev.meterbill.billing.payment;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.pricing.Money;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what a captured payment does to its invoice: exactly the invoice's total in its currency
 * marks an unpaid invoice paid; anything else (another amount or currency, an invoice already paid or
 * void) is recorded on the payment as a mismatch and audited, and the invoice stays as it was.
 * Orders are created without partial payments, so one captured payment settles one invoice.
 */
record InvoiceSettlement(InvoiceRepository invoices, PaymentRepository payments, AuditLog auditLog) {

    /** Why the captured payment cannot settle the invoice, or null when it settles it. */
    static String mismatch(Invoice invoice, StoredPayment payment) {
        if (!payment.currency().equals(invoice.currency())) {
            return "paid in " + payment.currency() + ", the invoice is in " + invoice.currency();
        }
        if (invoice.status() == InvoiceStatus.PAID) {
            return "the invoice was already paid";
        }
        if (!PaymentLedger.settles(invoice.status())) {
            return "the invoice is " + invoice.status().wireName();
        }
        if (payment.amountMinor() != invoice.totalMinor()) {
            return "captured " + payment.amountMinor() + " minor units, the invoice total is " + invoice.totalMinor();
        }
        return null;
    }

    /** Applies the decision on the caller's transaction; returns true when the invoice became paid. */
    boolean settle(Connection c, Invoice invoice, StoredPayment payment, String actor, String requestId)
            throws SQLException {
        String reason = mismatch(invoice, payment);
        if (reason == null) {
            invoices.markPaid(c, invoice.id());
            Invoice paid = invoices.find(c, invoice.id(), false).orElseThrow();
            auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), "invoice.paid", "invoice",
                    invoice.id().toString(), PaymentLedger.view(invoice), PaymentLedger.view(paid), requestId));
            return true;
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
