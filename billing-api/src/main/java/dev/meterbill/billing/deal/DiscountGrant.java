package dev.meterbill.billing.deal;

import dev.meterbill.billing.pricing.Discount;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * A discount granted to an organisation, by the operator or through a coupon: it applies to the invoices
 * of {@code durationPeriods} periods from {@code firstPeriod} (null: every period), until removed.
 */
public record DiscountGrant(UUID id, UUID organisationId, UUID couponId, String description, Discount.Kind kind,
                            BigDecimal percent, long amountMinor, YearMonth firstPeriod, Integer durationPeriods,
                            Instant createdAt, Instant removedAt) {

    public Discount discount() {
        return new Discount(id, description, kind, percent, amountMinor);
    }

    /** Whether it applies to the invoice of {@code period}. */
    public boolean appliesTo(YearMonth period) {
        return removedAt == null && !period.isBefore(firstPeriod)
                && (durationPeriods == null || period.isBefore(firstPeriod.plusMonths(durationPeriods)));
    }
}
