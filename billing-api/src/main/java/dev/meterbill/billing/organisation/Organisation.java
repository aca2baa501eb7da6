package dev.meterbill.billing.organisation;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * A billed tenant, as stored. {@code timezone} is the billing timezone of the running period;
 * {@code pendingTimezone}, when set, takes over from its first period on.
 */
public record Organisation(UUID id, String name, String billingEmail, String currency, String timezone,
                           String gstin, String stateCode, Address address, PendingTimezone pendingTimezone,
                           Instant createdAt, Instant updatedAt) {

    /**
     * A timezone change waiting for the next period: events from {@code from} on are metered in it, and
     * {@code fromPeriod} is its first period.
     */
    public record PendingTimezone(String timezone, YearMonth fromPeriod, Instant from) {}

    /** This organisation as it is at {@code now}: a pending timezone whose time has come is the timezone. */
    public Organisation asOf(Instant now) {
        if (pendingTimezone == null || now.isBefore(pendingTimezone.from())) {
            return this;
        }
        return new Organisation(id, name, billingEmail, currency, pendingTimezone.timezone(), gstin, stateCode, address,
                null, createdAt, updatedAt);
    }
}
