package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.List;

/**
 * The model-specific fields of a charge as the nullable columns of {@code plan_charges} (and the rows
 * of {@code charge_tiers}) hold them, and as the API shows them: each model fills its own fields and
 * leaves the others null. Only storage and views use this flat shape; pricing uses the model's record.
 *
 * @param unitPrice    per unit (per_unit) or per package (package), major units
 * @param packageSize  units per package (package)
 * @param flatFeeMinor fee per period (flat), minor units
 * @param tiers        ordered tiers (graduated, volume)
 */
public record ChargeColumns(BigDecimal unitPrice, BigDecimal packageSize, Long flatFeeMinor, List<Tier> tiers) {

    public ChargeColumns {
        tiers = tiers == null ? null : List.copyOf(tiers);
    }

    static ChargeColumns unitPrice(BigDecimal unitPrice) {
        return new ChargeColumns(unitPrice, null, null, null);
    }

    static ChargeColumns tiers(List<Tier> tiers) {
        return new ChargeColumns(null, null, null, tiers);
    }
}
