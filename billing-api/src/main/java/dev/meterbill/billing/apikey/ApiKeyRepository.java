package dev.meterbill.billing.apikey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
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

    /** A stored key as listings show it: never the hash. */
    public record StoredKey(UUID id, UUID organisationId, UUID projectId, String prefix, Instant createdAt,
                            Instant revokedAt) {}

    /** The project's keys, newest first. */
    public List<StoredKey> listByProject(Connection connection, UUID projectId) throws SQLException {
        String sql = """
                SELECT id, organisation_id, project_id, key_prefix, created_at, revoked_at FROM api_keys
                 WHERE project_id = ? AND kind = 'project' ORDER BY created_at DESC, id
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, projectId);
            try (ResultSet rs = statement.executeQuery()) {
                List<StoredKey> keys = new ArrayList<>();
                while (rs.next()) {
                    keys.add(map(rs));
                }
                return keys;
            }
        }
    }

    /** The project key, locked for revocation. */
    public Optional<StoredKey> lockProjectKey(Connection connection, UUID projectId, UUID keyId) throws SQLException {
        String sql = """
                SELECT id, organisation_id, project_id, key_prefix, created_at, revoked_at FROM api_keys
                 WHERE id = ? AND project_id = ? AND kind = 'project' FOR UPDATE
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, keyId);
            statement.setObject(2, projectId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public void revoke(Connection connection, UUID keyId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE api_keys SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL")) {
            statement.setObject(1, keyId);
            statement.executeUpdate();
        }
    }

    private static StoredKey map(ResultSet rs) throws SQLException {
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        return new StoredKey(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getObject("project_id", UUID.class), rs.getString("key_prefix"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                revoked == null ? null : revoked.toInstant());
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
