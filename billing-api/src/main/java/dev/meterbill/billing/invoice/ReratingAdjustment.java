package dev.meterbill.billing.invoice;

import java.time.YearMonth;
import java.util.UUID;

/**
 * What a re-rating added to an invoiced period (issue 18): billed as an adjustment line of that period on the
 * organisation's next invoice, before GST, like late usage.
 */
public record ReratingAdjustment(UUID reratingId, UUID organisationId, YearMonth period, long amountMinor,
                                 String description) {}
