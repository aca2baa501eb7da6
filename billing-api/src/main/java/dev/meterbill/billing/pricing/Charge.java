package dev.meterbill.billing.pricing;

import java.math.BigDecimal;

/** A charge model: prices a billable quantity exactly, in major units, without rounding. */
public interface Charge {

    /** The exact price of {@code billable} units (free units already deducted, never negative). */
    Priced price(BigDecimal billable);

    /**
     * An unrounded price.
     *
     * @param quantity    what the invoice line shows: billable units, or packages for the package model
     * @param unitPrice   price per shown unit; the effective average for graduated tiers
     * @param exactAmount the exact amount in major units
     * @param detail      how the amount was reached, for the line description
     */
    record Priced(BigDecimal quantity, BigDecimal unitPrice, BigDecimal exactAmount, String detail) {}
}
