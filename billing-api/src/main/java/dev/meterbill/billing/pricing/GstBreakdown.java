package dev.meterbill.billing.pricing;

import java.math.BigDecimal;

/**
 * GST on an invoice: CGST + SGST for an intra-state supply, IGST for an inter-state one.
 *
 * @param intraState true when the customer is in the supplier's state
 */
public record GstBreakdown(boolean intraState, BigDecimal ratePercent, long cgstMinor, long sgstMinor,
                           long igstMinor) {

    public long totalMinor() {
        return cgstMinor + sgstMinor + igstMinor;
    }
}
