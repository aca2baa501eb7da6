package dev.meterbill.events;

import java.math.BigDecimal;

/**
 * Bounds of exact decimals, checked before any arithmetic. A JSON number such as
 * {@code 1e-20000000} is short but has a scale of twenty million: rescaling it costs seconds of
 * CPU. Everything here reads only {@link BigDecimal#scale()} and {@link BigDecimal#precision()},
 * which cost nothing for such a value, so a refusal is as cheap as the number is short.
 */
public final class Decimals {

    private Decimals() {}

    /**
     * Why {@code value} does not fit a column of {@code maxScale} fractional and {@code maxIntegerDigits}
     * integer digits once trailing zeros are ignored, or null when it fits.
     */
    public static String violation(BigDecimal value, int maxScale, int maxIntegerDigits) {
        if (value.signum() == 0) {
            return null; // 0E+999999 and 0E-999999 are zero
        }
        // precision() - scale() is the position of the leading digit; it is exact whatever the scale.
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > maxIntegerDigits) {
            return "must be below 10^" + maxIntegerDigits;
        }
        if (value.scale() > maxScale) {
            // Only now is stripping trailing zeros safe: the leading digit is within bounds and the
            // scale is past the limit, so at most precision() digits are examined.
            if (value.scale() - maxScale > value.precision() || value.stripTrailingZeros().scale() > maxScale) {
                return "must have at most " + maxScale + " fractional digits";
            }
        }
        return null;
    }

    /** {@code value} with its trailing zeros removed and no negative scale; call after {@link #violation}. */
    public static BigDecimal normalised(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0) : v;
    }
}
