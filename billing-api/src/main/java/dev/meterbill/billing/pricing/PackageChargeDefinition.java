package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/** package: usage in whole packages of {@code packageSize} units, each at {@code unitPrice} ({@link PackageCharge}). */
public record PackageChargeDefinition(UUID id, String metricName, Aggregation aggregation, BigDecimal unitPrice,
                                      BigDecimal packageSize, BigDecimal freeUnits) implements ChargeDefinition {

    public PackageChargeDefinition {
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(packageSize, "packageSize");
        freeUnits = ChargeBasics.orZero(freeUnits);
    }

    static PackageChargeDefinition fromRequest(ChargeBasics basics, ChargeRequestFields request,
                                               ChargeFieldChecks checks) {
        BigDecimal unitPrice = checks.requiredPrice("unitPrice", request.unitPrice());
        BigDecimal packageSize = checks.requiredPositiveQuantity("packageSize", request.packageSize());
        checks.unused("flatFee", request.flatFee(), "; tiers carry their own flatFee");
        checks.unused("tiers", request.tiers());
        return checks.passed() ? new PackageChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(),
                unitPrice, packageSize, basics.freeUnits()) : null;
    }

    static PackageChargeDefinition fromColumns(ChargeBasics basics, ChargeColumns columns) {
        return new PackageChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(), columns.unitPrice(),
                columns.packageSize(), basics.freeUnits());
    }

    @Override
    public ChargeModel model() {
        return ChargeModel.PACKAGE;
    }

    @Override
    public Charge charge(String currency) {
        return new PackageCharge(packageSize, unitPrice);
    }

    @Override
    public ChargeColumns columns() {
        return new ChargeColumns(unitPrice, packageSize, null, null);
    }
}
