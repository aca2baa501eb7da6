package dev.meterbill.billing.organisation;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** SQL for organisations. */
public final class OrganisationRepository {

    private static final String COLUMNS =
            "id, name, billing_email, currency, timezone, gstin, state_code, address, created_at";

    public Organisation insert(Connection connection, UUID id, NewOrganisation organisation) throws SQLException {
        String sql = "INSERT INTO organisations (id, name, billing_email, currency, timezone, gstin, state_code, address)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS;
        return Sql.single(connection, sql, OrganisationRepository::map, id, organisation.name(),
                organisation.billingEmail(), organisation.currency(), organisation.timezone(), organisation.gstin(),
                organisation.stateCode(), organisation.address());
    }

    public Optional<Organisation> find(Connection connection, UUID id) throws SQLException {
        return Sql.one(connection, "SELECT " + COLUMNS + " FROM organisations WHERE id = ?", OrganisationRepository::map, id);
    }

    public boolean exists(Connection connection, UUID id) throws SQLException {
        return Sql.exists(connection, "SELECT 1 FROM organisations WHERE id = ?", id);
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
                Sql.instant(rs, "created_at"));
    }
}
