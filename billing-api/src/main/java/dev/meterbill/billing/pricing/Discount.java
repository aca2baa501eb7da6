package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.UUID;

/**
 * A discount in force for an invoice: a percentage of what is left to discount, or a fixed amount (never
 * more than what is left, so an invoice is never negative). Discounts apply before GST, in the order
 * they were granted, each as its own negative line.
 *
 * @param percent     for {@code PERCENT}: 0 < percent <= 100; null otherwise
 * @param amountMinor for {@code FIXED}: the amount in minor units; 0 otherwise
 */
public record Discount(UUID id, String description, Kind kind, BigDecimal percent, long amountMinor) {

    /** The two kinds of discount. */
    public enum Kind { PERCENT, FIXED }

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** The amount this discount takes off {@code baseMinor} (>= 0), rounded HALF_UP to the minor unit. */
    public long amountOff(long baseMinor) {
        if (baseMinor <= 0) {
            return 0;
        }
        long off = kind == Kind.PERCENT
                ? BigDecimal.valueOf(baseMinor).multiply(percent).divide(HUNDRED, 0, RoundingMode.HALF_UP).longValueExact()
                : amountMinor;
        return Math.min(off, baseMinor);
    }
}
