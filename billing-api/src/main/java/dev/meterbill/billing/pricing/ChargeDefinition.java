package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A charge of a pricing plan: which metric, how its usage is aggregated, and how its model prices the
 * quantity. One record per model holds only that model's fields and knows the rest of what is
 * particular to it: how its request fields are checked ({@code fromRequest}), how it sits in the
 * nullable columns of {@code plan_charges} ({@link #columns()}, {@code fromColumns}) and which
 * {@link Charge} prices it ({@link #charge}). A new model is its record, an entry in the permits list
 * and the {@link ChargeModel} constant that names it on the wire.
 */
public sealed interface ChargeDefinition permits PerUnitChargeDefinition, GraduatedChargeDefinition,
        VolumeChargeDefinition, PackageChargeDefinition, FlatChargeDefinition {

    UUID id();

    String metricName();

    Aggregation aggregation();

    ChargeModel model();

    /** Deducted from the quantity before the model prices it; zero for a model without free units (flat). */
    BigDecimal freeUnits();

    /** The model that prices this charge's billable quantity in the plan's currency; the definition is valid. */
    Charge charge(String currency);

    /** The model's own fields as the columns of {@code plan_charges} (and the API) hold them; the others null. */
    ChargeColumns columns();
}
