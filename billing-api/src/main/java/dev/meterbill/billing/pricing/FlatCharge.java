package dev.meterbill.billing.pricing;

import java.math.BigDecimal;

/** A fixed fee per period, whatever the usage. */
public final class FlatCharge implements Charge {

    private final BigDecimal fee;

    public FlatCharge(long feeMinor, String currency) {
        this.fee = Money.toMajor(feeMinor, currency);
    }

    @Override
    public Priced price(BigDecimal ignoredUsage) {
        return new Priced(BigDecimal.ONE, fee, fee, "flat fee per period");
    }
}
