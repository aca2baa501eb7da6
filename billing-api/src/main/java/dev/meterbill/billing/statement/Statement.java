package dev.meterbill.billing.statement;

import dev.meterbill.billing.creditnote.CreditNoteView;
import dev.meterbill.billing.invoice.InvoiceView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An organisation's account: its invoices with what covers each, its credit notes, payments and TDS, what
 * it still owes and its customer credit. Amounts in major units of its currency.
 *
 * @param balanceDue     what all its issued invoices still have due
 * @param customerCredit what it paid beyond its invoices and has not been applied or refunded
 */
public record Statement(UUID organisationId, String name, String currency, List<InvoiceView> invoices,
                        List<CreditNoteView> creditNotes, List<Payment> payments, List<Tds> tds,
                        BigDecimal invoicedTotal, BigDecimal paidTotal, BigDecimal tdsTotal, BigDecimal creditedTotal,
                        BigDecimal balanceDue, BigDecimal customerCredit, long customerCreditMinor) {

    /** A captured payment, net of its refunds in {@code refunded}. */
    public record Payment(String invoiceNumber, String razorpayPaymentId, String currency, BigDecimal amount,
                          BigDecimal refunded, String method, Instant capturedAt) {}

    /** A TDS record. */
    public record Tds(String invoiceNumber, String section, BigDecimal amount, String certificateRef,
                      Instant recordedAt) {}
}
