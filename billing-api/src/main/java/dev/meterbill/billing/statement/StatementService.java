package dev.meterbill.billing.statement;

import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.creditnote.CreditNoteRepository;
import dev.meterbill.billing.creditnote.CreditNoteView;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.invoice.InvoiceView;
import dev.meterbill.billing.pricing.Money;
import java.util.List;
import java.util.UUID;

/** Builds an organisation's statement in one read-only transaction; the organisation or the operator reads it. */
public record StatementService(Transactions transactions, InvoiceRepository invoices, CreditNoteRepository creditNotes) {

    /** The most invoices a statement lists: ten years of monthly invoices, and then some. */
    static final int MAX_INVOICES = 1000;

    public Statement of(Caller caller, UUID organisationId) {
        if (!caller.mayAccess(organisationId)) {
            throw NotFoundException.of("Organisation", organisationId);
        }
        return transactions.readOnly(c -> {
            String[] organisation = Sql.one(c, "SELECT name, currency FROM organisations WHERE id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, organisationId)
                    .orElseThrow(() -> NotFoundException.of("Organisation", organisationId));
            String currency = organisation[1];
            List<Invoice> issued = invoices.list(c, organisationId, null, null, MAX_INVOICES, 0).stream()
                    .filter(i -> i.status() != InvoiceStatus.DRAFT).toList();
            List<Statement.Payment> payments = Sql.list(c, """
                    SELECT i.invoice_number, p.razorpay_payment_id, p.currency, p.amount_minor, p.refunded_minor,
                           p.method, p.captured_at
                      FROM payments p JOIN invoices i ON i.id = p.invoice_id
                     WHERE i.organisation_id = ? AND p.status = 'captured'
                     ORDER BY p.captured_at, p.razorpay_payment_id
                    """, rs -> new Statement.Payment(rs.getString(1), rs.getString(2), rs.getString(3),
                    Money.toMajor(rs.getLong(4), rs.getString(3)), Money.toMajor(rs.getLong(5), rs.getString(3)),
                    rs.getString(6), Sql.instant(rs, 7)), organisationId);
            List<Statement.Tds> tds = Sql.list(c, """
                    SELECT i.invoice_number, t.section, t.amount_minor, t.certificate_ref, t.recorded_at
                      FROM invoice_tds t JOIN invoices i ON i.id = t.invoice_id
                     WHERE i.organisation_id = ? ORDER BY t.recorded_at, t.id
                    """, rs -> new Statement.Tds(rs.getString(1), rs.getString(2), Money.toMajor(rs.getLong(3), currency),
                    rs.getString(4), Sql.instant(rs, 5)), organisationId);
            long credit = invoices.availableCredit(c, organisationId);
            List<Invoice> counted = issued.stream().filter(i -> i.status() != InvoiceStatus.VOID).toList();
            return new Statement(organisationId, organisation[0], currency,
                    issued.stream().map(i -> InvoiceView.of(i, false)).toList(),
                    creditNotes.forOrganisation(c, organisationId).stream().map(CreditNoteView::of).toList(),
                    payments, tds,
                    Money.toMajor(counted.stream().mapToLong(Invoice::totalMinor).sum(), currency),
                    Money.toMajor(issued.stream().mapToLong(i -> i.balance().paidMinor()).sum(), currency),
                    Money.toMajor(counted.stream().mapToLong(i -> i.balance().tdsMinor()).sum(), currency),
                    Money.toMajor(counted.stream().mapToLong(i -> i.balance().creditedMinor()).sum(), currency),
                    Money.toMajor(counted.stream().mapToLong(Invoice::dueMinor).sum(), currency),
                    Money.toMajor(credit, currency), credit);
        });
    }
}
