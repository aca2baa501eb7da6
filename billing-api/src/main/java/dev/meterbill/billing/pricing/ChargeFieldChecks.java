package dev.meterbill.billing.pricing;

import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.events.Decimals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The checks of a plan's pricing fields, each bounded by the shape of its column (NUMERIC(20,8) prices,
 * NUMERIC(38,12) quantities, minor units below 10^12 major units): one instance per requested charge,
 * with which its model's record checks its own fields and collects what is wrong under the charge's
 * JSON path ({@code charges[0].unitPrice}), and the rules the plan validator applies to the fields
 * every plan and charge has (free units, the minimum commitment).
 *
 * <p>Bounds are checked on precision and scale alone before anything rescales a value, so that
 * {@code 1e-20000000} is refused as cheaply as it was parsed.
 */
public final class ChargeFieldChecks {

    public static final int MAX_TIERS = 20;
    private static final int PRICE_SCALE = 8;
    private static final int PRICE_INTEGER_DIGITS = 12;
    private static final int QUANTITY_SCALE = 12;
    private static final int QUANTITY_INTEGER_DIGITS = 26;
    private static final int MONEY_INTEGER_DIGITS = 12;
    private static final BigDecimal MAX_MONEY = BigDecimal.TEN.pow(MONEY_INTEGER_DIGITS); // exclusive, major units

    private final FieldErrors errors;
    private final String path;
    private final ChargeModel model;
    private final String currency;
    private final int errorsBefore;

    ChargeFieldChecks(FieldErrors errors, String path, ChargeModel model, String currency) {
        this.errors = errors;
        this.path = path;
        this.model = model;
        this.currency = currency;
        this.errorsBefore = errors.size();
    }

    /** True while none of the model's fields was refused. */
    boolean passed() {
        return errors.size() == errorsBefore;
    }

    /** A price per unit, required: 0 or more, at most eight decimals. */
    BigDecimal requiredPrice(String field, BigDecimal value) {
        return required(errors, path + "." + field, value, PRICE_SCALE, PRICE_INTEGER_DIGITS, false);
    }

    /** A quantity, required: more than 0, at most twelve decimals. */
    BigDecimal requiredPositiveQuantity(String field, BigDecimal value) {
        return required(errors, path + "." + field, value, QUANTITY_SCALE, QUANTITY_INTEGER_DIGITS, true);
    }

    /** A money amount in major units, required by this model; as whole minor units (0 when refused). */
    long requiredMoney(String field, BigDecimal value) {
        if (value == null) {
            errors.add(path + "." + field, "is required for the " + model.wireName() + " model");
            return 0;
        }
        return money(errors, path + "." + field, value, currency);
    }

    /** A field this model does not use must be absent (an empty list counts as absent). */
    void unused(String field, Object value) {
        unused(field, value, "");
    }

    /** As {@link #unused(String, Object)}, with a hint appended to the message. */
    void unused(String field, Object value, String hint) {
        if (value != null && !(value instanceof Collection<?> list && list.isEmpty())) {
            errors.add(path + "." + field, "is not used by the " + model.wireName() + " model" + hint);
        }
    }

    /** Ascending tiers, the last one open-ended, at least one and at most {@value #MAX_TIERS}. */
    List<Tier> tiers(String field, List<? extends ChargeRequestFields.TierFields> requested) {
        String tiersPath = path + "." + field;
        if (requested == null || requested.isEmpty()) {
            errors.add(tiersPath, "must contain at least one tier");
            return List.of();
        }
        if (requested.size() > MAX_TIERS) {
            errors.add(tiersPath, "must contain at most " + MAX_TIERS + " tiers");
            return List.of();
        }
        List<Tier> tiers = new ArrayList<>();
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < requested.size(); i++) {
            ChargeRequestFields.TierFields t = requested.get(i);
            String at = tiersPath + "[" + i + "]";
            if (t == null) {
                errors.add(at, "must be an object");
                continue;
            }
            boolean last = i == requested.size() - 1;
            BigDecimal upTo = decimal(errors, at + ".upTo", t.upTo(), QUANTITY_SCALE, QUANTITY_INTEGER_DIGITS, true);
            if (last && t.upTo() != null) {
                errors.add(at + ".upTo", "must be null: the last tier is open-ended");
            } else if (!last && t.upTo() == null) {
                errors.add(at + ".upTo", "is required on every tier but the last");
            } else if (upTo != null && upTo.compareTo(previous) <= 0) {
                errors.add(at + ".upTo", "must be greater than the previous tier's upTo");
            }
            if (upTo != null) {
                previous = upTo;
            }
            BigDecimal price = required(errors, at + ".unitPrice", t.unitPrice(), PRICE_SCALE, PRICE_INTEGER_DIGITS,
                    false);
            long fee = t.flatFee() == null ? 0 : money(errors, at + ".flatFee", t.flatFee(), currency);
            tiers.add(new Tier(upTo, price, fee));
        }
        return tiers;
    }

    /**
     * A money amount in major units as whole minor units of {@code currency}; 0 when absent or refused.
     * Charges' fees and a plan's minimum commitment follow it.
     */
    public static long money(FieldErrors errors, String field, BigDecimal value, String currency) {
        if (value == null) {
            return 0;
        }
        if (value.signum() < 0 || Decimals.violation(value, Integer.MAX_VALUE, MONEY_INTEGER_DIGITS) != null) {
            errors.add(field, "must be between 0 and " + MAX_MONEY.toPlainString());
            return 0;
        }
        if (Decimals.violation(value, Money.minorDigits(currency), MONEY_INTEGER_DIGITS) != null) {
            errors.add(field, "must be a whole amount of " + currency + " minor units (at most "
                    + Money.minorDigits(currency) + " decimals)");
            return 0;
        }
        return Money.toMinorExact(value, currency);
    }

    /** An optional quantity (free units): 0 or more, at most twelve decimals; null when absent or refused. */
    public static BigDecimal quantity(FieldErrors errors, String field, BigDecimal value) {
        return decimal(errors, field, value, QUANTITY_SCALE, QUANTITY_INTEGER_DIGITS, false);
    }

    private static BigDecimal required(FieldErrors errors, String field, BigDecimal value, int scale,
                                       int integerDigits, boolean positive) {
        if (value == null) {
            errors.add(field, "is required");
            return null;
        }
        return decimal(errors, field, value, scale, integerDigits, positive);
    }

    private static BigDecimal decimal(FieldErrors errors, String field, BigDecimal value, int scale,
                                      int integerDigits, boolean positive) {
        if (value == null) {
            return null;
        }
        if (positive ? value.signum() <= 0 : value.signum() < 0) {
            errors.add(field, positive ? "must be greater than 0" : "must not be negative");
            return null;
        }
        // precision and scale only: nothing is rescaled before the value is known to fit its column
        String violation = Decimals.violation(value, scale, integerDigits);
        if (violation != null) {
            errors.add(field, violation);
            return null;
        }
        return Decimals.normalised(value);
    }
}
