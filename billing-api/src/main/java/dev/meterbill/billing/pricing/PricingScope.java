package dev.meterbill.billing.pricing;

import java.util.Locale;

/**
 * What a plan's tiers, free units, packages and volumes apply to. {@link #ORGANISATION} (the default):
 * the usage of all of an organisation's projects added up, the way a customer thinks of its bill;
 * {@link #PROJECT}: each project's usage on its own, as plans created before per-organisation pricing did.
 */
public enum PricingScope {
    ORGANISATION, PROJECT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static PricingScope fromWire(String name) {
        for (PricingScope scope : values()) {
            if (scope.wireName().equals(name)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown pricing scope " + name);
    }
}
