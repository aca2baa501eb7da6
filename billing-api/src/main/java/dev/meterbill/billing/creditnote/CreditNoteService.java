package dev.meterbill.billing.creditnote;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.delivery.EmailOutbox;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceBalances;
import dev.meterbill.billing.invoice.InvoiceNumbers;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.pricing.ChargeFieldChecks;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues credit notes (CGST Act section 34): operator only, against an issued invoice, numbered in their
 * own financial-year series, immutable from the start. Lines credit an amount or a quantity of an invoice
 * line, or the note credits what is left of the whole invoice; GST is reversed with the invoice's supply
 * type ({@link CreditNoteTax}). Notes never credit more than the invoice: checked here under the invoice
 * row lock, and again by the database. A note counts towards what covers the invoice: it may make it paid,
 * or leave the customer credit.
 */
public record CreditNoteService(Transactions transactions, InvoiceRepository invoices, CreditNoteRepository notes,
                                EmailOutbox emails, AuditLog auditLog, Clock clock) {

    static final String ENTITY_TYPE = "credit_note";
    private static final InvoiceNumbers NUMBERS = InvoiceNumbers.creditNotes();

    /** What to credit of one invoice line: an amount in major units, or a quantity at the line's unit price. */
    public record LineCredit(int line, BigDecimal amount, BigDecimal quantity) {}

    /** A credit note request: {@code whole}, or {@code lines}. */
    public record CreditCommand(CreditReason reason, String memo, boolean whole, List<LineCredit> lines) {}

    /** Refuses a caller who may not credit the invoice: 404 when it cannot see it, 403 otherwise. */
    public void authorise(Caller caller, UUID invoiceId) {
        if (!caller.isOperator()) {
            transactions.readOnly(c -> invoices.find(c, invoiceId, false).filter(i -> caller.mayAccess(i.organisationId())))
                    .orElseThrow(() -> NotFoundException.of("Invoice", invoiceId));
            throw new ForbiddenException("Only the operator can issue credit notes");
        }
    }

    public CreditNote issue(Caller caller, String requestId, UUID invoiceId, CreditCommand command) {
        authorise(caller, invoiceId);
        return transactions.inTransaction(c -> {
            Invoice invoice = invoices.find(c, invoiceId, true).orElseThrow(() -> NotFoundException.of("Invoice", invoiceId));
            requireCreditable(invoice);
            CreditNoteTax.Amounts invoiceAmounts = amounts(invoice);
            CreditNoteTax.Amounts before = notes.credited(c, invoiceId);
            long left = invoice.subtotalMinor() - before.subtotal();
            if (left <= 0) {
                throw new ConflictException("Invoice " + invoice.invoiceNumber() + " is already credited in full");
            }
            List<CreditNoteRepository.CreditableLine> lines = notes.lines(c, invoiceId);
            List<CreditNote.Line> credited = command.whole()
                    ? List.of(new CreditNote.Line(null, "Whole of invoice " + invoice.invoiceNumber(), null, left))
                    : creditedLines(invoice, lines, command.lines());
            long taxable = credited.stream().mapToLong(CreditNote.Line::amountMinor).sum();
            if (taxable > left) {
                throw new ConflictException("The lines credit " + Money.toMajor(taxable, invoice.currency())
                        + " but only " + Money.toMajor(left, invoice.currency()) + " " + invoice.currency()
                        + " of invoice " + invoice.invoiceNumber() + " is left to credit");
            }
            Map<Integer, Long> lineIds = new HashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                lineIds.put(i + 1, lines.get(i).id());
            }
            return record(c, invoice, CreditNoteTax.ofTaxable(invoiceAmounts, before, taxable), command.reason(),
                    command.memo(), credited, lineIds, caller.actor(), requestId);
        });
    }

    /**
     * Issues, on the caller's transaction (which holds the invoice row lock), the note a refund of
     * {@code grossMinor} needs: GST included, reason {@code refund}.
     */
    public CreditNote issueForRefund(Connection c, Invoice invoice, long grossMinor, String memo, String actor,
                                     String requestId) throws SQLException {
        requireCreditable(invoice);
        CreditNoteTax.Amounts before = notes.credited(c, invoice.id());
        if (before.total() + grossMinor > invoice.totalMinor()) {
            throw new ConflictException("A refund of " + Money.toMajor(grossMinor, invoice.currency()) + " "
                    + invoice.currency() + " needs a credit note, and only "
                    + Money.toMajor(invoice.totalMinor() - before.total(), invoice.currency())
                    + " of invoice " + invoice.invoiceNumber() + " is left to credit");
        }
        CreditNoteTax.Amounts amounts = CreditNoteTax.ofGross(amounts(invoice), before, grossMinor);
        List<CreditNote.Line> lines = List.of(new CreditNote.Line(null, "Refund of a payment of invoice "
                + invoice.invoiceNumber(), null, amounts.subtotal()));
        return record(c, invoice, amounts, CreditReason.REFUND, memo, amounts.subtotal() > 0 ? lines : List.of(),
                Map.of(), actor, requestId);
    }

    /**
     * A late-usage correction downwards ({@link dev.meterbill.billing.invoice.LateCorrections}): credits
     * {@code taxableMinor} of the organisation's issued invoice of {@code period}, at most what is left of it.
     */
    public void creditLateCorrection(Connection c, UUID organisationId, YearMonth period, long taxableMinor,
                                     String description, String actor, String requestId) throws SQLException {
        var invoiceId = invoices.findId(c, organisationId, period);
        if (invoiceId.isEmpty()) {
            return;
        }
        Invoice invoice = invoices.find(c, invoiceId.get(), true).orElseThrow();
        if (invoice.status() == InvoiceStatus.DRAFT || invoice.status() == InvoiceStatus.VOID) {
            return;
        }
        creditTaxable(c, invoice, taxableMinor, CreditReason.LATE_USAGE_CORRECTION, description, null, actor, requestId);
    }

    /**
     * A re-rating that prices an issued invoice's period lower: credits {@code taxableMinor} of it (GST reversed in
     * proportion), at most what is left to credit; empty when nothing is.
     */
    public Optional<CreditNote> creditRerating(Connection c, Invoice invoice, long taxableMinor, String description,
                                               String memo, String actor, String requestId) throws SQLException {
        return creditTaxable(c, invoice, taxableMinor, CreditReason.RERATING, description, memo, actor, requestId);
    }

    private Optional<CreditNote> creditTaxable(Connection c, Invoice invoice, long taxableMinor, CreditReason reason,
                                               String description, String memo, String actor, String requestId)
            throws SQLException {
        CreditNoteTax.Amounts before = notes.credited(c, invoice.id());
        long taxable = Math.min(taxableMinor, invoice.subtotalMinor() - before.subtotal());
        if (taxable <= 0) {
            return Optional.empty();
        }
        return Optional.of(record(c, invoice, CreditNoteTax.ofTaxable(amounts(invoice), before, taxable), reason, memo,
                List.of(new CreditNote.Line(null, description, null, taxable)), Map.of(), actor, requestId));
    }

    public CreditNote get(Caller caller, UUID id) {
        return transactions.readOnly(c -> notes.find(c, id)).filter(n -> caller.mayAccess(n.organisationId()))
                .orElseThrow(() -> NotFoundException.of("Credit note", id));
    }

    public List<CreditNote> forInvoice(Caller caller, UUID invoiceId) {
        return transactions.readOnly(c -> {
            invoices.find(c, invoiceId, false).filter(i -> caller.mayAccess(i.organisationId()))
                    .orElseThrow(() -> NotFoundException.of("Invoice", invoiceId));
            return notes.forInvoice(c, invoiceId);
        });
    }

    private CreditNote record(Connection c, Invoice invoice, CreditNoteTax.Amounts amounts, CreditReason reason,
                              String memo, List<CreditNote.Line> lines, Map<Integer, Long> lineIds, String actor,
                              String requestId) throws SQLException {
        UUID id = UUID.randomUUID();
        String number = NUMBERS.next(c, clock.instant());
        notes.insert(c, new CreditNote(id, invoice.id(), invoice.organisationId(), number, reason, memo,
                invoice.currency(), amounts.subtotal(), amounts.cgst(), amounts.sgst(), amounts.igst(), amounts.total(),
                clock.instant(), lines), lineIds);
        CreditNote issued = notes.find(c, id).orElseThrow();
        emails.enqueue(c, "credit_note", id, invoice.organisationId());
        auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), ENTITY_TYPE + ".issued", ENTITY_TYPE,
                id.toString(), null, CreditNoteView.of(issued), requestId));
        new InvoiceBalances(invoices, auditLog).settle(c, invoice.id(), actor, requestId);
        return issued;
    }

    private static void requireCreditable(Invoice invoice) {
        if (invoice.status() == InvoiceStatus.DRAFT || invoice.status() == InvoiceStatus.VOID) {
            throw new ConflictException("Invoice " + invoice.id() + " is " + invoice.status().wireName()
                    + ": only an issued invoice is credited (a draft is regenerated, a void one owes nothing)");
        }
    }

    private static CreditNoteTax.Amounts amounts(Invoice invoice) {
        return new CreditNoteTax.Amounts(invoice.subtotalMinor(), invoice.cgstMinor(), invoice.sgstMinor(),
                invoice.igstMinor());
    }

    /** The requested line credits, each checked against what is left of its line. */
    private static List<CreditNote.Line> creditedLines(Invoice invoice, List<CreditNoteRepository.CreditableLine> lines,
                                                       List<LineCredit> requested) {
        FieldErrors errors = new FieldErrors();
        List<CreditNote.Line> credited = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            LineCredit r = requested.get(i);
            String path = "lines[" + i + "]";
            if (r.line() < 1 || r.line() > lines.size()) {
                errors.add(path + ".line", "must be the number of a line of the invoice, 1 to " + lines.size());
                continue;
            }
            if (!seen.add(r.line())) {
                errors.add(path + ".line", "credits line " + r.line() + " a second time");
                continue;
            }
            CreditNoteRepository.CreditableLine line = lines.get(r.line() - 1);
            long left = line.amountMinor() - line.creditedMinor();
            long amount;
            BigDecimal quantity = null;
            if (r.quantity() != null) {
                BigDecimal quantityLeft = line.quantity().subtract(line.creditedQuantity());
                if (r.quantity().signum() <= 0 || r.quantity().compareTo(quantityLeft) > 0) {
                    errors.add(path + ".quantity", "must be more than 0 and at most the " + quantityLeft.toPlainString()
                            + " left to credit of line " + r.line());
                    continue;
                }
                quantity = r.quantity();
                amount = Money.roundToMinor(quantity.multiply(line.unitPrice()), invoice.currency());
            } else {
                int before = errors.size();
                amount = ChargeFieldChecks.money(errors, path + ".amount", r.amount(), invoice.currency());
                if (errors.size() > before) {
                    continue;
                }
            }
            if (amount <= 0 || amount > left) {
                errors.add(path + (r.quantity() != null ? ".quantity" : ".amount"), "credits "
                        + Money.toMajor(amount, invoice.currency()) + " but line " + r.line() + " has "
                        + Money.toMajor(Math.max(0, left), invoice.currency()) + " " + invoice.currency()
                        + " left to credit (it must be more than 0)");
                continue;
            }
            credited.add(new CreditNote.Line(r.line(), line.description(), quantity, amount));
        }
        errors.throwIfAny();
        return credited;
    }
}
