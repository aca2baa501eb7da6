package dev.meterbill.billing.apikey;

import dev.meterbill.billing.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for api_keys: only hashes are stored, never a plain key. */
public final class ApiKeyRepository {

    private static final String COLUMNS = "id, organisation_id, project_id, key_prefix, created_at, revoked_at";

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
        return Sql.one(connection, sql, rs -> rs.getObject(1, UUID.class), keyHash);
    }

    /** A stored key as listings show it: never the hash. */
    public record StoredKey(UUID id, UUID organisationId, UUID projectId, String prefix, Instant createdAt,
                            Instant revokedAt) {}

    /** The project's keys, newest first. */
    public List<StoredKey> listByProject(Connection connection, UUID projectId) throws SQLException {
        return Sql.list(connection, "SELECT " + COLUMNS + " FROM api_keys"
                + " WHERE project_id = ? AND kind = 'project' ORDER BY created_at DESC, id", ApiKeyRepository::map, projectId);
    }

    /** The project key, locked for revocation. */
    public Optional<StoredKey> lockProjectKey(Connection connection, UUID projectId, UUID keyId) throws SQLException {
        return Sql.one(connection, "SELECT " + COLUMNS + " FROM api_keys"
                + " WHERE id = ? AND project_id = ? AND kind = 'project' FOR UPDATE", ApiKeyRepository::map, keyId, projectId);
    }

    public void revoke(Connection connection, UUID keyId) throws SQLException {
        Sql.update(connection, "UPDATE api_keys SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL", keyId);
    }

    private static StoredKey map(ResultSet rs) throws SQLException {
        return new StoredKey(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getObject("project_id", UUID.class), rs.getString("key_prefix"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "revoked_at"));
    }

    private static void insert(Connection connection, String kind, UUID organisationId, UUID projectId, IssuedKey key)
            throws SQLException {
        String sql = """
                INSERT INTO api_keys (id, kind, organisation_id, project_id, key_hash, key_prefix)
                VALUES (?, ?, ?, ?, ?, ?)
                """;
        Sql.update(connection, sql, key.id(), kind, organisationId, projectId, key.hash(), key.displayPrefix());
    }
}
