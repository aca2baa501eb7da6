package dev.meterbill.billing.payment;

import dev.meterbill.billing.invoice.Invoice;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The payment side of an invoice: its Razorpay order, what was paid and refunded, and every payment
 * with its refunds.
 *
 * @param amountPaid     captured payments that settled the invoice (mismatched ones are listed, not counted)
 * @param amountRefunded refunds processed on any of its payments
 */
public record InvoicePayments(UUID invoiceId, String invoiceNumber, String status, String currency, BigDecimal total,
                              long totalMinor, String razorpayOrderId, BigDecimal amountPaid, long amountPaidMinor,
                              BigDecimal amountRefunded, long amountRefundedMinor, List<PaymentView> payments) {

    static InvoicePayments of(Invoice invoice, List<PaymentView> payments) {
        long paid = payments.stream()
                .filter(p -> p.status().equals(PaymentStatus.CAPTURED.wireName()) && p.mismatchReason() == null)
                .mapToLong(PaymentView::amountMinor).sum();
        long refunded = payments.stream().mapToLong(PaymentView::refundedMinor).sum();
        String c = invoice.currency();
        return new InvoicePayments(invoice.id(), invoice.invoiceNumber(), invoice.status().wireName(), c,
                PaymentView.major(invoice.totalMinor(), c), invoice.totalMinor(), invoice.razorpayOrderId(),
                PaymentView.major(paid, c), paid, PaymentView.major(refunded, c), refunded, List.copyOf(payments));
    }
}
