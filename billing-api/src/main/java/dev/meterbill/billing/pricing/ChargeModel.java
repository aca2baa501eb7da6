package dev.meterbill.billing.pricing;

import java.util.Locale;

/** How a charge prices its quantity; one class per model, picked by {@link ChargeFactory}. */
public enum ChargeModel {
    PER_UNIT, GRADUATED, VOLUME, PACKAGE, FLAT;

    /** The name used in the API and the schema, e.g. {@code per_unit}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the models that price through tiers. */
    public boolean isTiered() {
        return this == GRADUATED || this == VOLUME;
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static ChargeModel fromWire(String name) {
        for (ChargeModel model : values()) {
            if (model.wireName().equals(name)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown charge model " + name);
    }
}
