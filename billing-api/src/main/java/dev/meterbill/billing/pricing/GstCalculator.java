package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * GST of an invoice subtotal, by the place of supply (IGST Act section 12(2) for services to registered
 * and unregistered recipients, section 16 for exports):
 *
 * <ul>
 *   <li>a recipient in the supplier's state, or one whose location is not on record (the place of
 *       supply is then the supplier's location): CGST and SGST, each computed and rounded on its own
 *       (subtotal × rate/2, HALF_UP), so they are equal by construction, as GST returns expect;</li>
 *   <li>a recipient in another state: IGST, subtotal × rate, HALF_UP;</li>
 *   <li>a recipient outside India: a zero-rated export — no tax under a Letter of Undertaking, IGST
 *       (refundable to the supplier) without one.</li>
 * </ul>
 */
public final class GstCalculator {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal TWO_HUNDRED = BigDecimal.valueOf(200);

    private final String supplierStateCode;
    private final BigDecimal ratePercent;

    public GstCalculator(String supplierStateCode, BigDecimal ratePercent) {
        this.supplierStateCode = Objects.requireNonNull(supplierStateCode, "supplierStateCode");
        this.ratePercent = Objects.requireNonNull(ratePercent, "ratePercent");
    }

    /** A recipient in India: its state code, null when not on record. */
    public GstBreakdown calculate(long subtotalMinor, String customerStateCode) {
        return calculate(subtotalMinor, customerStateCode, false, false);
    }

    /**
     * @param abroad   the recipient is outside India (an export of services)
     * @param underLut the supplier's Letter of Undertaking covers the invoice (exports only)
     */
    public GstBreakdown calculate(long subtotalMinor, String customerStateCode, boolean abroad, boolean underLut) {
        if (abroad) {
            return underLut ? new GstBreakdown(GstBreakdown.Supply.EXPORT_UNDER_LUT, ratePercent, 0, 0, 0)
                    : new GstBreakdown(GstBreakdown.Supply.EXPORT_WITH_IGST, ratePercent, 0, 0, of(subtotalMinor, HUNDRED));
        }
        if (customerStateCode == null || supplierStateCode.equals(customerStateCode)) {
            long half = of(subtotalMinor, TWO_HUNDRED);
            return new GstBreakdown(GstBreakdown.Supply.INTRA_STATE, ratePercent, half, half, 0);
        }
        return new GstBreakdown(GstBreakdown.Supply.INTER_STATE, ratePercent, 0, 0, of(subtotalMinor, HUNDRED));
    }

    private long of(long subtotalMinor, BigDecimal divisor) {
        return BigDecimal.valueOf(subtotalMinor).multiply(ratePercent).divide(divisor, 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    public BigDecimal ratePercent() {
        return ratePercent;
    }

    public String supplierStateCode() {
        return supplierStateCode;
    }
}
