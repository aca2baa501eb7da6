package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Usage sold in packages of a fixed size, rounded up to whole packages: 2,500 units in packages of 1,000 are 3. */
public final class PackageCharge implements Charge {

    private final BigDecimal packageSize;
    private final BigDecimal packagePrice;

    public PackageCharge(BigDecimal packageSize, BigDecimal packagePrice) {
        this.packageSize = packageSize;
        this.packagePrice = packagePrice;
    }

    @Override
    public Priced price(BigDecimal billable) {
        BigDecimal packages = billable.divide(packageSize, 0, RoundingMode.CEILING);
        return new Priced(packages, packagePrice, packages.multiply(packagePrice),
                PerUnitCharge.plain(billable) + " units in " + PerUnitCharge.plain(packages) + " package(s) of "
                        + PerUnitCharge.plain(packageSize));
    }
}
