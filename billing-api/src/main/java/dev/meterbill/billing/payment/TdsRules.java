package dev.meterbill.billing.payment;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * TDS (income tax deducted at source) a customer withholds from a payment and certifies to us later
 * (Form 16A). It is computed on the taxable value, the invoice's subtotal without GST (CBDT circular
 * 23/2017), and counts towards what covers the invoice.
 *
 * <p>All TDS recorded on an invoice is at most {@value #MAX_SHARE_PERCENT}% of its taxable value, the
 * highest rate a payer may apply (section 206AA, a payee without PAN), and never more than what the
 * invoice still has due: a wrong record is refused rather than turned into customer credit.
 */
final class TdsRules {

    static final int MAX_SHARE_PERCENT = 20;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private TdsRules() {}

    /** {@code ratePercent} of the taxable value, HALF_UP to the minor unit. */
    static long amountAt(long taxableMinor, BigDecimal ratePercent) {
        return BigDecimal.valueOf(taxableMinor).multiply(ratePercent).divide(HUNDRED, 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    /** Why {@code amountMinor} more of TDS cannot be recorded, or null when it can. */
    static String refusal(long taxableMinor, long recordedMinor, long dueMinor, long amountMinor) {
        if (amountMinor <= 0) {
            return "must be more than zero";
        }
        long cap = amountAt(taxableMinor, BigDecimal.valueOf(MAX_SHARE_PERCENT));
        if (recordedMinor + amountMinor > cap) {
            return "would bring the TDS of the invoice to more than " + MAX_SHARE_PERCENT + "% of its taxable value ("
                    + cap + " minor units; " + recordedMinor + " already recorded)";
        }
        if (amountMinor > dueMinor) {
            return "is more than the " + dueMinor + " minor units still due on the invoice";
        }
        return null;
    }
}
