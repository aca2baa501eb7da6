package dev.meterbill.razorpay.emulator;

import java.util.Locale;

/** What happens when the simulated customer pays an order at checkout. */
public enum PaymentOutcome {
    /** Authorized and auto-captured: payment.authorized, payment.captured, order.paid (when the order is paid in full). */
    CAPTURED,
    /** Authorized and left for the merchant to capture: payment.authorized. */
    AUTHORIZED,
    /** The payment fails: payment.failed. The order stays attempted and can be paid again. */
    FAILED,
    /** A first payment fails, the customer retries with a second one that is captured: two payment ids. */
    FAILED_THEN_CAPTURED,
    /**
     * Late authorisation: one payment fails, then the bank authorizes it after all and it is captured:
     * payment.failed, payment.authorized, payment.captured, order.paid, all for the same payment id.
     */
    LATE_AUTHORIZATION;

    static PaymentOutcome parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
