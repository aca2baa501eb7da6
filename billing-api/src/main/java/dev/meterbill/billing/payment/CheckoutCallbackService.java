package dev.meterbill.billing.payment;

import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.InvalidSignatureException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.error.PaymentsDisabledException;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceRepository;
import dev.meterbill.events.TextRules;
import java.util.UUID;

/**
 * The checkout callback: Razorpay Checkout hands the customer's browser {@code razorpay_order_id},
 * {@code razorpay_payment_id} and {@code razorpay_signature}, which are posted here. The signature,
 * which the {@link PaymentProvider} checks (HMAC-SHA256 of {@code order_id|payment_id} under the key
 * secret), proves Razorpay authorised that payment for that order, not its amount: the payment is
 * recorded as authorized and provisional, and only a webhook or the reconciliation, carrying
 * Razorpay's own figures, confirms capture and pays the invoice.
 */
public record CheckoutCallbackService(PaymentProvider provider, Transactions transactions, InvoiceRepository invoices,
                                      PaymentRepository payments, PaymentLedger ledger) {

    public static final String ACTOR = "razorpay:checkout";

    /** What the callback recorded; {@code confirmed} is false until Razorpay's own report arrives. */
    public record CheckoutResult(UUID invoiceId, String invoiceNumber, String invoiceStatus, String razorpayOrderId,
                                 String razorpayPaymentId, String paymentStatus, boolean confirmed) {}

    public CheckoutResult confirm(String orderId, String paymentId, String signature, String requestId) {
        if (!provider.enabled()) {
            throw new PaymentsDisabledException();
        }
        FieldErrors errors = new FieldErrors();
        require(errors, "razorpay_order_id", orderId);
        require(errors, "razorpay_payment_id", paymentId);
        require(errors, "razorpay_signature", signature);
        errors.throwIfAny();
        if (!provider.checkoutVerifies(orderId, paymentId, signature)) {
            throw new InvalidSignatureException("razorpay_signature does not sign razorpay_order_id|razorpay_payment_id"
                    + " under the key secret");
        }
        return transactions.inOwnTransaction(c -> {
            PaymentLedger.Applied applied = ledger.applyCheckout(c, orderId, paymentId, ACTOR, requestId);
            if (applied.outcome() == PaymentLedger.Outcome.UNKNOWN_ORDER) {
                throw NotFoundException.of("Razorpay order", orderId);
            }
            Invoice invoice = invoices.findByOrderId(c, orderId, false).orElseThrow();
            StoredPayment payment = payments.findByRazorpayId(c, paymentId, false).orElseThrow();
            return new CheckoutResult(invoice.id(), invoice.invoiceNumber(), invoice.status().wireName(), orderId,
                    paymentId, payment.status().wireName(), !payment.provisional());
        });
    }

    /** Also for form fields, which the JSON mapper never sees: the same text rules as every other field. */
    private static void require(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank() || value.length() > 100) {
            errors.add(field, "is required (at most 100 characters)");
        } else if (!TextRules.isStorable(value)) {
            errors.add(field, TextRules.UNSTORABLE);
        }
    }
}
