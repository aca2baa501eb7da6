package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Usage sold in packages of a fixed size, rounded up to whole packages: 2,500 units in packages of 1,000 are 3. */
public record PackageCharge(BigDecimal packageSize, BigDecimal packagePrice) implements Charge {

    @Override
    public Priced price(BigDecimal billable) {
        BigDecimal packages = billable.divide(packageSize, 0, RoundingMode.CEILING);
        return new Priced(packages, packagePrice, packages.multiply(packagePrice),
                PerUnitCharge.plain(billable) + " units in " + PerUnitCharge.plain(packages) + " package(s) of "
                        + PerUnitCharge.plain(packageSize));
    }
}
