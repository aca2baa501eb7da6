package dev.meterbill.billing.payment;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.creditnote.CreditNoteService;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.invoice.InvoiceView;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one code path that records what Razorpay reports about payments and refunds, whether it came
 * by webhook, by the reconciliation's API calls, or (provisionally) by the checkout callback.
 *
 * <p>Every method runs on the caller's transaction and locks the invoice row first, then the
 * payment: concurrent deliveries of the same facts are serialised there, and the unique Razorpay
 * payment id makes a second insert impossible. Applying a fact twice changes nothing; a fact about
 * an earlier state never moves a payment back. Every change is audited on the same connection.
 *
 * <p>A report that would break the records' own rules (refunds beyond the capture, a payment under
 * another order) is refused with an {@link UnapplicableFactException} before the database would
 * refuse it; callers roll back what they applied of it.
 */
public record PaymentLedger(InvoiceRepository invoices, PaymentRepository payments, RefundRepository refunds,
                            CreditNoteService creditNotes, AuditLog auditLog, Clock clock) {

    /** What applying a fact did. */
    public enum Outcome {
        /** The payment or refund was recorded or moved forward. */
        CHANGED,
        /** Already known in this or a later state. */
        UNCHANGED,
        /** The order belongs to no invoice of this platform. */
        UNKNOWN_ORDER,
        /** The refund's payment is not recorded and the report did not carry it. */
        UNKNOWN_PAYMENT,
        /** A status this platform does not track. */
        IGNORED
    }

    /** The outcome, and whether this application marked the invoice paid. */
    public record Applied(Outcome outcome, boolean invoicePaid) {
        static final Applied UNCHANGED = new Applied(Outcome.UNCHANGED, false);
    }

    static final String PAYMENT = "payment";
    static final String REFUND = "refund";

    /** Records a payment as Razorpay reports it; a capture that matches the invoice marks it paid. */
    public Applied applyPayment(Connection c, ProviderPayment fact, String actor, String requestId) throws SQLException {
        PaymentStatus reported = PaymentStatus.fromRazorpay(fact.status());
        if (reported == null || fact.id() == null || fact.orderId() == null) {
            return new Applied(Outcome.IGNORED, false);
        }
        Optional<Invoice> invoice = invoices.findByOrderId(c, fact.orderId(), true);
        if (invoice.isEmpty()) {
            return new Applied(Outcome.UNKNOWN_ORDER, false);
        }
        Optional<StoredPayment> existing = payments.findByRazorpayId(c, fact.id(), true);
        StoredPayment after;
        if (existing.isEmpty()) {
            after = new StoredPayment(UUID.randomUUID(), invoice.get().id(), fact.orderId(), fact.id(),
                    fact.amountMinor(), fact.currency(), reported, 0, fact.method(),
                    reported == PaymentStatus.FAILED ? fact.errorDescription() : null, false, null, null, null,
                    reported == PaymentStatus.CAPTURED ? clock.instant() : null);
            payments.insert(c, after);
            auditLog.record(c, new AuditEntry(actor, invoice.get().organisationId(), PAYMENT + ".recorded", PAYMENT,
                    after.id().toString(), null, PaymentView.of(after, List.of()), requestId));
        } else {
            StoredPayment before = existing.get();
            if (!before.razorpayOrderId().equals(fact.orderId())) {
                throw new UnapplicableFactException("payment " + fact.id() + " is recorded for order "
                        + before.razorpayOrderId() + " but reported for order " + fact.orderId());
            }
            after = before.advancedBy(fact, clock.instant());
            if (after.sameStateAs(before)) {
                return Applied.UNCHANGED;
            }
            payments.update(c, after);
            auditLog.record(c, new AuditEntry(actor, invoice.get().organisationId(),
                    PAYMENT + "." + (after.status() != before.status() ? after.status().wireName() : "confirmed"),
                    PAYMENT, after.id().toString(), PaymentView.of(before, List.of()),
                    PaymentView.of(after, List.of()), requestId));
            if (before.status() == PaymentStatus.CAPTURED) {
                return new Applied(Outcome.CHANGED, false);
            }
        }
        boolean paid = after.status() == PaymentStatus.CAPTURED
                && new InvoiceSettlement(invoices, payments, auditLog).settle(c, invoice.get(), after, actor, requestId);
        return new Applied(Outcome.CHANGED, paid);
    }

    /**
     * Records that the checkout callback vouched for a payment of the order: authorized, provisional,
     * with the order's amount and currency until Razorpay's own report replaces them. Never settles
     * an invoice, and never touches a payment already known.
     */
    public Applied applyCheckout(Connection c, String orderId, String paymentId, String actor, String requestId)
            throws SQLException {
        Optional<Invoice> invoice = invoices.findByOrderId(c, orderId, true);
        if (invoice.isEmpty()) {
            return new Applied(Outcome.UNKNOWN_ORDER, false);
        }
        if (payments.findByRazorpayId(c, paymentId, true).isPresent()) {
            return Applied.UNCHANGED;
        }
        StoredPayment recorded = new StoredPayment(UUID.randomUUID(), invoice.get().id(), orderId, paymentId,
                invoice.get().totalMinor(), invoice.get().currency(), PaymentStatus.AUTHORIZED, 0, null, null, true,
                null, null, null, null);
        payments.insert(c, recorded);
        auditLog.record(c, new AuditEntry(actor, invoice.get().organisationId(), PAYMENT + ".recorded", PAYMENT,
                recorded.id().toString(), null, PaymentView.of(recorded, List.of()), requestId));
        return new Applied(Outcome.CHANGED, false);
    }

    /**
     * Records a refund as Razorpay reports it. The refund row is found by Razorpay's id, or by the
     * platform id in its notes (the answer to our request may come after the webhook), or is created
     * (a refund made in Razorpay's dashboard). The payment's refunded amount is then recomputed from
     * the processed refunds, so a repeated report can never count twice.
     *
     * @param paymentFact the payment the report carried, recorded first if the platform missed it; may be null
     */
    public Applied applyRefund(Connection c, ProviderRefund fact, ProviderPayment paymentFact, String actor,
                               String requestId) throws SQLException {
        RefundStatus reported = RefundStatus.fromRazorpay(fact.status());
        if (reported == null || fact.id() == null || fact.paymentId() == null) {
            return new Applied(Outcome.IGNORED, false);
        }
        Optional<StoredPayment> known = payments.findByRazorpayId(c, fact.paymentId(), false);
        if (known.isEmpty() && paymentFact != null && fact.paymentId().equals(paymentFact.id())) {
            applyPayment(c, paymentFact, actor, requestId);
            known = payments.findByRazorpayId(c, fact.paymentId(), false);
        }
        if (known.isEmpty()) {
            return new Applied(Outcome.UNKNOWN_PAYMENT, false);
        }
        Invoice invoice = invoices.find(c, known.get().invoiceId(), true).orElseThrow();
        StoredPayment payment = payments.find(c, known.get().id(), true).orElseThrow();
        Optional<StoredRefund> existing = refunds.findByRazorpayId(c, fact.id());
        StoredRefund current;
        if (existing.isEmpty() && fact.platformRefundId() != null) {
            existing = refunds.find(c, fact.platformRefundId())
                    .filter(r -> r.paymentId().equals(payment.id()) && r.razorpayRefundId() == null);
        }
        boolean changed;
        if (existing.isEmpty()) {
            StoredRefund created = new StoredRefund(UUID.randomUUID(), payment.id(), fact.id(), fact.amountMinor(),
                    fact.currency(), reported, null, null, null, null, null, null);
            refunds.insert(c, created);
            current = created;
            auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), REFUND + ".recorded", REFUND,
                    created.id().toString(), null, RefundView.of(created, payment), requestId));
            changed = true;
        } else {
            StoredRefund before = existing.get();
            StoredRefund after = before.advancedBy(fact);
            current = after;
            changed = !after.sameStateAs(before);
            if (changed) {
                refunds.update(c, after);
                auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), REFUND + "." + after.status().wireName(),
                        REFUND, after.id().toString(), RefundView.of(before, payment), RefundView.of(after, payment),
                        requestId));
            }
        }
        changed |= recomputeRefunded(c, invoice, payment, current, actor, requestId);
        return changed ? new Applied(Outcome.CHANGED, false) : Applied.UNCHANGED;
    }

    /** Marks a refund Razorpay refused, or never received, as failed; it then holds no money back. */
    public void failRefund(Connection c, StoredRefund refund, String why, String actor, String requestId)
            throws SQLException {
        StoredPayment payment = payments.find(c, refund.paymentId(), false).orElseThrow();
        Invoice invoice = invoices.find(c, payment.invoiceId(), true).orElseThrow();
        StoredRefund before = refunds.find(c, refund.id()).orElseThrow();
        if (before.status() != RefundStatus.PENDING) {
            return;
        }
        StoredRefund after = before.failed(why);
        refunds.update(c, after);
        auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), REFUND + ".failed", REFUND,
                after.id().toString(), RefundView.of(before, payment), RefundView.of(after, payment), requestId));
    }

    /**
     * Sets the payment's refunded amount from its processed refunds. Money refunded beyond the organisation's
     * customer credit reduces what was supplied, which under GST is a credit note: issued here for that part
     * (reason refund, GST reversed), once Razorpay processed the refund, so a refused refund leaves none.
     */
    private boolean recomputeRefunded(Connection c, Invoice invoice, StoredPayment payment, StoredRefund refund,
                                      String actor, String requestId) throws SQLException {
        long processed = refunds.processedMinor(c, payment.id());
        if (processed == payment.refundedMinor()) {
            return false;
        }
        if (processed > payment.amountMinor()) {
            // the payment's own constraint (refunded <= amount) would refuse it; say why instead
            throw new UnapplicableFactException("refunds of payment " + payment.razorpayPaymentId() + " would total "
                    + processed + " minor units, more than its " + payment.amountMinor() + " captured");
        }
        long refunded = processed - payment.refundedMinor();
        long shortfall = 0;
        if (refunded > 0 && payment.currency().equals(invoice.currency())) {
            invoices.lockCredit(c, invoice.organisationId());
            shortfall = refunded - Math.max(0, invoices.availableCredit(c, invoice.organisationId()));
        }
        StoredPayment after = payment.withRefunded(processed);
        payments.update(c, after);
        auditLog.record(c, new AuditEntry(actor, invoice.organisationId(), PAYMENT + ".refunded", PAYMENT,
                payment.id().toString(), PaymentView.of(payment, List.of()),
                PaymentView.of(after, List.of()), requestId));
        long creditable = invoice.totalMinor() - invoice.balance().creditedMinor();
        long credited = Math.min(shortfall, creditable);
        if (credited > 0 && invoice.status() != InvoiceStatus.VOID) {
            var note = creditNotes.issueForRefund(c, invoice, credited, "Razorpay refund " + refund.razorpayRefundId(),
                    actor, requestId);
            refunds.linkCreditNote(c, refund.id(), note.id());
        }
        return true;
    }

    /** For audit states of the invoice a payment settled. */
    static InvoiceView view(Invoice invoice) {
        return InvoiceView.of(invoice.withoutLines(), false);
    }
}
