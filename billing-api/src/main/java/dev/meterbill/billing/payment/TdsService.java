package dev.meterbill.billing.payment;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceBalances;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.pricing.ChargeFieldChecks;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Records the TDS a customer deducted from an invoice ({@link TdsRules}); operator only. */
public record TdsService(Transactions transactions, InvoiceRepository invoices, AuditLog auditLog) {

    static final String ENTITY_TYPE = "invoice_tds";

    /** What the operator records: a rate of the taxable value or an amount in minor units, not both. */
    public record TdsCommand(String section, BigDecimal ratePercent, BigDecimal amount, String certificateRef) {}

    /** A TDS record as the API shows it. */
    public record TdsView(UUID id, UUID invoiceId, String section, BigDecimal ratePercent, String currency,
                          BigDecimal amount, long amountMinor, String certificateRef, Instant recordedAt) {}

    /** The invoice's TDS records and the invoice's status after the last one. */
    public record TdsList(UUID invoiceId, String invoiceStatus, List<TdsView> tds) {}

    public void authorise(Caller caller, UUID invoiceId) {
        if (!caller.isOperator()) {
            visible(caller, invoiceId);
            throw new ForbiddenException("Only the operator can record TDS");
        }
    }

    public TdsList record(Caller caller, String requestId, UUID invoiceId, TdsCommand command) {
        authorise(caller, invoiceId);
        return transactions.inTransaction(c -> {
            Invoice invoice = invoices.find(c, invoiceId, true).orElseThrow(() -> NotFoundException.of("Invoice", invoiceId));
            if (invoice.status() != InvoiceStatus.ISSUED && invoice.status() != InvoiceStatus.PARTIALLY_PAID
                    && invoice.status() != InvoiceStatus.UNCOLLECTIBLE) {
                throw new ConflictException("Invoice " + invoiceId + " is " + invoice.status().wireName()
                        + ": TDS is recorded on an issued invoice with something still due");
            }
            long amount;
            if (command.amount() != null) {
                FieldErrors errors = new FieldErrors();
                amount = ChargeFieldChecks.money(errors, "amount", command.amount(), invoice.currency());
                errors.throwIfAny();
            } else {
                amount = TdsRules.amountAt(invoice.subtotalMinor(), command.ratePercent());
            }
            String refusal = TdsRules.refusal(invoice.subtotalMinor(), invoice.balance().tdsMinor(), invoice.dueMinor(),
                    amount);
            if (refusal != null) {
                throw ValidationException.ofField(command.amount() != null ? "amount" : "ratePercent",
                        "TDS of " + Money.toMajor(amount, invoice.currency()) + " " + invoice.currency() + " " + refusal);
            }
            UUID id = UUID.randomUUID();
            Sql.update(c, """
                    INSERT INTO invoice_tds (id, invoice_id, section, rate_percent, amount_minor, certificate_ref)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, id, invoiceId, command.section(), command.ratePercent(), amount, command.certificateRef());
            TdsView recorded = list(c, invoiceId).stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
            auditLog.record(c, new AuditEntry(caller.actor(), invoice.organisationId(), "invoice.tds_recorded",
                    ENTITY_TYPE, id.toString(), null, recorded, requestId));
            Invoice after = new InvoiceBalances(invoices, auditLog).settle(c, invoiceId, caller.actor(), requestId);
            return new TdsList(invoiceId, after.status().wireName(), list(c, invoiceId));
        });
    }

    public TdsList forInvoice(Caller caller, UUID invoiceId) {
        Invoice invoice = visible(caller, invoiceId);
        return new TdsList(invoiceId, invoice.status().wireName(), transactions.readOnly(c -> list(c, invoiceId)));
    }

    private Invoice visible(Caller caller, UUID invoiceId) {
        return transactions.readOnly(c -> invoices.find(c, invoiceId, false))
                .filter(i -> caller.mayAccess(i.organisationId()))
                .orElseThrow(() -> NotFoundException.of("Invoice", invoiceId));
    }

    private static List<TdsView> list(Connection c, UUID invoiceId) throws SQLException {
        return Sql.list(c, """
                SELECT t.id, t.section, t.rate_percent, i.currency, t.amount_minor, t.certificate_ref, t.recorded_at
                  FROM invoice_tds t JOIN invoices i ON i.id = t.invoice_id
                 WHERE t.invoice_id = ? ORDER BY t.recorded_at, t.id
                """, rs -> new TdsView(rs.getObject(1, UUID.class), invoiceId, rs.getString(2),
                rs.getBigDecimal(3) == null ? null : rs.getBigDecimal(3).stripTrailingZeros(), rs.getString(4),
                Money.toMajor(rs.getLong(5), rs.getString(4)), rs.getLong(5), rs.getString(6),
                Sql.instant(rs, 7)), invoiceId);
    }
}
