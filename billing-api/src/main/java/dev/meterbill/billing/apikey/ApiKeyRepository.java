package dev.meterbill.billing.apikey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** SQL for api_keys: only hashes are stored, never a plain key. */
public final class ApiKeyRepository {

    /** Stores the hash of an organisation secret key. */
    public void insertOrganisationKey(Connection connection, UUID organisationId, IssuedKey key) throws SQLException {
        insert(connection, "organisation", organisationId, null, key);
    }

    /** Stores the hash of a project API key. */
    public void insertProjectKey(Connection connection, UUID organisationId, UUID projectId, IssuedKey key)
            throws SQLException {
        insert(connection, "project", organisationId, projectId, key);
    }

    /** The organisation owning an unrevoked secret key with this hash. */
    public Optional<UUID> findOrganisationBySecretKeyHash(Connection connection, String keyHash) throws SQLException {
        String sql = """
                SELECT organisation_id FROM api_keys
                 WHERE key_hash = ? AND kind = 'organisation' AND revoked_at IS NULL
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, keyHash);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static void insert(Connection connection, String kind, UUID organisationId, UUID projectId, IssuedKey key)
            throws SQLException {
        String sql = """
                INSERT INTO api_keys (id, kind, organisation_id, project_id, key_hash, key_prefix)
                VALUES (?, ?, ?, ?, ?, ?)
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, key.id());
            statement.setString(2, kind);
            statement.setObject(3, organisationId);
            statement.setObject(4, projectId);
            statement.setString(5, key.hash());
            statement.setString(6, key.displayPrefix());
            statement.executeUpdate();
        }
    }
}
