package dev.meterbill.billing.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meterbill.billing.pricing.ChargeColumns;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.pricing.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A pricing plan as the API shows it (and as its audit rows record it). Money in major units with
 * the currency's scale; prices and quantities as plain decimals.
 */
public record PlanView(UUID id, String name, int version, String currency, BigDecimal minimumCommitment,
                       String pricingScope, boolean inUse, Instant createdAt, List<ChargeView> charges) {

    /** One charge; fields a model does not use are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChargeView(UUID id, String metricName, String aggregation, String model, BigDecimal unitPrice,
                             BigDecimal packageSize, BigDecimal flatFee, BigDecimal freeUnits,
                             List<TierView> tiers, String sac, BigDecimal limit, String limitKind,
                             String metricDefinition, List<DimensionPriceView> dimensionPrices) {}

    /** One price per dimension of a charge on a metric definition; fields its model does not use are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DimensionPriceView(Map<String, String> dimensions, String model, BigDecimal unitPrice,
                                     BigDecimal packageSize, BigDecimal freeUnits, List<TierView> tiers) {}

    /** One tier; {@code upTo} null is the open last tier. */
    public record TierView(BigDecimal upTo, BigDecimal unitPrice, BigDecimal flatFee) {}

    public static PlanView of(PricingPlan plan, boolean inUse) {
        String currency = plan.currency();
        return new PlanView(plan.id(), plan.name(), plan.version(), currency,
                Money.toMajor(plan.minimumCommitmentMinor(), currency), plan.pricingScope().wireName(), inUse, plan.createdAt(),
                plan.charges().stream().map(c -> charge(c, currency, plan.termsOf(c.id()))).toList());
    }

    private static ChargeView charge(ChargeDefinition c, String currency, ChargeTerms terms) {
        ChargeColumns own = c.columns();
        List<DimensionPriceView> prices = terms.dimensionPrices().isEmpty() ? null : terms.dimensionPrices().stream()
                .map(p -> new DimensionPriceView(new TreeMap<>(p.dimensions()), p.definition().model().wireName(),
                        p.definition().columns().unitPrice(), p.definition().columns().packageSize(),
                        p.definition().freeUnits(), tiers(p.definition().columns(), currency)))
                .toList();
        return new ChargeView(c.id(), c.metricName(), c.aggregation().wireName(), c.model().wireName(), own.unitPrice(),
                own.packageSize(), own.flatFeeMinor() == null ? null : Money.toMajor(own.flatFeeMinor(), currency),
                c.freeUnits(), tiers(own, currency), terms.sac(), terms.limit(), terms.limitKind(),
                terms.metricDefinition(), prices);
    }

    private static List<TierView> tiers(ChargeColumns columns, String currency) {
        return columns.tiers() == null ? null : columns.tiers().stream().map(t -> tier(t, currency)).toList();
    }

    private static TierView tier(Tier t, String currency) {
        return new TierView(t.upTo(), t.unitPrice(), Money.toMajor(t.flatFeeMinor(), currency));
    }
}
