package dev.meterbill.billing.pricing;

/** Picks the model class of a charge definition. */
public final class ChargeFactory {

    private ChargeFactory() {}

    /** A priceable charge in the plan's currency; the definition is assumed validated. */
    public static PlanCharge create(ChargeDefinition definition, String currency) {
        Charge model = switch (definition.model()) {
            case PER_UNIT -> new PerUnitCharge(definition.unitPrice());
            case GRADUATED -> new GraduatedCharge(definition.tiers(), currency);
            case VOLUME -> new VolumeCharge(definition.tiers(), currency);
            case PACKAGE -> new PackageCharge(definition.packageSize(), definition.unitPrice());
            case FLAT -> new FlatCharge(definition.flatFeeMinor(), currency);
        };
        return new PlanCharge(definition, model, currency);
    }
}
