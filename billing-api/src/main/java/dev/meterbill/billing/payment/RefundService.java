package dev.meterbill.billing.payment;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.creditnote.CreditNoteRepository;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.error.PaymentProviderException;
import dev.meterbill.billing.error.PaymentsDisabledException;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.events.Decimals;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds a captured payment of an invoice through Razorpay, never beyond what was captured.
 *
 * <p>The refund row is written first (pending, holding its amount against the payment) in a committed
 * transaction under the invoice lock, so concurrent requests can never together exceed the capture.
 * Then Razorpay is asked, with the row's id in the refund's notes and receipt; its answer, or the
 * refund webhook that may overtake it, is applied through the {@link PaymentLedger}. A refusal marks
 * the row failed; a timeout leaves it pending for the reconciliation to look up. The credit note a refund
 * needs is issued when Razorpay processes it ({@link PaymentLedger}); the request may name one issued before.
 */
public record RefundService(Transactions transactions, InvoiceRepository invoices, PaymentRepository payments,
                            RefundRepository refunds, CreditNoteRepository creditNotes, PaymentLedger ledger,
                            PaymentProvider provider, AuditLog auditLog) {

    private static final Logger LOG = LoggerFactory.getLogger(RefundService.class);

    /**
     * What the operator asked for: an amount in minor units or in major units of the payment's currency
     * (at most one; neither refunds everything still refundable), and the request's retry identity.
     */
    public record RefundCommand(Long amountMinor, BigDecimal amount, String reason, String razorpayPaymentId,
                                UUID creditNoteId, String requestKey) {}

    /** Major units below 10^15: the amount in minor units then always fits a long. */
    static final int MAX_AMOUNT_INTEGER_DIGITS = 15;

    private record Reservation(StoredRefund refund, StoredPayment payment, Invoice invoice, boolean existing) {}

    /**
     * Refuses a caller who may not refund the invoice's payments: 404 when it cannot see the invoice, 403
     * otherwise. The handler calls it before reading the body.
     */
    public void authorise(Caller caller, UUID invoiceId) {
        if (caller.isOperator()) {
            return;
        }
        transactions.readOnly(c -> invoices.find(c, invoiceId, false).filter(i -> caller.mayAccess(i.organisationId())))
                .orElseThrow(() -> NotFoundException.of("Invoice", invoiceId));
        throw new ForbiddenException("Only the operator can refund payments");
    }

    public RefundView refund(Caller caller, String requestId, UUID invoiceId, RefundCommand command) {
        Reservation reservation = transactions.inOwnTransaction(c -> reserve(c, caller, requestId, invoiceId, command));
        StoredRefund refund = reservation.refund();
        if (!reservation.existing()) {
            try {
                ProviderRefund answer = provider.refund(reservation.payment().razorpayPaymentId(), refund.amountMinor(),
                        Map.of(ProviderRefund.REFUND_ID_NOTE, refund.id().toString(),
                                OrderService.INVOICE_ID_NOTE, invoiceId.toString()),
                        refund.id().toString());
                transactions.inOwnTransaction(c -> ledger.applyRefund(c, answer, null, caller.actor(), requestId));
            } catch (UnapplicableFactException e) {
                // Razorpay acted, but its answer cannot be recorded as it is: pending, for the reconciliation
                LOG.error("Refund {} of invoice {}: Razorpay's answer cannot be applied, left pending: {}", refund.id(),
                        invoiceId, e.getMessage());
            } catch (PaymentProviderException e) {
                if (e.outcomeUnknown()) {
                    LOG.warn("Refund {} of invoice {}: outcome unknown, left pending for the reconciliation: {}",
                            refund.id(), invoiceId, e.getMessage());
                } else {
                    transactions.inOwnTransaction(c -> {
                        ledger.failRefund(c, refund, e.getMessage(), caller.actor(), requestId);
                        return null;
                    });
                    throw e;
                }
            }
        }
        return transactions.readOnly(c -> RefundView.of(refunds.find(c, refund.id()).orElseThrow(),
                payments.find(c, refund.paymentId(), false).orElseThrow()));
    }

    private Reservation reserve(Connection c, Caller caller, String requestId, UUID invoiceId, RefundCommand command)
            throws SQLException {
        Invoice invoice = invoices.find(c, invoiceId, true).filter(i -> caller.mayAccess(i.organisationId()))
                .orElseThrow(() -> NotFoundException.of("Invoice", invoiceId));
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator can refund payments");
        }
        if (!provider.enabled()) {
            throw new PaymentsDisabledException();
        }
        if (command.requestKey() != null) {
            var earlier = refunds.findByRequestKey(c, command.requestKey());
            if (earlier.isPresent()) {
                // the same request retried after its answer was lost: its refund, not a second one
                StoredPayment payment = payments.find(c, earlier.get().paymentId(), false).orElseThrow();
                return new Reservation(earlier.get(), payment, invoice, true);
            }
        }
        StoredPayment payment = choosePayment(c, invoice, command.razorpayPaymentId());
        payment = payments.find(c, payment.id(), true).orElseThrow();
        long refundable = payment.amountMinor() - refunds.committedMinor(c, payment.id());
        if (refundable <= 0) {
            throw new ConflictException("Payment " + payment.razorpayPaymentId()
                    + " is already refunded in full (or refunds of it are pending)");
        }
        long amount = amountOf(command, payment.currency(), refundable);
        if (amount <= 0) {
            throw ValidationException.ofField("amount", "must be more than zero");
        }
        if (amount > refundable) {
            throw ValidationException.ofField("amount", "exceeds what is still refundable of payment "
                    + payment.razorpayPaymentId() + ": " + PaymentView.major(refundable, payment.currency()) + " "
                    + payment.currency());
        }
        if (command.creditNoteId() != null && creditNotes.find(c, command.creditNoteId())
                .filter(n -> n.invoiceId().equals(invoiceId)).isEmpty()) {
            throw ValidationException.ofField("creditNoteId", "is not a credit note of invoice " + invoiceId);
        }
        StoredRefund refund = new StoredRefund(UUID.randomUUID(), payment.id(), null, amount, payment.currency(),
                RefundStatus.PENDING, command.reason(), null, command.requestKey(), command.creditNoteId(), null, null);
        refunds.insert(c, refund);
        StoredRefund stored = refunds.find(c, refund.id()).orElseThrow();
        auditLog.record(c, new AuditEntry(caller.actor(), invoice.organisationId(), PaymentLedger.REFUND + ".requested",
                PaymentLedger.REFUND, refund.id().toString(), null, RefundView.of(stored, payment), requestId));
        return new Reservation(stored, payment, invoice, false);
    }

    private static long amountOf(RefundCommand command, String currency, long refundable) {
        if (command.amountMinor() != null) {
            return command.amountMinor();
        }
        if (command.amount() == null) {
            return refundable;
        }
        // bounds first: the amount is rescaled below, which must never cost more than its size
        String violation = Decimals.violation(command.amount(), Money.minorDigits(currency), MAX_AMOUNT_INTEGER_DIGITS);
        if (violation != null) {
            throw ValidationException.ofField("amount", violation);
        }
        try {
            return Money.toMinorExact(command.amount(), currency);
        } catch (ArithmeticException e) {
            throw ValidationException.ofField("amount", "must be whole minor units of " + currency);
        }
    }

    /** The named payment, or the invoice's only captured payment with something left to refund. */
    private StoredPayment choosePayment(Connection c, Invoice invoice, String razorpayPaymentId) throws SQLException {
        List<StoredPayment> captured = payments.forInvoice(c, invoice.id()).stream()
                .filter(p -> p.status() == PaymentStatus.CAPTURED).toList();
        if (razorpayPaymentId != null) {
            return captured.stream().filter(p -> p.razorpayPaymentId().equals(razorpayPaymentId)).findFirst()
                    .orElseThrow(() -> ValidationException.ofField("paymentId",
                            "is not a captured payment of invoice " + invoice.id()));
        }
        if (captured.isEmpty()) {
            throw new ConflictException("Invoice " + invoice.id() + " has no captured payment to refund");
        }
        List<StoredPayment> refundable = captured.stream().filter(p -> p.refundedMinor() < p.amountMinor()).toList();
        if (refundable.size() > 1) {
            throw ValidationException.ofField("paymentId", "the invoice has several captured payments; name the"
                    + " Razorpay payment to refund");
        }
        return refundable.isEmpty() ? captured.get(0) : refundable.get(0);
    }
}
