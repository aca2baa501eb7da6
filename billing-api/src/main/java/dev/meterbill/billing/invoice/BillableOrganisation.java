package dev.meterbill.billing.invoice;

import dev.meterbill.billing.period.ServiceDays;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.UUID;

/**
 * An organisation due an invoice for a period, with what billing it needs and the subscription in force
 * on the period's first day: its plan, and the days it starts, ends (exclusive) and ends its trial
 * (exclusive), any of the last two null.
 */
public record BillableOrganisation(UUID id, String currency, ZoneId timezone, String stateCode, String gstin,
                                   String country, UUID pricingPlanId, UUID subscriptionId, LocalDate startsOn,
                                   LocalDate endsOn, LocalDate trialEndsOn) {

    /** Outside India: its invoices are exports of services. */
    public boolean abroad() {
        return country != null && !"IN".equals(country);
    }

    /** The days of {@code period} the subscription bills. */
    public ServiceDays serviceDays(YearMonth period) {
        return ServiceDays.of(period, startsOn, endsOn, trialEndsOn);
    }
}
