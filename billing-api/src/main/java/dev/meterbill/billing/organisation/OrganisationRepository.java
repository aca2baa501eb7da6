package dev.meterbill.billing.organisation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** SQL for organisations. */
public final class OrganisationRepository {

    private static final String COLUMNS =
            "id, name, billing_email, currency, timezone, gstin, state_code, address, created_at";

    public Organisation insert(Connection connection, UUID id, NewOrganisation organisation) throws SQLException {
        String sql = "INSERT INTO organisations (id, name, billing_email, currency, timezone, gstin, state_code, address)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.setString(2, organisation.name());
            statement.setString(3, organisation.billingEmail());
            statement.setString(4, organisation.currency());
            statement.setString(5, organisation.timezone());
            statement.setString(6, organisation.gstin());
            statement.setString(7, organisation.stateCode());
            statement.setString(8, organisation.address());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return map(rs);
            }
        }
    }

    public Optional<Organisation> find(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement =
                     connection.prepareStatement("SELECT " + COLUMNS + " FROM organisations WHERE id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public boolean exists(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM organisations WHERE id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Organisation map(ResultSet rs) throws SQLException {
        return new Organisation(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("billing_email"),
                rs.getString("currency"),
                rs.getString("timezone"),
                rs.getString("gstin"),
                rs.getString("state_code"),
                rs.getString("address"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
