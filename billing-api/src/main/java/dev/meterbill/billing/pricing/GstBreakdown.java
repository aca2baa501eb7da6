package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.Locale;

/** GST on an invoice: CGST + SGST within the state, IGST across states, none on an export under LUT. */
public record GstBreakdown(Supply supply, BigDecimal ratePercent, long cgstMinor, long sgstMinor, long igstMinor) {

    /** The kind of supply, which decides the tax. */
    public enum Supply {
        /** Place of supply in the supplier's state: CGST + SGST. */
        INTRA_STATE,
        /** Another state: IGST. */
        INTER_STATE,
        /** Outside India under a Letter of Undertaking: zero-rated, no IGST. */
        EXPORT_UNDER_LUT,
        /** Outside India without an LUT: IGST, refundable to the supplier. */
        EXPORT_WITH_IGST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return null for an unknown name */
        public static Supply fromWire(String name) {
            for (Supply supply : values()) {
                if (supply.wireName().equals(name)) {
                    return supply;
                }
            }
            return null;
        }
    }

    public boolean intraState() {
        return supply == Supply.INTRA_STATE;
    }

    public long totalMinor() {
        return cgstMinor + sgstMinor + igstMinor;
    }
}
