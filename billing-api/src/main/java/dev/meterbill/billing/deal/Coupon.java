package dev.meterbill.billing.deal;

import dev.meterbill.billing.pricing.Discount;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A code the operator applies to an organisation to grant its discount, at most {@code maxRedemptions}
 * times in all (null: no limit) and until {@code redeemBy} (null: no expiry).
 *
 * @param currency the currency of a fixed amount; null for a percentage
 */
public record Coupon(UUID id, String code, Discount.Kind kind, BigDecimal percent, long amountMinor, String currency,
                     Integer durationPeriods, Integer maxRedemptions, Instant redeemBy, int timesRedeemed,
                     Instant createdAt) {}
