package dev.meterbill.gateway.apikey;

import java.time.Instant;
import java.util.UUID;

/**
 * Who an ingest key belongs to, and the billing timezone stamped on the project's events: its
 * organisation's, or from {@code nextTimezoneFrom} on (by event time) the timezone it changes to with
 * its next period.
 */
public record ProjectIdentity(UUID keyId, UUID projectId, UUID organisationId, String billingTimezone,
                              String nextTimezone, Instant nextTimezoneFrom) {

    /** The billing timezone of an event that happened at {@code eventTime}. */
    public String timezoneAt(Instant eventTime) {
        return nextTimezone != null && !eventTime.isBefore(nextTimezoneFrom) ? nextTimezone : billingTimezone;
    }
}
