package dev.meterbill.billing.payment;

import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads the payments and refunds of an invoice within the caller's tenancy. */
public record PaymentQueries(Transactions transactions, InvoiceRepository invoices, PaymentRepository payments,
                             RefundRepository refunds) {

    /** The invoice's payments with their refunds; another tenant's invoice is not found. */
    public InvoicePayments forInvoice(Caller caller, UUID invoiceId) {
        return transactions.readOnly(c -> {
            Invoice invoice = invoices.find(c, invoiceId, false).filter(i -> caller.mayAccess(i.organisationId()))
                    .orElseThrow(() -> NotFoundException.of("Invoice", invoiceId));
            List<StoredPayment> stored = payments.forInvoice(c, invoiceId);
            Map<UUID, List<StoredRefund>> byPayment = refunds.forInvoice(c, invoiceId).stream()
                    .collect(Collectors.groupingBy(StoredRefund::paymentId));
            List<PaymentView> views = new ArrayList<>();
            for (StoredPayment payment : stored) {
                views.add(PaymentView.of(payment, byPayment.getOrDefault(payment.id(), List.of()).stream()
                        .map(r -> RefundView.of(r, payment)).toList()));
            }
            return InvoicePayments.of(invoice, views);
        });
    }
}
