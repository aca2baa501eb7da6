package dev.meterbill.billing.pricing;

import java.math.BigDecimal;

/** Every billable unit at the same price. */
public record PerUnitCharge(BigDecimal unitPrice) implements Charge {

    @Override
    public Priced price(BigDecimal billable) {
        return new Priced(billable, unitPrice, billable.multiply(unitPrice),
                plain(billable) + " x " + plain(unitPrice));
    }

    static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
