package dev.meterbill.billing.pricing;

/** Makes a definition priceable: its model's own {@link Charge}, with free units deducted and one rounding. */
public final class ChargeFactory {

    private ChargeFactory() {}

    /** A priceable charge in the plan's currency; the definition is assumed validated. */
    public static PlanCharge create(ChargeDefinition definition, String currency) {
        return new PlanCharge(definition, definition.charge(currency), currency);
    }
}
