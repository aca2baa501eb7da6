package dev.meterbill.billing.invoice;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.pricing.Money;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Moves an invoice's status with what covers it (payments, TDS, credit notes, customer credit) and spends
 * customer credit on new invoices. Runs on the caller's transaction, which holds the invoice row lock.
 */
public record InvoiceBalances(InvoiceRepository invoices, AuditLog auditLog) {

    /**
     * Marks the invoice paid once covered, or partially paid once anything covers it, and audits the move.
     *
     * @return the invoice as stored afterwards
     */
    public Invoice settle(Connection c, UUID invoiceId, String actor, String requestId) throws SQLException {
        Invoice before = invoices.find(c, invoiceId, true).orElseThrow();
        InvoiceStatus next = before.balance().settledStatus(before.status(), before.totalMinor());
        if (next == before.status()) {
            return before;
        }
        if (next == InvoiceStatus.PAID) {
            invoices.markPaid(c, invoiceId);
        } else {
            invoices.markPartiallyPaid(c, invoiceId);
        }
        Invoice after = invoices.find(c, invoiceId, false).orElseThrow();
        auditLog.record(c, new AuditEntry(actor, before.organisationId(), "invoice." + next.wireName(), "invoice",
                invoiceId.toString(), InvoiceView.of(before.withoutLines(), false),
                InvoiceView.of(after.withoutLines(), false), requestId));
        return after;
    }

    /**
     * Applies the organisation's customer credit (an earlier overpayment) to a newly issued invoice, up to
     * its total, then settles it.
     */
    public Invoice applyCredit(Connection c, Invoice invoice, String actor, String requestId) throws SQLException {
        invoices.lockCredit(c, invoice.organisationId());
        long applied = Math.min(invoices.availableCredit(c, invoice.organisationId()), invoice.dueMinor());
        if (applied <= 0) {
            return invoice;
        }
        invoices.applyCredit(c, invoice.organisationId(), invoice.id(), applied);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("invoiceId", invoice.id());
        after.put("amount", Money.toMajor(applied, invoice.currency()));
        after.put("currency", invoice.currency());
        auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), "invoice.credit_applied", "invoice",
                invoice.id().toString(), null, after, requestId));
        return settle(c, invoice.id(), actor, requestId);
    }
}
