package dev.meterbill.billing.subscription;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for subscriptions. */
public final class SubscriptionRepository {

    private static final String COLUMNS = "id, organisation_id, pricing_plan_id, starts_on, created_at";

    /** The organisation's billing currency and timezone, locking the row so plan changes of one organisation queue up. */
    public Optional<String[]> lockOrganisation(Connection connection, UUID organisationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT currency, timezone FROM organisations WHERE id = ? FOR NO KEY UPDATE")) {
            statement.setObject(1, organisationId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
            }
        }
    }

    /** The organisation's billing currency and timezone, without locking. */
    public Optional<String[]> billingOf(Connection connection, UUID organisationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT currency, timezone FROM organisations WHERE id = ?")) {
            statement.setObject(1, organisationId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
            }
        }
    }

    /** Every subscription of the organisation, earliest first. */
    public List<Subscription> list(Connection connection, UUID organisationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM subscriptions WHERE organisation_id = ? ORDER BY starts_on")) {
            statement.setObject(1, organisationId);
            try (ResultSet rs = statement.executeQuery()) {
                List<Subscription> subscriptions = new ArrayList<>();
                while (rs.next()) {
                    subscriptions.add(map(rs));
                }
                return subscriptions;
            }
        }
    }

    /** Adds a subscription, or moves the one starting on the same day to another plan. */
    public Subscription upsert(Connection connection, UUID id, UUID organisationId, UUID planId, LocalDate startsOn)
            throws SQLException {
        String sql = """
                INSERT INTO subscriptions (id, organisation_id, pricing_plan_id, starts_on) VALUES (?, ?, ?, ?)
                ON CONFLICT (organisation_id, starts_on) DO UPDATE
                   SET pricing_plan_id = EXCLUDED.pricing_plan_id, created_at = now()
                RETURNING\s""" + COLUMNS;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.setObject(2, organisationId);
            statement.setObject(3, planId);
            statement.setObject(4, startsOn);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return map(rs);
            }
        }
    }

    /** The plan in force on {@code day}: the latest subscription starting on or before it. */
    public Optional<UUID> planInForce(Connection connection, UUID organisationId, LocalDate day) throws SQLException {
        String sql = """
                SELECT pricing_plan_id FROM subscriptions WHERE organisation_id = ? AND starts_on <= ?
                 ORDER BY starts_on DESC LIMIT 1
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, organisationId);
            statement.setObject(2, day);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static Subscription map(ResultSet rs) throws SQLException {
        return new Subscription(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getObject("pricing_plan_id", UUID.class), rs.getObject("starts_on", LocalDate.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
