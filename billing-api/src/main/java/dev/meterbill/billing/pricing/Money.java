package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * The one place money is rounded: amounts become whole minor units (paise for INR) HALF_UP, at
 * the exponent java.util.Currency gives for the currency (2 for INR, 0 for JPY, 3 for BHD).
 *
 * <p>Callers round once per invoice line; totals are sums of rounded lines, never re-rounded.
 */
public final class Money {

    /** Unit prices are stored as NUMERIC(20,8); derived prices are kept to the same eight places. */
    public static final int UNIT_PRICE_SCALE = 8;

    private Money() {}

    /** Fraction digits of the currency's minor unit; refuses codes without one (XAU, unknown codes). */
    public static int minorDigits(String currencyCode) {
        int digits = Currency.getInstance(currencyCode).getDefaultFractionDigits();
        if (digits < 0) {
            throw new IllegalArgumentException(currencyCode + " has no minor unit");
        }
        return digits;
    }

    /**
     * True for a currency something can be billed in: an ISO 4217 code with a minor unit. XAU, XXX and
     * unknown codes are not; organisations and plans share this rule, so no organisation is created in a
     * currency no plan can price.
     */
    public static boolean isBillable(String currencyCode) {
        if (currencyCode == null || !currencyCode.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            return minorDigits(currencyCode) >= 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Rounds an exact amount in major units HALF_UP to whole minor units. */
    public static long roundToMinor(BigDecimal major, String currencyCode) {
        return major.setScale(minorDigits(currencyCode), RoundingMode.HALF_UP).unscaledValue().longValueExact();
    }

    /**
     * A quantity or price as stored and shown: without trailing zeros (NUMERIC columns come back with their full
     * scale), never in exponent form: 16000, not 1.6E+4; 0.5, not 0.50000000. Null stays null.
     */
    public static BigDecimal canonical(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** Minor units as a major-unit decimal with the currency's scale: 123450 INR is 1234.50. */
    public static BigDecimal toMajor(long minor, String currencyCode) {
        return BigDecimal.valueOf(minor, minorDigits(currencyCode));
    }

    /**
     * Converts a major-unit amount that must already be whole minor units (a fee typed by a person).
     *
     * @throws ArithmeticException when the amount has a fraction of a minor unit
     */
    public static long toMinorExact(BigDecimal major, String currencyCode) {
        return major.setScale(minorDigits(currencyCode), RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
    }

    /**
     * An amount as people read it: rupees with the rupee sign, grouped the Indian way (thousand, then every two
     * digits: ₹1,23,45,678.90); another currency with its code and groups of three (USD 1,234.50).
     */
    public static String display(long minor, String currencyCode) {
        BigDecimal major = toMajor(minor, currencyCode);
        boolean indian = "INR".equals(currencyCode);
        return (major.signum() < 0 ? "-" : "") + (indian ? "\u20B9" : currencyCode + " ") + grouped(major.abs(), indian);
    }

    /** A quantity grouped the Indian way, without trailing zeros: 1,23,456.5. */
    public static String indianNumber(BigDecimal value) {
        return (value.signum() < 0 ? "-" : "") + grouped(canonical(value.abs()), true);
    }

    private static String grouped(BigDecimal value, boolean indian) {
        String digits = value.toPlainString();
        int point = digits.indexOf('.');
        String whole = point < 0 ? digits : digits.substring(0, point);
        String fraction = point < 0 ? "" : digits.substring(point);
        StringBuilder grouped = new StringBuilder();
        int end = whole.length();
        int group = 3;
        while (end > group) {
            grouped.insert(0, "," + whole.substring(end - group, end));
            end -= group;
            group = indian ? 2 : 3;
        }
        return grouped.insert(0, whole.substring(0, end)).append(fraction).toString();
    }
}
