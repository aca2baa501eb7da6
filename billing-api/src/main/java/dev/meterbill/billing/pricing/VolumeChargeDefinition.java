package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** volume: every unit at the price of the tier the whole quantity reaches ({@link VolumeCharge}). */
public record VolumeChargeDefinition(UUID id, String metricName, Aggregation aggregation, BigDecimal freeUnits,
                                     List<Tier> tiers) implements ChargeDefinition {

    public VolumeChargeDefinition {
        freeUnits = ChargeBasics.orZero(freeUnits);
        tiers = List.copyOf(tiers);
    }

    static VolumeChargeDefinition fromRequest(ChargeBasics basics, ChargeRequestFields request,
                                              ChargeFieldChecks checks) {
        checks.unused("unitPrice", request.unitPrice());
        checks.unused("packageSize", request.packageSize());
        checks.unused("flatFee", request.flatFee(), "; tiers carry their own flatFee");
        List<Tier> tiers = checks.tiers("tiers", request.tiers());
        return checks.passed() ? new VolumeChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(),
                basics.freeUnits(), tiers) : null;
    }

    static VolumeChargeDefinition fromColumns(ChargeBasics basics, ChargeColumns columns) {
        return new VolumeChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(), basics.freeUnits(),
                columns.tiers());
    }

    @Override
    public ChargeModel model() {
        return ChargeModel.VOLUME;
    }

    @Override
    public Charge charge(String currency) {
        return new VolumeCharge(tiers, currency);
    }

    @Override
    public ChargeColumns columns() {
        return ChargeColumns.tiers(tiers);
    }
}
