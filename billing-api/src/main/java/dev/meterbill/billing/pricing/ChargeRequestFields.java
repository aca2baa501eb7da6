package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.List;

/**
 * The model-specific fields of a requested charge, as the API receives them (major units, not yet
 * checked); what a model's record reads when it checks its own fields. Fields a model does not use
 * must be absent.
 */
public interface ChargeRequestFields {

    BigDecimal unitPrice();

    BigDecimal packageSize();

    BigDecimal flatFee();

    List<? extends TierFields> tiers();

    /** One requested tier; {@code upTo} null is the open last tier. */
    interface TierFields {

        BigDecimal upTo();

        BigDecimal unitPrice();

        BigDecimal flatFee();
    }
}
