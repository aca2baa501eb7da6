package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.UUID;

/** flat: a fee per period whatever the usage ({@link FlatCharge}); it has no free units. */
public record FlatChargeDefinition(UUID id, String metricName, Aggregation aggregation, long flatFeeMinor)
        implements ChargeDefinition {

    static FlatChargeDefinition fromRequest(ChargeBasics basics, ChargeRequestFields request,
                                            ChargeFieldChecks checks) {
        checks.unused("unitPrice", request.unitPrice());
        checks.unused("packageSize", request.packageSize());
        long flatFeeMinor = checks.requiredMoney("flatFee", request.flatFee());
        if (basics.freeUnits().signum() != 0) {
            checks.unused("freeUnits", basics.freeUnits());
        }
        checks.unused("tiers", request.tiers());
        return checks.passed()
                ? new FlatChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(), flatFeeMinor)
                : null;
    }

    static FlatChargeDefinition fromColumns(ChargeBasics basics, ChargeColumns columns) {
        return new FlatChargeDefinition(basics.id(), basics.metricName(), basics.aggregation(),
                columns.flatFeeMinor());
    }

    @Override
    public ChargeModel model() {
        return ChargeModel.FLAT;
    }

    /** None: the fee does not depend on usage. */
    @Override
    public BigDecimal freeUnits() {
        return BigDecimal.ZERO;
    }

    @Override
    public Charge charge(String currency) {
        return new FlatCharge(flatFeeMinor, currency);
    }

    @Override
    public ChargeColumns columns() {
        return new ChargeColumns(null, null, flatFeeMinor, null);
    }
}
