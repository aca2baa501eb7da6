package dev.meterbill.billing.plan;

import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.plan.PlanRequest.ChargeRequest;
import dev.meterbill.billing.plan.PlanRequest.TierRequest;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeModel;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.pricing.Tier;
import dev.meterbill.events.Decimals;
import dev.meterbill.events.TextRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Turns a plan request into a {@link PlanDefinition}, collecting every field error with its JSON path. */
public final class PlanValidator {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_CHARGES = 50;
    static final int MAX_TIERS = 20;
    /** The metric names the gateway accepts. */
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.:-]{0,127}");
    // The shapes of the columns: NUMERIC(20,8) prices, NUMERIC(38,12) quantities.
    private static final int PRICE_SCALE = 8;
    private static final int PRICE_INTEGER_DIGITS = 12;
    private static final int QUANTITY_SCALE = 12;
    private static final int QUANTITY_INTEGER_DIGITS = 26;
    private static final int MONEY_INTEGER_DIGITS = 12;
    private static final BigDecimal MAX_MONEY = BigDecimal.TEN.pow(MONEY_INTEGER_DIGITS); // exclusive, major units

    private PlanValidator() {}

    /**
     * @param nameRequired true for a new plan; otherwise a name, when given, must equal {@code existingName}
     * @throws dev.meterbill.billing.error.ValidationException listing every invalid field
     */
    public static PlanDefinition validate(PlanRequest request, boolean nameRequired, String existingName) {
        FieldErrors errors = new FieldErrors();
        String name = request.name() == null ? null : request.name().strip();
        if (name == null || name.isEmpty()) {
            if (nameRequired) {
                errors.add("name", "is required");
            }
            name = existingName;
        } else if (TextRules.violation(name, MAX_NAME_LENGTH) != null) {
            errors.add("name", TextRules.violation(name, MAX_NAME_LENGTH));
        } else if (existingName != null && !name.equals(existingName)) {
            errors.add("name", "must stay '" + existingName + "': versions of a plan share its name");
        }

        String currency = request.currency() == null ? "INR" : request.currency().strip().toUpperCase(Locale.ROOT);
        // the rule of organisations too (Money.isBillable): XAU and XXX have no minor unit to bill in
        boolean currencyValid = Money.isBillable(currency);
        if (!currencyValid) {
            errors.add("currency", "must be an ISO 4217 currency code with a minor unit, such as INR");
        }

        long minimum = currencyValid ? money(errors, "minimumCommitment", request.minimumCommitment(), currency) : 0;

        List<ChargeDefinition> charges = new ArrayList<>();
        if (request.charges() == null || request.charges().isEmpty()) {
            errors.add("charges", "must contain at least one charge");
        } else if (request.charges().size() > MAX_CHARGES) {
            errors.add("charges", "must contain at most " + MAX_CHARGES + " charges");
        } else {
            Set<String> metrics = new HashSet<>();
            for (int i = 0; i < request.charges().size(); i++) {
                ChargeRequest charge = request.charges().get(i);
                String path = "charges[" + i + "]";
                if (charge == null) {
                    errors.add(path, "must be an object");
                    continue;
                }
                if (charge.metricName() != null && !metrics.add(charge.metricName())) {
                    errors.add(path + ".metricName", "is already priced by another charge of the plan");
                }
                ChargeDefinition definition = charge(errors, path, charge, currencyValid ? currency : "INR");
                if (definition != null) {
                    charges.add(definition);
                }
            }
        }
        errors.throwIfAny();
        return new PlanDefinition(name, currency, minimum, charges);
    }

    private static ChargeDefinition charge(FieldErrors errors, String path, ChargeRequest c, String currency) {
        int before = errorCount(errors);
        if (c.metricName() == null || !METRIC_NAME.matcher(c.metricName()).matches()) {
            errors.add(path + ".metricName", "must start with a letter and use letters, digits and _.:- (at most 128)");
        }
        Aggregation aggregation = parse(errors, path + ".aggregation", c.aggregation(), "sum, count, max or latest",
                Aggregation::fromWire);
        ChargeModel model = parse(errors, path + ".model", c.model(), "per_unit, graduated, volume, package or flat",
                ChargeModel::fromWire);
        BigDecimal freeUnits = decimal(errors, path + ".freeUnits", c.freeUnits(), QUANTITY_SCALE,
                QUANTITY_INTEGER_DIGITS, false);
        if (model == null) {
            return null;
        }
        BigDecimal unitPrice = null;
        BigDecimal packageSize = null;
        Long flatFee = null;
        List<Tier> tiers = List.of();
        boolean usesUnitPrice = model == ChargeModel.PER_UNIT || model == ChargeModel.PACKAGE;
        if (usesUnitPrice) {
            unitPrice = required(errors, path + ".unitPrice", c.unitPrice(), PRICE_SCALE, PRICE_INTEGER_DIGITS, false);
        } else if (c.unitPrice() != null) {
            errors.add(path + ".unitPrice", notUsed(model));
        }
        if (model == ChargeModel.PACKAGE) {
            packageSize = required(errors, path + ".packageSize", c.packageSize(), QUANTITY_SCALE,
                    QUANTITY_INTEGER_DIGITS, true);
        } else if (c.packageSize() != null) {
            errors.add(path + ".packageSize", notUsed(model));
        }
        if (model == ChargeModel.FLAT) {
            if (c.flatFee() == null) {
                errors.add(path + ".flatFee", "is required for the flat model");
            } else {
                flatFee = money(errors, path + ".flatFee", c.flatFee(), currency);
            }
            if (freeUnits != null && freeUnits.signum() != 0) {
                errors.add(path + ".freeUnits", notUsed(model));
            }
        } else if (c.flatFee() != null) {
            errors.add(path + ".flatFee", notUsed(model) + "; tiers carry their own flatFee");
        }
        if (model.isTiered()) {
            tiers = tiers(errors, path + ".tiers", c.tiers(), currency);
        } else if (c.tiers() != null && !c.tiers().isEmpty()) {
            errors.add(path + ".tiers", notUsed(model));
        }
        if (errorCount(errors) > before) {
            return null;
        }
        return new ChargeDefinition(UUID.randomUUID(), c.metricName(), aggregation, model, unitPrice, packageSize,
                flatFee, freeUnits == null ? BigDecimal.ZERO : freeUnits, tiers);
    }

    private static List<Tier> tiers(FieldErrors errors, String path, List<TierRequest> requested, String currency) {
        if (requested == null || requested.isEmpty()) {
            errors.add(path, "must contain at least one tier");
            return List.of();
        }
        if (requested.size() > MAX_TIERS) {
            errors.add(path, "must contain at most " + MAX_TIERS + " tiers");
            return List.of();
        }
        List<Tier> tiers = new ArrayList<>();
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < requested.size(); i++) {
            TierRequest t = requested.get(i);
            String at = path + "[" + i + "]";
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
     * A money amount in major units as whole minor units. The bounds are checked on precision and scale
     * alone before anything rescales the value, so that {@code 1e-20000000} is refused as cheaply as it
     * was parsed.
     */
    private static long money(FieldErrors errors, String field, BigDecimal value, String currency) {
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

    private static <T> T parse(FieldErrors errors, String field, String value, String allowed,
                               Function<String, T> parser) {
        if (value == null) {
            errors.add(field, "is required: one of " + allowed);
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            errors.add(field, "must be one of " + allowed);
            return null;
        }
    }

    private static String notUsed(ChargeModel model) {
        return "is not used by the " + model.wireName() + " model";
    }

    private static int errorCount(FieldErrors errors) {
        return errors.size();
    }
}
