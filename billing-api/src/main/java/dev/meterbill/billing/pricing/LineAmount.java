package dev.meterbill.billing.pricing;

import java.math.BigDecimal;

/**
 * A priced charge, rounded once: what one invoice line carries.
 *
 * @param quantity    billable units after free units (packages for the package model, 1 for flat)
 * @param unitPrice   price per shown unit in major units
 * @param amountMinor the amount, rounded HALF_UP to the currency's minor unit
 */
public record LineAmount(BigDecimal quantity, BigDecimal unitPrice, long amountMinor, String detail) {}
