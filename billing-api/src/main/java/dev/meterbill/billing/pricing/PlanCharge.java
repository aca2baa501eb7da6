package dev.meterbill.billing.pricing;

import java.math.BigDecimal;

/**
 * A charge ready to price usage: deducts free units, lets the model price the rest exactly and
 * rounds the result once, HALF_UP to the currency's minor unit.
 */
public final class PlanCharge {

    private final ChargeDefinition definition;
    private final Charge model;
    private final String currency;

    PlanCharge(ChargeDefinition definition, Charge model, String currency) {
        this.definition = definition;
        this.model = model;
        this.currency = currency;
    }

    public ChargeDefinition definition() {
        return definition;
    }

    public String currency() {
        return currency;
    }

    /** Prices a usage quantity (the aggregation already applied). */
    public LineAmount price(BigDecimal usage) {
        BigDecimal free = definition.freeUnits();
        BigDecimal billable = usage.subtract(free).max(BigDecimal.ZERO);
        Charge.Priced priced = model.price(billable);
        String detail = priced.detail();
        // a model without free units (flat) has none to deduct
        if (free.signum() > 0) {
            detail += " (" + PerUnitCharge.plain(free) + " free units deducted)";
        }
        return new LineAmount(priced.quantity(), priced.unitPrice(),
                Money.roundToMinor(priced.exactAmount(), currency), detail);
    }

    /** Prices the usage recorded for the charge's metric, through its aggregation. */
    public LineAmount price(UsageQuantities usage) {
        return price(definition.aggregation().quantityOf(usage));
    }
}
