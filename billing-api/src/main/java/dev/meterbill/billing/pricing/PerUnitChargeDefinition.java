package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/** per_unit: every billable unit at the same price ({@link PerUnitCharge}). */
public record PerUnitChargeDefinition(UUID id, String metricName, Aggregation aggregation, BigDecimal unitPrice,
                                      BigDecimal freeUnits) implements ChargeDefinition {

    public PerUnitChargeDefinition {
        Objects.requireNonNull(unitPrice, "unitPrice");
        freeUnits = ChargeBasics.orZero(freeUnits);
    }

    static PerUnitChargeDefinition fromRequest(ChargeBasics basics, ChargeRequestFields request,
                                               ChargeFieldChecks checks) {
        BigDecimal unitPrice = checks.requiredPrice("unitPrice", request.unitPrice());
        checks.unused("packageSize", request.packageSize());
        checks.unused("flatFee", request.flatFee(), "; tiers carry their own flatFee");
        checks.unused("tiers", request.tiers());
        return checks.passed() ? new PerUnitChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(),
                unitPrice, basics.freeUnits()) : null;
    }

    static PerUnitChargeDefinition fromColumns(ChargeBasics basics, ChargeColumns columns) {
        return new PerUnitChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(), columns.unitPrice(),
                basics.freeUnits());
    }

    @Override
    public ChargeModel model() {
        return ChargeModel.PER_UNIT;
    }

    @Override
    public Charge charge(String currency) {
        return new PerUnitCharge(unitPrice);
    }

    @Override
    public ChargeColumns columns() {
        return ChargeColumns.unitPrice(unitPrice);
    }
}
