package dev.meterbill.billing.payment;

import java.util.Locale;

/**
 * Where a refund stands: pending until Razorpay reports it processed or failed. Processed is final;
 * a refund marked failed may still turn out processed (money that left is always recorded).
 */
public enum RefundStatus {
    PENDING, FAILED, PROCESSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RefundStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Razorpay's refund status, or null for one this platform does not track. */
    public static RefundStatus fromRazorpay(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "pending", "created" -> PENDING;
            case "processed" -> PROCESSED;
            case "failed" -> FAILED;
            default -> null;
        };
    }

    /** The later of the two states. */
    public RefundStatus advancedTo(RefundStatus reported) {
        return reported != null && reported.ordinal() > ordinal() ? reported : this;
    }
}
