package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * GST of an invoice subtotal.
 *
 * <p>The tax is computed once on the subtotal (a sum of rounded lines) and rounded HALF_UP to the
 * minor unit. An intra-state supply (customer state code equals the supplier's) splits that rounded
 * tax into CGST and SGST: CGST takes the larger half, so an odd paisa goes to CGST and
 * CGST + SGST always equals the rounded total. Any other customer, including one without a state
 * code, pays IGST.
 */
public final class GstCalculator {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final String supplierStateCode;
    private final BigDecimal ratePercent;

    public GstCalculator(String supplierStateCode, BigDecimal ratePercent) {
        this.supplierStateCode = Objects.requireNonNull(supplierStateCode, "supplierStateCode");
        this.ratePercent = Objects.requireNonNull(ratePercent, "ratePercent");
    }

    public GstBreakdown calculate(long subtotalMinor, String customerStateCode) {
        long tax = BigDecimal.valueOf(subtotalMinor).multiply(ratePercent)
                .divide(HUNDRED, 0, RoundingMode.HALF_UP).longValueExact();
        if (supplierStateCode.equals(customerStateCode)) {
            long cgst = tax - tax / 2;
            return new GstBreakdown(true, ratePercent, cgst, tax - cgst, 0);
        }
        return new GstBreakdown(false, ratePercent, 0, 0, tax);
    }

    public BigDecimal ratePercent() {
        return ratePercent;
    }

    public String supplierStateCode() {
        return supplierStateCode;
    }
}
