package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** graduated: the units inside each tier at that tier's price ({@link GraduatedCharge}). */
public record GraduatedChargeDefinition(UUID id, String metricName, Aggregation aggregation, BigDecimal freeUnits,
                                        List<Tier> tiers) implements ChargeDefinition {

    public GraduatedChargeDefinition {
        freeUnits = ChargeBasics.orZero(freeUnits);
        tiers = List.copyOf(tiers);
    }

    static GraduatedChargeDefinition fromRequest(ChargeBasics basics, ChargeRequestFields request,
                                                 ChargeFieldChecks checks) {
        checks.unused("unitPrice", request.unitPrice());
        checks.unused("packageSize", request.packageSize());
        checks.unused("flatFee", request.flatFee(), "; tiers carry their own flatFee");
        List<Tier> tiers = checks.tiers("tiers", request.tiers());
        return checks.passed() ? new GraduatedChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(),
                basics.freeUnits(), tiers) : null;
    }

    static GraduatedChargeDefinition fromColumns(ChargeBasics basics, ChargeColumns columns) {
        return new GraduatedChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(), basics.freeUnits(),
                columns.tiers());
    }

    @Override
    public ChargeModel model() {
        return ChargeModel.GRADUATED;
    }

    @Override
    public Charge charge(String currency) {
        return new GraduatedCharge(tiers, currency);
    }

    @Override
    public ChargeColumns columns() {
        return ChargeColumns.tiers(tiers);
    }
}
