package dev.meterbill.billing.payment;

import java.util.Locale;

/**
 * Where a payment stands, ranked so that it only moves forward: created &lt; failed &lt; authorized &lt;
 * captured. A failed payment may later be authorized and captured (Razorpay's late authorisation);
 * a captured payment never becomes failed, whatever order the webhooks arrive in.
 */
public enum PaymentStatus {
    CREATED, FAILED, AUTHORIZED, CAPTURED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Razorpay's status of a payment, or null for one this platform does not track. A refunded payment
     * was captured first: its refunds are tracked separately.
     */
    public static PaymentStatus fromRazorpay(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "created" -> CREATED;
            case "failed" -> FAILED;
            case "authorized" -> AUTHORIZED;
            case "captured", "refunded" -> CAPTURED;
            default -> null;
        };
    }

    /** The later of the two: a report of an earlier state never moves a payment back. */
    public PaymentStatus advancedTo(PaymentStatus reported) {
        return reported != null && reported.ordinal() > ordinal() ? reported : this;
    }
}
