package dev.meterbill.billing.pricing;

import dev.meterbill.billing.error.FieldErrors;
import java.util.Locale;

/**
 * How a charge prices its quantity: the models by their names in the API and the schema, each with the
 * record that defines its charges ({@link ChargeDefinition}'s permits). A new model is a constant here
 * naming its record's {@code fromRequest} and {@code fromColumns}.
 */
public enum ChargeModel {
    PER_UNIT(PerUnitChargeDefinition::fromRequest, PerUnitChargeDefinition::fromColumns),
    GRADUATED(GraduatedChargeDefinition::fromRequest, GraduatedChargeDefinition::fromColumns),
    VOLUME(VolumeChargeDefinition::fromRequest, VolumeChargeDefinition::fromColumns),
    PACKAGE(PackageChargeDefinition::fromRequest, PackageChargeDefinition::fromColumns),
    FLAT(FlatChargeDefinition::fromRequest, FlatChargeDefinition::fromColumns);

    private interface FromRequest {
        ChargeDefinition definition(ChargeBasics basics, ChargeRequestFields request, ChargeFieldChecks checks);
    }

    private interface FromColumns {
        ChargeDefinition definition(ChargeBasics basics, ChargeColumns columns);
    }

    private final FromRequest fromRequest;
    private final FromColumns fromColumns;

    ChargeModel(FromRequest fromRequest, FromColumns fromColumns) {
        this.fromRequest = fromRequest;
        this.fromColumns = fromColumns;
    }

    /** The name used in the API and the schema, e.g. {@code per_unit}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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

    /**
     * A requested charge of this model: its own fields checked (errors collected under {@code path}, the
     * charge's JSON path, with amounts in {@code currency}) on top of the {@code basics} already checked.
     *
     * @return the definition, or null when one of the model's fields was refused
     */
    public ChargeDefinition fromRequest(ChargeBasics basics, ChargeRequestFields request, FieldErrors errors,
                                        String path, String currency) {
        return fromRequest.definition(basics, request, new ChargeFieldChecks(errors, path, this, currency));
    }

    /** A stored charge of this model, from the common columns and its own. */
    public ChargeDefinition fromColumns(ChargeBasics basics, ChargeColumns columns) {
        return fromColumns.definition(basics, columns);
    }
}
