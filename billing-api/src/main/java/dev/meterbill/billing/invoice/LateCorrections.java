package dev.meterbill.billing.invoice;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.UUID;

/**
 * Corrects an invoice downwards when late usage lowers what an earlier period owed (a later, lower latest
 * value; a tier reached by fewer units): under GST that is a credit note against that period's invoice
 * (CGST Act section 34), issued in the transaction that bills the late events.
 */
@FunctionalInterface
public interface LateCorrections {

    /**
     * Credits {@code taxableMinor} (before GST) of the organisation's issued invoice of {@code period}; an
     * invoice that is not issued (a draft, void, or none) is not credited.
     */
    void credit(Connection c, UUID organisationId, YearMonth period, long taxableMinor, String description,
                String actor, String requestId) throws SQLException;
}
