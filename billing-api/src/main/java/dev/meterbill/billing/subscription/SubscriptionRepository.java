package dev.meterbill.billing.subscription;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for subscriptions. */
public final class SubscriptionRepository {

    private static final String COLUMNS = "id, organisation_id, pricing_plan_id, starts_on, ends_on, trial_ends_on, created_at";

    /** The billing timezone in force at an instant (the parameter): a pending change once its time has come. */
    public static final String TIMEZONE_AT = "CASE WHEN next_timezone_from <= ? THEN next_timezone ELSE timezone END";

    /**
     * The organisation's billing currency and timezone in force at {@code now}, locking the row so plan
     * changes of one organisation queue up.
     */
    public Optional<String[]> lockOrganisation(Connection connection, UUID organisationId, Instant now)
            throws SQLException {
        return billing(connection, " FOR NO KEY UPDATE", organisationId, now);
    }

    /** The organisation's billing currency and timezone in force at {@code now}, without locking. */
    public Optional<String[]> billingOf(Connection connection, UUID organisationId, Instant now) throws SQLException {
        return billing(connection, "", organisationId, now);
    }

    private static Optional<String[]> billing(Connection connection, String lock, UUID organisationId, Instant now)
            throws SQLException {
        return Sql.one(connection, "SELECT currency, " + TIMEZONE_AT + " FROM organisations WHERE id = ?" + lock,
                rs -> new String[] {rs.getString(1), rs.getString(2)}, now.atOffset(ZoneOffset.UTC), organisationId);
    }

    /** Every subscription of the organisation, earliest first. */
    public List<Subscription> list(Connection connection, UUID organisationId) throws SQLException {
        return Sql.list(connection, "SELECT " + COLUMNS + " FROM subscriptions WHERE organisation_id = ? ORDER BY starts_on",
                SubscriptionRepository::map, organisationId);
    }

    /** Adds a subscription, or moves the one starting on the same day to another plan. */
    public Subscription upsert(Connection connection, UUID id, UUID organisationId, UUID planId, LocalDate startsOn,
                               LocalDate trialEndsOn) throws SQLException {
        String sql = """
                INSERT INTO subscriptions (id, organisation_id, pricing_plan_id, starts_on, trial_ends_on)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (organisation_id, starts_on) DO UPDATE
                   SET pricing_plan_id = EXCLUDED.pricing_plan_id, trial_ends_on = EXCLUDED.trial_ends_on,
                       ends_on = NULL, created_at = now()
                RETURNING\s""" + COLUMNS;
        return Sql.single(connection, sql, SubscriptionRepository::map, id, organisationId, planId, startsOn,
                trialEndsOn);
    }

    /** Ends the subscription on {@code endsOn} (exclusive). */
    public Subscription end(Connection connection, UUID id, LocalDate endsOn) throws SQLException {
        return Sql.single(connection, "UPDATE subscriptions SET ends_on = ? WHERE id = ? RETURNING " + COLUMNS,
                SubscriptionRepository::map, endsOn, id);
    }

    /** Removes a subscription that has not started (a plan change scheduled after an end). */
    public void delete(Connection connection, UUID id) throws SQLException {
        Sql.update(connection, "DELETE FROM subscriptions WHERE id = ?", id);
    }

    /** The plan in force on {@code day}: the latest subscription starting on or before it, unless it ended. */
    public Optional<UUID> planInForce(Connection connection, UUID organisationId, LocalDate day) throws SQLException {
        String sql = """
                SELECT pricing_plan_id FROM (SELECT pricing_plan_id, ends_on FROM subscriptions
                                              WHERE organisation_id = ? AND starts_on <= ?
                                              ORDER BY starts_on DESC LIMIT 1) s
                 WHERE s.ends_on IS NULL OR s.ends_on > ?
                """;
        return Sql.one(connection, sql, rs -> rs.getObject(1, UUID.class), organisationId, day, day);
    }

    private static Subscription map(ResultSet rs) throws SQLException {
        return new Subscription(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getObject("pricing_plan_id", UUID.class), rs.getObject("starts_on", LocalDate.class),
                rs.getObject("ends_on", LocalDate.class), rs.getObject("trial_ends_on", LocalDate.class),
                Sql.instant(rs, "created_at"));
    }
}
