package dev.meterbill.billing.plan;

import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.plan.PlanRequest.ChargeRequest;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeBasics;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeFieldChecks;
import dev.meterbill.billing.pricing.ChargeModel;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.pricing.PricingScope;
import dev.meterbill.events.TextRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a plan request into a {@link PlanDefinition}, collecting every field error with its JSON path.
 * It checks what every plan and every charge has (name, currency, minimum commitment, metric,
 * aggregation, model, free units) and leaves the fields of each charge model to the model's
 * {@link ChargeDefinition} record, through {@link ChargeModel#fromRequest}.
 */
public final class PlanValidator {

    /** A services accounting code: chapter 99, six digits. */
    private static final Pattern SAC = Pattern.compile("99[0-9]{4}");

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_CHARGES = 50;
    /** An entitlement limit: below 10^24, like every quantity. */
    private static final java.math.BigDecimal MAX_LIMIT = new java.math.BigDecimal("1e24");
    /** What {@link #validLimit} asks of a limit per period (a plan charge's, or an organisation's own). */
    public static final String LIMIT_RULE = "must be above 0 and below 10^24, at most 12 decimals";
    public static final String LIMIT_KIND_RULE = "must be hard or soft, with a limit";
    /** The metric names the gateway accepts. */
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.:-]{0,127}");
    /** "per_unit, graduated, volume, package or flat": every model, in the order of {@link ChargeModel}. */
    private static final String MODELS = oneOf(Arrays.stream(ChargeModel.values()).map(ChargeModel::wireName).toList());

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

        long minimum = currencyValid
                ? ChargeFieldChecks.money(errors, "minimumCommitment", request.minimumCommitment(), currency) : 0;

        PricingScope scope = PricingScope.ORGANISATION;
        if (request.pricingScope() != null) {
            try {
                scope = PricingScope.fromWire(request.pricingScope());
            } catch (IllegalArgumentException e) {
                errors.add("pricingScope", "must be organisation (tiers and free units apply to the usage of all"
                        + " the organisation's projects added up) or project (to each project's usage on its own)");
            }
        }

        List<ChargeDefinition> charges = new ArrayList<>();
        Map<UUID, ChargeTerms> terms = new HashMap<>();
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
                boolean termsValid = true;
                if (charge.sac() != null && !SAC.matcher(charge.sac()).matches()) {
                    errors.add(path + ".sac", "must be a six-digit services accounting code, 99xxxx");
                    termsValid = false;
                }
                if (charge.limit() != null && !validLimit(charge.limit())) {
                    errors.add(path + ".limit", LIMIT_RULE);
                    termsValid = false;
                }
                if (!validLimitKind(charge.limitKind(), charge.limit())) {
                    errors.add(path + ".limitKind", LIMIT_KIND_RULE);
                    termsValid = false;
                }
                if (definition != null && termsValid) {
                    charges.add(definition);
                    ChargeTerms t = new ChargeTerms(charge.sac(), charge.limit() == null ? null
                            : charge.limit().stripTrailingZeros(), charge.limit() == null ? null
                            : charge.limitKind() == null ? "hard" : charge.limitKind());
                    if (!t.isEmpty()) {
                        terms.put(definition.id(), t);
                    }
                }
            }
        }
        errors.throwIfAny();
        return new PlanDefinition(name, currency, minimum, scope, charges, terms);
    }

    /** A limit per period: above 0, below 10^24, at most 12 decimals. */
    public static boolean validLimit(java.math.BigDecimal limit) {
        return limit.signum() > 0 && limit.compareTo(MAX_LIMIT) < 0 && limit.stripTrailingZeros().scale() <= 12;
    }

    /** A limit's kind: absent (hard), or hard or soft with a limit. */
    public static boolean validLimitKind(String kind, java.math.BigDecimal limit) {
        return kind == null || limit != null && ("hard".equals(kind) || "soft".equals(kind));
    }

    private static ChargeDefinition charge(FieldErrors errors, String path, ChargeRequest c, String currency) {
        int before = errors.size();
        if (c.metricName() == null || !METRIC_NAME.matcher(c.metricName()).matches()) {
            errors.add(path + ".metricName", "must start with a letter and use letters, digits and _.:- (at most 128)");
        }
        Aggregation aggregation = parse(errors, path + ".aggregation", c.aggregation(), "sum, count, max or latest",
                Aggregation::fromWire);
        ChargeModel model = parse(errors, path + ".model", c.model(), MODELS, ChargeModel::fromWire);
        BigDecimal freeUnits = ChargeFieldChecks.quantity(errors, path + ".freeUnits", c.freeUnits());
        if (model == null) {
            return null;
        }
        ChargeDefinition definition = model.fromRequest(
                new ChargeBasics(UUID.randomUUID(), c.metricName(), aggregation, freeUnits), c, errors, path, currency);
        return errors.size() > before ? null : definition;
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

    private static String oneOf(List<String> names) {
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
