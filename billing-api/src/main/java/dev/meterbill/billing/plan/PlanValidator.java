package dev.meterbill.billing.plan;

import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.plan.PlanRequest.ChargeRequest;
import dev.meterbill.billing.plan.PlanRequest.DimensionPriceRequest;
import dev.meterbill.billing.pricing.Aggregation;
import dev.meterbill.billing.pricing.ChargeBasics;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeFieldChecks;
import dev.meterbill.billing.pricing.ChargeModel;
import dev.meterbill.billing.pricing.DimensionPrice;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.pricing.PricingScope;
import dev.meterbill.events.EventValidator;
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
import java.util.TreeSet;
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
    static final int MAX_DIMENSION_PRICES = 50;
    /** An entitlement limit: below 10^24, like every quantity. */
    private static final java.math.BigDecimal MAX_LIMIT = new java.math.BigDecimal("1e24");
    /** What {@link #validLimit} asks of a limit per period (a plan charge's, or an organisation's own). */
    public static final String LIMIT_RULE = "must be above 0 and below 10^24, at most 12 decimals";
    public static final String LIMIT_KIND_RULE = "must be hard or soft, with a limit";
    /** The metric names the gateway accepts. */
    private static final String AGGREGATIONS = "sum, count, max, latest or unique_count";
    /** "per_unit, graduated, volume, package or flat": every model, in the order of {@link ChargeModel}. */
    private static final String MODELS = oneOf(Arrays.stream(ChargeModel.values()).map(ChargeModel::wireName).toList());

    private PlanValidator() {}

    /**
     * @param nameRequired true for a new plan; otherwise a name, when given, must equal {@code existingName}
     * @throws dev.meterbill.billing.error.ValidationException listing every invalid field
     */
    public static PlanDefinition validate(PlanRequest request, boolean nameRequired, String existingName) {
        return validate(request, nameRequired, existingName, Map.of());
    }

    /**
     * As {@link #validate(PlanRequest, boolean, String)}, for a request whose charges may price metric definitions.
     *
     * @param metrics the metric definitions by key
     */
    public static PlanDefinition validate(PlanRequest request, boolean nameRequired, String existingName,
                                          Map<String, DefinedMetric> metrics) {
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
            Set<String> pricedMetrics = new HashSet<>();
            for (int i = 0; i < request.charges().size(); i++) {
                ChargeRequest charge = request.charges().get(i);
                String path = "charges[" + i + "]";
                if (charge == null) {
                    errors.add(path, "must be an object");
                    continue;
                }
                String priced = charge.metricName() != null ? charge.metricName() : charge.metricDefinition();
                if (priced != null && !pricedMetrics.add(priced)) {
                    errors.add(path + (charge.metricName() != null ? ".metricName" : ".metricDefinition"),
                            "is already priced by another charge of the plan");
                }
                String chargeCurrency = currencyValid ? currency : "INR";
                ChargeDefinition definition = charge(errors, path, charge, chargeCurrency, metrics);
                List<DimensionPrice> prices = definition == null || charge.metricDefinition() == null ? List.of()
                        : dimensionPrices(errors, path, charge.dimensionPrices(), definition,
                        metrics.get(charge.metricDefinition()), chargeCurrency);
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
                if (charge.metricDefinition() != null && charge.limit() != null) {
                    errors.add(path + ".limit", "limits apply to a metric of events: a charge on a metric definition"
                            + " has none");
                    termsValid = false;
                }
                if (definition != null && termsValid) {
                    charges.add(definition);
                    ChargeTerms t = new ChargeTerms(charge.sac(), charge.limit() == null ? null
                            : charge.limit().stripTrailingZeros(), charge.limit() == null ? null
                            : charge.limitKind() == null ? "hard" : charge.limitKind(), charge.metricDefinition(),
                            prices);
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

    private static ChargeDefinition charge(FieldErrors errors, String path, ChargeRequest c, String currency,
                                           Map<String, DefinedMetric> metrics) {
        int before = errors.size();
        String metricName = c.metricName();
        DefinedMetric defined = null;
        if (c.metricDefinition() != null) {
            defined = metrics.get(c.metricDefinition());
            if (defined == null) {
                errors.add(path + ".metricDefinition", "names no metric definition: define it first with POST /api/v1/metrics");
            }
            if (metricName == null) {
                metricName = c.metricDefinition();
            } else if (!metricName.equals(c.metricDefinition())) {
                errors.add(path + ".metricName", "must be absent or equal metricDefinition: a charge on a metric"
                        + " definition prices the definition's usage");
            }
        } else if (c.dimensionPrices() != null) {
            errors.add(path + ".dimensionPrices", "only a charge on a metricDefinition has prices per dimension");
        }
        if (metricName == null || !EventValidator.METRIC_NAME.matcher(metricName).matches()) {
            errors.add(path + ".metricName", "must start with a letter and use letters, digits and _.:- (at most 128)");
        }
        String requestedAggregation = c.aggregation() == null && defined != null ? defined.aggregation() : c.aggregation();
        Aggregation aggregation = parse(errors, path + ".aggregation", requestedAggregation, AGGREGATIONS,
                Aggregation::fromWire);
        if (aggregation == Aggregation.UNIQUE_COUNT && c.metricDefinition() == null) {
            errors.add(path + ".aggregation", "unique_count prices a unique_count metric definition: name it in"
                    + " metricDefinition");
        } else if (aggregation != null && defined != null && !aggregation.wireName().equals(defined.aggregation())) {
            errors.add(path + ".aggregation", "must be " + defined.aggregation() + ", the aggregation of metric"
                    + " definition " + defined.key());
        }
        ChargeModel model = parse(errors, path + ".model", c.model(), MODELS, ChargeModel::fromWire);
        if (model == ChargeModel.FLAT && c.metricDefinition() != null) {
            errors.add(path + ".model", "must price usage: a flat fee has no metric definition");
        }
        BigDecimal freeUnits = ChargeFieldChecks.quantity(errors, path + ".freeUnits", c.freeUnits());
        if (model == null) {
            return null;
        }
        ChargeDefinition definition = model.fromRequest(
                new ChargeBasics(UUID.randomUUID(), metricName, aggregation, freeUnits), c, errors, path, currency);
        return errors.size() > before ? null : definition;
    }

    /**
     * The prices per dimension of a valid charge on a metric definition: each names group-by keys of the definition
     * with values, at most once, and prices with a model of its own (not flat).
     */
    private static List<DimensionPrice> dimensionPrices(FieldErrors errors, String chargePath,
                                                        List<DimensionPriceRequest> requested, ChargeDefinition charge,
                                                        DefinedMetric defined, String currency) {
        if (requested == null) {
            return List.of();
        }
        String path = chargePath + ".dimensionPrices";
        if (requested.size() > MAX_DIMENSION_PRICES) {
            errors.add(path, "must contain at most " + MAX_DIMENSION_PRICES + " prices");
            return List.of();
        }
        List<DimensionPrice> prices = new ArrayList<>();
        Map<Map<String, String>, Integer> seen = new HashMap<>();
        for (int i = 0; i < requested.size(); i++) {
            DimensionPriceRequest p = requested.get(i);
            String at = path + "[" + i + "]";
            if (p == null) {
                errors.add(at, "must be an object");
                continue;
            }
            int before = errors.size();
            if (p.dimensions() == null || p.dimensions().isEmpty()) {
                errors.add(at + ".dimensions", "must name at least one group-by key of metric definition "
                        + defined.key() + " with its value");
            } else {
                for (Map.Entry<String, String> d : p.dimensions().entrySet()) {
                    if (!defined.groupKeys().contains(d.getKey())) {
                        errors.add(at + ".dimensions", "names " + d.getKey() + ", which is not a group-by key of metric"
                                + " definition " + defined.key() + " " + new TreeSet<>(defined.groupKeys()));
                    } else if (d.getValue() == null
                            || TextRules.violation(d.getValue(), EventValidator.MAX_GROUPING_VALUE_LENGTH) != null) {
                        errors.add(at + ".dimensions." + d.getKey(), "must be text of at most "
                                + EventValidator.MAX_GROUPING_VALUE_LENGTH + " characters, as grouping values are");
                    }
                }
                Integer earlier = seen.putIfAbsent(p.dimensions(), i);
                if (earlier != null) {
                    errors.add(at + ".dimensions", "are the dimensions of dimensionPrices[" + earlier + "] already");
                }
            }
            ChargeModel model = parse(errors, at + ".model", p.model(), MODELS, ChargeModel::fromWire);
            if (model == ChargeModel.FLAT) {
                errors.add(at + ".model", "must price usage: a flat fee has no dimensions");
                continue;
            }
            BigDecimal freeUnits = ChargeFieldChecks.quantity(errors, at + ".freeUnits", p.freeUnits());
            if (model == null) {
                continue;
            }
            ChargeDefinition priced = model.fromRequest(new ChargeBasics(charge.id(), charge.metricName(),
                    charge.aggregation(), freeUnits), p, errors, at, currency);
            if (errors.size() == before) {
                prices.add(new DimensionPrice(p.dimensions(), priced));
            }
        }
        return prices;
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
