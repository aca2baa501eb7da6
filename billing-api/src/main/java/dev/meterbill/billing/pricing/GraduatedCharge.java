package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Graduated tiers: the units inside each tier are charged at that tier's price, like income tax
 * slabs. A tier's flat fee is added once any unit falls into the tier. Tier bounds are inclusive
 * upper bounds: with a first tier up to 1000, unit 1000 is in the first tier and unit 1001 in the second.
 */
public record GraduatedCharge(List<Tier> tiers, String currency) implements Charge {

    public GraduatedCharge {
        tiers = List.copyOf(tiers);
    }

    @Override
    public Priced price(BigDecimal billable) {
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        List<String> parts = new ArrayList<>();
        for (Tier tier : tiers) {
            if (billable.compareTo(lower) <= 0) {
                break;
            }
            BigDecimal upper = tier.upTo() == null ? billable : tier.upTo().min(billable);
            BigDecimal inTier = upper.subtract(lower);
            amount = amount.add(inTier.multiply(tier.unitPrice()));
            parts.add(PerUnitCharge.plain(inTier) + " x " + PerUnitCharge.plain(tier.unitPrice()));
            if (tier.flatFeeMinor() > 0) {
                amount = amount.add(Money.toMajor(tier.flatFeeMinor(), currency));
                parts.add("tier fee " + Money.toMajor(tier.flatFeeMinor(), currency).toPlainString());
            }
            if (tier.upTo() == null) {
                break;
            }
            lower = tier.upTo();
        }
        BigDecimal average = billable.signum() == 0
                ? tiers.get(0).unitPrice()
                : amount.divide(billable, Money.UNIT_PRICE_SCALE, RoundingMode.HALF_UP);
        String detail = parts.isEmpty() ? "no usage" : "graduated: " + String.join(" + ", parts);
        return new Priced(billable, average, amount, detail);
    }
}
