package dev.meterbill.billing.pricing;

import java.math.BigDecimal;

/**
 * One tier of a graduated or volume charge.
 *
 * @param upTo         inclusive upper bound of the tier; null for the open last tier
 * @param unitPrice    price per unit in major units, up to eight decimals
 * @param flatFeeMinor added once when usage reaches the tier, in minor units
 */
public record Tier(BigDecimal upTo, BigDecimal unitPrice, long flatFeeMinor) {}
