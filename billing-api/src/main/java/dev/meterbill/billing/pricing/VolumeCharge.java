package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.List;

/**
 * Volume tiers: the total quantity picks one tier (inclusive upper bounds) and every unit is
 * charged at that tier's price, plus the tier's flat fee. No usage costs nothing.
 */
public record VolumeCharge(List<Tier> tiers, String currency) implements Charge {

    public VolumeCharge {
        tiers = List.copyOf(tiers);
    }

    @Override
    public Priced price(BigDecimal billable) {
        Tier reached = tierFor(billable);
        if (billable.signum() == 0) {
            return new Priced(billable, reached.unitPrice(), BigDecimal.ZERO, "no usage");
        }
        BigDecimal amount = billable.multiply(reached.unitPrice());
        String detail = "volume: " + PerUnitCharge.plain(billable) + " x " + PerUnitCharge.plain(reached.unitPrice());
        if (reached.flatFeeMinor() > 0) {
            BigDecimal fee = Money.toMajor(reached.flatFeeMinor(), currency);
            amount = amount.add(fee);
            detail += " + tier fee " + fee.toPlainString();
        }
        return new Priced(billable, reached.unitPrice(), amount, detail);
    }

    private Tier tierFor(BigDecimal quantity) {
        for (Tier tier : tiers) {
            if (tier.upTo() == null || quantity.compareTo(tier.upTo()) <= 0) {
                return tier;
            }
        }
        // Plans are validated to end with an open tier; a closed last tier keeps pricing the overflow.
        return tiers.get(tiers.size() - 1);
    }
}
